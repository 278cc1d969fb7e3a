/* rtk/task.h - deferred work: the bounded, priority-ordered work queue and
 * the executor that runs it.
 *
 * A task is a function and an argument. It runs on the loop thread, lower
 * priority values first, FIFO within one priority, at most batch_size per
 * tick. FIFO is per submitting thread: one thread's tasks of a priority run
 * in the order it queued them; tasks of different threads at the same
 * priority run in the order the loop collects them (thread by thread, at
 * each pop), not by the instant of their submit. It returns 0 for success; anything else counts as failed. From deep
 * inside, rtk_task_abandon() unwinds straight back to the executor (also
 * counted as failed). Either way the loop goes on and the next task runs.
 */
#ifndef RTK_TASK_H
#define RTK_TASK_H

#include "runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*rtk_task_fn)(void *arg);

typedef struct rtk_task_desc {
    rtk_task_fn fn;
    void *arg;
    rtk_priority_t priority; /* note: 0 is CRITICAL; rtk_task_desc_init()
                                sets NORMAL */
    const char *name;        /* static string shown in traces; may be NULL */
    rtk_id_t cause;          /* 0: the calling thread's rtk_current_cause() */
} rtk_task_desc_t;

/* fn/arg at NORMAL priority, no name, inherited cause. */
RTK_API void rtk_task_desc_init(rtk_task_desc_t *d, rtk_task_fn fn, void *arg);

/* Queue a task. Any thread; lock-free, never blocks. From another thread:
 * into that thread's own ring (claimed at its first submit, 64 threads per
 * runtime; more use a shared ring), with no read-modify-write on a line
 * other threads write (places are reserved 32 at a time at most). Returns
 * RTK_OK (and the task id in *id if id is not
 * NULL), RTK_EFULL (counted as WORK_QUEUE_FULL), RTK_ESTATE when not
 * RUNNING (counted as NOT_RUNNING) or RTK_EINVAL for a NULL rt, d or fn.
 * RTK_OK means the task runs, unless an emergency stop discards it. Wakes a
 * blocked loop. Never RTK_ENOMEM: with no memory for the priority queue's
 * growth a task waits in the preallocated ring and runs in order of
 * acceptance instead of priority order (FIFO within a priority holds). */
RTK_API int rtk_submit(rtk_runtime_t *rt, const rtk_task_desc_t *d, rtk_id_t *id);

/* Queue n tasks at once, in order: rtk_submit for a thread that produces
 * bursts (an input thread, a language server posting results). From
 * another thread the whole batch costs one reservation (a CAS) at most,
 * goes into that thread's ring in order with its single submits, and wakes
 * the loop at most once.
 * The queue takes the longest prefix it has room for: RTK_OK when it took
 * all n, RTK_EFULL when fewer (each refused task counted as
 * WORK_QUEUE_FULL, as rtk_submit counts one). RTK_ESTATE when not RUNNING
 * (none taken, each counted as NOT_RUNNING). RTK_EINVAL, nothing taken or
 * counted, for a NULL rt, a NULL d with n > 0, or any NULL fn. *accepted
 * (if not NULL) is set to how many were taken; ids[i] (if ids is not NULL)
 * to task i's id, 0 for a task not taken. */
RTK_API int rtk_submit_many(rtk_runtime_t *rt, const rtk_task_desc_t *d,
                            size_t n, rtk_id_t *ids, size_t *accepted);

/* Queue n tasks of one function and one priority, task i with args[i]:
 * rtk_submit_many of n descriptors that differ only in their argument (no
 * name, the inherited cause), without the descriptors to build. For a
 * thread that posts bursts of one kind (keystrokes, results) to one
 * handler. The same contract as rtk_submit_many: in order, the longest
 * prefix that fits, RTK_OK / RTK_EFULL / RTK_ESTATE, the refused rest
 * counted, *accepted (if not NULL) set to how many were taken; each task
 * has an id of its own, as rtk_schedule's has. RTK_EINVAL, nothing taken
 * or counted, for a NULL rt or fn, or NULL args with n > 0. */
RTK_API int rtk_schedule_many(rtk_runtime_t *rt, rtk_task_fn fn,
                              void *const *args, size_t n,
                              rtk_priority_t priority, size_t *accepted);

/* Shorthand: rtk_submit with fn, arg, priority. */
RTK_API int rtk_schedule(rtk_runtime_t *rt, rtk_task_fn fn, void *arg,
                         rtk_priority_t priority);

/* Abandon the running task: unwinds (longjmp) to the executor, which counts
 * the task failed with the given status (non-zero; 0 becomes 1) and goes on
 * with the next task. Only from inside a task on the loop thread; C frames
 * only (no C++ destructors between here and the task run). Calling it
 * outside a task aborts the process, as an assertion would. */
#if defined(__cplusplus)
[[noreturn]]
#else
_Noreturn
#endif
RTK_API void rtk_task_abandon(int status);

#ifdef __cplusplus
}
#endif

#endif /* RTK_TASK_H */
