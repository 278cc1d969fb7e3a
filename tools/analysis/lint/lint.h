/* lint.h - the lint rules over an rt-trace database (`rt-trace lint`, and
 * the live mode on the database it writes every interval): each rule reads
 * the tables in a time range [from_ts, to_ts) and returns findings (rule,
 * severity, message, evidence: proc, ids, times, value against limit); none
 * prints. One file per rule (rule_*.c); lint.c runs them, config.c holds
 * the thresholds, findings.c the result and its rtt_out_t form.
 *
 *   blocked       a task ran longer than a frame (warning) or 50 ms (error):
 *                 the loop could do nothing else; names the task and the
 *                 head of its cause chain (query/cause_chain.c)
 *   timer_late    a timer fired later than its deadline by more than N
 *   starved       a task waited longer than N while higher priority levels
 *                 ran for at least a share of the wait (one finding per
 *                 process and priority level)
 *   requeue       a task re-queued itself (cause = a task of the same name)
 *                 in a chain longer than N links
 *   queue_full    an rtk:stats snapshot shows a queue above a share of its
 *                 capacity (the trace does not carry capacities: the
 *                 configured ones, by default the runtime's defaults)
 *   drops         the runtime dropped more than N items of one reason
 *   tracer_loss   the tracer discarded events (or lost packets)
 *   render_stall  a render requested was not begun within N frame intervals
 *
 * Times: from_ts/to_ts and every *_ts are absolute trace timestamps (ns,
 * as in the database); RTT_LINT_FROM_ALL/RTT_LINT_TO_ALL cover everything.
 * A finding belongs to the range in which it became known: a blocking item
 * that ended, a fire, a task that started after its wait, a requeue
 * chain's newest task, a snapshot, a drop, a render done or overdue, loss
 * overlapping the range. So a live caller that lints each new interval
 * [last_to, now) sees each finding once (a growing requeue chain and loss
 * spanning intervals again), and an item still running is seen when it is
 * over.
 */
#ifndef RTT_LINT_H
#define RTT_LINT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rtt_lint_severity {
    RTT_LINT_INFO = 0,
    RTT_LINT_WARNING = 1,
    RTT_LINT_ERROR = 2
} rtt_lint_severity_t;

/* "info", "warning", "error"; parse returns 0 or -1. */
const char *rtt_lint_severity_name(int severity);
int rtt_lint_severity_parse(const char *s, int *severity);

typedef enum rtt_lint_rule {
    RTT_LINT_BLOCKED,
    RTT_LINT_TIMER_LATE,
    RTT_LINT_STARVED,
    RTT_LINT_REQUEUE,
    RTT_LINT_QUEUE_FULL,
    RTT_LINT_DROPS,
    RTT_LINT_TRACER_LOSS,
    RTT_LINT_RENDER_STALL,
    RTT_LINT_NRULES
} rtt_lint_rule_t;

/* The rule's name ("blocked"), or NULL; by name: the rule or -1. */
const char *rtt_lint_rule_name(int rule);
int rtt_lint_rule_find(const char *name);
#define RTT_LINT_ALL_RULES ((1u << RTT_LINT_NRULES) - 1)

/* Thresholds, with their --set keys; rtt_lint_config_init sets the
 * defaults shown. Durations in ns. */
typedef struct rtt_lint_config {
    int64_t blocked_frame_ns;      /* blocked.frame    16.7ms (warning) */
    int64_t blocked_long_ns;       /* blocked.long     50ms   (error)   */
    int64_t timer_late_ns;         /* timer_late.lateness 10ms          */
    int64_t starved_wait_ns;       /* starved.wait     100ms            */
    double starved_share;          /* starved.share    0.5 of the wait  */
    int64_t requeue_links;         /* requeue.links    100              */
    double queue_share;            /* queue_full.share 0.8              */
    int64_t work_capacity;         /* queue_full.work_capacity  1024    */
    int64_t event_capacity;        /* queue_full.event_capacity 256     */
    int64_t async_capacity;        /* queue_full.async_capacity 1024    */
    int64_t drops_count;           /* drops.count      0 (more fires)   */
    int64_t tracer_loss_events;    /* tracer_loss.events 0              */
    int64_t frame_interval_ns;     /* render_stall.frame 16.7ms         */
    double render_frames;          /* render_stall.frames 2             */
} rtt_lint_config_t;

