/* bench_common.h - what every bench_*.c shares: the clock, CPU time, a
 * shuffled permutation, percentiles, a tiny locked item queue for the
 * "locked queue + wake-up" cross-thread protocol, and the result line.
 *
 * Every result is one line on stdout, tab separated, that bench/run.sh reads:
 *     RESULT <bench> <lib[:variant]> <value> <unit> <note>
 * A library may report several variants of one benchmark ("uv:idle",
 * "uv:timer0"); run.sh keeps the best variant per library and shows which.
 * Costs: bench_now_ns is one vDSO clock_gettime (~20 ns); the rest is
 * setup, outside timed regions unless a benchmark says otherwise.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

/* Include this first: RUSAGE_THREAD and clock_nanosleep need it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

/* Default sizes; every benchmark uses the same ones for every library. */
#define BENCH_DEFER_N 2097152u    /* no-op deferred callbacks (2^21) */
#define BENCH_DEFER_BATCH 1024u   /* scheduled, then drained, per round */
#define BENCH_TIMERS_N 1000000u   /* timers per timer benchmark */
#define BENCH_TIMER_SPAN_US 1000000u /* deadlines spread over 1 s */
#define BENCH_XT_PER_PRODUCER 1000000u /* items per producer, throughput */
#define BENCH_LAT_PER_PRODUCER 10000u  /* paced items per producer: 20 000
                                          * wake-up samples, 2 s per run */
#define BENCH_LAT_PERIOD_NS 200000u    /* one item per producer per 200 us */
#define BENCH_IDLE_NS 1000000000ull    /* idle benchmark: blocked 1 s */

static inline uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* CPU time of the calling thread (ns): single-threaded benchmarks time
 * with this, so other processes on a busy machine do not count. A syscall
 * (~0.2 us): read only at the edges of a timed region. */
static inline uint64_t bench_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The hypervisor's steal time so far, in ms summed over the CPUs: the
 * time this guest's vCPUs were ready to run and the host ran something
 * else (/proc/stat's "cpu" line, its 8th value, in clock ticks); -1
 * where the kernel gives none. On a shared host a wake-up's tail follows
 * it (docs/benchmarks.md, "The host's steal, named"). */
static inline long bench_steal_ms(void)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    unsigned long long v[8];
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
                   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    long hz = sysconf(_SC_CLK_TCK);
    return n == 8 && hz > 0 ? (long)(v[7] * 1000ull / (unsigned long long)hz) : -1;
}

static long bench_run_steal0 = -1; /* bench_steal_ms at the run's launch */
static uint64_t bench_run_t0;      /* and the time */

/* The steal (ms) since the run's launch, -1 when unknown. */
static inline long bench_run_steal(void)
{
    long now = bench_steal_ms();
    return bench_run_steal0 >= 0 && now >= 0 ? now - bench_run_steal0 : -1;
}

/* Sleep until an absolute CLOCK_MONOTONIC time (ns). */
static inline void bench_sleep_until(uint64_t t_ns)
{
    struct timespec ts = {(time_t)(t_ns / 1000000000ull),
                          (long)(t_ns % 1000000000ull)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
    }
}

/* CPU time (user + system) of the calling thread, in ns. */
static inline uint64_t bench_thread_cpu_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) *
               1000000000ull +
           ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) *
               1000ull;
}

/* Voluntary context switches of the calling thread (~ wake-ups). */
static inline long bench_thread_nvcsw(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_nvcsw;
}

static inline void bench_result(const char *bench, const char *lib,
                                double value, const char *unit,
                                const char *note)
{
    printf("RESULT\t%s\t%s\t%.3f\t%s\t%s\n", bench, lib, value, unit,
           note ? note : "");
    fflush(stdout);
}

static inline void *bench_xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench: out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

/* bench_xmalloc on a cache line's boundary, so that a struct's
 * _Alignas(64) members are on lines of their own (the cross-thread runs'
 * consumer counters, apart from what the producers touch). */
static inline void *bench_xmalloc_lines(size_t n)
{
    size_t size = (n + 63) & ~(size_t)63;
    void *p = aligned_alloc(64, size ? size : 64);
    if (!p) {
        fprintf(stderr, "bench: out of memory (%zu bytes)\n", n);
        exit(2);
    }
    memset(p, 0, size ? size : 64);
    return p;
}

