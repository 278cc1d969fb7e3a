#!/usr/bin/env bash
# fault_tests.sh - rt-trace record under faults: the program crashing or
# killed, Ctrl-C and SIGTERM, the session daemon killed mid-record, a full
# disk under the database; and bad input that must be refused without
# touching anything or leaving a session: a --keep-trace DIR that holds a
# trace already or is a file, a channel LTTng refuses.
#
#   fault_tests.sh RT_TRACE TPGEN WORKDIR CASE
#
# TPGEN (tools/rt-trace/tests/tpgen.c) is the victim: `script` emits an
# exactly known set of rtk events (672; 122 tasks), then --segv crashes,
# --wait FIFO says "ready PID" on FIFO and waits for a signal (killed by
# it, or with --catch runs the script again and exits 0). The test reads
# the FIFO (blocking: no sleep), sends the fault, and checks the exit
# status, the one stderr line naming what happened, and the database
# against the script's counts. Temp traces go to WORKDIR/CASE/tmp
# (TMPDIR), so a kept trace is checked there and nothing is left in /tmp.
#
# Cases that need root (a private session daemon, a small tmpfs) re-run
# themselves inside new namespaces (unshare): a private mount namespace
# for the tmpfs, plus a pid namespace for the daemon, so that everything
# started there dies with the case. Without root: sessiond_killed uses a
# per-user daemon under its own LTTNG_HOME; disk_full is skipped (77).
set -u
RT=$1 GEN=$2 WORK=$3 CASE=$4
D="$WORK/$CASE"
if [ -z "${FAULT_TESTS_INSIDE:-}" ]; then
    rm -rf "$D" && mkdir -p "$D/tmp" || exit 1
fi
support=$(cd "$(dirname "$0")/../support" && pwd) || exit 1
cd "$D" || exit 1
export TMPDIR="$D/tmp"
# A sanitized victim must die of its SIGSEGV, not report it and exit 1.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0"
export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS:}handle_segv=0"

fails=0
. "$support/checks.sh" # fail, q, eq
# rc_is GOT WANT WHAT
rc_is() { [ "$1" -eq "$2" ] || fail "$3: exit status $1, expected $2 (stderr: $(cat err.txt 2>/dev/null))"; }
# has FILE TEXT: FILE has a line containing TEXT (fixed string)
has() { grep -qF -- "$2" "$1" || fail "$1 lacks [$2]: $(cat "$1")"; }
lines_are() { [ "$(wc -l <"$1")" -eq "$2" ] || fail "$1: expected $2 line(s), got: $(cat "$1")"; }
# The database holds N runs of the script: 672 events and 122 tasks each.
script_db() {
    eq "$1" "SELECT count(*) || ':' || sum(events) FROM traces" "1:$((672 * $2))" "$1 traces:events"
    eq "$1" "SELECT count(*) FROM tasks" $((122 * $2)) "$1 tasks"
    eq "$1" "PRAGMA integrity_check" ok "$1 integrity"
}
no_temp_left() { [ -z "$(ls -A "$TMPDIR")" ] || fail "left in TMPDIR: $(ls -A "$TMPDIR")"; }
# FILE is exactly the one line TEXT.
line_is() { [ "$(cat "$1")" = "$2" ] || fail "$1: expected [$2], got [$(cat "$1")]"; }
# Sessions this case names itself (--session), none left behind at the end.
NAME="rtk-test-$CASE-$$"
no_session_left() {
    local s
    for s in $(lttng list 2>/dev/null | sed -n 's/^ *[0-9]*) \([^ ]*\) .*/\1/p' | grep -x -- "$NAME.*"); do
        fail "session $s left behind"
        lttng destroy "$s" >/dev/null 2>&1 # and gone, whatever the outcome
    done
}
# A folder's files, sizes and times: equal before and after = untouched.
tree_state() { find "$1" -printf '%P %y %s %T@\n' | sort; }
# The trace folder named by "the trace is kept in DIR" in FILE.
kept_dir() { sed -n 's/.*the trace is kept in \([^ ]*\) (rt-trace ingest.*/\1/p' "$1"; }

