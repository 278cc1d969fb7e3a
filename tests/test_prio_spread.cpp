// test_prio_spread.cpp - the work queue with many distinct priorities (the
// spread, runtime/src/prio_spread.c, beyond the priority FIFO's 64 levels):
// 1 M distinct priorities run in priority order, FIFO within a priority
// holds across the levels and the spread, tasks that push below the running
// priority (the spread's heap) still run in order, posted events over many
// distinct priorities dispatch in order, and the library's memory
// (rtk_test_alloc_live_bytes: built against rtk_faults) is bounded by the
// tasks queued, not by the distinct priorities ever used.
// Cost: ~1-3 s in a debug build (2 M + 1 M + 0.3 M tasks), ~10x under TSan.
#include "alloc_faults.h"
#include "rt_fixture.h"

#include <cstdint>
#include <set>
#include <vector>

namespace {

constexpr uint32_t kN = 1u << 20; // 1 048 576 tasks

// i-th submission's priority: i scrambled (an odd multiplier is a
// bijection on 20 bits), reduced to d values.
uint32_t scrambled(uint32_t i, uint32_t d) { return ((i * 0x9E3779B1u) & (kN - 1)) % d; }

// The run: every task records (priority, submission index) in run order.
struct Run {
    rtk_runtime_t *rt = nullptr;
    std::vector<uint64_t> order; // priority << 32 | index
    uint64_t prev = 0;
    uint64_t bad = 0; // runs out of (priority, index) order
    size_t n = 0;
    void note(uint32_t prio, uint32_t idx)
    {
        uint64_t k = (uint64_t)prio << 32 | idx;
        if (n && k <= prev)
            bad++;
        prev = k;
        n++;
    }
};

Run *g_run;
// the task's arg is its submission index; its priority is told by the
// stats-free way: the index maps back to the priority the test gave it
std::vector<uint32_t> *g_prio_of;

int record(void *arg)
{
    uint32_t idx = (uint32_t)(uintptr_t)arg;
    g_run->note((*g_prio_of)[idx], idx);
    return 0;
}

void run_all(rtk_runtime_t *rt, size_t want)
{
    while (g_run->n < want)
        REQUIRE(rtk_tick(rt) > 0);
}

struct Submit {
    rtk_runtime_t *rt;
    uint32_t from, n;
};

int submit_range(void *arg)
{
    auto *s = static_cast<Submit *>(arg);
    for (uint32_t i = s->from; i < s->from + s->n; i++)
        REQUIRE(rtk_schedule(s->rt, record, (void *)(uintptr_t)i, (*g_prio_of)[i]) == RTK_OK);
    return 0;
}

// Submissions [from, from + n) scheduled by one task, then run.
void schedule_and_run(rtk_runtime_t *rt, uint32_t from, uint32_t n)
{
    Submit s{rt, from, n};
    REQUIRE(rtk_schedule(rt, submit_range, &s, 0) == RTK_OK);
    run_all(rt, n);
}

// A runtime config with room for n tasks queued and run in one batch.
auto room_for(uint32_t n)
{
    return [n](rtk_config_t &c) {
        c.work_queue_capacity = n + 16;
        c.batch_size = n + 16;
    };
}

} // namespace

TEST_CASE("1 M distinct priorities run in priority order in bounded memory", "[work_queue][spread]")
{
    std::vector<uint32_t> prio(kN);
    for (uint32_t i = 0; i < kN; i++)
        // 1 M distinct values, high bits set
        prio[i] = (uint32_t)((i * 0x9E3779B1u) & (kN - 1)) ^ 0xA5000000u;
    g_prio_of = &prio;
    TestRt rt([](rtk_config_t &c) {
        c.work_queue_capacity = kN + 16;
        c.batch_size = kN + 16;
        c.drain_limit = 4 * (kN + 16);
    });
    long base = rtk_test_alloc_live_bytes();
    Run run;
    g_run = &run;
    schedule_and_run(rt, 0, kN);
    CHECK(run.n == kN);
    CHECK(run.bad == 0);
    uint32_t last = 0; // the submission given the highest priority
    while (prio[last] != (0xA5000000u | (kN - 1)))
        last++;
    CHECK(run.prev == ((uint64_t)(0xA5000000u | (kN - 1)) << 32 | last));
    // drained: the ring (64 B a place, allocated at create) is in base; the
    // spread keeps its buffers for the next burst of that size, 1 M slots x
    // 128 B (two item arrays of 56 B, two key arrays of 8 B); the levels
    // keep 64 buffers of 64 items (3.5 KiB each)
    long full = rtk_test_alloc_live_bytes() - base;
    CHECK(full < (long)kN * 128 + 300 * 1024);
    // after a burst of 1000, which needed under a quarter of them, the
    // spread's buffers are given back
    run.n = 0;
    schedule_and_run(rt, 0, 1000);
    CHECK(rtk_test_alloc_live_bytes() - base < 300 * 1024);
    CHECK(rt.stats().drops_total == 0);
}

