/* tick_cost.c - what one loop iteration costs when there is nothing to do:
 * rtk_tick on a booted runtime with no task, timer, event or command
 * (every keystroke's tick pays at least this, and so does every wake-up
 * of an idle loop). bench/instr_count.sh runs it under valgrind at two
 * sizes and prints the difference per tick (row instr_tick); run alone it
 * prints the clock's figure.
 *
 *   build/bench/bench/bench_tick_cost [TICKS]   (default 1 000 000) */
#include <rtk/rtk.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    if (n < 1 || argc > 2) {
        fprintf(stderr, "usage: bench_tick_cost [TICKS >= 1]\n");
        return 2;
    }
    rtk_config_t c;
    rtk_config_init(&c);
    rtk_runtime_t *rt;
    if (rtk_runtime_create(&c, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK) {
        fprintf(stderr, "bench_tick_cost: runtime create failed\n");
        return 1;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++)
        if (rtk_tick(rt) != 1) {
            fprintf(stderr, "bench_tick_cost: the runtime stopped\n");
            return 1;
        }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / n;
    printf("RESULT\ttick\trtk\t%.1f\tns/tick\tan empty rtk_tick, %ld ticks\n", ns, n);
    rtk_runtime_destroy(rt);
    return 0;
}
