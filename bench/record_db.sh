# record_db.sh - what bench/ingest_bench.sh and bench/export_bench.sh share:
# sourced (not run) by both once they have set SRC (the source tree), BUILD
# (the build folder) and BENCH (a name for the scratch folder). Sets RUNS
# (default 3), TMP (a scratch folder under $TMPDIR, removed on exit), RT and
# GEN (rt-trace and rtt_tpgen in BUILD, configured as Release when BUILD is
# not configured yet, and always built), and defines:
#   measure CMD...            best-of-RUNS wall and CPU (user+sys) seconds
#                             and peak RSS (KiB) of CMD: "wall cpu kib"
#   record_db DB LOOPS [OPT...]  DB: `rt-trace record` of `rtt_tpgen loop
#                             LOOPS` (a tick, a task, an event dispatch a
#                             loop: 7 rtk events) with 16 sub-buffers of
#                             8 MiB, OPT added to record's options
# Cost: the build (nothing when up to date); otherwise nothing until called.
# shellcheck shell=bash
RUNS=${RUNS:-3}
TMP=${TMPDIR:-/tmp}/rtt-$BENCH-bench.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DRTK_BUILD_TESTS=OFF \
        -DRTK_BUILD_BENCH=OFF -DRTK_BUILD_EXAMPLES=OFF >/dev/null
fi
# Always brought up to date: a stale rtt_tpgen built against an older
# tracepoint header has its changed events refused by LTTng (another
# signature under the same name), and the trace silently lacks them.
cmake --build "$BUILD" -j"$(nproc)" --target rt-trace rtt_tpgen >/dev/null
RT=$BUILD/tools/rt-trace
GEN=$BUILD/tools/rtt_tpgen

# FRESH, when set, is a file removed before each run (the output of a
# command that will not write over it). CPU time is the steadier figure on
# a shared machine.
measure() {
    local best="" cpu="" rss=0 e u s k c
    for _ in $(seq "$RUNS"); do
        [ -z "${FRESH:-}" ] || rm -f "$FRESH"
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

# Big buffers, so that the generator at full speed loses nothing; record's
# stderr is shown when it fails.
record_db() {
    local db=$1 loops=$2
    shift 2
    rm -f "$db"
    "$RT" record -q -o "$db" --subbuf-size 8M --num-subbuf 16 "$@" -- "$GEN" loop "$loops" \
        >/dev/null 2>"$TMP/rec.txt" || { cat "$TMP/rec.txt" >&2; exit 1; }
}
