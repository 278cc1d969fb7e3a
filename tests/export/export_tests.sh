#!/usr/bin/env bash
# export_tests.sh RT_TRACE TPGEN EDITOR_SIM WORKDIR CASE - `rt-trace export`
# on databases made through the real record + ingest path (EDITOR_SIM: the
# editor-sim example, used by the chrome case only).
#   chrome     an editor-sim run (cause chains: key command -> task -> render
#              request -> render, timers, async events) and the tpgen script
#              (drops, inputs, stats, lost halves) exported; check_chrome.py
#              checks every count against the tables; -o x.gz, --gzip and
#              -o - give the same JSON bytes as -o x.json
#   names      task and process names with quotes, backslashes, control
#              characters and invalid UTF-8 read back (U+FFFD for the
#              invalid bytes)
#   empty      a database with no rows: valid JSON, no event
#   bad_input  missing, foreign and old databases, unwritable output, a
#              write failing midway (file size limit), SIGINT midway, a
#              FIFO and a symbolic link as targets, bad usage: exit
#              status, one stderr line, no file left behind, an existing
#              target untouched
# Needs an LTTng session daemon (scripts/test.sh starts one).
set -u
RT=$1 GEN=$2 ES=$3 WORK=$4 CASE=$5
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../support/checks.sh"
fails=0
rm -rf "$WORK/$CASE"
mkdir -p "$WORK/$CASE"
W=$WORK/$CASE

# expect_fail STATUS WHAT CMD...: CMD exits STATUS with one stderr line that
# starts "rt-trace export: " and contains WHAT.
expect_fail() {
    local want=$1 what=$2 rc
    shift 2
    "$@" >"$W/out.txt" 2>"$W/err.txt"
    rc=$?
    [ "$rc" -eq "$want" ] || fail "$*: exit $rc, expected $want ($(cat "$W/err.txt"))"
    [ "$(wc -l <"$W/err.txt")" -eq 1 ] || fail "$*: stderr is not one line: $(cat "$W/err.txt")"
    grep -q "^rt-trace export: .*$what" "$W/err.txt" ||
        fail "$*: stderr does not say '$what': $(cat "$W/err.txt")"
}

record_script() {
    "$RT" record -q -o "$W/script.db" -- "$GEN" script >"$W/rec.txt" 2>&1 ||
        { cat "$W/rec.txt" >&2; fail "record of the tpgen script failed"; exit 1; }
}

case $CASE in
chrome)
    record_script
    "$RT" record -q -o "$W/editor.db" -- "$ES" --duration 2 --key-rate 30 --seed 5 \
        >"$W/rec.txt" 2>&1 || { cat "$W/rec.txt" >&2; fail "record of editor-sim failed"; exit 1; }
    for db in editor script; do
        CASE="chrome $db"
        "$RT" export "$W/$db.db" -o "$W/$db.json" >"$W/$db.counts" || fail "export failed"
        python3 -m json.tool "$W/$db.json" >/dev/null || fail "$db.json is not valid JSON"
        python3 "$HERE/check_chrome.py" "$W/$db.db" "$W/$db.json" >"$W/$db.check" ||
            fail "check_chrome.py failed"
        cat "$W/$db.check"
        # The counts line says what the checker counted.
        x=$(sed -n 's/.*: \([0-9]*\) task, \([0-9]*\) event and \([0-9]*\) render slices.*/\1 \2 \3/p' "$W/$db.counts")
        y=$(sed -n 's/.*X (\([0-9]*\) task, \([0-9]*\) event, \([0-9]*\) render).*/\1 \2 \3/p' "$W/$db.check")
        [ -n "$x" ] && [ "$x" = "$y" ] || fail "counts line [$x] != checked [$y]"
        # gzip: by suffix, by --gzip, and stdout, all the same JSON bytes.
        "$RT" export "$W/$db.db" -q -o "$W/$db.json.gz" || fail "export -o .gz failed"
        gzip -t "$W/$db.json.gz" || fail "$db.json.gz is not gzip"
        gzip -dc "$W/$db.json.gz" | cmp -s - "$W/$db.json" || fail ".gz differs from .json"
        "$RT" export "$W/$db.db" -q --gzip -o "$W/$db.gzipped" || fail "export --gzip failed"
        cmp -s "$W/$db.gzipped" "$W/$db.json.gz" || fail "--gzip differs from -o .gz"
        "$RT" export "$W/$db.db" -o - >"$W/$db.stdout" || fail "export -o - failed"
        cmp -s "$W/$db.stdout" "$W/$db.json" || fail "-o - differs from -o file"
        if command -v node >/dev/null; then
            node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' \
                "$W/$db.json" || fail "node cannot parse $db.json"
        fi
    done
    CASE=chrome
    # editor-sim: every keystroke's flow ends at a render, as interactions says.
    ix=$("$RT" interactions "$W/editor.db" --format json | tr -d ' \n' |
        sed -n 's/.*"keystrokes":\([0-9]*\),"count":\([0-9]*\),.*/\1 \2/p')
    reach=$(sed -n 's/.*keystrokes \([0-9]*\), flow reaches a render \([0-9]*\).*/\1 \2/p' \
        "$W/editor.check")
    [ -n "$ix" ] && [ "$ix" = "$reach" ] ||
        fail "keystrokes/with render: interactions [$ix], flows [$reach]"
    flows=$(sed -n 's/.* \([0-9]*\) flows,.*/\1/p' "$W/editor.check")
    [ "${flows:-0}" -gt "${reach#* }" ] || fail "editor-sim: only $flows flows"
    ;;
