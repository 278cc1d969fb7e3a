# shellcheck shell=sh
# run_one.sh - bench/run.sh's runner of one benchmark binary, sourced
# (tests/bench/run_one_tests.sh tests it alone).
#
# bench_run LOG RESULTS TIMEOUT CMD...: run CMD; its RESULT lines go to
# RESULTS, everything it prints to LOG. A run still going after TIMEOUT
# seconds is killed and named on stderr and in LOG, so a benchmark that
# hangs (docs/reliability.md, "The work queue's count") costs the full
# run that much, not the rest of the day. Returns 0 either way: the table
# judges the rows with what the other runs gave.
bench_run() {
    _br_log=$1 _br_results=$2 _br_timeout=$3
    shift 3
    echo "== $*" >&2
    _br_rc=$(mktemp)
    # the status through a file: the command is a pipeline's first part
    # (and, in an if, not stopped by the caller's set -e)
    # shellcheck disable=SC2094 # stdout and stderr both append to the log
    { if timeout -s KILL "$_br_timeout" "$@" 2>>"$_br_log"; then echo 0 >"$_br_rc"; else echo $? >"$_br_rc"; fi; } |
        tee -a "$_br_log" | grep '^RESULT' >>"$_br_results" || true
    if [ "$(cat "$_br_rc")" = 137 ]; then
        echo "bench/run.sh: '$*' still running after ${_br_timeout} s: killed (a hang: its results are missing from this run)" |
            tee -a "$_br_log" >&2
    fi
    rm -f "$_br_rc"
    return 0
}
