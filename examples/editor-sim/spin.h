/* spin.h - CPU work bounded by time (spin.c): the cost model of every
 * simulated job. */
#ifndef EDSIM_SPIN_H
#define EDSIM_SPIN_H

#include <stdint.h>

/* CLOCK_MONOTONIC in ns (the clock of the runtime and of LTTng). */
uint64_t ed_now_ns(void);

/* Run work(ctx) repeatedly until ns have passed since the call; returns how
 * many times it ran. work must be short (microseconds): the clock is read
 * between calls. Real CPU, no sleeping. */
uint64_t ed_spin(uint64_t ns, void (*work)(void *ctx), void *ctx);

#endif
