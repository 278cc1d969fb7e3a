/* queries.h - the engine's queries: each reads an rt-trace database and
 * returns a typed result (result.h) or one line of error; none prints.
 * Every front-end (the CLI's table/json/csv, tomorrow the HTTP server and
 * the report) presents these results, so a figure is computed once.
 *
 *   drops.c           rtt_query_drops         runtime drops and tracer loss
 *   frames.c          rtt_query_frames        frame durations, worst frames
 *   latency.c         rtt_query_latency       statistics per kind/measure/group
 *   top.c             rtt_query_top           slowest items with cause chains
 *   interactions_q.c  rtt_query_interactions  keystroke-to-render latency
 *   rows.c            rtt_query_rows          any statement's rows (`sql`)
 *   summary.c         rtt_summary_compute     the overview (summary.h)
 *
 * All return 0 with *result set (the caller frees it), or -1 with err
 * filled ("what", without the database path: the caller knows it).
 */
#ifndef RTT_QUERIES_H
#define RTT_QUERIES_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "interactions.h"
#include "measures.h"
#include "result.h"

int rtt_query_drops(sqlite3 *db, rtt_out_t **result, char *err, size_t errlen);

/* budget: ns (> 0); top: how many worst frames. span: NULL for all. */
int rtt_query_frames(sqlite3 *db, const rtt_span_t *span, int64_t budget,
                     int64_t top, rtt_out_t **result, char *err, size_t errlen);

/* only: one kind or NULL for all; by: NULL, "priority", "type" or "name". */
int rtt_query_latency(sqlite3 *db, const rtt_span_t *span, const rtt_kind_t *only,
                      const char *by, rtt_out_t **result, char *err, size_t errlen);

/* kind: NULL, "task", "dispatch" or "command"; top: items per kind. */
int rtt_query_top(sqlite3 *db, const rtt_span_t *span, int64_t top, const char *kind,
                  rtt_out_t **result, char *err, size_t errlen);

/* rtt_query_interactions flags. */
enum {
    RTT_IX_NO_SUMMARY = 1, /* leave out the "interactions" record (summary
                              shows the same figures) */
    RTT_IX_HINTS = 2       /* add the "hint" record (rtt_out_interactions_hint)
                              when it applies: table output only, never part
                              of the JSON/CSV */
};

/* budget_ns <= 0: 16.7 ms; worst: how many slowest to list; proc >= 0 or
 * procname: only those processes; flags: RTT_IX_*. Sections:
 * "interactions" (unless RTT_IX_NO_SUMMARY), "hint" (RTT_IX_HINTS, when it
 * applies), "split", "by_name", "worst". */
int rtt_query_interactions(sqlite3 *db, int64_t budget_ns, size_t worst, int64_t proc,
                           const char *procname, unsigned flags, rtt_out_t **result,
                           char *err, size_t errlen);

/* What rtt_interactions_proc_known finds: whether a process selection
 * names a process of db and, when it does not, the first processes db has
 * (to name in the error). */
#define RTT_IX_PROCS_LISTED 5
typedef struct rtt_ix_procs {
    int known;   /* 1: db has such a process; 0: none */
    size_t n;    /* known == 0: processes in list (0: db has none) */
    int more;    /* known == 0: db has more than those n */
    struct {
        int64_t proc;   /* procs.proc */
        int named;      /* procs.procname is not NULL */
        char name[33];  /* procs.procname, its first 32 bytes */
    } list[RTT_IX_PROCS_LISTED]; /* by proc number */
} rtt_ix_procs_t;

/* Does procname (non-NULL: a procs.procname), else proc (a procs.proc),
 * name a process of db (the procs table)? Returns 0 with *p filled (its
 * list only when not known), or -1 with SQLite's message in err. Two
 * indexed look-ups at most: one row, then up to six rows by proc. */
int rtt_interactions_proc_known(sqlite3 *db, int64_t proc, const char *procname,
                                rtt_ix_procs_t *p, char *err, size_t errlen);

/* The same sections from a model already loaded for those processes
 * (rtt_interactions_load / _load_proc with the same proc and procname,
 * which the hint still reads db for): a caller that keeps the model (the
 * viewer's API) does not load it again. */
int rtt_query_interactions_of(sqlite3 *db, const rtt_interactions_t *set, int64_t budget_ns,
                              size_t worst, int64_t proc, const char *procname,
                              unsigned flags, rtt_out_t **result, char *err, size_t errlen);

/* Why a run shows 0 keystrokes. A keystroke (an interaction's root) is a
 * schedule_task command sent from outside the runtime (cause 0); a program
 * that only calls rtk_submit has tasks but none, and its interactions are
 * silently empty. applies: the selected processes have tasks but no root
 * command. */
typedef struct rtt_ix_hint {
    int applies;
    int64_t tasks;     /* task rows of the selected processes */
    int64_t submitted; /* of them, submitted with rtk_submit (source 0) */
} rtt_ix_hint_t;

/* Fill *h for the processes selected as rtt_query_interactions selects them
 * (proc >= 0 or procname; else all). Cost: a count of the root commands,
 * and only when there are none one scan of the tasks table. Returns 0, or
 * -1 with err filled. */
int rtt_interactions_hint(sqlite3 *db, int64_t proc, const char *procname,
                          rtt_ix_hint_t *h, char *err, size_t errlen);

/* When h->applies, add a record section "hint" whose one field "note" is
 * the sentence, e.g. "no interactions: a keystroke is a
 * RTK_CMD_SCHEDULE_TASK command sent from outside the runtime (cause 0),
 * and this trace has none; its 50 tasks were submitted with rtk_submit --
 * see docs/rt-trace.md#interactions". Otherwise nothing. */
void rtt_out_interactions_hint(rtt_out_t *out, const rtt_ix_hint_t *h);

/* st as a record section named `section` (keystrokes, count, no_render,
 * budget, p50, p90, p99, max, mean, and the four shares); summary and
 * interactions use it. interactions_q.c. */
void rtt_interactions_out_summary(rtt_out_t *out, const char *section,
                                  const rtt_interaction_stats_t *st);

/* The rows of a prepared statement, every column typed as SQLite gives it. */
int rtt_query_rows(sqlite3 *db, sqlite3_stmt *st, rtt_out_t **result, char *err,
                   size_t errlen);

#endif
