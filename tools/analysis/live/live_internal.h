/* live_internal.h - what the live engine's files share (live.c: the
 * lifecycle and the snapshot; observe.c: the sink's and the pairing's
 * observers and the runtime-vs-trace comparison; live_ix.c: interactions
 * from the database): the engine's state. Not part of its interface. */
#ifndef RTT_LIVE_INTERNAL_H
#define RTT_LIVE_INTERNAL_H

#include "lint.h"
#include "live.h"

#include "relayd.h"
#include "rows.h"
#include "session.h"
#include "sink.h"
#include "stream.h"
#include "window.h"
#include "writer.h"

#include <sqlite3.h>
#include <stdint.h>

#define MAX_TRACES 64
#define MAX_PROCS 64
#define NAME_CACHE 4096
#define FRAME_NS 16700000LL /* "longer than a frame" */

typedef struct counters {
    int64_t tasks_executed, events_dispatched, commands_handled, timers_fired, renders;
    int64_t drops[RTT_LIVE_NREASONS];
} counters_t;

typedef struct running {
    uint64_t id;
    int64_t started_ts;
    int active;
} running_t;

typedef struct name_slot {
    uint64_t id;
    int proc;
    char name[RTT_LIVE_NAME];
} name_slot_t;

struct rtt_live {
    rtt_live_opts_t o;
    rtt_relayd_t relayd;
    rtt_live_session_t session;
    rtt_sink_t sink;
    rtt_trace_in_t traces[MAX_TRACES];
    rtt_rows_t *rows;
    sqlite3 *db;
    int in_tx;
    char db_note[300]; /* why the finished database stayed in WAL mode */
    rtt_stream_t *stream;
    int finished;
    int attached;    /* the viewer attached: the run has begun */
    int hold_viewer; /* RTT_TEST_HOLD_VIEWER: steps only sleep (live_tests.sh) */

    /* interval state */
    int64_t seq;
    double t0, t_last;            /* monotonic: start, last snapshot */
    rtt_live_totals_t total, at_last;
    int64_t drops[RTT_LIVE_NREASONS], drops_last[RTT_LIVE_NREASONS];
    uint64_t disc_last, lost_last;
    rtt_window_t win[RTT_LIVE_NMEASURES];
    int win_slots[RTT_LIVE_NWINDOWS];
    int64_t watermark;
    int64_t real0, mono0; /* CLOCK_REALTIME and CLOCK_MONOTONIC read together
                             at start: trace_now() = real0 + (mono - mono0) */

    /* raw-event state (sink observer) */
    counters_t derived;           /* counted from events */
    int64_t loop_count, busy_ns, tick_begin_ts[MAX_PROCS];
    int64_t queued_now;           /* tasks queued, not yet started or voided */
    running_t run[MAX_PROCS];
    name_slot_t *names;           /* NAME_CACHE */
    /* the latest rtk:stats and what the events said at that moment */
    rtt_live_runtime_t rt;
    counters_t rt_c, rt_derived;  /* at the latest stats */
    int have_base;
    counters_t base_rt, base_derived; /* at the first stats seen */
    int64_t prev_stats_ts, prev_idle_ns, prev_busy_ns;
    double derived_idle;
    /* interactions already counted (keys, sorted), those still in the
     * window the next interval loads */
    uint64_t *ix_keys;
    size_t ix_nkeys;
    /* the interactions pass's cost bound (live_ix.c): not before ix_next
     * (monotonic); meanwhile the last pass's worst list is shown */
    double ix_next;
    int ix_nworst;
    rtt_live_worst_t ix_worst[RTT_LIVE_WORST];
    /* lint (live_lint.c): the range linted so far ends at lint_from */
    int lint_init;
    rtt_lint_config_t lint_cfg;
    int64_t lint_from;
    double lint_next;             /* monotonic: not before (cost bound) */
    int64_t lints_total;          /* warnings and errors found so far */
};

#define IX_LOOKBACK_NS 12000000000LL /* the window interactions are rebuilt from */
#define IX_WORST_NS 10000000000LL    /* "the worst of the last 10 s" */
#define IX_MAX_WAIT_S 3.0            /* passes at most this far apart */

/* observe.c */
void rtt__live_on_row(void *ctx, int table, const rtt_val_t *v);
void rtt__live_on_event(void *ctx, int proc, int kind, int64_t ts, const int64_t *f,
                        const char *str);
/* The runtime's counters against the trace's into s (disagree, text). */
void rtt__live_compare(const rtt_live_t *l, rtt_live_snapshot_t *s);

/* live_lint.c: the lint findings (warnings, errors) that became known
 * since the last call into s->lints. No-op without a database. */
void rtt__live_lints(rtt_live_t *l, rtt_live_snapshot_t *s);

/* live_ix.c: count the interactions completed since the last call into
 * the interaction window, and fill s->worst. No-op without a database. */
void rtt__live_interactions(rtt_live_t *l, rtt_live_snapshot_t *s);

#endif
