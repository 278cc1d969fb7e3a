#!/usr/bin/env bash
# ingest_bench.sh - speed and memory of `rt-trace ingest` next to babeltrace2.
#
#   bench/ingest_bench.sh [BUILD_DIR] [MILLIONS_OF_EVENTS...]
#
# BUILD_DIR (default: build-release next to the source tree) is configured
# and built as Release if it has no rt-trace yet. For each size (default:
# 1 and 10 million events) it records a trace of `rtt_tpgen loop` (7 rtk
# events per iteration: a tick, a task, an event dispatch) with big buffers,
# then times, on the same trace, hot in the page cache:
#   babeltrace2 TRACE -c sink.utils.dummy    (read + decode, no output)
#   rt-trace ingest TRACE -o new.db           (read + decode + pair + SQLite)
# and prints events/s of both, their ratio (goal >= 1.5, issue 16), the same ratio on
# CPU time, and the peak RSS (goal: flat from 1 M to 10 M). Needs an LTTng session daemon
# (rt-trace record starts one) and ~1.5 GB in $TMPDIR for 10 M events.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/../build-release}
shift || true
SIZES=${*:-1 10}
BENCH="ingest"
. "$SRC/bench/record_db.sh"
FRESH=$TMP/new.db # measure removes it before each ingest

printf '%-7s %9s %6s | %13s %13s %6s | %6s | %9s %9s\n' events discarded MiB \
    "bt2 ev/s" "ingest ev/s" ratio "CPU ratio" "bt2 RSS" "ingest RSS"
for m in $SIZES; do
    n=$((m * 1000000))
    rm -rf "$TMP/trace"
    record_db "$TMP/rec.db" $((n / 7)) --keep-trace "$TMP/trace"
    events=$(sqlite3 "$TMP/rec.db" "SELECT sum(events) FROM traces")
    disc=$(sqlite3 "$TMP/rec.db" "SELECT coalesce(sum(count),0) FROM tracer_loss WHERE what='events'")
    mib=$(du -sm "$TMP/trace" | cut -f1)
    read -r bt_s bt_c bt_rss < <(measure babeltrace2 "$TMP/trace" -c sink.utils.dummy)
    read -r in_s in_c in_rss < <(measure "$RT" ingest -q "$TMP/trace" -o "$TMP/new.db")
    awk -v e="$events" -v d="$disc" -v mib="$mib" -v bs="$bt_s" -v bc="$bt_c" \
        -v br="$bt_rss" -v is="$in_s" -v ic="$in_c" -v ir="$in_rss" 'BEGIN {
        printf "%-7s %9d %6d | %13.0f %13.0f %6.2f | %9.2f | %6.1fMiB %6.1fMiB\n",
            sprintf("%.1fM", e / 1e6), d, mib, e / bs, e / is, bs / is,
            bc / ic, br / 1024, ir / 1024 }'
done
echo "(best of $RUNS runs; ev/s = rtk events in the trace / wall time; ratio ="
echo " ingest ev/s / bt2 ev/s (goal >= 1.5, issue 16); CPU ratio = the same on user+sys"
echo " time (ingest decodes on one thread, pairs and writes SQLite on another); RSS = peak)"
