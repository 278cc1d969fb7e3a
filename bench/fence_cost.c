/* fence_cost.c - the two prices behind the producers' fenced mode
 * (runtime/src/wq_producers.c, FENCED_BELOW): what the loop pays for one
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) before it sleeps, and what a
 * producer pays per submit for making its `busy` store a seq_cst exchange
 * instead of a plain store. Fenced pays the second per submit and skips the
 * first; light pays the first per sleep. The break-even is their ratio:
 * the submits per sleep below which fencing is cheaper.
 *
 * The membarrier is timed with NTHREADS other threads of the process
 * running (each spinning on its own line, as producers in a submit would
 * be; default 1, the 2-core machine's other core) and with the caller
 * alone (the kernel interrupts only CPUs running this process's threads:
 * a loop whose producers are idle pays this one).
 * The store and the exchange are timed on one thread, 10 M each, writing
 * a line no other thread touches (a submit's busy flag is the producer's
 * own).
 *
 *   bench_fence_cost [NTHREADS 0-8]
 *
 * Prints RESULT lines: fence_cost membarrier_busy / membarrier_idle (ns
 * per call), store / exchange (ns per op) and break_even (submits per
 * sleep). Cost: about a second. */
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static long membarrier(int cmd)
{
    return syscall(SYS_membarrier, cmd, 0, 0);
}

static atomic_int g_stop;
static _Alignas(64) atomic_int g_spin[8][16]; /* one line per spinner */

static void *spinner(void *arg)
{
    atomic_int *mine = arg;
    while (!atomic_load_explicit(&g_stop, memory_order_relaxed))
        atomic_fetch_add_explicit(mine, 1, memory_order_relaxed);
    return NULL;
}

static double time_membarriers(unsigned n)
{
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < n; i++)
        if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0) {
            perror("bench_fence_cost: membarrier");
            exit(1);
        }
    return (double)(now_ns() - t0) / n;
}

int main(int argc, char **argv)
{
    static const char usage[] = "usage: bench_fence_cost [NTHREADS 0-8]";
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        puts(usage);
        return 0;
    }
    char *end = NULL;
    long nt = argc > 1 ? strtol(argv[1], &end, 10) : 1;
    if (argc > 2 || (end && (end == argv[1] || *end)) || nt < 0 || nt > 8) {
        fprintf(stderr, "bench_fence_cost: bad arguments; %s\n", usage);
        return 2;
    }
    if (membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) {
        perror("bench_fence_cost: membarrier register");
        return 1;
    }
    /* alone: no other thread of the process runs */
    time_membarriers(200); /* warm */
    double idle = time_membarriers(5000);

    pthread_t th[8];
    for (int i = 0; i < nt; i++)
        if (pthread_create(&th[i], NULL, spinner, g_spin[i]) != 0) {
            fprintf(stderr, "bench_fence_cost: pthread_create failed\n");
            return 1;
        }
    time_membarriers(200);
    double busy = time_membarriers(5000);
    atomic_store(&g_stop, 1);
    for (int i = 0; i < nt; i++)
        pthread_join(th[i], NULL);

    static _Alignas(64) atomic_uint busy_flag;
    const unsigned ops = 10000000;
    uint64_t t0 = now_ns();
    for (unsigned i = 0; i < ops; i++) {
        atomic_store_explicit(&busy_flag, i | 1, memory_order_relaxed);
        __asm__ volatile("" ::: "memory"); /* one store per round */
    }
    double store = (double)(now_ns() - t0) / ops;
    t0 = now_ns();
    for (unsigned i = 0; i < ops; i++)
        atomic_exchange_explicit(&busy_flag, i | 1, memory_order_seq_cst);
    double xchg = (double)(now_ns() - t0) / ops;

    double extra = xchg - store > 0.1 ? xchg - store : 0.1;
    printf("RESULT\tfence_cost\tmembarrier_busy\t%.0f\tns/call\t%ld other thread(s) "
           "running\n", busy, nt);
    printf("RESULT\tfence_cost\tmembarrier_idle\t%.0f\tns/call\tthe caller alone\n",
           idle);
    printf("RESULT\tfence_cost\tstore\t%.2f\tns/op\n", store);
    printf("RESULT\tfence_cost\texchange\t%.2f\tns/op\tseq_cst\n", xchg);
    printf("RESULT\tfence_cost\tbreak_even\t%.0f\tsubmits/sleep\tmembarrier_busy / "
           "(exchange - store)\n", busy / extra);
    return 0;
}
