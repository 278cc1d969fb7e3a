// test_check.cpp - rt-trace check against a database whose figures are
// known by hand: each rule's measured value, pass/fail, the exit status, and
// the one-line errors for a bad budget line or a missing file.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "query_test_util.hpp"

namespace {

const long long BASE = 1000000000000LL, MS = 1000000, S = 1000000000;

std::string n(long long v) { return std::to_string(v); }

// 100 highlight tasks running 1..100 ms (p90 = 90.1 ms by linear
// interpolation); 10 rendered ticks, 3 of them over 16.7 ms; 2 drops
// (work_queue_full); 5 discarded events; 2 keystrokes, each 6 ms from sent
// to the end of its render.
void fill(TestDb &db)
{
    db.exec("BEGIN");
    db.exec("INSERT INTO traces VALUES (1, 'uuid-c', '/tmp/t', 'host', 'app', 100,"
            " 'per-pid', " + n(BASE) + ", " + n(BASE + 20 * S) + ", 1000, 'now');"
            "INSERT INTO procs VALUES (1, 1, 100, 'app');");
    for (long long i = 1; i <= 100; i++) {
        long long q = BASE + i * 100 * MS, s = q + MS, f = s + i * MS;
        db.exec("INSERT INTO tasks (proc, id, cause, priority, name, source, queued_ts,"
                " started_ts, finished_ts, outcome, status, flags) VALUES (1, " + n(i) +
                ", 0, 300, 'highlight', 0, " + n(q) + ", " + n(s) + ", " + n(f) +
                ", 0, 0, 0)");
    }
    for (long long t = 1; t <= 10; t++) {
        long long b = BASE + t * S, d = t <= 3 ? 20 * MS : 5 * MS;
        db.exec("INSERT INTO ticks (proc, tick, begin_ts, end_ts, now_ns, commands, timers,"
                " events, tasks, async_events, rendered) VALUES (1, " + n(t) + ", " + n(b) +
                ", " + n(b + d) + ", 0, 0, 0, 0, 1, 0, 1)");
    }
    db.exec("INSERT INTO drops VALUES (1, " + n(BASE + S) + ", 9001, 0, 100, 0, 0),"
            " (1, " + n(BASE + 2 * S) + ", 9002, 0, 100, 0, 0)");
    db.exec("INSERT INTO tracer_loss VALUES (1, 's', 'events', 5, 1, 2)");
    for (long long k = 0; k < 2; k++) {
        long long t = BASE + (15 + k) * S, cmd = 5000 + 10 * k, task = cmd + 1;
        db.exec("INSERT INTO commands (proc, id, cause, cmd, task_id, priority, sent_ts,"
                " handled_ts, result) VALUES (1, " + n(cmd) + ", 0, 2, " + n(task) +
                ", 100, " + n(t) + ", " + n(t) + ", 0)");
        db.exec("INSERT INTO tasks (proc, id, cause, priority, name, source, queued_ts,"
                " started_ts, finished_ts, outcome, status, flags) VALUES (1, " + n(task) +
                ", " + n(cmd) + ", 100, 'key_insert', 2, " + n(t) + ", " + n(t + MS) +
                ", " + n(t + 2 * MS) + ", 0, 0, 0)");
        db.exec("INSERT INTO render_requests (proc, id, cause, ts, coalesced) VALUES (1, " +
                n(cmd + 2) + ", " + n(task) + ", " + n(t + 2 * MS) + ", 0)");
        db.exec("INSERT INTO renders (proc, id, frame, begin_ts, end_ts, requests, flags)"
                " VALUES (1, " + n(cmd + 3) + ", " + n(k + 1) + ", " + n(t + 5 * MS) +
                ", " + n(t + 6 * MS) + ", 1, 0)");
    }
    db.exec("COMMIT");
}

std::string write_budget(const std::string &name, const std::string &text)
{
    std::string p = tmp_path(name);
    FILE *f = fopen(p.c_str(), "w");
    REQUIRE(f);
    fputs(text.c_str(), f);
    fclose(f);
    return p;
}

} // namespace

