/* rules.h - what the lint rules share inside the engine (not a public
 * header): the rule signature, the context every rule gets, the finding
 * builder (findings.c) and the row loader (rows.c).
 */
#ifndef RTT_LINT_RULES_H
#define RTT_LINT_RULES_H

#include "lint.h"

typedef struct rtt_lint_ctx {
    sqlite3 *db;
    const rtt_lint_config_t *cfg;
    int64_t from, to;    /* [from, to) */
    int64_t trace_end;   /* last timestamp in the database */
    rtt_lint_result_t *out;
    char *err;
    size_t errlen;
} rtt_lint_ctx_t;

/* A rule: 0, or -1 with ctx->err filled. */
typedef int (*rtt_lint_rule_fn)(rtt_lint_ctx_t *ctx);

int rtt_lint_rule_blocked(rtt_lint_ctx_t *ctx);      /* rule_blocked.c */
int rtt_lint_rule_timer_late(rtt_lint_ctx_t *ctx);   /* rule_timer_late.c */
int rtt_lint_rule_starved(rtt_lint_ctx_t *ctx);      /* rule_starved.c */
int rtt_lint_rule_requeue(rtt_lint_ctx_t *ctx);      /* rule_requeue.c */
int rtt_lint_rule_queue_full(rtt_lint_ctx_t *ctx);   /* rule_queue_full.c */
int rtt_lint_rule_drops(rtt_lint_ctx_t *ctx);        /* rule_drops.c */
int rtt_lint_rule_tracer_loss(rtt_lint_ctx_t *ctx);  /* rule_tracer_loss.c */
int rtt_lint_rule_render_stall(rtt_lint_ctx_t *ctx); /* rule_render_stall.c */

/* Append a finding; message is printf-formatted. name/cause_head are
 * copied (NULL allowed); unit is a static string. Returns a pointer to the
 * new finding (to set last_id, count...), or NULL with ctx->err set to
 * "out of memory". */
rtt_lint_finding_t *rtt_lint_add(rtt_lint_ctx_t *ctx, int rule, int severity,
                                 int64_t proc, int64_t id, const char *name,
                                 int64_t ts, int64_t end_ts, int64_t value,
                                 int64_t limit, const char *unit, const char *fmt, ...)
    __attribute__((format(printf, 12, 13)));

/* A growing array of rows (rtt_lint_rows): n elements of size bytes in v
 * (malloc'ed: the rule frees it), room for cap; the first allocation
 * holds `first`. Set size and first, the rest zero. */
typedef struct rtt_lint_rows {
    void *v;
    size_t n, cap;
    size_t size, first;
} rtt_lint_rows_t;

/* Fill elem (uninitialised) from row st, with the rule's arg. 0, or -1
 * with ctx->err filled (out of memory): the row is not counted. */
typedef int (*rtt_lint_row_fn)(rtt_lint_ctx_t *ctx, sqlite3_stmt *st, void *elem,
                               void *arg);

/* Run sql with ?1..?nbind bound to bind[], appending one element a row to
 * rows, filled by fn (rows.c). Returns 0, or -1 with ctx->err filled:
 * "RULE: SQLite's message" (rule names it) or fn's error or "out of
 * memory"; what was loaded stays in rows. Cost: one scan of sql. */
int rtt_lint_rows(rtt_lint_ctx_t *ctx, const char *rule, const char *sql,
                  const int64_t *bind, int nbind, rtt_lint_rows_t *rows,
                  rtt_lint_row_fn fn, void *arg);

/* An SQL error on ctx->db: fills ctx->err, returns -1. */
int rtt_lint_sqlerr(rtt_lint_ctx_t *ctx, const char *what);

/* "12.3 ms" (result.h's rtt_fmt_duration) into buf (>= 32 bytes). */
const char *rtt_lint_dur(char *buf, size_t len, int64_t ns);

#endif
