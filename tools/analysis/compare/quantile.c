/* quantile.c - the regularized incomplete beta (continued fraction and
 * Temme's asymptotic form), the Harrell-Davis estimator on sorted values,
 * on a window of them, on unsorted parts or on a histogram, and the
 * log-linear bins (quantile.h has the methods and accuracy). Time O(window)
 * per estimate (~12 000 ranks at 1 M, p50), O(bins) on a histogram;
 * memory: none, except the gathered and sorted windows (16 bytes a value). */
#include "quantile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TINY 1e-16     /* weight mass we may leave out of a window */
#define WIN_SD 12.0    /* window half-width in Beta standard deviations */
#define PI_ 3.14159265358979323846
#define LN_SQRT_2PI 0.91893853320467274178

/* r(t) = t - log1p(t) >= 0, accurate also for small |t|: with
 * w = t/(2+t), log1p(t) = 2 atanh(w), so r = 2w^2/(1-w) - 2(w^3/3 + w^5/5 ...). */
static double rlog1(double t)
{
    if (t < -0.1 || t > 0.1)
        return t - log1p(t);
    double w = t / (2.0 + t), w2 = w * w, pw = w * w2, s = 0.0;
    for (int k = 3; k < 41; k += 2) {
        double d = pw / k;
        s += d;
        if (fabs(d) < 1e-18 * w2)
            break;
        pw *= w2;
    }
    return 2.0 * w2 / (1.0 - w) - 2.0 * s;
}

/* ln Gamma(z) - ((z - 1/2) ln z - z + ln sqrt(2 pi)), z >= 10, ~1e-16. */
static double stirling_tail(double z)
{
    double r = 1.0 / z, r2 = r * r;
    return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 -
                r2 * (1.0 / 1188 - r2 * (691.0 / 360360))))));
}

/* Beta(a,b) constants for the evaluations at many x. */
typedef struct beta {
    double a, b, c, x0, y0, K0, eK0;
    int stir; /* min(a,b) >= 10: Stirling form of the prefactor */
    int asym; /* min(a,b) >= 10: asymptotic I (beta_edge only) */
} beta_t;

static void beta_init(beta_t *B, double a, double b)
{
    B->a = a, B->b = b, B->c = a + b, B->x0 = a / B->c, B->y0 = b / B->c;
    B->stir = a >= 10.0 && b >= 10.0;
    B->asym = B->stir; /* the asymptotic needs the Stirling form's e */
    if (B->stir)
        B->K0 = 0.5 * (log(a) + log(b) - log(B->c)) - LN_SQRT_2PI + stirling_tail(B->c) -
                stirling_tail(a) - stirling_tail(b);
    else
        B->K0 = lgamma(B->c) - lgamma(a) - lgamma(b);
    B->eK0 = exp(B->K0);
}

/* ln(x^a y^b / B(a,b)), y = 1 - x (passed so callers keep its precision).
 * Stirling form: K0 - e with e = a r(x/x0-1) + b r(y/y0-1) = c eta^2/2,
 * returned in *e (NaN for the lgamma form). */
static double beta_lnP(const beta_t *B, double x, double y, double *e)
{
    if (!B->stir) {
        *e = NAN;
        return B->a * log(x) + B->b * log(y) + B->K0;
    }
    *e = B->a * rlog1((x - B->x0) / B->x0) + B->b * rlog1((y - B->y0) / B->y0);
    return B->K0 - *e;
}

/* One modified-Lentz step with partial numerator t: returns the factor. */
static double lentz(double t, double *d, double *f)
{
    *d = 1.0 + t * *d;
    if (fabs(*d) < 1e-300)
        *d = 1e-300;
    *f = 1.0 + t / *f;
    if (fabs(*f) < 1e-300)
        *f = 1e-300;
    *d = 1.0 / *d;
    return *d * *f;
}

/* The continued fraction 1/(1+ d1/(1+ d2/(1+ ...))) of I_x(a,b) = front/a *
 * cf; d_{2k+1} = -(a+k)(a+b+k)x / ((a+2k)(a+2k+1)),
 * d_{2k} = k(b-k)x / ((a+2k-1)(a+2k)). Fast for x < (a+1)/(a+b+2). */
static double ibeta_cf(double a, double b, double x)
{
    double d = 1.0 - (a + b) * x / (a + 1.0), f = 1.0;
    if (fabs(d) < 1e-300)
        d = 1e-300;
    d = 1.0 / d;
    double h = d;
    for (int k = 1; k < 200000; k++) {
        double a2k = a + 2.0 * k;
        h *= lentz(k * (b - k) * x / ((a2k - 1.0) * a2k), &d, &f);
        double del = lentz(-(a + k) * (a + b + k) * x / (a2k * (a2k + 1.0)), &d, &f);
        h *= del;
        if (fabs(del - 1.0) < 4e-16)
            break;
    }
    return h;
}