TEST_CASE("check: each rule's measured value and verdict")
{
    TestDb db("check.db");
    fill(db);
    std::string budget = write_budget("check.budget",
                                      "# editor budget\n"
                                      "task run_time p90 < 91ms where name = highlight\n"
                                      "task run_time p90 < 90ms where name = highlight\n"
                                      "task run_time max <= 100ms\n"
                                      "task count == 100 where name = highlight\n"
                                      "drops total == 0\n"
                                      "drops count == 2 where reason = work_queue_full\n"
                                      "frames over_budget_share < 10%\n"
                                      "frames over_budget_share <= 30%\n"
                                      "tracer discarded == 0\n"
                                      "interaction max < 10ms\n"
                                      "interaction count == 2\n"
                                      "interaction p50 < 1ms where name = key_insert\n");
    RunResult r = run_cli({"check", db.path(), "--budget", budget, "--format", "json"});
    INFO(r.err);
    REQUIRE(r.status == 1);
    Json j = parse_json(r.out);
    CHECK(j["check"]["rules"].integer() == 12);
    CHECK(j["check"]["failed"].integer() == 5);
    CHECK(j["check"]["passed"].integer() == 7);
    CHECK(j["check"]["status"].integer() == 1);
    struct Want {
        int line;
        const char *result;
        double value;
    } want[] = {
        {2, "pass", 90.1e6}, {3, "FAIL", 90.1e6}, {4, "pass", 100e6}, {5, "pass", 100},
        {6, "FAIL", 2},      {7, "pass", 2},      {8, "FAIL", 0.3},   {9, "pass", 0.3},
        {10, "FAIL", 5},     {11, "pass", 6e6},   {12, "pass", 2},    {13, "FAIL", 6e6},
    };
    const Json &rules = j["rules"];
    REQUIRE(rules.arr.size() == 12);
    for (size_t i = 0; i < 12; i++) {
        INFO("line " << want[i].line << ": " << rules[i]["rule"].text);
        CHECK(rules[i]["line"].integer() == want[i].line);
        CHECK(rules[i]["result"].text == want[i].result);
        CHECK(rules[i]["value"].num() == Approx(want[i].value));
    }
    // The measured value is shown in the rule's own units.
    CHECK(rules[0]["measured"].text == "90.1 ms");
    CHECK(rules[6]["measured"].text == "30 %");
}

TEST_CASE("check: every rule holds -> exit 0, in table and markdown output")
{
    TestDb db("check_ok.db");
    fill(db);
    std::string budget = write_budget("ok.budget", "interaction p99 < 16.7ms\n"
                                                   "drops total <= 2\n");
    RunResult r = run_cli({"check", db.path(), "--budget", budget});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("pass") != std::string::npos);
    CHECK(r.out.find("interaction p99 < 16.7ms") != std::string::npos);
    RunResult m = run_cli({"check", db.path(), "--budget", budget, "--format", "markdown"});
    CHECK(m.status == 0);
    CHECK(m.out.find("### rules") != std::string::npos);
}

