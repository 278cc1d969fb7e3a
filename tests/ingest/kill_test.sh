#!/usr/bin/env bash
# kill_test.sh - rt-trace ingest's output is atomic under kill -9.
#
#   kill_test.sh RT_TRACE TPGEN WORKDIR [TRIALS]     (TRIALS default 50)
#
# Records one large trace once (`rtt_tpgen loop`, KILL_TEST_LOOP x 7 rtk
# events, default 40000 x 7 = 280 000: an ingest of about 0.3-1 s) and a
# tiny one (`rtt_tpgen script`, whose database is the "existing" one). Each
# trial ingests the large trace
#   (a) into a new path and
#   (b) into a fresh copy of the small database,
# sending SIGKILL after a pseudo-random delay (an LCG seeded with
# KILL_TEST_SEED, so the sequence of delays is the same every run) spread
# over 0 .. 1.2 x the measured duration of a clean ingest of that kind.
# The fault injection is the point: the delay IS the test input.
# Then it checks, through `rt-trace sql`:
#   (a) the final path does not exist, or it is complete (integrity_check
#       ok, the event count of a clean ingest); after a following successful
#       ingest to the same path no temp file (.run.db.rtt-tmp-PID) is left;
#   (b) the database is exactly the old one (same counts) or the complete
#       new one, integrity ok, read through rt-trace's read-only open right
#       away: a kill mid-transaction leaves a hot journal, which that open
#       rolls back first (store/db.c). Such trials are marked "hot journal".
# Before the trials, cases without timing luck: a failing ingest (an empty
# directory; an ingest stopped by SIGTERM) leaves neither the database nor a
# temp file; a database created at the final path by someone else during
# the ingest is not overwritten; stale temp files of dead pids are removed
# and those of live pids kept.
# The ingest decodes and writes in a child process (ingest/isolate.c) that
# dies with it (PR_SET_PDEATHSIG): a kill -9 of rt-trace ends both.
# Prints one line per trial and the figures:
#   kill_test: N trials, A killed before done, B completed, 0 corrupt (...)
#   kill_test: new path: X no database, Y complete | existing: U old, V new, H hot journals
# where A and B count ingests (two per trial); exits 1 on any violation.
set -u
if [ $# -lt 3 ]; then
    echo "usage: kill_test.sh RT_TRACE TPGEN WORKDIR [TRIALS]" >&2
    exit 2
fi
RT=$1 GEN=$2 WORK=$3 TRIALS=${4:-50}
LOOP=${KILL_TEST_LOOP:-40000}
SEED=${KILL_TEST_SEED:-20260301}
D="$WORK/kill9"
rm -rf "$D" && mkdir -p "$D" && cd "$D" || exit 1

fails=0
fail() { echo "FAIL [kill9]: $*" >&2; fails=$((fails + 1)); }
# One value from `rt-trace sql DB SQL` (read-only open), or the error line.
sqlv() { "$RT" sql "$1" "$2" --format csv 2>&1 | sed -n '2p' | tr -d '\r'; }
# Temp files of DIR/run.db.
temps() { ls -A "$1" | grep -F '.run.db.rtt-tmp-'; }
now_ns() { date +%s%N; }
# Seconds, 3 decimals, of NS nanoseconds.
secs() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1e9 }'; }

# Deterministic pseudo-random numbers in [0, 2^31).
rnd=$SEED
next_rnd() { rnd=$(((rnd * 1103515245 + 12345) % 2147483648)); }

# Wall time in ns of one clean ingest: ingest TRACE DB.
timed_ingest() {
    local t0 t1
    t0=$(now_ns)
    "$RT" ingest -q "$1" -o "$2" || return 1
    t1=$(now_ns)
    echo $((t1 - t0))
}

# --- traces and reference databases -----------------------------------
"$RT" record -q -o small.db --keep-trace small -- "$GEN" script || { echo "record small failed" >&2; exit 1; }
"$RT" record -q -o big.db --subbuf-size 8M --num-subbuf 16 --keep-trace big -- "$GEN" loop "$LOOP" ||
    { echo "record big failed" >&2; exit 1; }
SMALL_EV=$(sqlv small.db "SELECT SUM(events) FROM traces")
SMALL_TASKS=$(sqlv small.db "SELECT COUNT(*) FROM tasks")
BIG_EV=$(sqlv big.db "SELECT SUM(events) FROM traces")
BIG_TASKS=$(sqlv big.db "SELECT COUNT(*) FROM tasks")
rm -f big.db
# Clean ingests: the reference counts and durations (best of two).
mkdir ref
dur_a=0
for i in 1 2; do
    rm -f ref/new.db
    t=$(timed_ingest big ref/new.db) || { echo "clean ingest failed" >&2; exit 1; }
    if [ "$dur_a" -eq 0 ] || [ "$t" -lt "$dur_a" ]; then dur_a=$t; fi
