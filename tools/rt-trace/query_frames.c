/* query_frames.c - `rt-trace frames`: the loop ticks that ran a render
 * (ticks.rendered = 1), their durations against a frame budget, the time
 * spent in render() itself (renders table), and the worst frames.
 *
 * Cost: one scan of ticks and one of renders plus a radix sort each; the
 * worst N are found by SQLite's ORDER BY ... LIMIT (a bounded heap), then
 * one index probe each for the render inside the tick.
 */
#include "commands.h"
#include "query_common.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: rt-trace frames DB [--budget D] [-n N] [--from T] [--to T]\n"
    "                          [--format table|json|csv]\n"
    "\n"
    "Frames are loop ticks that ran a render. Shows their durations (count,\n"
    "percentiles), how many went over the budget and which share that is, the\n"
    "time spent inside render() (renders whose end was traced), and the N\n"
    "worst frames.\n"
    "\n"
    "  --budget D   frame budget, ns or 16.7ms, 8.3ms, ... (default 16.7ms)\n"
    "  -n N         how many worst frames to list (default 10, 0: none)\n"
    "  --from T, --to T  only ticks beginning in [T1, T2) from the trace start\n"
    "  --format F   table (default), json (ns) or csv (ns)\n"
    "\n"
    "example: rt-trace frames run.db --budget 8.3ms -n 5\n";

typedef struct frames_args {
    const rtt_qopts_t *o;
    int64_t budget;
    int64_t n;
} frames_args_t;

enum { OPT_BUDGET = 1, OPT_N };

static int on_opt(void *ctx, int id, const char *arg)
{
    frames_args_t *a = ctx;
    if (id == OPT_BUDGET) {
        if (rtt_parse_duration(arg, &a->budget) || a->budget <= 0) {
            rtt_qerr(a->o, "bad --budget '%s': expected a duration, e.g. 16.7ms", arg);
            return -1;
        }
        return 0;
    }
    return rtt_parse_count(a->o, arg, &a->n);
}

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

int rtt_cmd_frames(int argc, char **argv)
{
    static const rtt_qopt_spec_t specs[] = {
        {"budget", 'b', 1, OPT_BUDGET}, {"top", 'n', 1, OPT_N}, {NULL, 0, 0, 0}};
    rtt_qopts_t o;
    frames_args_t a = {.o = &o, .budget = 16700000, .n = 10};
    int rc = rtt_qparse(&o, "frames", argc, argv, RTT_Q_WINDOW, specs, on_opt, &a, 1, 1,
                        usage);
    if (rc >= 0)
        return rc;
    sqlite3 *db;
    if (rtt_qopen(&o, &db))
        return 1;

    rtt_bounds_t b;
    rtt_window_t w;
    char err[256] = "";
    int64_t *v = NULL, excluded;
    size_t n;
    rtt_out_t *out = rtt_out_new();
    sqlite3_stmt *st = NULL;
    if (!out) {
        snprintf(err, sizeof err, "out of memory");
        goto fail;
    }
    if (rtt_trace_bounds(db, &b))
        goto sqlerr;
    rtt_window_make(&o, &b, &w);
    const char *win = w.active ? " AND begin_ts >= ?1 AND begin_ts < ?2" : "";
    char sql[512];

    snprintf(sql, sizeof sql,
             "SELECT CASE WHEN (flags & 5) = 0 THEN end_ts - begin_ts END"
             " FROM ticks WHERE rendered = 1%s", win);
    if (rtt_collect_values(db, sql, &w, &v, &n, &excluded, err, sizeof err))
        goto fail;
    stats_section(out, "frames", "frames", a.budget, v, n, excluded);
    free(v);

    snprintf(sql, sizeof sql,
             "SELECT CASE WHEN (flags & 5) = 0 THEN end_ts - begin_ts END"
             " FROM renders WHERE 1%s", win);
    if (rtt_collect_values(db, sql, &w, &v, &n, &excluded, err, sizeof err))
        goto fail;
    stats_section(out, "renders", "renders", a.budget, v, n, excluded);
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
    sqlite3_bind_int64(st, 3, a.n);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rtt_out_row(out);
        rtt_out_int(out, sqlite3_column_int64(st, 0));
        rtt_out_int(out, sqlite3_column_int64(st, 1));
        rtt_out_int(out, sqlite3_column_int64(st, 2) - b.start);
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
        rtt_out_int(out, d > a.budget);
    }
    if (rc != SQLITE_DONE)
        goto sqlerr;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rtt_qwrite(&o, out);

sqlerr:
    snprintf(err, sizeof err, "%s", sqlite3_errmsg(db));
fail:
    rtt_qerr(&o, "%s: %s", err, o.pos[0]);
    sqlite3_finalize(st);
    rtt_out_free(out);
    free(v);
    sqlite3_close(db);
    return 1;
}
