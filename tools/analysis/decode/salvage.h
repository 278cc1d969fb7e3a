/* salvage.h - from the trace directories found to what babeltrace2 reads
 * (salvage.c): chunks of one rotated session grouped into one trace,
 * unreadable files reported, damaged stream files cut at their last whole
 * packet, and every such damage recorded as an ingest issue. */
#ifndef RTT_DECODE_SALVAGE_H
#define RTT_DECODE_SALVAGE_H

#include "discover.h"

#include <stddef.h>
#include <stdint.h>

/* One stream file of a trace. */
typedef struct rtt_stream_file {
    char *path;  /* as found */
    size_t chunk;
    int have_id; /* stream class and instance ids (LTTng traces) */
    uint32_t stream_class;
    uint64_t stream_instance, first_begin;
} rtt_stream_file_t;

/* Damage ingest worked around (or, with --skip-unreadable, files it
 * skipped): one row of the ingest_issues table. */
typedef struct rtt_issue {
    long trace;       /* index into the prepared traces; -1: none (a skipped
                         directory) */
    char *file;       /* the damaged or unreadable file or directory */
    const char *what; /* "truncated" | "broken-tail" | "unreadable" */
    int have_offset;
    uint64_t offset;  /* where the part not ingested starts */
    uint64_t bytes;   /* bytes not ingested */
    char *view_file;  /* the cut copy babeltrace2 reads, or NULL */
    const void *bt_stream; /* its babeltrace2 stream (set by the sink) */
    int have_begin;   /* begin_ts: end of the last packet kept, ns (sink) */
    int64_t begin_ts;
    char *message;    /* one line, without "warning: " */
} rtt_issue_t;

/* One trace to read: one directory, or the chunks of a rotated session
 * (same UUID), which babeltrace2 merges when given together. */
typedef struct rtt_trace_src {
    char **chunks;  /* the directories as found, sorted */
    char **inputs;  /* what babeltrace2 reads: chunks[i] or its cut view */
    size_t nchunks;
    rtt_stream_file_t *files;
    size_t nfiles;
    uint64_t bytes, packets; /* for the progress bar */
} rtt_trace_src_t;

typedef struct rtt_prepared {
    rtt_trace_src_t *traces;
    size_t ntraces;
    rtt_issue_t *issues;
    size_t nissues;
    char *view_root; /* temp directory of the cut views, or NULL */
} rtt_prepared_t;

/* Group found (whose unreadable directories, skipped by discovery, become
 * issues), check that every file can be read, and walk the packets of
 * LTTng stream files. Damage at the tail of a stream file becomes an issue
 * and a view (symbolic links and a cut copy, in a temp directory) that
 * babeltrace2 reads instead; with strict it is an error. A bad packet
 * header in the middle of a file, an unreadable file without
 * skip_unreadable, and the same trace found twice are errors. Returns 0,
 * or -1 with err holding one line. Cost: one metadata read per directory,
 * one header read per packet, plus a copy of the whole packets of each cut
 * file. */
int rtt_prepare(const rtt_found_list_t *found, int strict, int skip_unreadable,
                rtt_prepared_t *p, char *err, size_t errlen);

/* Remove the views and free everything. */
void rtt_prepared_free(rtt_prepared_t *p);

/* path with a view's directory replaced by the chunk it shows (a stream
 * name babeltrace2 reports); path itself when it is in no view. */
const char *rtt_prepared_orig(const rtt_trace_src_t *t, const char *path,
                              char *buf, size_t len);

#endif
