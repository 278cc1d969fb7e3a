#!/usr/bin/env bash
# live_tests.sh - rt-trace live against a real lttng-relayd and session
# daemon: exact counts in the NDJSON stream, --record equal to an offline
# ingest of the trace the relay daemon wrote, the database readable during
# the run, SIGTERM, the session destroyed under it, the relay daemon
# killed under it, a second viewer refused, a bad --relayd-output, the
# relay daemon's ports taken by another program, the --record database's
# journal mode at the end; after each, no session and no relay daemon
# left behind.
#
#   live_tests.sh RT_TRACE TPGEN WORKDIR CASE [EDITOR_SIM]
#
# TPGEN `script` (tools/rt-trace/tests/tpgen.c) emits a known set of rtk
# events: 672 events, 122 tasks, 56 dispatches, 9 commands, 22 timer
# fires, 12 renders, drops 6 work_queue_full + 2 timer_limit + ... per run;
# with --wait FIFO it says "ready PID" and waits for a signal (--catch: then
# runs the script once more and exits 0). The test blocks on that FIFO and
# on the NDJSON stream (a FIFO too): no sleeps. Each case uses its own
# session name and its own relay daemon ports (so rt-trace starts the relay
# daemon itself, as on a fresh CI machine), and checks with `lttng list`
# and pgrep that nothing it started is left.
set -u
RT=$1 GEN=$2 WORK=$3 CASE=$4 EDITOR=${5:-}
D="$WORK/$CASE"
rm -rf "$D" && mkdir -p "$D/tmp" || exit 1
support=$(cd "$(dirname "$0")/../support" && pwd) || exit 1
cd "$D" || exit 1
export TMPDIR="$D/tmp"
fails=0
. "$support/checks.sh" # fail, q, eq

# Unique per run (each case is its own process): loopback ports from the
# pid, so no relay daemon runs there and rt-trace starts its own.
CP=$(( 20000 + ($$ % 4000) * 3 )); DP=$((CP + 1)); LP=$((CP + 2)) # below the ephemeral range (32768+)
PORTS="$CP,$DP,$LP"
NAME="rtk-live-test-$CASE-$$"

