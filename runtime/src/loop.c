/* loop.c - the tick, the blocking run, and wake-ups.
 *
 * Wake-up protocol (no lost wake-ups, no syscall per submit): before the
 * loop blocks it sets `sleeping` and then re-checks every queue
 * (rtk_prepare_wait); a producer publishes its item and then reads
 * `sleeping`. Each side orders its store before its load, so at least one
 * sees the other: either the loop sees the item and does not block, or the
 * producer sees `sleeping` and wakes the loop. A thread without a ring of
 * its own (the shared ring, commands, events) uses a seq_cst fence, as the
 * loop does; a thread with its own ring (wq_producers.c) only a compiler
 * barrier, which the loop pairs with membarrier(PRIVATE_EXPEDITED) before
 * it blocks (rtk__prod_barrier). `wake_pending` makes that
 * wake happen once per sleep however many producers race, more only while
 * a wake is in flight (see rtk__wake_write).
 *
 * Two ways to block. rtk_run waits on a futex, the `wake_pending` word
 * itself: FUTEX_WAIT(wake_pending == 0) with a nanosecond timeout to the
 * next timer deadline or frame, and the producer that raises wake_pending
 * makes one FUTEX_WAKE. Two syscalls per wake-up (wake, wait), none to
 * clear it. A program that waits in its own loop takes rtk_backend_fd, an
 * eventfd; from then on (sticky: `wake_fd_used`) producers write the
 * eventfd instead and the loop reads it after each wait (three syscalls:
 * write, the program's poll, read). Idle: no CPU either way. */
#include "internal.h"
#include "trace.h"

#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex_op(_Atomic int *word, int op, int val,
                     const struct timespec *timeout)
{
    return syscall(SYS_futex, (int *)word, op | FUTEX_PRIVATE_FLAG, val,
                   timeout, NULL, 0);
}

/* wake_pending: 0 no wake since the loop last cleared it, 1 raised (the
 * first producer of this sleep is waking the loop), 2 woken. A producer
 * that finds 1 wakes the loop too rather than trusting the raiser: the
 * raiser may be preempted before its syscall, and every item behind it
 * would wait for it to run again (a wake-up's p99 on a loaded machine).
 * So the extra syscall happens only while a wake is in flight, and after
 * it (2) producers skip as before. 1 -> 2 by CAS: if the loop cleared the
 * word meanwhile it stays 0 (a stale 2 would make the next sleep's
 * producers skip their wake), and a 1 raised for a later sleep that the
 * CAS turns into 2 only stops helpers, its raiser still wakes.
 *
 * The mode is read after the caller's seq_cst fence or load: a loop that
 * took rtk_backend_fd before the prepare_wait this producer must wake
 * stored wake_fd_used (seq_cst) before that wait's fence, so the load sees
 * it (if the fence came after ours, the loop sees the item instead). */
void rtk__wake_write(rtk_runtime_t *rt)
{
    int w = atomic_load_explicit(&rt->wake_pending, memory_order_seq_cst);
    if (w == 2 ||
        (w == 0 && !atomic_compare_exchange_strong_explicit(
                       &rt->wake_pending, &w, 1, memory_order_seq_cst,
                       memory_order_seq_cst) &&
         w == 2))
        return;
    if (atomic_load_explicit(&rt->wake_fd_used, memory_order_seq_cst)) {
        uint64_t one = 1;
        ssize_t n = write(rt->efd, &one, sizeof one);
        (void)n; /* EAGAIN: the counter is already non-zero, still readable */
    } else {
        futex_op(&rt->wake_pending, FUTEX_WAKE, 1, NULL);
    }
    int one = 1;
    atomic_compare_exchange_strong_explicit(&rt->wake_pending, &one, 2,
                                            memory_order_seq_cst,
                                            memory_order_relaxed);
}

void rtk__wake(rtk_runtime_t *rt)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&rt->sleeping, memory_order_relaxed))
        rtk__wake_write(rt);
}

/* The work queue's producers pair their seq_cst fetch-add on wq_count with
 * the loop's fence-then-read of wq_count (work_ready): if the loop's read
 * missed the reservation, the fence precedes the RMW in the single order of
 * seq_cst operations, so this seq_cst load sees `sleeping`. The loop that
 * sees a reservation whose item is not published yet does not block; it
 * ticks again until the item lands. One full barrier per submit, not two.
 * That load is rtk__wake_reserved, inline in internal.h. */

/* After a wait, always drain the eventfd (fd mode): a producer may have
 * raised wake_pending and been preempted before its write(), so the write
 * can land after an earlier drain cleared wake_pending. Draining whenever
 * the loop slept means such a late write costs one spurious wake-up, never
 * a spin. The futex needs no drain: it holds no count, and a late
 * FUTEX_WAKE wakes the next wait once (tests/regress/wake_race.c holds
 * both windows open). A busy loop (not sleeping, nothing pending) makes no
 * syscall. */
