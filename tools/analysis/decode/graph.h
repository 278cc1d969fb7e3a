/* graph.h - runs the babeltrace2 graph that feeds ingest's sink
 * (graph.c). */
#ifndef RTT_INGEST_GRAPH_H
#define RTT_INGEST_GRAPH_H

#include "sink.h"

#include <stddef.h>

/* Read every trace of sink->traces through one muxed graph into the sink.
 * Returns 0, or -1 with err holding one line (the sink's own failure, or
 * babeltrace2's root cause). */
int rtt_graph_run(rtt_sink_t *sink, char *err, size_t errlen);

#endif
