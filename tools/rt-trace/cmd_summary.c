/* cmd_summary.c - `rt-trace summary`: arguments and presentation of the
 * engine's summary (analysis/query/summary.c): tables, CSV, or the JSON
 * contract.
 *
 * The JSON is the contract for CI scripts (docs/rt-trace.md, "summary JSON
 * contract"): keys are only ever added, never renamed or removed; times are
 * integer ns (interpolated percentiles and means rounded to the nearest
 * ns); a percentile of an empty set is null.
 */
#include "args.h"
#include "commands.h"
#include "db.h"
#include "summary.h"
#include "summary_json.h"

#include <stdio.h>

static const char usage[] =
    "usage: rt-trace summary DB [--format table|json|csv]\n"
    "\n"
    "Overview of a run: traces, rtk events, duration, per-kind counts and\n"
    "latency percentiles (task queue wait / run time / total, dispatch, timer\n"
    "lateness, command, tick), keystroke-to-render interactions (see\n"
    "`rt-trace interactions`), runtime drops per reason and tracer loss.\n"
    "The JSON output is a stable contract for scripts: see docs/rt-trace.md.\n"
    "\n"
    "example: rt-trace summary run.db --format json | jq .tasks.run_time.p99\n";

int rtt_cmd_summary(int argc, char **argv)
{
    rtt_qopts_t o;
    int rc = rtt_qparse(&o, "summary", argc, argv, 0, NULL, NULL, NULL, 1, 1, usage);
    if (rc >= 0)
        return rc;
    sqlite3 *db;
    if (rtt_qopen(&o, &db))
        return 1;
    rtt_summary_t sm;
    char err[512] = "";
    rc = rtt_summary_compute(db, &sm, err, sizeof err);
    sqlite3_close(db);
    if (rc)
        return rtt_qfail(&o, err);
    if (o.format == RTT_FMT_JSON) {
        if (rtt_summary_write_json(&sm, stdout)) {
            rtt_qerr(&o, "cannot write the result: stdout");
            return 1;
        }
        return 0;
    }
    /* The hint (no keystrokes, but tasks) is for people: table only, so the
     * CSV stays what rtt_summary_result gives and the JSON contract is
     * untouched. */
    rtt_out_t *out = o.format == RTT_FMT_TABLE ? rtt_summary_table_result(&sm)
                                               : rtt_summary_result(&sm);
    if (!out) {
        rtt_qerr(&o, "out of memory");
        return 1;
    }
    return rtt_qwrite(&o, out);
}
