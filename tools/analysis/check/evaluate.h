/* evaluate.h - measures a database against a budget (evaluate.c), for
 * `rt-trace check`. Every figure comes from the engine's own code: item
 * measures from the measure catalogue (query/measures.h) through the same
 * SQL expressions as `latency`, percentiles from stats/ (linear
 * interpolation, as `summary` and `latency` print them), interactions from
 * interactions/, frames over budget as `frames` counts them (duration >
 * 16.7 ms), drops and tracer loss as `drops` does.
 *
 * Cost: per rule one scan of its table with the rule's filters (an
 * interaction rule: one rebuild of the interactions, shared by all such
 * rules), then one radix sort.
 */
#ifndef RTT_EVALUATE_H
#define RTT_EVALUATE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "budget.h"
#include "result.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTT_CHECK_FRAME_BUDGET_NS 16700000LL

typedef struct rtt_check_item {
    const rtt_budget_rule_t *rule;
    double measured; /* NaN: nothing to measure (no values) */
    int64_t n;       /* values the statistic was computed over */
    int pass;
} rtt_check_item_t;

typedef struct rtt_check {
    rtt_check_item_t *items;
    size_t n, passed, failed;
} rtt_check_t;

/* Measure every rule of b on db. Returns 0, or -1 with one line in err
 * (an SQL error). A rule with nothing to measure fails (NaN), except
 * counts, which are 0. */
int rtt_check_run(sqlite3 *db, const rtt_budget_t *b, rtt_check_t *out, char *err,
                  size_t errlen);
void rtt_check_free(rtt_check_t *c);

/* Sections "check" (record: rules, passed, failed, status) and "rules"
 * (line, rule, measured as written in the rule's units, limit, values,
 * result, and the raw value: ns, a fraction or a count). NULL if out of
 * memory. */
rtt_out_t *rtt_check_result(const rtt_check_t *c);

#ifdef __cplusplus
}
#endif

#endif
