/* shift.c - bootstrap comparison of two sides: blocks, log-linear
 * histograms, resampling and the quantile and mean statistics (shift.h
 * has the method). Time: two passes over the values, then per replicate
 * O(window bins x blocks); memory: 4 bytes per occupied bin and block, plus
 * the exact estimates' windows (1 M vs 1 M: ~17 ms, 1.4 MB at the peak). */
#include "shift.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "quantile.h"
#include "verdict.h"

void rtt_cmp_params_init(rtt_cmp_params_t *p)
{
    *p = (rtt_cmp_params_t){.seed = RTT_CMP_SEED, .replicates = 400, .alpha = 0.01};
}

size_t rtt_cmp_blocks(size_t n, int blocks_per_run)
{
    size_t b = (size_t)lround(cbrt((double)n)) * 2;
    b = blocks_per_run > 0 ? (size_t)blocks_per_run : b < 8 ? 8 : b > 64 ? 64 : b;
    return b < n ? b : n;
}

const char *rtt_cmp_method_name(rtt_cmp_method_t m)
{
    return m == RTT_CMP_BY_RUN ? "by-run" : "by-block";
}

static int64_t clampv(int64_t v)
{
    return v < 0 ? 0 : v;
}

/* --- RNG: xoshiro256**, state from splitmix64 ---------------------------- */

typedef struct rng {
    uint64_t s[4];
} rng_t;

#define ROTL(x, k) (((x) << (k)) | ((x) >> (64 - (k))))

static void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        r->s[i] = z ^ (z >> 31);
    }
}

/* uniform in [0, n), n < 2^32: the top 32 bits scaled (bias < n / 2^32) */
static size_t rng_below(rng_t *r, size_t n)
{
    uint64_t *s = r->s, out = ROTL(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3], s[2] ^= t;
    s[3] = ROTL(s[3], 45);
    return (size_t)(((out >> 32) * (uint64_t)n) >> 32);
}

/* --- one side: units (blocks), optional histogram ------------------------ */

typedef struct side {
    size_t nruns, nunits, nact, K;
    size_t *run0;       /* [nruns+1] first unit of each non-empty run */
    const int64_t **uv; /* [nunits] the unit's values */
    uint32_t *ucnt;     /* [nunits] how many */
    double *usum;       /* [nunits] their sum (means only) */
    uint32_t *mult;     /* [nunits] a replicate's multiplicities */
    uint32_t *act;      /* [nact] the units with mult > 0 */
    double *blo, *bhi;  /* [K] value range of each occupied bin */
    uint32_t *cum;      /* [K*nunits] unit u's values in bins <= k */
    double *edge;       /* [K+1] a window's cumulative counts */
    size_t hint[2 * RTT_CMP_MAX_Q]; /* last window ends, per quantile */
    int64_t n, vmax;
} side_t;

static void side_free(side_t *s)
{
    free(s->run0), free(s->uv), free(s->ucnt), free(s->usum), free(s->mult);
    free(s->act), free(s->blo), free(s->bhi), free(s->cum), free(s->edge);
}

/* One pass over the values: each unit is counted over all bins (57 KB,
 * cache-resident) and read back, clearing it, into a sparse list; then the
 * occupied bins are numbered and cum filled with running sums down them.
 * Transient memory: the lists, <= 8 bytes a value, ~8 K U typically. */