# record_waiting DB [RECORD_OPTIONS...]: start rt-trace record on the
# program `script $EXTRA --wait ready` (--catch too if CATCH is set; run
# through `env $VICTIM_ENV` if that is set: env execs it, same pid) and
# return once the program said ready; sets $rt (rt-trace) and $prog.
record_waiting() {
    local db=$1
    shift
    rm -f ready && mkfifo ready || exit 1
    # shellcheck disable=SC2086 # EXTRA is words
    "$RT" record -o "$db" "$@" -- ${VICTIM_ENV:+env "$VICTIM_ENV"} \
        "$GEN" script ${EXTRA:-} --wait ready ${CATCH:+--catch} 2>err.txt &
    rt=$!
    local word
    read -r word prog <ready
    [ "$word" = ready ] || fail "the program did not start (stderr: $(cat err.txt))"
}

# Run this case again in a new mount namespace (and pid namespace if
# PIDNS=1), as root, then exit with its status (cleaning up on success).
in_namespace_and_exit() {
    local flags=(--mount --propagation private)
    [ "${PIDNS:-0}" = 1 ] && flags+=(--pid --fork --mount-proc)
    FAULT_TESTS_INSIDE=1 unshare "${flags[@]}" bash "$0" "$RT" "$GEN" "$WORK" "$CASE"
    local rc=$?
    [ $rc -eq 0 ] && cd / && rm -rf "$D"
    exit $rc
}

case $CASE in
crash)
    # A real SIGSEGV: the trace up to the crash is ingested, the exit
    # status and one line say so.
    "$RT" record -q -o a.db -- "$GEN" script --segv 2>err.txt
    rc_is $? 139 "SIGSEGV"
    lines_are err.txt 1
    has err.txt "rt-trace record: program killed by SIGSEGV"
    has err.txt "(exit status 139): $GEN"
    script_db a.db 1
    # The same with per-process buffers (they die with the process).
    "$RT" record -q --buffering per-pid -o b.db -- "$GEN" script --segv 2>err.txt
    rc_is $? 139 "SIGSEGV, per-pid"
    has err.txt "program killed by SIGSEGV"
    script_db b.db 1
    no_temp_left
    ;;
killed)
    # SIGKILL from outside, straight to the program.
    record_waiting a.db -q
    kill -KILL "$prog"
    wait $rt
    rc_is $? 137 "program killed by SIGKILL"
    lines_are err.txt 1
    has err.txt "rt-trace record: program killed by SIGKILL (exit status 137): $GEN"
    script_db a.db 1
    no_temp_left
    ;;
sigint)
    # SIGINT to rt-trace alone: passed on to the program, which dies of it;
    # then the session is stopped and destroyed and the trace ingested.
    record_waiting a.db
    kill -INT $rt
    wait $rt
    rc_is $? 130 "SIGINT to rt-trace"
    lines_are err.txt 2
    has err.txt "rt-trace record: 1 trace, 672 rtk events -> a.db"
    has err.txt "rt-trace record: program killed by SIGINT (exit status 130)"
    script_db a.db 1
    # A program that handles SIGINT (shuts down, exits 0): rt-trace waits
    # for it and what it traced after the signal is in the database.
    CATCH=1 record_waiting b.db -q
    kill -INT $rt
    wait $rt
    rc_is $? 0 "SIGINT, program catches it"
    [ ! -s err.txt ] || fail "unexpected stderr: $(cat err.txt)"
    script_db b.db 2
    [ -z "$(lttng list 2>/dev/null | grep -F "rtk-$rt-")" ] || fail "session rtk-$rt-* left behind"
    no_temp_left
    ;;
