// test_lifecycle.cpp - states and transitions: boot, shutdown, emergency,
// what a tick returns in each state, work refused outside RUNNING, and the
// error/name helpers in common.h. All deterministic (fake clock, rtk_tick).
#include "rt_fixture.h"

#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

static int noop(void *) { return 0; }
static int count_task(void *arg)
{
    ++*static_cast<int *>(arg);
    return 0;
}

TEST_CASE("new runtime is booting and idle", "[lifecycle]")
{
    TestRt rt({}, /*boot=*/false);
    CHECK(rtk_state(rt) == RTK_STATE_BOOTING);
    CHECK(rtk_is_idle(rt));
    rtk_stats_t s = rt.stats();
    CHECK(s.state == RTK_STATE_BOOTING);
    CHECK(s.work_queue_len == 0);
    CHECK(s.tasks_executed == 0);
    CHECK(s.drops_total == 0);
}

TEST_CASE("create with NULL config uses defaults", "[lifecycle]")
{
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(nullptr, &rt) == RTK_OK);
    CHECK(rtk_state(rt) == RTK_STATE_BOOTING);
    rtk_runtime_destroy(rt);
    rtk_runtime_destroy(nullptr); /* no-op */
}

TEST_CASE("config_init fills the documented defaults", "[lifecycle]")
{
    rtk_config_t c;
    std::memset(&c, 0xab, sizeof c);
    rtk_config_init(&c);
    CHECK(c.work_queue_capacity == 1024);
    CHECK(c.event_queue_capacity == 256);
    CHECK(c.async_queue_capacity == 1024);
    CHECK(c.command_queue_capacity == 1024);
    CHECK(c.batch_size == 16);
    CHECK(c.max_timers == 1024);
    CHECK(c.event_budget == 64);
    CHECK(c.async_budget == 64);
    CHECK(c.clock == nullptr);
    CHECK(c.render == nullptr);
}

TEST_CASE("booting twice is refused", "[lifecycle]")
{
    TestRt rt({}, false);
    CHECK(rtk_boot(rt) == RTK_OK);
    CHECK(rtk_state(rt) == RTK_STATE_RUNNING);
    CHECK(rtk_boot(rt) == RTK_ESTATE);
    CHECK(rtk_state(rt) == RTK_STATE_RUNNING);
}

TEST_CASE("shutdown from booting or stopping changes nothing", "[lifecycle]")
{
    TestRt rt({}, false);
    CHECK(rtk_shutdown(rt) == RTK_ESTATE);
    CHECK(rtk_state(rt) == RTK_STATE_BOOTING);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    CHECK(rtk_shutdown(rt) == RTK_OK);
    CHECK(rtk_state(rt) == RTK_STATE_STOPPING);
    CHECK(rtk_shutdown(rt) == RTK_ESTATE);
    CHECK(rtk_state(rt) == RTK_STATE_STOPPING);
    CHECK(rtk_boot(rt) == RTK_ESTATE);
}

TEST_CASE("emergency works from booting", "[lifecycle]")
{
    TestRt rt({}, false);
    rtk_emergency_stop(rt);
    CHECK(rtk_state(rt) == RTK_STATE_EMERGENCY);
    CHECK(rtk_boot(rt) == RTK_ESTATE);
    CHECK(rtk_tick(rt) == 0);
}

TEST_CASE("emergency works from stopping and is terminal", "[lifecycle]")
{
    TestRt rt;
    REQUIRE(rtk_shutdown(rt) == RTK_OK);
    rtk_emergency_stop(rt);
    CHECK(rtk_state(rt) == RTK_STATE_EMERGENCY);
    CHECK(rtk_shutdown(rt) == RTK_ESTATE);
    CHECK(rtk_state(rt) == RTK_STATE_EMERGENCY);
}

TEST_CASE("emergency by command", "[lifecycle][commands]")
{
    TestRt rt;
    REQUIRE(rtk_command_send(rt, RTK_CMD_EMERGENCY, nullptr, nullptr) == RTK_OK);
    CHECK(rtk_state(rt) == RTK_STATE_RUNNING); /* not before the tick */
    CHECK(rtk_tick(rt) == 0);
    CHECK(rtk_state(rt) == RTK_STATE_EMERGENCY);
}

TEST_CASE("a Shutdown command takes effect on the next tick", "[lifecycle][commands]")
{
    TestRt rt;
    REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
    CHECK(rtk_state(rt) == RTK_STATE_RUNNING);
    CHECK(rtk_tick(rt) == 0);
    CHECK(rtk_state(rt) == RTK_STATE_STOPPING);
    CHECK(rt.stats().commands_handled == 1);
}

TEST_CASE("tick returns 1 while running or booting, 0 after shutdown or emergency",
          "[lifecycle]")
{
    SECTION("booting")
    {
        TestRt rt({}, false);
        CHECK(rtk_tick(rt) == 1);
        CHECK(rtk_state(rt) == RTK_STATE_BOOTING);
    }
    SECTION("running then shutdown")
    {
        TestRt rt;
        CHECK(rtk_tick(rt) == 1);
        REQUIRE(rtk_shutdown(rt) == RTK_OK);
        CHECK(rtk_tick(rt) == 0);
        CHECK(rtk_tick(rt) == 0);
    }
    SECTION("running then emergency")
    {
        TestRt rt;
        rtk_emergency_stop(rt);
        CHECK(rtk_tick(rt) == 0);
    }
}

