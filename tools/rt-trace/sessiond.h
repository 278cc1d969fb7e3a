/* sessiond.h - the LTTng session daemon `record` and `live` talk to
 * (sessiond.c). */
#ifndef RTT_SESSIOND_H
#define RTT_SESSIOND_H

/* A session daemon answers, starting `lttng-sessiond --daemonize` if none
 * does (bounded: 10 s). 0, or -1 if none could be started. Also quiets
 * liblttng-ctl's own error lines, so each failure is reported once. */
int rtt_ensure_sessiond(void);

#endif
