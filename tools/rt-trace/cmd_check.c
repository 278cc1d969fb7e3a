/* cmd_check.c - `rt-trace check DB --budget FILE`: arguments and
 * presentation of the engine's budget check (analysis/check/). Exit
 * status: 0 every rule holds, 1 a rule fails (or the database cannot be
 * read), 2 usage or a bad budget line. */
#include "args.h"
#include "commands.h"
#include "evaluate.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: rt-trace check DB --budget FILE [--format table|json|csv|markdown]\n"
    "\n"
    "Checks a run against absolute budgets, one rule per line of FILE, e.g.\n"
    "  interaction p99 < 16.7ms\n"
    "  task run_time p90 < 2ms where name = highlight\n"
    "  frames over_budget_share < 1%\n"
    "  drops total == 0\n"
    "Each rule is reported with its measured value and pass or FAIL. The\n"
    "format: docs/budget-format.md.\n"
    "\n"
    "  -b, --budget FILE  the rules (required)\n"
    "  --format F         table (default), json, csv or markdown; the value\n"
    "                     column: durations in whole ns, shares as fractions\n"
    "\n"
    "exit status: 0 every rule holds, 1 a rule fails or DB cannot be read,\n"
    "2 usage error or a bad budget line (named with its line number)\n"
    "\n"
    "example: rt-trace check run.db --budget editor.budget --format markdown\n";

typedef struct check_args {
    const char *budget;
} check_args_t;

enum { OPT_BUDGET = 1 };

static int on_opt(void *ctx, int id, const char *arg)
{
    (void)id;
    ((check_args_t *)ctx)->budget = arg;
    return 0;
}

int rtt_cmd_check(int argc, char **argv)
{
    static const rtt_qopt_spec_t specs[] = {{"budget", 'b', 1, OPT_BUDGET},
                                            {NULL, 0, 0, 0}};
    rtt_qopts_t o;
    check_args_t a = {NULL};
    int rc = rtt_qparse(&o, "check", argc, argv, RTT_Q_MARKDOWN, specs, on_opt, &a, 1, 1,
                        usage);
    if (rc >= 0)
        return rc;
    if (!a.budget) {
        rtt_qerr(&o, "no --budget FILE given (see --help)");
        return 2;
    }
    char err[600];
    rtt_budget_t *b = rtt_budget_load(a.budget, err, sizeof err);
    if (!b) {
        rtt_qerr(&o, "%s", err);
        return 2;
    }
    sqlite3 *db;
    if (rtt_qopen(&o, &db)) {
        rtt_budget_free(b);
        return 1;
    }
    rtt_check_t c;
    rc = rtt_check_run(db, b, &c, err, sizeof err);
    sqlite3_close(db);
    if (rc) {
        rtt_budget_free(b);
        return rtt_qfail(&o, err);
    }
    rtt_out_t *out = rtt_check_result(&c);
    int status = c.failed ? 1 : 0;
    rtt_check_free(&c);
    if (!out) {
        rtt_budget_free(b);
        rtt_qerr(&o, "out of memory");
        return 1;
    }
    rc = rtt_qwrite(&o, out);
    rtt_budget_free(b);
    return rc ? rc : status;
}
