// test_dashboard.cpp - the live dashboard's screens, read back from
// ncurses: each view shows the snapshot's figures in their rows, keys
// switch views, pause holds the screen, a resize redraws within the size.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <string>

extern "C" {
#include "live_dashboard.h"
}

namespace {

rtt_live_snapshot_t known()
{
    rtt_live_snapshot_t s;
    std::memset(&s, 0, sizeof s);
    s.seq = 12;
    s.elapsed_s = 12.0;
    s.interval_s = 1.0;
    std::snprintf(s.session, sizeof s.session, "rtk-live-test");
    s.pid = 4242;
    s.rate = {1234, 56, 12, 3, 60, 45678};
    s.pct[RTT_LIVE_QUEUE_WAIT][0] = {100, 12300, 45600, 1230000, 4560000};
    s.pct[RTT_LIVE_QUEUE_WAIT][1] = {1000, 800, 9000, 2000000, 17000000};
    s.pct[RTT_LIVE_RUN_TIME][2] = {60000, 950, 2500, 31000000, 1500000000};
    s.pct[RTT_LIVE_INTERACTION][0] = {7, 8100000, 12000000, 40100000, 40100000};
    s.pct[RTT_LIVE_FRAME][1] = {600, 16600000, 16700000, 33300000, 50000000};
    s.drops[0] = 17;
    s.drops_new[0] = 5;
    s.drops[4] = 2;
    s.discarded_events = 300;
    s.discarded_events_new = 100;
    s.runtime.have = 1;
    s.runtime.work_queue_len = 12;
    s.runtime.event_queue_len = 3;
    s.runtime.async_queue_len = 1;
    s.runtime.active_timers = 4;
    s.runtime.loop_count = 98765;
    s.runtime.idle_share = 0.87;
    s.runtime.drops[0] = 17;
    s.derived.work_queue_len = 11;
    s.derived.loop_count = 98765;
    s.derived.idle_share = 0.86;
    s.disagree = 1;
    std::snprintf(s.disagree_text, sizeof s.disagree_text, "work_queue_len 12 vs 11");
    s.running.present = 1;
    std::snprintf(s.running.name, sizeof s.running.name, "highlight");
    s.running.id = 123;
    s.running.running_ns = 45200000;
    s.nworst = 2;
    std::snprintf(s.worst[0].name, sizeof s.worst[0].name, "key_insert");
    s.worst[0].id = 77;
    s.worst[0].latency_ns = 40100000;
    std::snprintf(s.worst[0].cause, sizeof s.worst[0].cause,
                  "input#77 -> task#80 key_insert -> render#9");
    std::snprintf(s.worst[1].name, sizeof s.worst[1].name, "key_move");
    s.worst[1].id = 78;
    s.worst[1].latency_ns = 9000000;
    std::snprintf(s.worst[1].cause, sizeof s.worst[1].cause, "input#78 -> task#81 key_move");
    s.staleness_s = 0.25;
    s.db = 1;
    s.nlints = 1;
    std::snprintf(s.lints[0].rule, sizeof s.lints[0].rule, "blocked_frame");
    std::snprintf(s.lints[0].message, sizeof s.lints[0].message,
                  "task#123 highlight blocked the loop 45.2 ms");
    return s;
}

struct screen {
    FILE *out, *in;
    rtt_dash_t *d;
    screen(int lines = 24, int cols = 80)
    {
        out = std::fopen("/dev/null", "w");
        in = std::fopen("/dev/null", "r");
        char err[200] = "";
        d = rtt_dash_open(out, in, "xterm", lines, cols, err, sizeof err);
        INFO(err);
        REQUIRE(d != nullptr);
    }
    ~screen()
    {
        rtt_dash_close(d);
        std::fclose(out);
        std::fclose(in);
    }
    std::string row(int y)
    {
        char buf[512];
        int n = rtt_dash_row(d, y, buf, sizeof buf);
        return n < 0 ? std::string("<off screen>") : std::string(buf);
    }
    // the first row holding text, or -1
    int find(const std::string &text, int lines = 24)
    {
        for (int y = 0; y < lines; y++)
            if (row(y).find(text) != std::string::npos)
                return y;
        return -1;
    }
};

} // namespace

TEST_CASE("durations are short and in the right unit")
{
    char b[16];
    rtt_dash_dur(-1, b, sizeof b);
    CHECK(std::string(b) == "-");
    rtt_dash_dur(850, b, sizeof b);
    CHECK(std::string(b) == "850ns");
    rtt_dash_dur(12300, b, sizeof b);
    CHECK(std::string(b) == "12.3us");
    rtt_dash_dur(4560000, b, sizeof b);
    CHECK(std::string(b) == "4.56ms");
    rtt_dash_dur(1500000000, b, sizeof b);
    CHECK(std::string(b) == "1.5s");
}

