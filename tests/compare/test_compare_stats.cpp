// test_compare_stats.cpp - the statistics core of rt-trace compare against
// ground truth: the incomplete beta and Harrell-Davis against closed forms
// and integrals computed here, the bootstrap against samples with a known
// shift, Holm against a hand-worked vector, verdicts and runs-needed
// against the formulas of verdict.h. Costs: ~2 s; [slow] ~10 s more.
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

// splitmix64: the tests' own generator, independent of shift.c's
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed) {}
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double unif() { return ((next() >> 11) + 0.5) / 9007199254740992.0; }
    double normal() { return std::sqrt(-2 * std::log(unif())) * std::cos(6.283185307179586 * unif()); }
};

// lognormal ns values, median 1 ms * scale, sigma 0.5
std::vector<int64_t> lognormal(size_t n, double scale, uint64_t seed) {
    Rng r(seed);
    std::vector<int64_t> v(n);
    for (auto &x : v) x = std::llround(1e6 * scale * std::exp(0.5 * r.normal()));
    return v;
}

// I_x(a,b) for whole a, b: P(Binomial(a+b-1, x) >= a), summed in log space
double ibeta_binom(int a, int b, double x) {
    if (x <= 0 || x >= 1) return x <= 0 ? 0 : 1;
    int m = a + b - 1;
    long double s = 0;
    for (int j = a; j <= m; j++)
        s += std::exp((long double)(std::lgamma(m + 1.0) - std::lgamma(j + 1.0) - std::lgamma(m - j + 1.0)) +
                      j * std::log((long double)x) + (m - j) * std::log1p(-(long double)x));
    return (double)s;
}

// Beta(a,b) density integrated over [x0, x1] by composite Simpson (k panels)
double beta_mass(double a, double b, double x0, double x1, int k) {
    double lb = std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b), h = (x1 - x0) / k, s = 0;
    auto f = [&](double x) {
        return x <= 0 || x >= 1 ? 0.0 : std::exp((a - 1) * std::log(x) + (b - 1) * std::log1p(-x) - lb);
    };
    for (int i = 0; i < k; i++) {
        double u = x0 + i * h;
        s += h / 6 * (f(u) + 4 * f(u + h / 2) + f(u + h));
    }
    return s;
}

// HD from the definition, weights by numerical integration here; where the
// density is infinite (b < 1 at x = 1) that cell gets 1 - the others
double hd_brute(const std::vector<int64_t> &v, double p, int k) {
    size_t n = v.size();
    double a = (n + 1) * p, b = (n + 1) * (1 - p), s = 0, w = 0;
    for (size_t i = 1; i < n; i++) {
        double m = beta_mass(a, b, (i - 1.0) / n, (double)i / n, k);
        s += m * v[i - 1], w += m;
    }
    return s + (b < 1 ? 1 - w : beta_mass(a, b, (n - 1.0) / n, 1, k)) * v[n - 1];
}

struct Sides {
    std::vector<std::vector<int64_t>> b, c;
    std::vector<rtt_cmp_run_t> rb, rc;
    rtt_cmp_side_t sb{}, sc{};
    void wire() {
        rb.clear(), rc.clear();
        for (auto &x : b) rb.push_back({x.data(), x.size()});
        for (auto &x : c) rc.push_back({x.data(), x.size()});
        sb = {rb.data(), rb.size()}, sc = {rc.data(), rc.size()};
    }
};

// runs runs per side of n lognormal values, the new side scaled
Sides make_sides(size_t runs, size_t n, double scale, uint64_t seed) {
    Sides s;
    for (size_t r = 0; r < runs; r++) {
        s.b.push_back(lognormal(n, 1.0, seed * 1000 + 2 * r));
        s.c.push_back(lognormal(n, scale, seed * 1000 + 2 * r + 1));
    }
    s.wire();
    return s;
}

