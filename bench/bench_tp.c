/* bench_tp.c - a bare LTTng-UST tight loop: one tracepoint (rtk_bench:op)
 * per iteration, next to the same loop with the tracepoint compiled out.
 * run.sh runs it twice: with no session ("nosession") and under a session
 * recording rtk_bench:* ("recording"); the mode name is argv[1] and only
 * labels the result. Cost per op: a load and a not-taken branch with no
 * session; a ring-buffer reservation and copy while recording.
 * Usage: bench_tp <nosession|recording> [iterations]
 */
#include "bench_common.h"

#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "bench_tp.h"

/* The loop body without the tracepoint: what "compiled out" leaves. */
static void __attribute__((noinline)) loop_off(uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        __asm__ volatile("" : : "r"(i) : "memory");
}

static void __attribute__((noinline)) loop_on(uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        __asm__ volatile("" : : "r"(i) : "memory");
        lttng_ust_tracepoint(rtk_bench, op, i, i >> 1, 100);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "nosession";
    uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 0;
    if (strcmp(mode, "nosession") != 0 && strcmp(mode, "recording") != 0) {
        fprintf(stderr, "bench_tp: mode must be nosession or recording, not '%s'\n", mode);
        return 2;
    }
    if (n == 0)
        n = strcmp(mode, "recording") == 0 ? 1000000ull : 100000000ull;
    char lib[32];
    if (strcmp(mode, "nosession") == 0) {
        loop_off(n / 10); /* warm up */
        uint64_t t0 = bench_cpu_ns();
        loop_off(n);
        uint64_t t1 = bench_cpu_ns();
        bench_result("trace_tp", "tp:off", (double)(t1 - t0) / (double)n,
                     "ns/op", "empty loop");
    }
    loop_on(n / 10);
    uint64_t t0 = bench_cpu_ns();
    loop_on(n);
    uint64_t t1 = bench_cpu_ns();
    snprintf(lib, sizeof lib, "tp:%s", mode);
    char note[64];
    snprintf(note, sizeof note, "%llu tracepoints", (unsigned long long)n);
    bench_result("trace_tp", lib, (double)(t1 - t0) / (double)n, "ns/op", note);
    return 0;
}