TEST_CASE("before the first interval the dashboard says it waits")
{
    screen sc;
    CHECK(sc.row(0) == "rt-trace live: waiting for the first interval...");
    CHECK(sc.row(23) == "q quit  p pause  t tasks  i interactions  d drops  Tab next");
}

TEST_CASE("tasks view: header, rates, percentiles, counters, running task")
{
    screen sc;
    rtt_live_snapshot_t s = known();
    rtt_dash_on_snapshot(&s, sc.d);
    CHECK(sc.row(0) == "rt-trace live  rtk-live-test  pid 4242  12.0 s  stale 0.25 s");
    CHECK(sc.row(1) == "per s: tasks 1234  events 56  commands 12  timers 3  renders 60  "
                       "trace 45.7k");
    CHECK(sc.row(2) == "[t]asks  [i]nteractions  [d]rops");
    CHECK(sc.row(4) == "measure      window     count      p50      p90      p99      max");
    CHECK(sc.row(5) == "queue wait   1 s          100   12.3us   45.6us   1.23ms   4.56ms");
    CHECK(sc.row(6) == "             10 s        1000    800ns      9us      2ms     17ms");
    CHECK(sc.row(7) == "             60 s           0        -        -        -        -");
    CHECK(sc.row(8) == "run time     1 s            0        -        -        -        -");
    CHECK(sc.row(10) == "             60 s       60000    950ns    2.5us     31ms     1.5s");
    CHECK(sc.row(13) == "runtime (rtk:stats)        12        3        1        4      98765    87%");
    CHECK(sc.row(14) == "trace-derived              11                                 98765    86%");
    CHECK(sc.row(15) == "! runtime and trace disagree: work_queue_len 12 vs 11");
    CHECK(sc.row(17) == "running now: task#123 highlight for 45.2ms (over a frame)");
    CHECK(rtt_dash_view(sc.d) == RTT_DASH_TASKS);
}

TEST_CASE("interactions view: latency and frame rows, the worst list with causes")
{
    screen sc;
    rtt_live_snapshot_t s = known();
    rtt_dash_on_snapshot(&s, sc.d);
    CHECK(rtt_dash_key(sc.d, 'i') == 0);
    CHECK(rtt_dash_view(sc.d) == RTT_DASH_INTERACTIONS);
    CHECK(sc.row(5) == "interaction  1 s            7    8.1ms     12ms   40.1ms   40.1ms");
    CHECK(sc.row(9) == "             10 s         600   16.6ms   16.7ms   33.3ms     50ms");
    CHECK(sc.row(12) == "worst interactions, last 10 s (2)");
    CHECK(sc.row(14) == "  40.1ms key_insert             77  input#77 -> task#80 key_insert -> "
                        "render#9");
    CHECK(sc.row(15) == "     9ms key_move               78  input#78 -> task#81 key_move");
}

TEST_CASE("drops view: per reason with what is new, tracer loss, lint findings")
{
    screen sc;
    rtt_live_snapshot_t s = known();
    rtt_dash_on_snapshot(&s, sc.d);
    rtt_dash_key(sc.d, 'd');
    CHECK(rtt_dash_view(sc.d) == RTT_DASH_DROPS);
    CHECK(sc.row(4) == "drops                     total      new runtime says");
    CHECK(sc.row(5) == "work queue full              17        5           17");
    CHECK(sc.row(9) == "command refused               2        0            0");
    CHECK(sc.row(14) == "tracer: discarded events 300 (+100), lost packets 0 (+0)");
    CHECK(sc.row(16) == "lint findings, this interval (1)");
    CHECK(sc.row(17) == "blocked_frame      task#123 highlight blocked the loop 45.2 ms");
    // Tab cycles back to tasks
    rtt_dash_key(sc.d, '\t');
    CHECK(rtt_dash_view(sc.d) == RTT_DASH_TASKS);
}