const double PS[3] = {0.5, 0.9, 0.99};
const double Z995 = 2.5758293035489004; // z_{0.995}

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
    for (size_t j = 0; j < r.nq; j++)
        if (r.q[j].assessed) p[m++] = r.q[j].p_value;
    rtt_holm(p, m, adj);
    rtt_threshold_t t;
    rtt_threshold_init(&t);
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
    struct { int a, b; } ab[] = {{2, 3}, {3, 3}, {5, 17}, {40, 60}, {800, 1200}, {200, 19800}};
    for (auto c : ab) {
        double m = (double)c.a / (c.a + c.b), sd = std::sqrt(m * (1 - m) / (c.a + c.b));
        for (double k : {-6.0, -2.0, -0.3, 0.0, 0.7, 3.0})
            if (m + k * sd > 0 && m + k * sd < 1)
                CHECK(rtt_ibeta(c.a, c.b, m + k * sd) == Approx(ibeta_binom(c.a, c.b, m + k * sd)).margin(1e-13));
    }
    CHECK(rtt_ibeta(2, 3, 0) == 0);
    CHECK(rtt_ibeta(2, 3, 1) == 1);
    CHECK(std::isnan(rtt_ibeta(0, 3, 0.5)));
    CHECK(std::isnan(rtt_ibeta(2, -1, 0.5)));
}

TEST_CASE("incomplete beta: the bootstrap's asymptotic form is close", "[ibeta]") {
    struct { double min, tol; } lv[] = {{10, 1e-4}, {100, 5e-6}, {1000, 2e-7}};
    for (auto l : lv)
        for (double p : {0.5, 0.9, 0.99}) {
            double b = l.min, a = l.min * p / (1 - p), m = a / (a + b), sd = std::sqrt(m * (1 - m) / (a + b)), worst = 0;
            for (int k = -60; k <= 60; k++) {
                double x = m + k * sd / 8;
                if (x > 0 && x < 1) worst = std::max(worst, std::fabs(rtt_ibeta_fast(a, b, x) - rtt_ibeta(a, b, x)));
            }
            INFO("min(a,b) " << l.min << " p " << p);
            CHECK(worst < l.tol);
        }
}

TEST_CASE("normal CDF and quantile", "[normal]") {
    CHECK(rtt_norm_cdf(0) == 0.5);
    CHECK(rtt_norm_cdf(1.959963984540054) == Approx(0.975).epsilon(1e-14));
    CHECK(rtt_norm_quantile(0.995) == Approx(Z995).epsilon(1e-14));
    CHECK(rtt_norm_quantile(0.5) == Approx(0).margin(1e-15));
    for (double p : {1e-300, 1e-20, 1e-5, 0.01, 0.3, 0.7, 0.975, 1 - 1e-12})
        CHECK(rtt_norm_cdf(rtt_norm_quantile(p)) == Approx(p).epsilon(1e-12));
    CHECK(std::isnan(rtt_norm_quantile(0)));
    CHECK(std::isnan(rtt_norm_quantile(1)));
}

TEST_CASE("Harrell-Davis: closed forms for n = 1..5", "[hd]") {
    int64_t one[] = {42};
    CHECK(rtt_hd_quantile_sorted(one, 1, 0.9) == 42);
    CHECK(std::isnan(rtt_hd_quantile_sorted(one, 0, 0.5)));
    CHECK(std::isnan(rtt_hd_quantile_sorted(one, 1, 1.0)));
    int64_t two[] = {10, 30};
    CHECK(rtt_hd_quantile_sorted(two, 2, 0.5) == Approx(20).epsilon(1e-14)); // I_{1/2}(1.5,1.5) = 1/2
    int64_t three[] = {1, 2, 10}; // a = b = 2: weights 7/27, 13/27, 7/27
    CHECK(rtt_hd_quantile_sorted(three, 3, 0.5) == Approx(103.0 / 27).epsilon(1e-14));
    // n = 4, p = 0.4 (a = 2, b = 3) and n = 5, p = 0.5 (a = b = 3): binomial sums
    struct { std::vector<int64_t> v; double p; int a, b; } cs[] = {
        {{3, 8, 20, 21}, 0.4, 2, 3}, {{1, 5, 9, 40, 41}, 0.5, 3, 3}, {{0, 0, 7, 7, 100}, 0.5, 3, 3}};
    for (auto &c : cs) {
        size_t n = c.v.size();
        double want = 0;
        for (size_t i = 1; i <= n; i++)
            want += (ibeta_binom(c.a, c.b, (double)i / n) - ibeta_binom(c.a, c.b, (i - 1.0) / n)) * c.v[i - 1];
        CHECK(rtt_hd_quantile_sorted(c.v.data(), n, c.p) == Approx(want).epsilon(1e-13));
    }
    std::vector<int64_t> five = {2, 3, 5, 8, 13}; // a = 1.8, b = 4.2: integrate here
    CHECK(rtt_hd_quantile_sorted(five.data(), 5, 0.3) == Approx(hd_brute(five, 0.3, 200000)).epsilon(1e-9));
}

