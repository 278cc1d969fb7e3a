// test_timers.cpp - one-shot and periodic timers on the fake clock: deadline
// order, exact due boundary, no drift, the SKIP missed-period policy of
// timer.h, cancel (twice, unknown, voiding a queued fire), max_timers,
// rearm. Deterministic: time only moves when the test advances FakeClock;
// the last case checks the real clock's deadlines against CLOCK_MONOTONIC.
#include "rt_fixture.h"

static const uint64_t MS = 1000000ull;

TEST_CASE("timers fire in deadline order, FIFO for equal deadlines", "[timers]")
{
    TestRt rt;
    Recorder order;
    rtk_id_t id;
    REQUIRE(rt.oneshot(30 * MS, [&] { order.add(30); return 0; }, &id) == RTK_OK);
    REQUIRE(rt.oneshot(10 * MS, [&] { order.add(10); return 0; }, &id) == RTK_OK);
    REQUIRE(rt.oneshot(20 * MS, [&] { order.add(20); return 0; }, &id) == RTK_OK);
    REQUIRE(rt.oneshot(10 * MS, [&] { order.add(11); return 0; }, &id) == RTK_OK);
    REQUIRE(rt.oneshot(5 * MS, [&] { order.add(5); return 0; }, &id) == RTK_OK);
    CHECK(rt.stats().active_timers == 5);
    CHECK(rtk_next_deadline(rt) == FakeClock::kStart + 5 * MS);
    rt.clock.advance(30 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(order.get() == std::vector<int>{5, 10, 11, 20, 30});
    CHECK(rt.stats().timers_fired == 5);
    CHECK(rt.stats().active_timers == 0);
    CHECK(rtk_next_deadline(rt) == UINT64_MAX);
}

TEST_CASE("a timer is not due before its deadline and is due at it", "[timers]")
{
    TestRt rt;
    int n = 0;
    rtk_id_t id = 0;
    CHECK(rtk_next_deadline(rt) == UINT64_MAX);
    REQUIRE(rt.oneshot(10 * MS, [&] { ++n; return 0; }, &id) == RTK_OK);
    CHECK(id != 0);
    CHECK(rtk_timer_active(rt, id));
    CHECK(rtk_next_deadline(rt) == FakeClock::kStart + 10 * MS);
    CHECK(rtk_now(rt) == FakeClock::kStart);
    rt.clock.advance(10 * MS - 1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 0);
    rt.clock.advance(1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 1);
}

TEST_CASE("one-shot fires once and is gone", "[timers]")
{
    TestRt rt;
    int n = 0;
    rtk_id_t id = 0;
    REQUIRE(rt.oneshot(1 * MS, [&] { ++n; return 0; }, &id) == RTK_OK);
    for (int i = 0; i < 5; i++) {
        rt.clock.advance(1 * MS);
        REQUIRE(rtk_tick(rt) == 1);
    }
    CHECK(n == 1);
    CHECK_FALSE(rtk_timer_active(rt, id));
    CHECK(rt.stats().active_timers == 0);
    CHECK(rtk_timer_cancel(rt, id) == RTK_ENOENT); /* already ran */
    CHECK(rtk_is_idle(rt));
}

TEST_CASE("periodic stays armed and does not drift", "[timers]")
{
    TestRt rt;
    int n = 0;
    rtk_id_t id = 0;
    const uint64_t I = 10 * MS;
    const uint64_t T0 = FakeClock::kStart;
    REQUIRE(rt.periodic(I, [&] { ++n; return 0; }, &id) == RTK_OK);
    CHECK(rtk_next_deadline(rt) == T0 + I); /* first fire after one interval */
    /* tick 3 ms late each time: deadlines stay on the T0 + k*I grid */
    for (int k = 1; k <= 5; k++) {
        rt.clock.set(T0 + k * I + 3 * MS);
        REQUIRE(rtk_tick(rt) == 1);
        CHECK(n == k);
        CHECK(rtk_timer_active(rt, id));
        CHECK(rtk_next_deadline(rt) == T0 + (k + 1) * I);
    }
    CHECK(rt.stats().timer_missed_periods == 0);
    CHECK(rt.stats().active_timers == 1);
    CHECK(rt.stats().timers_fired == 5);
    CHECK(rtk_timer_cancel(rt, id) == RTK_OK);
    CHECK(rt.stats().active_timers == 0);
}

/* timer.h, SKIP policy: "if the loop falls behind by k whole intervals, the
 * timer fires once, the k skipped periods are counted, and the next deadline
 * is the first one after now on the original grid."
 * Periodic armed at T0 with interval I: grid T0+I, T0+2I, ... The clock
 * jumps 10 intervals, to T0+10I. Due deadlines: T0+I .. T0+10I (ten). The
 * loop is behind the first due deadline by (T0+10I)-(T0+I) = 9I: k = 9.
 * So: one fire, missed = 9, next deadline T0+11I (the first strictly after
 * now). */
TEST_CASE("periodic timer with a clock jump of 10 intervals follows SKIP", "[timers]")
{
    TestRt rt;
    int n = 0;
    rtk_id_t id = 0;
    const uint64_t I = 10 * MS;
    const uint64_t T0 = FakeClock::kStart;
    REQUIRE(rt.periodic(I, [&] { ++n; return 0; }, &id) == RTK_OK);

    SECTION("jump from arming straight to T0 + 10I")
    {
        rt.clock.set(T0 + 10 * I);
        REQUIRE(rtk_tick(rt) == 1);
        CHECK(n == 1);
        CHECK(rt.stats().timer_missed_periods == 9);
        CHECK(rt.stats().timers_fired == 1);
        CHECK(rtk_next_deadline(rt) == T0 + 11 * I);
        REQUIRE(rtk_tick(rt) == 1); /* nothing more is due */
        CHECK(n == 1);
        rt.clock.set(T0 + 11 * I);
        REQUIRE(rtk_tick(rt) == 1);
        CHECK(n == 2);
        CHECK(rt.stats().timer_missed_periods == 9);
        CHECK(rtk_next_deadline(rt) == T0 + 12 * I);
    }
    SECTION("after one on-time fire, jump 10 intervals plus half")
    {
        rt.clock.set(T0 + I);
        REQUIRE(rtk_tick(rt) == 1);
        CHECK(n == 1);
        /* next deadline T0+2I; now T0+11.5I: due T0+2I..T0+11I (ten),
         * behind by 9.5I -> k = 9 */
        rt.clock.set(T0 + 11 * I + I / 2);
        REQUIRE(rtk_tick(rt) == 1);
        CHECK(n == 2);
        CHECK(rt.stats().timer_missed_periods == 9);
        CHECK(rtk_next_deadline(rt) == T0 + 12 * I);
    }
}

TEST_CASE("cancelled timer never fires, cancel twice or unknown id is ENOENT", "[timers]")
{
    TestRt rt;
    int n = 0;
    rtk_id_t a = 0, b = 0;
    REQUIRE(rt.oneshot(5 * MS, [&] { ++n; return 0; }, &a) == RTK_OK);
    REQUIRE(rt.periodic(5 * MS, [&] { ++n; return 0; }, &b) == RTK_OK);
    CHECK(rtk_timer_cancel(rt, a) == RTK_OK);
    CHECK(rtk_timer_cancel(rt, b) == RTK_OK);
    CHECK(rt.stats().active_timers == 0); /* removed at once */
    CHECK_FALSE(rtk_timer_active(rt, a));
    CHECK(rtk_timer_cancel(rt, a) == RTK_ENOENT);
    CHECK(rtk_timer_cancel(rt, b) == RTK_ENOENT);
    CHECK(rtk_timer_cancel(rt, 0) == RTK_ENOENT);
    CHECK(rtk_timer_cancel(rt, rtk_next_id() + 1000) == RTK_ENOENT);
    CHECK(rtk_next_deadline(rt) == UINT64_MAX);
    rt.clock.advance(100 * MS);
    for (int i = 0; i < 3; i++)
        REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 0);
    CHECK(rt.stats().timers_fired == 0);
    CHECK(rt.stats().drops_total == 0);
}

