#!/usr/bin/env bash
# ingest_tests.sh - rt-trace record/ingest tests against ground truth.
#
#   ingest_tests.sh RT_TRACE TPGEN WORKDIR CASE
#
# TPGEN (tools/rt-trace/tests/tpgen.c) emits a scripted, exactly known set
# of rtk tracepoints; every assertion below compares the database with that
# script, or with LTTng's / babeltrace2's own figures, never with rt-trace's
# own output. Each CASE is one CTest test. Needs root or a user session
# daemon (rt-trace record starts one if none runs).
set -u
RT=$1 GEN=$2 WORK=$3 CASE=$4
HERE=$(cd "$(dirname "$0")" && pwd)
D="$WORK/$CASE"
support=$(cd "$(dirname "$0")/../support" && pwd) || exit 1
rm -rf "$D" && mkdir -p "$D" && cd "$D" || exit 1

fails=0
. "$support/checks.sh" # fail, q, eq, expect_line
# expect_error EXIT_SET PATTERN -- CMD...: non-zero exit, one stderr line
# matching PATTERN, nothing on stdout.
expect_error() {
    local pat=$1; shift
    "$@" >out.txt 2>err.txt
    local rc=$?
    [ $rc -ne 0 ] || fail "$*: exit 0, expected failure"
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "$*: expected one stderr line, got: $(cat err.txt)"
    grep -q -- "$pat" err.txt || fail "$*: stderr [$(cat err.txt)] lacks [$pat]"
    [ ! -s out.txt ] || fail "$*: unexpected stdout: $(cat out.txt)"
    grep -qi "sanitizer\|segmentation\|core dumped" err.txt && fail "$*: crashed"
    return 0
}

# The rows of one `rtt_tpgen script` run in process $2 of database $1.
check_script_rows() {
    local db=$1 p=$2
    eq "$db" "SELECT count(*) FROM tasks WHERE proc=$p" 122 "tasks"
    eq "$db" "SELECT flags || ':' || count(*) FROM tasks WHERE proc=$p GROUP BY flags ORDER BY flags" \
        "$(printf '0:110\n1:2\n3:1\n6:9')" "task flags"
    eq "$db" "SELECT count(*) FROM tasks WHERE proc=$p AND outcome=1 AND status=-1 AND name='failing_task'" 7
    eq "$db" "SELECT count(*) FROM tasks WHERE proc=$p AND outcome=3 AND started_ts IS NULL AND flags=0 AND source=1 AND timer_id=777" 3
    eq "$db" "SELECT count(*) FROM tasks WHERE proc=$p AND name='ok_task' AND queued_ts<=started_ts AND started_ts<=finished_ts" 100
    eq "$db" "SELECT count(*) FROM tasks WHERE proc=$p AND name='dropped_task' AND flags=6" 5
    eq "$db" "SELECT count(*) FROM tasks WHERE proc=$p AND name='never_finishes' AND flags=6 AND finished_ts IS NULL" 4
    eq "$db" "SELECT count(*) FROM dispatches WHERE proc=$p" 56 "dispatches"
    eq "$db" "SELECT path || ':' || flags || ':' || count(*) FROM dispatches WHERE proc=$p GROUP BY path, flags ORDER BY path, flags" \
        "$(printf '0:0:40\n0:1:1\n0:4:2\n1:0:3\n2:0:10')" "dispatch paths"
    eq "$db" "SELECT count(*) FROM dispatches WHERE proc=$p AND flags=1 AND queued_ts IS NULL AND end_ts-begin_ts=100" 1
    eq "$db" "SELECT count(*) FROM dispatches WHERE proc=$p AND path=0 AND flags=0 AND end_ts-begin_ts=1000 AND result=1 AND handlers=2" 40
    eq "$db" "SELECT flags || ':' || count(*) FROM commands WHERE proc=$p GROUP BY flags ORDER BY flags" \
        "$(printf '0:8\n4:1')" "commands"
    eq "$db" "SELECT count(*) FROM commands WHERE proc=$p AND flags=0 AND sent_ts<=handled_ts AND cmd=2 AND priority=100" 8
    eq "$db" "SELECT count(*) || ':' || sum(rendered) || ':' || sum(flags) FROM ticks WHERE proc=$p" "50:10:0" "ticks"
    eq "$db" "SELECT count(*) FROM timers WHERE proc=$p" 6 "timers"
    eq "$db" "SELECT count(*) FROM timers WHERE proc=$p AND cancelled_ts IS NOT NULL" 3
    eq "$db" "SELECT count(*) FROM timers WHERE proc=$p AND name='periodic' AND interval_ns=1000000 AND deadline_ns=5000000" 4
    eq "$db" "SELECT count(*) || ':' || sum(lateness_ns) FROM timer_fires WHERE proc=$p" "22:2200" "timer fires"
    eq "$db" "SELECT count(*) || ':' || sum(coalesced) FROM render_requests WHERE proc=$p" "30:10" "render requests"
    eq "$db" "SELECT count(*) FROM renders WHERE proc=$p AND end_ts IS NOT NULL AND flags=0" 10
    eq "$db" "SELECT count(*) FROM renders WHERE proc=$p AND end_ts IS NULL AND flags=0" 2
    eq "$db" "SELECT reason || ':' || count(*) FROM drops WHERE proc=$p GROUP BY reason ORDER BY reason" \
        "$(printf '0:6\n3:2\n8:5')" "drops"
    eq "$db" "SELECT count(*) FROM state_changes WHERE proc=$p" 2
    eq "$db" "SELECT group_concat((ts - input_ts) || ':' || coalesce(name, '-') || ':' || input_ns, ' ') FROM (SELECT * FROM inputs WHERE proc=$p ORDER BY id)" \
        "0:key:1000000 1500:key:998501 40000:key:960002 0:click:1000010" "inputs (age at the mark)"
    eq "$db" "SELECT count(*) || ':' || sum(tasks_executed) || ':' || sum(idle_ns) FROM stats WHERE proc=$p" "3:153:723" "stats"
}