static void clear_wake(rtk_runtime_t *rt)
{
    bool slept = atomic_load_explicit(&rt->sleeping, memory_order_relaxed);
    if (slept)
        atomic_store_explicit(&rt->sleeping, 0, memory_order_relaxed);
    if (slept || atomic_load_explicit(&rt->wake_pending, memory_order_acquire)) {
        if (atomic_load_explicit(&rt->wake_fd_used, memory_order_relaxed)) {
            uint64_t v;
            ssize_t r = read(rt->efd, &v, sizeof v);
            (void)r;
        }
        /* seq_cst: a producer that read 2 (skipped its wake) before this
         * store precedes it in the seq_cst order, and so precedes the
         * fence of the next rtk_prepare_wait, which then sees its item */
        atomic_store_explicit(&rt->wake_pending, 0, memory_order_seq_cst);
    }
}

/* Events queued, async events or commands sent: what a tick would find
 * besides tasks. */
static bool events_ready(const rtk_runtime_t *rt)
{
    return rt->evq.len || rtk__ring_maybe_nonempty(&rt->async_ring) ||
           rtk__ring_maybe_nonempty(&rt->cmd_ring);
}

/* A producer with a ring of its own (wq_producers.c) is read busy first:
 * if it is not, its item and its credit are visible to the reads after. */
static bool work_ready(const rtk_runtime_t *rt)
{
    return rtk__prod_busy((rtk_runtime_t *)rt) || rtk__wq_len(rt) ||
           events_ready(rt);
}

int rtk_is_idle(const rtk_runtime_t *rt)
{
    return !work_ready(rt) && rtk__timers_live(rt) == 0;
}

/* Switches producers to the eventfd for good (see rtk__wake_write). The fields
 * are atomic in a heap object, so writing them through the const pointer
 * is defined; the const keeps the public signature. Two races with the
 * switch, each closed by a store-then-load on both sides (seq_cst):
 *  - a producer raised wake_pending and read the old mode, so it wakes the
 *    futex, not the eventfd: this reads wake_pending after storing the
 *    mode (the producer reads the mode after its raise), so one of the two
 *    writes the eventfd (an embedding loop's first rtk_prepare_wait may
 *    come before its first rtk_backend_fd);
 *  - rtk_run waits (or is about to wait) on the futex, called from another
 *    thread: against `in_run`, this raises the futex word and wakes it, so
 *    that wait returns and the next one is on the eventfd.
 * Outside those, nothing is written: the eventfd stays quiet until work. */
int rtk_backend_fd(const rtk_runtime_t *rt)
{
    rtk_runtime_t *w = (rtk_runtime_t *)rt;
    if (!atomic_load_explicit(&w->wake_fd_used, memory_order_relaxed)) {
        atomic_store_explicit(&w->wake_fd_used, 1, memory_order_seq_cst);
        if (atomic_load_explicit(&w->wake_pending, memory_order_seq_cst)) {
            uint64_t one = 1;
            ssize_t r = write(w->efd, &one, sizeof one);
            (void)r;
        }
        if (atomic_load_explicit(&w->in_run, memory_order_seq_cst)) {
            atomic_store_explicit(&w->wake_pending, 1, memory_order_seq_cst);
            futex_op(&w->wake_pending, FUTEX_WAKE, 1, NULL);
        }
    }
    return rt->efd;
}

int64_t rtk_prepare_wait(rtk_runtime_t *rt)
{
    atomic_store_explicit(&rt->sleeping, 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst);
    rtk__prod_sleep_barrier(rt); /* producers with rings of their own */
    int64_t wait = -1;
    rtk_state_t st = rtk_state(rt);
    if (work_ready(rt) || st == RTK_STATE_STOPPING ||
        st == RTK_STATE_EMERGENCY) {
        wait = 0;
    } else if (st == RTK_STATE_RUNNING) {
        uint64_t now = rtk__now(rt), nd = rtk_next_deadline(rt);
        if (nd != UINT64_MAX)
            wait = nd <= now ? 0 : nd - now > INT64_MAX ? INT64_MAX : (int64_t)(nd - now);
        int64_t rw;
        if (rtk__render_due(rt, now, &rw))
            wait = 0;
        else if (rw >= 0 && (wait < 0 || rw < wait))
            wait = rw;
    }
    if (wait == 0)
        atomic_store_explicit(&rt->sleeping, 0, memory_order_relaxed);
    else if (rt->wait_began == 0)
        rt->wait_began = rtk__monotonic_ns(); /* idle until the next tick */
    return wait;
}

