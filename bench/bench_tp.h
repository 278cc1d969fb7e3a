/* bench_tp.h - LTTng-UST provider `rtk_bench`: one event shaped like
 * rtk:task_started (id, cause, priority), for bench_tp.c's bare tight loop.
 * Cost: a not-taken branch with no session; one ring-buffer write while a
 * session records it. */
#undef LTTNG_UST_TRACEPOINT_PROVIDER
#define LTTNG_UST_TRACEPOINT_PROVIDER rtk_bench

#undef LTTNG_UST_TRACEPOINT_INCLUDE
#define LTTNG_UST_TRACEPOINT_INCLUDE "./bench_tp.h"

#if !defined(BENCH_TP_H) || defined(LTTNG_UST_TRACEPOINT_HEADER_MULTI_READ)
#define BENCH_TP_H

#include <lttng/tracepoint.h>
#include <stdint.h>

LTTNG_UST_TRACEPOINT_EVENT(rtk_bench, op,
    LTTNG_UST_TP_ARGS(uint64_t, id, uint64_t, cause, uint32_t, priority),
    LTTNG_UST_TP_FIELDS(
        lttng_ust_field_integer(uint64_t, id, id)
        lttng_ust_field_integer(uint64_t, cause, cause)
        lttng_ust_field_integer(uint32_t, priority, priority)))

#endif /* BENCH_TP_H */

#include <lttng/tracepoint-event.h>
