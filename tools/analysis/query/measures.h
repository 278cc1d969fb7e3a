/* measures.h - the catalogue of latency measures per item kind (task,
 * dispatch, timer, command, tick) and their grouped collection from the
 * database (measures.c), shared by summary, latency and compare.
 */
#ifndef RTT_MEASURES_H
#define RTT_MEASURES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "result.h"
#include "stats.h"

#define RTT_MAX_MEASURES 4
#define RTT_MAX_SUMS 4

typedef struct rtt_measure {
    const char *name; /* "queue_wait" */
    const char *expr; /* SQL: the value in ns, NULL when not measurable */
    int optional;     /* 1: measured only when the program asked for it
                         (task cpu_time): summary leaves it out, latency
                         shows it for groups that have values, and its
                         "excluded" counts the items not measured */
} rtt_measure_t;

typedef struct rtt_kind {
    const char *name;      /* --kind value: "task" */
    const char *plural;    /* summary key: "tasks" */
    const char *from;      /* FROM clause */
    const char *from_join; /* FROM clause when grouping needs a join */
    const char *anchor;    /* timestamp tested against --from/--to */
    const char *by_priority, *by_type, *by_name; /* group exprs or NULL */
    int by_join;           /* 1: by_type/by_name need from_join */
    int nmeasures;
    int main;              /* index of the summary's headline measure */
    rtt_measure_t m[RTT_MAX_MEASURES];
} rtt_kind_t;

extern const rtt_kind_t rtt_kinds[];
extern const size_t rtt_nkinds;

const rtt_kind_t *rtt_kind_find(const char *name);

/* The group expression of k for by = "priority", "type" or "name" (NULL
 * when k cannot be grouped so, or by is NULL). latency.c. */
const char *rtt_kind_group(const rtt_kind_t *k, const char *by);

/* One group of values (the whole kind when not grouped). */
typedef struct rtt_series {
    int key_type; /* SQLITE_INTEGER, SQLITE_TEXT or SQLITE_NULL */
    int64_t key_i;
    char *key_s;
    int64_t *v[RTT_MAX_MEASURES];
    size_t n[RTT_MAX_MEASURES], cap[RTT_MAX_MEASURES];
    int64_t excluded[RTT_MAX_MEASURES];
    int64_t rows;              /* rows scanned into this group */
    int64_t sums[RTT_MAX_SUMS]; /* SUM of each extra expression */
} rtt_series_t;

typedef struct rtt_groups {
    rtt_series_t *g;
    size_t n, cap;
    size_t *slot; /* open-addressing hash: index+1, 0 = empty */
    size_t nslots;
} rtt_groups_t;

/* Scan kind k (grouped by group_expr unless NULL, restricted to w) into
 * out, whose groups come back ordered by key (numbers, then text, then
 * null). An ungrouped scan always yields exactly one group. sums: NULL or
 * up to RTT_MAX_SUMS integer SQL expressions (NULL-terminated) summed per
 * group in the same scan, so counters cost no second pass. Cost: one
 * table scan (the anchor is an expression, so a window does not use an
 * index). Returns 0, or -1 with err filled. */
int rtt_kind_collect(sqlite3 *db, const rtt_kind_t *k, const char *group_expr,
                     int need_join, const rtt_window_t *w, const char *const *sums,
                     rtt_groups_t *out, char *err, size_t errlen);
void rtt_groups_free(rtt_groups_t *g);

/* Columns count, excluded, min, p50, p90, p99, p999, max, mean, and the
 * matching cells for one row. */
void rtt_out_stats_columns(rtt_out_t *o);
void rtt_out_stats_cells(rtt_out_t *o, const rtt_stats_t *s);

#endif
