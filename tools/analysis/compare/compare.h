/* compare.h - regression verdicts between two sets of runs (compare.c): for
 * every measure both sides have (samples.h), the base and new p50, p90, p99
 * (Harrell-Davis), their relative change with a bootstrap confidence
 * interval (shift.h), and one verdict: regressed, improved, same or
 * inconclusive (verdict.h), with guard rails.
 *
 * Tests: every assessed quantile of every duration measure and the mean of
 * every share/rate measure is one test; p-values are Holm-adjusted over all
 * of them together, so the chance of any false "regressed" in one compare
 * is at most alpha.
 *
 * Cost: per measure one rtt_cmp_quantiles or rtt_cmp_mean call (O(n) plus
 * R replicates over the blocks); the whole comparison of two 1 M-task runs
 * takes a fraction of a second after loading.
 */
#ifndef RTT_COMPARE_H
#define RTT_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "samples.h"
#include "shift.h"
#include "verdict.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTT_CMP_NQ 3 /* p50, p90, p99 */
#define RTT_CMP_MAX_OVERRIDES 16

/* A threshold for the measures whose name starts with prefix. */
typedef struct rtt_cmp_override {
    const char *prefix;
    rtt_threshold_t thr;
} rtt_cmp_override_t;

typedef struct rtt_cmp_opts {
    rtt_cmp_params_t prm;     /* seed, replicates, blocks, alpha */
    rtt_threshold_t thr;      /* durations: default 5% and 50 us */
    rtt_threshold_t share_thr; /* shares: absolute 0.01 (1 point) */
    rtt_threshold_t rate_thr;  /* rates: absolute 0.1 per second */
    rtt_cmp_override_t over[RTT_CMP_MAX_OVERRIDES];
    size_t nover;
    const char *only;         /* compare only measures whose name starts so */
} rtt_cmp_opts_t;

void rtt_cmp_opts_init(rtt_cmp_opts_t *o);

/* The measure families of some runs: their measure names up to the first
 * '.' or '[' ("interaction", "task", "drops"...), in the order met. */
#define RTT_CMP_MAX_FAMILIES 12
typedef struct rtt_cmp_families {
    char name[RTT_CMP_MAX_FAMILIES][24]; /* a longer family is left out */
    size_t n;
    int more; /* the runs have more families than fit */
} rtt_cmp_families_t;

/* Does prefix (--only) start any measure name of runs[0..n-1]? Returns 1,
 * or 0 with *fam the families the runs have (fam->n 0: no measure was
 * read). O(measures x families). */
int rtt_cmp_only_matches(const char *prefix, const rtt_run_t *runs, size_t n,
                         rtt_cmp_families_t *fam);

typedef struct rtt_cmp_row {
    char name[160];
    rtt_sample_kind_t kind;
    rtt_threshold_t thr;
    rtt_cmp_result_t q;      /* durations */
    rtt_cmp_mean_t mean;     /* shares and rates */
    double p_adj[RTT_CMP_NQ]; /* Holm-adjusted (mean: [0]); NaN: not a test */
    rtt_verdict_t qv[RTT_CMP_NQ]; /* per quantile (mean: [0]) */
    rtt_verdict_t verdict;
    int runs_needed;         /* inconclusive: more runs per side, else 0 */
    size_t runs_base, runs_cur; /* runs that have this measure */
    char note[160];          /* guard rail for this measure, or "" */
} rtt_cmp_row_t;

typedef struct rtt_comparison {
    rtt_cmp_row_t *rows;
    size_t n;
    size_t nbase, ncur;          /* runs per side */
    rtt_cmp_method_t method;     /* of the most runs; per row in q/mean */
    size_t tests;                /* Holm family size */
    size_t count[5];             /* rows per rtt_verdict_t */
    size_t not_assessed_q;       /* quantiles without enough samples */
    char warnings[8][200];       /* guard rails for the whole comparison */
    size_t nwarnings;
    rtt_cmp_opts_t opts;
} rtt_comparison_t;

/* Compare runs base[0..nb-1] with cur[0..nc-1]. Returns 0, or -1 with one
 * line in err (no measure in common; the two sides traced different
 * programs; out of memory). */
int rtt_compare_runs(const rtt_run_t *base, size_t nb, const rtt_run_t *cur,
                     size_t nc, const rtt_cmp_opts_t *o, rtt_comparison_t *out,
                     char *err, size_t errlen);
void rtt_comparison_free(rtt_comparison_t *c);

/* The exit status the comparison calls for: 0 nothing regressed, 1
 * something regressed, 3 only inconclusive when fail_on_inconclusive. */
int rtt_comparison_status(const rtt_comparison_t *c, int fail_on_inconclusive);

/* The comparison as a result: sections "comparison" (record: runs,
 * method, seed, alpha, thresholds, tests, verdict counts, status),
 * "verdicts" (one row per measure), with details "quantiles" (one row per
 * duration measure and statistic: base, new, change and its interval,
 * adjusted p, verdict) and "means" (share and rate measures), then
 * "warnings". NULL if out of memory. */
rtt_out_t *rtt_comparison_result(const rtt_comparison_t *c, int fail_on_inconclusive,
                                 int details);

#ifdef __cplusplus
}
#endif

#endif
