// test_budget.cpp - the budget parser on good input: every rule of the
// documented example, default measures, percentiles, value kinds and units,
// operators, comments and whitespace, filter values (quoted, integer, names).
#include "budget_test_util.hpp"

#include <fstream>

using namespace budget_test;

TEST_CASE("every rule of the documented example")
{
    static const Expect want[] = {
        {2, "interaction", "latency", "p", 99, RTT_OP_LT, 16.7e6, RTT_VAL_DURATION, "ms", nullptr, nullptr},
        {3, "interaction", "latency", "p", 50, RTT_OP_LE, 4e6, RTT_VAL_DURATION, "ms", "name", "key_char"},
        {4, "interaction", "frame_wait", "p", 90, RTT_OP_LT, 10e6, RTT_VAL_DURATION, "ms", nullptr, nullptr},
        {5, "task", "run_time", "p", 90, RTT_OP_LT, 2e6, RTT_VAL_DURATION, "ms", "name", "highlight"},
        {6, "task", "queue_wait", "p", 99, RTT_OP_LT, 5e6, RTT_VAL_DURATION, "ms", "priority", "2"},
        {7, "task", "run_time", "max", 0, RTT_OP_LT, 50e6, RTT_VAL_DURATION, "ms", nullptr, nullptr},
        {8, "dispatch", "duration", "p", 99, RTT_OP_LT, 1e6, RTT_VAL_DURATION, "ms", "type", "7"},
        {9, "timer", "lateness", "p", 99, RTT_OP_LT, 2e6, RTT_VAL_DURATION, "ms", nullptr, nullptr},
        {10, "command", "latency", "p", 50, RTT_OP_LT, 1e6, RTT_VAL_DURATION, "ms", nullptr, nullptr},
        {11, "tick", "duration", "p", 99.9, RTT_OP_LT, 20e6, RTT_VAL_DURATION, "ms", nullptr, nullptr},
        {12, "frames", nullptr, "over_budget_share", 0, RTT_OP_LT, 0.01, RTT_VAL_RATIO, "%", nullptr, nullptr},
        {13, "drops", nullptr, "count", 0, RTT_OP_EQ, 0, RTT_VAL_COUNT, "", nullptr, nullptr},
        {14, "drops", nullptr, "count", 0, RTT_OP_EQ, 0, RTT_VAL_COUNT, "", "reason", "0"},
        {15, "tracer", nullptr, "discarded", 0, RTT_OP_EQ, 0, RTT_VAL_COUNT, "", nullptr, nullptr},
        {16, "interaction", "latency", "count", 0, RTT_OP_GE, 100, RTT_VAL_COUNT, "", nullptr, nullptr},
    };
    Parsed p(example, "budget.txt");
    REQUIRE(p.err == "");
    REQUIRE(p.count() == sizeof want / sizeof want[0]);
    for (size_t i = 0; i < p.count(); i++) {
        const Expect &w = want[i];
        const rtt_budget_rule_t &r = p.rule(i);
        INFO("rule " << i << ": " << str(r.text));
        CHECK(r.line == w.line);
        CHECK(str(r.subject) == str(w.subject));
        CHECK(str(r.measure) == str(w.measure));
        CHECK(str(r.stat) == str(w.stat));
        CHECK(r.percentile == w.percentile);
        CHECK(r.op == w.op);
        CHECK(r.value == w.value);
        CHECK(r.kind == w.kind);
        CHECK(str(r.unit) == str(w.unit));
        CHECK(r.nfilters == (w.key ? 1u : 0u));
        if (w.key) {
            CHECK(str(r.filters[0].key) == w.key);
            CHECK(str(r.filters[0].value) == w.fvalue);
        }
    }
    CHECK(str(p.rule(1).text) == "interaction latency p50 <= 4ms where name = key_char");
    CHECK(rtt_budget_get(p.b, p.count()) == nullptr);
}

