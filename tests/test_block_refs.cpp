// test_block_refs.cpp - blocks the loop's FIFO refers to instead of copying
// (runtime/src/work_queue.c, refer_block; wq_producers.c,
// rtk__prod_take_block), and the executor's run of a block's tasks without
// a pop each (executor.c, run_block). A batch of 4 or more tasks from
// another thread stays in that thread's ring until its last task is
// popped, so: the run stops when a task queues another, when another
// thread sends a more urgent one, when a task runs a tick itself, and an
// abandoned task leaves the rest to run; and the
// producer must not write over a block that is still waiting while it runs
// ahead through its ring (segments grow, are left behind and come back);
// the tasks keep their values, ids and order; a more urgent task queued by
// one of a block's tasks goes before the rest of the block; batch_size
// splits a block across ticks; a runtime destroyed with blocks waiting
// frees their segments (ASan's leak check). Every case runs twice: the
// tasks sent in batches (blocks), then one per call (series of task
// cells, which the loop refers to and runs the same way: work_queue.c,
// series_len). One producer thread driven
// step by step from the test thread, the loop ticked by the test thread:
// deterministic.
#include "abandon.h"
#include "rt_fixture.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace {

/* How the cases send their tasks: in one rtk_submit_many (a block), or
 * one rtk_submit each (a series of task cells, which the loop refers to
 * as to a block: work_queue.c, series_len). Every case runs both ways:
 * BOTH_WAYS() at its start. */
bool g_single;
#define BOTH_WAYS() (g_single = GENERATE(false, true))

/* Catch's assertions are for the test's own thread: the producer counts
 * its failures here, checked at the end of each case */
std::atomic<long> g_thread_failures{0};
#define T_EXPECT(e) ((e) ? (void)0 : (void)g_thread_failures++)
struct ThreadFailures {
    ThreadFailures() { g_thread_failures = 0; }
    ~ThreadFailures() { CHECK(g_thread_failures == 0); }
};

/* One tick; how many tasks it ran. */
size_t tick(rtk_runtime_t *rt)
{
    rtk_stats_t a, b;
    rtk_stats_get(rt, &a);
    REQUIRE(rtk_tick(rt) == 1);
    rtk_stats_get(rt, &b);
    return (size_t)(b.tasks_executed - a.tasks_executed);
}

void tick_until_idle(rtk_runtime_t *rt)
{
    for (int i = 0; i < 1000000 && !rtk_is_idle(rt); i++)
        REQUIRE(rtk_tick(rt) == 1);
}

/* What ran: the value a task was given and the id it ran as. */
struct Ran {
    intptr_t v;
    rtk_id_t id;
};
std::vector<Ran> *g_ran;
TestRt *g_rt;

int record(void *arg)
{
    g_ran->push_back({(intptr_t)arg, rtk_current_cause()});
    return 0;
}

/* A thread that runs the test's jobs one at a time, each to its end before
 * run() returns: one producer (one ring) across the test's steps. */
class Producer {
public:
    Producer() : t_([this] { loop(); }) {}
    ~Producer()
    {
        run(nullptr);
        t_.join();
    }
    void run(std::function<void()> job)
    {
        std::unique_lock<std::mutex> lk(mu_);
        job_ = std::move(job);
        has_ = true;
        stop_ = !job_;
        cv_.notify_all();
        cv_.wait(lk, [this] { return !has_; });
    }

private:
    void loop()
    {
        for (;;) {
            std::unique_lock<std::mutex> lk(mu_);
            cv_.wait(lk, [this] { return has_; });
            if (stop_) {
                has_ = false;
                cv_.notify_all();
                return;
            }
            job_();
            has_ = false;
            cv_.notify_all();
        }
    }
    std::mutex mu_;
    std::condition_variable cv_;
    std::function<void()> job_;
    bool has_ = false, stop_ = false;
    std::thread t_;
};

/* What every case sets up: thread failures counted, a runtime of
 * `capacity` places running `batch` tasks a tick (render: its callback),
 * the record of what ran, one producer thread. */
struct Rig {
    ThreadFailures tf;
    TestRt rt;
    std::vector<Ran> ran;
    Producer p;
    Rig(size_t capacity, size_t batch, void (*render)(rtk_runtime_t *, void *) = nullptr)
        : rt([=](rtk_config_t &c) {
              c.work_queue_capacity = capacity;
              c.batch_size = batch;
              c.render = render;
          })
    {
        g_ran = &ran;
        g_rt = &rt;
    }
};