/* I_x(a,b) (upper: 1 - I_x(a,b)) with y = 1 - x; the CF on the side where
 * it converges fast, prefactor P/a, P = x^a y^b / B(a,b). */
static double beta_tail(const beta_t *B, double x, double y, int upper)
{
    double e, t;
    if (x <= 0.0 || y <= 0.0)
        return (x <= 0.0) == !upper ? 0.0 : 1.0;
    if (x * (B->c + 2.0) < B->a + 1.0) {
        t = exp(beta_lnP(B, x, y, &e)) / B->a * ibeta_cf(B->a, B->b, x);
        return upper ? 1.0 - t : t;
    }
    t = exp(beta_lnP(B, x, y, &e)) / B->b * ibeta_cf(B->b, B->a, y);
    return upper ? t : 1.0 - t;
}

static double beta_I(const beta_t *B, double x, double y)
{
    return beta_tail(B, x, y, 0);
}

double rtt_ibeta(double a, double b, double x)
{
    if (!(a > 0.0 && b > 0.0) || isnan(x) || isinf(a) || isinf(b))
        return NAN;
    beta_t B;
    beta_init(&B, a, b);
    return beta_I(&B, x, 1.0 - x);
}

/* I_x(a,b) (asymptotic when B->asym) and P = x^a y^b / B(a,b). */
static void beta_edge(const beta_t *B, double x, double y, double *I, double *P)
{
    if (x <= 0.0 || y <= 0.0) {
        *I = x <= 0.0 ? 0.0 : 1.0;
        *P = 0.0;
        return;
    }
    double e, lnP = beta_lnP(B, x, y, &e);
    if (!B->asym) {
        *P = exp(lnP);
        if (x * (B->c + 2.0) < B->a + 1.0)
            *I = *P / B->a * ibeta_cf(B->a, B->b, x);
        else
            *I = 1.0 - *P / B->b * ibeta_cf(B->b, B->a, y);
        return;
    }
    double c = B->c, u = x - B->x0, s = sqrt(B->x0 * B->y0), br, ee = exp(-e);
    if (fabs(u) * sqrt(c) < 1e-3 * s) {
        /* s/u - 1/eta by its series in u (the two terms cancel here) */
        double x0 = B->x0, y0 = B->y0;
        double A = 2.0 / 3.0 * s * s * (1.0 / (y0 * y0) - 1.0 / (x0 * x0));
        double Bc = 0.5 * s * s * (1.0 / (x0 * x0 * x0) + 1.0 / (y0 * y0 * y0));
        br = s * (0.5 * A - (0.375 * A * A - 0.5 * Bc) * u);
    } else {
        br = s / u - 1.0 / copysign(sqrt(2.0 * e / c), u);
    }
    double v = 0.5 * erfc(-copysign(sqrt(e), u)) - ee / sqrt(2.0 * PI_ * c) * br;
    *I = v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
    *P = B->eK0 * ee;
}

double rtt_ibeta_fast(double a, double b, double x)
{
    if (!(a > 0.0 && b > 0.0) || isnan(x) || isinf(a) || isinf(b))
        return NAN;
    beta_t B;
    double I, P;
    beta_init(&B, a, b);
    beta_edge(&B, x, 1.0 - x, &I, &P);
    return I;
}

void rtt_hd_range(double n, double p, int fast, double *xlo, double *xhi)
{
    double a = (n + 1.0) * p, b = (n + 1.0) * (1.0 - p), c = a + b, tol = fast ? 1e-9 : TINY;
    double d = (fast ? 6.0 : WIN_SD) * sqrt(a * b / (c * c * (c + 1.0))), dl = d, dh = d;
    double lo = p - d, hi = p + d;
    if (a < RTT_HD_SMOOTH_MIN || b < RTT_HD_SMOOTH_MIN) {
        /* skewed Beta: widen each side until the mass beyond is negligible */
        beta_t B;
        beta_init(&B, a, b);
        while (lo > 0.0 && beta_I(&B, lo, 1.0 - lo) > tol) {
            dl *= 2.0;
            lo = p - dl;
        }
        while (hi < 1.0 && beta_tail(&B, hi, 1.0 - hi, 1) > tol) {
            dh *= 2.0;
            hi = p + dh;
        }
    }
    *xlo = lo < 0.0 ? 0.0 : lo;
    *xhi = hi > 1.0 ? 1.0 : hi;
}

