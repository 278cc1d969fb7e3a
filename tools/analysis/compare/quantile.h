/* quantile.h - the Harrell-Davis quantile estimator (quantile.c) and the
 * regularized incomplete beta I_x(a,b) it is built from, in the forms rt-trace
 * compare needs (shift.c): on sorted values, on the window of them that
 * matters, on unsorted parts, and on histograms for bootstrap replicates;
 * plus the log-linear bins of those histograms.
 *
 * HD estimate of the p-quantile of n sorted values: sum_i w_i v_i with
 * w_i = I_{i/n}(a,b) - I_{(i-1)/n}(a,b), a = (n+1)p, b = (n+1)(1-p); a
 * smooth weighted average of the order statistics near rank p*n.
 *
 * Costs: only the window of ranks where the Beta(a,b) weights can exceed
 * 1e-16 is evaluated (12 standard deviations around p*n, widened by search
 * when min(a,b) < 100, where the Beta is skewed): a 1 M sample at p = 0.5
 * costs ~12 000 weight evaluations (0.5 ms), O(sqrt(n)), not O(n).
 * rtt_hd_quantile_unsorted and rtt_hd_gather allocate their windows; the
 * rest allocates nothing.
 *
 * Accuracy (what the tests check): rtt_ibeta to ~1e-14 absolute; HD
 * estimates to 1e-9 of the window's value range (measured: ~1e-15).
 *  - min(a,b) < 100: each weight is a difference of two rtt_ibeta values
 *    (continued fraction, modified Lentz; iterations grow like
 *    sqrt(max(a,b)), at most ~300 here).
 *  - min(a,b) >= 100: the cell width 1/n is below 0.1 Beta standard
 *    deviation, so each w_i is the Beta density integrated over its cell by
 *    a 4th-order Taylor rule around the midpoint (error ~(1/n / sd)^6), and
 *    the weights are normalized to sum 1, which removes B(a,b) altogether.
 *    One exp and two log1p per rank; no continued fraction.
 */
#ifndef RTT_COMPARE_QUANTILE_H
#define RTT_COMPARE_QUANTILE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Below this min(a,b) the Beta is too skewed for the normal-based shortcuts
 * (12-sd window, cell rule, asymptotic expansion). */
#define RTT_HD_SMOOTH_MIN 100.0

/* I_x(a,b), a > 0, b > 0; 0 for x <= 0, 1 for x >= 1, NaN for bad a, b or
 * x. Continued fraction on the side of the mean where it converges fast
 * (1 - I_{1-x}(b,a) on the other). Prefactor x^a (1-x)^b / B(a,b) from
 * lgamma when min(a,b) < 10, else from Stirling's series with the
 * exponent written as -(a r(x/x0 - 1) + b r(y/y0 - 1)), r(t) = t -
 * log1p(t), x0 = a/(a+b): no cancellation of large lgamma values, ~1e-15
 * relative even at a, b ~ 1e6. Cost O(sqrt(max(a,b))) iterations. */
double rtt_ibeta(double a, double b, double x);

/* The bootstrap's I_x(a,b): for min(a,b) >= 10 Temme's uniform asymptotic
 * expansion with its first correction term,
 *   I = Phi(eta sqrt(c)) - exp(-c eta^2/2) / sqrt(2 pi c)
 *       * (sqrt(x0 y0) / (x - x0) - 1/eta),
 * c = a+b, x0 = a/c, eta^2/2 = x0 ln(x0/x) + y0 ln(y0/y), sign(eta) =
 * sign(x - x0): O(1) (one erfc, one exp, two log1p). Absolute error
 * O(min(a,b)^-3/2), measured: < 1e-4 at min(a,b) = 10, 3e-6 at 100, 1e-7 at
 * 1000 (the tests check it). That moves a replicate's quantile by far less
 * than its sampling spread. Below 10 it is rtt_ibeta. */
double rtt_ibeta_fast(double a, double b, double x);

