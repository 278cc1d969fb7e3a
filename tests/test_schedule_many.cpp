// test_schedule_many.cpp - rtk_schedule_many (work_queue.c): n tasks of one
// function and priority, task i with args[i]. From another thread the batch
// goes into the thread's ring as blocks, in order with its other submits,
// each task with an id of its own; the longest prefix that fits is taken and
// the refused rest counted as rtk_submit_many counts it; from the loop it
// goes one by one; past the 64 producer slots, through the shared ring; bad
// arguments take nothing and count nothing. Deterministic (rtk_tick) except
// the race, which asserts exact totals and orders.
#include "rt_fixture.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>

namespace {

/* Each task appends its argument (an integer in a pointer) and the id
 * the runtime gave it to the recorder the test points g_rec at. */
struct Rec {
    std::vector<uintptr_t> vals;
    std::vector<rtk_id_t> ids;
};
Rec *g_rec;

int record(void *arg)
{
    g_rec->vals.push_back(reinterpret_cast<uintptr_t>(arg));
    g_rec->ids.push_back(rtk_current_cause()); /* inside a task: its id */
    return 0;
}

std::vector<void *> args_from(uintptr_t base, size_t n)
{
    std::vector<void *> a(n);
    for (size_t i = 0; i < n; i++)
        a[i] = reinterpret_cast<void *>(base + i);
    return a;
}

std::vector<uintptr_t> range(uintptr_t base, size_t n)
{
    std::vector<uintptr_t> v(n);
    for (size_t i = 0; i < n; i++)
        v[i] = base + i;
    return v;
}

} // namespace

TEST_CASE("schedule_many from another thread: in order, each task with its argument "
          "and an id of its own, across blocks and the thread's id blocks",
          "[work_queue][schedule_many]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 8192;
        c.batch_size = 8192;
    });
    Rec rec;
    g_rec = &rec;
    /* 3 tasks (cells one by one), 64 (one block), 5000 (many blocks, more
     * ids than one id block holds), then a single rtk_schedule */
    auto a = args_from(0, 3), b = args_from(100, 64), c = args_from(1000, 5000);
    int rca = -1, rcb = -1, rcc = -1, rcd = -1;
    size_t na = 0, nb = 0, nc = 0;
    std::thread t([&] {
        rca = rtk_schedule_many(rt, record, a.data(), a.size(), RTK_PRIORITY_NORMAL, &na);
        rcb = rtk_schedule_many(rt, record, b.data(), b.size(), RTK_PRIORITY_NORMAL, &nb);
        rcc = rtk_schedule_many(rt, record, c.data(), c.size(), RTK_PRIORITY_NORMAL, &nc);
        rcd = rtk_schedule(rt, record, reinterpret_cast<void *>(9999), RTK_PRIORITY_NORMAL);
    });
    t.join();
    CHECK(rca == RTK_OK);
    CHECK(rcb == RTK_OK);
    CHECK(rcc == RTK_OK);
    CHECK(rcd == RTK_OK);
    CHECK(na == 3);
    CHECK(nb == 64);
    CHECK(nc == 5000);
    CHECK(rt.stats().work_queue_len == 5068);

    REQUIRE(rtk_tick(rt) == 1);
    std::vector<uintptr_t> want = range(0, 3), mid = range(100, 64), last = range(1000, 5000);
    want.insert(want.end(), mid.begin(), mid.end());
    want.insert(want.end(), last.begin(), last.end());
    want.push_back(9999);
    CHECK(rec.vals == want);
    CHECK(rt.stats().tasks_executed == 5068);
    CHECK(rt.stats().work_queue_len == 0);
    /* one thread's ids rise; none is 0 or repeated */
    CHECK(std::count(rec.ids.begin(), rec.ids.end(), rtk_id_t{0}) == 0);
    CHECK(std::is_sorted(rec.ids.begin(), rec.ids.end()));
    CHECK(std::adjacent_find(rec.ids.begin(), rec.ids.end()) == rec.ids.end());
}

TEST_CASE("schedule_many's priority: a HIGH batch sent after a LOW one runs first",
          "[work_queue][schedule_many]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 1000; });
    Rec rec;
    g_rec = &rec;
    auto lo = args_from(0, 40), hi = args_from(500, 40);
    std::thread t([&] {
        REQUIRE(rtk_schedule_many(rt, record, lo.data(), lo.size(), RTK_PRIORITY_LOW,
                                  nullptr) == RTK_OK);
        REQUIRE(rtk_schedule_many(rt, record, hi.data(), hi.size(), RTK_PRIORITY_HIGH,
                                  nullptr) == RTK_OK);
    });
    t.join();
    REQUIRE(rtk_tick(rt) == 1);
    std::vector<uintptr_t> want = range(500, 40), after = range(0, 40);
    want.insert(want.end(), after.begin(), after.end());
    CHECK(rec.vals == want);
}