TEST_CASE("1 M distinct priorities over time, 1024 queued at a time: memory stays flat",
          "[work_queue][spread]")
{
    // each wave uses the next 1024 of 1 M values, scrambled within the wave;
    // the old queue kept a level (and its buffer) for every value ever used
    std::vector<uint32_t> prio(kN);
    for (uint32_t i = 0; i < kN; i++)
        prio[i] = (i & ~1023u) | (uint32_t)((i * 0x9E3779B1u) & 1023u);
    g_prio_of = &prio;
    TestRt rt(room_for(1024));
    long base = rtk_test_alloc_live_bytes(), worst = 0;
    Run run;
    g_run = &run;
    uint64_t bad_waves = 0;
    for (uint32_t from = 0; from < kN; from += 1024) {
        uint64_t bad0 = run.bad;
        run.n = 0; // order is checked within a wave (priorities rise across)
        schedule_and_run(rt, from, 1024);
        if (run.bad != bad0)
            bad_waves++;
        long now = rtk_test_alloc_live_bytes() - base;
        if (now > worst)
            worst = now;
    }
    CHECK(bad_waves == 0);
    // 1024 queued: the spread's 1024 slots x 128 bytes and 64 levels
    CHECK(worst < 512 * 1024);
    CHECK(rt.stats().drops_total == 0);
}

TEST_CASE("FIFO within a priority across the levels and the spread", "[work_queue][spread]")
{
    // 1000 distinct values over 300 000 tasks: 64 get levels, the rest the
    // spread; submission index must rise within each priority
    const uint32_t n = 300000;
    std::vector<uint32_t> prio(n);
    for (uint32_t i = 0; i < n; i++)
        prio[i] = scrambled(i, 1000) * 7;
    g_prio_of = &prio;
    TestRt rt(room_for(n));
    Run run;
    g_run = &run;
    SECTION("submitted by a task (the loop's FIFO)")
    {
        schedule_and_run(rt, 0, n);
    }
    SECTION("submitted from outside a tick (the ring, then the FIFO)")
    {
        Submit s{rt, 0, n};
        submit_range(&s);
        run.n = 0;
        run_all(rt, n);
    }
    CHECK(run.n == n);
    CHECK(run.bad == 0);
    CHECK(run.prev >> 32 == 999u * 7);
}

namespace {
// Each task pushes up to two more at random priorities, many below its own,
// so the spread sees pushes under its running front (its heap) mixed with
// batches. A model (a multiset of what is queued) says what must run next.
struct Chain {
    rtk_runtime_t *rt;
    uint32_t next = 0, limit = 0;
    uint64_t rng = 88172645463325252ull;
    std::vector<uint32_t> *prio;
    uint32_t ran = 0;
    uint64_t not_lowest = 0; // ran while a lower priority waited
    uint64_t not_fifo = 0;   // ran before an earlier task of its priority
    std::multiset<uint32_t> queued;
    std::vector<int64_t> last_idx; // per priority: the last index run
};
Chain *g_chain;
int chain_task(void *arg);
void chain_push(Chain &c, uint32_t p)
{
    uint32_t idx = c.next++;
    (*c.prio)[idx] = p;
    c.queued.insert(p);
    REQUIRE(rtk_schedule(c.rt, chain_task, (void *)(uintptr_t)idx, p) == RTK_OK);
}
int chain_task(void *arg)
{
    Chain &c = *g_chain;
    uint32_t idx = (uint32_t)(uintptr_t)arg, p = (*c.prio)[idx];
    if (*c.queued.begin() != p)
        c.not_lowest++;
    c.queued.erase(c.queued.find(p));
    if (c.last_idx[p] >= (int64_t)idx)
        c.not_fifo++;
    c.last_idx[p] = idx;
    c.ran++;
    for (int k = 0; k < 2 && c.next < c.limit; k++) {
        c.rng ^= c.rng << 13, c.rng ^= c.rng >> 7, c.rng ^= c.rng << 17;
        chain_push(c, (uint32_t)(c.rng % 20000));
    }
    return 0;
}
} // namespace

