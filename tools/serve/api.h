/* api.h - the viewer's JSON API (api.c): maps a request path and its query
 * arguments to an engine call and writes the answer with the CLI's JSON
 * writers (format.c, summary_json.c). `rt-trace view` serves it over HTTP
 * (http.c); `rt-trace report` calls it directly to embed its answers.
 * Nothing here computes a figure: each answer is the engine's result.
 *
 *   /api/meta                       databases, durations, what is available
 *   /api/summary?db=I               = rt-trace summary DB --format json
 *   /api/lint?db=I                  = rt-trace lint DB --format json (when built)
 *   /api/interactions?db=I&n=N      = rt-trace interactions DB -n N --format json
 *   /api/latency?db=I[&kind=K][&by=B]  = rt-trace latency --format json
 *   /api/dist?db=I&kind=K&measure=M[&by=B&key=V][&bins=N]   histogram, quantiles
 *   /api/shift?kind=K&measure=M[&by=B&key=V]   two runs' deciles (two dbs)
 *   /api/compare                    = rt-trace compare DB0 --against DB1 --format json
 *   /api/ticks?db=I&from=&to=&buckets=N[&budget=NS]
 *   /api/tasks?db=I&from=&to=&buckets=N&limit=L
 *   /api/drops?db=I&from=&to=&buckets=N
 *   /api/chain?db=I&proc=P&id=C     one interaction's waterfall
 *
 * from/to are ns from the trace start. db defaults to 0.
 */
#ifndef RTT_API_H
#define RTT_API_H

#include <sqlite3.h>
#include <stddef.h>

#include "timeline.h"

#define RTT_API_MAX_DB 2

typedef struct rtt_api {
    int ndb;
    const char *path[RTT_API_MAX_DB];
    sqlite3 *db[RTT_API_MAX_DB];
    rtt_timeline_t tl[RTT_API_MAX_DB];
    char *compare_json; /* cached: the comparison is computed once */
    size_t compare_len;
    /* Answers kept: every whole-run answer (a database does not change
     * while it is read), not the range answers of a zoomed-in window. */
    struct rtt_api_memo *memo;
    size_t nmemo, capmemo;
    /* live (rt-trace view --live): the databases grow while they are read
     * (rt-trace live --record commits one interval at a time): nothing is
     * kept, and the bounds are read again at most every 500 ms. */
    int live;
    int64_t refreshed_ns; /* CLOCK_MONOTONIC of the last re-read */
} rtt_api_t;

/* The bucket count the page asks the whole run's timelines at, so those
 * answers can be computed before the first request (rtt_api_warm). */
#define RTT_API_WHOLE_BUCKETS 2000

/* Open each database read-only and read its bounds. Returns 0, or -1 with
 * one line in err naming the database (missing, not an rt-trace
 * database, another schema version). */
int rtt_api_open(rtt_api_t *a, const char *const *paths, int n, char *err, size_t errlen);
void rtt_api_close(rtt_api_t *a);

/* A query argument by name, or NULL when absent. */
typedef const char *(*rtt_api_arg_fn)(void *ctx, const char *name);

/* Answer path (e.g. "/api/summary") with its arguments: returns the HTTP
 * status (200; 400 bad argument; 404 unknown path; 500 engine failure) and
 * sets *body (malloc'ed JSON; an error is {"error": "..."}) and *len.
 * *body is NULL only when out of memory. */
int rtt_api_answer(rtt_api_t *a, const char *path, rtt_api_arg_fn arg, void *ctx,
                   char **body, size_t *len);

/* Compute and keep what the page asks first: each database's summary, and
 * the first database's lint findings and whole-run ticks and tasks at
 * RTT_API_WHOLE_BUCKETS.
 * Cost: those engine calls (seconds for a 1 M-task run), paid before the
 * server starts so the first paint does not wait for them. */
void rtt_api_warm(rtt_api_t *a);

#endif