TEST_CASE("default measures, stats and the value kind they give")
{
    Parsed p("interaction p50 < 1ms\ntask p50 < 1ms\ndispatch p50 < 1ms\ntimer p50 < 1ms\n"
             "command p50 < 1ms\ntick p50 < 1ms\n"
             "task total mean < 3ms\ndispatch queue_wait min >= 0ns\ninteraction queue max < 1s\n"
             "interaction run p50 < 1ms\ninteraction render p50 < 1ms\n"
             "task count > 0\nframes count >= 10\ntracer lost_packets == 0\n");
    REQUIRE(p.err == "");
    const char *measures[] = {"latency", "run_time", "duration", "lateness", "latency", "duration",
                              "total", "queue_wait", "queue", "run", "render"};
    for (size_t i = 0; i < 11; i++)
        CHECK(str(p.rule(i).measure) == measures[i]);
    CHECK(str(p.rule(6).stat) == "mean");
    CHECK(str(p.rule(7).stat) == "min");
    CHECK(p.rule(7).value == 0);
    CHECK(str(p.rule(8).stat) == "max");
    CHECK(p.rule(8).value == 1e9);
    CHECK(p.rule(8).percentile == 0);
    CHECK(str(p.rule(11).stat) == "count");
    CHECK(p.rule(11).kind == RTT_VAL_COUNT);
    CHECK(str(p.rule(11).measure) == "run_time"); // count of values of the default measure
    CHECK(p.rule(12).measure == nullptr);
    CHECK(str(p.rule(12).stat) == "count");
    CHECK(str(p.rule(13).stat) == "lost_packets");
    CHECK(p.rule(13).kind == RTT_VAL_COUNT);
}

TEST_CASE("percentiles")
{
    Parsed p("task p50 < 1ms\ntask p99.9 < 1ms\ntask p100 < 1ms\ntask p0.1 < 1ms\ntask p1 < 1ms\n"
             "task p99.99 < 1ms\ntask p050 < 1ms\n");
    REQUIRE(p.err == "");
    const double want[] = {50, 99.9, 100, 0.1, 1, 99.99, 50};
    for (size_t i = 0; i < 7; i++) {
        CHECK(str(p.rule(i).stat) == "p");
        CHECK(p.rule(i).percentile == want[i]);
    }
    const char *range = "out of range (above 0, at most 100; 99.9th is p99.9)";
    CHECK(rule_error("task p0 < 1ms") == std::string("percentile 'p0' ") + range);
    CHECK(rule_error("task p0.0 < 1ms") == std::string("percentile 'p0.0' ") + range);
    CHECK(rule_error("task p100.1 < 1ms") == std::string("percentile 'p100.1' ") + range);
    CHECK(rule_error("task p999 < 1ms") == std::string("percentile 'p999' ") + range);
    CHECK(rule_error("task p99. < 1ms") == "bad percentile 'p99.' (expected p50, p99, p99.9, ...)");
    CHECK(rule_error("task p9x < 1ms") == "bad percentile 'p9x' (expected p50, p99, p99.9, ...)");
    CHECK(rule_error("task p.5 < 1ms") == "bad percentile 'p.5' (expected p50, p99, p99.9, ...)");
    CHECK(rule_error("task p < 1ms") ==
          "unknown stat 'p' for task (expected pNN, max, min, mean or count)");
}

