// test_commands.cpp - runs rt-trace's query subcommands on databases of
// synthetic rows whose statistics are known by hand, and checks the JSON
// (and some table/csv) output, exit statuses and error lines.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include "main_scenario.hpp"
#include "query_test_util.hpp"

using namespace scenario;

namespace {

std::string n(long long v) { return std::to_string(v); }

Json run_json(const std::vector<std::string> &args)
{
    std::vector<std::string> a = args;
    a.push_back("--format");
    a.push_back("json");
    RunResult r = run_cli(a);
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.err.empty());
    return parse_json(r.out);
}

} // namespace

TEST_CASE("latency: exact counts, exclusions and percentiles")
{
    TestDb db("latency.db");
    fill_main(db);
    Json rows = run_json({"latency", db.path()});

    const Json &run = find_row(rows, {{"kind", "task"}, {"measure", "run_time"}});
    CHECK(run["count"].integer() == 1000);
    CHECK(run["excluded"].integer() == 4);
    CHECK(run["min"].integer() == 1 * MS);
    CHECK(run["p50"].integer() == 500500000);
    CHECK(run["p90"].integer() == 900100000);
    CHECK(run["p99"].integer() == 990010000);
    CHECK(run["p999"].integer() == 999001000);
    CHECK(run["max"].integer() == 1000 * MS);
    CHECK(run["mean"].integer() == 500500000);

    const Json &qw = find_row(rows, {{"kind", "task"}, {"measure", "queue_wait"}});
    CHECK(qw["count"].integer() == 1002);
    CHECK(qw["excluded"].integer() == 2);
    CHECK(qw["min"].integer() == 1 * US);
    CHECK(qw["max"].integer() == 1000 * US);

    const Json &tot = find_row(rows, {{"kind", "task"}, {"measure", "total"}});
    CHECK(tot["count"].integer() == 1000);
    CHECK(tot["excluded"].integer() == 4);
    CHECK(tot["p50"].integer() == 501000500); // 500.5 * 1.001 ms

    const Json &dd = find_row(rows, {{"kind", "dispatch"}, {"measure", "duration"}});
    CHECK(dd["count"].integer() == 5); // 3005 has begin and end
    CHECK(dd["excluded"].integer() == 0);
    CHECK(dd["p50"].integer() == 3 * MS);
    CHECK(dd["max"].integer() == 10 * MS);
    const Json &dq = find_row(rows, {{"kind", "dispatch"}, {"measure", "queue_wait"}});
    CHECK(dq["count"].integer() == 4);
    CHECK(dq["excluded"].integer() == 1);
    CHECK(dq["p50"].integer() == 250 * US);

    const Json &tl = find_row(rows, {{"kind", "timer"}, {"measure", "lateness"}});
    CHECK(tl["count"].integer() == 100);
    CHECK(tl["p50"].integer() == 49500);
    CHECK(tl["p90"].integer() == 89100);
    CHECK(tl["p99"].integer() == 98010);
    CHECK(tl["max"].integer() == 99000);

    const Json &cl = find_row(rows, {{"kind", "command"}, {"measure", "latency"}});
    CHECK(cl["count"].integer() == 10);
    CHECK(cl["excluded"].integer() == 1);
    CHECK(cl["p50"].integer() == 5500000);
    CHECK(cl["mean"].integer() == 5500000);

    const Json &td = find_row(rows, {{"kind", "tick"}, {"measure", "duration"}});
    CHECK(td["count"].integer() == 150);
    CHECK(td["excluded"].integer() == 1);
    CHECK(td["p50"].integer() == 75500000);
}

