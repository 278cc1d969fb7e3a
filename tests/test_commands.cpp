// test_commands.cpp - cross-thread commands: ScheduleTask runs in RUNNING,
// is refused and counted (COMMAND_REFUSED) in BOOTING/STOPPING, the command
// queue's bound (COMMAND_QUEUE_FULL), argument checks, cause ids (the
// command id, task-in-task, event-in-task, timer fire) and id order.
// Deterministic (rtk_tick).
#include "rt_fixture.h"

#include <algorithm>
#include <thread>

static int count_task(void *arg)
{
    ++*static_cast<int *>(arg);
    return 0;
}

static rtk_task_desc_t counting(int *n)
{
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, count_task, n);
    return d;
}

TEST_CASE("ScheduleTask command runs the task on the next tick", "[commands]")
{
    TestRt rt;
    int n = 0;
    rtk_task_desc_t d = counting(&n);
    rtk_id_t cmd = 0;
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, &cmd) == RTK_OK);
    CHECK(cmd != 0);
    CHECK(rt.stats().command_queue_len == 1);
    CHECK_FALSE(rtk_is_idle(rt));
    CHECK(n == 0);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 1);
    CHECK(rt.stats().commands_handled == 1);
    CHECK(rt.stats().command_queue_len == 0);
}

TEST_CASE("ScheduleTask from other threads: all run", "[commands]")
{
    TestRt rt([](rtk_config_t &c) { c.batch_size = 1000; });
    std::atomic<int> n{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; t++)
        ts.emplace_back([&] {
            for (int i = 0; i < 100; i++) {
                rtk_task_desc_t d;
                rtk_task_desc_init(&d,
                                   [](void *a) {
                                       static_cast<std::atomic<int> *>(a)->fetch_add(1);
                                       return 0;
                                   },
                                   &n);
                if (rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) != RTK_OK)
                    refused++;
            }
        });
    for (auto &t : ts)
        t.join();
    CHECK(refused == 0);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 400);
    CHECK(rt.stats().commands_handled == 400);
}

TEST_CASE("ScheduleTask while booting is counted COMMAND_REFUSED", "[commands]")
{
    TestRt rt({}, false);
    int n = 0;
    rtk_task_desc_t d = counting(&n);
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1); /* booting ticks handle commands */
    rtk_stats_t s = rt.stats();
    CHECK(s.drops[RTK_DROP_COMMAND_REFUSED] == 1);
    CHECK(s.drops_total == 1);
    CHECK(s.work_queue_len == 0);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 0);
}

TEST_CASE("ScheduleTask while stopping is counted COMMAND_REFUSED", "[commands]")
{
    TestRt rt;
    int n = 0;
    rtk_task_desc_t d = counting(&n);
    REQUIRE(rtk_shutdown(rt) == RTK_OK);
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_OK);
    CHECK(rtk_tick(rt) == 0);
    CHECK(n == 0);
    CHECK(rt.drops(RTK_DROP_COMMAND_REFUSED) == 1);
}

TEST_CASE("ScheduleTask queued behind a Shutdown command is refused and counted",
          "[commands]")
{
    TestRt rt;
    int n = 0;
    rtk_task_desc_t d = counting(&n);
    REQUIRE(rtk_command_send(rt, RTK_CMD_SHUTDOWN, nullptr, nullptr) == RTK_OK);
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_OK);
    CHECK(rtk_tick(rt) == 0);
    CHECK(n == 0);
    CHECK(rt.drops(RTK_DROP_COMMAND_REFUSED) == 1);
    CHECK(rt.stats().commands_handled == 2);
}

TEST_CASE("full command queue refuses and counts", "[commands]")
{
    TestRt rt([](rtk_config_t &c) { c.command_queue_capacity = 2; });
    int n = 0;
    rtk_task_desc_t d = counting(&n);
    CHECK(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_OK);
    CHECK(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_OK);
    CHECK(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_EFULL);
    CHECK(rt.drops(RTK_DROP_COMMAND_QUEUE_FULL) == 1);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(n == 2);
    CHECK(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr) == RTK_OK);
}

TEST_CASE("command arguments are checked", "[commands]")
{
    TestRt rt;
    CHECK(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, nullptr, nullptr) == RTK_EINVAL);
    CHECK(rtk_command_send(rt, static_cast<rtk_command_kind_t>(77), nullptr, nullptr) ==
          RTK_EINVAL);
    CHECK(rt.stats().command_queue_len == 0);
}

/* --- cause ids ----------------------------------------------------------- */

TEST_CASE("ids come from one counter and strictly increase", "[commands][ids]")
{
    TestRt rt;
    int n = 0;
    std::vector<rtk_id_t> ids;
    rtk_id_t id = 0;
    ids.push_back(rtk_next_id());
    REQUIRE(rtk_schedule(rt, count_task, &n, RTK_PRIORITY_NORMAL) == RTK_OK);
    rtk_task_desc_t d = counting(&n);
    REQUIRE(rtk_submit(rt, &d, &id) == RTK_OK);
    ids.push_back(id);
    REQUIRE(rtk_timer_oneshot(rt, 1000, count_task, &n, &id) == RTK_OK);
    ids.push_back(id);
    rtk_event_desc_t e = ev_desc(1);
    REQUIRE(rtk_event_post(rt, &e, &id) == RTK_OK);
    ids.push_back(id);
    REQUIRE(rtk_event_emit_async(rt, &e, &id) == RTK_OK);
    ids.push_back(id);
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, &id) == RTK_OK);
    ids.push_back(id);
    rtk_id_t sub = 0;
    REQUIRE(rtk_subscribe(rt, 1, 1, [](rtk_runtime_t *, const rtk_event_t *, void *) {
        return RTK_HANDLED; }, nullptr, &sub) == RTK_OK);
    REQUIRE(rtk_event_dispatch(rt, &e, &id) >= 0);
    ids.push_back(id);
    ids.push_back(rtk_next_id());
    for (size_t i = 1; i < ids.size(); i++) {
        CAPTURE(i);
        CHECK(ids[i] > ids[i - 1]);
    }
    CHECK(ids[0] >= 1);
}