static void drain(rtk_runtime_t *rt, uint32_t *tasks, uint32_t *events)
{
    /* Scheduling is refused outside RUNNING, so work cannot re-queue
     * itself. A producer that reserved a place before the stop is about to
     * publish (or to back out, if it saw the stop): wait for it, yielding,
     * so that every RTK_OK submit runs. drain_limit bounds the tasks run. */
    size_t ran = 0, limit = rt->cfg.drain_limit;
    rtk__prod_quiesce(rt);
    while (ran < limit) {
        size_t n = rtk__exec_batch(rt, limit - ran);
        ran += n;
        if (rtk__wq_len(rt) == 0)
            break;
        if (n == 0)
            sched_yield();
    }
    *tasks = (uint32_t)ran;
    *events = (uint32_t)(rtk__evq_dispatch(rt, rt->cfg.event_queue_capacity) +
                         rtk__async_dispatch(rt, rt->cfg.async_queue_capacity));
    rtk__wq_discard_all(rt, RTK_DROP_SHUTDOWN);
    rtk__events_discard_all(rt, RTK_DROP_SHUTDOWN);
}

static int tick(rtk_runtime_t *rt);

rtk_runtime_t *rtk_current_runtime(void)
{
    return rtk__tls.ticking;
}

int rtk_tick(rtk_runtime_t *rt)
{
    rtk_runtime_t *outer = rtk__tls.ticking;
    rtk__tls.ticking = rt;
    rt->tick_n++;
    rtk__exec_block_sync(rt); /* run from a block's task: it pops */
    int cont = tick(rt);
    rtk__tls.ticking = outer;
    return cont;
}

/* Idle time is the time from rtk_prepare_wait saying "wait" to the next
 * tick, whoever waits: rtk_run's ppoll or an embedding program's own poll
 * loop (which rtk cannot see otherwise). */
static void count_idle(rtk_runtime_t *rt)
{
    if (rt->wait_began == 0)
        return;
    uint64_t now = rtk__monotonic_ns();
    if (now > rt->wait_began)
        atomic_fetch_add_explicit(&rt->idle_ns, now - rt->wait_began,
                                  memory_order_relaxed);
    rt->wait_began = 0;
}

static int tick(rtk_runtime_t *rt)
{
    count_idle(rt);
    clear_wake(rt);
    rtk__inc(&rt->loop_count);
    uint64_t tick = atomic_load_explicit(&rt->loop_count, memory_order_relaxed);
    uint64_t now = rtk__now(rt);
    RTK_TP(tick_begin, tick, now);
    rtk__trace_tasks_sample(rt); /* timer fires and handlers queue tasks */
    rtk__prod_tick_begin(rt); /* this thread's ring: no look at each pop */
    uint32_t cmds = (uint32_t)rtk__commands_handle(rt);
    uint32_t timers = 0, events = 0, tasks = 0, async = 0;
    int cont = 1;
    rt->rendered_this_tick = false;

    switch (rtk_state(rt)) {
    case RTK_STATE_BOOTING:
        break;
    case RTK_STATE_STOPPING:
        drain(rt, &tasks, &events);
        cont = 0;
        break;
    case RTK_STATE_EMERGENCY:
        rtk__wq_discard_all(rt, RTK_DROP_EMERGENCY);
        rtk__events_discard_all(rt, RTK_DROP_EMERGENCY);
        cont = 0;
        break;
    case RTK_STATE_RUNNING:
        timers = (uint32_t)rtk__timers_fire_due(rt, now);
        events = (uint32_t)rtk__evq_dispatch(rt, rt->cfg.event_budget);
        /* a batch only with something to pop: its setjmp and first pop
         * were 150 of an empty tick's 540 instructions (bench_tick_cost) */
        if (rtk__wq_may_pop(rt))
            tasks = (uint32_t)rtk__exec_batch(rt, rt->cfg.batch_size);
        async = (uint32_t)rtk__async_dispatch(rt, rt->cfg.async_budget);
        if (rt->cfg.render && rtk_render_pending(rt))
            rtk__render_maybe(rt, rtk__now(rt));
        if (rt->cfg.stats_interval_ns && now >= rt->next_stats_ns) {
            rtk_stats_trace(rt);
            rt->next_stats_ns = rtk__sat_add(now, rt->cfg.stats_interval_ns);
        }
        break;
    }
    if (rtk__wq_credit_held(rt))
        rtk__wq_credit_release(rt); /* places taken by timer fires, handlers */
    if (!cont && !rt->stop_traced) {
        rt->stop_traced = true;
        rtk_stats_trace(rt);
    }
    rt->tick_worked = (cmds | timers | events | tasks | async) != 0;
    rtk__prod_tick_end(rt);
    rtk__prod_retire_idle(rt, now); /* rings empty a while: not at each pop */
    RTK_TP(tick_end, tick, cmds, timers, events, tasks, async,
           (uint8_t)rt->rendered_this_tick);
    (void)tick; (void)cmds; (void)timers; (void)events; (void)async;
    (void)tasks;
    return cont;
}

