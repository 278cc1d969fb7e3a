/* interactions_q.c - the interactions query (`rt-trace interactions`):
 * keystroke-to-render latency as a result.
 *
 * Sections: "interactions" (one record: counts, latency percentiles, shares
 * over the budget, over half of it, over 16.7 ms and over 8.3 ms; left out
 * with RTT_IX_NO_SUMMARY), "hint" (RTT_IX_HINTS, table output only: why
 * there are no keystrokes when the trace has tasks but no root command,
 * rtt_interactions_hint), "split"
 * (one row per part of the latency: queue, run, frame_wait, render, the
 * total, then the INP-style parts input_delay, processing, presentation,
 * and the share of the mean latency each takes), "by_name" (the same per root task
 * name: key_insert, key_move, ...) and "worst" (the N slowest, each with its
 * chain). The work is analysis/interactions/: O(rows) to rebuild, O(n log
 * n) to aggregate.
 */
#include <stdlib.h>
#include <string.h>

#include "queries.h"
#include "satmath.h"

#include "bounds.h"
#include "interactions.h"

#include <stdio.h>

void rtt_interactions_out_summary(rtt_out_t *out, const char *section,
                                  const rtt_interaction_stats_t *st)
{
    rtt_out_section(out, section, 1);
    static const char *cols[] = {"keystrokes", "count", "no_render"};
    for (size_t i = 0; i < 3; i++)
        rtt_out_column(out, cols[i], RTT_UNIT_PLAIN);
    rtt_out_column(out, "budget", RTT_UNIT_NS);
    static const char *pc[] = {"p50", "p90", "p99", "max", "mean"};
    for (size_t i = 0; i < 5; i++)
        rtt_out_column(out, pc[i], RTT_UNIT_NS);
    rtt_out_column(out, "over_budget_share", RTT_UNIT_RATIO);
    rtt_out_column(out, "over_half_budget_share", RTT_UNIT_RATIO);
    rtt_out_column(out, "over_16ms_share", RTT_UNIT_RATIO);
    rtt_out_column(out, "over_8ms_share", RTT_UNIT_RATIO);
    rtt_out_column(out, "inputs", RTT_UNIT_PLAIN);
    rtt_out_column(out, "blocked", RTT_UNIT_PLAIN);
    rtt_out_row(out);
    rtt_out_int(out, (int64_t)st->keystrokes);
    rtt_out_int(out, (int64_t)st->count);
    rtt_out_int(out, (int64_t)st->no_render);
    rtt_out_int(out, st->budget_ns);
    if (st->count) {
        rtt_out_int(out, st->latency.p50);
        rtt_out_int(out, st->latency.p90);
        rtt_out_int(out, st->latency.p99);
        rtt_out_int(out, st->latency.max);
        rtt_out_float(out, st->latency.mean);
    } else {
        for (int i = 0; i < 5; i++)
            rtt_out_null(out);
    }
    rtt_out_float(out, st->over_budget_share);
    rtt_out_float(out, st->over_half_budget_share);
    rtt_out_float(out, st->over_16ms_share);
    rtt_out_float(out, st->over_8ms_share);
    rtt_out_int(out, (int64_t)st->inputs);
    rtt_out_int(out, (int64_t)st->blocked);
}

static void put_split(rtt_out_t *out, const rtt_interaction_stats_t *st)
{
    rtt_out_section(out, "split", 0);
    rtt_out_column(out, "part", RTT_UNIT_PLAIN);
    static const char *pc[] = {"p50", "p90", "p99", "max", "mean"};
    for (size_t i = 0; i < 5; i++)
        rtt_out_column(out, pc[i], RTT_UNIT_NS);
    rtt_out_column(out, "share_of_latency", RTT_UNIT_RATIO);
    const struct {
        const char *name;
        const rtt_dist_t *d;
    } parts[] = {{"queue", &st->queue},
                 {"run", &st->run},
                 {"frame_wait", &st->frame_wait},
                 {"render", &st->render},
                 {"total", &st->latency},
                 /* the same latency, INP-style: input_delay = queue,
                  * processing = run, presentation = frame_wait + render */
                 {"input_delay", &st->input_delay},
                 {"processing", &st->processing},
                 {"presentation", &st->presentation}};
    if (!st->count)
        return;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        rtt_out_row(out);
        rtt_out_text(out, parts[i].name);
        rtt_out_int(out, parts[i].d->p50);
        rtt_out_int(out, parts[i].d->p90);
        rtt_out_int(out, parts[i].d->p99);
        rtt_out_int(out, parts[i].d->max);
        rtt_out_float(out, parts[i].d->mean);
        rtt_out_float(out, st->latency.mean > 0
                               ? parts[i].d->mean / st->latency.mean : 0.0);
    }
}