/* The fire of a LOW timer is queued behind a NORMAL task that occupies the
 * only batch slot (batch_size 1); the test cancels between ticks. */
TEST_CASE("cancel of a timer whose fire is already queued: it does not run", "[timers]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 1; });
    int fired = 0, blocker = 0;
    rtk_id_t id = 0;
    bool periodic = GENERATE(false, true);
    CAPTURE(periodic);
    REQUIRE(rt.oneshot(1 * MS, [&] { ++fired; return 0; }, &id, RTK_PRIORITY_LOW,
                       periodic ? 1 * MS : 0) == RTK_OK);
    REQUIRE(rt.submit([&] { ++blocker; return 0; }, RTK_PRIORITY_NORMAL) == RTK_OK);
    rt.clock.advance(1 * MS);
    REQUIRE(rtk_tick(rt) == 1); /* timer fires -> task queued; blocker runs */
    CHECK(blocker == 1);
    CHECK(fired == 0);
    CHECK(rt.stats().timers_fired == 1);
    CHECK(rt.stats().work_queue_len == 1);
    CHECK(rtk_timer_cancel(rt, id) == RTK_OK); /* voids the queued fire */
    CHECK(rt.stats().active_timers == 0);
    CHECK(rtk_timer_cancel(rt, id) == RTK_ENOENT);
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(fired == 0);
    rtk_stats_t s = rt.stats();
    CHECK(s.tasks_voided == 1);
    CHECK(s.tasks_executed == 1); /* only the blocker */
    CHECK(s.tasks_failed == 0);
    CHECK(s.work_queue_len == 0);
}

