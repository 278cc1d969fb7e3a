// test_producers.cpp - other threads' submits through their own rings
// (runtime/src/wq_producers.c): each thread's order kept within a
// priority, priority order across threads, nothing lost, the capacity exact
// although producers hold places in chunks, a graceful stop and an idle
// loop unaffected by a producer's leftover places, more threads than
// slots, a thread feeding two runtimes, a runtime re-created at the same
// address. Deterministic where the loop is ticked by the test thread after
// the producers are joined; the concurrent cases assert exact counts.
#include "rt_fixture.h"

/* runtime/src/internal.h, RTK__RETIRE_TICKS: empty ticks before a ring
 * is no longer looked at at every pop */
#define RETIRE_TICKS_FOR_TEST 16
#define RETIRE_NS_FOR_TEST 10000000ull /* and RTK__RETIRE_NS of its clock */

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace {

/* what ran, in order: (producer, sequence number, priority); only the
 * loop thread appends */
struct Ran {
    uint32_t who, seq;
    rtk_priority_t prio;
};
std::vector<Ran> *g_ran;

/* Catch's assertions are for the test's own thread: other threads count
 * their failures here, and the fixture checks the count at the end */
std::atomic<long> g_thread_failures{0};
#define T_EXPECT(e) ((e) ? (void)0 : (void)g_thread_failures++)
struct ThreadFailures {
    ThreadFailures() { g_thread_failures = 0; }
    ~ThreadFailures() { CHECK(g_thread_failures == 0); }
};

struct Tag {
    uint32_t who, seq;
    rtk_priority_t prio;
};

int record(void *arg)
{
    const Tag *t = static_cast<const Tag *>(arg);
    g_ran->push_back({t->who, t->seq, t->prio});
    return 0;
}

/* tags for producer `who`'s n tasks, priorities cycling through `prios` */
std::vector<Tag> tags_for(uint32_t who, uint32_t n, std::vector<rtk_priority_t> prios)
{
    std::vector<Tag> v(n);
    for (uint32_t i = 0; i < n; i++)
        v[i] = {who, i, prios[i % prios.size()]};
    return v;
}

/* a producer thread's body: each of its tasks scheduled at its priority */
void schedule_all(rtk_runtime_t *rt, std::vector<Tag> &tags)
{
    for (auto &t : tags)
        T_EXPECT(rtk_schedule(rt, record, &t, t.prio) == RTK_OK);
}

/* every (producer, priority) pair's sequence numbers rise; returns how many
 * broke that */
size_t order_breaks(const std::vector<Ran> &ran)
{
    std::map<std::pair<uint32_t, rtk_priority_t>, int64_t> last;
    size_t bad = 0;
    for (const Ran &r : ran) {
        auto key = std::make_pair(r.who, r.prio);
        auto it = last.find(key);
        if (it != last.end() && (int64_t)r.seq <= it->second)
            bad++;
        last[key] = r.seq;
    }
    return bad;
}

void tick_until_idle(rtk_runtime_t *rt)
{
    for (int i = 0; i < 1000000 && !rtk_is_idle(rt); i++)
        REQUIRE(rtk_tick(rt) == 1);
}

} // namespace

TEST_CASE("two producers joined before the loop runs: strict priority order, each "
          "producer's order within a priority", "[work_queue][producers]")
{
    ThreadFailures tf;
    TestRt rt([](rtk_config_t &c) { c.work_queue_capacity = 4096; });
    std::vector<Ran> ran;
    g_ran = &ran;
    auto a = tags_for(0, 1000, {30, 10, 20});
    auto b = tags_for(1, 1000, {20, 10, 30, 40});
    std::thread ta([&] { schedule_all(rt, a); });
    std::thread tb([&] { schedule_all(rt, b); });
    ta.join();
    tb.join();
    CHECK(rt.stats().work_queue_len == 2000);
    tick_until_idle(rt);
    REQUIRE(ran.size() == 2000);
    size_t inversions = 0;
    for (size_t i = 1; i < ran.size(); i++)
        inversions += ran[i].prio < ran[i - 1].prio;
    CHECK(inversions == 0);
    CHECK(order_breaks(ran) == 0);
    CHECK(ran.front().prio == 10);
    CHECK(ran.back().prio == 40);
    CHECK(rt.stats().work_queue_len == 0);
}