sigint_group)
    # SIGINT to the whole process group, as `kill -INT -PGID` does: the
    # program gets it directly (and forwarded); rt-trace outlives it.
    rm -f ready && mkfifo ready || exit 1
    setsid "$RT" record -q -o a.db -- "$GEN" script --wait ready 2>err.txt &
    rt=$!
    read -r word prog <ready
    [ "$(ps -o pgid= -p "$prog" | tr -d ' ')" = "$rt" ] || fail "the program is not in rt-trace's group"
    kill -INT -- -$rt
    wait $rt
    rc_is $? 130 "SIGINT to the group"
    lines_are err.txt 1
    has err.txt "program killed by SIGINT (exit status 130)"
    script_db a.db 1
    no_temp_left
    ;;
ctrl_c_tty)
    # A real Ctrl-C: rt-trace and the program in the foreground of a
    # pseudo-terminal (script(1)), ^C typed into it. The terminal sends
    # SIGINT to both; rt-trace does not send it again (si_code SI_KERNEL).
    command -v script >/dev/null || { echo "[$CASE] skipped: no script(1) (util-linux) for a pseudo-terminal"; exit 77; }
    rm -f ready keys && mkfifo ready keys || exit 1
    exec 3<>keys
    script -qefc "'$RT' record -o a.db -- '$GEN' script --wait ready" /dev/null <keys >tty.txt 2>&1 &
    sp=$!
    read -r word prog <ready
    printf '\003' >&3
    wait $sp
    rc_is $? 130 "Ctrl-C"
    tr -d '\r' <tty.txt >out.txt
    has out.txt "rt-trace record: 1 trace, 672 rtk events -> a.db"
    has out.txt "rt-trace record: program killed by SIGINT (exit status 130)"
    script_db a.db 1
    # A program that handles Ctrl-C and exits 0 on its own terms.
    script -qefc "'$RT' record -q -o b.db -- '$GEN' script --wait ready --catch" /dev/null <keys >tty.txt 2>&1 &
    sp=$!
    read -r word prog <ready
    printf '\003' >&3
    wait $sp
    rc_is $? 0 "Ctrl-C, program catches it"
    script_db b.db 2
    exec 3>&-
    no_temp_left
    ;;
sigterm)
    # SIGTERM to rt-trace (a supervisor, a CI timeout): forwarded.
    record_waiting a.db -q
    kill -TERM $rt
    wait $rt
    rc_is $? 143 "SIGTERM to rt-trace"
    lines_are err.txt 1
    has err.txt "program killed by SIGTERM (exit status 143)"
    script_db a.db 1
    CATCH=1 record_waiting b.db -q
    kill -TERM $rt
    wait $rt
    rc_is $? 0 "SIGTERM, program catches it"
    script_db b.db 2
    no_temp_left
    ;;
