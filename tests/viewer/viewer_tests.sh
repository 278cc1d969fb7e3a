#!/usr/bin/env bash
# viewer_tests.sh - the viewer's tests (label viewer), one case per call:
#
#   viewer_tests.sh setup RT_TRACE EDITOR_SIM WORKDIR    record a.db and b.db
#   viewer_tests.sh npm SRCDIR                           npm ci in viewer/ if needed
#   viewer_tests.sh dist SRCDIR                          dist/ is what the sources build to
#   viewer_tests.sh bad_input RT_TRACE WORKDIR           one-line errors, exit codes
#   viewer_tests.sh browser RT_TRACE WORKDIR SRCDIR      viewer_test.js in chromium
#
# setup records two short editor-sim runs (seeds 2 and 3) through the real
# path (rt-trace record under LTTng: needs a session daemon, as the other
# tracing tests). The node cases install viewer/'s locked packages with
# `npm ci` when viewer/node_modules is missing (offline when npm's cache has
# them).
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../support/checks.sh
. "$here/../support/checks.sh"
fails=0
CASE=$1
shift

npm_ready() { # SRCDIR: viewer/node_modules present, else npm ci
    local v=$1/viewer
    [ -d "$v/node_modules/playwright-core" ] && [ -d "$v/node_modules/uplot" ] && return 0
    (cd "$v" && npm ci --prefer-offline --no-audit --no-fund >/dev/null) ||
        { fail "npm ci in $v failed"; return 1; }
}

case $CASE in
setup)
    RT=$1 APP=$2 WORK=$3
    rm -rf "$WORK" && mkdir -p "$WORK"
    for s in a:2 b:3; do
        "$RT" record -q -o "$WORK/${s%%:*}.db" -- "$APP" --duration 3 --key-rate 25 \
            --seed "${s##*:}" >"$WORK/${s%%:*}.log" 2>&1 ||
            { cat "$WORK/${s%%:*}.log" >&2; fail "record seed ${s##*:}"; }
    done
    ;;
npm)
    npm_ready "$1"
    ;;
dist)
    SRC=$1
    npm_ready "$SRC" || exit 1
    node "$SRC/viewer/build.js" --check || fail "viewer/dist/rtk-viewer.html is stale"
    # the page asks for nothing outside itself
    grep -Eq '<(script|link)[^>]+(src|href)="(https?:)?//' "$SRC/viewer/dist/rtk-viewer.html" &&
        fail "the built page loads something from the network"
    ;;
