// test_hints.cpp - first-user friction in rt-trace's output, on hand-built
// databases: the "no interactions" hint of `summary` and `interactions`
// (table output only; JSON and CSV unchanged), `interactions --no-summary`,
// and `top` collapsing a self-requeuing chain.
#include <catch2/catch.hpp>

#include <string>

#include "query_test_util.hpp"

namespace {

const long long BASE = 1000000000000LL; // trace start: 1000 s
const long long MS = 1000000, S = 1000000000;

std::string n(long long v) { return std::to_string(v); }

const std::string HINT_50 =
    "no interactions: a keystroke is an input mark (rtk_input_mark) or a "
    "RTK_CMD_SCHEDULE_TASK command sent from outside the runtime (cause 0), and this "
    "trace has neither; its 50 tasks were submitted with "
    "rtk_submit -- see docs/rt-trace.md#interactions";

void trace_row(TestDb &db)
{
    db.exec("INSERT INTO traces VALUES (1, 'u', '/t', 'h', 'app', 1, NULL, " + n(BASE) +
            ", " + n(BASE + 10 * S) + ", 100, 'now');"
            "INSERT INTO procs VALUES (1, 1, 100, 'app'), (2, 1, 200, 'other');");
}

// Task (proc, id) caused by `cause`, started at `start` (ns from BASE),
// running `run` ns.
void task(TestDb &db, int proc, long long id, long long cause, const std::string &name,
          int source, long long start, long long run)
{
    db.exec("INSERT INTO tasks (proc, id, cause, priority, name, source, queued_ts,"
            " started_ts, finished_ts, outcome) VALUES (" + n(proc) + ", " + n(id) + ", " +
            n(cause) + ", 100, '" + name + "', " + n(source) + ", " + n(BASE + start) + ", " +
            n(BASE + start) + ", " + n(BASE + start + run) + ", 0)");
}

// 50 tasks submitted with rtk_submit (source 0, cause 0), no command.
void fill_submit_only(TestDb &db)
{
    db.exec("BEGIN");
    trace_row(db);
    for (long long i = 1; i <= 50; i++)
        task(db, 1, i, 0, "work", 0, i * MS, MS);
    db.exec("COMMIT");
}

void root_command(TestDb &db, int proc, long long id)
{
    db.exec("INSERT INTO commands (proc, id, cause, cmd, task_id, priority, sent_ts,"
            " handled_ts) VALUES (" + n(proc) + ", " + n(id) + ", 0, 2, " + n(id + 1) +
            ", 100, " + n(BASE) + ", " + n(BASE + MS) + ")");
}

RunResult ok(const std::vector<std::string> &args)
{
    RunResult r = run_cli(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.err.empty());
    return r;
}

bool has(const std::string &s, const std::string &what) { return s.find(what) != std::string::npos; }

} // namespace

TEST_CASE("summary: a hint when there are tasks but no keystrokes, table only")
{
    TestDb db("hint-summary.db");
    fill_submit_only(db);

    RunResult t = ok({"summary", db.path()});
    CHECK(has(t.out, "hint:\n  note  " + HINT_50 + "\n"));
    // after the interactions record, before the drops
    size_t ix = t.out.find("\ninteractions:\n"), h = t.out.find("\nhint:\n"),
           dr = t.out.find("\ndrops:\n");
    REQUIRE(ix != std::string::npos);
    REQUIRE(h != std::string::npos);
    REQUIRE(dr != std::string::npos);
    CHECK(ix < h);
    CHECK(h < dr);

    // JSON: the contract, unchanged: no hint anywhere, 0 keystrokes.
    RunResult j = ok({"summary", db.path(), "--format", "json"});
    CHECK(!has(j.out, "hint"));
    CHECK(!has(j.out, "no interactions"));
    Json s = parse_json(j.out);
    CHECK(!s.has("hint"));
    CHECK(s["interactions"]["keystrokes"].integer() == 0);
    CHECK(s["tasks"]["count"].integer() == 50);

    RunResult c = ok({"summary", db.path(), "--format", "csv"});
    CHECK(!has(c.out, "hint"));
    CHECK(!has(c.out, "no interactions"));
}

