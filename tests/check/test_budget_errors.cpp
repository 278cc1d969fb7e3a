// test_budget_errors.cpp - the budget parser on bad input: each error class
// with its exact one-line message and line number, and budget paths that
// are not regular files (pipes are read).
#include "budget_test_util.hpp"

#include <cstdio>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

using namespace budget_test;

TEST_CASE("errors: subject, measure, stat")
{
    CHECK(error_of("# budget\n\ntask runtime p90 < 2ms\n", "budget.txt") ==
          "budget.txt:3: unknown measure 'runtime' for task (expected run_time, queue_wait, "
          "total or cpu_time)");
    CHECK(rule_error("interaction render_time p99 < 1ms") ==
          "unknown measure 'render_time' for interaction (expected latency, queue, run, "
          "frame_wait or render)");
    CHECK(rule_error("task latency p99 < 1ms") ==
          "unknown measure 'latency' for task (expected run_time, queue_wait, total or cpu_time)");
    CHECK(rule_error("tasks p99 < 1ms") ==
          "unknown subject 'tasks' (expected interaction, task, dispatch, timer, command, tick, "
          "frames, drops or tracer)");
    CHECK(rule_error("Task p99 < 1ms") ==
          "unknown subject 'Task' (expected interaction, task, dispatch, timer, command, tick, "
          "frames, drops or tracer)");
    CHECK(rule_error("< 1ms") == "unknown subject '<' (expected interaction, task, dispatch, "
                                 "timer, command, tick, frames, drops or tracer)");
    CHECK(rule_error("task p98x < 1ms") == "bad percentile 'p98x' (expected p50, p99, p99.9, ...)");
    CHECK(rule_error("task avg < 1ms") ==
          "unknown stat 'avg' for task (expected pNN, max, min, mean or count)");
    CHECK(rule_error("task run_time avg < 1ms") ==
          "unknown stat 'avg' for task (expected pNN, max, min, mean or count)");
    CHECK(rule_error("task over_budget_share < 1%") ==
          "stat 'over_budget_share' not valid for task (expected pNN, max, min, mean or count)");
    CHECK(rule_error("frames p99 < 16ms") ==
          "stat 'p99' not valid for frames (expected over_budget_share or count)");
    CHECK(rule_error("frames duration p99 < 16ms") ==
          "unknown stat 'duration' for frames (expected over_budget_share or count)");
    CHECK(rule_error("drops discarded == 0") ==
          "stat 'discarded' not valid for drops (expected total or count)");
    CHECK(rule_error("tracer count == 0") ==
          "stat 'count' not valid for tracer (expected discarded or lost_packets)");
    CHECK(rule_error("tick total p99 < 1ms") ==
          "unknown measure 'total' for tick (expected duration)");
    CHECK(rule_error("task run_time queue_wait p99 < 1ms") ==
          "unknown stat 'queue_wait' for task (expected pNN, max, min, mean or count)");
    CHECK(rule_error("task") == "missing stat after 'task' (expected pNN, max, min, mean or count)");
    CHECK(rule_error("task run_time < 1ms") ==
          "missing stat after 'run_time' (expected pNN, max, min, mean or count)");
    CHECK(rule_error("drops == 0") == "missing stat after 'drops' (expected total or count)");
}

TEST_CASE("errors: operator and value")
{
    const std::string ops = "(expected <, <=, >, >=, == or !=)";
    CHECK(rule_error("task p99") == "missing operator after 'p99' " + ops);
    CHECK(rule_error("task p99 16.7ms") ==
          "expected an operator after 'p99', got '16.7ms' (<, <=, >, >=, == or !=)");
    CHECK(rule_error("task p99 = 16.7ms") ==
          "expected an operator after 'p99', got '=' (use == for equality)");
    CHECK(rule_error("task p99 ! 16.7ms") ==
          "expected an operator after 'p99', got '!' (<, <=, >, >=, == or !=)");
    CHECK(rule_error("task p99 =< 16.7ms") ==
          "expected an operator after 'p99', got '=' (use == for equality)");
    CHECK(rule_error("task p99 <") == "missing value after '<'");
    CHECK(rule_error("task p99 <= # no value") == "missing value after '<='");
    CHECK(rule_error("task p99 < < 1ms") == "expected a value after '<', got '<'");
    CHECK(rule_error("task p99 <== 1ms") == "expected a value after '<=', got '='");
    CHECK(rule_error("task p99 < \"1ms\"") == "expected a value after '<', got '\"1ms\"'");
    CHECK(rule_error("task p99 < 1ms 2ms") ==
          "unexpected '2ms' after the value (expected 'where' or end of line)");
    CHECK(rule_error("task p99 < 1 ms ms") ==
          "unexpected 'ms' after the value (expected 'where' or end of line)");
    CHECK(rule_error("task p99 < 1ms WHERE name = x") ==
          "unexpected 'WHERE' after the value (expected 'where' or end of line)");
    CHECK(rule_error("task p99 < 1ms, where name = x") ==
          "unknown unit 'ms,' in '1ms,' (expected ns, us, ms or s)");
}

