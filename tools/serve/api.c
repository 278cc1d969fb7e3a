/* api.c - the viewer's JSON API: URL to engine call (api.h). Each answer is
 * written by the CLI's own JSON writers into a memory stream. Cost: the
 * engine call's (see timeline.h, queries.h); compare is computed once and
 * kept. */
#define _POSIX_C_SOURCE 200809L
#include "api.h"

#include "compare.h"
#include "db.h"
#include "format.h"
#include "queries.h"
#include "summary_json.h"

/* Lint findings come from the lint engine (tools/analysis/lint/, `rt-trace
 * lint`) when this build has it; without it /api/lint answers
 * {"unavailable": ...} and the page says the panel is not available. */
#if defined(__has_include)
#if __has_include("lint.h")
#include "lint.h"
#define RTT_HAVE_LINT 1
#endif
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int rtt_api_open(rtt_api_t *a, const char *const *paths, int n, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < n && i < RTT_API_MAX_DB; i++) {
        char e[512] = "";
        if (rtt_db_open(paths[i], 1, &a->db[i], e, sizeof e)) {
            snprintf(err, errlen, "%s", e[0] ? e : paths[i]);
            rtt_api_close(a);
            return -1;
        }
        a->path[i] = paths[i];
        a->ndb = i + 1;
        if (rtt_timeline_open(a->db[i], &a->tl[i], e, sizeof e)) {
            snprintf(err, errlen, "%s: %s", e, paths[i]);
            rtt_api_close(a);
            return -1;
        }
    }
    return 0;
}

struct rtt_api_memo {
    char *key, *body;
    size_t len;
    int status;
};

void rtt_api_close(rtt_api_t *a)
{
    for (size_t i = 0; i < a->nmemo; i++) {
        free(a->memo[i].key);
        free(a->memo[i].body);
    }
    free(a->memo);
    for (int i = 0; i < a->ndb; i++) {
        rtt_timeline_close(&a->tl[i]);
        sqlite3_close(a->db[i]);
    }
    free(a->compare_json);
    memset(a, 0, sizeof *a);
}

/* A memory stream for one answer. */
typedef struct answer {
    FILE *f;
    char *buf;
    size_t len;
} answer_t;

static int fail(char **body, size_t *len, int status, const char *msg)
{
    answer_t w = {NULL, NULL, 0};
    w.f = open_memstream(&w.buf, &w.len);
    if (!w.f)
        return *body = NULL, status;
    rtt_json_t j;
    rtt_json_init(&j, w.f);
    rtt_json_begin_object(&j, NULL);
    rtt_json_text(&j, "error", msg);
    rtt_json_end_object(&j);
    rtt_json_finish(&j);
    fclose(w.f);
    *body = w.buf;
    *len = w.len;
    return status;
}

static int out_answer(rtt_out_t *o, char **body, size_t *len)
{
    answer_t w = {NULL, NULL, 0};
    w.f = open_memstream(&w.buf, &w.len);
    if (!w.f) {
        rtt_out_free(o);
        return fail(body, len, 500, "out of memory");
    }
    int rc = rtt_out_write(o, RTT_FMT_JSON, w.f);
    rtt_out_free(o);
    fclose(w.f);
    if (rc) {
        free(w.buf);
        return fail(body, len, 500, "out of memory");
    }
    *body = w.buf;
    *len = w.len;
    return 200;
}

/* Integer argument: absent -> def; malformed or outside [lo, hi] -> -1
 * after the 400 answer is set. */
static int int_arg(rtt_api_arg_fn arg, void *ctx, const char *name, long long def,
                   long long lo, long long hi, long long *v, char **body, size_t *len,
                   int *status)
{
    const char *s = arg(ctx, name);
    if (!s || !*s) {
        *v = def;
        return 0;
    }
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (*end || errno || x < lo || x > hi) {
        char m[200];
        snprintf(m, sizeof m, "bad %s '%.60s': expected a whole number from %lld to %lld",
                 name, s, lo, hi);
        *status = fail(body, len, 400, m);
        return -1;
    }
    *v = x;
    return 0;
}

static int answer_meta(rtt_api_t *a, char **body, size_t *len)
{
    answer_t w = {NULL, NULL, 0};
    w.f = open_memstream(&w.buf, &w.len);
    if (!w.f)
        return fail(body, len, 500, "out of memory");
    rtt_json_t j;
    rtt_json_init(&j, w.f);
    rtt_json_begin_object(&j, NULL);
    rtt_json_begin_array(&j, "dbs");
    for (int i = 0; i < a->ndb; i++) {
        const rtt_bounds_t *b = &a->tl[i].b;
        rtt_json_begin_object(&j, NULL);
        rtt_json_text(&j, "path", a->path[i]);
        rtt_json_int(&j, "duration_ns", b->known ? b->end - b->start + 1 : 0);
        rtt_json_int(&j, "events", b->events);
        rtt_json_end_object(&j);
    }
    rtt_json_end_array(&j);
    rtt_json_int(&j, "schema_version", RTT_SCHEMA_VERSION);
    rtt_json_int(&j, "live", a->live);
    rtt_json_end_object(&j);
    rtt_json_finish(&j);
    fclose(w.f);
    *body = w.buf;
    *len = w.len;
    return 200;
}

