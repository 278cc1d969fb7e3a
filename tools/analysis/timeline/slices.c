/* slices.c - the tasks overlapping a range (timeline.h): the rows when
 * there are at most `limit`, else per (bucket, priority) aggregates made in
 * SQL. Cost: one index range scan of tasks(queued_ts) over the window
 * widened by the longest task, twice (count, then rows or aggregates). */
#include "range.h"

#include <stdio.h>

/* ?1 lo, ?2 hi, ?3 buckets, ?4 longest task, ?5 from (relative lo); %s:
 * "" for the queued_ts index, "+" to scan a wide range (range.h). */
#define OVERLAP " FROM tasks WHERE %squeued_ts >= ?1 - ?4 AND %squeued_ts < ?2" \
                " AND COALESCE(finished_ts, started_ts, queued_ts) >= ?1"
static const char count_sql[] = "SELECT COUNT(*)" OVERLAP;
static const char rows_sql[] =
    "SELECT proc, id, cause, priority, name, queued_ts - ?1 + ?5,"
    " started_ts - ?1 + ?5, finished_ts - ?1 + ?5" OVERLAP " ORDER BY queued_ts";
static const char lanes_sql[] =
    "SELECT MAX(0, (COALESCE(started_ts, queued_ts) - ?1) * ?3 / (?2 - ?1)) AS b,"
    " priority, COUNT(*), SUM(finished_ts - started_ts), MAX(finished_ts - started_ts)"
    OVERLAP " GROUP BY b, priority ORDER BY b, priority";

int rtt_timeline_tasks(const rtt_timeline_t *tl, const rtt_trange_t *r, int64_t limit,
                       rtt_out_t **result, char *err, size_t errlen)
{
    rtt_abs_range_t a;
    if (rtt_range_resolve(tl, r, &a, err, errlen))
        return -1;
    int64_t v[5] = {a.lo, a.hi, a.buckets, tl->max_task_ns, a.from};
    int64_t count = 0;
    char sql[800];
    const char *scan = rtt_range_wide(tl, &a) ? "+" : "";
    snprintf(sql, sizeof sql, count_sql, scan, scan);
    sqlite3_stmt *st = rtt_range_prepare(tl->db, sql, v, 4, err, errlen);
    if (!st)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        count = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    rtt_out_t *o = rtt_out_new();
    if (!o) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rtt_range_out(o, &a, "tasks", count);
    int rows = count <= limit;
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
    snprintf(sql, sizeof sql, rows ? rows_sql : lanes_sql, scan, scan);
    st = rtt_range_prepare(tl->db, sql, v, 5, err, errlen);
    if (!st || rtt_range_rows(tl->db, st, o, err, errlen)) {
        rtt_out_free(o);
        return -1;
    }
    *result = o;
    return 0;
}
