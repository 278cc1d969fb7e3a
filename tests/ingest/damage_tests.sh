#!/usr/bin/env bash
# damage_tests.sh - rt-trace ingest on damaged, rotated and unreadable
# traces (issue #13, items 3-6).
#
#   damage_tests.sh RT_TRACE TPGEN WORKDIR CASE
#
# Every trace is a real one (rtt_tpgen under LTTng) or a damaged copy of
# one. Expected values come from babeltrace2 run on a copy cut by hand at
# the same packet boundary, from rtt_tpgen's script (672 rtk events, 122
# tasks per run), or from the offsets the damage was made at, never from
# rt-trace's own output. Each CASE is one CTest test.
set -u
RT=$1 GEN=$2 WORK=$3 CASE=$4
D="$WORK/$CASE"
support=$(cd "$(dirname "$0")/../support" && pwd) || exit 1
rm -rf "$D" && mkdir -p "$D" && cd "$D" || exit 1
# Views of damaged traces go to $TMPDIR: one of our own, checked empty.
export TMPDIR="$D/tmp"
mkdir -p "$TMPDIR"

fails=0
. "$support/checks.sh" # fail, q, eq
# expect_error PATTERN CMD...: non-zero exit, one stderr line matching
# PATTERN (grep -E), nothing on stdout, no crash.
expect_error() {
    local pat=$1; shift
    "$@" >out.txt 2>err.txt
    local rc=$?
    [ $rc -ne 0 ] || fail "$*: exit 0, expected failure"
    [ "$(wc -l <err.txt)" -eq 1 ] || fail "$*: expected one stderr line, got: $(cat err.txt)"
    grep -qE -- "$pat" err.txt || fail "$*: stderr [$(cat err.txt)] lacks [$pat]"
    [ ! -s out.txt ] || fail "$*: unexpected stdout: $(cat out.txt)"
    grep -qi "sanitizer\|segmentation\|core dumped\|0x[0-9a-f]\{6\}" err.txt &&
        fail "$*: crashed or printed an address: $(cat err.txt)"
    return 0
}
no_views_left() {
    [ -z "$(ls -A "$TMPDIR")" ] || fail "temp views left behind: $(ls -A "$TMPDIR")"
}
bt_events() { babeltrace2 "$1" 2>/dev/null | grep -c ' rtk:'; }

SCRIPT_EVENTS=672
# What a packet's garbage reads as (the rtk reader's words, errors.c's for
# babeltrace2's): see corrupt_header and garbage_sweep.
DAMAGE="an event of an unknown event class|an event past the packet's content|an event header past the packet's content|time goes back|a clock value out of range"
PKT=8192 # --subbuf-size: the largest packet of the loop trace

# u64 big-endian at byte OFF of FILE, in decimal.
u64be() { printf '%d' "0x$(od -An -v -t x1 -j "$2" -N 8 "$1" | tr -d ' \n')"; }

# Offset and bytes of packet K (from 0) of $T/$F, from LTTng's own index
# file (index/F.idx: a 16-byte header ending in the entry length IDXLEN,
# then per packet offset and packet_size in bits, big-endian).
pkt_off() { u64be "$T/index/$F.idx" $((16 + $1 * IDXLEN)); }
pkt_size() { echo $(($(u64be "$T/index/$F.idx" $((16 + $1 * IDXLEN + 8))) / 8)); }

# A trace whose big stream file has several packets; sets T (the trace
# directory), F (the stream file's name), IDXLEN (its index's entry
# length), NPKT (its packets) and LAST and LASTSIZE (offset and bytes of
# its last packet).
loop_trace() {
    "$RT" record -q -o loop.db --subbuf-size $PKT --num-subbuf 64 --keep-trace tr -- "$GEN" loop 3000 \
        2>/dev/null || fail "record"
    T=$(dirname "$(find tr -name metadata | head -1)")
    F=$(basename "$(ls -S "$T"/rtk_* | head -1)")
    local idx="$T/index/$F.idx"
    IDXLEN=$(printf '%d' "0x$(od -An -v -t x1 -j 12 -N 4 "$idx" | tr -d ' \n')")
    NPKT=$((($(stat -c %s "$idx") - 16) / IDXLEN))
    LAST=$(pkt_off $((NPKT - 1)))
    LASTSIZE=$(pkt_size $((NPKT - 1)))
    [ "$NPKT" -ge 4 ] && [ $((LAST + LASTSIZE)) -eq "$(stat -c %s "$T/$F")" ] ||
        fail "expected >= 4 packets in $T/$F ending at its size: $NPKT, $LAST + $LASTSIZE"
}

