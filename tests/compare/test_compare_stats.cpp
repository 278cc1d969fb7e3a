// test_compare_stats.cpp - the statistics core of rt-trace compare against
// ground truth: the incomplete beta and Harrell-Davis against closed forms
// and integrals computed here, the bootstrap against samples with a known
// shift, Holm against a hand-worked vector, verdicts and runs-needed
// against the formulas of verdict.h. ~1 s; [slow] (coverage, 1 M speed) ~4 s.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "quantile.h"
#include "shift.h"
#include "verdict.h"

namespace {

using Vec = std::vector<int64_t>;
const double PI = 3.141592653589793;

struct Rng { // splitmix64: the tests' own generator, independent of shift.c's
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL, z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double unif() { return ((next() >> 11) + 0.5) / 9007199254740992.0; }
    double normal() { return std::sqrt(-2 * std::log(unif())) * std::cos(2 * PI * unif()); }
};

Vec lognormal(size_t n, double scale, uint64_t seed) { // median 1 ms * scale, sigma 0.5
    Rng r{seed};
    Vec v(n);
    for (auto &x : v) x = std::llround(1e6 * scale * std::exp(0.5 * r.normal()));
    return v;
}

// I_x(a,b) for whole a, b: P(Binomial(a+b-1, x) >= a), summed in log space
double ibeta_binom(int a, int b, double x) {
    if (x <= 0 || x >= 1) return x <= 0 ? 0 : 1;
    int m = a + b - 1;
    long double s = 0, lx = std::log((long double)x), ly = std::log1p(-(long double)x);
    for (int j = a; j <= m; j++)
        s += std::exp(std::lgamma(m + 1.0L) - std::lgamma(j + 1.0L) - std::lgamma(m - j + 1.0L) +
                      j * lx + (m - j) * ly);
    return (double)s;
}

double ldens(double a, double b, double x) { // log Beta(a,b) density
    double lb = std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
    return (a - 1) * std::log(x) + (b - 1) * std::log1p(-x) - lb;
}

// the density's mass on [x0, x1], composite Simpson with k panels
double beta_mass(double a, double b, double x0, double x1, int k) {
    auto f = [&](double x) { return x <= 0 || x >= 1 ? 0.0 : std::exp(ldens(a, b, x)); };
    double h = (x1 - x0) / k, s = 0;
    for (double u = x0; k-- > 0; u += h) s += h / 6 * (f(u) + 4 * f(u + h / 2) + f(u + h));
    return s;
}

// HD from the definition, weights integrated here, normalized (lgamma loses
// ~1e-11 at n ~ 1e4); b < 1 (infinite density at 1): last cell = 1 - rest
double hd_brute(const Vec &v, double p, int k) {
    size_t n = v.size();
    double a = (n + 1) * p, b = (n + 1) * (1 - p), s = 0, w = 0;
    for (size_t i = 1; i <= n; i++) {
        double m = i == n && b < 1 ? 1 - w : beta_mass(a, b, (i - 1.0) / n, (double)i / n, k);
        s += m * v[i - 1], w += m;
    }
    return s / w;
}

struct Sides { // runs of values per side, and the views rtt_cmp_* take
    std::vector<Vec> b, c;
    std::vector<rtt_cmp_run_t> rb, rc;
    rtt_cmp_side_t sb{}, sc{};
    void wire() {
        rb.clear(), rc.clear();
        for (auto &x : b) rb.push_back({x.data(), x.size()});
        for (auto &x : c) rc.push_back({x.data(), x.size()});
        sb = {rb.data(), rb.size()}, sc = {rc.data(), rc.size()};
    }
};

// runs runs a side of n lognormal values, the new side scaled
Sides make_sides(size_t runs, size_t n, double scale, uint64_t seed) {
    Sides s;
    for (size_t r = 0; r < runs; r++)
        s.b.push_back(lognormal(n, 1, seed * 1000 + 2 * r)),
            s.c.push_back(lognormal(n, scale, seed * 1000 + 2 * r + 1));
    s.wire();
    return s;
}

const double PS[3] = {0.5, 0.9, 0.99}, Z995 = 2.5758293035489004; // z_{0.995}

rtt_cmp_result_t compare(const Sides &s, uint64_t seed = RTT_CMP_SEED) {
    rtt_cmp_params_t prm;
    rtt_cmp_params_init(&prm);
    prm.seed = seed;
    rtt_cmp_result_t r;
    REQUIRE(rtt_cmp_quantiles(&s.sb, &s.sc, PS, 3, &prm, &r) == 0);
    return r;
}

// Holm over the assessed quantiles, then the verdicts (default thresholds)
rtt_verdict_t verdicts(const rtt_cmp_result_t &r, rtt_verdict_t *qv) {
    double p[4], adj[4];
    size_t m = 0;
    for (size_t j = 0; j < r.nq; j++) p[m] = r.q[j].p_value, m += r.q[j].assessed;
    rtt_holm(p, m, adj);
    rtt_threshold_t t{RTT_THR_REL, RTT_THR_ABS_NS};
    for (size_t j = 0, i = 0; j < r.nq; j++)
        qv[j] = rtt_verdict_quantile(&r.q[j], r.q[j].assessed ? adj[i++] : 1.0, 0.01, &t);
    return rtt_verdict_combine(qv, r.nq);
}

bool ci_has(const rtt_cmp_quant_t &q, double rel) { return q.rel_lo <= rel && rel <= q.rel_hi; }

} // namespace

