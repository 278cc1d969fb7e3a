/* stream.h - the live stream (stream.c): a babeltrace2 graph
 *
 *   src.ctf.lttng-live (net://127.0.0.1:PORT/host/HOST/SESSION) --> rtt sink
 *
 * whose sink is ingest's own (decode/sink.c, in live mode), feeding the
 * same row pairing (pair/). lttng-live already orders the messages of all
 * the session's streams by time, so there is no muxer. The graph is run
 * with bt_graph_run_once, so the caller gets control back at least every
 * time the viewer has no new data (the relay daemon's live timer). Cost:
 * O(messages); memory: babeltrace2 keeps one packet per stream.
 */
#ifndef RTT_LIVE_STREAM_H
#define RTT_LIVE_STREAM_H

#include "sink.h"

#include <stddef.h>
#include <stdint.h>

typedef struct rtt_stream rtt_stream_t;

/* Build the graph reading session `session` of host `host` from the relay
 * daemon's live port into sink (sink->live set). The viewer connects and
 * attaches at the first rtt_stream_step. NULL with err on failure. */
rtt_stream_t *rtt_stream_open(rtt_sink_t *sink, int live_port, const char *host,
                              const char *session, char *err, size_t errlen);

/* Run the graph until `seconds` have passed (monotonic clock) or the
 * stream ended. 0: still running; 1: ended (the session was destroyed or
 * disappeared, and everything it held was read); -1: failed, one line in
 * err (a relay daemon busy with another viewer, gone, ...). */
int rtt_stream_step(rtt_stream_t *st, double seconds, char *err, size_t errlen);

/* How many streams the relay daemon holds for the session, from
 * src.ctf.lttng-live's "sessions" query (its own connection, not the
 * viewer's): 0 when the relay daemon does not list the session, -1 when
 * it cannot be asked. */
int64_t rtt_stream_relay_streams(rtt_stream_t *st);

void rtt_stream_close(rtt_stream_t *st);

#endif
