/* interactions.h - keystroke-to-render interactions rebuilt from cause ids
 * (model.c builds them, stats.c aggregates, chain.c describes), for the
 * interactions and summary queries and compare.
 *
 * An interaction starts at an input mark (rtk:input, the inputs table) or
 * at a root command: a schedule_task command whose cause is 0 (sent from
 * outside the runtime, e.g. an input thread). Its tree is every item whose
 * cause chain leads back to that root: commands, tasks,
 * dispatches, timers, fire tasks of those timers (by timer_id when the fire
 * task's cause is unknown) and render requests. Its render is the first
 * render of the same process whose begin_ts is at or after the first render
 * request in the tree.
 *
 * The latency is cut at four points, so the parts always add up:
 *
 *   p0 input input_ts (when the input happened), else command sent_ts
 *   p1 handler start: root task    queue     = p1 - p0 (command queue, the
 *      started_ts (input: the                   hand-over, work queue; for
 *      first task or dispatch                   an input also the time it
 *      it caused to start)                      waited to be read)
 *   p2 end of the item that made   run       = p2 - p1 (the root task and
 *      the first render request                 whatever chain ran up to the
 *      (task finished / dispatch end)           request, inclusive)
 *   p3 render begin_ts             frame wait = p3 - p2 (frame pacing and
 *                                               whatever else ran first)
 *   p4 render end_ts (begin if     render    = p4 - p3
 *      the app took the flag)
 *   latency = p4 - p0
 *
 * Missing halves (lost events) are clamped so that p0 <= p1 <= ... <= p4.
 *
 * INP-style split (web vitals' Interaction to Next Paint): input delay =
 * queue, processing = run, presentation = frame wait + render. An
 * interaction is "blocked" when, at p0, its loop was in a tick that went
 * on for at least RTT_IX_LONG_NS after p0 (counted up to p1; without ticks
 * in the trace, the task running at p0): input_delay.c. blocked_by names
 * the task outside its tree that ran longest in that time, else the tick.
 *
 * Cost: rtt_interactions_load reads every command, task, dispatch, timer,
 * render request and render once (O(rows)), resolves each item's root with
 * a memoised walk over a hash map of (proc, id) (O(rows) total) and matches
 * renders by binary search (O(log renders) each). Memory: about 80 bytes
 * per item row. 100 k keystrokes (~1 M rows) load in about a second.
 */
#ifndef RTT_INTERACTIONS_H
#define RTT_INTERACTIONS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>


/* The fixed thresholds of the summary JSON (over_16ms_share, over_8ms_share). */
#define RTT_INTERACTION_16MS_NS 16700000LL
#define RTT_INTERACTION_8MS_NS 8300000LL

typedef struct rtt_interaction {
    int64_t proc;
    uint64_t command_id;
    uint64_t task_id;       /* the root task, 0 if not in the trace */
    const char *name;       /* root task's name ("" if unknown); owned by the set */
    int64_t sent_ts;
    int has_render;         /* 0: no render after its first request (or none) */
    uint64_t render_id;
    int64_t frame;
    int64_t latency_ns, queue_ns, run_ns, frame_wait_ns, render_ns;
    uint32_t items;         /* items in its tree, the command included */
    /* Input marks (rtk/input.h); 0 / "" for a command root. */
    uint64_t input_id;      /* the input that started it */
    int64_t mark_ts;        /* when the input was marked (sent_ts: happened) */
    /* INP-style split: input_delay = queue, processing = run,
     * presentation = frame_wait + render. */
    int64_t input_delay_ns, processing_ns, presentation_ns;
    /* The loop was busy in a long tick when the input arrived: blocked_by
     * "task#12 reflow" (what it waited behind) or "tick#40" ("" if none),
     * blocked_ns how long the loop stayed busy after p0 (up to p1). Owned
     * by the set. */
    int blocked;
    const char *blocked_by;
    int64_t blocked_ns;
} rtt_interaction_t;

/* "Long": an item that ran on this long after the input arrived blocks it
 * (half a 60 Hz frame, as over_8ms_share). */
#define RTT_IX_LONG_NS RTT_INTERACTION_8MS_NS

/* Distribution of one quantity over the interactions that rendered. */
typedef struct rtt_dist {
    int64_t p50, p90, p99, max;
    double mean;
} rtt_dist_t;

