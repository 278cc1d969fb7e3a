// test_priority_events.cpp - the bounded priority event queue: pop order,
// FIFO for equal priorities, full -> refused + counted + dtor, per-tick
// event budget, payload ownership. Deterministic (rtk_tick).
#include "rt_fixture.h"

namespace {
std::atomic<int> g_dtor_calls{0};
void count_dtor(void *data)
{
    g_dtor_calls++;
    ++*static_cast<int *>(data);
}
} // namespace

TEST_CASE("priority queue pops 0, 50, 100, 200", "[events]")
{
    TestRt rt;
    Recorder order;
    rt.subscribe(1, RTK_PRIORITY_NORMAL, [&](const rtk_event_t *ev) {
        order.add(static_cast<int>(ev->priority));
        return RTK_HANDLED;
    });
    for (rtk_priority_t p : {200u, 100u, 0u, 50u}) {
        rtk_event_desc_t d = ev_desc(1, p);
        REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    }
    CHECK(rt.stats().event_queue_len == 4);
    CHECK(order.size() == 0); /* nothing before the tick */
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(order.get() == std::vector<int>{0, 50, 100, 200});
    CHECK(rt.stats().event_queue_len == 0);
    CHECK(rt.stats().events_dispatched == 4);
}

TEST_CASE("priority queue is FIFO within a priority", "[events]")
{
    TestRt rt;
    Recorder order;
    rt.subscribe(1, RTK_PRIORITY_NORMAL, [&](const rtk_event_t *ev) {
        order.add(*static_cast<int *>(ev->data));
        return RTK_HANDLED;
    });
    static int vals[12];
    for (int i = 0; i < 12; i++) {
        vals[i] = i;
        rtk_event_desc_t d = ev_desc(1, (i % 3 == 0) ? 10 : 20, &vals[i]);
        REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    }
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(order.get() == std::vector<int>{0, 3, 6, 9, 1, 2, 4, 5, 7, 8, 10, 11});
}

TEST_CASE("event ids are fresh and increasing, the handler sees them", "[events]")
{
    TestRt rt;
    std::vector<rtk_id_t> seen;
    rt.subscribe(1, RTK_PRIORITY_NORMAL, [&](const rtk_event_t *ev) {
        seen.push_back(ev->id);
        return RTK_HANDLED;
    });
    rtk_id_t a = 0, b = 0;
    rtk_event_desc_t d = ev_desc(1);
    REQUIRE(rtk_event_post(rt, &d, &a) == RTK_OK);
    REQUIRE(rtk_event_post(rt, &d, &b) == RTK_OK);
    CHECK(a != 0);
    CHECK(b > a);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(seen == std::vector<rtk_id_t>{a, b});
}

TEST_CASE("full event queue rejects, counts the drop and runs the dtor", "[events]")
{
    TestRt rt([](rtk_config_t &c) { c.event_queue_capacity = 2; });
    int freed[3] = {0, 0, 0};
    g_dtor_calls = 0;
    for (int i = 0; i < 3; i++) {
        rtk_event_desc_t d = ev_desc(1, RTK_PRIORITY_NORMAL, &freed[i]);
        d.dtor = count_dtor;
        int rc = rtk_event_post(rt, &d, nullptr);
        CHECK(rc == (i < 2 ? RTK_OK : RTK_EFULL));
    }
    CHECK(freed[2] == 1); /* dropped: freed before post returned */
    CHECK(freed[0] == 0);
    rtk_stats_t s = rt.stats();
    CHECK(s.event_queue_len == 2);
    CHECK(s.drops[RTK_DROP_EVENT_QUEUE_FULL] == 1);
    CHECK(s.drops_total == 1);
    REQUIRE(rtk_tick(rt) == 1); /* no handler: dispatched anyway, freed once */
    CHECK(freed[0] == 1);
    CHECK(freed[1] == 1);
    CHECK(freed[2] == 1);
    CHECK(g_dtor_calls == 3);
}

TEST_CASE("event budget bounds events dispatched per tick", "[events]")
{
    TestRt rt([](rtk_config_t &c) {
        c.event_budget = 3;
        c.batch_size = 1;
    });
    int handled = 0, task_runs = 0;
    rt.subscribe(1, RTK_PRIORITY_NORMAL, [&](const rtk_event_t *) {
        ++handled;
        return RTK_HANDLED;
    });
    REQUIRE(rt.submit([&] { ++task_runs; return 0; }) == RTK_OK);
    for (int i = 0; i < 10; i++) {
        rtk_event_desc_t d = ev_desc(1);
        REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    }
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(handled == 3);
    CHECK(task_runs == 1); /* events do not starve tasks */
    CHECK(rt.stats().event_queue_len == 7);
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(handled == 10);
    CHECK(rt.stats().events_dispatched == 10);
}

TEST_CASE("events posted during dispatch wait for a later dispatch slot", "[events]")
{
    TestRt rt([](rtk_config_t &c) { c.event_budget = 100; });
    int handled = 0;
    rt.subscribe(1, RTK_PRIORITY_NORMAL, [&](const rtk_event_t *) {
        /* re-posts forever: the budget must still end the tick */
        ++handled;
        rtk_event_desc_t d = ev_desc(1);
        rtk_event_post(rt, &d, nullptr);
        return RTK_HANDLED;
    });
    rtk_event_desc_t d = ev_desc(1);
    REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(handled >= 1);
    CHECK(handled <= 100);
}

TEST_CASE("destroy drops undispatched events and frees them once", "[events]")
{
    int freed = 0;
    {
        TestRt rt;
        for (int i = 0; i < 3; i++) {
            rtk_event_desc_t d = ev_desc(1, RTK_PRIORITY_NORMAL, &freed);
            d.dtor = count_dtor;
            REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
            REQUIRE(rtk_event_emit_async(rt, &d, nullptr) == RTK_OK);
        }
        CHECK(freed == 0);
    }
    CHECK(freed == 6);
}