names)
    # Names are strings from the traced program: quotes, backslashes,
    # control characters and invalid UTF-8 must still give valid JSON.
    record_script
    sqlite3 "$W/script.db" "UPDATE tasks SET name = 'q\"b\\' || char(1) || char(10) ||
        CAST(x'ff41' AS TEXT) || 'é€𝄞' WHERE name = 'ok_task';
        UPDATE procs SET procname = CAST(x'c0' AS TEXT) || 'proc';" || fail "sqlite3 update"
    "$RT" export "$W/script.db" -q -o "$W/names.json" || fail "export failed"
    python3 - "$W/names.json" <<'PY' || fail "names do not read back"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
names = {e["name"] for e in d["traceEvents"] if e.get("cat") == "task"}
want = 'q"b\\' + "\x01\n\ufffdA" + "é€𝄞"
assert want in names, (want, names)
procs = [e["args"]["name"] for e in d["traceEvents"] if e["name"] == "process_name"]
assert procs == ["\ufffdproc"], procs
PY
    python3 "$HERE/check_chrome.py" "$W/script.db" "$W/names.json" >/dev/null ||
        fail "check_chrome.py failed"
    ;;
empty)
    # A database with the schema only (every row deleted): valid JSON with
    # no trace event, and the checker agrees.
    record_script
    tables=$(q "$W/script.db" "SELECT name FROM sqlite_master WHERE type = 'table'
        AND name NOT IN ('drop_reasons', 'item_kinds')")
    for t in $tables; do q "$W/script.db" "DELETE FROM $t"; done
    "$RT" export "$W/script.db" -o "$W/empty.json" >"$W/counts.txt" || fail "export failed"
    grep -q ": 0 trace events," "$W/counts.txt" || fail "counts: $(cat "$W/counts.txt")"
    python3 "$HERE/check_chrome.py" "$W/script.db" "$W/empty.json" >/dev/null ||
        fail "check_chrome.py failed"
    eq "$W/script.db" "SELECT COUNT(*) FROM procs" 0 "procs left"
    ;;
bad_input)
    record_script
    expect_fail 1 "no-such.db" "$RT" export "$W/no-such.db" -o "$W/x.json"
    echo "not a database" >"$W/text.db"
    expect_fail 1 "not an rt-trace database" "$RT" export "$W/text.db" -o "$W/x.json"
    sqlite3 "$W/old.db" "CREATE TABLE t(x); PRAGMA user_version = 1;"
    expect_fail 1 "schema version 1" "$RT" export "$W/old.db" -o "$W/x.json"
    [ ! -e "$W/x.json" ] || fail "a failed export left x.json"
    expect_fail 1 "cannot create the output file: $W/no/such/dir/x.json" \
        "$RT" export "$W/script.db" -o "$W/no/such/dir/x.json"
    # A write failing midway: the target keeps its old content and no
    # temporary file is left.
    echo old >"$W/keep.json"
    (trap '' XFSZ; ulimit -f 16; exec "$RT" export "$W/script.db" -o "$W/keep.json") \
        >"$W/out.txt" 2>"$W/err.txt"
    rc=$?
    [ "$rc" -eq 1 ] || fail "write failing midway: exit $rc ($(cat "$W/err.txt"))"
    grep -q "^rt-trace export: write failed: $W/keep.json: File too large$" "$W/err.txt" ||
        fail "write failing midway: $(cat "$W/err.txt")"
    [ "$(cat "$W/keep.json")" = old ] || fail "the existing target was changed"
    left=$(find "$W" -name '.keep.json.*' | wc -l)
    [ "$left" -eq 0 ] || fail "$left temporary files left"
    # A FIFO is written in place, not replaced by a regular file.
    mkfifo "$W/fifo"
    cat "$W/fifo" >"$W/from_fifo.json" &
    reader=$!
    "$RT" export "$W/script.db" -q -o "$W/fifo" || fail "export to a FIFO failed"
    wait "$reader"
    [ -p "$W/fifo" ] || fail "the FIFO was replaced"
    "$RT" export "$W/script.db" -q -o "$W/plain.json" || fail "export failed"
    cmp -s "$W/from_fifo.json" "$W/plain.json" || fail "the FIFO got other bytes"
    # A symbolic link: the file it names is replaced, the link stays.
    ln -s plain.json "$W/link.json"
    "$RT" export "$W/script.db" -q -o "$W/link.json" || fail "export to a link failed"
    [ -L "$W/link.json" ] || fail "the symbolic link was replaced"
    "$RT" export "$W/script.db" -o - >/dev/full 2>"$W/err.txt"
    [ $? -eq 1 ] && grep -q "^rt-trace export: write failed: stdout: No space left" "$W/err.txt" ||
        fail "stdout to /dev/full: $(cat "$W/err.txt")"
    # Stopped by SIGINT midway: neither the target nor the temporary file
    # is left. A 100 k-loop database takes ~1 s to export.
    "$RT" record -q -o "$W/big.db" -- "$GEN" loop 100000 >"$W/rec.txt" 2>&1 ||
        fail "record of tpgen loop failed"
    "$RT" export "$W/big.db" -o "$W/stopped.json" &
    pid=$!
    # Await the temporary file (bounded: 10 s), then interrupt.
    for _ in $(seq 1000); do
        [ -n "$(find "$W" -name '.stopped.json.*')" ] && break
        sleep 0.01
    done
    kill -INT "$pid"
    wait "$pid"
    rc=$?
    [ "$rc" -eq 130 ] || fail "SIGINT: exit $rc, expected 130"
    [ ! -e "$W/stopped.json" ] || fail "SIGINT left the target"
    [ -z "$(find "$W" -name '.stopped.json.*')" ] || fail "SIGINT left the temporary file"
    cp "$W/script.db" "$W/same.db"
    expect_fail 2 "is the database itself" "$RT" export "$W/same.db" -o "$W/same.db"
    cmp -s "$W/script.db" "$W/same.db" || fail "-o DB changed the database"
    expect_fail 2 "missing -o FILE" "$RT" export "$W/script.db"
    expect_fail 2 "missing DB" "$RT" export -o "$W/x.json"
    expect_fail 2 "bad --format 'json'" "$RT" export "$W/script.db" --format json -o -
    expect_fail 2 "bad --budget" "$RT" export "$W/script.db" --budget -3 -o -
    expect_fail 2 "unknown option '--frobnicate'" "$RT" export "$W/script.db" --frobnicate
    expect_fail 2 "unexpected argument" "$RT" export "$W/script.db" other.db -o -
    "$RT" export --help >"$W/help.txt" || fail "--help exit $?"
    grep -q "^usage: rt-trace export DB -o FILE" "$W/help.txt" || fail "--help text"
    ;;
*)
    echo "export_tests.sh: unknown case $CASE" >&2
    exit 2
    ;;
esac
[ "$fails" -eq 0 ] || { echo "export_tests.sh $CASE: $fails failed" >&2; exit 1; }
echo "export_tests.sh $CASE: ok"