# js FILE EXPR: a value from the last JSON line of FILE (python3 -c).
js() { python3 -c "import json,sys; l=[x for x in open(sys.argv[1]) if x.strip()]; d=json.loads(l[-1]); print(eval(sys.argv[2]))" "$1" "$2"; }
jeq() { local got; got=$(js "$1" "$2" 2>&1); [ "$got" = "$3" ] || fail "$2: expected [$3], got [$got]"; }
rc_is() { [ "$1" -eq "$2" ] || fail "exit status $1, expected $2 (stderr: $(cat err.txt 2>/dev/null))"; }
has() { grep -qF -- "$2" "$1" || fail "$1 lacks [$2]: $(cat "$1")"; }
# FILE is exactly the one line TEXT.
line_is() { [ "$(cat "$1")" = "$2" ] || fail "$1: expected [$2], got [$(cat "$1")]"; }
# hold_ports PYTHON_STATEMENTS: a python3 that runs the statements (which
# take some of our ports with socket s...), says so on a FIFO, then waits
# (60 s at most) for the SIGTERM release_ports sends; returns once they
# are taken (the FIFO: no sleep); sets $holder.
hold_ports() {
    rm -f held && mkfifo held || exit 1
    python3 -c "import socket, time
$1
open('held', 'w').write('held\n')
time.sleep(60)" &
    holder=$!
    trap release_ports EXIT # a case that stops early leaves no holder
    local word
    read -r word <held
    [ "$word" = held ] || fail "the port holder did not start"
}
release_ports() {
    [ -n "${holder:-}" ] || return 0
    kill "$holder" 2>/dev/null
    wait "$holder" 2>/dev/null
    holder=
}
one_line() { [ "$(wc -l <"$1")" -eq 1 ] || fail "$1: expected one line, got: $(cat "$1")"; }
# Nothing left: no session of ours, no relay daemon on our ports, not the
# program ($prog, when the case knows it).
no_leftovers() {
    lttng list 2>/dev/null | grep -qF "$NAME" && fail "session $NAME left behind"
    pgrep -f "lttng-relayd.*:$LP" >/dev/null && fail "relay daemon on :$LP left running"
    # the traced program of this case (other cases may run in parallel)
    if [ -n "${prog:-}" ] && [ -e "/proc/$prog" ] &&
        ! grep -q '^[^)]*) [ZX]' "/proc/$prog/stat" 2>/dev/null; then
        fail "the program ($prog) was left running"
    fi
    [ -z "$(ls -A "$TMPDIR")" ] || fail "left in TMPDIR: $(ls -A "$TMPDIR")"
}
# One run of the script, as totals in the last snapshot of FILE, times N.
script_totals() {
    local f=$1 n=$2
    jeq "$f" "d['total']['trace_events']" $((672 * n))
    jeq "$f" "d['total']['tasks']" $((122 * n))
    jeq "$f" "d['total']['events']" $((56 * n))
    jeq "$f" "d['total']['commands']" $((9 * n))
    jeq "$f" "d['total']['timer_fires']" $((22 * n))
    jeq "$f" "d['total']['renders']" $((12 * n))
    jeq "$f" "d['drops']['work_queue_full']" $((6 * n))
    jeq "$f" "d['drops']['timer_limit']" $((2 * n))
    jeq "$f" "d['drops']['shutdown']" $((5 * n))
    jeq "$f" "sum(d['drops'].values())" $((DROPS * n))
    jeq "$f" "d['latency']['queue_wait']['60s']['count']" $((107 * n))
    jeq "$f" "d['latency']['run_time']['60s']['count']" $((109 * n))
    jeq "$f" "d['latency']['frame']['60s']['count']" $((10 * n))
    jeq "$f" "d['tracer']['discarded_events']" 0
    jeq "$f" "d['final']" True
}
DROPS=13 # 6 work_queue_full, 2 timer_limit, 5 shutdown

# live_waiting OUT [OPTIONS...]: start rt-trace live on `script --wait
# ready --catch`, NDJSON to the FIFO OUT (read on fd 3), return when the
# program said ready; sets $rt and $prog.
live_waiting() {
    local out=$1
    shift
    rm -f ready "$out" && mkfifo ready "$out" || exit 1
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" "$@" \
        -- "$GEN" script --wait ready ${CATCH:+--catch} >"$out" 2>err.txt &
    rt=$!
    exec 3<"$out"
    local word
    read -r word prog <ready
    [ "$word" = ready ] || fail "the program did not start (stderr: $(cat err.txt))"
}

case $CASE in
counts)
    # The whole run: exact totals in the stream, --record = offline ingest
    # of what the relay daemon wrote, everything stopped at the end.
    "$RT" live --format json --record run.db --relayd-ports "$PORTS" --name "$NAME" \
        --relayd-output "$D/relayd" -- "$GEN" script >out.json 2>err.txt
    rc_is $? 0
    script_totals out.json 1
    jeq out.json "d['exited']" True
    jeq out.json "d['exit_status']" 0
    jeq out.json "d['session']" "$NAME"
    jeq out.json "d['db']" True
    prog=$(js out.json "d['pid']")
    one_line err.txt
    has err.txt "program exited after"
    has err.txt "122 tasks, 56 dispatches, 9 commands, 22 timer fires, 12 renders, 672 events"
    # every line is a JSON object with increasing seq
    python3 -c "