TEST_CASE("latency --by priority, name and type")
{
    TestDb db("latency-by.db");
    fill_main(db);
    Json rows = run_json({"latency", db.path(), "--kind", "task", "--by", "priority"});
    CHECK(rows.arr.size() == 9); // priorities 50, 100, 200 x 3 measures
    CHECK(find_row(rows, {{"priority", "100"}, {"measure", "run_time"}})["p50"].integer() ==
          501 * MS);
    CHECK(find_row(rows, {{"priority", "200"}, {"measure", "run_time"}})["p50"].integer() ==
          500 * MS);
    const Json &lost = find_row(rows, {{"priority", "50"}, {"measure", "run_time"}});
    CHECK(lost["count"].integer() == 0);
    CHECK(lost["excluded"].integer() == 4);
    CHECK(lost["p50"].is_null());
    // Groups come back in key order.
    CHECK(rows[0]["priority"].integer() == 50);

    rows = run_json({"latency", db.path(), "--kind", "timer", "--by", "name"});
    CHECK(find_row(rows, {{"name", "blink"}})["p50"].integer() == 24500);
    CHECK(find_row(rows, {{"name", "autosave"}})["p50"].integer() == 74500);

    rows = run_json({"latency", db.path(), "--kind", "dispatch", "--by", "type"});
    CHECK(find_row(rows, {{"type", "7"}, {"measure", "duration"}})["p50"].integer() ==
          1500 * US);
    CHECK(find_row(rows, {{"type", "8"}, {"measure", "duration"}})["count"].integer() == 3);

    // --by without --kind: only the kinds it applies to.
    rows = run_json({"latency", db.path(), "--by", "name"});
    for (const Json &r : rows.arr)
        CHECK((r["kind"].text == "task" || r["kind"].text == "timer"));
}

TEST_CASE("latency --from/--to select items by their first timestamp")
{
    TestDb db("latency-window.db");
    fill_main(db);
    Json rows = run_json({"latency", db.path(), "--kind", "task", "--from", "0", "--to",
                          "100ms"});
    const Json &run = find_row(rows, {{"measure", "run_time"}});
    CHECK(run["count"].integer() == 9); // queued at 10..90 ms
    CHECK(run["excluded"].integer() == 0);
    CHECK(run["p50"].integer() == 5 * MS);

    rows = run_json({"latency", db.path(), "--kind", "task", "--from", "9.95s", "--to",
                     "10005000000"});
    const Json &late = find_row(rows, {{"measure", "run_time"}});
    CHECK(late["count"].integer() == 6); // i = 995..1000
    CHECK(late["p50"].integer() == 997500000);

    rows = run_json({"latency", db.path(), "--kind", "task", "--from", "15s"});
    const Json &tail = find_row(rows, {{"measure", "run_time"}});
    CHECK(tail["count"].integer() == 0);
    CHECK(tail["excluded"].integer() == 4);
}

TEST_CASE("summary JSON contract")
{
    TestDb db("summary.db");
    fill_main(db);
    Json s = run_json({"summary", db.path()});
    CHECK(s["schema_version"].integer() == 4);
    CHECK(s["traces"].integer() == 1);
    CHECK(s["events"].integer() == 123456);
    CHECK(s["duration_ns"].integer() == 20 * S);

    const Json &t = s["tasks"];
    CHECK(t["count"].integer() == 1004);
    CHECK(t["incomplete"].integer() == 4);
    CHECK(t["failed"].integer() == 10);
    CHECK(t["voided"].integer() == 1);
    CHECK(t["p50"].integer() == 501000500);
    CHECK(t["max"].integer() == 1000 * 1001000);
    CHECK(t["run_time"]["p50"].integer() == 500500000);
    CHECK(t["run_time"]["p999"].integer() == 999001000);
    CHECK(t["run_time"]["excluded"].integer() == 4);
    CHECK(t["queue_wait"]["count"].integer() == 1002);

    CHECK(s["dispatches"]["count"].integer() == 5);
    CHECK(s["dispatches"]["duration"]["p50"].integer() == 3 * MS);
    CHECK(s["timers"]["count"].integer() == 100);
    CHECK(s["timers"]["armed"].integer() == 2);
    CHECK(s["timers"]["cancelled"].integer() == 1);
    CHECK(s["timers"]["missed_periods"].integer() == 3);
    CHECK(s["timers"]["p90"].integer() == 89100);
    CHECK(s["timers"]["lateness"]["max"].integer() == 99000);
    CHECK(s["commands"]["count"].integer() == 11);
    CHECK(s["commands"]["p50"].integer() == 5500000);
    CHECK(s["ticks"]["count"].integer() == 151);
    CHECK(s["ticks"]["rendered"].integer() == 101);
    CHECK(s["ticks"]["p50"].integer() == 75500000);

    const Json &d = s["drops"];
    CHECK(d["total"].integer() == 8);
    CHECK(d["work_queue_full"].integer() == 5);
    CHECK(d["shutdown"].integer() == 2);
    CHECK(d["event_queue_full"].integer() == 1);
    CHECK(d["timer_limit"].integer() == 0);
    CHECK(d["tracer_discarded_events"].integer() == 10);
    CHECK(d["tracer_lost_packets"].integer() == 3);
    CHECK(d["tracer_loss_without_count"].integer() == 1);

    // Interactions (analysis/interactions/): 10 schedule_task commands from outside,
    // none followed by a render.
    CHECK(s["interactions"]["keystrokes"].integer() == 10);
    CHECK(s["interactions"]["count"].integer() == 0);

    // Every kind has count and the five percentiles.
    for (const char *k : {"tasks", "dispatches", "timers", "commands", "ticks"})
        for (const char *key : {"count", "p50", "p90", "p99", "p999", "max"})
            CHECK(s[k].has(key));
}