TEST_CASE("all scheduling is refused outside running", "[lifecycle]")
{
    auto refuses_all = [](TestRt &rt) {
        uint64_t before = rt.drops(RTK_DROP_NOT_RUNNING);
        int n = 0;
        CHECK(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_ESTATE);
        rtk_id_t tid = 0;
        CHECK(rtk_timer_oneshot(rt, 1000, count_task, &n, &tid) == RTK_ESTATE);
        rtk_event_desc_t ev = ev_desc(1);
        CHECK(rtk_event_post(rt, &ev, nullptr) == RTK_ESTATE);
        CHECK(rtk_event_emit_async(rt, &ev, nullptr) == RTK_ESTATE);
        CHECK(rtk_event_dispatch(rt, &ev, nullptr) == RTK_ESTATE);
        CHECK(rt.stats().work_queue_len == 0);
        CHECK(rt.stats().active_timers == 0);
        /* schedule, timer, post and async emit are documented as counted. */
        CHECK(rt.drops(RTK_DROP_NOT_RUNNING) - before >= 4);
        CHECK(n == 0);
    };
    SECTION("booting")
    {
        TestRt rt({}, false);
        refuses_all(rt);
    }
    SECTION("stopping")
    {
        TestRt rt;
        REQUIRE(rtk_shutdown(rt) == RTK_OK);
        refuses_all(rt);
    }
    SECTION("emergency")
    {
        TestRt rt;
        rtk_emergency_stop(rt);
        refuses_all(rt);
    }
    SECTION("each refused submit is counted NOT_RUNNING exactly once")
    {
        TestRt rt({}, false);
        for (int i = 0; i < 3; i++)
            CHECK(rtk_schedule(rt, noop, nullptr, RTK_PRIORITY_NORMAL) == RTK_ESTATE);
        CHECK(rt.drops(RTK_DROP_NOT_RUNNING) == 3);
        CHECK(rt.stats().drops_total == 3);
    }
}

