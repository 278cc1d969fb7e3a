#!/usr/bin/env bash
# xthread_rounds.sh - the cross-thread rows of bench/run.sh alone, over as
# many rounds as asked (run.sh runs them 20 rounds among its other rows):
# the throughput rows (xthread: 2 producers one item per call;
# xthread_batch: batches of 64), so that the round-by-round
# ratio and its median (bench/table.awk) say how often rtk is ahead of the
# best peer measured in the same minute; or, with --wake, the wake-up
# latency rows (wake_p50, wake_p99), judged on every round's samples
# pooled, so that the pool sees more of the guest's 200 ms windows (the
# runs the hypervisor stole over 1% of the CPU time from set aside, every
# library's alike: bench/table.awk).
#
#   bench/xthread_rounds.sh [ROUNDS]          default 10
#   bench/xthread_rounds.sh --wake [ROUNDS]
#
# Each round runs rtk and the three peers once each (one process per
# library, a few seconds apart), in a rotating order so that no library
# always runs first. Uses the binaries of bench/run.sh's build folder
# ($BENCH_BUILD_DIR, default build/bench; build it with run.sh first).
# Prints table.awk's rows for those benchmarks; the RESULT lines are kept
# in $BENCH_BUILD_DIR/rounds.tsv. Cost: about 3 s a round (12 s with --wake).
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
benches=(xthread xthread_batch)
if [ "${1:-}" = --wake ]; then benches=(wake); shift; fi
case "${1:-}" in -*) echo "xthread_rounds.sh: unknown option '$1' (see --help)" >&2; exit 2 ;; esac
rounds=${1:-10}
case "$rounds" in ''|*[!0-9]*) echo "xthread_rounds.sh: ROUNDS must be a number, not '$rounds'" >&2; exit 2 ;; esac
[ "$rounds" -ge 2 ] || { echo "xthread_rounds.sh: ROUNDS must be at least 2 (a median of rounds)" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$repo/build/bench}
bin=$build/bench
libs=(rtk uv glib event)
for l in "${libs[@]}"; do
    [ -x "$bin/bench_$l" ] || { echo "xthread_rounds.sh: no $bin/bench_$l (run bench/run.sh first, or set BENCH_BUILD_DIR)" >&2; exit 1; }
done
out=$build/rounds.tsv
: >"$out"
for r in $(seq "$rounds"); do
    echo "== round $r of $rounds" >&2
    for k in 0 1 2 3; do
        l=${libs[$(( (r + k) % 4 ))]}
        "$bin/bench_$l" "${benches[@]}" 2>/dev/null | grep '^RESULT' >>"$out" ||
            { echo "xthread_rounds.sh: bench_$l failed in round $r" >&2; exit 1; }
    done
done
rows=" ${benches[*]} "
[ "${benches[0]}" = wake ] && rows=" wake_p50 wake_p99 "
awk -f "$repo/bench/table.awk" "$out" |
    awk -F' [|] ' -v rows="$rows" 'NR <= 2 || index(rows, " " substr($1, 3) " ")'
