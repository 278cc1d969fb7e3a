// test_submit_many.cpp - rtk_submit_many (work_queue.c): a batch from
// another thread takes the longest prefix that fits, in order, with ids;
// the refused rest is counted as rtk_submit counts one; bad arguments take
// nothing and count nothing; producers racing batches into a small queue
// lose nothing and keep each producer's order. Deterministic (rtk_tick)
// except the race, which asserts only exact totals and orders.
#include "rt_fixture.h"

#include <algorithm>
#include <atomic>

namespace {

int noop(void *) { return 0; }

/* n descriptors whose tasks append base + i to rec */
std::vector<rtk_task_desc_t> recording(TestRt &rt, Recorder &rec, int base, int n,
                                       rtk_priority_t prio = RTK_PRIORITY_NORMAL)
{
    std::vector<rtk_task_desc_t> d(n);
    for (int i = 0; i < n; i++) {
        rtk_task_desc_init(&d[i], &TestRt::run_fn, rt.keep([&rec, v = base + i] {
            rec.add(v);
            return 0;
        }));
        d[i].priority = prio;
    }
    return d;
}

/* n descriptors of no-op tasks */
std::vector<rtk_task_desc_t> noops(size_t n)
{
    std::vector<rtk_task_desc_t> d(n);
    for (auto &x : d)
        rtk_task_desc_init(&x, noop, nullptr);
    return d;
}

} // namespace

TEST_CASE("submit_many from another thread queues the batch in order with ids",
          "[work_queue][submit_many]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 1000;
        c.batch_size = 1000;
    });
    Recorder rec;
    auto a = recording(rt, rec, 0, 100), b = recording(rt, rec, 100, 150);
    std::vector<rtk_id_t> ida(100, 0), idb(150, 0);
    int rca = -1, rcb = -1;
    size_t na = 0, nb = 0;
    std::thread t([&] {
        rca = rtk_submit_many(rt, a.data(), a.size(), ida.data(), &na);
        rcb = rtk_submit_many(rt, b.data(), b.size(), idb.data(), &nb);
    });
    t.join();
    CHECK(rca == RTK_OK);
    CHECK(rcb == RTK_OK);
    CHECK(na == 100);
    CHECK(nb == 150);
    CHECK(rt.stats().work_queue_len == 250);

    std::vector<rtk_id_t> ids(ida);
    ids.insert(ids.end(), idb.begin(), idb.end());
    CHECK(std::count(ids.begin(), ids.end(), rtk_id_t{0}) == 0);
    CHECK(std::is_sorted(ids.begin(), ids.end())); /* one thread's id block */
    CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());

    REQUIRE(rtk_tick(rt) == 1);
    std::vector<int> want(250);
    for (int i = 0; i < 250; i++)
        want[i] = i;
    CHECK(rec.get() == want);
    CHECK(rt.stats().tasks_executed == 250);
    CHECK(rt.stats().work_queue_len == 0);
}

TEST_CASE("submit_many takes the prefix that fits and counts the rest as drops",
          "[work_queue][submit_many]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 10;
        c.batch_size = 100;
    });
    for (int i = 0; i < 4; i++)
        REQUIRE(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK);
    Recorder rec;
    auto d = recording(rt, rec, 0, 16);
    std::vector<rtk_id_t> ids(16, 12345);
    size_t n = 99;
    int rc = -1;
    std::thread t([&] { rc = rtk_submit_many(rt, d.data(), d.size(), ids.data(), &n); });
    t.join();
    CHECK(rc == RTK_EFULL);
    CHECK(n == 6);
    for (int i = 0; i < 6; i++)
        CHECK(ids[i] != 0);
    for (int i = 6; i < 16; i++)
        CHECK(ids[i] == 0);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 10);
    CHECK(rt.stats().work_queue_len == 10);

    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rec.get() == std::vector<int>{0, 1, 2, 3, 4, 5});
    CHECK(rt.stats().tasks_executed == 10);

    /* a full queue: nothing taken, all counted */
    for (int i = 0; i < 10; i++)
        REQUIRE(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK);
    std::thread t2([&] { rc = rtk_submit_many(rt, d.data(), 3, ids.data(), &n); });
    t2.join();
    CHECK(rc == RTK_EFULL);
    CHECK(n == 0);
    CHECK(ids[0] == 0);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 13);
}

TEST_CASE("submit_many from inside a task: the loop's path, same contract",
          "[work_queue][submit_many]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 128;
        c.batch_size = 1;
    });
    auto d = noops(200);
    std::vector<rtk_id_t> ids(200, 7);
    size_t n = 0;
    int rc = -1;
    REQUIRE(rt.submit([&] {
        rc = rtk_submit_many(rt, d.data(), d.size(), ids.data(), &n);
        return 0;
    }) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    /* the running task's own place was free for its pushes */
    CHECK(rc == RTK_EFULL);
    CHECK(n == 128);
    CHECK(ids[127] != 0);
    CHECK(ids[128] == 0);
    CHECK(ids[199] == 0);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 72);
    CHECK(rt.stats().work_queue_len == 128);
}

