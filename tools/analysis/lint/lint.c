/* lint.c - runs the selected lint rules over [from_ts, to_ts) of a
 * database and orders their findings (lint.h). Reads the trace bounds
 * once; each rule then reads its own table. Cost: the rules' (lint.h).
 */
#include "rules.h"

#include "bounds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    rtt_lint_rule_fn fn;
} rules[RTT_LINT_NRULES] = {
    [RTT_LINT_BLOCKED] = {"blocked", rtt_lint_rule_blocked},
    [RTT_LINT_TIMER_LATE] = {"timer_late", rtt_lint_rule_timer_late},
    [RTT_LINT_STARVED] = {"starved", rtt_lint_rule_starved},
    [RTT_LINT_REQUEUE] = {"requeue", rtt_lint_rule_requeue},
    [RTT_LINT_QUEUE_FULL] = {"queue_full", rtt_lint_rule_queue_full},
    [RTT_LINT_DROPS] = {"drops", rtt_lint_rule_drops},
    [RTT_LINT_TRACER_LOSS] = {"tracer_loss", rtt_lint_rule_tracer_loss},
    [RTT_LINT_RENDER_STALL] = {"render_stall", rtt_lint_rule_render_stall},
};

const char *rtt_lint_rule_name(int rule)
{
    return rule >= 0 && rule < RTT_LINT_NRULES ? rules[rule].name : NULL;
}

int rtt_lint_rule_find(const char *name)
{
    for (int i = 0; i < RTT_LINT_NRULES; i++)
        if (!strcmp(rules[i].name, name))
            return i;
    return -1;
}

/* Within a rule: time, then proc, then id. */
static int cmp_finding(const void *pa, const void *pb)
{
    const rtt_lint_finding_t *a = pa, *b = pb;
    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    if (a->proc != b->proc)
        return a->proc < b->proc ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

int rtt_lint_run(sqlite3 *db, const rtt_lint_config_t *cfg, int64_t from_ts,
                 int64_t to_ts, unsigned sel, rtt_lint_result_t *out, char *err,
                 size_t errlen)
{
    memset(out, 0, sizeof *out);
    rtt_bounds_t b;
    if (rtt_trace_bounds(db, &b)) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    out->start_ts = b.known ? b.start : 0;
    rtt_lint_ctx_t ctx = {db,  cfg, from_ts, to_ts, b.known ? b.end : 0,
                          out, err, errlen};
    if (!sel)
        sel = RTT_LINT_ALL_RULES;
    for (int i = 0; i < RTT_LINT_NRULES; i++) {
        if (!(sel & (1u << i)))
            continue;
        if (rules[i].fn(&ctx)) {
            rtt_lint_result_free(out);
            return -1;
        }
    }
    if (out->n > 1)
        qsort(out->f, out->n, sizeof out->f[0], cmp_finding);
    return 0;
}
