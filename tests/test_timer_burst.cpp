/* A burst of timers due together never overflows the work queue: fires
 * beyond its free room wait for the next tick, in deadline order. */
#include <rtk/rtk.h>

#include <catch2/catch.hpp>

#include <vector>

namespace {
uint64_t g_now = 1000;
uint64_t clock_fn(void *) { return g_now; }
std::vector<int> g_order;
int record(void *a)
{
    g_order.push_back(static_cast<int>(reinterpret_cast<intptr_t>(a)));
    return 0;
}
} // namespace

TEST_CASE("due timers beyond the work queue's room fire on later ticks, none dropped",
          "[timers]")
{
    rtk_config_t c;
    rtk_config_init(&c);
    c.clock = clock_fn;
    c.work_queue_capacity = 4;
    c.batch_size = 2;
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(&c, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    g_order.clear();
    for (intptr_t i = 0; i < 10; i++) /* deadlines 1010, 1020, ... 1100 */
        REQUIRE(rtk_timer_oneshot(rt, 10 * (i + 1), record, reinterpret_cast<void *>(i),
                                  nullptr) == RTK_OK);
    g_now = 2000; /* all ten due at once */
    REQUIRE(rtk_tick(rt) == 1);
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    CHECK(s.timers_fired == 4); /* the queue's room */
    CHECK(g_order.size() == 2); /* one batch */
    CHECK(rtk_next_deadline(rt) == 1050);
    int ticks = 1;
    while (!rtk_is_idle(rt) && ticks < 100) {
        REQUIRE(rtk_tick(rt) == 1);
        ticks++;
    }
    rtk_stats_get(rt, &s);
    CHECK(s.timers_fired == 10);
    CHECK(s.drops[RTK_DROP_WORK_QUEUE_FULL] == 0);
    CHECK(g_order == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    CHECK(ticks == 5); /* 10 fires at 2 tasks per tick */
    rtk_runtime_destroy(rt);
}

TEST_CASE("a large timer table (mapped, huge pages) starts, cancels and fires", "[timers]")
{
    const int N = 20000; /* 2 slots a timer: a table well over 2 MiB */
    rtk_config_t c;
    rtk_config_init(&c);
    c.clock = clock_fn;
    c.max_timers = N;
    c.work_queue_capacity = N;
    c.batch_size = N;
    rtk_runtime_t *rt = nullptr;
    g_now = 1000;
    REQUIRE(rtk_runtime_create(&c, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    g_order.clear();
    std::vector<rtk_id_t> ids(N);
    for (intptr_t i = 0; i < N; i++)
        REQUIRE(rtk_timer_oneshot(rt, 1 + (i * 7919) % 5000, record,
                                  reinterpret_cast<void *>(i), &ids[i]) == RTK_OK);
    for (int i = 0; i < N; i += 2)
        REQUIRE(rtk_timer_cancel(rt, ids[i]) == RTK_OK);
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    CHECK(s.active_timers == static_cast<size_t>(N / 2));
    g_now = 10000;
    REQUIRE(rtk_tick(rt) == 1);
    rtk_stats_get(rt, &s);
    CHECK(s.timers_fired == static_cast<uint64_t>(N / 2));
    CHECK(g_order.size() == static_cast<size_t>(N / 2));
    CHECK(s.active_timers == 0);
    bool only_odd = true;
    for (int v : g_order)
        only_odd = only_odd && (v % 2 == 1);
    CHECK(only_odd);
    rtk_runtime_destroy(rt);
}