TEST_CASE("Harrell-Davis: brute force, symmetric samples, a ramp of 1 M", "[hd]") {
    struct { size_t n; double p; } cs[] = {{200, 0.9}, {60, 0.99}, {3000, 0.5}, {3000, 0.99}};
    for (auto c : cs) { // the continued-fraction path and the cell rule
        auto v = lognormal(c.n, 1.0, c.n);
        std::sort(v.begin(), v.end());
        INFO("n " << c.n << " p " << c.p);
        CHECK(std::fabs(rtt_hd_quantile_sorted(v.data(), c.n, c.p) - hd_brute(v, c.p, c.n > 1000 ? 16 : 400)) <
              1e-9 * (v.back() - v.front()));
    }
    int64_t sym[] = {0, 2, 3, 7, 10, 13, 17, 18, 20};
    CHECK(rtt_hd_quantile_sorted(sym, 9, 0.5) == Approx(10).epsilon(1e-14));
    auto h = lognormal(50000, 1.0, 7);
    std::sort(h.begin(), h.end());
    std::vector<int64_t> s2(h.rbegin(), h.rend());
    for (auto &x : s2) x = 4000000 - x; // mirror image
    s2.insert(s2.end(), h.begin(), h.end());
    CHECK(rtt_hd_quantile_sorted(s2.data(), s2.size(), 0.5) == Approx(2000000).epsilon(1e-12));
    std::vector<int64_t> ramp(1000000);
    for (size_t i = 0; i < ramp.size(); i++) ramp[i] = 3 * (int64_t)i; // E[ceil(nU)] = np + 1/2
    for (double p : PS) CHECK(rtt_hd_quantile_sorted(ramp.data(), ramp.size(), p) == Approx(3 * (1e6 * p - 0.5)).epsilon(1e-12));
    // a window of the sample, in any order, gives the same
    size_t lo, hi;
    rtt_hd_ranks(h.size(), 0.9, &lo, &hi);
    std::vector<int64_t> w(h.begin() + (lo - 1), h.begin() + hi);
    std::reverse(w.begin(), w.end());
    CHECK(rtt_hd_quantile_unsorted(w.data(), lo, w.size(), h.size(), 0.9) ==
          rtt_hd_quantile_sorted(h.data(), h.size(), 0.9));
    CHECK(hi - lo < 2000); // +-12 sd of ~67 ranks, not all 50 000
}

