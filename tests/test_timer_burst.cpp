/* A burst of timers due together never overflows the work queue: fires
 * beyond its free room wait for the next tick, in deadline order. */
#include <rtk/rtk.h>

#include <catch2/catch.hpp>

#include <algorithm>
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

/* The deadline queue has four parts (the bucket being drained, a heap of
 * pushes before it, a wheel of ~4 ms buckets over ~4.3 s, a heap for the
 * rest): a random mix of starts, cancels, re-arms and clock steps over all
 * of them must fire exactly as a sorted list would, FIFO for equal
 * deadlines, with rtk_next_deadline always the earliest live deadline.
 * `dense`: most deadlines within ~12 ms (three or four buckets, each a chain
 * of many 63-entry chunks that filtering compacts) and a small max_timers
 * (its chunk pool outgrown by partly filled buckets and stale entries). */
static void model_run(size_t max_timers, int steps, bool dense, uint64_t seed)
{
    const uint64_t MS = 1000000ull;
    rtk_config_t c;
    rtk_config_init(&c);
    c.clock = clock_fn;
    c.max_timers = max_timers;
    c.work_queue_capacity = 1 << 16;
    c.batch_size = 1 << 16;
    rtk_runtime_t *rt = nullptr;
    g_now = 5000 * MS;
    REQUIRE(rtk_runtime_create(&c, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    g_order.clear();

    struct Model {
        rtk_id_t id;
        uint64_t deadline;
        uint64_t armed; /* arm order */
        bool live;
    };
    std::vector<Model> m;
    std::vector<int> expect;
    uint64_t arms = 0, rng = seed;
    size_t live = 0;
    auto rnd = [&](uint64_t n) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        return (rng >> 33) % n;
    };
    auto delay = [&]() -> uint64_t {
        if (dense && rnd(10) < 7)
            return rnd(12 * MS);
        switch (rnd(5)) {
        case 0: return rnd(6 * MS);          /* the current bucket or next */
        case 1: return rnd(4000) * MS;       /* on the wheel */
        case 2: return (4000 + rnd(4000)) * MS; /* past it: the far heap */
        case 3: return 7 * MS;               /* many equal deadlines */
        default: return rnd(50) * MS / 7;
        }
    };
    auto next_expected = [&]() {
        uint64_t best = UINT64_MAX;
        for (const Model &x : m)
            if (x.live && x.deadline < best)
                best = x.deadline;
        return best;
    };
    for (int step = 0; step < steps; step++) {
        int op = static_cast<int>(rnd(dense ? 40 : 10));
        if (dense) { /* mostly starts and cancels, a tick in 40; phases of
                      * 1000 steps heavy on starts, then on cancels (stale
                      * entries then outnumber live ones: long chains are
                      * filtered) */
            int starts = (step / 1000) % 2 ? 8 : 24;
            op = op < starts ? 0 : op < 32 ? 5 : op < 39 ? 7 : 9;
        }
        if (op < 5) {
            if (live >= max_timers)
                continue;
            rtk_id_t id;
            uint64_t d = delay();
            intptr_t tag = static_cast<intptr_t>(m.size());
            REQUIRE(rtk_timer_oneshot(rt, d, record, reinterpret_cast<void *>(tag), &id) ==
                    RTK_OK);
            m.push_back({id, g_now + d, arms++, true});
            live++;
        } else if (op < 7 && !m.empty()) {
            Model &x = m[rnd(m.size())];
            CHECK(rtk_timer_cancel(rt, x.id) == (x.live ? RTK_OK : RTK_ENOENT));
            live -= x.live;
            x.live = false;
            x.id = 0; /* cancelled: the id is gone even if it had fired */
        } else if (op < 8 && !m.empty()) {
            Model &x = m[rnd(m.size())];
            uint64_t d = delay();
            if (x.live) {
                REQUIRE(rtk_timer_rearm(rt, x.id, d) == RTK_OK);
                x.deadline = g_now + d;
                x.armed = arms++;
            }
        } else {
            if (dense)
                g_now += rnd(MS / 2);
            else
                g_now += rnd(4) == 0 ? rnd(5000) * MS : rnd(9 * MS);
            /* what the model fires: due and live, by (deadline, arm order) */
            std::vector<size_t> due;
            for (size_t i = 0; i < m.size(); i++)
                if (m[i].live && m[i].deadline <= g_now)
                    due.push_back(i);
            std::sort(due.begin(), due.end(), [&](size_t a, size_t b) {
                return m[a].deadline != m[b].deadline ? m[a].deadline < m[b].deadline
                                                      : m[a].armed < m[b].armed;
            });
            for (size_t i : due) {
                expect.push_back(static_cast<int>(i));
                m[i].live = false;
                m[i].id = 0; /* a one-shot that ran: its id is gone */
                live--;
            }
            REQUIRE(rtk_tick(rt) == 1);
            REQUIRE(g_order == expect);
        }
        REQUIRE(rtk_next_deadline(rt) == next_expected());
    }
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    CHECK(s.active_timers == live);
    rtk_runtime_destroy(rt);
}

TEST_CASE("timers match a sorted-list model across wheel, near and far deadlines",
          "[timers]")
{
    model_run(4096, 4000, false, 12345);
}

TEST_CASE("timers match the model with long bucket chains and an outgrown chunk pool",
          "[timers]")
{
    for (uint64_t seed : {1u, 77u, 4242u})
        model_run(1024, 8000, true, seed);
}

/* Fired timers whose tasks have not run yet keep their slots: enough of
 * them make the table double, with live timers in every part of the queue;
 * all of them still fire, in order, exactly once. */
TEST_CASE("the timer table doubles under queued fires and loses nothing", "[timers]")
{
    const uint64_t MS = 1000000ull;
    rtk_config_t c;
    rtk_config_init(&c);
    c.clock = clock_fn;
    c.max_timers = 8; /* a 64-slot table: doubles past 32 used slots */
    c.work_queue_capacity = 4096;
    c.batch_size = 1; /* one fire task runs a tick: the rest wait */
    rtk_runtime_t *rt = nullptr;
    g_now = 1000 * MS;
    REQUIRE(rtk_runtime_create(&c, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    g_order.clear();
    /* long-lived ones first: far heap, wheel, near */
    const uint64_t keep[] = {6000 * MS, 1500 * MS, 600 * MS};
    for (intptr_t i = 0; i < 3; i++)
        REQUIRE(rtk_timer_oneshot(rt, keep[i], record, reinterpret_cast<void *>(1000 + i),
                                  nullptr) == RTK_OK);
    int tag = 0;
    for (int round = 0; round < 30; round++) {
        for (int k = 0; k < 5; k++, tag++) /* live stays <= 8 */
            REQUIRE(rtk_timer_oneshot(rt, 1 + k, record, reinterpret_cast<void *>(tag),
                                      nullptr) == RTK_OK);
        g_now += 1 * MS;
        REQUIRE(rtk_tick(rt) == 1);
    }
    while (g_order.size() < static_cast<size_t>(tag))
        REQUIRE(rtk_tick(rt) == 1);
    std::vector<int> want;
    for (int i = 0; i < tag; i++)
        want.push_back(i);
    CHECK(g_order == want);
    CHECK(rtk_next_deadline(rt) == 1000 * MS + 600 * MS);
    g_now += 7000 * MS;
    while (g_order.size() < static_cast<size_t>(tag) + 3)
        REQUIRE(rtk_tick(rt) == 1);
    want.insert(want.end(), {1002, 1001, 1000});
    CHECK(g_order == want);
    rtk_runtime_destroy(rt);
}