SCRIPT_EVENTS=672
# small_trace DIR: a one-stream CTF trace in DIR from the fuzzers' seed
# (fuzz/data: LTTng-UST metadata and one stream of 668 rtk events); the
# cases that use it need no LTTng session.
FUZZ_EVENTS=668
small_trace() {
    mkdir -p "$1" && cp "$HERE/../../fuzz/data/rtk.metadata" "$1/metadata" &&
        cp "$HERE/../../fuzz/data/rtk_0.stream" "$1/rtk_0"
}

case $CASE in
script_counts)
    # One process, per-UID buffers: every row exactly as scripted.
    "$RT" record -q -o run.db -- "$GEN" script || fail "record exit $?"
    eq run.db "SELECT count(*) FROM traces" 1
    eq run.db "SELECT events || ':' || buffering FROM traces" "$SCRIPT_EVENTS:per-uid"
    eq run.db "SELECT count(*) || ':' || min(procname) FROM procs" "1:rtt_tpgen"
    eq run.db "SELECT count(*) FROM tracer_loss" 0
    eq run.db "PRAGMA user_version" 4
    eq run.db "SELECT count(*) FROM sqlite_master WHERE type='index' AND sql IS NOT NULL" \
        "$(grep -c 'CREATE INDEX' "$HERE/../../tools/analysis/store/schema.sql")" "every index"
    eq run.db "PRAGMA integrity_check" ok
    check_script_rows run.db "$(q run.db 'SELECT proc FROM procs')"
    ;;