TEST_CASE("incomplete beta: known values and closed forms", "[ibeta]") {
    for (double a : {0.5, 1.0, 2.5, 10.0, 100.0, 5000.0, 1e5, 5e5})
        CHECK(rtt_ibeta(a, a, 0.5) == Approx(0.5).margin(1e-14));
    for (double x : {1e-9, 0.1, 0.37, 0.5, 0.9, 0.999999}) {
        CHECK(rtt_ibeta(1, 1, x) == Approx(x).epsilon(1e-14));
        for (double a : {0.3, 2.0, 7.5, 50.0}) {
            CHECK(rtt_ibeta(a, 1, x) == Approx(std::pow(x, a)).epsilon(1e-12));
            CHECK(rtt_ibeta(1, a, x) == Approx(-std::expm1(a * std::log1p(-x))).epsilon(1e-12));
        }
        CHECK(rtt_ibeta(3.7, 12.2, x) == Approx(1 - rtt_ibeta(12.2, 3.7, 1 - x)).margin(1e-14));
    }
    int ab[][2] = {{2, 3}, {3, 3}, {5, 17}, {40, 60}, {800, 1200}, {200, 19800}};
    for (auto &c : ab) {
        double m = (double)c[0] / (c[0] + c[1]), sd = std::sqrt(m * (1 - m) / (c[0] + c[1]));
        for (double k : {-6.0, -2.0, -0.3, 0.0, 0.7, 3.0})
            if (m + k * sd > 0 && m + k * sd < 1)
                CHECK(rtt_ibeta(c[0], c[1], m + k * sd) ==
                      Approx(ibeta_binom(c[0], c[1], m + k * sd)).margin(1e-13));
    }
    CHECK((rtt_ibeta(2, 3, 0) == 0 && rtt_ibeta(2, 3, 1) == 1));
    CHECK((std::isnan(rtt_ibeta(0, 3, 0.5)) && std::isnan(rtt_ibeta(2, -1, 0.5))));
    // the bootstrap's asymptotic form, within the accuracy quantile.h states
    double lv[][2] = {{10, 1e-4}, {100, 5e-6}, {1000, 2e-7}};
    for (auto &l : lv)
        for (double p : PS) {
            double b = l[0], a = b * p / (1 - p), m = p, sd = std::sqrt(p * (1 - p) / (a + b));
            double w = 0;
            for (double x = m - 7.5 * sd; x <= m + 7.5 * sd; x += sd / 8)
                if (x > 0 && x < 1)
                    w = std::max(w, std::fabs(rtt_ibeta_fast(a, b, x) - rtt_ibeta(a, b, x)));
            INFO("min(a,b) " << l[0] << " p " << p);
            CHECK(w < l[1]);
        }
}