TEST_CASE("submit_many keeps priorities: a batch of mixed priorities runs in order",
          "[work_queue][submit_many]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 100; });
    Recorder rec;
    auto lo = recording(rt, rec, 0, 3, RTK_PRIORITY_LOW);
    auto hi = recording(rt, rec, 10, 2, RTK_PRIORITY_HIGH);
    std::vector<rtk_task_desc_t> mixed{lo[0], hi[0], lo[1], hi[1], lo[2]};
    int rc = -1;
    std::thread t([&] { rc = rtk_submit_many(rt, mixed.data(), mixed.size(), nullptr, nullptr); });
    t.join();
    CHECK(rc == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(rec.get() == std::vector<int>{10, 11, 0, 1, 2});
}

TEST_CASE("submit_many refuses bad arguments whole and counts nothing",
          "[work_queue][submit_many]")
{
    TestRt rt;
    auto d = noops(3);
    size_t n = 5;
    CHECK(rtk_submit_many(nullptr, d.data(), 3, nullptr, &n) == RTK_EINVAL);
    CHECK(n == 0);
    CHECK(rtk_submit_many(rt, nullptr, 3, nullptr, nullptr) == RTK_EINVAL);
    d[2].fn = nullptr; /* the last one: nothing before it is taken either */
    CHECK(rtk_submit_many(rt, d.data(), 3, nullptr, &n) == RTK_EINVAL);
    CHECK(n == 0);
    CHECK(rt.stats().work_queue_len == 0);
    CHECK(rt.stats().drops_total == 0);
    /* an empty batch is fine */
    n = 5;
    CHECK(rtk_submit_many(rt, nullptr, 0, nullptr, &n) == RTK_OK);
    CHECK(n == 0);
}

TEST_CASE("submit_many before boot: nothing taken, each counted NOT_RUNNING",
          "[work_queue][submit_many]")
{
    TestRt rt({}, /*boot=*/false);
    auto d = noops(4);
    std::vector<rtk_id_t> ids(4, 9);
    size_t n = 5;
    CHECK(rtk_submit_many(rt, d.data(), 4, ids.data(), &n) == RTK_ESTATE);
    CHECK(n == 0);
    CHECK(ids == std::vector<rtk_id_t>(4, 0));
    CHECK(rt.drops(RTK_DROP_NOT_RUNNING) == 4);
    CHECK(rt.drops(RTK_DROP_WORK_QUEUE_FULL) == 0);
}

TEST_CASE("3 producers racing batches into 256 places lose nothing, keep order",
          "[work_queue][submit_many]")
{
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = 256;
        c.batch_size = 64;
    });
    constexpr int kProducers = 3, kPer = 20000, kBatch = 50;
    std::vector<std::vector<int>> got(kProducers);
    std::atomic<int> done{0};
    struct Ctx {
        std::vector<int> *out;
        int seq;
    };
    /* one task per item: appends its sequence number to its producer's list */
    auto run = [](void *arg) -> int {
        auto *c = static_cast<Ctx *>(arg);
        c->out->push_back(c->seq);
        return 0;
    };
    std::vector<std::vector<Ctx>> ctx(kProducers, std::vector<Ctx>(kPer));
    std::vector<uint64_t> refusals(kProducers, 0);
    std::vector<std::thread> th;
    for (int p = 0; p < kProducers; p++)
        th.emplace_back([&, p] {
            std::vector<rtk_task_desc_t> d(kBatch);
            for (int k = 0; k < kPer; k += kBatch) {
                for (int i = 0; i < kBatch; i++) {
                    ctx[p][k + i] = Ctx{&got[p], k + i};
                    rtk_task_desc_init(&d[i], run, &ctx[p][k + i]);
                }
                for (size_t sent = 0; sent < (size_t)kBatch;) {
                    size_t n = 0;
                    rtk_submit_many(rt, d.data() + sent, kBatch - sent, nullptr, &n);
                    sent += n;
                    if (sent < (size_t)kBatch) {
                        refusals[p]++;
                        std::this_thread::yield();
                    }
                }
            }
            done++;
        });
    uint64_t ran = 0;
    while (done.load() < kProducers || ran < (uint64_t)kProducers * kPer) {
        rtk_tick(rt);
        ran = rt.stats().tasks_executed;
    }
    for (auto &t : th)
        t.join();
    CHECK(rt.stats().tasks_executed == (uint64_t)kProducers * kPer);
    CHECK(rt.stats().tasks_failed == 0);
    CHECK(rt.stats().work_queue_len == 0);
    for (int p = 0; p < kProducers; p++) {
        REQUIRE(got[p].size() == (size_t)kPer);
        std::vector<int> want(kPer);
        for (int i = 0; i < kPer; i++)
            want[i] = i;
        CHECK(got[p] == want);
    }
    /* every refusal was a drop, none was lost */
    uint64_t drops = rt.drops(RTK_DROP_WORK_QUEUE_FULL);
    CHECK(drops >= refusals[0] + refusals[1] + refusals[2]);
}
