/* trace.c - defines rtk's tracepoint sites (dynamic probe linkage: librtk
 * never links liblttng-ust) and loads the provider at run time.
 *
 * A program is traced when librtk-tp.so is in the process: linked, preloaded
 * (LD_PRELOAD=librtk-tp.so) or dlopen()ed here at the first
 * rtk_runtime_create(). Set RTK_TRACE_PROVIDER=0 to skip the dlopen, or to a
 * path to load that file instead. Without the provider every tracepoint
 * stays a not-taken branch. */
#ifdef RTK_TRACING
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#endif
#include "trace.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifdef RTK_TRACING
#include <dlfcn.h>
#include <stdio.h>

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

#define PROVIDER "librtk-tp.so.0"
#define FLAGS (RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE)

/* Kept loaded for the process's life (RTLD_NODELETE): probes must outlive
 * every runtime, and unloading a UST provider under a session is unsafe.
 * Search order: $RTK_TRACE_PROVIDER, the loader's path, then the directory
 * librtk itself was loaded from (install prefix or build tree lib/). */
static void load(void)
{
    const char *env = getenv("RTK_TRACE_PROVIDER");
    if (env && strcmp(env, "0") == 0)
        return;
    if (env && *env) {
        (void)dlopen(env, FLAGS);
        return;
    }
    if (dlopen(PROVIDER, FLAGS))
        return;
    Dl_info info;
    if (!dladdr((void *)rtk__trace_load_provider, &info) || !info.dli_fname)
        return;
    const char *slash = strrchr(info.dli_fname, '/');
    if (!slash)
        return;
    char path[4096];
    int n = snprintf(path, sizeof path, "%.*s/" PROVIDER,
                     (int)(slash - info.dli_fname), info.dli_fname);
    if (n > 0 && (size_t)n < sizeof path)
        (void)dlopen(path, FLAGS);
}

void rtk__trace_load_provider(void)
{
    pthread_once(&load_once, load);
}
#else
void rtk__trace_load_provider(void) {}
#endif

#ifdef RTK_TRACING
/* Out-of-line bodies of the hot tracepoints (see trace.h). */
void rtk__tp_task_queued(uint64_t id, uint64_t cause, uint32_t prio,
                         uint8_t source, uint64_t timer_id, const char *name)
{
    lttng_ust_do_tracepoint(rtk, task_queued, id, cause, prio, source,
                            timer_id, name);
}

void rtk__tp_task_started(uint64_t id, uint64_t cause, uint32_t prio)
{
    lttng_ust_do_tracepoint(rtk, task_started, id, cause, prio);
}

void rtk__tp_task_finished(uint64_t id, uint8_t outcome, int32_t status,
                           uint64_t cpu_ns)
{
    lttng_ust_do_tracepoint(rtk, task_finished, id, outcome, status, cpu_ns);
}

void rtk__tp_tick_begin(uint64_t tick, uint64_t now)
{
    lttng_ust_do_tracepoint(rtk, tick_begin, tick, now);
}

void rtk__tp_timer_armed(uint64_t id, uint64_t cause, uint32_t prio,
                         uint64_t deadline, uint64_t interval, const char *name)
{
    lttng_ust_do_tracepoint(rtk, timer_armed, id, cause, prio, deadline,
                            interval, name);
}

void rtk__tp_timer_fired(uint64_t id, uint64_t cause, uint32_t prio,
                         uint64_t deadline, uint64_t now, uint64_t lateness,
                         uint64_t missed, uint64_t task_id)
{
    lttng_ust_do_tracepoint(rtk, timer_fired, id, cause, prio, deadline, now,
                            lateness, missed, task_id);
}

void rtk__tp_timer_cancelled(uint64_t id, uint64_t cause, uint32_t prio,
                             uint64_t voided_task)
{
    lttng_ust_do_tracepoint(rtk, timer_cancelled, id, cause, prio,
                            voided_task);
}

void rtk__tp_tick_end(uint64_t tick, uint32_t commands, uint32_t timers,
                      uint32_t events, uint32_t tasks, uint32_t async_events,
                      uint8_t rendered)
{
    lttng_ust_do_tracepoint(rtk, tick_end, tick, commands, timers, events,
                            tasks, async_events, rendered);
}
#endif
