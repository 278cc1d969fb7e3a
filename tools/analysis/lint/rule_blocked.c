/* rule_blocked.c - lint rule "blocked": an item whose run on the loop
 * exceeds a frame (blocked.frame, 16.7 ms: warning) or blocked.long
 * (50 ms: error) held the single-threaded loop: no input, timer or render
 * could run meanwhile. Items: tasks (started -> finished), event dispatches
 * (the handlers: begin -> end) and renders (the render() callback: begin
 * -> end). The finding names the item and the head of its cause chain
 * (query/cause_chain.c, the walk `rt-trace top` prints), e.g.
 * "task#248(insert) ran 60.2 ms ... cause chain: command#247 ->
 * task#248(insert)". Items that ended in [from, to): a live caller asking
 * for each new interval sees every item once, when it is over.
 *
 * Cost: one scan each of tasks, dispatches and renders (no index on their
 * start), plus a cause-chain walk (five primary-key probes per link) per
 * finding.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "rules.h"

#include "cause_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* kind, proc, id, name, priority, begin, end, cause, fired by a timer,
 * timer id */
static const char sql[] =
    "SELECT 'task', proc, id, NULLIF(name, ''), priority, started_ts, finished_ts,"
    " cause, source = 1, timer_id FROM tasks"
    " WHERE (flags & 6) = 0 AND finished_ts - started_ts > ?3"
    " AND finished_ts >= ?1 AND finished_ts < ?2"
    " UNION ALL SELECT 'event', proc, id, 'type ' || type, priority, begin_ts, end_ts,"
    " cause, 0, NULL FROM dispatches"
    " WHERE (flags & 4) = 0 AND end_ts - begin_ts > ?3"
    " AND end_ts >= ?1 AND end_ts < ?2"
    " UNION ALL SELECT 'render', proc, id, 'frame ' || frame, NULL, begin_ts, end_ts,"
    " 0, 0, NULL FROM renders"
    " WHERE end_ts IS NOT NULL AND end_ts - begin_ts > ?3"
    " AND end_ts >= ?1 AND end_ts < ?2";

int rtt_lint_rule_blocked(rtt_lint_ctx_t *ctx)
{
    const rtt_lint_config_t *c = ctx->cfg;
    int64_t lo = c->blocked_frame_ns < c->blocked_long_ns ? c->blocked_frame_ns
                                                          : c->blocked_long_ns;
    sqlite3_stmt *st = NULL, *lk = NULL;
    if (sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL) != SQLITE_OK ||
        rtt_chain_prepare(ctx->db, &lk) != SQLITE_OK) {
        sqlite3_finalize(st);
        return rtt_lint_sqlerr(ctx, "blocked");
    }
    sqlite3_bind_int64(st, 1, ctx->from);
    sqlite3_bind_int64(st, 2, ctx->to);
    sqlite3_bind_int64(st, 3, lo);
    rtt_chain_t *ch = malloc(sizeof *ch);
    int rc, ret = 0;
    if (!ch) {
        snprintf(ctx->err, ctx->errlen, "out of memory");
        ret = -1;
        goto done;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        int is_task = !strcmp(kind, "task");
        int64_t proc = sqlite3_column_int64(st, 1), id = sqlite3_column_int64(st, 2);
        const char *name = (const char *)sqlite3_column_text(st, 3);
        int64_t b = sqlite3_column_int64(st, 5), e = sqlite3_column_int64(st, 6);
        int64_t run = e - b;
        int err = run > c->blocked_long_ns;
        int64_t limit = err ? c->blocked_long_ns : c->blocked_frame_ns;
        if (run <= limit)
            continue; /* frame > long: only the long one applies */
        /* as `top` writes them: task names in the chain, event types not */
        rtt_chain_walk(lk, proc, kind, id, is_task ? name : NULL,
                       rtt_chain_next_cause(sqlite3_column_int64(st, 7),
                                            sqlite3_column_int64(st, 8) == 1,
                                            sqlite3_column_int64(st, 9)),
                       ch);
        char *text = rtt_chain_text(ch);
        char d1[32], d2[32], what[160], prio[40] = "";
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            snprintf(prio, sizeof prio, " (priority %lld)",
                     (long long)sqlite3_column_int64(st, 4));
        snprintf(what, sizeof what, "%s#%lld%s%s%s%s%s", kind, (long long)id,
                 is_task ? "" : " ", name && is_task ? "(" : "", name ? name : "",
                 name && is_task ? ")" : "", prio);
        rtt_lint_finding_t *f = rtt_lint_add(
            ctx, RTT_LINT_BLOCKED, err ? RTT_LINT_ERROR : RTT_LINT_WARNING, proc, id,
            name, b, e, run, limit, "ns",
            "%s ran %s, over %s: the loop was blocked; cause chain: %s", what,
            rtt_lint_dur(d1, sizeof d1, run), rtt_lint_dur(d2, sizeof d2, limit),
            text ? text : "?");
        free(text);
        if (!f) {
            ret = -1;
            goto done;
        }
        if (ch->n > 1 && !(f->cause_head = strdup(rtt_chain_head(ch)->text))) {
            snprintf(ctx->err, ctx->errlen, "out of memory");
            ret = -1;
            goto done;
        }
    }
    if (rc != SQLITE_DONE)
        ret = rtt_lint_sqlerr(ctx, "blocked");
done:
    free(ch);
    sqlite3_finalize(st);
    sqlite3_finalize(lk);
    return ret;
}