sessiond_killed)
    # The session daemon killed (SIGKILL) while the program runs: one error
    # line, the trace folder kept and named (and ingested if it can be
    # read), the program still waited for. A private daemon: root runs
    # this inside its own mount and pid namespaces, where /run/lttng and
    # /dev/shm are fresh tmpfs, so the shared daemon is never seen and all
    # that starts here dies with the namespace; other users get a per-user
    # daemon under their own LTTNG_HOME, killed by pid at the end.
    if [ "$(id -u)" -eq 0 ] && [ -z "${FAULT_TESTS_INSIDE:-}" ]; then
        PIDNS=1 in_namespace_and_exit
    fi
    export LTTNG_HOME="$D/home"
    mkdir -p "$LTTNG_HOME"
    if [ "$(id -u)" -eq 0 ]; then
        mkdir -p /run/lttng
        mount -t tmpfs -o size=16m,mode=755 tmpfs /run/lttng || exit 1
        mount -t tmpfs -o size=256m tmpfs /dev/shm || exit 1
        pidfile=/run/lttng/lttng-sessiond.pid
    else
        pidfile="$LTTNG_HOME/.lttng/lttng-sessiond.pid"
        lttng list >/dev/null 2>&1 && { echo "[$CASE] a per-user daemon already runs under $LTTNG_HOME" >&2; exit 1; }
    fi
    lttng-sessiond --daemonize --no-kernel >/dev/null 2>&1 </dev/null || { echo "[$CASE] cannot start a private lttng-sessiond" >&2; exit 1; }
    spid=$(cat "$pidfile")
    # Enough events that the consumer writes packets before the kill.
    # Under the tsan preset the victim's liblttng-ust (not ours, no
    # symbols) frees on its listener thread, when the daemon vanishes,
    # what its tracepoints read (a race TSan reports in the victim, exit
    # 66): reports are off for the victim here only; rt-trace keeps them.
    CATCH=1 EXTRA="--loop 20000" VICTIM_ENV="TSAN_OPTIONS=${TSAN_OPTIONS}:report_bugs=0" \
        record_waiting run.db -q --subbuf-size 16k --num-subbuf 4
    kill -0 "$spid" || fail "the private daemon is not running"
    # its descendants (run-as, consumerd), by parent pid, for the non-root cleanup
    kids=$(ps -e -o pid=,ppid= | awk -v p="$spid" '$2 == p {print $1}')
    for k in $kids; do kids="$kids $(ps -e -o pid=,ppid= | awk -v p="$k" '$2 == p {print $1}')"; done
    kill -KILL "$spid"
    kill -TERM $rt # the program catches it, traces the script again, exits 0
    wait $rt
    rc_is $? 1 "daemon killed"
    lines_are err.txt 1
    has err.txt "rt-trace record: lost the session daemon while recording ("
    kept=$(kept_dir err.txt)
    [ -n "$kept" ] && [ -d "$kept" ] || fail "no kept trace folder named: $(cat err.txt)"
    [ -n "$(find "$kept" -name metadata)" ] || fail "the kept folder has no metadata: $kept"
    if [ -e run.db ]; then
        has err.txt "ingested what it wrote before, the rest is lost"
        eq run.db "PRAGMA integrity_check" ok
        ev=$(q run.db "SELECT sum(events) FROM traces")
        [ "$ev" -gt 0 ] && [ "$ev" -le $((2 * 672 + 7 * 20000)) ] || fail "run.db: $ev events"
    else
        has err.txt "what it wrote cannot be ingested: "
    fi
    [ -z "$(ls -A | grep -F '.rtt-tmp-')" ] || fail "temp database left: $(ls -A)"
    if [ "$(id -u)" -ne 0 ]; then
        for k in $kids; do kill -KILL "$k" 2>/dev/null; done
    fi
    ;;
sessiond_race)
    # No session daemon, and two rt-trace record at once: both find none
    # and both start one; the second daemon cannot take the lock file and
    # exits 1. Both records still succeed on the daemon that got ready,
    # and neither prints the losing daemon's lines. Root: inside fresh
    # namespaces as sessiond_killed (the daemon dies with them); others
    # would share their per-user daemon with other cases: skipped.
    if [ "$(id -u)" -ne 0 ] && [ -z "${FAULT_TESTS_INSIDE:-}" ]; then
        echo "[$CASE] skipped: needs root for a private session daemon (CI runs as root)"
        exit 77
    fi
    if [ -z "${FAULT_TESTS_INSIDE:-}" ]; then
        PIDNS=1 in_namespace_and_exit
    fi
    mkdir -p /run/lttng
    mount -t tmpfs -o size=16m,mode=755 tmpfs /run/lttng || exit 1
    mount -t tmpfs -o size=256m tmpfs /dev/shm || exit 1
    lttng list >/dev/null 2>&1 && fail "a session daemon answers inside the namespace"
    "$RT" record -q -o a.db -- "$GEN" script 2>err_a.txt &
    a=$!
    "$RT" record -q -o b.db -- "$GEN" script 2>err_b.txt &
    b=$!
    wait $a
    rc_is $? 0 "first record"
    wait $b
    rc_is $? 0 "second record"
    [ -s err_a.txt ] && fail "first record printed: $(cat err_a.txt)"
    [ -s err_b.txt ] && fail "second record printed: $(cat err_b.txt)"
    script_db a.db 1
    script_db b.db 1
    [ "$(pgrep -c -x lttng-sessiond)" -eq 1 ] || fail "session daemons: $(pgrep -a -x lttng-sessiond)"
    no_temp_left
    ;;
