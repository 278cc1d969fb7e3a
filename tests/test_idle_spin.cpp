// test_idle_spin.cpp - rtk_run's look for work before it sleeps
// (config.idle_spin_ns, runtime/src/loop.c spin_for_work), which it takes
// only in a flood (256 tasks or more since it last went to wait): while it
// looks, work sent from another thread runs without the loop having slept
// (its idle time does not grow); with 0, or after a few tasks, it sleeps
// at once; a timer due within the spin, a render request and a stop are
// not held up by it. The spin in these cases is 5 s, so that a loop that
// wrongly spun on would show. A flood here: 300 tasks queued while a gate
// task holds the loop, so that it runs them all without a wait.
#include "run_loop.h"

#include <atomic>
#include <ctime>
#include <thread>

namespace {

const uint64_t kSpin = 5000000000ull; /* 5 s */

int count_task(void *arg)
{
    static_cast<std::atomic<int> *>(arg)->fetch_add(1);
    return 0;
}

void count_render(rtk_runtime_t *, void *ud)
{
    static_cast<std::atomic<int> *>(ud)->fetch_add(1);
}

/* What the loop's tasks and render count: a base of Loop's, so that it is
 * there before RunLoop starts rtk_run. */
struct Counts {
    std::atomic<int> ran{0}, renders{0};
};

/* A real-clock runtime run by rtk_run on a thread of its own (run_loop.h)
 * with an idle spin of `spin` ns and a render callback that counts. */
struct Loop : Counts, RunLoop {
    explicit Loop(uint64_t spin)
        : RunLoop([this, spin](rtk_config_t &c) {
              c.idle_spin_ns = spin;
              c.render = count_render;
              c.render_ud = &renders;
          })
    {
    }
    void send() { REQUIRE(rtk_schedule(rt, count_task, &ran, RTK_PRIORITY_NORMAL) == RTK_OK); }
    /* Round trips, each awaiting the loop's pre-sleep check (stats'
     * `sleeping`, set as the check begins: a task already there makes it
     * tick again instead), until its idle time shows a real sleep, 50 at
     * most: how many. A loop that spins shows none in 50. */
    int round_trips_until_slept()
    {
        send();
        REQUIRE(await_ran(1));
        int n = 1;
        while (stats().idle_ns == 0 && n < 50) {
            REQUIRE(await_sleeping());
            send();
            REQUIRE(await_ran(++n));
        }
        return n;
    }
    /* 300 tasks the loop runs without a wait between them (a gate task
     * holds it while they are queued); ran counts them and the gate */
    void flood()
    {
        static std::atomic<int> open;
        open = 0;
        const int before = ran.load();
        REQUIRE(rtk_schedule(rt,
                             [](void *arg) {
                                 while (!open.load())
                                     std::this_thread::yield();
                                 static_cast<std::atomic<int> *>(arg)->fetch_add(1);
                                 return 0;
                             },
                             &ran, RTK_PRIORITY_NORMAL) == RTK_OK);
        for (int i = 0; i < 300; i++)
            send();
        open = 1;
        REQUIRE(await_ran(before + 301));
    }
    bool await_ran(int n)
    {
        return await_true([&] { return ran.load() >= n; });
    }
};

} // namespace

TEST_CASE("rtk_config_init sets a 20 us spin", "[idle_spin]")
{
    rtk_config_t c;
    rtk_config_init(&c);
    CHECK(c.idle_spin_ns == 20000);
}

TEST_CASE("after a flood, while rtk_run looks for work, a task sent from "
          "another thread runs without the loop having slept",
          "[idle_spin]")
{
    Loop loop(kSpin);
    loop.flood();
    /* the loop now looks for 5 s before it would sleep */
    const rtk_stats_t before = loop.stats();
    for (int i = 1; i <= 50; i++) {
        loop.send();
        REQUIRE(loop.await_ran(301 + i));
    }
    const rtk_stats_t after = loop.stats();
    CHECK(after.idle_ns == before.idle_ns);
    CHECK(after.sleeping == 0);
    CHECK(after.tasks_executed == 351);
}

TEST_CASE("after a few tasks rtk_run sleeps at once, whatever the spin",
          "[idle_spin]")
{
    /* as with 0 below: the 5 s spin is not taken for sparse work */
    Loop loop(kSpin);
    CHECK(loop.round_trips_until_slept() < 50);
    CHECK(loop.stats().idle_ns > 0);
}

TEST_CASE("with idle_spin_ns 0 rtk_run sleeps at once", "[idle_spin]")
{
    Loop loop(0);
    CHECK(loop.round_trips_until_slept() < 50);
    CHECK(loop.stats().idle_ns > 0);
}

TEST_CASE("a stop sent while rtk_run looks for work ends it at once",
          "[idle_spin][timing]")
{
    Loop loop(kSpin);
    loop.flood();
    const uint64_t t0 = mono_ns();
    REQUIRE(rtk_shutdown(loop.rt) == RTK_OK);
    loop.th.join();
    CHECK(mono_ns() - t0 < kSpin / 2);
    CHECK(loop.run_rc == RTK_OK);
}

TEST_CASE("a render requested from another thread while rtk_run looks for work "
          "runs at once",
          "[idle_spin][timing]")
{
    Loop loop(kSpin);
    loop.flood();
    const uint64_t idle = loop.stats().idle_ns;
    const uint64_t t0 = mono_ns();
    rtk_render_request(loop.rt);
    REQUIRE(await_true([&] { return loop.renders.load() == 1; }));
    CHECK(mono_ns() - t0 < kSpin / 2);
    CHECK(loop.stats().idle_ns == idle); /* served by the spin, no sleep */
}

namespace {
std::atomic<uint64_t> g_fired{0};
rtk_runtime_t *g_timer_rt;
int stamp_timer(void *)
{
    g_fired = mono_ns();
    return 0;
}
int arm_timer(void *)
{
    rtk_id_t id;
    return rtk_timer_oneshot(g_timer_rt, 2000000, stamp_timer, nullptr, &id) == RTK_OK
               ? 0
               : 1;
}
} // namespace

TEST_CASE("a timer due within the spin fires on time: rtk_run does not spin "
          "past it",
          "[idle_spin][timing]")
{
    Loop loop(kSpin);
    loop.flood();
    g_fired = 0;
    /* a task on the loop arms a 2 ms timer, then the loop has nothing to
     * do until it fires */
    g_timer_rt = loop.rt;
    const uint64_t t0 = mono_ns();
    REQUIRE(rtk_schedule(loop.rt, arm_timer, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(await_true([&] { return g_fired.load() != 0; }));
    CHECK(g_fired.load() - t0 >= 2000000);
    CHECK(g_fired.load() - t0 < kSpin / 2);
}