TEST_CASE("summary: no hint with a keystroke, or with no tasks at all")
{
    TestDb db("hint-none.db");
    fill_submit_only(db);
    root_command(db, 1, 1000);
    RunResult t = ok({"summary", db.path()});
    CHECK(!has(t.out, "hint"));
    CHECK(!has(t.out, "no interactions"));

    TestDb empty("hint-empty.db");
    t = ok({"summary", empty.path()});
    CHECK(!has(t.out, "hint"));
    t = ok({"interactions", empty.path()});
    CHECK(!has(t.out, "hint"));
}

TEST_CASE("interactions: the hint in table output, not in JSON or CSV")
{
    TestDb db("hint-ix.db");
    fill_submit_only(db);
    RunResult t = ok({"interactions", db.path()});
    CHECK(t.out.rfind("interactions:\n  keystrokes              0\n", 0) == 0);
    CHECK(has(t.out, "\n\nhint:\n  note  " + HINT_50 + "\n\nsplit:\n"));

    RunResult j = ok({"interactions", db.path(), "--format", "json"});
    CHECK(!has(j.out, "hint"));
    Json doc = parse_json(j.out);
    CHECK(!doc.has("hint"));
    CHECK(doc["interactions"]["keystrokes"].integer() == 0);

    RunResult c = ok({"interactions", db.path(), "--format", "csv"});
    CHECK(!has(c.out, "hint"));
    CHECK(!has(c.out, "no interactions"));
}

TEST_CASE("interactions hint: tasks not all from rtk_submit, and --proc")
{
    TestDb db("hint-mixed.db");
    db.exec("BEGIN");
    trace_row(db);
    for (long long i = 1; i <= 4; i++)
        task(db, 1, i, 0, "work", 0, i * MS, MS);
    task(db, 1, 5, 0, "tick", 1, 6 * MS, MS); // a timer fire
    root_command(db, 2, 100);                  // proc 2 has a keystroke
    task(db, 2, 101, 100, "key", 2, 7 * MS, MS);
    db.exec("COMMIT");

    // All processes: one keystroke, no hint.
    RunResult t = ok({"interactions", db.path()});
    CHECK(!has(t.out, "hint"));
    // proc 1 only: 5 tasks, 4 of them submitted, no keystroke.
    t = ok({"interactions", db.path(), "--proc", "1"});
    CHECK(has(t.out, "hint:\n  note  no interactions: a keystroke is an input mark"
                     " (rtk_input_mark) or a RTK_CMD_SCHEDULE_TASK"
                     " command sent from outside the runtime (cause 0), and this trace has"
                     " neither; it has 5 tasks, 4 submitted with rtk_submit -- see"
                     " docs/rt-trace.md#interactions\n"));
    t = ok({"interactions", db.path(), "--proc", "app"});
    CHECK(has(t.out, "it has 5 tasks, 4 submitted with rtk_submit"));
    t = ok({"interactions", db.path(), "--proc", "other"});
    CHECK(!has(t.out, "hint"));
}

