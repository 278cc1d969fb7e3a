/* buckets.c - ticks and drops over a range, aggregated per bucket
 * (timeline.h). Cost: an index range scan of ticks(begin_ts) over the
 * window (plus the longest tick before it), or a table scan when the range
 * is wide, twice (count, then rows or buckets); drops and tracer_loss
 * scanned (both small). The answer holds at most `buckets` rows per
 * series. */
#include "range.h"

#include <stdio.h>
#include <stdlib.h>

/* ?1 lo, ?2 hi, ?3 buckets, ?4 longest tick, ?5 budget. %s: "" to use the
 * begin_ts index (a narrow range), "+" to scan (a wide one: an index walk
 * plus a table probe per row costs twice a plain scan). */
#define TICKS_IN " FROM ticks WHERE %sbegin_ts >= ?1 - ?4 AND %sbegin_ts < ?2" \
                 " AND COALESCE(end_ts, begin_ts) >= ?1"
static const char ticks_count_sql[] = "SELECT COUNT(*)" TICKS_IN;
static const char ticks_rows_sql[] =
    "SELECT begin_ts - ?1 + ?6, end_ts - begin_ts, rendered, (end_ts - begin_ts) > ?5"
    TICKS_IN " ORDER BY begin_ts";
/* The buckets are summed here, not with GROUP BY: SQLite sorts every row
 * of the range by its bucket for that (1.1 s against 0.3 s for the whole
 * of a 1 M-tick run). */
static const char ticks_each_sql[] = "SELECT begin_ts, end_ts, rendered" TICKS_IN;

/* One bucket's figures; a has_ flag is 0 while every value summed was
 * NULL (SQL's MAX and SUM of no value are NULL, and so is the answer). */
typedef struct tick_bucket {
    int64_t count, max, over, rendered;
    unsigned char has_max, has_rendered;
} tick_bucket_t;

/* Sum the range's ticks into a->buckets buckets and append the non-empty
 * ones, in order: bucket, count, max duration, over the budget, rendered. */
