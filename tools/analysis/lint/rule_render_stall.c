/* rule_render_stall.c - lint rule "render_stall": a render was requested
 * and not done (render_end, or render begin when the application takes the
 * flag itself) within render_stall.frames (2) frame intervals
 * (render_stall.frame, 16.7 ms; the runtime's frame_interval_ns is not in
 * the trace). Only requests that found no render pending (coalesced = 0)
 * start a wait; later ones ride on it. A request with no render after it
 * is reported when the trace goes on past the limit ("never rendered").
 * One warning per stalled request: its id, what requested it (the head of
 * its cause chain, query/cause_chain.c), the render that served it and
 * the wait. A stall belongs to the range in which it became known: its
 * render was done in [from, to), or, never rendered, its limit ran out in
 * it (before the trace's end): a live caller asking for each new interval
 * sees every stall once.
 *
 * Cost: one scan of the render requests before `to`, an index probe of
 * renders(proc, begin_ts) per request, a cause-chain walk per finding.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "rules.h"

#include "cause_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sql[] =
    "SELECT q.proc, q.id, q.cause, q.ts,"
    " (SELECT r.id FROM renders r WHERE r.proc = q.proc AND r.begin_ts >= q.ts"
    "  ORDER BY r.begin_ts LIMIT 1) AS rid"
    " FROM render_requests q WHERE q.coalesced = 0 AND q.ts < ?2"
    " ORDER BY q.proc, q.ts";

static const char render_sql[] =
    "SELECT COALESCE(end_ts, begin_ts), frame FROM renders WHERE proc = ?1 AND id = ?2";

int rtt_lint_rule_render_stall(rtt_lint_ctx_t *ctx)
{
    const rtt_lint_config_t *c = ctx->cfg;
    double lim = (double)c->frame_interval_ns * c->render_frames + 0.5;
    int64_t limit = lim > 4e18 ? (int64_t)4e18 : (int64_t)lim; /* no overflow below */
    sqlite3_stmt *st = NULL, *rs = NULL, *lk = NULL;
    rtt_chain_t *ch = malloc(sizeof *ch);
    int rc, ret = 0;
    if (!ch) {
        snprintf(ctx->err, ctx->errlen, "out of memory");
        return -1;
    }
    if (sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(ctx->db, render_sql, -1, &rs, NULL) != SQLITE_OK ||
        rtt_chain_prepare(ctx->db, &lk) != SQLITE_OK) {
        ret = rtt_lint_sqlerr(ctx, "render_stall");
        goto done;
    }
    sqlite3_bind_int64(st, 1, ctx->from);
    sqlite3_bind_int64(st, 2, ctx->to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t proc = sqlite3_column_int64(st, 0), id = sqlite3_column_int64(st, 1);
        int64_t cause = sqlite3_column_int64(st, 2), ts = sqlite3_column_int64(st, 3);
        int has_render = sqlite3_column_type(st, 4) != SQLITE_NULL;
        int64_t rid = has_render ? sqlite3_column_int64(st, 4) : 0, done_ts = 0;
        int64_t frame = -1;
        if (has_render) {
            sqlite3_bind_int64(rs, 1, proc);
            sqlite3_bind_int64(rs, 2, rid);
            if (sqlite3_step(rs) == SQLITE_ROW) {
                done_ts = sqlite3_column_int64(rs, 0);
                frame = sqlite3_column_int64(rs, 1);
            } else {
                has_render = 0;
            }
            sqlite3_reset(rs);
        }
        int64_t wait = has_render ? done_ts - ts : ctx->trace_end - ts;
        if (wait <= limit)
            continue; /* done in time, or still pending at the trace's end */
        /* when the stall became known: done, or the limit ran out */
        int64_t known = has_render ? done_ts : ts + limit + 1;
        if (known < ctx->from || known >= ctx->to)
            continue;
        rtt_chain_walk(lk, proc, "render_request", id, NULL, cause, ch);
        const char *head = ch->n > 1 ? rtt_chain_head(ch)->text : NULL;
        char d1[32], d2[32], what[96];
        if (has_render)
            snprintf(what, sizeof what, "done by render#%lld (frame %lld) %s later",
                     (long long)rid, (long long)frame, rtt_lint_dur(d1, sizeof d1, wait));
        else
            snprintf(what, sizeof what, "never rendered (%s to the trace's end)",
                     rtt_lint_dur(d1, sizeof d1, wait));
        rtt_lint_finding_t *f = rtt_lint_add(
            ctx, RTT_LINT_RENDER_STALL, RTT_LINT_WARNING, proc, id, NULL, ts,
            has_render ? done_ts : ctx->trace_end, wait, limit, "ns",
            "render_request#%lld%s%s %s, over %s (%g frames of %s)", (long long)id,
            head ? " from " : "", head ? head : "", what,
            rtt_lint_dur(d2, sizeof d2, limit), c->render_frames,
            rtt_lint_dur(d1, sizeof d1, c->frame_interval_ns));
        if (!f) {
            ret = -1;
            goto done;
        }
        f->last_id = rid;
        if (head && !(f->cause_head = strdup(head))) {
            snprintf(ctx->err, ctx->errlen, "out of memory");
            ret = -1;
            goto done;
        }
    }
    if (rc != SQLITE_DONE)
        ret = rtt_lint_sqlerr(ctx, "render_stall");
done:
    free(ch);
    sqlite3_finalize(st);
    sqlite3_finalize(rs);
    sqlite3_finalize(lk);
    return ret;
}
