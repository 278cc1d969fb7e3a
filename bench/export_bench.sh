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
BENCH="export"
. "$SRC/bench/record_db.sh"

printf '%-6s %9s %8s | %7s %7s %10s %10s %9s | %7s %10s %7s\n' loops "trace ev" \
    "JSON MB" "wall s" "CPU s" "events/s" "ev/CPU-s" RSS "gzip s" "events/s" "gz MB"
for k in $SIZES; do
    n=$((k * 1000))
    record_db "$TMP/run.db" "$n"
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