TEST_CASE("check: bad budget, missing files and usage")
{
    TestDb db("check_bad.db");
    fill(db);
    std::string bad = write_budget("bad.budget", "task run_time p90 < 2ms\n"
                                                 "task runtime p90 < 2ms\n");
    struct Case {
        std::vector<std::string> args;
        int status;
        std::string says;
    } cases[] = {
        {{"check", db.path(), "--budget", bad}, 2, "bad.budget:2: unknown measure 'runtime'"},
        {{"check", db.path(), "--budget", tmp_path("nope.budget")}, 2, "nope.budget"},
        {{"check", db.path()}, 2, "no --budget"},
        {{"check", tmp_path("nope.db"), "--budget", bad}, 2, "bad.budget:2"},
        {{"check", "--budget", bad}, 2, "missing DB"},
        {{"check", db.path(), "--budget", bad, "--format", "xml"}, 2,
         "rt-trace check: bad --format 'xml': expected table, json, csv or markdown\n"},
    };
    for (const Case &c : cases) {
        RunResult r = run_cli(c.args);
        INFO(c.says << ": " << r.err);
        CHECK(r.status == c.status);
        CHECK(r.err.find(c.says) != std::string::npos);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    std::string ok = write_budget("ok2.budget", "drops total == 2\n");
    RunResult r = run_cli({"check", tmp_path("nope.db"), "--budget", ok});
    CHECK(r.status == 1);
    CHECK(r.err.find("nope.db") != std::string::npos);
    RunResult h = run_cli({"check", "--help"});
    CHECK(h.status == 0);
    CHECK(h.out.find("usage: rt-trace check") == 0);
}

TEST_CASE("check: a duration value is whole ns in every format, counts and shares as is")
{
    TestDb db("check_ns.db");
    db.exec("INSERT INTO traces VALUES (1, 'uuid-n', '/tmp/t', 'host', 'app', 100,"
            " 'per-pid', " + n(BASE) + ", " + n(BASE + S) + ", 10, 'now');"
            "INSERT INTO procs VALUES (1, 1, 100, 'app');");
    // run times 10, 20 and 41 ns: p90 = 20 + 0.8 * 21 = 36.8 ns, mean 23.67 ns.
    long long run[] = {10, 20, 41};
    for (long long i = 0; i < 3; i++)
        db.exec("INSERT INTO tasks (proc, id, cause, priority, name, source, queued_ts,"
                " started_ts, finished_ts, outcome, status, flags) VALUES (1, " + n(i + 1) +
                ", 0, 100, 'w', 0, " + n(BASE + i * MS) + ", " + n(BASE + i * MS) + ", " +
                n(BASE + i * MS + run[i]) + ", 0, 0, 0)");
    for (long long t = 1; t <= 3; t++)
        db.exec("INSERT INTO ticks (proc, tick, begin_ts, end_ts, now_ns, commands, timers,"
                " events, tasks, async_events, rendered) VALUES (1, " + n(t) + ", " +
                n(BASE + t * 100 * MS) + ", " + n(BASE + t * 100 * MS + (t == 1 ? 20 : 5) * MS) +
                ", 0, 0, 0, 0, 1, 0, 1)");
    std::string budget = write_budget("ns.budget", "task run_time p90 < 100ns\n"
                                                   "task run_time mean < 100ns\n"
                                                   "task count == 3\n"
                                                   "frames over_budget_share < 50%\n");
    RunResult r = run_cli({"check", db.path(), "--budget", budget, "--format", "json"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    Json j = parse_json(r.out);
    const Json &rules = j["rules"];
    REQUIRE(rules.arr.size() == 4);
    CHECK(rules[0]["value"].integer() == 37); // 36.8 rounded, as summary rounds
    CHECK(rules[0]["measured"].text == "36.8 ns");
    CHECK(rules[1]["value"].integer() == 24); // 23.67
    CHECK(rules[2]["value"].integer() == 3);
    CHECK(rules[3]["value"].num() == Approx(1.0 / 3)); // a share stays a fraction

    RunResult c = run_cli({"check", db.path(), "--budget", budget, "--format", "csv"});
    CHECK(c.status == 0);
    CHECK(c.out.find("task run_time p90 < 100ns,36.8 ns,100 ns,3,pass,37\r\n") !=
          std::string::npos);
    CHECK(c.out.find("task run_time mean < 100ns,23.6667 ns,100 ns,3,pass,24\r\n") !=
          std::string::npos);
    RunResult m = run_cli({"check", db.path(), "-b", budget, "--format=markdown"});
    CHECK(m.status == 0);
    CHECK(m.out.find("| 36.8 ns | 100 ns | 3 | pass | 37 |") != std::string::npos);
    RunResult t = run_cli({"check", db.path(), "--budget", budget});
    CHECK(t.status == 0);
    CHECK(t.out.find(" 37\n") != std::string::npos);
    CHECK(t.out.find("36.8") != std::string::npos);
}
