// test_scopes.cpp - scopes count events in flight: sync posts and async
// emits alike, released on dispatch, on drop (queue full) and at destroy;
// only the event's own scope is decremented; rtk_scope_wait from another
// thread with no lost wake-up, and its timeout. Deterministic except the
// ETIMEDOUT case, which waits 1 ms of real time on purpose.
#include "rt_fixture.h"

#include <thread>

TEST_CASE("scopes return to 0 for sync posts and async emits", "[scopes]")
{
    TestRt rt;
    rtk_scope_t *sc = rtk_scope_create();
    REQUIRE(sc != nullptr);
    CHECK(rtk_scope_in_flight(sc) == 0);
    int n = 0;
    rt.subscribe(4, 1, [&](const rtk_event_t *) { ++n; return RTK_HANDLED; });
    rtk_event_desc_t d = ev_desc(4, RTK_PRIORITY_NORMAL, nullptr, sc);
    REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    CHECK(rtk_scope_in_flight(sc) == 2);
    REQUIRE(rtk_event_emit_async(rt, &d, nullptr) == RTK_OK);
    CHECK(rtk_scope_in_flight(sc) == 3); /* async counts alike */
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 3);
    CHECK(rtk_scope_in_flight(sc) == 0);
    CHECK(rtk_scope_wait(sc, 0) == RTK_OK);
    rtk_scope_destroy(sc);
    rtk_scope_destroy(nullptr);
}

TEST_CASE("only the dispatched event's own scope is decremented", "[scopes]")
{
    TestRt rt([](rtk_config_t &c) { c.event_budget = 1; });
    rtk_scope_t *a = rtk_scope_create();
    rtk_scope_t *b = rtk_scope_create();
    rtk_event_desc_t da = ev_desc(4, 10, nullptr, a);
    rtk_event_desc_t db = ev_desc(4, 20, nullptr, b);
    rtk_event_desc_t dn = ev_desc(4, 5); /* no scope, dispatched first */
    REQUIRE(rtk_event_post(rt, &da, nullptr) == RTK_OK);
    REQUIRE(rtk_event_post(rt, &db, nullptr) == RTK_OK);
    REQUIRE(rtk_event_post(rt, &dn, nullptr) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1); /* the unscoped one */
    CHECK(rtk_scope_in_flight(a) == 1);
    CHECK(rtk_scope_in_flight(b) == 1);
    REQUIRE(rtk_tick(rt) == 1); /* a's */
    CHECK(rtk_scope_in_flight(a) == 0);
    CHECK(rtk_scope_in_flight(b) == 1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rtk_scope_in_flight(b) == 0);
    rtk_scope_destroy(a);
    rtk_scope_destroy(b);
}

TEST_CASE("a direct dispatch with a scope leaves it at 0", "[scopes]")
{
    TestRt rt;
    rtk_scope_t *sc = rtk_scope_create();
    rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
    CHECK(rtk_event_dispatch(rt, &d, nullptr) >= 0);
    CHECK(rtk_scope_in_flight(sc) == 0);
    rtk_scope_destroy(sc);
}

TEST_CASE("a dropped scoped event releases its count", "[scopes]")
{
    rtk_scope_t *sc = rtk_scope_create();
    SECTION("event queue full")
    {
        TestRt rt([](rtk_config_t &c) { c.event_queue_capacity = 2; });
        rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
        REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
        REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
        CHECK(rtk_event_post(rt, &d, nullptr) == RTK_EFULL);
        CHECK(rtk_scope_in_flight(sc) == 2);
        CHECK(rt.drops(RTK_DROP_EVENT_QUEUE_FULL) == 1);
        REQUIRE(rtk_tick(rt) == 1);
        CHECK(rtk_scope_in_flight(sc) == 0);
    }
    SECTION("async queue full")
    {
        TestRt rt([](rtk_config_t &c) { c.async_queue_capacity = 1; });
        rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
        REQUIRE(rtk_event_emit_async(rt, &d, nullptr) == RTK_OK);
        CHECK(rtk_event_emit_async(rt, &d, nullptr) == RTK_EFULL);
        CHECK(rtk_scope_in_flight(sc) == 1);
        CHECK(rt.drops(RTK_DROP_ASYNC_QUEUE_FULL) == 1);
        REQUIRE(rtk_tick(rt) == 1);
        CHECK(rtk_scope_in_flight(sc) == 0);
    }
    SECTION("not running")
    {
        TestRt rt({}, false);
        rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
        CHECK(rtk_event_post(rt, &d, nullptr) == RTK_ESTATE);
        CHECK(rtk_event_emit_async(rt, &d, nullptr) == RTK_ESTATE);
        CHECK(rtk_scope_in_flight(sc) == 0);
    }
    SECTION("emergency discard")
    {
        TestRt rt;
        rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
        REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
        REQUIRE(rtk_event_emit_async(rt, &d, nullptr) == RTK_OK);
        rtk_emergency_stop(rt);
        CHECK(rtk_tick(rt) == 0);
        CHECK(rtk_scope_in_flight(sc) == 0);
    }
    SECTION("destroy with events still queued")
    {
        {
            TestRt rt;
            rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
            REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
            REQUIRE(rtk_event_emit_async(rt, &d, nullptr) == RTK_OK);
            CHECK(rtk_scope_in_flight(sc) == 2);
        }
        CHECK(rtk_scope_in_flight(sc) == 0);
    }
    rtk_scope_destroy(sc);
}

TEST_CASE("rtk_scope_wait from another thread returns once in flight hits 0", "[scopes]")
{
    for (int round = 0; round < 50; round++) {
        TestRt rt;
        rtk_scope_t *sc = rtk_scope_create();
        rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
        for (int i = 0; i < 3; i++)
            REQUIRE(rtk_event_emit_async(rt, &d, nullptr) == RTK_OK);
        std::atomic<int> started{0};
        std::atomic<int> rc{99};
        std::thread waiter([&] {
            started = 1;
            rc = rtk_scope_wait(sc, 10ull * 1000000000ull);
        });
        REQUIRE(await_true([&] { return started.load() == 1; }));
        REQUIRE(rtk_tick(rt) == 1);
        waiter.join();
        CHECK(rc == RTK_OK);
        CHECK(rtk_scope_in_flight(sc) == 0);
        rtk_scope_destroy(sc);
    }
}

TEST_CASE("rtk_scope_wait times out while events are in flight", "[scopes]")
{
    TestRt rt;
    rtk_scope_t *sc = rtk_scope_create();
    rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
    REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    CHECK(rtk_scope_wait(sc, 0) == RTK_ETIMEDOUT);
    CHECK(rtk_scope_wait(sc, 1000000) == RTK_ETIMEDOUT); /* 1 ms, real time */
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rtk_scope_wait(sc, 0) == RTK_OK);
    rtk_scope_destroy(sc);
}

TEST_CASE("several waiters on one scope all wake", "[scopes]")
{
    TestRt rt;
    rtk_scope_t *sc = rtk_scope_create();
    rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
    REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    std::atomic<int> ok{0}, started{0};
    std::vector<std::thread> ws;
    for (int i = 0; i < 3; i++)
        ws.emplace_back([&] {
            started++;
            if (rtk_scope_wait(sc, 10ull * 1000000000ull) == RTK_OK)
                ok++;
        });
    REQUIRE(await_true([&] { return started.load() == 3; }));
    REQUIRE(rtk_tick(rt) == 1);
    for (auto &w : ws)
        w.join();
    CHECK(ok == 3);
    rtk_scope_destroy(sc);
}
