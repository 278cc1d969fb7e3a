/* evaluate.c - measures each budget rule on a database (see evaluate.h). */
#include "evaluate.h"

#include "bounds.h"
#include "interactions.h"
#include "measures.h"
#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The SQL column a rule's filter key stands for, per subject. */
typedef struct fcol {
    const char *subject, *key, *column;
} fcol_t;

static const fcol_t fcols[] = {
    {"task", "name", "name"},          {"task", "priority", "priority"},
    {"dispatch", "type", "type"},      {"dispatch", "priority", "priority"},
    {"timer", "name", "t.name"},       {"command", "type", "cmd"},
    {"drops", "reason", "reason"},     {"drops", "source", "kind"},
};

static const char *filter_column(const char *subject, const char *key)
{
    for (size_t i = 0; i < sizeof fcols / sizeof fcols[0]; i++)
        if (!strcmp(fcols[i].subject, subject) && !strcmp(fcols[i].key, key))
            return fcols[i].column;
    return NULL;
}

/* " AND col = ?1 AND col2 = ?2 ..." for the rule's filters. */
static int where_clause(const rtt_budget_rule_t *r, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->nfilters; i++) {
        const char *col = filter_column(r->subject, r->filters[i].key);
        if (!col)
            return -1;
        int w = snprintf(buf + used, len - used, " AND %s = ?%zu", col, i + 1);
        if (w < 0 || (size_t)w >= len - used)
            return -1;
        used += (size_t)w;
    }
    return 0;
}

static int bind_filters(sqlite3_stmt *st, const rtt_budget_rule_t *r)
{
    for (size_t i = 0; i < r->nfilters; i++) {
        const char *v = r->filters[i].value;
        int rc;
        if (!strcmp(r->filters[i].key, "name"))
            rc = sqlite3_bind_text(st, (int)i + 1, v, -1, SQLITE_STATIC);
        else
            rc = sqlite3_bind_int64(st, (int)i + 1, strtoll(v, NULL, 10));
        if (rc != SQLITE_OK)
            return -1;
    }
    return 0;
}

/* Column 0 of sql (with the rule's filters bound) as int64 values. */
static int collect(sqlite3 *db, const char *sql, const rtt_budget_rule_t *r,
                   int64_t **v, size_t *n, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int64_t nulls;
    *v = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || bind_filters(st, r)) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    return rtt_collect_stmt(db, st, v, n, &nulls, err, errlen);
}

/* The rule's statistic of v (sorted here). */
static double statistic(const rtt_budget_rule_t *r, int64_t *v, size_t n)
{
    if (!strcmp(r->stat, "count"))
        return (double)n;
    if (!n)
        return NAN;
    rtt_stats_t s;
    rtt_stats_compute(v, n, &s);
    if (!strcmp(r->stat, "max"))
        return s.max;
    if (!strcmp(r->stat, "min"))
        return s.min;
    if (!strcmp(r->stat, "mean"))
        return s.mean;
    return rtt_percentile_sorted(v, n, r->percentile);
}

static const rtt_measure_t *find_measure(const rtt_kind_t *k, const char *name)
{
    for (int m = 0; m < k->nmeasures; m++)
        if (!strcmp(k->m[m].name, name))
            return &k->m[m];
    return NULL;
}

/* Rules on task, dispatch, timer, command and tick values. */
static int eval_kind(sqlite3 *db, const rtt_budget_rule_t *r, rtt_check_item_t *it,
                     char *err, size_t errlen)
{
    const rtt_kind_t *k = rtt_kind_find(r->subject);
    const rtt_measure_t *m = k ? find_measure(k, r->measure) : NULL;
    char where[256], sql[1024];
    if (!m || where_clause(r, where, sizeof where)) {
        snprintf(err, errlen, "line %d: cannot measure '%s'", r->line, r->text);
        return -1;
    }
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE 1%s", m->expr,
             r->nfilters && k->by_join ? k->from_join : k->from, where);
    int64_t *v;
    size_t n;
    if (collect(db, sql, r, &v, &n, err, errlen))
        return -1;
    it->measured = statistic(r, v, n);
    it->n = (int64_t)n;
    free(v);
    return 0;
}

static int eval_interaction(const rtt_interactions_t *set, const rtt_budget_rule_t *r,
                            rtt_check_item_t *it, char *err, size_t errlen)
{
    const char *name = r->nfilters ? r->filters[0].value : NULL;
    size_t total = rtt_interactions_count(set), n = 0;
    int64_t *v = malloc((total ? total : 1) * sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < total; i++) {
        const rtt_interaction_t *x = rtt_interactions_get(set, i);
        if (!x->has_render || (name && strcmp(x->name, name)))
            continue;
        const char *m = r->measure;
        v[n++] = !strcmp(m, "queue")        ? x->queue_ns
                 : !strcmp(m, "run")        ? x->run_ns
                 : !strcmp(m, "frame_wait") ? x->frame_wait_ns
                 : !strcmp(m, "render")     ? x->render_ns
                                            : x->latency_ns;
    }
    it->measured = statistic(r, v, n);
    it->n = (int64_t)n;
    free(v);
    return 0;
}

