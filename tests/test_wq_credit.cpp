// test_wq_credit.cpp - the loop's credit on the work queue (work_queue.c):
// pushes from inside a task take places in chunks and pops keep theirs, yet
// the capacity stays exact, every place is free again when the batch ends,
// and the loop's own stats do not count held credit as queued, nor the
// credit a pop that left the rings unread set aside. Also: an
// abandoned task counts once against batch_size. Deterministic (rtk_tick).
#include "abandon.h"
#include "rt_fixture.h"

static int noop(void *) { return 0; }

/* `n` rtk_schedule calls from a thread that is not the loop (the ring
 * path): how many were taken. */
static int schedule_from_other_thread(rtk_runtime_t *rt, int n)
{
    int ok = 0;
    std::thread t([&] {
        for (int i = 0; i < n; i++)
            ok += rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK;
    });
    t.join();
    return ok;
}

TEST_CASE("a task pushing past capacity 128 gets exactly 128 places", "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 128; /* credit chunks of 3 */
        c.batch_size = 1;
    });
    int ok = 0, full = 0;
    size_t len_inside = 0;
    REQUIRE(rt.submit([&] {
        for (int i = 0; i < 200; i++) {
            int rc = rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL);
            ok += rc == RTK_OK;
            full += rc == RTK_EFULL;
        }
        len_inside = rt.stats().work_queue_len;
        return 0;
    }) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    /* the running task's own place was free for its pushes */
    CHECK(ok == 128);
    CHECK(full == 72);
    CHECK(len_inside == 128);
    CHECK(rt.stats().work_queue_len == 128);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 72);
    CHECK(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_EFULL);
}

TEST_CASE("places a batch frees are all free for other threads when it ends",
          "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 256; /* credit up to 8 */
        c.batch_size = 100;
    });
    for (int i = 0; i < 256; i++)
        REQUIRE(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rt.stats().tasks_executed == 100);
    CHECK(rt.stats().work_queue_len == 156);
    CHECK(schedule_from_other_thread(rt, 101) == 100);
    CHECK(rt.stats().work_queue_len == 256);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 1);
}

TEST_CASE("a queue of 65536: during a batch the loop holds at most 512 freed "
          "places, and all of them are free when it ends",
          "[work_queue]")
{
    /* credit up to 256 (capacity / 64, at most 256): the loop keeps at
     * most twice that of the places its tasks free, set aside or as
     * credit, until the batch ends (work_queue.c) */
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 65536;
        c.batch_size = 10000;
    });
    static TestRt *s_rt;
    static int s_taken;
    s_rt = &rt;
    s_taken = -1;
    /* one thread (one ring: its order kept) queues 9999 tasks, then one
     * that sends all it can from another thread, then 55536 more */
    int queued = 0;
    std::thread t([&] {
        for (int i = 0; i < 65536; i++)
            queued += rtk_schedule(rt,
                                   i == 9999 ? +[](void *) {
                                       s_taken = schedule_from_other_thread(*s_rt,
                                                                            20000);
                                       return 0;
                                   }
                                             : noop,
                                   nullptr, RTK_PRIORITY_NORMAL) == RTK_OK;
    });
    t.join();
    REQUIRE(queued == 65536);
    REQUIRE(rt.stats().work_queue_len == 65536);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rt.stats().tasks_executed == 10000);
    /* 9999 places freed before the sender ran, its own still taken */
    CHECK(s_taken <= 9999);
    CHECK(s_taken >= 9999 - 512);
    /* the batch over, every place it freed is free */
    CHECK(rt.stats().work_queue_len == 55536 + (size_t)s_taken);
    CHECK(schedule_from_other_thread(rt, 20000) == 10000 - s_taken);
    CHECK(rt.stats().work_queue_len == 65536);
}

