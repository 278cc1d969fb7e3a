// test_overflow.cpp - durations at the extremes: a caller's delay, interval
// or timeout meets the clock saturating, so RTK_FOREVER, INT64_MAX and
// UINT64_MAX mean "never" and 0 and 1 keep their exact meaning. On the fake
// clock: nothing fires early, nothing wraps into the past.
#include "rt_fixture.h"

#include <atomic>
#include <thread>

static const uint64_t MS = 1000000ull, S = 1000000000ull;

TEST_CASE("huge timer delays never fire, 0 and 1 keep their meaning", "[timers][overflow]")
{
    TestRt rt;
    int fired[5] = {0, 0, 0, 0, 0};
    const uint64_t delays[5] = {RTK_FOREVER, (uint64_t)INT64_MAX, UINT64_MAX - 1, 0, 1};
    rtk_id_t id[5];
    for (int i = 0; i < 5; i++)
        REQUIRE(rt.oneshot(delays[i], [&fired, i] { ++fired[i]; return 0; }, &id[i]) ==
                RTK_OK);
    /* the earliest deadline is the 0-delay one, now */
    CHECK(rtk_next_deadline(rt) == FakeClock::kStart);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(fired[3] == 1);
    CHECK(fired[4] == 0);
    rt.clock.advance(1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(fired[4] == 1);
    for (int k = 0; k < 10; k++) {
        rt.clock.advance(1000 * S);
        REQUIRE(rtk_tick(rt) == 1);
    }
    CHECK(fired[0] == 0);
    CHECK(fired[1] == 0);
    CHECK(fired[2] == 0);
    CHECK(rtk_timer_active(rt, id[0]));
    CHECK(rtk_timer_active(rt, id[1]));
    /* saturated at the end of time; the wait is as long as it can be */
    CHECK(rtk_next_deadline(rt) >= (uint64_t)INT64_MAX);
    CHECK(rtk_prepare_wait(rt) != 0);
    CHECK(rt.stats().active_timers == 3);
}

TEST_CASE("rearm to RTK_FOREVER parks a timer, rearm back fires it", "[timers][overflow]")
{
    TestRt rt;
    int n = 0;
    rtk_id_t id;
    REQUIRE(rt.oneshot(10 * MS, [&] { ++n; return 0; }, &id) == RTK_OK);
    REQUIRE(rtk_timer_rearm(rt, id, RTK_FOREVER) == RTK_OK);
    rt.clock.advance(3600 * S);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 0);
    CHECK(rtk_timer_active(rt, id));
    REQUIRE(rtk_timer_rearm(rt, id, 5 * MS) == RTK_OK);
    rt.clock.advance(5 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 1);
}

TEST_CASE("a periodic timer with a huge interval fires once, then never", "[timers][overflow]")
{
    TestRt rt;
    int n = 0;
    rtk_id_t id;
    REQUIRE(rt.oneshot(1 * MS, [&] { ++n; return 0; }, &id, RTK_PRIORITY_NORMAL,
                       UINT64_MAX / 2 + 12345) == RTK_OK);
    rt.clock.advance(1 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 1);
    for (int k = 0; k < 5; k++) {
        rt.clock.advance(1000 * S);
        REQUIRE(rtk_tick(rt) == 1);
    }
    CHECK(n == 1);
    CHECK(rtk_timer_active(rt, id));
    CHECK(rt.stats().timer_missed_periods == 0);
}

TEST_CASE("rtk_scope_wait with RTK_FOREVER waits instead of timing out", "[scopes][overflow]")
{
    TestRt rt;
    rtk_scope_t *sc = rtk_scope_create();
    rtk_event_desc_t d = ev_desc(4, 1, nullptr, sc);
    REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    REQUIRE(rtk_scope_in_flight(sc) == 1);
    CHECK(rtk_scope_wait(sc, 0) == RTK_ETIMEDOUT);
    std::atomic<int> started{0}, rc{99};
    std::thread waiter([&] {
        started.store(1);
        rc.store(rtk_scope_wait(sc, RTK_FOREVER));
    });
    while (!started.load())
        std::this_thread::yield();
    /* Before the fix the wait ended at once: now + UINT64_MAX wrapped into
     * the past. Now it lasts until the event is dispatched. */
    REQUIRE(rtk_tick(rt) == 1);
    waiter.join();
    CHECK(rc.load() == RTK_OK);
    CHECK(rtk_scope_wait(sc, (uint64_t)INT64_MAX) == RTK_OK);
    rtk_scope_destroy(sc);
}

TEST_CASE("huge frame and stats intervals do not wrap the pacing", "[render][overflow]")
{
    TestRt rt([](rtk_config_t &c) {
        c.render = [](rtk_runtime_t *, void *) {};
        c.frame_interval_ns = UINT64_MAX - 5;
        c.stats_interval_ns = UINT64_MAX;
    });
    rtk_render_request(rt);
    REQUIRE(rtk_tick(rt) == 1); /* the first frame is never paced */
    CHECK(rt.stats().renders == 1);
    rtk_render_request(rt);
    rt.clock.advance(3600 * S);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rt.stats().renders == 1); /* the next frame is "never" due */
    CHECK(rtk_prepare_wait(rt) > 0);
}
