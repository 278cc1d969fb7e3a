/* read.h - ingest's own CTF reader (read.c): every stream file of every
 * trace of an ingest, merged in time order as babeltrace2's muxer orders
 * them (equal times: by trace UUID, trace name, stream class id, stream
 * id), into the same rows as the babeltrace2 sink (decode/sink.h).
 *
 * It reads LTTng-UST traces whose files are whole (no damage found, no
 * rotation chunks): the traces `rt-trace record` makes. Anything else it
 * refuses before writing a row, and whatever it meets on the way that it
 * does not expect (a corrupt packet, an unknown event class) makes it give
 * up: the caller then throws its rows away and reads the traces with
 * babeltrace2, which knows all of CTF and reports damage its own way.
 * RTT_DECODER=babeltrace2 in the environment turns it off; RTT_DECODER=rtk
 * makes a refusal an error (for tests). Cost: O(bytes); per event a few
 * table lookups and one pass over its fields, no allocation; memory: the
 * mapped files and a few KiB per stream. */
#ifndef RTT_CTF_READ_H
#define RTT_CTF_READ_H

#include "salvage.h"
#include "sink.h"

#include <stddef.h>

/* 0 when the reader may take these traces, else 1 with why. */
int rtt_ctf_can_read(const rtt_prepared_t *prep, char *why, size_t len);

/* Whether a refusal must be an error (RTT_DECODER=rtk). */
int rtt_ctf_required(void);

/* Read sink's traces (set up as for rtt_graph_run) into its rows.
 * Returns 0; -1 with err on a failure of the rows or an interruption; 1
 * with err saying why when it gives up (the rows it made are not valid:
 * start again with babeltrace2). */
int rtt_ctf_read(rtt_sink_t *sink, char *err, size_t errlen);

#endif
