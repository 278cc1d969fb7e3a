/* tpgen.c - emits rtk tracepoints straight through the provider, with no
 * runtime, so ingest can be tested against exactly known counts.
 *
 *   rtt_tpgen script [--loop N] [--exit N] [--signal SIG] [--segv]
 *                    [--wait FIFO [--catch]]
 *       one scripted run; tests/ingest/ingest_tests.sh
 *       (check_script_rows) lists the rows it must give: keep in sync.
 *       Then, in the order given: --loop N does what `loop N` does;
 *       --exit N exits N; --signal SIG raises SIG; --segv writes to a
 *       page mapped with no access (a real SIGSEGV); --wait FIFO writes "ready PID\n" to
 *       FIFO and waits for SIGINT, SIGTERM or SIGHUP, which end it as
 *       their default action does or, with --catch, are caught: the
 *       script runs once more and it exits 0 (tests/record/fault_tests.sh).
 *   rtt_tpgen loop ITERATIONS
 *       ITERATIONS x 7 events in a tight loop (tick_begin, task_queued,
 *       task_started, task_finished, event_queued, event_dispatched,
 *       tick_end); for the benchmark and the tiny-buffer (discard) test
 *   rtt_tpgen paced SECONDS EVENTS_PER_S
 *       `loop`'s 7 events per iteration at a steady rate for SECONDS: the
 *       iterations due by the clock every millisecond (bench/live_bench.sh)
 *   rtt_tpgen procs N
 *       runs N child processes (exec of itself) that each do `script`
 *   rtt_tpgen names N
 *       a chain of tasks, each queueing an unnamed one ("", the next in
 *       the chain) and a "named" one as it runs: N/2 unnamed, N/2 + 1
 *       named. The babeltrace2 CLI (2.0.4) prints all but the first few
 *       empty names as "named" (decoder_tests.sh, empty_names)
 *
 * Cost: O(events); no allocation per event.
 */
#define _GNU_SOURCE
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "rtk_tp.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t next_id = 1;
static uint64_t nid(void) { return __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED); }

#define TP lttng_ust_tracepoint

/* Commands: sent from another thread, handled on the main thread. */
#define NCMD_HANDLED 8
#define NCMD_OPEN 1
static uint64_t cmd_ids[NCMD_HANDLED + NCMD_OPEN];

static void *sender(void *arg)
{
    (void)arg;
    for (int i = 0; i < NCMD_HANDLED + NCMD_OPEN; i++) {
        cmd_ids[i] = nid();
        TP(rtk, command_sent, cmd_ids[i], 0, 2, 0, 100);
    }
    return NULL;
}

static void full_task(uint64_t cause, uint32_t prio, const char *name,
                      uint8_t outcome, int32_t status)
{
    uint64_t id = nid();
    TP(rtk, task_queued, id, cause, prio, 0, 0, name);
    TP(rtk, task_started, id, cause, prio);
    TP(rtk, task_finished, id, outcome, status, 0);
}

