// test_wakeup.cpp - blocking rtk_run on the REAL clock: wakes within 1 ms
// (median of 21 trials) of a command, a cross-thread submit, a render
// request and a timer deadline, and uses no measurable CPU over 2 s idle.
// Label "timing" (run serially). Each trial first waits (yield-spinning on
// stats.sleeping) until the loop is blocked, then pokes it and measures
// poke -> callback running on the loop thread. Prints the figures to stderr.
// Cost: ~2 s for the idle test, a few ms per wake-up trial.
#include "run_loop.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <thread>

namespace {

const int kTrials = 21;
const uint64_t kMs = 1000000;

uint64_t thread_cpu_ns()
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

int stamp_task(void *arg)
{
    static_cast<std::atomic<uint64_t> *>(arg)->store(mono_ns());
    return 0;
}

void stamp_render(rtk_runtime_t *, void *ud)
{
    static_cast<std::atomic<uint64_t> *>(ud)->store(mono_ns());
}

/* The stamp the loop's callbacks write: a base of Loop's, so that it is
 * there before RunLoop starts rtk_run. */
struct Stamp {
    std::atomic<uint64_t> stamp{0};
};

/* A real-clock runtime driven by rtk_run on its own thread (run_loop.h),
 * its render callback stamping when asked. */
struct Loop : Stamp, RunLoop {
    /* setup(rt, this) runs on this thread before rtk_run starts. */
    explicit Loop(bool with_render, void (*setup)(rtk_runtime_t *, Loop *) = nullptr)
        : RunLoop(
              [this, with_render](rtk_config_t &c) {
                  if (with_render) {
                      c.render = stamp_render;
                      c.render_ud = &stamp;
                  }
              },
              [this, setup](rtk_runtime_t *r) {
                  if (setup)
                      setup(r, this);
              })
    {
    }
    bool await_stamp()
    {
        return await_true([this] { return stamp.load() != 0; });
    }
};

uint64_t median(std::vector<uint64_t> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void report(const char *what, const std::vector<uint64_t> &v)
{
    std::vector<uint64_t> s = v;
    std::sort(s.begin(), s.end());
    std::fprintf(stderr, "wakeup %-8s: median %6.1f us  min %6.1f us  max %7.1f us  (n=%zu)\n",
                 what, s[s.size() / 2] / 1e3, s.front() / 1e3, s.back() / 1e3, s.size());
}

template <class Poke> std::vector<uint64_t> measure(Loop &loop, Poke poke)
{
    std::vector<uint64_t> lat;
    for (int i = 0; i < kTrials; i++) {
        REQUIRE(loop.await_sleeping());
        loop.stamp = 0;
        uint64_t t0 = mono_ns();
        poke();
        REQUIRE(loop.await_stamp());
        lat.push_back(loop.stamp.load() - t0);
    }
    return lat;
}

} // namespace

TEST_CASE("blocked run wakes within 1 ms of a command", "[timing][wakeup]")
{
    Loop loop(false);
    auto lat = measure(loop, [&] {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, stamp_task, &loop.stamp);
        rtk_command_send(loop.rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr);
    });
    report("command", lat);
    CHECK(median(lat) < kMs);
    loop.stop();
}

TEST_CASE("blocked run wakes within 1 ms of a cross-thread submit", "[timing][wakeup]")
{
    Loop loop(false);
    auto lat = measure(loop, [&] { rtk_schedule(loop.rt, stamp_task, &loop.stamp, 100); });
    report("submit", lat);
    CHECK(median(lat) < kMs);
    loop.stop();
}

TEST_CASE("blocked run wakes within 1 ms of a render request", "[timing][wakeup]")
{
    Loop loop(true);
    auto lat = measure(loop, [&] { rtk_render_request(loop.rt); });
    report("render", lat);
    CHECK(median(lat) < kMs);
    CHECK(loop.rt != nullptr);
    loop.stop();
}

namespace {
rtk_handler_result_t stamp_handler(rtk_runtime_t *, const rtk_event_t *, void *ud)
{
    static_cast<std::atomic<uint64_t> *>(ud)->store(mono_ns());
    return RTK_HANDLED;
}
} // namespace

