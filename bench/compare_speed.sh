#!/usr/bin/env bash
# compare_speed.sh - how long `rt-trace compare` takes on two databases of
# N tasks each (default 1 000 000): the goal is under 2 s for 1 M vs 1 M.
#
#   bench/compare_speed.sh [BUILD_DIR] [TASKS]
#
# The databases are made with the sqlite3 shell from the schema rt-trace
# writes (tools/analysis/store/schema.sql): tasks under 20 names and 5
# priorities, run times spread over 0-4 ms, queue waits over 0-100 us, the
# new side 10% slower; both kept in BUILD_DIR/compare-speed and reused.
# Prints the wall time of three runs and the peak memory of the last.
set -uo pipefail
case "${1:-}" in -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build/release}
tasks=${2:-1000000}
rt=$build/tools/rt-trace
command -v sqlite3 >/dev/null || { echo "compare_speed.sh: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
[ -x "$rt" ] || { echo "compare_speed.sh: no $rt (build the release preset)" >&2; exit 1; }
dir=$build/compare-speed
mkdir -p "$dir"

make_db() { # PATH SCALE SEED
    [ -s "$1" ] && return 0
    rm -f "$1.tmp"
    {
        cat "$repo/tools/analysis/store/schema.sql"
        cat <<SQL
BEGIN;
INSERT INTO traces VALUES (1, 'u$3', '/t', 'h', 'app', 1, 'per-pid', 0, $tasks * 20000, $tasks * 3, 'now');
INSERT INTO procs VALUES (1, 1, 1, 'app');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $tasks)
INSERT INTO tasks (proc, id, priority, name, source, queued_ts, started_ts, finished_ts, outcome)
SELECT 1, i, (i % 5) * 100, 'n' || (i % 20), 0, i * 20000,
       i * 20000 + (i * 7919 + $3) % 100000,
       i * 20000 + (i * 7919 + $3) % 100000 + CAST((((i * 104729 + $3 * 13) % 4000000) + 1000) * $2 AS INTEGER), 0
FROM n;
COMMIT;
PRAGMA user_version = 1;
SQL
    } | sqlite3 "$1.tmp" && mv "$1.tmp" "$1"
}
make_db "$dir/base-$tasks.db" 1.0 1 || exit 1
make_db "$dir/new-$tasks.db" 1.1 2 || exit 1

for i in 1 2 3; do
    t0=$(date +%s.%N)
    "$rt" compare "$dir/base-$tasks.db" --against "$dir/new-$tasks.db" >"$dir/out.txt" 2>&1
    st=$?
    t1=$(date +%s.%N)
    echo "run $i: $(echo "$t1 - $t0" | bc) s (exit $st)"
done
/usr/bin/time -v "$rt" compare "$dir/base-$tasks.db" --against "$dir/new-$tasks.db" \
    >/dev/null 2>"$dir/time.txt"
grep -E "Maximum resident|Elapsed" "$dir/time.txt"
grep -c regressed "$dir/out.txt" | sed 's/^/measures regressed: /'
