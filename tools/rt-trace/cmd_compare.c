/* cmd_compare.c - `rt-trace compare BASE.db... --against NEW.db...`:
 * arguments and presentation of the engine's regression verdicts
 * (analysis/compare/). Exit status: 0 nothing regressed, 1 something
 * regressed, 2 usage error or inputs that cannot be compared, 3 only
 * inconclusive with --fail-on-inconclusive. Cost: loading each database
 * (one scan per table) plus the bootstrap (compare.h). */
#define _POSIX_C_SOURCE 200809L
#include "args.h"
#include "commands.h"
#include "compare.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_RUNS 256

static const char usage[] =
    "usage: rt-trace compare BASE.db... --against NEW.db... [options]\n"
    "\n"
    "Did NEW get slower than BASE? For every measure both sides have\n"
    "(interaction latency and its parts, per key name; task queue wait and\n"
    "run time per name and priority; dispatch duration per event type; timer\n"
    "lateness; command latency; tick duration; frames over budget; drops per\n"
    "reason; tracer loss) it prints base and new p50/p90/p99, the relative\n"
    "change with a bootstrap confidence interval, and a verdict: regressed,\n"
    "improved, same or inconclusive. Each side is one or more runs; with 2+\n"
    "runs per side the bootstrap resamples runs, else time blocks of a run.\n"
    "\n"
    "  --against NEW.db...   the new side: the databases after it\n"
    "  --format F            table (default), json, csv or markdown\n"
    "  --brief               table/markdown: the verdicts only, without each\n"
    "                        quantile's base, new and interval\n"
    "  --alpha A             significance, corrected (Holm) over all tests\n"
    "                        (default 0.01)\n"
    "  --threshold R,D       practical threshold for durations: a change counts\n"
    "                        when over R and over D (default 5%,50us)\n"
    "  --threshold-for M=R,D the same for measures whose name starts with M\n"
    "                        (repeatable), e.g. task.run_time=10%,100us\n"
    "  --only M              only measures whose name starts with M\n"
    "  --seed N              bootstrap seed (default fixed: same inputs, same output)\n"
    "  --replicates N        bootstrap replicates (default 400, 50 to 100000)\n"
    "  --blocks N            time blocks per run (default: automatic)\n"
    "  --fail-on-inconclusive  exit 3 when nothing regressed but something\n"
    "                        is inconclusive\n"
    "\n"
    "exit status: 0 nothing regressed, 1 regressed, 2 usage or inputs that\n"
    "cannot be compared, 3 inconclusive (with --fail-on-inconclusive)\n"
    "\n"
    "example: rt-trace compare base1.db base2.db base3.db --against new1.db\n"
    "           new2.db new3.db --format markdown\n";

typedef struct copts {
    const char *base[MAX_RUNS], *cur[MAX_RUNS];
    size_t nb, nc;
    rtt_format_t format;
    int brief, fail_on_inconclusive;
    rtt_cmp_opts_t cmp;
} copts_t;

static int uerr(const char *fmt, const char *a)
{
    fprintf(stderr, "rt-trace compare: ");
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
    return 2;
}

/* "5%" or "0.05" -> 0.05: finite, not negative. */
static int parse_ratio(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno || !(v >= 0) || !isfinite(v))
        return -1;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (*end)
        return -1;
    *out = v;
    return 0;
}

/* "R,D": a ratio and a duration (or a plain number for share/rate), both
 * finite: no inf, nan or overflow (1e400). */
static int parse_threshold(const char *s, rtt_threshold_t *t)
{
    const char *comma = strchr(s, ',');
    if (!comma || comma - s >= 32)
        return -1;
    char rel[32];
    memcpy(rel, s, (size_t)(comma - s));
    rel[comma - s] = '\0';
    int64_t ns;
    if (parse_ratio(rel, &t->rel))
        return -1;
    if (!rtt_parse_duration(comma + 1, &ns)) {
        t->abs_ns = (double)ns;
        return 0;
    }
    char *end;
    errno = 0;
    t->abs_ns = strtod(comma + 1, &end);
    return end == comma + 1 || *end || errno || !(t->abs_ns >= 0) || !isfinite(t->abs_ns)
               ? -1
               : 0;
}