TEST_CASE("Harrell-Davis: closed forms for n = 1..5", "[hd]") {
    int64_t one[] = {42}, two[] = {10, 30}, three[] = {1, 2, 10};
    CHECK(rtt_hd_quantile_sorted(one, 1, 0.9) == 42);
    CHECK((std::isnan(rtt_hd_quantile_sorted(one, 0, 0.5)) &&
           std::isnan(rtt_hd_quantile_sorted(one, 1, 1.0))));
    CHECK(rtt_hd_quantile_sorted(two, 2, 0.5) == Approx(20).epsilon(1e-14)); // I_.5(1.5,1.5) = .5
    // a = b = 2: I_x = 3x^2 - 2x^3, weights 7/27, 13/27, 7/27
    CHECK(rtt_hd_quantile_sorted(three, 3, 0.5) == Approx(103.0 / 27).epsilon(1e-14));
    struct { Vec v; double p; int a, b; } cs[] = {// whole a, b: binomial sums
        {{3, 8, 20, 21}, .4, 2, 3}, {{1, 5, 9, 40, 41}, .5, 3, 3}, {{0, 0, 7, 7, 100}, .5, 3, 3}};
    for (auto &c : cs) {
        size_t n = c.v.size();
        double want = 0;
        for (size_t i = 1; i <= n; i++)
            want += (ibeta_binom(c.a, c.b, (double)i / n) - ibeta_binom(c.a, c.b, (i - 1.0) / n)) *
                    c.v[i - 1];
        CHECK(rtt_hd_quantile_sorted(c.v.data(), n, c.p) == Approx(want).epsilon(1e-13));
    }
    Vec five = {2, 3, 5, 8, 13}; // a = 1.8, b = 4.2: integrated here
    CHECK(rtt_hd_quantile_sorted(five.data(), 5, 0.3) ==
          Approx(hd_brute(five, 0.3, 200000)).epsilon(1e-9));
}

TEST_CASE("Harrell-Davis: brute force, symmetric samples, a ramp of 1 M", "[hd]") {
    // the continued-fraction path (min(a,b) < 100) and the cell rule
    struct { size_t n; double p; } cs[] = {{200, .9}, {60, .99}, {3000, .5}, {3000, .99},
                                           {12000, .99}};
    for (auto c : cs) {
        auto v = lognormal(c.n, 1.0, c.n);
        std::sort(v.begin(), v.end());
        size_t lo, hi;
        rtt_hd_ranks(c.n, c.p, &lo, &hi);
        INFO("n " << c.n << " p " << c.p);
        double want = hd_brute(v, c.p, c.n > 1000 ? 16 : 400);
        double got = rtt_hd_quantile_sorted(v.data(), c.n, c.p);
        CHECK(std::fabs(got - want) < 1e-9 * (v[hi - 1] - v[lo - 1]));
    }
    int64_t sym[] = {0, 2, 3, 7, 10, 13, 17, 18, 20};
    CHECK(rtt_hd_quantile_sorted(sym, 9, 0.5) == Approx(10).epsilon(1e-14));
    auto h = lognormal(50000, 1.0, 7);
    std::sort(h.begin(), h.end());
    Vec ramp(1000000);
    for (size_t i = 0; i < ramp.size(); i++) ramp[i] = 3 * (int64_t)i; // E[ceil(nU)] = np + 1/2
    for (double p : PS)
        CHECK(rtt_hd_quantile_sorted(ramp.data(), 1000000, p) == Approx(3e6 * p - 1.5));
    size_t lo, hi; // a window of the sample, in any order, gives the same
    rtt_hd_ranks(h.size(), 0.9, &lo, &hi);
    Vec w(h.rend() - hi, h.rend() - (lo - 1));
    CHECK(rtt_hd_quantile_unsorted(w.data(), lo, w.size(), h.size(), 0.9) ==
          rtt_hd_quantile_sorted(h.data(), h.size(), 0.9));
    CHECK(hi - lo < 2000); // +-12 sd of ~67 ranks, not all 50 000
}