/* One wait of rtk_run: wait ns (-1: none). 0, or -1 on a real error.
 * FUTEX_WAIT's timeout is relative on CLOCK_MONOTONIC, in ns like ppoll's;
 * EAGAIN (a producer raised wake_pending first), EINTR and ETIMEDOUT are
 * ordinary returns. */
static int wait_once(rtk_runtime_t *rt, int64_t wait)
{
    struct timespec ts = {.tv_sec = (time_t)(wait / 1000000000),
                          .tv_nsec = (long)(wait % 1000000000)};
    const struct timespec *tp = wait < 0 ? NULL : &ts;
    if (atomic_load_explicit(&rt->wake_fd_used, memory_order_seq_cst)) {
        struct pollfd pfd = {.fd = rt->efd, .events = POLLIN};
        return ppoll(&pfd, 1, tp, NULL) < 0 && errno != EINTR ? -1 : 0;
    }
    if (futex_op(&rt->wake_pending, FUTEX_WAIT, 0, tp) < 0 && errno != EAGAIN &&
        errno != EINTR && errno != ETIMEDOUT)
        return -1;
    return 0;
}

/* After a tick that found nothing to do (rtk_run only), in a flood
 * (SPIN_AFTER tasks or more run since rtk_run last went to wait): look for
 * work for up to config.idle_spin_ns, yielding the CPU between looks,
 * before the pre-sleep protocol. True when there is some: tick again, no
 * sleep.
 *
 * Why: falling asleep costs the loop a membarrier (its IPIs took 10-100 us
 * on a 2-vCPU VM: docs/benchmarks.md) and a wake-up costs a producer a
 * FUTEX_WAKE; a loop that outruns its producers paid both dozens of times
 * a run. On a machine with more threads than CPUs the yield hands the CPU
 * to a producer, which is what the sleep did, for a syscall. Looks: what
 * rtk__wq_may_pop, the event queue and the rings of async events and
 * commands show, a stop, a render request. Not spun at all when a timer
 * or a frame is due within the spin: the wait computed then is shorter.
 * Nor for sparse work (a keystroke's task, a round trip): there the spin
 * only kept a CPU from the thread about to send the next one, and the
 * wake-up's p50 rose from 7 to 10-13 us (docs/benchmarks.md). */
#ifndef SPIN_AFTER /* -DSPIN_AFTER=n: for tuning runs */
#define SPIN_AFTER 256 /* tasks since the last wait that make a flood */
#endif
static bool spin_for_work(rtk_runtime_t *rt)
{
    const uint64_t spin = rt->cfg.idle_spin_ns;
    const uint64_t ran =
        atomic_load_explicit(&rt->tasks_executed, memory_order_relaxed);
    if (spin == 0 || ran - rt->ran_at_wait < SPIN_AFTER ||
        rtk_state(rt) != RTK_STATE_RUNNING || rtk_render_pending(rt))
        return false;
    uint64_t now = rtk__now(rt), nd = rtk_next_deadline(rt);
    if (nd != UINT64_MAX && (nd <= now || nd - now <= spin))
        return false;
    const uint64_t t0 = rtk__monotonic_ns();
    for (;;) {
        /* the tasks' look is the pop's, not work_ready's: that one reads
         * every producer's busy and credit, lines they write per item */
        if (rtk__wq_may_pop(rt) || events_ready(rt) ||
            rtk_state(rt) != RTK_STATE_RUNNING || rtk_render_pending(rt))
            return true;
        sched_yield();
        if (rtk__monotonic_ns() - t0 >= spin)
            return false;
    }
}

int rtk_run(rtk_runtime_t *rt)
{
    int rc = RTK_OK;
    atomic_store_explicit(&rt->in_run, 1, memory_order_seq_cst);
    while (rtk_tick(rt)) {
        /* a tick that did work: more may have come meanwhile, so tick
         * again before the pre-sleep check, whose fence and reads of the
         * producers' lines (wq_producers.c) a busy loop need not pay each
         * tick */
        if (rt->tick_worked)
            continue;
        if (spin_for_work(rt))
            continue;
        rt->ran_at_wait =
            atomic_load_explicit(&rt->tasks_executed, memory_order_relaxed);
        int64_t wait = rtk_prepare_wait(rt);
        if (wait == 0)
            continue;
        if (wait_once(rt, wait) < 0) {
            atomic_store_explicit(&rt->sleeping, 0, memory_order_relaxed);
            rc = RTK_ESYS;
            break;
        }
    }
    atomic_store_explicit(&rt->in_run, 0, memory_order_relaxed);
    return rc;
}
