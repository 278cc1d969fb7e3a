/* compare.c - lines up the measures of two sets of runs, tests each with
 * the bootstrap of shift.c, corrects for the number of tests (Holm) and
 * gives each measure a verdict (see compare.h). */
#define _POSIX_C_SOURCE 200809L
#include "compare.h"
#include "satmath.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double qps[RTT_CMP_NQ] = {0.5, 0.9, 0.99};

void rtt_cmp_opts_init(rtt_cmp_opts_t *o)
{
    memset(o, 0, sizeof *o);
    rtt_cmp_params_init(&o->prm);
    o->thr.rel = 0.05;
    o->thr.abs_ns = 50000;
    o->share_thr.rel = 0.05;
    o->share_thr.abs_ns = 0.01;
    o->rate_thr.rel = 0.05;
    o->rate_thr.abs_ns = 0.1;
}

/* Returns 1 when prefix starts a measure name of the runs, else 0 with
 * *fam filled (compare.h). */
int rtt_cmp_only_matches(const char *prefix, const rtt_run_t *runs, size_t n,
                         rtt_cmp_families_t *fam)
{
    size_t len = strlen(prefix);
    memset(fam, 0, sizeof *fam);
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < runs[i].ns; s++) {
            const char *name = runs[i].s[s].name;
            if (!strncmp(name, prefix, len))
                return 1;
            size_t fl = strcspn(name, ".[");
            size_t f = 0;
            while (f < fam->n && (strlen(fam->name[f]) != fl ||
                                  strncmp(fam->name[f], name, fl)))
                f++;
            if (f < fam->n || fl >= sizeof fam->name[0])
                continue;
            if (fam->n == RTT_CMP_MAX_FAMILIES) {
                fam->more = 1;
                continue;
            }
            snprintf(fam->name[fam->n++], sizeof fam->name[0], "%.*s", (int)fl, name);
        }
    return 0;
}

/* The threshold for measure name: the longest matching override, else the
 * default of its kind. */
static rtt_threshold_t threshold_for(const rtt_cmp_opts_t *o, const char *name,
                                     rtt_sample_kind_t kind)
{
    size_t best = 0;
    rtt_threshold_t t = kind == RTT_SK_DURATION ? o->thr
                        : kind == RTT_SK_SHARE  ? o->share_thr
                                                : o->rate_thr;
    for (size_t i = 0; i < o->nover; i++) {
        size_t n = strlen(o->over[i].prefix);
        if (n > best && !strncmp(name, o->over[i].prefix, n)) {
            best = n;
            t = o->over[i].thr;
        }
    }
    return t;
}

/* 1 if the comma-separated lists a and b share a name (or either is
 * unknown). */
static int same_program(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return 1;
    char *copy = strdup(a);
    if (!copy)
        return 1;
    int found = 0;
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t && !found;
         t = strtok_r(NULL, ",", &save)) {
        size_t n = strlen(t);
        for (const char *p = b; (p = strstr(p, t)) != NULL; p += n)
            if ((p == b || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
                found = 1;
    }
    free(copy);
    return found;
}

typedef struct test_ref {
    size_t row;
    int q; /* quantile index, or 0 for a mean */
} test_ref_t;

/* Runs of one side that have the measure: fills runs[], returns how many.
 * A rate (drops, tracer loss per second) missing from a run is that run's
 * seconds of zeros: no drops is a value, and a side that starts dropping
 * must be compared with it. */
static size_t side_of(const rtt_run_t *rs, size_t n, const char *name,
                      rtt_cmp_run_t *runs, rtt_sample_kind_t kind, const int64_t *zeros,
                      size_t nzeros)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const rtt_series_v_t *s = rtt_run_series(&rs[i], name);
        if (s && s->n) {
            runs[k].v = s->v;
            runs[k].n = s->n;
            k++;
        } else if (kind == RTT_SK_RATE) {
            size_t secs = (size_t)(rs[i].duration_ns / 1000000000LL) + 1;
            runs[k].v = zeros;
            runs[k].n = secs < nzeros ? secs : nzeros;
            k++;
        }
    }
    return k;
}