import json,sys
seq=[json.loads(l)['seq'] for l in open('out.json')]
assert seq==list(range(1,len(seq)+1)), seq" || fail "seq not 1..n"
    "$RT" ingest "$D/relayd" -o offline.db >/dev/null 2>ingest.err || fail "offline ingest: $(cat ingest.err)"
    "$RT" summary run.db --format json >live_summary.json || fail "summary of run.db"
    "$RT" summary offline.db --format json >offline_summary.json || fail "summary of offline.db"
    python3 - <<'PY' || fail "summaries differ: $(diff live_summary.json offline_summary.json | head -20)"
import json
a=json.load(open('live_summary.json')); b=json.load(open('offline_summary.json'))
assert a==b, [k for k in a if a[k]!=b.get(k)]
assert a['events']==672 and a['tasks']['count']==122, (a['events'], a['tasks']['count'])
PY
    eq run.db "PRAGMA integrity_check" ok
    no_leftovers
    ;;
lints)
    # The lint rules live are `rt-trace lint`'s: every finding (warning or
    # error) of the run shows up once in the stream's lints, the same as
    # linting the --record database offline (the script's drops: one
    # warning per reason); a clean workload (`loop`) gives none.
    "$RT" live --format json --record run.db --relayd-ports "$PORTS" --name "$NAME" \
        -- "$GEN" script >out.json 2>err.txt
    rc_is $? 0
    "$RT" lint run.db --format json >offline.json 2>lint.err
    [ $? -le 1 ] || fail "rt-trace lint run.db: $(cat lint.err)"
    python3 - <<'PY' || fail "live lints differ from rt-trace lint"
import json
live = sorted((x['rule'], x['id']) for l in open('out.json') if l.strip()
              for x in json.loads(l)['lints'])
off = json.load(open('offline.json'))
off = off['findings'] if isinstance(off, dict) else off
off = sorted((x['rule'], x['id']) for x in off if x['severity'] in ('warning', 'error'))
assert live == off, (live, off)
# work_queue_full (ids 258..263), timer_limit (264..265); shutdown drops are
# info, which live leaves out
assert live == [('drops', 258), ('drops', 264)], live
PY
    no_leftovers
    NAME="$NAME-clean"
    "$RT" live --format json --record clean.db --relayd-ports "$PORTS" --name "$NAME" \
        -- "$GEN" loop 2000 >clean.json 2>err.txt
    rc_is $? 0
    jeq clean.json "sum(len(json.loads(l)['lints']) for l in open('clean.json') if l.strip())" 0
    jeq clean.json "d['total']['tasks']" 2000
    no_leftovers
    ;;
nodb)
    # json and text have no database unless --record (they are the fast
    # path): every snapshot says "db": false, and the interactions and
    # lints it did not compute are 0 and empty; no temporary database is
    # made (no_leftovers: TMPDIR empty); --no-db is accepted and changes
    # nothing there. The script's drops would give two lint warnings with a
    # database (case lints): none here.
    for opt in "" --no-db; do
        "$RT" live --format json $opt --relayd-ports "$PORTS" --name "$NAME$opt" \
            -- "$GEN" script >out.json 2>err.txt
        rc_is $? 0
        script_totals out.json 1
        python3 - <<'PY' || fail "json without a database ($opt): $(tail -1 out.json | head -c 800)"
import json
L = [json.loads(l) for l in open('out.json') if l.strip()]
assert L and all(x['db'] is False for x in L), [x.get('db') for x in L]
for x in L:
    assert x['total']['interactions'] == 0 and x['delta']['interactions'] == 0, x['total']
    assert x['latency']['interaction']['60s']['count'] == 0
    assert x['worst'] == [] and x['lints'] == [], (x['worst'], x['lints'])
PY
        has err.txt "program exited after"
        no_leftovers
    done
    "$RT" live --format text --relayd-ports "$PORTS" --name "$NAME-text" \
        -- "$GEN" script >out.txt 2>err.txt
    rc_is $? 0
    has out.txt "renders"
    no_leftovers
    ;;
