/* live.h - the live view's engine (live.c): the live session (session.h)
 * on a loopback relay daemon (relayd.h), its stream decoded by ingest's
 * sink and paired by ingest's row pairing (stream.h), optionally written
 * to a database committed every interval (--record), and one snapshot
 * (snapshot.h) per interval. Prints nothing; every failure is one line.
 *
 * Lifecycle (tools/rt-trace/cmd_live.c drives it):
 *   rtt_live_create   relay daemon, session (made, or attached to), db
 *   rtt_live_track    (made session) trace only this pid
 *   rtt_live_start    start tracing; the viewer connects and attaches
 *   rtt_live_step     read the stream for a while (call in a loop)
 *   rtt_live_snapshot the interval's figures; commits the database
 *   rtt_live_finish   stop the session, read what is left, destroy it,
 *                     finish the database
 *   rtt_live_destroy  destroy what is still made, stop a relay daemon we
 *                     started, close the database
 * Cost: O(1) per event on top of ingest's decoding and pairing; memory
 * fixed (about 4 MiB of histograms) plus the pairing's open items.
 */
#ifndef RTT_LIVE_H
#define RTT_LIVE_H

#include "snapshot.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct rtt_live_opts {
    const char *attach;       /* an existing live session's name, or NULL */
    const char *name;         /* the session to create (attach == NULL) */
    int control_port, data_port, live_port; /* 0: 5342, 5343, 5344 */
    uint64_t live_timer_us;   /* 0: 100000 */
    uint64_t subbuf_size, num_subbuf; /* the rtk channel's; 0: LTTng's */
    double interval_s;        /* the snapshot interval (for the windows) */
    const char *record_path;  /* NULL: no database (no interactions, lints);
                                 may be an empty file (a temp one) */
    const char *relayd_output;/* output dir of a relay daemon we start */
} rtt_live_opts_t;

typedef struct rtt_live rtt_live_t;

rtt_live_t *rtt_live_create(const rtt_live_opts_t *o, char *err, size_t errlen);
int rtt_live_track(rtt_live_t *l, pid_t pid, char *err, size_t errlen);
int rtt_live_start(rtt_live_t *l, char *err, size_t errlen);
/* 0 still running, 1 the stream ended, -1 failed (err). */
int rtt_live_step(rtt_live_t *l, double seconds, char *err, size_t errlen);
/* Fill s with the interval just ended and start the next one; the
 * database (if any) is committed first. 0 or -1. */
int rtt_live_snapshot(rtt_live_t *l, rtt_live_snapshot_t *s, char *err, size_t errlen);
/* Stop the session we made, let the viewer meet any stream it has not
 * seen yet, destroy the session, read the stream to its end (a backlog
 * included; timeout_s bounds each wait with no data), flush the pairing,
 * commit the database and put it back in the rollback journal mode (see
 * rtt_live_db_note). 0 or -1. */
int rtt_live_finish(rtt_live_t *l, double timeout_s, char *err, size_t errlen);
void rtt_live_destroy(rtt_live_t *l);

const char *rtt_live_session_name(const rtt_live_t *l);
int rtt_live_relayd_started(const rtt_live_t *l); /* 1: ours */
pid_t rtt_live_relayd_pid(const rtt_live_t *l);
const char *rtt_live_relayd_output(const rtt_live_t *l);
/* 1 if the session still exists in the session daemon. */
int rtt_live_session_alive(const rtt_live_t *l);
/* How many traces the stream has shown (one per user and ABI with
 * tracepoints registered): 0 after a run means no program registered. */
int rtt_live_traces_seen(const rtt_live_t *l);
/* After rtt_live_finish: NULL when the database is complete and back in
 * the rollback journal mode (one file, readable read-only); else why it
 * is still in WAL mode (complete all the same: another process has it
 * open). */
const char *rtt_live_db_note(const rtt_live_t *l);

#endif
