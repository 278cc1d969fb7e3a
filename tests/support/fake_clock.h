/* fake_clock.h - an injectable clock for deterministic tests.
 *
 * Install it with fc.install(cfg) before rtk_runtime_create(); the runtime
 * then reads fc.now (ns) whenever it asks for the time. advance()/set() are
 * O(1) atomic stores, safe from any thread.
 */
#ifndef RTK_TESTS_FAKE_CLOCK_H
#define RTK_TESTS_FAKE_CLOCK_H

#include <rtk/rtk.h>

#include <atomic>
#include <cstdint>

struct FakeClock {
    /* Start far from 0 so "deadline 0" bugs and unsigned underflow show. */
    enum : uint64_t { kStart = 1000000000000ull }; /* 1000 s; enum: no ODR-use */

    std::atomic<uint64_t> now{kStart};

    static uint64_t read(void *ud)
    {
        return static_cast<FakeClock *>(ud)->now.load(std::memory_order_acquire);
    }
    void install(rtk_config_t &cfg)
    {
        cfg.clock = &FakeClock::read;
        cfg.clock_ud = this;
    }
    void advance(uint64_t ns) { now.fetch_add(ns, std::memory_order_acq_rel); }
    void set(uint64_t t) { now.store(t, std::memory_order_release); }
    uint64_t get() const { return now.load(std::memory_order_acquire); }
};

#endif