case $CASE in
truncated_tail)
    # The last packet of a stream file cut short (a crash, a full disk):
    # ingested up to the packet before it, the damage stored and printed.
    loop_trace
    good=$LAST
    half=$((LASTSIZE / 2))
    cp -r tr cut && truncate -s $((good + half)) "cut/${T#tr/}/$F"
    # Ground truth: babeltrace2 on a copy cut at the packet boundary.
    cp -r tr ref && truncate -s $good "ref/${T#tr/}/$F" && rm -f "ref/${T#tr/}/index/$F.idx"
    want=$(bt_events ref)
    [ "$want" -gt 0 ] || fail "babeltrace2 read no events from the reference"
    "$RT" ingest cut -o d.db >out.txt 2>err.txt || fail "ingest exit $?: $(cat err.txt)"
    grep -q "warning: truncated packet at offset $good (the packet needs $LASTSIZE bytes, the file has $half): ingested the $((NPKT - 1)) whole packets before it, not the last $half bytes: $D/cut/${T#tr/}/$F\$" err.txt ||
        fail "warning: $(cat err.txt)"
    grep -q "1 trace, $want rtk events.*1 damaged or skipped file" err.txt || fail "summary line: $(cat err.txt)"
    eq d.db "SELECT events FROM traces" "$want"
    eq d.db "SELECT trace || '|' || file || '|' || what || '|' || offset || '|' || bytes FROM ingest_issues" \
        "1|$D/cut/${T#tr/}/$F|truncated|$good|$half"
    eq d.db "SELECT count(*) FROM ingest_issues i, traces t WHERE i.begin_ts BETWEEN t.first_ts AND t.last_ts + 1000000000" 1 "begin_ts in the trace"
    eq d.db "SELECT count(*) FROM tracer_loss WHERE stream NOT LIKE '$D/cut/%'" 0 "loss rows name the files as found"
    # Queries mention it beside tracer loss.
    "$RT" summary d.db --format json >s.json 2>s.err || fail "summary"
    grep -q '"ingest_issues": 1' s.json || fail "summary json: $(cat s.json)"
    grep -q "\"ingest_issue_bytes\": $half" s.json || fail "summary json bytes"
    grep -q "warning: d.db: 1 stream file was damaged or skipped at ingest, $half bytes not read" s.err ||
        fail "summary stderr: $(cat s.err)"
    "$RT" summary d.db 2>/dev/null | grep -qE '^ +ingest_issues +1$' || fail "summary table row"
    "$RT" drops d.db 2>/dev/null | grep -qE '^ingest +damaged_or_skipped_files +- +1 ' || fail "drops row"
    "$RT" latency d.db 2>&1 >/dev/null | grep -q "warning: d.db: 1 stream file" || fail "latency warning"
    # --strict: an error, nothing written.
    expect_error "^rt-trace ingest: truncated packet at offset $good .*--strict refuses a damaged trace: $D/cut/${T#tr/}/$F\$" \
        "$RT" ingest --strict cut -o s.db
    [ ! -e s.db ] || fail "--strict wrote s.db"
    # The same damage into an existing database: stored with its trace.
    "$RT" record -q -o e.db -- "$GEN" script || fail "record e.db"
    "$RT" ingest -q cut -o e.db 2>/dev/null || fail "ingest into e.db"
    eq e.db "SELECT t.events FROM ingest_issues i JOIN traces t USING (trace)" "$want"
    # --force replaces the trace and its issues.
    "$RT" ingest -q --force tr -o e.db 2>/dev/null || fail "ingest --force"
    eq e.db "SELECT count(*) FROM ingest_issues" 0 "issues after --force"
    no_views_left
    ;;
