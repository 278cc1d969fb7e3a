/* shift.h - the bootstrap comparison of two sides (shift.c), the statistics
 * behind rt-trace compare: how far the p-quantiles of one measure moved
 * from a base set of runs to a new one (the "shift function"), with
 * confidence intervals and p-values; and the same for a mean (share of
 * frames over budget from 0/1 values, drops per unit from counts).
 *
 * Input: per side one or more runs, each the measure's values in time order
 * (int64 ns; values below 0 are taken as 0; empty runs are ignored). Each
 * run is cut into B contiguous time blocks of nearly equal count, B =
 * rtt_cmp_blocks(n, blocks_per_run). Method, the same for both sides:
 *  - RTT_CMP_BY_RUN when both sides have >= 2 non-empty runs: two-stage
 *    bootstrap, draw runs with replacement, then each drawn run's blocks
 *    with replacement. Run-to-run variation is in the SE. When runs do not
 *    differ it is conservative: the within-run part enters twice, variance
 *    ~ (2 - 1/R) times the true one; with few runs this offsets the
 *    (R-1)/R shrinkage of resampling R runs.
 *  - RTT_CMP_BY_BLOCK otherwise: blocks with replacement within each run (a
 *    non-overlapping block bootstrap; events of one run are correlated).
 * The two sides are resampled independently in every replicate; the RNG is
 * xoshiro256** seeded from params.seed by splitmix64, so the same inputs
 * and seed give the same result bit for bit.
 *
 * Quantiles: the reported base/new values are exact Harrell-Davis
 * estimates from the raw values (quantile.h). The statistic is
 * est = log((Qnew+1)/(Qbase+1)) (x+1 ns: zeros are fine); SE = standard
 * deviation of its replicates; CI exp(est -+ z se) with z = z_{1-alpha/2};
 * p = 2(1 - Phi(|est|/se)) (se == 0: p = 1 if est == 0, else 0). So that
 * estimate, CI and p-value share one scale, rel = exp(est) - 1 =
 * (new - base)/(base + 1): cur/base - 1 to within 1/base (1e-3 at 1 us),
 * finite at base 0 (rel = new), 0 when both are 0.
 * Replicates use histograms: each value goes to a log-linear bin (exact
 * below 512, else 256 bins per octave: relative width <= 2^-8); each block
 * keeps cumulative bin counts; a replicate's quantile is HD on the
 * multiplicity-weighted sum with values spread uniformly inside each bin
 * (rtt_hd_quantile_hist), evaluated only in the window of bins that matter
 * (found by galloping from the last replicate's window).
 *
 * Limits: the interval is a normal (z) one, as specified. With 2-5 runs a
 * side and real run-to-run level changes it is too narrow: simulated, 5%
 * level jitter between runs, 3 runs a side, alpha 0.01: 7.5% of A/A CIs
 * miss 0 (10 runs: 1.7%). A t quantile with Welch's degrees of freedom on
 * the per-side replicate variances times R/(R-1) brings that to <= 1%
 * (it is not applied here). By-block (one run) calibrates well: 1.3% at
 * 2000 values, 6% at nominal 5% (AR(1) 0.9 correlated: 7%). Blocks hold at
 * most 2^32 - 1 values.
 *
 * Costs, n values a side, U blocks, K occupied bins (<= 14 336, ~4 k for a
 * lognormal over 1 M), R replicates, q quantiles: two passes over the
 * values (bins, then one gather for all exact-estimate windows), O(window)
 * radix sorts, O(window) Beta weights, and O(R q (window bins + a few
 * search probes) U) for the replicates. 1 M vs 1 M values, 3 quantiles,
 * R = 400: ~17 ms on one core (the [slow] test prints it), mostly the two
 * passes. Memory a side: 4 K U bytes of cumulative counts (1 MB for 64
 * blocks and K = 4 k), 230 KB of bin bounds, the gathered windows (16
 * bytes a value, ~40 k values at 1 M) and, while binning, <= 8 bytes a
 * value of sparse counts (~8 K U typically); inputs are not copied.
 * Measured peak: 1.4 MB for 1 M vs 1 M, 5.3 MB for 5 x 200 k a side (320
 * blocks). Means: O(n + R U) time, O(U) memory.
 */