done
dur_b=0
for i in 1 2; do
    cp small.db ref/old.db
    t=$(timed_ingest big ref/old.db) || { echo "clean ingest failed" >&2; exit 1; }
    if [ "$dur_b" -eq 0 ] || [ "$t" -lt "$dur_b" ]; then dur_b=$t; fi
done
[ "$(sqlv ref/new.db "SELECT SUM(events) FROM traces")" = "$BIG_EV" ] || fail "clean ingest: events differ from record's"
NEW_B="$((SMALL_EV + BIG_EV)):2:$((SMALL_TASKS + BIG_TASKS))"
OLD_B="$SMALL_EV:1:$SMALL_TASKS"
[ "$(sqlv ref/old.db "SELECT SUM(events)||':'||COUNT(*)||':'||(SELECT COUNT(*) FROM tasks) FROM traces")" = "$NEW_B" ] ||
    fail "clean ingest into the small database: expected $NEW_B"
rm -rf ref
echo "kill_test: big trace $BIG_EV rtk events; clean ingest $(secs "$dur_a") s new, $(secs "$dur_b") s existing; seed $SEED"

# --- failures leave nothing --------------------------------------------
mkdir empty f
"$RT" ingest -q empty -o f/run.db 2>/dev/null && fail "ingest of an empty directory succeeded"
[ -z "$(ls -A f)" ] || fail "failed ingest (empty directory) left: $(ls -A f)"
# Stopped by SIGTERM mid-ingest (fails after rows were written).
stopped=0
for frac in 40 20 10; do
    "$RT" ingest -q big -o f/run.db 2>f.err &
    pid=$!
    sleep "$(secs $((dur_a * frac / 100)))"
    kill -TERM $pid 2>/dev/null
    wait $pid && { rm -f f/run.db; continue; }
    stopped=1
    grep -q "interrupted" f.err || fail "SIGTERM: unexpected error: $(cat f.err)"
    break
done
[ $stopped -eq 1 ] || fail "SIGTERM never stopped an ingest"
[ -z "$(ls -A f)" ] || fail "interrupted ingest left: $(ls -A f)"
# A database created at the final path meanwhile is not overwritten.
mkdir g
raced=0
for frac in 40 20 10; do
    "$RT" ingest -q big -o g/run.db 2>g.err &
    pid=$!
    sleep "$(secs $((dur_a * frac / 100)))"
    if (set -C; echo "someone else's" >g/run.db) 2>/dev/null; then
        wait $pid && fail "ingest succeeded although g/run.db appeared meanwhile"
        raced=1
        [ "$(cat g/run.db)" = "someone else's" ] || fail "g/run.db was overwritten"
        grep -q "created by another process during the ingest, not overwritten: g/run.db" g.err ||
            fail "appeared meanwhile: unexpected error: $(cat g.err)"
        [ "$(wc -l <g.err)" -eq 1 ] || fail "appeared meanwhile: not one line: $(cat g.err)"
        [ -z "$(temps g)" ] || fail "appeared meanwhile: left $(temps g)"
        break
    fi
    wait $pid
    rm -f g/run.db
done
[ $raced -eq 1 ] || fail "never created g/run.db during an ingest"
# Stale temp files: a dead pid's are removed, a live pid's (ours) kept.
mkdir h
true &
dead=$!
wait $dead
: >"h/.run.db.rtt-tmp-$dead"
: >"h/.run.db.rtt-tmp-$dead-journal"
: >"h/.run.db.rtt-tmp-$$"
: >"h/.other.db.rtt-tmp-$dead"
"$RT" ingest -q small -o h/run.db || fail "ingest with stale temp files"
[ "$(ls -A h | LC_ALL=C sort | tr '\n' ' ')" = ".other.db.rtt-tmp-$dead .run.db.rtt-tmp-$$ run.db " ] ||
    fail "stale temp files: left $(ls -A h | tr '\n' ' ')"
rm -rf empty f g h f.err g.err
echo "kill_test: failing, interrupted and raced ingests leave no temp file; stale temp files removed"

