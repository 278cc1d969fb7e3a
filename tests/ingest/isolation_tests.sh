#!/usr/bin/env bash
# isolation_tests.sh - rt-trace ingest survives babeltrace2 aborting or
# hanging (the decoding runs in a child process, ingest/isolate.c), stops
# at once on SIGINT/SIGTERM, and a read-only open copes with a hot journal.
#
#   isolation_tests.sh RT_TRACE TPGEN WORKDIR CASE
#
# The bad traces are damaged copies of a real recorded one (`rtt_tpgen
# script`): its metadata cut to 100 bytes (babeltrace2 2.0 loops forever
# while the source component is added), and an LTTng index whose first
# packet offset lies past the end of its stream file (babeltrace2 2.0's
# ds_file_mmap() assertion: SIGABRT). Each CASE is one CTest test; every
# assertion compares exact messages, exit statuses and database contents.
set -u
RT=$1 GEN=$2 WORK=$3 CASE=$4
D="$WORK/iso_$CASE"
support=$(cd "$(dirname "$0")/../support" && pwd) || exit 1
rm -rf "$D" && mkdir -p "$D" && cd "$D" || exit 1
HERE=$(pwd -P)

fails=0
. "$support/checks.sh" # fail, q, eq, expect_line
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# No database, no temp file, no journal left in the current directory
# under the name $1.
nothing_left() {
    local left
    left=$(ls -A | grep -F "$1" | tr '\n' ' ')
    [ -z "$left" ] || fail "left behind: $left"
}
# The trace dir (relative) of a recorded trace tree $1.
trace_dir() { dirname "$(find "$1" -name metadata | head -1)"; }

