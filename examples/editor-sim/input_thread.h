/* input_thread.h - the typist (input_thread.c): a thread that sends
 * keystrokes as RTK_CMD_SCHEDULE_TASK commands on a schedule drawn from the
 * seed, paced in real time, then RTK_CMD_SHUTDOWN when the duration ends. */
#ifndef EDSIM_INPUT_THREAD_H
#define EDSIM_INPUT_THREAD_H

#include <pthread.h>
#include <rtk/rtk.h>
#include <stdint.h>

typedef struct input {
    /* set before input_start */
    rtk_runtime_t *rt;
    uint64_t seed;
    double duration_s;
    double key_rate;        /* mean keys/s while typing */
    /* counters: written by the input thread, read after input_join */
    uint64_t sent[3];       /* per key_kind_t */
    uint64_t refused;       /* command queue full */
    uint64_t bursts;        /* key-repeat bursts (30 Hz) */
    uint64_t pauses;        /* thinking pauses (>= 300 ms) */
    uint64_t reflows;       /* keys carrying the 30 ms reflow */
    uint64_t late;          /* deadlines already past when reached */
    int shutdown_sent;
    pthread_t thread;
} input_t;

/* Start the thread. 0 or an errno value. */
int input_start(input_t *in);
void input_join(input_t *in);

#endif