TEST_CASE("values: durations, ratios and counts")
{
    SECTION("durations are ns and need a unit")
    {
        Parsed p("task max < 16.7ms\ntask max < 500us\ntask max < 2s\ntask max < 3ns\n"
                 "task max < 1.5ns\ntask max < 0.25s\ntask max < 16.7 ms\ntask max < 007ms\n");
        REQUIRE(p.err == "");
        const double want[] = {16700000, 500000, 2e9, 3, 1.5, 2.5e8, 16700000, 7e6};
        const char *units[] = {"ms", "us", "s", "ns", "ns", "s", "ms", "ms"};
        for (size_t i = 0; i < 8; i++) {
            CHECK(p.rule(i).value == want[i]);
            CHECK(p.rule(i).kind == RTT_VAL_DURATION);
            CHECK(str(p.rule(i).unit) == units[i]);
        }
        CHECK(str(p.rule(6).text) == "task max < 16.7 ms");
        CHECK(rule_error("task p99 < 16.7") ==
              "duration '16.7' needs a unit (ns, us, ms or s): 16.7ms");
        CHECK(rule_error("task p99 < 0") == "duration '0' needs a unit (ns, us, ms or s): 0ms");
        CHECK(rule_error("task p99 < 16.7sec") ==
              "unknown unit 'sec' in '16.7sec' (expected ns, us, ms or s)");
        CHECK(rule_error("task p99 < 16.7MS") ==
              "unknown unit 'MS' in '16.7MS' (expected ns, us, ms or s)");
        CHECK(rule_error("task p99 < 1min") ==
              "unknown unit 'min' in '1min' (expected ns, us, ms or s)");
        CHECK(rule_error("task p99 < 1e3ms") ==
              "unknown unit 'e3ms' in '1e3ms' (expected ns, us, ms or s)");
        CHECK(rule_error("task p99 < ms") ==
              "bad duration 'ms' (expected a number and a unit: 16.7ms, 500us)");
        CHECK(rule_error("task p99 < .5ms") ==
              "bad duration '.5ms' (expected a number and a unit: 16.7ms, 500us)");
        CHECK(rule_error("task p99 < -1ms") == "negative value '-1ms'");
        CHECK(rule_error("task p99 < 16.7 %") ==
              "unknown unit '%' in '16.7 %' (expected ns, us, ms or s)");
    }
    SECTION("ratios are fractions, written as 0.01 or 1%")
    {
        Parsed p("frames over_budget_share < 1%\nframes over_budget_share < 0.01\n"
                 "frames over_budget_share <= 0.5%\nframes over_budget_share < 100%\n"
                 "frames over_budget_share < 1\nframes over_budget_share == 0\n"
                 "frames over_budget_share < 2.5 %\n");
        REQUIRE(p.err == "");
        const double want[] = {0.01, 0.01, 0.005, 1, 1, 0, 0.025};
        const char *units[] = {"%", "", "%", "%", "", "", "%"};
        for (size_t i = 0; i < 7; i++) {
            CHECK(p.rule(i).value == want[i]);
            CHECK(p.rule(i).kind == RTT_VAL_RATIO);
            CHECK(str(p.rule(i).unit) == units[i]);
        }
        CHECK(rule_error("frames over_budget_share < 5") ==
              "ratio '5' above 1 (a fraction; as a percentage: 5%)");
        CHECK(rule_error("frames over_budget_share < 150%") == "ratio '150%' above 100%");
        CHECK(rule_error("frames over_budget_share < 5ms") ==
              "unknown unit 'ms' in '5ms' (a ratio is a fraction or a percentage: 0.01, 1%)");
        CHECK(rule_error("frames over_budget_share < %") ==
              "bad ratio '%' (expected a fraction or a percentage: 0.01, 1%)");
        CHECK(rule_error("frames over_budget_share < -1%") == "negative value '-1%'");
    }
    SECTION("counts are plain non-negative numbers")
    {
        Parsed p("drops total == 0\ninteraction count >= 100\ntracer discarded < 2.5\n"
                 "tracer lost_packets <= 1000000\n");
        REQUIRE(p.err == "");
        const double want[] = {0, 100, 2.5, 1e6};
        for (size_t i = 0; i < 4; i++) {
            CHECK(p.rule(i).value == want[i]);
            CHECK(p.rule(i).kind == RTT_VAL_COUNT);
            CHECK(str(p.rule(i).unit) == "");
        }
        CHECK(rule_error("interaction count >= 100ms") ==
              "unexpected unit 'ms' in '100ms' (a count has no unit)");
        CHECK(rule_error("drops total == 1 %") ==
              "unexpected unit '%' in '1 %' (a count has no unit)");
        CHECK(rule_error("drops total == many") ==
              "bad count 'many' (expected a non-negative number)");
        CHECK(rule_error("drops total >= -1") == "negative value '-1'");
        CHECK(rule_error("drops total >= +1") == "bad count '+1' (expected a non-negative number)");
        CHECK(rule_error("drops total < " + std::string(61, '9')) ==
              "number too long '" + std::string(61, '9') + "'");
    }
}

TEST_CASE("every operator")
{
    Parsed p("task max < 1ms\ntask max <= 1ms\ntask max > 1ms\ntask max >= 1ms\n"
             "task max == 1ms\ntask max != 1ms\n");
    REQUIRE(p.err == "");
    const rtt_op_t want[] = {RTT_OP_LT, RTT_OP_LE, RTT_OP_GT, RTT_OP_GE, RTT_OP_EQ, RTT_OP_NE};
    const char *text[] = {"<", "<=", ">", ">=", "==", "!="};
    for (size_t i = 0; i < 6; i++) {
        CHECK(p.rule(i).op == want[i]);
        CHECK(str(rtt_op_text(want[i])) == text[i]);
    }
    CHECK(str(rtt_op_text((rtt_op_t)42)) == "?");
}

