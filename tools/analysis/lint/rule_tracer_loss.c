/* rule_tracer_loss.c - lint rule "tracer_loss": the tracer discarded
 * events (its ring buffers were full) or lost packets, so every count and
 * chain in the range may be short. One error per trace whose tracer_loss
 * rows overlap [from, to) and whose discarded events exceed
 * tracer_loss.events (0), or that lost packets: the discarded count (the
 * sum babeltrace2 and LTTng report), the lost packets, and the interval
 * the loss happened in.
 *
 * Cost: one scan of tracer_loss (one row per loss message: small).
 */
#include "rules.h"

#include <stdio.h>

static const char sql[] =
    "SELECT l.trace, t.procname,"
    " COALESCE(sum(CASE WHEN l.what = 'events' THEN l.count END), 0),"
    " sum(CASE WHEN l.what = 'events' AND l.count IS NULL THEN 1 ELSE 0 END),"
    " sum(CASE WHEN l.what = 'packets' THEN COALESCE(l.count, 1) ELSE 0 END),"
    " min(l.begin_ts), max(COALESCE(l.end_ts, l.begin_ts)), count(*)"
    " FROM tracer_loss l LEFT JOIN traces t ON t.trace = l.trace"
    " WHERE COALESCE(l.end_ts, l.begin_ts) >= ?1 AND l.begin_ts < ?2"
    " GROUP BY l.trace ORDER BY l.trace";

int rtt_lint_rule_tracer_loss(rtt_lint_ctx_t *ctx)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL) != SQLITE_OK)
        return rtt_lint_sqlerr(ctx, "tracer_loss");
    sqlite3_bind_int64(st, 1, ctx->from);
    sqlite3_bind_int64(st, 2, ctx->to);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t trace = sqlite3_column_int64(st, 0);
        const char *procname = (const char *)sqlite3_column_text(st, 1);
        int64_t events = sqlite3_column_int64(st, 2), unknown = sqlite3_column_int64(st, 3);
        int64_t packets = sqlite3_column_int64(st, 4);
        if (events <= ctx->cfg->tracer_loss_events && unknown == 0 && packets == 0)
            continue;
        rtt_lint_finding_t *f = rtt_lint_add(
            ctx, RTT_LINT_TRACER_LOSS, RTT_LINT_ERROR, 0, trace, procname,
            sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6), events,
            ctx->cfg->tracer_loss_events, "count",
            "the tracer discarded %lld event%s%s and lost %lld packet%s in trace %lld "
            "(%lld loss report%s): counts and cause chains here may be short; "
            "record with larger buffers (rt-trace record --subbuf-size)",
            (long long)events, events == 1 ? "" : "s",
            unknown ? " (and some reports gave no count)" : "", (long long)packets,
            packets == 1 ? "" : "s", (long long)trace,
            (long long)sqlite3_column_int64(st, 7),
            sqlite3_column_int64(st, 7) == 1 ? "" : "s");
        if (!f) {
            ret = -1;
            break;
        }
        f->count = sqlite3_column_int64(st, 7);
    }
    if (!ret && rc != SQLITE_DONE)
        ret = rtt_lint_sqlerr(ctx, "tracer_loss");
    sqlite3_finalize(st);
    return ret;
}