TEST_CASE("cancel from inside a task voids a fire queued in the same tick", "[timers]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 4; });
    int fired = 0;
    rtk_id_t id = 0;
    REQUIRE(rt.oneshot(1 * MS, [&] { ++fired; return 0; }, &id, RTK_PRIORITY_LOW) == RTK_OK);
    int rc = 99;
    REQUIRE(rt.submit([&] { rc = rtk_timer_cancel(rt, id); return 0; },
                      RTK_PRIORITY_HIGH) == RTK_OK);
    rt.clock.advance(1 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rc == RTK_OK);
    CHECK(fired == 0);
    CHECK(rt.stats().tasks_voided == 1);
}

TEST_CASE("max_timers 3: the 4th is refused and counted", "[timers]")
{
    TestRt rt([](rtk_config_t &c) { c.max_timers = 3; });
    rtk_id_t ids[4] = {};
    int n = 0;
    for (int i = 0; i < 3; i++)
        REQUIRE(rt.oneshot((i + 1) * MS, [&] { ++n; return 0; }, &ids[i]) == RTK_OK);
    CHECK(rt.oneshot(10 * MS, [&] { ++n; return 0; }, &ids[3]) == RTK_EFULL);
    rtk_stats_t s = rt.stats();
    CHECK(s.drops[RTK_DROP_TIMER_LIMIT] == 1);
    CHECK(s.drops_total == 1);
    CHECK(s.active_timers == 3);
    SECTION("a cancel frees a slot")
    {
        REQUIRE(rtk_timer_cancel(rt, ids[0]) == RTK_OK);
        CHECK(rt.oneshot(10 * MS, [&] { ++n; return 0; }, &ids[3]) == RTK_OK);
        CHECK(rt.drops(RTK_DROP_TIMER_LIMIT) == 1);
    }
    SECTION("a fired one-shot frees its slot")
    {
        rt.clock.advance(1 * MS);
        REQUIRE(rtk_tick(rt) == 1);
        CHECK(n == 1);
        CHECK(rt.oneshot(10 * MS, [&] { ++n; return 0; }, &ids[3]) == RTK_OK);
    }
}

TEST_CASE("rearm moves the deadline and keeps the id", "[timers]")
{
    TestRt rt;
    int n = 0;
    rtk_id_t id = 0;
    REQUIRE(rt.oneshot(10 * MS, [&] { ++n; return 0; }, &id) == RTK_OK);
    rt.clock.advance(8 * MS);
    REQUIRE(rtk_timer_rearm(rt, id, 10 * MS) == RTK_OK);
    CHECK(rtk_next_deadline(rt) == FakeClock::kStart + 18 * MS);
    rt.clock.advance(5 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 0);
    rt.clock.advance(5 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 1);
    CHECK(rtk_timer_rearm(rt, id, 1 * MS) == RTK_ENOENT);
    CHECK(rtk_timer_rearm(rt, 0, 1 * MS) == RTK_ENOENT);
}