TEST_CASE("drops: counts, per second and fractions")
{
    TestDb db("drops.db");
    fill_main(db);
    Json rows = run_json({"drops", db.path()});
    const Json &wq = find_row(rows, {{"reason", "work_queue_full"}});
    CHECK(wq["source"].text == "runtime");
    CHECK(wq["kind"].text == "task");
    CHECK(wq["count"].integer() == 5);
    CHECK(wq["per_second"].num() == Approx(0.25));
    CHECK(wq["fraction"].num() == Approx(5.0 / 1009).epsilon(1e-3)); // 1004 tasks + 5 unseen
    const Json &sd = find_row(rows, {{"reason", "shutdown"}});
    CHECK(sd["count"].integer() == 2);
    CHECK(sd["fraction"].num() == Approx(2.0 / 1009).epsilon(1e-3));
    const Json &eq = find_row(rows, {{"reason", "event_queue_full"}});
    CHECK(eq["kind"].text == "event");
    CHECK(eq["fraction"].num() == Approx(1.0 / 6).epsilon(1e-3));
    const Json &tl = find_row(rows, {{"reason", "timer_limit"}});
    CHECK(tl["count"].integer() == 0);
    CHECK(tl["fraction"].num() == 0);
    const Json &de = find_row(rows, {{"source", "tracer"}, {"reason", "discarded_events"}});
    CHECK(de["count"].integer() == 10);
    CHECK(de["per_second"].num() == Approx(0.5));
    CHECK(de["fraction"].num() == Approx(10.0 / 123466).epsilon(1e-3));
    CHECK(find_row(rows, {{"reason", "lost_packets"}})["count"].integer() == 3);
    CHECK(rows.arr.size() == 12); // 9 reasons + 2 tracer rows + ingest issues
    CHECK(find_row(rows, {{"source", "ingest"}})["count"].integer() == 0);
}

