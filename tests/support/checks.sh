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
