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
 * Cost: per kind one scan with a bounded ORDER BY ... LIMIT N heap; per
 * chain link five primary-key probes. Chains are capped at 64 links.
 */
#include "queries.h"
#include "satmath.h"

#include "bounds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 64

/* Which item an id is: kind, its cause, and (tasks) source/timer_id. */
static const char lookup_sql[] =
    "SELECT 'task', cause, source, timer_id, NULLIF(name, '') FROM tasks"
    "  WHERE proc = ?1 AND id = ?2"
    " UNION ALL SELECT 'event', cause, NULL, NULL, NULL FROM dispatches"
    "  WHERE proc = ?1 AND id = ?2"
    " UNION ALL SELECT 'command', cause, NULL, NULL, NULL FROM commands"
    "  WHERE proc = ?1 AND id = ?2"
    " UNION ALL SELECT 'timer', cause, NULL, NULL, NULLIF(name, '') FROM timers"
    "  WHERE proc = ?1 AND id = ?2"
    " UNION ALL SELECT 'render_request', cause, NULL, NULL, NULL FROM render_requests"
    "  WHERE proc = ?1 AND id = ?2"
    " LIMIT 1";

typedef struct link {
    char text[96];
    char kind[16];
    char name[72]; /* "" when the item has none */
} link_t;

static void set_link(link_t *l, const char *kind, int64_t id, const char *name)
{
    snprintf(l->text, sizeof l->text, "%s#%lld%s%s%s", kind, (long long)id,
             name ? "(" : "", name ? name : "", name ? ")" : "");
    snprintf(l->kind, sizeof l->kind, "%s", kind);
    snprintf(l->name, sizeof l->name, "%s", name ? name : "");
}

/* Two links are alike when only their ids differ (a task that queues the
 * next chunk of its own work). */
static int alike(const link_t *a, const link_t *b)
{
    return !strcmp(a->kind, b->kind) && !strcmp(a->name, b->name);
}

/* Next cause of an item: its cause, or for a timer-fired task without one,
 * its timer. */
static int64_t next_cause(int64_t cause, int source_is_timer, int64_t timer_id)
{
    return cause == 0 && source_is_timer ? timer_id : cause;
}

/* Build the chain text for the item (kind, id) with cause and timer info.
 * Root first; a run of 4 or more alike links shows its first and last with
 * the count between: "task#101(chunk) -> ... (x48 chunk) -> task#150(chunk)".
 * Returns a malloc'ed string or NULL. */
static char *chain(sqlite3_stmt *lk, int64_t proc, const char *kind, int64_t id,
                   const char *name, int64_t cause)
{
    link_t links[MAX_CHAIN];
    int n = 0;
    set_link(&links[n++], kind, id, name);
    int truncated = 0;
    while (cause != 0) {
        if (n == MAX_CHAIN) {
            truncated = 1;
            break;
        }
        sqlite3_reset(lk);
        sqlite3_bind_int64(lk, 1, proc);
        sqlite3_bind_int64(lk, 2, cause);
        if (sqlite3_step(lk) != SQLITE_ROW) {
            set_link(&links[n++], "?", cause, NULL);
            break;
        }
        const char *k = (const char *)sqlite3_column_text(lk, 0);
        const char *nm = (const char *)sqlite3_column_text(lk, 4);
        set_link(&links[n++], k, cause, nm);
        int is_task = !strcmp(k, "task");
        cause = next_cause(sqlite3_column_int64(lk, 1),
                           is_task && sqlite3_column_int64(lk, 2) == 1,
                           sqlite3_column_int64(lk, 3));
    }
    /* an upper bound: every link in full plus, per link, room for a
     * collapsed run's "... (xN name) -> " */
    size_t len = truncated ? 8 : 1;
    for (int i = 0; i < n; i++)
        len += strlen(links[i].text) + 4 + sizeof links[i].name + 32;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    if (truncated)
        p += sprintf(p, "... -> ");
    /* links[] is item first; print from the root (i = n - 1) down */
    for (int i = n - 1; i >= 0;) {
        int j = i; /* links[j..i] alike */
        while (j > 0 && alike(&links[j - 1], &links[i]))
            j--;
        if (i - j + 1 >= 4) {
            const link_t *l = &links[i];
            p += sprintf(p, "%s -> ... (x%d %s) -> ", l->text, i - j - 1,
                         l->name[0] ? l->name : l->kind);
            i = j; /* the run's last link is printed below */
        }
        p += sprintf(p, "%s%s", links[i].text, i ? " -> " : "");
        i--;
    }
    return s;
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
        sqlite3_prepare_v2(db, lookup_sql, -1, &lk, NULL) != SQLITE_OK)
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
                             next_cause(sqlite3_column_int64(st, 6),
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