static int parse_uint(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, copts_t *o)
{
    int against = 0;
    long long n;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            if (against ? o->nc >= MAX_RUNS : o->nb >= MAX_RUNS)
                return uerr("too many databases on one side (at most 256): %s", a);
            if (against)
                o->cur[o->nc++] = a;
            else
                o->base[o->nb++] = a;
            continue;
        }
        const char *v = NULL;
        if (!strcmp(a, "-h") || rtt_opt_long(a, "help", 0, &v)) {
            fputs(usage, stdout);
            return 0;
        }
        if (rtt_opt_long(a, "against", 0, &v)) {
            if (against)
                return uerr("%s given twice (see --help)", a);
            against = 1;
            continue;
        }
        if (rtt_opt_long(a, "brief", 0, &v)) {
            o->brief = 1;
            continue;
        }
        if (rtt_opt_long(a, "fail-on-inconclusive", 0, &v)) {
            o->fail_on_inconclusive = 1;
            continue;
        }
        /* --opt VALUE or --opt=VALUE (rtt_opt_long, as the other commands) */
        static const char *const with_value[] = {
            "format", "alpha", "threshold", "threshold-for", "only",
            "seed", "replicates", "blocks", NULL};
        int k = 0;
        while (with_value[k] && !rtt_opt_long(a, with_value[k], 1, &v))
            k++;
        if (!with_value[k])
            return uerr("unknown option '%s' (see --help)", a);
        if (!v) {
            if (i + 1 >= argc)
                return uerr("option '%s' needs a value (see --help)", a);
            v = argv[++i];
        }
        switch (k) {
        case 0:
            if (rtt_format_parse_md(v, &o->format)) {
                fprintf(stderr, "rt-trace compare: bad --format '%s': expected %s\n", v,
                        rtt_format_choices(1));
                return 2;
            }
            break;
        case 1:
            if (parse_ratio(v, &o->cmp.prm.alpha) || !(o->cmp.prm.alpha > 0) ||
                !(o->cmp.prm.alpha < 0.5))
                return uerr("bad --alpha '%s': expected a number in (0, 0.5)", v);
            break;
        case 2:
            if (parse_threshold(v, &o->cmp.thr))
                return uerr("bad --threshold '%s': expected RATIO,DURATION of finite "
                            "non-negative numbers, e.g. 5%%,50us", v);
            break;
        case 3: {
            const char *eq = strchr(v, '=');
            if (o->cmp.nover >= RTT_CMP_MAX_OVERRIDES)
                return uerr("too many --threshold-for (at most 16): %s", v);
            rtt_cmp_override_t *ov = &o->cmp.over[o->cmp.nover];
            if (!eq || eq == v || parse_threshold(eq + 1, &ov->thr))
                return uerr("bad --threshold-for '%s': expected MEASURE=RATIO,LIMIT of "
                            "finite non-negative numbers, e.g. task.run_time=10%%,100us",
                            v);
            char *prefix = strndup(v, (size_t)(eq - v));
            if (!prefix)
                return uerr("%s", "out of memory");
            ov->prefix = prefix;
            o->cmp.nover++;
            break;
        }
        case 4:
            o->cmp.only = v;
            break;
        case 5:
            if (parse_uint(v, 0, INT64_MAX, &n))
                return uerr("bad --seed '%s': expected a whole number", v);
            o->cmp.prm.seed = (uint64_t)n;
            break;
        case 6:
            if (parse_uint(v, 50, 100000, &n))
                return uerr("bad --replicates '%s': expected 50 to 100000", v);
            o->cmp.prm.replicates = (int)n;
            break;
        case 7:
            if (parse_uint(v, 1, 4096, &n))
                return uerr("bad --blocks '%s': expected 1 to 4096", v);
            o->cmp.prm.blocks_per_run = (int)n;
            break;
        }
    }
    if (!o->nb)
        return uerr("%s", "no base database given (see --help)");
    if (!against)
        return uerr("%s", "no --against: name the new side's databases (see --help)");
    if (!o->nc)
        return uerr("%s", "no database after --against (see --help)");
    return -1;
}

static void free_overrides(copts_t *o)
{
    for (size_t i = 0; i < o->cmp.nover; i++)
        free((char *)o->cmp.over[i].prefix);
}

/* Every database of both sides is read on a few threads (one SQLite
 * connection each): reading is most of a compare's time. */
typedef struct loadjob {
    const char *const *paths;
    rtt_run_t *runs;
    size_t n, nb;        /* all databases, of which the first nb are base */
    atomic_size_t next;  /* the next database to read */
    atomic_int failed;
    char err[700];       /* the first failure */
    pthread_mutex_t lock;
} loadjob_t;

static void *load_worker(void *arg)
{
    loadjob_t *j = arg;
    char err[600];
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n || atomic_load(&j->failed))
            return NULL;
        if (rtt_run_load(j->paths[i], &j->runs[i], err, sizeof err)) {
            pthread_mutex_lock(&j->lock);
            if (!atomic_load(&j->failed))
                snprintf(j->err, sizeof j->err, "%s side: %s",
                         i < j->nb ? "base" : "new", err);
            atomic_store(&j->failed, 1);
            pthread_mutex_unlock(&j->lock);
        }
    }
}