# --- the trials --------------------------------------------------------
killed=0 completed=0 corrupt=0
ka=0 ca=0 kb=0 cb=0 hot=0 na_db=0 na_none=0 nb_old=0 nb_new=0
bad() { corrupt=$((corrupt + 1)); fail "trial $t: $*"; }
mkdir a b
for t in $(seq 1 "$TRIALS"); do
    # (a) a new path
    rm -rf a && mkdir a
    next_rnd
    da=$((rnd * 12 / 10 * (dur_a / 1000000) / 2147483648)) # ms
    "$RT" ingest -q big -o a/run.db 2>a.err &
    pid=$!
    sleep "$(secs $((da * 1000000)))"
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null # (no "Killed" line)
    rc=$?
    if [ $rc -eq 0 ]; then
        ra=completed ca=$((ca + 1))
    elif [ $rc -eq 137 ]; then
        ra=killed ka=$((ka + 1))
    else
        ra="exit $rc"
        bad "new path: exit $rc: $(cat a.err)"
    fi
    if [ -e a/run.db ]; then
        sa=complete na_db=$((na_db + 1))
        ic=$(sqlv a/run.db "PRAGMA integrity_check")
        ev=$(sqlv a/run.db "SELECT SUM(events) FROM traces")
        [ "$ic" = ok ] || bad "new path: integrity_check: $ic"
        [ "$ev" = "$BIG_EV" ] || bad "new path: $ev events, expected $BIG_EV"
    else
        sa="no db" na_none=$((na_none + 1))
        [ $rc -ne 0 ] || bad "new path: exit 0 but no database"
    fi
    nt=$(temps a | wc -l)
    "$RT" ingest -q small -o a/run.db 2>a.err || bad "new path: the following ingest failed: $(cat a.err)"
    [ -z "$(temps a)" ] || bad "new path: temp files after the following ingest: $(temps a | tr '\n' ' ')"

    # (b) an existing database
    rm -rf b && mkdir b && cp small.db b/run.db
    next_rnd
    db_=$((rnd * 12 / 10 * (dur_b / 1000000) / 2147483648))
    "$RT" ingest -q big -o b/run.db 2>b.err &
    pid=$!
    sleep "$(secs $((db_ * 1000000)))"
    kill -KILL $pid 2>/dev/null
    wait $pid 2>/dev/null # (no "Killed" line)
    rc=$?
    if [ $rc -eq 0 ]; then
        rb=completed cb=$((cb + 1))
    elif [ $rc -eq 137 ]; then
        rb=killed kb=$((kb + 1))
    else
        rb="exit $rc"
        bad "existing: exit $rc: $(cat b.err)"
    fi
    note=""
    if [ -s b/run.db-journal ]; then
        # A hot journal (or the dying child's live one): rt-trace's
        # read-only open below must cope with it by itself.
        note=", hot journal"
        hot=$((hot + 1))
    fi
    ic=$(sqlv b/run.db "PRAGMA integrity_check")
    got=$(sqlv b/run.db "SELECT SUM(events)||':'||COUNT(*)||':'||(SELECT COUNT(*) FROM tasks) FROM traces")
    [ "$ic" = ok ] || bad "existing: integrity_check: $ic"
    if [ "$got" = "$OLD_B" ]; then
        sb=old nb_old=$((nb_old + 1))
        [ $rc -ne 0 ] || bad "existing: exit 0 but the database is the old one"
    elif [ "$got" = "$NEW_B" ]; then
        sb=new nb_new=$((nb_new + 1))
    else
        sb="neither ($got)"
        bad "existing: events:traces:tasks $got, expected $OLD_B or $NEW_B"
    fi
    printf 'trial %3d: new path: kill at %5s s %-9s -> %-8s (%d tmp left, then none) | existing: kill at %5s s %-9s -> %s%s\n' \
        "$t" "$(secs $((da * 1000000)))" "$ra" "$sa" "$nt" "$(secs $((db_ * 1000000)))" "$rb" "$sb" "$note"
done
killed=$((ka + kb)) completed=$((ca + cb))
rm -rf a b a.err b.err
echo "kill_test: $TRIALS trials, $killed killed before done, $completed completed, $corrupt corrupt" \
    "($((2 * TRIALS)) ingests; new path $ka killed / $ca completed, existing $kb killed / $cb completed)"
echo "kill_test: new path: $na_none no database, $na_db complete | existing: $nb_old old, $nb_new new," \
    "$hot hot journals read through rt-trace's read-only open"
# The trials must have killed ingests of each kind (how many complete
# first depends on the machine's load, so it is reported, not asserted).
[ "$ka" -gt 0 ] && [ "$kb" -gt 0 ] || fail "no ingest of one kind was killed: the kill points miss"
if [ $fails -ne 0 ]; then
    echo "kill_test: $fails failure(s); files in $D" >&2
    exit 1
fi
cd / && rm -rf "$D"
exit 0
