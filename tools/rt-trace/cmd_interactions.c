/* cmd_interactions.c - `rt-trace interactions DB [--budget 16.7ms] [-n N]
 * [--proc P] [--no-summary] [--format table|json|csv]`: arguments and
 * presentation of the engine's interactions query
 * (analysis/query/interactions_q.c). Table output also shows the engine's
 * hint when the trace has tasks but no keystrokes; JSON and CSV never. */
#include "args.h"
#include "commands.h"
#include "queries.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

enum { OPT_BUDGET = 1, OPT_N, OPT_PROC, OPT_NO_SUMMARY };

typedef struct ictx {
    const rtt_qopts_t *o;
    int64_t budget_ns;
    long n;
    int64_t proc;          /* --proc NUMBER, -1 */
    const char *procname;  /* --proc NAME */
    const char *proc_arg;  /* --proc as given, or NULL */
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
        errno = 0;
        long long v = strtoll(arg, &end, 10);
        int number = *arg && !*end;
        if (!*arg || (number && (v < 0 || errno))) {
            rtt_qerr(c->o, "bad --proc '%s': expected a proc number (procs.proc) or a "
                           "process name", arg);
            return -1;
        }
        c->proc = number ? v : -1;
        c->procname = number ? NULL : arg;
        c->proc_arg = arg;
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
    "                 (exit 2 if DB has no such process)\n"
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

/* Whether --proc names a process of db (procs): 1 yes, 0 no (after the
 * one-line error naming it and the first processes db has), -1 SQL error
 * (in err). The look-up is the engine's (rtt_interactions_proc_known). */
static int proc_known(sqlite3 *db, const ictx_t *c, char *err, size_t errlen)
{
    rtt_ix_procs_t p;
    if (rtt_interactions_proc_known(db, c->proc, c->procname, &p, err, errlen) < 0)
        return -1;
    if (p.known)
        return 1;
    char list[320] = ""; /* five "proc name" of at most 55 bytes, ", ..." */
    size_t len = 0;
    for (size_t i = 0; i < p.n; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%lld %s", i ? ", " : "",
                                (long long)p.list[i].proc,
                                p.list[i].named ? p.list[i].name : "?");
    if (p.more)
        snprintf(list + len, sizeof list - len, ", ...");
    rtt_qerr(c->o, "--proc '%s': no such process in %s (%s%s)", c->proc_arg, c->o->pos[0],
             p.n ? "known: " : "it has no process", list);
    return 0;
}

int rtt_cmd_interactions(int argc, char **argv)
{
    rtt_qopts_t o;
    ictx_t c = {&o, 0, 10, -1, NULL, NULL, 0};
    static const rtt_qopt_spec_t extra[] = {
        {"budget", 0, 1, OPT_BUDGET}, {"limit", 'n', 1, OPT_N},
        {"proc", 0, 1, OPT_PROC}, {"no-summary", 0, 0, OPT_NO_SUMMARY},
        {NULL, 0, 0, 0}};
    int rc = rtt_qparse(&o, "interactions", argc, argv, 0, extra, on_opt, &c, 1,
                        1, usage);
    if (rc >= 0)
        return rc;
    sqlite3 *db;
    if (rtt_qopen(&o, &db))
        return 1;
    if (c.proc_arg) {
        char err[512];
        int known = proc_known(db, &c, err, sizeof err);
        if (known <= 0) {
            sqlite3_close(db);
            return known < 0 ? rtt_qfail(&o, err) : 2;
        }
    }
    return rtt_qrun_db(&o, db, run, &c);
}
