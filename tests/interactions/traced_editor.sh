#!/bin/sh
# traced_editor.sh RT_TRACE EDITOR_SIM WORKDIR
# Records a short deterministic editor-sim run under LTTng, then checks the
# rebuilt interactions against what the program says it did: one
# interaction per keystroke the loop handled, each rooted at a key_* command
# whose chain goes through its key_* task to a render request and a render.
# Trace timestamps are real, so only the structure is asserted.
set -eu
RT_TRACE=$1
EDITOR_SIM=$2
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK"
fail() { echo "traced_editor: $*" >&2; exit 1; }

# Under ctest the `sessiond` fixture has started a daemon; run alone, a
# daemon started here is stopped on the way out (and only that one).
ensure=$(cd "$(dirname "$0")/../../scripts" && pwd)/ensure-sessiond.sh
pidfile="$WORK/sessiond.pid"
trap '"$ensure" --stop "$pidfile"' EXIT
"$ensure" --started "$pidfile" >/dev/null || fail "cannot start lttng-sessiond"

"$RT_TRACE" record -o "$WORK/run.db" -- "$EDITOR_SIM" --duration 3 \
    --key-rate 30 --seed 5 2>"$WORK/editor.err" >"$WORK/record.out" \
    || { cat "$WORK/editor.err" "$WORK/record.out" >&2; fail "record failed"; }
cat "$WORK/editor.err"

# "handled keys N" is counted by the key handler itself.
handled=$(sed -n 's/.*handled keys \([0-9]*\).*/\1/p' "$WORK/editor.err")
[ -n "$handled" ] || fail "no 'handled keys' line from editor-sim"
[ "$handled" -gt 30 ] || fail "too few keys handled: $handled"

# A per-UID recording may hold other rtk programs of this user: keep ours.
pid=$(sed -n 's/^editor-sim: pid \([0-9]*\),.*/\1/p' "$WORK/editor.err")
[ -n "$pid" ] || fail "no pid line from editor-sim"
proc=$("$RT_TRACE" sql "$WORK/run.db" --format csv \
    "SELECT proc FROM procs WHERE vpid = $pid" | tail -1 | tr -d '\r')
[ -n "$proc" ] || fail "process $pid is not in the trace"

"$RT_TRACE" interactions "$WORK/run.db" --proc "$proc" --format json -n 3 \
    >"$WORK/ix.json" \
    || fail "rt-trace interactions failed"
json=$(tr -d ' \n' <"$WORK/ix.json")
echo "$json" | grep -q "\"keystrokes\":$handled," \
    || fail "expected keystrokes $handled in: $json"
count=$(echo "$json" | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
no_render=$(echo "$json" | sed -n 's/.*"no_render":\([0-9]*\).*/\1/p')
[ $((count + no_render)) -eq "$handled" ] || fail "count+no_render != $handled"
# Only a key in the last frame before shutdown may miss its render.
[ "$no_render" -le 1 ] || fail "$no_render keystrokes without a render"
echo "$json" | grep -q '"chain":"command#[0-9]*key_[a-z]*(wait[^)]*)->task#[0-9]*key_[a-z]*(wait[^"]*->render_request#[0-9]*->render#' \
    || fail "worst chain does not read command -> task -> request -> render: $json"

# Same count through SQL: one key_* task per handled key.
tasks=$("$RT_TRACE" sql "$WORK/run.db" --format csv \
    "SELECT count(*) AS n FROM tasks WHERE proc = $proc AND name LIKE 'key\_%' ESCAPE '\\'" | tail -1 | tr -d '\r')
[ "$tasks" -eq "$handled" ] || fail "key tasks in the trace: $tasks, handled $handled"
echo "traced_editor: ok ($handled keystrokes, $count rendered)"
