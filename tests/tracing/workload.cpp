// workload.cpp - the scripted workload recorded by the tracing test (see
// workload.h). Three ticks on a fake clock:
//   before tick 1: 10 tasks queued (7 ok, 2 failing, 1 abandoned), 2 more
//     refused by the full work queue (capacity 10), and a batch of 3 from
//     another thread refused whole (rtk_submit_many); 4 events posted + 1
//     refused (capacity 4); 4 async emits + 1 refused (capacity 4);
//     5 render requests (one render).
//   tick 1 (t = T0): dispatches 4 events, runs 10 tasks, 4 async events,
//     renders once.
//   before tick 2: 5 timers armed (A 1 ms, B 2 ms, C 3 ms, V 3 ms LOW,
//     X 5 ms); X cancelled at once; a ScheduleTask command sent from
//     another thread; a canceller task (HIGH) that cancels V; one direct
//     dispatch; clock -> T0 + 3 ms.
//   tick 2: the command queues its task (which submits an inner task);
//     A, B, C, V fire; the canceller voids V's queued fire; A, B, C, the
//     command task and the inner task run.
//   rtk_stats_trace(); rtk_shutdown(); tick 3 returns 0; destroy.
#include "workload.h"

#include "abandon.h"
#include "fake_clock.h"

#include <rtk/rtk.h>

#include <thread>

namespace {

const uint64_t MS = 1000000;

struct W {
    rtk_runtime_t *rt = nullptr;
    std::FILE *out = nullptr;
    rtk_id_t timer_v = 0;
    int cancel_rc = 99;
    rtk_id_t inner_task = 0;
    int abandoned = 0;
};
W g;

int ok_task(void *) { return 0; }
int failing_task(void *) { return 5; }
int inner_task(void *) { return 0; }
int cmd_task(void *)
{
    std::fprintf(g.out, "cmd_task %llu\n", (unsigned long long)rtk_current_cause());
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, inner_task, nullptr);
    d.name = "inner";
    rtk_submit(g.rt, &d, &g.inner_task);
    return 0;
}
int canceller_task(void *)
{
    std::fprintf(g.out, "canceller_task %llu\n", (unsigned long long)rtk_current_cause());
    g.cancel_rc = rtk_timer_cancel(g.rt, g.timer_v);
    return 0;
}
int timer_task(void *) { return 0; }
void on_render(rtk_runtime_t *, void *) {}
rtk_handler_result_t on_event(rtk_runtime_t *, const rtk_event_t *, void *)
{
    return RTK_HANDLED;
}

rtk_id_t arm(uint64_t delay, rtk_priority_t prio, const char *name)
{
    rtk_timer_desc_t d = {};
    d.delay_ns = delay;
    d.fn = timer_task;
    d.priority = prio;
    d.name = name;
    rtk_id_t id = 0;
    if (rtk_timer_start(g.rt, &d, &id) != RTK_OK)
        std::fprintf(g.out, "error timer_start %s\n", name);
    return id;
}

void put(const char *k, unsigned long long v) { std::fprintf(g.out, "%s %llu\n", k, v); }

} // namespace