/* frames, drops and tracer: counters. */
static int eval_counter(sqlite3 *db, const rtt_budget_rule_t *r, rtt_check_item_t *it,
                        char *err, size_t errlen)
{
    if (!strcmp(r->subject, "tracer")) {
        rtt_tracer_loss_t tl;
        if (rtt_tracer_loss(db, &tl)) {
            snprintf(err, errlen, "%s", sqlite3_errmsg(db));
            return -1;
        }
        it->measured = (double)(!strcmp(r->stat, "lost_packets") ? tl.lost_packets
                                                                  : tl.discarded_events);
        it->n = 1;
        return 0;
    }
    char where[256], sql[512];
    if (where_clause(r, where, sizeof where)) {
        snprintf(err, errlen, "line %d: cannot measure '%s'", r->line, r->text);
        return -1;
    }
    if (!strcmp(r->subject, "drops"))
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM drops WHERE 1%s", where);
    else
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*), SUM(end_ts - begin_ts > %lld) FROM ticks"
                 " WHERE rendered = 1 AND (flags & 5) = 0",
                 (long long)RTT_CHECK_FRAME_BUDGET_NS);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || bind_filters(st, r) ||
        sqlite3_step(st) != SQLITE_ROW) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return -1;
    }
    int64_t count = sqlite3_column_int64(st, 0);
    it->n = count;
    if (!strcmp(r->stat, "over_budget_share"))
        it->measured = count ? (double)sqlite3_column_int64(st, 1) / (double)count : NAN;
    else
        it->measured = (double)count;
    sqlite3_finalize(st);
    return 0;
}

int rtt_check_run(sqlite3 *db, const rtt_budget_t *b, rtt_check_t *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t n = rtt_budget_count(b);
    out->items = calloc(n ? n : 1, sizeof *out->items);
    if (!out->items) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rtt_interactions_t *set = NULL;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const rtt_budget_rule_t *r = rtt_budget_get(b, i);
        rtt_check_item_t *it = &out->items[out->n++];
        it->rule = r;
        if (!strcmp(r->subject, "interaction")) {
            if (!set && rtt_interactions_load(db, &set, err, errlen))
                rc = -1;
            else
                rc = eval_interaction(set, r, it, err, errlen);
        } else if (r->measure) {
            rc = eval_kind(db, r, it, err, errlen);
        } else {
            rc = eval_counter(db, r, it, err, errlen);
        }
        it->pass = rtt_budget_holds(r->op, it->measured, r->value);
        if (it->pass)
            out->passed++;
        else
            out->failed++;
    }
    rtt_interactions_free(set);
    if (rc)
        rtt_check_free(out);
    return rc;
}

void rtt_check_free(rtt_check_t *c)
{
    free(c->items);
    memset(c, 0, sizeof *c);
}

rtt_out_t *rtt_check_result(const rtt_check_t *c)
{
    rtt_out_t *out = rtt_out_new();
    if (!out)
        return NULL;
    rtt_out_section(out, "check", 1);
    rtt_out_column(out, "rules", RTT_UNIT_PLAIN);
    rtt_out_column(out, "passed", RTT_UNIT_PLAIN);
    rtt_out_column(out, "failed", RTT_UNIT_PLAIN);
    rtt_out_column(out, "status", RTT_UNIT_PLAIN);
    rtt_out_row(out);
    rtt_out_int(out, (int64_t)c->n);
    rtt_out_int(out, (int64_t)c->passed);
    rtt_out_int(out, (int64_t)c->failed);
    rtt_out_int(out, c->failed ? 1 : 0);

    rtt_out_section(out, "rules", 0);
    static const char *const cols[] = {"line", "rule", "measured", "limit", "values",
                                       "result", "value"};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        rtt_out_column(out, cols[i], RTT_UNIT_PLAIN);
    for (size_t i = 0; i < c->n; i++) {
        const rtt_check_item_t *it = &c->items[i];
        char measured[64], limit[64];
        rtt_budget_format_value(it->rule, it->measured, measured, sizeof measured);
        rtt_budget_format_value(it->rule, it->rule->value, limit, sizeof limit);
        rtt_out_row(out);
        rtt_out_int(out, it->rule->line);
        rtt_out_text(out, it->rule->text);
        rtt_out_text(out, measured);
        rtt_out_text(out, limit);
        rtt_out_int(out, it->n);
        rtt_out_text(out, it->pass ? "pass" : "FAIL");
        /* a duration in whole ns, as every duration rt-trace gives (summary
         * rounds the same way); a count or share as measured */
        if (it->rule->kind == RTT_VAL_DURATION && isfinite(it->measured))
            rtt_out_int(out, (int64_t)llround(it->measured));
        else
            rtt_out_float(out, it->measured);
    }
    if (out->oom) {
        rtt_out_free(out);
        return NULL;
    }
    return out;
}
