/* read.c - the own CTF reader's merge of streams into rows (see read.h). */
#define _POSIX_C_SOURCE 200809L
#include "read.h"

#include "events.h"
#include "stream.h"
#include "trace.h"
#include "watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *decoder_env(void)
{
    const char *e = getenv("RTT_DECODER");
    return e ? e : "";
}

int rtt_ctf_required(void) { return strcmp(decoder_env(), "rtk") == 0; }

int rtt_ctf_can_read(const rtt_prepared_t *prep, char *why, size_t len)
{
    if (strcmp(decoder_env(), "babeltrace2") == 0)
        return rtt_ctf_refuse(why, len, "RTT_DECODER=babeltrace2");
    if (prep->nissues)
        return rtt_ctf_refuse(why, len, "damaged or unreadable files");
    if (prep->ntraces == 0)
        return rtt_ctf_refuse(why, len, "no trace");
    for (size_t i = 0; i < prep->ntraces; i++) {
        const rtt_trace_src_t *t = &prep->traces[i];
        if (t->nchunks != 1 || strcmp(t->inputs[0], t->chunks[0]) != 0)
            return rtt_ctf_refuse(why, len, "a rotated session: %s", t->chunks[0]);
        if (t->nfiles == 0)
            return rtt_ctf_refuse(why, len, "no stream file: %s", t->chunks[0]);
    }
    return 0;
}

/* --- the merge ----------------------------------------------------------- */

typedef struct src {
    rtt_ctf_stream_t st;
    char tname[32];    /* the trace's name in the babeltrace2 graph */
    size_t rank;       /* order among streams for equal times */
    uint64_t packets;  /* packets counted for progress */
} src_t;

typedef struct rd {
    rtt_sink_t *sink;
    rtt_ctf_trace_t *tr;
    src_t *srcs;
    size_t nsrcs;
    src_t **heap;
    size_t nheap;
} rd_t;

static inline int before(const src_t *a, const src_t *b)
{
    return a->st.ts < b->st.ts || (a->st.ts == b->st.ts && a->rank < b->rank);
}

static void heap_push(rd_t *r, src_t *s)
{
    size_t i = r->nheap++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(s, r->heap[p]))
            break;
        r->heap[i] = r->heap[p];
        i = p;
    }
    r->heap[i] = s;
}

/* Replace the top by s (NULL: remove it) and restore the order. */
static void heap_fix_top(rd_t *r, src_t *s)
{
    if (!s) {
        if (--r->nheap == 0)
            return;
        s = r->heap[r->nheap];
    }
    size_t i = 0, n = r->nheap;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && before(r->heap[c + 1], r->heap[c]))
            c++;
        if (!before(r->heap[c], s))
            break;
        r->heap[i] = r->heap[c];
        i = c;
    }
    r->heap[i] = s;
}

/* The muxer's order for equal times: trace UUID, trace name ("rtt-<i>",
 * compared as strings), stream class id, stream id. */
static int cmp_rank(const void *pa, const void *pb)
{
    const src_t *a = *(src_t *const *)pa, *b = *(src_t *const *)pb;
    int c = memcmp(a->st.tr->meta.uuid, b->st.tr->meta.uuid, 16);
    if (c)
        return c;
    if ((c = strcmp(a->tname, b->tname)) != 0)
        return c;
    if (a->st.sc_id != b->st.sc_id)
        return a->st.sc_id < b->st.sc_id ? -1 : 1;
    if (a->st.instance != b->st.instance)
        return a->st.instance < b->st.instance ? -1 : 1;
    return 0;
}

