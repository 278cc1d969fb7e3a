#!/usr/bin/env bash
# export_bench.sh - speed and memory of `rt-trace export --format chrome`.
#
#   bench/export_bench.sh [BUILD_DIR] [THOUSANDS_OF_LOOPS...]
#
# BUILD_DIR (default: build/release in the source tree) is configured and
# built as Release if it has no rt-trace yet. For each size (default: 100
# and 1000 thousand loops) it records `rtt_tpgen loop N` (per loop: a tick,
# a task, an event dispatch caused by the task: 7 rtk events; exported as a
# task slice, a dispatch slice, a queue wait pair and a flow pair, 6 trace
# events) and times, best of RUNS (3), the export to plain JSON and to gzip
# on the database hot in the page cache: trace events/s of wall and of CPU
# time, and peak RSS (goal: flat as the database grows). Needs an LTTng session
# daemon (scripts/ensure-sessiond.sh) and ~1.2 GB in $TMPDIR per 1000.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build/release}
shift || true
SIZES=${*:-100 1000}
RUNS=${RUNS:-3}
TMP=${TMPDIR:-/tmp}/rtt-export-bench.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT

if [ ! -x "$BUILD/tools/rt-trace" ] || [ ! -x "$BUILD/tools/rtt_tpgen" ]; then
    cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DRTK_BUILD_TESTS=OFF \
        -DRTK_BUILD_BENCH=OFF -DRTK_BUILD_EXAMPLES=OFF >/dev/null
    cmake --build "$BUILD" -j"$(nproc)" --target rt-trace rtt_tpgen >/dev/null
fi
RT=$BUILD/tools/rt-trace
GEN=$BUILD/tools/rtt_tpgen

# best-of-RUNS wall and CPU (user+sys) seconds and max RSS (KiB) of "$@":
# "wall cpu kib". CPU time is the steadier figure on a shared machine.
measure() {
    local best="" cpu="" rss=0 e u s k c
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %U %S %M" -o "$TMP/time.txt" "$@" >/dev/null 2>"$TMP/err.txt" ||
            { cat "$TMP/err.txt" >&2; exit 1; }
        read -r e u s k <"$TMP/time.txt"
        c=$(awk "BEGIN{print $u + $s}")
        if [ -z "$best" ] || awk "BEGIN{exit !($e < $best)}"; then best=$e; fi
        if [ -z "$cpu" ] || awk "BEGIN{exit !($c < $cpu)}"; then cpu=$c; fi
        [ "$k" -gt "$rss" ] && rss=$k
    done
    echo "$best $cpu $rss"
}

printf '%-6s %9s %8s | %7s %7s %10s %10s %9s | %7s %10s %7s\n' loops "trace ev" \
    "JSON MB" "wall s" "CPU s" "events/s" "ev/CPU-s" RSS "gzip s" "events/s" "gz MB"
for k in $SIZES; do
    n=$((k * 1000))
    rm -f "$TMP/run.db"
    "$RT" record -q -o "$TMP/run.db" --subbuf-size 8M --num-subbuf 16 -- "$GEN" loop "$n" \
        >/dev/null 2>"$TMP/rec.txt" || { cat "$TMP/rec.txt" >&2; exit 1; }
    cat "$TMP/run.db" >/dev/null # hot in the page cache
    "$RT" export "$TMP/run.db" -o "$TMP/out.json" >"$TMP/counts.txt"
    events=$(sed -n 's/^[^:]*: \([0-9]*\) trace events, \([0-9]*\) bytes.*/\1/p' "$TMP/counts.txt")
    bytes=$(sed -n 's/^[^:]*: \([0-9]*\) trace events, \([0-9]*\) bytes.*/\2/p' "$TMP/counts.txt")
    read -r js jc jrss < <(measure "$RT" export -q "$TMP/run.db" -o "$TMP/out.json")
    read -r gs _ _ < <(measure "$RT" export -q "$TMP/run.db" -o "$TMP/out.json.gz")
    gz=$(stat -c %s "$TMP/out.json.gz")
    awk -v n="$n" -v e="$events" -v b="$bytes" -v js="$js" -v jc="$jc" -v jr="$jrss" \
        -v gs="$gs" -v gz="$gz" 'BEGIN {
        printf "%-6s %9d %8.0f | %7.2f %7.2f %10.0f %10.0f %6.1fMiB | %7.2f %10.0f %7.1f\n",
            sprintf("%dk", n / 1000), e, b / 1e6, js, jc, e / js, e / jc, jr / 1024,
            gs, e / gs, gz / 1e6 }'
    rm -f "$TMP/out.json" "$TMP/out.json.gz"
done
echo "(best of $RUNS runs; events/s = trace events written / wall time, ev/CPU-s"
echo " the same per CPU second (user+sys); RSS = peak; load: $(cut -d' ' -f1-3 /proc/loadavg))"