void rtt_hd_ranks(size_t n, double p, size_t *lo, size_t *hi)
{
    double xlo, xhi;
    rtt_hd_range((double)n, p, 0, &xlo, &xhi);
    *lo = (size_t)floor(xlo * n) + 1;
    *hi = (size_t)ceil(xhi * n);
    *hi = *hi > n ? n : *hi < *lo ? *lo : *hi;
    *lo = *lo > *hi ? *hi : *lo;
}

unsigned rtt_hd_bin(int64_t v)
{
    if (v < 256)
        return v < 0 ? 0u : (unsigned)v;
    unsigned e = 63u - (unsigned)__builtin_clzll((unsigned long long)v); /* >= 8 */
    return 256u * (e - 7u) + (unsigned)((v >> (e - 8u)) & 255);
}

void rtt_hd_bin_range(unsigned k, int64_t *lo, int64_t *hi)
{
    unsigned e = k < 256 ? 8u : k / 256u + 7u;
    *lo = k < 256 ? (int64_t)k : (int64_t)(256u + k % 256u) << (e - 8u);
    *hi = *lo + (((int64_t)1 << (e - 8u)) - 1); /* no overflow in the top bin */
}

/* min(a,b) >= RTT_HD_SMOOTH_MIN: integrate the Beta density over each
 * rank's cell by Taylor expansion of exp(L) around the midpoint, L the
 * log-density relative to the mode; normalize. ref: offset for precision. */
static double hd_cells(const int64_t *w, size_t first, size_t lo, size_t hi, size_t n,
                       double a, double b)
{
    double A = a - 1.0, B = b - 1.0, m = A / (A + B), h2 = 1.0 / ((double)n * n);
    double ref = (double)w[lo - first], sw = 0.0, swv = 0.0;
    for (size_t i = lo; i <= hi; i++) {
        double t = ((double)i - 0.5) / n, y = ((double)(n - i) + 0.5) / n, u = t - m;
        double L = -(A * rlog1(u / m) + B * rlog1(-u / (1.0 - m)));
        double it = 1.0 / t, iy = 1.0 / y;
        double L1 = A * it - B * iy, L2 = -A * it * it - B * iy * iy;
        double L3 = 2.0 * (A * it * it * it - B * iy * iy * iy);
        double L4 = -6.0 * (A * it * it * it * it + B * iy * iy * iy * iy);
        double q1 = L1 * L1;
        /* the cell's integral over h e^L(t): 1 + h^2/24 f''/f + h^4/1920 f''''/f */
        double corr = 1.0 + h2 / 24.0 * (L2 + q1) +
                      h2 * h2 / 1920.0 *
                          (L4 + 4.0 * L3 * L1 + 3.0 * L2 * L2 + 6.0 * L2 * q1 + q1 * q1);
        double wt = exp(L) * corr;
        sw += wt;
        swv += wt * ((double)w[i - first] - ref);
    }
    return ref + swv / sw;
}

double rtt_hd_quantile_window(const int64_t *w, size_t first, size_t count, size_t n,
                              double p)
{
    if (n == 0 || count == 0 || first < 1 || !(p > 0.0 && p < 1.0))
        return NAN;
    if (n == 1)
        return (double)w[0];
    double a = (n + 1.0) * p, b = (n + 1.0) * (1.0 - p);
    size_t last = first + count - 1, lo, hi;
    rtt_hd_ranks(n, p, &lo, &hi);
    lo = lo < first ? first : lo;
    hi = hi > last ? last : hi;
    lo = lo > hi ? hi : lo;
    if (a >= RTT_HD_SMOOTH_MIN && b >= RTT_HD_SMOOTH_MIN)
        return hd_cells(w, first, lo, hi, n, a, b);
    beta_t B;
    beta_init(&B, a, b);
    double ref = (double)w[lo - first], acc = 0.0;
    double prev = beta_I(&B, (double)(lo - 1) / n, (double)(n - lo + 1) / n);
    for (size_t i = lo; i <= hi; i++) {
        double cur = beta_I(&B, (double)i / n, (double)(n - i) / n);
        acc += (cur - prev) * ((double)w[i - first] - ref);
        prev = cur;
    }
    acc += (1.0 - prev) * ((double)w[hi - first] - ref);
    return ref + acc;
}

