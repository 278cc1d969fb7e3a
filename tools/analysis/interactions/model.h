/* model.h - the interactions model's private structures, shared by
 * model.c (build), load.c (reading the tables), stats.c (aggregates, worst list) and chain.c
 * (chain text, blockers). Not part of the engine's interface. */
#ifndef RTT_INTERACTIONS_MODEL_H
#define RTT_INTERACTIONS_MODEL_H

#include "interactions.h"

#define NOTS INT64_MIN /* a NULL timestamp */

enum { K_COMMAND, K_TASK, K_DISPATCH, K_TIMER, K_REQUEST, K_INPUT };
enum { R_UNRESOLVED = -2, R_BUSY = -3, R_NONE = -1 };

typedef struct node {
    int64_t proc;
    uint64_t id, cause;
    uint64_t alt;        /* command: task_id; task: timer_id */
    int64_t t0, t1, t2;  /* command: sent, handled; task: queued, started,
                            finished; dispatch: queued, begin, end;
                            timer: armed; request: ts; input: input_ts,
                            marked ts */
    int32_t name;        /* string pool index, -1 none */
    int32_t parent;      /* node index, -1 none */
    int32_t root;        /* interaction index or R_* */
    int32_t extra;       /* command: cmd; task: source; dispatch: type */
    uint8_t kind;
    uint8_t path;        /* dispatch path */
} node_t;

typedef struct tick {
    int64_t proc, tick, begin, end;
} tick_t;

typedef struct render {
    int64_t proc;
    uint64_t id;
    int64_t frame, begin, end;
} render_t;

/* Per interaction, the private half of the record. */
typedef struct ix_priv {
    int32_t cmd;     /* node index of the root (a command or an input) */
    int32_t task;    /* root task node, -1 */
    int32_t request; /* first render request node, -1 */
    int32_t render;  /* renders[] index, -1 */
} ix_priv_t;

struct rtt_interactions {
    node_t *nodes;
    size_t n, cap;
    int32_t *map; /* node index + 1, 0 empty */
    size_t map_cap;
    char **names;
    size_t n_names, cap_names;
    int32_t *name_map; /* name index + 1 */
    size_t name_map_cap;
    render_t *renders;
    size_t n_renders, cap_renders;
    tick_t *ticks; /* sorted by (proc, begin): input_delay.c */
    size_t n_ticks, cap_ticks;
    int32_t *by_start;
    size_t n_by_start;
    int64_t max_task_run;
    rtt_interaction_t *ix;
    ix_priv_t *priv;
    size_t n_ix;
};

/* Which processes to read: all, one proc number, or every proc of a name. */
typedef struct filter {
    int64_t proc;     /* >= 0: this proc */
    const char *name; /* non-NULL: procs of this procname */
    int windowed;     /* 1: only items from from_ts on (load.c says how) */
    int64_t from_ts;
} filter_t;

/* model.c */
void rtt__ix_err(char *err, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int32_t rtt__ix_intern(rtt_interactions_t *s, const char *str);
node_t *rtt__ix_node_new(rtt_interactions_t *s);
/* The first index of by_start (tasks by start time) whose task can still
 * be running at t: none before it started at or after t - max_task_run.
 * Scans for tasks overlapping a time start there. O(log tasks). */
size_t rtt__ix_tasks_from(const rtt_interactions_t *s, int64_t t);
/* load.c: every row of the item tables that f selects, as nodes. */
int rtt__ix_load_rows(sqlite3 *db, rtt_interactions_t *s, const filter_t *f,
                      char *err, size_t errlen);

/* input_delay.c: the input-delay split and the blocked flag of every
 * interaction (after measure). -1 when out of memory. */
int rtt__ix_input_delay(rtt_interactions_t *s);
/* Is node j a root: an input, or a schedule_task command from outside. */
static inline int rtt__ix_is_root(const node_t *nd)
{
    return nd->kind == K_INPUT ||
           (nd->kind == K_COMMAND && nd->cause == 0 && nd->extra == 2);
}

/* A pooled name by index ("" for -1). */
static inline const char *name_of(const rtt_interactions_t *s, int32_t i)
{
    return i >= 0 ? s->names[i] : "";
}

#endif