TEST_CASE("frames: budget share, renders and the worst frames")
{
    TestDb db("frames.db");
    fill_main(db);
    Json f = run_json({"frames", db.path(), "-n", "3"});
    const Json &fr = f["frames"];
    CHECK(fr["frames"].integer() == 101);
    CHECK(fr["count"].integer() == 100);
    CHECK(fr["excluded"].integer() == 1);
    CHECK(fr["budget"].integer() == 16700000);
    CHECK(fr["over_budget"].integer() == 84);
    CHECK(fr["over_budget_share"].num() == Approx(0.84));
    CHECK(fr["p50"].integer() == 50500000);
    CHECK(fr["max"].integer() == 100 * MS);
    const Json &rd = f["renders"];
    CHECK(rd["renders"].integer() == 3);
    CHECK(rd["count"].integer() == 2);
    CHECK(rd["p50"].integer() == 2500 * US);
    const Json &w = f["worst"];
    REQUIRE(w.arr.size() == 3);
    CHECK(w[0]["tick"].integer() == 100);
    CHECK(w[0]["duration"].integer() == 100 * MS);
    CHECK(w[0]["render"].integer() == 3 * MS);
    CHECK(w[0]["at"].integer() == 4 * S + 100 * 200 * MS);
    CHECK(w[0]["over_budget"].integer() == 1);
    CHECK(w[1]["render"].integer() == 2 * MS);
    CHECK(w[2]["tick"].integer() == 98);
    CHECK(w[2]["render"].is_null());

    f = run_json({"frames", db.path(), "--budget", "50ms", "-n", "0"});
    CHECK(f["frames"]["over_budget"].integer() == 50);
    CHECK(f["frames"]["over_budget_share"].num() == Approx(0.5));
    CHECK(f["worst"].arr.empty());

    f = run_json({"frames", db.path(), "--from", "4s", "--to", "6.1s"});
    CHECK(f["frames"]["frames"].integer() == 10); // ticks 1..10 begin 4.2..6.0 s
}

namespace {
void fill_chains(TestDb &db)
{
    auto task = [&](int proc, int id, int cause, int source, int timer, const char *name,
                    long long start, long long run) {
        db.exec("INSERT INTO tasks (proc, id, cause, priority, name, source, timer_id,"
                " queued_ts, started_ts, finished_ts, outcome) VALUES (" + n(proc) + ", " +
                n(id) + ", " + n(cause) + ", 100, '" + name + "', " + n(source) + ", " +
                n(timer) + ", " + n(start) + ", " + n(start) + ", " + n(start + run) + ", 0)");
    };
    db.exec("INSERT INTO traces VALUES (1, 'u', '/t', 'h', 'app', 1, NULL, " + n(BASE) + ", " +
            n(BASE + 10 * S) + ", 100, 'now')");
    db.exec("INSERT INTO commands (proc, id, cause, cmd, task_id, priority, sent_ts,"
            " handled_ts) VALUES (1, 12, 0, 2, 13, 100, " + n(BASE) + ", " + n(BASE + MS) + ")");
    task(1, 13, 12, 2, 0, "", BASE + MS, MS);
    db.exec("INSERT INTO timers (proc, id, cause, priority, name, interval_ns, armed_ts,"
            " deadline_ns) VALUES (1, 20, 13, 100, 'autosave', 0, " + n(BASE + MS) + ", 0)");
    task(1, 31, 20, 1, 20, "save", BASE + S, 2 * S);        // cause: the timer
    task(1, 32, 0, 1, 20, "", BASE + 2 * S, 1500 * MS);      // no cause: via timer_id
    task(1, 40, 39, 0, 0, "", BASE + 3 * S, S);             // 39 was lost
    task(2, 13, 12, 0, 0, "", BASE + 4 * S, 500 * MS);      // proc 2 has no 12
    task(1, 60, 61, 0, 0, "", BASE + 5 * S, 100 * MS);      // a cycle
    task(1, 61, 60, 0, 0, "", BASE + 5 * S, 90 * MS);
    db.exec("INSERT INTO dispatches (proc, id, cause, priority, type, path, queued_ts,"
            " begin_ts, end_ts) VALUES (1, 50, 31, 100, 9, 0, " + n(BASE + 3 * S) + ", " +
            n(BASE + 3 * S) + ", " + n(BASE + 3 * S + 5 * MS) + ")");
}
} // namespace

