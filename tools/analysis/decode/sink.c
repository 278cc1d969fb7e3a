/* sink.c - ingest's babeltrace2 sink: message -> decoded event -> row.
 *
 * Per event the cost is: one pointer-hash lookup of the event class (field
 * indexes are resolved once per class, never by name per event), a handful
 * of borrowed-field reads, and one call into the row writer. No allocation
 * per event. Stream-beginning messages register traces; packet-beginning
 * messages feed the progress bar (packet_size); discarded-events/packets
 * messages become tracer_loss rows.
 */
#define _POSIX_C_SOURCE 200809L
#include "sink.h"
#include "mono.h"

#include "events.h"
#include "metadata.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rtt_class_info {
    const bt_event_class *ec;
    int kind; /* enum rtt_kind, or -1: not an rtk event (skipped) */
    int nf;
    int idx[RTT_MAX_FIELDS]; /* payload member index, -1 if absent */
    uint8_t sgn[RTT_MAX_FIELDS];
    int str_idx;
    int has_clock;
    int vpid_idx, vpid_signed, procname_idx; /* common context, -1 absent */
};

void rtt_sink_init(rtt_sink_t *s)
{
    memset(s, 0, sizeof *s);
    s->progress_fd = 2;
}

void rtt_sink_finish(rtt_sink_t *s)
{
    for (size_t i = 0; i < s->ncap; i++)
        free(s->classes ? s->classes[i] : NULL);
    free(s->classes);
    s->classes = NULL;
    free(s->seen);
    s->seen = NULL;
    s->nseen = s->capseen = 0;
    s->ncap = s->nclasses = 0;
}

static int sink_fail(rtt_sink_t *s, const char *fmt, ...)
{
    if (s->failed)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    s->failed = 1;
    return -1;
}

/* --- field class helpers ------------------------------------------------- */

static int member_index(const bt_field_class *st, const char *name,
                        int *is_signed, int *is_string)
{
    if (!st)
        return -1;
    uint64_t n = bt_field_class_structure_get_member_count(st);
    for (uint64_t i = 0; i < n; i++) {
        const bt_field_class_structure_member *m =
            bt_field_class_structure_borrow_member_by_index_const(st, i);
        const char *mn = bt_field_class_structure_member_get_name(m);
        if (mn[0] == '_' && name[0] != '_')
            mn++;
        if (strcmp(mn, name) != 0)
            continue;
        bt_field_class_type t = bt_field_class_get_type(
            bt_field_class_structure_member_borrow_field_class_const(m));
        if (is_signed)
            *is_signed = bt_field_class_type_is(
                t, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER);
        int str = t == BT_FIELD_CLASS_TYPE_STRING;
        int integer = bt_field_class_type_is(t, BT_FIELD_CLASS_TYPE_INTEGER);
        if (is_string ? !str : !integer)
            return -1;
        return (int)i;
    }
    return -1;
}

static rtt_class_info_t *class_resolve(const bt_event_class *ec)
{
    rtt_class_info_t *ci = calloc(1, sizeof *ci);
    if (!ci)
        return NULL;
    ci->ec = ec;
    ci->kind = -1;
    const char *name = bt_event_class_get_name(ec);
    if (name && strncmp(name, "rtk:", 4) == 0)
        ci->kind = rtt_event_kind(name + 4);
    if (ci->kind < 0)
        return ci;
    const bt_field_class *pl = bt_event_class_borrow_payload_field_class_const(ec);
    const rtt_event_desc_t *d = &rtt_events[ci->kind];
    ci->nf = rtt_event_nfields(ci->kind);
    for (int i = 0; i < ci->nf; i++) {
        int sg = 0;
        ci->idx[i] = member_index(pl, d->fields[i], &sg, NULL);
        ci->sgn[i] = (uint8_t)sg;
    }
    ci->str_idx = d->str_field ? member_index(pl, d->str_field, NULL, &(int){0})
                               : -1;
    const bt_stream_class *sc = bt_event_class_borrow_stream_class_const(ec);
    ci->has_clock = bt_stream_class_borrow_default_clock_class_const(sc) != NULL;
    const bt_field_class *cc =
        bt_stream_class_borrow_event_common_context_field_class_const(sc);
    ci->vpid_idx = member_index(cc, "vpid", &ci->vpid_signed, NULL);
    ci->procname_idx = member_index(cc, "procname", NULL, &(int){0});
    return ci;
}

