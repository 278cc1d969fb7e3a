/* cmd_interactions.c - `rt-trace interactions DB [--budget 16.7ms] [-n N]
 * [--proc P] [--no-summary] [--format table|json|csv]`: arguments and
 * presentation of the engine's interactions query
 * (analysis/query/interactions_q.c). Table output also shows the engine's
 * hint when the trace has tasks but no keystrokes; JSON and CSV never. */
#include "args.h"
#include "commands.h"
#include "queries.h"

#include <stdlib.h>

enum { OPT_BUDGET = 1, OPT_N, OPT_PROC, OPT_NO_SUMMARY };

typedef struct ictx {
    const rtt_qopts_t *o;
    int64_t budget_ns;
    long n;
    int64_t proc;          /* --proc NUMBER, -1 */
    const char *procname;  /* --proc NAME */
    unsigned flags;        /* RTT_IX_* */
} ictx_t;

static int on_opt(void *vctx, int id, const char *arg)
{
    ictx_t *c = vctx;
    if (id == OPT_BUDGET) {
        if (rtt_parse_duration(arg, &c->budget_ns) < 0 || c->budget_ns <= 0) {
            rtt_qerr(c->o, "--budget: not a positive duration: %s", arg);
            return -1;
        }
    } else if (id == OPT_N) {
        int64_t v;
        if (rtt_parse_count(c->o, arg, &v) < 0)
            return -1;
        c->n = (long)v;
    } else if (id == OPT_NO_SUMMARY) {
        c->flags |= RTT_IX_NO_SUMMARY;
    } else if (id == OPT_PROC) {
        char *end;
        long long v = strtoll(arg, &end, 10);
        if (*arg && !*end && v >= 0) {
            c->proc = v;
            c->procname = NULL;
        } else if (*arg) {
            c->procname = arg;
        } else {
            rtt_qerr(c->o, "--proc: expected a proc number or a process name");
            return -1;
        }
    }
    return 0;
}

static const char usage[] =
    "usage: rt-trace interactions DB [--budget DURATION] [-n N] [--proc P]\n"
    "                                [--no-summary] [--format table|json|csv]\n"
    "Keystroke-to-render latency rebuilt from cause ids: each input mark\n"
    "(rtk_input_mark, from its input's time) and each schedule_task command\n"
    "sent from outside the runtime (cause 0), everything it caused, and the\n"
    "first render after its first render request; split into queue, run,\n"
    "frame_wait, render and, INP-style, input_delay, processing,\n"
    "presentation; blocked_by names what a late input waited behind.\n"
    "  --budget D     frame budget for the over-budget shares (default 16.7ms)\n"
    "  -n, --limit N  how many of the slowest interactions to list (default 10)\n"
    "  --proc P       only process P: a proc number (procs.proc) or a name\n"
    "  --no-summary   leave out the `interactions` record (the figures\n"
    "                 `rt-trace summary` already shows): split, by_name and\n"
    "                 worst only\n"
    "  --format F     table (default), json or csv\n";

static int run(sqlite3 *db, void *ctx, rtt_out_t **out, char *err, size_t errlen)
{
    const ictx_t *a = ctx;
    unsigned flags = a->flags;
    if (a->o->format == RTT_FMT_TABLE)
        flags |= RTT_IX_HINTS; /* for people only: not in JSON or CSV */
    return rtt_query_interactions(db, a->budget_ns, (size_t)a->n, a->proc, a->procname,
                                  flags, out, err, errlen);
}

int rtt_cmd_interactions(int argc, char **argv)
{
    rtt_qopts_t o;
    ictx_t c = {&o, 0, 10, -1, NULL, 0};
    static const rtt_qopt_spec_t extra[] = {
        {"budget", 0, 1, OPT_BUDGET}, {"limit", 'n', 1, OPT_N},
        {"proc", 0, 1, OPT_PROC}, {"no-summary", 0, 0, OPT_NO_SUMMARY},
        {NULL, 0, 0, 0}};
    int rc = rtt_qparse(&o, "interactions", argc, argv, 0, extra, on_opt, &c, 1,
                        1, usage);
    if (rc >= 0)
        return rc;
    return rtt_qrun_with(&o, run, &c);
}
