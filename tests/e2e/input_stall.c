/* input_stall.c - keys typed while the loop stalls, for the input-delay
 * end-to-end test (input_stall_test.sh).
 *
 *   input_stall reader|loop
 *
 * A typist thread writes one key into a pipe KEY_GAP_MS after the last one
 * (relative sleeps: a typist that was preempted does not catch up with a
 * burst), KEYS keys.
 * Before key STALL_AT it submits a task "stall" that spins STALL_MS on the
 * loop and waits until it has begun, so the next keys are typed during the
 * stall. Each key's handler requests a render (render() is a no-op, no
 * frame pacing).
 *
 *   reader  rtk_input_reader_start on the pipe: each read is stamped and
 *           marked on the reader thread, so a key typed during the stall
 *           starts its interaction when it was read, not after the stall.
 *   loop    the old way: the loop polls the pipe beside rtk's fd and, after
 *           each tick, reads what is there and sends one RTK_CMD_SCHEDULE_TASK
 *           command per byte. Keys typed during the stall are read after it.
 *
 * Ground truth on stdout (CLOCK_MONOTONIC ns):
 *   key I WRITE_NS HANDLED_NS INPUT STAMP_NS
 *       written by the typist, handled on the loop; INPUT: which interaction
 *       carries it, in time order (the reader's read index, or the key's own
 *       command in loop mode); STAMP_NS: the reader's stamp of its read (the
 *       read time in loop mode)
 *   stall BEGIN_NS END_NS
 *   reads N                     (reader mode: reads the reader made)
 */
#define _GNU_SOURCE
#include <rtk/rtk.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KEYS 30
#define KEY_GAP_MS 10
#define STALL_AT 10
#define STALL_MS 100

static rtk_runtime_t *rt;
static int pfd[2];
static uint64_t write_ns[KEYS], handled_ns[KEYS];
static int input_of[KEYS];
static uint64_t stamp_of[KEYS];
static int handled, inputs; /* loop thread */
static uint64_t stall_begin, stall_end;
static atomic_int stall_started;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int stall(void *arg)
{
    (void)arg;
    stall_begin = now_ns();
    atomic_store(&stall_started, 1);
    while (now_ns() - stall_begin < (uint64_t)STALL_MS * 1000000u)
        ;
    stall_end = now_ns();
    return 0;
}

static void handle_byte(int input, uint64_t stamp)
{
    if (handled < KEYS) {
        input_of[handled] = input;
        stamp_of[handled] = stamp;
        handled_ns[handled++] = now_ns();
    }
    rtk_render_request(rt);
}

/* loop mode: one task per byte; arg: the read time */
static int key_task(void *arg)
{
    handle_byte(inputs++, *(uint64_t *)arg);
    return 0;
}

/* reader mode: one callback per read */
static void on_input(rtk_runtime_t *r, const rtk_input_t *in, void *user)
{
    (void)r, (void)user;
    for (size_t i = 0; i < in->len; i++)
        handle_byte(inputs, in->input_ns);
    inputs++;
}

static void render(rtk_runtime_t *r, void *ud) { (void)r, (void)ud; }

static void *typist(void *arg)
{
    (void)arg;
    for (int i = 0; i < KEYS; i++) {
        if (i == STALL_AT) {
            rtk_task_desc_t d;
            rtk_task_desc_init(&d, stall, NULL);
            d.name = "stall";
            if (rtk_submit(rt, &d, NULL) != RTK_OK)
                abort();
            while (!atomic_load(&stall_started))
                sched_yield();
        }
        struct timespec gap = {0, KEY_GAP_MS * 1000000L};
        while (nanosleep(&gap, &gap) != 0 && errno == EINTR)
            ;
        char c = (char)('a' + i % 26);
        write_ns[i] = now_ns();
        if (write(pfd[1], &c, 1) != 1)
            abort();
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int reader_mode = argc > 1 && strcmp(argv[1], "reader") == 0;
    if (argc < 2 || (!reader_mode && strcmp(argv[1], "loop") != 0)) {
        fprintf(stderr, "usage: input_stall reader|loop\n");
        return 2;
    }
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.render = render;
    if (pipe(pfd) != 0 || rtk_runtime_create(&cfg, &rt) != RTK_OK ||
        rtk_boot(rt) != RTK_OK)
        return 1;
    rtk_input_reader_t *reader = NULL;
    if (reader_mode && rtk_input_reader_start(rt, pfd[0], on_input, NULL,
                                              &reader) != RTK_OK)
        return 1;
    pthread_t th;
    if (pthread_create(&th, NULL, typist, NULL) != 0)
        return 1;
    /* rtk embedded in the program's own poll loop (docs/runtime.md) */
    while (handled < KEYS) {
        int64_t t = rtk_prepare_wait(rt);
        struct pollfd p[2] = {{rtk_backend_fd(rt), POLLIN, 0},
                              {reader_mode ? -1 : pfd[0], POLLIN, 0}};
        poll(p, 2, t < 0 ? -1 : (int)((t + 999999) / 1000000));
        if (!reader_mode && (p[1].revents & POLLIN)) {
            char buf[64];
            static uint64_t read_at[KEYS];
            static int nread;
            ssize_t n = read(pfd[0], buf, sizeof buf);
            uint64_t t = now_ns();
            for (ssize_t i = 0; i < n && nread < KEYS; i++) {
                read_at[nread] = t;
                rtk_task_desc_t d;
                rtk_task_desc_init(&d, key_task, &read_at[nread++]);
                d.name = "key";
                d.priority = RTK_PRIORITY_HIGH;
                if (rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, NULL) !=
                    RTK_OK)
                    return 1;
            }
        }
        rtk_tick(rt);
    }
    pthread_join(th, NULL);
    rtk_input_reader_stats_t st = {0};
    rtk_input_reader_stop(reader, &st);
    rtk_shutdown(rt);
    while (rtk_tick(rt))
        ;
    for (int i = 0; i < KEYS; i++)
        printf("key %d %llu %llu %d %llu\n", i, (unsigned long long)write_ns[i],
               (unsigned long long)handled_ns[i], input_of[i],
               (unsigned long long)stamp_of[i]);
    printf("stall %llu %llu\n", (unsigned long long)stall_begin,
           (unsigned long long)stall_end);
    printf("reads %llu\n", (unsigned long long)st.reads);
    printf("dropped %llu\n", (unsigned long long)st.dropped);
    rtk_runtime_destroy(rt);
    close(pfd[0]);
    close(pfd[1]);
    return 0;
}