TEST_CASE("top: slowest items with their cause chains")
{
    TestDb db("top.db");
    fill_chains(db);
    Json rows = run_json({"top", db.path(), "-n", "6"});
    const Json &t31 = find_row(rows, {{"kind", "task"}, {"rank", "1"}});
    CHECK(t31["id"].integer() == 31);
    CHECK(t31["value"].integer() == 2 * S);
    CHECK(t31["at"].integer() == S);
    CHECK(t31["chain"].text == "command#12 -> task#13 -> timer#20(autosave) -> task#31(save)");
    CHECK(find_row(rows, {{"kind", "task"}, {"rank", "2"}})["chain"].text ==
          "command#12 -> task#13 -> timer#20(autosave) -> task#32");
    CHECK(find_row(rows, {{"kind", "task"}, {"rank", "3"}})["chain"].text == "?#39 -> task#40");
    const Json &p2 = find_row(rows, {{"kind", "task"}, {"rank", "4"}});
    CHECK(p2["proc"].integer() == 2);
    CHECK(p2["chain"].text == "?#12 -> task#13");
    std::string cyc = find_row(rows, {{"kind", "task"}, {"rank", "5"}})["chain"].text;
    CHECK(cyc.rfind("... -> ", 0) == 0);
    CHECK(find_row(rows, {{"kind", "dispatch"}, {"rank", "1"}})["chain"].text ==
          "command#12 -> task#13 -> timer#20(autosave) -> task#31(save) -> event#50");
    CHECK(find_row(rows, {{"kind", "command"}, {"rank", "1"}})["chain"].text == "command#12");

    rows = run_json({"top", db.path(), "-n", "1", "--kind", "task"});
    REQUIRE(rows.arr.size() == 1);
    CHECK(rows[0]["id"].integer() == 31);

    rows = run_json({"top", db.path(), "--kind", "task", "--from", "2s", "--to", "3.5s"});
    REQUIRE(rows.arr.size() == 2); // tasks 32 and 40
    CHECK(rows[0]["id"].integer() == 32);
}

TEST_CASE("sql: raw queries with percentile()")
{
    TestDb db("sql.db");
    fill_main(db);
    Json rows = run_json({"sql", db.path(),
                          "SELECT priority, COUNT(*) AS n, percentile(finished_ts - started_ts,"
                          " 50) AS p50 FROM tasks WHERE flags = 0 GROUP BY priority"
                          " ORDER BY priority"});
    REQUIRE(rows.arr.size() == 2);
    CHECK(rows[0]["priority"].integer() == 100);
    CHECK(rows[0]["n"].integer() == 500);
    CHECK(rows[0]["p50"].integer() == 501 * MS);

    RunResult r = run_cli({"sql", db.path(), "SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z",
                           "--format", "csv"});
    CHECK(r.status == 0);
    CHECK(r.out == "x,y,z\r\n\"a,b\",\"say \"\"hi\"\"\",\r\n");

    r = run_cli({"sql", db.path(), "SELECT duration_text(1230000) AS d"});
    CHECK(r.status == 0);
    CHECK(r.out == "d\n1.23 ms\n");
}

TEST_CASE("table and csv output of latency")
{
    TestDb db("formats.db");
    fill_main(db);
    RunResult r = run_cli({"latency", db.path(), "--kind", "command"});
    CHECK(r.status == 0);
    CHECK(r.out.find("kind") == 0);
    CHECK(r.out.find("5.50 ms") != std::string::npos);
    CHECK(r.out.find("10.0 ms") != std::string::npos);
    r = run_cli({"latency", db.path(), "--kind", "command", "--format", "csv"});
    CHECK(r.status == 0);
    CHECK(r.out == "kind,measure,count,excluded,min,p50,p90,p99,p999,max,mean\r\n"
                   "command,latency,10,1,1000000,5500000,9100000,9910000,9991000,10000000,"
                   "5500000\r\n");
    r = run_cli({"summary", db.path()});
    CHECK(r.status == 0);
    CHECK(r.out.find("work_queue_full") != std::string::npos);
    for (const char *cmd : {"drops", "frames", "top"}) {
        r = run_cli({cmd, db.path(), "--format", "csv"});
        CHECK(r.status == 0);
        CHECK(!r.out.empty());
    }
}

