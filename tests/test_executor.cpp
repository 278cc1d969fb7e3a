// test_executor.cpp - the executor: per-tick batches, failure isolation
// (non-zero status and rtk_task_abandon from deep C frames), counters.
// Deterministic (rtk_tick).
#include "abandon.h"
#include "rt_fixture.h"

static int ok_task(void *arg)
{
    ++*static_cast<int *>(arg);
    return 0;
}
static int failing_task(void *arg)
{
    ++*static_cast<int *>(arg);
    return 3;
}

TEST_CASE("one ok and one failing task: queue 2 -> 0, executed 1, failed 1", "[executor]")
{
    TestRt rt;
    int ran_ok = 0, ran_bad = 0;
    REQUIRE(rtk_schedule(rt, ok_task, &ran_ok, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_schedule(rt, failing_task, &ran_bad, RTK_PRIORITY_NORMAL) == RTK_OK);
    CHECK(rt.stats().work_queue_len == 2);
    CHECK(rtk_tick(rt) == 1);
    rtk_stats_t s = rt.stats();
    CHECK(s.work_queue_len == 0);
    CHECK(s.tasks_executed == 1);
    CHECK(s.tasks_failed == 1);
    CHECK(ran_ok == 1);
    CHECK(ran_bad == 1);
}

TEST_CASE("the task after a failure in the same batch still runs", "[executor]")
{
    TestRt rt;
    int a = 0, b = 0, c = 0;
    REQUIRE(rtk_schedule(rt, failing_task, &a, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_schedule(rt, ok_task, &b, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_schedule(rt, failing_task, &c, RTK_PRIORITY_NORMAL) == RTK_OK);
    CHECK(rtk_tick(rt) == 1);
    CHECK(a == 1);
    CHECK(b == 1);
    CHECK(c == 1);
    CHECK(rt.stats().tasks_executed == 1);
    CHECK(rt.stats().tasks_failed == 2);
}

TEST_CASE("an abandoned task is failed and the next task in the batch still runs",
          "[executor]")
{
    TestRt rt;
    int abandoned = 0, zero = 0, after = 0;
    REQUIRE(rtk_schedule(rt, test_task_abandon_deep, &abandoned, RTK_PRIORITY_HIGH) == RTK_OK);
    REQUIRE(rtk_schedule(rt, test_task_abandon_zero, &zero, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_schedule(rt, ok_task, &after, RTK_PRIORITY_LOW) == RTK_OK);
    CHECK(rtk_tick(rt) == 1);
    CHECK(abandoned == 1);
    CHECK(zero == 1);
    CHECK(after == 1);
    rtk_stats_t s = rt.stats();
    CHECK(s.tasks_failed == 2);
    CHECK(s.tasks_executed == 1);
    CHECK(s.work_queue_len == 0);
    /* the loop is healthy afterwards */
    REQUIRE(rtk_schedule(rt, ok_task, &after, RTK_PRIORITY_NORMAL) == RTK_OK);
    CHECK(rtk_tick(rt) == 1);
    CHECK(after == 2);
    CHECK(rtk_current_cause() == 0);
}

TEST_CASE("batch 5 with 20 tasks runs 5 per tick", "[executor]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 5; });
    int n = 0;
    for (int i = 0; i < 20; i++)
        REQUIRE(rtk_schedule(rt, ok_task, &n, RTK_PRIORITY_NORMAL) == RTK_OK);
    for (int t = 1; t <= 4; t++) {
        CHECK(rtk_tick(rt) == 1);
        CHECK(n == 5 * t);
        CHECK(rt.stats().work_queue_len == static_cast<size_t>(20 - 5 * t));
        CHECK(rt.stats().tasks_executed == static_cast<uint64_t>(5 * t));
    }
    CHECK(rtk_tick(rt) == 1);
    CHECK(n == 20);
    CHECK(rtk_is_idle(rt));
}

TEST_CASE("batch_size 0 means the default 16", "[executor]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 0; });
    int n = 0;
    for (int i = 0; i < 40; i++)
        REQUIRE(rtk_schedule(rt, ok_task, &n, RTK_PRIORITY_NORMAL) == RTK_OK);
    CHECK(rtk_tick(rt) == 1);
    CHECK(n == 16);
}

TEST_CASE("executed and failed counters add up over many ticks", "[executor]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 3; });
    int n = 0;
    for (int i = 0; i < 30; i++)
        REQUIRE(rtk_schedule(rt, (i % 3 == 0) ? failing_task : ok_task, &n,
                             RTK_PRIORITY_NORMAL) == RTK_OK);
    while (!rtk_is_idle(rt))
        REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 30);
    CHECK(rt.stats().tasks_executed == 20);
    CHECK(rt.stats().tasks_failed == 10);
    CHECK(rt.stats().loop_count == 10);
}

namespace {
rtk_handler_result_t abandoning_handler(rtk_runtime_t *, const rtk_event_t *, void *)
{
    rtk_task_abandon(2); /* "deep code" of the task that dispatched */
}
struct DispatchArgs {
    rtk_runtime_t *rt;
    rtk_scope_t *scope;
};
int dispatching_task(void *arg)
{
    auto *a = static_cast<DispatchArgs *>(arg);
    rtk_event_desc_t d = ev_desc(11, RTK_PRIORITY_NORMAL, nullptr, a->scope);
    rtk_event_dispatch(a->rt, &d, nullptr);
    return 0;
}
} // namespace

/* The abandon unwinds through the bus: the bus must not stay "inside a
 * dispatch" (later subscriptions parked forever) and the cause must be
 * restored. */
TEST_CASE("abandon from a handler the task dispatched leaves the runtime usable",
          "[executor][bus]")
{
    TestRt rt;
    rtk_scope_t *sc = rtk_scope_create();
    DispatchArgs a = {rt, sc};
    rtk_id_t bad = 0;
    REQUIRE(rtk_subscribe(rt, 11, 1, abandoning_handler, nullptr, &bad) == RTK_OK);
    REQUIRE(rtk_schedule(rt, dispatching_task, &a, RTK_PRIORITY_NORMAL) == RTK_OK);
    int after = 0;
    REQUIRE(rt.submit([&] { ++after; return 0; }, RTK_PRIORITY_LOW) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(after == 1);
    CHECK(rt.stats().tasks_failed == 1);
    CHECK(rtk_current_cause() == 0);

    /* the bus works normally afterwards */
    REQUIRE(rtk_unsubscribe(rt, bad) == RTK_OK);
    int calls = 0;
    rt.subscribe(11, 1, [&](const rtk_event_t *) { ++calls; return RTK_HANDLED; });
    rtk_event_desc_t d = ev_desc(11);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_HANDLED);
    CHECK(calls == 1);
    /* the abandoned dispatch's event is finished: its scope released */
    CHECK(rtk_scope_in_flight(sc) == 0);
    rtk_scope_destroy(sc);
}

TEST_CASE("a task finds its runtime with rtk_current_runtime, nested ticks too", "[executor]")
{
    TestRt outer, inner;
    rtk_runtime_t *seen_outer = nullptr, *seen_inner = nullptr, *after_inner = nullptr;
    CHECK(rtk_current_runtime() == nullptr); /* outside any tick */
    REQUIRE(inner.submit([&] { seen_inner = rtk_current_runtime(); return 0; }) == RTK_OK);
    REQUIRE(outer.submit([&] {
        seen_outer = rtk_current_runtime();
        rtk_tick(inner); /* a tick of another runtime inside this task */
        after_inner = rtk_current_runtime();
        return 0;
    }) == RTK_OK);
    REQUIRE(rtk_tick(outer) == 1);
    CHECK(seen_outer == (rtk_runtime_t *)outer);
    CHECK(seen_inner == (rtk_runtime_t *)inner);
    CHECK(after_inner == (rtk_runtime_t *)outer);
    CHECK(rtk_current_runtime() == nullptr);
}