/* The n tasks of d sent the case's way, their ids into ids[0 .. n). */
void send(rtk_runtime_t *rt, const rtk_task_desc_t *d, size_t n, rtk_id_t *ids)
{
    if (g_single) {
        for (size_t i = 0; i < n; i++)
            T_EXPECT(rtk_submit(rt, &d[i], &ids[i]) == RTK_OK);
        return;
    }
    size_t taken = 0;
    T_EXPECT(rtk_submit_many(rt, d, n, ids, &taken) == RTK_OK);
    T_EXPECT(taken == n);
}

/* `n` tasks at `prio` recording values base .. base + n - 1, sent the
 * case's way; their ids appended to ids. */
void submit_block(rtk_runtime_t *rt, intptr_t base, size_t n, rtk_priority_t prio,
                  std::vector<rtk_id_t> &ids)
{
    std::vector<rtk_task_desc_t> d(n);
    for (size_t i = 0; i < n; i++) {
        rtk_task_desc_init(&d[i], record, (void *)(base + (intptr_t)i));
        d[i].priority = prio;
    }
    std::vector<rtk_id_t> got(n, 0);
    send(rt, d.data(), n, got.data());
    ids.insert(ids.end(), got.begin(), got.end());
}

std::vector<Ran> expected(intptr_t base, size_t n, const std::vector<rtk_id_t> &ids,
                          size_t id0)
{
    std::vector<Ran> w;
    for (size_t i = 0; i < n; i++)
        w.push_back({base + (intptr_t)i, ids[id0 + i]});
    return w;
}

bool same(const std::vector<Ran> &a, const std::vector<Ran> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); i++)
        if (a[i].v != b[i].v || a[i].id != b[i].id)
            return false;
    return true;
}

} // namespace

TEST_CASE("a waiting block keeps its cells while its producer runs through "
          "several segments, values, ids and order kept",
          "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    Rig r(1u << 16, 10);
    TestRt &rt = r.rt;
    std::vector<Ran> &ran = r.ran;
    Producer &p = r.p;
    std::vector<rtk_id_t> low, high;
    /* two blocks of 64 at a low priority (33 cells each): the first
     * segment (64 cells) holds one, the second goes to the next segment */
    p.run([&] {
        submit_block(rt, 0, 64, 10, low);
        submit_block(rt, 64, 64, 10, low);
    });
    REQUIRE(tick(rt) == 10); /* referred to, 10 run */
    /* 300 blocks of 64 more urgent ones, written while those wait: the
     * ring moves through segments of 128 .. 4096 cells, several times
     * round the largest */
    p.run([&] {
        for (int b = 0; b < 300; b++)
            submit_block(rt, 1000 + b * 64, 64, 5, high);
    });
    tick_until_idle(rt);
    std::vector<Ran> want = expected(0, 10, low, 0);
    std::vector<Ran> h = expected(1000, 300 * 64, high, 0);
    want.insert(want.end(), h.begin(), h.end());
    std::vector<Ran> l = expected(10, 118, low, 10);
    want.insert(want.end(), l.begin(), l.end());
    REQUIRE(ran.size() == want.size());
    CHECK(same(ran, want));
    CHECK(rt.stats().work_queue_len == 0);
    CHECK(rt.stats().tasks_executed == want.size());

    /* the segments came back: another round of the same runs the same */
    ran.clear();
    low.clear();
    high.clear();
    p.run([&] {
        submit_block(rt, 0, 64, 10, low);
        for (int b = 0; b < 300; b++)
            submit_block(rt, 1000 + b * 64, 64, 5, high);
    });
    tick_until_idle(rt);
    want = expected(1000, 300 * 64, high, 0);
    l = expected(0, 64, low, 0);
    want.insert(want.end(), l.begin(), l.end());
    CHECK(same(ran, want));
}

