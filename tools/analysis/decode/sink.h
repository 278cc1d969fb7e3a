/* sink.h - ingest's own babeltrace2 sink: consumes the muxed message
 * stream, decodes rtk events and hands them to the row writer
 * (sink.c). */
#ifndef RTT_INGEST_SINK_H
#define RTT_INGEST_SINK_H

#include "ingest.h"
#include "rows.h"
#include "salvage.h"

#include <babeltrace2/babeltrace.h>
#include <signal.h>
#include <stdint.h>

/* Set by ingest.c's SIGINT/SIGTERM handler to the signal's number; the
 * sink stops with an error. */
extern volatile sig_atomic_t rtt_ingest_interrupted;

/* One CTF trace: a directory holding a `metadata` file, or the chunks of a
 * rotated session (decode/salvage.h). */
typedef struct rtt_trace_in {
    char *path;          /* as found (the first chunk) */
    const rtt_trace_src_t *src; /* its directories and stream files */
    uint64_t bytes;      /* size of its stream files */
    const bt_trace *bt;  /* set at its first stream-beginning message */
    int registered;      /* its traces row is written */
    int64_t row;         /* traces.trace once registered */
    int have_env_vpid;
    int64_t env_vpid;
    int have_ts;
    int64_t first_ts, last_ts;
    int64_t events;      /* rtk events */
    int last_proc;       /* cached process handle for the last vpid seen */
    int64_t last_vpid;
    int last_have_vpid;
} rtt_trace_in_t;

typedef struct rtt_class_info rtt_class_info_t;

/* The last packet a stream began (its timestamp_begin in clock cycles):
 * where a decoding error of that stream is. */
typedef struct rtt_packet_seen {
    const bt_stream *st;
    int have_begin;
    uint64_t begin;
} rtt_packet_seen_t;

/* Sees every rtk event the sink decodes, before the row pairing does. */
typedef void (*rtt_sink_event_fn)(void *ctx, int proc, int kind, int64_t ts,
                                  const int64_t *f, const char *str);

typedef struct rtt_sink {
    rtt_rows_t *rows;
    rtt_trace_in_t *traces;
    size_t ntraces;
    /* Live source (src.ctf.lttng-live): traces are not known beforehand;
     * each new one is appended to traces (capacity captraces, allocated by
     * the caller and never moved), its path the name babeltrace2 gives it. */
    int live;
    size_t captraces;
    rtt_sink_event_fn observe; /* NULL: none */
    void *observe_ctx;
    /* The newest time a message-iterator-inactivity message vouched for
     * (lttng-live sends them when a stream is idle: nothing before that
     * time is still to come), ns from origin; 0 if none. */
    int64_t inactivity_ts;
    rtt_issue_t *issues; /* damaged stream files: the sink sets their begin_ts */
    size_t nissues;
    int follow_cuts;     /* some issue has a cut copy to follow */
    int force;
    rtt_ingest_progress_fn progress; /* NULL: no progress reports */
    void *progress_ctx;
    int progress_fd;     /* where stderr really is while the graph runs */
    struct rtt_watch *watch; /* NULL, or names what is read (watch.h) */
    uint64_t total_bytes, total_packets, done_packets;
    /* counters */
    uint64_t events, other_events, discarded_events, lost_packets;
    uint64_t messages;
    /* event class -> decoding info (open addressing on the pointer) */
    rtt_class_info_t **classes;
    size_t ncap, nclasses;
    /* last stream seen and its trace */
    const bt_stream *last_stream;
    rtt_trace_in_t *last_trace;
    /* progress timing */
    double t_start, t_last_draw;
    rtt_packet_seen_t *seen; /* one per stream */
    size_t nseen, capseen;
    /* first failure, one line */
    int failed;
    char err[600];
    /* The rtk CTF reader's diagnosis of damage in these traces, when it
     * gave up on them: "corrupt packet at offset N (what): FILE", or "".
     * Where babeltrace2 then fails with a vaguer error of its own (its
     * muxer's "timestamp is less than ...", "cannot handle state"), this is
     * the error reported. */
    char damage[700];
} rtt_sink_t;

void rtt_sink_init(rtt_sink_t *s);
void rtt_sink_finish(rtt_sink_t *s);

/* bt_graph_add_simple_sink_component() callbacks; data is an rtt_sink_t. */
bt_graph_simple_sink_component_initialize_func_status
rtt_sink_initialize(bt_message_iterator *it, void *data);
bt_graph_simple_sink_component_consume_func_status
rtt_sink_consume(bt_message_iterator *it, void *data);
void rtt_sink_finalize(void *data);

/* The last packet begun by the stream of trace t with these ids: 1 with
 * *begin (clock cycles) set, else 0. */
int rtt_sink_last_packet(const rtt_sink_t *s, const rtt_trace_in_t *t,
                         uint64_t stream_class, uint64_t stream_id,
                         uint64_t *begin);

/* The rows every decoder makes (the babeltrace2 sink above and the own
 * CTF reader, ctf/read.c), so both write the same database. Each returns
 * 0 (or a proc handle), or -1 with s->err set. */
int rtt_sink_trace_register(rtt_sink_t *s, rtt_trace_in_t *ti, const char *uuid,
                            const char *hostname, const char *procname,
                            int have_vpid, int64_t vpid, const char *scheme);
/* The process handle of the trace's last event if it is the same process,
 * else -1 (then rtt_sink_proc, which needs its procname). */
static inline int rtt_sink_cached_proc(const rtt_trace_in_t *ti, int have_vpid,
                                       int64_t vpid)
{
    return ti->last_proc >= 0 && have_vpid == ti->last_have_vpid &&
                   vpid == ti->last_vpid
               ? ti->last_proc
               : -1;
}
int rtt_sink_proc(rtt_sink_t *s, rtt_trace_in_t *ti, int have_vpid, int64_t vpid,
                  const char *procname);
int rtt_sink_emit(rtt_sink_t *s, rtt_trace_in_t *ti, int proc, int kind, int64_t ts,
                  const int64_t *f, const char *str);
int rtt_sink_loss(rtt_sink_t *s, rtt_trace_in_t *ti, const char *stream,
                  int packets, int have_count, uint64_t count, int have_range,
                  int64_t begin_ts, int64_t end_ts);
/* n more messages handled: a progress report if one is due. */
void rtt_sink_tick(rtt_sink_t *s, uint64_t n);

/* The final progress report (if any was sent). */
void rtt_sink_progress_done(rtt_sink_t *s);

#endif