static void script(void)
{
    uint64_t s[25] = {0};
    TP(rtk, state_change, 0, 0, 1);

    /* 8 handled + 1 open command (flags 4). */
    pthread_t th;
    pthread_create(&th, NULL, sender, NULL);
    pthread_join(th, NULL);
    for (int i = 0; i < NCMD_HANDLED; i++)
        TP(rtk, command_handled, cmd_ids[i], 0, 2, 0, 0);

    /* 50 ticks, every 5th renders (10 rendered ticks). */
    for (uint64_t t = 0; t < 50; t++) {
        TP(rtk, tick_begin, t, 1000 + t);
        TP(rtk, tick_end, t, 0, 0, 0, 1, 0, (uint8_t)(t % 5 == 0));
    }

    /* Tasks: 100 ok, 7 failed, 3 voided, 4 open, 2 without queued,
     * 1 finished only, 5 queued then dropped at shutdown. */
    for (int i = 0; i < 100; i++)
        full_task(0, 100, "ok_task", 0, 0);
    for (int i = 0; i < 7; i++)
        full_task(0, 50, "failing_task", 1, -1);
    for (int i = 0; i < 3; i++) {
        uint64_t id = nid();
        TP(rtk, task_queued, id, 0, 100, 1, 777, "timer:voided");
        TP(rtk, task_finished, id, 3, 0, 0);
    }
    for (int i = 0; i < 4; i++)
        TP(rtk, task_queued, nid(), 0, 200, 0, 0, "never_finishes");
    for (int i = 0; i < 2; i++) {
        uint64_t id = nid();
        TP(rtk, task_started, id, 0, 100);
        TP(rtk, task_finished, id, 0, 0, 0);
    }
    TP(rtk, task_finished, nid(), 0, 0, 0);
    uint64_t dropped[5];
    for (int i = 0; i < 5; i++) {
        dropped[i] = nid();
        TP(rtk, task_queued, dropped[i], 0, 1000, 0, 0, "dropped_task");
    }

    /* Dispatches: 40 queued, 3 async, 10 direct, 2 never dispatched. */
    for (int i = 0; i < 40; i++) {
        uint64_t id = nid();
        TP(rtk, event_queued, id, 0, 100, 7, 0);
        TP(rtk, event_dispatched, id, 0, 100, 7, 0, 1, 2, 1000);
    }
    for (int i = 0; i < 3; i++) {
        uint64_t id = nid();
        TP(rtk, event_queued, id, 0, 100, 8, 1);
        TP(rtk, event_dispatched, id, 0, 100, 8, 1, 1, 1, 500);
    }
    for (int i = 0; i < 10; i++) {
        uint64_t id = nid();
        TP(rtk, event_queued, id, 0, 100, 9, 2);
        TP(rtk, event_dispatched, id, 0, 100, 9, 2, 2, 1, 250);
    }
    /* 1 dispatched whose event_queued was lost (flags 1). */
    TP(rtk, event_dispatched, nid(), 0, 100, 7, 0, 1, 1, 100);
    for (int i = 0; i < 2; i++)
        TP(rtk, event_queued, nid(), 0, 100, 7, 0);

    /* Timers: 4 periodic x 5 fires, 2 one-shot x 1 fire, 3 cancelled. */
    uint64_t tid[6];
    for (int i = 0; i < 6; i++) {
        tid[i] = nid();
        TP(rtk, timer_armed, tid[i], 0, 100, 5000000, i < 4 ? 1000000 : 0,
           i < 4 ? "periodic" : "oneshot");
    }
    for (int i = 0; i < 6; i++) {
        int fires = i < 4 ? 5 : 1;
        for (int k = 0; k < fires; k++)
            TP(rtk, timer_fired, tid[i], 0, 100, 5000000 + k, 5000100 + k,
               100, 0, nid());
    }
    for (int i = 0; i < 3; i++)
        TP(rtk, timer_cancelled, tid[i], 0, 100, 0);

    /* Renders: 30 requests (10 coalesced), 10 begin+end, 2 begin only. */
    for (int i = 0; i < 30; i++)
        TP(rtk, render_request, nid(), 0, (uint8_t)(i % 3 == 0));
    for (int i = 0; i < 10; i++) {
        uint64_t id = nid();
        TP(rtk, render_begin, id, (uint64_t)i, 3);
        TP(rtk, render_end, id, (uint64_t)i);
    }
    for (int i = 0; i < 2; i++)
        TP(rtk, render_begin, nid(), (uint64_t)(10 + i), 1);

    /* Drops: 6 work_queue_full (never queued), 2 timer_limit, and the 5
     * queued tasks at shutdown. */
    for (int i = 0; i < 6; i++)
        TP(rtk, drop, nid(), 0, 100, 0, 0);
    for (int i = 0; i < 2; i++)
        TP(rtk, drop, nid(), 0, 100, 3, 3);
    TP(rtk, state_change, 0, 1, 2);
    for (int i = 0; i < 5; i++)
        TP(rtk, drop, dropped[i], 0, 1000, 0, 8);

    /* 4 input marks, aged 0, 1500 and 40000 ns at their mark, and one
     * whose input time is after its mark (stored as aged 0). Named: an
     * empty string field read back as the previous event's string in the
     * per-UID traces of exec'd children (babeltrace2 shows it too: a
     * tracer quirk; the runtime never emits an empty name). */
    static const uint64_t age[4] = {0, 1500, 40000, 0};
    for (int i = 0; i < 4; i++) {
        uint64_t now = 1000000 + (uint64_t)i;
        TP(rtk, input, nid(), 0, i == 3 ? now + 7 : now - age[i], now,
           i == 3 ? "click" : "key");
    }

    /* 3 stats snapshots. */
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 25; k++)
            s[k] = (uint64_t)(k * 10 + i);
        TP(rtk, stats, s);
    }
}

