/* rule_starved.c - lint rule "starved": a priority level starved by higher
 * ones. A task that waited (queued -> started) longer than starved.wait
 * (100 ms) while tasks of higher priority (lower value) of its process ran
 * for at least starved.share (0.5) of that wait is starved. One warning
 * per process and priority level: how many of its tasks were starved, and
 * the worst (longest wait) as evidence: its id, name, queued and started
 * times, and the share of its wait the higher levels ran. A wait without
 * higher-priority work in it is not starvation (an idle or otherwise
 * blocked loop: see "blocked"). Tasks that started in [from, to).
 *
 * Cost: one scan of tasks for the candidates; when there are any, one more
 * scan loading the runs that overlap them (proc, priority, start, finish:
 * 32 bytes each), then per candidate a binary search and the runs that
 * overlap its wait.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct run {
    int64_t proc, prio, b, e;
} run_t;

typedef struct cand {
    int64_t proc, id, prio, q, s;
    char *name;
} cand_t;

static const char cand_sql[] =
    "SELECT proc, id, NULLIF(name, ''), priority, queued_ts, started_ts FROM tasks"
    " WHERE (flags & 3) = 0 AND started_ts >= ?1 AND started_ts < ?2"
    " AND started_ts - queued_ts > ?3 ORDER BY proc, priority, started_ts, id";

static const char run_sql[] =
    "SELECT proc, priority, started_ts, finished_ts FROM tasks"
    " WHERE (flags & 6) = 0 AND started_ts < ?2 AND finished_ts > ?1"
    " ORDER BY proc, started_ts";

/* First run at or after (proc, ts). */
static size_t lower(const run_t *r, size_t n, int64_t proc, int64_t ts)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].proc < proc || (r[mid].proc == proc && r[mid].b < ts))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Time higher-priority runs of c's process overlap its wait [q, s), and
 * the highest level among them (lowest value). */
static int64_t higher_busy(const run_t *r, size_t n, int64_t maxrun, const cand_t *c,
                           int64_t *top_prio)
{
    int64_t busy = 0;
    *top_prio = -1;
    for (size_t i = lower(r, n, c->proc, c->q - maxrun);
         i < n && r[i].proc == c->proc && r[i].b < c->s; i++) {
        if (r[i].prio >= c->prio)
            continue;
        int64_t b = r[i].b > c->q ? r[i].b : c->q, e = r[i].e < c->s ? r[i].e : c->s;
        if (e > b) {
            busy += e - b;
            if (*top_prio < 0 || r[i].prio < *top_prio)
                *top_prio = r[i].prio;
        }
    }
    return busy;
}

static int report(rtt_lint_ctx_t *ctx, const cand_t *worst, int64_t count,
                  int64_t busy, int64_t top_prio)
{
    const rtt_lint_config_t *c = ctx->cfg;
    int64_t wait = worst->s - worst->q;
    char d1[32], d2[32];
    const char *nm = worst->name;
    rtt_lint_finding_t *f = rtt_lint_add(
        ctx, RTT_LINT_STARVED, RTT_LINT_WARNING, worst->proc, worst->id, nm, worst->q,
        worst->s, wait, c->starved_wait_ns, "ns",
        "priority %lld starved: %lld task%s waited over %s while higher priorities "
        "ran; worst task#%lld%s%s%s waited %s, tasks of priority < %lld ran %.0f%% of it "
        "(the highest that ran: %lld)",
        (long long)worst->prio, (long long)count, count == 1 ? "" : "s",
        rtt_lint_dur(d1, sizeof d1, c->starved_wait_ns), (long long)worst->id,
        nm ? "(" : "", nm ? nm : "", nm ? ")" : "", rtt_lint_dur(d2, sizeof d2, wait),
        (long long)worst->prio, 100.0 * (double)busy / (double)wait, (long long)top_prio);
    if (!f)
        return -1;
    f->count = count;
    return 0;
}

