/* watch.h - names what babeltrace2 is reading, so that an abort or a hang
 * inside it can be reported as "TRACE/STREAM" (watch.c; used by
 * ingest/isolate.c through graph.c).
 *
 * graph.c calls rtt_watch_opening() before it adds a trace's source
 * component (the metadata is parsed there), and routes every source output
 * port through a pass-through filter (rtt_watch_route()) whose iterator
 * reports its stream each time the muxer pulls from it. The reports go to
 * a callback as a pointer to a string that stays valid until
 * rtt_watch_free(): the callback may keep the pointer (e.g. for a signal
 * handler) instead of copying. Cost: one extra iterator hop per message
 * batch, and a callback only when the stream read changes. */
#ifndef RTT_DECODE_WATCH_H
#define RTT_DECODE_WATCH_H

#include <babeltrace2/babeltrace.h>
#include <stddef.h>

/* where: "TRACE/metadata", "TRACE/STREAM_FILE" or, before the stream's
 * file is known, "TRACE/stream ID (class ID)". opening: 1 when a trace is
 * being opened (rare), 0 for the frequent per-batch changes. */
typedef void (*rtt_watch_fn)(void *ctx, const char *where, int opening);

typedef struct rtt_watch rtt_watch_t;

/* NULL when out of memory. */
rtt_watch_t *rtt_watch_create(rtt_watch_fn fn, void *ctx);
/* After the graph that used it is destroyed. NULL is a no-op. */
void rtt_watch_free(rtt_watch_t *w);

/* Another decoder (the own CTF reader) reads where now ("TRACE/STREAM_FILE"
 * or "TRACE/metadata", valid until rtt_watch_free()). NULL w: no-op. */
void rtt_watch_reading(rtt_watch_t *w, const char *where, int opening);

/* A trace's source component is about to be added (metadata parse). */
void rtt_watch_opening(rtt_watch_t *w, const char *trace_path);

/* Add a watch filter to g fed by the source port op of trace_path; *out
 * gets the filter's output port, to be connected where op would have
 * been. 0, or -1 (out of memory or a babeltrace2 error, which is the
 * current thread's error). */
int rtt_watch_route(rtt_watch_t *w, bt_graph *g, const char *trace_path,
                    const bt_port_output *op, const bt_port_output **out);

#endif
