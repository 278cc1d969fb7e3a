/* range.c - resolving a range request into an absolute window, and the
 * start every windowed answer shares (range.h). O(1) but for
 * rtt_range_begin's count query. */
#include "range.h"

#include <stdio.h>
#include <string.h>

int rtt_range_resolve(const rtt_timeline_t *tl, const rtt_trange_t *r, rtt_abs_range_t *a,
                      char *err, size_t errlen)
{
    if (r->buckets < 1 || r->buckets > 20000) {
        snprintf(err, errlen, "buckets must be 1 to 20000, not %d", r->buckets);
        return -1;
    }
    int64_t dur = tl->b.known ? tl->b.end - tl->b.start + 1 : 1;
    int64_t from = r->from < 0 ? 0 : r->from;
    int64_t to = r->to <= from ? dur : r->to;
    if (from > dur)
        from = dur;
    if (to > dur)
        to = dur;
    if (to <= from)
        to = from + 1;
    a->from = from;
    a->to = to;
    a->lo = tl->b.start + from;
    a->hi = tl->b.start + to;
    a->buckets = r->buckets;
    return 0;
}

int64_t rtt_range_bucket(const rtt_abs_range_t *a, int64_t ts)
{
    __int128 b = (__int128)(ts - a->lo) * a->buckets / (a->hi - a->lo);
    return b < 0 ? 0 : b > INT64_MAX ? INT64_MAX : (int64_t)b;
}

void rtt_range_out(rtt_out_t *o, const rtt_abs_range_t *a, const char *count_name,
                   int64_t count)
{
    rtt_out_section(o, "range", 1);
    rtt_out_column(o, "from", RTT_UNIT_NS);
    rtt_out_column(o, "to", RTT_UNIT_NS);
    rtt_out_column(o, "buckets", RTT_UNIT_PLAIN);
    rtt_out_column(o, "width", RTT_UNIT_NS);
    rtt_out_column(o, count_name, RTT_UNIT_PLAIN);
    rtt_out_row(o);
    rtt_out_int(o, a->from);
    rtt_out_int(o, a->to);
    rtt_out_int(o, a->buckets);
    rtt_out_float(o, (double)(a->to - a->from) / a->buckets);
    rtt_out_int(o, count);
}

int rtt_range_rows(sqlite3 *db, sqlite3_stmt *st, rtt_out_t *o, char *err, size_t errlen)
{
    int rc, nc = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rtt_out_row(o);
        for (int c = 0; c < nc; c++) {
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_INTEGER: rtt_out_int(o, sqlite3_column_int64(st, c)); break;
            case SQLITE_FLOAT: rtt_out_float(o, sqlite3_column_double(st, c)); break;
            case SQLITE_TEXT: rtt_out_text(o, (const char *)sqlite3_column_text(st, c)); break;
            default: rtt_out_null(o); break;
            }
        }
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    if (o->oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

sqlite3_stmt *rtt_range_prepare(sqlite3 *db, const char *sql, const int64_t *v, int n,
                                char *err, size_t errlen)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return NULL;
    }
    for (int i = 0; i < n; i++)
        sqlite3_bind_int64(st, i + 1, v[i]);
    return st;
}

int rtt_range_wide(const rtt_timeline_t *tl, const rtt_abs_range_t *a)
{
    int64_t dur = tl->b.known ? tl->b.end - tl->b.start + 1 : 1;
    return (a->to - a->from) > dur / 4;
}

int rtt_range_begin(const rtt_timeline_t *tl, const rtt_trange_t *r, int64_t longest_ns,
                    const char *count_sql, const char *count_name, rtt_range_query_t *q,
                    char *err, size_t errlen)
{
    memset(q, 0, sizeof *q);
    if (rtt_range_resolve(tl, r, &q->a, err, errlen))
        return -1;
    q->v[0] = q->a.lo;
    q->v[1] = q->a.hi;
    q->v[2] = q->a.buckets;
    q->v[3] = longest_ns;
    char sql[800];
    q->scan = rtt_range_wide(tl, &q->a) ? "+" : "";
    snprintf(sql, sizeof sql, count_sql, q->scan, q->scan);
    sqlite3_stmt *st = rtt_range_prepare(tl->db, sql, q->v, 4, err, errlen);
    if (!st)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        q->count = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    q->o = rtt_out_new();
    if (!q->o) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rtt_range_out(q->o, &q->a, count_name, q->count);
    return 0;
}

sqlite3_stmt *rtt_range_stmt(const rtt_timeline_t *tl, const rtt_range_query_t *q,
                             const char *sql, int nbind, char *err, size_t errlen)
{
    char text[800];
    snprintf(text, sizeof text, sql, q->scan, q->scan);
    return rtt_range_prepare(tl->db, text, q->v, nbind, err, errlen);
}

int rtt_range_end(const rtt_timeline_t *tl, rtt_range_query_t *q, const char *sql,
                  int nbind, rtt_out_t **result, char *err, size_t errlen)
{
    sqlite3_stmt *st = rtt_range_stmt(tl, q, sql, nbind, err, errlen);
    if (!st || rtt_range_rows(tl->db, st, q->o, err, errlen)) {
        rtt_out_free(q->o);
        q->o = NULL;
        return -1;
    }
    *result = q->o;
    return 0;
}

int rtt_range_end_with(const rtt_timeline_t *tl, rtt_range_query_t *q, rtt_range_sum_fn sum,
                       rtt_out_t **result, char *err, size_t errlen)
{
    if (sum(tl, q, err, errlen)) {
        rtt_out_free(q->o);
        q->o = NULL;
        return -1;
    }
    *result = q->o;
    return 0;
}