/* The next of a xorshift64* sequence (state *s, never 0): 64 bits, the
 * high ones the best. */
static inline uint64_t bench_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* A shuffled permutation of 0..n-1 (xorshift64*, fixed seed). O(n). */
static inline uint32_t *bench_permutation(uint32_t n, uint64_t seed)
{
    uint32_t *p = (uint32_t *)bench_xmalloc((size_t)n * sizeof *p);
    uint64_t s = seed | 1;
    for (uint32_t i = 0; i < n; i++)
        p[i] = i;
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = (uint32_t)(bench_rand(&s) >> 33) % i;
        uint32_t t = p[i - 1];
        p[i - 1] = p[j];
        p[j] = t;
    }
    return p;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* q-th quantile (0..1) of v[0..n); sorts v. O(n log n). */
static inline uint64_t bench_quantile(uint64_t *v, size_t n, double q)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, bench_cmp_u64);
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* The histogram bucket of v (ns): v itself below 16; above, 16 buckets
 * an octave, (e - 3) * 16 plus the 4 bits after the leading one (e its
 * place), so a bucket is at most 1/16 of its lower bound wide. The lower
 * bound of bucket b >= 16: (16 + b % 16) << (b / 16 - 1) (bench/table.awk
 * reads them back). */
static inline unsigned bench_hist_bucket(uint64_t v)
{
    if (v < 16)
        return (unsigned)v;
    unsigned e = 63u - (unsigned)__builtin_clzll(v);
    return (e - 3u) * 16u + (unsigned)((v >> (e - 4u)) & 15u);
}

/* Sorted samples (ns) as "bucket:count ..." (non-empty buckets, in
 * order) into buf; false if it does not fit. */
static inline int bench_hist_text(const uint64_t *sorted, size_t n, char *buf,
                                  size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n;) {
        unsigned b = bench_hist_bucket(sorted[i]);
        size_t j = i + 1;
        while (j < n && bench_hist_bucket(sorted[j]) == b)
            j++;
        int w = snprintf(buf + len, cap - len, "%s%u:%zu", len ? " " : "", b, j - i);
        if (w < 0 || (size_t)w >= cap - len)
            return 0;
        len += (size_t)w;
        i = j;
    }
    return 1;
}

/* Report p50/p99/max of latency samples (ns) as three results in us, and
 * the samples' histogram (wake_hist, the sample count as its value): on
 * this guest the tail moves from one 200 ms window to the next, so
 * bench/table.awk judges p50 and p99 on every run's samples pooled.
 * `steal`: bench_run_steal's figure for the run. */
static inline void bench_report_latency(const char *lib, uint64_t *lat,
                                        size_t n, const char *note, long steal)
{
    uint64_t p50 = bench_quantile(lat, n, 0.50);
    uint64_t p99 = bench_quantile(lat, n, 0.99); /* lat is sorted now */
    bench_result("wake_p50", lib, (double)p50 / 1e3, "us", note);
    bench_result("wake_p99", lib, (double)p99 / 1e3, "us", note);
    bench_result("wake_max", lib, (double)lat[n - 1] / 1e3, "us", note);
    /* The host's steal during the run and the CPU time there was, first
     * ("steal_ms=S cpu_ms=C", -1 when unknown): bench/table.awk sets
     * aside, for every library alike, the runs the host took more than
     * 1% of. Then latencies under 17 s: under 512 buckets of at most 11
     * bytes ("511:20000 "); a text that does not fit is left out. */
    static char hist[16384];
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    long cpu_ms = (long)((bench_now_ns() - bench_run_t0) / 1000000u) * (ncpu > 0 ? ncpu : 1);
    int w = snprintf(hist, sizeof hist, "steal_ms=%ld cpu_ms=%ld ", steal, cpu_ms);
    if (bench_hist_text(lat, n, hist + w, sizeof hist - (size_t)w))
        bench_result("wake_hist", lib, (double)n, "samples", hist);
}

/* Idle CPU: take a usage mark before the loop blocks, report after it
 * returns. `extra` (may be NULL) is appended to the note. */
typedef struct bench_usage {
    uint64_t cpu_ns;
    long nvcsw;
} bench_usage_t;

static inline bench_usage_t bench_usage_now(void)
{
    bench_usage_t u = {bench_thread_cpu_ns(), bench_thread_nvcsw()};
    return u;
}