/* The kind of measure name in any run of either side. */
static rtt_sample_kind_t kind_of(const rtt_run_t *a, size_t na, const rtt_run_t *b,
                                 size_t nb, const char *name, int *found)
{
    for (size_t i = 0; i < na + nb; i++) {
        const rtt_series_v_t *s = rtt_run_series(i < na ? &a[i] : &b[i - na], name);
        if (s) {
            *found = 1;
            return s->kind;
        }
    }
    *found = 0;
    return RTT_SK_DURATION;
}

static void warn(rtt_comparison_t *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void warn(rtt_comparison_t *c, const char *fmt, ...)
{
    if (c->nwarnings >= sizeof c->warnings / sizeof c->warnings[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->warnings[c->nwarnings++], sizeof c->warnings[0], fmt, ap);
    va_end(ap);
}

static void side_totals(const rtt_run_t *r, size_t n, double *dur, double *keys,
                        int64_t *drops, int64_t *loss, int64_t *issues)
{
    *dur = *keys = 0;
    *drops = *loss = *issues = 0;
    for (size_t i = 0; i < n; i++) {
        *dur += (double)r[i].duration_ns / (double)n;
        *keys += (double)r[i].keystrokes / (double)n;
        /* saturating: the counts come from the databases, which may be
         * damaged or foreign (fuzz/regressions/db/compare_totals_overflow) */
        *drops = rtt_sat_add(*drops, r[i].drops_total);
        *loss = rtt_sat_add(*loss, rtt_sat_add(r[i].tracer_discarded,
                                               r[i].tracer_lost_packets));
        *issues = rtt_sat_add(*issues, r[i].ingest_issues);
    }
}

static int differ(double a, double b)
{
    double lo = a < b ? a : b, hi = a < b ? b : a;
    return hi > 0 && (lo <= 0 || hi / lo > 1.25);
}

static void guard_rails(rtt_comparison_t *c, const rtt_run_t *base, size_t nb,
                        const rtt_run_t *cur, size_t nc)
{
    double db, dc, kb, kc;
    int64_t xb, xc, lb, lc, ib, ic;
    side_totals(base, nb, &db, &kb, &xb, &lb, &ib);
    side_totals(cur, nc, &dc, &kc, &xc, &lc, &ic);
    if (lb || lc)
        warn(c, "tracer loss: the tracer discarded %lld events/packets in base, %lld "
                "in new; latencies near the loss may be missing",
             (long long)lb, (long long)lc);
    if (ib || ic)
        warn(c, "damaged traces: %lld stream files in base, %lld in new were read "
                "only up to their damage or skipped (see ingest_issues)",
             (long long)ib, (long long)ic);
    if (xb || xc)
        warn(c, "runtime drops: %lld in base, %lld in new (see drops[reason=...])",
             (long long)xb, (long long)xc);
    if (differ(db, dc))
        warn(c, "different run lengths: %.1f s (base) vs %.1f s (new) per run",
             db / 1e9, dc / 1e9);
    if (differ(kb, kc))
        warn(c, "different workloads: %.0f keystrokes (base) vs %.0f (new) per run", kb,
             kc);
}

static void compare_one(rtt_cmp_row_t *row, const rtt_cmp_side_t *sb,
                        const rtt_cmp_side_t *sc, const rtt_cmp_params_t *prm, int *rc)
{
    if (row->kind == RTT_SK_DURATION) {
        if (rtt_cmp_quantiles(sb, sc, qps, RTT_CMP_NQ, prm, &row->q))
            *rc = -1;
    } else if (rtt_cmp_mean(sb, sc, prm, &row->mean)) {
        *rc = -1;
    }
}

static void add_notes(rtt_comparison_t *c, rtt_cmp_row_t *row)
{
    if (row->kind != RTT_SK_DURATION)
        return;
    for (int j = 0; j < RTT_CMP_NQ; j++) {
        if (row->q.q[j].assessed)
            continue;
        c->not_assessed_q++;
        if (!row->note[0]) {
            double need = ceil(RTT_CMP_MIN_TAIL / (1 - qps[j]) - 1e-9);
            snprintf(row->note, sizeof row->note,
                     "p%g and above not assessed: %lld/%lld samples, p%g needs %.0f",
                     qps[j] * 100, (long long)row->q.n_base, (long long)row->q.n_cur,
                     qps[j] * 100, need);
        }
    }
}

int rtt_compare_runs(const rtt_run_t *base, size_t nb, const rtt_run_t *cur,
                     size_t nc, const rtt_cmp_opts_t *o, rtt_comparison_t *c,
                     char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->opts = *o;
    c->nbase = nb;
    c->ncur = nc;
    c->method = nb >= 2 && nc >= 2 ? RTT_CMP_BY_RUN : RTT_CMP_BY_BLOCK;
    for (size_t i = 0; i < nb; i++)
        for (size_t j = 0; j < nc; j++)
            if (!same_program(base[i].procnames, cur[j].procnames)) {
                snprintf(err, errlen,
                         "the two sides traced different programs: %s (%s) vs %s (%s)",
                         base[i].procnames, base[i].path, cur[j].procnames,
                         cur[j].path);
                return -1;
            }

    rtt_cmp_run_t *rb = calloc(nb, sizeof *rb), *rc_ = calloc(nc, sizeof *rc_);
    size_t cap = 0, nzeros = 1;
    for (size_t i = 0; i < nb + nc; i++) {
        const rtt_run_t *run = i < nb ? &base[i] : &cur[i - nb];
        size_t secs = (size_t)(run->duration_ns / 1000000000LL) + 1;
        cap += run->ns;
        nzeros = secs > nzeros ? secs : nzeros;
    }
    int64_t *zeros = calloc(nzeros, sizeof *zeros);
    c->rows = calloc(cap ? cap : 1, sizeof *c->rows);
    test_ref_t *tests = calloc((cap ? cap : 1) * RTT_CMP_NQ, sizeof *tests);
    double *pv = calloc((cap ? cap : 1) * RTT_CMP_NQ, sizeof *pv);
    double *adj = calloc((cap ? cap : 1) * RTT_CMP_NQ, sizeof *adj);
    int rc = 0;
    if (!rb || !rc_ || !zeros || !c->rows || !tests || !pv || !adj) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
        goto out;
    }

    /* Every measure of any run of either side that both sides have (rates
     * count as present everywhere), in name order per run; duplicates are
     * skipped by the search below. */
    for (size_t i = 0; i < nb + nc && !rc; i++) {
        const rtt_run_t *run = i < nb ? &base[i] : &cur[i - nb];
        for (size_t s = 0; s < run->ns && !rc; s++) {
            const char *name = run->s[s].name;
            if (o->only && strncmp(name, o->only, strlen(o->only)))
                continue;
            int seen = 0, found;
            for (size_t k = 0; k < c->n && !seen; k++)
                seen = !strcmp(c->rows[k].name, name);
            if (seen || strlen(name) >= sizeof c->rows[0].name)
                continue;
            rtt_sample_kind_t kind = kind_of(base, nb, cur, nc, name, &found);
            if (!found)
                continue;
            size_t kb = side_of(base, nb, name, rb, kind, zeros, nzeros);
            size_t kc = side_of(cur, nc, name, rc_, kind, zeros, nzeros);
            if (!kb || !kc)
                continue;
            rtt_cmp_row_t *row = &c->rows[c->n++];
            snprintf(row->name, sizeof row->name, "%s", name);
            row->kind = kind;
            row->thr = threshold_for(o, name, kind);
            row->runs_base = kb;
            row->runs_cur = kc;
            rtt_cmp_side_t sb = {rb, kb}, sc = {rc_, kc};
            compare_one(row, &sb, &sc, &o->prm, &rc);
            if (rc)
                snprintf(err, errlen, "out of memory comparing %s", name);
            add_notes(c, row);
        }
    }
    if (rc)
        goto out;
    if (c->n == 0) {
        snprintf(err, errlen, "no measure in common between the two sides");
        rc = -1;
        goto out;
    }

    /* The family of tests, Holm-adjusted together. */
    for (size_t r = 0; r < c->n; r++) {
        rtt_cmp_row_t *row = &c->rows[r];
        for (int j = 0; j < RTT_CMP_NQ; j++)
            row->p_adj[j] = NAN;
        if (row->kind != RTT_SK_DURATION) {
            tests[c->tests] = (test_ref_t){r, 0};
            pv[c->tests++] = row->mean.p_value;
            continue;
        }
        for (int j = 0; j < RTT_CMP_NQ; j++)
            if (row->q.q[j].assessed) {
                tests[c->tests] = (test_ref_t){r, j};
                pv[c->tests++] = row->q.q[j].p_value;
            }
    }
    rtt_holm(pv, c->tests, adj);
    for (size_t t = 0; t < c->tests; t++)
        c->rows[tests[t].row].p_adj[tests[t].q] = adj[t];

    double alpha = o->prm.alpha;
    for (size_t r = 0; r < c->n; r++) {
        rtt_cmp_row_t *row = &c->rows[r];
        if (row->kind != RTT_SK_DURATION) {
            row->qv[0] = rtt_verdict_mean(&row->mean, row->p_adj[0], alpha, &row->thr);
            row->verdict = row->qv[0];
            if (row->verdict == RTT_V_INCONCLUSIVE)
                row->runs_needed = rtt_runs_needed_mean(
                    &row->mean, row->mean.method == RTT_CMP_BY_RUN ? row->runs_base : 1,
                    alpha, &row->thr);
        } else {
            rtt_verdict_t v[RTT_CMP_NQ];
            size_t nv = 0;
            for (int j = 0; j < RTT_CMP_NQ; j++) {
                row->qv[j] = row->q.q[j].assessed
                                 ? rtt_verdict_quantile(&row->q.q[j], row->p_adj[j],
                                                        alpha, &row->thr)
                                 : RTT_V_NOT_ASSESSED;
                if (row->q.q[j].assessed)
                    v[nv++] = row->qv[j];
            }
            row->verdict = rtt_verdict_combine(v, nv);
            if (row->verdict == RTT_V_INCONCLUSIVE) {
                size_t now = row->q.method == RTT_CMP_BY_RUN
                                 ? (row->runs_base < row->runs_cur ? row->runs_base
                                                                   : row->runs_cur)
                                 : 1;
                for (int j = 0; j < RTT_CMP_NQ; j++)
                    if (row->qv[j] == RTT_V_INCONCLUSIVE) {
                        int need = rtt_runs_needed(&row->q.q[j], now, alpha, &row->thr);
                        if (need > row->runs_needed)
                            row->runs_needed = need;
                    }
            }
        }
        c->count[row->verdict]++;
    }
    guard_rails(c, base, nb, cur, nc);
    if (c->not_assessed_q)
        warn(c, "%zu quantiles not assessed: too few samples beyond them (p99 needs "
                "1000 per side)",
             c->not_assessed_q);
out:
    free(zeros);
    free(rb);
    free(rc_);
    free(tests);
    free(pv);
    free(adj);
    if (rc)
        rtt_comparison_free(c);
    return rc;
}

void rtt_comparison_free(rtt_comparison_t *c)
{
    free(c->rows);
    c->rows = NULL;
    c->n = 0;
}

int rtt_comparison_status(const rtt_comparison_t *c, int fail_on_inconclusive)
{
    if (c->count[RTT_V_REGRESSED])
        return 1;
    if (fail_on_inconclusive && c->count[RTT_V_INCONCLUSIVE])
        return 3;
    return 0;
}