TEST_CASE("errors: filters")
{
    CHECK(rule_error("task p99 < 1ms where") == "missing filter after 'where'");
    CHECK(rule_error("task p99 < 1ms where name = x and") == "missing filter after 'and'");
    CHECK(rule_error("task p99 < 1ms where prio = 2") ==
          "unknown filter 'prio' for task (expected name or priority)");
    CHECK(rule_error("task p99 < 1ms where type = 2") ==
          "unknown filter 'type' for task (expected name or priority)");
    CHECK(rule_error("interaction p99 < 1ms where priority = 2") ==
          "unknown filter 'priority' for interaction (expected name)");
    CHECK(rule_error("dispatch p99 < 1ms where name = x") ==
          "unknown filter 'name' for dispatch (expected type or priority)");
    CHECK(rule_error("drops total == 0 where kind = task") ==
          "unknown filter 'kind' for drops (expected reason or source)");
    CHECK(rule_error("task p99 < 1ms where = x") ==
          "unknown filter '=' for task (expected name or priority)");
    CHECK(rule_error("tick p99 < 1ms where name = x") ==
          "unexpected 'where': tick rules take no filters");
    CHECK(rule_error("frames count > 0 where name = x") ==
          "unexpected 'where': frames rules take no filters");
    CHECK(rule_error("tracer discarded == 0 where name = x") ==
          "unexpected 'where': tracer rules take no filters");
    CHECK(rule_error("task p99 < 1ms where name = a and name = b") ==
          "filter 'name' given twice");
    CHECK(rule_error("task p99 < 1ms where priority = 1 and name = a and priority = 2") ==
          "filter 'priority' given twice");
    CHECK(rule_error("task p99 < 1ms where name") == "missing '=' after 'name'");
    CHECK(rule_error("task p99 < 1ms where name == x") == "expected '=' after 'name', got '=='");
    CHECK(rule_error("task p99 < 1ms where name x") == "expected '=' after 'name', got 'x'");
    CHECK(rule_error("task p99 < 1ms where name =") == "missing value for filter 'name'");
    CHECK(rule_error("task p99 < 1ms where name = # x") == "missing value for filter 'name'");
    CHECK(rule_error("task p99 < 1ms where name = = x") ==
          "expected a value for filter 'name', got '='");
    CHECK(rule_error("task p99 < 1ms where name = \"\"") == "empty value for filter 'name'");
    CHECK(rule_error("task p99 < 1ms where name = \"my task") ==
          "unterminated string '\"my task'");
    CHECK(rule_error("task p99 < 1ms where name = \"a\\\"") == "unterminated string '\"a\\\"'");
    CHECK(rule_error("task p99 < 1ms where name = a b") ==
          "unexpected 'b' after filter 'name' (expected 'and' or end of line)");
    CHECK(rule_error("task p99 < 1ms where name = a, priority = 2") ==
          "unexpected 'priority' after filter 'name' (expected 'and' or end of line)");
    CHECK(rule_error("task p99 < 1ms where name = a AND priority = 2") ==
          "unexpected 'AND' after filter 'name' (expected 'and' or end of line)");
    CHECK(rule_error("task p99 < 1ms where priority = high") ==
          "filter 'priority' needs an integer 0..4294967295, got 'high'");
    CHECK(rule_error("task p99 < 1ms where priority = -1") ==
          "filter 'priority' needs an integer 0..4294967295, got '-1'");
    CHECK(rule_error("task p99 < 1ms where priority = 4294967296") ==
          "filter 'priority' needs an integer 0..4294967295, got '4294967296'");
    CHECK(rule_error("task p99 < 1ms where priority = 2.5") ==
          "filter 'priority' needs an integer 0..4294967295, got '2.5'");
    CHECK(rule_error("dispatch p99 < 1ms where type = key") ==
          "filter 'type' needs an integer 0..4294967295, got 'key'");
    CHECK(rule_error("command p99 < 1ms where type = schedule") ==
          "unknown command type 'schedule' (expected shutdown, emergency or schedule_task)");
    CHECK(rule_error("command p99 < 1ms where type = 3") ==
          "unknown command type '3' (expected shutdown, emergency or schedule_task, or 0..2)");
    CHECK(rule_error("drops total == 0 where reason = work_queue_ful") ==
          "unknown drop reason 'work_queue_ful' (expected work_queue_full, event_queue_full, "
          "async_queue_full, timer_limit, command_refused, command_queue_full, not_running, "
          "emergency or shutdown)");
    CHECK(rule_error("drops total == 0 where reason = 9") ==
          "unknown drop reason '9' (expected work_queue_full, event_queue_full, "
          "async_queue_full, timer_limit, command_refused, command_queue_full, not_running, "
          "emergency or shutdown, or 0..8)");
    CHECK(rule_error("drops total == 0 where source = runtime") ==
          "unknown drop source 'runtime' (expected task, event, async_event, timer, command or "
          "render)");
}