static void loop_from(unsigned long first, unsigned long n)
{
    for (unsigned long i = first; i < first + n; i++) {
        uint64_t id = nid(), ev = nid();
        TP(rtk, tick_begin, i, i);
        TP(rtk, task_queued, id, 0, 100, 0, 0, "bench_task");
        TP(rtk, task_started, id, 0, 100);
        TP(rtk, task_finished, id, 0, 0, 0);
        TP(rtk, event_queued, ev, id, 100, 1, 0);
        TP(rtk, event_dispatched, ev, id, 100, 1, 0, 1, 1, 100);
        TP(rtk, tick_end, i, 0, 0, 1, 1, 0, 0);
    }
}

static void loop(unsigned long n) { loop_from(0, n); }

static void names(unsigned long n)
{
    uint64_t id = nid();
    TP(rtk, task_queued, id, 0, 100, 0, 0, "named");
    for (unsigned long i = 0; i < n; i += 2) {
        uint64_t a = nid(), b = nid();
        TP(rtk, task_started, id, 0, 100);
        TP(rtk, task_queued, a, id, 100, 0, 0, "");
        TP(rtk, task_queued, b, id, 200, 0, 0, "named");
        TP(rtk, task_finished, id, 0, 0, 0);
        id = a;
    }
}

static void paced(double seconds, double rate)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned long done = 0; /* iterations emitted */
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        double el = (double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) * 1e-9;
        if (el >= seconds)
            break;
        unsigned long due = (unsigned long)(el * rate / 7.0);
        if (due > done) {
            loop_from(done, due - done);
            done = due;
        }
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL); /* pacing: the next millisecond's share */
    }
}

static int procs(int n)
{
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0)
            return 1;
        if (p == 0) {
            execl("/proc/self/exe", "rtt_tpgen", "script", (char *)NULL);
            _exit(127);
        }
    }
    int rc = 0, st;
    while (wait(&st) > 0)
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            rc = 1;
    return rc;
}

/* A real SIGSEGV: a write to a page mapped with no access (not a NULL
 * store, which the compiler may turn into a trap and UBSan reports). */
static void segv(void)
{
    signal(SIGSEGV, SIG_DFL);
    volatile int *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
    if (p != MAP_FAILED)
        *p = 1;
    raise(SIGSEGV); /* not reached */
}
static volatile sig_atomic_t caught;
static void on_stop(int sig) { caught = sig; }

/* Say "ready PID" on the FIFO, then wait for SIGINT, SIGTERM or SIGHUP:
 * killed by it, or (catch) script once more and 0. */
static int wait_for_signal(const char *fifo, int catch)
{
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop, &old);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = catch ? on_stop : SIG_DFL;
    for (int s = 0; s < 3; s++)
        sigaction(s == 0 ? SIGINT : s == 1 ? SIGTERM : SIGHUP, &sa, NULL);
    FILE *f = fopen(fifo, "w");
    if (!f || fprintf(f, "ready %ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
        perror(fifo);
        return 2;
    }
    sigset_t none;
    sigemptyset(&none);
    while (!caught)
        sigsuspend(&none); /* a default action ends the process here */
    script();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "script") == 0) {
        script();
        const char *fifo = NULL;
        int catch = 0;
        for (int i = 2; i < argc; i++) {
            const char *val = i + 1 < argc ? argv[i + 1] : "0";
            if (strcmp(argv[i], "--exit") == 0)
                return atoi(val);
            if (strcmp(argv[i], "--signal") == 0) {
                signal(atoi(val), SIG_DFL);
                raise(atoi(val));
            }
            if (strcmp(argv[i], "--segv") == 0)
                segv();
            if (strcmp(argv[i], "--loop") == 0)
                loop(strtoul(val, NULL, 10));
            if (strcmp(argv[i], "--wait") == 0)
                fifo = val;
            if (strcmp(argv[i], "--catch") == 0)
                catch = 1;
        }
        return fifo ? wait_for_signal(fifo, catch) : 0;
    }
    if (argc == 3 && strcmp(argv[1], "loop") == 0) {
        loop(strtoul(argv[2], NULL, 10));
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "paced") == 0) {
        paced(strtod(argv[2], NULL), strtod(argv[3], NULL));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "procs") == 0)
        return procs(atoi(argv[2]));
    if (argc == 3 && strcmp(argv[1], "names") == 0) {
        names(strtoul(argv[2], NULL, 10));
        return 0;
    }
    fprintf(stderr, "usage: rtt_tpgen script [--loop N] [--exit N] [--signal "
                    "SIG] [--segv] [--wait FIFO [--catch]] | loop N | paced S RATE | procs N | "
                    "names N\n");
    return 2;
}