# A real trace and its database.
"$RT" record -q -o good.db --keep-trace tr -- "$GEN" script || { echo "record failed" >&2; exit 1; }
T=$(trace_dir tr)          # tr/ust/uid/N/64-bit
SUB=${T#tr/}
GOOD_SUM=$(md5sum <good.db)
# The hang: metadata cut to 100 bytes.
make_hang() { cp -r tr "$1" && truncate -s 100 "$1/$SUB/metadata"; }
# The abort: the first index entry's packet offset (bytes 16..23, big
# endian) set to 2^32, far past the end of the stream file. Only
# babeltrace2 reads the LTTng index: rt-trace's own CTF reader walks the
# packets themselves and reads this trace whole, so the cases that need
# babeltrace2 to abort ask for it (RTT_DECODER=babeltrace2).
make_abort() {
    cp -r tr "$1"
    local idx
    idx=$(ls "$1/$SUB"/index/*.idx | tail -1)
    printf '\000\000\000\001\000\000\000\000' | dd of="$idx" bs=1 seek=16 conv=notrunc 2>/dev/null
    basename "$idx" .idx
}

case $CASE in
abort | folder) export RTT_DECODER=babeltrace2 ;;
esac
case $CASE in
hang)
    # babeltrace2 loops while the source is added: the watchdog stops it.
    make_hang bad
    t0=$(now_ms)
    expect_line 1 "rt-trace ingest: babeltrace2 hung (no progress for 2 s) while reading $HERE/bad/$SUB/metadata" \
        -- "$RT" ingest bad -o x.db --decode-timeout 2
    ms=$(($(now_ms) - t0))
    [ "$ms" -ge 2000 ] || fail "stopped after $ms ms, before the 2 s timeout"
    [ "$ms" -lt 10000 ] || fail "took $ms ms with --decode-timeout 2"
    nothing_left x.db
    # Into an existing database: unchanged, no journal.
    cp good.db e.db
    expect_line 1 "rt-trace ingest: babeltrace2 hung (no progress for 1.5 s) while reading $HERE/bad/$SUB/metadata" \
        -- "$RT" ingest bad -o e.db --decode-timeout=1.5
    [ "$(md5sum <e.db)" = "$GOOD_SUM" ] || fail "e.db changed by a hung ingest"
    [ ! -e e.db-journal ] || fail "e.db-journal left behind"
    # The option's bad values: usage errors.
    expect_line 2 "rt-trace ingest: --decode-timeout needs a number of seconds from 1 to 1000000, got: 0" \
        -- "$RT" ingest tr -o y.db --decode-timeout 0
    expect_line 2 "rt-trace ingest: --decode-timeout needs a number of seconds from 1 to 1000000, got: 5s" \
        -- "$RT" ingest tr -o y.db --decode-timeout 5s
    expect_line 2 "rt-trace ingest: --decode-timeout needs a number of seconds from 1 to 1000000, got: nothing" \
        -- "$RT" ingest tr -o y.db --decode-timeout
    nothing_left y.db
    "$RT" ingest --help | grep -q -- "--decode-timeout SECONDS" || fail "--help lacks --decode-timeout"
    ;;
abort)
    # babeltrace2 hits an assertion (SIGABRT) while reading a stream.
    s=$(make_abort bad)
    { babeltrace2 -o dummy bad >/dev/null 2>&1; } 2>/dev/null # (no "Aborted" line)
    bt_rc=$?
    if [ $bt_rc -eq 134 ]; then
        msg="rt-trace ingest: babeltrace2 aborted while reading $HERE/bad/$SUB/$s"
    else
        # A babeltrace2 that reports this damage as an error instead.
        echo "note: babeltrace2 exits $bt_rc on this trace (no abort)"
        msg=$("$RT" ingest bad -o probe.db 2>&1)
        case $msg in "rt-trace ingest: cannot "*"$HERE/bad"*) ;; *) fail "unexpected error: $msg" ;; esac
    fi
    expect_line 1 "$msg" -- "$RT" ingest bad -o x.db
    nothing_left x.db
    nothing_left probe.db
    cp good.db e.db
    expect_line 1 "$msg" -- "$RT" ingest bad -o e.db --force
    [ "$(md5sum <e.db)" = "$GOOD_SUM" ] || fail "e.db changed by an aborted ingest"
    [ ! -e e.db-journal ] || fail "e.db-journal left behind"
    eq=$(q e.db "SELECT count(*) || ':' || sum(events) FROM traces")
    [ "$eq" = "1:672" ] || fail "e.db after the abort: traces:events $eq, expected 1:672"
    ;;
signals)
    # SIGTERM and SIGINT while babeltrace2 hangs: the child is killed at
    # once, exit 128+N, one line, nothing left. The signal is sent once
    # the child has spent 0.2 s of CPU time in the hang (its where report,
    # TRACE/metadata, comes before).
    make_hang bad
    cp good.db e.db
    for sig in TERM INT; do
        for out in n.db e.db; do
            "$RT" ingest bad -o $out --decode-timeout 600 >out.txt 2>err.txt &
            pid=$!
            child=""
            for _ in $(seq 200); do
                child=$(pgrep -P $pid)
                [ -n "$child" ] && [ "$(awk '{print $14}' /proc/"$child"/stat 2>/dev/null || echo 0)" -ge 20 ] && break
                sleep 0.05
            done
            [ -n "$child" ] || fail "$sig: no child process"
            t0=$(now_ms)
            kill -$sig $pid
            wait $pid
            rc=$?
            ms=$(($(now_ms) - t0))
            want=$((128 + $(kill -l $sig)))
            [ $rc -eq $want ] || fail "$sig into $out: exit $rc, expected $want"
            [ "$(cat err.txt)" = "rt-trace ingest: interrupted by SIG$sig while reading $HERE/bad/$SUB/metadata" ] ||
                fail "$sig into $out: stderr [$(cat err.txt)]"
            [ "$ms" -lt 3000 ] || fail "$sig into $out: took $ms ms to stop"
            [ -n "$child" ] && kill -0 "$child" 2>/dev/null && fail "$sig into $out: child $child still running"
            [ ! -s out.txt ] || fail "$sig: unexpected stdout"
        done
        nothing_left n.db
        [ "$(md5sum <e.db)" = "$GOOD_SUM" ] || fail "$sig: e.db changed"
        [ ! -e e.db-journal ] || fail "$sig: e.db-journal left behind"
    done
    # kill -9 of rt-trace: the child dies with it (PR_SET_PDEATHSIG); it
    # is dead once it is a zombie (state Z) or gone.
    "$RT" ingest bad -o k.db --decode-timeout 600 2>/dev/null &
    pid=$!
    child=""
    for _ in $(seq 200); do
        child=$(pgrep -P $pid) && break
        sleep 0.05
    done
    kill -KILL $pid
    wait $pid 2>/dev/null
    state=""
    for _ in $(seq 100); do
        state=$(awk '{print $3}' /proc/"$child"/stat 2>/dev/null)
        [ -z "$state" ] || [ "$state" = Z ] && break
        sleep 0.05
    done
    [ -n "$child" ] && { [ -z "$state" ] || [ "$state" = Z ]; } || fail "kill -9: child $child still running (state $state)"
    ;;
folder)
    # One bad trace among good ones: nothing is written (one transaction,
    # docs/rt-trace.md), the error names the bad trace; without it the
    # good ones go in.
    mkdir runs
    "$RT" record -q -o a.db --keep-trace runs/a -- "$GEN" script || fail "record a"
    "$RT" record -q -o c.db --keep-trace runs/c -- "$GEN" script || fail "record c"
    s=$(make_abort runs/b)
    { babeltrace2 -o dummy runs/b >/dev/null 2>&1; } 2>/dev/null
    if [ $? -ne 134 ]; then
        echo "note: babeltrace2 does not abort on this trace; using the hang"
        rm -rf runs/b && make_hang runs/b
        msg="rt-trace ingest: babeltrace2 hung (no progress for 2 s) while reading $HERE/runs/b/$SUB/metadata"
    else
        msg="rt-trace ingest: babeltrace2 aborted while reading $HERE/runs/b/$SUB/$s"
    fi
    expect_line 1 "$msg" -- "$RT" ingest runs -o x.db --decode-timeout 2
    nothing_left x.db
    cp good.db e.db
    expect_line 1 "$msg" -- "$RT" ingest runs -o e.db --decode-timeout 2
    [ "$(md5sum <e.db)" = "$GOOD_SUM" ] || fail "e.db changed"
    # Also with the hang in the folder.
    rm -rf runs/b && make_hang runs/b
    expect_line 1 "rt-trace ingest: babeltrace2 hung (no progress for 2 s) while reading $HERE/runs/b/$SUB/metadata" \
        -- "$RT" ingest runs -o x.db --decode-timeout 2
    nothing_left x.db
    mv runs/b bad-aside
    "$RT" ingest -q runs -o x.db || fail "ingest of the good traces"
    [ "$(q x.db "SELECT count(*) || ':' || sum(events) FROM traces")" = "2:1344" ] ||
        fail "good traces: traces:events $(q x.db "SELECT count(*) || ':' || sum(events) FROM traces")"
    ;;
hot_journal)
    # A writer killed mid-transaction leaves a hot journal; rt-trace's
    # read-only open rolls it back first.
    cp good.db h.db
    { sqlite3 h.db "PRAGMA cache_size=2; BEGIN; DELETE FROM tasks; UPDATE traces SET events=0;" \
        ".shell kill -9 \$PPID" >/dev/null 2>&1; } 2>/dev/null
    [ -s h.db-journal ] || fail "no hot journal made"
    [ "$("$RT" sql h.db "PRAGMA integrity_check" --format csv 2>&1 | tr -d '\r')" = "$(printf 'integrity_check\nok')" ] ||
        fail "integrity_check through the read-only open failed"
    [ ! -e h.db-journal ] || fail "journal not rolled back"
    [ "$(md5sum <h.db)" = "$GOOD_SUM" ] || fail "h.db differs from the original after the rollback"
    [ "$("$RT" sql h.db "SELECT count(*) FROM tasks" --format csv | sed -n 2p | tr -d '\r')" = 122 ] || fail "tasks after rollback"
    "$RT" summary h.db >sum.txt 2>&1 || fail "summary after rollback: $(cat sum.txt)"
    # Without write access the rollback cannot happen: say so.
    if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
        mkdir ro && cp good.db ro/h.db
        { sqlite3 ro/h.db "PRAGMA cache_size=2; BEGIN; DELETE FROM tasks;" ".shell kill -9 \$PPID" >/dev/null 2>&1; } 2>/dev/null
        chmod 755 ro && chmod 644 ro/h.db ro/h.db-journal
        before=$(md5sum <ro/h.db)
        expect_line 1 "rt-trace sql: ro/h.db: a killed write left ro/h.db-journal to roll back, but this user cannot write the database or its directory: open it once with write access (attempt to write a readonly database)" \
            -- setpriv --reuid=65534 --regid=65534 --clear-groups "$RT" sql ro/h.db "SELECT 1"
        [ "$before" = "$(md5sum <ro/h.db)" ] || fail "ro/h.db changed"
        [ -s ro/h.db-journal ] || fail "ro/h.db-journal gone"
    else
        echo "note: not root or no setpriv: the no-write-access case is skipped"
    fi
    ;;
*)
    echo "unknown case $CASE" >&2
    exit 2
    ;;
esac

if [ $fails -ne 0 ]; then
    echo "[$CASE] $fails failure(s); files in $D" >&2
    exit 1
fi
cd / && rm -rf "$D"
echo "[$CASE] ok"
