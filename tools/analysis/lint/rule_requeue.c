/* rule_requeue.c - lint rule "requeue": a task that re-queues itself
 * without end. A link is a task whose cause is a task of the same process
 * and the same name (the pattern `rt-trace top` collapses as "... (x48
 * search_chunk) ->"); links chain from a head (a task that is not such a
 * link itself) to a tail. A chain of more than requeue.links (100) tasks
 * is a warning naming the task, the head and tail ids, how many tasks and
 * from when to when. Chains whose tail was queued in [from, to), counted
 * from their head however far back (a live chain is reported again each
 * interval it grows).
 *
 * Cost: one scan of tasks queued before `to` with a primary-key probe of
 * each one's cause; the links in memory (40 bytes each), sorted; a probe
 * per finding for the head's and tail's times.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct link {
    int64_t proc, id, cause, queued;
    int64_t head, len; /* len: tasks from the head to this one */
} link_t;

static const char link_sql[] =
    "SELECT t.proc, t.id, t.cause, t.queued_ts FROM tasks t"
    " JOIN tasks p ON p.proc = t.proc AND p.id = t.cause"
    " WHERE t.cause <> 0 AND t.queued_ts < ?1"
    " AND COALESCE(p.name, '') = COALESCE(t.name, '')"
    " ORDER BY t.proc, t.id";

static const char item_sql[] =
    "SELECT NULLIF(name, ''), queued_ts, COALESCE(finished_ts, started_ts, queued_ts)"
    " FROM tasks WHERE proc = ?1 AND id = ?2";

static const link_t *find(const link_t *v, size_t n, int64_t proc, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].proc < proc || (v[mid].proc == proc && v[mid].id < id))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].proc == proc && v[lo].id == id ? &v[lo] : NULL;
}

/* By (proc, head), longest first, then the earliest tail. */
static int cmp_chain(const void *pa, const void *pb)
{
    const link_t *a = pa, *b = pb;
    if (a->proc != b->proc)
        return a->proc < b->proc ? -1 : 1;
    if (a->head != b->head)
        return a->head < b->head ? -1 : 1;
    if (a->len != b->len)
        return a->len > b->len ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int report(rtt_lint_ctx_t *ctx, sqlite3_stmt *it, const link_t *tail)
{
    char *name = NULL;
    int64_t head_ts = 0, tail_end = tail->queued;
    sqlite3_bind_int64(it, 1, tail->proc);
    sqlite3_bind_int64(it, 2, tail->head);
    if (sqlite3_step(it) == SQLITE_ROW) {
        const char *nm = (const char *)sqlite3_column_text(it, 0);
        if (nm && !(name = strdup(nm))) {
            snprintf(ctx->err, ctx->errlen, "out of memory");
            return -1;
        }
        head_ts = sqlite3_column_int64(it, 1);
    }
    sqlite3_reset(it);
    sqlite3_bind_int64(it, 2, tail->id);
    if (sqlite3_step(it) == SQLITE_ROW)
        tail_end = sqlite3_column_int64(it, 2);
    sqlite3_reset(it);
    char d[32];
    rtt_lint_finding_t *f = rtt_lint_add(
        ctx, RTT_LINT_REQUEUE, RTT_LINT_WARNING, tail->proc, tail->head, name, head_ts,
        tail_end, tail->len, ctx->cfg->requeue_links, "items",
        "task %s re-queued itself %lld times: a chain of %lld tasks, over %lld, "
        "task#%lld -> ... -> task#%lld in %s",
        name ? name : "(unnamed)", (long long)(tail->len - 1), (long long)tail->len,
        (long long)ctx->cfg->requeue_links, (long long)tail->head, (long long)tail->id,
        rtt_lint_dur(d, sizeof d, tail_end - head_ts));
    free(name);
    if (!f)
        return -1;
    f->last_id = tail->id;
    f->count = tail->len;
    return 0;
}

/* link_sql's row: proc, id, cause, queued_ts */
static int link_row(rtt_lint_ctx_t *ctx, sqlite3_stmt *st, void *elem, void *arg)
{
    (void)ctx;
    (void)arg;
    link_t *l = elem;
    l->proc = sqlite3_column_int64(st, 0);
    l->id = sqlite3_column_int64(st, 1);
    l->cause = sqlite3_column_int64(st, 2);
    l->queued = sqlite3_column_int64(st, 3);
    return 0;
}

int rtt_lint_rule_requeue(rtt_lint_ctx_t *ctx)
{
    sqlite3_stmt *it = NULL;
    rtt_lint_rows_t links = {.size = sizeof(link_t), .first = 256};
    int ret = 0;
    if (rtt_lint_rows(ctx, "requeue", link_sql, &ctx->to, 1, &links, link_row, NULL)) {
        ret = -1;
        goto done;
    }
    if (sqlite3_prepare_v2(ctx->db, item_sql, -1, &it, NULL) != SQLITE_OK) {
        ret = rtt_lint_sqlerr(ctx, "requeue");
        goto done;
    }
    link_t *v = links.v;
    size_t n = links.n;
    /* in id order a parent (queued by its cause, so with a smaller id) is
     * resolved before its children */
    for (size_t i = 0; i < n; i++) {
        const link_t *p = find(v, i, v[i].proc, v[i].cause);
        v[i].head = p ? p->head : v[i].cause;
        v[i].len = p ? p->len + 1 : 2;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_chain);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1; /* v[i]: the longest path of this head */
        while (j < n && v[j].proc == v[i].proc && v[j].head == v[i].head)
            j++;
        if (v[i].len > ctx->cfg->requeue_links && v[i].queued >= ctx->from &&
            report(ctx, it, &v[i])) {
            ret = -1;
            goto done;
        }
        i = j;
    }
done:
    sqlite3_finalize(it);
    free(links.v);
    return ret;
}
