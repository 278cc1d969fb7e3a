/* query_common.h - what every rt-trace query subcommand shares
 * (query_common.c): option parsing, opening the database, the trace's time
 * bounds, the catalogue of latency measures per item kind, and latency
 * statistics (count, min, p50, p90, p99, p99.9, max, mean).
 *
 * Statistics are computed in C: one SQLite scan collects the values (no SQL
 * sort), then one radix sort per series; on 1 M rows this is several times
 * faster than a percentile() aggregate per quantile.
 */
#ifndef RTT_QUERY_COMMON_H
#define RTT_QUERY_COMMON_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "output.h"

/* --- options ------------------------------------------------------------- */

#define RTT_Q_MAX_POS 4

/* What rtt_qparse() accepts besides --format and --help. */
enum { RTT_Q_WINDOW = 1 /* --from T, --to T */ };

typedef struct rtt_qopts {
    const char *cmd; /* "latency": used in messages */
    rtt_format_t format;
    int has_from, has_to;
    int64_t from_ns, to_ns; /* relative to the trace start */
    const char *pos[RTT_Q_MAX_POS];
    int npos;
} rtt_qopts_t;

/* A subcommand's own option: --long / -s, with or without a value. */
typedef struct rtt_qopt_spec {
    const char *lng;  /* "budget" for --budget (also --budget=V) */
    char shrt;        /* 'n' for -n, or 0 */
    int has_arg;
    int id;
} rtt_qopt_spec_t;

/* Handles a subcommand option; returns 0, or -1 after printing a one-line
 * error (bad value). */
typedef int (*rtt_qopt_fn)(void *ctx, int id, const char *arg);

/* Parse argv (argv[0] is the subcommand). extra/fn: the subcommand's own
 * options (extra terminated by a zeroed entry; may be NULL). Positional
 * arguments land in o->pos; between min_pos and max_pos are required.
 * Returns -1 to go on, or the exit status to return at once: 0 after
 * printing usage for --help, 2 after a one-line usage error on stderr. */
int rtt_qparse(rtt_qopts_t *o, const char *cmd, int argc, char **argv, unsigned accept,
               const rtt_qopt_spec_t *extra, rtt_qopt_fn fn, void *ctx, int min_pos,
               int max_pos, const char *usage);

/* "1500000", "1.5s", "200ms", "30us", "250ns", "2min": a non-negative
 * duration; a bare number is ns. Returns 0, or -1 if malformed. */
int rtt_parse_duration(const char *s, int64_t *ns);

/* -n COUNT: a whole number from 0 to 1000000. Returns 0, or -1 after
 * printing the one-line error. */
int rtt_parse_count(const rtt_qopts_t *o, const char *arg, int64_t *n);

/* Print "rt-trace <cmd>: <fmt...>" and a newline on stderr. */
void rtt_qerr(const rtt_qopts_t *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Open o->pos[0] read-only (rtt_db_open). On failure prints one line and
 * returns -1 (exit status 1). */
int rtt_qopen(const rtt_qopts_t *o, sqlite3 **db);

/* Write out in o->format to stdout; returns the exit status (0, or 1 after a
 * one-line error). Frees out. */
int rtt_qwrite(const rtt_qopts_t *o, rtt_out_t *out);

/* --- trace bounds and windows -------------------------------------------- */

typedef struct rtt_bounds {
    int known;       /* 0: empty database */
    int64_t start;   /* first timestamp (ns) */
    int64_t end;     /* last timestamp */
    int64_t events;  /* rtk events ingested (traces.events) */
    int64_t traces;  /* rows in traces */
} rtt_bounds_t;

/* From the traces table (first_ts/last_ts), else the items' timestamps.
 * Cost: a few indexed MIN/MAX lookups. Returns 0 or -1 (SQL error). */
int rtt_trace_bounds(sqlite3 *db, rtt_bounds_t *b);

/* Absolute [lo, hi) from --from/--to; active = 0 when neither was given. */
typedef struct rtt_window {
    int active;
    int64_t lo, hi;
} rtt_window_t;

void rtt_window_make(const rtt_qopts_t *o, const rtt_bounds_t *b, rtt_window_t *w);

/* --- statistics ---------------------------------------------------------- */

typedef struct rtt_stats {
    int64_t count;    /* values measured */
    int64_t excluded; /* items that could not give this measure */
    double min, p50, p90, p99, p999, max, mean; /* NaN when count == 0 */
} rtt_stats_t;

/* Sort v (radix sort, O(n), n extra int64s) and compute the statistics. */
void rtt_stats_compute(int64_t *v, size_t n, rtt_stats_t *s);
void rtt_sort_i64(int64_t *v, size_t n);
/* p-th percentile of sorted v, numpy's linear interpolation; NaN if n == 0. */
double rtt_percentile_sorted(const int64_t *v, size_t n, double p);

/* Columns count, excluded, min, p50, p90, p99, p999, max, mean, and the
 * matching cells for one row. */
void rtt_out_stats_columns(rtt_out_t *o);
void rtt_out_stats_cells(rtt_out_t *o, const rtt_stats_t *s);

/* --- measures per kind --------------------------------------------------- */

#define RTT_MAX_MEASURES 3
#define RTT_MAX_SUMS 4

typedef struct rtt_measure {
    const char *name; /* "queue_wait" */
    const char *expr; /* SQL: the value in ns, NULL when not measurable */
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

/* The first row's first n columns of sql as integers (NULL -> 0; no row ->
 * all 0). Returns 0, or -1 on an SQL error. */
int rtt_sql_ints(sqlite3 *db, const char *sql, int64_t *out, int n);

/* Run sql (?1/?2 bound to w->lo/w->hi when w is active; the caller writes
 * the window test into sql) and collect column 0 as int64 values into a
 * malloc'ed *v (NULL values are counted in *excluded). Returns 0 or -1 with
 * err filled. Cost: the query's scan, amortised O(1) per value. */
int rtt_collect_values(sqlite3 *db, const char *sql, const rtt_window_t *w,
                       int64_t **v, size_t *n, int64_t *excluded, char *err,
                       size_t errlen);

/* Tracer loss totals: discarded events (sum of known counts), lost packets
 * (a message without a count counts 1), and discarded-events messages that
 * carried no count. Returns 0 or -1. */
typedef struct rtt_tracer_loss {
    int64_t discarded_events, lost_packets, unknown_count_messages;
} rtt_tracer_loss_t;
int rtt_tracer_loss(sqlite3 *db, rtt_tracer_loss_t *l);

#endif