late_streams)
    # A relay daemon frees a trace whose metadata stream closes before a
    # viewer asked for it; so a program that registers and ends between two
    # looks of the viewer lost every event to the session's destroy (live.c,
    # catch_up). RTT_TEST_HOLD_VIEWER makes that the rule: the viewer takes
    # no look while the program runs and meets its streams only after the
    # stop. Every event still arrives, and the summary line counts them.
    RTT_TEST_HOLD_VIEWER=1 "$RT" live --format json --relayd-ports "$PORTS" \
        --name "$NAME" -- "$GEN" script >out.json 2>err.txt
    rc_is $? 0
    script_totals out.json 1
    has err.txt "672 events; discarded 0"
    no_leftovers
    # one that registers and emits nothing: not "loaded no tracepoints",
    # and no wait for messages that never come (the relay daemon's streams
    # of it still give the viewer its stream beginnings)
    RTT_TEST_HOLD_VIEWER=1 "$RT" live --format json --relayd-ports "$PORTS" \
        --name "$NAME-empty" -- "$GEN" loop 0 >out.json 2>err.txt
    rc_is $? 0
    one_line err.txt
    has err.txt "no rtk events: $GEN registered the rtk tracepoints but emitted none"
    jeq out.json "d['total']['trace_events']" 0
    no_leftovers
    ;;
sigterm)
    # Read during the run, then SIGTERM: passed on to the program (which
    # runs the script again and exits 0), the session destroyed, the
    # database committed, exit 143.
    CATCH=1 live_waiting out.fifo --record run.db
    read -r first <&3 || fail "no snapshot while the program waits"
    echo "$first" >first.json
    jeq first.json "d['seq']" 1
    # the first interval committed every item paired so far: all but the
    # 4 tasks still open (queued or started, not finished), which are
    # written, flagged, at the end
    eq run.db "SELECT count(*) FROM tasks" 118 "tasks committed during the run"
    eq run.db "SELECT events FROM traces" 672 "trace events committed during the run"
    kill -TERM "$rt"
    cat <&3 >rest.json
    exec 3<&-
    wait "$rt"
    rc_is $? 143
    script_totals rest.json 2
    jeq rest.json "d['exited']" True
    jeq rest.json "d['exit_status']" 0
    has err.txt "SIGTERM after"
    eq run.db "SELECT count(*) FROM tasks" 244
    eq run.db "SELECT events FROM traces" 1344
    no_leftovers
    ;;
stdout_closed)
    # The reader of the NDJSON goes away (| head -c): no SIGPIPE death,
    # the view ends as after a quit (the program gets SIGINT, runs the
    # script again, exits 0), exit 0, nothing left.
    rm -f ready && mkfifo ready || exit 1
    { "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" \
        -- "$GEN" script --wait ready --catch 2>err.txt; echo $? >rc; } | head -c 10 >/dev/null &
    read -r word prog <ready
    wait
    rc_is "$(cat rc)" 0
    one_line err.txt
    has err.txt "rt-trace live: stdout closed after"
    has err.txt "1344 events"
    no_leftovers
    ;;
session_gone)
    # The session destroyed under it: one line, exit 1, nothing left.
    live_waiting out.fifo
    read -r first <&3 || fail "no snapshot"
    lttng destroy "$NAME" >/dev/null 2>&1 || fail "lttng destroy $NAME"
    cat <&3 >/dev/null
    wait "$rt"
    rc_is $? 1
    one_line err.txt
    has err.txt "rt-trace live: the live session disappeared"
    has err.txt "$NAME"
    no_leftovers
    ;;
relayd_killed)
    # The relay daemon (started by rt-trace) killed: unreachable.
    live_waiting out.fifo
    read -r first <&3 || fail "no snapshot"
    pkill -KILL -f "lttng-relayd.*:$LP" || fail "no relay daemon on :$LP to kill"
    cat <&3 >/dev/null
    wait "$rt"
    rc_is $? 1
    one_line err.txt
    has err.txt "rt-trace live: cannot "
    cp err.txt "$WORK/relayd_killed.msg"
    no_leftovers
    ;;