disk_full)
    # The database's file system fills up (a 2 MiB tmpfs; the database of
    # 140 000 events takes 5 MiB): one error line, no database left at the
    # path (new) or the old one byte for byte (existing), no temp file or
    # journal, and the trace kept so that nothing recorded is lost.
    if [ "$(id -u)" -ne 0 ] && [ -z "${FAULT_TESTS_INSIDE:-}" ]; then
        echo "[$CASE] skipped: needs root to mount a small tmpfs (CI runs as root)"
        exit 77
    fi
    [ -n "${FAULT_TESTS_INSIDE:-}" ] || in_namespace_and_exit
    mkdir -p full && mount -t tmpfs -o size=2m tmpfs full || exit 1
    big=(--subbuf-size 1M --num-subbuf 8 -- "$GEN" loop 20000)
    "$RT" record -q -o full/run.db "${big[@]}" 2>err.txt
    rc_is $? 1 "disk full, new database"
    lines_are err.txt 1
    has err.txt "database or disk is full"
    has err.txt ": full/run.db; the trace is kept in $TMPDIR/"
    [ -z "$(ls -A full)" ] || fail "left on the full disk: $(ls -A full)"
    kept=$(kept_dir err.txt)
    "$RT" ingest -q "$kept" -o retry.db || fail "the kept trace does not ingest"
    eq retry.db "SELECT sum(events) FROM traces" 140000 "kept trace, ingested elsewhere"
    rm -rf "$kept"
    # An existing database: rolled back, byte for byte the old one.
    "$RT" record -q -o small.db -- "$GEN" script || fail "record small.db"
    cp small.db full/run.db
    before=$(md5sum <full/run.db)
    "$RT" record -q -o full/run.db "${big[@]}" 2>err.txt
    rc_is $? 1 "disk full, existing database"
    lines_are err.txt 1
    has err.txt "database or disk is full"
    [ "$(md5sum <full/run.db)" = "$before" ] || fail "the existing database changed"
    [ "$(ls -A full)" = run.db ] || fail "left beside it: $(ls -A full)"
    # read-only, as the query commands open it: no hot journal in the way
    got=$("$RT" sql full/run.db "SELECT count(*) FROM tasks" --format csv 2>&1 | sed -n 2p | tr -d "\r")
    [ "$got" = 122 ] ||
        fail "the old database does not read back: $got"
    rm -rf "$(kept_dir err.txt)"
    umount full
    no_temp_left
    ;;
keep_trace_reused)
    # --keep-trace DIR takes a new or an empty directory. One that holds
    # anything (a trace kept before) is refused up front: one line, exit
    # 2, no session made, no database, the folder not touched (it was
    # silently replaced by the second trace before).
    "$RT" record -q --keep-trace kdir -o k1.db -- "$GEN" script 2>err.txt
    rc_is $? 0 "first --keep-trace kdir"
    [ ! -s err.txt ] || fail "unexpected stderr: $(cat err.txt)"
    script_db k1.db 1
    [ -n "$(find kdir -name metadata)" ] || fail "no trace kept in kdir: $(ls -R kdir)"
    before=$(tree_state kdir)
    "$RT" record --session "$NAME" --keep-trace kdir -o k2.db -- "$GEN" script 2>err.txt
    rc_is $? 2 "second --keep-trace kdir"
    line_is err.txt "rt-trace record: not empty (--keep-trace wants a new or empty directory, a trace kept there is not replaced): kdir"
    [ "$(tree_state kdir)" = "$before" ] || fail "kdir was touched: $(tree_state kdir)"
    [ ! -e k2.db ] || fail "a refused record made k2.db"
    "$RT" ingest -q kdir -o again.db || fail "the kept trace does not ingest"
    script_db again.db 1
    # an empty directory that exists is fine, and keeps the trace
    mkdir empty
    "$RT" record -q --session "$NAME-empty" --keep-trace empty -o e.db -- "$GEN" script 2>err.txt
    rc_is $? 0 "--keep-trace on an empty directory"
    script_db e.db 1
    [ -n "$(find empty -name metadata)" ] || fail "no trace kept in empty/"
    no_session_left
    no_temp_left
    ;;