TEST_CASE("timer start validates arguments", "[timers]")
{
    TestRt rt;
    rtk_timer_desc_t d = {};
    d.delay_ns = MS;
    rtk_id_t id = 0;
    CHECK(rtk_timer_start(rt, &d, &id) == RTK_EINVAL); /* NULL fn */
    CHECK(rt.stats().active_timers == 0);
}

TEST_CASE("timer fire runs at the timer's priority among tasks", "[timers]")
{
    TestRt rt;
    Recorder order;
    rtk_id_t id;
    REQUIRE(rt.oneshot(1 * MS, [&] { order.add(0); return 0; }, &id, RTK_PRIORITY_CRITICAL) ==
            RTK_OK);
    REQUIRE(rt.submit([&] { order.add(100); return 0; }, RTK_PRIORITY_NORMAL) == RTK_OK);
    rt.clock.advance(1 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(order.get() == std::vector<int>{0, 100});
}

TEST_CASE("rearm voids a queued fire, the timer fires at its new deadline", "[timers]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 1; });
    int fired = 0, blocker = 0;
    rtk_id_t id = 0;
    REQUIRE(rt.oneshot(1 * MS, [&] { ++fired; return 0; }, &id, RTK_PRIORITY_LOW) == RTK_OK);
    REQUIRE(rt.submit([&] { ++blocker; return 0; }) == RTK_OK);
    rt.clock.advance(1 * MS);
    REQUIRE(rtk_tick(rt) == 1); /* fire queued behind the blocker */
    REQUIRE(fired == 0);
    CHECK(rtk_timer_rearm(rt, id, 5 * MS) == RTK_OK);
    CHECK(rtk_timer_active(rt, id));
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(fired == 0);
    CHECK(rt.stats().tasks_voided == 1);
    rt.clock.advance(5 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(fired == 1);
    CHECK_FALSE(rtk_timer_active(rt, id));
}

TEST_CASE("a periodic timer can cancel itself from its own fire", "[timers]")
{
    TestRt rt;
    int fired = 0;
    rtk_id_t id = 0;
    int rc = 99;
    REQUIRE(rt.periodic(1 * MS, [&] {
        if (++fired == 3)
            rc = rtk_timer_cancel(rt, id);
        return 0;
    }, &id) == RTK_OK);
    for (int i = 0; i < 10; i++) {
        rt.clock.advance(1 * MS);
        REQUIRE(rtk_tick(rt) == 1);
    }
    CHECK(fired == 3);
    CHECK(rc == RTK_OK);
    CHECK(rt.stats().active_timers == 0);
    CHECK(rt.stats().tasks_voided == 0);
}

/* Many timers, pseudo-random deadlines (many equal), every 7th cancelled,
 * the clock moved in uneven steps: fires come out sorted by deadline and,
 * for equal deadlines, in arm order; cancelled ones never fire. */
TEST_CASE("2000 timers fire in (deadline, arm order) order with cancels", "[timers]")
{
    const int N = 2000;
    TestRt rt([](rtk_config_t &c) {
        c.max_timers = 4096;
        c.work_queue_capacity = 4096;
        c.batch_size = 4096;
    });
    std::vector<uint64_t> deadline(N);
    std::vector<rtk_id_t> ids(N);
    std::vector<int> fired;
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        uint64_t delay = 1 + (x >> 16) % 500; /* 1..500 us, many ties */
        delay *= 1000;
        deadline[i] = FakeClock::kStart + delay;
        REQUIRE(rt.oneshot(delay, [&fired, i] { fired.push_back(i); return 0; }, &ids[i]) ==
                RTK_OK);
    }
    int cancelled = 0;
    for (int i = 0; i < N; i += 7) {
        REQUIRE(rtk_timer_cancel(rt, ids[i]) == RTK_OK);
        cancelled++;
    }
    CHECK(rt.stats().active_timers == static_cast<size_t>(N - cancelled));
    uint64_t step = 0;
    while (rt.clock.get() < FakeClock::kStart + 501 * 1000) {
        x = x * 1103515245u + 12345u;
        step = 1 + (x >> 16) % 7000;
        rt.clock.advance(step);
        REQUIRE(rtk_tick(rt) == 1);
        if (rtk_next_deadline(rt) != UINT64_MAX) {
            CHECK(rtk_next_deadline(rt) > rt.clock.get());
        }
    }
    REQUIRE(fired.size() == static_cast<size_t>(N - cancelled));
    bool ordered = true, none_cancelled = true;
    for (size_t k = 0; k < fired.size(); k++) {
        if (fired[k] % 7 == 0)
            none_cancelled = false;
        if (k > 0) {
            int a = fired[k - 1], b = fired[k];
            if (deadline[a] > deadline[b] || (deadline[a] == deadline[b] && a > b))
                ordered = false;
        }
    }
    CHECK(ordered);
    CHECK(none_cancelled);
    CHECK(rt.stats().active_timers == 0);
    CHECK(rtk_next_deadline(rt) == UINT64_MAX);
}

TEST_CASE("debounce pushes a pending one-shot back, starts a fired one afresh", "[timers]")
{
    TestRt rt;
    int n = 0;
    std::function<int()> f = [&] { ++n; return 0; };
    rtk_timer_desc_t d;
    rtk_timer_desc_init(&d, &TestRt::run_fn, &f);
    d.delay_ns = 10 * MS;
    rtk_id_t id = 0;
    REQUIRE(rtk_timer_debounce(rt, &id, &d) == RTK_OK); /* none yet: starts */
    rtk_id_t first = id;
    CHECK(first != 0);
    rt.clock.advance(8 * MS);
    REQUIRE(rtk_timer_debounce(rt, &id, &d) == RTK_OK); /* pending: rearmed */
    CHECK(id == first);
    CHECK(rtk_next_deadline(rt) == FakeClock::kStart + 18 * MS);
    rt.clock.advance(10 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 1);
    CHECK(rtk_timer_rearm(rt, id, 10 * MS) == RTK_ENOENT); /* gone once run */
    REQUIRE(rtk_timer_debounce(rt, &id, &d) == RTK_OK);   /* so: a new one */
    CHECK(id != first);
    CHECK(rtk_timer_active(rt, id));
    CHECK(rtk_next_deadline(rt) == FakeClock::kStart + 28 * MS);
    rt.clock.advance(10 * MS);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 2);
    CHECK(rtk_timer_debounce(rt, nullptr, &d) == RTK_EINVAL);
    CHECK(rtk_timer_debounce(rt, &id, nullptr) == RTK_EINVAL);
    d.fn = nullptr;
    rtk_id_t none = 0;
    CHECK(rtk_timer_debounce(rt, &none, &d) == RTK_EINVAL);
    CHECK(none == 0);
}

