/* lint_workload.c - one small librtk program per lint rule, recorded by
 * lint_tests.sh with `rt-trace record` and then linted.
 *
 *   lint_workload MODE [ok]
 *   lint_workload render_stall never
 *
 * Each MODE builds the situation its rule looks for; with "ok" it builds
 * the same shape well under the rule's default threshold (the spins are
 * wall-clock: on a loaded machine a 5 ms spin can take 12 ms), which must
 * give no finding. The loop ends itself (rtk_shutdown from its last task).
 * Ground truth goes to stdout as "KEY VALUE" lines for the test to compare
 * with the findings (ids are the runtime's).
 *
 *   blocked       command -> keystroke -> reflow (spins 60 ms; ok 1 ms) and
 *                 layout (25 ms; ok 1 ms); keystroke also requests a render
 *                 (render() spins 30 ms; ok 1 ms) and posts an event of type
 *                 7 (its handler spins 20 ms; ok 1 ms; then queues quit).
 *                                               prints keystroke, reflow,
 *                                               layout, event, command and
 *                                               ran_reflow, ran_layout,
 *                                               ran_event, ran_render (ns
 *                                               each really spun)
 *   timer_late    one-shot "autosave" due in 5 ms, behind a task "hog" that
 *                 spins 40 ms (ok 1 ms).        prints timer
 *   starved       "background" (LOW) queued behind "busy" (HIGH) that spins
 *                 5 ms and re-queues itself 40 times (ok 4).
 *                                               prints background
 *   requeue       "search_chunk" re-queues itself 150 times (ok 60).
 *                                               prints first, last, tasks
 *   queue_full    "fill" queues 900 tasks (ok 700) then snapshots rtk:stats
 *                 (periodic snapshots off).     prints queued (in snapshot)
 *   drops         work queue capacity 64: "fill" queues 100 tasks (ok 50);
 *                 the refused are dropped.      prints drops
 *   render_stall  "edit" requests a render (the app takes the flag itself)
 *                 and a one-shot "paint" takes it 100 ms later (ok 5 ms;
 *                 "never": paint ends the run without taking it).
 *                                               prints edit
 *
 * Cost: at most ~250 ms of spinning per mode; a few hundred tasks.
 */
#define _POSIX_C_SOURCE 200809L
#include <rtk/rtk.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static rtk_runtime_t *rt;
static int ok;    /* the "must not fire" variant */
static int never; /* render_stall: the render is never taken */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Spin ms on the wall clock; returns how long it really took (a loaded
 * machine can deschedule the thread mid-spin). */
static uint64_t spin_ms(uint64_t ms)
{
    uint64_t begin = now_ns(), end = begin + ms * 1000000u, t;
    while ((t = now_ns()) < end)
        ;
    return t - begin;
}

/* The blocked mode's spinning items and how long each really ran. */
typedef struct spin {
    const char *what;
    uint64_t ms, ran_ns;
} spin_t;
static spin_t reflow_spin = {"reflow", 60, 0}, layout_spin = {"layout", 25, 0},
              handler_spin = {"event", 20, 0}, render_spin = {"render", 30, 0};

static rtk_id_t submit(rtk_task_fn fn, void *arg, rtk_priority_t prio, const char *name)
{
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, fn, arg);
    d.priority = prio;
    d.name = name;
    rtk_id_t id = 0;
    if (rtk_submit(rt, &d, &id) != RTK_OK)
        return 0;
    return id;
}

static int quit(void *arg)
{
    (void)arg;
    rtk_shutdown(rt);
    return 0;
}

static int spin_task(void *arg)
{
    spin_ms((uint64_t)(uintptr_t)arg);
    return 0;
}

static int spin_item(void *arg)
{
    spin_t *s = arg;
    s->ran_ns = spin_ms(ok ? 1 : s->ms);
    return 0;
}

/* --- blocked ------------------------------------------------------------ */

