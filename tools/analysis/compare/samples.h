/* samples.h - the measures `compare` tests, read from one run's database
 * (samples.c): every value of every measure, in the order the run
 * produced them, so the bootstrap can resample blocks of time.
 *
 * Measures (name: what, values):
 *   interaction.latency                 keystroke to render, every rendered one
 *   interaction.latency[name=N]         the same per root task name (key_insert...)
 *   interaction.queue|run|frame_wait|render   the parts of the latency
 *   task.queue_wait[name=N], task.run_time[name=N]       per task name
 *   task.queue_wait[priority=P], task.run_time[priority=P] per priority
 *   dispatch.duration[type=T]           event handler time per event type
 *   timer.lateness                      fire time - deadline
 *   command.latency                     sent -> handled
 *   tick.duration                       every loop tick
 *   frames.over_budget                  share: 1 per rendered tick over the
 *                                       frame budget, else 0
 *   drops[reason=R]                     count: runtime drops per second of run
 *   tracer.discarded                    count: events LTTng discarded per second
 * Durations are ns. "Order" is the database's insertion order, which is the
 * order items completed in (events of one run are correlated in time, so the
 * bootstrap resamples contiguous blocks of it).
 *
 * Cost: one scan of each item table (tasks, dispatches, timer_fires,
 * commands, ticks, drops, tracer_loss) and the interactions rebuild; memory
 * 8 bytes per value plus the interactions model (~80 bytes per item).
 * About 0.6 s for a database of 1 M tasks.
 */
#ifndef RTT_SAMPLES_H
#define RTT_SAMPLES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rtt_sample_kind {
    RTT_SK_DURATION, /* ns; compared by quantiles */
    RTT_SK_SHARE,    /* 0/1 per item; compared by the mean (a share) */
    RTT_SK_RATE      /* count per second of run; compared by the mean */
} rtt_sample_kind_t;

typedef struct rtt_series_v {
    char *name;        /* "task.run_time[name=highlight]" */
    rtt_sample_kind_t kind;
    int64_t *v;        /* in run order */
    size_t n, cap;
} rtt_series_v_t;

typedef struct rtt_run {
    char *path;
    char *procnames;          /* distinct traced process names, ", "-joined */
    int64_t duration_ns;      /* first to last event */
    int64_t keystrokes;       /* root commands */
    int64_t tasks;
    int64_t drops_total;
    int64_t tracer_discarded; /* events the tracer discarded */
    int64_t tracer_lost_packets;
    int64_t ingest_issues;    /* ingest_issues rows: damaged or skipped files */
    rtt_series_v_t *s;        /* sorted by name */
    size_t ns, caps;
} rtt_run_t;

/* The longest run (first to last event) rtt_run_load accepts: 1e6 s, 11.6
 * days. Rates are counted per second, so memory grows with the span. */
#define RTT_SAMPLES_MAX_SPAN_NS 1000000000000000LL

/* The frame budget of frames.over_budget (16.7 ms). */
#define RTT_SAMPLES_FRAME_BUDGET_NS 16700000LL

/* Read every measure of the database at path (opened read-only, checked as
 * an rt-trace database of this schema version). Returns 0, or -1 with one
 * line in err naming the path. An empty database is an error ("no rtk
 * events"), since nothing can be compared. */
int rtt_run_load(const char *path, rtt_run_t *run, char *err, size_t errlen);
/* The same from an open connection (read only; kept open): name stands
 * for the path in run->path and in messages. For callers that hold the
 * database already, e.g. in memory (fuzz/fuzz_db.c). */
int rtt_run_load_db(sqlite3 *db, const char *name, rtt_run_t *run, char *err,
                    size_t errlen);
void rtt_run_free(rtt_run_t *run);

/* The series called name, or NULL. O(log series). */
const rtt_series_v_t *rtt_run_series(const rtt_run_t *run, const char *name);

#ifdef __cplusplus
}
#endif

#endif
