#!/usr/bin/env bash
# decoder_tests.sh - ingest's own CTF reader (tools/analysis/ctf/) against
# babeltrace2, its oracle: the same recorded trace read by each
# (RTT_DECODER=rtk / RTT_DECODER=babeltrace2) must give the same database,
# row for row; and a trace the own reader cannot read must end as
# babeltrace2 alone would end it.
#
#   decoder_tests.sh RT_TRACE TPGEN WORKDIR CASE
#
# Each CASE is one CTest test. Needs root or a user session daemon
# (rt-trace record starts one if none runs).
set -u
RT=$1 GEN=$2 WORK=$3 CASE=$4
D="$WORK/decoder_$CASE" # ingest_tests.sh has a case "discarded" too
support=$(cd "$(dirname "$0")/../support" && pwd) || exit 1
rm -rf "$D" && mkdir -p "$D" && cd "$D" || exit 1
fails=0
. "$support/checks.sh" # fail, q, eq

# The database as text, without what differs between two ingests of one
# trace: the ingest times and the decoder's name.
dump() {
    sqlite3 "$1" .dump | grep -v "'decoder'\|'last_ingest'" |
        sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'/'T'/g"
}

# same_rows DB_SUFFIX INPUT...: ingest INPUTs with each decoder; the two
# databases must be equal, and each must say which decoder made it.
same_rows() {
    local s=$1; shift
    rm -f "own$s.db" "bt$s.db"
    RTT_DECODER=rtk "$RT" ingest -q "$@" -o "own$s.db" 2>own.err ||
        fail "own reader: exit $?: $(cat own.err)"
    RTT_DECODER=babeltrace2 "$RT" ingest -q "$@" -o "bt$s.db" 2>bt.err ||
        fail "babeltrace2: exit $?: $(cat bt.err)"
    eq "own$s.db" "SELECT value FROM meta WHERE key='decoder'" rtk
    eq "bt$s.db" "SELECT value FROM meta WHERE key='decoder'" babeltrace2
    dump "own$s.db" >own.sql
    dump "bt$s.db" >bt.sql
    [ "$(wc -l <own.sql)" -gt 30 ] || fail "dump too short: $(wc -l <own.sql) lines"
    cmp -s own.sql bt.sql || fail "databases differ: $(diff own.sql bt.sql | head -5)"
}

case $CASE in
empty_names)
    # babeltrace2 2.0.4 reuses event objects and leaves an empty string's
    # bytes as they were (its CLI prints "named" for all but a few of the
    # empty names here): the sink reads strings by length, so both
    # decoders give 1000 unnamed tasks and 1001 named ones.
    "$RT" record -q -o run.db --keep-trace tr -- "$GEN" names 2000 || fail "record exit $?"
    same_rows 1 tr
    for db in own1.db bt1.db; do
        eq $db "SELECT count(*) FROM tasks WHERE coalesce(name, '') = ''" 1000
        eq $db "SELECT count(*) FROM tasks WHERE name = 'named'" 1001
    done
    ;;
script)
    # Every kind of rtk event, as rtt_tpgen scripts them; the default
    # decoder for a whole LTTng-UST trace is the own one.
    "$RT" record -q -o run.db --keep-trace tr -- "$GEN" script || fail "record exit $?"
    eq run.db "SELECT value FROM meta WHERE key='decoder'" rtk
    same_rows 1 tr
    eq own1.db "SELECT events FROM traces" 672
    ;;
discarded)
    # Tiny buffers: discarded events (first packets and later ones) and
    # their time ranges come out as babeltrace2 reports them.
    "$RT" record -q -o run.db --subbuf-size 4096 --num-subbuf 2 --keep-trace tr -- \
        "$GEN" loop 100000 2>/dev/null || fail "record exit $?"
    same_rows 1 tr
    n=$(q own1.db "SELECT count(*) FROM tracer_loss WHERE what='events'")
    [ "$n" -gt 0 ] || fail "expected discarded-events rows, got $n"
    ;;
per_pid)
    # Three processes, per-PID buffers: three traces merged in time order.
    # --skip-unreadable: as in ingest_tests.sh per_pid_procs (a foreign
    # traced process's unfinished trace is left out by both decoders).
    "$RT" record -q --all-processes --skip-unreadable --buffering per-pid -o run.db --keep-trace tr -- \
        "$GEN" procs 3 || fail "record exit $?"
    same_rows 1 --skip-unreadable tr
    eq own1.db "SELECT count(DISTINCT trace) FROM procs WHERE procname='exe'" 3
    ;;
