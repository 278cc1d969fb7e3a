/* slices.c - the tasks overlapping a range (timeline.h): the rows when
 * there are at most `limit`, else per (bucket, priority) aggregates.
 * Cost: one index range scan of tasks(queued_ts) over the window widened
 * by the longest task (a table scan when the range is wide), twice
 * (count, then rows or aggregates). */
#include "range.h"

#include <stdio.h>
#include <stdlib.h>

/* ?1 lo, ?2 hi, ?3 buckets, ?4 longest task, ?5 from (relative lo); %s:
 * "" for the queued_ts index, "+" to scan a wide range (range.h). */
#define OVERLAP " FROM tasks WHERE %squeued_ts >= ?1 - ?4 AND %squeued_ts < ?2" \
                " AND COALESCE(finished_ts, started_ts, queued_ts) >= ?1"
static const char count_sql[] = "SELECT COUNT(*)" OVERLAP;
static const char rows_sql[] =
    "SELECT proc, id, cause, priority, name, queued_ts - ?1 + ?5,"
    " started_ts - ?1 + ?5, finished_ts - ?1 + ?5" OVERLAP " ORDER BY queued_ts";
/* The lanes are summed here, not with GROUP BY: SQLite sorts every row of
 * the range by (bucket, priority) for that (1.0 s against 0.3 s for the
 * whole of a 1 M-task run). */
static const char each_sql[] =
    "SELECT COALESCE(started_ts, queued_ts), priority, finished_ts - started_ts" OVERLAP;

/* One (bucket, priority) lane; has_run is 0 while every run time summed
 * was NULL (not started or not finished): SQL's SUM and MAX are NULL. */
typedef struct lane {
    int64_t bucket, priority, count, busy, max;
    unsigned char null_priority, has_run;
} lane_t;

typedef struct lanes {
    lane_t *v;
    size_t n, cap;
    uint32_t *slot; /* open addressing: index + 1, 0 empty */
    size_t nslots;
} lanes_t;

static uint64_t lane_hash(int64_t b, int64_t p, int null_p)
{
    uint64_t h = (uint64_t)b * 0x9E3779B97F4A7C15ull ^ (uint64_t)p ^ (uint64_t)null_p << 63;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ h >> 29;
}

static int lanes_rehash(lanes_t *l)
{
    size_t ns = l->nslots ? l->nslots * 2 : 1024;
    uint32_t *s = calloc(ns, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        const lane_t *x = &l->v[i];
        size_t j = lane_hash(x->bucket, x->priority, x->null_priority) & (ns - 1);
        while (s[j])
            j = (j + 1) & (ns - 1);
        s[j] = (uint32_t)(i + 1);
    }
    free(l->slot);
    l->slot = s;
    l->nslots = ns;
    return 0;
}

/* The lane of (b, p), added when new; NULL when out of memory. */
static lane_t *lane_for(lanes_t *l, int64_t b, int64_t p, int null_p)
{
    if (2 * (l->n + 1) > l->nslots && lanes_rehash(l))
        return NULL;
    size_t j = lane_hash(b, p, null_p) & (l->nslots - 1);
    for (; l->slot[j]; j = (j + 1) & (l->nslots - 1)) {
        lane_t *x = &l->v[l->slot[j] - 1];
        if (x->bucket == b && x->null_priority == null_p && x->priority == p)
            return x;
    }
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 256;
        lane_t *v = realloc(l->v, nc * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = nc;
    }
    l->slot[j] = (uint32_t)(l->n + 1);
    lane_t *x = &l->v[l->n++];
    *x = (lane_t){.bucket = b, .priority = p, .null_priority = (unsigned char)null_p};
    return x;
}

/* SQL's ORDER BY bucket, priority: NULL priorities first. */
static int cmp_lane(const void *a, const void *b)
{
    const lane_t *x = a, *y = b;
    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    if (x->null_priority != y->null_priority)
        return x->null_priority ? -1 : 1;
    return (x->priority > y->priority) - (x->priority < y->priority);
}

/* Sum the range's tasks into (bucket, priority) lanes and append them in
 * order: bucket, priority, count, busy (run time summed), longest run. */
static int task_lanes(const rtt_timeline_t *tl, rtt_range_query_t *q, char *err,
                      size_t errlen)
{
    sqlite3_stmt *st = rtt_range_stmt(tl, q, each_sql, 4, err, errlen);
    if (!st)
        return -1;
    lanes_t l = {0};
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int null_p = sqlite3_column_type(st, 1) == SQLITE_NULL;
        lane_t *x = lane_for(&l, rtt_range_bucket(&q->a, sqlite3_column_int64(st, 0)),
                             null_p ? 0 : sqlite3_column_int64(st, 1), null_p);
        if (!x) {
            rc = SQLITE_NOMEM;
            break;
        }
        x->count++;
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            int64_t run = sqlite3_column_int64(st, 2);
            x->busy += run;
            if (!x->has_run || run > x->max)
                x->max = run;
            x->has_run = 1;
        }
    }
    if (rc != SQLITE_DONE)
        snprintf(err, errlen, "%s",
                 rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(tl->db));
    sqlite3_finalize(st);
    free(l.slot);
    if (rc != SQLITE_DONE) {
        free(l.v);
        return -1;
    }
    if (l.n > 1)
        qsort(l.v, l.n, sizeof *l.v, cmp_lane);
    rtt_out_t *o = q->o;
    for (size_t i = 0; i < l.n; i++) {
        const lane_t *x = &l.v[i];
        rtt_out_row(o);
        rtt_out_int(o, x->bucket);
        if (x->null_priority)
            rtt_out_null(o);
        else
            rtt_out_int(o, x->priority);
        rtt_out_int(o, x->count);
        if (x->has_run) {
            rtt_out_int(o, x->busy);
            rtt_out_int(o, x->max);
        } else {
            rtt_out_null(o);
            rtt_out_null(o);
        }
    }
    free(l.v);
    if (o->oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int rtt_timeline_tasks(const rtt_timeline_t *tl, const rtt_trange_t *r, int64_t limit,
                       rtt_out_t **result, char *err, size_t errlen)
{
    rtt_range_query_t q;
    if (rtt_range_begin(tl, r, tl->max_task_ns, count_sql, "tasks", &q, err, errlen))
        return -1;
    q.v[4] = q.a.from;
    rtt_out_t *o = q.o;
    int rows = q.count <= limit;
    if (rows) {
        rtt_out_section(o, "tasks", 0);
        static const char *c[] = {"proc", "id", "cause", "priority", "name"};
        for (int i = 0; i < 5; i++)
            rtt_out_column(o, c[i], RTT_UNIT_PLAIN);
        rtt_out_column(o, "queued", RTT_UNIT_NS);
        rtt_out_column(o, "started", RTT_UNIT_NS);
        rtt_out_column(o, "finished", RTT_UNIT_NS);
    } else {
        rtt_out_section(o, "lanes", 0);
        rtt_out_column(o, "bucket", RTT_UNIT_PLAIN);
        rtt_out_column(o, "priority", RTT_UNIT_PLAIN);
        rtt_out_column(o, "count", RTT_UNIT_PLAIN);
        rtt_out_column(o, "busy", RTT_UNIT_NS);
        rtt_out_column(o, "max", RTT_UNIT_NS);
    }
    return rows ? rtt_range_end(tl, &q, rows_sql, 5, result, err, errlen)
                : rtt_range_end_with(tl, &q, task_lanes, result, err, errlen);
}
