#!/usr/bin/env bash
# test.sh - the README's test command: installs missing Debian packages,
# makes sure an LTTng session daemon runs, then for each preset configures,
# builds and runs the whole CTest suite (output shown on failure).
#
#   scripts/test.sh                 debug preset only
#   scripts/test.sh --sanitizers    debug, then notrace (RTK_TRACING=OFF), asan,
#                                   tsan and fuzz (what CI runs; fuzz: clang,
#                                   1500 seeded libFuzzer inputs per target)
#   scripts/test.sh asan            just the named preset(s)
# Environment: RTK_SANITIZERS=1 (same as --sanitizers), RTK_SKIP_DEPS=1 (do
# not check packages), RTK_JOBS=N (build jobs; default nproc),
# RTK_CTEST_JOBS=N (tests at once; default 1 from the presets: a test that
# records under LTTng sees every traced process of the user, so the tests
# run one at a time).
# Exit status: 0 when every preset built and passed, else 1. A failing preset
# does not stop the others, so one run reports everything.
# Cost on 2 cores from scratch: debug ~2 min, asan ~4-5 min, tsan ~4 min,
# fuzz ~1.5 min (1 min build, ~30 s of fuzzing).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

sanitizers=${RTK_SANITIZERS:-0}
presets=()
for a in "$@"; do
    case $a in
        --sanitizers) sanitizers=1 ;;
        -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        debug|release|asan|tsan|notrace|fuzz) presets+=("$a") ;;
        *) echo "test.sh: unknown argument '$a' (see --help)" >&2; exit 2 ;;
    esac
done
if [ ${#presets[@]} -eq 0 ]; then
    presets=(debug)
    [ "$sanitizers" = 1 ] && presets+=(notrace asan tsan fuzz)
fi
jobs=${RTK_JOBS:-$(nproc)}

if [ "${RTK_SKIP_DEPS:-0}" != 1 ]; then
    scripts/install-deps.sh || { echo "test.sh: installing packages failed" >&2; exit 1; }
fi
sessiond_pid=$(mktemp)
scripts/ensure-sessiond.sh --started "$sessiond_pid" || exit 1
# a daemon started here is stopped on the way out: nothing is left running
trap 'scripts/ensure-sessiond.sh --stop "$sessiond_pid"' EXIT

declare -A result elapsed failed_tests
failed=0
for p in "${presets[@]}"; do
    t0=$(date +%s)
    echo "=== [$p] configure"
    mkdir -p "build/$p"
    log="build/$p/build.log"
    if ! cmake --preset "$p" >"build/$p/configure.log" 2>&1; then
        cat "build/$p/configure.log"
        result[$p]="configure failed"
    else
        echo "=== [$p] build (-j$jobs, log: $log)"
        if ! cmake --build --preset "$p" -j "$jobs" >"$log" 2>&1; then
            grep -E 'error|Error|warning:' "$log" | head -n 60
            echo "--- last lines of $log:"
            tail -n 40 "$log"
            result[$p]="build failed"
        else
            nwarn=$(grep -c 'warning:' "$log" || true)
            if [ "$nwarn" -gt 0 ]; then
                echo "=== [$p] $nwarn compiler warning(s):"
                grep -A3 'warning:' "$log" | head -n 80
            fi
            echo "=== [$p] test"
            if ctest --preset "$p" ${RTK_CTEST_JOBS:+-j "$RTK_CTEST_JOBS"}; then
                result[$p]=passed
            else
                result[$p]="tests failed"
                # named again in the summary: a later preset's output
                # pushes ctest's own list out of a log's last lines
                lf="build/$p/Testing/Temporary/LastTestsFailed.log"
                [ -s "$lf" ] && failed_tests[$p]=$(cut -d: -f2- "$lf" | paste -sd, -)
            fi
        fi
    fi
    elapsed[$p]=$(( $(date +%s) - t0 ))
    [ "${result[$p]}" = passed ] || failed=1
done

echo "=== summary"
for p in "${presets[@]}"; do
    printf '  %-8s %-18s %5ss\n' "$p" "${result[$p]}" "${elapsed[$p]}"
    [ -n "${failed_tests[$p]:-}" ] && printf '           failed: %s\n' "${failed_tests[$p]}"
done
exit $failed