keep_trace_not_dir)
    # --keep-trace FILE, an existing regular file: one line, exit 2, up
    # front (before it printed a tracing failure and a false "trace kept
    # in FILE"); the file as it was, no database, no session.
    echo "not a trace" >kfile
    "$RT" record --session "$NAME" --keep-trace kfile -o kf.db -- "$GEN" script 2>err.txt
    rc_is $? 2 "--keep-trace FILE"
    line_is err.txt "rt-trace record: not a directory (--keep-trace): kfile"
    "$RT" record --session="$NAME" --keep-trace=kfile --output=kf.db -- "$GEN" script 2>err.txt
    rc_is $? 2 "--keep-trace=FILE"
    line_is err.txt "rt-trace record: not a directory (--keep-trace): kfile"
    [ "$(cat kfile)" = "not a trace" ] || fail "kfile changed: $(cat kfile)"
    [ ! -e kf.db ] || fail "a refused record made kf.db"
    # -o that cannot be a database: said before PROGRAM runs (it would
    # touch ran.txt), as ingest says it
    "$RT" record --session "$NAME" -o nodir/x.db -- sh -c 'touch ran.txt' 2>err.txt
    rc_is $? 2 "-o in a missing directory"
    line_is err.txt "rt-trace record: no such directory: nodir (for nodir/x.db)"
    [ ! -e ran.txt ] || fail "PROGRAM ran before a bad -o was refused"
    no_session_left
    no_temp_left
    ;;
setup_fails)
    # The session made, then its channel refused (a sub-buffer of 2
    # bytes): one line, exit 1, and the session destroyed (it was left
    # "inactive" before), no database, no temp trace; with --keep-trace a
    # folder it made is removed again and an empty one left empty (no
    # "trace kept in" for a trace never recorded).
    want="rt-trace record: cannot enable channel rtk (check the sub-buffer size and count): Invalid parameter: $NAME"
    "$RT" record --session "$NAME" --subbuf-size 2 -o z.db -- "$GEN" script 2>err.txt
    rc_is $? 1 "channel refused"
    line_is err.txt "$want"
    no_session_left
    [ ! -e z.db ] || fail "a failed record left z.db: $(ls -l z.db*)"
    [ -z "$(ls -A | grep -F z.db)" ] || fail "left beside z.db: $(ls -A)"
    "$RT" record --session "$NAME" --subbuf-size 2 --keep-trace newk -o z.db -- "$GEN" script 2>err.txt
    rc_is $? 1 "channel refused, --keep-trace NEW"
    line_is err.txt "$want"
    [ ! -e newk ] || fail "a failed record left --keep-trace newk: $(ls -R newk)"
    mkdir emptyk
    "$RT" record --session "$NAME" --subbuf-size 2 --keep-trace emptyk -o z.db -- "$GEN" script 2>err.txt
    rc_is $? 1 "channel refused, --keep-trace EMPTY"
    line_is err.txt "$want"
    [ -d emptyk ] && [ -z "$(ls -A emptyk)" ] || fail "emptyk not left empty: $(ls -A emptyk)"
    no_session_left
    [ ! -e z.db ] || fail "a failed record left z.db"
    no_temp_left
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
if [ -z "${FAULT_TESTS_INSIDE:-}" ]; then
    cd / && rm -rf "$D"
fi
echo "[$CASE] ok"