void rtt_lint_config_init(rtt_lint_config_t *c);

/* Apply one "KEY=VALUE" (blocked.frame=20ms, starved.share=0.3,
 * requeue.links=500). Durations take ns, us, ms, s, min, h (a bare number
 * is ns);
 * shares a fraction (0.8) or a percentage (80%). Returns 0, or -1 with a
 * one-line err ("unknown key 'x' (keys: ...)", "bad value '...' for KEY").
 * Capacities and counts must be whole numbers, capacities > 0. */
int rtt_lint_config_set(rtt_lint_config_t *c, const char *assign, char *err,
                        size_t errlen);

/* Every key as "key=default" lines for --help (static text). */
const char *rtt_lint_config_keys(void);

typedef struct rtt_lint_finding {
    int rule;                /* rtt_lint_rule_t */
    int severity;            /* rtt_lint_severity_t */
    char *message;           /* one line for people */
    int64_t proc;            /* 0 when not a process's (tracer_loss) */
    int64_t id;              /* the item: task, timer, render request; 0 none */
    int64_t last_id;         /* requeue: the chain's tail; drops: the last
                                dropped id; render_stall: the render that
                                served the request; else 0 */
    char *name;              /* task/timer name, queue, drop reason; or NULL */
    char *cause_head;        /* blocked, render_stall: the head of the
                                item's or the request's cause chain, e.g.
                                "command#12"; NULL when the chain is the
                                item alone, and for the other rules */
    int64_t ts, end_ts;      /* when: begin and end (absolute ns) */
    int64_t value, limit;    /* measured against the threshold */
    const char *unit;        /* "ns", "count" or "items" */
    int64_t count;           /* items the finding stands for */
} rtt_lint_finding_t;

typedef struct rtt_lint_result {
    rtt_lint_finding_t *f;
    size_t n, cap;
    int64_t start_ts;        /* the trace start (for times relative to it) */
    int counted[3];          /* findings per severity */
} rtt_lint_result_t;

#define RTT_LINT_FROM_ALL INT64_MIN
#define RTT_LINT_TO_ALL INT64_MAX

/* Run the rules in `rules` (bit 1 << rtt_lint_rule_t; 0 means all) over
 * [from_ts, to_ts) of db. On success returns 0 and fills *out (free with
 * rtt_lint_result_free), findings ordered by rule, then time, proc, id.
 * On failure returns -1 with one line in err; *out is left empty.
 * Cost: each rule's (see its file): one indexed scan of its table plus,
 * for blocked findings, a cause-chain walk per finding; starved and
 * requeue hold the tasks of the range in memory (~32 bytes per task). */
int rtt_lint_run(sqlite3 *db, const rtt_lint_config_t *cfg, int64_t from_ts,
                 int64_t to_ts, unsigned rules, rtt_lint_result_t *out, char *err,
                 size_t errlen);

void rtt_lint_result_free(rtt_lint_result_t *r);

/* Findings at or above severity. */
size_t rtt_lint_count_at_least(const rtt_lint_result_t *r, int severity);

/* The findings as a result (section "findings": rule, severity, proc, id,
 * last_id, name, cause_head, at (ns from the trace start), duration
 * (end - begin), value, limit, unit, count, message). Returns NULL when out
 * of memory. */
rtt_out_t *rtt_lint_out(const rtt_lint_result_t *r);

#ifdef __cplusplus
}
#endif

#endif
