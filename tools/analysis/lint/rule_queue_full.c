/* rule_queue_full.c - lint rule "queue_full": an rtk:stats snapshot shows
 * the work, event or async queue holding more than queue_full.share (80%)
 * of its capacity. The trace carries queue lengths (stats.*_queue_len) but
 * not capacities (rtk_config_t stays in the process), so the capacity is
 * the configured queue_full.*_capacity, by default the runtime's defaults
 * (1024, 256, 1024), and the finding says which it used. One warning per
 * process and queue: snapshots above the line, the longest length, the
 * first and last of them. Snapshots in [from, to).
 *
 * Cost: an index range scan of stats(proc, ts) per queue.
 */
#include "rules.h"

#include <stdio.h>

typedef struct queue {
    const char *name, *column, *key;
    int64_t def;
} queue_t;

static const queue_t queues[] = {
    {"work", "work_queue_len", "work_capacity", 1024},
    {"event", "event_queue_len", "event_capacity", 256},
    {"async", "async_queue_len", "async_capacity", 1024},
};

static int64_t capacity(const rtt_lint_config_t *c, size_t q)
{
    return q == 0 ? c->work_capacity : q == 1 ? c->event_capacity : c->async_capacity;
}

int rtt_lint_rule_queue_full(rtt_lint_ctx_t *ctx)
{
    for (size_t q = 0; q < sizeof queues / sizeof queues[0]; q++) {
        const queue_t *Q = &queues[q];
        int64_t cap = capacity(ctx->cfg, q);
        double line = ctx->cfg->queue_share * (double)cap;
        char sql[512];
        /* per process: snapshots above, the longest, the first and last */
        snprintf(sql, sizeof sql,
                 "SELECT proc, count(*), max(%s), min(ts), max(ts)"
                 " FROM stats WHERE ts >= ?1 AND ts < ?2 AND %s > ?3"
                 " GROUP BY proc ORDER BY proc",
                 Q->column, Q->column);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL) != SQLITE_OK)
            return rtt_lint_sqlerr(ctx, "queue_full");
        sqlite3_bind_int64(st, 1, ctx->from);
        sqlite3_bind_int64(st, 2, ctx->to);
        sqlite3_bind_double(st, 3, line);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t proc = sqlite3_column_int64(st, 0), n = sqlite3_column_int64(st, 1);
            int64_t max = sqlite3_column_int64(st, 2);
            char note[160];
            if (cap == Q->def)
                snprintf(note, sizeof note,
                         "assumed: the runtime's default (the trace does not record "
                         "capacities; set queue_full.%s=N if the program sets another)",
                         Q->key);
            else
                snprintf(note, sizeof note, "as configured (queue_full.%s)", Q->key);
            rtt_lint_finding_t *f = rtt_lint_add(
                ctx, RTT_LINT_QUEUE_FULL, RTT_LINT_WARNING, proc, 0, Q->name,
                sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4), max, cap,
                "items",
                "%s queue held up to %lld of %lld (%.0f%%, over %.0f%%) in %lld "
                "stats snapshot%s; capacity %s",
                Q->name, (long long)max, (long long)cap,
                100.0 * (double)max / (double)cap, 100.0 * ctx->cfg->queue_share,
                (long long)n, n == 1 ? "" : "s", note);
            if (!f) {
                sqlite3_finalize(st);
                return -1;
            }
            f->count = n;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return rtt_lint_sqlerr(ctx, "queue_full");
    }
    return 0;
}
