/* stream.c - one LTTng-UST stream file, item by item (see stream.h). The
 * records of lost data follow babeltrace2 2.0's src.ctf.fs: before a
 * packet, discarded events when events_discarded grew since the previous
 * packet (the stream's first packet: when it is not 0, with no count and
 * the packet's own time range), then discarded packets when packet_seq_num
 * skipped (from the previous packet's end to this one's beginning). Times
 * that go back (an item's, or a packet's beginning or end, against the
 * previous one of the stream) make it give up, as babeltrace2's muxer
 * fails on them. */
#define _DEFAULT_SOURCE /* madvise */
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CTF_MAGIC 0xC1FC1FC1u
/* Pages behind the packets read are given back every this many bytes, so
 * memory stays flat however long the file (the mapping is read once). */
#define RELEASE_BYTES (8u << 20)

static int bad(rtt_ctf_stream_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return 1;
}

/* bad(), for damage inside the current packet: also sets s->damage. */
static int damaged(rtt_ctf_stream_t *s, const char *damage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    snprintf(s->damage, sizeof s->damage, "%s", damage);
    s->damage_off = s->pkt_off;
    return 1;
}

/* ns from origin of a clock value into *ns; 1 with s->err when it is not
 * an int64 (babeltrace2 fails to convert it too). */
static int ns_of(rtt_ctf_stream_t *s, uint64_t cycles, int64_t *ns)
{
    __int128 v = (__int128)s->tr->clock_offset_ns + (__int128)cycles;
    if (v <= INT64_MAX) {
        *ns = (int64_t)v;
        return 0;
    }
    return damaged(s, "a clock value out of range",
                   "clock value %llu out of range at offset %llu",
                   (unsigned long long)cycles, (unsigned long long)s->pkt_off);
}

/* A time babeltrace2 puts on a message of this stream (an item, or a
 * packet's beginning or end): never before the previous one, or its muxer
 * fails ("timestamp is less than ... last returned timestamp"). */
static int next_time(rtt_ctf_stream_t *s, uint64_t cycles, int64_t *ns)
{
    if (ns_of(s, cycles, ns) != 0)
        return 1;
    if (s->have_last && *ns < s->last_ts)
        return damaged(s, "time goes back", "time goes back at offset %llu",
                       (unsigned long long)s->pkt_off);
    s->have_last = 1;
    s->last_ts = *ns;
    return 0;
}

/* The current item's time (and a record's end) from clock values. */
static int item_time(rtt_ctf_stream_t *s, uint64_t begin, int have_end, uint64_t end)
{
    if (next_time(s, begin, &s->ts) != 0 || (have_end && ns_of(s, end, &s->end_ts) != 0))
        return 1;
    return 0;
}

/* Header and context of the packet at s->pkt_off. */
static int read_packet(rtt_ctf_stream_t *s)
{
    const rtt_ctf_trace_t *tr = s->tr;
    uint64_t base = s->pkt_off * 8, fend = s->size * 8, pos = base;
    int64_t ph[RTT_SCOPE_MAX_SLOTS] = {0};
    if (rtt_scope_decode(&tr->phdr, s->map, &pos, fend, ph, s->scratch_str,
                         &s->clock) != 0)
        return bad(s, "packet header past the end at offset %llu",
                   (unsigned long long)s->pkt_off);
    if ((uint32_t)ph[PH_MAGIC] != CTF_MAGIC)
        return bad(s, "bad magic at offset %llu", (unsigned long long)s->pkt_off);
    uint64_t sc_id = tr->have_ph[PH_STREAM_ID] ? (uint64_t)ph[PH_STREAM_ID] : 0;
    if (sc_id >= tr->nsc || !tr->sc[sc_id].defined)
        return bad(s, "unknown stream class %llu", (unsigned long long)sc_id);
    if (s->have_ids && (sc_id != s->sc_id || (uint64_t)ph[PH_INSTANCE] != s->instance))
        return bad(s, "two streams in one file");
    s->have_ids = 1;
    s->sc_id = sc_id;
    s->instance = (uint64_t)ph[PH_INSTANCE];
    s->sc = &tr->sc[sc_id];
    memset(s->pc, 0, sizeof s->pc);
    if (rtt_scope_decode(&s->sc->pctx, s->map, &pos, fend, s->pc, s->scratch_str,
                         &s->clock) != 0)
        return bad(s, "packet context past the end at offset %llu",
                   (unsigned long long)s->pkt_off);
    uint64_t psize = (uint64_t)s->pc[PC_SIZE], csize = (uint64_t)s->pc[PC_CONTENT];
    if (psize == 0 || psize % 8 || psize > fend - base || csize > psize ||
        base + csize < pos)
        return bad(s, "bad packet sizes at offset %llu", (unsigned long long)s->pkt_off);
    s->pkt_bytes = psize / 8;
    s->pos = pos;
    s->content_end = base + csize;
    s->in_packet = 1;
    s->begun = 0;
    s->packets++;
    /* what babeltrace2 reports before this packet */
    const rtt_ctf_sc_t *sc = s->sc;
    if (sc->have_pc[PC_DISCARDED])
        s->due_events = s->have_prev ? s->pc[PC_DISCARDED] != s->prev[PC_DISCARDED]
                                     : s->pc[PC_DISCARDED] != 0;
    s->due_packets = s->have_prev && sc->have_pc[PC_SEQ] &&
                     (uint64_t)s->pc[PC_SEQ] - (uint64_t)s->prev[PC_SEQ] > 1;
    return 0;
}