TEST_CASE("blocks left behind by more urgent ones at every segment: order kept and "
          "nothing lost, past the segments they may keep",
          "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    /* rounds of a low block of 4 and 8000 urgent tasks (80 blocks of 100,
     * about one largest segment of 4096 cells), each tick running exactly
     * the urgent ones: every low block waits in a segment of its own that
     * the loop reads past. Kept segments soon outgrow what copies of the
     * low tasks would take (RTK__HELD_CELLS), and from then on the low
     * blocks are copied into the FIFO: both kinds queue in order. (The
     * bound itself: tests/block_held.c.) */
    Rig r(1u << 15, 8000);
    TestRt &rt = r.rt;
    std::vector<Ran> &ran = r.ran;
    Producer &p = r.p;
    std::vector<rtk_id_t> low, high;
    std::vector<Ran> want_high, want_low;
    for (int k = 0; k < 12; k++) {
        const intptr_t base = 1000000 * (k + 1);
        size_t l0 = low.size(), h0 = high.size();
        p.run([&] {
            submit_block(rt, base, 4, 20, low);
            for (int b = 0; b < 80; b++)
                submit_block(rt, base + 1000 + b * 100, 100, 3, high);
        });
        std::vector<Ran> w = expected(base + 1000, 8000, high, h0);
        want_high.insert(want_high.end(), w.begin(), w.end());
        w = expected(base, 4, low, l0);
        want_low.insert(want_low.end(), w.begin(), w.end());
        REQUIRE(tick(rt) == 8000);
        CHECK(rt.stats().work_queue_len == 4 * (size_t)(k + 1));
    }
    tick_until_idle(rt);
    std::vector<Ran> want = want_high;
    want.insert(want.end(), want_low.begin(), want_low.end());
    REQUIRE(ran.size() == want.size());
    CHECK(same(ran, want));
    CHECK(rt.stats().work_queue_len == 0);
}

TEST_CASE("a more urgent task queued by a block's task runs before the rest of "
          "the block, one at the block's priority after it",
          "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    Rig r(1024, 1000);
    TestRt &rt = r.rt;
    std::vector<Ran> &ran = r.ran;
    Producer &p = r.p;
    std::vector<rtk_id_t> ids;
    /* task 3 of the block queues 900 (urgent) and 901 (the block's
     * priority) */
    auto third = [](void *) {
        g_ran->push_back({3, rtk_current_cause()});
        rtk_schedule(*g_rt, record, (void *)900, 1);
        rtk_schedule(*g_rt, record, (void *)901, 50);
        return 0;
    };
    p.run([&] {
        std::vector<rtk_task_desc_t> d(8);
        for (size_t i = 0; i < 8; i++) {
            rtk_task_desc_init(&d[i], i == 3 ? +third : record, (void *)(intptr_t)i);
            d[i].priority = 50;
        }
        ids.resize(8);
        send(rt, d.data(), 8, ids.data());
    });
    REQUIRE(tick(rt) == 10);
    std::vector<intptr_t> vs;
    for (auto &r : ran)
        vs.push_back(r.v);
    CHECK(vs == std::vector<intptr_t>{0, 1, 2, 3, 900, 4, 5, 6, 7, 901});
    for (size_t i = 0; i < 4; i++)
        CHECK(ran[i].id == ids[i]);
    for (size_t i = 4; i < 8; i++)
        CHECK(ran[i + 1].id == ids[i]);
}

TEST_CASE("batch_size splits a block across ticks, its places counted exactly",
          "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    Rig r(256, 5);
    TestRt &rt = r.rt;
    std::vector<Ran> &ran = r.ran;
    Producer &p = r.p;
    std::vector<rtk_id_t> ids;
    p.run([&] { submit_block(rt, 0, 200, 7, ids); });
    CHECK(rt.stats().work_queue_len == 200);
    for (size_t k = 1; k <= 40; k++) {
        REQUIRE(tick(rt) == 5);
        CHECK(rt.stats().work_queue_len == 200 - 5 * k);
    }
    CHECK(tick(rt) == 0);
    CHECK(same(ran, expected(0, 200, ids, 0)));
    /* every place free again: another thread gets exactly the capacity */
    size_t got = 0;
    p.run([&] {
        std::vector<rtk_id_t> more;
        for (int b = 0; b < 4; b++)
            submit_block(rt, 1000 + b * 64, 64, 7, more);
        got = more.size();
    });
    CHECK(got == 256);
    CHECK(rt.stats().work_queue_len == 256);
}