busy)
    # A second viewer of the same session: refused by the relay daemon.
    live_waiting out.fifo
    read -r first <&3 || fail "no snapshot"
    "$RT" live --format json --relayd-ports "$PORTS" --session "$NAME" --record second.db \
        >second.json 2>second.err
    rc_is $? 1
    [ -e second.db ] && fail "a failed live left its --record database"
    [ -s second.json ] && fail "a failed live wrote snapshots: $(cat second.json)"
    one_line second.err
    has second.err "rt-trace live: the relay daemon is busy: another viewer is attached to session $NAME"
    cp second.err "$WORK/busy.msg"
    kill -TERM "$rt"
    cat <&3 >/dev/null
    wait "$rt"
    rc_is $? 143
    no_leftovers
    ;;
running)
    # editor-sim with a 2.5 s 'stall' task every 5th key: while it spins
    # (no event at all from the loop), the snapshots name it as the task
    # running now, its running time grows, and the view stays fresh (the
    # live timer's inactivity messages move the watermark on).
    [ -n "$EDITOR" ] || { echo "no editor-sim built" >&2; exit 77; }
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" -- "$EDITOR" \
        --duration 2 --key-rate 5 --seed 2 --stall-every 5 --stall-ms 2500 \
        >out.json 2>err.txt
    rc_is $? 0
    python3 - <<'PY' || fail "running task: $(head -c 1500 out.json)"
import json
L = [json.loads(l) for l in open('out.json')]
R = [x for x in L if x['running']]
assert all(x['running']['name'] == 'stall' for x in R), R[0]['running']
assert all(x['running']['pid'] == x['pid'] for x in R)
long = [x for x in R if x['running']['running_ns'] > 1000000000]
assert long, 'no snapshot saw the stall running for more than 1 s'
assert all(x['staleness_s'] < 1.5 for x in long), [x['staleness_s'] for x in long]
PY
    no_leftovers
    ;;
interactions)
    # editor-sim's keystrokes (a fixed seed): with --record, the live
    # interaction window holds every interaction `rt-trace summary` finds
    # (same model), the same worst latency, and the worst list names the
    # head of each chain.
    [ -n "$EDITOR" ] || { echo "no editor-sim built" >&2; exit 77; }
    "$RT" live --format json --record run.db --relayd-ports "$PORTS" --name "$NAME" \
        -- "$EDITOR" --duration 3 --key-rate 25 --seed 3 >out.json 2>err.txt
    rc_is $? 0
    "$RT" summary run.db --format json >summary.json || fail "summary"
    want_n=$(python3 -c "import json; print(json.load(open('summary.json'))['interactions']['count'])")
    want_max=$(python3 -c "import json; print(json.load(open('summary.json'))['interactions']['max'])")
    [ "$want_n" -gt 50 ] || fail "editor-sim made only $want_n interactions"
    jeq out.json "d['total']['interactions']" "$want_n"
    jeq out.json "d['latency']['interaction']['60s']['count']" "$want_n"
    jeq out.json "d['latency']['interaction']['60s']['max_ns']" "$want_max"
    python3 - <<'PY' || fail "worst interactions: $(tail -2 out.json | head -1 | head -c 600)"
import json
L = [json.loads(l) for l in open('out.json')]
W = [w for x in L for w in x['worst']]
assert W, 'no worst interaction in any snapshot'
for x in L:
    lat = [w['latency_ns'] for w in x['worst']]
    assert lat == sorted(lat, reverse=True) and len(lat) <= 10, lat
assert all(w['cause'].startswith('command#%d ' % w['id']) for w in W), W[0]
# the runtime's own counters (its final rtk:stats) agree with the trace's
f = L[-1]
assert f['runtime'] is not None and not f['disagree'], (f['runtime'], f['disagree_text'])
for k in ('tasks_executed', 'events_dispatched', 'commands_handled', 'timers_fired', 'renders'):
    assert f['runtime'][k] == f['derived'][k], (k, f['runtime'][k], f['derived'][k])