static inline size_t ptr_hash(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20);
}

static rtt_class_info_t *class_get(rtt_sink_t *s, const bt_event_class *ec)
{
    if (s->ncap) {
        size_t mask = s->ncap - 1;
        for (size_t i = ptr_hash(ec) & mask;; i = (i + 1) & mask) {
            rtt_class_info_t *c = s->classes[i];
            if (!c)
                break;
            if (c->ec == ec)
                return c;
        }
    }
    if ((s->nclasses + 1) * 2 > s->ncap) {
        size_t nc = s->ncap ? s->ncap * 2 : 64;
        rtt_class_info_t **n = calloc(nc, sizeof *n);
        if (!n)
            return NULL;
        for (size_t i = 0; i < s->ncap; i++) {
            rtt_class_info_t *c = s->classes[i];
            if (!c)
                continue;
            size_t j = ptr_hash(c->ec) & (nc - 1);
            while (n[j])
                j = (j + 1) & (nc - 1);
            n[j] = c;
        }
        free(s->classes);
        s->classes = n;
        s->ncap = nc;
    }
    rtt_class_info_t *c = class_resolve(ec);
    if (!c)
        return NULL;
    size_t j = ptr_hash(ec) & (s->ncap - 1);
    while (s->classes[j])
        j = (j + 1) & (s->ncap - 1);
    s->classes[j] = c;
    s->nclasses++;
    return c;
}

/* --- traces -------------------------------------------------------------- */

static const char *env_str(const bt_trace *t, const char *name)
{
    const bt_value *v = bt_trace_borrow_environment_entry_value_by_name_const(t, name);
    return v && bt_value_is_string(v) ? bt_value_string_get(v) : NULL;
}

static int env_int(const bt_trace *t, const char *name, int64_t *out)
{
    const bt_value *v = bt_trace_borrow_environment_entry_value_by_name_const(t, name);
    if (!v)
        return 0;
    if (bt_value_is_signed_integer(v)) {
        *out = bt_value_integer_signed_get(v);
        return 1;
    }
    if (bt_value_is_unsigned_integer(v)) {
        *out = (int64_t)bt_value_integer_unsigned_get(v);
        return 1;
    }
    return 0;
}

int rtt_sink_trace_register(rtt_sink_t *s, rtt_trace_in_t *ti, const char *uuid,
                            const char *hostname, const char *procname,
                            int have_vpid, int64_t vpid, const char *scheme)
{
    const char *buffering = !scheme ? NULL
                            : strcmp(scheme, "uid") == 0 ? "per-uid"
                            : strcmp(scheme, "pid") == 0 ? "per-pid"
                                                          : scheme;
    ti->registered = 1;
    ti->have_env_vpid = have_vpid;
    ti->env_vpid = vpid;
    ti->last_proc = -1;
    if (rtt_rows_trace_begin(s->rows, uuid, ti->path, hostname, procname,
                             have_vpid, vpid, buffering, s->force,
                             &ti->row) != 0)
        return sink_fail(s, "%s", rtt_rows_errmsg(s->rows));
    return 0;
}

/* The input trace a bt_trace comes from (named "rtt-<index>" by the graph),
 * registering it (traces row) the first time. NULL on failure. */