TEST_CASE("Harrell-Davis on histograms, and the bins", "[hd][bins]") {
    // point masses: the same as HD of the expanded sample (asymptotic I)
    double val[] = {10, 20, 30, 40, 50}, cnt[] = {30, 50, 100, 60, 10}, cum[6] = {0};
    std::vector<int64_t> all;
    for (int k = 0; k < 5; k++) {
        cum[k + 1] = cum[k] + cnt[k];
        all.insert(all.end(), (size_t)cnt[k], (int64_t)val[k]);
    }
    for (double p : PS)
        CHECK(rtt_hd_quantile_hist(250, p, cum, val, val, 5) == Approx(rtt_hd_quantile_sorted(all.data(), 250, p)).margin(4e-3));
    // one bin spread uniformly over [0, 1000]: HD = 1000 E[Beta] = 1000 p
    double c1[] = {0, 10000}, lo1[] = {0}, hi1[] = {1000};
    for (double p : PS) CHECK(rtt_hd_quantile_hist(10000, p, c1, lo1, hi1, 1) == Approx(1000 * p).epsilon(1e-9));
    Rng r(5);
    unsigned prev = 0;
    for (int64_t v = 0; v < 512; v++) { // exact below 512, in order
        int64_t lo, hi;
        rtt_hd_bin_range(rtt_hd_bin(v), &lo, &hi);
        CHECK((lo == v && hi == v && rtt_hd_bin(v) >= prev));
        prev = rtt_hd_bin(v);
    }
    for (int i = 0; i < 20000; i++) {
        int64_t v = (int64_t)(r.next() >> (1 + r.next() % 62)), lo, hi;
        unsigned k = rtt_hd_bin(v);
        rtt_hd_bin_range(k, &lo, &hi);
        REQUIRE(k < RTT_HD_NBINS);
        CHECK((lo <= v && v <= hi && (double)(hi - lo + 1) <= std::ldexp((double)lo, -8) + 1));
        if (v > 0) CHECK(rtt_hd_bin(v - 1) <= k);
    }
    CHECK(rtt_hd_bin(-5) == 0);
}

TEST_CASE("shift: a 20% slowdown is regressed and its CI holds 0.20", "[shift]") {
    for (size_t runs : {1, 3}) {
        auto s = make_sides(runs, 20000, 1.20, 11 + runs);
        auto r = compare(s);
        rtt_verdict_t qv[3];
        INFO("runs " << runs);
        CHECK(r.method == (runs == 1 ? RTT_CMP_BY_BLOCK : RTT_CMP_BY_RUN));
        for (int j = 0; j < 2; j++) {
            CHECK(ci_has(r.q[j], 0.20));
            CHECK(r.q[j].rel == Approx(0.20).margin(0.03));
            CHECK((r.q[j].diff_lo < r.q[j].diff && r.q[j].diff < r.q[j].diff_hi));
        }
        CHECK(verdicts(r, qv) == RTT_V_REGRESSED);
        CHECK((qv[0] == RTT_V_REGRESSED && qv[1] == RTT_V_REGRESSED));
    }
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
    CHECK(tiny.q[0].assessed == 1);  // 15 values beyond the median
    CHECK(tiny.q[1].assessed == 0);  // 3 beyond p90
    CHECK(verdicts(tiny, qv) == RTT_V_INCONCLUSIVE);
    CHECK(qv[0] == RTT_V_INCONCLUSIVE);
    rtt_threshold_t t;
    rtt_threshold_init(&t);
    int k = rtt_runs_needed(&tiny.q[0], 1, 0.01, &t);
    CHECK((k > 0 && k < RTT_RUNS_NEEDED_MAX));
    CHECK(compare(make_sides(1, 500, 1.0, 37)).q[2].assessed == 0);
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
    CHECK((rtt_cmp_blocks(30, 0) == 8 && rtt_cmp_blocks(500, 0) == 16 && rtt_cmp_blocks(1000000, 0) == 64));
    CHECK((rtt_cmp_blocks(5, 0) == 5 && rtt_cmp_blocks(1000, 10) == 10 && rtt_cmp_blocks(0, 0) == 0));
    rtt_cmp_result_t out;
    rtt_cmp_side_t empty{nullptr, 0};
    CHECK(rtt_cmp_quantiles(&one.sb, &empty, PS, 3, nullptr, &out) == -1);
    CHECK(rtt_cmp_quantiles(&one.sb, &one.sc, PS, 0, nullptr, &out) == -1);
    double bad[] = {0.5, 1.0};
    CHECK(rtt_cmp_quantiles(&one.sb, &one.sc, bad, 2, nullptr, &out) == -1);
    rtt_cmp_params_t prm;
    rtt_cmp_params_init(&prm);
    CHECK((prm.seed == 0x7274742d636d70ULL && prm.replicates == 400 && prm.alpha == 0.01));
    prm.replicates = 1;
    CHECK(rtt_cmp_quantiles(&one.sb, &one.sc, PS, 3, &prm, &out) == -1);
}