/* Without a clock in the config a start reads CLOCK_MONOTONIC, or within a
 * burst reuses a read while the TSC shows under 0.5 us passed, plus 1 us
 * (src/timer_clock.c): a deadline is never before the call's now + delay,
 * at most 1 us after it, and deadlines of equal delays never go down.
 * 25 000 bursts of 8 starts span the 2 ms in which the TSC rate is
 * measured and then run on the reused reads. */
static int noop_fire(void *) { return 0; }

TEST_CASE("real clock: a start's deadline is its call time + delay, at most 1 us late",
          "[timers]")
{
    rtk_config_t c;
    rtk_config_init(&c);
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(&c, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    auto mono = [] {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    };
    const uint64_t D = 10 * MS;
    uint64_t prev = 0, early = 0, late = 0, back = 0, n = 25000;
    uint64_t t_first = mono();
    for (uint64_t i = 0; i < n; i++) {
        rtk_id_t ids[8] = {0};
        uint64_t t0 = mono();
        for (rtk_id_t &id : ids) /* a burst: the later ones reuse a read */
            REQUIRE(rtk_timer_oneshot(rt, D, noop_fire, nullptr, &id) == RTK_OK);
        uint64_t t1 = mono();
        for (rtk_id_t id : ids) { /* equal delays: in start order */
            uint64_t dl = rtk_next_deadline(rt);
            early += dl < t0 + D;
            late += dl > t1 + D + 1000;
            back += dl < prev;
            prev = dl;
            REQUIRE(rtk_timer_cancel(rt, id) == RTK_OK);
        }
    }
    CHECK(mono() - t_first > 2 * MS); /* the reuse was reached */
    CHECK(early == 0);
    CHECK(late == 0);
    CHECK(back == 0);
    rtk_runtime_destroy(rt);
}
