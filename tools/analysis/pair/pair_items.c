/* pair_items.c - pairing of the items that open and close: tasks
 * (queued, started, finished), event dispatches (queued, dispatched) and
 * commands (sent, handled), by (proc, id) in the pairing maps; each closed
 * item becomes one row. O(1) expected per event. */
#define _POSIX_C_SOURCE 200809L
#include "rows_internal.h"
#include "satmath.h"

/* --- item writers -------------------------------------------------------- */

/* cpu_ns: the task's thread CPU time from rtk:task_finished, 0 when not
 * measured (stored as NULL). */
static int write_task(rtt_rows_t *r, int64_t proc, int64_t id,
                      const task_open_t *t, int have_fin, int64_t fin_ts,
                      int64_t outcome, int64_t status, int flags, int64_t cpu_ns)
{
    val_t *s = rtt__row_begin(r, S_TASK);
    if (!s)
        return -1;
    b_i(s, 1, proc);
    b_i(s, 2, id);
    b_i(s, 3, t->cause);
    b_i(s, 4, t->priority);
    if (t->name_owned)
        b_str_copy(s, 5, t->name);
    else
        b_str(s, 5, t->name);
    b_opt(s, 6, t->has_q, t->source);
    b_opt(s, 7, t->has_q && t->source == 1, t->timer_id);
    b_opt(s, 8, t->has_q, t->queued_ts);
    b_opt(s, 9, t->has_s, t->started_ts);
    b_opt(s, 10, have_fin, fin_ts);
    b_opt(s, 11, have_fin, outcome);
    b_opt(s, 12, have_fin, status);
    b_i(s, 13, flags);
    b_opt(s, 14, have_fin && cpu_ns > 0, cpu_ns);
    return row_end(r, S_TASK);
}

static int write_disp(rtt_rows_t *r, int64_t proc, int64_t id,
                      const disp_open_t *d, int have_q, int have_end,
                      int64_t end_ts, int64_t duration, int64_t result,
                      int64_t handlers, int flags)
{
    val_t *s = rtt__row_begin(r, S_DISPATCH);
    if (!s)
        return -1;
    b_i(s, 1, proc);
    b_i(s, 2, id);
    b_i(s, 3, d->cause);
    b_i(s, 4, d->priority);
    b_i(s, 5, d->type);
    b_i(s, 6, d->path);
    b_opt(s, 7, have_q, d->queued_ts);
    b_opt(s, 8, have_end, rtt_sat_sub(end_ts, duration)); /* duration: a trace field */
    b_opt(s, 9, have_end, end_ts);
    b_opt(s, 10, have_end, result);
    b_opt(s, 11, have_end, handlers);
    b_i(s, 12, flags);
    return row_end(r, S_DISPATCH);
}

static int write_cmd(rtt_rows_t *r, int64_t proc, int64_t id,
                     const cmd_open_t *c, int have_sent, int have_h,
                     int64_t handled_ts, int64_t result, int flags)
{
    val_t *s = rtt__row_begin(r, S_COMMAND);
    if (!s)
        return -1;
    b_i(s, 1, proc);
    b_i(s, 2, id);
    b_i(s, 3, c->cause);
    b_i(s, 4, c->cmd);
    b_opt(s, 5, c->task_id != 0, c->task_id);
    b_opt(s, 6, have_sent, c->priority);
    b_opt(s, 7, have_sent, c->sent_ts);
    b_opt(s, 8, have_h, handled_ts);
    b_opt(s, 9, have_h, result);
    b_i(s, 10, flags);
    return row_end(r, S_COMMAND);
}

/* Close an open task without a finish (dropped or flushed). */
static int close_task_unfinished(rtt_rows_t *r, int64_t proc, int64_t id,
                                 task_open_t *t)
{
    int flags = (t->has_q ? 0 : F_NO_BEGIN) | (t->has_s ? 0 : F_NO_START) |
                F_NO_END;
    int rc = write_task(r, proc, id, t, 0, 0, 0, 0, flags, 0);
    if (t->name_owned)
        free((char *)t->name);
    return rc;
}

