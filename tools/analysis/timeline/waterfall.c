/* waterfall.c - one interaction as a waterfall (timeline.h): its cut
 * points, every item of its cause tree (a recursive query over the
 * (proc, cause) indexes) with its render, and the other tasks that ran
 * meanwhile. Cost: the interactions load once per database (see
 * interactions.h), then O(tree size) index probes and one index range scan
 * of tasks over the interaction's time. */
#include "range.h"

#include <stdio.h>

/* ?1 proc, ?2 root command id, ?3 trace start, ?4 render id. */
static const char items_sql[] =
    "WITH RECURSIVE tree(id) AS (SELECT ?2"
    " UNION SELECT t.id FROM tasks t JOIN tree ON t.proc = ?1 AND t.cause = tree.id"
    " UNION SELECT d.id FROM dispatches d JOIN tree ON d.proc = ?1 AND d.cause = tree.id"
    " UNION SELECT c.id FROM commands c JOIN tree ON c.proc = ?1 AND c.cause = tree.id"
    " UNION SELECT r.id FROM render_requests r JOIN tree"
    "  ON r.proc = ?1 AND r.cause = tree.id)"
    " SELECT * FROM ("
    "  SELECT 'command' AS kind, c.id, c.cause, NULL AS name, c.priority,"
    "   c.sent_ts - ?3 AS q, c.handled_ts - ?3, c.handled_ts - ?3"
    "   FROM tree JOIN commands c ON c.proc = ?1 AND c.id = tree.id"
    "  UNION ALL SELECT 'task', t.id, t.cause, t.name, t.priority, t.queued_ts - ?3,"
    "   t.started_ts - ?3, t.finished_ts - ?3"
    "   FROM tree JOIN tasks t ON t.proc = ?1 AND t.id = tree.id"
    "  UNION ALL SELECT 'dispatch', d.id, d.cause, CAST(d.type AS TEXT), d.priority,"
    "   d.queued_ts - ?3, d.begin_ts - ?3, d.end_ts - ?3"
    "   FROM tree JOIN dispatches d ON d.proc = ?1 AND d.id = tree.id"
    "  UNION ALL SELECT 'render_request', r.id, r.cause, NULL, NULL, r.ts - ?3,"
    "   r.ts - ?3, r.ts - ?3"
    "   FROM tree JOIN render_requests r ON r.proc = ?1 AND r.id = tree.id"
    "  UNION ALL SELECT 'render', id, 0, 'frame ' || frame, NULL, begin_ts - ?3,"
    "   begin_ts - ?3, COALESCE(end_ts, begin_ts) - ?3"
    "   FROM renders WHERE proc = ?1 AND id = ?4)"
    " ORDER BY q, kind";

/* ?1 proc, ?2 p0, ?3 p4, ?4 trace start, ?5 longest task, ?6 root. */
static const char meanwhile_sql[] =
    "WITH RECURSIVE tree(id) AS (SELECT ?6"
    " UNION SELECT t.id FROM tasks t JOIN tree ON t.proc = ?1 AND t.cause = tree.id"
    " UNION SELECT d.id FROM dispatches d JOIN tree ON d.proc = ?1 AND d.cause = tree.id"
    " UNION SELECT c.id FROM commands c JOIN tree ON c.proc = ?1 AND c.cause = tree.id)"
    " SELECT id, cause, name, priority, queued_ts - ?4, started_ts - ?4,"
    " finished_ts - ?4 FROM tasks"
    " WHERE proc = ?1 AND queued_ts >= ?2 - ?5 AND queued_ts < ?3"
    " AND started_ts < ?3 AND finished_ts > ?2 AND id NOT IN (SELECT id FROM tree)"
    " ORDER BY MIN(finished_ts, ?3) - MAX(started_ts, ?2) DESC LIMIT 20";

static const rtt_interaction_t *find(const rtt_interactions_t *set, int64_t proc,
                                     int64_t id)
{
    size_t n = rtt_interactions_count(set);
    for (size_t i = 0; i < n; i++) {
        const rtt_interaction_t *x = rtt_interactions_get(set, i);
        if (x->proc == proc && (int64_t)x->command_id == id)
            return x;
    }
    return NULL;
}

