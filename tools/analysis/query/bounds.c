/* bounds.c - trace bounds, windows, tracer loss and SQL helpers (see
 * bounds.h). Each a few indexed lookups or one scan. */
#include "bounds.h"
#include "satmath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sql_int(sqlite3 *db, const char *sql, int64_t *out, int *isnull)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *isnull = sqlite3_column_type(st, 0) == SQLITE_NULL;
        *out = sqlite3_column_int64(st, 0);
    } else {
        *isnull = 1;
        *out = 0;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int rtt_sql_ints(sqlite3 *db, const char *sql, int64_t *out, int n)
{
    sqlite3_stmt *st;
    memset(out, 0, (size_t)n * sizeof(int64_t));
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (int i = 0; i < n && i < sqlite3_column_count(st); i++)
            out[i] = sqlite3_column_int64(st, i);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int rtt_collect_stmt(sqlite3 *db, sqlite3_stmt *st, int64_t **v, size_t *n,
                     int64_t *excluded, char *err, size_t errlen)
{
    size_t cap = 0;
    int rc;
    *v = NULL;
    *n = 0;
    *excluded = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
            (*excluded)++;
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            int64_t *p = realloc(*v, cap * sizeof(int64_t));
            if (!p) {
                snprintf(err, errlen, "out of memory");
                rc = SQLITE_NOMEM;
                break;
            }
            *v = p;
        }
        (*v)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_NOMEM)
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(*v);
        *v = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

int rtt_collect_values(sqlite3 *db, const char *sql, const rtt_window_t *w,
                       int64_t **v, size_t *n, int64_t *excluded, char *err,
                       size_t errlen)
{
    sqlite3_stmt *st;
    *v = NULL;
    *n = 0;
    *excluded = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    if (w && w->active) {
        sqlite3_bind_int64(st, 1, w->lo);
        sqlite3_bind_int64(st, 2, w->hi);
    }
    return rtt_collect_stmt(db, st, v, n, excluded, err, errlen);
}

int rtt_tracer_loss(sqlite3 *db, rtt_tracer_loss_t *l)
{
    int64_t r[3];
    if (rtt_sql_ints(db,
                     "SELECT SUM(CASE WHEN what = 'events' THEN count END),"
                     " SUM(CASE WHEN what = 'packets' THEN COALESCE(count, 1) END),"
                     " SUM(what = 'events' AND count IS NULL) FROM tracer_loss",
                     r, 3))
        return -1;
    l->discarded_events = r[0];
    l->lost_packets = r[1];
    l->unknown_count_messages = r[2];
    if (rtt_sql_ints(db, "SELECT COUNT(*), SUM(bytes) FROM ingest_issues", r, 2))
        return -1;
    l->ingest_issues = r[0];
    l->ingest_issue_bytes = r[1];
    return 0;
}

int rtt_trace_bounds(sqlite3 *db, rtt_bounds_t *b)
{
    /* Each MIN/MAX below is one index probe (or a scan of the small
     * traces table). */
    static const char *const firsts[] = {
        "SELECT MIN(first_ts) FROM traces", "SELECT MIN(queued_ts) FROM tasks",
        "SELECT MIN(queued_ts) FROM dispatches", "SELECT MIN(sent_ts) FROM commands",
        "SELECT MIN(begin_ts) FROM ticks", "SELECT MIN(ts) FROM timer_fires"};
    static const char *const lasts[] = {
        "SELECT MAX(last_ts) FROM traces", "SELECT MAX(queued_ts) FROM tasks",
        "SELECT MAX(queued_ts) FROM dispatches", "SELECT MAX(sent_ts) FROM commands",
        "SELECT MAX(begin_ts) FROM ticks", "SELECT MAX(ts) FROM timer_fires"};
    memset(b, 0, sizeof(*b));
    int isnull;
    if (sql_int(db, "SELECT COUNT(*) FROM traces", &b->traces, &isnull) ||
        sql_int(db, "SELECT SUM(events) FROM traces", &b->events, &isnull))
        return -1;
    if (isnull)
        b->events = 0;
    int have_first = 0, have_last = 0;
    for (size_t i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++) {
        int64_t v;
        if (!have_first) {
            if (sql_int(db, firsts[i], &v, &isnull))
                return -1;
            if (!isnull) {
                b->start = v;
                have_first = 1;
            }
        }
        if (!have_last) {
            if (sql_int(db, lasts[i], &v, &isnull))
                return -1;
            if (!isnull) {
                b->end = v;
                have_last = 1;
            }
        }
        if (have_first && have_last)
            break;
    }
    b->known = have_first && have_last;
    if (b->known && b->end < b->start)
        b->end = b->start;
    return 0;
}

void rtt_window_make(const rtt_bounds_t *b, const rtt_span_t *span, rtt_window_t *w)
{
    static const rtt_span_t all = {0, 0, 0, 0};
    if (!span)
        span = &all;
    w->active = span->has_from || span->has_to;
    w->lo = span->has_from ? rtt_sat_add(b->start, span->from_ns) : INT64_MIN;
    w->hi = span->has_to ? rtt_sat_add(b->start, span->to_ns) : INT64_MAX;
}
