/* trace.h - rtk's tracepoint macros.
 *
 * RTK_TP(name, args...) fires tracepoint rtk:name. With RTK_TRACING it is
 * LTTng-UST's tracepoint: with no session listening, its cost is one load
 * and a not-taken branch, and the arguments are not evaluated. Without
 * RTK_TRACING it compiles to nothing. RTK_TP_ON(name) guards work done only
 * to fill a field (a clock read).
 */
#ifndef RTK_TRACE_H
#define RTK_TRACE_H

#ifdef RTK_TRACING
#ifndef LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#endif
#include "rtk_tp.h"
#define RTK_TP(name, ...) lttng_ust_tracepoint(rtk, name, __VA_ARGS__)
#define RTK_TP_ON(name) lttng_ust_tracepoint_enabled(rtk, name)
#else
#define RTK_TP(name, ...) ((void)0)
#define RTK_TP_ON(name) 0
#endif

/* Layout of the array the rtk:stats tracepoint reads (see rtk_tp.h). */
enum {
    RTK__ST_STATE, RTK__ST_WQ_LEN, RTK__ST_EVQ_LEN, RTK__ST_ASYNC_LEN,
    RTK__ST_TIMERS, RTK__ST_EXECUTED, RTK__ST_FAILED, RTK__ST_VOIDED,
    RTK__ST_EVENTS, RTK__ST_ASYNC, RTK__ST_FIRED, RTK__ST_MISSED,
    RTK__ST_COMMANDS, RTK__ST_RENDERS, RTK__ST_DROPS0, /* 9 drop reasons */
    RTK__ST_LOOPS = RTK__ST_DROPS0 + 9, RTK__ST_IDLE, RTK__ST__COUNT
};

/* trace.c: dlopen the provider (librtk-tp.so.0) once per process unless
 * RTK_TRACE_PROVIDER=0; no-op without RTK_TRACING. */
void rtk__trace_load_provider(void);

#endif /* RTK_TRACE_H */
