/* query_interactions.c - `rt-trace interactions DB [--budget 16.7ms] [-n N]
 * [--format table|json|csv]`: keystroke-to-render latency.
 *
 * Sections: "interactions" (one record: counts, latency percentiles, shares
 * over the budget, over half of it, over 16.7 ms and over 8.3 ms), "split"
 * (one row per part of the latency: queue, run, frame_wait, render, and the
 * share of the mean latency each takes), "by_name" (the same per root task
 * name: key_insert, key_move, ...) and "worst" (the N slowest, each with its
 * chain). The work is interactions.c: O(rows) to rebuild, O(n log
 * n) to aggregate.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "interactions.h"
#include "output.h"
#include "query_common.h"

enum { OPT_BUDGET = 1, OPT_N, OPT_PROC };

typedef struct ictx {
    const rtt_qopts_t *o;
    int64_t budget_ns;
    long n;
    int64_t proc;          /* --proc NUMBER, -1 */
    const char *procname;  /* --proc NAME */
} ictx_t;

static int on_opt(void *vctx, int id, const char *arg)
{
    ictx_t *c = vctx;
    if (id == OPT_BUDGET) {
        if (rtt_parse_duration(arg, &c->budget_ns) < 0 || c->budget_ns <= 0) {
            rtt_qerr(c->o, "--budget: not a positive duration: %s", arg);
            return -1;
        }
    } else if (id == OPT_N) {
        int64_t v;
        if (rtt_parse_count(c->o, arg, &v) < 0)
            return -1;
        c->n = (long)v;
    } else if (id == OPT_PROC) {
        char *end;
        long long v = strtoll(arg, &end, 10);
        if (*arg && !*end && v >= 0) {
            c->proc = v;
            c->procname = NULL;
        } else if (*arg) {
            c->procname = arg;
        } else {
            rtt_qerr(c->o, "--proc: expected a proc number or a process name");
            return -1;
        }
    }
    return 0;
}

static const char usage[] =
    "usage: rt-trace interactions DB [--budget DURATION] [-n N] "
    "[--format table|json|csv]\n"
    "Keystroke-to-render latency rebuilt from cause ids: each schedule_task\n"
    "command sent from outside the runtime (cause 0), everything it caused,\n"
    "and the first render after its first render request.\n"
    "  --budget D     frame budget for the over-budget shares (default 16.7ms)\n"
    "  -n, --limit N  how many of the slowest interactions to list (default 10)\n"
    "  --proc P       only process P: a proc number (procs.proc) or a name\n"
    "  --format F     table (default), json or csv\n";

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
                 {"total", &st->latency}};
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
        rtt_out_int(out, x->sent_ts - t0);
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
        rtt_interactions_chain(set, idx[r], chain, 4096);
        rtt_out_text(out, chain);
    }
    free(idx);
    free(chain);
    return 0;
}

int rtt_cmd_interactions(int argc, char **argv)
{
    rtt_qopts_t o;
    ictx_t c = {&o, 0, 10, -1, NULL};
    static const rtt_qopt_spec_t extra[] = {
        {"budget", 0, 1, OPT_BUDGET}, {"limit", 'n', 1, OPT_N},
        {"proc", 0, 1, OPT_PROC}, {NULL, 0, 0, 0}};
    int rc = rtt_qparse(&o, "interactions", argc, argv, 0, extra, on_opt, &c, 1,
                        1, usage);
    if (rc >= 0)
        return rc;
    sqlite3 *db;
    if (rtt_qopen(&o, &db) < 0)
        return 1;
    char err[512];
    rtt_interactions_t *set;
    if (rtt_interactions_load_proc(db, c.proc, c.procname, &set, err,
                                   sizeof err) < 0) {
        rtt_qerr(&o, "%s: %s", err, o.pos[0]);
        sqlite3_close(db);
        return 1;
    }
    rtt_bounds_t b;
    int64_t t0 = 0;
    if (rtt_trace_bounds(db, &b) == 0 && b.known)
        t0 = b.start;
    rtt_interaction_stats_t st;
    rtt_interactions_stats(set, c.budget_ns, &st);
    rtt_out_t *out = rtt_out_new();
    if (!out) {
        rtt_qerr(&o, "out of memory");
        rtt_interactions_free(set);
        sqlite3_close(db);
        return 1;
    }
    rtt_interactions_out_summary(out, "interactions", &st);
    put_split(out, &st);
    if (put_by_name(out, set, st.budget_ns) < 0 ||
        put_worst(out, set, (size_t)c.n, t0) < 0) {
        rtt_qerr(&o, "out of memory");
        rtt_out_free(out);
        rtt_interactions_free(set);
        sqlite3_close(db);
        return 1;
    }
    rtt_interactions_free(set);
    sqlite3_close(db);
    return rtt_qwrite(&o, out);
}