per_pid_procs)
    # Several processes, per-PID buffers: one trace and one process each.
    # --skip-unreadable: another process this session traces as well may
    # leave a trace LTTng never finished (one under valgrind did, beside a
    # CI run); the counts below still ask for all three of ours.
    "$RT" record -q --all-processes --skip-unreadable --buffering per-pid -o run.db --keep-trace tr -- "$GEN" procs 3 \
        || fail "record exit $?"
    [ "$(find tr -name metadata | grep -c /ust/pid/)" -ge 3 ] || fail "expected >= 3 per-PID traces"
    eq run.db "SELECT count(*) FROM procs WHERE procname='exe'" 3
    eq run.db "SELECT count(DISTINCT trace) FROM procs WHERE procname='exe'" 3
    eq run.db "SELECT count(*) FROM traces WHERE buffering='per-pid' AND vpid IS NOT NULL AND events=$SCRIPT_EVENTS" 3
    for p in $(q run.db "SELECT proc FROM procs WHERE procname='exe'"); do
        check_script_rows run.db "$p"
    done
    ;;
per_uid_procs)
    # Several processes in one per-UID trace: told apart by the vpid context.
    "$RT" record -q --all-processes -o run.db -- "$GEN" procs 3 || fail "record exit $?"
    eq run.db "SELECT count(*) FROM traces" 1
    eq run.db "SELECT count(*) FROM procs WHERE procname='exe'" 3
    eq run.db "SELECT count(DISTINCT vpid) FROM procs WHERE procname='exe'" 3
    for p in $(q run.db "SELECT proc FROM procs WHERE procname='exe'"); do
        check_script_rows run.db "$p"
    done
    ;;
hosts_and_reingest)
    # Two traces laid out as lttng-relayd writes several hosts, found under
    # one directory; the same traces again are refused, --force replaces.
    "$RT" record -q -o a.db --keep-trace t1 -- "$GEN" script || fail "record 1"
    "$RT" record -q -o b.db --keep-trace t2 -- "$GEN" script || fail "record 2"
    mkdir -p relay/hostA relay/hostB
    mv t1 relay/hostA/rtk-session-20260101-000000
    mv t2 relay/hostB/rtk-session-20260101-000001
    "$RT" ingest -q relay -o run.db || fail "ingest relay"
    eq run.db "SELECT count(*) || ':' || sum(events) FROM traces" "2:$((2 * SCRIPT_EVENTS))"
    eq run.db "SELECT count(*) FROM tasks" 244
    for p in $(q run.db "SELECT proc FROM procs"); do check_script_rows run.db "$p"; done
    before=$(md5sum run.db)
    expect_error "already in the database" "$RT" ingest -q relay/hostA -o run.db
    [ "$before" = "$(md5sum run.db)" ] || fail "refused re-ingest changed the database"
    "$RT" ingest -q --force relay/hostA -o run.db || fail "ingest --force"
    eq run.db "SELECT count(*) || ':' || sum(events) FROM traces" "2:$((2 * SCRIPT_EVENTS))" "after --force"
    eq run.db "SELECT count(*) FROM tasks" 244 "tasks after --force"
    ;;
discarded)
    # Tiny ring buffers: the tracer discards. rt-trace's stored count must
    # equal LTTng's own (the channel counter printed by record, and the sum
    # of babeltrace2's discarded-events warnings on the same trace).
    "$RT" record -o run.db --subbuf-size 4096 --num-subbuf 2 --keep-trace tr -- "$GEN" loop 100000 \
        2>err.txt || fail "record exit $?"
    lttng_count=$(sed -n 's/.*the tracer discarded \([0-9]*\) events.*/\1/p' err.txt)
    bt_count=$(babeltrace2 tr 2>&1 >/dev/null | sed -n 's/.*Tracer discarded \([0-9]*\) event.*/\1/p' |
        awk '{s += $1} END {print s + 0}')
    db_count=$(q run.db "SELECT coalesce(sum(count), 0) FROM tracer_loss WHERE what='events'")
    [ -n "$lttng_count" ] && [ "$lttng_count" -gt 0 ] || fail "expected the tracer to discard (stderr: $(cat err.txt))"
    [ "$db_count" = "$lttng_count" ] || fail "db discarded $db_count != LTTng channel $lttng_count"
    [ "$db_count" = "$bt_count" ] || fail "db discarded $db_count != babeltrace2 $bt_count"
    eq run.db "SELECT count(*) FROM tracer_loss WHERE begin_ts IS NULL OR end_ts < begin_ts OR stream = ''" 0
    kept=$(babeltrace2 tr 2>/dev/null | grep -c ' rtk:')
    eq run.db "SELECT events FROM traces" "$kept" "events = babeltrace2's event lines"
    # Every item with a lost half is kept and flagged, never mismatched.
    eq run.db "SELECT count(*) FROM tasks WHERE flags=0 AND NOT (queued_ts<=started_ts AND started_ts<=finished_ts)" 0
    ;;
