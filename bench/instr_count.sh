#!/bin/bash
# bench/instr_count.sh - instructions per operation, counted by valgrind
# (cachegrind; callgrind where the two sides of a cross-thread item are
# told apart by thread), for the rows whose goal is a few per cent or a
# ratio that this 2-vCPU VM's clock cannot resolve: the same binary's
# no-op task takes 12 ns in one run and 18 ns in the next.
#
# Each figure is a difference of two runs, one twice the size of the
# other, divided by the operations the larger one added: start-up, the
# warm-up's fixed part and the tracer's set-up cancel out. Counts are
# exact and repeatable (the same binary gives the same count to within a
# few instructions); they are not time (a cache miss is one instruction),
# so they judge code paths, not memory behaviour.
#
# Rows (RESULT lines, as the other benchmarks print):
#   instr_defer  rtk:off, rtk:nosession   a no-op task scheduled by a task
#                                         and run (bench_rtk defer): the
#                                         tracing compiled out / compiled in
#                                         with no session;
#   instr_defer  rtk:recording            the same under a session recording
#                                         rtk:* (3 events per task);
#   instr_tp     tp:recording             one bare LTTng-UST tracepoint
#                                         (bench_tp) under a session;
#   instr_xthread rtk:producer, rtk:loop  one task sent from another thread
#                                         (bench_xthread_cost 1): the
#                                         producer's side and the loop's
#                                         (collect, pop, run);
#   instr_xthread uv, glib:lockq, event   the peers' xthread run (2 producers,
#                                         one item per call), both sides;
#   instr_xthread_batch rtk:producer, rtk:loop   the same in batches of 64
#                                         (bench_xthread_cost 1 ITEMS 64:
#                                         rtk_schedule_many, as the row);
#   instr_xthread_batch uv, glib:lockq, event    the peers' xthread_batch run,
#                                         both sides, the bench's own work
#                                         (building, checking items) included;
#   instr_tick   rtk                      an empty rtk_tick (bench_tick_cost).
# The recording rows need an LTTng session daemon (bench/run.sh starts
# one); without one they are skipped with a message.
#
# Usage: bench/instr_count.sh [BENCH_BIN_DIR]   (default build/release/bench)
# Takes about 2 minutes (valgrind runs code ~50x slower).
set -euo pipefail

bin=${1:-build/release/bench}
if ! command -v valgrind >/dev/null; then
    echo "bench/instr_count.sh: valgrind is not installed: no instruction rows" >&2
    exit 0
