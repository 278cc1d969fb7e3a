/* trace.c - an LTTng-UST trace's metadata compiled for the own CTF reader
 * (see trace.h). */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include "metadata.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLASS_ID 65535

/* Which members a scope wants: integers get slots 0.., strings string
 * slots 0.. (names without a leading '_'). */
typedef struct roles {
    const char *const *ints;
    int nints;
    const char *const *strs;
    int nstrs;
    int any_depth; /* also nested members (the event header's ids) */
    uint8_t have[RTT_MAX_FIELDS + 2];
} roles_t;

static int role_of(void *ctx, int depth, const char *name, int is_string)
{
    roles_t *r = ctx;
    if (depth > 0 && !r->any_depth)
        return -1;
    if (!is_string) {
        for (int i = 0; i < r->nints; i++)
            if (r->ints[i] && strcmp(name, r->ints[i]) == 0) {
                r->have[i] = 1;
                return i;
            }
        return -1;
    }
    for (int i = 0; i < r->nstrs; i++)
        if (r->strs[i] && strcmp(name, r->strs[i]) == 0) {
            r->have[r->nints + i] = 1;
            return i;
        }
    return -1;
}

int rtt_ctf_refuse(char *why, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return 1;
}

static int compile(rtt_scope_t *s, const rtt_type_t *type, roles_t *r,
                   const char *clock_skip, const char *what, char *why, size_t len)
{
    char e[200];
    if (rtt_scope_compile(s, type, r ? r->nints : 0, r ? role_of : NULL, r,
                          clock_skip, e, sizeof e) != 0)
        return rtt_ctf_refuse(why, len, "%s: %s", what, e);
    return 0;
}

static const char *env_s(const rtt_ctf_meta_t *m, const char *name)
{
    const rtt_ctf_env_t *e = rtt_tsdl_env(m, name);
    return e && !e->is_int ? e->s : NULL;
}

static int open_sc(rtt_ctf_trace_t *t, const rtt_ctf_stream_class_t *in, char *why,
                   size_t len)
{
    if (in->id > MAX_CLASS_ID)
        return rtt_ctf_refuse(why, len, "stream class id %llu", (unsigned long long)in->id);
    rtt_ctf_sc_t *sc = &t->sc[in->id];
    if (sc->defined)
        return rtt_ctf_refuse(why, len, "stream class %llu defined twice",
                      (unsigned long long)in->id);
    sc->defined = 1;
    sc->id = in->id;
    if (!in->packet_context || !in->event_header)
        return rtt_ctf_refuse(why, len, "a stream class without packet context or event header");
    static const char *const pc[PC__N] = {"timestamp_begin", "timestamp_end",
                                          "content_size", "packet_size",
                                          "packet_seq_num", "events_discarded"};
    roles_t r = {.ints = pc, .nints = PC__N};
    if (compile(&sc->pctx, in->packet_context, &r, "timestamp_end", "packet context",
                why, len))
        return 1;
    memcpy(sc->have_pc, r.have, sizeof sc->have_pc);
    if (!sc->have_pc[PC_BEGIN] || !sc->have_pc[PC_END] || !sc->have_pc[PC_CONTENT] ||
        !sc->have_pc[PC_SIZE])
        return rtt_ctf_refuse(why, len, "packet context without timestamps or sizes");
    static const char *const eh[EH__N] = {"id"};
    roles_t h = {.ints = eh, .nints = EH__N, .any_depth = 1};
    if (compile(&sc->ehdr, in->event_header, &h, NULL, "event header", why, len))
        return 1;
    if (!h.have[EH_ID])
        return rtt_ctf_refuse(why, len, "event header without an id");
    static const char *const ec[EC__N] = {"vpid"};
    static const char *const es[1] = {"procname"};
    roles_t c = {.ints = ec, .nints = EC__N, .strs = es, .nstrs = 1};
    if (compile(&sc->ectx, in->event_context, &c, NULL, "event context", why, len))
        return 1;
    sc->have_vpid = c.have[EC_VPID];
    sc->have_procname = c.have[EC__N + EC_STR_PROCNAME];
    return 0;
}

static int open_ec(rtt_ctf_trace_t *t, const rtt_ctf_event_class_t *in, char *why,
                   size_t len)
{
    if (in->stream_id >= t->nsc || !t->sc[in->stream_id].defined)
        return rtt_ctf_refuse(why, len, "event class of an unknown stream class");
    rtt_ctf_sc_t *sc = &t->sc[in->stream_id];
    if (in->id > MAX_CLASS_ID)
        return rtt_ctf_refuse(why, len, "event class id %llu", (unsigned long long)in->id);
    if (in->id >= sc->nev) {
        size_t n = sc->nev ? sc->nev : 64;
        while (n <= in->id)
            n *= 2;
        rtt_ctf_ec_t *v = realloc(sc->ev, n * sizeof *v);
        if (!v)
            return rtt_ctf_refuse(why, len, "out of memory");
        memset(v + sc->nev, 0, (n - sc->nev) * sizeof *v);
        sc->ev = v;
        sc->nev = n;
    }
    rtt_ctf_ec_t *e = &sc->ev[in->id];
    if (e->defined)
        return rtt_ctf_refuse(why, len, "event class %llu defined twice",
                      (unsigned long long)in->id);
    e->defined = 1;
    e->kind = in->name && strncmp(in->name, "rtk:", 4) == 0
                  ? rtt_event_kind(in->name + 4)
                  : -1;
    if (compile(&e->context, in->context, NULL, NULL, "event context", why, len))
        return 1;
    roles_t r = {0};
    const char *str[1] = {NULL};
    if (e->kind >= 0) {
        const rtt_event_desc_t *d = &rtt_events[e->kind];
        e->nf = rtt_event_nfields(e->kind);
        str[0] = d->str_field;
        r = (roles_t){.ints = d->fields, .nints = e->nf, .strs = str, .nstrs = 1};
    }
    if (compile(&e->payload, in->fields, &r, NULL, in->name ? in->name : "payload",
                why, len))
        return 1;
    for (int i = 0; i < e->nf; i++)
        e->have_f[i] = r.have[i];
    e->have_str = str[0] && r.have[e->nf];
    return 0;
}