TEST_CASE("pause holds the screen; resuming shows the newest snapshot")
{
    screen sc;
    rtt_live_snapshot_t s = known();
    rtt_dash_on_snapshot(&s, sc.d);
    rtt_dash_key(sc.d, 'p');
    CHECK(rtt_dash_paused(sc.d) == 1);
    CHECK(sc.row(0) == "rt-trace live  rtk-live-test  pid 4242  12.0 s  stale 0.25 s  PAUSED");
    s.elapsed_s = 13.0;
    s.rate.tasks = 999;
    rtt_dash_on_snapshot(&s, sc.d);
    CHECK(sc.row(0) == "rt-trace live  rtk-live-test  pid 4242  12.0 s  stale 0.25 s  PAUSED");
    CHECK(sc.row(1).find("tasks 1234 ") != std::string::npos);
    rtt_dash_key(sc.d, ' ');
    CHECK(rtt_dash_paused(sc.d) == 0);
    CHECK(sc.row(0) == "rt-trace live  rtk-live-test  pid 4242  13.0 s  stale 0.25 s");
    CHECK(sc.row(1).find("tasks 999 ") != std::string::npos);
}

TEST_CASE("the final snapshot is shown even while paused, with the exit status")
{
    screen sc;
    rtt_live_snapshot_t s = known();
    rtt_dash_on_snapshot(&s, sc.d);
    rtt_dash_key(sc.d, 'p');
    s.final = 1;
    s.exited = 1;
    s.exit_status = 3;
    s.elapsed_s = 20.0;
    rtt_dash_on_snapshot(&s, sc.d);
    CHECK(sc.row(0) == "rt-trace live  rtk-live-test  pid 4242  20.0 s  stale 0.25 s");
    CHECK(sc.row(2) == "[t]asks  [i]nteractions  [d]rops  | final: program exited, status 3");
}

TEST_CASE("keys: q quits, unknown keys change nothing")
{
    screen sc;
    CHECK(rtt_dash_key(sc.d, 'x') == 0);
    CHECK(rtt_dash_view(sc.d) == RTT_DASH_TASKS);
    CHECK(rtt_dash_paused(sc.d) == 0);
    CHECK(rtt_dash_key(sc.d, 'q') == 1);
    CHECK(rtt_dash_key(sc.d, 'Q') == 1);
    CHECK(rtt_dash_poll(sc.d) == 0); // /dev/null: no key pending
}

TEST_CASE("a small terminal cuts rows and lines; a large one shows all")
{
    screen sc(10, 40);
    rtt_live_snapshot_t s = known();
    rtt_dash_on_snapshot(&s, sc.d);
    for (int y = 0; y < 10; y++)
        CHECK(sc.row(y).size() <= 40);
    CHECK(sc.row(0) == "rt-trace live  rtk-live-test  pid 4242");
    CHECK(sc.row(9) == "q quit  p pause  t tasks  i interactions");
    CHECK(sc.row(10) == "<off screen>");
    rtt_dash_resize(sc.d, 40, 120);
    CHECK(sc.row(39) == "q quit  p pause  t tasks  i interactions  d drops  Tab next");
    CHECK(sc.row(17) == "running now: task#123 highlight for 45.2ms (over a frame)");
    rtt_dash_key(sc.d, 'i');
    CHECK(sc.find("input#78 -> task#81 key_move", 40) == 15);
}

TEST_CASE("without a database the interaction and lint panels say they need one")
{
    screen sc;
    rtt_live_snapshot_t s = known();
    s.db = 0; // --no-db: nothing computed, whatever the fields hold
    s.nworst = 0;
    s.nlints = 0;
    std::memset(s.pct[RTT_LIVE_INTERACTION], 0, sizeof s.pct[RTT_LIVE_INTERACTION]);
    rtt_dash_on_snapshot(&s, sc.d);
    rtt_dash_key(sc.d, 'i');
    CHECK(sc.row(4) == "measure      window     count      p50      p90      p99      max");
    CHECK(sc.row(5) == "interaction  needs a database: drop --no-db or give --record");
    // frame time is measured from the stream: still there
    CHECK(sc.row(6) == "frame time   1 s            0        -        -        -        -");
    CHECK(sc.row(7) == "             10 s         600   16.6ms   16.7ms   33.3ms     50ms");
    CHECK(sc.row(10) == "worst interactions, last 10 s: needs a database: drop --no-db or "
                        "give --record");
    CHECK(sc.find("none in the last 10 s") == -1);
    rtt_dash_key(sc.d, 'd');
    CHECK(sc.row(14) == "tracer: discarded events 300 (+100), lost packets 0 (+0)");
    CHECK(sc.row(16) == "lint findings: needs a database: drop --no-db or give --record");
    CHECK(sc.row(17) == "");
    // the tasks view needs no database: unchanged
    rtt_dash_key(sc.d, 't');
    CHECK(sc.row(5) == "queue wait   1 s          100   12.3us   45.6us   1.23ms   4.56ms");
}