exit_status)
    "$RT" record -q -o a.db -- "$GEN" script --exit 3; rc=$?
    [ $rc -eq 3 ] || fail "exit status $rc, expected 3"
    eq a.db "SELECT events FROM traces" $SCRIPT_EVENTS
    "$RT" record -q -o b.db -- "$GEN" script --signal 15; rc=$?
    [ $rc -eq 143 ] || fail "exit status $rc, expected 143"
    expect_error "cannot run program" "$RT" record -q -o c.db -- ./does-not-exist
    [ ! -e c.db ] || fail "c.db left behind"
    expect_error "no rtk events recorded" "$RT" record -q -o d.db -- true
    [ ! -e d.db ] || fail "d.db left behind"
    ;;
bad_input)
    "$RT" record -q -o good.db --keep-trace tr -- "$GEN" script || fail "record"
    T=$(dirname "$(find tr -name metadata | head -1)")
    expect_error "no such file or directory: missing" "$RT" ingest missing -o x.db
    mkdir empty
    expect_error "no CTF trace" "$RT" ingest empty -o x.db
    # Truncated stream files (each cut inside its first packet): read up to
    # their last whole packet, i.e. none, so no rtk events are left
    # (damage_tests.sh checks partial traces against babeltrace2); --strict
    # refuses them for the damage itself.
    cp -r tr trunc
    for f in trunc/"${T#tr/}"/rtk_*; do truncate -s 1000 "$f"; done
    expect_error "no rtk events" "$RT" ingest trunc -o x.db
    expect_error "truncated packet at offset 0 .*--strict refuses a damaged trace: $D/trunc/" "$RT" ingest --strict trunc -o x.db
    # Garbage in the middle of a stream (fails while reading, after rows
    # were written): no database left behind.
    cp -r tr midcorrupt
    f=$(ls -S midcorrupt/"${T#tr/}"/rtk_* | head -1)
    head -c 512 /dev/zero | tr '\0' '\377' | dd of="$f" bs=1 seek=2048 conv=notrunc 2>/dev/null
    expect_error "cannot read trace: .*midcorrupt" "$RT" ingest midcorrupt -o x.db
    # Corrupt metadata.
    cp -r tr corrupt
    printf 'garbage' >corrupt/"${T#tr/}"/metadata
    expect_error "cannot open trace" "$RT" ingest corrupt -o x.db
    # A CTF trace without rtk events (babeltrace2 converts text to CTF).
    printf '[    1.000000] hello\n' | babeltrace2 -c src.text.dmesg -c sink.ctf.fs -p 'path="nortk"' >/dev/null 2>&1
    expect_error "no rtk events" "$RT" ingest nortk -o x.db
    [ ! -e x.db ] || fail "x.db left behind"
    # Not SQLite, as output and as query input.
    printf 'this is not a database, just text that is long enough\n%.0s' {1..50} >notdb.db
    before=$(md5sum notdb.db)
    expect_error "not an rt-trace database (file is not SQLite)" "$RT" ingest tr -o notdb.db
    [ "$before" = "$(md5sum notdb.db)" ] || fail "notdb.db was modified"
    # Another schema version.
    cp good.db v7.db && sqlite3 v7.db "PRAGMA user_version=7"
    expect_error "schema version 7, this rt-trace reads 4" "$RT" ingest tr -o v7.db --force
    # Failure while adding to an existing database: rolled back, unchanged.
    before=$(md5sum good.db)
    expect_error "cannot read trace" "$RT" ingest --force midcorrupt -o good.db
    expect_error "already in the database" "$RT" ingest tr -o good.db
    [ "$before" = "$(md5sum good.db)" ] || fail "good.db changed by failed ingests"
    # Usage errors: exit 2, one line.
    expect_error "unknown option: --bogus" "$RT" ingest --bogus tr -o y.db
    "$RT" ingest --bogus tr -o y.db 2>/dev/null; [ $? -eq 2 ] || fail "unknown flag: exit not 2"
    expect_error "unknown option: --bogus" "$RT" record --bogus -- true
    expect_error "unknown command: bogus" "$RT" bogus
    expect_error "no trace directory" "$RT" ingest -o y.db
    # the sizes' parser is shared with live (args.c); record's words are its own
    expect_error "^rt-trace record: --subbuf-size wants a power of two: 1000$" \
        "$RT" record --subbuf-size 1000 -- true
    expect_error "^rt-trace record: --num-subbuf wants a power of two: 4kb$" \
        "$RT" record --num-subbuf 4kb -- true
    [ ! -e y.db ] || fail "y.db left behind"
    # None of the failed ingests above left a temp file (.X.db.rtt-tmp-PID).
    [ -z "$(ls -A | grep -F '.rtt-tmp-')" ] || fail "temp files left behind: $(ls -A | grep -F '.rtt-tmp-')"
    "$RT" --help | grep -q "ingest" || fail "--help"
    "$RT" --version | grep -q "^rt-trace [0-9]" || fail "--version"
    "$RT" ingest --help | grep -q "^usage: rt-trace ingest" || fail "ingest --help"
    "$RT" record --help | grep -q "^usage: rt-trace record" || fail "record --help"
    ;;
