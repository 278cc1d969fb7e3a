/* live_lint.c - lint findings in the live view (see live_internal.h): the
 * lint rules of `rt-trace lint` (analysis/lint, one implementation) run
 * each interval over the new range [last end, watermark] of the
 * database (--record, or the dashboard's temporary one), so each finding
 * shows up once, in the interval it became known. Default thresholds
 * (docs/rt-trace.md "lint").
 * Cost: the rules' (lint.h), bounded to a quarter of the time: a run that
 * took T waits 4T before the next, which then covers all it skipped. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "live_internal.h"
#include "mono.h"

#include "lint.h"

#include <stdio.h>

void rtt__live_lints(rtt_live_t *l, rtt_live_snapshot_t *s)
{
    if (!l->db || !l->watermark)
        return;
    double t0 = rtt_mono_s();
    if (t0 < l->lint_next && !l->finished) /* the last one covers the rest */
        return;
    if (!l->lint_init) {
        rtt_lint_config_init(&l->lint_cfg);
        l->lint_from = RTT_LINT_FROM_ALL;
        l->lint_init = 1;
    }
    int64_t to = l->watermark + 1; /* the range is [from, to) */
    rtt_lint_result_t r = {0};
    char err[256];
    if (rtt_lint_run(l->db, &l->lint_cfg, l->lint_from, to, 0, &r, err, sizeof err) != 0)
        return; /* tried again next interval over the same range */
    l->lint_from = to;
    for (size_t i = 0; i < r.n; i++) {
        const rtt_lint_finding_t *f = &r.f[i];
        if (f->severity < RTT_LINT_WARNING)
            continue;
        l->lints_total++;
        if (s->nlints >= RTT_LIVE_LINTS)
            continue;
        rtt_live_lint_t *o = &s->lints[s->nlints++];
        snprintf(o->rule, sizeof o->rule, "%s", rtt_lint_rule_name(f->rule));
        snprintf(o->message, sizeof o->message, "%s", f->message ? f->message : "");
        o->ts = f->ts;
        o->id = (uint64_t)f->id;
    }
    rtt_lint_result_free(&r);
    double took = rtt_mono_s() - t0;
    l->lint_next = t0 + 4 * took;
}