TEST_CASE("Harrell-Davis on histograms, and the bins", "[hd][bins]") {
    // point masses: HD of the expanded sample (asymptotic I)
    double val[] = {10, 20, 30, 40, 50}, cum[] = {0, 30, 80, 180, 240, 250};
    Vec all;
    for (int k = 0; k < 5; k++) all.resize((size_t)cum[k + 1], (int64_t)val[k]);
    for (double p : PS)
        CHECK(rtt_hd_quantile_hist(250, p, cum, val, val, 5) ==
              Approx(rtt_hd_quantile_sorted(all.data(), 250, p)).margin(4e-3));
    // ~1 M values in bins of uneven counts and widths, each spread uniformly:
    // the HD integral of that piecewise-linear quantile function, Simpson here
    Rng g{3};
    std::vector<double> hc(1, 0), hl, hh;
    for (int k = 0; k < 20000; k++) {
        hl.push_back(k ? hh.back() + 1 + (double)(g.next() % 50) : 1000);
        hh.push_back(hl.back() + (double)(g.next() % 300));
        hc.push_back(hc.back() + 1 + (double)(g.next() % 100));
    }
    double N = hc.back();
    for (double p : PS) {
        double a = (N + 1) * p, b = (N + 1) * (1 - p), xlo, xhi, want = 0, mass = 0;
        rtt_hd_range(N, p, 0, &xlo, &xhi);
        size_t k0 = std::upper_bound(hc.begin(), hc.end(), xlo * N) - hc.begin() - 1;
        size_t k1 = std::lower_bound(hc.begin(), hc.end(), xhi * N) - hc.begin();
        for (size_t k = k0; k < k1; k++) { // within each bin the quantile is linear
            double u0 = std::max(hc[k] / N, xlo), u1 = std::min(hc[k + 1] / N, xhi);
            double d = (u1 - u0) / 32;
            for (int i = 0; i <= 32 && u1 > u0; i++) {
                double u = u0 + i * d, f = (i == 0 || i == 32 ? 1 : i % 2 ? 4 : 2) * d / 3;
                f *= std::exp(ldens(a, b, u)); // normalized below: lgamma's 1e-9 at a ~ 5e5
                want += f * (hl[k] + (hh[k] - hl[k]) * (u * N - hc[k]) / (hc[k + 1] - hc[k]));
                mass += f;
            }
        }
        INFO("p " << p << " bins " << k0 << ".." << k1);
        CHECK(rtt_hd_quantile_hist(N, p, &hc[k0], &hl[k0], &hh[k0], k1 - k0) ==
              Approx(want / mass).epsilon(1e-10));
    }
    double c1[] = {0, 10000}, lo1[] = {0}, hi1[] = {1000}; // one bin: 1000 E[Beta] = 1000 p
    for (double p : PS) CHECK(rtt_hd_quantile_hist(10000, p, c1, lo1, hi1, 1) == Approx(1000 * p));
    Rng r{5}; // bins: exact below 512, in order, the value inside, width <= 2^-8
    for (int i = 0; i < 20000; i++) {
        int64_t v = i < 512 ? i : (int64_t)(r.next() >> (1 + r.next() % 62)), lo, hi;
        unsigned k = rtt_hd_bin(v);
        rtt_hd_bin_range(k, &lo, &hi);
        CHECK((k < RTT_HD_NBINS && lo <= v && v <= hi && (v ? rtt_hd_bin(v - 1) <= k : k == 0)));
        CHECK((i < 512 ? lo == hi : (double)(hi - lo + 1) <= std::ldexp((double)lo, -8) + 1));
    }
    CHECK(rtt_hd_bin(-5) == 0);
}