int rtt_timeline_chain(rtt_timeline_t *tl, int64_t proc, int64_t command_id,
                       rtt_out_t **result, char *err, size_t errlen)
{
    if (!tl->ix && rtt_interactions_load(tl->db, &tl->ix, err, errlen))
        return -1;
    const rtt_interaction_t *x = find(tl->ix, proc, command_id);
    if (!x) {
        snprintf(err, errlen, "no interaction has root command %lld in proc %lld",
                 (long long)command_id, (long long)proc);
        return -1;
    }
    int64_t s = tl->b.start;
    int64_t p[5];
    p[0] = x->sent_ts;
    p[1] = p[0] + x->queue_ns;
    p[2] = p[1] + x->run_ns;
    p[3] = p[2] + x->frame_wait_ns;
    p[4] = p[3] + x->render_ns;
    rtt_out_t *o = rtt_out_new();
    if (!o) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rtt_out_section(o, "interaction", 1);
    static const char *pc[] = {"p0", "p1", "p2", "p3", "p4"};
    rtt_out_column(o, "proc", RTT_UNIT_PLAIN);
    rtt_out_column(o, "command_id", RTT_UNIT_PLAIN);
    rtt_out_column(o, "name", RTT_UNIT_PLAIN);
    rtt_out_column(o, "has_render", RTT_UNIT_PLAIN);
    for (int i = 0; i < 5; i++)
        rtt_out_column(o, pc[i], RTT_UNIT_NS);
    static const char *lc[] = {"latency", "queue", "run", "frame_wait", "render"};
    for (int i = 0; i < 5; i++)
        rtt_out_column(o, lc[i], RTT_UNIT_NS);
    rtt_out_column(o, "blocked_by", RTT_UNIT_PLAIN);
    rtt_out_row(o);
    rtt_out_int(o, x->proc);
    rtt_out_int(o, (int64_t)x->command_id);
    rtt_out_text(o, x->name);
    rtt_out_int(o, x->has_render);
    for (int i = 0; i < 5; i++)
        rtt_out_int(o, p[i] - s);
    int64_t lv[5] = {x->latency_ns, x->queue_ns, x->run_ns, x->frame_wait_ns,
                     x->render_ns};
    for (int i = 0; i < 5; i++)
        rtt_out_int(o, lv[i]);
    rtt_out_text(o, x->blocked_by);

    rtt_out_section(o, "items", 0);
    static const char *ic[] = {"kind", "id", "cause", "name", "priority"};
    for (int i = 0; i < 5; i++)
        rtt_out_column(o, ic[i], RTT_UNIT_PLAIN);
    rtt_out_column(o, "queued", RTT_UNIT_NS);
    rtt_out_column(o, "started", RTT_UNIT_NS);
    rtt_out_column(o, "finished", RTT_UNIT_NS);
    int64_t v[4] = {proc, command_id, s, x->has_render ? (int64_t)x->render_id : -1};
    sqlite3_stmt *st = rtt_range_prepare(tl->db, items_sql, v, 4, err, errlen);
    if (!st || rtt_range_rows(tl->db, st, o, err, errlen))
        goto fail;

    rtt_out_section(o, "meanwhile", 0);
    static const char *mc[] = {"id", "cause", "name", "priority"};
    for (int i = 0; i < 4; i++)
        rtt_out_column(o, mc[i], RTT_UNIT_PLAIN);
    rtt_out_column(o, "queued", RTT_UNIT_NS);
    rtt_out_column(o, "started", RTT_UNIT_NS);
    rtt_out_column(o, "finished", RTT_UNIT_NS);
    int64_t w[6] = {proc, p[0], p[4], s, tl->max_task_ns, command_id};
    st = rtt_range_prepare(tl->db, meanwhile_sql, w, 6, err, errlen);
    if (!st || rtt_range_rows(tl->db, st, o, err, errlen))
        goto fail;
    *result = o;
    return 0;
fail:
    rtt_out_free(o);
    return -1;
}
