// test_hist.cpp - the live view's fixed-memory figures
// (tools/analysis/live/): log-linear histogram buckets and quantiles
// against exact values, the rolling windows, and the snapshot's JSON.
#include <catch2/catch.hpp>

#include "hist.h"
#include "snapshot.h"
#include "window.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

TEST_CASE("hist: buckets are exact below 64, then 64 per power of two", "[live]")
{
    for (int64_t v = 0; v < 64; v++) {
        CHECK(rtt_hist_bucket(v) == v);
        CHECK(rtt_hist_upper(rtt_hist_bucket(v)) == v);
    }
    CHECK(rtt_hist_bucket(64) == 64);
    CHECK(rtt_hist_upper(64) == 64);
    CHECK(rtt_hist_bucket(127) == 127);
    CHECK(rtt_hist_bucket(128) == 128);  // 2^7: two values per bucket
    CHECK(rtt_hist_upper(128) == 129);
    CHECK(rtt_hist_bucket(1000000) == rtt_hist_bucket(1000000 + 1));
    CHECK(rtt_hist_bucket(INT64_MAX) == RTT_HIST_BUCKETS - 1);
    CHECK(rtt_hist_upper(RTT_HIST_BUCKETS - 1) == INT64_MAX);
    // every value lies in its bucket, whose bound is at most 1/64 above it
    std::mt19937_64 rng(7);
    for (int i = 0; i < 100000; i++) {
        int64_t v = (int64_t)(rng() >> (rng() % 63 + 1));
        int b = rtt_hist_bucket(v);
        int64_t up = rtt_hist_upper(b);
        REQUIRE(up >= v);
        REQUIRE((double)(up - v) <= (double)v / 64.0 + 1.0);
        if (b > 0)
            REQUIRE(rtt_hist_upper(b - 1) < v);
    }
}

TEST_CASE("hist: quantiles within 1/64 of the exact nearest rank", "[live]")
{
    auto h = std::make_unique<rtt_hist_t>();
    rtt_hist_clear(h.get());
    CHECK(rtt_hist_quantile(h.get(), 0.5) == -1);
    std::mt19937_64 rng(11);
    std::lognormal_distribution<double> d(13.0, 1.5); // ~ 0.4 ms median
    std::vector<int64_t> v;
    for (int i = 0; i < 50000; i++) {
        int64_t x = (int64_t)d(rng);
        v.push_back(x);
        rtt_hist_add(h.get(), x);
    }
    std::sort(v.begin(), v.end());
    CHECK(h->count == 50000);
    CHECK(h->max == v.back());
    for (double p : {0.5, 0.9, 0.99, 0.999}) {
        int64_t exact = v[(size_t)std::ceil(p * (double)v.size()) - 1];
        int64_t got = rtt_hist_quantile(h.get(), p);
        CHECK(got >= exact);
        CHECK((double)(got - exact) <= (double)exact / 64.0 + 1.0);
    }
    CHECK(rtt_hist_quantile(h.get(), 1.0) == v.back());
}

TEST_CASE("window: the newest 1, 10, 60 intervals", "[live]")
{
    auto w = std::make_unique<rtt_window_t>();
    rtt_window_init(w.get());
    // interval k (0..69) holds k+1 values equal to 1000*(k+1)
    for (int k = 0; k < 70; k++) {
        for (int i = 0; i <= k; i++)
            rtt_window_add(w.get(), 1000 * (k + 1));
        if (k < 69)
            rtt_window_advance(w.get());
    }
    rtt_live_pct_t p;
    rtt_window_pct(w.get(), 1, &p);
    CHECK(p.count == 70);
    CHECK(p.max_ns == 70000);
    rtt_window_pct(w.get(), 10, &p);
    CHECK(p.count == 61 + 62 + 63 + 64 + 65 + 66 + 67 + 68 + 69 + 70);
    CHECK(p.max_ns == 70000);
    rtt_window_pct(w.get(), 60, &p); // intervals 11..70: 60 slots, the ring's size
    CHECK(p.count == (11 + 70) * 60 / 2);
    CHECK(p.p50_ns >= 50000);
    CHECK(p.p50_ns <= 50000 + 50000 / 64);
    rtt_window_advance(w.get());
    rtt_window_pct(w.get(), 1, &p); // a new, empty interval
    CHECK(p.count == 0);
    CHECK(p.p50_ns == -1);
    CHECK(p.max_ns == -1);
}

TEST_CASE("snapshot: JSON keys and values", "[live]")
{
    auto s = std::make_unique<rtt_live_snapshot_t>();
    std::memset(s.get(), 0, sizeof *s);
    s->seq = 3;
    std::strcpy(s->session, "se\"ss");
    s->total.tasks = 122;
    s->drops[8] = 5;
    s->pct[RTT_LIVE_RUN_TIME][1] = {4, 100, 200, 300, 400};
    s->pct[RTT_LIVE_FRAME][0] = {0, -1, -1, -1, -1};
    s->staleness_s = 0.25;
    s->watermark_ts = 1;
    s->exit_status = -1;
    s->nworst = 1;
    std::strcpy(s->worst[0].cause, "command#1 -> task#2");
    std::vector<char> buf(RTT_LIVE_JSON_MAX);
    int n = rtt_live_snapshot_json(s.get(), buf.data(), buf.size());
    REQUIRE(n > 0);
    std::string j(buf.data(), (size_t)n);
    CHECK(j.front() == '{');
    CHECK(j.back() == '}');
    CHECK(j.find('\n') == std::string::npos);
    CHECK(j.find("\"seq\":3,") != std::string::npos);
    CHECK(j.find("\"session\":\"se\\\"ss\"") != std::string::npos);
    CHECK(j.find("\"total\":{\"tasks\":122,") != std::string::npos);
    CHECK(j.find("\"shutdown\":5}") != std::string::npos);
    CHECK(j.find("\"run_time\":{\"1s\":{\"count\":0,\"p50_ns\":0,") != std::string::npos);
    CHECK(j.find("\"10s\":{\"count\":4,\"p50_ns\":100,\"p90_ns\":200,\"p99_ns\":300,"
                 "\"max_ns\":400}") != std::string::npos);
    CHECK(j.find("\"frame\":{\"1s\":{\"count\":0,\"p50_ns\":null,") != std::string::npos);
    CHECK(j.find("\"runtime\":null") != std::string::npos);
    CHECK(j.find("\"staleness_s\":0.250") != std::string::npos);
    CHECK(j.find("\"exit_status\":null") != std::string::npos);
    CHECK(j.find("\"cause\":\"command#1 -> task#2\"") != std::string::npos);
    // no database: interactions and lints were not computed, and say so
    CHECK(j.find("\"lints\":[],\"db\":false}") != std::string::npos);
    s->db = 1;
    REQUIRE(rtt_live_snapshot_json(s.get(), buf.data(), buf.size()) > 0);
    CHECK(std::string(buf.data()).find("\"lints\":[],\"db\":true}") != std::string::npos);
    // too small a buffer: -1, never a cut object
    CHECK(rtt_live_snapshot_json(s.get(), buf.data(), 100) == -1);
    char line[512];
    CHECK(rtt_live_snapshot_line(s.get(), line, sizeof line) > 0);
    CHECK(std::string(line).find("drops 5 (+0)") != std::string::npos);
}
