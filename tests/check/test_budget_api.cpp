// test_budget_api.cpp - the budget API around the parser: rtt_budget_holds,
// rtt_op_text, rtt_budget_format_value, rtt_budget_load and NULL arguments.
#include "budget_test_util.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

using namespace budget_test;

TEST_CASE("rtt_budget_holds: every operator, equality, NaN")
{
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    struct {
        rtt_op_t op;
        int below, equal, above; // measured 1, 2, 3 against 2
    } want[] = {{RTT_OP_LT, 1, 0, 0}, {RTT_OP_LE, 1, 1, 0}, {RTT_OP_GT, 0, 0, 1},
                {RTT_OP_GE, 0, 1, 1}, {RTT_OP_EQ, 0, 1, 0}, {RTT_OP_NE, 1, 0, 1}};
    for (const auto &w : want) {
        INFO("op " << rtt_op_text(w.op));
        CHECK(rtt_budget_holds(w.op, 1, 2) == w.below);
        CHECK(rtt_budget_holds(w.op, 2, 2) == w.equal);
        CHECK(rtt_budget_holds(w.op, 3, 2) == w.above);
        CHECK(rtt_budget_holds(w.op, nan, 2) == 0);
        CHECK(rtt_budget_holds(w.op, nan, nan) == 0);
    }
    CHECK(rtt_budget_holds(RTT_OP_EQ, 0, 0) == 1);
    CHECK(rtt_budget_holds(RTT_OP_EQ, -0.0, 0) == 1);
    CHECK(rtt_budget_holds(RTT_OP_NE, 0, 0) == 0);
    CHECK(rtt_budget_holds(RTT_OP_EQ, 16700000, 16.7e6) == 1);
    CHECK(rtt_budget_holds(RTT_OP_LT, inf, 16.7e6) == 0);
    CHECK(rtt_budget_holds(RTT_OP_GT, inf, 16.7e6) == 1);
    CHECK(rtt_budget_holds((rtt_op_t)42, 1, 2) == 0);
}

TEST_CASE("rtt_budget_format_value: in the rule's own unit")
{
    Parsed p("interaction p99 < 16.7ms\nframes over_budget_share < 1%\n"
             "frames over_budget_share < 0.01\ndrops total == 0\ntask max < 2s\n"
             "task max < 500us\ntask max < 3ns\ninteraction count >= 100\n");
    REQUIRE(p.err == "");
    const rtt_budget_rule_t &ms = p.rule(0), &pct = p.rule(1), &frac = p.rule(2),
                            &cnt = p.rule(3), &s = p.rule(4), &us = p.rule(5), &ns = p.rule(6),
                            &icount = p.rule(7);
    CHECK(formatted(ms, ms.value) == "16.7 ms");
    CHECK(formatted(ms, 12345678) == "12.3457 ms");
    CHECK(formatted(ms, 0) == "0 ms");
    CHECK(formatted(ms, 2.5e12) == "2500000 ms");
    CHECK(formatted(pct, pct.value) == "1 %");
    CHECK(formatted(pct, 0.0067) == "0.67 %");
    CHECK(formatted(frac, frac.value) == "0.01");
    CHECK(formatted(frac, 0.0067) == "0.0067");
    CHECK(formatted(cnt, cnt.value) == "0");
    CHECK(formatted(cnt, 1234567) == "1234567");
    CHECK(formatted(icount, 100) == "100");
    CHECK(formatted(s, s.value) == "2 s");
    CHECK(formatted(s, 1.5e9) == "1.5 s");
    CHECK(formatted(us, us.value) == "500 us");
    CHECK(formatted(ns, ns.value) == "3 ns");
    CHECK(formatted(ms, std::nan("")) == "-");
    CHECK(formatted(cnt, std::numeric_limits<double>::infinity()) == "inf");
    char small[5];
    rtt_budget_format_value(&ms, ms.value, small, sizeof small);
    CHECK(std::string(small) == "16.7");
}

TEST_CASE("rtt_budget_load")
{
    const std::string dir = RTT_BUDGET_TEST_TMP;
    char e[512];
    SECTION("a missing file")
    {
        const std::string path = dir + "/no-such-budget.txt";
        std::remove(path.c_str());
        CHECK(rtt_budget_load(path.c_str(), e, sizeof e) == nullptr);
        CHECK(std::string(e) == path + ": cannot read: No such file or directory");
    }
    SECTION("a directory")
    {
        CHECK(rtt_budget_load(dir.c_str(), e, sizeof e) == nullptr);
        CHECK(std::string(e) == dir + ": cannot read: Is a directory");
    }
    SECTION("a file: rules, and errors named by its path")
    {
        const std::string path = dir + "/budget-test.txt";
        FILE *f = std::fopen(path.c_str(), "wb");
        REQUIRE(f);
        std::fputs(example, f);
        std::fclose(f);
        rtt_budget_t *b = rtt_budget_load(path.c_str(), e, sizeof e);
        REQUIRE(b);
        CHECK(rtt_budget_count(b) == 15);
        CHECK(rtt_budget_get(b, 14)->line == 16);
        rtt_budget_free(b);

        f = std::fopen(path.c_str(), "wb");
        REQUIRE(f);
        std::fwrite("task max < 1ms\ntask max\0 < 1ms\n", 1, 31, f);
        std::fclose(f);
        CHECK(rtt_budget_load(path.c_str(), e, sizeof e) == nullptr);
        CHECK(std::string(e) == path + ":2: control character 0x00 in line");
        std::remove(path.c_str());
    }
    SECTION("a file over 1 MiB")
    {
        const std::string path = dir + "/budget-big.txt";
        FILE *f = std::fopen(path.c_str(), "wb");
        REQUIRE(f);
        std::string line = "task max < 1ms\n";
        for (size_t n = 0; n <= (1u << 20); n += line.size())
            std::fputs(line.c_str(), f);
        std::fclose(f);
        CHECK(rtt_budget_load(path.c_str(), e, sizeof e) == nullptr);
        CHECK(std::string(e) == path + ": cannot read: larger than 1 MiB");
        std::remove(path.c_str());
    }
}

TEST_CASE("NULL and out-of-range arguments")
{
    rtt_budget_free(nullptr);
    CHECK(rtt_budget_count(nullptr) == 0);
    CHECK(rtt_budget_get(nullptr, 0) == nullptr);
    char buf[8] = "x";
    rtt_budget_format_value(nullptr, 3, buf, sizeof buf);
    CHECK(std::string(buf) == "3");
    rtt_budget_format_value(nullptr, 3, buf, 0); // writes nothing
    CHECK(std::string(buf) == "3");
}