static int build_hist(side_t *s)
{
    size_t K = 0, U = s->nunits, cap = 0, ns = 0;
    for (size_t u = 0; u < U; u++)
        cap += s->ucnt[u] < RTT_HD_NBINS ? s->ucnt[u] : RTT_HD_NBINS;
    uint32_t *cnt = calloc(RTT_HD_NBINS, sizeof *cnt), *map = calloc(RTT_HD_NBINS, sizeof *map);
    uint32_t *sb = malloc(cap * sizeof *sb), *sc = malloc(cap * sizeof *sc);
    size_t *end = malloc(U * sizeof *end);
    s->blo = malloc(RTT_HD_NBINS * sizeof *s->blo); /* K <= RTT_HD_NBINS */
    s->bhi = malloc(RTT_HD_NBINS * sizeof *s->bhi);
    s->edge = malloc((RTT_HD_NBINS + 1) * sizeof *s->edge);
    int rc = cnt && map && sb && sc && end && s->blo && s->bhi && s->edge ? 0 : -1;
    for (size_t u = 0; rc == 0 && u < U; u++) {
        unsigned lo = RTT_HD_NBINS, hi = 0;
        for (uint32_t i = 0; i < s->ucnt[u]; i++) {
            int64_t v = clampv(s->uv[u][i]);
            unsigned b = rtt_hd_bin(v);
            cnt[b]++;
            lo = b < lo ? b : lo;
            hi = b > hi ? b : hi;
            s->vmax = v > s->vmax ? v : s->vmax;
        }
        for (unsigned b = lo; b <= hi; b++)
            if (cnt[b]) {
                sb[ns] = b, sc[ns++] = cnt[b];
                map[b] = 1, cnt[b] = 0;
            }
        end[u] = ns;
    }
    for (unsigned b = 0; rc == 0 && b < RTT_HD_NBINS; b++)
        if (map[b]) {
            int64_t lo, hi;
            rtt_hd_bin_range(b, &lo, &hi);
            s->blo[K] = (double)lo;
            s->bhi[K] = (double)hi;
            map[b] = (uint32_t)K++;
        }
    s->K = K;
    if (rc == 0 && !(s->cum = calloc(K * U, sizeof *s->cum)))
        rc = -1;
    for (size_t u = 0, e = 0; rc == 0 && u < U; u++)
        for (; e < end[u]; e++)
            s->cum[map[sb[e]] * U + u] = sc[e];
    for (size_t k = 1; rc == 0 && k < K; k++)
        for (size_t u = 0; u < U; u++)
            s->cum[k * U + u] += s->cum[(k - 1) * U + u];
    free(cnt), free(map), free(sb), free(sc), free(end);
    return rc;
}

static int side_init(side_t *s, const rtt_cmp_side_t *in, int bpr, int hist)
{
    memset(s, 0, sizeof *s);
    for (size_t r = 0; r < in->nruns; r++)
        if (in->runs[r].n > 0) {
            s->nruns++;
            s->nunits += rtt_cmp_blocks(in->runs[r].n, bpr);
            s->n += (int64_t)in->runs[r].n;
        }
    if (s->nruns == 0) {
        errno = EINVAL;
        return -1;
    }
    size_t U = s->nunits, u = 0, j = 0;
    s->run0 = malloc((s->nruns + 1) * sizeof *s->run0);
    s->uv = malloc(U * sizeof *s->uv);
    s->ucnt = malloc(U * sizeof *s->ucnt);
    s->usum = malloc(U * sizeof *s->usum);
    s->mult = malloc(U * sizeof *s->mult);
    s->act = malloc(U * sizeof *s->act);
    if (!s->run0 || !s->uv || !s->ucnt || !s->usum || !s->mult || !s->act)
        goto nomem;
    for (size_t r = 0; r < in->nruns; r++) {
        const rtt_cmp_run_t *run = &in->runs[r];
        size_t B = rtt_cmp_blocks(run->n, bpr);
        if (run->n > 0)
            s->run0[j++] = u;
        for (size_t b = 0; b < B; b++, u++) {
            size_t a = b * run->n / B, e = (b + 1) * run->n / B;
            s->uv[u] = run->v + a;
            s->ucnt[u] = (uint32_t)(e - a);
            s->usum[u] = 0.0;
            for (size_t i = a; !hist && i < e; i++)
                s->usum[u] += (double)clampv(run->v[i]);
        }
    }
    s->run0[j] = u;
    if (hist && build_hist(s) < 0)
        goto nomem;
    return 0;
nomem:
    side_free(s);
    errno = ENOMEM;
    return -1;
}

/* A replicate's multiplicities (r NULL: every unit once); returns its
 * number of values. */
static double draw(side_t *s, rtt_cmp_method_t m, rng_t *r)
{
    double N = 0.0;
    for (size_t u = 0; u < s->nunits; u++)
        s->mult[u] = r ? 0 : 1;
    for (size_t i = 0; r && i < s->nruns; i++) {
        size_t run = m == RTT_CMP_BY_RUN ? rng_below(r, s->nruns) : i;
        size_t u0 = s->run0[run], B = s->run0[run + 1] - u0;
        for (size_t j = 0; j < B; j++)
            s->mult[u0 + rng_below(r, B)]++;
    }
    s->nact = 0;
    for (size_t u = 0; u < s->nunits; u++)
        if (s->mult[u]) {
            s->act[s->nact++] = (uint32_t)u;
            N += (double)s->mult[u] * s->ucnt[u];
        }
    return N;
}

/* The replicate's number of values in bins <= k (0 for k == -1). */
static double rep_cum(const side_t *s, ptrdiff_t k)
{
    if (k < 0)
        return 0.0;
    const uint32_t *row = s->cum + (size_t)k * s->nunits;
    uint64_t acc = 0;
    for (size_t i = 0; i < s->nact; i++)
        acc += (uint64_t)s->mult[s->act[i]] * row[s->act[i]];
    return (double)acc;
}