broken_tail)
    # Garbage after the last packet, and a stream file with no whole
    # packet at all: nothing good is lost, the rest is read.
    loop_trace
    full=$(bt_events tr)
    size=$(stat -c %s "$T/$F")
    cp -r tr junk && head -c 5000 /dev/zero >>"junk/${T#tr/}/$F"
    "$RT" ingest junk -o j.db 2>err.txt || fail "ingest junk: $(cat err.txt)"
    grep -q "warning: broken packet header at offset $size (no packet magic number): ingested the $NPKT whole packets before it, not the last 5000 bytes" err.txt ||
        fail "warning: $(cat err.txt)"
    eq j.db "SELECT events FROM traces" "$full"
    eq j.db "SELECT what || '|' || offset || '|' || bytes FROM ingest_issues" "broken-tail|$size|5000"
    # A stream file cut inside its first packet: left out whole.
    small=$(basename "$(ls -S "$T"/rtk_* | tail -1)")
    [ "$small" != "$F" ] || fail "expected two stream files"
    cp -r tr first && truncate -s 100 "first/${T#tr/}/$small"
    cp -r tr ref && rm "ref/${T#tr/}/$small" "ref/${T#tr/}/index/$small.idx"
    want=$(bt_events ref)
    "$RT" ingest -q first -o f.db 2>err.txt || fail "ingest first: $(cat err.txt)"
    eq f.db "SELECT events FROM traces" "$want"
    eq f.db "SELECT what || '|' || offset || '|' || bytes FROM ingest_issues" "truncated|0|100"
    grep -qE "warning: truncated packet at offset 0 \(the packet needs [0-9]+ bytes, the file has 100\): ingested the 0 whole packets before it, not the last 100 bytes: $D/first/${T#tr/}/$small\$" err.txt ||
        fail "first-packet warning: $(cat err.txt)"
    no_views_left
    ;;
corrupt_header)
    # A bad packet header with good packets after it: an error naming the
    # file and the offset, never a silent cut.
    loop_trace
    off=$(pkt_off 2)
    cp -r tr bad && printf 'XXXX' | dd of="bad/${T#tr/}/$F" bs=1 seek=$off conv=notrunc 2>/dev/null
    expect_error "^rt-trace ingest: corrupt packet header at offset $off \(no packet magic number; good packets follow\): $D/bad/${T#tr/}/$F\$" \
        "$RT" ingest bad -o x.db
    [ ! -e x.db ] || fail "x.db left behind"
    # Garbage inside that packet (its header intact): babeltrace2 fails
    # while decoding; the error names the stream file and the packet's
    # offset, without addresses. What the garbage reads as depends on
    # where the events fall, which depends on the recording's timing (an
    # event header gets 0x1f as its id: an unknown class; an event's
    # fields: an id read from the garbage, or an event running past the
    # content): one of $DAMAGE.
    cp -r tr mid && head -c 512 /dev/zero | tr '\0' '\377' |
        dd of="mid/${T#tr/}/$F" bs=1 seek=$((off + 2048)) conv=notrunc 2>/dev/null
    expect_error "^rt-trace ingest: cannot read trace: corrupt packet at offset $off \($DAMAGE\): $D/mid/${T#tr/}/$F\$" \
        "$RT" ingest mid -o x.db
    grep -q "addr=\|state=" err.txt && fail "internal names in: $(cat err.txt)"
    [ ! -e x.db ] || fail "x.db left behind"
    # The first event's time (its extended header's 64-bit timestamp, at
    # byte 90: after the packet header and context, 84 bytes, a 16-bit
    # 0xffff and the 32-bit id) set to 0, before its packet's beginning.
    # babeltrace2's muxer says only that a timestamp is less than the last
    # one, which alone once read as "clocks are not comparable".
    cp -r tr back && head -c 8 /dev/zero | dd of="back/${T#tr/}/$F" bs=1 seek=90 conv=notrunc 2>/dev/null
    expect_error "^rt-trace ingest: cannot read trace: corrupt packet at offset 0 \(time goes back\): $D/back/${T#tr/}/$F\$" \
        "$RT" ingest back -o x.db
    [ ! -e x.db ] || fail "x.db left behind"
    no_views_left
    ;;
