/* samples.c - reads one run's measures for compare (see samples.h).
 *
 * One scan per table; each row's values go to the series of each group it
 * belongs to (a task to its name's and its priority's), found through a
 * small open-addressing hash of series names. Series are sorted by name at
 * the end so that the two sides of a comparison line up by binary search.
 */
#define _POSIX_C_SOURCE 200809L
#include "samples.h"

#include "bounds.h"
#include "db.h"
#include "hash.h"
#include "interactions.h"
#include "satmath.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    rtt_run_t *run;
    size_t *slot; /* index + 1, 0 empty */
    size_t nslots;
    char *err;
    size_t errlen;
} loader_t;

static int lfail(loader_t *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int lfail(loader_t *l, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(l->err, l->errlen, "%s: ", l->run->path);
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < l->errlen)
        vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}


static int rehash(loader_t *l)
{
    size_t n = l->nslots ? l->nslots * 2 : 256;
    size_t *slot = calloc(n, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t i = 0; i < l->run->ns; i++) {
        size_t h = (size_t)rtt_str_hash(l->run->s[i].name) & (n - 1);
        while (slot[h])
            h = (h + 1) & (n - 1);
        slot[h] = i + 1;
    }
    free(l->slot);
    l->slot = slot;
    l->nslots = n;
    return 0;
}

/* The series called name, created (empty) if new; NULL if out of memory. */
static rtt_series_v_t *series(loader_t *l, const char *name, rtt_sample_kind_t kind)
{
    rtt_run_t *r = l->run;
    if (2 * (r->ns + 1) > l->nslots && rehash(l))
        return NULL;
    size_t h = (size_t)rtt_str_hash(name) & (l->nslots - 1);
    while (l->slot[h]) {
        rtt_series_v_t *s = &r->s[l->slot[h] - 1];
        if (!strcmp(s->name, name))
            return s;
        h = (h + 1) & (l->nslots - 1);
    }
    if (r->ns == r->caps) {
        size_t cap = r->caps ? r->caps * 2 : 64;
        rtt_series_v_t *p = realloc(r->s, cap * sizeof *p);
        if (!p)
            return NULL;
        r->s = p;
        r->caps = cap;
    }
    rtt_series_v_t *s = &r->s[r->ns];
    memset(s, 0, sizeof *s);
    s->name = strdup(name);
    if (!s->name)
        return NULL;
    s->kind = kind;
    l->slot[h] = ++r->ns;
    return s;
}

static int push(rtt_series_v_t *s, int64_t v)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        int64_t *p = realloc(s->v, cap * sizeof *p);
        if (!p)
            return -1;
        s->v = p;
        s->cap = cap;
    }
    s->v[s->n++] = v;
    return 0;
}

/* Append v to the series "<base>[<key>=<value>]" (or "<base>" when key is
 * NULL). */
static int add(loader_t *l, const char *base, const char *key, const char *value,
               rtt_sample_kind_t kind, int64_t v)
{
    char name[256];
    if (key)
        snprintf(name, sizeof name, "%s[%s=%s]", base, key, value);
    else
        snprintf(name, sizeof name, "%s", base);
    rtt_series_v_t *s = series(l, name, kind);
    if (!s || push(s, v))
        return lfail(l, "out of memory");
    return 0;
}

/* One scan of sql, whose columns are: group values (text or integer, one
 * per key), then one value per measure (NULL: not measurable). */
typedef struct scan {
    const char *sql;
    const char *keys[2];     /* group keys, NULL-terminated */
    const char *measures[3]; /* "task.run_time", NULL-terminated */
    rtt_sample_kind_t kind;
} scan_t;