int rtt_ctf_trace_open(rtt_ctf_trace_t *t, const char *dir, char *why, size_t len)
{
    memset(t, 0, sizeof *t);
    char e[600];
    if (rtt_tsdl_read(dir, &t->meta, e, sizeof e) != 0)
        return rtt_ctf_refuse(why, len, "%s", e);
    const rtt_ctf_meta_t *m = &t->meta;
    const char *tracer = env_s(m, "tracer_name");
    if (m->major != 1 || m->minor != 8 || !tracer || strcmp(tracer, "lttng-ust") != 0)
        return rtt_ctf_refuse(why, len, "not an LTTng-UST CTF 1.8 trace");
    if (m->big_endian)
        return rtt_ctf_refuse(why, len, "big-endian");
    if (!m->have_uuid)
        return rtt_ctf_refuse(why, len, "no trace UUID");
    rtt_uuid_str(m->uuid, t->uuid, sizeof t->uuid);
    if (m->nclocks != 1 || m->clocks[0].freq != 1000000000u)
        return rtt_ctf_refuse(why, len, "not one clock in nanoseconds");
    const rtt_ctf_clock_t *ck = &m->clocks[0];
    if (ck->offset_s > INT64_MAX / 1000000000 || ck->offset_s < INT64_MIN / 1000000000)
        return rtt_ctf_refuse(why, len, "clock offset out of range");
    t->clock_offset_ns = ck->offset_s * 1000000000;
    if ((ck->offset > 0 && t->clock_offset_ns > INT64_MAX - ck->offset) ||
        (ck->offset < 0 && t->clock_offset_ns < INT64_MIN - ck->offset))
        return rtt_ctf_refuse(why, len, "clock offset out of range");
    t->clock_offset_ns += ck->offset;
    t->have_clock_uuid = ck->have_uuid;
    memcpy(t->clock_uuid, ck->uuid, 16);
    t->hostname = env_s(m, "hostname");
    t->procname = env_s(m, "procname");
    t->scheme = env_s(m, "tracer_buffering_scheme");
    const rtt_ctf_env_t *vp = rtt_tsdl_env(m, "vpid");
    if (vp && vp->is_int) {
        t->have_vpid = 1;
        t->vpid = vp->i;
    }

    static const char *const ph[PH__N] = {"magic", "stream_id", "stream_instance_id"};
    roles_t r = {.ints = ph, .nints = PH__N};
    if (compile(&t->phdr, m->packet_header, &r, NULL, "packet header", why, len))
        return 1;
    memcpy(t->have_ph, r.have, sizeof t->have_ph);
    if (!t->have_ph[PH_MAGIC] || !t->have_ph[PH_INSTANCE])
        return rtt_ctf_refuse(why, len, "packet header without magic or stream instance id");

    uint64_t maxsc = 0;
    for (size_t i = 0; i < m->nstreams; i++)
        if (m->streams[i].id > maxsc)
            maxsc = m->streams[i].id;
    if (m->nstreams == 0 || maxsc > MAX_CLASS_ID)
        return rtt_ctf_refuse(why, len, "no stream class, or a stream class id too large");
    if (m->nstreams > 1 && !t->have_ph[PH_STREAM_ID])
        return rtt_ctf_refuse(why, len, "several stream classes and no stream_id");
    t->nsc = (size_t)maxsc + 1;
    t->sc = calloc(t->nsc, sizeof *t->sc);
    if (!t->sc)
        return rtt_ctf_refuse(why, len, "out of memory");
    for (size_t i = 0; i < m->nstreams; i++)
        if (open_sc(t, &m->streams[i], why, len))
            return 1;
    for (size_t i = 0; i < m->nevents; i++)
        if (open_ec(t, &m->events[i], why, len))
            return 1;
    return 0;
}

void rtt_ctf_trace_close(rtt_ctf_trace_t *t)
{
    for (size_t i = 0; i < t->nsc; i++) {
        rtt_ctf_sc_t *sc = &t->sc[i];
        rtt_scope_free(&sc->pctx);
        rtt_scope_free(&sc->ehdr);
        rtt_scope_free(&sc->ectx);
        for (size_t j = 0; j < sc->nev; j++) {
            rtt_scope_free(&sc->ev[j].context);
            rtt_scope_free(&sc->ev[j].payload);
        }
        free(sc->ev);
    }
    free(t->sc);
    rtt_scope_free(&t->phdr);
    rtt_tsdl_free(&t->meta);
    memset(t, 0, sizeof *t);
}