/* A drop of an item that is open closes it (it will never finish). */
int rtt__pair_drop_closes(rtt_rows_t *r, proc_state_t *p, int64_t id, int64_t kind)
{
    uint64_t pr = (uint64_t)p->row;
    if (kind == 0) {
        task_open_t *t = rtt_pairmap_get(&r->tasks, pr, (uint64_t)id);
        if (t) {
            int rc = close_task_unfinished(r, p->row, id, t);
            rtt_pairmap_remove(&r->tasks, pr, (uint64_t)id);
            return rc;
        }
    } else if (kind == 1 || kind == 2) {
        disp_open_t *d = rtt_pairmap_get(&r->disps, pr, (uint64_t)id);
        if (d) {
            int rc = write_disp(r, p->row, id, d, 1, 0, 0, 0, 0, 0, F_NO_END);
            rtt_pairmap_remove(&r->disps, pr, (uint64_t)id);
            return rc;
        }
    } else if (kind == 4) {
        cmd_open_t *c = rtt_pairmap_get(&r->cmds, pr, (uint64_t)id);
        if (c) {
            int rc = write_cmd(r, p->row, id, c, 1, 0, 0, 0, F_NO_END);
            rtt_pairmap_remove(&r->cmds, pr, (uint64_t)id);
            return rc;
        }
    }
    return 0;
}

