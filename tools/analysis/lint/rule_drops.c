/* rule_drops.c - lint rule "drops": the runtime dropped more than
 * drops.count (0) items of one reason (work queue full, event queue full,
 * timer limit, command refused, ...): the drop counter rose. One finding per
 * process and reason with how many, the first and last dropped ids and
 * times (a task refused at submit never got an id: 0), and the peak
 * count in any 1 s window. Drops at shutdown are
 * "info" (destroying a runtime with work queued drops it by design), the
 * others "warning". Drops in [from, to).
 *
 * Cost: one scan of drops in the range (no index on ts), grouped; a second
 * ordered pass per finding for the first/last ids and the peak second.
 */
#include "rules.h"

#include <stdio.h>

static const char sql[] =
    "SELECT d.proc, d.reason, COALESCE(r.name, 'reason ' || d.reason), count(*),"
    " min(d.ts), max(d.ts) FROM drops d LEFT JOIN drop_reasons r ON r.reason = d.reason"
    " WHERE d.ts >= ?1 AND d.ts < ?2 GROUP BY d.proc, d.reason"
    " HAVING count(*) > ?3 ORDER BY d.proc, d.reason";

/* ids and per-second peak of one (proc, reason), in time order */
static const char detail_sql[] =
    "SELECT ts, id FROM drops WHERE proc = ?1 AND reason = ?2"
    " AND ts >= ?3 AND ts < ?4 ORDER BY ts, id";

int rtt_lint_rule_drops(rtt_lint_ctx_t *ctx)
{
    sqlite3_stmt *st = NULL, *dt = NULL;
    int rc, ret = 0;
    if (sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(ctx->db, detail_sql, -1, &dt, NULL) != SQLITE_OK) {
        ret = rtt_lint_sqlerr(ctx, "drops");
        goto done;
    }
    sqlite3_bind_int64(st, 1, ctx->from);
    sqlite3_bind_int64(st, 2, ctx->to);
    sqlite3_bind_int64(st, 3, ctx->cfg->drops_count);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t proc = sqlite3_column_int64(st, 0), reason = sqlite3_column_int64(st, 1);
        const char *name = (const char *)sqlite3_column_text(st, 2);
        int64_t n = sqlite3_column_int64(st, 3);
        int64_t first = sqlite3_column_int64(st, 4), last = sqlite3_column_int64(st, 5);
        /* first and last ids; the most drops within any 1 s (two pointers) */
        int64_t first_id = 0, last_id = 0, peak = 0;
        int seen = 0;
        int64_t win[1024];
        size_t head = 0, tail = 0; /* ring of timestamps in the window */
        int64_t inwin = 0;
        sqlite3_bind_int64(dt, 1, proc);
        sqlite3_bind_int64(dt, 2, reason);
        sqlite3_bind_int64(dt, 3, ctx->from);
        sqlite3_bind_int64(dt, 4, ctx->to);
        int drc;
        while ((drc = sqlite3_step(dt)) == SQLITE_ROW) {
            int64_t ts = sqlite3_column_int64(dt, 0), id = sqlite3_column_int64(dt, 1);
            if (!seen++)
                first_id = id;
            last_id = id;
            /* the ring holds the last 1024 timestamps: beyond that the peak
             * is at least 1024 and is counted as such */
            while (inwin > 0 && win[tail] <= ts - 1000000000) {
                tail = (tail + 1) % 1024;
                inwin--;
            }
            if (inwin == 1024) {
                tail = (tail + 1) % 1024;
                inwin--;
            }
            win[head] = ts;
            head = (head + 1) % 1024;
            inwin++;
            if (inwin > peak)
                peak = inwin;
        }
        sqlite3_reset(dt);
        if (drc != SQLITE_DONE) {
            ret = rtt_lint_sqlerr(ctx, "drops");
            goto done;
        }
        rtt_lint_finding_t *f = rtt_lint_add(
            ctx, RTT_LINT_DROPS, reason == 8 ? RTT_LINT_INFO : RTT_LINT_WARNING, proc,
            first_id, name, first, last, n, ctx->cfg->drops_count, "count",
            "%lld item%s dropped (%s), over %lld: ids %lld to %lld, at most %lld%s "
            "within 1 s",
            (long long)n, n == 1 ? "" : "s", name, (long long)ctx->cfg->drops_count,
            (long long)first_id, (long long)last_id, (long long)peak,
            peak >= 1024 ? "+" : "");
        if (!f) {
            ret = -1;
            goto done;
        }
        f->last_id = last_id;
        f->count = n;
    }
    if (rc != SQLITE_DONE)
        ret = rtt_lint_sqlerr(ctx, "drops");
done:
    sqlite3_finalize(st);
    sqlite3_finalize(dt);
    return ret;
}