TEST_CASE("mean: shares of 0/1 frames", "[mean]") {
    auto frames = [](double share, uint64_t seed) {
        Rng r(seed);
        std::vector<int64_t> v(5000);
        for (auto &x : v) x = r.unif() < share;
        return v;
    };
    Sides s;
    s.b = {frames(0.02, 1)}, s.c = {frames(0.10, 2)};
    s.wire();
    rtt_cmp_mean_t m;
    REQUIRE(rtt_cmp_mean(&s.sb, &s.sc, nullptr, &m) == 0);
    double pb = m.base, pc = m.cur, se = std::sqrt(pb * (1 - pb) / 5000 + pc * (1 - pc) / 5000);
    CHECK((m.method == RTT_CMP_BY_BLOCK && m.n_base == 5000));
    CHECK(m.diff == Approx(0.08).margin(0.015));
    CHECK(m.se == Approx(se).epsilon(0.25)); // bootstrap SE vs the binomial one
    CHECK((m.diff_lo > 0 && m.p_value < 1e-6));
    rtt_threshold_t t{0.05, 0.01};
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
    CHECK(adj[0] == Approx(0.03));
    CHECK(adj[1] == Approx(0.06));
    CHECK(adj[2] == Approx(0.06));
    CHECK(adj[3] == Approx(0.02));
    double q[] = {0.3, 0.02, 0.3, NAN, 0.02}, qa[5];
    rtt_holm(q, 5, qa);
    CHECK((qa[1] == Approx(0.1) && qa[4] == Approx(0.1))); // ties: 5 * 0.02 for both
    CHECK((qa[0] == Approx(0.9) && qa[2] == Approx(0.9) && qa[3] == 1));
}

