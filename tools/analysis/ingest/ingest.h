/* ingest.h - the ingest pipeline (ingest.c): find CTF traces (decode/),
 * decode them (the own CTF reader, ctf/read.h, for whole LTTng-UST traces;
 * babeltrace2 for the rest), pair events into rows (pair/) and write
 * them to an rt-trace database (store/), in one transaction. Used by the
 * CLI's `ingest` and `record`. Prints nothing: errors come back as one line,
 * progress through a callback. */
#ifndef RTT_INGEST_H
#define RTT_INGEST_H

#include <stddef.h>
#include <stdint.h>

/* A progress report, about five a second while the graph runs, and one
 * with final = 1 at the end when at least one was sent before. */
typedef struct rtt_ingest_progress {
    uint64_t events, other_events;      /* rtk events, others skipped */
    uint64_t done_packets, total_packets; /* total 0: no LTTng index */
    uint64_t total_bytes;               /* of the stream files */
    double elapsed_s;
    int fd;    /* where to draw (stderr) */
    int final; /* the last report: finish the line */
} rtt_ingest_progress_t;

typedef void (*rtt_ingest_progress_fn)(void *ctx, const rtt_ingest_progress_t *p);

/* One warning line (damage worked around, a file skipped), without a
 * "warning: " prefix; called after a successful ingest. */
typedef void (*rtt_ingest_warn_fn)(void *ctx, const char *line);

typedef struct rtt_ingest_opts {
    const char *const *inputs; /* directories to search for CTF traces */
    int ninputs;
    const char *db_path;
    int force; /* replace traces already in the database */
    double decode_timeout_s; /* babeltrace2 making no progress this long
                                is a hang; <= 0: 30 s; else at least
                                RTT_INGEST_MIN_TIMEOUT (a smaller value
                                is raised to it) */
    rtt_ingest_progress_fn progress; /* NULL: no reports */
    void *progress_ctx;
    int strict;          /* a damaged stream file is an error, not an issue */
    int skip_unreadable; /* an unreadable file or directory is an issue */
    rtt_ingest_warn_fn warn; /* NULL: issues are only stored */
    void *warn_ctx;
    int in_process; /* decode in this process: no child, no watchdog (for
                       the fuzzers, where a crash must reach the fuzzer) */
} rtt_ingest_opts_t;

typedef struct rtt_ingest_result {
    uint64_t traces, events, other_events; /* traces: rows written */
    uint64_t discarded_events, lost_packets;
    uint64_t issues; /* ingest_issues rows written */
    int signal; /* on failure: SIGINT or SIGTERM if one stopped it, else 0 */
} rtt_ingest_result_t;

/* Ingest every trace under the inputs into db_path in one transaction.
 * Chunks of one rotated session (one trace UUID) are one trace. A stream
 * file with a damaged tail is read up to its last whole packet and the
 * damage stored in ingest_issues (decode/salvage.h) unless strict.
 * Returns 0, -2 with one line in err when db_path cannot be a database as
 * given (rtt_ingest_check_output's usage errors), or -1 with one line in
 * err (what and where); on error nothing is left behind (the transaction
 * is rolled back, a new database's temp file is deleted). A new database is built as .<name>.rtt-tmp-<pid> beside
 * db_path and renamed to it only when complete, never over a file that
 * appeared meanwhile; temp files of dead earlier runs are removed first.
 * The traces are read (and the rows written) in a child process
 * (isolate.h): an abort, a crash or a hang of babeltrace2 is an error like
 * any other ("babeltrace2 aborted while reading TRACE/STREAM").
 * SIGINT/SIGTERM stop it at any stage ("interrupted by SIGINT ...",
 * res->signal set). db_path is checked before anything is read
 * (rtt_ingest_check_output), and so is every trace's `metadata`: one that
 * is not a regular file (a FIFO) is an error ("not a regular file: PATH"),
 * or skipped with skip_unreadable. res may be NULL. */
int rtt_ingest_run(const rtt_ingest_opts_t *o, rtt_ingest_result_t *res, char *err,
                   size_t errlen);

/* Can db_path be the output of an ingest? Checked before anything is read
 * (rtt_ingest_run does it first; a caller may too, before work of its
 * own). It must be a regular file (an existing database, or an empty one
 * to replace), a symbolic link to one (followed), or a new name in an
 * existing directory. Returns 0; -2 with one line in err when db_path
 * cannot be a database as given (a usage error: "empty database path",
 * "is a directory: PATH", "not a regular file: PATH", "dangling symbolic
 * link (to TARGET): PATH", "no such directory: DIR (for PATH)", "not a
 * database file name (ends in '/'): PATH"); -1 with one line for another
 * failure (a permission, a read-only file system). O(1). */
int rtt_ingest_check_output(const char *db_path, char *err, size_t errlen);

/* The lowest and highest --decode-timeout (seconds): the decoding child
 * reports at least every 0.25 s while it makes progress, so a shorter
 * watchdog would call a healthy trace hung. */
#define RTT_INGEST_MIN_TIMEOUT 1.0
#define RTT_INGEST_MAX_TIMEOUT 1e6

#endif