static inline void bench_report_idle(const char *lib, bench_usage_t before,
                                     const char *extra)
{
    bench_usage_t after = bench_usage_now();
    char note[160];
    snprintf(note, sizeof note, "wakeups=%ld%s", after.nvcsw - before.nvcsw,
             extra ? extra : "");
    bench_result("idle_cpu", lib, (double)(after.cpu_ns - before.cpu_ns) / 1e6,
                 "cpu-ms", note);
}

/* The consumer's per-item work in the throughput runs, the same for every
 * library: read the item and check that each producer's items arrive in
 * the order it sent them (a lost or reordered item shows as misordered). */
/* Producers of the cross-thread runs: 2 for xthread, xthread_batch and wake;
 * 4 and 8 for xthread4 and xthread8 (more threads than this machine's 2
 * cores), which send the same total. */
#define BENCH_MAX_PRODUCERS 8
static uint32_t bench_nprod = 2;
static uint32_t bench_next_seq[BENCH_MAX_PRODUCERS];
static uint64_t bench_misordered;

static inline void bench_order_reset(void)
{
    for (uint32_t i = 0; i < BENCH_MAX_PRODUCERS; i++)
        bench_next_seq[i] = 0;
    bench_misordered = 0;
}

static inline void bench_order_check(uint32_t producer, uint32_t seq)
{
    if (producer >= bench_nprod || seq != bench_next_seq[producer]++)
        bench_misordered++;
}

/* Cross-thread: one report per run, latency (paced) or throughput; `bench`
 * names the throughput row ("xthread", "xthread_batch"). `extra` (may be
 * NULL) is appended to the note. */
static inline void bench_report_xthread_as(const char *bench, const char *lib,
                                           int paced, uint64_t received,
                                           uint64_t expected, uint64_t retries,
                                           uint64_t *lat, uint64_t t0,
                                           uint64_t done_ns, const char *extra)
{
    char note[224];
    long steal = bench_run_steal();
    snprintf(note, sizeof note,
             "delivered=%llu/%llu lost=%llu misordered=%llu retries=%llu steal_ms=%ld%s",
             (unsigned long long)received, (unsigned long long)expected,
             (unsigned long long)(expected - received),
             (unsigned long long)(paced ? 0 : bench_misordered),
             (unsigned long long)retries,
             steal, extra ? extra : "");
    if (paced)
        bench_report_latency(lib, lat, expected, note, steal);
    else
        bench_result(bench, lib,
                     (double)received / ((double)(done_ns - t0) / 1e9) / 1e6,
                     "Mitems/s", note);
}

static inline void bench_report_xthread(const char *lib, int paced,
                                        uint64_t received, uint64_t expected,
                                        uint64_t retries, uint64_t *lat,
                                        uint64_t t0, uint64_t done_ns,
                                        const char *extra)
{
    bench_report_xthread_as("xthread", lib, paced, received, expected, retries,
                            lat, t0, done_ns, extra);
}

/* --- cross-thread items and the locked queue peers use ------------------- */

/* One cross-thread item: producer's send time, and which producer. */
typedef struct bench_item {
    uint64_t sent_ns;
    uint32_t producer;
    uint32_t seq;
} bench_item_t;

/* An item as one word, for libraries that pass a pointer-sized argument:
 * the send time in paced runs, else producer << 32 | seq. */
static inline uint64_t bench_item_word(bench_item_t it)
{
    return it.sent_ns ? it.sent_ns : (uint64_t)it.producer << 32 | it.seq;
}

static inline void bench_word_check(uint64_t w)
{
    bench_order_check((uint32_t)(w >> 32), (uint32_t)w);
}

/* A mutex-protected vector swapped out whole by the consumer: the usual
 * "locked queue + wake the loop" protocol of libuv/GLib/libevent users.
 * push: lock, append (amortised O(1)), unlock; returns 1 when the queue
 * was empty, i.e. the producer must wake the loop. take: O(1) swap. */
typedef struct bench_lockq {
    pthread_mutex_t mu;
    bench_item_t *items;
    size_t len, cap;
} bench_lockq_t;

static inline void bench_lockq_init(bench_lockq_t *q)
{
    pthread_mutex_init(&q->mu, NULL);
    q->cap = 1024;
    q->len = 0;
    q->items = (bench_item_t *)bench_xmalloc(q->cap * sizeof *q->items);
}