TEST_CASE("shutdown then one tick runs all 5 queued tasks", "[lifecycle][executor]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 2; });
    int n = 0;
    for (int i = 0; i < 5; i++)
        REQUIRE(rtk_schedule(rt, count_task, &n, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_shutdown(rt) == RTK_OK);
    CHECK(rtk_tick(rt) == 0);
    CHECK(n == 5);
    CHECK(rt.stats().tasks_executed == 5);
    CHECK(rt.stats().work_queue_len == 0);
}

static int requeue_self(void *arg)
{
    auto *rt = static_cast<TestRt *>(arg);
    rtk_schedule(*rt, requeue_self, arg, RTK_PRIORITY_NORMAL);
    return 0;
}

TEST_CASE("stopping drain is bounded for tasks that re-queue themselves",
          "[lifecycle][executor]")
{
    TestRt rt([](rtk_config_t &c) { c.work_queue_capacity = 8; });
    REQUIRE(rtk_schedule(rt, requeue_self, &rt, RTK_PRIORITY_NORMAL) == RTK_OK);
    CHECK(rtk_tick(rt) == 1);
    REQUIRE(rtk_shutdown(rt) == RTK_OK);
    CHECK(rtk_tick(rt) == 0); /* must return at all */
    rtk_stats_t s = rt.stats();
    CHECK(s.tasks_executed >= 2);
    CHECK(s.tasks_executed <= 2 + 4 * 8);
}

TEST_CASE("rtk_run with a queued Shutdown command runs already-queued work",
          "[lifecycle][commands]")
{
    TestRt rt;
    int n = 0;
    for (int i = 0; i < 3; i++)
        REQUIRE(rtk_schedule(rt, count_task, &n, RTK_PRIORITY_NORMAL) == RTK_OK);
    REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
    CHECK(rtk_run(rt) == RTK_OK);
    CHECK(n == 3);
    CHECK(rtk_state(rt) == RTK_STATE_STOPPING);
    CHECK(rt.stats().tasks_executed == 3);
}

TEST_CASE("emergency counts what it discards and runs nothing", "[lifecycle]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 1; });
    int n = 0;
    for (int i = 0; i < 5; i++)
        REQUIRE(rtk_schedule(rt, count_task, &n, RTK_PRIORITY_NORMAL) == RTK_OK);
    SECTION("tasks only")
    {
        rtk_emergency_stop(rt);
        CHECK(rtk_tick(rt) == 0);
        CHECK(n == 0);
        rtk_stats_t s = rt.stats();
        CHECK(s.drops[RTK_DROP_EMERGENCY] == 5);
        CHECK(s.tasks_executed == 0);
        CHECK(s.work_queue_len == 0);
    }
    SECTION("tasks, queued events and async events")
    {
        int handled = 0;
        rt.subscribe(9, RTK_PRIORITY_NORMAL, [&](const rtk_event_t *) {
            ++handled;
            return RTK_HANDLED;
        });
        rtk_event_desc_t ev = ev_desc(9);
        REQUIRE(rtk_event_post(rt, &ev, nullptr) == RTK_OK);
        REQUIRE(rtk_event_post(rt, &ev, nullptr) == RTK_OK);
        REQUIRE(rtk_event_emit_async(rt, &ev, nullptr) == RTK_OK);
        rtk_emergency_stop(rt);
        CHECK(rtk_tick(rt) == 0);
        CHECK(n == 0);
        CHECK(handled == 0);
        CHECK(rt.stats().drops[RTK_DROP_EMERGENCY] == 8);
    }
    SECTION("by command")
    {
        REQUIRE(rtk_command_send(rt, RTK_CMD_EMERGENCY, nullptr, nullptr) == RTK_OK);
        CHECK(rtk_tick(rt) == 0);
        CHECK(n == 0);
        CHECK(rt.drops(RTK_DROP_EMERGENCY) == 5);
    }
}

TEST_CASE("error, state and reason names", "[lifecycle]")
{
    CHECK(std::string(rtk_err_name(RTK_EFULL)) == "RTK_EFULL");
    CHECK(std::string(rtk_err_name(RTK_ENOENT)) == "RTK_ENOENT");
    CHECK(std::string(rtk_strerror(12345)) == "unknown error");
    for (int e = RTK_ESYS; e <= RTK_OK; e++) {
        REQUIRE(rtk_strerror(e) != nullptr);
        CHECK(std::strlen(rtk_strerror(e)) > 0);
    }
    CHECK(std::string(rtk_state_name(RTK_STATE_BOOTING)) == "booting");
    CHECK(std::string(rtk_state_name(RTK_STATE_RUNNING)) == "running");
    CHECK(std::string(rtk_state_name(RTK_STATE_STOPPING)) == "stopping");
    CHECK(std::string(rtk_state_name(RTK_STATE_EMERGENCY)) == "emergency");
    CHECK(std::string(rtk_drop_reason_name(RTK_DROP_WORK_QUEUE_FULL)) == "work_queue_full");
    for (int r = 0; r < RTK_DROP__COUNT; r++)
        CHECK(rtk_drop_reason_name(static_cast<rtk_drop_reason_t>(r)) != nullptr);
    CHECK(std::string(rtk_item_kind_name(RTK_ITEM_TASK)) == "task");
    CHECK(std::string(rtk_item_kind_name(RTK_ITEM_ASYNC_EVENT)) == "async_event");
    CHECK(std::string(rtk_item_kind_name(RTK_ITEM_RENDER)) == "render");
    CHECK(std::string(rtk_command_kind_name(RTK_CMD_SCHEDULE_TASK)) == "schedule_task");
}

TEST_CASE("a Shutdown command while booting changes nothing", "[lifecycle][commands]")
{
    TestRt rt({}, false);
    REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
    CHECK(rtk_tick(rt) == 1);
    CHECK(rtk_state(rt) == RTK_STATE_BOOTING);
    CHECK(rt.stats().commands_handled == 1);
}

TEST_CASE("destroy discards queued tasks without running them", "[lifecycle]")
{
    int n = 0;
    {
        TestRt rt;
        for (int i = 0; i < 4; i++)
            REQUIRE(rtk_schedule(rt, count_task, &n, RTK_PRIORITY_NORMAL) == RTK_OK);
        rtk_id_t id;
        REQUIRE(rtk_timer_oneshot(rt, 1, count_task, &n, &id) == RTK_OK);
    }
    CHECK(n == 0);
}

TEST_CASE("rtk_task_abandon outside a task aborts the process", "[lifecycle][executor]")
{
    fflush(nullptr);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        /* Catch's own SIGABRT handler would report a failure from the
         * child: restore the default, and keep the expected message out of
         * the test log. */
        std::signal(SIGABRT, SIG_DFL);
        FILE *devnull = freopen("/dev/null", "w", stderr);
        (void)devnull;
        rtk_task_abandon(1);
    }
    int st = 0;
    REQUIRE(waitpid(pid, &st, 0) == pid);
    CHECK(WIFSIGNALED(st));
    CHECK(WTERMSIG(st) == SIGABRT);
}

TEST_CASE("an emergency stop from inside a task ends the loop", "[lifecycle]")
{
    TestRt rt;
    int n = 0;
    REQUIRE(rt.submit([&] { rtk_emergency_stop(rt); return 0; }, RTK_PRIORITY_HIGH) == RTK_OK);
    REQUIRE(rtk_schedule(rt, count_task, &n, RTK_PRIORITY_LOW) == RTK_OK);
    rtk_tick(rt);
    CHECK(rtk_tick(rt) == 0);
    CHECK(rtk_state(rt) == RTK_STATE_EMERGENCY);
    rtk_stats_t s = rt.stats();
    CHECK(static_cast<uint64_t>(n) + s.drops[RTK_DROP_EMERGENCY] == 1);
}