/* [*xlo, *xhi]: the probabilities outside which the HD weights of a sample
 * of n values at p (Beta((n+1)p, (n+1)(1-p))) sum to below ~1e-16 on each
 * side. fast (bootstrap replicates): 6 sd, or the search to 1e-9; what is
 * left out is put on the edge bins, moving a replicate by < 1e-7 of the
 * window's span. */
void rtt_hd_range(double n, double p, int fast, double *xlo, double *xhi);

/* The ranks lo..hi (1-based) of n values whose cells ((i-1)/n, i/n] meet
 * rtt_hd_range (exact); 1 <= lo <= hi <= n for n >= 1. */
void rtt_hd_ranks(size_t n, double p, size_t *lo, size_t *hi);

/* HD p-quantile (0 < p < 1) of v[0..n-1] sorted ascending. NaN if n == 0 or
 * p is outside (0, 1); v[0] if n == 1. */
double rtt_hd_quantile_sorted(const int64_t *v, size_t n, double p);

/* The same from part of the sorted sample: w[0..count-1] are the values of
 * ranks first..first+count-1 (1-based) of n. It must cover the ranks of
 * rtt_hd_range (cells i with ((i-1)/n, i/n] meeting [xlo, xhi]); weight
 * outside the given ranks goes to w[0] and w[count-1]. */
double rtt_hd_quantile_window(const int64_t *w, size_t first, size_t count, size_t n,
                              double p);

/* The same with w[0..count-1] in any order: sorts w in place first (LSD
 * radix sort, 8 bits a pass, as many passes as max - min needs; count
 * extra int64s). NaN with errno ENOMEM if that allocation fails. */
double rtt_hd_quantile_unsorted(int64_t *w, size_t first, size_t count, size_t n, double p);

/* Exact HD of several quantiles of n values held unsorted in parts
 * (part[u][0..len[u]-1], below 0 counted as 0), when for window j the ranks
 * rtt_hd_ranks needs are known to be held by exactly the values in
 * [vlo, vhi], of ranks first..first+count-1 (a histogram tells): one
 * branch-free pass gathers them, each window is sorted and evaluated. O(n)
 * plus O(window) per window; memory 16 bytes a gathered value. Returns 0,
 * or -1 with errno ENOMEM. */
typedef struct rtt_hd_win {
    double p;            /* in: 0 < p < 1 */
    size_t first, count; /* in */
    int64_t vlo, vhi;    /* in */
    double q;            /* out: the estimate */
} rtt_hd_win_t;
int rtt_hd_gather(const int64_t *const *part, const uint32_t *len, size_t nparts, size_t n,
                  rtt_hd_win_t *win, size_t nwin);

/* HD p-quantile of a histogram of n values (n may be a weighted total).
 * nb bins in value order: bin j holds the values of ranks (cum[j], cum[j+1]]
 * (cum[0] values lie below bin 0, n - cum[nb] above the last) spread
 * uniformly over [lo[j], hi[j]] (lo == hi: a point mass). Exactly the HD
 * integral of the piecewise-linear quantile function this describes, with
 * rtt_ibeta_fast at the nb+1 edges: O(nb). Mass below cum[0] is put at
 * lo[0], above cum[nb] at hi[nb-1]; pass the bins that cover rtt_hd_range.
 * Spreading within a bin keeps a bootstrap replicate's quantile continuous
 * in the counts; with point masses it would jump a whole bin (0.4%) while
 * the quantile's own spread at 1 M values is ~0.1%. */
double rtt_hd_quantile_hist(double n, double p, const double *cum, const double *lo,
                            const double *hi, size_t nb);

/* Log-linear bins for histograms of int64 ns values: v < 256 has its own
 * bin (0/1 and small counts stay exact; so do 256..511, bins of width 1),
 * above that 256 bins per octave, relative width <= 2^-8 (0.4%). Bin ids
 * grow with v; below 0 counts as 0. */
#define RTT_HD_NBINS 14336u /* 256 + 55 octaves of 256 cover v < 2^63 */
unsigned rtt_hd_bin(int64_t v);
/* The integers of bin k: [*lo, *hi]. */
void rtt_hd_bin_range(unsigned k, int64_t *lo, int64_t *hi);

#ifdef __cplusplus
}
#endif

#endif