TEST_CASE("4 producers while the loop runs: nothing lost, each producer's order kept "
          "within a priority", "[work_queue][producers]")
{
    ThreadFailures tf;
    const uint32_t kN = 50000;
    std::vector<Ran> ran;
    g_ran = &ran;
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.work_queue_capacity = 1u << 16;
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(&cfg, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    std::thread loop([&] { T_EXPECT(rtk_run(rt) == RTK_OK); });
    std::vector<std::vector<Tag>> tags;
    for (uint32_t p = 0; p < 4; p++)
        tags.push_back(tags_for(p, kN, {5, 5, 7}));
    std::atomic<long> full{0}, other{0};
    std::vector<std::thread> ps;
    for (uint32_t p = 0; p < 4; p++)
        ps.emplace_back([&, p] {
            for (auto &t : tags[p]) {
                int rc;
                /* a full queue: try again, so every task runs once */
                while ((rc = rtk_schedule(rt, record, &t, t.prio)) == RTK_EFULL)
                    full++;
                other += rc != RTK_OK;
            }
        });
    for (auto &t : ps)
        t.join();
    /* all accepted: the loop runs them all (a stop would drain only
     * drain_limit of them) */
    REQUIRE(await_true([&] {
        rtk_stats_t s;
        rtk_stats_get(rt, &s);
        return s.tasks_executed == 4 * kN;
    }));
    REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
    loop.join();
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    rtk_runtime_destroy(rt);
    INFO("drops: full " << s.drops[RTK_DROP_WORK_QUEUE_FULL] << " shutdown "
                        << s.drops[RTK_DROP_SHUTDOWN] << " total " << s.drops_total);
    CHECK(other == 0);
    CHECK(ran.size() == 4 * kN);
    CHECK(s.tasks_executed == 4 * kN);
    CHECK(s.drops[RTK_DROP_WORK_QUEUE_FULL] == (uint64_t)full.load());
    CHECK(order_breaks(ran) == 0);
    size_t per[4] = {0, 0, 0, 0};
    for (const Ran &r : ran)
        per[r.who]++;
    CHECK(per[0] == kN);
    CHECK(per[3] == kN);
}

TEST_CASE("a producer's ring grows past its first segment and chains full-size ones, "
          "then reuses them: every task, in order", "[work_queue][producers]")
{
    ThreadFailures tf;
    /* segments double from 64 cells to 4096, then chain: 150 000 tasks
     * queued at once take 64 + ... + 4096 + 35 x 4096 cells */
    const uint32_t kN = 150000;
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = kN;
        c.batch_size = kN;
        c.drain_limit = kN;
    });
    std::vector<Ran> ran;
    g_ran = &ran;
    auto a = tags_for(0, kN, {1});
    for (int round = 0; round < 2; round++) {
        ran.clear();
        std::thread t([&] {
            for (auto &x : a)
                T_EXPECT(rtk_schedule(rt, record, &x, x.prio) == RTK_OK);
            /* full now, to the place */
            T_EXPECT(rtk_schedule(rt, record, &a[0], 1) == RTK_EFULL);
        });
        t.join();
        CHECK(rt.stats().work_queue_len == kN);
        tick_until_idle(rt);
        REQUIRE(ran.size() == kN);
        CHECK(order_breaks(ran) == 0);
        CHECK(ran.back().seq == kN - 1);
    }
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 2);
}

TEST_CASE("a producer's leftover places are taken back when another thread finds the "
          "queue full: the capacity is exact", "[work_queue][producers]")
{
    ThreadFailures tf;
    TestRt rt([](rtk_config_t &c) { c.work_queue_capacity = 4096; });
    std::vector<Ran> ran;
    g_ran = &ran;
    Tag one{0, 0, 0};
    /* A takes a chunk of places and submits one task: the rest idle */
    std::thread ta([&] { T_EXPECT(rtk_schedule(rt, record, &one, 0) == RTK_OK); });
    ta.join();
    CHECK(rt.stats().work_queue_len == 1);
    long ok = 0, full = 0;
    Tag many{1, 0, 0};
    std::thread tb([&] {
        for (int i = 0; i < 5000; i++) {
            int rc = rtk_schedule(rt, record, &many, 0);
            ok += rc == RTK_OK;
            full += rc == RTK_EFULL;
        }
    });
    tb.join();
    CHECK(ok == 4095);
    CHECK(full == 5000 - 4095);
    CHECK(rt.stats().work_queue_len == 4096);
    /* the loop too gets every free place: a task that pushes past capacity
     * after the queue drained */
    tick_until_idle(rt);
    CHECK(ran.size() == 4096);
}

