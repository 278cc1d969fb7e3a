/* collect_script.cpp - the script of collect_script.hpp: what each task
 * does is a pure function of its id; the helper thread submits on request
 * while the asking task waits, so each remote submit is published before
 * the task goes on. */
#include "collect_script.hpp"

#include "fake_clock.h"

#include <rtk/rtk.h>

#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace {

const rtk_priority_t PRIOS[] = {0, 10, 20, 30, 40};

/* What task `id` does when it runs: up to 4 operations, each a loop push
 * (local) or a submit by the helper thread (remote), at a priority. */
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

/* A task made: its source, priority, and when (made during the run of
 * task number `during`). */
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
    bool refused = false;
};
Script *g_s;

int script_task(void *arg);

/* Ask the helper thread to submit task `id` and wait until it has. */
void ask_remote(Script &s, uint32_t id, rtk_priority_t prio)
{
    std::unique_lock<std::mutex> g(s.mu);
    s.want = true;
    s.want_prio = prio;
    s.want_id = id;
    s.cv.notify_all();
    s.cv.wait(g, [&s] { return !s.want; });
}

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
        if (op.remote)
            ask_remote(s, nid, op.prio);
        else if (rtk_schedule(s.rt, script_task, (void *)(uintptr_t)nid,
                              op.prio) != RTK_OK)
            s.refused = true;
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
        if (rtk_schedule(s.rt, script_task, (void *)(uintptr_t)s.want_id,
                         s.want_prio) != RTK_OK)
            s.refused = true;
        s.want = false;
        s.cv.notify_all();
    }
}

std::string describe(const Script &s, uint32_t k, uint32_t j, const char *rule)
{
    auto one = [&s](uint32_t id) {
        const Made &m = s.info[id];
        std::ostringstream o;
        o << "task " << id << " (" << (m.remote ? "remote" : "local")
          << ", priority " << m.prio << ", made in run " << m.during << ")";
        return o.str();
    };
    std::ostringstream o;
    o << rule << ": run " << k << " " << one(s.ran[k]) << " before run " << j
      << " " << one(s.ran[j]);
    return o.str();
}

/* The three properties of collect_script.hpp, over the run. */
std::string check_order(const Script &s)
{
    const uint32_t n = (uint32_t)s.ran.size();
    for (uint32_t k = 0; k < n; k++) {
        uint32_t id = s.ran[k];
        const Made &m = s.info[id];
        for (uint32_t j = k + 1; j < n; j++) {
            uint32_t o = s.ran[j];
            const Made &q = s.info[o];
            /* made before task k started, run after it: not more urgent */
            if ((o == 0 || q.during < k) && q.prio < m.prio)
                return describe(s, k, j, "priority");
            if (q.prio != m.prio)
                continue;
            /* o runs later at the same priority: it must not have been made
             * earlier by the same source, nor published in an earlier task
             * than a local push made after it */
            if (q.remote == m.remote && id != 0 && o != 0 && o < id)
                return describe(s, k, j, "source order");
            if (q.remote != m.remote && o != 0 && id != 0 &&
                q.during < m.during)
                return describe(s, k, j, "cross-source order");
        }
    }
    return "";
}

} // namespace

CollectResult run_collect_script(uint32_t limit)
{
    CollectResult r;
    FakeClock clock;
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    clock.install(cfg);
    cfg.batch_size = 100000;
    cfg.work_queue_capacity = 8192;
    cfg.stats_interval_ns = 0;
    Script s;
    if (rtk_runtime_create(&cfg, &s.rt) != RTK_OK) {
        r.error = "rtk_runtime_create failed";
        return r;
    }
    if (rtk_boot(s.rt) != RTK_OK) {
        rtk_runtime_destroy(s.rt);
        r.error = "rtk_boot failed";
        return r;
    }
    s.limit = limit;
    s.info.assign(limit, Made{true, 20, 0}); /* [0]: the seed */
    g_s = &s;
    std::thread h([&s] { helper(s); });
    ask_remote(s, 0, 20); /* the seed, from the helper's ring like every remote task */
    /* every remote submit is published before its task goes on, so the
     * queue is idle only once the script is done */
    for (int ticks = 0; !rtk_is_idle(s.rt); ticks++)
        if (ticks == 1000000 || rtk_tick(s.rt) != 1) {
            r.error = "the run did not end";
            break;
        }
    {
        std::lock_guard<std::mutex> g(s.mu);
        s.quit = true;
        s.cv.notify_all();
    }
    h.join();
    rtk_runtime_destroy(s.rt);
    g_s = nullptr;
    if (s.refused && r.error.empty())
        r.error = "a submit was refused";
    r.ran = (uint32_t)s.ran.size();
    r.violation = check_order(s);
    return r;
}