TEST_CASE("a runtime destroyed with blocks waiting in segments read past frees "
          "them", "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    std::vector<rtk_id_t> low, high;
    {
        Rig r(1u << 16, 3);
        r.p.run([&] {
            submit_block(r.rt, 0, 8, 20, low);
            for (int b = 0; b < 80; b++)
                submit_block(r.rt, 1000 + b * 100, 100, 3, high);
        });
        REQUIRE(tick(r.rt) == 3);
        CHECK(r.ran.size() == 3);
        CHECK(r.rt.stats().work_queue_len == 8 + 8000 - 3);
    } /* destroyed here: the waiting tasks dropped, the segments freed (the
         leak check of the sanitizer builds) */
}

TEST_CASE("a block waiting in the segment its producer writes is not written over "
          "when the producer laps the segment", "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    Rig r(256, 40);
    TestRt &rt = r.rt;
    std::vector<Ran> &ran = r.ran;
    Producer &p = r.p;
    std::vector<rtk_id_t> warm, low, high;
    /* the ring grown to its largest segment, and read to its end */
    p.run([&] {
        for (int b = 0; b < 30; b++)
            submit_block(rt, 500000 + b * 8, 8, 3, warm);
    });
    tick_until_idle(rt);
    REQUIRE(ran.size() == 240);
    ran.clear();
    /* a low block behind four urgent ones; then rounds of five urgent
     * blocks queued and 40 tasks run, so that the low block waits while
     * the producer goes round the segment several times (25 cells a
     * round, 30 rounds) */
    p.run([&] {
        submit_block(rt, 0, 8, 20, low);
        for (int b = 0; b < 4; b++)
            submit_block(rt, 1000 + b * 8, 8, 3, high);
    });
    for (int r = 0; r < 30; r++) {
        p.run([&] {
            for (int b = 0; b < 5; b++)
                submit_block(rt, 1000 + (intptr_t)high.size(), 8, 3, high);
        });
        REQUIRE(tick(rt) == 40);
    }
    tick_until_idle(rt);
    std::vector<Ran> want = expected(1000, high.size(), high, 0);
    std::vector<Ran> l = expected(0, 8, low, 0);
    want.insert(want.end(), l.begin(), l.end());
    REQUIRE(ran.size() == want.size());
    CHECK(same(ran, want));
    CHECK(rt.stats().work_queue_len == 0);
}

namespace {
int g_step;              /* which task of the block does something */
int g_abandon_count;     /* test_task_abandon_deep's counter */

/* A block of n tasks at prio recording 0 .. n - 1, task g_step doing
 * `special` instead (which records its own value first). */
void submit_special(Producer &p, rtk_runtime_t *rt, size_t n, rtk_priority_t prio,
                    rtk_task_fn special, std::vector<rtk_id_t> &ids)
{
    p.run([&] {
        std::vector<rtk_task_desc_t> d(n);
        for (size_t i = 0; i < n; i++) {
            rtk_task_desc_init(&d[i], (int)i == g_step ? special : record,
                               (void *)(intptr_t)i);
            d[i].priority = prio;
        }
        ids.resize(n);
        send(rt, d.data(), n, ids.data());
    });
}

std::vector<intptr_t> values(const std::vector<Ran> &ran)
{
    std::vector<intptr_t> v;
    for (auto &r : ran)
        v.push_back(r.v);
    return v;
}
} // namespace

TEST_CASE("a more urgent task another thread sends while a block runs goes "
          "before the block's next task", "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    Rig r(1024, 1000);
    TestRt &rt = r.rt;
    std::vector<Ran> &ran = r.ran;
    Producer &p = r.p;
    g_step = 2;
    std::vector<rtk_id_t> ids;
    /* task 2 has a thread of its own send 700 at priority 1, and waits
     * for it: the task is published before task 3 would start */
    submit_special(p, rt, 8, 30,
                   [](void *arg) {
                       g_ran->push_back({(intptr_t)arg, rtk_current_cause()});
                       std::thread t([] {
                           T_EXPECT(rtk_schedule(*g_rt, record, (void *)700, 1) ==
                                    RTK_OK);
                       });
                       t.join();
                       return 0;
                   },
                   ids);
    REQUIRE(tick(rt) == 9);
    CHECK(values(ran) == std::vector<intptr_t>{0, 1, 2, 700, 3, 4, 5, 6, 7});
    CHECK(ran[4].id == ids[3]);
    CHECK(ran[8].id == ids[7]);
}