/* First bin k with count(<= k) > t (strict) or >= t, the last bin if none:
 * galloping from *hint (the last answer; windows move little between
 * replicates), then bisection. Updates *hint. */
static size_t rep_search(const side_t *s, double t, int strict, size_t *hint)
{
    ptrdiff_t last = (ptrdiff_t)s->K - 1, lo, hi, d = 1;
    ptrdiff_t h = *hint < s->K ? (ptrdiff_t)*hint : last;
#define hit(s, k, t, strict) ((strict) ? rep_cum(s, k) > (t) : rep_cum(s, k) >= (t))
    /* bins <= lo miss (lo may be -1), bins >= hi hit (or hi is last) */
    if (hit(s, h, t, strict)) {
        for (hi = h, lo = h - 1; lo >= 0 && hit(s, lo, t, strict); d *= 2)
            hi = lo, lo = lo - d < 0 ? -1 : lo - d;
    } else {
        for (lo = h, hi = h + 1; hi < last && !hit(s, hi, t, strict); d *= 2)
            lo = hi, hi = hi + d > last ? last : hi + d;
        hi = hi > last ? last : hi;
    }
    while (hi - lo > 1) {
        ptrdiff_t mid = lo + (hi - lo) / 2;
        if (hit(s, mid, t, strict))
            hi = mid;
        else
            lo = mid;
    }
#undef hit
    return *hint = (size_t)hi;
}

/* HD of quantile j (ps[j] = p) on the replicate's histogram. */
static double rep_quantile(side_t *s, double N, double p, size_t j)
{
    double xlo, xhi;
    rtt_hd_range(N, p, 1, &xlo, &xhi);
    size_t klo = rep_search(s, xlo * N, 1, &s->hint[2 * j]);
    size_t khi = rep_search(s, xhi * N, 0, &s->hint[2 * j + 1]);
    khi = khi < klo ? klo : khi;
    for (size_t k = klo; k <= khi + 1; k++)
        s->edge[k - klo] = rep_cum(s, (ptrdiff_t)k - 1);
    return rtt_hd_quantile_hist(N, p, s->edge, s->blo + klo, s->bhi + klo, khi - klo + 1);
}

/* Exact HD for all ps: each window's ranks lie in bins known from the
 * counts; rtt_hd_gather collects just those values. Needs draw(s, m, NULL). */
static int point_quantiles(side_t *s, const double *ps, size_t nps, double *q)
{
    rtt_hd_win_t w[RTT_CMP_MAX_Q];
    for (size_t j = 0; j < nps; j++) {
        size_t lo, hi;
        rtt_hd_ranks((size_t)s->n, ps[j], &lo, &hi);
        s->hint[2 * j] = s->hint[2 * j + 1] = s->K / 2;
        size_t klo = rep_search(s, (double)lo, 0, &s->hint[2 * j]);
        size_t khi = rep_search(s, (double)hi, 0, &s->hint[2 * j + 1]);
        w[j].p = ps[j];
        w[j].first = (size_t)rep_cum(s, (ptrdiff_t)klo - 1) + 1;
        w[j].count = (size_t)rep_cum(s, (ptrdiff_t)khi) - w[j].first + 1;
        int64_t unused; /* blo is exact as a double, bhi may not be (>= 2^53) */
        rtt_hd_bin_range(rtt_hd_bin((int64_t)s->blo[klo]), &w[j].vlo, &unused);
        rtt_hd_bin_range(rtt_hd_bin((int64_t)s->blo[khi]), &unused, &w[j].vhi);
    }
    if (rtt_hd_gather(s->uv, s->ucnt, s->nunits, (size_t)s->n, w, nps) < 0)
        return -1;
    for (size_t j = 0; j < nps; j++)
        q[j] = w[j].q;
    return 0;
}

/* --- the comparisons ------------------------------------------------------ */

typedef struct pair {
    side_t s[2]; /* base, cur */
    rtt_cmp_method_t method;
    size_t R, units[2];
    double alpha;
    rng_t rng;
} pair_t;

/* what rtt_cmp_result_t and rtt_cmp_mean_t both report */
#define PAIR_OUT(o, pr)                                                          \
    ((o)->method = (pr).method, (o)->units_base = (pr).units[0],                 \
     (o)->units_cur = (pr).units[1], (o)->n_base = (pr).s[0].n, (o)->n_cur = (pr).s[1].n)

static void pair_free(pair_t *pr)
{
    side_free(&pr->s[0]);
    side_free(&pr->s[1]);
}