TEST_CASE("shift: a 20% slowdown is regressed and its CI holds 0.20", "[shift]") {
    for (size_t runs : {1, 3}) {
        auto r = compare(make_sides(runs, 20000, 1.20, 11 + runs));
        rtt_verdict_t qv[3];
        INFO("runs " << runs);
        CHECK(r.method == (runs == 1 ? RTT_CMP_BY_BLOCK : RTT_CMP_BY_RUN));
        for (int j = 0; j < 2; j++) {
            CHECK((ci_has(r.q[j], 0.20) && r.q[j].rel == Approx(0.20).margin(0.03)));
            CHECK((r.q[j].diff_lo < r.q[j].diff && r.q[j].diff < r.q[j].diff_hi));
        }
        CHECK(verdicts(r, qv) == RTT_V_REGRESSED);
        CHECK((qv[0] == RTT_V_REGRESSED && qv[1] == RTT_V_REGRESSED));
        for (int j = 0; j < 3; j++) {
            const rtt_cmp_quant_t &q = r.q[j];
            double est = std::log1p(q.cur) - std::log1p(q.base), z = rtt_norm_quantile(q.p);
            // SE vs the normal theory of log quantiles (sigma 0.5, 20 000 a side)
            double se = 0.5 * std::sqrt(4 * PI * q.p * (1 - q.p) / 20000) / std::exp(-z * z / 2);
            CHECK((runs > 1 || q.se_log == Approx(se).epsilon(0.25)));
            // one scale for the estimate, its CI and p
            CHECK(q.rel == Approx((q.cur - q.base) / (q.base + 1)).epsilon(1e-14));
            CHECK(q.rel_lo == Approx(std::expm1(est - Z995 * q.se_log)).epsilon(1e-12));
            CHECK(q.diff_hi == Approx((q.base + 1) * std::expm1(est + Z995 * q.se_log)));
            CHECK(q.p_value == Approx(std::erfc(std::fabs(est) / q.se_log / std::sqrt(2.0))));
        }
    }
}

TEST_CASE("shift: by run, run-to-run variation is in the SE", "[shift]") {
    auto s = make_sides(3, 5000, 1.0, 53);
    for (size_t r = 0; r < 3; r++) // run levels x0.9, x1, x1.1 on both sides
        for (auto *v : {&s.b[r], &s.c[r]})
            for (auto &x : *v) x = std::llround(x * (0.9 + 0.1 * r));
    auto r = compare(s);
    // run levels' sd ~0.1 on the log scale: a resampled 3-run mean varies by
    // 0.1 sqrt(2/3) / sqrt(3) a side, the difference by sqrt(2) x that ~ 0.067;
    // from within-run variation alone it would be ~0.012
    CHECK((r.method == RTT_CMP_BY_RUN && r.q[0].se_log > 0.04 && r.q[0].se_log < 0.12));
}

TEST_CASE("shift: no change is never regressed, a speed-up is improved", "[shift]") {
    auto same = compare(make_sides(1, 50000, 1.0, 23));
    rtt_verdict_t qv[3];
    for (int j = 0; j < 3; j++) CHECK(ci_has(same.q[j], 0.0));
    CHECK(verdicts(same, qv) != RTT_V_REGRESSED);
    CHECK((qv[0] == RTT_V_SAME && qv[1] == RTT_V_SAME)); // CIs ~ +-1.3% (p99: +-4.5%)
    auto faster = compare(make_sides(1, 20000, 0.8, 29));
    CHECK(ci_has(faster.q[0], -0.2));
    CHECK(verdicts(faster, qv) == RTT_V_IMPROVED);
}

TEST_CASE("shift: small samples are inconclusive or not assessed", "[shift]") {
    auto tiny = compare(make_sides(1, 30, 1.2, 31));
    rtt_verdict_t qv[3];
    CHECK((tiny.q[0].assessed == 1 && tiny.q[1].assessed == 0)); // 15 / 3 values beyond
    CHECK((verdicts(tiny, qv) == RTT_V_INCONCLUSIVE && qv[0] == RTT_V_INCONCLUSIVE));
    rtt_threshold_t t{RTT_THR_REL, RTT_THR_ABS_NS};
    int k = rtt_runs_needed(&tiny.q[0], 1, 0.01, &t);
    CHECK((k > 0 && k < RTT_RUNS_NEEDED_MAX));
    CHECK(compare(make_sides(1, 500, 1.0, 37)).q[2].assessed == 0); // p99 needs 1000
    CHECK(compare(make_sides(1, 2000, 1.0, 37)).q[2].assessed == 1);
    CHECK(compare(make_sides(1, 100, 1.0, 41)).q[1].assessed == 1); // p90 needs 100
    CHECK(compare(make_sides(1, 99, 1.0, 41)).q[1].assessed == 0);
}