TEST_CASE("blocked run wakes within 1 ms of an async emit", "[timing][wakeup]")
{
    Loop loop(false, [](rtk_runtime_t *rt, Loop *l) {
        rtk_id_t sub = 0;
        rtk_subscribe(rt, 1, RTK_PRIORITY_NORMAL, stamp_handler, &l->stamp, &sub);
    });
    auto lat = measure(loop, [&] {
        rtk_event_desc_t d = {};
        d.type = 1;
        rtk_event_emit_async(loop.rt, &d, nullptr);
    });
    report("async", lat);
    CHECK(median(lat) < kMs);
    loop.stop();
}

namespace {
struct TimerTrial {
    rtk_runtime_t *rt;
    std::atomic<uint64_t> deadline{0};
    std::atomic<uint64_t> fired{0};
    std::atomic<int> rc{99};
};
int timer_fired(void *arg)
{
    static_cast<TimerTrial *>(arg)->fired = mono_ns();
    return 0;
}
int arm_timer(void *arg)
{
    auto *t = static_cast<TimerTrial *>(arg);
    rtk_id_t id = 0;
    /* deadline as the runtime sees it; the default clock is CLOCK_MONOTONIC */
    uint64_t now = rtk_now(t->rt);
    t->rc = rtk_timer_oneshot(t->rt, 3 * kMs, timer_fired, t, &id);
    t->deadline = now + 3 * kMs;
    return 0;
}
} // namespace

TEST_CASE("blocked run wakes within 1 ms of a timer deadline", "[timing][wakeup]")
{
    Loop loop(false);
    std::vector<uint64_t> lat;
    for (int i = 0; i < kTrials; i++) {
        TimerTrial t;
        t.rt = loop.rt;
        REQUIRE(loop.await_sleeping());
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, arm_timer, &t);
        REQUIRE(rtk_command_send(loop.rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_OK);
        REQUIRE(await_true([&] { return t.fired.load() != 0; }));
        REQUIRE(t.rc == RTK_OK);
        uint64_t f = t.fired, dl = t.deadline;
        CHECK(f + 200000 >= dl); /* never (noticeably) early */
        lat.push_back(f > dl ? f - dl : 0);
    }
    report("timer", lat);
    CHECK(median(lat) < kMs);
    loop.stop();
}

namespace {
struct IdleRun {
    rtk_runtime_t *rt = nullptr;
    int run_rc = 99, timer_rc = 99;
    uint64_t cpu_ns = 0, wall_ns = 0;
    rtk_stats_t stats{};
};
int shut_down(void *arg)
{
    rtk_shutdown(static_cast<IdleRun *>(arg)->rt);
    return 0;
}
} // namespace

TEST_CASE("blocked run uses no measurable CPU over 2 s idle", "[timing][wakeup]")
{
    IdleRun r;
    std::thread th([&r] {
        if (rtk_runtime_create(nullptr, &r.rt) != RTK_OK || rtk_boot(r.rt) != RTK_OK)
            return;
        rtk_id_t id = 0;
        r.timer_rc = rtk_timer_oneshot(r.rt, 2000 * kMs, shut_down, &r, &id);
        uint64_t c0 = thread_cpu_ns(), w0 = mono_ns();
        r.run_rc = rtk_run(r.rt);
        r.cpu_ns = thread_cpu_ns() - c0;
        r.wall_ns = mono_ns() - w0;
        rtk_stats_get(r.rt, &r.stats);
        rtk_runtime_destroy(r.rt);
    });
    th.join();
    REQUIRE(r.timer_rc == RTK_OK);
    REQUIRE(r.run_rc == RTK_OK);
    std::fprintf(stderr,
                 "idle: loop thread CPU %.3f ms over %.3f s wall; idle_ns %.3f s; "
                 "loop_count %llu\n",
                 r.cpu_ns / 1e6, r.wall_ns / 1e9, r.stats.idle_ns / 1e9,
                 static_cast<unsigned long long>(r.stats.loop_count));
    CHECK(r.wall_ns >= 2000 * kMs);
    CHECK(r.cpu_ns < 5 * kMs);
    CHECK(r.stats.idle_ns >= 1900 * kMs);
    CHECK(r.stats.idle_ns <= r.wall_ns);
    CHECK(r.stats.loop_count < 20); /* woke for the deadline, not polling */
}