TEST_CASE("an empty database answers with zero counts")
{
    TestDb db("empty.db");
    Json s = run_json({"summary", db.path()});
    CHECK(s["events"].integer() == 0);
    CHECK(s["traces"].integer() == 0);
    CHECK(s["duration_ns"].integer() == 0);
    for (const char *k : {"tasks", "dispatches", "timers", "commands", "ticks"}) {
        CHECK(s[k]["count"].integer() == 0);
        CHECK(s[k]["p50"].is_null());
    }
    CHECK(s["drops"]["total"].integer() == 0);
    CHECK(s["drops"]["work_queue_full"].integer() == 0);
    CHECK(s["drops"]["tracer_discarded_events"].integer() == 0);
    CHECK(s["interactions"]["keystrokes"].integer() == 0);

    Json rows = run_json({"latency", db.path()});
    CHECK(rows.arr.size() == 9);
    for (const Json &r : rows.arr)
        CHECK(r["count"].integer() == 0);
    rows = run_json({"drops", db.path()});
    CHECK(rows.arr.size() == 12); // 9 reasons, 2 tracer rows, 1 ingest row
    for (const Json &r : rows.arr)
        CHECK(r["count"].integer() == 0);
    Json f = run_json({"frames", db.path()});
    CHECK(f["frames"]["frames"].integer() == 0);
    CHECK(f["frames"]["over_budget_share"].num() == 0);
    CHECK(run_json({"top", db.path()}).arr.empty());
    CHECK(run_json({"sql", db.path(), "SELECT COUNT(*) AS n FROM tasks"})[0]["n"].integer() == 0);
    for (const char *cmd : {"summary", "latency", "drops", "frames", "top"}) {
        RunResult r = run_cli({cmd, db.path()});
        CHECK(r.status == 0);
        CHECK(r.err.empty());
    }
}

TEST_CASE("bad input: one line, the right exit status")
{
    TestDb db("bad.db");
    auto one_line = [](const std::string &s) {
        return !s.empty() && s.back() == '\n' && s.find('\n') == s.size() - 1;
    };
    for (const char *cmd : {"summary", "latency", "drops", "frames", "top", "sql"}) {
        RunResult r = run_cli({cmd, "--help"});
        CHECK(r.status == 0);
        CHECK(r.out.rfind(std::string("usage: rt-trace ") + cmd, 0) == 0);
        CHECK(r.out.find("example: rt-trace ") != std::string::npos);

        r = run_cli({cmd, db.path(), "--x"});
        CHECK(r.status == 2);
        CHECK(r.err == std::string("rt-trace ") + cmd + ": unknown option '--x' (see --help)\n");

        std::string missing = tmp_path("no-such.db");
        r = std::string(cmd) == "sql" ? run_cli({cmd, missing, "SELECT 1"})
                                      : run_cli({cmd, missing});
        CHECK(r.status == 1);
        CHECK(one_line(r.err));
        CHECK(r.err.find(missing) != std::string::npos);
        CHECK(r.out.empty());

        r = run_cli({cmd});
        CHECK(r.status == 2);
        CHECK(one_line(r.err));
    }
    std::string junk = tmp_path("junk.db");
    FILE *f = fopen(junk.c_str(), "w");
    fputs("this is not sqlite, just text long enough to look like a header\n", f);
    fclose(f);
    RunResult r = run_cli({"summary", junk});
    CHECK(r.status == 1);
    CHECK(one_line(r.err));
    CHECK(r.err.find(junk) != std::string::npos);
    remove(junk.c_str());

    struct Case {
        std::vector<std::string> args;
        int status;
        const char *err_has;
    };
    const Case cases[] = {
        {{"latency", db.path(), "--format", "xml"}, 2, "bad --format 'xml'"},
        {{"latency", db.path(), "--format"}, 2, "option '--format' needs a value"},
        {{"latency", db.path(), "--kind", "bogus"}, 2, "bad --kind 'bogus'"},
        {{"latency", db.path(), "--by", "color"}, 2, "bad --by 'color'"},
        {{"latency", db.path(), "--kind", "tick", "--by", "name"}, 2, "does not apply"},
        {{"latency", db.path(), "--from", "1.5q"}, 2, "bad --from '1.5q'"},
        {{"latency", db.path(), "--from", "2s", "--to", "1s"}, 2, "--to must be later"},
        {{"summary", db.path(), "--from", "1s"}, 2, "unknown option '--from'"},
        {{"frames", db.path(), "--budget", "0"}, 2, "bad --budget '0'"},
        {{"top", db.path(), "-n", "ten"}, 2, "bad -n 'ten'"},
        {{"top", db.path(), "--kind", "timer"}, 2, "bad --kind 'timer'"},
        {{"latency", db.path(), "extra"}, 2, "unexpected argument 'extra'"},
        {{"sql", db.path()}, 2, "missing SQL argument"},
        {{"sql", db.path(), "SELEC 1"}, 1, "syntax error"},
        {{"sql", db.path(), "SELECT 1; SELECT 2"}, 2, "only one SQL statement"},
        {{"sql", db.path(), "DELETE FROM tasks"}, 1, "readonly"},
        {{"sql", db.path(), "SELECT percentile(1, 200)"}, 1, "percentile: p"},
    };
    for (const Case &c : cases) {
        RunResult rr = run_cli(c.args);
        INFO(c.args[0] + " " + c.args.back() + ": " + rr.err);
        CHECK(rr.status == c.status);
        CHECK(one_line(rr.err));
        CHECK(rr.err.find(c.err_has) != std::string::npos);
    }
}