/* Read every run (base first); 0, or 2 after the one-line error. */
static int load_all(const char *const *paths, size_t n, size_t nb, rtt_run_t *runs)
{
    static loadjob_t j;
    j.paths = paths;
    j.runs = runs;
    j.n = n;
    j.nb = nb;
    atomic_init(&j.next, 0);
    atomic_init(&j.failed, 0);
    j.err[0] = '\0';
    pthread_mutex_init(&j.lock, NULL);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cpus > 1 ? (size_t)cpus : 1;
    if (nt > 4)
        nt = 4;
    if (nt > n)
        nt = n;
    pthread_t th[4];
    size_t started = 0;
    for (size_t i = 1; i < nt; i++)
        if (pthread_create(&th[started], NULL, load_worker, &j) == 0)
            started++;
    load_worker(&j);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&j.lock);
    if (!atomic_load(&j.failed))
        return 0;
    for (size_t i = 0; i < n; i++)
        rtt_run_free(&runs[i]);
    fprintf(stderr, "rt-trace compare: %s\n", j.err);
    return 2;
}

/* Whether --only P names a measure of any run (the engine's
 * rtt_cmp_only_matches); if not, the one-line error naming P and the
 * measure families the runs have (e.g. "interaction, task, drops"). */
static int only_matches(const char *only, const rtt_run_t *runs, size_t n)
{
    rtt_cmp_families_t fam;
    if (rtt_cmp_only_matches(only, runs, n, &fam))
        return 1;
    char list[320] = "none was read";
    for (size_t f = 0, l = 0; f < fam.n; f++)
        l += (size_t)snprintf(list + l, sizeof list - l, "%s%s%s",
                              f ? ", " : "names start with ", fam.name[f],
                              fam.more && f + 1 == fam.n ? ", ..." : "");
    fprintf(stderr, "rt-trace compare: --only '%s' matched no measure (%s)\n", only, list);
    return 0;
}

int rtt_cmd_compare(int argc, char **argv)
{
    static copts_t o;
    memset(&o, 0, sizeof o);
    rtt_cmp_opts_init(&o.cmp);
    int rc = parse(argc, argv, &o);
    if (rc >= 0) {
        free_overrides(&o);
        return rc;
    }
    const char **paths = calloc(o.nb + o.nc, sizeof *paths);
    rtt_run_t *runs = calloc(o.nb + o.nc, sizeof *runs);
    if (!paths || !runs) {
        free(paths);
        free(runs);
        free_overrides(&o);
        fprintf(stderr, "rt-trace compare: out of memory\n");
        return 2;
    }
    memcpy(paths, o.base, o.nb * sizeof *paths);
    memcpy(paths + o.nb, o.cur, o.nc * sizeof *paths);
    rc = load_all(paths, o.nb + o.nc, o.nb, runs);
    free(paths);
    if (rc) {
        free(runs);
        free_overrides(&o);
        return rc;
    }
    rtt_run_t *base = runs, *cur = runs + o.nb;
    rtt_comparison_t c;
    char err[600];
    if (o.cmp.only && !only_matches(o.cmp.only, runs, o.nb + o.nc))
        rc = -2;
    else
        rc = rtt_compare_runs(base, o.nb, cur, o.nc, &o.cmp, &c, err, sizeof err);
    for (size_t i = 0; i < o.nb + o.nc; i++)
        rtt_run_free(&runs[i]);
    free(runs);
    if (rc) {
        int only = o.cmp.only && strstr(err, "no measure in common");
        if (rc != -2) /* else only_matches said why */
            fprintf(stderr, "rt-trace compare: %s%s%s%s\n", err, only ? " (with --only '" : "",
                    only ? o.cmp.only : "", only ? "')" : "");
        free_overrides(&o);
        return 2;
    }
    int details = !o.brief || o.format == RTT_FMT_JSON || o.format == RTT_FMT_CSV;
    rtt_out_t *out = rtt_comparison_result(&c, o.fail_on_inconclusive, details);
    int status = rtt_comparison_status(&c, o.fail_on_inconclusive);
    rtt_comparison_free(&c);
    free_overrides(&o);
    if (!out) {
        fprintf(stderr, "rt-trace compare: out of memory\n");
        return 2;
    }
    int wrc = rtt_out_write(out, o.format, stdout);
    rtt_out_free(out);
    if (wrc) {
        fprintf(stderr, "rt-trace compare: cannot write the result: stdout\n");
        return 2;
    }
    return status;
}