static rtt_trace_in_t *trace_of(rtt_sink_t *s, const bt_stream *stream)
{
    if (stream == s->last_stream)
        return s->last_trace;
    const bt_trace *bt = bt_stream_borrow_trace_const(stream);
    rtt_trace_in_t *ti = NULL;
    for (size_t i = 0; i < s->ntraces; i++)
        if (s->traces[i].bt == bt) {
            ti = &s->traces[i];
            break;
        }
    if (!ti && s->live) {
        /* a live session's traces appear as the stream goes on */
        if (s->ntraces == s->captraces) {
            sink_fail(s, "more than %zu traces in the live session", s->captraces);
            return NULL;
        }
        const char *name = bt_trace_get_name(bt);
        ti = &s->traces[s->ntraces++];
        memset(ti, 0, sizeof *ti);
        ti->path = strdup(name ? name : "live");
        if (!ti->path) {
            s->ntraces--;
            sink_fail(s, "out of memory");
            return NULL;
        }
        ti->last_proc = -1;
    }
    if (!ti) {
        const char *name = bt_trace_get_name(bt);
        unsigned long idx;
        /* babeltrace2 may prefix the name (e.g. "HOST/rtt-0"). */
        const char *tag = name ? strrchr(name, '/') : NULL;
        tag = tag ? tag + 1 : name;
        if (!tag || sscanf(tag, "rtt-%lu", &idx) != 1 || idx >= s->ntraces) {
            sink_fail(s, "unexpected trace name %s", name ? name : "(none)");
            return NULL;
        }
        ti = &s->traces[idx];
        if (ti->bt && ti->bt != bt) {
            sink_fail(s, "two traces under one directory: %s", ti->path);
            return NULL;
        }
    }
    if (!ti->bt) {
        ti->bt = bt;
        char uuid[64];
        bt_uuid u = bt_trace_get_uuid(bt);
        if (u)
            rtt_uuid_str(u, uuid, sizeof uuid);
        else
            snprintf(uuid, sizeof uuid, "no-uuid:%.50s", ti->path);
        int64_t vpid = 0;
        int have_vpid = env_int(bt, "vpid", &vpid);
        if (rtt_sink_trace_register(s, ti, uuid, env_str(bt, "hostname"),
                                    env_str(bt, "procname"), have_vpid, vpid,
                                    env_str(bt, "tracer_buffering_scheme")) != 0)
            return NULL;
    }
    s->last_stream = stream;
    s->last_trace = ti;
    return ti;
}

/* The stream's name (src.ctf.fs: its file's path, shown as found even when
 * babeltrace2 reads a cut copy). */
static void stream_name(const rtt_trace_in_t *ti, const bt_stream *st, char *buf,
                        size_t len)
{
    const char *n = bt_stream_get_name(st);
    if (n && ti->src)
        n = rtt_prepared_orig(ti->src, n, buf, len);
    if (n == buf)
        return;
    if (n)
        snprintf(buf, len, "%s", n);
    else
        snprintf(buf, len, "stream %" PRIu64 " (class %" PRIu64 ")",
                 bt_stream_get_id(st),
                 bt_stream_class_get_id(bt_stream_borrow_class_const(st)));
}

/* --- progress ------------------------------------------------------------ */

static void progress_draw(rtt_sink_t *s, double t, int final)
{
    rtt_ingest_progress_t p = {
        .events = s->events, .other_events = s->other_events,
        .done_packets = s->done_packets, .total_packets = s->total_packets,
        .total_bytes = s->total_bytes, .elapsed_s = t - s->t_start,
        .fd = s->progress_fd, .final = final};
    s->progress(s->progress_ctx, &p);
    s->t_last_draw = t;
}

void rtt_sink_tick(rtt_sink_t *s, uint64_t n)
{
    s->messages += n;
    if (s->progress && (s->messages & ~(uint64_t)0x3fff) !=
                           ((s->messages - n) & ~(uint64_t)0x3fff)) {
        double t = rtt_mono_s();
        if (t - s->t_last_draw >= 0.2)
            progress_draw(s, t, 0);
    }
}

void rtt_sink_progress_done(rtt_sink_t *s)
{
    if (s->progress && s->t_last_draw > 0)
        progress_draw(s, rtt_mono_s(), 1);
}

/* Progress counts packets against the LTTng index's packet count (packet
 * sizes are not in babeltrace2's packet context). Each stream's last packet
 * beginning is kept to locate a decoding error (O(streams) per packet). */