output_path)
    # -o that cannot be a database: one line, exit 2, before any trace is
    # read (the dangling links are refused even with a missing input: the
    # output is checked first).
    small_trace tr
    HERE_P=$(pwd -P)
    ln -s nowhere/x.db dangling.db
    expect_line 2 "rt-trace ingest: dangling symbolic link (to nowhere/x.db): dangling.db" \
        -- "$RT" ingest -q tr -o dangling.db
    expect_line 2 "rt-trace ingest: dangling symbolic link (to nowhere/x.db): dangling.db" \
        -- "$RT" ingest -q missing -o dangling.db
    [ "$(readlink dangling.db)" = nowhere/x.db ] || fail "dangling.db changed"
    ln -s target.db dangling2.db
    expect_line 2 "rt-trace ingest: dangling symbolic link (to target.db): dangling2.db" \
        -- "$RT" ingest -q tr -o dangling2.db
    [ ! -e target.db ] || fail "target.db created through a refused link"
    expect_line 2 'rt-trace ingest: empty database path (-o "")' -- "$RT" ingest -q tr -o ""
    expect_line 2 'rt-trace ingest: empty database path (-o "")' -- "$RT" ingest -q tr --output=
    mkdir adir
    expect_line 2 "rt-trace ingest: is a directory: adir/" -- "$RT" ingest -q tr -o adir/
    expect_line 2 "rt-trace ingest: is a directory: adir" -- "$RT" ingest -q tr -o adir
    ln -s adir dirlink
    expect_line 2 "rt-trace ingest: is a directory: dirlink" -- "$RT" ingest -q tr -o dirlink
    expect_line 2 "rt-trace ingest: not a database file name (ends in '/'): newdir/" \
        -- "$RT" ingest -q tr -o newdir/
    expect_line 2 "rt-trace ingest: no such directory: nowhere (for nowhere/x.db)" \
        -- "$RT" ingest -q tr -o nowhere/x.db
    mkfifo out.fifo
    expect_line 2 "rt-trace ingest: not a regular file: out.fifo" -- "$RT" ingest -q tr -o out.fifo
    [ -z "$(ls -A adir)" ] || fail "adir/ not empty: $(ls -A adir)"
    [ ! -e newdir ] && [ ! -e nowhere ] || fail "a directory was created"
    # A link to a file is followed: an existing database is added to, an
    # empty file replaced (the link stays a link), both through the link.
    mkdir real
    : >real/empty.db
    ln -s real/empty.db toempty.db
    "$RT" ingest -q tr -o toempty.db || fail "ingest through a link to an empty file: exit $?"
    [ -L toempty.db ] || fail "toempty.db is no longer a symbolic link"
    eq real/empty.db "SELECT count(*) || ':' || sum(events) FROM traces" "1:$FUZZ_EVENTS" "through the link"
    cp real/empty.db real/full.db
    ln -s "$HERE_P/real/full.db" tofull.db
    expect_error "already in the database" "$RT" ingest -q tr -o tofull.db
    "$RT" ingest -q --force tr -o tofull.db || fail "ingest --force through a link: exit $?"
    [ -L tofull.db ] || fail "tofull.db is no longer a symbolic link"
    eq real/full.db "SELECT count(*) || ':' || sum(events) FROM traces" "1:$FUZZ_EVENTS" "--force through the link"
    [ -z "$(ls -A | grep -F '.rtt-tmp-')$(ls -A real | grep -F '.rtt-tmp-')" ] || fail "temp files left behind"
    ;;