static const scan_t scans[] = {
    {"SELECT NULLIF(name, ''), priority,"
     " CASE WHEN (flags & 3) = 0 THEN started_ts - queued_ts END,"
     " CASE WHEN (flags & 6) = 0 THEN finished_ts - started_ts END FROM tasks",
     {"name", "priority"}, {"task.queue_wait", "task.run_time", NULL}, RTT_SK_DURATION},
    {"SELECT type, CASE WHEN (flags & 4) = 0 THEN end_ts - begin_ts END FROM dispatches",
     {"type", NULL}, {"dispatch.duration", NULL}, RTT_SK_DURATION},
    {"SELECT lateness_ns FROM timer_fires", {NULL}, {"timer.lateness", NULL},
     RTT_SK_DURATION},
    {"SELECT CASE WHEN (flags & 5) = 0 THEN handled_ts - sent_ts END FROM commands",
     {NULL}, {"command.latency", NULL}, RTT_SK_DURATION},
    {"SELECT CASE WHEN (flags & 5) = 0 THEN end_ts - begin_ts END FROM ticks",
     {NULL}, {"tick.duration", NULL}, RTT_SK_DURATION},
    {"SELECT CASE WHEN (flags & 5) = 0 THEN end_ts - begin_ts > 16700000 END"
     " FROM ticks WHERE rendered = 1",
     {NULL}, {"frames.over_budget", NULL}, RTT_SK_SHARE},
};

/* The series of one (group key, group value) of a scan, per measure, so
 * that a row costs a hash of its group value, not a formatted name. */
typedef struct gent {
    uint64_t h;
    int k;
    char *val;
    size_t idx[3]; /* series index + 1, 0: not made yet */
} gent_t;

typedef struct gcache {
    gent_t *e;
    size_t n, cap;
} gcache_t;

static gent_t *group(gcache_t *c, int k, const char *val)
{
    uint64_t h = rtt_str_hash(val) ^ (uint64_t)k * 0x9e3779b97f4a7c15ULL;
    if (2 * (c->n + 1) > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        gent_t *e = calloc(cap, sizeof *e);
        if (!e)
            return NULL;
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->e[i].val)
                continue;
            size_t j = (size_t)c->e[i].h & (cap - 1);
            while (e[j].val)
                j = (j + 1) & (cap - 1);
            e[j] = c->e[i];
        }
        free(c->e);
        c->e = e;
        c->cap = cap;
    }
    size_t j = (size_t)h & (c->cap - 1);
    while (c->e[j].val) {
        if (c->e[j].h == h && c->e[j].k == k && !strcmp(c->e[j].val, val))
            return &c->e[j];
        j = (j + 1) & (c->cap - 1);
    }
    c->e[j].val = strdup(val);
    if (!c->e[j].val)
        return NULL;
    c->e[j].h = h;
    c->e[j].k = k;
    c->n++;
    return &c->e[j];
}

static void gcache_free(gcache_t *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->e[i].val);
    free(c->e);
}

/* Append v to measure m of group g (its series made on first use). */
static int add_grouped(loader_t *l, const scan_t *sc, gent_t *g, int m, int64_t v)
{
    if (!g->idx[m]) {
        char name[256];
        snprintf(name, sizeof name, "%s[%s=%s]", sc->measures[m], sc->keys[g->k], g->val);
        rtt_series_v_t *s = series(l, name, sc->kind);
        if (!s)
            return lfail(l, "out of memory");
        g->idx[m] = (size_t)(s - l->run->s) + 1;
    }
    if (push(&l->run->s[g->idx[m] - 1], v))
        return lfail(l, "out of memory");
    return 0;
}

static int run_scan(loader_t *l, sqlite3 *db, const scan_t *sc)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sc->sql, -1, &st, NULL) != SQLITE_OK)
        return lfail(l, "%s", sqlite3_errmsg(db));
    int nk = 0, nm = 0, rc;
    while (nk < 2 && sc->keys[nk])
        nk++;
    while (nm < 3 && sc->measures[nm])
        nm++;
    gcache_t cache = {NULL, 0, 0};
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gent_t *g[2] = {NULL, NULL};
        for (int k = 0; k < nk; k++) {
            if (sqlite3_column_type(st, k) == SQLITE_NULL)
                continue;
            g[k] = group(&cache, k, (const char *)sqlite3_column_text(st, k));
            if (!g[k]) {
                lfail(l, "out of memory");
                goto fail;
            }
        }
        for (int m = 0; m < nm; m++) {
            int c = nk + m;
            if (sqlite3_column_type(st, c) == SQLITE_NULL)
                continue;
            int64_t v = sqlite3_column_int64(st, c);
            if (nk == 0 && add(l, sc->measures[m], NULL, NULL, sc->kind, v))
                goto fail;
            for (int k = 0; k < nk; k++)
                if (g[k] && add_grouped(l, sc, g[k], m, v))
                    goto fail;
        }
    }
    if (rc != SQLITE_DONE) {
        lfail(l, "%s", sqlite3_errmsg(db));
        goto fail;
    }
    sqlite3_finalize(st);
    gcache_free(&cache);
    return 0;
