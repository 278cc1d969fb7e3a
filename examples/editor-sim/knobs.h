/* knobs.h - regressions injected on purpose (knobs.c): --slow NAME=FACTOR
 * scales the simulated (spun) cost of the work traced as NAME, --stall-every
 * N --stall-ms M makes every N-th handled key also run an M ms "stall" task.
 * Neither draws a random number, so a seed's schedule is the same with or
 * without them. Set by main before the loop runs, read on the loop thread.
 *
 * Costs: knob_cost O(1) (one multiply); parsing and printing O(names). */
#ifndef EDSIM_KNOBS_H
#define EDSIM_KNOBS_H

#include <stdint.h>
#include <stdio.h>

/* The work with a simulated cost, by trace name ("highlight", "reflow",
 * "autosave", "stall"). */
typedef enum knob_id {
    KNOB_HIGHLIGHT, KNOB_REFLOW, KNOB_AUTOSAVE, KNOB_STALL,
    KNOB__COUNT
} knob_id_t;

typedef struct knobs {
    double slow[KNOB__COUNT]; /* cost factor; 0: not given (x1) */
    uint64_t stall_every;     /* 0: no stalls */
    uint64_t stall_ns;
} knobs_t;

/* Parse one --slow value, "NAME=FACTOR" (FACTOR 0.01 to 100, each NAME at
 * most once) into k. 0, or -1 after printing a one-line error to stderr. */
int knobs_parse_slow(knobs_t *k, const char *val);

/* The cost to spin for work id whose normal cost is ns: ns x its factor. */
uint64_t knob_cost(const knobs_t *k, knob_id_t id, uint64_t ns);

/* If any knob is set, one summary line ("  knobs: slow: highlight x1.15;
 * stall: 40 ms every 100 keys, 12 stalls") to f. */
void knobs_print(const knobs_t *k, uint64_t stalls, uint64_t stalls_refused,
                 FILE *f);

#endif
