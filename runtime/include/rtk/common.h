/* rtk/common.h - ids, priorities, error codes and states shared by every
 * rtk surface.
 *
 * Threading: everything here is constant or pure; any thread may call.
 */
#ifndef RTK_COMMON_H
#define RTK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RTK_BUILDING_LIBRARY) && defined(__GNUC__)
#define RTK_API __attribute__((visibility("default")))
#else
#define RTK_API
#endif

/* Every task, event, command, timer and render request gets an id from one
 * process-wide counter. Ids start at 1 and are never reused; 0 means "none".
 * Threads take them in blocks, so ids rise within a thread but not across
 * threads. */
typedef uint64_t rtk_id_t;

/* Priority: lower runs sooner. Any value is allowed; these are named levels. */
typedef uint32_t rtk_priority_t;
#define RTK_PRIORITY_CRITICAL ((rtk_priority_t)0)
#define RTK_PRIORITY_HIGH ((rtk_priority_t)50)
#define RTK_PRIORITY_NORMAL ((rtk_priority_t)100)
#define RTK_PRIORITY_LOW ((rtk_priority_t)200)
#define RTK_PRIORITY_IDLE ((rtk_priority_t)1000)

/* "No limit" for a duration: a timeout or delay that never runs out.
 * Every duration a caller passes (scope wait, timer delay and interval,
 * rearm, frame and stats intervals) is added to the clock saturating, so
 * RTK_FOREVER, INT64_MAX or any huge value means "not in this process's
 * lifetime", never a wrap into the past. */
#define RTK_FOREVER UINT64_MAX

/* Errors are 0 or one of these negative codes; rtk_strerror() names them. */
typedef enum rtk_err {
    RTK_OK = 0,
    RTK_EFULL = -1,     /* a bounded queue or the timer table is full */
    RTK_ESTATE = -2,    /* the runtime's state does not allow this */
    RTK_ENOENT = -3,    /* no such timer, subscription or item */
    RTK_EINVAL = -4,    /* a bad argument */
    RTK_ENOMEM = -5,    /* allocation failed; the call changed nothing
                           (rtk/runtime.h: "Out of memory") */
    RTK_ETIMEDOUT = -6, /* a wait ran out of time */
    RTK_ESYS = -7       /* a system call failed; errno holds why */
} rtk_err_t;

/* A human-readable sentence for an rtk_err_t ("work queue or table is full").
 * Returns a static string; unknown codes give "unknown error". O(1). */
RTK_API const char *rtk_strerror(int err);
/* The code's name ("RTK_EFULL"). Static string; O(1). */
RTK_API const char *rtk_err_name(int err);

/* Lifecycle. Only RUNNING accepts work; STOPPING and EMERGENCY are terminal. */
typedef enum rtk_state {
    RTK_STATE_BOOTING = 0,
    RTK_STATE_RUNNING = 1,
    RTK_STATE_STOPPING = 2,
    RTK_STATE_EMERGENCY = 3
} rtk_state_t;

/* "booting", "running", "stopping", "emergency". Static string. */
RTK_API const char *rtk_state_name(rtk_state_t state);

/* Why an item was dropped. Each reason has its own exact counter in
 * rtk_stats_t.drops[]; the values are part of the trace format. */
typedef enum rtk_drop_reason {
    RTK_DROP_WORK_QUEUE_FULL = 0,    /* task refused: work queue at capacity */
    RTK_DROP_EVENT_QUEUE_FULL = 1,   /* event refused: priority event queue full */
    RTK_DROP_ASYNC_QUEUE_FULL = 2,   /* async event refused: async queue full */
    RTK_DROP_TIMER_LIMIT = 3,        /* timer refused: max_timers live already */
    RTK_DROP_COMMAND_REFUSED = 4,    /* ScheduleTask command while not running */
    RTK_DROP_COMMAND_QUEUE_FULL = 5, /* command refused: command queue full */
    RTK_DROP_NOT_RUNNING = 6,        /* direct schedule/emit while not running */
    RTK_DROP_EMERGENCY = 7,          /* discarded by an emergency stop */
    RTK_DROP_SHUTDOWN = 8,           /* left undispatched at stop/destroy */
    RTK_DROP__COUNT = 9
} rtk_drop_reason_t;

/* "work_queue_full", ... as used in traces and by rt-trace. Static string. */
RTK_API const char *rtk_drop_reason_name(rtk_drop_reason_t reason);

/* What kind of item an id names; part of the trace format. */
typedef enum rtk_item_kind {
    RTK_ITEM_TASK = 0,
    RTK_ITEM_EVENT = 1,       /* queued on the priority event queue */
    RTK_ITEM_ASYNC_EVENT = 2, /* emitted through the async queue */
    RTK_ITEM_TIMER = 3,
    RTK_ITEM_COMMAND = 4,
    RTK_ITEM_RENDER = 5
} rtk_item_kind_t;

/* "task", "event", "async_event", "timer", "command", "render". */
RTK_API const char *rtk_item_kind_name(rtk_item_kind_t kind);

/* The id of the item the calling thread is processing right now inside the
 * runtime (a command, an event dispatch, a task, a timer fire), or 0. New
 * items record it as their cause. O(1), any thread (thread-local). */
RTK_API rtk_id_t rtk_current_cause(void);

/* Take a fresh id from the process-wide counter. O(1), any thread: one
 * thread-local increment, and one atomic fetch-add per 256 ids. */
RTK_API rtk_id_t rtk_next_id(void);

#ifdef __cplusplus
}
#endif

#endif /* RTK_COMMON_H */
