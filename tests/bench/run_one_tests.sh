#!/bin/sh
# run_one_tests.sh - bench/run_one.sh's bench_run: a run's RESULT lines
# go to the results and all it prints to the log; a run that outlives the
# timeout is killed, named on stderr and in the log, and the next run
# goes on; the caller's set -e does not stop at a failing run.
#   run_one_tests.sh RUN_ONE_SH
set -eu
# shellcheck source=bench/run_one.sh
. "$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
log=$dir/log results=$dir/results
: >"$log"; : >"$results"
fails=0
check() { # NAME GOT WANT
    if [ "$2" = "$3" ]; then echo "ok: $1"; else
        echo "FAIL: $1"; echo "  got:  $2"; echo "  want: $3"; fails=$((fails + 1)); fi
}

bench_run "$log" "$results" 5 sh -c 'echo "RESULT	a	1"; echo note; echo err >&2' 2>"$dir/err1"
check "a finished run's RESULT line kept" "$(cat "$results")" "RESULT	a	1"
check "all it printed logged" "$(grep -c . "$log")" 3

start=$(date +%s)
bench_run "$log" "$results" 1 sh -c 'echo "RESULT	b	2"; exec sleep 30' 2>"$dir/err2"
took=$(( $(date +%s) - start ))
check "a hung run killed within its timeout" "$([ "$took" -lt 10 ] && echo yes)" yes
check "the hung run named on stderr" \
    "$(grep -c "'sh -c echo \"RESULT	b	2\"; exec sleep 30' still running after 1 s: killed" "$dir/err2")" 1
check "and in the log" "$(grep -c 'still running after 1 s: killed' "$log")" 1
check "what it printed before still kept" "$(grep -c '^RESULT	b	2$' "$results")" 1

bench_run "$log" "$results" 5 sh -c 'echo "RESULT	c	3"; exit 3' 2>"$dir/err3"
check "a failing run is not a hang" "$(grep -c 'killed' "$dir/err3")" 0
check "and the runs go on after it" "$(tail -n 1 "$results")" "RESULT	c	3"

if [ "$fails" -ne 0 ]; then echo "run_one: $fails failed"; exit 1; fi
echo "run_one: all checks passed"
