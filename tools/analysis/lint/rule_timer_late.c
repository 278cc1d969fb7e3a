/* rule_timer_late.c - lint rule "timer_late": a timer fire whose lateness
 * (now_ns - deadline_ns at the fire, timer_fires.lateness_ns) exceeds
 * timer_late.lateness (10 ms): a warning naming the timer, its fire task
 * and how late. Fires whose trace timestamp lies in [from, to).
 *
 * Cost: an index range scan of timer_fires(ts), a timers primary-key
 * probe per fire.
 */
#include "rules.h"

#include <stdio.h>

static const char sql[] =
    "SELECT f.proc, f.timer_id, NULLIF(t.name, ''), f.ts, f.lateness_ns, f.missed,"
    " f.task_id FROM timer_fires f"
    " LEFT JOIN timers t ON t.proc = f.proc AND t.id = f.timer_id"
    " WHERE f.ts >= ?1 AND f.ts < ?2 AND f.lateness_ns > ?3";

int rtt_lint_rule_timer_late(rtt_lint_ctx_t *ctx)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL) != SQLITE_OK)
        return rtt_lint_sqlerr(ctx, "timer_late");
    sqlite3_bind_int64(st, 1, ctx->from);
    sqlite3_bind_int64(st, 2, ctx->to);
    sqlite3_bind_int64(st, 3, ctx->cfg->timer_late_ns);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t proc = sqlite3_column_int64(st, 0), id = sqlite3_column_int64(st, 1);
        const char *name = (const char *)sqlite3_column_text(st, 2);
        int64_t ts = sqlite3_column_int64(st, 3), late = sqlite3_column_int64(st, 4);
        char d1[32], d2[32];
        if (!rtt_lint_add(ctx, RTT_LINT_TIMER_LATE, RTT_LINT_WARNING, proc, id, name,
                          ts - late, ts, late, ctx->cfg->timer_late_ns, "ns",
                          "timer#%lld%s%s%s fired %s after its deadline, over %s "
                          "(%lld periods missed; fire task#%lld)",
                          (long long)id, name ? "(" : "", name ? name : "",
                          name ? ")" : "", rtt_lint_dur(d1, sizeof d1, late),
                          rtt_lint_dur(d2, sizeof d2, ctx->cfg->timer_late_ns),
                          (long long)sqlite3_column_int64(st, 5),
                          (long long)sqlite3_column_int64(st, 6))) {
            ret = -1;
            break;
        }
    }
    if (!ret && rc != SQLITE_DONE)
        ret = rtt_lint_sqlerr(ctx, "timer_late");
    sqlite3_finalize(st);
    return ret;
}
