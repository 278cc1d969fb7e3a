/* rows.c - loading a query's rows into a growing array, for the rules
 * that work on many rows in memory (requeue's links, starved's candidates
 * and runs); see rules.h. Cost: one scan of the query; the array doubles
 * (amortised O(1) a row). */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>

int rtt_lint_rows(rtt_lint_ctx_t *ctx, const char *rule, const char *sql,
                  const int64_t *bind, int nbind, rtt_lint_rows_t *rows,
                  rtt_lint_row_fn fn, void *arg)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ctx->db, sql, -1, &st, NULL) != SQLITE_OK)
        return rtt_lint_sqlerr(ctx, rule);
    for (int i = 0; i < nbind; i++)
        sqlite3_bind_int64(st, i + 1, bind[i]);
    int rc, ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows->n == rows->cap) {
            size_t cap = rows->cap ? 2 * rows->cap : rows->first;
            void *p = realloc(rows->v, cap * rows->size);
            if (!p) {
                snprintf(ctx->err, ctx->errlen, "out of memory");
                ret = -1;
                break;
            }
            rows->v = p;
            rows->cap = cap;
        }
        if (fn(ctx, st, (char *)rows->v + rows->n * rows->size, arg)) {
            ret = -1;
            break;
        }
        rows->n++;
    }
    if (ret == 0 && rc != SQLITE_DONE)
        ret = rtt_lint_sqlerr(ctx, rule);
    sqlite3_finalize(st);
    return ret;
}