static int on_event(rd_t *r, src_t *s)
{
    rtt_sink_t *sink = r->sink;
    const rtt_ctf_stream_t *st = &s->st;
    const rtt_ctf_ec_t *ec = st->ec;
    if (ec->kind < 0) {
        sink->other_events++;
        return 0;
    }
    rtt_trace_in_t *ti = &sink->traces[st->trace];
    const rtt_ctf_trace_t *tr = st->tr;
    int have_vpid = 0;
    int64_t vpid = 0;
    if (st->sc->have_vpid) {
        have_vpid = 1;
        vpid = st->ctx[EC_VPID];
    } else if (tr->have_vpid) {
        have_vpid = 1;
        vpid = tr->vpid;
    }
    int proc = rtt_sink_cached_proc(ti, have_vpid, vpid);
    if (proc < 0) {
        char pn[256];
        const char *pp = NULL;
        if (st->sc->have_procname) {
            const rtt_strref_t *q = &st->ctx_str[EC_STR_PROCNAME];
            snprintf(pn, sizeof pn, "%.*s", (int)q->len, q->p);
            pp = pn;
        }
        proc = rtt_sink_proc(sink, ti, have_vpid, vpid, pp);
        if (proc < 0)
            return -1;
    }
    int64_t f[RTT_MAX_FIELDS];
    for (int i = 0; i < ec->nf; i++)
        f[i] = ec->have_f[i] ? st->f[i] : 0;
    const char *str = NULL;
    char *copy = NULL;
    if (ec->have_str) {
        const rtt_strref_t *q = &st->f_str[0];
        if (q->nul) {
            str = q->p;
        } else {
            copy = malloc((size_t)q->len + 1);
            if (!copy) {
                snprintf(sink->err, sizeof sink->err, "out of memory");
                sink->failed = 1;
                return -1;
            }
            memcpy(copy, q->p, q->len);
            copy[q->len] = '\0';
            str = copy;
        }
    }
    int rc = rtt_sink_emit(sink, ti, proc, ec->kind, st->ts, f, str);
    free(copy);
    return rc;
}

/* A stream this reader cannot go on with: its reason in err, and when it
 * is damage inside a packet, the user's words for it in sink->damage. */
static int give_up(rd_t *r, const rtt_ctf_stream_t *st, char *err, size_t errlen)
{
    if (st->damage[0])
        snprintf(r->sink->damage, sizeof r->sink->damage,
                 "corrupt packet at offset %llu (%s): %s",
                 (unsigned long long)st->damage_off, st->damage, st->path);
    return rtt_ctf_refuse(err, errlen, "%s: %s", st->err, st->path);
}

static int run(rd_t *r, char *err, size_t errlen)
{
    rtt_sink_t *sink = r->sink;
    for (size_t i = 0; i < r->nsrcs; i++) {
        src_t *s = &r->srcs[i];
        if (rtt_ctf_stream_next(&s->st) != 0)
            return give_up(r, &s->st, err, errlen);
        if (s->st.item != RTT_ITEM_NONE)
            heap_push(r, s);
    }
    uint64_t n = 0;
    const src_t *last = NULL;
    while (r->nheap) {
        src_t *s = r->heap[0];
        rtt_ctf_stream_t *st = &s->st;
        if (s != last) { /* names the file in a crash or hang report */
            rtt_watch_reading(sink->watch, st->path, 0);
            last = s;
        }
        int rc = 0;
        if (st->item == RTT_ITEM_EVENT) {
            rc = on_event(r, s);
        } else {
            rc = rtt_sink_loss(sink, &sink->traces[st->trace], st->path,
                               st->item == RTT_ITEM_DISC_PACKETS, st->have_count,
                               st->count, 1, st->ts, st->end_ts);
        }
        if (rc != 0) {
            snprintf(err, errlen, "%s", sink->err);
            return -1;
        }
        if (rtt_ctf_stream_next(st) != 0)
            return give_up(r, st, err, errlen);
        if (st->packets != s->packets) {
            sink->done_packets += st->packets - s->packets;
            if (sink->done_packets > sink->total_packets)
                sink->done_packets = sink->total_packets;
            s->packets = st->packets;
        }
        heap_fix_top(r, st->item == RTT_ITEM_NONE ? NULL : s);
        rtt_sink_tick(sink, 1);
        if ((++n & 0xffff) == 0 && rtt_ingest_interrupted) {
            snprintf(err, errlen, "interrupted");
            return -1;
        }
    }
    return 0;
}