TEST_CASE("a tick run by a block's task takes the block's next tasks, the outer "
          "batch goes on after them, each task once",
          "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    Rig r(1024, 8);
    TestRt &rt = r.rt;
    std::vector<Ran> &ran = r.ran;
    Producer &p = r.p;
    g_step = 3;
    std::vector<rtk_id_t> ids;
    /* 20 tasks; task 3 ticks, which runs 8 more (4 .. 11) inside it; the
     * block's item stays in the FIFO, its next task 12 */
    submit_special(p, rt, 20, 5,
                   [](void *arg) {
                       g_ran->push_back({(intptr_t)arg, rtk_current_cause()});
                       rtk_tick(*g_rt);
                       return 0;
                   },
                   ids);
    tick_until_idle(rt);
    std::vector<intptr_t> want;
    for (intptr_t i = 0; i < 20; i++)
        want.push_back(i);
    CHECK(values(ran) == want);
    for (size_t i = 0; i < ran.size() && i < ids.size(); i++)
        CHECK(ran[i].id == ids[i]);
    CHECK(rt.stats().tasks_executed == 20);
    CHECK(rt.stats().work_queue_len == 0);
}

TEST_CASE("a block's task abandoned mid-run: counted failed, the block's rest "
          "runs with its ids", "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    Rig r(1024, 1000);
    TestRt &rt = r.rt;
    std::vector<Ran> &ran = r.ran;
    Producer &p = r.p;
    std::vector<rtk_id_t> ids;
    g_abandon_count = 0;
    p.run([&] {
        std::vector<rtk_task_desc_t> d(10);
        for (size_t i = 0; i < 10; i++)
            rtk_task_desc_init(&d[i], record, (void *)(intptr_t)i);
        rtk_task_desc_init(&d[4], test_task_abandon_deep, &g_abandon_count);
        ids.resize(10);
        send(rt, d.data(), 10, ids.data());
    });
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(g_abandon_count == 1);
    CHECK(values(ran) == std::vector<intptr_t>{0, 1, 2, 3, 5, 6, 7, 8, 9});
    CHECK(ran[4].id == ids[5]);
    CHECK(ran[8].id == ids[9]);
    CHECK(rt.stats().tasks_executed == 9);
    CHECK(rt.stats().tasks_failed == 1);
    CHECK(rt.stats().work_queue_len == 0);
}

namespace {
void on_render(rtk_runtime_t *, void *) { g_ran->push_back({-1, 0}); }
} // namespace

TEST_CASE("a render requested by a block's task runs before the block's next task "
          "when the block is below render priority, after the block when above",
          "[work_queue][producers][blocks][render]")
{
    BOTH_WAYS();
    g_step = 2;
    auto request = [](void *arg) {
        g_ran->push_back({(intptr_t)arg, rtk_current_cause()});
        rtk_render_request(*g_rt);
        return 0;
    };
    for (rtk_priority_t prio : {RTK_PRIORITY_LOW, RTK_PRIORITY_HIGH}) {
        Rig r(1024, 1000, on_render); /* render_priority: NORMAL */
        std::vector<rtk_id_t> ids;
        submit_special(r.p, r.rt, 6, prio, request, ids);
        REQUIRE(rtk_tick(r.rt) == 1);
        const std::vector<Ran> &ran = r.ran;
        if (prio == RTK_PRIORITY_LOW)
            CHECK(values(ran) == std::vector<intptr_t>{0, 1, 2, -1, 3, 4, 5});
        else
            CHECK(values(ran) == std::vector<intptr_t>{0, 1, 2, 3, 4, 5, -1});
    }
}

/* The run counts a block's tasks by stretch (executor.c, blk_pay): what a
 * task can see of the counts must be what a count per task gives. */
namespace {
struct Seen {
    size_t queued;
    uint64_t executed, failed;
};
std::vector<Seen> *g_seen;
/* Task k of the case below: fails (returns 1) when k % 7 == 3. */
bool fails(size_t k)
{
    return k % 7 == 3;
}
int look(void *arg)
{
    g_ran->push_back({(intptr_t)arg, rtk_current_cause()});
    rtk_stats_t s = (*g_rt).stats();
    g_seen->push_back({s.work_queue_len, s.tasks_executed, s.tasks_failed});
    return fails((size_t)(intptr_t)arg) ? 1 : 0;
}
} // namespace