garbage_sweep)
    # 512 bytes of 0xff written at 40 places across one packet (its header
    # left intact): each ingest either reads the trace (the garbage fell in
    # the packet's padding, after its content) or fails with one line
    # naming the packet's offset and the file, a reason from $DAMAGE, and
    # writes nothing. Garbage read as an event's context once made ingest
    # fail with "out of memory" (a vpid of -1).
    loop_trace
    off=$(pkt_off 2)
    psize=$(pkt_size 2)
    full=$("$RT" ingest -q tr -o full.db 2>&1 && q full.db "SELECT events FROM traces")
    read_ok=0 failed=0
    for i in $(seq 0 39); do
        at=$((off + 128 + i * (psize - 128 - 512) / 39))
        rm -rf g && cp -r tr g && head -c 512 /dev/zero | tr '\0' '\377' |
            dd of="g/${T#tr/}/$F" bs=1 seek=$at conv=notrunc 2>/dev/null
        if "$RT" ingest -q g -o g.db >out.txt 2>err.txt; then
            read_ok=$((read_ok + 1))
            n=$(q g.db "SELECT events FROM traces")
            [ "$n" -le "$full" ] || fail "garbage at $at: $n events, more than the $full of the trace"
            rm -f g.db
        else
            failed=$((failed + 1))
            [ "$(wc -l <err.txt)" -eq 1 ] && [ ! -s out.txt ] && [ ! -e g.db ] &&
                grep -qE "^rt-trace ingest: cannot read trace: corrupt packet at offset $off \(($DAMAGE)\): $D/g/${T#tr/}/$F\$" err.txt ||
                fail "garbage at $at (packet at $off): $(cat out.txt err.txt)"
        fi
    done
    # Most of a packet is events: most places must fail.
    [ "$failed" -ge 30 ] || fail "only $failed of 40 places failed ($read_ok read)"
    no_views_left
    ;;
metadata_error)
    # TSDL with a syntax error at a known line: the error names the
    # metadata file and that line. Under ASan: babeltrace2's parser leaks
    # on such errors (tests/lsan.supp); its frames are only seen, and so
    # suppressed, with the slow unwinder.
    [ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
    "$RT" record -q -o good.db --keep-trace tr -- "$GEN" script || fail "record"
    T=$(dirname "$(find tr -name metadata | head -1)")
    babeltrace2 --output-format=ctf-metadata "$T" >meta.txt || fail "metadata text"
    cp -r tr syn
    awk 'NR == 22 { print "\tthis is not tsdl;"; next } { print }' meta.txt >"syn/${T#tr/}/metadata"
    expect_error "^rt-trace ingest: cannot open trace: metadata line 22: syntax error near \"is\": $D/syn/${T#tr/}/metadata\$" \
        "$RT" ingest syn -o x.db
    grep -q "Cannot create trace for" err.txt && fail "babeltrace2's wording: $(cat err.txt)"
    # The same at line 5, in a type alias.
    awk 'NR == 5 { print "typealias integer { size = ; } := broken_t;"; next } { print }' meta.txt >"syn/${T#tr/}/metadata"
    expect_error "^rt-trace ingest: cannot open trace: metadata line 5: .*: $D/syn/${T#tr/}/metadata\$" \
        "$RT" ingest syn -o x.db
    [ ! -e x.db ] || fail "x.db left behind"
    ;;
rotation)
    # A real rotated session: two chunks of one trace UUID are one trace.
    command -v lttng >/dev/null || { echo "[$CASE] skipped: no lttng command"; exit 0; }
    S="rtt-rot-$$-$RANDOM"
    P="rg$$" # our own process name: the filter keeps other tests' events out
    cp "$GEN" "./$P"
    trap 'lttng destroy "$S" >/dev/null 2>&1' EXIT
    lttng create "$S" --output="$D/session" >/dev/null || fail "lttng create"
    lttng enable-event -u 'rtk:*' -s "$S" --filter "\$ctx.procname == \"$P\"" >/dev/null || fail "enable-event"
    lttng add-context -u -t vpid -t procname -s "$S" >/dev/null || fail "add-context"
    lttng start "$S" >/dev/null || fail "lttng start"
    "./$P" script || fail "run 1"
    lttng rotate "$S" >/dev/null || fail "lttng rotate"
    "./$P" script || fail "run 2"
    lttng stop "$S" >/dev/null || fail "lttng stop"
    lttng destroy "$S" >/dev/null || fail "lttng destroy"
    trap - EXIT
    lttng list 2>/dev/null | grep -q "$S" && fail "session $S still exists"
    chunks=$(find session -name metadata | wc -l)
    [ "$chunks" -eq 2 ] || fail "expected 2 chunks, found $chunks"
    [ "$(bt_events session)" -eq $((2 * SCRIPT_EVENTS)) ] || fail "babeltrace2 reads $(bt_events session) events"
    "$RT" ingest session -o r.db 2>err.txt || fail "ingest: $(cat err.txt)"
    grep -q "^rt-trace ingest: 1 trace, $((2 * SCRIPT_EVENTS)) rtk events -> r.db\$" err.txt || fail "printed: $(cat err.txt)"
    eq r.db "SELECT count(*) || ':' || sum(events) FROM traces" "1:$((2 * SCRIPT_EVENTS))" "stored counts"
    eq r.db "SELECT count(*) FROM procs WHERE procname='$P'" 2
    eq r.db "SELECT group_concat(n) FROM (SELECT count(*) AS n FROM tasks GROUP BY proc)" "122,122" "tasks per run"
    eq r.db "SELECT count(*) FROM commands WHERE flags=0" 16
    # The same trace again: refused, with a message that is true.
    before=$(md5sum r.db)
    expect_error "already in the database \(ingested .* from the same directory\).*--force" "$RT" ingest session -o r.db
    [ "$before" = "$(md5sum r.db)" ] || fail "refused ingest changed r.db"
    # One chunk, then the other in a later run: refused, told why.
    c1=$(dirname "$(find session -name metadata | sort | head -1)")
    c2=$(dirname "$(find session -name metadata | sort | tail -1)")
    "$RT" ingest -q "$c1" -o one.db || fail "ingest chunk 1"
    eq one.db "SELECT events FROM traces" $SCRIPT_EVENTS "chunk 1 alone"
    expect_error "already in the database .*another chunk of a rotated session: ingest all its chunks in one run" "$RT" ingest "$c2" -o one.db
    # Two copies of one chunk are not a rotation.
    mkdir copies && cp -r "$c1" copies/a && cp -r "$c1" copies/b
    expect_error "^rt-trace ingest: the same trace twice .*: $D/copies/a and $D/copies/b\$" "$RT" ingest copies -o c.db
    [ ! -e c.db ] || fail "c.db left behind"
    ;;
