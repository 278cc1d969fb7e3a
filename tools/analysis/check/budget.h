/* budget.h - budget files for `rt-trace check DB --budget FILE` (budget.c):
 * one rule a line, e.g. "task run_time p90 < 2ms where name = highlight",
 * parsed into rules the evaluator measures and reports pass/fail.
 * The format is documented in docs/budget-format.md.
 *
 * Cost: parsing is one pass over the text, O(bytes); each rule costs one
 * allocation (its text and filter values) plus the rule array, grown by
 * doubling. Lines are at most 1000 bytes. No global state; thread-safe.
 */
#ifndef RTT_BUDGET_H
#define RTT_BUDGET_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTT_BUDGET_MAX_LINE 1000 /* bytes per line, without the line end */
#define RTT_BUDGET_MAX_FILTERS 4

typedef enum rtt_op {
    RTT_OP_LT, /* <  */
    RTT_OP_LE, /* <= */
    RTT_OP_GT, /* >  */
    RTT_OP_GE, /* >= */
    RTT_OP_EQ, /* == */
    RTT_OP_NE  /* != */
} rtt_op_t;

typedef enum rtt_valkind {
    RTT_VAL_DURATION, /* value in ns (stats p, max, min, mean of a measure) */
    RTT_VAL_RATIO,    /* a fraction, 0..1 (over_budget_share) */
    RTT_VAL_COUNT     /* a non-negative number (count, total, discarded, ...) */
} rtt_valkind_t;

/* key: "name", "priority", "type", "reason" or "source" (static string).
 * value: for "name" the text as written, quotes and escapes removed; for
 * every other key the integer code in decimal without leading zeros, names
 * translated to their code: priority "2", dispatch type "7", command type
 * schedule_task -> "2", drop reason work_queue_full -> "0", drop source (the
 * dropped item's kind) timer -> "3". Owned by the budget. */
typedef struct rtt_budget_filter {
    const char *key;
    const char *value;
} rtt_budget_filter_t;

typedef struct rtt_budget_rule {
    int line;            /* 1-based line in the file */
    const char *text;    /* the rule as written, trimmed, without comment */
    const char *subject; /* "interaction", "task", "dispatch", "timer", "command",
                            "tick", "frames", "drops", "tracer" */
    const char *measure; /* the measure, default filled in ("run_time"); NULL
                            for frames, drops and tracer */
    const char *stat;    /* "p", "max", "min", "mean", "count",
                            "over_budget_share", "discarded", "lost_packets";
                            drops' "total" and "count" are both "count" */
    double percentile;   /* stat "p": in (0, 100], e.g. 99.9; else 0 */
    rtt_op_t op;
    double value;        /* the limit: ns, a fraction, or a count */
    rtt_valkind_t kind;
    const char *unit;    /* the limit's unit as written: "ns", "us", "ms",
                            "s", "%", or "" (counts, ratios as fractions) */
    size_t nfilters;
    rtt_budget_filter_t filters[RTT_BUDGET_MAX_FILTERS];
} rtt_budget_rule_t;

typedef struct rtt_budget rtt_budget_t;

/* Parse text (a whole file's contents; NULL reads as empty) named `name` in
 * messages (NULL: "budget"). Returns the budget, or NULL and one line in err
 * (if err and errlen > 0), "FILE:LINE: <what is wrong>", e.g.
 *   budget.txt:3: unknown measure 'runtime' for task (expected run_time, queue_wait, total or cpu_time)
 * or "FILE: no rules" when no line holds a rule. */
rtt_budget_t *rtt_budget_parse(const char *text, const char *name, char *err,
                               size_t errlen);

/* Read the file at path and parse it (messages name the file by path).
 * Unreadable: "PATH: cannot read: No such file or directory". */
rtt_budget_t *rtt_budget_load(const char *path, char *err, size_t errlen);

void rtt_budget_free(rtt_budget_t *b); /* NULL ok */

/* The rules in file order; rtt_budget_get returns NULL for i >= count. */
size_t rtt_budget_count(const rtt_budget_t *b);
const rtt_budget_rule_t *rtt_budget_get(const rtt_budget_t *b, size_t i);

/* Whether `measured OP limit` holds: 1 pass, 0 fail. A NaN measured value
 * (nothing to measure) never passes, not even for !=. */
int rtt_budget_holds(rtt_op_t op, double measured, double limit);

/* "<", "<=", ">", ">=", "==", "!=" ("?" for anything else). Static. */
const char *rtt_op_text(rtt_op_t op);

/* v (ns, fraction or count, like r->value) in the rule's own unit, for
 * reports: "16.7 ms", "1 %", "0.01", "0"; NaN is "-". Always terminates buf
 * (len > 0). */
void rtt_budget_format_value(const rtt_budget_rule_t *r, double v, char *buf,
                             size_t len);

#ifdef __cplusplus
}
#endif

#endif /* RTT_BUDGET_H */