/* Push n items under one lock (the batch runs; a push is n = 1). Returns 1
 * when the queue was empty (the producer must wake the loop). */
static inline int bench_lockq_push_many(bench_lockq_t *q, const bench_item_t *its,
                                        size_t n)
{
    pthread_mutex_lock(&q->mu);
    while (q->len + n > q->cap) {
        q->cap *= 2;
        q->items = (bench_item_t *)realloc(q->items, q->cap * sizeof *q->items);
        if (!q->items) {
            fprintf(stderr, "bench: out of memory\n");
            exit(2);
        }
    }
    int was_empty = q->len == 0;
    memcpy(q->items + q->len, its, n * sizeof *its);
    q->len += n;
    pthread_mutex_unlock(&q->mu);
    return was_empty && n;
}

static inline int bench_lockq_push(bench_lockq_t *q, bench_item_t it)
{
    return bench_lockq_push_many(q, &it, 1);
}

/* Swap the queue's storage with *buf (capacity *cap); returns the count. */
static inline size_t bench_lockq_take(bench_lockq_t *q, bench_item_t **buf,
                                      size_t *cap)
{
    pthread_mutex_lock(&q->mu);
    bench_item_t *items = q->items;
    size_t n = q->len, c = q->cap;
    q->items = *buf;
    q->cap = *cap;
    q->len = 0;
    pthread_mutex_unlock(&q->mu);
    *buf = items;
    *cap = c;
    return n;
}

static inline void bench_lockq_destroy(bench_lockq_t *q)
{
    free(q->items);
    pthread_mutex_destroy(&q->mu);
}

/* --- producers ------------------------------------------------------------ */

/* Send one item to the library under test: 0 on success, non-zero when the
 * target refused it for now (full) and the producer must retry. */
typedef int (*bench_send_fn)(void *ctx, bench_item_t it);
/* The batch form: send its[0..n), return how many the target took (the
 * first ones); the producer retries the rest. */
typedef uint32_t (*bench_send_many_fn)(void *ctx, const bench_item_t *its,
                                       uint32_t n);
#define BENCH_XT_BATCH 64u /* items per batch in the xthread_batch runs */

typedef struct bench_producer {
    pthread_t thread;
    bench_send_fn send;
    bench_send_many_fn send_many; /* non-NULL: batches of BENCH_XT_BATCH */
    void *ctx;
    uint32_t id;
    uint32_t n;         /* items to send */
    uint64_t period_ns; /* 0: flat out; else one item per period */
    uint64_t start_ns;  /* paced: first send time */
    uint64_t retries;   /* out: refused sends retried */
} bench_producer_t;

static inline void bench_producer_batches(bench_producer_t *p)
{
    bench_item_t its[BENCH_XT_BATCH];
    for (uint32_t k = 0; k < p->n;) {
        uint32_t n = p->n - k < BENCH_XT_BATCH ? p->n - k : BENCH_XT_BATCH;
        for (uint32_t i = 0; i < n; i++)
            its[i] = (bench_item_t){0, p->id, k + i};
        for (uint32_t done = 0; done < n;) {
            uint32_t t = p->send_many(p->ctx, its + done, n - done);
            done += t;
            if (done < n) {
                p->retries++;
                sched_yield();
            }
        }
        k += n;
    }
}

static inline void *bench_producer_main(void *arg)
{
    bench_producer_t *p = (bench_producer_t *)arg;
    if (p->send_many) {
        bench_producer_batches(p);
        return NULL;
    }
    for (uint32_t k = 0; k < p->n; k++) {
        if (p->period_ns)
            bench_sleep_until(p->start_ns + (uint64_t)k * p->period_ns);
        /* only paced runs measure latency: flat out, no clock read */
        bench_item_t it = {p->period_ns ? bench_now_ns() : 0, p->id, k};
        while (p->send(p->ctx, it) != 0) {
            p->retries++;
            sched_yield();
            if (p->period_ns)
                it.sent_ns = bench_now_ns();
        }
    }
    return NULL;
}

/* Items each producer sends: `per_two` (the 2-producer figure) split so
 * that every producer count sends the same total. BENCH_XT_SCALE=k
 * divides the throughput runs' counts by k (bench/instr_count.sh counts
 * instructions at two sizes, under valgrind). */