static int pair_init(pair_t *pr, const rtt_cmp_side_t *base, const rtt_cmp_side_t *cur,
                     const rtt_cmp_params_t *prm, int hist)
{
    rtt_cmp_params_t dflt;
    if (!prm) {
        rtt_cmp_params_init(&dflt);
        prm = &dflt;
    }
    if (!base || !cur || prm->replicates < 2 || !(prm->alpha > 0.0 && prm->alpha < 1.0)) {
        errno = EINVAL;
        return -1;
    }
    if (side_init(&pr->s[0], base, prm->blocks_per_run, hist) < 0)
        return -1;
    if (side_init(&pr->s[1], cur, prm->blocks_per_run, hist) < 0) {
        side_free(&pr->s[0]);
        return -1;
    }
    pr->method = pr->s[0].nruns >= 2 && pr->s[1].nruns >= 2 ? RTT_CMP_BY_RUN : RTT_CMP_BY_BLOCK;
    for (int k = 0; k < 2; k++)
        pr->units[k] = pr->method == RTT_CMP_BY_RUN ? pr->s[k].nruns : pr->s[k].nunits;
    pr->R = (size_t)prm->replicates;
    pr->alpha = prm->alpha;
    rng_seed(&pr->rng, prm->seed);
    return 0;
}

int rtt_cmp_quantiles(const rtt_cmp_side_t *base, const rtt_cmp_side_t *cur,
                      const double *ps, size_t nps, const rtt_cmp_params_t *prm,
                      rtt_cmp_result_t *out)
{
    pair_t pr;
    int ok = ps && nps >= 1 && nps <= RTT_CMP_MAX_Q;
    memset(out, 0, sizeof *out);
    for (size_t j = 0; ok && j < nps; j++)
        ok = ps[j] > 0.0 && ps[j] < 1.0;
    if (!ok || pair_init(&pr, base, cur, prm, 1) < 0) {
        errno = ok ? errno : EINVAL;
        return -1;
    }
    size_t R = pr.R;
    double pt[2][RTT_CMP_MAX_Q], *stat = malloc(R * nps * sizeof *stat);
    int rc = stat ? 0 : -1;
    for (int k = 0; k < 2 && rc == 0; k++) {
        draw(&pr.s[k], pr.method, NULL);
        rc = point_quantiles(&pr.s[k], ps, nps, pt[k]);
    }
    for (size_t r = 0; rc == 0 && r < R; r++) {
        double qb[RTT_CMP_MAX_Q], Nb = draw(&pr.s[0], pr.method, &pr.rng);
        for (size_t j = 0; j < nps; j++)
            qb[j] = rep_quantile(&pr.s[0], Nb, ps[j], j);
        double Nc = draw(&pr.s[1], pr.method, &pr.rng);
        for (size_t j = 0; j < nps; j++)
            stat[j * R + r] = log1p(rep_quantile(&pr.s[1], Nc, ps[j], j)) - log1p(qb[j]);
    }
    PAIR_OUT(out, pr);
    out->max_base = (double)pr.s[0].vmax;
    out->max_cur = (double)pr.s[1].vmax;
    out->nq = nps;
    for (size_t j = 0; rc == 0 && j < nps; j++)
        rtt_cmp_quant_fill(&out->q[j], ps[j], pt[0][j], pt[1][j], stat + j * R, R, pr.alpha,
                           pr.s[0].n, pr.s[1].n);
    free(stat);
    pair_free(&pr);
    if (rc < 0) {
        memset(out, 0, sizeof *out);
        errno = ENOMEM;
    }
    return rc;
}

int rtt_cmp_mean(const rtt_cmp_side_t *base, const rtt_cmp_side_t *cur,
                 const rtt_cmp_params_t *prm, rtt_cmp_mean_t *out)
{
    pair_t pr;
    memset(out, 0, sizeof *out);
    if (pair_init(&pr, base, cur, prm, 0) < 0)
        return -1;
    double *stat = malloc(pr.R * sizeof *stat), mean[2];
    if (!stat) {
        pair_free(&pr);
        errno = ENOMEM;
        return -1;
    }
    for (size_t r = 0; r <= pr.R; r++) { /* r == R: the point estimates */
        for (int k = 0; k < 2; k++) {
            side_t *s = &pr.s[k];
            double sum = 0.0, N = draw(s, pr.method, r < pr.R ? &pr.rng : NULL);
            for (size_t i = 0; i < s->nact; i++)
                sum += s->mult[s->act[i]] * s->usum[s->act[i]];
            mean[k] = sum / N;
        }
        if (r < pr.R)
            stat[r] = mean[1] - mean[0];
    }
    rtt_cmp_mean_fill(out, mean[0], mean[1], stat, pr.R, pr.alpha);
    PAIR_OUT(out, pr);
    free(stat);
    pair_free(&pr);
    return 0;
}
