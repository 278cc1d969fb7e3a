#!/usr/bin/env bash
# main-job.sh - the README's main command: installs missing Debian packages,
# builds the release preset, records the example workload (editor-sim) under
# LTTng with `rt-trace record`, and prints rt-trace's report of the run:
# `rt-trace summary`, then `rt-trace interactions --no-summary`, and writes
# the same run as one HTML page (`rt-trace report`), printing its path.
#
#   scripts/main-job.sh [-- editor-sim options...]
# Environment: RTK_SKIP_DEPS=1 (do not check packages), RTK_JOBS=N,
#   RTK_RUN_DB=path (default build/release/run.db),
#   RTK_REPORT=path (default build/release/report.html).
# Cost: a release build (~3 min on 2 cores the first time), then the workload's own
# duration plus ingest.
set -euo pipefail
case "${1:-}" in
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
esac
cd "$(dirname "$0")/.."
case "${1:-}" in
    --) shift ;;
    "") ;;
    *) echo "main-job: unknown argument '$1': workload options go after '--' (see --help)" >&2; exit 2 ;;
esac
# Default workload: 20 s of typing at 25 keys/s; seed 2 includes two of the
# pathological 30 ms reflows, thinking pauses (timers, language server) and
# key-repeat bursts, so every part of the report has something to show.
[ $# -gt 0 ] || set -- --duration 20 --key-rate 25 --seed 2
jobs=${RTK_JOBS:-$(nproc)}
db=${RTK_RUN_DB:-build/release/run.db}
report=${RTK_REPORT:-build/release/report.html}
# The report: each entry is one `rt-trace <subcommand> <db> [options]` run.
# `interactions --no-summary`: the summary already printed the interactions
# record, so the second report starts at the split, by_name and worst.
reports=("summary" "interactions --no-summary")

[ "${RTK_SKIP_DEPS:-0}" = 1 ] || scripts/install-deps.sh
echo "=== build (release preset)"
mkdir -p build/release
cmake --preset release >build/release/configure.log 2>&1 ||
    { cat build/release/configure.log >&2; echo "main-job: configure failed" >&2; exit 1; }
cmake --build --preset release -j "$jobs" >build/release/build.log 2>&1 ||
    { tail -n 40 build/release/build.log >&2; echo "main-job: build failed (build/release/build.log)" >&2; exit 1; }

# Find the built programs wherever their CMakeLists put them.
find_bin() { find build/release -type f -name "$1" -perm -u+x -print -quit; }
rtt=$(find_bin rt-trace)
app=$(find_bin editor-sim)
if [ -z "$rtt" ]; then
    echo "main-job: rt-trace was not built (tools/rt-trace; RTK_BUILD_TOOLS=ON?)" >&2
    exit 1
fi
if [ -z "$app" ]; then
    echo "main-job: the example workload is not there yet: no editor-sim built from examples/editor-sim" >&2
    exit 1
fi

sessiond_pid=$(mktemp)
scripts/ensure-sessiond.sh --started "$sessiond_pid" || exit 1
trap 'scripts/ensure-sessiond.sh --stop "$sessiond_pid"' EXIT
echo "=== record: $rtt record -o $db -- $app $*"
rm -f "$db"
"$rtt" record -o "$db" -- "$app" "$@"
for r in "${reports[@]}"; do
    read -r -a args <<<"$r"
    echo
    echo "=== rt-trace ${args[0]} $db${args[1]:+ ${args[*]:1}}"
    "$rtt" "${args[0]}" "$db" "${args[@]:1}"
done
echo
echo "=== rt-trace report $db -o $report"
"$rtt" report "$db" -o "$report" >/dev/null
echo "report: $(cd "$(dirname "$report")" && pwd)/$(basename "$report") (open it in a browser; works offline)"
