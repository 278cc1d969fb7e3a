/* slices.c - the tasks overlapping a range (timeline.h): the rows when
 * there are at most `limit`, else per (bucket, priority) aggregates made in
 * SQL. Cost: one index range scan of tasks(queued_ts) over the window
 * widened by the longest task, twice (count, then rows or aggregates). */
#include "range.h"

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
    return rtt_range_end(tl, &q, rows ? rows_sql : lanes_sql, 5, result, err, errlen);
}