double rtt_hd_quantile_unsorted(int64_t *w, size_t first, size_t count, size_t n, double p)
{
    int64_t *tmp = malloc((count ? count : 1) * sizeof *tmp), lo = INT64_MAX, hi = INT64_MIN;
    if (!tmp) {
        errno = ENOMEM;
        return NAN;
    }
    for (size_t i = 0; i < count; i++) {
        lo = w[i] < lo ? w[i] : lo;
        hi = w[i] > hi ? w[i] : hi;
    }
    /* LSD radix sort of w - lo, 8 bits a pass, as many passes as the range needs */
    uint64_t span = count ? (uint64_t)hi - (uint64_t)lo : 0;
    for (unsigned sh = 0; sh < 64 && (span >> sh) != 0; sh += 8) {
        size_t cnt[257] = {0};
        for (size_t i = 0; i < count; i++)
            cnt[((((uint64_t)w[i] - (uint64_t)lo) >> sh) & 255) + 1]++;
        for (int d = 0; d < 256; d++)
            cnt[d + 1] += cnt[d];
        for (size_t i = 0; i < count; i++)
            tmp[cnt[(((uint64_t)w[i] - (uint64_t)lo) >> sh) & 255]++] = w[i];
        memcpy(w, tmp, count * sizeof *w);
    }
    free(tmp);
    return rtt_hd_quantile_window(w, first, count, n, p);
}

int rtt_hd_gather(const int64_t *const *part, const uint32_t *len, size_t nparts, size_t n,
                  rtt_hd_win_t *win, size_t nwin)
{
    size_t all = 0, mm = 0;
    for (size_t j = 0; j < nwin; j++)
        all += win[j].count;
    int64_t *buf = malloc((all + 1) * sizeof *buf), *w = malloc((all + 1) * sizeof *w);
    int rc = buf && w ? 0 : -1;
    /* one branch-free pass: keep a value if any window wants it */
    for (size_t u = 0; rc == 0 && u < nparts; u++)
        for (uint32_t i = 0; i < len[u]; i++) {
            int64_t v = part[u][i] < 0 ? 0 : part[u][i];
            int in = 0;
            for (size_t j = 0; j < nwin; j++)
                in |= (uint64_t)(v - win[j].vlo) <= (uint64_t)(win[j].vhi - win[j].vlo);
            buf[mm] = v;
            mm += in && mm < all;
        }
    for (size_t j = 0; rc == 0 && j < nwin; j++) {
        size_t m = 0;
        for (size_t i = 0; i < mm; i++)
            if (buf[i] >= win[j].vlo && buf[i] <= win[j].vhi && m < win[j].count)
                w[m++] = buf[i];
        win[j].q = rtt_hd_quantile_unsorted(w, win[j].first, m, n, win[j].p);
        rc = isnan(win[j].q) ? -1 : 0;
    }
    free(buf), free(w);
    if (rc < 0)
        errno = ENOMEM;
    return rc;
}

double rtt_hd_quantile_sorted(const int64_t *v, size_t n, double p)
{
    return rtt_hd_quantile_window(v, 1, n, n, p);
}

double rtt_hd_quantile_hist(double n, double p, const double *cum, const double *lo,
                            const double *hi, size_t nb)
{
    if (!(n > 0.0) || nb == 0 || !(p > 0.0 && p < 1.0))
        return NAN;
    double a = (n + 1.0) * p, b = (n + 1.0) * (1.0 - p), c = a + b, xbar = a / c;
    double sd = sqrt(a * b / (c * c * (c + 1.0))), ref = lo[0], acc = 0.0;
    double x0 = cum[0] / n, I0, P0;
    beta_t B;
    beta_init(&B, a, b);
    beta_edge(&B, x0, (n - cum[0]) / n, &I0, &P0);
    for (size_t j = 0; j < nb; j++) {
        if (cum[j + 1] == cum[j])
            continue; /* empty bin: same edge */
        double x1 = cum[j + 1] / n, y1 = (n - cum[j + 1]) / n, I1, P1;
        beta_edge(&B, x1, y1, &I1, &P1);
        double dI = I1 - I0, dx = x1 - x0;
        if (dI > 0.0) {
            /* M = integral over the bin of ((t - x0)/dx) * density: the part
             * of the weight that goes to the bin's upper end */
            double M = 0.0;
            if (hi[j] > lo[j]) {
                if (dx <= 0.2 * sd && x0 > 0.0 && y1 > 0.0) {
                    /* density nearly quadratic over the bin: exact for a
                     * quadratic, no cancellation */
                    double f0 = P0 / (x0 * (1.0 - x0)), f1 = P1 / (x1 * y1);
                    M = 0.5 * dI + dx * (f1 - f0) / 12.0;
                } else {
                    /* t * Beta(a,b) density = xbar * Beta(a+1,b) density,
                     * I_x(a+1,b) = I_x(a,b) - P/a */
                    M = ((xbar - x0) * dI - xbar * (P1 - P0) / a) / dx;
                }
                M = M < 0.0 ? 0.0 : M > dI ? dI : M;
            }
            acc += (lo[j] - ref) * dI + (hi[j] - lo[j]) * M;
        }
        x0 = x1;
        I0 = I1;
        P0 = P1;
    }
    acc += (hi[nb - 1] - ref) * (1.0 - I0);
    return ref + acc;
}
