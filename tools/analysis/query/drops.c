/* drops.c - the drops query (`rt-trace drops`): runtime drops per reason and kind, and
 * tracer loss, as counts, per second of trace, and as a fraction of the
 * items of that kind.
 *
 * fraction = drops / (items of the kind in the trace + dropped items of the
 * kind that never became an item row). Tasks refused by a full work queue
 * never get a row, tasks discarded at shutdown do: each is counted once.
 * Tracer: discarded events / (rtk events ingested + discarded events).
 *
 * Cost: one pass over drops (with a primary-key probe per drop) and one
 * COUNT per item table.
 */
#include "queries.h"
#include "satmath.h"

#include "bounds.h"

#include <math.h>
#include <string.h>

/* Items of each rtk_item_kind_t in the trace. */
static const char *const items_sql[6] = {
    "SELECT COUNT(*) FROM tasks",
    "SELECT COUNT(*) FROM dispatches WHERE path IS NOT 1",
    "SELECT COUNT(*) FROM dispatches WHERE path = 1",
    "SELECT COUNT(*) FROM timers",
    "SELECT COUNT(*) FROM commands",
    "SELECT COUNT(*) FROM render_requests",
};

/* Per (reason, kind): drops, and drops whose item has no row. */
static const char drops_sql[] =
    "SELECT d.reason, r.name, d.kind, k.name, COUNT(*),"
    " SUM(CASE d.kind"
    "  WHEN 0 THEN NOT EXISTS (SELECT 1 FROM tasks x WHERE x.proc = d.proc AND x.id = d.id)"
    "  WHEN 1 THEN NOT EXISTS (SELECT 1 FROM dispatches x"
    "              WHERE x.proc = d.proc AND x.id = d.id)"
    "  WHEN 2 THEN NOT EXISTS (SELECT 1 FROM dispatches x"
    "              WHERE x.proc = d.proc AND x.id = d.id)"
    "  WHEN 3 THEN NOT EXISTS (SELECT 1 FROM timers x WHERE x.proc = d.proc AND x.id = d.id)"
    "  WHEN 4 THEN NOT EXISTS (SELECT 1 FROM commands x"
    "              WHERE x.proc = d.proc AND x.id = d.id)"
    "  WHEN 5 THEN NOT EXISTS (SELECT 1 FROM render_requests x"
    "              WHERE x.proc = d.proc AND x.id = d.id)"
    "  ELSE 1 END)"
    " FROM drops d LEFT JOIN drop_reasons r ON r.reason = d.reason"
    " LEFT JOIN item_kinds k ON k.kind = d.kind"
    " GROUP BY d.reason, d.kind ORDER BY d.reason, d.kind";

#define MAX_ROWS 256

typedef struct drop_row {
    int64_t reason, kind, count, unseen;
    char rname[32], kname[32];
} drop_row_t;

static void add_row(rtt_out_t *out, const char *source, const char *reason,
                    const char *kind, int64_t count, double secs, double denom)
{
    rtt_out_row(out);
    rtt_out_text(out, source);
    rtt_out_text(out, reason);
    rtt_out_text(out, kind);
    rtt_out_int(out, count);
    rtt_out_float(out, secs > 0 ? (double)count / secs : NAN);
    rtt_out_float(out, count == 0 ? 0.0 : denom > 0 ? (double)count / denom : NAN);
}

int rtt_query_drops(sqlite3 *db, rtt_out_t **result, char *err, size_t errlen)
{
    static drop_row_t rows[MAX_ROWS];
    int rc;
    int nrows = 0;
    int64_t items[6], unseen[6] = {0};
    rtt_bounds_t b;
    rtt_tracer_loss_t tl;
    sqlite3_stmt *st = NULL;
    if (rtt_trace_bounds(db, &b) || rtt_tracer_loss(db, &tl))
        goto sqlerr;
    for (int k = 0; k < 6; k++)
        if (rtt_sql_ints(db, items_sql[k], &items[k], 1))
            goto sqlerr;
    if (sqlite3_prepare_v2(db, drops_sql, -1, &st, NULL) != SQLITE_OK)
        goto sqlerr;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && nrows < MAX_ROWS) {
        drop_row_t *r = &rows[nrows++];
        r->reason = sqlite3_column_int64(st, 0);
        r->kind = sqlite3_column_int64(st, 2);
        snprintf(r->rname, sizeof r->rname, "%s",
                 sqlite3_column_type(st, 1) == SQLITE_NULL
                     ? "unknown"
                     : (const char *)sqlite3_column_text(st, 1));
        snprintf(r->kname, sizeof r->kname, "%s",
                 sqlite3_column_type(st, 3) == SQLITE_NULL
                     ? "unknown"
                     : (const char *)sqlite3_column_text(st, 3));
        r->count = sqlite3_column_int64(st, 4);
        r->unseen = sqlite3_column_int64(st, 5);
        if (r->kind >= 0 && r->kind < 6)
            unseen[r->kind] = rtt_sat_add(unseen[r->kind], r->unseen);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        goto sqlerr;
    sqlite3_finalize(st);
    st = NULL;

    double secs = b.known ? ((double)b.end - (double)b.start) / 1e9 : 0;
    rtt_out_t *out = rtt_out_new();
    if (!out)
        goto sqlerr;
    rtt_out_section(out, "drops", 0);
    rtt_out_column(out, "source", RTT_UNIT_PLAIN);
    rtt_out_column(out, "reason", RTT_UNIT_PLAIN);
    rtt_out_column(out, "kind", RTT_UNIT_PLAIN);
    rtt_out_column(out, "count", RTT_UNIT_PLAIN);
    rtt_out_column(out, "per_second", RTT_UNIT_PLAIN);
    rtt_out_column(out, "fraction", RTT_UNIT_RATIO);

    /* Every known reason, in order; reasons without drops as one zero row. */
    if (sqlite3_prepare_v2(db, "SELECT reason, name FROM drop_reasons ORDER BY reason",
                           -1, &st, NULL) != SQLITE_OK) {
        rtt_out_free(out);
        goto sqlerr;
    }
    int next = 0; /* first row of rows[] not yet written */
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t reason = sqlite3_column_int64(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        for (; next < nrows && rows[next].reason < reason; next++) /* unknown reasons */
            add_row(out, "runtime", rows[next].rname, rows[next].kname,
                    rows[next].count, secs, NAN);
        int any = 0;
        for (; next < nrows && rows[next].reason == reason; next++, any = 1) {
            drop_row_t *r = &rows[next];
            double denom = r->kind >= 0 && r->kind < 6
                               ? (double)items[r->kind] + (double)unseen[r->kind]
                               : NAN;
            add_row(out, "runtime", r->rname, r->kname, r->count, secs, denom);
        }
        if (!any)
            add_row(out, "runtime", name, NULL, 0, secs, NAN);
    }
    for (; next < nrows; next++)
        add_row(out, "runtime", rows[next].rname, rows[next].kname, rows[next].count,
                secs, NAN);
    sqlite3_finalize(st);

    add_row(out, "tracer", "discarded_events", NULL, tl.discarded_events, secs,
            (double)b.events + (double)tl.discarded_events);
    add_row(out, "tracer", "lost_packets", NULL, tl.lost_packets, secs, NAN);
    /* Damaged or skipped files (ingest_issues): a count, no rate. */
    add_row(out, "ingest", "damaged_or_skipped_files", NULL, tl.ingest_issues, 0,
            NAN);
    *result = out;
    return 0;

sqlerr:
    snprintf(err, errlen, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return -1;
}
