/* session.h - the LTTng live session the live view reads (session.c),
 * through liblttng-ctl: a userspace session streaming to the loopback
 * relay daemon with a live timer; channel `rtk` (discard mode), events
 * rtk:*, contexts vpid, vtid, procname (as `rt-trace record` sets up);
 * tracking only the traced program's pid. Or an existing live session,
 * attached to and left as it is. Cost: a handful of session daemon
 * round trips. */
#ifndef RTT_LIVE_SESSION_H
#define RTT_LIVE_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct rtt_live_session {
    char name[256];
    char hostname[256];  /* the target host in the viewer URL */
    int made;            /* 1: we created it (we stop and destroy it) */
    int started;
} rtt_live_session_t;

/* On session `name` (made, not started): channel `rtk` in discard mode
 * (per-pid or per-uid buffers; subbuf_size/num_subbuf 0: LTTng's
 * defaults), events rtk:*, contexts vpid, vtid, procname: what `rt-trace
 * record` and `rt-trace live` trace. 0, or -1 with one line in err. */
int rtt_lttng_rtk_channel(const char *name, int per_pid, uint64_t subbuf_size,
                          uint64_t num_subbuf, char *err, size_t errlen);

/* The tracer's own loss counters summed over the channels of handle h's
 * session: events discarded (a full sub-buffer in discard mode) and
 * packets lost. Both 0 when the channels cannot be listed. Cost: one
 * session daemon round trip. */
struct lttng_handle;
void rtt_lttng_channel_loss(struct lttng_handle *h, uint64_t *discarded,
                            uint64_t *lost);

/* Create session `name` streaming to 127.0.0.1:control_port/data_port,
 * live timer live_timer_us, with the rtk channel (sub-buffers: 0 =
 * LTTng's defaults), events and contexts.
 * 0, or -1 with one line in err (nothing left behind). */
int rtt_live_session_create(rtt_live_session_t *s, const char *name,
                            int control_port, int data_port,
                            uint64_t live_timer_us, uint64_t subbuf_size,
                            uint64_t num_subbuf, char *err, size_t errlen);

/* An existing session: it must exist and be a live one. 0 or -1. */
int rtt_live_session_attach(rtt_live_session_t *s, const char *name, char *err,
                            size_t errlen);

/* Trace only process pid. 0 or -1. */
int rtt_live_session_track(rtt_live_session_t *s, pid_t pid, char *err, size_t errlen);
int rtt_live_session_start(rtt_live_session_t *s, char *err, size_t errlen);

/* 1 if the session still exists in the session daemon, else 0. */
int rtt_live_session_exists(const rtt_live_session_t *s);

/* The tracer's discarded-events and lost-packets counts so far. */
void rtt_live_session_loss(const rtt_live_session_t *s, uint64_t *discarded,
                           uint64_t *lost);

/* Stop tracing (the last data is flushed to the relay daemon), for a
 * session we made. 0 or -1. */
int rtt_live_session_stop(rtt_live_session_t *s, char *err, size_t errlen);
/* Destroy a session we made (no-op otherwise, or when already gone). */
void rtt_live_session_destroy(rtt_live_session_t *s);

#endif
