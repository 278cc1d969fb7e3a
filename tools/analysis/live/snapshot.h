/* snapshot.h - one interval of `rt-trace live` as a plain, fixed-size
 * structure (rtt_live_snapshot_t), and its JSON object (snapshot.c).
 *
 * The live engine (tools/analysis/live/) fills one snapshot per interval
 * (--interval, 1 s by default) and hands it to a front-end through
 * rtt_live_on_snapshot_fn: the NDJSON writer, the plain-text fallback line,
 * or the ncurses dashboard (tools/rt-trace/live_dashboard.c). The struct has
 * fixed-size arrays and no pointers, so a front-end may copy it with
 * memcpy/assignment and keep it (a paused dashboard, say). Fields are only
 * ever ADDED (at the end of a struct), never renamed or re-purposed.
 *
 * Units: every *_ns is nanoseconds; times (*_ts) are trace timestamps
 * (nanoseconds from the clock's origin, as in the database); rates are per
 * second of trace time over the interval; *_s are seconds. A percentile
 * whose window holds no value is -1 (JSON null).
 *
 * Cost: sizeof(rtt_live_snapshot_t) is about 9 KiB; filling one is
 * O(histogram buckets) (window.c), independent of the event rate. The JSON
 * text of one snapshot is under 8 KiB (RTT_LIVE_JSON_MAX).
 */
#ifndef RTT_LIVE_SNAPSHOT_H
#define RTT_LIVE_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Drop reasons, rtk_drop_reason_t order (docs/tracepoints.md):
 * 0 work_queue_full, 1 event_queue_full, 2 async_queue_full, 3 timer_limit,
 * 4 command_refused, 5 command_queue_full, 6 not_running, 7 emergency,
 * 8 shutdown. */
#define RTT_LIVE_NREASONS 9

/* Rolling windows: index 0 = last 1 s, 1 = last 10 s, 2 = last 60 s. */
#define RTT_LIVE_NWINDOWS 3
extern const int rtt_live_window_s[RTT_LIVE_NWINDOWS]; /* {1, 10, 60} */

/* The latency measures kept in windows. */
enum rtt_live_measure {
    RTT_LIVE_QUEUE_WAIT = 0,  /* task started - queued */
    RTT_LIVE_RUN_TIME = 1,    /* task finished - started */
    RTT_LIVE_INTERACTION = 2, /* interaction latency (input/root command to render end) */
    RTT_LIVE_FRAME = 3,       /* frame time: the duration of a tick that rendered */
    RTT_LIVE_NMEASURES = 4
};
/* JSON keys of the measures: "queue_wait", "run_time", "interaction", "frame". */
extern const char *const rtt_live_measure_key[RTT_LIVE_NMEASURES];

#define RTT_LIVE_WORST 10   /* worst interactions of the last 10 s kept */
#define RTT_LIVE_LINTS 16   /* lint findings of one interval kept */
#define RTT_LIVE_NAME 64    /* names (tasks, interactions, rules), NUL-terminated */
#define RTT_LIVE_TEXT 192   /* free text (cause chain head, messages) */
#define RTT_LIVE_JSON_MAX 16384 /* rtt_live_snapshot_json never needs more */

/* One measure in one window. The percentiles come from a log-linear
 * histogram (hist.h): each is the upper bound of its bucket, at most 1/64
 * (1.6%) above the exact value; max is exact. -1 when count == 0. */
typedef struct rtt_live_pct {
    int64_t count;
    int64_t p50_ns, p90_ns, p99_ns, max_ns;
} rtt_live_pct_t;

/* Per-second rates over the interval, and running totals since the start
 * of the stream (all trace-derived). */
typedef struct rtt_live_rates {
    double tasks;       /* tasks finished (any outcome) per second */
    double events;      /* event dispatches per second */
    double commands;    /* commands handled per second */
    double timer_fires; /* timer fires per second */
    double renders;     /* renders begun per second */
    double trace_events;/* trace events decoded per second (all rtk:*) */
} rtt_live_rates_t;

typedef struct rtt_live_totals {
    int64_t tasks, events, commands, timer_fires, renders, trace_events;
    int64_t interactions; /* interactions whose render has completed */
} rtt_live_totals_t;

/* The runtime's own counters, from the latest rtk:stats event. */
typedef struct rtt_live_runtime {
    int have;                 /* 0: no rtk:stats seen yet (rest is 0) */
    int64_t ts;               /* timestamp of that rtk:stats event */
    int64_t work_queue_len, event_queue_len, async_queue_len, active_timers;
    int64_t loop_count;
    double idle_share;        /* idle_ns delta / time delta between the last
                                 two rtk:stats events, 0..1; -1 if unknown */
    /* Running totals the runtime counted itself. */
    int64_t tasks_executed, events_dispatched, commands_handled, timers_fired, renders;
    int64_t drops[RTT_LIVE_NREASONS];
} rtt_live_runtime_t;

