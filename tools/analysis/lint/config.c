/* config.c - the lint thresholds: defaults, the "KEY=VALUE" setter behind
 * `rt-trace lint --set` (and the live mode's), and the key list for
 * --help. Values are parsed in the C locale's number syntax ('.' decimal
 * point: rt-trace never calls setlocale). Cost: O(keys) per assignment.
 */
#include "lint.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum key_type { K_DURATION, K_SHARE, K_COUNT, K_CAPACITY, K_FACTOR };

typedef struct key {
    const char *name;
    enum key_type type;
    size_t off;
} key_t_;

#define OFF(f) offsetof(rtt_lint_config_t, f)
static const key_t_ keys[] = {
    {"blocked.frame", K_DURATION, OFF(blocked_frame_ns)},
    {"blocked.long", K_DURATION, OFF(blocked_long_ns)},
    {"timer_late.lateness", K_DURATION, OFF(timer_late_ns)},
    {"starved.wait", K_DURATION, OFF(starved_wait_ns)},
    {"starved.share", K_SHARE, OFF(starved_share)},
    {"requeue.links", K_COUNT, OFF(requeue_links)},
    {"queue_full.share", K_SHARE, OFF(queue_share)},
    {"queue_full.work_capacity", K_CAPACITY, OFF(work_capacity)},
    {"queue_full.event_capacity", K_CAPACITY, OFF(event_capacity)},
    {"queue_full.async_capacity", K_CAPACITY, OFF(async_capacity)},
    {"drops.count", K_COUNT, OFF(drops_count)},
    {"tracer_loss.events", K_COUNT, OFF(tracer_loss_events)},
    {"render_stall.frame", K_DURATION, OFF(frame_interval_ns)},
    {"render_stall.frames", K_FACTOR, OFF(render_frames)},
};
#define NKEYS (sizeof keys / sizeof keys[0])

void rtt_lint_config_init(rtt_lint_config_t *c)
{
    c->blocked_frame_ns = 16700000;
    c->blocked_long_ns = 50000000;
    c->timer_late_ns = 10000000;
    c->starved_wait_ns = 100000000;
    c->starved_share = 0.5;
    c->requeue_links = 100;
    c->queue_share = 0.8;
    /* the runtime's defaults (rtk/runtime.h, rtk_config_init) */
    c->work_capacity = 1024;
    c->event_capacity = 256;
    c->async_capacity = 1024;
    c->drops_count = 0;
    c->tracer_loss_events = 0;
    c->frame_interval_ns = 16700000;
    c->render_frames = 2.0;
}

const char *rtt_lint_config_keys(void)
{
    return "      blocked.frame=16.7ms         an item ran longer: warning\n"
           "      blocked.long=50ms            an item ran longer: error\n"
           "      timer_late.lateness=10ms     a fire later than its deadline by more\n"
           "      starved.wait=100ms           a task waited longer ...\n"
           "      starved.share=0.5            ... while higher priorities ran this share\n"
           "      requeue.links=100            a self-requeuing chain has more tasks\n"
           "      queue_full.share=0.8         a queue holds more of its capacity\n"
           "      queue_full.work_capacity=1024  capacities are not in the trace:\n"
           "      queue_full.event_capacity=256  these are the runtime's defaults\n"
           "      queue_full.async_capacity=1024\n"
           "      drops.count=0                more drops of one reason\n"
           "      tracer_loss.events=0         more events discarded by the tracer\n"
           "      render_stall.frame=16.7ms    the frame interval ...\n"
           "      render_stall.frames=2        ... a request waits more of them\n";
}

/* A duration: a number and an optional unit (ns, us, ms, s, min, h), as
 * --from/--to take them. */
static int parse_duration(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v < 0)
        return -1;
    static const struct { const char *u; double mul; } units[] = {
        {"", 1}, {"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"min", 60e9},
        {"h", 3600e9}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (!strcmp(end, units[i].u)) {
            double ns = v * units[i].mul;
            if (ns > 9.2e18)
                return -1;
            *out = (int64_t)llround(ns);
            return 0;
        }
    return -1;
}

static int parse_count(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || errno || v < 0 || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    *out = v;
    return 0;
}

/* 0.8 or 80%; a share is in [0, 1]. */
static int parse_share(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !isfinite(v))
        return -1;
    if (!strcmp(end, "%"))
        v /= 100;
    else if (*end)
        return -1;
    if (v < 0 || v > 1)
        return -1;
    *out = v;
    return 0;
}

int rtt_lint_config_set(rtt_lint_config_t *c, const char *assign, char *err,
                        size_t errlen)
{
    const char *eq = strchr(assign, '=');
    size_t klen = eq ? (size_t)(eq - assign) : strlen(assign);
    const key_t_ *k = NULL;
    for (size_t i = 0; i < NKEYS; i++)
        if (strlen(keys[i].name) == klen && !strncmp(keys[i].name, assign, klen))
            k = &keys[i];
    if (!k) {
        snprintf(err, errlen, "unknown threshold '%.*s' (see --help for the keys)",
                 (int)(klen > 64 ? 64 : klen), assign);
        return -1;
    }
    if (!eq) {
        snprintf(err, errlen, "no value for '%s': expected %s=VALUE", k->name, k->name);
        return -1;
    }
    const char *v = eq + 1;
    char *base = (char *)c + k->off;
    int bad = 0;
    const char *expect = "";
    switch (k->type) {
    case K_DURATION:
        bad = parse_duration(v, (int64_t *)(void *)base);
        expect = "a duration such as 16.7ms";
        break;
    case K_SHARE:
        bad = parse_share(v, (double *)(void *)base);
        expect = "a share from 0 to 1, or 0% to 100%";
        break;
    case K_COUNT:
        bad = parse_count(v, (int64_t *)(void *)base);
        expect = "a whole number";
        break;
    case K_CAPACITY: {
        int64_t n;
        bad = parse_count(v, &n) || n == 0;
        if (!bad)
            *(int64_t *)(void *)base = n;
        expect = "a whole number above 0";
        break;
    }
    case K_FACTOR: {
        char *end;
        errno = 0;
        double f = strtod(v, &end);
        bad = end == v || *end || errno || !isfinite(f) || f <= 0;
        if (!bad)
            *(double *)(void *)base = f;
        expect = "a number above 0";
        break;
    }
    }
    if (bad) {
        snprintf(err, errlen, "bad value '%.64s' for %s: expected %s", v, k->name, expect);
        return -1;
    }
    return 0;
}