static rtk_handler_result_t spell_check(rtk_runtime_t *r, const rtk_event_t *ev,
                                        void *ud)
{
    (void)r, (void)ev, (void)ud;
    handler_spin.ran_ns = spin_ms(ok ? 1 : handler_spin.ms);
    submit(quit, NULL, RTK_PRIORITY_IDLE, "quit");
    return RTK_HANDLED;
}

static void slow_render(rtk_runtime_t *r, void *ud)
{
    (void)r, (void)ud;
    render_spin.ran_ns = spin_ms(ok ? 1 : render_spin.ms);
}

static int keystroke(void *arg)
{
    (void)arg;
    printf("keystroke %llu\n", (unsigned long long)rtk_current_cause());
    rtk_id_t r = submit(spin_item, &reflow_spin, RTK_PRIORITY_NORMAL, "reflow");
    rtk_id_t l = submit(spin_item, &layout_spin, RTK_PRIORITY_NORMAL, "layout");
    printf("reflow %llu\nlayout %llu\n", (unsigned long long)r, (unsigned long long)l);
    rtk_render_request(rt);
    rtk_event_desc_t e;
    rtk_event_desc_init(&e, 7, NULL);
    rtk_id_t ev = 0;
    if (rtk_event_post(rt, &e, &ev) != RTK_OK)
        return 1;
    printf("event %llu\n", (unsigned long long)ev);
    return 0;
}

static int mode_blocked(void)
{
    if (rtk_subscribe(rt, 7, RTK_PRIORITY_NORMAL, spell_check, NULL, NULL) != RTK_OK)
        return -1;
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, keystroke, NULL);
    d.name = "keystroke";
    rtk_id_t cmd = 0;
    if (rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, &cmd) != RTK_OK)
        return -1;
    printf("command %llu\n", (unsigned long long)cmd);
    return 0;
}

/* --- timer_late --------------------------------------------------------- */

static int arm(void *arg)
{
    (void)arg;
    rtk_timer_desc_t t;
    rtk_timer_desc_init(&t, quit, NULL);
    t.delay_ns = 5000000;
    t.name = "autosave";
    rtk_id_t id = 0;
    if (rtk_timer_start(rt, &t, &id) != RTK_OK)
        return 1;
    printf("timer %llu\n", (unsigned long long)id);
    submit(spin_task, (void *)(uintptr_t)(ok ? 1 : 40), RTK_PRIORITY_NORMAL, "hog");
    return 0;
}

/* --- starved ------------------------------------------------------------ */

static int busy_left;

static int busy(void *arg)
{
    (void)arg;
    spin_ms(5);
    if (--busy_left > 0)
        submit(busy, NULL, RTK_PRIORITY_HIGH, "busy");
    return 0;
}

static int background(void *arg)
{
    (void)arg;
    rtk_shutdown(rt);
    return 0;
}

static int start_starved(void *arg)
{
    (void)arg;
    rtk_id_t b = submit(background, NULL, RTK_PRIORITY_LOW, "background");
    printf("background %llu\n", (unsigned long long)b);
    busy_left = ok ? 4 : 40;
    submit(busy, NULL, RTK_PRIORITY_HIGH, "busy");
    return 0;
}

/* --- requeue ------------------------------------------------------------ */

static int chunks_left, chunks;

static int search_chunk(void *arg)
{
    (void)arg;
    chunks++;
    if (--chunks_left > 0) {
        submit(search_chunk, NULL, RTK_PRIORITY_NORMAL, "search_chunk");
    } else {
        printf("last %llu\ntasks %d\n", (unsigned long long)rtk_current_cause(), chunks);
        rtk_shutdown(rt);
    }
    return 0;
}

/* --- queue_full and drops ----------------------------------------------- */

static int noop(void *arg)
{
    (void)arg;
    return 0;
}

static int fill(void *arg)
{
    int n = (int)(intptr_t)arg, refused = 0;
    submit(quit, NULL, RTK_PRIORITY_IDLE, "quit");
    for (int i = 0; i < n; i++)
        if (!submit(noop, NULL, RTK_PRIORITY_NORMAL, "item"))
            refused++;
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    printf("queued %zu\ndrops %d\n", s.work_queue_len, refused);
    rtk_stats_trace(rt);
    return 0;
}