int rtt_ctf_read(rtt_sink_t *sink, char *err, size_t errlen)
{
    rd_t r = {.sink = sink};
    int rc = 1;
    size_t nfiles = 0, ntr = 0;
    for (size_t i = 0; i < sink->ntraces; i++)
        nfiles += sink->traces[i].src ? sink->traces[i].src->nfiles : 0;
    r.tr = calloc(sink->ntraces ? sink->ntraces : 1, sizeof *r.tr);
    r.srcs = calloc(nfiles ? nfiles : 1, sizeof *r.srcs);
    r.heap = calloc(nfiles ? nfiles : 1, sizeof *r.heap);
    src_t **order = calloc(nfiles ? nfiles : 1, sizeof *order);
    if (!r.tr || !r.srcs || !r.heap || !order) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
        goto out;
    }
    for (ntr = 0; ntr < sink->ntraces; ntr++) {
        const rtt_trace_src_t *src = sink->traces[ntr].src;
        if (!src) {
            rtt_ctf_refuse(err, errlen, "a trace without its files");
            ntr++;
            goto out;
        }
        char why[600];
        if (sink->watch)
            rtt_watch_opening(sink->watch, src->chunks[0]);
        if (rtt_ctf_trace_open(&r.tr[ntr], src->chunks[0], why, sizeof why) != 0) {
            rtt_ctf_refuse(err, errlen, "%s: %s", why, src->chunks[0]);
            ntr++;
            goto out;
        }
        const rtt_ctf_trace_t *a = &r.tr[0], *b = &r.tr[ntr];
        if (ntr > 0 && (a->have_clock_uuid != b->have_clock_uuid ||
                        memcmp(a->clock_uuid, b->clock_uuid, 16) != 0)) {
            rtt_ctf_refuse(err, errlen, "clocks of different hosts or boots: %s", src->chunks[0]);
            ntr++;
            goto out;
        }
        for (size_t f = 0; f < src->nfiles; f++) {
            src_t *s = &r.srcs[r.nsrcs];
            int orc = rtt_ctf_stream_open(&s->st, src->files[f].path, &r.tr[ntr], ntr);
            if (orc != 0) {
                snprintf(err, errlen, "%s%s%s", s->st.err,
                         orc > 0 ? ": " : "", orc > 0 ? src->files[f].path : "");
                rtt_ctf_stream_close(&s->st);
                rc = orc;
                ntr++;
                goto out;
            }
            snprintf(s->tname, sizeof s->tname, "rtt-%zu", ntr);
            order[r.nsrcs++] = s;
        }
    }
    qsort(order, r.nsrcs, sizeof *order, cmp_rank);
    /* the traces, in the order their streams begin in babeltrace2 */
    for (size_t i = 0; i < r.nsrcs; i++) {
        order[i]->rank = i;
        size_t t = order[i]->st.trace;
        rtt_trace_in_t *ti = &sink->traces[t];
        if (ti->registered)
            continue;
        const rtt_ctf_trace_t *tr = &r.tr[t];
        if (rtt_sink_trace_register(sink, ti, tr->uuid, tr->hostname, tr->procname,
                                    tr->have_vpid, tr->vpid, tr->scheme) != 0) {
            snprintf(err, errlen, "%s", sink->err);
            rc = -1;
            goto out;
        }
    }
    rc = run(&r, err, errlen);
out:
    for (size_t i = 0; i < r.nsrcs; i++)
        rtt_ctf_stream_close(&r.srcs[i].st);
    for (size_t i = 0; i < ntr; i++)
        rtt_ctf_trace_close(&r.tr[i]);
    free(order);
    free(r.heap);
    free(r.srcs);
    free(r.tr);
    return rc;
}
