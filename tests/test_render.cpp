// test_render.cpp - render requests: coalescing (1000 cross-thread requests
// -> 1 render), the take/pending flag without a render callback, frame
// pacing on the fake clock. Deterministic (rtk_tick, joined threads).
#include "rt_fixture.h"

#include <thread>

namespace {
struct RenderLog {
    std::atomic<int> calls{0};
    std::atomic<std::thread::id> thread{};
};
void on_render(rtk_runtime_t *, void *ud)
{
    auto *l = static_cast<RenderLog *>(ud);
    l->calls++;
    l->thread = std::this_thread::get_id();
}
} // namespace

TEST_CASE("render request from another thread coalesces: 1000 requests -> 1 render",
          "[render]")
{
    RenderLog log;
    TestRt rt([&](rtk_config_t &c) {
        c.render = on_render;
        c.render_ud = &log;
    });
    CHECK_FALSE(rtk_render_pending(rt));
    std::thread t([&] {
        for (int i = 0; i < 1000; i++)
            rtk_render_request(rt);
    });
    t.join();
    CHECK(rtk_render_pending(rt));
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(log.calls == 1);
    CHECK(log.thread.load() == std::this_thread::get_id()); /* the loop thread */
    CHECK_FALSE(rtk_render_pending(rt));
    CHECK(rt.stats().renders == 1);
    REQUIRE(rtk_tick(rt) == 1); /* nothing new requested */
    CHECK(log.calls == 1);
    rtk_render_request(rt);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(log.calls == 2);
    CHECK(rt.stats().renders == 2);
}

TEST_CASE("concurrent requests while the loop ticks never lose the last one", "[render]")
{
    RenderLog log;
    TestRt rt([&](rtk_config_t &c) {
        c.render = on_render;
        c.render_ud = &log;
    });
    std::atomic<bool> done{false};
    std::thread t([&] {
        for (int i = 0; i < 20000; i++)
            rtk_render_request(rt);
        done = true;
    });
    while (!done)
        REQUIRE(rtk_tick(rt) == 1);
    t.join();
    REQUIRE(rtk_tick(rt) == 1); /* serves whatever came after the last tick */
    CHECK_FALSE(rtk_render_pending(rt));
    int c = log.calls;
    CHECK(c >= 1);
    CHECK(c <= 20000);
    CHECK(rt.stats().renders == static_cast<uint64_t>(c));
}

TEST_CASE("without a render callback the app takes the flag", "[render]")
{
    TestRt rt;
    CHECK(rtk_render_take(rt) == 0);
    rtk_render_request(rt);
    rtk_render_request(rt);
    CHECK(rtk_render_pending(rt));
    REQUIRE(rtk_tick(rt) == 1); /* the tick leaves the flag to the app */
    CHECK(rtk_render_pending(rt));
    CHECK(rtk_render_take(rt) == 1);
    CHECK(rtk_render_take(rt) == 0);
    CHECK_FALSE(rtk_render_pending(rt));
}

TEST_CASE("a request made by a task is served in the same tick", "[render]")
{
    RenderLog log;
    TestRt rt([&](rtk_config_t &c) {
        c.render = on_render;
        c.render_ud = &log;
    });
    REQUIRE(rt.submit([&] { rtk_render_request(rt); return 0; }) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(log.calls == 1);
}

TEST_CASE("frame interval paces renders on the injected clock", "[render]")
{
    const uint64_t MS = 1000000;
    RenderLog log;
    TestRt rt([&](rtk_config_t &c) {
        c.render = on_render;
        c.render_ud = &log;
        c.frame_interval_ns = 16 * MS;
    });
    rtk_render_request(rt);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(log.calls == 1); /* the first frame is not delayed */
    rt.clock.advance(1 * MS);
    rtk_render_request(rt);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(log.calls == 1); /* too soon */
    CHECK(rtk_render_pending(rt));
    CHECK(rtk_prepare_wait(rt) == static_cast<int64_t>(15 * MS));
    rt.clock.advance(15 * MS - 1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(log.calls == 1);
    rt.clock.advance(1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(log.calls == 2);
    CHECK_FALSE(rtk_render_pending(rt));
}
