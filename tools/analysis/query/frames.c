/* frames.c - the frames query (`rt-trace frames`): the loop ticks that ran a render
 * (ticks.rendered = 1), their durations against a frame budget, the time
 * spent in render() itself (renders table), and the worst frames.
 *
 * Cost: one scan of ticks and one of renders plus a radix sort each; the
 * worst N are found by SQLite's ORDER BY ... LIMIT (a bounded heap), then
 * one index probe each for the render inside the tick.
 */
#include "queries.h"
#include "satmath.h"

#include "bounds.h"
#include "measures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t over(const int64_t *v, size_t n, int64_t budget)
{
    /* v is sorted: binary search the first value > budget. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] > budget)
            hi = mid;
        else
            lo = mid + 1;
    }
    return (int64_t)(n - lo);
}

static int stats_section(rtt_out_t *out, const char *name, const char *count_col,
                         int64_t budget, int64_t *v, size_t n, int64_t excluded)
{
    rtt_stats_t s = {.excluded = excluded};
    rtt_stats_compute(v, n, &s);
    int64_t ov = over(v, n, budget);
    rtt_out_section(out, name, 1);
    rtt_out_column(out, count_col, RTT_UNIT_PLAIN);
    rtt_out_column(out, "budget", RTT_UNIT_NS);
    rtt_out_column(out, "over_budget", RTT_UNIT_PLAIN);
    rtt_out_column(out, "over_budget_share", RTT_UNIT_RATIO);
    rtt_out_stats_columns(out);
    rtt_out_row(out);
    rtt_out_int(out, (int64_t)n + excluded);
    rtt_out_int(out, budget);
    rtt_out_int(out, ov);
    rtt_out_float(out, n ? (double)ov / (double)n : 0.0);
    rtt_out_stats_cells(out, &s);
    return 0;
}

int rtt_query_frames(sqlite3 *db, const rtt_span_t *span, int64_t budget,
                     int64_t top, rtt_out_t **result, char *err, size_t errlen)
{
    int rc;
    rtt_bounds_t b;
    rtt_window_t w;
    int64_t *v = NULL, excluded;
    size_t n;
    rtt_out_t *out = rtt_out_new();
    sqlite3_stmt *st = NULL;
    if (!out) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (rtt_trace_bounds(db, &b))
        goto sqlerr;
    rtt_window_make(&b, span, &w);
    const char *win = w.active ? " AND begin_ts >= ?1 AND begin_ts < ?2" : "";
    char sql[512];

    snprintf(sql, sizeof sql,
             "SELECT CASE WHEN (flags & 5) = 0 THEN end_ts - begin_ts END"
             " FROM ticks WHERE rendered = 1%s", win);
    if (rtt_collect_values(db, sql, &w, &v, &n, &excluded, err, errlen))
        goto fail;
    stats_section(out, "frames", "frames", budget, v, n, excluded);
    free(v);

    snprintf(sql, sizeof sql,
             "SELECT CASE WHEN (flags & 5) = 0 THEN end_ts - begin_ts END"
             " FROM renders WHERE 1%s", win);
    if (rtt_collect_values(db, sql, &w, &v, &n, &excluded, err, errlen))
        goto fail;
    stats_section(out, "renders", "renders", budget, v, n, excluded);
    free(v);
    v = NULL;

    rtt_out_section(out, "worst", 0);
    rtt_out_column(out, "proc", RTT_UNIT_PLAIN);
    rtt_out_column(out, "tick", RTT_UNIT_PLAIN);
    rtt_out_column(out, "at", RTT_UNIT_NS);
    rtt_out_column(out, "duration", RTT_UNIT_NS);
    rtt_out_column(out, "render", RTT_UNIT_NS);
    rtt_out_column(out, "tasks", RTT_UNIT_PLAIN);
    rtt_out_column(out, "events", RTT_UNIT_PLAIN);
    rtt_out_column(out, "timers", RTT_UNIT_PLAIN);
    rtt_out_column(out, "over_budget", RTT_UNIT_PLAIN);
    snprintf(sql, sizeof sql,
             "SELECT t.proc, t.tick, t.begin_ts, t.end_ts - t.begin_ts AS d,"
             " (SELECT r.end_ts - r.begin_ts FROM renders r WHERE r.proc = t.proc"
             "  AND r.begin_ts >= t.begin_ts AND r.begin_ts <= t.end_ts"
             "  ORDER BY r.begin_ts LIMIT 1),"
             " t.tasks, t.events, t.timers"
             " FROM ticks t WHERE t.rendered = 1 AND (t.flags & 5) = 0%s"
             " ORDER BY d DESC, t.proc, t.tick LIMIT ?3",
             w.active ? " AND t.begin_ts >= ?1 AND t.begin_ts < ?2" : "");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    if (w.active) {
        sqlite3_bind_int64(st, 1, w.lo);
        sqlite3_bind_int64(st, 2, w.hi);
    }
    sqlite3_bind_int64(st, 3, top);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rtt_out_row(out);
        rtt_out_int(out, sqlite3_column_int64(st, 0));
        rtt_out_int(out, sqlite3_column_int64(st, 1));
        rtt_out_int(out, rtt_sat_sub(sqlite3_column_int64(st, 2), b.start));
        int64_t d = sqlite3_column_int64(st, 3);
        rtt_out_int(out, d);
        if (sqlite3_column_type(st, 4) == SQLITE_NULL)
            rtt_out_null(out);
        else
            rtt_out_int(out, sqlite3_column_int64(st, 4));
        for (int c = 5; c < 8; c++)
            if (sqlite3_column_type(st, c) == SQLITE_NULL)
                rtt_out_null(out);
            else
                rtt_out_int(out, sqlite3_column_int64(st, c));
        rtt_out_int(out, d > budget);
    }
    if (rc != SQLITE_DONE)
        goto sqlerr;
    sqlite3_finalize(st);
    *result = out;
    return 0;

sqlerr:
    snprintf(err, errlen, "%s", sqlite3_errmsg(db));
fail:
    sqlite3_finalize(st);
    rtt_out_free(out);
    free(v);
    return -1;
}
