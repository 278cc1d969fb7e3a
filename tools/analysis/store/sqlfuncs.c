/* sqlfuncs.c - SQL functions rt-trace registers on every database it opens.
 *
 *   percentile(value, p)  aggregate. Exact p-th percentile (p in [0, 100])
 *       of the non-NULL values, linear interpolation between the closest
 *       ranks (numpy's default: rank = p/100 * (n-1)). Empty -> NULL.
 *       p must be the same in every row. Values are kept as doubles
 *       (exact for integers below 2^53, i.e. 104 days in ns).
 *       Cost: O(n) memory, O(n log n) at the end (one sort).
 *   duration_text(ns)     scalar: "1.23 ms" as the table format shows it.
 */
#include "db.h"
#include "result.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct pctl_ctx {
    double *v;
    size_t n, cap;
    double p;
    int have_p;
    int failed;
} pctl_ctx_t;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void pctl_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    pctl_ctx_t *c = sqlite3_aggregate_context(ctx, sizeof(pctl_ctx_t));
    if (!c) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (c->failed)
        return;
    int pt = sqlite3_value_numeric_type(argv[1]);
    if (pt != SQLITE_INTEGER && pt != SQLITE_FLOAT) {
        sqlite3_result_error(ctx, "percentile: p must be a number in [0, 100]", -1);
        c->failed = 1;
        return;
    }
    double p = sqlite3_value_double(argv[1]);
    if (!(p >= 0.0 && p <= 100.0)) {
        sqlite3_result_error(ctx, "percentile: p must be a number in [0, 100]", -1);
        c->failed = 1;
        return;
    }
    if (c->have_p && p != c->p) {
        sqlite3_result_error(ctx, "percentile: p must be the same in every row", -1);
        c->failed = 1;
        return;
    }
    c->p = p;
    c->have_p = 1;

    int vt = sqlite3_value_numeric_type(argv[0]);
    if (vt == SQLITE_NULL)
        return;
    if (vt != SQLITE_INTEGER && vt != SQLITE_FLOAT) {
        sqlite3_result_error(ctx, "percentile: value is not a number", -1);
        c->failed = 1;
        return;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        double *v = sqlite3_realloc64(c->v, cap * sizeof(double));
        if (!v) {
            sqlite3_result_error_nomem(ctx);
            c->failed = 1;
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = sqlite3_value_double(argv[0]);
}

static void pctl_final(sqlite3_context *ctx)
{
    pctl_ctx_t *c = sqlite3_aggregate_context(ctx, 0);
    if (!c || !c->n || c->failed) {
        if (c)
            sqlite3_free(c->v);
        if (!c || !c->failed)
            sqlite3_result_null(ctx);
        return;
    }
    qsort(c->v, c->n, sizeof(double), cmp_double);
    double rank = c->p / 100.0 * (double)(c->n - 1);
    size_t lo = (size_t)floor(rank);
    double frac = rank - (double)lo, r = c->v[lo];
    if (lo + 1 < c->n && frac > 0)
        r += (c->v[lo + 1] - c->v[lo]) * frac;
    sqlite3_free(c->v);
    sqlite3_result_double(ctx, r);
}

static void duration_text(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_numeric_type(argv[0]) == SQLITE_NULL ||
        sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    char buf[64];
    rtt_fmt_duration(buf, sizeof buf, sqlite3_value_double(argv[0]));
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

int rtt_register_sql_functions(sqlite3 *db)
{
    int rc = sqlite3_create_function(db, "percentile", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, NULL,
                                     pctl_step, pctl_final);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(db, "duration_text", 1,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                     duration_text, NULL, NULL);
    return rc == SQLITE_OK ? 0 : -1;
}