two_traces)
    # Two recordings ingested together: two traces, ordered by the muxer's
    # rule for equal times (trace UUID first).
    "$RT" record -q -o a.db --keep-trace ta -- "$GEN" script || fail "record a exit $?"
    "$RT" record -q -o b.db --keep-trace tb -- "$GEN" loop 2000 || fail "record b exit $?"
    same_rows 1 ta tb
    eq own1.db "SELECT count(*) FROM traces" 2
    ;;
corrupt_event)
    # An event of a class the metadata does not have, inside a packet whose
    # header and sizes are intact (so the damage check does not see it):
    # the own reader gives up and babeltrace2 reads the trace; the outcome
    # is babeltrace2's own (here: its error).
    "$RT" record -q -o run.db --subbuf-size 65536 --keep-trace tr -- "$GEN" loop 3000 ||
        fail "record exit $?"
    f=$(ls -S $(find tr -name 'rtk_*' -type f) | head -1)
    [ -n "$f" ] || fail "no stream file"
    # LTTng-UST's packet header (32 bytes) and context (52) end at 84,
    # where the first event header starts (byte-aligned): 0xffff (extended)
    # then a 32-bit id at 86, whose high half at 88 becomes 0xfffe: an id
    # the metadata does not have.
    printf '\376\377' | dd of="$f" bs=1 seek=88 conv=notrunc status=none
    RTT_DECODER=babeltrace2 "$RT" ingest -q tr -o bt.db >/dev/null 2>bt.err
    btrc=$?
    RTT_DEBUG_DECODER=1 "$RT" ingest -q tr -o def.db >/dev/null 2>def.err
    defrc=$?
    [ "$btrc" != 0 ] || fail "babeltrace2 read an unknown event class"
    [ "$defrc" = "$btrc" ] || fail "exit $defrc, babeltrace2 alone $btrc"
    grep -q "reading with babeltrace2: .*$(basename "$f")" def.err ||
        fail "no fallback named the stream file: $(cat def.err)"
    grep -v "reading with babeltrace2" def.err >def.rest
    cmp -s def.rest bt.err || fail "errors differ: [$(cat def.rest)] vs [$(cat bt.err)]"
    if [ "$btrc" = 0 ]; then
        dump def.db >def.sql
        dump bt.db >bt.sql
        cmp -s def.sql bt.sql || fail "databases differ after the fallback"
        eq def.db "SELECT value FROM meta WHERE key='decoder'" babeltrace2
    else
        [ ! -e def.db ] || fail "a failed ingest left def.db"
    fi
    RTT_DECODER=rtk "$RT" ingest -q tr -o own.db >/dev/null 2>own.err &&
        fail "RTT_DECODER=rtk: exit 0 on a trace it cannot read"
    [ "$(wc -l <own.err)" = 1 ] && grep -q "rtk CTF reader cannot read this" own.err ||
        fail "RTT_DECODER=rtk: [$(cat own.err)]"
    [ ! -e own.db ] || fail "a failed ingest left own.db"
    ;;
refused_metadata)
    # A clock this reader does not take (not 1 GHz): refused before any
    # row, read by babeltrace2, same length so the packets stay valid.
    "$RT" record -q -o run.db --keep-trace tr -- "$GEN" script || fail "record exit $?"
    m=$(find tr -name metadata | head -1)
    grep -q 'freq = 1000000000;' "$m" || fail "no 1 GHz clock in $m"
    sed -i 's/freq = 1000000000;/freq = 1000000001;/' "$m"
    RTT_DEBUG_DECODER=1 "$RT" ingest -q tr -o def.db 2>def.err || fail "ingest exit $?: $(cat def.err)"
    grep -q "reading with babeltrace2: not one clock in nanoseconds" def.err ||
        fail "no refusal reason: $(cat def.err)"
    eq def.db "SELECT value FROM meta WHERE key='decoder'" babeltrace2
    eq def.db "SELECT events FROM traces" 672
    ;;
*)
    echo "unknown case $CASE" >&2
    exit 2
    ;;
esac
[ "$fails" -eq 0 ] || exit 1