assert f['runtime']['tasks_executed'] > 0 and 0 <= f['runtime']['idle_share'] <= 1
# idle shares over the same window: the runtime's (prepare_wait to the next
# tick) and the trace's (time outside ticks) differ only by the few us
# between a tick's end and the wait, not by whole ticks
both = [(x['runtime']['idle_share'], x['derived']['idle_share']) for x in L
        if x['runtime'] and x['runtime']['idle_share'] is not None
        and x['derived']['idle_share'] is not None]
assert both and all(abs(a - b) < 0.01 for a, b in both), both
PY
    no_leftovers
    ;;
session)
    # --session: a live session made with the lttng CLI on a relay daemon
    # this test starts, restricted to a program that is already waiting;
    # rt-trace attaches, the program runs the script once, the owner
    # destroys the session: final snapshot with exactly that run, exit 0,
    # the session and the relay daemon left to their owner.
    rm -f ready out.fifo && mkfifo ready out.fifo || exit 1
    mkdir -p relayd
    # --background returns once it listens (the unique ports name it)
    lttng-relayd -b -C "tcp://127.0.0.1:$CP" -D "tcp://127.0.0.1:$DP" \
        -L "tcp://127.0.0.1:$LP" -o "$D/relayd" >/dev/null 2>&1 || fail "lttng-relayd -b"
    relayd=$(pgrep -f "lttng-relayd -b -C tcp://127.0.0.1:$CP ")
    "$GEN" script --wait ready --catch &
    prog=$!
    read -r word p2 <ready
    { lttng create "$NAME" --live 100000 --set-url "net://127.0.0.1:$CP:$DP" &&
      lttng enable-channel -u rtk -s "$NAME" &&
      lttng enable-event -u -c rtk 'rtk:*' -s "$NAME" &&
      lttng add-context -u -c rtk -t vpid -t vtid -t procname -s "$NAME" &&
      lttng track -u --vpid "$prog" -s "$NAME" &&
      lttng start "$NAME"; } >lttng.log 2>&1 || fail "lttng setup: $(cat lttng.log)"
    "$RT" live --format json --relayd-ports "$PORTS" --session "$NAME" >out.fifo 2>err.txt &
    rt=$!
    exec 3<out.fifo
    read -r first <&3 || fail "no snapshot (stderr: $(cat err.txt))"
    kill -TERM "$prog"
    wait "$prog"
    rc_is $? 0
    lttng stop "$NAME" >/dev/null 2>&1
    lttng destroy "$NAME" >/dev/null 2>&1 || fail "lttng destroy"
    cat <&3 >rest.json
    wait "$rt"
    rc_is $? 0
    script_totals rest.json 1
    jeq rest.json "d['exited']" False
    one_line err.txt
    has err.txt "rt-trace live: session ended after"
    kill -0 "$relayd" 2>/dev/null || fail "rt-trace stopped a relay daemon it did not start"
    kill "$relayd" && tail --pid="$relayd" -f /dev/null # returns when it is gone
    no_leftovers
    ;;
pid)
    # --pid: a program already running (started before the session, its
    # first script run not traced); once the view is attached (its first
    # snapshot), SIGTERM makes it run the script once more and exit: that
    # run exactly is in the stream, and the view ends with it.
    rm -f ready out.fifo && mkfifo ready out.fifo || exit 1
    "$GEN" script --wait ready --catch &
    prog=$!
    read -r word p2 <ready
    [ "$word" = ready ] && [ "$p2" = "$prog" ] || fail "the program did not start"
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" --pid "$prog" \
        >out.fifo 2>err.txt &
    rt=$!
    exec 3<out.fifo
    read -r first <&3 || fail "no snapshot (stderr: $(cat err.txt))"
    kill -TERM "$prog"
    wait "$prog"
    rc_is $? 0
    cat <&3 >rest.json
    wait "$rt"
    rc_is $? 0
    script_totals rest.json 1
    jeq rest.json "d['exited']" True
    jeq rest.json "d['pid']" "$prog"
    has err.txt "process exited after"
    no_leftovers
    ;;