fail:
    sqlite3_finalize(st);
    gcache_free(&cache);
    return -1;
}

/* Per-second counts over [start, end] of the rows of sql (ts, group, n). */
static int rate_scan(loader_t *l, sqlite3 *db, const char *sql, const char *base,
                     const char *key, int64_t start, int64_t end)
{
    size_t secs = (size_t)((end - start) / 1000000000LL) + 1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return lfail(l, "%s", sqlite3_errmsg(db));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *g = (const char *)sqlite3_column_text(st, 1);
        char name[256];
        if (key)
            snprintf(name, sizeof name, "%s[%s=%s]", base, key, g ? g : "unknown");
        else
            snprintf(name, sizeof name, "%s", base);
        rtt_series_v_t *s = series(l, name, RTT_SK_RATE);
        if (!s)
            break;
        if (s->n == 0) { /* every second of the run, zero until counted */
            for (size_t i = 0; i < secs; i++)
                if (push(s, 0))
                    break;
            if (s->n < secs)
                break;
        }
        int64_t ts = sqlite3_column_int64(st, 0);
        size_t i = ts <= start ? 0 : (size_t)(((uint64_t)ts - (uint64_t)start) / 1000000000u);
        int64_t *cell = &s->v[i < secs ? i : secs - 1];
        *cell = rtt_sat_add(*cell, sqlite3_column_int64(st, 2));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return rc == SQLITE_ROW ? lfail(l, "out of memory") : lfail(l, "%s", sqlite3_errmsg(db));
    return 0;
}

static int load_interactions(loader_t *l, sqlite3 *db)
{
    rtt_interactions_t *set;
    char e[256];
    int64_t roots;
    /* No root command, no interaction: skip reading every item again. */
    if (rtt_sql_ints(db, "SELECT EXISTS (SELECT 1 FROM commands WHERE cause = 0 AND cmd = 2)", &roots,
                     1))
        return lfail(l, "%s", sqlite3_errmsg(db));
    if (!roots)
        return 0;
    if (rtt_interactions_load(db, &set, e, sizeof e))
        return lfail(l, "%s", e);
    size_t n = rtt_interactions_count(set);
    int rc = 0;
    l->run->keystrokes = (int64_t)n;
    for (size_t i = 0; i < n && !rc; i++) {
        const rtt_interaction_t *x = rtt_interactions_get(set, i);
        if (!x->has_render)
            continue;
        rc = add(l, "interaction.latency", NULL, NULL, RTT_SK_DURATION, x->latency_ns) ||
             add(l, "interaction.latency", "name", x->name[0] ? x->name : "unknown",
                 RTT_SK_DURATION, x->latency_ns) ||
             add(l, "interaction.queue", NULL, NULL, RTT_SK_DURATION, x->queue_ns) ||
             add(l, "interaction.run", NULL, NULL, RTT_SK_DURATION, x->run_ns) ||
             add(l, "interaction.frame_wait", NULL, NULL, RTT_SK_DURATION,
                 x->frame_wait_ns) ||
             add(l, "interaction.render", NULL, NULL, RTT_SK_DURATION, x->render_ns);
    }
    rtt_interactions_free(set);
    return rc ? -1 : 0;
}

static int cmp_series(const void *a, const void *b)
{
    return strcmp(((const rtt_series_v_t *)a)->name, ((const rtt_series_v_t *)b)->name);
}