static int on_packet(rtt_sink_t *s, const bt_message *m)
{
    if (s->done_packets < s->total_packets)
        s->done_packets++;
    const bt_stream *st =
        bt_packet_borrow_stream_const(bt_message_packet_beginning_borrow_packet_const(m));
    size_t i = 0;
    while (i < s->nseen && s->seen[i].st != st)
        i++;
    if (i == s->nseen) {
        if (s->nseen == s->capseen) {
            size_t nc = s->capseen ? s->capseen * 2 : 16;
            rtt_packet_seen_t *nv = realloc(s->seen, nc * sizeof *nv);
            if (!nv)
                return sink_fail(s, "out of memory");
            s->seen = nv;
            s->capseen = nc;
        }
        s->seen[s->nseen++] = (rtt_packet_seen_t){.st = st};
    }
    s->seen[i].have_begin =
        bt_stream_class_packets_have_beginning_default_clock_snapshot(
            bt_stream_borrow_class_const(st));
    if (s->seen[i].have_begin)
        s->seen[i].begin = bt_clock_snapshot_get_value(
            bt_message_packet_beginning_borrow_default_clock_snapshot_const(m));
    return 0;
}

int rtt_sink_last_packet(const rtt_sink_t *s, const rtt_trace_in_t *t,
                         uint64_t stream_class, uint64_t stream_id,
                         uint64_t *begin)
{
    for (size_t i = 0; i < s->nseen; i++) {
        const bt_stream *st = s->seen[i].st;
        if (s->seen[i].have_begin && t->bt && bt_stream_borrow_trace_const(st) == t->bt &&
            bt_stream_get_id(st) == stream_id &&
            bt_stream_class_get_id(bt_stream_borrow_class_const(st)) == stream_class) {
            *begin = s->seen[i].begin;
            return 1;
        }
    }
    return 0;
}

/* --- messages ------------------------------------------------------------ */

/* A string field's value. By its length, not its bytes: babeltrace2 2.0.4's
 * CTF decoder reuses event objects, and an empty string there only sets
 * the length to 0, so the bytes still hold the string of an earlier event
 * (fixed upstream in 2023; tests/tracing/trace_test.cpp's credit check and
 * tests/ingest/decoder_tests.sh's "empty" case catch it). */
static const char *string_value(const bt_field *f)
{
    return bt_field_string_get_length(f) ? bt_field_string_get_value(f) : "";
}

static inline int64_t read_int(const bt_field *st, int idx, int sgn)
{
    const bt_field *f =
        bt_field_structure_borrow_member_field_by_index_const(st, (uint64_t)idx);
    return sgn ? bt_field_integer_signed_get_value(f)
               : (int64_t)bt_field_integer_unsigned_get_value(f);
}

static int on_event(rtt_sink_t *s, const bt_message *m)
{
    const bt_event *ev = bt_message_event_borrow_event_const(m);
    const bt_event_class *ec = bt_event_borrow_class_const(ev);
    rtt_class_info_t *ci = class_get(s, ec);
    if (!ci)
        return sink_fail(s, "out of memory");
    if (ci->kind < 0) {
        s->other_events++;
        return 0;
    }
    rtt_trace_in_t *ti = trace_of(s, bt_event_borrow_stream_const(ev));
    if (!ti)
        return -1;
    int64_t ts = 0;
    if (ci->has_clock &&
        bt_clock_snapshot_get_ns_from_origin(
            bt_message_event_borrow_default_clock_snapshot_const(m), &ts) !=
            BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK)
        ts = 0;

    /* The process: the vpid context, else the trace's own vpid. */
    int have_vpid = 0;
    int64_t vpid = 0;
    const bt_field *cc = NULL;
    if (ci->vpid_idx >= 0) {
        cc = bt_event_borrow_common_context_field_const(ev);
        vpid = read_int(cc, ci->vpid_idx, ci->vpid_signed);
        have_vpid = 1;
    } else if (ti->have_env_vpid) {
        vpid = ti->env_vpid;
        have_vpid = 1;
    }
    int proc = rtt_sink_cached_proc(ti, have_vpid, vpid);
    if (proc < 0) {
        const char *pn = NULL;
        if (ci->procname_idx >= 0) {
            if (!cc)
                cc = bt_event_borrow_common_context_field_const(ev);
            pn = string_value(
                bt_field_structure_borrow_member_field_by_index_const(
                    cc, (uint64_t)ci->procname_idx));
        }
        proc = rtt_sink_proc(s, ti, have_vpid, vpid, pn);
        if (proc < 0)
            return -1;
    }

    int64_t f[RTT_MAX_FIELDS];
    const bt_field *pl = bt_event_borrow_payload_field_const(ev);
    for (int i = 0; i < ci->nf; i++)
        f[i] = ci->idx[i] >= 0 ? read_int(pl, ci->idx[i], ci->sgn[i]) : 0;
    const char *str = NULL;
    if (ci->str_idx >= 0)
        str = string_value(
            bt_field_structure_borrow_member_field_by_index_const(
                pl, (uint64_t)ci->str_idx));
    return rtt_sink_emit(s, ti, proc, ci->kind, ts, f, str);
}