TEST_CASE("interactions --no-summary leaves out the interactions record")
{
    TestDb db("no-summary.db");
    db.exec("BEGIN");
    trace_row(db);
    root_command(db, 1, 10);
    task(db, 1, 11, 10, "key_insert", 2, MS, MS);
    db.exec("COMMIT");

    RunResult full = ok({"interactions", db.path()});
    CHECK(full.out.rfind("interactions:\n", 0) == 0);
    RunResult t = ok({"interactions", db.path(), "--no-summary"});
    CHECK(t.out.rfind("split:\n", 0) == 0);
    CHECK(!has(t.out, "interactions:"));
    CHECK(!has(t.out, "over_half_budget_share"));
    CHECK(has(t.out, "\nby_name:\n"));
    CHECK(has(t.out, "\nworst:\n"));
    // the rest is the same as without the option
    CHECK(full.out.substr(full.out.find("split:\n")) == t.out);

    Json doc = parse_json(ok({"interactions", db.path(), "--no-summary", "--format",
                              "json"}).out);
    CHECK(!doc.has("interactions"));
    CHECK(doc.has("split"));
    CHECK(doc.has("by_name"));
    CHECK(doc.has("worst"));
    CHECK(doc["by_name"][0]["keystrokes"].integer() == 1);

    RunResult h = ok({"interactions", "--help"});
    CHECK(has(h.out, "--no-summary"));
}

TEST_CASE("top collapses a self-requeuing chain")
{
    TestDb db("top-chunks.db");
    db.exec("BEGIN");
    trace_row(db);
    root_command(db, 1, 100);
    // task#101..#150 search_chunk, each queued by the one before; #150 is
    // the slowest.
    for (long long id = 101; id <= 150; id++)
        task(db, 1, id, id == 101 ? 100 : id - 1, "search_chunk", id == 101 ? 2 : 0,
             (id - 100) * 10 * MS, id == 150 ? 9 * MS : MS);
    // three alike links stay in full: a#201 -> a#202 -> a#203 (8 ms)
    task(db, 1, 201, 0, "a", 0, 2 * S, MS);
    task(db, 1, 202, 201, "a", 0, 2 * S + MS, MS);
    task(db, 1, 203, 202, "a", 0, 2 * S + 2 * MS, 8 * MS);
    // a run broken by another name: b#301..#305, c#306, b#307..#310 (7 ms)
    for (long long id = 301; id <= 310; id++)
        task(db, 1, id, id == 301 ? 0 : id - 1, id == 306 ? "c" : "b", 0, 3 * S + id * MS,
             id == 310 ? 7 * MS : MS);
    db.exec("COMMIT");

    Json rows = parse_json(
        ok({"top", db.path(), "-n", "3", "--kind", "task", "--format", "json"}).out);
    REQUIRE(rows.arr.size() == 3);
    CHECK(rows[0]["id"].integer() == 150);
    CHECK(rows[0]["chain"].text == "command#100 -> task#101(search_chunk) -> ... (x48 "
                                   "search_chunk) -> task#150(search_chunk)");
    CHECK(rows[1]["id"].integer() == 203);
    CHECK(rows[1]["chain"].text == "task#201(a) -> task#202(a) -> task#203(a)");
    CHECK(rows[2]["id"].integer() == 310);
    CHECK(rows[2]["chain"].text == "task#301(b) -> ... (x3 b) -> task#305(b) -> task#306(c) "
                                   "-> task#307(b) -> ... (x2 b) -> task#310(b)");

    // table output shows the same text
    RunResult t = ok({"top", db.path(), "-n", "1", "--kind", "task"});
    CHECK(has(t.out, "command#100 -> task#101(search_chunk) -> ... (x48 search_chunk) -> "
                     "task#150(search_chunk)\n"));
}

TEST_CASE("top: a chain longer than 64 links is cut, then collapsed")
{
    TestDb db("top-long.db");
    db.exec("BEGIN");
    trace_row(db);
    for (long long id = 1; id <= 100; id++)
        task(db, 1, id, id - 1, "search_chunk", 0, id * MS, id == 100 ? 5 * MS : MS);
    db.exec("COMMIT");
    Json rows = parse_json(
        ok({"top", db.path(), "-n", "1", "--kind", "task", "--format", "json"}).out);
    REQUIRE(rows.arr.size() == 1);
    // 64 links walked: task#100 down to task#37
    CHECK(rows[0]["chain"].text == "... -> task#37(search_chunk) -> ... (x62 search_chunk) -> "
                                   "task#100(search_chunk)");
}
