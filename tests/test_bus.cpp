// test_bus.cpp - the event bus: handler order, results (HANDLED, CONSUMED,
// NOT_HANDLED), unsubscribe (idempotent, during dispatch), subscribe during
// dispatch, type filtering, the async queue (dispatched only in the tick,
// bounded, budgeted, cross-thread). Deterministic (rtk_tick).
#include "rt_fixture.h"

#include <thread>

TEST_CASE("handlers run in priority order 50, 100, 200", "[bus]")
{
    TestRt rt;
    Recorder order;
    for (rtk_priority_t p : {200u, 50u, 100u})
        rt.subscribe(7, p, [&order, p](const rtk_event_t *) {
            order.add(static_cast<int>(p));
            return RTK_HANDLED;
        });
    rtk_event_desc_t d = ev_desc(7);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_HANDLED);
    CHECK(order.get() == std::vector<int>{50, 100, 200});
}

TEST_CASE("equal handler priorities run in subscription order", "[bus]")
{
    TestRt rt;
    Recorder order;
    for (int i = 0; i < 5; i++)
        rt.subscribe(7, RTK_PRIORITY_NORMAL, [&order, i](const rtk_event_t *) {
            order.add(i);
            return RTK_NOT_HANDLED;
        });
    rtk_event_desc_t d = ev_desc(7);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_NOT_HANDLED);
    CHECK(order.get() == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("Consumed stops the rest, dispatch results combine", "[bus]")
{
    TestRt rt;
    Recorder order;
    rt.subscribe(7, 50, [&](const rtk_event_t *) { order.add(50); return RTK_NOT_HANDLED; });
    rt.subscribe(7, 100, [&](const rtk_event_t *) { order.add(100); return RTK_CONSUMED; });
    rt.subscribe(7, 200, [&](const rtk_event_t *) { order.add(200); return RTK_HANDLED; });
    rtk_event_desc_t d = ev_desc(7);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_CONSUMED);
    CHECK(order.get() == std::vector<int>{50, 100});

    SECTION("handled by one of several")
    {
        rt.subscribe(8, 1, [](const rtk_event_t *) { return RTK_NOT_HANDLED; });
        rt.subscribe(8, 2, [](const rtk_event_t *) { return RTK_HANDLED; });
        rt.subscribe(8, 3, [](const rtk_event_t *) { return RTK_NOT_HANDLED; });
        rtk_event_desc_t e = ev_desc(8);
        CHECK(rtk_event_dispatch(rt, &e, nullptr) == RTK_HANDLED);
    }
    SECTION("no handler at all")
    {
        rtk_event_desc_t e = ev_desc(99);
        CHECK(rtk_event_dispatch(rt, &e, nullptr) == RTK_NOT_HANDLED);
    }
}

TEST_CASE("unsubscribed never called, unsubscribe is idempotent", "[bus]")
{
    TestRt rt;
    int a = 0, b = 0;
    rtk_id_t sa = rt.subscribe(7, 1, [&](const rtk_event_t *) { ++a; return RTK_HANDLED; });
    rt.subscribe(7, 2, [&](const rtk_event_t *) { ++b; return RTK_HANDLED; });
    CHECK(rtk_unsubscribe(rt, sa) == RTK_OK);
    CHECK(rtk_unsubscribe(rt, sa) == RTK_ENOENT);
    CHECK(rtk_unsubscribe(rt, 0) == RTK_ENOENT);
    CHECK(rtk_unsubscribe(rt, rtk_next_id() + 12345) == RTK_ENOENT);
    rtk_event_desc_t d = ev_desc(7);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_HANDLED);
    REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(a == 0);
    CHECK(b == 2);
}

TEST_CASE("unsubscribe during dispatch: the removed handler is not called", "[bus]")
{
    TestRt rt;
    int later = 0, self = 0;
    rtk_id_t s_later = 0, s_self = 0;
    s_self = rt.subscribe(7, 10, [&](const rtk_event_t *) {
        ++self;
        CHECK(rtk_unsubscribe(rt, s_later) == RTK_OK);
        CHECK(rtk_unsubscribe(rt, s_self) == RTK_OK); /* itself too */
        return RTK_HANDLED;
    });
    s_later = rt.subscribe(7, 20, [&](const rtk_event_t *) { ++later; return RTK_HANDLED; });
    int last = 0;
    rt.subscribe(7, 30, [&](const rtk_event_t *) { ++last; return RTK_HANDLED; });
    rtk_event_desc_t d = ev_desc(7);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_HANDLED);
    CHECK(self == 1);
    CHECK(later == 0);
    CHECK(last == 1);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_HANDLED);
    CHECK(self == 1);
    CHECK(later == 0);
    CHECK(last == 2);
}

TEST_CASE("subscribe during dispatch: not called by that dispatch", "[bus]")
{
    TestRt rt;
    int added_calls = 0, adder_calls = 0;
    TestRt::Handler added = [&](const rtk_event_t *) {
        ++added_calls;
        return RTK_HANDLED;
    };
    rt.subscribe(7, 10, [&](const rtk_event_t *) {
        if (adder_calls++ == 0) {
            rtk_id_t s = 0;
            /* one before and one after the running handler's priority */
            CHECK(rtk_subscribe(rt, 7, 5, &TestRt::run_handler, &added, &s) == RTK_OK);
            CHECK(rtk_subscribe(rt, 7, 50, &TestRt::run_handler, &added, &s) == RTK_OK);
        }
        return RTK_HANDLED;
    });
    rtk_event_desc_t d = ev_desc(7);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_HANDLED);
    CHECK(added_calls == 0);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) == RTK_HANDLED);
    CHECK(added_calls == 2);
}