int run_workload(std::FILE *out)
{
    g.out = out;
    FakeClock clock;
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    clock.install(cfg);
    cfg.work_queue_capacity = 10;
    cfg.event_queue_capacity = 4;
    cfg.async_queue_capacity = 4;
    cfg.batch_size = 64;
    cfg.render = on_render;
    cfg.stats_interval_ns = 0; /* no periodic snapshot (0 disables it) */
    if (rtk_runtime_create(&cfg, &g.rt) != RTK_OK || rtk_boot(g.rt) != RTK_OK) {
        std::fprintf(out, "error create/boot\n");
        return 1;
    }
    rtk_runtime_t *rt = g.rt;
    rtk_id_t sub = 0;
    rtk_subscribe(rt, 1, RTK_PRIORITY_NORMAL, on_event, nullptr, &sub);

    /* --- before tick 1 --- */
    int rc_full = 0;
    for (int i = 0; i < 4; i++)
        rtk_schedule(rt, ok_task, nullptr, RTK_PRIORITY_NORMAL);
    for (int i = 0; i < 2; i++)
        rtk_schedule(rt, failing_task, nullptr, RTK_PRIORITY_LOW);
    rtk_schedule(rt, test_task_abandon_deep, &g.abandoned, RTK_PRIORITY_HIGH);
    for (int i = 0; i < 5; i++)
        if (rtk_schedule(rt, ok_task, nullptr, RTK_PRIORITY_IDLE) == RTK_EFULL)
            rc_full++;
    put("work_refused", rc_full);
    /* and a batch of 3 from another thread, refused whole: 3 drops, each
     * traced with an id of its own */
    std::thread batcher([&] {
        rtk_task_desc_t d[3];
        for (auto &x : d)
            rtk_task_desc_init(&x, ok_task, nullptr);
        size_t taken = 9;
        put("batch_efull", rtk_submit_many(rt, d, 3, nullptr, &taken) == RTK_EFULL);
        put("batch_taken", (long long)taken);
    });
    batcher.join();

    rc_full = 0;
    for (int i = 0; i < 5; i++) {
        rtk_event_desc_t e = {};
        e.type = 1;
        e.priority = RTK_PRIORITY_NORMAL;
        if (rtk_event_post(rt, &e, nullptr) == RTK_EFULL)
            rc_full++;
    }
    put("event_refused", rc_full);
    rc_full = 0;
    for (int i = 0; i < 5; i++) {
        rtk_event_desc_t e = {};
        e.type = 1;
        if (rtk_event_emit_async(rt, &e, nullptr) == RTK_EFULL)
            rc_full++;
    }
    put("async_refused", rc_full);
    for (int i = 0; i < 5; i++)
        rtk_render_request(rt);

    rtk_tick(rt); /* tick 1 */

    /* --- before tick 2 --- */
    put("timer_a", arm(1 * MS, RTK_PRIORITY_NORMAL, "A"));
    put("timer_b", arm(2 * MS, RTK_PRIORITY_NORMAL, "B"));
    put("timer_c", arm(3 * MS, RTK_PRIORITY_NORMAL, "C"));
    g.timer_v = arm(3 * MS, RTK_PRIORITY_LOW, "V");
    put("timer_v", g.timer_v);
    rtk_id_t x = arm(5 * MS, RTK_PRIORITY_NORMAL, "X");
    put("timer_x", x);
    put("cancel_x_rc", (unsigned long long)(long long)rtk_timer_cancel(rt, x));

    rtk_id_t cmd = 0;
    int cmd_rc = 99;
    std::thread sender([&] {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, cmd_task, nullptr);
        d.name = "from_command";
        cmd_rc = rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, &cmd);
    });
    sender.join();
    put("cmd_rc", (unsigned long long)(long long)cmd_rc);
    put("cmd_id", cmd);

    rtk_task_desc_t cd;
    rtk_task_desc_init(&cd, canceller_task, nullptr);
    cd.priority = RTK_PRIORITY_HIGH;
    cd.name = "canceller";
    rtk_id_t canceller = 0;
    rtk_submit(rt, &cd, &canceller);
    put("canceller_id", canceller);

    rtk_event_desc_t e = {};
    e.type = 1;
    rtk_id_t direct = 0;
    put("direct_rc", (unsigned long long)(long long)rtk_event_dispatch(rt, &e, &direct));
    put("direct_id", direct);

    clock.advance(3 * MS);
    rtk_tick(rt); /* tick 2 */
    put("cancel_v_rc", (unsigned long long)(long long)g.cancel_rc);
    put("inner_task", g.inner_task);
    put("abandoned_ran", g.abandoned);

    rtk_stats_trace(rt);
    rtk_shutdown(rt);
    put("tick3", rtk_tick(rt)); /* tick 3: stops */

    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    put("stats_executed", s.tasks_executed);
    put("stats_failed", s.tasks_failed);
    put("stats_voided", s.tasks_voided);
    put("stats_events", s.events_dispatched);
    put("stats_async", s.async_dispatched);
    put("stats_timers_fired", s.timers_fired);
    put("stats_renders", s.renders);
    put("stats_drops_total", s.drops_total);
    put("stats_loop_count", s.loop_count);
    rtk_runtime_destroy(rt);
    std::fflush(out);
    return 0;
}