/* --- render_stall ------------------------------------------------------- */

static int paint(void *arg)
{
    (void)arg;
    if (!never && !rtk_render_take(rt))
        return 1;
    rtk_shutdown(rt);
    return 0;
}

static int edit(void *arg)
{
    (void)arg;
    printf("edit %llu\n", (unsigned long long)rtk_current_cause());
    rtk_render_request(rt);
    rtk_timer_desc_t t;
    rtk_timer_desc_init(&t, paint, NULL);
    t.delay_ns = (ok ? 5u : 100u) * 1000000u;
    t.name = "paint";
    return rtk_timer_start(rt, &t, NULL) == RTK_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || (argc == 3 && strcmp(argv[2], "ok") && strcmp(argv[2], "never")) ||
        argc > 3) {
        fprintf(stderr, "usage: lint_workload MODE [ok|never]\n");
        return 2;
    }
    const char *mode = argv[1];
    ok = argc == 3 && !strcmp(argv[2], "ok");
    never = argc == 3 && !strcmp(argv[2], "never");
    rtk_config_t c;
    rtk_config_init(&c);
    c.stats_interval_ns = 0; /* snapshots only when asked: exact counts */
    if (!strcmp(mode, "drops"))
        c.work_queue_capacity = 64;
    if (!strcmp(mode, "blocked"))
        c.render = slow_render;
    if (rtk_runtime_create(&c, &rt) != RTK_OK || rtk_boot(rt) != RTK_OK) {
        fprintf(stderr, "lint_workload: cannot start the runtime\n");
        return 1;
    }
    int rc = 0;
    if (!strcmp(mode, "blocked"))
        rc = mode_blocked();
    else if (!strcmp(mode, "timer_late"))
        rc = submit(arm, NULL, RTK_PRIORITY_NORMAL, "arm") ? 0 : -1;
    else if (!strcmp(mode, "starved"))
        rc = submit(start_starved, NULL, RTK_PRIORITY_CRITICAL, "start") ? 0 : -1;
    else if (!strcmp(mode, "requeue")) {
        chunks_left = ok ? 60 : 150;
        rtk_id_t first = submit(search_chunk, NULL, RTK_PRIORITY_NORMAL, "search_chunk");
        printf("first %llu\n", (unsigned long long)first);
        rc = first ? 0 : -1;
    } else if (!strcmp(mode, "queue_full"))
        rc = submit(fill, (void *)(intptr_t)(ok ? 700 : 900), RTK_PRIORITY_NORMAL,
                    "fill") ? 0 : -1;
    else if (!strcmp(mode, "drops"))
        rc = submit(fill, (void *)(intptr_t)(ok ? 50 : 100), RTK_PRIORITY_NORMAL,
                    "fill") ? 0 : -1;
    else if (!strcmp(mode, "render_stall"))
        rc = submit(edit, NULL, RTK_PRIORITY_NORMAL, "edit") ? 0 : -1;
    else {
        fprintf(stderr, "lint_workload: unknown mode '%s'\n", mode);
        rtk_runtime_destroy(rt);
        return 2;
    }
    fflush(stdout);
    if (rc || rtk_run(rt) != RTK_OK) {
        fprintf(stderr, "lint_workload: %s failed\n", mode);
        rc = 1;
    }
    if (!strcmp(mode, "blocked"))
        for (spin_t *sp = &reflow_spin; sp; sp = sp == &reflow_spin   ? &layout_spin
                                                 : sp == &layout_spin  ? &handler_spin
                                                 : sp == &handler_spin ? &render_spin
                                                                       : NULL)
            printf("ran_%s %llu\n", sp->what, (unsigned long long)sp->ran_ns);
    fflush(stdout);
    rtk_runtime_destroy(rt);
    return rc ? 1 : 0;
}
