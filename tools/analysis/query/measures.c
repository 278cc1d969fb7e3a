/* measures.c - the measure catalogue, grouped collection of a kind's
 * values (one scan, a hash of groups) and the statistics columns of a
 * result (see measures.h). */
#include "measures.h"
#include "satmath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- measure catalogue --------------------------------------------------- */

/* flags: 1 = no queued/sent/armed/begin half, 2 = no started, 4 = no
 * finished/handled/end (schema.sql). A measure is NULL (the item is
 * "excluded" from it) when either of its two halves is missing. */
const rtt_kind_t rtt_kinds[] = {
    {"task", "tasks", "tasks", "tasks", "COALESCE(queued_ts, started_ts, finished_ts)",
     "priority",
     "CASE source WHEN 0 THEN 'submit' WHEN 1 THEN 'timer' WHEN 2 THEN 'command' END",
     "NULLIF(name, '')", 0, 4, 2,
     {{"queue_wait", "CASE WHEN (flags & 3) = 0 THEN started_ts - queued_ts END", 0},
      {"run_time", "CASE WHEN (flags & 6) = 0 THEN finished_ts - started_ts END", 0},
      {"total", "CASE WHEN (flags & 5) = 0 AND outcome IS NOT 3 "
                "THEN finished_ts - queued_ts END", 0},
      {"cpu_time", "CASE WHEN (flags & 6) = 0 THEN cpu_ns END", 1}}},
    {"dispatch", "dispatches", "dispatches", "dispatches",
     "COALESCE(queued_ts, begin_ts, end_ts)", "priority", "type", NULL, 0, 3, 2,
     {{"queue_wait", "CASE WHEN (flags & 5) = 0 THEN begin_ts - queued_ts END", 0},
      {"duration", "CASE WHEN (flags & 4) = 0 THEN end_ts - begin_ts END", 0},
      {"total", "CASE WHEN (flags & 5) = 0 THEN end_ts - queued_ts END", 0}}},
    {"timer", "timers", "timer_fires f",
     "timer_fires f LEFT JOIN timers t ON t.proc = f.proc AND t.id = f.timer_id", "f.ts",
     "f.priority",
     "CASE WHEN t.interval_ns > 0 THEN 'periodic' WHEN t.id IS NOT NULL "
     "THEN 'oneshot' END",
     "NULLIF(t.name, '')", 1, 1, 0, {{"lateness", "f.lateness_ns", 0}}},
    {"command", "commands", "commands", "commands", "COALESCE(sent_ts, handled_ts)",
     "priority",
     "CASE cmd WHEN 0 THEN 'shutdown' WHEN 1 THEN 'emergency' "
     "WHEN 2 THEN 'schedule_task' END",
     NULL, 0, 1, 0,
     {{"latency", "CASE WHEN (flags & 5) = 0 THEN handled_ts - sent_ts END", 0}}},
    {"tick", "ticks", "ticks", "ticks", "COALESCE(begin_ts, end_ts)", NULL,
     "CASE rendered WHEN 1 THEN 'rendered' ELSE 'plain' END", NULL, 0, 1, 0,
     {{"duration", "CASE WHEN (flags & 5) = 0 THEN end_ts - begin_ts END", 0}}},
};
const size_t rtt_nkinds = sizeof(rtt_kinds) / sizeof(rtt_kinds[0]);

const rtt_kind_t *rtt_kind_find(const char *name)
{
    for (size_t i = 0; i < rtt_nkinds; i++)
        if (!strcmp(rtt_kinds[i].name, name))
            return &rtt_kinds[i];
    return NULL;
}

/* --- grouped collection -------------------------------------------------- */

static uint64_t key_hash(int type, int64_t i, const unsigned char *s)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)type;
    if (type == SQLITE_INTEGER) {
        h ^= (uint64_t)i;
        h *= 1099511628211ULL;
    } else if (s) {
        for (; *s; s++) {
            h ^= *s;
            h *= 1099511628211ULL;
        }
    }
    return h ^ (h >> 29);
}