TEST_CASE("shift: method, units, determinism and errors", "[shift]") {
    auto s3 = make_sides(3, 2000, 1.0, 43);
    auto r = compare(s3), again = compare(s3), other = compare(s3, 99);
    CHECK((r.method == RTT_CMP_BY_RUN && r.units_base == 3 && r.units_cur == 3));
    CHECK((r.n_base == 6000 && r.n_cur == 6000));
    CHECK(std::memcmp(&r, &again, sizeof r) == 0);
    CHECK(r.q[0].se_log != other.q[0].se_log);
    CHECK(r.q[0].base == other.q[0].base); // point estimates do not depend on the seed
    auto one = make_sides(1, 20000, 1.0, 47);
    auto r1 = compare(one);
    CHECK((r1.method == RTT_CMP_BY_BLOCK && r1.units_base == 54)); // round(cbrt(20000)) * 2
    CHECK(r1.max_base == (double)*std::max_element(one.b[0].begin(), one.b[0].end()));
    s3.c.resize(1), s3.b[1].clear(), s3.wire(); // 3 runs (one empty) vs 1: by block
    auto mixed = compare(s3);
    CHECK((mixed.method == RTT_CMP_BY_BLOCK && mixed.units_base == 2 * rtt_cmp_blocks(2000, 0)));
    CHECK(std::string(rtt_cmp_method_name(mixed.method)) == "by-block");
    CHECK((rtt_cmp_blocks(30, 0) == 8 && rtt_cmp_blocks(500, 0) == 16));
    CHECK((rtt_cmp_blocks(1000000, 0) == 64 && rtt_cmp_blocks(5, 0) == 5));
    CHECK((rtt_cmp_blocks(1000, 10) == 10 && rtt_cmp_blocks(0, 0) == 0));
    Sides odd; // negative values count as 0, huge ones are binned exactly
    odd.b = {{-5, 0, 1, INT64_MAX, INT64_MAX - 1, 3, 4}}, odd.c = {{7, INT64_MAX / 3, 9, 0, 2, 6}};
    odd.wire();
    rtt_cmp_result_t out;
    REQUIRE(rtt_cmp_quantiles(&odd.sb, &odd.sc, PS, 3, nullptr, &out) == 0);
    CHECK((out.max_base == (double)INT64_MAX && std::isfinite(out.q[0].se_log)));
    int64_t srt[] = {0, 0, 1, 3, 4, INT64_MAX - 1, INT64_MAX};
    CHECK(out.q[1].base == rtt_hd_quantile_sorted(srt, 7, 0.9));
    rtt_cmp_side_t empty{nullptr, 0};
    double bad[] = {0.5, 1.0};
    CHECK(rtt_cmp_quantiles(&one.sb, &empty, PS, 3, nullptr, &out) == -1);
    CHECK(rtt_cmp_quantiles(&one.sb, &one.sc, PS, 0, nullptr, &out) == -1);
    CHECK(rtt_cmp_quantiles(&one.sb, &one.sc, bad, 2, nullptr, &out) == -1);
    rtt_cmp_params_t prm;
    rtt_cmp_params_init(&prm);
    CHECK((prm.seed == 0x7274742d636d70ULL && prm.replicates == 400 && prm.alpha == 0.01));
    prm.replicates = 1;
    CHECK(rtt_cmp_quantiles(&one.sb, &one.sc, PS, 3, &prm, &out) == -1);
}

