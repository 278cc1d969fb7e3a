/* timeline.c - rtt_timeline_open/close: what the range queries read once
 * per database (bounds, longest task and tick). Cost: one scan of tasks
 * and one of ticks (~40 ms per million tasks). */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rtt_timeline_open(sqlite3 *db, rtt_timeline_t *tl, char *err, size_t errlen)
{
    memset(tl, 0, sizeof *tl);
    tl->db = db;
    int64_t v[2];
    if (rtt_trace_bounds(db, &tl->b) ||
        rtt_sql_ints(db,
                     "SELECT (SELECT MAX(COALESCE(finished_ts, started_ts) - queued_ts)"
                     " FROM tasks), (SELECT MAX(end_ts - begin_ts) FROM ticks)",
                     v, 2)) {
        snprintf(err, errlen, "cannot read the trace bounds: %s", sqlite3_errmsg(db));
        return -1;
    }
    tl->max_task_ns = v[0] > 0 ? v[0] : 0;
    tl->max_tick_ns = v[1] > 0 ? v[1] : 0;
    return 0;
}

void rtt_timeline_close(rtt_timeline_t *tl)
{
    rtt_interactions_free(tl->ix);
    tl->ix = NULL;
    for (size_t i = 0; i < RTT_TL_KINDS; i++) {
        if (tl->whole[i])
            rtt_groups_free(tl->whole[i]);
        free(tl->whole[i]);
        tl->whole[i] = NULL;
    }
}
