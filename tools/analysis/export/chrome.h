/* chrome.h - export a run database as Chrome Trace Event JSON (chrome.c),
 * the format Perfetto UI, chrome://tracing and other viewers import.
 *
 * The engine prints nothing: it writes the JSON through a caller-supplied
 * sink (a file, a gzip stream: gzip_sink.h, a socket), in 64 KiB chunks.
 * The mapping from tables to trace events is documented in
 * docs/rt-trace.md ("export").
 *
 * Cost: a fixed number of streaming queries (about fifteen) plus up to four
 * primary-key lookups per cause link; memory O(processes x priority lanes),
 * independent of the number of rows (SQLite's sorter spills ORDER BY to
 * temporary files). */
#ifndef RTT_EXPORT_CHROME_H
#define RTT_EXPORT_CHROME_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Receives the output bytes in order. Returns 0, or -1 to stop the export
 * (the sink keeps its own error, e.g. errno, for the caller to report). */
typedef int (*rtt_sink_fn)(void *ctx, const char *buf, size_t len);

typedef struct rtt_export_opts {
    int64_t budget_ns; /* frame budget: a frame longer is over_budget */
} rtt_export_opts_t;

/* What was written, per kind of trace event. */
typedef struct rtt_export_counts {
    int64_t task_slices;     /* "X", cat "task": tasks that started and finished */
    int64_t dispatch_slices; /* "X", cat "event": dispatches with begin and end */
    int64_t render_slices;   /* "X", cat "render": renders with a begin */
    int64_t queue_waits;     /* "b"/"e" pairs, cat "queue": tasks queued and started */
    int64_t flows;           /* "s"/"f" pairs, cat "cause": cause links between slices */
    int64_t frames;          /* "i", cat "frame": ticks that rendered */
    int64_t drops;           /* "i", cat "drop" */
    int64_t inputs;          /* "i", cat "input" */
    int64_t counters;        /* "C": one per rtk:stats snapshot */
    int64_t process_names;   /* "M" process_name */
    int64_t thread_names;    /* "M" thread_name: one per lane used */
    int64_t events;          /* every trace event written */
    int64_t bytes;           /* bytes passed to the sink */
} rtt_export_counts_t;

/* Write db as Chrome Trace Event JSON through sink. n (may be NULL) gets
 * the counts. Returns 0; -1 with one line in err on an SQL error; -2 when
 * the sink failed (err says "write failed"; the sink knows why). */
int rtt_export_chrome(sqlite3 *db, const rtt_export_opts_t *opts, rtt_sink_fn sink,
                      void *ctx, rtt_export_counts_t *n, char *err, size_t errlen);

#endif