TEST_CASE("ids are unique across threads", "[ids]")
{
    const int T = 4, N = 20000;
    std::vector<std::vector<rtk_id_t>> got(T);
    std::vector<std::thread> ts;
    for (int t = 0; t < T; t++)
        ts.emplace_back([&, t] {
            got[t].reserve(N);
            for (int i = 0; i < N; i++)
                got[t].push_back(rtk_next_id());
        });
    for (auto &t : ts)
        t.join();
    std::vector<rtk_id_t> all;
    for (auto &g : got) {
        for (size_t i = 1; i < g.size(); i++)
            REQUIRE(g[i] > g[i - 1]);
        all.insert(all.end(), g.begin(), g.end());
    }
    std::sort(all.begin(), all.end());
    CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
}

TEST_CASE("current cause is the id of the item being processed", "[ids]")
{
    TestRt rt;
    CHECK(rtk_current_cause() == 0);
    rtk_id_t task_id = 0, seen_in_task = 0;
    REQUIRE(rt.submit([&] { seen_in_task = rtk_current_cause(); return 0; },
                      RTK_PRIORITY_NORMAL, &task_id) == RTK_OK);
    rtk_id_t ev_id = 0, seen_in_handler = 0;
    rt.subscribe(6, 1, [&](const rtk_event_t *) { seen_in_handler = rtk_current_cause(); return RTK_HANDLED; });
    rtk_event_desc_t e = ev_desc(6);
    REQUIRE(rtk_event_post(rt, &e, &ev_id) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(seen_in_task == task_id);
    CHECK(seen_in_handler == ev_id);
    CHECK(rtk_current_cause() == 0); /* restored after the tick */
}

TEST_CASE("items created inside a task record the task's id as cause", "[ids]")
{
    TestRt rt;
    rtk_id_t outer = 0, inner = 0, inner_seen = 0;
    rtk_event_t from_task = {}, from_handler = {};
    rtk_id_t first_ev = 0;
    rt.subscribe(6, 1, [&](const rtk_event_t *ev) {
        from_task = *ev;
        /* an event dispatched by a handler: cause is the outer event */
        rtk_event_desc_t e2 = ev_desc(7);
        rtk_event_dispatch(rt, &e2, nullptr);
        return RTK_HANDLED;
    });
    rt.subscribe(7, 1, [&](const rtk_event_t *ev) { from_handler = *ev; return RTK_HANDLED; });
    REQUIRE(rt.submit(
                [&] {
                    /* a task submitted from inside a task */
                    rtk_task_desc_t d;
                    rtk_task_desc_init(&d, &TestRt::run_fn,
                                       rt.keep([&] { inner_seen = rtk_current_cause(); return 0; }));
                    rtk_submit(rt, &d, &inner);
                    rtk_event_desc_t e = ev_desc(6);
                    rtk_event_post(rt, &e, &first_ev);
                    return 0;
                },
                RTK_PRIORITY_NORMAL, &outer) == RTK_OK);
    for (int i = 0; i < 3; i++)
        REQUIRE(rtk_tick(rt) == 1);
    CHECK(inner > outer);
    CHECK(inner_seen == inner);
    CHECK(from_task.id == first_ev);
    CHECK(from_task.cause == outer);
    CHECK(from_handler.cause == first_ev);
}

TEST_CASE("explicit cause in a descriptor wins", "[ids]")
{
    TestRt rt;
    rtk_event_t seen = {};
    rt.subscribe(6, 1, [&](const rtk_event_t *ev) { seen = *ev; return RTK_HANDLED; });
    rtk_event_desc_t e = ev_desc(6);
    e.cause = 424242;
    REQUIRE(rtk_event_post(rt, &e, nullptr) == RTK_OK);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(seen.cause == 424242u);
}

TEST_CASE("a command's task and a timer's fire see their own ids as cause", "[ids]")
{
    /* The task's *recorded* cause (command id / timer id) is only visible in
     * the trace; tests/tracing checks it. Here: what the task observes. */
    TestRt rt;
    rtk_id_t timer = 0, in_fire = 0, in_cmd_task = 0, cmd = 0;
    rtk_event_t ev_from_fire = {};
    rt.subscribe(6, 1, [&](const rtk_event_t *ev) { ev_from_fire = *ev; return RTK_HANDLED; });
    REQUIRE(rt.oneshot(1000, [&] {
        in_fire = rtk_current_cause();
        rtk_event_desc_t e = ev_desc(6);
        rtk_event_dispatch(rt, &e, nullptr);
        return 0;
    }, &timer) == RTK_OK);
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, &TestRt::run_fn, rt.keep([&] { in_cmd_task = rtk_current_cause(); return 0; }));
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, &cmd) == RTK_OK);
    rt.clock.advance(1000);
    REQUIRE(rtk_tick(rt) == 1);
    CHECK(in_cmd_task > cmd);   /* a fresh task id, made while handling cmd */
    CHECK(in_fire > timer);     /* the fire task's own id */
    CHECK(ev_from_fire.cause == in_fire);
}
