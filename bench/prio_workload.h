/* prio_workload.h - the priorities of the priority-spread rows, shared by
 * `bench_rtk prio_spread|prio_drift` and the two floors (fifo_floor.c,
 * sort_floor.c): task i of 2^20 gets i scrambled on 20 bits (an odd
 * multiplier, a bijection), mapped onto d values by a multiply and a
 * shift (x * d / 2^20: each value gets 2^20 / d tasks, rounded down or
 * up, as with x % d).
 *
 * Not x % d: that is a division by a run-time d, about 26 cycles, and it
 * sits on the critical path of every queue whose slot depends on the
 * priority (a level looked up by it, a bucket). At one priority the
 * branch that finds the same level is predicted and hides it; at 10 it
 * cannot, and the division charged 4.4 ns a task to the queue at D = 10,
 * which a program with constant priorities or a deadline (a subtraction)
 * does not pay. The multiply is 3 cycles (docs/benchmarks.md, "The
 * workload's division"). Header-only. */
#ifndef BENCH_PRIO_WORKLOAD_H
#define BENCH_PRIO_WORKLOAD_H

#include <stdint.h>

#define PRIO_WORKLOAD_N (1u << 20) /* tasks per pass */

static inline uint32_t prio_workload_of(uint32_t i, uint32_t d)
{
    uint64_t x = (i * 0x9E3779B1u) & (PRIO_WORKLOAD_N - 1);
    return (uint32_t)((x * d) >> 20);
}

#endif
