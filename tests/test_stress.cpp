// test_stress.cpp - 4 producer threads x 1,000,000 rtk_submit while rtk_run
// runs on its own thread: executed + dropped(WORK_QUEUE_FULL) == 4,000,000
// exactly, and each producer's OK/EFULL returns agree with the counters.
// A second test races a Shutdown command against the producers. Label
// "slow". Cost: ~1 s in a debug build, ~5-10 s under TSan.
#include "run_loop.h"

#include <cstdio>
#include <thread>

namespace {
uint64_t g_ran = 0; /* only the loop thread touches it: TSan checks that */
int stress_task(void *)
{
    ++g_ran;
    return 0;
}

/* rtk_schedule, retried after a yield while the queue is full: its final
 * code; *retries counts the refusals. */
int schedule_retrying(rtk_runtime_t *rt, rtk_task_fn fn, void *arg, rtk_priority_t prio,
                      long *retries)
{
    int rc;
    while ((rc = rtk_schedule(rt, fn, arg, prio)) == RTK_EFULL) {
        ++*retries;
        std::this_thread::yield();
    }
    return rc;
}
} // namespace

TEST_CASE("4 producers x 1M submits while the loop runs: executed + dropped == submitted",
          "[slow][stress]")
{
    const int kProducers = 4;
    const long kPerProducer = 1000000;
    g_ran = 0;
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(&cfg, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);

    std::atomic<int> run_rc{99};
    std::thread loop([&] { run_rc = rtk_run(rt); });

    std::atomic<long> ok{0}, full{0}, other{0};
    std::vector<std::thread> producers;
    auto t0 = std::chrono::steady_clock::now();
    for (int p = 0; p < kProducers; p++)
        producers.emplace_back([&, p] {
            long my_ok = 0, my_full = 0, my_other = 0;
            for (long i = 0; i < kPerProducer; i++) {
                int rc = rtk_schedule(rt, stress_task, nullptr,
                                      static_cast<rtk_priority_t>(p * 50));
                if (rc == RTK_OK)
                    my_ok++;
                else if (rc == RTK_EFULL)
                    my_full++;
                else
                    my_other++;
            }
            ok += my_ok;
            full += my_full;
            other += my_other;
        });
    for (auto &t : producers)
        t.join();
    auto t1 = std::chrono::steady_clock::now();
    REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
    loop.join();
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    rtk_runtime_destroy(rt);

    std::fprintf(stderr, "stress: %.2f s, accepted %ld, dropped %ld (%.1f%%)\n",
                 std::chrono::duration<double>(t1 - t0).count(), ok.load(), full.load(),
                 100.0 * full.load() / (kProducers * kPerProducer));
    CHECK(run_rc == RTK_OK);
    CHECK(other == 0);
    CHECK(ok + full == kProducers * kPerProducer);
    CHECK(s.tasks_executed == static_cast<uint64_t>(ok.load()));
    CHECK(g_ran == static_cast<uint64_t>(ok.load()));
    CHECK(s.drops[RTK_DROP_WORK_QUEUE_FULL] == static_cast<uint64_t>(full.load()));
    CHECK(s.tasks_executed + s.drops[RTK_DROP_WORK_QUEUE_FULL] ==
          static_cast<uint64_t>(kProducers * kPerProducer));
    CHECK(s.drops_total == s.drops[RTK_DROP_WORK_QUEUE_FULL]);
    CHECK(s.work_queue_len == 0);
}

/* Shutdown arrives while 4 producers are still submitting: every submit is
 * accounted for. OK returns are run, or left queued (a producer that passed
 * the state check just before the stop publishes after the drain; destroy
 * discards it as SHUTDOWN); EFULL returns are WORK_QUEUE_FULL drops; ESTATE
 * returns are NOT_RUNNING drops. */