TEST_CASE("schedule_many takes the prefix that fits and counts the rest as drops",
          "[work_queue][schedule_many]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 10;
        c.batch_size = 100;
    });
    Rec rec;
    g_rec = &rec;
    for (int i = 0; i < 4; i++)
        REQUIRE(rtk_schedule(rt, record, reinterpret_cast<void *>(77), RTK_PRIORITY_NORMAL) ==
                RTK_OK);
    auto a = args_from(0, 16);
    size_t n = 99;
    int rc = -1;
    std::thread t([&] {
        rc = rtk_schedule_many(rt, record, a.data(), a.size(), RTK_PRIORITY_NORMAL, &n);
    });
    t.join();
    CHECK(rc == RTK_EFULL);
    CHECK(n == 6);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 10);
    CHECK(rt.stats().work_queue_len == 10);
    REQUIRE(rtk_tick(rt) == 1);
    std::vector<uintptr_t> want{77, 77, 77, 77, 0, 1, 2, 3, 4, 5};
    CHECK(rec.vals == want);

    /* a full queue: nothing taken, all counted */
    for (int i = 0; i < 10; i++)
        REQUIRE(rtk_schedule(rt, record, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK);
    std::thread t2([&] {
        rc = rtk_schedule_many(rt, record, a.data(), 3, RTK_PRIORITY_NORMAL, &n);
    });
    t2.join();
    CHECK(rc == RTK_EFULL);
    CHECK(n == 0);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 13);
}

TEST_CASE("schedule_many from inside a task: the loop's path, same contract",
          "[work_queue][schedule_many]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 128;
        c.batch_size = 1;
    });
    Rec rec;
    g_rec = &rec;
    auto a = args_from(0, 200);
    size_t n = 0;
    int rc = -1;
    REQUIRE(rt.submit([&] {
        rc = rtk_schedule_many(rt, record, a.data(), a.size(), RTK_PRIORITY_NORMAL, &n);
        return 0;
    }) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    /* the running task's own place was free for its pushes */
    CHECK(rc == RTK_EFULL);
    CHECK(n == 128);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 72);
    CHECK(rt.stats().work_queue_len == 128);
    while (rt.stats().work_queue_len)
        REQUIRE(rtk_tick(rt) == 1);
    CHECK(rec.vals == range(0, 128));
}

TEST_CASE("schedule_many refuses bad arguments whole and counts nothing",
          "[work_queue][schedule_many]")
{
    TestRt rt;
    auto a = args_from(0, 3);
    size_t n = 5;
    CHECK(rtk_schedule_many(nullptr, record, a.data(), 3, RTK_PRIORITY_NORMAL, &n) ==
          RTK_EINVAL);
    CHECK(n == 0);
    n = 5;
    CHECK(rtk_schedule_many(rt, nullptr, a.data(), 3, RTK_PRIORITY_NORMAL, &n) == RTK_EINVAL);
    CHECK(n == 0);
    CHECK(rtk_schedule_many(rt, record, nullptr, 3, RTK_PRIORITY_NORMAL, nullptr) ==
          RTK_EINVAL);
    CHECK(rt.stats().work_queue_len == 0);
    CHECK(rt.stats().drops_total == 0);
    /* an empty batch is fine, without arguments too */
    n = 5;
    CHECK(rtk_schedule_many(rt, record, nullptr, 0, RTK_PRIORITY_NORMAL, &n) == RTK_OK);
    CHECK(n == 0);
    CHECK(rt.stats().work_queue_len == 0);
}

TEST_CASE("schedule_many before boot: nothing taken, each counted NOT_RUNNING",
          "[work_queue][schedule_many]")
{
    TestRt rt({}, /*boot=*/false);
    auto a = args_from(0, 4);
    size_t n = 5;
    CHECK(rtk_schedule_many(rt, record, a.data(), 4, RTK_PRIORITY_NORMAL, &n) == RTK_ESTATE);
    CHECK(n == 0);
    CHECK(rt.drops(RTK_DROP_NOT_RUNNING) == 4);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 0);
}