/* The candidates' span (the runs to load overlap it) and the longest run
 * (how far back a run overlapping a wait can begin). */
typedef struct span {
    int64_t minq, maxs, maxrun;
} span_t;

/* cand_sql's row: proc, id, name, priority, queued_ts, started_ts */
static int cand_row(rtt_lint_ctx_t *ctx, sqlite3_stmt *st, void *elem, void *arg)
{
    cand_t *x = elem;
    span_t *sp = arg;
    const char *nm = (const char *)sqlite3_column_text(st, 2);
    x->name = nm ? strdup(nm) : NULL;
    if (nm && !x->name) {
        snprintf(ctx->err, ctx->errlen, "out of memory");
        return -1;
    }
    x->proc = sqlite3_column_int64(st, 0);
    x->id = sqlite3_column_int64(st, 1);
    x->prio = sqlite3_column_int64(st, 3);
    x->q = sqlite3_column_int64(st, 4);
    x->s = sqlite3_column_int64(st, 5);
    if (x->q < sp->minq)
        sp->minq = x->q;
    if (x->s > sp->maxs)
        sp->maxs = x->s;
    return 0;
}

/* run_sql's row: proc, priority, started_ts, finished_ts */
static int run_row(rtt_lint_ctx_t *ctx, sqlite3_stmt *st, void *elem, void *arg)
{
    (void)ctx;
    run_t *r = elem;
    span_t *sp = arg;
    r->proc = sqlite3_column_int64(st, 0);
    r->prio = sqlite3_column_int64(st, 1);
    r->b = sqlite3_column_int64(st, 2);
    r->e = sqlite3_column_int64(st, 3);
    if (r->e - r->b > sp->maxrun)
        sp->maxrun = r->e - r->b;
    return 0;
}

int rtt_lint_rule_starved(rtt_lint_ctx_t *ctx)
{
    const rtt_lint_config_t *c = ctx->cfg;
    rtt_lint_rows_t cands = {.size = sizeof(cand_t), .first = 16};
    rtt_lint_rows_t runs = {.size = sizeof(run_t), .first = 256};
    span_t sp = {INT64_MAX, INT64_MIN, 0};
    int ret = 0;

    const int64_t cb[3] = {ctx->from, ctx->to, c->starved_wait_ns};
    if (rtt_lint_rows(ctx, "starved", cand_sql, cb, 3, &cands, cand_row, &sp)) {
        ret = -1;
        goto done;
    }
    if (cands.n == 0)
        goto done;
    const int64_t rb[2] = {sp.minq, sp.maxs};
    if (rtt_lint_rows(ctx, "starved", run_sql, rb, 2, &runs, run_row, &sp)) {
        ret = -1;
        goto done;
    }

    /* candidates are ordered by (proc, priority): one finding per group */
    const cand_t *cv = cands.v;
    size_t nc = cands.n;
    for (size_t i = 0; i < nc;) {
        size_t j = i;
        int64_t count = 0, wbusy = 0, wtop = -1;
        const cand_t *worst = NULL;
        for (; j < nc && cv[j].proc == cv[i].proc && cv[j].prio == cv[i].prio; j++) {
            int64_t top, busy = higher_busy(runs.v, runs.n, sp.maxrun, &cv[j], &top);
            int64_t wait = cv[j].s - cv[j].q;
            if ((double)busy < c->starved_share * (double)wait || busy == 0)
                continue;
            count++;
            if (!worst || wait > worst->s - worst->q) {
                worst = &cv[j];
                wbusy = busy;
                wtop = top;
            }
        }
        if (worst && report(ctx, worst, count, wbusy, wtop)) {
            ret = -1;
            goto done;
        }
        i = j;
    }
done:
    for (size_t i = 0; i < cands.n; i++)
        free(((cand_t *)cands.v)[i].name);
    free(cands.v);
    free(runs.v);
    return ret;
}
