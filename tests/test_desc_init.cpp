// test_desc_init.cpp - rtk_timer_desc_init() and rtk_event_desc_init():
// every field is reset and the priority is NORMAL (a zeroed descriptor means
// CRITICAL), and the runtime orders what they build at NORMAL. Also pins the
// documented meaning of batch_size 0 (the default, 16). Built as C++, so it
// also checks that the public headers compile as C++. Deterministic
// (rtk_tick, fake clock).
#include "rt_fixture.h"

#include <cstring>

static int noop(void *) { return 0; }

TEST_CASE("rtk_timer_desc_init resets every field, priority NORMAL", "[desc]")
{
    rtk_timer_desc_t d;
    std::memset(&d, 0xAB, sizeof d); /* garbage, as an uninitialised local */
    int arg = 0;
    rtk_timer_desc_init(&d, noop, &arg);
    CHECK(d.priority == RTK_PRIORITY_NORMAL);
    CHECK(d.priority == 100u);
    CHECK(d.fn == &noop);
    CHECK(d.arg == &arg);
    CHECK(d.delay_ns == 0);
    CHECK(d.interval_ns == 0);
    CHECK(d.name == nullptr);
    CHECK(d.cause == 0);
}

TEST_CASE("rtk_event_desc_init resets every field, priority NORMAL", "[desc]")
{
    rtk_event_desc_t d;
    std::memset(&d, 0xCD, sizeof d);
    int data = 0;
    rtk_event_desc_init(&d, 7, &data);
    CHECK(d.priority == RTK_PRIORITY_NORMAL);
    CHECK(d.priority == 100u);
    CHECK(d.type == 7u);
    CHECK(d.data == &data);
    CHECK(d.dtor == nullptr);
    CHECK(d.scope == nullptr);
    CHECK(d.cause == 0);
}

TEST_CASE("a timer from rtk_timer_desc_init fires at NORMAL, not CRITICAL", "[desc][timers]")
{
    TestRt rt;
    Recorder order;
    /* Tasks just above and just below NORMAL, queued before the fire. */
    REQUIRE(rt.submit([&] { order.add(101); return 0; }, 101) == RTK_OK);
    REQUIRE(rt.submit([&] { order.add(99); return 0; }, 99) == RTK_OK);
    rtk_timer_desc_t d;
    rtk_timer_desc_init(&d, &TestRt::run_fn, rt.keep([&] { order.add(100); return 0; }));
    d.delay_ns = 1000000;
    d.name = "desc_init_timer";
    rtk_id_t id = 0;
    REQUIRE(rtk_timer_start(rt, &d, &id) == RTK_OK);
    CHECK(id != 0);
    rt.clock.advance(1000000);
    REQUIRE(rtk_tick(rt) == 1);
    /* zeroed descriptor (priority 0) would give {100, 99, 101} */
    CHECK(order.get() == std::vector<int>{99, 100, 101});
}

TEST_CASE("an event from rtk_event_desc_init is posted at NORMAL", "[desc][events]")
{
    TestRt rt;
    Recorder order;
    rt.subscribe(5, RTK_PRIORITY_NORMAL, [&](const rtk_event_t *ev) {
        order.add(static_cast<int>(ev->priority));
        return RTK_HANDLED;
    });
    rtk_event_desc_t lo = ev_desc(5, 101), hi = ev_desc(5, 99), d;
    REQUIRE(rtk_event_post(rt, &lo, nullptr) == RTK_OK);
    rtk_event_desc_init(&d, 5, nullptr);
    REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    REQUIRE(rtk_event_post(rt, &hi, nullptr) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(order.get() == std::vector<int>{99, 100, 101});
}

TEST_CASE("batch_size 0 means the default: 16 tasks per tick", "[desc][executor]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 0; });
    int ran = 0;
    for (int i = 0; i < 20; i++)
        REQUIRE(rt.submit([&] { ran++; return 0; }) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(ran == 16);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(ran == 20);
}