TEST_CASE("mean: shares of 0/1 frames", "[mean]") {
    auto frames = [](double share, uint64_t seed) { // over budget or not, 5000 frames
        Rng r{seed};
        Vec v(5000);
        return std::generate(v.begin(), v.end(), [&] { return r.unif() < share; }), v;
    };
    Sides s;
    s.b = {frames(0.02, 1)}, s.c = {frames(0.10, 2)};
    s.wire();
    rtt_cmp_mean_t m;
    REQUIRE(rtt_cmp_mean(&s.sb, &s.sc, nullptr, &m) == 0);
    double se = std::sqrt(m.base * (1 - m.base) / 5000 + m.cur * (1 - m.cur) / 5000);
    CHECK((m.method == RTT_CMP_BY_BLOCK && m.n_base == 5000));
    CHECK(m.diff == Approx(0.08).margin(0.015));
    CHECK(m.se == Approx(se).epsilon(0.25)); // bootstrap SE vs the binomial one
    CHECK((m.diff_lo > 0 && m.p_value < 1e-6));
    rtt_threshold_t t{0.05, 0.01}; // one percentage point
    CHECK(rtt_verdict_mean(&m, m.p_value, 0.01, &t) == RTT_V_REGRESSED);
    s.c = {frames(0.02, 3)};
    s.wire();
    REQUIRE(rtt_cmp_mean(&s.sb, &s.sc, nullptr, &m) == 0);
    CHECK((m.diff_lo < 0 && m.diff_hi > 0));
    CHECK(rtt_verdict_mean(&m, m.p_value, 0.01, &t) == RTT_V_SAME);
    t.abs_ns = 0.001;
    CHECK(rtt_verdict_mean(&m, m.p_value, 0.01, &t) == RTT_V_INCONCLUSIVE);
    CHECK(rtt_runs_needed_mean(&m, 1, 0.01, &t) > 0);
}

TEST_CASE("Holm", "[holm]") {
    double p[] = {0.01, 0.04, 0.03, 0.005}, adj[4];
    rtt_holm(p, 4, adj);
    CHECK((adj[0] == Approx(0.03) && adj[1] == Approx(0.06)));
    CHECK((adj[2] == Approx(0.06) && adj[3] == Approx(0.02)));
    double q[] = {0.3, 0.02, 0.3, NAN, 0.02}, qa[5];
    rtt_holm(q, 5, qa);
    CHECK((qa[1] == Approx(0.1) && qa[4] == Approx(0.1))); // ties: 5 * 0.02 for both
    CHECK((qa[0] == Approx(0.9) && qa[2] == Approx(0.9) && qa[3] == 1));
}

