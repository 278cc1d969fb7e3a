/* verdict.c - intervals and p-values from bootstrap replicates, the normal
 * CDF and its inverse, Holm's correction, verdicts and the runs-needed
 * estimate (verdict.h has the rules and formulas). Time: Holm O(n^2) for n
 * tests, the fills O(R) for R replicates, the rest O(1); no allocation. */

#include "verdict.h"

#include <math.h>

#define LN_SQRT_2PI 0.91893853320467274178

const char *rtt_verdict_name(rtt_verdict_t v)
{
    switch (v) {
    case RTT_V_SAME:
        return "same";
    case RTT_V_IMPROVED:
        return "improved";
    case RTT_V_REGRESSED:
        return "regressed";
    case RTT_V_INCONCLUSIVE:
        return "inconclusive";
    case RTT_V_NOT_ASSESSED:
        return "not assessed";
    }
    return "?";
}

void rtt_threshold_init(rtt_threshold_t *t)
{
    t->rel = RTT_THR_REL;
    t->abs_ns = RTT_THR_ABS_NS;
}

double rtt_norm_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

double rtt_norm_quantile(double p)
{
    if (!(p > 0.0 && p < 1.0))
        return NAN;
    if (p > 0.5)
        return -rtt_norm_quantile(1.0 - p); /* 1 - p is exact here */
    /* start: Hastings' rational form (error < 5e-4), then Halley steps on
     * Phi(z) - p, which has full relative precision in the lower tail */
    double t = sqrt(-2.0 * log(p));
    double z = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                         (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
    for (int i = 0; i < 4; i++) {
        double dens = exp(-0.5 * z * z - LN_SQRT_2PI);
        if (dens <= 0.0)
            break;
        double u = (rtt_norm_cdf(z) - p) / dens;
        z -= u / (1.0 + 0.5 * z * u);
    }
    return z;
}

double rtt_p_two_sided(double est, double se)
{
    if (se > 0.0)
        return erfc(fabs(est) / se / sqrt(2.0));
    return est == 0.0 ? 1.0 : 0.0;
}

/* standard deviation (n - 1) */
static double sd_of(const double *x, size_t n)
{
    double m = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    return n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
}

void rtt_cmp_quant_fill(rtt_cmp_quant_t *q, double p, double base, double cur,
                        const double *rep, size_t R, double alpha, int64_t n_base,
                        int64_t n_cur)
{
    double z = rtt_norm_quantile(1.0 - alpha / 2.0), se = sd_of(rep, R);
    double est = log1p(cur) - log1p(base), tail = p < 0.5 ? p : 1.0 - p;
    double need = RTT_CMP_MIN_TAIL - 1e-9; /* 100 * (1 - 0.9) is 9.999... */
    q->p = p;
    q->base = base;
    q->cur = cur;
    q->diff = cur - base;
    q->rel = (cur - base) / (base + 1.0);
    q->rel_lo = expm1(est - z * se);
    q->rel_hi = expm1(est + z * se);
    q->diff_lo = (base + 1.0) * q->rel_lo;
    q->diff_hi = (base + 1.0) * q->rel_hi;
    q->se_log = se;
    q->p_value = rtt_p_two_sided(est, se);
    q->assessed = (double)n_base * tail >= need && (double)n_cur * tail >= need;
}

void rtt_cmp_mean_fill(rtt_cmp_mean_t *m, double base, double cur, const double *rep,
                       size_t R, double alpha)
{
    double z = rtt_norm_quantile(1.0 - alpha / 2.0), se = sd_of(rep, R);
    m->base = base;
    m->cur = cur;
    m->diff = cur - base;
    m->diff_lo = m->diff - z * se;
    m->diff_hi = m->diff + z * se;
    m->se = se;
    m->p_value = rtt_p_two_sided(m->diff, se);
}

static double pv(double p)
{
    return isnan(p) ? 1.0 : p;
}

/* (p[j], j) comes no later than (p[i], i) in ascending order */
static int before(const double *p, size_t j, size_t i)
{
    return pv(p[j]) < pv(p[i]) || (pv(p[j]) == pv(p[i]) && j <= i);
}

void rtt_holm(const double *p, size_t n, double *adjusted)
{
    /* adjusted must not overlap p: the ranks are computed from p first */
    for (size_t i = 0; i < n; i++) {
        size_t rank = 0;
        for (size_t j = 0; j < n; j++)
            rank += j != i && before(p, j, i);
        double a = (double)(n - rank) * pv(p[i]);
        adjusted[i] = a < 1.0 ? a : 1.0;
    }
    /* running maximum in p order; replacing one value by the maximum over
     * its predecessors leaves every later maximum unchanged, so in place */
    for (size_t i = 0; i < n; i++) {
        double mx = adjusted[i];
        for (size_t j = 0; j < n; j++)
            if (before(p, j, i) && adjusted[j] > mx)
                mx = adjusted[j];
        adjusted[i] = mx;
    }
}

/* the null region's half-width on the rel scale */
static double null_rel(const rtt_cmp_quant_t *q, const rtt_threshold_t *t)
{
    double r = t->abs_ns / (q->base + 1.0);
    return r > t->rel ? r : t->rel;
}

rtt_verdict_t rtt_verdict_quantile(const rtt_cmp_quant_t *q, double p_adj, double alpha,
                                   const rtt_threshold_t *t)
{
    if (!q->assessed)
        return RTT_V_NOT_ASSESSED;
    int large = fabs(q->rel) > t->rel && fabs(q->diff) > t->abs_ns;
    if (large && p_adj < alpha)
        return q->diff > 0.0 ? RTT_V_REGRESSED : RTT_V_IMPROVED;
    if ((fabs(q->rel_lo) <= t->rel && fabs(q->rel_hi) <= t->rel) ||
        (fabs(q->diff_lo) <= t->abs_ns && fabs(q->diff_hi) <= t->abs_ns))
        return RTT_V_SAME;
    return RTT_V_INCONCLUSIVE;
}

rtt_verdict_t rtt_verdict_mean(const rtt_cmp_mean_t *m, double p_adj, double alpha,
                               const rtt_threshold_t *t)
{
    if (fabs(m->diff) > t->abs_ns && p_adj < alpha)
        return m->diff > 0.0 ? RTT_V_REGRESSED : RTT_V_IMPROVED;
    if (fabs(m->diff_lo) <= t->abs_ns && fabs(m->diff_hi) <= t->abs_ns)
        return RTT_V_SAME;
    return RTT_V_INCONCLUSIVE;
}

rtt_verdict_t rtt_verdict_combine(const rtt_verdict_t *v, size_t n)
{
    size_t assessed = 0, same = 0, improved = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == RTT_V_REGRESSED)
            return RTT_V_REGRESSED;
        improved += v[i] == RTT_V_IMPROVED;
        same += v[i] == RTT_V_SAME;
        assessed += v[i] != RTT_V_NOT_ASSESSED;
    }
    if (improved)
        return RTT_V_IMPROVED;
    if (assessed == 0)
        return RTT_V_NOT_ASSESSED;
    return same == assessed ? RTT_V_SAME : RTT_V_INCONCLUSIVE;
}

