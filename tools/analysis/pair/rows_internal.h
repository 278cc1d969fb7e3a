/* rows_internal.h - what the row pairing's files share (rows.c: lifecycle,
 * traces and processes, flush; pair_items.c: tasks, dispatches, commands;
 * pair_loop.c: ticks, renders, timers, drops, state and stats): the open
 * items, per-process state, the statement ids and the value binders. Not
 * part of the engine's interface. */
#ifndef RTT_ROWS_INTERNAL_H
#define RTT_ROWS_INTERNAL_H

#include "rows.h"

#include "events.h"
#include "pairmap.h"
#include "writer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Flags of schema.sql. */
#define F_NO_BEGIN 1
#define F_NO_START 2
#define F_NO_END 4

#define NAME_INTERN_MAX 65536

enum {
    S_TASK = RTT_ROW_TASK, S_DISPATCH = RTT_ROW_DISPATCH,
    S_TIMER_ARM = RTT_ROW_TIMER_ARM, S_TIMER_CANCEL = RTT_ROW_TIMER_CANCEL,
    S_FIRE = RTT_ROW_FIRE, S_COMMAND = RTT_ROW_COMMAND, S_TICK = RTT_ROW_TICK,
    S_RREQ = RTT_ROW_RREQ, S_RENDER = RTT_ROW_RENDER, S_DROP = RTT_ROW_DROP,
    S_STATE = RTT_ROW_STATE, S_STATS = RTT_ROW_STATS, S_LOSS = RTT_ROW_LOSS,
    S_PROC = RTT_ROW_PROC, S_INPUT = RTT_ROW_INPUT, S__COUNT = RTT_ROW__COUNT
};

#define ROW_MAX_COLS 32 /* more than any statement's (stats: 27) */

typedef struct task_open {
    int64_t queued_ts, started_ts, cause, timer_id;
    const char *name; /* interned, or owned when name_owned */
    uint32_t priority;
    uint8_t source, has_q, has_s, name_owned;
} task_open_t;

typedef struct disp_open {
    int64_t queued_ts, cause;
    uint32_t priority, type;
    uint8_t path;
} disp_open_t;

typedef struct cmd_open {
    int64_t sent_ts, cause, task_id;
    uint32_t priority;
    uint8_t cmd;
} cmd_open_t;

typedef struct proc_state {
    int64_t row; /* procs.proc */
    /* the tick begun and not ended yet */
    int tick_open;
    int64_t tick, tick_begin_ts, tick_now_ns;
    /* the render begun and not ended yet */
    int render_open;
    int64_t render_id, render_frame, render_begin_ts, render_requests;
} proc_state_t;

typedef struct name_ent {
    struct name_ent *next;
    size_t len;
    char s[];
} name_ent_t;

struct rtt_rows {
    sqlite3 *db;
    rtt_writer_t *w;
    int64_t next_proc; /* procs.proc of the next process */
    rtt_pairmap_t tasks, disps, cmds;
    rtt_pairmap_t proc_index; /* (trace_row, vpid key) -> int index + 1 */
    proc_state_t *procs;
    size_t nprocs, capprocs;
    name_ent_t **names; /* intern table, chained, 4096 buckets */
    size_t nnames;
    rtt_rows_observer_fn observe; /* NULL: none */
    void *observe_ctx;
    rtt_val_t *cur;      /* the row being filled (for the observer) */
    rtt_val_t scratch[ROW_MAX_COLS + 1]; /* the row, without a connection */
    int64_t next_trace;  /* trace rows handed out without a connection */
    char err[512];
};

/* --- row building (values go to the writer thread) --------------------- */

typedef rtt_val_t val_t;

/* The row is filled: show it to the observer, then hand it to the writer
 * (or, without a connection, drop it and the strings it owns). */
static inline int row_end(rtt_rows_t *r, int which)
{
    if (r->observe)
        r->observe(r->observe_ctx, which, r->cur);
    if (r->w) {
        rtt_writer_commit(r->w);
        return 0;
    }
    for (int i = 1; i <= ROW_MAX_COLS; i++)
        if (r->scratch[i].t == RTT_V_OWNED) {
            free((char *)r->scratch[i].s);
            r->scratch[i].t = RTT_V_NULL;
        }
    return 0;
}

static inline void b_i(val_t *s, int i, int64_t v)
{
    s[i].t = RTT_V_INT;
    s[i].i = v;
}

static inline void b_opt(val_t *s, int i, int have, int64_t v)
{
    s[i].t = have ? RTT_V_INT : RTT_V_NULL;
    s[i].i = v;
}

/* v must outlive the writer (interned). */
static inline void b_str(val_t *s, int i, const char *v)
{
    s[i].t = v ? RTT_V_TEXT : RTT_V_NULL;
    s[i].s = v;
}

/* A copy of v that the row owns. */
static inline void b_str_copy(val_t *s, int i, const char *v)
{
    char *c = v ? strdup(v) : NULL;
    s[i].t = c ? RTT_V_OWNED : RTT_V_NULL;
    s[i].s = c;
}


/* rows.c */
int rtt__rows_fail(rtt_rows_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
val_t *rtt__row_begin(rtt_rows_t *r, int which);
const char *rtt__rows_intern(rtt_rows_t *r, const char *s, uint8_t *owned);

/* pair_items.c: task, event and command events; the drop of an open item;
 * closing what is still open at the end. */
int rtt__pair_item_event(rtt_rows_t *r, proc_state_t *p, int kind, int64_t ts,
                         const int64_t *f, const char *str);
int rtt__pair_drop_closes(rtt_rows_t *r, proc_state_t *p, int64_t id, int64_t kind);
int rtt__pair_items_flush(rtt_rows_t *r);

/* pair_loop.c: timer, drop, tick, state, render and stats events; closing
 * a tick or render still open at the end. */
int rtt__pair_loop_event(rtt_rows_t *r, proc_state_t *p, int kind, int64_t ts,
                         const int64_t *f, const char *str);
int rtt__pair_loop_flush(rtt_rows_t *r);

/* inputs.c: rtk:input marks, one row each. */
extern const char rtt__sql_input[];
int rtt__pair_input_event(rtt_rows_t *r, proc_state_t *p, int64_t ts,
                          const int64_t *f, const char *str);

#endif