TEST_CASE("sql: one statement with trailing blanks or comments, extra text on one line")
{
    TestDb db("sql-one.db");
    for (const char *sql : {"SELECT 1 AS x;  ", "SELECT 1 AS x; -- note",
                            "SELECT 1 AS x; /* note */ ;\n", "SELECT 1 AS x -- note\n",
                            "SELECT 1 AS x; /* unclosed"}) {
        RunResult r = run_cli({"sql", db.path(), sql});
        INFO(sql << ": " << r.err);
        CHECK(r.status == 0);
        CHECK(r.out == "x\n1\n");
        CHECK(r.err.empty());
    }
    RunResult r = run_cli({"sql", db.path(), "SELECT 1;\nSELECT 2"});
    CHECK(r.status == 2);
    CHECK(r.err == "rt-trace sql: only one SQL statement is allowed; extra text: 'SELECT 2'\n");
    r = run_cli({"sql", db.path(), "SELECT 1; -- a\nSELECT\t2, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'\n"});
    CHECK(r.status == 2);
    CHECK(r.err == "rt-trace sql: only one SQL statement is allowed; extra text: "
                   "'SELECT\\t2, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'\n");
    r = run_cli({"sql", db.path(), " -- nothing but a comment"});
    CHECK(r.status == 2);
    CHECK(r.err == "rt-trace sql: no SQL statement given\n");
}

TEST_CASE("interactions --proc: an unknown or negative process is a usage error")
{
    TestDb db("ix-proc.db");
    fill_main(db); // procs: 1 app
    db.exec("INSERT INTO procs VALUES (2, 1, 200, 'other')");
    struct Case {
        const char *proc;
        std::string err;
    } cases[] = {
        {"nosuch", "rt-trace interactions: --proc 'nosuch': no such process in " + db.path() +
                       " (known: 1 app, 2 other)\n"},
        {"999", "rt-trace interactions: --proc '999': no such process in " + db.path() +
                    " (known: 1 app, 2 other)\n"},
        {"-1", "rt-trace interactions: bad --proc '-1': expected a proc number (procs.proc) "
               "or a process name\n"},
        {"", "rt-trace interactions: bad --proc '': expected a proc number (procs.proc) "
             "or a process name\n"},
    };
    for (const Case &c : cases) {
        RunResult r = run_cli({"interactions", db.path(), "--proc", c.proc});
        INFO(c.proc);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == c.err);
    }
    for (const char *proc : {"1", "app", "other"}) {
        RunResult r = run_cli({"interactions", db.path(), "--proc", proc, "--format", "json"});
        INFO(proc << ": " << r.err);
        CHECK(r.status == 0);
        CHECK(r.err.empty());
    }
    CHECK(run_json({"interactions", db.path(), "--proc", "app"})["interactions"]["keystrokes"]
              .integer() == 10);
    TestDb none("ix-proc-none.db");
    RunResult r = run_cli({"interactions", none.path(), "--proc", "1"});
    CHECK(r.status == 2);
    CHECK(r.err == "rt-trace interactions: --proc '1': no such process in " + none.path() +
                       " (it has no process)\n");
}

