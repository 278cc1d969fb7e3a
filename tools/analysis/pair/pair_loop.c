/* pair_loop.c - rows of the loop's own events: ticks and renders (begin
 * and end per process, at most one open each), timers (armed, cancelled,
 * fired), drops, state changes, render requests and stats snapshots.
 * O(1) per event. */
#define _POSIX_C_SOURCE 200809L
#include "rows_internal.h"

static int write_tick(rtt_rows_t *r, proc_state_t *p, int64_t tick,
                      int have_begin, int64_t begin_ts, int64_t now_ns,
                      int have_end, int64_t end_ts, const int64_t *f,
                      int flags)
{
    val_t *s = rtt__row_begin(r, S_TICK);
    if (!s)
        return -1;
    b_i(s, 1, p->row);
    b_i(s, 2, tick);
    b_opt(s, 3, have_begin, begin_ts);
    b_opt(s, 4, have_end, end_ts);
    b_opt(s, 5, have_begin, now_ns);
    for (int i = 0; i < 6; i++)
        b_opt(s, 6 + i, have_end, have_end ? f[1 + i] : 0);
    b_i(s, 12, flags);
    return row_end(r, S_TICK);
}

static int write_render(rtt_rows_t *r, proc_state_t *p, int64_t id,
                        int have_begin, int64_t frame, int64_t begin_ts,
                        int have_end, int64_t end_ts, int64_t requests,
                        int flags)
{
    val_t *s = rtt__row_begin(r, S_RENDER);
    if (!s)
        return -1;
    b_i(s, 1, p->row);
    b_i(s, 2, id);
    b_i(s, 3, frame);
    b_opt(s, 4, have_begin, begin_ts);
    b_opt(s, 5, have_end, end_ts);
    b_opt(s, 6, have_begin, requests);
    b_i(s, 7, flags);
    return row_end(r, S_RENDER);
}

int rtt__pair_loop_event(rtt_rows_t *r, proc_state_t *p, int kind, int64_t ts,
                         const int64_t *f, const char *str)
{
    val_t *s;

    switch (kind) {
    case RTT_EV_TIMER_ARMED: {
        if (!(s = rtt__row_begin(r, S_TIMER_ARM)))
            return -1;
        uint8_t owned;
        const char *name = rtt__rows_intern(r, str, &owned);
        b_i(s, 1, p->row);
        b_i(s, 2, f[0]);
        b_i(s, 3, f[1]);
        b_i(s, 4, f[2]);
        if (owned) { /* the row takes the copy */
            s[5].t = RTT_V_OWNED;
            s[5].s = name;
        } else {
            b_str(s, 5, name);
        }
        b_i(s, 6, f[4]);
        b_i(s, 7, ts);
        b_i(s, 8, f[3]);
        return row_end(r, S_TIMER_ARM);
    }
    case RTT_EV_TIMER_CANCELLED:
        if (!(s = rtt__row_begin(r, S_TIMER_CANCEL)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, f[0]);
        b_i(s, 3, f[1]);
        b_i(s, 4, f[2]);
        b_i(s, 5, ts);
        b_opt(s, 6, f[3] != 0, f[3]);
        return row_end(r, S_TIMER_CANCEL);
    case RTT_EV_TIMER_FIRED:
        if (!(s = rtt__row_begin(r, S_FIRE)))
            return -1;
        b_i(s, 1, p->row);
        for (int i = 0; i < 3; i++)
            b_i(s, 2 + i, f[i]);
        b_i(s, 5, ts);
        for (int i = 3; i < 7; i++)
            b_i(s, 3 + i, f[i]);
        b_opt(s, 10, f[7] != 0, f[7]);
        return row_end(r, S_FIRE);
    case RTT_EV_DROP:
        if (rtt__pair_drop_closes(r, p, f[0], f[3]) != 0)
            return -1;
        if (!(s = rtt__row_begin(r, S_DROP)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, ts);
        b_opt(s, 3, f[0] != 0, f[0]);
        b_i(s, 4, f[1]);
        b_i(s, 5, f[2]);
        b_i(s, 6, f[3]);
        b_i(s, 7, f[4]);
        return row_end(r, S_DROP);
    case RTT_EV_TICK_BEGIN:
        if (p->tick_open && write_tick(r, p, p->tick, 1, p->tick_begin_ts,
                                       p->tick_now_ns, 0, 0, NULL,
                                       F_NO_END) != 0)
            return -1;
        p->tick_open = 1;
        p->tick = f[0];
        p->tick_begin_ts = ts;
        p->tick_now_ns = f[1];
        return 0;
    case RTT_EV_TICK_END: {
        int rc;
        if (p->tick_open && p->tick == f[0]) {
            rc = write_tick(r, p, f[0], 1, p->tick_begin_ts, p->tick_now_ns,
                            1, ts, f, 0);
            p->tick_open = 0;
        } else {
            rc = write_tick(r, p, f[0], 0, 0, 0, 1, ts, f, F_NO_BEGIN);
        }
        return rc;
    }
    case RTT_EV_STATE_CHANGE:
        if (!(s = rtt__row_begin(r, S_STATE)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, ts);
        b_i(s, 3, f[0]);
        b_i(s, 4, f[1]);
        b_i(s, 5, f[2]);
        return row_end(r, S_STATE);
    case RTT_EV_RENDER_REQUEST:
        if (!(s = rtt__row_begin(r, S_RREQ)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, f[0]);
        b_i(s, 3, f[1]);
        b_i(s, 4, ts);
        b_i(s, 5, f[2]);
        return row_end(r, S_RREQ);
    case RTT_EV_RENDER_BEGIN:
        /* The previous render had no render_end: the app took the flag. */
        if (p->render_open &&
            write_render(r, p, p->render_id, 1, p->render_frame,
                         p->render_begin_ts, 0, 0, p->render_requests,
                         0) != 0)
            return -1;
        p->render_open = 1;
        p->render_id = f[0];
        p->render_frame = f[1];
        p->render_begin_ts = ts;
        p->render_requests = f[2];
        return 0;
    case RTT_EV_RENDER_END: {
        int rc;
        if (p->render_open && p->render_id == f[0]) {
            rc = write_render(r, p, f[0], 1, p->render_frame,
                              p->render_begin_ts, 1, ts, p->render_requests,
                              0);
            p->render_open = 0;
        } else {
            rc = write_render(r, p, f[0], 0, f[1], 0, 1, ts, 0, F_NO_BEGIN);
        }
        return rc;
    }
    case RTT_EV_STATS:
        if (!(s = rtt__row_begin(r, S_STATS)))
            return -1;
        b_i(s, 1, p->row);
        b_i(s, 2, ts);
        for (int i = 0; i < 25; i++)
            b_i(s, 3 + i, f[i]);
        return row_end(r, S_STATS);
    default:
        return 0;
    }
}


/* A tick or render begun and never ended closes with its end missing. */
int rtt__pair_loop_flush(rtt_rows_t *r)
{
    for (size_t i = 0; i < r->nprocs; i++) {
        proc_state_t *p = &r->procs[i];
        if (p->tick_open &&
            write_tick(r, p, p->tick, 1, p->tick_begin_ts, p->tick_now_ns, 0,
                       0, NULL, F_NO_END) != 0)
            return -1;
        p->tick_open = 0;
        if (p->render_open &&
            write_render(r, p, p->render_id, 1, p->render_frame,
                         p->render_begin_ts, 0, 0, p->render_requests,
                         0) != 0)
            return -1;
        p->render_open = 0;
    }
    return 0;
}
