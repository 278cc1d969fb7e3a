/* args.h - what every query subcommand of the CLI shares (args.c): option
 * parsing (--format, --help, --from/--to and the subcommand's own),
 * durations and counts, opening the database, writing the result and the
 * one-line errors. */
#ifndef RTT_ARGS_H
#define RTT_ARGS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "format.h"

#define RTT_Q_MAX_POS 4

/* What rtt_qparse() accepts besides --format and --help. */
enum {
    RTT_Q_WINDOW = 1,  /* --from T, --to T */
    RTT_Q_MARKDOWN = 2 /* --format markdown too */
};

typedef struct rtt_qopts {
    const char *cmd; /* "latency": used in messages */
    rtt_format_t format;
    rtt_span_t span; /* --from/--to, relative to the trace start */
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

/* Whether argument a is the long option --lng: "--lng" (*val = NULL) or,
 * for an option with a value (has_arg), "--lng=V" (*val = V). For the
 * commands that parse their own arguments (compare). */
int rtt_opt_long(const char *a, const char *lng, int has_arg, const char **val);

/* "1500000", "1.5s", "200ms", "30us", "250ns", "2min": a non-negative
 * duration; a bare number is ns. Returns 0, or -1 if malformed. */
int rtt_parse_duration(const char *s, int64_t *ns);

/* --subbuf-size BYTES, --num-subbuf N (record, live): a power of two, not
 * 0, in decimal with an optional k/K (x1024) or m/M (x1048576) suffix.
 * Returns 0, or -1 if malformed or out of range; prints nothing (each
 * subcommand words its own error). */
int rtt_parse_pow2_size(const char *s, uint64_t *out);

/* -n COUNT: a whole number from 0 to 1000000. Returns 0, or -1 after
 * printing the one-line error. */
int rtt_parse_count(const rtt_qopts_t *o, const char *arg, int64_t *n);

/* Print "rt-trace <cmd>: <fmt...>" and a newline on stderr. */
void rtt_qerr(const rtt_qopts_t *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Open o->pos[0] read-only (rtt_db_open). On failure prints one line and
 * returns -1 (exit status 1). A database with ingest_issues rows gets one
 * "warning: ..." line on stderr. */
int rtt_qopen(const rtt_qopts_t *o, sqlite3 **db);

/* Write out in o->format to stdout; returns the exit status (0, or 1 after a
 * one-line error). Frees out. */
int rtt_qwrite(const rtt_qopts_t *o, rtt_out_t *out);

/* An engine query that needs only the database (drops, sql-free ones). */
typedef int (*rtt_query_fn)(sqlite3 *db, rtt_out_t **out, char *err, size_t errlen);

/* Open o->pos[0], run fn, write its result: the exit status (0, or 1 after
 * the one-line error "rt-trace CMD: what: DB"). */
int rtt_qrun(const rtt_qopts_t *o, rtt_query_fn fn);

/* The same for a query with its own parameters: fn(db, ctx, ...). */
typedef int (*rtt_query_ctx_fn)(sqlite3 *db, void *ctx, rtt_out_t **out, char *err,
                                size_t errlen);
int rtt_qrun_with(const rtt_qopts_t *o, rtt_query_ctx_fn fn, void *ctx);
/* The same on db, already opened by rtt_qopen (for a command that checks
 * an argument against the database first); closes db. */
int rtt_qrun_db(const rtt_qopts_t *o, sqlite3 *db, rtt_query_ctx_fn fn, void *ctx);

/* Print the engine's error err about o->pos[0]; returns 1. */
int rtt_qfail(const rtt_qopts_t *o, const char *err);

#endif