TEST_CASE("shutdown racing 4 producers: every submit is accounted for", "[slow][stress]")
{
    const int kProducers = 4;
    const long kPerProducer = 250000;
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(nullptr, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    g_ran = 0;
    std::atomic<int> run_rc{99};
    std::thread loop([&] { run_rc = rtk_run(rt); });
    std::atomic<long> ok{0}, full{0}, refused{0}, other{0}, progress{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; p++)
        producers.emplace_back([&] {
            long o = 0, f = 0, r = 0, x = 0;
            for (long i = 0; i < kPerProducer; i++) {
                int rc = rtk_schedule(rt, stress_task, nullptr, RTK_PRIORITY_NORMAL);
                if (rc == RTK_OK)
                    o++;
                else if (rc == RTK_EFULL)
                    f++;
                else if (rc == RTK_ESTATE)
                    r++;
                else
                    x++;
                if ((i & 1023) == 0)
                    progress += 1024;
            }
            ok += o;
            full += f;
            refused += r;
            other += x;
        });
    REQUIRE(await_true([&] { return progress.load() >= kProducers * kPerProducer / 2; }, 120));
    REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
    for (auto &t : producers)
        t.join();
    loop.join();
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    rtk_runtime_destroy(rt);
    std::fprintf(stderr, "shutdown race: ok %ld (ran %llu, left %zu), full %ld, refused %ld\n",
                 ok.load(), (unsigned long long)s.tasks_executed, s.work_queue_len, full.load(),
                 refused.load());
    CHECK(run_rc == RTK_OK);
    CHECK(other == 0);
    CHECK(ok + full + refused == kProducers * kPerProducer);
    CHECK(s.tasks_executed == g_ran);
    CHECK(s.tasks_executed + s.drops[RTK_DROP_SHUTDOWN] + s.work_queue_len ==
          static_cast<uint64_t>(ok.load()));
    /* A graceful stop drains: no accepted task may be left behind once
     * rtk_run has returned (a producer that got RTK_OK must see it run). */
    CHECK(s.work_queue_len == 0);
    CHECK(s.drops[RTK_DROP_WORK_QUEUE_FULL] == static_cast<uint64_t>(full.load()));
    CHECK(s.drops[RTK_DROP_NOT_RUNNING] == static_cast<uint64_t>(refused.load()));
}

/* 3 producers send 200 000 tasks each, in runs of 5 of one priority (of 3)
 * so that the loop's collection copies runs into a level and breaks them
 * (tests the run copy's bounds: a 4096-place queue, so levels fill, the
 * ring wraps and producers meet RTK_EFULL and retry). Every task runs once
 * and, per producer, tasks of one priority run in the order sent. */
namespace {
const int kMixProducers = 3;
const uint32_t kMixPer = 200000;
uint32_t g_mix_next[kMixProducers][3]; /* loop thread only */
uint64_t g_mix_ran, g_mix_misordered;
int mix_task(void *arg)
{
    uintptr_t w = reinterpret_cast<uintptr_t>(arg);
    unsigned p = static_cast<unsigned>(w >> 24), lvl = (w >> 22) & 3;
    uint32_t i = static_cast<uint32_t>(w & 0x3FFFFF);
    if (i < g_mix_next[p][lvl])
        g_mix_misordered++;
    g_mix_next[p][lvl] = i + 1;
    g_mix_ran++;
    return 0;
}
} // namespace

TEST_CASE("3 producers, runs of mixed priorities, a small queue: each producer's order "
          "within a priority holds, nothing lost",
          "[slow][stress]")
{
    g_mix_ran = g_mix_misordered = 0;
    for (auto &row : g_mix_next)
        for (auto &v : row)
            v = 0;
    RunLoop r([](rtk_config_t &c) { c.work_queue_capacity = 4096; });
    std::atomic<long> other{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < kMixProducers; p++)
        producers.emplace_back([&, p] {
            long retries = 0;
            for (uint32_t i = 0; i < kMixPer; i++) {
                unsigned lvl = (i / 5 + static_cast<unsigned>(p)) % 3;
                uintptr_t w = static_cast<uintptr_t>(p) << 24 |
                              static_cast<uintptr_t>(lvl) << 22 | i;
                if (schedule_retrying(r.rt, mix_task, reinterpret_cast<void *>(w),
                                      static_cast<rtk_priority_t>(lvl * 100),
                                      &retries) != RTK_OK)
                    other++;
            }
        });
    for (auto &t : producers)
        t.join();
    r.stop();
    rtk_stats_t s = r.stats();
    CHECK(other == 0);
    CHECK(g_mix_misordered == 0);
    CHECK(g_mix_ran == uint64_t{kMixProducers} * kMixPer);
    CHECK(s.tasks_executed == uint64_t{kMixProducers} * kMixPer);
    for (int p = 0; p < kMixProducers; p++)
        for (unsigned lvl = 0; lvl < 3; lvl++)
            CHECK(g_mix_next[p][lvl] > kMixPer - 16); /* each level's last item ran */
}

/* 2 producers send one task per call into a 256-place queue and retry
 * when it is full, as bench_rtk's one-by-one row does with 64 Ki places
 * (the row that hung twice with the count below zero: docs/reliability.md,
 * "The work queue's count"). Refusals, partial chunks and the producers'
 * credit in every state a full queue leaves them; the reclaim race itself
 * is unit.prod_reclaim's. Every task runs, nothing is left counted once
 * the loop has stopped (work_queue_len: a count below zero reads huge),
 * and rtk_runtime_destroy's check that each place still counted is
 * someone's credit holds (debug builds). */
TEST_CASE("2 producers retrying a full 256-place queue: every task runs and no place "
          "is given back twice",
          "[slow][stress]")
{
    const int kProducers = 2;
    const long kPerProducer = 300000;
    g_ran = 0;
    RunLoop r([](rtk_config_t &c) { c.work_queue_capacity = 256; });
    std::atomic<long> retries{0}, other{0};
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; p++)
        producers.emplace_back([&] {
            long n = 0;
            for (long i = 0; i < kPerProducer; i++)
                if (schedule_retrying(r.rt, stress_task, nullptr, RTK_PRIORITY_NORMAL, &n) !=
                    RTK_OK)
                    other++;
            retries += n;
        });
    for (auto &t : producers)
        t.join();
    r.stop();
    rtk_stats_t s = r.stats();
    std::fprintf(stderr, "full queue: %ld retries\n", retries.load());
    CHECK(other == 0);
    CHECK(g_ran == static_cast<uint64_t>(kProducers * kPerProducer));
    CHECK(s.tasks_executed == static_cast<uint64_t>(kProducers * kPerProducer));
    CHECK(s.work_queue_len == 0);
    CHECK(retries > 0); /* the queue was full */
}
