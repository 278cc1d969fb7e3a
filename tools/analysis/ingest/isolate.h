/* isolate.h - runs the part of an ingest that reads traces through
 * babeltrace2 (and writes the database) in a child process, so that an
 * abort, a crash or a hang inside libbabeltrace2 becomes one error line
 * instead of taking the caller down (isolate.c). Prints nothing.
 *
 * The child tells the parent through a pipe what it is reading ("where":
 * TRACE/metadata, TRACE/STREAM) and how far it got (progress records); the
 * parent forwards progress to the caller's callback, runs a watchdog on
 * progress while the child decodes, and kills the child when the caller's
 * SIGINT/SIGTERM handler sets its flag. */
#ifndef RTT_INGEST_ISOLATE_H
#define RTT_INGEST_ISOLATE_H

#include "ingest.h"

#include <signal.h>
#include <stddef.h>

#define RTT_ISO_DEFAULT_TIMEOUT 30.0 /* seconds */
#define RTT_ISO_RESULT_MAX 64        /* bytes of result a child hands back */

/* The stages of the child; the watchdog runs during DECODING and READING. */
enum rtt_iso_stage {
    RTT_ISO_PREPARING, /* opening the database */
    RTT_ISO_DECODING,  /* babeltrace2 reads the traces */
    RTT_ISO_WRITING,   /* last rows, commit, sync */
    RTT_ISO_READING    /* the rtk CTF reader (ctf/read.h) reads them: as
                          DECODING, named so in the messages */
};

/* Runs in the child. Returns 0 with result filled (result_size bytes of
 * rtt_iso_run), or -1 with one line in err. */
typedef int (*rtt_iso_body_fn)(void *ctx, void *result, char *err,
                               size_t errlen);

typedef struct rtt_iso_opts {
    double timeout_s; /* no progress for this long while decoding: hung;
                         <= 0: RTT_ISO_DEFAULT_TIMEOUT */
    /* Set (to the signal number) by the caller's SIGINT/SIGTERM handler,
     * which must be installed: the child is killed when it becomes
     * non-zero. */
    volatile sig_atomic_t *interrupted;
    rtt_ingest_progress_fn progress; /* NULL: no reports */
    void *progress_ctx;
} rtt_iso_opts_t;

/* Fork, run body(ctx, ...) in the child, wait for it while forwarding its
 * progress. Returns 0 with result filled from the child, or -1 with err
 * holding one line: the body's own error, or
 *   "babeltrace2 aborted while reading TRACE/STREAM"
 *   "babeltrace2 crashed (SIGSEGV) while reading TRACE/STREAM"
 *   "babeltrace2 hung (no progress for 30 s) while reading TRACE/STREAM"
 *   "interrupted by SIGINT while reading TRACE/STREAM" (*o->interrupted set)
 *   "the ingest process was killed by SIGKILL while writing the database"
 * A child that had sent its result when the flag made the parent kill it
 * counts as done (0). When it returns the child is gone (waited for).
 * result_size <=
 * RTT_ISO_RESULT_MAX. */
int rtt_iso_run(const rtt_iso_opts_t *o, rtt_iso_body_fn body, void *ctx,
                void *result, size_t result_size, char *err, size_t errlen);

/* --- called in the child, by the body ----------------------------------- */

/* An rtt_watch_fn (decode/watch.h): what babeltrace2 reads now. where
 * must stay valid until the next call or rtt_iso_stage(); opening: tell
 * the parent at once (else at most about 4 times a second). */
void rtt_iso_where(void *ctx, const char *where, int opening);

/* An rtt_ingest_progress_fn: forwards the report to the parent. */
void rtt_iso_progress(void *ctx, const rtt_ingest_progress_t *p);

/* The child enters stage s (forgets the where of the last stage). */
void rtt_iso_stage(enum rtt_iso_stage s);

#endif
