#!/usr/bin/env bash
# viewer_bench.sh - the viewer's speed on a 1 M-task run (issue 15, item 7).
#
#   bench/viewer_bench.sh [BUILD_DIR] [TASKS]
#
# BUILD_DIR (default build/release) is configured and built (release preset
# options) if it has no rt-trace yet. Records `rtt_tpgen loop TASKS`
# (default 1000000: one tick, one task and one dispatch per iteration) with
# big buffers, then measures:
#   - how long `rt-trace view` takes to start (open + the answers it computes
#     before serving: rtt_api_warm) and a few API answers' times (curl);
#   - `rt-trace report` time and the report's size (goal < 5 MB);
#   - in Chromium (bench/viewer_bench.js, playwright-core from viewer/):
#     first meaningful paint of the overview and the timeline (goal < 1.5 s)
#     and zoom/pan frames per second (goal >= 30), live and from the report.
# Needs an LTTng session daemon (scripts/ensure-sessiond.sh), chromium,
# node, ~300 MB in $TMPDIR. Prints one line per figure. Cost: ~1.5 min.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build/release}
TASKS=${2:-1000000}
TMP=${TMPDIR:-/tmp}/rtk-viewer-bench.$$
mkdir -p "$TMP"
view_pid=""
cleanup() { [ -n "$view_pid" ] && kill "$view_pid" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
since() { awk -v a="$1" -v b="$(date +%s.%N)" -v d="$2" 'BEGIN { printf "%.*f", d, b - a }'; }

if [ ! -x "$BUILD/tools/rt-trace" ] || [ ! -x "$BUILD/tools/rtt_tpgen" ]; then
    cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DRTK_BUILD_TESTS=OFF \
        -DRTK_BUILD_BENCH=OFF -DRTK_BUILD_EXAMPLES=OFF >/dev/null
    cmake --build "$BUILD" -j"$(nproc)" --target rt-trace rtt_tpgen >/dev/null
fi
[ -d "$SRC/viewer/node_modules/playwright-core" ] ||
    (cd "$SRC/viewer" && npm ci --prefer-offline --no-audit --no-fund >/dev/null)
RT=$BUILD/tools/rt-trace
"$RT" record -q -o "$TMP/run.db" --subbuf-size 8M --num-subbuf 16 -- \
    "$BUILD/tools/rtt_tpgen" loop "$TASKS" >/dev/null
echo "database: $TASKS tasks, $("$RT" sql "$TMP/run.db" 'SELECT COUNT(*) FROM ticks' --format csv | tail -1 | tr -d '\r') ticks, $(du -h "$TMP/run.db" | cut -f1)"

t0=$(date +%s.%N)
coproc VIEW { exec "$RT" view "$TMP/run.db" --no-open; }
view_pid=$VIEW_PID
read -r line <&"${VIEW[0]}"
url=$(grep -o 'http://[^ ]*' <<<"$line")
echo "rt-trace view: serving after $(since "$t0" 2) s"
for p in "summary" "ticks?from=0&to=0&buckets=2000" "tasks?from=0&to=0&buckets=2000" \
         "ticks?from=1000000000&to=1100000000&buckets=1280" \
         "tasks?from=1000000000&to=1001000000&buckets=1280" \
         "dist?kind=task&measure=run_time"; do
    curl -s -o /dev/null -w "api/$p: HTTP %{http_code}, %{time_total} s, %{size_download} bytes\n" "${url}api/$p"
done

t0=$(date +%s.%N)
"$RT" report "$TMP/run.db" -o "$TMP/report.html" >/dev/null
echo "rt-trace report: $(since "$t0" 1) s, $(stat -c %s "$TMP/report.html") bytes"
node "$SRC/bench/viewer_bench.js" "$url" "$TMP/report.html"