int rtt_sink_proc(rtt_sink_t *s, rtt_trace_in_t *ti, int have_vpid, int64_t vpid,
                  const char *procname)
{
    int proc = rtt_rows_proc(s->rows, ti->row, have_vpid, vpid, procname);
    if (proc < 0)
        return sink_fail(s, "%s", rtt_rows_errmsg(s->rows));
    ti->last_proc = proc;
    ti->last_vpid = vpid;
    ti->last_have_vpid = have_vpid;
    return proc;
}

int rtt_sink_emit(rtt_sink_t *s, rtt_trace_in_t *ti, int proc, int kind, int64_t ts,
                  const int64_t *f, const char *str)
{
    if (s->observe)
        s->observe(s->observe_ctx, proc, kind, ts, f, str);
    if (rtt_rows_event(s->rows, proc, kind, ts, f, str) != 0)
        return sink_fail(s, "%s", rtt_rows_errmsg(s->rows));
    if (!ti->have_ts) {
        ti->have_ts = 1;
        ti->first_ts = ts;
    }
    ti->last_ts = ts;
    ti->events++;
    s->events++;
    return 0;
}

int rtt_sink_loss(rtt_sink_t *s, rtt_trace_in_t *ti, const char *stream,
                  int packets, int have_count, uint64_t count, int have_range,
                  int64_t begin_ts, int64_t end_ts)
{
    if (packets)
        s->lost_packets += have_count ? count : 0;
    else
        s->discarded_events += have_count ? count : 0;
    if (rtt_rows_loss(s->rows, ti->row, stream, packets ? "packets" : "events",
                      have_count ? (int64_t)count : -1, have_range, begin_ts,
                      end_ts) != 0)
        return sink_fail(s, "%s", rtt_rows_errmsg(s->rows));
    return 0;
}

static int on_discarded(rtt_sink_t *s, const bt_message *m, int packets)
{
    const bt_stream *st = packets
        ? bt_message_discarded_packets_borrow_stream_const(m)
        : bt_message_discarded_events_borrow_stream_const(m);
    rtt_trace_in_t *ti = trace_of(s, st);
    if (!ti)
        return -1;
    const bt_stream_class *sc = bt_stream_borrow_class_const(st);
    uint64_t count = 0;
    int64_t b = 0, e = 0;
    int have_count, have_range;
    if (packets) {
        have_count = bt_message_discarded_packets_get_count(m, &count) ==
                     BT_PROPERTY_AVAILABILITY_AVAILABLE;
        have_range = bt_stream_class_discarded_packets_have_default_clock_snapshots(sc);
        if (have_range &&
            (bt_clock_snapshot_get_ns_from_origin(
                 bt_message_discarded_packets_borrow_beginning_default_clock_snapshot_const(m),
                 &b) != BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK ||
             bt_clock_snapshot_get_ns_from_origin(
                 bt_message_discarded_packets_borrow_end_default_clock_snapshot_const(m),
                 &e) != BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK))
            have_range = 0;
    } else {
        have_count = bt_message_discarded_events_get_count(m, &count) ==
                     BT_PROPERTY_AVAILABILITY_AVAILABLE;
        have_range = bt_stream_class_discarded_events_have_default_clock_snapshots(sc);
        if (have_range &&
            (bt_clock_snapshot_get_ns_from_origin(
                 bt_message_discarded_events_borrow_beginning_default_clock_snapshot_const(m),
                 &b) != BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK ||
             bt_clock_snapshot_get_ns_from_origin(
                 bt_message_discarded_events_borrow_end_default_clock_snapshot_const(m),
                 &e) != BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK))
            have_range = 0;
    }
    char name[4400];
    stream_name(ti, st, name, sizeof name);
    return rtt_sink_loss(s, ti, name, packets, have_count, count, have_range, b, e);
}