TEST_CASE("each of a block's tasks sees the queue's length and the executed "
          "and failed counts exact, across stretches the places aside cut",
          "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    /* 256 places: 4 of credit, so at most 9 tasks a stretch; 60 tasks, in
     * the producer's first segment (the loop refers to the block) */
    const size_t n = 60;
    Rig r(256, 1000);
    std::vector<Seen> seen;
    g_seen = &seen;
    std::vector<rtk_id_t> ids;
    r.p.run([&] {
        std::vector<rtk_task_desc_t> d(n);
        for (size_t i = 0; i < n; i++)
            rtk_task_desc_init(&d[i], look, (void *)(intptr_t)i);
        ids.resize(n);
        send(r.rt, d.data(), n, ids.data());
    });
    REQUIRE(rtk_tick(r.rt) == 1);
    REQUIRE(seen.size() == n);
    /* successes are counted by stretch, failures at once: what each task
     * sees must be what a count per task gives */
    size_t wrong = 0, ok = 0, failed = 0;
    for (size_t k = 0; k < n; k++) {
        if (seen[k].queued != n - 1 - k || seen[k].executed != ok ||
            seen[k].failed != failed)
            wrong++;
        (fails(k) ? failed : ok)++;
    }
    CHECK(wrong == 0);
    CHECK(seen[0].queued == 59);
    CHECK(seen[30].queued == 29);
    CHECK(seen[59].executed == 51); /* 0 .. 58 less the 8 failed */
    CHECK(seen[59].failed == 8);    /* 3, 10, .. 52; 59 is running */
    CHECK(r.rt.stats().tasks_executed == 51);
    CHECK(r.rt.stats().tasks_failed == 9);
    CHECK(same(r.ran, expected(0, n, ids, 0)));
    CHECK(r.rt.stats().work_queue_len == 0);
}

TEST_CASE("a block whose tasks wrap round the producer's ring runs in order at "
          "every position the wrap can cut it", "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    /* a single task and a block of 8 or 9 a round: 6 or 7 positions, so in
     * 140 rounds the blocks start at every position of the first segment
     * (64), which the producer reuses (the loop drains each round) */
    Rig r(1024, 1000);
    std::vector<Ran> want;
    std::vector<rtk_id_t> ids;
    for (intptr_t round = 0; round < 140; round++) {
        const intptr_t base = round * 100;
        const size_t n = 8 + (size_t)(round & 1);
        r.p.run([&] {
            rtk_id_t one = 0;
            rtk_task_desc_t d;
            rtk_task_desc_init(&d, record, (void *)base);
            size_t taken = 0;
            T_EXPECT(rtk_submit_many(r.rt, &d, 1, &one, &taken) == RTK_OK);
            ids.push_back(one);
            submit_block(r.rt, base + 1, n, RTK_PRIORITY_NORMAL, ids);
        });
        for (size_t i = 0; i <= n; i++)
            want.push_back({base + (intptr_t)i, ids[ids.size() - 1 - n + i]});
        REQUIRE(tick(r.rt) == n + 1);
    }
    CHECK(r.ran.size() == want.size());
    CHECK(same(r.ran, want));
    CHECK(r.rt.stats().work_queue_len == 0);
}

TEST_CASE("the last task of a block queueing a task: the block ends once, the "
          "task runs after it, every place free again",
          "[work_queue][producers][blocks]")
{
    BOTH_WAYS();
    Rig r(256, 1000);
    g_step = 5;
    std::vector<rtk_id_t> ids;
    submit_special(r.p, r.rt, 6, 40,
                   [](void *arg) {
                       g_ran->push_back({(intptr_t)arg, rtk_current_cause()});
                       rtk_schedule(*g_rt, record, (void *)900, 40);
                       return 0;
                   },
                   ids);
    REQUIRE(tick(r.rt) == 7);
    CHECK(values(r.ran) == std::vector<intptr_t>{0, 1, 2, 3, 4, 5, 900});
    for (size_t i = 0; i < 6; i++)
        CHECK(r.ran[i].id == ids[i]);
    CHECK(r.rt.stats().tasks_executed == 7);
    CHECK(r.rt.stats().work_queue_len == 0);
    size_t got = 0;
    r.p.run([&] {
        std::vector<rtk_id_t> more;
        for (int b = 0; b < 4; b++)
            submit_block(r.rt, 1000 + b * 64, 64, 7, more);
        got = more.size();
    });
    CHECK(got == 256);
    CHECK(r.rt.stats().work_queue_len == 256);
}