permissions)
    # Root reads everything: run the ingests as nobody.
    if [ "$(id -u)" -eq 0 ]; then
        if setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
            AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
        elif runuser -u nobody -- true 2>/dev/null; then
            AS=(runuser -u nobody --)
        else
            echo "[$CASE] skipped: running as root and cannot drop privileges (setpriv, runuser)"
            exit 0
        fi
        if ! "${AS[@]}" test -x "$RT" || ! "${AS[@]}" test -r "$D"; then
            echo "[$CASE] skipped: user nobody cannot reach $RT or $D"
            exit 0
        fi
    else
        AS=()
    fi
    "$RT" record -q -o a.db --keep-trace t1 -- "$GEN" script || fail "record 1"
    "$RT" record -q -o b.db --keep-trace t2 -- "$GEN" script || fail "record 2"
    mkdir -p two/a two/b && mv t1 two/a/ && mv t2 two/b/
    chmod -R a+rX two && chmod 777 "$D" "$TMPDIR"
    # An unreadable sub-folder: an error naming it.
    chmod 000 two/b/t2
    expect_error "^rt-trace ingest: permission denied: $D/two/b/t2\$" "${AS[@]}" "$RT" ingest two -o x.db
    [ ! -e x.db ] || fail "x.db left behind"
    # ... or, with --skip-unreadable, a warning, and the rest ingested.
    "${AS[@]}" "$RT" ingest --skip-unreadable two -o s.db 2>err.txt || fail "--skip-unreadable: $(cat err.txt)"
    grep -q "^rt-trace ingest: warning: permission denied: $D/two/b/t2 (skipped)\$" err.txt || fail "warning: $(cat err.txt)"
    eq s.db "SELECT count(*) || ':' || sum(events) FROM traces" "1:$SCRIPT_EVENTS"
    eq s.db "SELECT coalesce(trace, 'null') || '|' || what || '|' || file FROM ingest_issues" "null|unreadable|$D/two/b/t2"
    # A wholly unreadable trace: permission denied, not "no metadata".
    expect_error "^rt-trace ingest: permission denied: $D/two/b/t2\$" "${AS[@]}" "$RT" ingest two/b/t2 -o x.db
    chmod 755 two/b/t2
    # An unreadable metadata file and an unreadable stream file.
    M=$(find two/b -name metadata | head -1)
    chmod 000 "$M"
    expect_error "^rt-trace ingest: permission denied: $D/$M\$" "${AS[@]}" "$RT" ingest two -o x.db
    chmod 644 "$M"
    S1=$(ls -S "$(dirname "$M")"/rtk_* | head -1)
    chmod 000 "$S1"
    expect_error "^rt-trace ingest: permission denied: $D/$S1\$" "${AS[@]}" "$RT" ingest two -o x.db
    [ ! -e x.db ] || fail "x.db left behind"
    "${AS[@]}" "$RT" ingest -q --skip-unreadable two -o u.db 2>err.txt || fail "skip stream file: $(cat err.txt)"
    grep -q "warning: permission denied: $D/$S1 (skipped)" err.txt || fail "stream warning: $(cat err.txt)"
    eq u.db "SELECT what || '|' || file FROM ingest_issues" "unreadable|$D/$S1"
    chmod -R u+rwX two
    no_views_left
    ;;