TEST_CASE("schedule_many past the 64 producer slots: through the shared ring, in order",
          "[work_queue][schedule_many]")
{
    const uint32_t kThreads = 70, kEach = 40; /* slots: 64 */
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 4096;
        c.batch_size = 4096;
    });
    struct Item {
        uint32_t thread, seq;
    };
    std::vector<std::vector<Item>> items(kThreads, std::vector<Item>(kEach));
    std::vector<std::vector<uint32_t>> got(kThreads);
    std::mutex mu;
    std::condition_variable cv;
    uint32_t started = 0;
    std::vector<int> rcs(kThreads, -1);
    std::vector<std::thread> ts;
    for (uint32_t p = 0; p < kThreads; p++)
        ts.emplace_back([&, p] {
            std::vector<void *> a(kEach);
            for (uint32_t i = 0; i < kEach; i++) {
                items[p][i] = Item{p, i};
                a[i] = &items[p][i];
            }
            /* all alive at once, so none inherits another's slot */
            {
                std::unique_lock<std::mutex> g(mu);
                started++;
                cv.notify_all();
                cv.wait(g, [&] { return started == kThreads; });
            }
            rcs[p] = rtk_schedule_many(
                rt,
                [](void *arg) -> int {
                    auto *it = static_cast<Item *>(arg);
                    g_rec->vals.push_back(uintptr_t{it->thread} << 32 | it->seq);
                    return 0;
                },
                a.data(), kEach, RTK_PRIORITY_NORMAL, nullptr);
        });
    for (auto &t : ts)
        t.join();
    CHECK(std::count(rcs.begin(), rcs.end(), RTK_OK) == (long)kThreads);
    CHECK(rt.stats().work_queue_len == kThreads * kEach);
    Rec rec;
    g_rec = &rec;
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(rec.vals.size() == kThreads * kEach);
    for (uintptr_t v : rec.vals)
        got[v >> 32].push_back(static_cast<uint32_t>(v));
    for (uint32_t p = 0; p < kThreads; p++) {
        std::vector<uint32_t> want(kEach);
        for (uint32_t i = 0; i < kEach; i++)
            want[i] = i;
        CHECK(got[p] == want);
    }
}

TEST_CASE("3 producers racing schedule_many batches into 256 places lose nothing, keep order",
          "[work_queue][schedule_many]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 256;
        c.batch_size = 64;
    });
    constexpr uint32_t kProducers = 3, kPer = 20000, kBatch = 50;
    Rec rec;
    g_rec = &rec;
    std::atomic<uint32_t> done{0};
    std::vector<uint64_t> refusals(kProducers, 0);
    std::vector<std::thread> th;
    for (uint32_t p = 0; p < kProducers; p++)
        th.emplace_back([&, p] {
            std::vector<void *> a(kBatch);
            for (uint32_t k = 0; k < kPer; k += kBatch) {
                for (uint32_t i = 0; i < kBatch; i++)
                    a[i] = reinterpret_cast<void *>(uintptr_t{p} << 32 | (k + i));
                for (size_t sent = 0; sent < kBatch;) {
                    size_t n = 0;
                    rtk_schedule_many(rt, record, a.data() + sent, kBatch - sent,
                                      RTK_PRIORITY_NORMAL, &n);
                    sent += n;
                    if (sent < kBatch) {
                        refusals[p]++;
                        std::this_thread::yield();
                    }
                }
            }
            done++;
        });
    uint64_t ran = 0;
    while (done.load() < kProducers || ran < uint64_t{kProducers} * kPer) {
        rtk_tick(rt);
        ran = rt.stats().tasks_executed;
    }
    for (auto &t : th)
        t.join();
    CHECK(rt.stats().tasks_executed == uint64_t{kProducers} * kPer);
    CHECK(rt.stats().tasks_failed == 0);
    CHECK(rt.stats().work_queue_len == 0);
    std::vector<std::vector<uint32_t>> got(kProducers);
    for (uintptr_t v : rec.vals)
        got.at(v >> 32).push_back(static_cast<uint32_t>(v));
    for (uint32_t p = 0; p < kProducers; p++) {
        std::vector<uint32_t> want(kPer);
        for (uint32_t i = 0; i < kPer; i++)
            want[i] = i;
        CHECK(got[p] == want);
    }
    /* every refusal was a drop, none was lost */
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) >= refusals[0] + refusals[1] + refusals[2]);
}