/* Database i's interactions model, loaded on first use and kept with its
 * timeline: the summary, the interactions list, the interaction
 * distributions and the waterfalls all read this one (a load reads every
 * item row: seconds for a 1 M-task run). Live, the timeline and its model
 * are replaced when the bounds are read again (refresh). */
static const rtt_interactions_t *model(rtt_api_t *a, int i, char *err, size_t errlen)
{
    rtt_timeline_t *tl = &a->tl[i];
    if (!tl->ix && rtt_interactions_load(tl->db, &tl->ix, err, errlen))
        return NULL;
    return tl->ix;
}

static int answer_summary(rtt_api_t *a, int i, char **body, size_t *len)
{
    rtt_summary_t sm;
    char err[512] = "";
    const rtt_interactions_t *ix = model(a, i, err, sizeof err);
    if (!ix || rtt_summary_compute_with(a->db[i], ix, &sm, err, sizeof err))
        return fail(body, len, 500, err);
    answer_t w = {NULL, NULL, 0};
    w.f = open_memstream(&w.buf, &w.len);
    if (!w.f)
        return fail(body, len, 500, "out of memory");
    int rc = rtt_summary_write_json(&sm, w.f);
    fclose(w.f);
    if (rc) {
        free(w.buf);
        return fail(body, len, 500, "out of memory");
    }
    *body = w.buf;
    *len = w.len;
    return 200;
}

/* rt-trace compare DB0 --against DB1 --format json, with compare's
 * defaults; computed on the first request and kept. */
static int answer_compare(rtt_api_t *a, char **body, size_t *len)
{
    if (a->ndb < 2)
        return fail(body, len, 400, "compare needs two databases: rt-trace view A.db B.db");
    if (!a->compare_json) {
        rtt_run_t runs[2];
        memset(runs, 0, sizeof runs);
        char err[600] = "";
        for (int i = 0; i < 2; i++)
            if (rtt_run_load(a->path[i], &runs[i], err, sizeof err)) {
                rtt_run_free(&runs[0]);
                return fail(body, len, 500, err);
            }
        rtt_cmp_opts_t opts;
        rtt_cmp_opts_init(&opts);
        rtt_comparison_t c;
        int rc = rtt_compare_runs(&runs[0], 1, &runs[1], 1, &opts, &c, err, sizeof err);
        rtt_run_free(&runs[0]);
        rtt_run_free(&runs[1]);
        if (rc)
            return fail(body, len, 422, err);
        rtt_out_t *o = rtt_comparison_result(&c, 0, 1);
        rtt_comparison_free(&c);
        if (!o)
            return fail(body, len, 500, "out of memory");
        int st = out_answer(o, &a->compare_json, &a->compare_len);
        if (st != 200) {
            *body = a->compare_json;
            *len = a->compare_len;
            a->compare_json = NULL;
            return st;
        }
    }
    *body = malloc(a->compare_len + 1);
    if (!*body)
        return 500;
    memcpy(*body, a->compare_json, a->compare_len + 1);
    *len = a->compare_len;
    return 200;
}

static int answer(rtt_api_t *a, const char *path, rtt_api_arg_fn arg, void *ctx,
                  char **body, size_t *len);

/* The arguments any endpoint reads, in a fixed order: the memo key. */
static const char *const memo_args[] = {"db", "n", "kind", "measure", "by", "key", "bins",
                                        "from", "to", "buckets", "limit", "budget",
                                        "proc", "id"};
#define NMEMO_ARGS (sizeof memo_args / sizeof memo_args[0])

/* Live: read each database's bounds again (and drop what was derived from
 * the old ones) when the last read is over 500 ms old. */
static void refresh(rtt_api_t *a)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    if (a->refreshed_ns && now - a->refreshed_ns < 500000000)
        return;
    a->refreshed_ns = now;
    for (int i = 0; i < a->ndb; i++) {
        char err[256];
        rtt_timeline_t t;
        if (rtt_timeline_open(a->db[i], &t, err, sizeof err) == 0) {
            rtt_timeline_close(&a->tl[i]);
            a->tl[i] = t;
        }
    }
    free(a->compare_json);
    a->compare_json = NULL;
}