int rtt__pair_item_event(rtt_rows_t *r, proc_state_t *p, int kind, int64_t ts,
                         const int64_t *f, const char *str)
{
    uint64_t pr = (uint64_t)p->row;
    int created;

    switch (kind) {
    case RTT_EV_TASK_QUEUED: {
        task_open_t *t = rtt_pairmap_put(&r->tasks, pr, (uint64_t)f[0],
                                         &created);
        if (!t)
            return f[0] == 0 ? 0 : rtt__rows_fail(r, "out of memory");
        t->has_q = 1;
        t->queued_ts = ts;
        t->cause = f[1];
        t->priority = (uint32_t)f[2];
        t->source = (uint8_t)f[3];
        t->timer_id = f[4];
        if (!t->name)
            t->name = rtt__rows_intern(r, str, &t->name_owned);
        return 0;
    }
    case RTT_EV_TASK_STARTED: {
        task_open_t *t = rtt_pairmap_put(&r->tasks, pr, (uint64_t)f[0],
                                         &created);
        if (!t)
            return f[0] == 0 ? 0 : rtt__rows_fail(r, "out of memory");
        if (created) {
            t->cause = f[1];
            t->priority = (uint32_t)f[2];
        }
        t->has_s = 1;
        t->started_ts = ts;
        return 0;
    }
    case RTT_EV_TASK_FINISHED: {
        task_open_t tmp, *t = rtt_pairmap_get(&r->tasks, pr, (uint64_t)f[0]);
        if (!t) {
            /* neither queued nor started seen: the cause and priority
             * only older traces' task_finished carries (else 0) */
            memset(&tmp, 0, sizeof tmp);
            tmp.cause = f[1];
            tmp.priority = (uint32_t)f[2];
            t = &tmp;
        }
        /* A voided fire never starts: no "started" is expected. */
        int flags = (t->has_q ? 0 : F_NO_BEGIN) |
                    (t->has_s || f[3] == 3 ? 0 : F_NO_START);
        int rc = write_task(r, p->row, f[0], t, 1, ts, f[3], f[4], flags, f[5]);
        if (t != &tmp) {
            if (t->name_owned)
                free((char *)t->name);
            rtt_pairmap_remove(&r->tasks, pr, (uint64_t)f[0]);
        }
        return rc;
    }
    case RTT_EV_EVENT_QUEUED: {
        disp_open_t *d = rtt_pairmap_put(&r->disps, pr, (uint64_t)f[0],
                                         &created);
        if (!d)
            return f[0] == 0 ? 0 : rtt__rows_fail(r, "out of memory");
        d->queued_ts = ts;
        d->cause = f[1];
        d->priority = (uint32_t)f[2];
        d->type = (uint32_t)f[3];
        d->path = (uint8_t)f[4];
        return 0;
    }
    case RTT_EV_EVENT_DISPATCHED: {
        disp_open_t tmp, *d = rtt_pairmap_get(&r->disps, pr, (uint64_t)f[0]);
        int have_q = d != NULL;
        if (!d) {
            tmp.queued_ts = 0;
            tmp.cause = f[1];
            tmp.priority = (uint32_t)f[2];
            tmp.type = (uint32_t)f[3];
            tmp.path = (uint8_t)f[4];
            d = &tmp;
        }
        /* Every path (direct dispatch too) traces event_queued first. */
        int flags = have_q ? 0 : F_NO_BEGIN;
        int rc = write_disp(r, p->row, f[0], d, have_q, 1, ts, f[7], f[5],
                            f[6], flags);
        if (have_q)
            rtt_pairmap_remove(&r->disps, pr, (uint64_t)f[0]);
        return rc;
    }
    case RTT_EV_COMMAND_SENT: {
        cmd_open_t *c = rtt_pairmap_put(&r->cmds, pr, (uint64_t)f[0],
                                        &created);
        if (!c)
            return f[0] == 0 ? 0 : rtt__rows_fail(r, "out of memory");
        c->sent_ts = ts;
        c->cause = f[1];
        c->cmd = (uint8_t)f[2];
        c->task_id = f[3];
        c->priority = (uint32_t)f[4];
        return 0;
    }
    case RTT_EV_COMMAND_HANDLED: {
        cmd_open_t tmp, *c = rtt_pairmap_get(&r->cmds, pr, (uint64_t)f[0]);
        int have_sent = c != NULL;
        if (!c) {
            memset(&tmp, 0, sizeof tmp);
            tmp.cause = f[1];
            tmp.cmd = (uint8_t)f[2];
            c = &tmp;
        }
        if (f[3] != 0)
            c->task_id = f[3];
        int rc = write_cmd(r, p->row, f[0], c, have_sent, 1, ts, f[4],
                           have_sent ? 0 : F_NO_BEGIN);
        if (have_sent)
            rtt_pairmap_remove(&r->cmds, pr, (uint64_t)f[0]);
        return rc;
    }
    default:
        return 0;
    }
}

/* --- closing what is still open at the end ------------------------------- */

static int flush_task(uint64_t proc, uint64_t id, void *v, void *ctx)
{
    task_open_t *t = v;
    int rc = close_task_unfinished(ctx, (int64_t)proc, (int64_t)id, t);
    t->name_owned = 0; /* freed */
    return rc;
}

static int flush_disp(uint64_t proc, uint64_t id, void *v, void *ctx)
{
    return write_disp(ctx, (int64_t)proc, (int64_t)id, v, 1, 0, 0, 0, 0, 0,
                      F_NO_END);
}

static int flush_cmd(uint64_t proc, uint64_t id, void *v, void *ctx)
{
    return write_cmd(ctx, (int64_t)proc, (int64_t)id, v, 1, 0, 0, 0,
                     F_NO_END);
}

int rtt__pair_items_flush(rtt_rows_t *r)
{
    if (rtt_pairmap_each(&r->tasks, flush_task, r) != 0 ||
        rtt_pairmap_each(&r->disps, flush_disp, r) != 0 ||
        rtt_pairmap_each(&r->cmds, flush_cmd, r) != 0)
        return -1;
    rtt_pairmap_finish(&r->tasks);
    rtt_pairmap_finish(&r->disps);
    rtt_pairmap_finish(&r->cmds);
    return 0;
}