bad_input)
    RT=$1 WORK=$2
    run() { # run EXPECTED_RC PATTERN ARGS...: one stderr line matching PATTERN
        local want=$1 pat=$2 rc
        shift 2
        "$RT" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
        rc=$?
        [ $rc -eq "$want" ] || fail "rt-trace $*: exit $rc, expected $want"
        [ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "rt-trace $*: not one stderr line: $(cat "$WORK/err")"
        grep -Eq "$pat" "$WORK/err" || fail "rt-trace $*: stderr [$(cat "$WORK/err")] lacks /$pat/"
    }
    printf 'not a database\n' >"$WORK/foreign.db"
    run 1 '^rt-trace view: .*missing\.db' view "$WORK/missing.db" --no-open
    run 1 '^rt-trace view: .*foreign\.db: not an rt-trace database' view "$WORK/foreign.db" --no-open
    run 1 '^rt-trace report: .*missing\.db' report "$WORK/missing.db" -o "$WORK/r.html"
    run 1 '^rt-trace report: .*foreign\.db' report "$WORK/a.db" "$WORK/foreign.db" -o "$WORK/r.html"
    # a damaged database: one line naming the file, not the API's JSON
    cp "$WORK/a.db" "$WORK/broken.db" && sqlite3 "$WORK/broken.db" "DROP TABLE inputs"
    run 1 '^rt-trace report: .*broken\.db: cannot read the trace tables: no such table: inputs' \
        report "$WORK/broken.db" -o "$WORK/r.html"
    [ -e "$WORK/r.html" ] && fail "a failed report left its output"
    ls "$WORK"/.r.html.* >/dev/null 2>&1 && fail "a failed report left its temporary file"
    # the output is never one of the inputs, a directory or a replaced FIFO
    # or link (tools/rt-trace/out_file.c, shared with export)
    cp "$WORK/a.db" "$WORK/self.db"
    run 2 "^rt-trace report: -o $WORK/self\.db is the database itself" \
        report "$WORK/b.db" "$WORK/self.db" -o "$WORK/self.db"
    cmp -s "$WORK/a.db" "$WORK/self.db" || fail "report -o DB changed the database"
    mkdir -p "$WORK/outdir"
    run 2 "^rt-trace report: -o $WORK/outdir is a directory, not a file" \
        report "$WORK/a.db" -o "$WORK/outdir"
    rm -f "$WORK/fifo" && mkfifo "$WORK/fifo"
    cat "$WORK/fifo" >"$WORK/from_fifo.html" &
    reader=$!
    "$RT" report "$WORK/a.db" -o "$WORK/fifo" >/dev/null || fail "report to a FIFO failed"
    wait "$reader"
    [ -p "$WORK/fifo" ] || fail "report replaced the FIFO"
    grep -q '<script id="rtk-data"' "$WORK/from_fifo.html" || fail "the FIFO got no page"
    rm -f "$WORK/target.html" "$WORK/link.html"
    ln -s target.html "$WORK/link.html"
    "$RT" report "$WORK/a.db" -o "$WORK/link.html" >/dev/null || fail "report to a link failed"
    [ -L "$WORK/link.html" ] || fail "report replaced the symbolic link"
    cmp -s "$WORK/target.html" "$WORK/from_fifo.html" || fail "the link's file is not the page"
    # a device is written in place, its error named, the device kept
    run 1 '^rt-trace report: write failed: /dev/full: No space left on device$' \
        report "$WORK/a.db" -o /dev/full
    [ -c /dev/full ] || fail "report replaced /dev/full"
    run 2 '^rt-trace view: no database given' view
    run 2 '^rt-trace view: --port: not a port' view "$WORK/a.db" --port 70000
    run 2 '^rt-trace view: unknown option: --bogus' view "$WORK/a.db" --bogus
    run 2 '^rt-trace report: no output file' report "$WORK/a.db"
    run 1 "^rt-trace report: cannot create the output file: $WORK/nodir/r.html: No such file" report "$WORK/a.db" -o "$WORK/nodir/r.html"
    "$RT" view --help | grep -q '^usage: rt-trace view' || fail "view --help"
    "$RT" report --help | grep -q '^usage: rt-trace report' || fail "report --help"
    # a port in use: take one with a first server (its URL line is awaited
    # on its stdout), ask a second for it
    coproc FIRST { exec "$RT" view "$WORK/a.db" --no-open 2>&1; }
    first=$FIRST_PID
    line=""
    read -r -t 30 line <&"${FIRST[0]}" || true
    port=$(grep -o '127\.0\.0\.1:[0-9]*' <<<"$line" | cut -d: -f2)
    if [ -z "$port" ]; then
        fail "the first server printed no URL: $line"
    else
        run 1 "^rt-trace view: port $port is in use" view "$WORK/a.db" --port "$port" --no-open
        # the first still serves
        curl -fsS "http://127.0.0.1:$port/api/meta" | grep -q '"schema_version"' ||
            fail "the first server stopped answering"
    fi
    kill "$first" && wait "$first"
    [ $? -eq 0 ] || fail "view did not exit 0 on SIGTERM"
    ;;
browser)
    RT=$1 WORK=$2 SRC=$3
    npm_ready "$SRC" || exit 1
    node "$here/viewer_test.js" "$RT" "$WORK/a.db" "$WORK/b.db" "$WORK/browser" || fails=$((fails + 1))
    ;;
*)
    echo "viewer_tests.sh: unknown case '$CASE'" >&2
    exit 2
    ;;
esac
[ $fails -eq 0 ] || { echo "viewer_tests.sh $CASE: $fails failure(s)" >&2; exit 1; }
echo "viewer_tests.sh $CASE: ok"
