// test_collect_order.cpp - the order tasks run in when the loop's own
// pushes and another thread's submits (published while a task runs, the
// task waiting until it is) mix across priorities. The loop collects
// other threads' rings only at pops a task in them could precede, when its
// FIFO is empty, and before its own push after a pop that did not look
// (rtk__wq_pop_fast, internal.h); a seeded script of 50 to 3000 tasks must
// show what a look at every pop gives:
//   - priority: each task run is the most urgent of all tasks queued or
//     published before it started;
//   - each source's order within a priority (the loop's pushes, the
//     helper's submits);
//   - across sources at one priority: a task published during task j runs
//     before a task the loop pushes at that priority in a task after j,
//     and a task the loop pushed runs before one published after it.
// Without the look before the loop's own push the third fails; without
// the look at a pop a ring's task could precede, the first.
#include "rt_fixture.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace {

const rtk_priority_t PRIOS[] = {0, 10, 20, 30, 40};

/* What task `id` does when it runs: up to 4 operations, each a loop push
 * (local) or a submit by the helper thread (remote), at a priority; none
 * once the script has made `limit` tasks. A pure function of id. */
struct Op {
    bool remote;
    rtk_priority_t prio;
};
std::vector<Op> ops_of(uint32_t id)
{
    uint64_t x = id * 0x9E3779B97F4A7C15ull + 12345;
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    std::vector<Op> ops;
    size_t n = next() % 5; /* 0 to 4 */
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next();
        ops.push_back({r % 2 == 0, PRIOS[(r >> 8) % 5]});
    }
    return ops;
}

/* The real run: the helper thread submits on request while the asking
 * task waits, so each remote submit is published before the task goes
 * on. */
/* A task made: its source, priority, and when (the number of tasks run
 * when it was made: made during the run of task number `during`). */
struct Made {
    bool remote;
    rtk_priority_t prio;
    uint32_t during;
};
struct Script {
    rtk_runtime_t *rt = nullptr;
    uint32_t limit = 0, made = 1;
    std::vector<uint32_t> ran;
    std::vector<Made> info; /* by id */
    std::mutex mu;
    std::condition_variable cv;
    bool want = false, quit = false;
    rtk_priority_t want_prio = 0;
    uint32_t want_id = 0;
    int submit_rc = RTK_OK;
};
Script *g_s;

int script_task(void *arg)
{
    Script &s = *g_s;
    uint32_t id = (uint32_t)(uintptr_t)arg;
    s.ran.push_back(id);
    for (const Op &op : ops_of(id)) {
        if (s.made == s.limit)
            break;
        uint32_t nid = s.made++;
        s.info[nid] = {op.remote, op.prio, (uint32_t)s.ran.size() - 1};
        if (op.remote) {
            std::unique_lock<std::mutex> g(s.mu);
            s.want = true;
            s.want_prio = op.prio;
            s.want_id = nid;
            s.cv.notify_all();
            s.cv.wait(g, [&s] { return !s.want; });
        } else if (rtk_schedule(s.rt, script_task, (void *)(uintptr_t)nid, op.prio) !=
                   RTK_OK) {
            s.submit_rc = RTK_EFULL;
        }
    }
    return 0;
}

void helper(Script &s)
{
    std::unique_lock<std::mutex> g(s.mu);
    for (;;) {
        s.cv.wait(g, [&s] { return s.want || s.quit; });
        if (s.quit)
            return;
        if (rtk_schedule(s.rt, script_task, (void *)(uintptr_t)s.want_id, s.want_prio) !=
            RTK_OK)
            s.submit_rc = RTK_EFULL;
        s.want = false;
        s.cv.notify_all();
    }
}

/* The three properties of the file comment, over the run. */
void check_order(const Script &s)
{
    const uint32_t n = (uint32_t)s.ran.size();
    for (uint32_t k = 0; k < n; k++) {
        uint32_t id = s.ran[k];
        const Made &m = s.info[id];
        INFO("run " << k << ": task " << id << " (" << (m.remote ? "remote" : "local")
                    << ", priority " << m.prio << ", made in run " << m.during << ")");
        for (uint32_t j = k + 1; j < n; j++) {
            uint32_t o = s.ran[j];
            const Made &q = s.info[o];
            /* made before task k started, run after it: not more urgent */
            if (o == 0 || q.during < k)
                REQUIRE(q.prio >= m.prio);
            if (q.prio != m.prio)
                continue;
            /* o runs later at the same priority: it must not have been made
             * earlier by the same source, nor published in an earlier task
             * than a local push made after it */
            if (q.remote == m.remote && id != 0 && o != 0)
                REQUIRE(o > id); /* ids are handed out in making order */
            if (q.remote && !m.remote && o != 0)
                REQUIRE(q.during >= m.during);
            if (!q.remote && m.remote && id != 0)
                REQUIRE(q.during >= m.during);
        }
    }
}

} // namespace

TEST_CASE("another thread's tasks published while tasks run: the order of a queue "
          "that collects them before every pop",
          "[work_queue][producers]")
{
    for (uint32_t limit : {50u, 400u, 3000u}) {
        INFO("tasks: " << limit);
        TestRt rt([](rtk_config_t &c) {
            c.batch_size = 100000;
            c.work_queue_capacity = 8192;
        });
        Script s;
        s.rt = rt;
        s.limit = limit;
        s.info.assign(limit, Made{true, 20, 0}); /* [0]: the seed */
        g_s = &s;
        std::thread h([&s] { helper(s); });
        {
            /* the seed, from the helper's ring like every remote task */
            std::unique_lock<std::mutex> g(s.mu);
            s.want = true;
            s.want_prio = 20;
            s.want_id = 0;
            s.cv.notify_all();
            s.cv.wait(g, [&s] { return !s.want; });
        }
        /* every remote submit is published before its task goes on, so
         * the queue is idle only once the script is done */
        for (int i = 0; i < 1000000 && !rtk_is_idle(rt); i++)
            REQUIRE(rtk_tick(rt) == 1);
        {
            std::lock_guard<std::mutex> g(s.mu);
            s.quit = true;
            s.cv.notify_all();
        }
        h.join();
        REQUIRE(s.submit_rc == RTK_OK);
        REQUIRE(s.ran.size() == limit);
        check_order(s);
    }
}