TEST_CASE("errors: the file as a whole")
{
    SECTION("the first bad line is reported, counting every line")
    {
        CHECK(error_of("task max < 1ms\n\n# c\n  \ntask max < 1\ntask bogus\n") ==
              "b.txt:5: duration '1' needs a unit (ns, us, ms or s): 1ms");
        CHECK(error_of("task max < 1ms\r\ntask max < 1\r\n") ==
              "b.txt:2: duration '1' needs a unit (ns, us, ms or s): 1ms");
    }
    SECTION("no rules")
    {
        CHECK(error_of("") == "b.txt: no rules");
        CHECK(error_of("\n\n  \n") == "b.txt: no rules");
        CHECK(error_of("# only\n   # comments\n") == "b.txt: no rules");
        char e[64];
        CHECK(rtt_budget_parse(nullptr, nullptr, e, sizeof e) == nullptr);
        CHECK(std::string(e) == "budget: no rules");
    }
    SECTION("line length: 1000 bytes at most")
    {
        std::string ok = "task max < 1ms #";
        ok += std::string(1000 - ok.size(), 'x');
        REQUIRE(ok.size() == 1000);
        Parsed p(ok + "\r\n" + ok);
        CHECK(p.err == "");
        CHECK(p.count() == 2);
        CHECK(error_of("# fine\n" + ok + "x\n") == "b.txt:2: line longer than 1000 bytes");
        CHECK(error_of(std::string(5000, ' ')) == "b.txt:1: line longer than 1000 bytes");
    }
    SECTION("control characters")
    {
        CHECK(error_of("task max < 1ms\ntask\vmax < 1ms\n") ==
              "b.txt:2: control character 0x0b in line");
        CHECK(error_of("task max\r < 1ms\n") == "b.txt:1: control character 0x0d in line");
        CHECK(error_of("task max < 1ms \x7f\n") == "b.txt:1: control character 0x7f in line");
    }
    SECTION("a long message is cut to the buffer, terminated")
    {
        char e[16];
        CHECK(rtt_budget_parse("bogus", "b.txt", e, sizeof e) == nullptr);
        CHECK(std::string(e) == "b.txt:1: unknow");
        CHECK(rtt_budget_parse("bogus", "b.txt", nullptr, 0) == nullptr);
    }
}

TEST_CASE("a budget path that is not a regular file")
{
    // A pipe is read (check --budget <(make-budget)): a FIFO's open waits
    // for its writer, as any reader's does. A device that reads without
    // end stops at the 1 MiB limit; a link to a regular file is one.
    const std::string dir = RTT_BUDGET_TEST_TMP;
    char e[512] = "(unset)";
    SECTION("a pipe, as /dev/fd/N")
    {
        int fds[2];
        REQUIRE(pipe(fds) == 0);
        const char text[] = "task max < 1ms\ndrops total == 0\n";
        REQUIRE(write(fds[1], text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
        close(fds[1]);
        const std::string path = "/dev/fd/" + std::to_string(fds[0]);
        rtt_budget_t *b = rtt_budget_load(path.c_str(), e, sizeof e);
        close(fds[0]);
        REQUIRE(b != nullptr);
        CHECK(rtt_budget_count(b) == 2);
        rtt_budget_free(b);
    }
    SECTION("a device without end")
    {
        CHECK(rtt_budget_load("/dev/zero", e, sizeof e) == nullptr);
        CHECK(std::string(e) == "/dev/zero: cannot read: larger than 1 MiB");
    }
    SECTION("a symbolic link to a regular file is read")
    {
        const std::string file = dir + "/budget-target.txt", link = dir + "/budget-link";
        FILE *f = std::fopen(file.c_str(), "wb");
        REQUIRE(f);
        std::fputs("task max < 1ms\ndrops total == 0\n", f);
        std::fclose(f);
        std::remove(link.c_str());
        REQUIRE(symlink(file.c_str(), link.c_str()) == 0);
        rtt_budget_t *b = rtt_budget_load(link.c_str(), e, sizeof e);
        CHECK(b != nullptr);
        CHECK(rtt_budget_count(b) == 2);
        rtt_budget_free(b);
        std::remove(link.c_str());
        std::remove(file.c_str());
    }
}