typedef struct rtt_interaction_stats {
    uint64_t keystrokes;     /* root commands */
    uint64_t count;          /* of them, with a render: the latency sample */
    uint64_t no_render;      /* keystrokes - count */
    rtt_dist_t latency, queue, run, frame_wait, render;
    int64_t budget_ns;
    double over_budget_share;      /* latency > budget_ns, of count */
    double over_half_budget_share; /* latency > budget_ns / 2 */
    double over_16ms_share;        /* latency > 16.7 ms */
    double over_8ms_share;         /* latency > 8.3 ms */
    uint64_t inputs;               /* keystrokes started by an input mark */
    uint64_t blocked;              /* of count, blocked (see above) */
    rtt_dist_t input_delay, processing, presentation; /* INP-style split */
} rtt_interaction_stats_t;

typedef struct rtt_interactions rtt_interactions_t;

/* Rebuild every interaction of db (an rt-trace database of schema version
 * 1). Returns 0, or -1 with one line in err. An empty database gives an
 * empty set. */
int rtt_interactions_load(sqlite3 *db, rtt_interactions_t **out, char *err,
                          size_t errlen);
/* The same for some processes only: procname non-NULL: every proc of that
 * name (procs.procname); else proc >= 0: that proc; else all. */
int rtt_interactions_load_proc(sqlite3 *db, int64_t proc, const char *procname,
                               rtt_interactions_t **out, char *err,
                               size_t errlen);
/* Only what happened from from_ts on (trace timestamp): commands sent,
 * tasks queued, dispatches queued, render requests, inputs, ticks and
 * renders begun at or after it (timers: all). An interaction whose root
 * came before from_ts is not rebuilt, and an item whose cause came before
 * it has no root. For the live view's last seconds (tools/analysis/live):
 * O(rows in the window) through the tables' time indexes, plus one scan of
 * timers and of the proc-keyed render_requests, renders and inputs. */
int rtt_interactions_load_since(sqlite3 *db, int64_t from_ts,
                                rtt_interactions_t **out, char *err,
                                size_t errlen);
/* NULL is a no-op. */
void rtt_interactions_free(rtt_interactions_t *set);

/* Interactions in (proc, sent_ts, command id) order. O(1). */
size_t rtt_interactions_count(const rtt_interactions_t *set);
const rtt_interaction_t *rtt_interactions_get(const rtt_interactions_t *set,
                                              size_t i);

/* Aggregates; budget_ns <= 0 means 16.7 ms. O(n log n) (sorts). Percentiles
 * interpolate linearly between ranks, like percentile() in SQL. */
void rtt_interactions_stats(const rtt_interactions_t *set, int64_t budget_ns,
                            rtt_interaction_stats_t *out);

/* Sort v (n values) and fill d; all zero when n is 0. O(n log n). */
void rtt_interactions_dist(int64_t *v, size_t n, rtt_dist_t *d);

/* Indexes of the n slowest rendered interactions, slowest first (ties: lower
 * proc, then earlier sent). Returns how many were written (<= n). */
size_t rtt_interactions_worst(const rtt_interactions_t *set, size_t n,
                              size_t *idx);

/* The interaction's chain as one line, e.g.
 *   "command#12 key_insert -> task#13 key_insert (wait 0.1ms, run 0.2ms)
 *    -> render_request#14 -> render#15 frame 120 (wait 8.0ms, draw 0.3ms)"
 * followed, if another task ran during the interaction, by
 *   " | longest other task: task#40 reflow 30.0ms (from command#38)",
 * When the request came within one frame interval of the previous frame
 * (the interval: the shortest gap between the process's renders), the
 * frame pacing held part of the frame wait, and the line says so:
 *   " | frame pacing: frame 119 drawn 3.20ms before the request, the next
 *    due 13.5ms after it (frames at most every 16.7ms)";
 * the longest other task is then named only if it ran at least half of
 * the wait pacing does not explain and a quarter of the whole wait.
 * Writes at most len bytes (NUL-terminated, truncated with "...").
 * O(chain depth + log tasks + tasks overlapping the interaction). */
void rtt_interactions_chain(const rtt_interactions_t *set, size_t i,
                            char *buf, size_t len);

/* The longest other task overlapping interaction i (not on its chain):
 * returns 1 and fills id/name/run_ns/root command (0 if it has none), or 0. */
int rtt_interactions_blocker(const rtt_interactions_t *set, size_t i,
                             uint64_t *task_id, const char **name,
                             int64_t *run_ns, uint64_t *root_command);

/* Load every process's interactions and aggregate at 16.7 ms (the set is
 * freed). Returns 0, or -1 with one line in err. stats.c. */
int rtt_interactions_summarize(sqlite3 *db, rtt_interaction_stats_t *st,
                               char *err, size_t errlen);

#endif