decode_timeout)
    # --decode-timeout takes 1 to 1000000 seconds: the decoding child
    # reports at least every 0.25 s, so less would call a healthy trace
    # hung. Below, above, not finite, not a number: exit 2, one line.
    small_trace tr
    for v in 1e-300 0.5 0 -1 1000001 inf nan 5s; do
        expect_line 2 "rt-trace ingest: --decode-timeout needs a number of seconds from 1 to 1000000, got: $v" \
            -- "$RT" ingest -q tr -o y.db --decode-timeout "$v"
    done
    [ ! -e y.db ] || fail "y.db left behind"
    "$RT" ingest -q tr -o a.db --decode-timeout 1 || fail "--decode-timeout 1: exit $?"
    "$RT" ingest -q tr -o b.db --decode-timeout=1000000 || fail "--decode-timeout=1000000: exit $?"
    eq a.db "SELECT sum(events) FROM traces" "$FUZZ_EVENTS"
    eq b.db "SELECT sum(events) FROM traces" "$FUZZ_EVENTS"
    "$RT" ingest --help | grep -q -- "(default 30; 1 to 1000000)" || fail "--help lacks the range"
    ;;
fifo)
    # A trace whose metadata is a FIFO: refused before it is opened (an
    # open would wait for a writer for ever), or skipped with
    # --skip-unreadable.
    small_trace good/a
    mkdir -p good/b && cp good/a/rtk_0 good/b/ && mkfifo good/b/metadata
    P=$(pwd -P)
    expect_line 1 "rt-trace ingest: not a regular file: $P/good/b/metadata" \
        -- timeout 20 "$RT" ingest -q good -o x.db
    [ ! -e x.db ] || fail "x.db left behind"
    expect_line 0 "rt-trace ingest: warning: not a regular file: $P/good/b/metadata (skipped)" \
        -- timeout 20 "$RT" ingest -q --skip-unreadable good -o s.db
    eq s.db "SELECT count(*) || ':' || sum(events) FROM traces" "1:$FUZZ_EVENTS"
    eq s.db "SELECT what || ' ' || file FROM ingest_issues" "unreadable $P/good/b/metadata"
    expect_line 1 "rt-trace ingest: no readable CTF trace under: good/b (skipped: not a regular file: $P/good/b/metadata)" \
        -- timeout 20 "$RT" ingest -q --skip-unreadable good/b -o t.db
    [ ! -e t.db ] || fail "t.db left behind"
    # A FIFO named like an LTTng index file (index/*.idx, read only for
    # the progress bar) is passed over: the open would wait for a writer.
    small_trace idx
    mkdir idx/index && mkfifo idx/index/rtk_0.idx
    expect_line 0 "" -- timeout 20 "$RT" ingest -q idx -o i.db
    eq i.db "SELECT sum(events) FROM traces" "$FUZZ_EVENTS"
    [ -z "$(ls -A | grep -F '.rtt-tmp-')" ] || fail "temp files left behind"
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
