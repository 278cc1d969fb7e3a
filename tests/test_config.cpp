// test_config.cpp - the configuration a runtime runs with: rtk_config_init's
// defaults are the ones runtime.h documents (read from the header itself, so
// the comments cannot drift), and rtk_runtime_config reads back the
// effective values (0 fields replaced by their defaults, others kept).
#include "rt_fixture.h"

#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>

#ifndef RTK_RUNTIME_H_PATH
#error "RTK_RUNTIME_H_PATH: the path of runtime/include/rtk/runtime.h"
#endif

// The number after "default" (and spaces) in the comment that follows "size_t NAME;"
// in the header, or -1 if there is none.
static long documented_default(const std::string &h, const std::string &name)
{
    size_t at = h.find("size_t " + name + ";");
    if (at == std::string::npos)
        return -1;
    size_t c0 = h.find("/*", at), c1 = h.find("*/", c0);
    if (c0 == std::string::npos || c1 == std::string::npos)
        return -1;
    std::string comment = h.substr(c0, c1 - c0);
    size_t d = comment.find("default");
    if (d == std::string::npos)
        return -1;
    const char *p = comment.c_str() + d + 7;
    while (*p == ' ' || *p == '\n')
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    return std::strtol(p, nullptr, 10);
}

TEST_CASE("runtime.h documents the defaults rtk_config_init sets", "[config]")
{
    std::ifstream f(RTK_RUNTIME_H_PATH);
    REQUIRE(f.good());
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string h = ss.str();
    rtk_config_t c;
    rtk_config_init(&c);
    struct {
        const char *name;
        size_t value;
    } fields[] = {
        {"work_queue_capacity", c.work_queue_capacity},
        {"event_queue_capacity", c.event_queue_capacity},
        {"async_queue_capacity", c.async_queue_capacity},
        {"command_queue_capacity", c.command_queue_capacity},
        {"batch_size", c.batch_size},
        {"max_timers", c.max_timers},
        {"event_budget", c.event_budget},
        {"async_budget", c.async_budget},
    };
    for (const auto &fd : fields) {
        INFO(fd.name);
        CHECK(documented_default(h, fd.name) == (long)fd.value);
    }
    /* the two documented by formula or unit */
    CHECK(c.drain_limit == 4 * c.work_queue_capacity);
    CHECK(h.find("default\n                                     4 * work_queue_capacity") !=
          std::string::npos);
    CHECK(c.stats_interval_ns == 100000000u);
    CHECK(h.find("rtk_config_init sets 100 ms") != std::string::npos);
    CHECK(c.render_priority == RTK_PRIORITY_NORMAL);
    CHECK(c.task_cpu_time == 0);
    CHECK(h.find("that computed; default 0 (off: cpu_ns 0)") != std::string::npos);
}

TEST_CASE("rtk_runtime_config reads back the effective configuration", "[config]")
{
    rtk_config_t zero = {}, d;
    rtk_config_init(&d);
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(&zero, &rt) == RTK_OK);
    rtk_config_t got;
    rtk_runtime_config(rt, &got);
    CHECK(got.batch_size == 16);
    CHECK(got.work_queue_capacity == d.work_queue_capacity);
    CHECK(got.max_timers == d.max_timers);
    CHECK(got.drain_limit == 4 * d.work_queue_capacity);
    CHECK(got.render_priority == RTK_PRIORITY_NORMAL);
    CHECK(got.stats_interval_ns == 0); /* off in a zeroed config */
    rtk_runtime_destroy(rt);

    rtk_config_t c = d;
    c.batch_size = 3;
    c.work_queue_capacity = 64;
    c.drain_limit = 0;
    c.frame_interval_ns = 16666667;
    REQUIRE(rtk_runtime_create(&c, &rt) == RTK_OK);
    rtk_runtime_config(rt, &got);
    CHECK(got.batch_size == 3);
    CHECK(got.work_queue_capacity == 64);
    CHECK(got.drain_limit == 256);
    CHECK(got.frame_interval_ns == 16666667u);
    rtk_runtime_destroy(rt);
}
