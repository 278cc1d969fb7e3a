/* run_loop.h - a real-clock runtime run by rtk_run on a thread of its own,
 * for the tests of how rtk_run blocks, wakes and spins (test_wakeup.cpp,
 * test_idle_spin.cpp). The config is rtk_config_init's, then tweak(cfg);
 * setup(rt) runs on the test's thread after boot, before rtk_run starts.
 * Destroyed, it stops the loop (a shutdown command) if the test did not.
 */
#ifndef RTK_TESTS_RUN_LOOP_H
#define RTK_TESTS_RUN_LOOP_H

#include "rt_fixture.h"

#include <atomic>
#include <ctime>
#include <functional>
#include <thread>

inline uint64_t mono_ns()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull +
           static_cast<uint64_t>(ts.tv_nsec);
}

struct RunLoop {
    rtk_config_t cfg;
    rtk_runtime_t *rt = nullptr;
    std::thread th;
    std::atomic<int> run_rc{99};

    explicit RunLoop(const std::function<void(rtk_config_t &)> &tweak = {},
                     const std::function<void(rtk_runtime_t *)> &setup = {})
    {
        rtk_config_init(&cfg);
        if (tweak)
            tweak(cfg);
        REQUIRE(rtk_runtime_create(&cfg, &rt) == RTK_OK);
        REQUIRE(rtk_boot(rt) == RTK_OK);
        if (setup)
            setup(rt);
        th = std::thread([this] { run_rc = rtk_run(rt); });
    }
    ~RunLoop()
    {
        if (th.joinable()) {
            rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr);
            th.join();
        }
        rtk_runtime_destroy(rt);
    }
    RunLoop(const RunLoop &) = delete;
    RunLoop &operator=(const RunLoop &) = delete;

    rtk_stats_t stats() const
    {
        rtk_stats_t s;
        rtk_stats_get(rt, &s);
        return s;
    }
    /* the loop in its pre-sleep check (stats' `sleeping`, set as the check
     * begins: work already there makes it tick again instead) */
    bool await_sleeping()
    {
        return await_true([this] { return stats().sleeping == 1; });
    }
    /* a shutdown command, rtk_run returned RTK_OK */
    void stop()
    {
        REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
        th.join();
        CHECK(run_rc == RTK_OK);
    }
};

#endif