TEST_CASE("wrong type never delivered", "[bus]")
{
    TestRt rt;
    int a = 0, b = 0;
    rt.subscribe(1, 1, [&](const rtk_event_t *ev) { CHECK(ev->type == 1u); ++a; return RTK_HANDLED; });
    rt.subscribe(2, 1, [&](const rtk_event_t *ev) { CHECK(ev->type == 2u); ++b; return RTK_HANDLED; });
    rtk_event_desc_t d1 = ev_desc(1), d2 = ev_desc(2), d3 = ev_desc(3);
    rtk_event_dispatch(rt, &d1, nullptr);
    REQUIRE(rtk_event_post(rt, &d1, nullptr) == RTK_OK);
    REQUIRE(rtk_event_post(rt, &d3, nullptr) == RTK_OK);
    REQUIRE(rtk_event_emit_async(rt, &d3, nullptr) == RTK_OK);
    REQUIRE(rtk_event_emit_async(rt, &d2, nullptr) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(a == 2);
    CHECK(b == 1);
}

TEST_CASE("the handler sees the event's fields", "[bus]")
{
    TestRt rt;
    int payload = 42;
    rtk_event_t seen = {};
    rt.subscribe(5, 1, [&](const rtk_event_t *ev) { seen = *ev; return RTK_HANDLED; });
    rtk_event_desc_t d = ev_desc(5, 77, &payload);
    rtk_id_t id = 0;
    REQUIRE(rtk_event_post(rt, &d, &id) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(seen.id == id);
    CHECK(seen.type == 5u);
    CHECK(seen.priority == 77u);
    CHECK(seen.data == &payload);
    CHECK(seen.cause == 0); /* posted from outside the runtime */
}

TEST_CASE("async queue is dispatched only in the tick", "[bus]")
{
    TestRt rt;
    int n = 0;
    rt.subscribe(3, 1, [&](const rtk_event_t *) { ++n; return RTK_HANDLED; });
    rtk_event_desc_t d = ev_desc(3);
    rtk_id_t id = 0;
    REQUIRE(rtk_event_emit_async(rt, &d, &id) == RTK_OK);
    CHECK(id != 0);
    CHECK(n == 0);
    CHECK(rt.stats().async_queue_len == 1);
    CHECK_FALSE(rtk_is_idle(rt));
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 1);
    CHECK(rt.stats().async_queue_len == 0);
    CHECK(rt.stats().async_dispatched == 1);
}

TEST_CASE("async emits from other threads arrive FIFO per thread", "[bus]")
{
    TestRt rt([](rtk_config_t &c) {
        c.async_queue_capacity = 4096;
        c.async_budget = 4096;
    });
    std::vector<int> per_thread_last(4, -1);
    bool in_order = true;
    int n = 0;
    rt.subscribe(3, 1, [&](const rtk_event_t *ev) {
        uintptr_t v = reinterpret_cast<uintptr_t>(ev->data);
        int t = static_cast<int>(v >> 16), i = static_cast<int>(v & 0xffff);
        if (i != per_thread_last[t] + 1)
            in_order = false;
        per_thread_last[t] = i;
        ++n;
        return RTK_HANDLED;
    });
    std::vector<std::thread> ts;
    std::atomic<int> refused{0}; /* no Catch assertions off the test thread */
    for (int t = 0; t < 4; t++)
        ts.emplace_back([&, t] {
            for (int i = 0; i < 500; i++) {
                rtk_event_desc_t d =
                    ev_desc(3, 0, reinterpret_cast<void *>(static_cast<uintptr_t>((t << 16) | i)));
                if (rtk_event_emit_async(rt, &d, nullptr) != RTK_OK)
                    refused++;
            }
        });
    for (auto &t : ts)
        t.join();
    CHECK(refused == 0);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 2000);
    CHECK(in_order);
}

TEST_CASE("async queue full -> refused and counted", "[bus]")
{
    TestRt rt([](rtk_config_t &c) { c.async_queue_capacity = 4; });
    int freed = 0;
    int rc_full = 0;
    for (int i = 0; i < 6; i++) {
        rtk_event_desc_t d = ev_desc(3, 0, &freed);
        d.dtor = [](void *p) { ++*static_cast<int *>(p); };
        int rc = rtk_event_emit_async(rt, &d, nullptr);
        if (rc == RTK_EFULL)
            rc_full++;
        else
            CHECK(rc == RTK_OK);
    }
    CHECK(rc_full == 2);
    CHECK(freed == 2); /* the refused ones, before emit returned */
    rtk_stats_t s = rt.stats();
    CHECK(s.drops[RTK_DROP_ASYNC_QUEUE_FULL] == 2);
    CHECK(s.async_queue_len == 4);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(freed == 6);
}

TEST_CASE("async budget bounds async events per tick", "[bus]")
{
    TestRt rt([](rtk_config_t &c) { c.async_budget = 4; });
    int n = 0;
    rt.subscribe(3, 1, [&](const rtk_event_t *) { ++n; return RTK_HANDLED; });
    for (int i = 0; i < 10; i++) {
        rtk_event_desc_t d = ev_desc(3);
        REQUIRE(rtk_event_emit_async(rt, &d, nullptr) == RTK_OK);
    }
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 4);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 8);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 10);
}

TEST_CASE("subscribe validates its arguments", "[bus]")
{
    TestRt rt;
    rtk_id_t s = 0;
    CHECK(rtk_subscribe(rt, 1, 1, nullptr, nullptr, &s) == RTK_EINVAL);
}