unfinished_metadata)
    # A per-PID trace whose metadata lacks the stream class its stream files
    # use: what LTTng leaves when a traced process exits (or, under
    # valgrind, is slow) while the session stops. Made from a real one:
    # stream class 0 renamed 9 in the metadata (same length, so the
    # metadata packets stay valid). babeltrace2 refuses it too.
    mkdir two
    "$RT" record -q --buffering per-pid -o a.db --keep-trace two/a -- "$GEN" script || fail "record a"
    "$RT" record -q --buffering per-pid -o b.db --keep-trace two/b -- "$GEN" script || fail "record b"
    M=$(find two/b -name metadata)
    B=$(dirname "$M")
    sed -z -i 's/stream {\n\tid = 0;/stream {\n\tid = 9;/; s/stream_id = 0;/stream_id = 9;/g' "$M"
    [ "$(babeltrace2 --output-format=ctf-metadata "$B" | grep -c '^stream')" -eq 1 ] || fail "stream blocks"
    babeltrace2 --output-format=ctf-metadata "$B" | grep -q "^	id = 9;" || fail "metadata not edited"
    babeltrace2 "$B" >/dev/null 2>&1 && fail "babeltrace2 reads the edited trace"
    why="its metadata declares no stream class 0, which stream file rtk_[0-9]+ uses \(the tracer did not finish writing the metadata\)"
    # An error naming the trace, from either decoder, nothing written.
    for dec in rtk babeltrace2; do
        expect_error "^rt-trace ingest: cannot read trace: $why; --skip-unreadable leaves it out: $D/$B\$" \
            env RTT_DECODER=$dec "$RT" ingest two -o x.db
        [ ! -e x.db ] || fail "x.db left behind ($dec)"
    done
    # --skip-unreadable: a warning, the other trace ingested, the skipped
    # one in ingest_issues.
    "$RT" ingest --skip-unreadable two -o s.db 2>err.txt || fail "--skip-unreadable: $(cat err.txt)"
    grep -qE "^rt-trace ingest: warning: $why: $D/$B \(skipped\)\$" err.txt || fail "warning: $(cat err.txt)"
    eq s.db "SELECT count(*) || ':' || sum(events) FROM traces" "1:$SCRIPT_EVENTS"
    eq s.db "SELECT count(*) FROM traces WHERE path LIKE '$D/two/a/%'" 1
    eq s.db "SELECT coalesce(trace, 'null') || '|' || what || '|' || file FROM ingest_issues" "null|unreadable|$D/$B"
    # Only that trace: with no other, there is nothing to ingest.
    expect_error "^rt-trace ingest: no readable CTF trace: $why: $D/$B \(skipped\)\$" \
        "$RT" ingest --skip-unreadable two/b -o y.db
    [ ! -e y.db ] || fail "y.db left behind"
    # record passes --skip-unreadable on to its ingest.
    "$RT" record --help | grep -q -- "--skip-unreadable" || fail "record --help"
    "$RT" record -q --skip-unreadable -o r.db -- "$GEN" script || fail "record --skip-unreadable"
    eq r.db "SELECT count(*) || ':' || sum(events) FROM traces" "1:$SCRIPT_EVENTS"
    no_views_left
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
cd / && chmod -R u+rwX "$D" 2>/dev/null; rm -rf "$D"
echo "[$CASE] ok"