TEST_CASE("verdict rules, runs needed, Phi", "[verdict]") {
    rtt_threshold_t t{0, 0};
    rtt_threshold_init(&t);
    CHECK((t.rel == 0.05 && t.abs_ns == 50000));
    auto mk = [](double base, double rel, double se) {
        rtt_cmp_quant_t q{};
        double e = std::log1p(rel);
        q.p = 0.5, q.base = base, q.cur = base + rel * (base + 1), q.diff = rel * (base + 1);
        q.rel = rel, q.rel_lo = std::expm1(e - Z995 * se), q.rel_hi = std::expm1(e + Z995 * se);
        q.diff_lo = (base + 1) * q.rel_lo, q.diff_hi = (base + 1) * q.rel_hi;
        q.se_log = se, q.p_value = rtt_p_two_sided(e, se), q.assessed = 1;
        return q;
    };
    struct { double base, rel, se, padj; rtt_verdict_t want; } cs[] = {
        {1e6, 0.10, 0.01, 0.001, RTT_V_REGRESSED}, {1e6, -0.10, 0.01, 0.001, RTT_V_IMPROVED},
        {1e6, 0.10, 0.01, 0.02, RTT_V_INCONCLUSIVE},  // Holm made it insignificant
        {4e5, 0.10, 0.01, 0.001, RTT_V_INCONCLUSIVE}, // +40 us: large relative, not absolute
        {4e5, 0.10, 0.005, 0.001, RTT_V_SAME},        // the CI of diff within +-50 us
        {1e6, 0.01, 0.01, 0.3, RTT_V_SAME}};          // the CI of rel within +-5%
    for (auto &c : cs) {
        auto q = mk(c.base, c.rel, c.se);
        CHECK(rtt_verdict_quantile(&q, c.padj, 0.01, &t) == c.want);
        q.assessed = 0;
        CHECK(rtt_verdict_quantile(&q, c.padj, 0.01, &t) == RTT_V_NOT_ASSESSED);
    }
    CHECK((std::string(rtt_verdict_name(RTT_V_NOT_ASSESSED)) == "not assessed" &&
           std::string(rtt_verdict_name(RTT_V_REGRESSED)) == "regressed"));
    const rtt_verdict_t S = RTT_V_SAME, I = RTT_V_IMPROVED, R = RTT_V_REGRESSED,
                        U = RTT_V_INCONCLUSIVE, N = RTT_V_NOT_ASSESSED;
    rtt_verdict_t a[] = {S, R, I}, b[] = {S, I, U}, c[] = {S, S, N}, d[] = {S, U}, e[] = {N, N};
    CHECK((rtt_verdict_combine(a, 3) == R && rtt_verdict_combine(b, 3) == I));
    CHECK((rtt_verdict_combine(c, 3) == S && rtt_verdict_combine(d, 2) == U));
    CHECK((rtt_verdict_combine(e, 2) == N && rtt_verdict_combine(e, 0) == N));
    // +20%, se 0.1, 2 runs: significant once 2.576 * 0.1 sqrt(2/(2+k)) < log 1.2
    auto q = mk(1e6, 0.20, 0.1);
    CHECK(rtt_verdict_quantile(&q, q.p_value, 0.01, &t) == RTT_V_INCONCLUSIVE);
    CHECK(rtt_runs_needed(&q, 2, 0.01, &t) == 2);
    CHECK((Z995 * 0.1 * std::sqrt(2.0 / 4) < std::log(1.2)));
    CHECK((Z995 * 0.1 * std::sqrt(2.0 / 3) > std::log(1.2)));
    // +1%, se 0.05, 3 runs: SAME once the CI fits in [log .95, log 1.05]
    q = mk(1e6, 0.01, 0.05);
    double d1 = std::log(1.05 / 1.01), want = std::ceil(3 * (std::pow(Z995 * 0.05 / d1, 2) - 1));
    CHECK((rtt_runs_needed(&q, 3, 0.01, &t) == (int)want && want == 30));
    q = mk(1e6, 0.05, 0.05); // on the edge of the null region: never settles
    CHECK(rtt_runs_needed(&q, 3, 0.01, &t) == RTT_RUNS_NEEDED_MAX);
    q = mk(1e6, 0.20, 0.01); // settled already
    CHECK(rtt_runs_needed(&q, 3, 0.01, &t) == 0);
    CHECK((rtt_p_two_sided(0, 0) == 1 && rtt_p_two_sided(0.1, 0) == 0));
    CHECK((rtt_norm_cdf(0) == 0.5 && rtt_norm_cdf(1.959963984540054) == Approx(0.975)));
    CHECK(rtt_norm_quantile(0.995) == Approx(Z995).epsilon(1e-14));
    CHECK(rtt_norm_quantile(0.5) == Approx(0).margin(1e-15));
    for (double p : {1e-300, 1e-20, 1e-5, 0.01, 0.3, 0.7, 0.975, 1 - 1e-12}) // own Phi, Phi^-1
        CHECK(rtt_norm_cdf(rtt_norm_quantile(p)) == Approx(p).epsilon(1e-12));
    CHECK((std::isnan(rtt_norm_quantile(0)) && std::isnan(rtt_norm_quantile(1))));
    CHECK(rtt_p_two_sided(1.959963984540054, 1) == Approx(0.05).epsilon(1e-12));
}

TEST_CASE("coverage: an A/A comparison's 99% CI of p50 misses 0 rarely", "[shift][slow]") {
    for (size_t runs : {1, 3}) {
        int miss = 0;
        for (uint64_t rep = 0; rep < 100; rep++)
            miss += !ci_has(compare(make_sides(runs, 2100 / runs, 1, 100 + rep), 50 + rep).q[0], 0);
        INFO("runs " << runs << ": " << miss << " of 100 CIs exclude 0");
        CHECK(miss <= 5);
        WARN("coverage, " << runs << " run(s) a side: " << miss << " of 100 99% CIs of p50 miss 0");
    }
}

TEST_CASE("speed: 1 M vs 1 M values, 3 quantiles", "[shift][slow]") {
    auto s = make_sides(1, 1000000, 1.2, 77);
    auto t0 = std::chrono::steady_clock::now();
    auto r = compare(s);
    std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - t0;
    WARN("rtt_cmp_quantiles, 1 M vs 1 M lognormal, p50/p90/p99, 400 replicates: " << ms.count()
                                                                                    << " ms");
    for (int j = 0; j < 3; j++) CHECK(ci_has(r.q[j], 0.20));
}
