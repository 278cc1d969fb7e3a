// credit_workload.cpp - the second workload the tracing test records: the
// loop's work-queue credit while a session listens to the per-task events
// (work_queue.c keeps it in wq_tcredit then, and every loop push takes the
// traced path: schedule_local for rtk_schedule, submit for rtk_submit).
//
// A queue of 128 places (credit chunks of 3, at most 4 kept) and one batch
// big enough for everything: a "seed" task starts a wave in which every
// task queues two more, the first with rtk_schedule (NORMAL), the second
// with rtk_submit (LOW, named "wave"), until 1000 have been queued. A
// running task's place is free for its own pushes, so the queue holds 128
// at most and the counts follow from a model that knows nothing of
// credit (trace_test.cpp): 1001 tasks run, 873 schedules and 127 submits
// are queued, 745 submits are refused.
#include "workload.h"

#include "fake_clock.h"

#include <rtk/rtk.h>

namespace {

struct C {
    rtk_runtime_t *rt = nullptr;
    int queued = 0, refused_schedule = 0, refused_submit = 0;
    size_t max_len = 0;
};
C c;

int wave(void *)
{
    rtk_stats_t s;
    rtk_stats_get(c.rt, &s);
    if (s.work_queue_len > c.max_len)
        c.max_len = s.work_queue_len;
    if (c.queued < 1000) {
        if (rtk_schedule(c.rt, wave, nullptr, RTK_PRIORITY_NORMAL) == RTK_OK)
            c.queued++;
        else
            c.refused_schedule++;
    }
    if (c.queued < 1000) {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, wave, nullptr);
        d.priority = RTK_PRIORITY_LOW;
        d.name = "wave";
        if (rtk_submit(c.rt, &d, nullptr) == RTK_OK)
            c.queued++;
        else
            c.refused_submit++;
    }
    return 0;
}

void put(std::FILE *out, const char *k, unsigned long long v)
{
    std::fprintf(out, "%s %llu\n", k, v);
}

} // namespace

int run_credit_workload(std::FILE *out)
{
    FakeClock clock;
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    clock.install(cfg);
    cfg.work_queue_capacity = 128;
    cfg.batch_size = 5000;
    cfg.stats_interval_ns = 0;
    if (rtk_runtime_create(&cfg, &c.rt) != RTK_OK || rtk_boot(c.rt) != RTK_OK) {
        std::fprintf(out, "error create/boot\n");
        return 1;
    }
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, wave, nullptr);
    d.name = "seed";
    rtk_id_t seed = 0;
    put(out, "seed_rc", (unsigned long long)(long long)rtk_submit(c.rt, &d, &seed));
    put(out, "seed_id", seed);
    put(out, "tick1", rtk_tick(c.rt)); /* the whole wave, one batch */
    rtk_stats_t s;
    rtk_stats_get(c.rt, &s);
    put(out, "queued", (unsigned long long)c.queued);
    put(out, "refused_schedule", (unsigned long long)c.refused_schedule);
    put(out, "refused_submit", (unsigned long long)c.refused_submit);
    put(out, "max_len", c.max_len);
    put(out, "len_end", s.work_queue_len);
    put(out, "executed", s.tasks_executed);
    put(out, "drops_full", s.drops[RTK_DROP_WORK_QUEUE_FULL]);
    rtk_shutdown(c.rt);
    put(out, "tick2", rtk_tick(c.rt)); /* stops */
    rtk_runtime_destroy(c.rt);
    std::fflush(out);
    return 0;
}
