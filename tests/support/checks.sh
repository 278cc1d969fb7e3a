# checks.sh - the assertions the shell test scripts share (sourced by
# tests/ingest/*_tests.sh and tests/record/fault_tests.sh). The caller sets
# CASE (the case's name, for messages) and fails=0; it exits non-zero when
# fails > 0 at the end.

# fail WHAT: report one failed check and go on.
fail() { echo "FAIL [$CASE]: $*" >&2; fails=$((fails + 1)); }
# q DB SQL: the rows of SQL on DB, no header.
q() { sqlite3 -batch -noheader "$1" "$2"; }
# eq DB SQL EXPECTED [WHAT]: SQL's output on DB is exactly EXPECTED.
eq() {
    local got
    got=$(q "$1" "$2" 2>&1)
    [ "$got" = "$3" ] || fail "${4:-$2}: expected [$3], got [$got]"
}
# expect_line STATUS LINE -- CMD...: exit STATUS, exactly LINE on stderr,
# nothing on stdout (out.txt and err.txt in the current directory).
expect_line() {
    local want_rc=$1 want=$2; shift 3
    "$@" >out.txt 2>err.txt
    local rc=$?
    [ $rc -eq "$want_rc" ] || fail "$*: exit $rc, expected $want_rc (stderr: $(cat err.txt))"
    [ "$(cat err.txt)" = "$want" ] || fail "$*: stderr [$(cat err.txt)], expected [$want]"
    [ ! -s out.txt ] || fail "$*: unexpected stdout: $(cat out.txt)"
}
