/* cmd_top.c - `rt-trace top`: arguments and presentation of the engine's
 * top query (analysis/query/top.c). */
#include "args.h"
#include "commands.h"
#include "queries.h"

#include <string.h>

static const char usage[] =
    "usage: rt-trace top DB [-n N] [--kind task|dispatch|command] [--from T]\n"
    "                       [--to T] [--format table|json|csv]\n"
    "\n"
    "The N slowest items of each kind: tasks by run time (started->finished),\n"
    "event dispatches by duration (begin->end), commands by latency\n"
    "(sent->handled), each with its cause chain, root first, e.g.\n"
    "  command#12 -> task#13 -> timer#20(autosave) -> task#31\n"
    "\n"
    "  -n, --top N   items per kind (default 10)\n"
    "  -k, --kind K  only task, dispatch or command\n"
    "  --from T, --to T  only items starting in [T1, T2) from the trace start\n"
    "  --format F    table (default), json (ns) or csv (ns)\n"
    "\n"
    "example: rt-trace top run.db -n 5 --kind task\n";

typedef struct top_args {
    const rtt_qopts_t *o;
    int64_t n;
    const char *kind;
} top_args_t;

enum { OPT_N = 1, OPT_KIND };

static int on_opt(void *ctx, int id, const char *arg)
{
    top_args_t *a = ctx;
    if (id == OPT_KIND) {
        if (strcmp(arg, "task") && strcmp(arg, "dispatch") && strcmp(arg, "command")) {
            rtt_qerr(a->o, "bad --kind '%s': expected task, dispatch or command", arg);
            return -1;
        }
        a->kind = arg;
        return 0;
    }
    return rtt_parse_count(a->o, arg, &a->n);
}

static int run(sqlite3 *db, void *ctx, rtt_out_t **out, char *err, size_t errlen)
{
    const top_args_t *a = ctx;
    return rtt_query_top(db, &a->o->span, a->n, a->kind, out, err, errlen);
}

int rtt_cmd_top(int argc, char **argv)
{
    static const rtt_qopt_spec_t specs[] = {
        {"top", 'n', 1, OPT_N}, {"kind", 'k', 1, OPT_KIND}, {NULL, 0, 0, 0}};
    rtt_qopts_t o;
    top_args_t a = {.o = &o, .n = 10};
    int rc = rtt_qparse(&o, "top", argc, argv, RTT_Q_WINDOW, specs, on_opt, &a, 1, 1,
                        usage);
    if (rc >= 0)
        return rc;
    return rtt_qrun_with(&o, run, &a);
}