TEST_CASE("a loop pushing and running in one batch never exceeds capacity",
          "[work_queue]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 640; /* credit chunks of 11 */
        c.batch_size = 1000;
    });
    /* each task re-queues two until 5000 have been queued: a growing wave
     * that keeps the queue at its limit while the batch pops from it */
    int queued = 0, refused = 0;
    size_t max_len = 0;
    std::function<int()> *wave = nullptr;
    wave = rt.keep([&]() -> int {
        size_t len = rt.stats().work_queue_len;
        if (len > max_len)
            max_len = len;
        for (int k = 0; k < 2 && queued < 5000; k++) {
            if (rtk_schedule(rt, &TestRt::run_fn, wave, RTK_PRIORITY_NORMAL) == RTK_OK)
                queued++;
            else
                refused++;
        }
        return 0;
    });
    REQUIRE(rtk_schedule(rt, &TestRt::run_fn, wave, RTK_PRIORITY_NORMAL) == RTK_OK);
    while (rt.stats().work_queue_len)
        REQUIRE(rtk_tick(rt) == 1);
    rtk_stats_t s = rt.stats();
    CHECK(queued == 5000);
    CHECK(max_len <= 640);
    CHECK(s.tasks_executed == 5001);
    CHECK(s.drops[RTK_DROP_WORK_QUEUE_FULL] == static_cast<uint64_t>(refused));
    CHECK(rtk_is_idle(rt));
}

TEST_CASE("an abandoned task counts once against batch_size", "[executor]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 3; });
    int abandoned = 0;
    REQUIRE(rtk_schedule(rt, test_task_abandon_deep, &abandoned, RTK_PRIORITY_HIGH) == RTK_OK);
    for (int i = 0; i < 4; i++)
        REQUIRE(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    rtk_stats_t s = rt.stats();
    CHECK(abandoned == 1);
    CHECK(s.tasks_failed == 1);
    CHECK(s.tasks_executed == 2);
    CHECK(s.work_queue_len == 2);
}

TEST_CASE("credit set aside by pops that leave the rings unread counts as places, "
          "not tasks",
          "[work_queue][producers]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 256; /* credit up to 8 */
        c.batch_size = 1000;
    });
    /* from outside the tick, so through this thread's ring: the first pop
     * collects all 60, and every later pop finds its task at least as
     * urgent as anything a ring could hold (prod_min NORMAL), leaves the
     * rings unread and sets the loop's credit aside (rtk__wq_pop_lazy);
     * every 4th task pushes one, which takes that credit back */
    std::vector<size_t> len_at_start, len_after_push;
    int pushes = 0;
    std::function<int()> *step = nullptr;
    step = rt.keep([&]() -> int {
        len_at_start.push_back(rt.stats().work_queue_len);
        if (len_at_start.size() % 4 == 0 && pushes < 10) {
            REQUIRE(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK);
            pushes++;
            len_after_push.push_back(rt.stats().work_queue_len);
        }
        return 0;
    });
    for (int i = 0; i < 60; i++)
        REQUIRE(rtk_schedule(rt, &TestRt::run_fn, step, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(len_at_start.size() == 60);
    REQUIRE(len_after_push.size() == 10);
    /* task k (0-based) starts with the 59 - k behind it, plus the pushes
     * made so far: (k / 4) of them until the 10th, each run at the end */
    for (size_t k = 0; k < 60; k++) {
        INFO("task " << k);
        size_t pushed = k / 4 < 10 ? k / 4 : 10;
        CHECK(len_at_start[k] == 59 - k + pushed);
    }
    for (size_t i = 0; i < 10; i++) {
        INFO("push " << i);
        CHECK(len_after_push[i] == len_at_start[4 * i + 3] + 1);
    }
    CHECK(rt.stats().tasks_executed == 70);
    CHECK(rt.stats().work_queue_len == 0);
    /* nothing held once the batch ended: exactly the capacity, from
     * another thread */
    CHECK(schedule_from_other_thread(rt, 257) == 256);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 1);
}