TEST_CASE("a graceful stop with producers holding leftover places returns, and every "
          "accepted task ran", "[work_queue][producers]")
{
    ThreadFailures tf;
    std::vector<Ran> ran;
    g_ran = &ran;
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.work_queue_capacity = 1u << 16; /* chunks of 32 */
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(&cfg, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    std::thread loop([&] { T_EXPECT(rtk_run(rt) == RTK_OK); });
    /* 8 producers, 1001 tasks each: each leaves places of its last chunk */
    std::vector<std::vector<Tag>> tags;
    for (uint32_t p = 0; p < 8; p++)
        tags.push_back(tags_for(p, 1001, {3}));
    std::mutex mu;
    std::condition_variable cv;
    bool release = false;
    std::vector<std::thread> ps;
    for (uint32_t p = 0; p < 8; p++)
        ps.emplace_back([&, p] {
            schedule_all(rt, tags[p]);
            /* alive and idle while the loop stops */
            std::unique_lock<std::mutex> g(mu);
            cv.wait(g, [&] { return release; });
        });
    /* the loop stops only after all were accepted: their places wait */
    REQUIRE(await_true([&] {
        rtk_stats_t s;
        rtk_stats_get(rt, &s);
        return s.tasks_executed == 8 * 1001;
    }));
    REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
    loop.join(); /* hangs if the stop waited for the leftover places */
    {
        std::lock_guard<std::mutex> g(mu);
        release = true;
    }
    cv.notify_all();
    for (auto &t : ps)
        t.join();
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    CHECK(s.tasks_executed == 8 * 1001);
    CHECK(s.work_queue_len == 0);
    CHECK(ran.size() == 8 * 1001);
    CHECK(order_breaks(ran) == 0);
    rtk_runtime_destroy(rt);
}

TEST_CASE("a producer's leftover places do not keep the loop awake",
          "[work_queue][producers]")
{
    ThreadFailures tf;
    TestRt rt([](rtk_config_t &c) { c.work_queue_capacity = 1u << 16; });
    std::vector<Ran> ran;
    g_ran = &ran;
    Tag one{0, 0, 0};
    std::thread t([&] { T_EXPECT(rtk_schedule(rt, record, &one, 0) == RTK_OK); });
    t.join();
    CHECK(rtk_is_idle(rt) == 0);
    CHECK(rtk_prepare_wait(rt) == 0);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(ran.size() == 1);
    CHECK(rtk_is_idle(rt) == 1);
    CHECK(rt.stats().work_queue_len == 0);
    CHECK(rtk_prepare_wait(rt) == -1); /* no timer, no frame: wait for work */
}

TEST_CASE("more producing threads alive than slots: the rest use the shared ring, "
          "nothing lost, each thread's order kept", "[work_queue][producers]")
{
    ThreadFailures tf;
    const uint32_t kThreads = 80, kEach = 20; /* slots: 64 */
    TestRt rt([](rtk_config_t &c) { c.work_queue_capacity = 4096; });
    std::vector<Ran> ran;
    g_ran = &ran;
    std::vector<std::vector<Tag>> tags;
    for (uint32_t p = 0; p < kThreads; p++)
        tags.push_back(tags_for(p, kEach, {2, 1}));
    std::mutex mu;
    std::condition_variable cv;
    uint32_t started = 0;
    std::vector<std::thread> ps;
    for (uint32_t p = 0; p < kThreads; p++)
        ps.emplace_back([&, p] {
            /* all alive at once, so none inherits another's slot */
            {
                std::unique_lock<std::mutex> g(mu);
                started++;
                cv.notify_all();
                cv.wait(g, [&] { return started == kThreads; });
            }
            schedule_all(rt, tags[p]);
        });
    for (auto &t : ps)
        t.join();
    CHECK(rt.stats().work_queue_len == kThreads * kEach);
    tick_until_idle(rt);
    REQUIRE(ran.size() == kThreads * kEach);
    CHECK(order_breaks(ran) == 0);
    size_t inversions = 0;
    for (size_t i = 1; i < ran.size(); i++)
        inversions += ran[i].prio < ran[i - 1].prio;
    CHECK(inversions == 0);
}

TEST_CASE("threads that come and go: each one's tasks run, slots are re-used",
          "[work_queue][producers]")
{
    ThreadFailures tf;
    TestRt rt([](rtk_config_t &c) { c.work_queue_capacity = 4096; });
    std::vector<Ran> ran;
    g_ran = &ran;
    std::vector<std::vector<Tag>> tags;
    for (uint32_t p = 0; p < 300; p++)
        tags.push_back(tags_for(p, 3, {4}));
    for (uint32_t p = 0; p < 300; p++) {
        std::thread t([&, p] {
            schedule_all(rt, tags[p]);
        });
        t.join();
        if (p % 50 == 49)
            tick_until_idle(rt);
    }
    tick_until_idle(rt);
    REQUIRE(ran.size() == 900);
    CHECK(order_breaks(ran) == 0);
    /* the joined threads' places are all free again */
    CHECK(rt.stats().work_queue_len == 0);
}

TEST_CASE("one thread feeding two runtimes, and a runtime re-created: each gets its "
          "own tasks in order", "[work_queue][producers]")
{
    ThreadFailures tf;
    std::vector<Ran> ran_a, ran_b;
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    rtk_runtime_t *a = nullptr, *b = nullptr;
    REQUIRE(rtk_runtime_create(&cfg, &a) == RTK_OK);
    REQUIRE(rtk_runtime_create(&cfg, &b) == RTK_OK);
    REQUIRE(rtk_boot(a) == RTK_OK);
    REQUIRE(rtk_boot(b) == RTK_OK);
    auto ta = tags_for(0, 100, {1});
    auto tb = tags_for(1, 100, {1});
    /* the producer outlives runtime a, and submits to the one created
     * after it was destroyed (maybe at the same address) */
    std::mutex mu;
    std::condition_variable cv;
    int phase = 0;
    rtk_runtime_t *c = nullptr;
    auto tc = tags_for(2, 10, {1});
    std::thread prod([&] {
        for (int i = 0; i < 100; i++) {
            T_EXPECT(rtk_schedule(a, record, &ta[i], 1) == RTK_OK);
            T_EXPECT(rtk_schedule(b, record, &tb[i], 1) == RTK_OK);
        }
        std::unique_lock<std::mutex> g(mu);
        phase = 1;
        cv.notify_all();
        cv.wait(g, [&] { return phase == 2; });
        for (auto &x : tc)
            T_EXPECT(rtk_schedule(c, record, &x, 1) == RTK_OK);
    });
    {
        std::unique_lock<std::mutex> g(mu);
        cv.wait(g, [&] { return phase == 1; });
    }
    g_ran = &ran_a;
    tick_until_idle(a);
    g_ran = &ran_b;
    tick_until_idle(b);
    rtk_runtime_destroy(a);
    REQUIRE(rtk_runtime_create(&cfg, &c) == RTK_OK);
    REQUIRE(rtk_boot(c) == RTK_OK);
    {
        std::lock_guard<std::mutex> g(mu);
        phase = 2;
    }
    cv.notify_all();
    prod.join();
    std::vector<Ran> ran_c;
    g_ran = &ran_c;
    tick_until_idle(c);
    REQUIRE(ran_a.size() == 100);
    REQUIRE(ran_b.size() == 100);
    REQUIRE(ran_c.size() == 10);
    for (uint32_t i = 0; i < 100; i++) {
        CHECK(ran_a[i].who == 0);
        CHECK(ran_a[i].seq == i);
        CHECK(ran_b[i].who == 1);
        CHECK(ran_b[i].seq == i);
    }
    CHECK(ran_c[9].seq == 9);
    CHECK(order_breaks(ran_c) == 0);
    rtk_runtime_destroy(b);
    rtk_runtime_destroy(c);
}

TEST_CASE("a producer's batches and single submits keep its order",
          "[work_queue][producers]")
{
    ThreadFailures tf;
    TestRt rt([](rtk_config_t &c) { c.work_queue_capacity = 8192; });
    std::vector<Ran> ran;
    g_ran = &ran;
    auto a = tags_for(0, 5000, {6});
    std::thread t([&] {
        size_t i = 0;
        while (i < a.size()) {
            if (i % 3 == 0) {
                T_EXPECT(rtk_schedule(rt, record, &a[i], 6) == RTK_OK);
                i++;
                continue;
            }
            size_t n = std::min<size_t>(37, a.size() - i);
            std::vector<rtk_task_desc_t> d(n);
            for (size_t k = 0; k < n; k++) {
                rtk_task_desc_init(&d[k], record, &a[i + k]);
                d[k].priority = 6;
            }
            size_t acc = 0;
            T_EXPECT(rtk_submit_many(rt, d.data(), n, nullptr, &acc) == RTK_OK);
            T_EXPECT(acc == n);
            i += n;
        }
    });
    t.join();
    tick_until_idle(rt);
    REQUIRE(ran.size() == 5000);
    for (uint32_t i = 0; i < 5000; i++)
        REQUIRE(ran[i].seq == i);
}

TEST_CASE("a ring empty for many ticks is still collected at the next pop: a more "
          "urgent task from that thread runs before queued ones",
          "[work_queue][producers]")
{
    ThreadFailures tf;
    TestRt rt([](rtk_config_t &c) { c.batch_size = 64; });
    std::vector<Ran> ran;
    g_ran = &ran;
    /* the producer thread stays alive and submits when told */
    std::mutex mu;
    std::condition_variable cv;
    int asked = 0, done = 0;
    Tag first{0, 0, 50}, urgent{0, 1, 0};
    std::thread prod([&] {
        for (int round = 1; round <= 2; round++) {
            std::unique_lock<std::mutex> g(mu);
            cv.wait(g, [&] { return asked == round; });
            Tag *t = round == 1 ? &first : &urgent;
            T_EXPECT(rtk_schedule(rt, record, t, t->prio) == RTK_OK);
            done = round;
            cv.notify_all();
        }
    });
    auto ask = [&](int round) {
        std::unique_lock<std::mutex> g(mu);
        asked = round;
        cv.notify_all();
        cv.wait(g, [&] { return done == round; });
    };
    ask(1);
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(ran.size() == 1);
    /* many empty ticks over more than the time: the loop stops looking at
     * that ring at each pop (tests/prod_retire.c checks when) */
    for (int i = 0; i < 3 * RETIRE_TICKS_FOR_TEST; i++) {
        rt.clock.advance(RETIRE_NS_FOR_TEST / RETIRE_TICKS_FOR_TEST);
        REQUIRE(rtk_tick(rt) == 1);
    }
    /* a task on the loop queues 5 tasks of priority 100, then has the
     * producer submit one of priority 0 while it still runs */
    Tag later[5];
    for (uint32_t i = 0; i < 5; i++)
        later[i] = {1, i, 100};
    REQUIRE(rt.submit([&] {
        for (auto &t : later)
            T_EXPECT(rtk_schedule(rt, record, &t, t.prio) == RTK_OK);
        ask(2);
        return 0;
    }, 100) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    prod.join();
    REQUIRE(ran.size() == 7);
    CHECK(ran[1].who == 0);
    CHECK(ran[1].seq == 1); /* the urgent one, before the 5 queued earlier */
    for (size_t i = 2; i < 7; i++)
        CHECK(ran[i].who == 1);
}

TEST_CASE("a thread that submits between its own ticks: its ring is collected at the "
          "tick's start, and watched again after it for a tick run elsewhere",
          "[work_queue][producers]")
{
    ThreadFailures tf;
    TestRt rt([](rtk_config_t &c) { c.batch_size = 1; });
    std::vector<Ran> ran;
    g_ran = &ran;
    /* this thread submits between ticks (its own ring), and its first
     * task, run by this thread's tick, queues 3 tasks of priority 50 on
     * the loop's path */
    Tag warm{2, 0, 10}, first{0, 0, 10}, urgent{0, 1, 5};
    /* the ring's first tick adopts it and looks at every ring (a slot was
     * claimed): from the next on, this thread's ticks leave it out */
    REQUIRE(rtk_schedule(rt, record, &warm, warm.prio) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(ran.size() == 1);
    Tag later[3];
    for (uint32_t i = 0; i < 3; i++)
        later[i] = {1, i, 50};
    struct Ctx {
        rtk_runtime_t *rt;
        Tag *first, *later;
    } ctx{rt, &first, later};
    REQUIRE(rtk_schedule(rt, [](void *a) {
                Ctx *c = static_cast<Ctx *>(a);
                g_ran->push_back({c->first->who, c->first->seq, c->first->prio});
                for (int i = 0; i < 3; i++)
                    T_EXPECT(rtk_schedule(c->rt, record, &c->later[i], 50) == RTK_OK);
                return 0;
            }, &ctx, first.prio) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1); /* runs `first` only (batch_size 1) */
    REQUIRE(ran.size() == 2);
    /* between ticks, into this thread's ring again */
    REQUIRE(rtk_schedule(rt, record, &urgent, urgent.prio) == RTK_OK);
    /* the next tick runs on another thread: it finds the urgent task by
     * its look at the rings at its first pop, before the 3 queued earlier */
    std::thread other([&] { T_EXPECT(rtk_tick(rt) == 1); });
    other.join();
    REQUIRE(ran.size() == 3);
    CHECK(ran[2].who == 0);
    CHECK(ran[2].seq == 1);
    while (ran.size() < 6)
        REQUIRE(rtk_tick(rt) == 1);
    for (size_t i = 3; i < 6; i++)
        CHECK(ran[i].who == 1);
}