int rtt_api_answer(rtt_api_t *a, const char *path, rtt_api_arg_fn arg, void *ctx,
                   char **body, size_t *len)
{
    if (a->live) {
        refresh(a);
        return answer(a, path, arg, ctx, body, len);
    }
    char key[1024];
    size_t k = (size_t)snprintf(key, sizeof key, "%s", path);
    int ranged = 0;
    for (size_t i = 0; i < NMEMO_ARGS && k < sizeof key; i++) {
        const char *v = arg(ctx, memo_args[i]);
        if (!v && i == 0)
            v = "0"; /* db: absent is the first database */
        if (!v)
            continue;
        if ((!strcmp(memo_args[i], "from") || !strcmp(memo_args[i], "to")) && strcmp(v, "0"))
            ranged = 1;
        k += (size_t)snprintf(key + k, sizeof key - k, "&%s=%s", memo_args[i], v);
    }
    int keep = k < sizeof key && !ranged;
    for (size_t i = 0; keep && i < a->nmemo; i++) {
        if (strcmp(a->memo[i].key, key))
            continue;
        *body = malloc(a->memo[i].len + 1);
        if (!*body)
            return 500;
        memcpy(*body, a->memo[i].body, a->memo[i].len + 1);
        *len = a->memo[i].len;
        return a->memo[i].status;
    }
    int st = answer(a, path, arg, ctx, body, len);
    if (!keep || !*body || st >= 500)
        return st;
    if (a->nmemo == a->capmemo) {
        size_t cap = a->capmemo ? a->capmemo * 2 : 32;
        struct rtt_api_memo *m = realloc(a->memo, cap * sizeof *m);
        if (!m)
            return st;
        a->memo = m;
        a->capmemo = cap;
    }
    struct rtt_api_memo *m = &a->memo[a->nmemo];
    m->key = strdup(key);
    m->body = malloc(*len + 1);
    if (!m->key || !m->body) {
        free(m->key);
        free(m->body);
        return st;
    }
    memcpy(m->body, *body, *len);
    m->body[*len] = '\0';
    m->len = *len;
    m->status = st;
    a->nmemo++;
    return st;
}

/* Arguments for rtt_api_warm: a NULL-terminated name, value list. */
static const char *warm_arg(void *ctx, const char *name)
{
    const char *const *kv = ctx;
    for (; kv[0]; kv += 2)
        if (!strcmp(kv[0], name))
            return kv[1];
    return NULL;
}

void rtt_api_warm(rtt_api_t *a)
{
    char buckets[16];
    snprintf(buckets, sizeof buckets, "%d", RTT_API_WHOLE_BUCKETS);
    for (int i = 0; i < a->ndb; i++) {
        const char *db = i ? "1" : "0";
        const char *sum[] = {"db", db, NULL};
        const char *whole[] = {"db", db, "from", "0", "to", "0", "buckets", buckets, NULL};
        char *body;
        size_t len;
        rtt_api_answer(a, "/api/summary", warm_arg, (void *)sum, &body, &len);
        free(body);
        if (i)
            continue;
        rtt_api_answer(a, "/api/lint", warm_arg, (void *)sum, &body, &len);
        free(body);
        rtt_api_answer(a, "/api/ticks", warm_arg, (void *)whole, &body, &len);
        free(body);
        rtt_api_answer(a, "/api/tasks", warm_arg, (void *)whole, &body, &len);
        free(body);
    }
}