static int tick_buckets(const rtt_timeline_t *tl, rtt_range_query_t *q, char *err,
                        size_t errlen)
{
    sqlite3_stmt *st = rtt_range_stmt(tl, q, ticks_each_sql, 4, err, errlen);
    if (!st)
        return -1;
    tick_bucket_t *bk = calloc((size_t)q->a.buckets, sizeof *bk);
    if (!bk) {
        sqlite3_finalize(st);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int64_t budget = q->v[4];
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t bi = rtt_range_bucket(&q->a, sqlite3_column_int64(st, 0));
        tick_bucket_t *b = &bk[bi < q->a.buckets ? bi : q->a.buckets - 1]; /* begin < hi */
        b->count++;
        if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
            int64_t d = sqlite3_column_int64(st, 1) - sqlite3_column_int64(st, 0);
            if (!b->has_max || d > b->max)
                b->max = d;
            b->over += d > budget;
            b->has_max = 1;
        }
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            b->rendered += sqlite3_column_int64(st, 2) > 0;
            b->has_rendered = 1;
        }
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(tl->db));
        sqlite3_finalize(st);
        free(bk);
        return -1;
    }
    sqlite3_finalize(st);
    rtt_out_t *o = q->o;
    for (int i = 0; i < q->a.buckets; i++) {
        const tick_bucket_t *b = &bk[i];
        if (!b->count)
            continue;
        rtt_out_row(o);
        rtt_out_int(o, i);
        rtt_out_int(o, b->count);
        if (b->has_max) {
            rtt_out_int(o, b->max);
            rtt_out_int(o, b->over);
        } else {
            rtt_out_null(o);
            rtt_out_null(o);
        }
        if (b->has_rendered)
            rtt_out_int(o, b->rendered);
        else
            rtt_out_null(o);
    }
    free(bk);
    if (o->oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int rtt_timeline_ticks(const rtt_timeline_t *tl, const rtt_trange_t *r, int64_t budget_ns,
                       rtt_out_t **result, char *err, size_t errlen)
{
    if (budget_ns <= 0)
        budget_ns = RTT_INTERACTION_16MS_NS;
    rtt_range_query_t q;
    if (rtt_range_begin(tl, r, tl->max_tick_ns, ticks_count_sql, "ticks", &q, err, errlen))
        return -1;
    q.v[4] = budget_ns;
    q.v[5] = q.a.from;
    rtt_out_t *o = q.o;
    rtt_out_column(o, "budget", RTT_UNIT_NS);
    rtt_out_int(o, budget_ns);
    int rows = q.count <= q.a.buckets;
    if (rows) {
        rtt_out_section(o, "ticks", 0);
        rtt_out_column(o, "start", RTT_UNIT_NS);
        rtt_out_column(o, "duration", RTT_UNIT_NS);
        rtt_out_column(o, "rendered", RTT_UNIT_PLAIN);
        rtt_out_column(o, "over", RTT_UNIT_PLAIN);
    } else {
        rtt_out_section(o, "buckets", 0);
        rtt_out_column(o, "bucket", RTT_UNIT_PLAIN);
        rtt_out_column(o, "count", RTT_UNIT_PLAIN);
        rtt_out_column(o, "max", RTT_UNIT_NS);
        rtt_out_column(o, "over", RTT_UNIT_PLAIN);
        rtt_out_column(o, "rendered", RTT_UNIT_PLAIN);
    }
    return rows ? rtt_range_end(tl, &q, ticks_rows_sql, 6, result, err, errlen)
                : rtt_range_end_with(tl, &q, tick_buckets, result, err, errlen);
}

static const char drops_sql[] =
    "SELECT (d.ts - ?1) * ?3 / (?2 - ?1) AS b, COALESCE(r.name, d.reason), COUNT(*)"
    " FROM drops d LEFT JOIN drop_reasons r ON r.reason = d.reason"
    " WHERE d.ts >= ?1 AND d.ts < ?2 GROUP BY b, d.reason ORDER BY b, d.reason";
static const char loss_sql[] =
    "SELECT (begin_ts - ?1) * ?3 / (?2 - ?1) AS b,"
    " SUM(CASE WHEN what = 'events' THEN COALESCE(count, 0) ELSE 0 END),"
    " SUM(CASE WHEN what = 'packets' THEN COALESCE(count, 1) ELSE 0 END)"
    " FROM tracer_loss WHERE begin_ts >= ?1 AND begin_ts < ?2 GROUP BY b ORDER BY b";

int rtt_timeline_drops(const rtt_timeline_t *tl, const rtt_trange_t *r,
                       rtt_out_t **result, char *err, size_t errlen)
{
    rtt_abs_range_t a;
    if (rtt_range_resolve(tl, r, &a, err, errlen))
        return -1;
    int64_t v[3] = {a.lo, a.hi, a.buckets};
    rtt_out_t *o = rtt_out_new();
    if (!o) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rtt_range_out(o, &a, "buckets_total", a.buckets);
    rtt_out_section(o, "drops", 0);
    rtt_out_column(o, "bucket", RTT_UNIT_PLAIN);
    rtt_out_column(o, "reason", RTT_UNIT_PLAIN);
    rtt_out_column(o, "count", RTT_UNIT_PLAIN);
    sqlite3_stmt *st = rtt_range_prepare(tl->db, drops_sql, v, 3, err, errlen);
    if (!st || rtt_range_rows(tl->db, st, o, err, errlen))
        goto fail;
    rtt_out_section(o, "tracer_loss", 0);
    rtt_out_column(o, "bucket", RTT_UNIT_PLAIN);
    rtt_out_column(o, "events", RTT_UNIT_PLAIN);
    rtt_out_column(o, "packets", RTT_UNIT_PLAIN);
    st = rtt_range_prepare(tl->db, loss_sql, v, 3, err, errlen);
    if (!st || rtt_range_rows(tl->db, st, o, err, errlen))
        goto fail;
    *result = o;
    return 0;
fail:
    rtt_out_free(o);
    return -1;
}
