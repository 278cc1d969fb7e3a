/* rtk/runtime.h - the event-loop coordinator: lifecycle, ticking, blocking
 * run, embedding in a foreign loop, render requests and live stats.
 *
 * One thread owns a runtime and drives it (the "loop thread": whichever
 * thread calls rtk_tick/rtk_run). Functions below say which threads may call
 * them. "Any thread" functions are lock-free or take no lock shared with the
 * loop's hot path.
 */
#ifndef RTK_RUNTIME_H
#define RTK_RUNTIME_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtk_runtime rtk_runtime_t;

/* Monotonic time in nanoseconds. The default clock is CLOCK_MONOTONIC (the
 * clock LTTng timestamps use), so trace times and runtime times agree. */
typedef uint64_t (*rtk_clock_fn)(void *ud);

/* Called by the loop thread at the end of a tick when a render is pending
 * and the frame interval allows it. */
typedef void (*rtk_render_fn)(rtk_runtime_t *rt, void *ud);

typedef struct rtk_config {
    size_t work_queue_capacity;  /* tasks queued at most; default 1024 */
    size_t event_queue_capacity; /* priority event queue; default 256 */
    size_t async_queue_capacity; /* async (cross-thread) events; default 1024 */
    size_t command_queue_capacity; /* cross-thread commands; default 1024 */
    size_t batch_size;            /* tasks run per tick at most; default
                                     16; 0 (also in a zeroed config) means
                                     the default, any other value is used
                                     as is */
    size_t max_timers;            /* live timers at most; default 1024;
                                     their memory (164-308 bytes each) is
                                     allocated and faulted in at create */
    size_t event_budget;          /* queued events dispatched per tick; default 64 */
    size_t async_budget;          /* async events dispatched per tick; default 64 */
    size_t drain_limit;           /* tasks run while Stopping at most; default
                                     4 * work_queue_capacity */
    rtk_clock_fn clock;           /* NULL: CLOCK_MONOTONIC (a timer start
                                     may reuse a read, at most 1 us late:
                                     docs/runtime.md "Timers") */
    void *clock_ud;
    rtk_render_fn render;         /* NULL: the app takes the flag itself */
    void *render_ud;
    uint64_t frame_interval_ns;   /* min time between render() calls; 0: none */
    rtk_priority_t render_priority; /* a due render runs before any task of
                                     lower priority (larger value), even
                                     mid-batch; 0: RTK_PRIORITY_NORMAL */
    uint64_t stats_interval_ns;   /* stats tracepoint period; 0 (also in a
                                     zeroed config) disables the periodic
                                     snapshot; rtk_config_init sets 100 ms.
                                     The first snapshot is at the first tick */
    int task_cpu_time;            /* 1: while a session listens to
                                     rtk:task_finished, measure each task's
                                     thread CPU time (CLOCK_THREAD_CPUTIME_ID
                                     read before and after it, ~100-300 ns a
                                     task) and trace it as cpu_ns, so that a
                                     task the kernel preempted (run time far
                                     above its CPU time) can be told from one
                                     that computed; default 0 (off: cpu_ns 0).
                                     No effect when tracing is compiled out */
    uint64_t idle_spin_ns;        /* rtk_run, after a tick that found nothing
                                     to do: how long it keeps looking for
                                     work, yielding the CPU between looks
                                     (sched_yield), before it prepares to
                                     sleep; cut short by a timer or frame
                                     due sooner, a render request or a
                                     stop. rtk_config_init sets 20 us; 0
                                     (also in a zeroed config): sleep at
                                     once. An embedding program that waits
                                     itself (rtk_prepare_wait) is not
                                     affected */
} rtk_config_t;

/* Fill *cfg with the defaults above. Any thread. O(1). */
RTK_API void rtk_config_init(rtk_config_t *cfg);

/* Create a runtime in BOOTING. cfg may be NULL (defaults). Size, budget and
 * priority fields left 0 take their default; callbacks and intervals left 0
 * are off. Allocates every queue up front (O(capacities)); nothing on
 * the hot path allocates except timers and bus subscriptions.
 * Returns RTK_OK, RTK_EINVAL, RTK_ENOMEM or RTK_ESYS (eventfd); on failure
 * *out is NULL and nothing is left allocated.
 *
 * Out of memory, in general: a call that must allocate returns RTK_ENOMEM
 * (rtk_scope_create: NULL) and changes nothing; work already accepted is
 * never lost for lack of memory, and the runtime stays usable. Tasks
 * (rtk_submit, rtk_submit_many, rtk_schedule, timer fires, ScheduleTask
 * commands) are never refused for it: a task the priority queue has no
 * memory for waits in the preallocated ring, in order of acceptance. A
 * periodic timer whose next deadline cannot be queued fires at a later
 * tick instead. Tested: tests/test_alloc_faults.cpp. */
RTK_API int rtk_runtime_create(const rtk_config_t *cfg, rtk_runtime_t **out);

/* The configuration rt runs with: the one given at create, with every
 * field left 0 that has a default replaced by it (batch_size 0 reads back
 * as 16, drain_limit 0 as 4 * work_queue_capacity). Any thread (it never
 * changes after create). O(1). */
RTK_API void rtk_runtime_config(const rtk_runtime_t *rt, rtk_config_t *out);

/* Destroy a runtime: undispatched events are dropped (reason SHUTDOWN, their
 * scopes released), queued tasks are discarded without running. NULL is a
 * no-op. Loop thread only, and no other thread may still be using it. */
RTK_API void rtk_runtime_destroy(rtk_runtime_t *rt);

/* BOOTING -> RUNNING. Returns RTK_ESTATE from any other state. Loop thread. */
RTK_API int rtk_boot(rtk_runtime_t *rt);