static int answer(rtt_api_t *a, const char *path, rtt_api_arg_fn arg, void *ctx,
                  char **body, size_t *len)
{
    int status = 200;
    long long dbi, n, from, to, buckets, limit, budget, proc, id, bins;
    char err[600] = "";
    rtt_out_t *o = NULL;
    int rc;
    *body = NULL;
    *len = 0;
    if (!strcmp(path, "/api/meta"))
        return answer_meta(a, body, len);
    if (!strcmp(path, "/api/compare"))
        return answer_compare(a, body, len);
    if (int_arg(arg, ctx, "db", 0, 0, a->ndb - 1, &dbi, body, len, &status))
        return status;
    rtt_timeline_t *tl = &a->tl[dbi];
    if (!strcmp(path, "/api/summary"))
        return answer_summary(a, (int)dbi, body, len);
    if (!strcmp(path, "/api/interactions")) {
        if (int_arg(arg, ctx, "n", 20, 0, 1000, &n, body, len, &status))
            return status;
        const rtt_interactions_t *ix = model(a, (int)dbi, err, sizeof err);
        rc = !ix ? -1
                 : rtt_query_interactions_of(a->db[dbi], ix, 0, (size_t)n, -1, NULL, 0, &o,
                                             err, sizeof err);
    } else if (!strcmp(path, "/api/lint")) {
#ifdef RTT_HAVE_LINT
        rtt_lint_config_t cfg;
        rtt_lint_config_init(&cfg);
        rtt_lint_result_t lr;
        if (rtt_lint_run(a->db[dbi], &cfg, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL,
                         RTT_LINT_ALL_RULES, &lr, err, sizeof err))
            return fail(body, len, 500, err);
        o = rtt_lint_out(&lr);
        rtt_lint_result_free(&lr);
        if (!o)
            return fail(body, len, 500, "out of memory");
        rc = 0;
#else
        /* 200, not 404: the page asks every time, and a browser logs each
         * 404 as a console error */
        answer_t w = {NULL, NULL, 0};
        w.f = open_memstream(&w.buf, &w.len);
        if (!w.f)
            return fail(body, len, 500, "out of memory");
        rtt_json_t j;
        rtt_json_init(&j, w.f);
        rtt_json_begin_object(&j, NULL);
        rtt_json_text(&j, "unavailable", "rt-trace lint is not in this build");
        rtt_json_end_object(&j);
        rtt_json_finish(&j);
        fclose(w.f);
        *body = w.buf;
        *len = w.len;
        return 200;
#endif
    } else if (!strcmp(path, "/api/latency")) {
        const char *kind = arg(ctx, "kind"), *by = arg(ctx, "by");
        const rtt_kind_t *k = kind ? rtt_kind_find(kind) : NULL;
        if (kind && !k)
            return fail(body, len, 400, "bad kind: expected task, dispatch, timer, "
                                        "command or tick");
        if (by && strcmp(by, "priority") && strcmp(by, "type") && strcmp(by, "name"))
            return fail(body, len, 400, "bad by: expected priority, type or name");
        if (k && by && !rtt_kind_group(k, by))
            return fail(body, len, 400, "this kind cannot be grouped so");
        rc = rtt_query_latency(a->db[dbi], NULL, k, by, &o, err, sizeof err);
    } else if (!strcmp(path, "/api/dist") || !strcmp(path, "/api/shift")) {
        const char *kind = arg(ctx, "kind"), *measure = arg(ctx, "measure");
        if (!kind || !measure)
            return fail(body, len, 400, "kind and measure are required");
        if (int_arg(arg, ctx, "bins", 60, 1, 1000, &bins, body, len, &status))
            return status;
        if (path[5] == 'd') {
            rc = rtt_query_dist(tl, kind, measure, arg(ctx, "by"), arg(ctx, "key"),
                                (int)bins, &o, err, sizeof err);
        } else {
            if (a->ndb < 2)
                return fail(body, len, 400, "shift needs two databases");
            rc = rtt_query_shift(&a->tl[0], &a->tl[1], kind, measure, arg(ctx, "by"),
                                 arg(ctx, "key"), &o, err, sizeof err);
        }
        if (rc)
            return fail(body, len, 400, err);
    } else if (!strcmp(path, "/api/ticks") || !strcmp(path, "/api/tasks") ||
               !strcmp(path, "/api/drops")) {
        if (int_arg(arg, ctx, "from", 0, 0, INT64_MAX / 4, &from, body, len, &status) ||
            int_arg(arg, ctx, "to", 0, 0, INT64_MAX / 4, &to, body, len, &status) ||
            int_arg(arg, ctx, "buckets", 1000, 1, 20000, &buckets, body, len, &status) ||
            int_arg(arg, ctx, "limit", 2000, 0, 100000, &limit, body, len, &status) ||
            int_arg(arg, ctx, "budget", 0, 0, INT64_MAX / 4, &budget, body, len, &status))
            return status;
        rtt_trange_t r = {from, to, (int)buckets};
        if (path[5] == 't' && path[6] == 'i')
            rc = rtt_timeline_ticks(tl, &r, budget, &o, err, sizeof err);
        else if (path[5] == 't')
            rc = rtt_timeline_tasks(tl, &r, limit, &o, err, sizeof err);
        else
            rc = rtt_timeline_drops(tl, &r, &o, err, sizeof err);
    } else if (!strcmp(path, "/api/chain")) {
        if (int_arg(arg, ctx, "proc", -1, 0, INT64_MAX, &proc, body, len, &status) ||
            int_arg(arg, ctx, "id", -1, 0, INT64_MAX, &id, body, len, &status))
            return status;
        if (proc < 0 || id < 0)
            return fail(body, len, 400, "proc and id are required");
        rc = rtt_timeline_chain(tl, proc, id, &o, err, sizeof err);
        if (rc)
            return fail(body, len, strncmp(err, "no interaction", 14) ? 500 : 404, err);
    } else {
        char m[300];
        snprintf(m, sizeof m, "no such endpoint: %.200s", path);
        return fail(body, len, 404, m);
    }
    if (rc)
        return fail(body, len, 500, err);
    return out_answer(o, body, len);
}