int rtt_ctf_stream_open(rtt_ctf_stream_t *s, const char *path,
                        const rtt_ctf_trace_t *tr, size_t trace)
{
    memset(s, 0, sizeof *s);
    s->path = path;
    s->tr = tr;
    s->trace = trace;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(s->err, sizeof s->err, "%s: %s", strerror(errno), path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(s->err, sizeof s->err, "%s: %s", strerror(errno), path);
        close(fd);
        return -1;
    }
    if (st.st_size == 0) {
        close(fd);
        return bad(s, "empty stream file");
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) {
        snprintf(s->err, sizeof s->err, "%s: %s", strerror(errno), path);
        return -1;
    }
    posix_madvise(m, (size_t)st.st_size, POSIX_MADV_SEQUENTIAL);
    s->map = m;
    s->size = (uint64_t)st.st_size;
    /* the stream's identity, for the order of equal times */
    if (read_packet(s) != 0)
        return 1;
    s->in_packet = 0;
    s->packets = 0;
    s->due_events = s->due_packets = 0;
    return 0;
}

void rtt_ctf_stream_close(rtt_ctf_stream_t *s)
{
    if (s->map)
        munmap((void *)s->map, (size_t)s->size);
    s->map = NULL;
}

int rtt_ctf_stream_next(rtt_ctf_stream_t *s)
{
    for (;;) {
        if (s->due_events) {
            s->due_events = 0;
            s->item = RTT_ITEM_DISC_EVENTS;
            s->have_count = s->have_prev;
            s->count = s->have_prev ? (uint64_t)s->pc[PC_DISCARDED] -
                                          (uint64_t)s->prev[PC_DISCARDED]
                                    : 0;
            return item_time(s, (uint64_t)(s->have_prev ? s->prev[PC_END] : s->pc[PC_BEGIN]),
                             1, (uint64_t)s->pc[PC_END]);
        }
        if (s->due_packets) {
            s->due_packets = 0;
            s->item = RTT_ITEM_DISC_PACKETS;
            s->have_count = 1;
            s->count = (uint64_t)s->pc[PC_SEQ] - (uint64_t)s->prev[PC_SEQ] - 1;
            return item_time(s, (uint64_t)s->prev[PC_END], 1, (uint64_t)s->pc[PC_BEGIN]);
        }
        if (s->in_packet && !s->begun) {
            /* babeltrace2's packet beginning, after the records */
            int64_t ns;
            s->begun = 1;
            if (next_time(s, (uint64_t)s->pc[PC_BEGIN], &ns) != 0)
                return 1;
        }
        if (s->in_packet && s->pos < s->content_end) {
            const rtt_ctf_sc_t *sc = s->sc;
            int64_t *eh = s->scratch;
            uint64_t end = s->content_end;
            if (rtt_scope_decode(&sc->ehdr, s->map, &s->pos, end, eh, s->scratch_str,
                                 &s->clock) != 0)
                return damaged(s, "an event header past the packet's content",
                               "event header past the packet's content");
            uint64_t id = (uint64_t)eh[EH_ID];
            if (id >= sc->nev || !sc->ev[id].defined)
                return damaged(s, "an event of an unknown event class",
                               "unknown event class %llu", (unsigned long long)id);
            const rtt_ctf_ec_t *ec = &sc->ev[id];
            if (rtt_scope_decode(&sc->ectx, s->map, &s->pos, end, s->ctx, s->ctx_str,
                                 &s->clock) != 0 ||
                rtt_scope_decode(&ec->context, s->map, &s->pos, end, s->scratch,
                                 s->scratch_str, &s->clock) != 0 ||
                rtt_scope_decode(&ec->payload, s->map, &s->pos, end, s->f, s->f_str,
                                 &s->clock) != 0)
                return damaged(s, "an event past the packet's content",
                               "event past the packet's content");
            s->ec = ec;
            s->item = RTT_ITEM_EVENT;
            return item_time(s, s->clock, 0, 0);
        }
        if (s->in_packet) {
            int64_t ns; /* babeltrace2's packet end */
            if (next_time(s, (uint64_t)s->pc[PC_END], &ns) != 0)
                return 1;
            memcpy(s->prev, s->pc, sizeof s->prev);
            s->have_prev = 1;
            s->pkt_off += s->pkt_bytes;
            s->in_packet = 0;
            if (s->pkt_off - s->released >= RELEASE_BYTES) {
                uint64_t upto = s->pkt_off & ~(uint64_t)4095;
                madvise((void *)(s->map + s->released), (size_t)(upto - s->released),
                        MADV_DONTNEED);
                s->released = upto;
            }
        }
        if (s->pkt_off >= s->size) {
            s->item = RTT_ITEM_NONE;
            return 0;
        }
        if (read_packet(s) != 0)
            return 1;
    }
}