fi
case "$bin" in -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
for b in bench_rtk bench_rtk_notrace bench_xthread_cost bench_tick_cost; do
    [ -x "$bin/$b" ] || { echo "bench/instr_count.sh: $bin/$b not built (cmake --build BUILD --target $b)" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rtk-instr.XXXXXX")
sessions=()
cleanup() {
    for s in "${sessions[@]}"; do lttng destroy "$s" >/dev/null 2>&1 || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

# irefs CMD...: instructions CMD executed, all threads.
irefs() {
    local n
    n=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$@" 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,)
    [ -n "$n" ] || { echo "bench/instr_count.sh: valgrind gave no count for: $*" >&2; exit 1; }
    echo "$n"
}

# row BENCH LIB SMALL LARGE OPS UNIT NOTE: (LARGE - SMALL) / OPS.
row() {
    awk -v b="$1" -v l="$2" -v a="$3" -v z="$4" -v n="$5" -v u="$6" -v note="$7" \
        'BEGIN { printf "RESULT\t%s\t%s\t%.1f\t%s\t%s\n", b, l, (z - a) / n, u, note }'
}

# --- defer: compiled out and no session --------------------------------------
# bench_rtk defer runs a warm-up of n/8 tasks, then n: 2n adds 9n/8 tasks.
n=65536
for mode in off nosession; do
    b=bench_rtk; [ "$mode" = off ] && b=bench_rtk_notrace
    a=$(BENCH_TRACE_MODE=$mode BENCH_DEFER_COUNT=$n irefs "$bin/$b" defer)
    z=$(BENCH_TRACE_MODE=$mode BENCH_DEFER_COUNT=$((2 * n)) irefs "$bin/$b" defer)
    row instr_defer "rtk:$mode" "$a" "$z" $((n * 9 / 8)) instr/task "valgrind, $n vs $((2 * n)) tasks"
done

# --- recording: rtk's three events per task against one bare tracepoint -------
# start_session EVENTS: a session recording EVENTS into $tmp; prints its name.
start_session() {
    local s="rtkinstr-$$-$RANDOM"
    lttng create "$s" --output="$tmp/$s" >/dev/null &&
        lttng enable-channel -u -s "$s" bench --subbuf-size=8M --num-subbuf=8 >/dev/null &&
        lttng enable-event -u -s "$s" -c bench "$1" >/dev/null &&
        lttng start "$s" >/dev/null || return 1
    echo "$s"
}
stop_session() {
    lttng destroy "$1" >/dev/null 2>&1 || true
    rm -rf "${tmp:?}/$1"
}
if command -v lttng >/dev/null && lttng list >/dev/null 2>&1 && [ -x "$bin/bench_tp" ]; then
    s=$(start_session 'rtk:*'); sessions+=("$s")
    a=$(BENCH_TRACE_MODE=recording BENCH_DEFER_COUNT=$n irefs "$bin/bench_rtk" defer)
    z=$(BENCH_TRACE_MODE=recording BENCH_DEFER_COUNT=$((2 * n)) irefs "$bin/bench_rtk" defer)
    stop_session "$s"
    row instr_defer rtk:recording "$a" "$z" $((n * 9 / 8)) instr/task "valgrind, under a session recording rtk:*"
    # bench_tp runs a warm-up of n/10, then n: 2n adds 11n/10.
    s=$(start_session 'rtk_bench:*'); sessions+=("$s")
    a=$(irefs "$bin/bench_tp" recording $((n * 2)))
    z=$(irefs "$bin/bench_tp" recording $((n * 4)))
    stop_session "$s"
    row instr_tp tp:recording "$a" "$z" $((n * 2 * 11 / 10)) instr/op "valgrind, under a session recording rtk_bench:*"
else
    echo "bench/instr_count.sh: no LTTng session daemon (or no bench_tp): recording rows skipped" >&2
fi

# --- cross-thread: rtk's two sides --------------------------------------------
# bench_xthread_cost 1 ITEMS: 20 rounds of ITEMS tasks from one producer
# thread, then the loop runs them. Thread 1 is the loop; the producers are
# threads of their own (callgrind --separate-threads).
# sides ITEMS [BATCH]: "loop producers" instruction totals.
sides() {
    local out="$tmp/cg.$1.${2:-0}"
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" \
        "$bin/bench_xthread_cost" 1 "$1" "${2:-0}" >/dev/null 2>&1
    local loop=0 prod=0 f t
    for f in "$out"-*; do
        t=$(callgrind_annotate "$f" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
        if [ "${f##*-}" = 01 ]; then loop=$((loop + ${t:-0})); else prod=$((prod + ${t:-0})); fi
    done
    echo "$loop $prod"
}
read -r la pa < <(sides 20000)
read -r lz pz < <(sides 40000)
row instr_xthread rtk:producer "$pa" "$pz" $((20 * 20000)) instr/item "valgrind, bench_xthread_cost 1: the submitting thread"
row instr_xthread rtk:loop "$la" "$lz" $((20 * 20000)) instr/item "valgrind, bench_xthread_cost 1: collect, pop and run"
read -r la pa < <(sides 20000 64)
read -r lz pz < <(sides 40000 64)
row instr_xthread_batch rtk:producer "$pa" "$pz" $((20 * 20000)) instr/item "valgrind, bench_xthread_cost 1 ITEMS 64: the submitting thread (rtk_schedule_many)"
row instr_xthread_batch rtk:loop "$la" "$lz" $((20 * 20000)) instr/item "valgrind, bench_xthread_cost 1 ITEMS 64: collect and run"

# --- cross-thread: the peers, both sides ---------------------------------------
# xthread sends 2 x 1 M items; BENCH_XT_SCALE=k sends 2 x 1 M / k.
for lib in uv glib event; do
    [ -x "$bin/bench_$lib" ] || continue
    label=$lib; [ "$lib" = glib ] && label=glib:lockq
    a=$(BENCH_GLIB_XT=lockq BENCH_XT_SCALE=50 irefs "$bin/bench_$lib" xthread)
    z=$(BENCH_GLIB_XT=lockq BENCH_XT_SCALE=25 irefs "$bin/bench_$lib" xthread)
    row instr_xthread "$label" "$a" "$z" 40000 instr/item "valgrind, xthread (2 producers), both sides"
    a=$(BENCH_GLIB_XT=lockq BENCH_XT_SCALE=50 irefs "$bin/bench_$lib" xthread_batch)
    z=$(BENCH_GLIB_XT=lockq BENCH_XT_SCALE=25 irefs "$bin/bench_$lib" xthread_batch)
    row instr_xthread_batch "$label" "$a" "$z" 40000 instr/item "valgrind, xthread_batch (2 producers, 64 a batch), both sides"
done

# --- an empty tick ---------------------------------------------------------------
a=$(irefs "$bin/bench_tick_cost" 100000)
z=$(irefs "$bin/bench_tick_cost" 200000)
row instr_tick rtk "$a" "$z" 100000 instr/tick "valgrind, bench_tick_cost: an empty rtk_tick"