#ifndef RTT_COMPARE_SHIFT_H
#define RTT_COMPARE_SHIFT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rtt_cmp_run {
    const int64_t *v; /* time order */
    size_t n;
} rtt_cmp_run_t;

typedef struct rtt_cmp_side {
    const rtt_cmp_run_t *runs;
    size_t nruns;
} rtt_cmp_side_t;

typedef enum { RTT_CMP_BY_RUN, RTT_CMP_BY_BLOCK } rtt_cmp_method_t;

#define RTT_CMP_SEED 0x7274742d636d70ULL /* "rtt-cmp" */

typedef struct rtt_cmp_params {
    uint64_t seed;      /* default RTT_CMP_SEED */
    int replicates;     /* default 400; >= 2 */
    int blocks_per_run; /* default 0 = auto, see rtt_cmp_blocks */
    double alpha;       /* default 0.01, two-sided, in (0, 1) */
} rtt_cmp_params_t;

void rtt_cmp_params_init(rtt_cmp_params_t *p);

/* Blocks for a run of n values: blocks_per_run if > 0, else
 * clamp(round(cbrt(n)) * 2, 8, 64); never more than n (0 for n == 0). */
size_t rtt_cmp_blocks(size_t n, int blocks_per_run);

/* "by-run", "by-block". */
const char *rtt_cmp_method_name(rtt_cmp_method_t m);

/* A quantile is assessed when both sides have at least this many values
 * beyond it: n * min(p, 1-p) >= 10, so p90 needs 100 values and p99 needs
 * 1000 (a tail of fewer than 10 values says little about a tail quantile). */
#define RTT_CMP_MIN_TAIL 10
#define RTT_CMP_MAX_Q 4

typedef struct rtt_cmp_quant {
    double p;                /* 0.5, 0.9, 0.99 */
    double base, cur;        /* exact HD estimates (ns) */
    double diff;             /* cur - base (ns) */
    double rel;              /* (cur - base) / (base + 1) = exp(est) - 1 */
    double rel_lo, rel_hi;   /* 1-alpha CI of rel: exp(est -+ z se) - 1 */
    double diff_lo, diff_hi; /* 1-alpha CI of diff: (base + 1) * rel_lo/hi */
    double se_log;           /* bootstrap SE of est = log((cur+1)/(base+1)) */
    double p_value;          /* two-sided, z = est / se_log; not adjusted */
    int assessed;            /* both sides have RTT_CMP_MIN_TAIL values beyond p */
} rtt_cmp_quant_t;

typedef struct rtt_cmp_result {
    rtt_cmp_method_t method;
    size_t units_base, units_cur; /* non-empty runs (BY_RUN) or blocks (BY_BLOCK) */
    int64_t n_base, n_cur;
    double max_base, max_cur;
    size_t nq;
    rtt_cmp_quant_t q[RTT_CMP_MAX_Q];
} rtt_cmp_result_t;

/* Compare the quantiles ps[0..nps-1] (each in (0,1), nps 1..4) of base and
 * cur. prm NULL: defaults. *out is zeroed first (padding too: results
 * compare with memcmp). Returns 0, or -1 with errno EINVAL (a side without
 * values, bad ps or params) or ENOMEM. */
int rtt_cmp_quantiles(const rtt_cmp_side_t *base, const rtt_cmp_side_t *cur,
                      const double *ps, size_t nps, const rtt_cmp_params_t *prm,
                      rtt_cmp_result_t *out);

typedef struct rtt_cmp_mean {
    double base, cur;        /* means of all values */
    double diff;             /* cur - base */
    double diff_lo, diff_hi; /* 1-alpha CI: diff -+ z se */
    double se;               /* bootstrap SE of diff (linear scale) */
    double p_value;          /* two-sided, z = diff / se; se == 0 as above */
    rtt_cmp_method_t method;
    size_t units_base, units_cur;
    int64_t n_base, n_cur;
} rtt_cmp_mean_t;

/* Compare the means (a replicate's mean is its resampled sum over its
 * resampled count). Same method, RNG and errors as rtt_cmp_quantiles. */
int rtt_cmp_mean(const rtt_cmp_side_t *base, const rtt_cmp_side_t *cur,
                 const rtt_cmp_params_t *prm, rtt_cmp_mean_t *out);

#ifdef __cplusplus
}
#endif

#endif