/* RUNNING -> STOPPING; in any other state nothing changes (returns
 * RTK_ESTATE). The next tick drains queued tasks and returns 0. Loop thread
 * (other threads send RTK_CMD_SHUTDOWN). */
RTK_API int rtk_shutdown(rtk_runtime_t *rt);

/* Any state -> EMERGENCY. The next tick runs nothing, counts what it
 * discards (reason EMERGENCY) and returns 0. Loop thread. */
RTK_API void rtk_emergency_stop(rtk_runtime_t *rt);

/* Current state. Any thread (atomic load). */
RTK_API rtk_state_t rtk_state(const rtk_runtime_t *rt);

/* One tick: handle commands; in BOOTING return 1 (only commands run); if
 * terminal, drain (STOPPING) or discard (EMERGENCY) and return 0; if RUNNING, fire due timers, dispatch up to
 * event_budget queued events, run up to batch_size tasks, dispatch up to
 * async_budget async events, render if due; return 1. BOOTING ticks only
 * handle commands. Loop thread. Cost: O(work done + log timers). */
RTK_API int rtk_tick(rtk_runtime_t *rt);

/* The runtime whose tick is running on the calling thread (the one that
 * runs the current task, handler, timer fire or render), or NULL outside a
 * tick. Task functions take only their arg; this spares a program the
 * global it would keep for the runtime. Nested ticks of another runtime
 * give that one until they return. O(1), thread-local. */
RTK_API rtk_runtime_t *rtk_current_runtime(void);

/* Tick until the runtime stops, blocking (no CPU) whenever nothing is
 * runnable until a command, submit, async event, render request or the next
 * timer deadline. Returns RTK_OK when stopped, RTK_ESYS if waiting failed.
 * Loop thread. */
RTK_API int rtk_run(rtk_runtime_t *rt);

/* Embedding in another loop (an editor polling its terminal):
 *   int64_t t = rtk_prepare_wait(rt);   // arms wake-ups; starts idle time
 *   ppoll({rtk_backend_fd(rt), POLLIN} + your fds, t < 0 ? NULL : {t ns})
 *   rtk_tick(rt);                       // clears the wake-up; ends idle time
 * Wait with ppoll (nanoseconds), not poll: rounding t up to whole
 * milliseconds makes every frame-paced render up to 1 ms late.
 * rtk_backend_fd is readable once anything wants the loop. Its first call
 * switches wake-ups to that eventfd for good (rtk_run alone waits on a
 * futex, two syscalls per wake-up instead of three). */
RTK_API int rtk_backend_fd(const rtk_runtime_t *rt);

/* Nanoseconds until the loop must tick again: 0 if work is ready now, the
 * time to the next timer deadline or frame, or -1 when only an external wake
 * can create work. Also tells other threads that the loop may sleep, so their
 * submissions write the wake fd. Loop thread. O(1). */
RTK_API int64_t rtk_prepare_wait(rtk_runtime_t *rt);

/* The next timer deadline in the runtime clock (ns), or UINT64_MAX if no
 * timer is armed. Loop thread. O(1) amortised (it first drops timers
 * cancelled since the last call; see timer_heap.c). */
RTK_API uint64_t rtk_next_deadline(rtk_runtime_t *rt);

/* Now, in the runtime's (possibly injected) clock. Loop thread. */
RTK_API uint64_t rtk_now(const rtk_runtime_t *rt);

/* True when no command, task, event, async event or timer is pending.
 * Loop thread. O(1). */
RTK_API int rtk_is_idle(const rtk_runtime_t *rt);

/* --- render requests ----------------------------------------------------- */

/* Ask for a render. Many requests before the next render coalesce into one.
 * Any thread: one atomic exchange; wakes a blocked loop only on the first
 * request after a render. Traced with the caller's cause. */
RTK_API void rtk_render_request(rtk_runtime_t *rt);

/* Take the pending flag: 1 if a render was requested since the last take
 * (then clears it), else 0. Loop thread. Traced as a render when 1. */
RTK_API int rtk_render_take(rtk_runtime_t *rt);

/* 1 if a render is pending. Any thread. */
RTK_API int rtk_render_pending(const rtk_runtime_t *rt);

/* --- live stats ---------------------------------------------------------- */

typedef struct rtk_stats {
    rtk_state_t state;
    size_t work_queue_len;
    size_t event_queue_len;
    size_t async_queue_len;
    size_t command_queue_len;
    size_t active_timers;
    uint64_t tasks_executed;  /* finished with status 0 */
    uint64_t tasks_failed;    /* non-zero status or abandoned */
    uint64_t tasks_voided;    /* timer fires cancelled while queued */
    uint64_t events_dispatched;
    uint64_t async_dispatched;
    uint64_t timers_fired;
    uint64_t timer_missed_periods;
    uint64_t commands_handled;
    uint64_t renders;
    uint64_t drops[RTK_DROP__COUNT]; /* exact, per reason */
    uint64_t drops_total;
    uint64_t loop_count;      /* ticks run */
    uint64_t idle_ns;         /* time waiting: from rtk_prepare_wait returning
                                 a non-zero wait to the next tick, in
                                 rtk_run or in an embedding loop's poll */
    int sleeping;             /* 1 while rtk_run is blocked */
} rtk_stats_t;

/* Fill *out. O(1): a few relaxed atomic loads. Any thread, though counts
 * read from another thread may be a tick stale. */
RTK_API void rtk_stats_get(const rtk_runtime_t *rt, rtk_stats_t *out);

/* Emit the rtk:stats tracepoint now (it is also emitted every
 * stats_interval_ns and once when the runtime stops). Loop thread. */
RTK_API void rtk_stats_trace(rtk_runtime_t *rt);

#ifdef __cplusplus
}
#endif

#endif /* RTK_RUNTIME_H */