TEST_CASE("verdict rules and runs needed", "[verdict]") {
    rtt_threshold_t t;
    rtt_threshold_init(&t);
    CHECK((t.rel == 0.05 && t.abs_ns == 50000));
    auto mk = [](double base, double rel, double se) {
        rtt_cmp_quant_t q{};
        double e = std::log1p(rel);
        q.p = 0.5, q.base = base, q.cur = base + rel * (base + 1), q.diff = rel * (base + 1), q.rel = rel;
        q.rel_lo = std::expm1(e - Z995 * se), q.rel_hi = std::expm1(e + Z995 * se);
        q.diff_lo = (base + 1) * q.rel_lo, q.diff_hi = (base + 1) * q.rel_hi;
        q.se_log = se, q.p_value = rtt_p_two_sided(e, se), q.assessed = 1;
        return q;
    };
    auto q = mk(1e6, 0.10, 0.01);
    CHECK(rtt_verdict_quantile(&q, 0.001, 0.01, &t) == RTT_V_REGRESSED);
    CHECK(rtt_verdict_quantile(&q, 0.02, 0.01, &t) == RTT_V_INCONCLUSIVE); // Holm made it insignificant
    q = mk(1e6, -0.10, 0.01);
    CHECK(rtt_verdict_quantile(&q, 0.001, 0.01, &t) == RTT_V_IMPROVED);
    q = mk(4e5, 0.10, 0.01); // +40 us: large relative, small absolute
    CHECK(rtt_verdict_quantile(&q, 0.001, 0.01, &t) == RTT_V_INCONCLUSIVE);
    q = mk(4e5, 0.10, 0.005); // CI of diff within +-50 us
    CHECK(rtt_verdict_quantile(&q, 0.001, 0.01, &t) == RTT_V_SAME);
    q = mk(1e6, 0.01, 0.01); // CI of rel within +-5%
    CHECK(rtt_verdict_quantile(&q, 0.3, 0.01, &t) == RTT_V_SAME);
    q.assessed = 0;
    CHECK(rtt_verdict_quantile(&q, 0.3, 0.01, &t) == RTT_V_NOT_ASSESSED);
    CHECK(std::string(rtt_verdict_name(RTT_V_NOT_ASSESSED)) == "not assessed");
    CHECK(std::string(rtt_verdict_name(RTT_V_REGRESSED)) == "regressed");
    using V = rtt_verdict_t;
    V a[] = {RTT_V_SAME, RTT_V_REGRESSED, RTT_V_IMPROVED}, b[] = {RTT_V_SAME, RTT_V_IMPROVED, RTT_V_INCONCLUSIVE};
    V c[] = {RTT_V_SAME, RTT_V_SAME, RTT_V_NOT_ASSESSED}, d[] = {RTT_V_SAME, RTT_V_INCONCLUSIVE};
    V e[] = {RTT_V_NOT_ASSESSED, RTT_V_NOT_ASSESSED};
    CHECK(rtt_verdict_combine(a, 3) == RTT_V_REGRESSED);
    CHECK(rtt_verdict_combine(b, 3) == RTT_V_IMPROVED);
    CHECK(rtt_verdict_combine(c, 3) == RTT_V_SAME);
    CHECK(rtt_verdict_combine(d, 2) == RTT_V_INCONCLUSIVE);
    CHECK(rtt_verdict_combine(e, 2) == RTT_V_NOT_ASSESSED);
    CHECK(rtt_verdict_combine(e, 0) == RTT_V_NOT_ASSESSED);
    // +20% with se 0.1 and 2 runs: significant once 2.576 * 0.1 sqrt(2/(2+k)) < log 1.2
    q = mk(1e6, 0.20, 0.1);
    CHECK(rtt_verdict_quantile(&q, q.p_value, 0.01, &t) == RTT_V_INCONCLUSIVE);
    CHECK(rtt_runs_needed(&q, 2, 0.01, &t) == 2);
    CHECK(Z995 * 0.1 * std::sqrt(2.0 / 4) < std::log(1.2));
    CHECK(Z995 * 0.1 * std::sqrt(2.0 / 3) > std::log(1.2));
    // +1% with se 0.05 and 3 runs: SAME once the CI fits in [log .95, log 1.05]
    q = mk(1e6, 0.01, 0.05);
    double d1 = std::log(1.05) - std::log(1.01), want = std::ceil(3 * (std::pow(Z995 * 0.05 / d1, 2) - 1));
    CHECK(rtt_runs_needed(&q, 3, 0.01, &t) == (int)want);
    CHECK(want == 30);
    q = mk(1e6, 0.05, 0.05); // on the edge of the null region: never settles
    CHECK(rtt_runs_needed(&q, 3, 0.01, &t) == RTT_RUNS_NEEDED_MAX);
    q = mk(1e6, 0.20, 0.01); // settled
    CHECK(rtt_runs_needed(&q, 3, 0.01, &t) == 0);
    CHECK(rtt_p_two_sided(0, 0) == 1);
    CHECK(rtt_p_two_sided(0.1, 0) == 0);
    CHECK(rtt_p_two_sided(1.959963984540054, 1) == Approx(0.05).epsilon(1e-12));
}

TEST_CASE("coverage: an A/A comparison's 99% CI of p50 misses 0 rarely", "[shift][slow]") {
    for (size_t runs : {1, 3}) {
        int miss = 0;
        for (uint64_t rep = 0; rep < 100; rep++) {
            auto r = compare(make_sides(runs, runs == 1 ? 2000 : 700, 1.0, 1000 + rep), 5000 + rep);
            miss += !ci_has(r.q[0], 0.0);
        }
        INFO("runs " << runs << ": " << miss << " of 100 CIs exclude 0");
        CHECK(miss <= 5);
        WARN("coverage, " << runs << " run(s) per side: " << miss << " of 100 99% CIs of p50 exclude 0");
    }
}

TEST_CASE("speed: 1 M vs 1 M values, 3 quantiles", "[shift][slow]") {
    auto s = make_sides(1, 1000000, 1.2, 77);
    auto t0 = std::chrono::steady_clock::now();
    auto r = compare(s);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    WARN("rtt_cmp_quantiles, 1 M vs 1 M lognormal values, p50/p90/p99, 400 replicates: " << ms << " ms");
    for (int j = 0; j < 3; j++) CHECK(ci_has(r.q[j], 0.20));
}