static int key_eq(const rtt_series_t *g, int type, int64_t i, const char *s)
{
    if (g->key_type != type)
        return 0;
    if (type == SQLITE_INTEGER)
        return g->key_i == i;
    if (type == SQLITE_TEXT)
        return !strcmp(g->key_s, s);
    return 1;
}

static int rehash(rtt_groups_t *gs)
{
    size_t n = gs->nslots ? gs->nslots * 2 : 64;
    size_t *slot = calloc(n, sizeof(size_t));
    if (!slot)
        return -1;
    for (size_t k = 0; k < gs->n; k++) {
        rtt_series_t *g = &gs->g[k];
        uint64_t h = key_hash(g->key_type, g->key_i, (const unsigned char *)g->key_s);
        size_t j = h & (n - 1);
        while (slot[j])
            j = (j + 1) & (n - 1);
        slot[j] = k + 1;
    }
    free(gs->slot);
    gs->slot = slot;
    gs->nslots = n;
    return 0;
}

/* The series for a key, created if new. NULL if out of memory. */
static rtt_series_t *series_for(rtt_groups_t *gs, int type, int64_t i, const char *s)
{
    if ((gs->n + 1) * 2 > gs->nslots && rehash(gs))
        return NULL;
    uint64_t h = key_hash(type, i, (const unsigned char *)s);
    size_t j = h & (gs->nslots - 1);
    while (gs->slot[j]) {
        rtt_series_t *g = &gs->g[gs->slot[j] - 1];
        if (key_eq(g, type, i, s))
            return g;
        j = (j + 1) & (gs->nslots - 1);
    }
    if (gs->n == gs->cap) {
        size_t cap = gs->cap ? gs->cap * 2 : 8;
        rtt_series_t *g = realloc(gs->g, cap * sizeof(rtt_series_t));
        if (!g)
            return NULL;
        gs->g = g;
        gs->cap = cap;
    }
    rtt_series_t *g = &gs->g[gs->n];
    memset(g, 0, sizeof(*g));
    g->key_type = type;
    g->key_i = i;
    if (type == SQLITE_TEXT) {
        size_t n = strlen(s) + 1;
        if (!(g->key_s = malloc(n)))
            return NULL;
        memcpy(g->key_s, s, n);
    }
    gs->slot[j] = ++gs->n;
    return g;
}

static int push(rtt_series_t *g, int m, int64_t v)
{
    if (g->n[m] == g->cap[m]) {
        size_t cap = g->cap[m] ? g->cap[m] * 2 : 1024;
        int64_t *p = realloc(g->v[m], cap * sizeof(int64_t));
        if (!p)
            return -1;
        g->v[m] = p;
        g->cap[m] = cap;
    }
    g->v[m][g->n[m]++] = v;
    return 0;
}

static int cmp_series(const void *a, const void *b)
{
    const rtt_series_t *x = a, *y = b;
    static const int rank[] = {[SQLITE_INTEGER] = 0, [SQLITE_TEXT] = 1, [SQLITE_NULL] = 2};
    if (x->key_type != y->key_type)
        return rank[x->key_type] - rank[y->key_type];
    if (x->key_type == SQLITE_INTEGER)
        return (x->key_i > y->key_i) - (x->key_i < y->key_i);
    if (x->key_type == SQLITE_TEXT)
        return strcmp(x->key_s, y->key_s);
    return 0;
}