/* Smallest k with z se sqrt(n0/(n0+k)) < margin (strict) or <= margin. */
static int runs_for(double zse, double margin, double n0, int strict)
{
    double r = zse / margin, x = n0 * (r * r - 1.0);
    if (!(margin > 0.0) || !(x < RTT_RUNS_NEEDED_MAX))
        return RTT_RUNS_NEEDED_MAX;
    double k = strict ? floor(x) + 1.0 : ceil(x);
    return k < 0.0 ? 0 : (int)k;
}

/* e: estimate, zse: z * se, [nl, nh]: null region, both on one scale. */
static int runs_core(double e, double zse, double nl, double nh, int large, size_t runs_now)
{
    double n0 = runs_now ? (double)runs_now : 1.0;
    int k = RTT_RUNS_NEEDED_MAX;
    if (!(zse > 0.0) || (large && fabs(e) > zse) || (e - zse >= nl && e + zse <= nh))
        return 0; /* settled already (or a point interval) */
    if (large) {
        int k1 = runs_for(zse, fabs(e), n0, 1);
        k = k1 < k ? k1 : k;
    }
    if (e > nl && e < nh) {
        int k2 = runs_for(zse, e - nl < nh - e ? e - nl : nh - e, n0, 0);
        k = k2 < k ? k2 : k;
    }
    return k;
}

int rtt_runs_needed(const rtt_cmp_quant_t *q, size_t runs_now, double alpha,
                    const rtt_threshold_t *t)
{
    if (!q->assessed || !(alpha > 0.0 && alpha < 1.0))
        return 0;
    double r0 = null_rel(q, t), z = rtt_norm_quantile(1.0 - alpha / 2.0);
    double nl = r0 < 1.0 ? log1p(-r0) : -INFINITY, nh = log1p(r0);
    int large = fabs(q->rel) > t->rel && fabs(q->diff) > t->abs_ns;
    return runs_core(log1p(q->rel), z * q->se_log, nl, nh, large, runs_now);
}

int rtt_runs_needed_mean(const rtt_cmp_mean_t *m, size_t runs_now, double alpha,
                         const rtt_threshold_t *t)
{
    if (!(alpha > 0.0 && alpha < 1.0))
        return 0;
    double z = rtt_norm_quantile(1.0 - alpha / 2.0);
    return runs_core(m->diff, z * m->se, -t->abs_ns, t->abs_ns, fabs(m->diff) > t->abs_ns,
                     runs_now);
}