TEST_CASE("lint --rule: an empty rule list is an error, not every rule")
{
    TestDb db("lint-rule.db");
    for (const char *list : {"", ",", ",,"}) {
        RunResult r = run_cli({"lint", db.path(), "--rule", list});
        INFO("'" << list << "'");
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err == std::string("rt-trace lint: bad --rule '") + list +
                           "': empty rule list (expected NAME or NAME,NAME)\n");
    }
    RunResult r = run_cli({"lint", db.path(), "-r", "drops,", "--format", "json"});
    INFO(r.err);
    CHECK(r.status == 0);
}

TEST_CASE("--help lists every alias a command accepts")
{
    TestDb db("aliases.db");
    fill_main(db);
    struct Case {
        const char *cmd;
        std::vector<const char *> lines;
    } cases[] = {
        {"frames", {"\n  -b, --budget D ", "\n  -n, --top N "}},
        {"top", {"\n  -n, --top N ", "\n  -k, --kind K "}},
        {"latency", {"\n  -k, --kind K "}},
        {"lint", {"\n  -r, --rule NAME ", "\n  -s, --set KEY=V "}},
        {"check", {"\n  -b, --budget FILE "}},
        {"interactions", {"\n  -n, --limit N "}},
    };
    for (const Case &c : cases) {
        RunResult h = run_cli({c.cmd, "--help"});
        CHECK(h.status == 0);
        for (const char *line : c.lines) {
            INFO(c.cmd << " --help: " << line);
            CHECK(h.out.find(line) != std::string::npos);
        }
    }
    // ... and the aliases work.
    CHECK(run_json({"frames", db.path(), "-b", "50ms", "--top", "0"})["frames"]["budget"]
              .integer() == 50 * MS);
    CHECK(run_json({"top", db.path(), "--top", "1", "-k", "task"}).arr.size() == 1);
    CHECK(run_json({"latency", db.path(), "-k", "timer"}).arr.size() == 1);
    CHECK(run_cli({"lint", db.path(), "-r", "drops", "-s", "drops.count=100"}).status == 0);

    // The top-level help (main.c; the standalone shim has none).
    RunResult top = run_cli({"--help"});
    if (top.out.find("commands:") != std::string::npos)
        CHECK(top.out.find("  live          live stats of a running program over LTTng live "
                           "(dashboard, NDJSON or text)\n") != std::string::npos);
}

TEST_CASE("1 M tasks: summary and latency stay fast", "[slow]")
{
    TestDb db("million.db");
    db.exec("BEGIN;"
            "INSERT INTO traces VALUES (1, 'u', '/t', 'h', 'app', 1, NULL, 0, 1000000000000,"
            " 3000000, 'now');"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)"
            " INSERT INTO tasks (proc, id, priority, name, source, queued_ts, started_ts,"
            " finished_ts, outcome) SELECT 1, i, (i % 3) * 100, 'n' || (i % 20), 0, i * 1000,"
            " i * 1000 + (i * 7919) % 100000, i * 1000 + (i * 7919) % 100000 + i, 0 FROM n;"
            "COMMIT");
    for (const char *cmd : {"summary", "latency"}) {
        auto t0 = std::chrono::steady_clock::now();
        Json j = run_json({cmd, db.path()});
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        WARN(cmd << " on 1 M tasks: " << secs << " s");
        if (std::string(cmd) == "summary") {
            CHECK(j["tasks"]["count"].integer() == 1000000);
            // run time i ns for i = 1..1e6: p50 = 500000.5, rounded to 500001.
            CHECK(j["tasks"]["run_time"]["p50"].integer() == 500001);
            CHECK(j["tasks"]["run_time"]["p99"].integer() == 990000);
        }
        // Generous: sanitizer and Debug builds are several times slower.
        CHECK(secs < 10.0);
    }
}