TEST_CASE("comments, blank lines and whitespace")
{
    Parsed p("\n"
             "   # an indented comment\n"
             "\t\n"
             "interaction p99<16.7ms\n"
             "  task\trun_time  p90   <=2ms   where name=highlight   # the editor's\n"
             "task p99 < 5ms where priority=2 and name=\"x\"#no space before the comment\n"
             "drops total==0\r\n"
             "tracer discarded!=0   \n"
             "task max < 1ms # trailing # twice\n"
             "task max < 1 ms where name =highlight#c");
    REQUIRE(p.err == "");
    REQUIRE(p.count() == 7);
    CHECK(p.rule(0).line == 4);
    CHECK(str(p.rule(0).text) == "interaction p99<16.7ms");
    CHECK(p.rule(0).value == 16.7e6);
    CHECK(p.rule(1).line == 5);
    CHECK(str(p.rule(1).text) == "task\trun_time  p90   <=2ms   where name=highlight");
    CHECK(p.rule(1).op == RTT_OP_LE);
    CHECK(filter(p.rule(1), "name") == "highlight");
    CHECK(str(p.rule(2).text) == "task p99 < 5ms where priority=2 and name=\"x\"");
    CHECK(p.rule(2).nfilters == 2);
    CHECK(filter(p.rule(2), "priority") == "2");
    CHECK(filter(p.rule(2), "name") == "x");
    CHECK(str(p.rule(3).text) == "drops total==0");
    CHECK(p.rule(3).op == RTT_OP_EQ);
    CHECK(p.rule(4).op == RTT_OP_NE);
    CHECK(str(p.rule(4).text) == "tracer discarded!=0");
    CHECK(str(p.rule(5).text) == "task max < 1ms");
    CHECK(p.rule(6).line == 10); // the last line needs no line end
    CHECK(filter(p.rule(6), "name") == "highlight");

    Parsed bom("\xEF\xBB\xBFtask max < 1ms\n");
    REQUIRE(bom.err == "");
    CHECK(str(bom.rule(0).subject) == "task");
}

TEST_CASE("filter values: words, quoted strings, integers and names")
{
    Parsed p("task p99 < 1ms where name = \"my task\"\n"
             "task p99 < 1ms where name = \"a # not a comment\" # a comment\n"
             "task p99 < 1ms where name = \"say \\\"hi\\\" \\\\ \\n\"\n"
             "timer p99 < 1ms where name = blink-2.0/x:y\n"
             "interaction p99 < 1ms where name = \"where\"\n"
             "task p99 < 1ms where priority = 007 and name = and\n"
             "task p99 < 1ms where priority = \"4294967295\"\n"
             "dispatch p99 < 1ms where type = 0 and priority = 100\n"
             "command p99 < 1ms where type = schedule_task\n"
             "command p99 < 1ms where type = 1\n"
             "drops count == 0 where reason = shutdown and source = async_event\n"
             "drops count == 0 where source = 3 and reason = 8\n"
             "task max < 1ms where name = caf\xC3\xA9\n");
    REQUIRE(p.err == "");
    CHECK(filter(p.rule(0), "name") == "my task");
    CHECK(str(p.rule(0).text) == "task p99 < 1ms where name = \"my task\"");
    CHECK(filter(p.rule(1), "name") == "a # not a comment");
    CHECK(str(p.rule(1).text) == "task p99 < 1ms where name = \"a # not a comment\"");
    CHECK(filter(p.rule(2), "name") == "say \"hi\" \\ \\n");
    CHECK(filter(p.rule(3), "name") == "blink-2.0/x:y");
    CHECK(filter(p.rule(4), "name") == "where");
    CHECK(filter(p.rule(5), "priority") == "7");
    CHECK(filter(p.rule(5), "name") == "and");
    CHECK(filter(p.rule(6), "priority") == "4294967295");
    CHECK(filter(p.rule(7), "type") == "0");
    CHECK(filter(p.rule(7), "priority") == "100");
    CHECK(filter(p.rule(8), "type") == "2");
    CHECK(filter(p.rule(9), "type") == "1");
    CHECK(filter(p.rule(10), "reason") == "8");
    CHECK(filter(p.rule(10), "source") == "2");
    CHECK(str(p.rule(10).filters[0].key) == "reason"); // in the order written
    CHECK(filter(p.rule(11), "source") == "3");
    CHECK(filter(p.rule(11), "reason") == "8");
    CHECK(filter(p.rule(12), "name") == "caf\xC3\xA9");
}

TEST_CASE("the complete example of docs/budget-format.md parses")
{
    std::ifstream in(RTT_BUDGET_DOC);
    REQUIRE(in);
    std::string line, text;
    while (std::getline(in, line) && line != "## A complete example")
        ;
    while (std::getline(in, line) && line != "```")
        ;
    while (std::getline(in, line) && line != "```")
        text += line + "\n";
    Parsed p(text, "budget.txt");
    REQUIRE(p.err == "");
    REQUIRE(p.count() == 17);
    CHECK(filter(p.rule(7), "name") == "spell check");
    CHECK(p.rule(7).percentile == 99.9);
    CHECK(filter(p.rule(10), "type") == "2");
    CHECK(filter(p.rule(14), "reason") == "0");
    CHECK(filter(p.rule(14), "source") == "0");
    CHECK(str(p.rule(16).stat) == "lost_packets");
}
