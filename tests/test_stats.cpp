// test_stats.cpp - live stats: each field tracks what happened, drops_total
// is the sum of the per-reason drops, loop_count counts ticks, and reading
// stats from another thread while the loop ticks is safe (TSan). Also the
// embedding surface: rtk_prepare_wait and rtk_backend_fd on the fake clock.
#include "rt_fixture.h"

#include <poll.h>

#include <chrono>
#include <ctime>
#include <thread>

static int ok_task(void *) { return 0; }
static int bad_task(void *) { return 1; }

static bool fd_readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

TEST_CASE("stats fields track the work done", "[stats]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 4;
        c.max_timers = 1;
    });
    rtk_stats_t s = rt.stats();
    CHECK(s.state == RTK_STATE_RUNNING);
    CHECK(s.loop_count == 0);
    CHECK(s.sleeping == 0);

    REQUIRE(rtk_schedule(rt, ok_task, nullptr, 1) == RTK_OK);
    REQUIRE(rtk_schedule(rt, bad_task, nullptr, 1) == RTK_OK);
    rtk_id_t tid = 0;
    REQUIRE(rtk_timer_oneshot(rt, 10, ok_task, nullptr, &tid) == RTK_OK);
    CHECK(rtk_timer_oneshot(rt, 10, ok_task, nullptr, &tid) == RTK_EFULL);
    rtk_event_desc_t e = ev_desc(1);
    REQUIRE(rtk_event_post(rt, &e, nullptr) == RTK_OK);
    REQUIRE(rtk_event_emit_async(rt, &e, nullptr) == RTK_OK);
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, nullptr, nullptr) == RTK_EINVAL);
    for (int i = 0; i < 5; i++)
        rtk_schedule(rt, ok_task, nullptr, 1);

    s = rt.stats();
    CHECK(s.work_queue_len == 4);
    CHECK(s.event_queue_len == 1);
    CHECK(s.async_queue_len == 1);
    CHECK(s.active_timers == 1);
    CHECK(s.drops[RTK_DROP_WORK_QUEUE_FULL] == 3);
    CHECK(s.drops[RTK_DROP_TIMER_LIMIT] == 1);
    uint64_t sum = 0;
    for (int r = 0; r < RTK_DROP__COUNT; r++)
        sum += s.drops[r];
    CHECK(s.drops_total == sum);
    CHECK(s.drops_total == 4);

    REQUIRE(rtk_tick(rt) == 1); /* timer not due yet */
    s = rt.stats();
    CHECK(s.loop_count == 1);
    CHECK(s.timers_fired == 0);
    CHECK(s.events_dispatched == 1);
    CHECK(s.async_dispatched == 1);
    CHECK(s.tasks_executed == 3);
    CHECK(s.tasks_failed == 1);
    rt.clock.advance(10);
    REQUIRE(rtk_tick(rt) == 1);
    s = rt.stats();
    CHECK(s.loop_count == 2);
    CHECK(s.timers_fired == 1);
    CHECK(s.tasks_executed == 4); /* 3 ok tasks + the timer fire */
    CHECK(s.tasks_failed == 1);
    CHECK(s.work_queue_len == 0);
    CHECK(s.active_timers == 0);
    CHECK(s.idle_ns == 0); /* never asked to wait: rtk_prepare_wait not called */
    REQUIRE(rtk_shutdown(rt) == RTK_OK);
    CHECK(rt.stats().state == RTK_STATE_STOPPING);
}

TEST_CASE("stats read from another thread while the loop ticks", "[stats]")
{
    TestRt rt;
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> max_loops{0};
    std::thread reader([&] {
        while (!stop) {
            rtk_stats_t s;
            rtk_stats_get(rt, &s);
            if (s.loop_count > max_loops)
                max_loops = s.loop_count;
        }
    });
    for (int i = 0; i < 2000; i++) {
        rtk_schedule(rt, ok_task, nullptr, 1);
        REQUIRE(rtk_tick(rt) == 1);
    }
    stop = true;
    reader.join();
    CHECK(max_loops <= 2000);
    CHECK(rt.stats().loop_count == 2000);
    CHECK(rt.stats().tasks_executed == 2000);
}