/* The trace-derived counterparts of rtt_live_runtime_t, at the same
 * moment (counted from the events up to the rtk:stats timestamp). */
typedef struct rtt_live_derived {
    int64_t work_queue_len;   /* tasks queued and not yet started or finished */
    int64_t loop_count;       /* highest tick number seen */
    double idle_share;        /* share of time outside ticks, -1 if unknown */
    int64_t tasks_executed, events_dispatched, commands_handled, timers_fired, renders;
    int64_t drops[RTT_LIVE_NREASONS];
} rtt_live_derived_t;

/* The task running now, when it has run longer than a frame (16.7 ms). */
typedef struct rtt_live_running {
    int present;              /* 0: nothing running that long */
    char name[RTT_LIVE_NAME];
    uint64_t id;
    int64_t pid;
    int64_t running_ns;       /* watermark - task_started timestamp */
} rtt_live_running_t;

/* One of the worst interactions of the last 10 s. */
typedef struct rtt_live_worst {
    char name[RTT_LIVE_NAME]; /* root task's name, or the input's */
    uint64_t id;              /* input id, else root command id */
    int64_t pid;
    int64_t ts;               /* when it started (p0) */
    int64_t latency_ns;
    char cause[RTT_LIVE_TEXT];/* head of its cause chain, e.g.
                                 "input#3 -> task#4 keypress -> render#9" */
} rtt_live_worst_t;

/* A lint finding (the lint engine's, analysis/lint/, over the database). */
typedef struct rtt_live_lint {
    char rule[RTT_LIVE_NAME];
    char message[RTT_LIVE_TEXT];
    int64_t ts;
    uint64_t id;
} rtt_live_lint_t;

typedef struct rtt_live_snapshot {
    /* Identity and time. */
    int64_t seq;              /* interval number, 1, 2, ... */
    double elapsed_s;         /* wall time since the live view started */
    double interval_s;        /* wall length of this interval */
    char session[RTT_LIVE_NAME]; /* the LTTng live session */
    int64_t pid;              /* the traced program (0 with --session) */

    rtt_live_rates_t rate;
    rtt_live_totals_t total;
    rtt_live_totals_t delta;  /* counted in this interval */

    /* [measure][window] */
    rtt_live_pct_t pct[RTT_LIVE_NMEASURES][RTT_LIVE_NWINDOWS];

    /* Drops (trace-derived): per reason since start, and new this interval. */
    int64_t drops[RTT_LIVE_NREASONS];
    int64_t drops_new[RTT_LIVE_NREASONS];
    /* Tracer loss, from the stream's discarded-events / discarded-packets
     * messages: since start and new this interval. */
    int64_t discarded_events, discarded_events_new;
    int64_t lost_packets, lost_packets_new;

    rtt_live_runtime_t runtime;
    rtt_live_derived_t derived;
    int disagree;             /* 1: runtime and trace counters differ */
    char disagree_text[RTT_LIVE_TEXT]; /* e.g. "tasks_executed 120 vs 118" */

    rtt_live_running_t running;

    int nworst;
    rtt_live_worst_t worst[RTT_LIVE_WORST]; /* latency descending */

    /* Staleness: wall clock now minus the stream's watermark (the newest
     * event timestamp decoded), in seconds; -1 before the first event. */
    double staleness_s;
    int64_t watermark_ts;

    int exited;               /* 1: the program has exited (final snapshot) */
    int exit_status;          /* its exit status when known, else -1 */
    int final;                /* 1: the last snapshot of the run */

    int nlints;
    rtt_live_lint_t lints[RTT_LIVE_LINTS];

    /* 1: a database backs the run (--record, or the dashboard's temporary
     * one), so the interaction measure, total/delta.interactions, worst
     * and lints were computed; 0: they were not (they read 0 / empty,
     * which then does not mean "none"). JSON "db". */
    int db;
} rtt_live_snapshot_t;

/* The front-end hook: called once per interval on the live thread. The
 * snapshot is valid during the call only; copy it to keep it. */
typedef void (*rtt_live_on_snapshot_fn)(const rtt_live_snapshot_t *s, void *ctx);

/* Writes s as one JSON object on one line (no trailing newline) into buf.
 * Returns its length, or -1 if len is too small (RTT_LIVE_JSON_MAX always
 * suffices). Keys are documented in docs/rt-trace.md ("rt-trace live"). */
int rtt_live_snapshot_json(const rtt_live_snapshot_t *s, char *buf, size_t len);

/* One plain-text line (no escape codes) summing s up, for the fallback
 * front-end and the final report. Returns its length, or -1. */
int rtt_live_snapshot_line(const rtt_live_snapshot_t *s, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
