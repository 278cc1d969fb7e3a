/* A due render preempts lower-priority work in the same batch
 * (config.render_priority), and never higher-priority work. */
#include <rtk/rtk.h>

#include <catch2/catch.hpp>

#include <string>

namespace {
struct Log {
    rtk_runtime_t *rt = nullptr;
    std::string s;
};

void on_render(rtk_runtime_t *, void *ud) { static_cast<Log *>(ud)->s += "R"; }
int high(void *ud) { static_cast<Log *>(ud)->s += "H"; return 0; }
int low(void *ud) { static_cast<Log *>(ud)->s += "L"; return 0; }
int key(void *ud)
{
    auto *log = static_cast<Log *>(ud);
    log->s += "K";
    rtk_render_request(log->rt);
    rtk_schedule(log->rt, low, log, RTK_PRIORITY_LOW);
    rtk_schedule(log->rt, high, log, RTK_PRIORITY_HIGH);
    return 0;
}
} // namespace

TEST_CASE("a due render runs before lower-priority tasks of the same batch",
          "[render]")
{
    Log log;
    rtk_config_t c;
    rtk_config_init(&c);
    c.render = on_render;
    c.render_ud = &log;
    REQUIRE(rtk_runtime_create(&c, &log.rt) == RTK_OK);
    REQUIRE(rtk_boot(log.rt) == RTK_OK);
    REQUIRE(rtk_schedule(log.rt, key, &log, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_tick(log.rt) == 1);
    /* key, then the HIGH task it queued, then the render, then LOW */
    CHECK(log.s == "KHRL");
    rtk_runtime_destroy(log.rt);
}

TEST_CASE("render_priority IDLE keeps LOW work ahead of the render", "[render]")
{
    Log log;
    rtk_config_t c;
    rtk_config_init(&c);
    c.render = on_render;
    c.render_ud = &log;
    c.render_priority = RTK_PRIORITY_IDLE;
    REQUIRE(rtk_runtime_create(&c, &log.rt) == RTK_OK);
    REQUIRE(rtk_boot(log.rt) == RTK_OK);
    REQUIRE(rtk_schedule(log.rt, key, &log, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_tick(log.rt) == 1);
    CHECK(log.s == "KHLR");
    rtk_runtime_destroy(log.rt);
}