usage)
    "$RT" live --help >help.txt; rc_is $? 0
    has help.txt "usage: rt-trace live"
    "$RT" live --bogus 2>err.txt; rc_is $? 2
    one_line err.txt
    "$RT" live --interval 0 -- true 2>err.txt; rc_is $? 2
    "$RT" live --subbuf-size 3000 -- true 2>err.txt; rc_is $? 2
    has err.txt "rt-trace live: --subbuf-size wants a power of two"
    "$RT" live 2>err.txt; rc_is $? 2
    has err.txt "give exactly one of"
    "$RT" live --pid 1 --session x 2>err.txt; rc_is $? 2
    "$RT" live --no-db --record x.db -- true 2>err.txt; rc_is $? 2
    one_line err.txt
    has err.txt "rt-trace live: --no-db and --record x.db exclude each other"
    [ -e x.db ] && fail "a usage error made x.db"
    "$RT" live --relayd-ports "$PORTS" --session "no-such-session-$$" 2>err.txt; rc_is $? 1
    one_line err.txt
    has err.txt "rt-trace live: no such session: no-such-session-$$"
    # a program that cannot run: 127, one line; one without rtk events: 0,
    # and the summary line says so
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" -- ./no-such-program \
        >out.json 2>err.txt
    rc_is $? 127
    one_line err.txt
    has err.txt "rt-trace live: cannot run program: No such file or directory: ./no-such-program"
    [ -s out.json ] && fail "a snapshot for a program that never ran: $(cat out.json)"
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" -- true >out.json 2>err.txt
    rc_is $? 0
    one_line err.txt
    has err.txt "no rtk events: true loaded no rtk tracepoints"
    jeq out.json "d['total']['trace_events']" 0
    jeq out.json "d['final']" True
    no_leftovers
    ;;
relayd_output)
    # --relayd-output that cannot be the relay daemon's output directory:
    # one line naming it, exit 2, before anything starts (the relay daemon
    # exited at once and the message blamed the ports); nothing changed.
    echo "not a folder" >kfile
    "$RT" live --format json --record run.db --relayd-ports "$PORTS" --name "$NAME" \
        --relayd-output kfile -- "$GEN" script >out.json 2>err.txt
    rc_is $? 2
    line_is err.txt "rt-trace live: not a directory (--relayd-output): kfile"
    [ "$(cat kfile)" = "not a folder" ] || fail "kfile changed"
    [ -s out.json ] && fail "snapshots for a run refused up front: $(cat out.json)"
    [ -e run.db ] && fail "a refused run made run.db"
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" \
        --relayd-output no-such-dir/out -- "$GEN" script >out.json 2>err.txt
    rc_is $? 2
    line_is err.txt "rt-trace live: cannot create directory (--relayd-output: No such file or directory): no-such-dir/out"
    [ -e no-such-dir ] && fail "no-such-dir made"
    # (the --opt=VALUE form is the same option)
    "$RT" live --format=json --relayd-ports="$PORTS" --name="$NAME" \
        --relayd-output=kfile/out -- "$GEN" script >out.json 2>err.txt
    rc_is $? 2
    line_is err.txt "rt-trace live: cannot create directory (--relayd-output: Not a directory): kfile/out"
    # a new directory in an existing one is fine (and keeps the trace)
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" \
        --relayd-output new-out -- "$GEN" script >out.json 2>err.txt
    rc_is $? 0
    script_totals out.json 1
    [ -n "$(find new-out -name metadata)" ] || fail "no trace in new-out"
    no_leftovers
    ;;