static int load(loader_t *l, sqlite3 *db)
{
    rtt_run_t *r = l->run;
    rtt_bounds_t b;
    rtt_tracer_loss_t tl;
    int64_t counts[2];
    if (rtt_trace_bounds(db, &b) || rtt_tracer_loss(db, &tl) ||
        rtt_sql_ints(db, "SELECT (SELECT COUNT(*) FROM tasks), (SELECT COUNT(*) FROM drops)",
                     counts, 2))
        return lfail(l, "%s", sqlite3_errmsg(db));
    if (!b.known || b.events == 0)
        return lfail(l, "no rtk events in this database: nothing to compare");
    /* Rates count per second of the run (rate_scan, and compare's zeros):
     * memory and time grow with the span, so a span that no real run has
     * is refused rather than allocated. */
    if (b.end < b.start ||
        (uint64_t)b.end - (uint64_t)b.start > (uint64_t)RTT_SAMPLES_MAX_SPAN_NS)
        return lfail(l,
                     "first and last event are %.3g s apart, not within 0 .. %.0f s "
                     "(%.1f days): corrupt timestamps?",
                     ((double)b.end - (double)b.start) / 1e9,
                     RTT_SAMPLES_MAX_SPAN_NS / 1e9, RTT_SAMPLES_MAX_SPAN_NS / 86400e9);
    r->duration_ns = b.end - b.start;
    r->tasks = counts[0];
    r->drops_total = counts[1];
    r->tracer_discarded = tl.discarded_events;
    r->tracer_lost_packets = tl.lost_packets;
    r->ingest_issues = tl.ingest_issues;

    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT group_concat(DISTINCT procname) FROM"
                               " (SELECT procname FROM procs ORDER BY procname)",
                           -1, &st, NULL) != SQLITE_OK)
        return lfail(l, "%s", sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        r->procnames = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);

    for (size_t i = 0; i < sizeof scans / sizeof scans[0]; i++)
        if (run_scan(l, db, &scans[i]))
            return -1;
    if (rate_scan(l, db,
                  "SELECT d.ts, r.name, 1 FROM drops d"
                  " LEFT JOIN drop_reasons r ON r.reason = d.reason",
                  "drops", "reason", b.start, b.end) ||
        rate_scan(l, db,
                  "SELECT COALESCE(end_ts, begin_ts, 0), NULL, count FROM tracer_loss"
                  " WHERE what = 'events' AND count IS NOT NULL",
                  "tracer.discarded", NULL, b.start, b.end) ||
        load_interactions(l, db))
        return -1;
    if (r->ns > 1) /* r->s is NULL when no measure has a value */
        qsort(r->s, r->ns, sizeof *r->s, cmp_series);
    return 0;
}

int rtt_run_load_db(sqlite3 *db, const char *name, rtt_run_t *run, char *err,
                    size_t errlen)
{
    memset(run, 0, sizeof *run);
    loader_t l = {run, NULL, 0, err, errlen};
    run->path = strdup(name);
    if (!run->path) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = load(&l, db);
    free(l.slot);
    if (rc)
        rtt_run_free(run);
    return rc;
}

int rtt_run_load(const char *path, rtt_run_t *run, char *err, size_t errlen)
{
    sqlite3 *db;
    memset(run, 0, sizeof *run);
    if (rtt_db_open(path, 1, &db, err, errlen))
        return -1;
    int rc = rtt_run_load_db(db, path, run, err, errlen);
    sqlite3_close(db);
    return rc;
}

void rtt_run_free(rtt_run_t *run)
{
    if (!run)
        return;
    for (size_t i = 0; i < run->ns; i++) {
        free(run->s[i].name);
        free(run->s[i].v);
    }
    free(run->s);
    free(run->path);
    free(run->procnames);
    memset(run, 0, sizeof *run);
}

const rtt_series_v_t *rtt_run_series(const rtt_run_t *run, const char *name)
{
    size_t lo = 0, hi = run->ns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(run->s[mid].name, name);
        if (c == 0)
            return &run->s[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
