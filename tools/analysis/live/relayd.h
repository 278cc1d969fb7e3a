/* relayd.h - the LTTng relay daemon the live view reads through
 * (relayd.c): use one that listens on loopback, else start our own
 * (`lttng-relayd` on 127.0.0.1 with its own output directory), and stop
 * only the one we started. Cost: one TCP connect to find out; starting
 * one waits until its live port accepts connections (bounded, 10 s).
 */
#ifndef RTT_LIVE_RELAYD_H
#define RTT_LIVE_RELAYD_H

#include <stddef.h>
#include <sys/types.h>

typedef struct rtt_relayd {
    int control_port, data_port, live_port; /* default 5342, 5343, 5344 */
    pid_t pid;           /* > 0: we started it (our child) */
    char output[4096];   /* the output directory of the one we started */
} rtt_relayd_t;

/* 1 if something accepts TCP connections on 127.0.0.1:port, else 0. */
int rtt_relayd_reachable(int port);

/* Make sure a relay daemon listens on r's loopback ports. When none does,
 * start one writing under output_dir (created if missing; the caller has
 * checked that it is, or can be made, a directory we write in: one that
 * is not makes the relay daemon exit, reported as such). 0, or -1 with
 * one line in err. */
int rtt_relayd_ensure(rtt_relayd_t *r, const char *output_dir, char *err,
                      size_t errlen);

/* Stop the relay daemon we started (SIGTERM, then SIGKILL after 5 s) and
 * reap it; no-op when we did not start one. */
void rtt_relayd_stop(rtt_relayd_t *r);

#endif