port_taken)
    # Another program on the relay daemon's ports: the connect probe saw
    # the live port answer, took it for a relay daemon, and the session
    # failed later with "cannot enable channel rtk ...: Fatal error of the
    # session daemon". Now one line names the port, exit 1, no relay
    # daemon, session or database left. Listening on the live port only:
    hold_ports "s = socket.socket(); s.bind(('127.0.0.1', $LP)); s.listen()"
    "$RT" live --format json --record run.db --relayd-ports "$PORTS" --name "$NAME" \
        -- "$GEN" script >out.json 2>err.txt
    rc_is $? 1
    line_is err.txt "rt-trace live: port 127.0.0.1:$LP (the relay daemon's live port) is taken by another program, not a relay daemon (nothing listens on its control port 127.0.0.1:$CP); choose other --relayd-ports"
    [ -e run.db ] && fail "a failed run left run.db"
    [ -s out.json ] && fail "snapshots of a failed run: $(cat out.json)"
    release_ports
    no_leftovers
    # bound, not listening, on the data port (bind() probes it)
    hold_ports "s = socket.socket(); s.bind(('127.0.0.1', $DP))"
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" \
        -- "$GEN" script >out.json 2>err.txt
    rc_is $? 1
    line_is err.txt "rt-trace live: port 127.0.0.1:$DP (the relay daemon's data port) is taken by another program; choose other --relayd-ports"
    release_ports
    no_leftovers
    # all three listening, silent: not taken for a relay daemon (the
    # session daemon would wait on it), after the 5 s handshake bound
    hold_ports "L = [socket.socket() for p in ($CP, $DP, $LP)]
for s, p in zip(L, ($CP, $DP, $LP)): s.bind(('127.0.0.1', p)); s.listen()"
    "$RT" live --format json --relayd-ports "$PORTS" --name "$NAME" \
        -- "$GEN" script >out.json 2>err.txt
    rc_is $? 1
    line_is err.txt "rt-trace live: port 127.0.0.1:$LP (the relay daemon's live port) is taken by another program, not a relay daemon (it does not answer as one); choose other --relayd-ports"
    release_ports
    no_leftovers
    ;;
record_journal)
    # A --record database ends in the rollback journal mode, as record and
    # ingest leave theirs: one file, no -wal or -shm beside it, readable
    # from a read-only directory (it was left in WAL mode, and a reader
    # that cannot make the -shm got "attempt to write a readonly
    # database").
    "$RT" live --format json --record run.db --relayd-ports "$PORTS" --name "$NAME" \
        -- "$GEN" script >out.json 2>err.txt
    rc_is $? 0
    one_line err.txt
    has err.txt "; database complete: run.db"
    [ "$(ls -A | grep -F run.db)" = run.db ] || fail "beside run.db: $(ls -A | grep -F run.db)"
    eq run.db "PRAGMA journal_mode" delete
    eq run.db "SELECT count(*) || ':' || sum(events) FROM traces" "1:672"
    eq run.db "SELECT count(*) FROM tasks" 122
    if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v runuser >/dev/null; then
        mkdir ro && cp run.db ro/ && chmod 555 ro
        runuser -u nobody -- "$RT" summary ro/run.db --format json >ro.json 2>ro.err
        rc_is $? 0
        python3 -c "import json; d=json.load(open('ro.json')); assert d['events'] == 672, d['events']" ||
            fail "summary of the read-only copy: $(cat ro.err)"
        [ -z "$(ls -A ro | grep -v '^run.db$')" ] || fail "a reader wrote beside it: $(ls -A ro)"
        chmod 755 ro
    fi
    no_leftovers
    ;;
*) echo "unknown case $CASE" >&2; exit 2 ;;
esac
[ $fails -eq 0 ] && cd / && rm -rf "$D"
exit $((fails > 0))
