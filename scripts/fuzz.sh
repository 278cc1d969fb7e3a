#!/usr/bin/env bash
# fuzz.sh - runs the libFuzzer targets of fuzz/ one at a time, in one
# process each (no -jobs/-workers: the machine is shared), on their seed
# corpus and crash regressions. Builds the fuzz preset first (clang).
#
#   scripts/fuzz.sh [--seconds N | --runs N] [--keep-going] [--no-build] [TARGET...]
#       TARGET: metadata, stream, db, ctf_reader (default: all four); --seconds: per
#       target (default 60); --runs: executions per target instead;
#       --keep-going: -fork=1 -ignore_crashes=1 (still one fuzzing process
#       at a time), every crash saved and the run goes on.
# New corpus inputs go to build/fuzz/fuzz/work/TARGET/corpus, crashes to
# build/fuzz/fuzz/work/TARGET/artifacts/, the log to
# build/fuzz/fuzz/work/TARGET/fuzz.log (its last lines: stat::number_of_
# executed_units and average_exec_per_sec). Exit status 0 when no target
# crashed. docs/reliability.md, "Fuzzing", says what each target does.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
limit=(-max_total_time=60) build=1 targets=() keep=()
while [ $# -gt 0 ]; do
    case $1 in
        --seconds) limit=(-max_total_time="$2"); shift ;;
        --runs) limit=(-runs="$2"); shift ;;
        --no-build) build=0 ;;
        --keep-going) keep=(-fork=1 -ignore_crashes=1) ;;
        metadata|stream|db|ctf_reader) targets+=("$1") ;;
        -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ ${#targets[@]} -gt 0 ] || targets=(metadata stream db ctf_reader)
if [ $build = 1 ]; then
    cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j2 \
        --target "${targets[@]/#/fuzz_}" >/dev/null || { echo "fuzz.sh: build failed" >&2; exit 1; }
fi
# A small quarantine: the harness allocates a lot per input (SQLite under
# ASan), and 256 MiB of quarantine costs page faults, not findings.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:intercept_tls_get_addr=0:quarantine_size_mb=16}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for t in "${targets[@]}"; do
    w=build/fuzz/fuzz/work/$t
    mkdir -p "$w/corpus" "$w/artifacts"
    extra=()
    # libbabeltrace2 leaks on some bad traces (docs/reliability.md): leak
    # checking of its decode targets would stop at its leaks, not ours
    # (ctf_reader has no babeltrace2 on its path: leaks checked).
    # -close_fd_mask=2: reports of a crash while babeltrace2 runs (stderr
    # silenced by decode/graph.c) still reach the log.
    bt2=1
    case $t in db|ctf_reader) bt2=0 ;; esac
    [ $bt2 = 0 ] || extra=(-detect_leaks=0 -close_fd_mask=2)
    [ "$t" = metadata ] && extra+=(-dict=fuzz/tsdl.dict)
    inputs=(fuzz/corpus/$t)
    [ -d fuzz/regressions/$t ] && inputs+=(fuzz/regressions/$t)
    echo "=== fuzz_$t ${limit[*]}"
    asan=$ASAN_OPTIONS
    # ... and no leak check at exit either (each job exits in --keep-going).
    [ $bt2 = 0 ] || asan=${asan//detect_leaks=1/detect_leaks=0}
    ASAN_OPTIONS=$asan build/fuzz/fuzz/fuzz_$t "${limit[@]}" "${keep[@]}" "${extra[@]}" \
        -timeout=20 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$w/artifacts/" "$w/corpus" "${inputs[@]}" \
        >"$w/fuzz.log" 2>&1
    rc=$?
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$w/fuzz.log"
    [ ${#keep[@]} -eq 0 ] || grep -E '^#[0-9]+: cov' "$w/fuzz.log" | tail -n 1
    ls "$w/artifacts" | sed 's/^/artifact: /'
    [ -z "$(ls -A "$w/artifacts")" ] || failed=1
    if [ $rc -ne 0 ]; then
        failed=1
        echo "fuzz_$t: FAILED (exit $rc), see $w/fuzz.log:"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$w/fuzz.log" | head -n 5
    fi
done
exit $failed