namespace {
// The priority FIFO's map from a priority's 10-bit hash to its level
// (runtime/src/internal.h, rtk__pf_hash): replicated here to build
// priorities whose hashes collide.
unsigned level_hash(uint32_t p) { return (p * 0x9E3779B1u) >> 22; }

// The next priority after `from` with hash `h`.
uint32_t with_hash(uint32_t from, unsigned h)
{
    uint32_t p = from + 1;
    while (level_hash(p) != h)
        p++;
    return p;
}
} // namespace

TEST_CASE("priorities whose level hashes collide keep FIFO across the levels and the spread",
          "[work_queue][spread]")
{
    // a and b get levels with one hash (the map says "many": a search);
    // c shares it and has no level; d gets a level of its own hash and e
    // shares d's hash with no level (the map names d: e goes to the
    // spread). 61 more levels, then 200 spread priorities; then rounds of
    // a, b, c, d, e and a spread priority, all while both stores hold items
    const uint32_t a = 1000;
    const uint32_t b = with_hash(a, level_hash(a)), c = with_hash(b, level_hash(a));
    const uint32_t d = with_hash(c, (level_hash(a) + 1) & 1023),
                   e = with_hash(d, level_hash(d));
    std::vector<uint32_t> prio;
    for (uint32_t p : {a, b, d})
        prio.push_back(p);
    for (uint32_t i = 0; prio.size() < 64; i++)
        prio.push_back(2000000 + i); // distinct from a..e and the spread's
    for (uint32_t i = 0; i < 200; i++)
        prio.push_back(3000000 + i);
    for (uint32_t r = 0; r < 1000; r++)
        for (uint32_t p : {a, b, c, d, e, 3000000 + r % 200})
            prio.push_back(p);
    const uint32_t n = (uint32_t)prio.size();
    g_prio_of = &prio;
    TestRt rt(room_for(n));
    Run run;
    g_run = &run;
    schedule_and_run(rt, 0, n);
    CHECK(run.n == n);
    CHECK(run.bad == 0);
    CHECK(run.prev == ((uint64_t)3000199 << 32 | (n - 1)));
}

TEST_CASE("tasks pushing below the running priority still run lowest first", "[work_queue][spread]")
{
    const uint32_t n = 300000;
    std::vector<uint32_t> prio(n);
    TestRt rt([n](rtk_config_t &c) {
        c.work_queue_capacity = n + 16;
        c.batch_size = 64;
    });
    Chain c;
    c.rt = rt;
    c.limit = n;
    c.prio = &prio;
    c.last_idx.assign(20000, -1);
    g_chain = &c;
    // a first wave of 5 000 from outside a tick (the ring), then every task
    // adds up to two from inside (the FIFO)
    for (uint32_t i = 0; i < 5000; i++)
        chain_push(c, (uint32_t)((i * 2654435761u) % 20000));
    while (c.ran < n)
        REQUIRE(rtk_tick(rt) > 0);
    CHECK(c.ran == n);
    CHECK(c.not_lowest == 0);
    CHECK(c.not_fifo == 0);
    CHECK(c.queued.empty());
}

TEST_CASE("posted events with many distinct priorities dispatch lowest first, FIFO within one",
          "[events][spread]")
{
    // the event queue is a priority FIFO too: 64 levels, the rest spread;
    // 6000 posts over up to 3000 values
    TestRt rt([](rtk_config_t &c) { c.event_queue_capacity = 6000; });
    std::vector<uint64_t> seen; // priority << 32 | post index
    rt.subscribe(1, RTK_PRIORITY_NORMAL, [&](const rtk_event_t *ev) {
        seen.push_back((uint64_t)ev->priority << 32 | (uint32_t)(uintptr_t)ev->data);
        return RTK_HANDLED;
    });
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t i = 0; i < 6000; i++) {
        uint32_t p = scrambled(i, 3000) * 3;
        lo = p < lo ? p : lo;
        hi = p > hi ? p : hi;
        rtk_event_desc_t d = ev_desc(1, p);
        d.data = (void *)(uintptr_t)i;
        REQUIRE(rtk_event_post(rt, &d, nullptr) == RTK_OK);
    }
    while (seen.size() < 6000)
        REQUIRE(rtk_tick(rt) > 0);
    size_t out_of_order = 0;
    for (size_t i = 1; i < seen.size(); i++)
        if (seen[i] <= seen[i - 1])
            out_of_order++;
    CHECK(out_of_order == 0);
    CHECK(seen.front() >> 32 == lo);
    CHECK(seen.back() >> 32 == hi);
    CHECK(rt.stats().events_dispatched == 6000);
}
