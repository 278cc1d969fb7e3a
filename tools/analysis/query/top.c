/* top.c - the top query (`rt-trace top`): the N slowest tasks (by run time),
 * dispatches (by duration) and commands (sent -> handled), each with its
 * cause chain: the item's cause id is looked up among the tasks, event
 * dispatches, commands, timers and render requests of the same process,
 * then that item's cause, up to an item with no cause. Printed root first:
 * "command#12 -> task#13(parse) -> timer#20(autosave) -> task#31".
 * A task run by a timer fire whose cause is 0 continues at its timer.
 * An id found nowhere (its events were lost) shows as "?#id" and ends the
 * chain. A run of 4 or more consecutive links of the same kind and name
 * (a task re-queuing itself chunk by chunk) is collapsed to its first and
 * last link and the count between: "task#101(search_chunk) -> ... (x48
 * search_chunk) -> task#150(search_chunk)".
 *
 * The walk and the text are cause_chain.c's (shared with `rt-trace lint`).
 *
 * Cost: per kind one scan with a bounded ORDER BY ... LIMIT N heap; per
 * chain link five primary-key probes. Chains are capped at 64 links.
 */
#include "queries.h"
#include "satmath.h"

#include "bounds.h"
#include "cause_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The chain text of item (kind, id) with cause and timer info, root first
 * (cause_chain.c). Returns a malloc'ed string or NULL. */
static char *chain(sqlite3_stmt *lk, int64_t proc, const char *kind, int64_t id,
                   const char *name, int64_t cause)
{
    rtt_chain_t c;
    rtt_chain_walk(lk, proc, kind, id, name, cause, &c);
    return rtt_chain_text(&c);
}

typedef struct top_kind {
    const char *kind; /* --kind value */
    const char *item; /* chain name */
    const char *measure;
    const char *sql; /* proc, id, name, priority, start, value, cause, timer? */
} top_kind_t;

static const top_kind_t top_kinds[] = {
    {"task", "task", "run_time",
     "SELECT proc, id, NULLIF(name, ''), priority, started_ts,"
     " finished_ts - started_ts AS v, cause, source = 1, timer_id"
     " FROM tasks WHERE (flags & 6) = 0 AND v IS NOT NULL%s"
     " ORDER BY v DESC, proc, id LIMIT ?3"},
    {"dispatch", "event", "duration",
     "SELECT proc, id, 'type ' || type, priority, begin_ts,"
     " end_ts - begin_ts AS v, cause, 0, NULL"
     " FROM dispatches WHERE (flags & 4) = 0 AND v IS NOT NULL%s"
     " ORDER BY v DESC, proc, id LIMIT ?3"},
    {"command", "command", "latency",
     "SELECT proc, id, CASE cmd WHEN 0 THEN 'shutdown' WHEN 1 THEN 'emergency'"
     " WHEN 2 THEN 'schedule_task' END, priority, sent_ts,"
     " handled_ts - sent_ts AS v, cause, 0, NULL"
     " FROM commands WHERE (flags & 5) = 0 AND v IS NOT NULL%s"
     " ORDER BY v DESC, proc, id LIMIT ?3"},
};

static const char *const windows[] = {
    " AND started_ts >= ?1 AND started_ts < ?2",
    " AND begin_ts >= ?1 AND begin_ts < ?2",
    " AND sent_ts >= ?1 AND sent_ts < ?2",
};

int rtt_query_top(sqlite3 *db, const rtt_span_t *span, int64_t top, const char *kind,
                  rtt_out_t **result, char *err, size_t errlen)
{
    int rc;
    rtt_bounds_t b;
    rtt_window_t w;
    sqlite3_stmt *st = NULL, *lk = NULL;
    rtt_out_t *out = rtt_out_new();
    if (!out || rtt_trace_bounds(db, &b) ||
        rtt_chain_prepare(db, &lk) != SQLITE_OK)
        goto sqlerr;
    rtt_window_make(&b, span, &w);

    rtt_out_section(out, "top", 0);
    rtt_out_column(out, "kind", RTT_UNIT_PLAIN);
    rtt_out_column(out, "rank", RTT_UNIT_PLAIN);
    rtt_out_column(out, "measure", RTT_UNIT_PLAIN);
    rtt_out_column(out, "value", RTT_UNIT_NS);
    rtt_out_column(out, "proc", RTT_UNIT_PLAIN);
    rtt_out_column(out, "id", RTT_UNIT_PLAIN);
    rtt_out_column(out, "name", RTT_UNIT_PLAIN);
    rtt_out_column(out, "priority", RTT_UNIT_PLAIN);
    rtt_out_column(out, "at", RTT_UNIT_NS);
    rtt_out_column(out, "chain", RTT_UNIT_PLAIN);
    for (size_t k = 0; k < sizeof(top_kinds) / sizeof(top_kinds[0]); k++) {
        const top_kind_t *tk = &top_kinds[k];
        if (kind && strcmp(kind, tk->kind))
            continue;
        char sql[1024];
        snprintf(sql, sizeof sql, tk->sql, w.active ? windows[k] : "");
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            goto sqlerr;
        if (w.active) {
            sqlite3_bind_int64(st, 1, w.lo);
            sqlite3_bind_int64(st, 2, w.hi);
        }
        sqlite3_bind_int64(st, 3, top);
        int64_t rank = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t proc = sqlite3_column_int64(st, 0), id = sqlite3_column_int64(st, 1);
            const char *name = (const char *)sqlite3_column_text(st, 2);
            char *ch = chain(lk, proc, tk->item, id, k == 0 ? name : NULL,
                             rtt_chain_next_cause(sqlite3_column_int64(st, 6),
                                                  sqlite3_column_int64(st, 7) == 1,
                                                  sqlite3_column_int64(st, 8)));
            rtt_out_row(out);
            rtt_out_text(out, tk->kind);
            rtt_out_int(out, ++rank);
            rtt_out_text(out, tk->measure);
            rtt_out_int(out, sqlite3_column_int64(st, 5));
            rtt_out_int(out, proc);
            rtt_out_int(out, id);
            rtt_out_text(out, name);
            if (sqlite3_column_type(st, 3) == SQLITE_NULL)
                rtt_out_null(out);
            else
                rtt_out_int(out, sqlite3_column_int64(st, 3));
            rtt_out_int(out, rtt_sat_sub(sqlite3_column_int64(st, 4), b.start));
            rtt_out_text(out, ch);
            free(ch);
        }
        if (rc != SQLITE_DONE)
            goto sqlerr;
        sqlite3_finalize(st);
        st = NULL;
    }
    sqlite3_finalize(lk);
    *result = out;
    return 0;

sqlerr:
    snprintf(err, errlen, "%s", out ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_finalize(st);
    sqlite3_finalize(lk);
    rtt_out_free(out);
    return -1;
}