/* --- damaged streams ------------------------------------------------------ */

/* A stream read from a cut copy: remember which issue it belongs to. */
static void watch_stream(rtt_sink_t *s, const bt_stream *st)
{
    const char *n = bt_stream_get_name(st);
    for (size_t i = 0; n && i < s->nissues; i++)
        if (s->issues[i].view_file && !s->issues[i].bt_stream &&
            strcmp(s->issues[i].view_file, n) == 0)
            s->issues[i].bt_stream = st;
}

/* The end of the last packet kept from a cut file: where its loss begins. */
static void on_packet_end(rtt_sink_t *s, const bt_message *m)
{
    const bt_stream *st =
        bt_packet_borrow_stream_const(bt_message_packet_end_borrow_packet_const(m));
    for (size_t i = 0; i < s->nissues; i++) {
        rtt_issue_t *is = &s->issues[i];
        if (is->bt_stream != st)
            continue;
        int64_t ns;
        if (bt_stream_class_packets_have_end_default_clock_snapshot(
                bt_stream_borrow_class_const(st)) &&
            bt_clock_snapshot_get_ns_from_origin(
                bt_message_packet_end_borrow_default_clock_snapshot_const(m), &ns) ==
                BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK) {
            is->have_begin = 1;
            is->begin_ts = ns;
        }
    }
}

bt_graph_simple_sink_component_initialize_func_status
rtt_sink_initialize(bt_message_iterator *it, void *data)
{
    (void)it;
    rtt_sink_t *s = data;
    s->t_start = rtt_mono_s();
    return BT_GRAPH_SIMPLE_SINK_COMPONENT_INITIALIZE_FUNC_STATUS_OK;
}

void rtt_sink_finalize(void *data) { (void)data; }

bt_graph_simple_sink_component_consume_func_status
rtt_sink_consume(bt_message_iterator *it, void *data)
{
    rtt_sink_t *s = data;
    bt_message_array_const msgs;
    if (rtt_ingest_interrupted) {
        sink_fail(s, "interrupted");
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
    }
    uint64_t n;
    switch (bt_message_iterator_next(it, &msgs, &n)) {
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
        break;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
    default:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
    }
    int rc = 0;
    uint64_t i;
    for (i = 0; i < n && rc == 0; i++) {
        const bt_message *m = msgs[i];
        switch (bt_message_get_type(m)) {
        case BT_MESSAGE_TYPE_EVENT:
            rc = on_event(s, m);
            break;
        case BT_MESSAGE_TYPE_STREAM_BEGINNING:
            rc = trace_of(s, bt_message_stream_beginning_borrow_stream_const(m))
                     ? 0 : -1;
            if (rc == 0 && s->follow_cuts)
                watch_stream(s, bt_message_stream_beginning_borrow_stream_const(m));
            break;
        case BT_MESSAGE_TYPE_PACKET_END:
            if (s->follow_cuts)
                on_packet_end(s, m);
            break;
        case BT_MESSAGE_TYPE_PACKET_BEGINNING:
            rc = on_packet(s, m);
            break;
        case BT_MESSAGE_TYPE_DISCARDED_EVENTS:
            rc = on_discarded(s, m, 0);
            break;
        case BT_MESSAGE_TYPE_DISCARDED_PACKETS:
            rc = on_discarded(s, m, 1);
            break;
        case BT_MESSAGE_TYPE_MESSAGE_ITERATOR_INACTIVITY: {
            int64_t ns;
            if (bt_clock_snapshot_get_ns_from_origin(
                    bt_message_message_iterator_inactivity_borrow_clock_snapshot_const(m),
                    &ns) == BT_CLOCK_SNAPSHOT_GET_NS_FROM_ORIGIN_STATUS_OK &&
                ns > s->inactivity_ts)
                s->inactivity_ts = ns;
            break;
        }
        default:
            break;
        }
        bt_message_put_ref(m);
    }
    for (; i < n; i++)
        bt_message_put_ref(msgs[i]);
    rtt_sink_tick(s, n);
    return rc == 0 ? BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK
                   : BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
}