int rtt_kind_collect(sqlite3 *db, const rtt_kind_t *k, const char *group_expr,
                     int need_join, const rtt_window_t *w, const char *const *sums,
                     rtt_groups_t *out, char *err, size_t errlen)
{
    int nsums = 0;
    while (sums && sums[nsums] && nsums < RTT_MAX_SUMS)
        nsums++;
    char sql[2048];
    size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT %s",
                                  group_expr ? group_expr : "NULL");
    for (int m = 0; m < k->nmeasures; m++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, ", %s", k->m[m].expr);
    for (int i = 0; i < nsums; i++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, ", %s", sums[i]);
    len += (size_t)snprintf(sql + len, sizeof sql - len, " FROM %s",
                            need_join ? k->from_join : k->from);
    if (w && w->active)
        snprintf(sql + len, sizeof sql - len, " WHERE %s >= ?1 AND %s < ?2", k->anchor,
                 k->anchor);

    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    if (w && w->active) {
        sqlite3_bind_int64(st, 1, w->lo);
        sqlite3_bind_int64(st, 2, w->hi);
    }
    int rc;
    rtt_series_t *only = NULL;
    if (!group_expr && !(only = series_for(out, SQLITE_NULL, 0, NULL)))
        goto oom;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rtt_series_t *g = only;
        if (!g) {
            int t = sqlite3_column_type(st, 0);
            if (t == SQLITE_FLOAT)
                t = SQLITE_INTEGER;
            else if (t == SQLITE_BLOB)
                t = SQLITE_TEXT;
            const char *txt = NULL;
            if (t == SQLITE_TEXT && !(txt = (const char *)sqlite3_column_text(st, 0)))
                txt = "";
            g = series_for(out, t, t == SQLITE_INTEGER ? sqlite3_column_int64(st, 0) : 0,
                           txt);
            if (!g)
                goto oom;
        }
        g->rows++;
        for (int i = 0; i < nsums; i++)
            g->sums[i] = rtt_sat_add(g->sums[i],
                                      sqlite3_column_int64(st, 1 + k->nmeasures + i));
        for (int m = 0; m < k->nmeasures; m++) {
            if (sqlite3_column_type(st, 1 + m) == SQLITE_NULL)
                g->excluded[m]++;
            else if (push(g, m, sqlite3_column_int64(st, 1 + m)))
                goto oom;
        }
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        rtt_groups_free(out);
        return -1;
    }
    sqlite3_finalize(st);
    free(out->slot); /* order by key; the hash is no longer valid */
    out->slot = NULL;
    out->nslots = 0;
    if (out->n > 1)
        qsort(out->g, out->n, sizeof(rtt_series_t), cmp_series);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    sqlite3_finalize(st);
    rtt_groups_free(out);
    return -1;
}

void rtt_groups_free(rtt_groups_t *gs)
{
    for (size_t k = 0; k < gs->n; k++) {
        for (int m = 0; m < RTT_MAX_MEASURES; m++)
            free(gs->g[k].v[m]);
        free(gs->g[k].key_s);
    }
    free(gs->g);
    free(gs->slot);
    memset(gs, 0, sizeof(*gs));
}

void rtt_out_stats_columns(rtt_out_t *o)
{
    rtt_out_column(o, "count", RTT_UNIT_PLAIN);
    rtt_out_column(o, "excluded", RTT_UNIT_PLAIN);
    rtt_out_column(o, "min", RTT_UNIT_NS);
    rtt_out_column(o, "p50", RTT_UNIT_NS);
    rtt_out_column(o, "p90", RTT_UNIT_NS);
    rtt_out_column(o, "p99", RTT_UNIT_NS);
    rtt_out_column(o, "p999", RTT_UNIT_NS);
    rtt_out_column(o, "max", RTT_UNIT_NS);
    rtt_out_column(o, "mean", RTT_UNIT_NS);
}

void rtt_out_stats_cells(rtt_out_t *o, const rtt_stats_t *s)
{
    rtt_out_int(o, s->count);
    rtt_out_int(o, s->excluded);
    rtt_out_float(o, s->min);
    rtt_out_float(o, s->p50);
    rtt_out_float(o, s->p90);
    rtt_out_float(o, s->p99);
    rtt_out_float(o, s->p999);
    rtt_out_float(o, s->max);
    rtt_out_float(o, s->mean);
}