static inline uint32_t bench_per_producer(uint32_t per_two)
{
    const char *scale = getenv("BENCH_XT_SCALE");
    if (per_two != BENCH_LAT_PER_PRODUCER && scale && atoi(scale) > 0)
        per_two /= (uint32_t)atoi(scale);
    return per_two * 2 / bench_nprod;
}

/* The throughput row's name: xthread (2 producers), xthread4, xthread8;
 * the same with _batch. */
static inline const char *bench_xt_name(int batched)
{
    static char name[32];
    snprintf(name, sizeof name, "xthread%s%s",
             bench_nprod == 4 ? "4" : bench_nprod == 8 ? "8" : "",
             batched ? "_batch" : "");
    return name;
}

/* Start bench_nprod producers: flat out (period 0) or paced, offset by
 * half a period from each other. */
static inline void bench_producers_launch(bench_producer_t p[BENCH_MAX_PRODUCERS],
                                          bench_send_fn send,
                                          bench_send_many_fn send_many,
                                          void *ctx, uint32_t n,
                                          uint64_t period_ns)
{
    uint64_t start = bench_now_ns() + 2000000; /* 2 ms to get going */
    bench_run_steal0 = bench_steal_ms();
    bench_run_t0 = bench_now_ns();
    bench_order_reset();
    for (uint32_t i = 0; i < bench_nprod; i++) {
        p[i].send = send;
        p[i].send_many = send_many;
        p[i].ctx = ctx;
        p[i].id = i;
        p[i].n = n;
        p[i].period_ns = period_ns;
        p[i].start_ns = start + i * (period_ns / 2);
        p[i].retries = 0;
        if (pthread_create(&p[i].thread, NULL, bench_producer_main, &p[i])) {
            fprintf(stderr, "bench: pthread_create failed\n");
            exit(2);
        }
    }
}

static inline void bench_producers_start(bench_producer_t p[BENCH_MAX_PRODUCERS],
                                         bench_send_fn send, void *ctx,
                                         uint32_t n, uint64_t period_ns)
{
    bench_producers_launch(p, send, NULL, ctx, n, period_ns);
}

/* Flat out, in batches of BENCH_XT_BATCH through send_many. */
static inline void bench_producers_start_many(bench_producer_t p[BENCH_MAX_PRODUCERS],
                                              bench_send_many_fn send_many,
                                              void *ctx, uint32_t n)
{
    bench_producers_launch(p, NULL, send_many, ctx, n, 0);
}

static inline uint64_t bench_producers_join(bench_producer_t p[BENCH_MAX_PRODUCERS])
{
    uint64_t r = 0;
    for (uint32_t i = 0; i < bench_nprod; i++) {
        pthread_join(p[i].thread, NULL);
        r += p[i].retries;
    }
    return r;
}

/* Check the benchmark names on the command line (bench_rtk, bench_uv,
 * bench_glib, bench_event): --help prints the usage, an unknown name is a
 * one-line error (exit 2) rather than a run that measures nothing. */
static inline void bench_args(int argc, char **argv)
{
    static const char *const names[] = {"all", "defer", "timer_cancel",
                                        "timer_fire", "xthread",
                                        "xthread_batch", "wake", "idle",
                                        "prio_spread", "prio_drift",
                                        "prio_steady", "xthread4",
                                        "xthread8"};
    const size_t nn = sizeof names / sizeof names[0];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            printf("usage: %s [all|defer|timer_cancel|timer_fire|xthread|"
                   "xthread_batch|wake|idle|prio_spread|prio_drift|prio_steady|\n"
                   "        xthread4|xthread8]...\n"
                   "Runs the named benchmarks (all when none is named) and "
                   "prints one tab-separated RESULT line per measurement "
                   "(prio_spread, prio_drift, prio_steady: bench_rtk only).\n",
                   argv[0]);
            exit(0);
        }
        size_t k = 0;
        while (k < nn && strcmp(argv[i], names[k]) != 0)
            k++;
        if (k == nn) {
            fprintf(stderr, "%s: unknown benchmark '%s' (see --help)\n",
                    argv[0], argv[i]);
            exit(2);
        }
    }
}

/* Which benchmark(s) to run: argv[1] or "all". */
static inline int bench_want(int argc, char **argv, const char *name)
{
    if (argc < 2 || strcmp(argv[1], "all") == 0)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return 1;
    return 0;
}

#endif /* BENCH_COMMON_H */
