/* verdict.h - from bootstrap estimates to conclusions (verdict.c): the
 * intervals and p-values of a quantile or mean comparison (filled in for
 * shift.c), Holm's correction over many tests, the verdict per quantile,
 * per mean and per measure, and how many more runs an inconclusive result
 * would need.
 *
 * Costs: rtt_holm O(n^2) time for n tests and no allocation (n is a few
 * hundred at most: ~30 measures x 3 quantiles); the fill functions O(R)
 * for R replicates; the rest O(1).
 *
 * Rules (t = the threshold, alpha two-sided):
 *  - a quantile change is practically large when |rel| > t->rel AND
 *    |diff| > t->abs_ns; its null region is everything not large, i.e.
 *    |rel| <= r0 with r0 = max(t->rel, t->abs_ns / (base + 1));
 *  - REGRESSED: Holm-adjusted p < alpha and the point estimate is a large
 *    increase; IMPROVED: the same for a decrease; SAME: the whole CI lies
 *    in the null region (both ends |rel| <= t->rel, or both ends
 *    |diff| <= t->abs_ns); otherwise INCONCLUSIVE; NOT_ASSESSED when the
 *    quantile has too few samples (shift.h, RTT_CMP_MIN_TAIL);
 *  - means (shares, counts per unit) use the absolute threshold only,
 *    t->abs_ns in the measure's own unit (0.01 = one percentage point of a
 *    share): a share near 0 makes relative changes meaningless (0.1% ->
 *    0.2% is +100%). t->rel is ignored;
 *  - a measure is REGRESSED if any quantile regressed, else IMPROVED if any
 *    improved, else SAME if every assessed one is SAME, else INCONCLUSIVE;
 *    NOT_ASSESSED if none is assessed.
 */
#ifndef RTT_COMPARE_VERDICT_H
#define RTT_COMPARE_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "shift.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RTT_V_SAME,
    RTT_V_IMPROVED,
    RTT_V_REGRESSED,
    RTT_V_INCONCLUSIVE,
    RTT_V_NOT_ASSESSED
} rtt_verdict_t;

/* "same", "improved", "regressed", "inconclusive", "not assessed". */
const char *rtt_verdict_name(rtt_verdict_t v);

typedef struct rtt_threshold {
    double rel;    /* relative change, default 0.05 */
    double abs_ns; /* absolute change (ns; means: their unit), default 50000 */
} rtt_threshold_t;

#define RTT_THR_REL 0.05
#define RTT_THR_ABS_NS 50000.0
void rtt_threshold_init(rtt_threshold_t *t);

/* Standard normal CDF (via erfc) and its inverse (rational start, then
 * Halley steps on erfc: ~1e-15 relative); NaN outside (0, 1). */
double rtt_norm_cdf(double z);
double rtt_norm_quantile(double p);

/* Two-sided normal p-value of est with standard error se: 2(1 -
 * Phi(|est|/se)); se == 0 (or below): 1 if est == 0, else 0. */
double rtt_p_two_sided(double est, double se);

/* Fill q (shift.c calls it; see rtt_cmp_quant_t): p, the HD estimates
 * base and cur, rep[0..R-1] the replicates of log((cur+1)/(base+1)), the
 * sample sizes for `assessed`. SE = their standard deviation. */
void rtt_cmp_quant_fill(rtt_cmp_quant_t *q, double p, double base, double cur,
                        const double *rep, size_t R, double alpha, int64_t n_base,
                        int64_t n_cur);

/* Fill the statistics of m from the means and rep[0..R-1], the replicates
 * of cur - base: CI diff -+ z se, p-value. */
void rtt_cmp_mean_fill(rtt_cmp_mean_t *m, double base, double cur, const double *rep,
                       size_t R, double alpha);

/* Holm's step-down adjustment: with p sorted ascending, adjusted_(i) =
 * max over j <= i of min(1, (n - j + 1) p_(j)); returned in input order
 * (adjusted may be p). Ties get the same value; NaN counts as 1. */
void rtt_holm(const double *p, size_t n, double *adjusted);

/* Verdict of one quantile given its Holm-adjusted p-value. */
rtt_verdict_t rtt_verdict_quantile(const rtt_cmp_quant_t *q, double p_adj, double alpha,
                                   const rtt_threshold_t *t);

/* Verdict of a mean comparison: the rules above with only t->abs_ns:
 * REGRESSED/IMPROVED when p_adj < alpha and |diff| > t->abs_ns, SAME when
 * both CI ends are within +-t->abs_ns. Higher is worse (over-budget share,
 * drops); never NOT_ASSESSED (rtt_cmp_mean fails on an empty side). */
rtt_verdict_t rtt_verdict_mean(const rtt_cmp_mean_t *m, double p_adj, double alpha,
                               const rtt_threshold_t *t);

/* A measure's verdict from its quantiles' verdicts v[0..n-1]. */
rtt_verdict_t rtt_verdict_combine(const rtt_verdict_t *v, size_t n);

#define RTT_RUNS_NEEDED_MAX 1000

/* Extra runs per side after which an inconclusive quantile would be
 * settled if its estimate stayed where it is. The SE is assumed to shrink
 * as 1/sqrt(runs): se_k = se sqrt(n0 / (n0 + k)), n0 = runs_now (0 counts
 * as 1; by-block results: the one run now). With e = log(1 + rel), z =
 * z_{1-alpha/2} and the null region [log(1 - r0), log(1 + r0)] on the log
 * scale (r0 as above), the smaller of
 *  - to REGRESSED/IMPROVED (only if the point estimate is practically
 *    large): the CI must exclude 0, z se_k < |e|:
 *    k = floor(n0 ((z se / |e|)^2 - 1)) + 1;
 *  - to SAME (only if e is inside the null region): the CI must fit inside,
 *    z se_k <= d, d = the distance from e to the nearer end:
 *    k = ceil(n0 ((z se / d)^2 - 1)).
 * Returns 0 when not assessed or already settled at this alpha (se == 0
 * always is), RTT_RUNS_NEEDED_MAX when neither is reachable or more would
 * be needed. The verdict uses Holm-adjusted p-values: pass alpha / (number
 * of tests) for a figure that is safe under the correction. */
int rtt_runs_needed(const rtt_cmp_quant_t *q, size_t runs_now, double alpha,
                    const rtt_threshold_t *t);

/* The same for a mean: linear scale, null region [-t->abs_ns, t->abs_ns],
 * large when |diff| > t->abs_ns. */
int rtt_runs_needed_mean(const rtt_cmp_mean_t *m, size_t runs_now, double alpha,
                         const rtt_threshold_t *t);

#ifdef __cplusplus
}
#endif

#endif
