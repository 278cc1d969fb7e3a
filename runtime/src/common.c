/* common.c - the process-wide id counter, the thread's current cause, and
 * the names of codes. All O(1). */
#include "internal.h"

#include <time.h>

/* Starts at 1 so that 0 can mean "none". Each thread takes ids from it in
 * blocks of ID_BLOCK: one contended fetch-add per 256 ids instead of one per
 * item. Ids are unique and never reused; they rise within a thread, and
 * interleave across threads (nothing orders items by id: traces link them by
 * cause and order them by timestamp). */
#define ID_BLOCK 256
static atomic_uint_fast64_t next_id = 1;
_Thread_local rtk__tls_t rtk__tls;

rtk_id_t rtk__next_id_refill(void)
{
    rtk__tls.id_next = atomic_fetch_add_explicit(&next_id, ID_BLOCK,
                                                 memory_order_relaxed);
    rtk__tls.id_end = rtk__tls.id_next + ID_BLOCK;
    return rtk__tls.id_next++;
}

rtk_id_t rtk__next_id_pair(void)
{
    if (rtk__tls.id_end - rtk__tls.id_next < 2)
        (void)rtk__next_id_refill(); /* a block holds many: wastes at most 1 */
    rtk_id_t id = rtk__tls.id_next;
    rtk__tls.id_next += 2;
    return id;
}

rtk_id_t rtk_next_id(void)
{
    return rtk__next_id();
}

rtk_id_t rtk_current_cause(void)
{
    return rtk__tls.cause;
}

uint64_t rtk__monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

const char *rtk_strerror(int err)
{
    switch (err) {
    case RTK_OK: return "success";
    case RTK_EFULL: return "queue or timer table is full";
    case RTK_ESTATE: return "not allowed in the runtime's current state";
    case RTK_ENOENT: return "no such item";
    case RTK_EINVAL: return "invalid argument";
    case RTK_ENOMEM: return "out of memory";
    case RTK_ETIMEDOUT: return "timed out";
    case RTK_ESYS: return "system call failed";
    default: return "unknown error";
    }
}

const char *rtk_err_name(int err)
{
    switch (err) {
    case RTK_OK: return "RTK_OK";
    case RTK_EFULL: return "RTK_EFULL";
    case RTK_ESTATE: return "RTK_ESTATE";
    case RTK_ENOENT: return "RTK_ENOENT";
    case RTK_EINVAL: return "RTK_EINVAL";
    case RTK_ENOMEM: return "RTK_ENOMEM";
    case RTK_ETIMEDOUT: return "RTK_ETIMEDOUT";
    case RTK_ESYS: return "RTK_ESYS";
    default: return "RTK_E?";
    }
}

const char *rtk_state_name(rtk_state_t s)
{
    static const char *const names[] = {"booting", "running", "stopping",
                                        "emergency"};
    return (unsigned)s < 4 ? names[s] : "unknown";
}

const char *rtk_drop_reason_name(rtk_drop_reason_t r)
{
    static const char *const names[RTK_DROP__COUNT] = {
        "work_queue_full", "event_queue_full", "async_queue_full",
        "timer_limit",     "command_refused",  "command_queue_full",
        "not_running",     "emergency",        "shutdown"};
    return (unsigned)r < RTK_DROP__COUNT ? names[r] : "unknown";
}

const char *rtk_item_kind_name(rtk_item_kind_t k)
{
    static const char *const names[] = {"task",  "event",   "async_event",
                                        "timer", "command", "render"};
    return (unsigned)k < 6 ? names[k] : "unknown";
}

const char *rtk_command_kind_name(rtk_command_kind_t k)
{
    static const char *const names[] = {"shutdown", "emergency",
                                        "schedule_task"};
    return (unsigned)k < 3 ? names[k] : "unknown";
}