TEST_CASE("prepare_wait reports 0, the time to a deadline, or -1", "[stats][embed]")
{
    const uint64_t MS = 1000000;
    TestRt rt;
    CHECK(rtk_prepare_wait(rt) == -1);
    REQUIRE(rtk_schedule(rt, ok_task, nullptr, 1) == RTK_OK);
    CHECK(rtk_prepare_wait(rt) == 0);
    REQUIRE(rtk_tick(rt) == 1);
    rtk_id_t id = 0;
    REQUIRE(rtk_timer_oneshot(rt, 5 * MS, ok_task, nullptr, &id) == RTK_OK);
    CHECK(rtk_prepare_wait(rt) == static_cast<int64_t>(5 * MS));
    rt.clock.advance(2 * MS);
    CHECK(rtk_prepare_wait(rt) == static_cast<int64_t>(3 * MS));
    rt.clock.advance(3 * MS);
    CHECK(rtk_prepare_wait(rt) == 0);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rtk_prepare_wait(rt) == -1);
}

TEST_CASE("backend fd becomes readable on a cross-thread submit and clears on tick",
          "[stats][embed]")
{
    TestRt rt([](rtk_config_t &c) { c.render = [](rtk_runtime_t *, void *) {}; });
    int fd = rtk_backend_fd(rt);
    REQUIRE(fd >= 0);
    CHECK(rtk_prepare_wait(rt) == -1);
    CHECK_FALSE(fd_readable(fd));
    SECTION("submit")
    {
        std::thread t([&] { rtk_schedule(rt, ok_task, nullptr, 1); });
        t.join();
    }
    SECTION("command")
    {
        std::thread t([&] { rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr); });
        t.join();
    }
    SECTION("async emit")
    {
        std::thread t([&] {
            rtk_event_desc_t e = ev_desc(1);
            rtk_event_emit_async(rt, &e, nullptr);
        });
        t.join();
    }
    SECTION("render request")
    {
        std::thread t([&] { rtk_render_request(rt); });
        t.join();
    }
    CHECK(fd_readable(fd));
    CHECK(rtk_prepare_wait(rt) == 0);
    rtk_tick(rt);
    if (rtk_state(rt) == RTK_STATE_RUNNING) {
        CHECK(rtk_prepare_wait(rt) == -1);
        CHECK_FALSE(fd_readable(fd));
    }
}

TEST_CASE("backend fd taken after the first prepare_wait still shows a submit made before",
          "[stats][embed]")
{
    /* rtk_run's wait is a futex; a producer that saw the sleeper before the
     * program first asked for the fd woke the futex, so taking the fd must
     * make it readable (docs/runtime.md, "Blocking run, wake-ups") */
    TestRt rt;
    CHECK(rtk_prepare_wait(rt) == -1);
    std::thread t([&] { rtk_schedule(rt, ok_task, nullptr, 1); });
    t.join();
    int fd = rtk_backend_fd(rt);
    REQUIRE(fd >= 0);
    CHECK(fd_readable(fd));
    CHECK(rtk_prepare_wait(rt) == 0);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rt.stats().tasks_executed == 1);
    CHECK(rtk_prepare_wait(rt) == -1);
    CHECK_FALSE(fd_readable(fd));
    /* and from now on producers write the fd */
    std::thread t2([&] { rtk_schedule(rt, ok_task, nullptr, 1); });
    t2.join();
    CHECK(fd_readable(fd));
}

TEST_CASE("idle time counts an embedding loop's own wait", "[stats]")
{
    TestRt rt;
    /* work ready: the loop must not wait, no idle time starts */
    REQUIRE(rt.submit([] { return 0; }) == RTK_OK);
    REQUIRE(rtk_prepare_wait(rt) == 0);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rt.stats().idle_ns == 0);
    /* nothing to do: the program waits on its own (20 ms in ppoll, as a
     * program polling its terminal would), then ticks */
    /* t0 before prepare_wait: idle runs from prepare_wait to the tick, so
     * [t0, now] holds it whole (both are CLOCK_MONOTONIC) */
    auto t0 = std::chrono::steady_clock::now();
    REQUIRE(rtk_prepare_wait(rt) == -1);
    struct pollfd p = {rtk_backend_fd(rt), POLLIN, 0};
    struct timespec ts = {0, 20000000};
    REQUIRE(ppoll(&p, 1, &ts, nullptr) == 0); /* nothing woke it */
    REQUIRE(rtk_tick(rt) == 1);
    auto waited = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now() - t0).count();
    uint64_t idle = rt.stats().idle_ns;
    CHECK(idle >= 20000000u);
    CHECK(idle <= (uint64_t)waited);
    /* a second tick without a wait adds nothing */
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rt.stats().idle_ns == idle);
}