/* Per root task name (key_insert, key_move, ...): count, no_render and the
 * latency distribution. Names are interned, so equal names share a pointer;
 * the few groups are found by a linear scan. O(n x names + n log n). */
static int put_by_name(rtt_out_t *out, const rtt_interactions_t *set,
                       int64_t budget_ns)
{
    rtt_out_section(out, "by_name", 0);
    rtt_out_column(out, "name", RTT_UNIT_PLAIN);
    rtt_out_column(out, "keystrokes", RTT_UNIT_PLAIN);
    rtt_out_column(out, "no_render", RTT_UNIT_PLAIN);
    static const char *pc[] = {"p50", "p90", "p99", "max"};
    for (size_t i = 0; i < 4; i++)
        rtt_out_column(out, pc[i], RTT_UNIT_NS);
    rtt_out_column(out, "over_budget_share", RTT_UNIT_RATIO);
    size_t n = rtt_interactions_count(set), ng = 0;
    const char **names = malloc((n ? n : 1) * sizeof *names);
    int64_t *v = malloc((n ? n : 1) * sizeof *v);
    if (!names || !v) {
        free(names);
        free(v);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *nm = rtt_interactions_get(set, i)->name;
        size_t g = 0;
        while (g < ng && names[g] != nm)
            g++;
        if (g == ng)
            names[ng++] = nm;
    }
    /* sort the group names alphabetically (few: insertion sort) */
    for (size_t i = 1; i < ng; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    for (size_t g = 0; g < ng; g++) {
        size_t m = 0, total = 0, over = 0;
        for (size_t i = 0; i < n; i++) {
            const rtt_interaction_t *x = rtt_interactions_get(set, i);
            if (x->name != names[g])
                continue;
            total++;
            if (x->has_render) {
                v[m++] = x->latency_ns;
                over += x->latency_ns > budget_ns;
            }
        }
        rtt_dist_t d;
        rtt_interactions_dist(v, m, &d);
        rtt_out_row(out);
        rtt_out_text(out, names[g]);
        rtt_out_int(out, (int64_t)total);
        rtt_out_int(out, (int64_t)(total - m));
        if (m) {
            rtt_out_int(out, d.p50);
            rtt_out_int(out, d.p90);
            rtt_out_int(out, d.p99);
            rtt_out_int(out, d.max);
            rtt_out_float(out, (double)over / (double)m);
        } else {
            for (int k = 0; k < 5; k++)
                rtt_out_null(out);
        }
    }
    free(names);
    free(v);
    return 0;
}

static int put_worst(rtt_out_t *out, const rtt_interactions_t *set, size_t n,
                     int64_t t0)
{
    rtt_out_section(out, "worst", 0);
    static const char *cols[] = {"rank", "proc", "command_id", "name"};
    for (size_t i = 0; i < 4; i++)
        rtt_out_column(out, cols[i], RTT_UNIT_PLAIN);
    rtt_out_column(out, "at", RTT_UNIT_NS);
    static const char *pc[] = {"latency", "queue", "run", "frame_wait",
                               "render"};
    for (size_t i = 0; i < 5; i++)
        rtt_out_column(out, pc[i], RTT_UNIT_NS);
    rtt_out_column(out, "frame", RTT_UNIT_PLAIN);
    rtt_out_column(out, "items", RTT_UNIT_PLAIN);
    rtt_out_column(out, "input_id", RTT_UNIT_PLAIN);
    static const char *inp[] = {"input_delay", "processing", "presentation"};
    for (size_t i = 0; i < 3; i++)
        rtt_out_column(out, inp[i], RTT_UNIT_NS);
    rtt_out_column(out, "blocked_by", RTT_UNIT_PLAIN);
    rtt_out_column(out, "blocked", RTT_UNIT_NS);
    rtt_out_column(out, "chain", RTT_UNIT_PLAIN);
    if (!n)
        return 0;
    size_t *idx = malloc(n * sizeof *idx);
    char *chain = malloc(4096);
    if (!idx || !chain) {
        free(idx);
        free(chain);
        return -1;
    }
    size_t m = rtt_interactions_worst(set, n, idx);
    for (size_t r = 0; r < m; r++) {
        const rtt_interaction_t *x = rtt_interactions_get(set, idx[r]);
        rtt_out_row(out);
        rtt_out_int(out, (int64_t)r + 1);
        rtt_out_int(out, x->proc);
        rtt_out_int(out, (int64_t)x->command_id);
        rtt_out_text(out, x->name);
        rtt_out_int(out, rtt_sat_sub(x->sent_ts, t0));
        rtt_out_int(out, x->latency_ns);
        rtt_out_int(out, x->queue_ns);
        rtt_out_int(out, x->run_ns);
        rtt_out_int(out, x->frame_wait_ns);
        rtt_out_int(out, x->render_ns);
        if (x->frame >= 0)
            rtt_out_int(out, x->frame);
        else
            rtt_out_null(out);
        rtt_out_int(out, x->items);
        if (x->input_id)
            rtt_out_int(out, (int64_t)x->input_id);
        else
            rtt_out_null(out);
        rtt_out_int(out, x->input_delay_ns);
        rtt_out_int(out, x->processing_ns);
        rtt_out_int(out, x->presentation_ns);
        if (x->blocked) {
            rtt_out_text(out, x->blocked_by);
            rtt_out_int(out, x->blocked_ns);
        } else {
            rtt_out_null(out);
            rtt_out_null(out);
        }
        rtt_interactions_chain(set, idx[r], chain, 4096);
        rtt_out_text(out, chain);
    }
    free(idx);
    free(chain);
    return 0;
}

/* The n integers of the one row of `what` (a format whose %s becomes the
 * process selection, ?1 its value, as the interactions loader selects). */
static int ints_sel(sqlite3 *db, const char *what, int64_t proc,
                    const char *procname, int64_t *v, int n)
{
    char sql[384];
    const char *sel = procname ? "proc IN (SELECT proc FROM procs WHERE procname = ?1)"
                      : proc >= 0 ? "proc = ?1"
                                  : "1";
    snprintf(sql, sizeof sql, what, sel);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (procname)
        sqlite3_bind_text(st, 1, procname, -1, SQLITE_STATIC);
    else if (proc >= 0)
        sqlite3_bind_int64(st, 1, proc);
    int rc = sqlite3_step(st);
    for (int i = 0; i < n; i++)
        v[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0; /* NULL: 0 */
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int rtt_interactions_hint(sqlite3 *db, int64_t proc, const char *procname,
                          rtt_ix_hint_t *h, char *err, size_t errlen)
{
    memset(h, 0, sizeof *h);
    int64_t roots, t[2];
    /* roots as model.c finds them: cmd 2 (schedule_task) with cause 0, and
     * input marks */
    if (ints_sel(db, "SELECT COUNT(*) FROM commands WHERE cmd = 2 AND cause = 0"
                     " AND %s", proc, procname, &roots, 1))
        goto sqlerr;
    if (roots)
        return 0;
    if (ints_sel(db, "SELECT COUNT(*) FROM inputs WHERE %s", proc, procname,
                 &roots, 1))
        goto sqlerr;
    if (roots)
        return 0;
    if (ints_sel(db, "SELECT COUNT(*), SUM(source = 0) FROM tasks WHERE %s", proc,
                 procname, t, 2))
        goto sqlerr;
    h->tasks = t[0];
    h->submitted = t[1];
    h->applies = h->tasks > 0;
    return 0;

sqlerr:
    snprintf(err, errlen, "cannot read the trace tables: %s", sqlite3_errmsg(db));
    return -1;
}

/* Returns 0 with p->known (1 or 0) and, when 0, p->list: the first five
 * processes of db by proc number, p->more if it has others; -1 with
 * SQLite's message in err. A failing list leaves the rows read so far. */
int rtt_interactions_proc_known(sqlite3 *db, int64_t proc, const char *procname,
                                rtt_ix_procs_t *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    sqlite3_stmt *st = NULL;
    int known = -1;
    if (sqlite3_prepare_v2(db, procname ? "SELECT 1 FROM procs WHERE procname = ?1"
                                        : "SELECT 1 FROM procs WHERE proc = ?1",
                           -1, &st, NULL) == SQLITE_OK) {
        if (procname)
            sqlite3_bind_text(st, 1, procname, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(st, 1, proc);
        int rc = sqlite3_step(st);
        known = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    if (known < 0) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    p->known = known;
    if (known)
        return 0;
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT proc, procname FROM procs ORDER BY proc LIMIT 6",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (p->n == RTT_IX_PROCS_LISTED) { /* the first five, then "more" */
                p->more = 1;
                break;
            }
            const unsigned char *name = sqlite3_column_text(st, 1);
            p->list[p->n].proc = sqlite3_column_int64(st, 0);
            p->list[p->n].named = name != NULL;
            snprintf(p->list[p->n].name, sizeof p->list[p->n].name, "%.32s",
                     name ? (const char *)name : "");
            p->n++;
        }
    }
    sqlite3_finalize(st);
    return 0;
}

void rtt_out_interactions_hint(rtt_out_t *out, const rtt_ix_hint_t *h)
{
    if (!h->applies)
        return;
    char tasks[128], note[512];
    if (h->submitted == h->tasks)
        snprintf(tasks, sizeof tasks, "its %lld task%s %s submitted with rtk_submit",
                 (long long)h->tasks, h->tasks == 1 ? "" : "s",
                 h->tasks == 1 ? "was" : "were");
    else
        snprintf(tasks, sizeof tasks, "it has %lld task%s, %lld submitted with rtk_submit",
                 (long long)h->tasks, h->tasks == 1 ? "" : "s",
                 (long long)h->submitted);
    snprintf(note, sizeof note,
             "no interactions: a keystroke is an input mark (rtk_input_mark) or a"
             " RTK_CMD_SCHEDULE_TASK command sent from outside the runtime"
             " (cause 0), and this trace has neither; %s --"
             " see docs/rt-trace.md#interactions",
             tasks);
    rtt_out_section(out, "hint", 1);
    rtt_out_column(out, "note", RTT_UNIT_PLAIN);
    rtt_out_row(out);
    rtt_out_text(out, note);
}

int rtt_query_interactions(sqlite3 *db, int64_t budget_ns, size_t worst, int64_t proc,
                           const char *procname, unsigned flags, rtt_out_t **result,
                           char *err, size_t errlen)
{
    rtt_interactions_t *set;
    if (rtt_interactions_load_proc(db, proc, procname, &set, err, errlen) < 0)
        return -1;
    int rc = rtt_query_interactions_of(db, set, budget_ns, worst, proc, procname, flags,
                                       result, err, errlen);
    rtt_interactions_free(set);
    return rc;
}

int rtt_query_interactions_of(sqlite3 *db, const rtt_interactions_t *set, int64_t budget_ns,
                              size_t worst, int64_t proc, const char *procname,
                              unsigned flags, rtt_out_t **result, char *err, size_t errlen)
{
    rtt_bounds_t b;
    int64_t t0 = 0;
    if (rtt_trace_bounds(db, &b) == 0 && b.known)
        t0 = b.start;
    rtt_interaction_stats_t st;
    rtt_interactions_stats(set, budget_ns, &st);
    rtt_out_t *out = rtt_out_new();
    if (!out) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!(flags & RTT_IX_NO_SUMMARY))
        rtt_interactions_out_summary(out, "interactions", &st);
    if ((flags & RTT_IX_HINTS) && st.keystrokes == 0) {
        rtt_ix_hint_t h;
        if (rtt_interactions_hint(db, proc, procname, &h, err, errlen) < 0) {
            rtt_out_free(out);
            return -1;
        }
        rtt_out_interactions_hint(out, &h);
    }
    put_split(out, &st);
    if (put_by_name(out, set, st.budget_ns) < 0 ||
        put_worst(out, set, worst, t0) < 0) {
        snprintf(err, errlen, "out of memory");
        rtt_out_free(out);
        return -1;
    }
    *result = out;
    return 0;
}
