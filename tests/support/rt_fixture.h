/* rt_fixture.h - test helpers: an owning runtime wrapper with a fake clock,
 * closures as tasks/handlers, a thread-safe order recorder, and awaiting an
 * observable without sleeping.
 *
 * Costs: TestRt creation is rtk_runtime_create (O(capacities)); closures
 * allocate one std::function each and live until the fixture dies.
 */
#ifndef RTK_TESTS_RT_FIXTURE_H
#define RTK_TESTS_RT_FIXTURE_H

#include "fake_clock.h"

#include <catch2/catch.hpp>
#include <rtk/rtk.h>

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

/* A runtime with a FakeClock installed. Tweak the config in the ctor's
 * callback; boots unless told not to. Not copyable or movable (the clock's
 * address is handed to the runtime). */
class TestRt {
public:
    explicit TestRt(const std::function<void(rtk_config_t &)> &tweak = {},
                    bool boot = true, bool fake_clock = true)
    {
        rtk_config_init(&cfg);
        if (fake_clock)
            clock.install(cfg);
        if (tweak)
            tweak(cfg);
        int rc = rtk_runtime_create(&cfg, &rt);
        REQUIRE(rc == RTK_OK);
        REQUIRE(rt != nullptr);
        if (boot)
            REQUIRE(rtk_boot(rt) == RTK_OK);
    }
    ~TestRt() { rtk_runtime_destroy(rt); }
    TestRt(const TestRt &) = delete;
    TestRt &operator=(const TestRt &) = delete;

    operator rtk_runtime_t *() const { return rt; }

    rtk_stats_t stats() const
    {
        rtk_stats_t s;
        rtk_stats_get(rt, &s);
        return s;
    }
    uint64_t drops(rtk_drop_reason_t r) const { return stats().drops[r]; }

    /* Keep a closure alive for the runtime's lifetime; returns its address
     * for use as a task/handler argument. */
    std::function<int()> *keep(std::function<int()> f)
    {
        std::lock_guard<std::mutex> g(mu_);
        fns_.emplace_back(std::move(f));
        return &fns_.back();
    }
    static int run_fn(void *arg) { return (*static_cast<std::function<int()> *>(arg))(); }

    /* Submit a closure as a task. Returns rtk_submit's code. */
    int submit(std::function<int()> f, rtk_priority_t prio = RTK_PRIORITY_NORMAL,
               rtk_id_t *id = nullptr)
    {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, &TestRt::run_fn, keep(std::move(f)));
        d.priority = prio;
        return rtk_submit(rt, &d, id);
    }
    int oneshot(uint64_t delay, std::function<int()> f, rtk_id_t *id,
                rtk_priority_t prio = RTK_PRIORITY_NORMAL, uint64_t interval = 0)
    {
        rtk_timer_desc_t d = {};
        d.delay_ns = delay;
        d.interval_ns = interval;
        d.fn = &TestRt::run_fn;
        d.arg = keep(std::move(f));
        d.priority = prio;
        return rtk_timer_start(rt, &d, id);
    }
    int periodic(uint64_t interval, std::function<int()> f, rtk_id_t *id)
    {
        return oneshot(interval, std::move(f), id, RTK_PRIORITY_NORMAL, interval);
    }

    /* Handlers as closures. */
    using Handler = std::function<rtk_handler_result_t(const rtk_event_t *)>;
    static rtk_handler_result_t run_handler(rtk_runtime_t *, const rtk_event_t *ev, void *ud)
    {
        return (*static_cast<Handler *>(ud))(ev);
    }
    rtk_id_t subscribe(uint32_t type, rtk_priority_t prio, Handler h)
    {
        Handler *p;
        {
            std::lock_guard<std::mutex> g(mu_);
            handlers_.emplace_back(std::move(h));
            p = &handlers_.back();
        }
        rtk_id_t sub = 0;
        REQUIRE(rtk_subscribe(rt, type, prio, &TestRt::run_handler, p, &sub) == RTK_OK);
        REQUIRE(sub != 0);
        return sub;
    }

    rtk_config_t cfg;
    FakeClock clock;
    rtk_runtime_t *rt = nullptr;

private:
    std::mutex mu_;
    std::deque<std::function<int()>> fns_;
    std::deque<Handler> handlers_;
};

/* Event descriptor with sane defaults. */
inline rtk_event_desc_t ev_desc(uint32_t type, rtk_priority_t prio = RTK_PRIORITY_NORMAL,
                                void *data = nullptr, rtk_scope_t *scope = nullptr)
{
    rtk_event_desc_t d = {};
    d.type = type;
    d.priority = prio;
    d.data = data;
    d.scope = scope;
    return d;
}

/* Thread-safe list of ints, for asserting orders. */
class Recorder {
public:
    void add(int v)
    {
        std::lock_guard<std::mutex> g(mu_);
        v_.push_back(v);
    }
    std::vector<int> get() const
    {
        std::lock_guard<std::mutex> g(mu_);
        return v_;
    }
    size_t size() const
    {
        std::lock_guard<std::mutex> g(mu_);
        return v_.size();
    }

private:
    mutable std::mutex mu_;
    std::vector<int> v_;
};

/* Spin (yielding) until pred() holds or a generous real-time bound passes;
 * returns pred(). The bound only turns a hang into a failure. */
template <class Pred> bool await_true(Pred pred, double max_seconds = 20.0)
{
    auto end = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(max_seconds));
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end)
            return pred();
        std::this_thread::yield();
    }
    return true;
}

#endif
