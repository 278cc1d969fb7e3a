// test_work_queue.cpp - the bounded MPSC priority work queue: capacity and
// drop counting, space freed by a pop, multi-producer pushes, priority order
// and FIFO within one priority. Deterministic (rtk_tick, fake clock).
#include "rt_fixture.h"

#include <thread>

static int noop(void *) { return 0; }

TEST_CASE("work queue of capacity 3: 5 pushes -> length 3, dropped 2", "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 3;
        c.batch_size = 1;
    });
    int ok = 0, full = 0;
    for (int i = 0; i < 5; i++) {
        int rc = rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL);
        if (rc == RTK_OK)
            ok++;
        else if (rc == RTK_EFULL)
            full++;
    }
    CHECK(ok == 3);
    CHECK(full == 2);
    rtk_stats_t s = rt.stats();
    CHECK(s.work_queue_len == 3);
    CHECK(s.drops[RTK_DROP_WORK_QUEUE_FULL] == 2);
    CHECK(s.drops_total == 2);

    SECTION("space frees after a pop")
    {
        REQUIRE(rtk_tick(rt) == 1); /* batch 1: pops one */
        CHECK(rt.stats().work_queue_len == 2);
        CHECK(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK);
        CHECK(rt.stats().work_queue_len == 3);
        CHECK(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_EFULL);
        CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 3);
    }
}

TEST_CASE("submit returns a fresh id and validates its arguments", "[work_queue]")
{
    TestRt rt;
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, noop, nullptr);
    CHECK(d.priority == RTK_PRIORITY_NORMAL);
    CHECK(d.cause == 0);
    rtk_id_t a = 0, b = 0;
    REQUIRE(rtk_submit(rt, &d, &a) == RTK_OK);
    REQUIRE(rtk_submit(rt, &d, &b) == RTK_OK);
    CHECK(a != 0);
    CHECK(b > a);
    REQUIRE(rtk_submit(rt, &d, nullptr) == RTK_OK); /* id optional */
    rtk_task_desc_t bad;
    rtk_task_desc_init(&bad, nullptr, nullptr);
    CHECK(rtk_submit(rt, &bad, nullptr) == RTK_EINVAL);
    CHECK(rt.stats().work_queue_len == 3);
}

TEST_CASE("10 threads x 50 pushes -> 500", "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 4096;
        c.batch_size = 1000;
    });
    std::atomic<int> ran{0};
    std::vector<std::thread> ts;
    std::atomic<int> ok{0};
    for (int t = 0; t < 10; t++)
        ts.emplace_back([&] {
            for (int i = 0; i < 50; i++)
                if (rtk_schedule(rt,
                                 [](void *a) {
                                     static_cast<std::atomic<int> *>(a)->fetch_add(1);
                                     return 0;
                                 },
                                 &ran, RTK_PRIORITY_NORMAL) == RTK_OK)
                    ok++;
        });
    for (auto &t : ts)
        t.join();
    CHECK(ok == 500);
    CHECK(rt.stats().work_queue_len == 500);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 0);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(ran == 500);
    CHECK(rt.stats().tasks_executed == 500);
    CHECK(rt.stats().work_queue_len == 0);
}

TEST_CASE("work queue runs priorities in order", "[work_queue]")
{
    TestRt rt;
    Recorder order;
    const rtk_priority_t prios[] = {200, 1000, 100, 0, 50, 7, 100000};
    for (rtk_priority_t p : prios)
        REQUIRE(rt.submit([&order, p] { order.add(static_cast<int>(p)); return 0; }, p) ==
                RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(order.get() == std::vector<int>{0, 7, 50, 100, 200, 1000, 100000});
}

TEST_CASE("work queue is FIFO within a priority", "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 64; });
    Recorder order;
    /* interleave two priorities; each must keep its submission order */
    for (int i = 0; i < 20; i++) {
        rtk_priority_t p = (i % 2) ? RTK_PRIORITY_LOW : RTK_PRIORITY_HIGH;
        REQUIRE(rt.submit([&order, i] { order.add(i); return 0; }, p) == RTK_OK);
    }
    REQUIRE(rtk_tick(rt) == 1);
    std::vector<int> want;
    for (int i = 0; i < 20; i += 2)
        want.push_back(i);
    for (int i = 1; i < 20; i += 2)
        want.push_back(i);
    CHECK(order.get() == want);
}

TEST_CASE("priority order holds across ticks and batches", "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 2; });
    Recorder order;
    for (int i = 0; i < 3; i++)
        REQUIRE(rt.submit([&order, i] { order.add(100 + i); return 0; }, RTK_PRIORITY_LOW) ==
                RTK_OK);
    REQUIRE(rtk_tick(rt) == 1); /* runs 100, 101 */
    REQUIRE(rt.submit([&order] { order.add(1); return 0; }, RTK_PRIORITY_CRITICAL) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1); /* critical before the remaining low */
    CHECK(order.get() == std::vector<int>{100, 101, 1, 102});
}

/* What other threads published is collected at every pop: a critical
 * task submitted from another thread while task 0 of a batch runs is the
 * very next to run, ahead of the 30 queued low-priority tasks. */
TEST_CASE("another thread's urgent task runs next, ahead of queued tasks",
          "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 64; });
    Recorder order;
    REQUIRE(rt.submit([&] {
        order.add(0);
        std::thread([&] {
            REQUIRE(rt.submit([&order] { order.add(1000); return 0; },
                              RTK_PRIORITY_CRITICAL) == RTK_OK);
        }).join();
        return 0;
    }, RTK_PRIORITY_LOW) == RTK_OK);
    for (int i = 1; i <= 30; i++)
        REQUIRE(rt.submit([&order, i] { order.add(i); return 0; },
                          RTK_PRIORITY_LOW) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    std::vector<int> got = order.get();
    REQUIRE(got.size() == 32);
    CHECK(got[0] == 0);
    CHECK(got[1] == 1000);
    CHECK(got[2] == 1);
    CHECK(got[31] == 30);
}

TEST_CASE("a task may submit more tasks, they run on a later batch slot", "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 16; });
    Recorder order;
    REQUIRE(rt.submit([&] {
        order.add(1);
        rt.submit([&] { order.add(2); return 0; });
        return 0;
    }) == RTK_OK);
    for (int i = 0; i < 3; i++)
        REQUIRE(rtk_tick(rt) == 1);
    CHECK(order.get() == std::vector<int>{1, 2});
    CHECK(rt.stats().tasks_executed == 2);
}

/* Tasks enter the queue three ways: rtk_submit outside a tick, a command's
 * task (queued when the tick handles the command) and a timer fire (queued
 * when the tick fires it). FIFO within one priority is by queue entry, the
 * order the trace's task_queued events show: here submit, command, fire. */
TEST_CASE("FIFO within a priority holds across submits, commands and timer fires",
          "[work_queue]")
{
    TestRt rt;
    Recorder order;
    REQUIRE(rt.submit([&] { order.add(1); return 0; }) == RTK_OK);
    rtk_id_t tid = 0;
    REQUIRE(rt.oneshot(1, [&] { order.add(3); return 0; }, &tid) == RTK_OK);
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, &TestRt::run_fn, rt.keep([&] { order.add(2); return 0; }));
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_OK);
    rt.clock.advance(1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(order.get() == std::vector<int>{1, 2, 3});
}
