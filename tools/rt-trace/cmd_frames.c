/* cmd_frames.c - `rt-trace frames`: arguments and presentation of the
 * engine's frames query (analysis/query/frames.c). */
#include "args.h"
#include "commands.h"
#include "queries.h"

static const char usage[] =
    "usage: rt-trace frames DB [--budget D] [-n N] [--from T] [--to T]\n"
    "                          [--format table|json|csv]\n"
    "\n"
    "Frames are loop ticks that ran a render. Shows their durations (count,\n"
    "percentiles), how many went over the budget and which share that is, the\n"
    "time spent inside render() (renders whose end was traced), and the N\n"
    "worst frames.\n"
    "\n"
    "  -b, --budget D  frame budget, ns or 16.7ms, 8.3ms, ... (default 16.7ms)\n"
    "  -n, --top N     how many worst frames to list (default 10, 0: none)\n"
    "  --from T, --to T  only ticks beginning in [T1, T2) from the trace start\n"
    "  --format F      table (default), json (ns) or csv (ns)\n"
    "\n"
    "example: rt-trace frames run.db --budget 8.3ms -n 5\n";

typedef struct frames_args {
    const rtt_qopts_t *o;
    int64_t budget;
    int64_t n;
} frames_args_t;

enum { OPT_BUDGET = 1, OPT_N };

static int on_opt(void *ctx, int id, const char *arg)
{
    frames_args_t *a = ctx;
    if (id == OPT_BUDGET) {
        if (rtt_parse_duration(arg, &a->budget) || a->budget <= 0) {
            rtt_qerr(a->o, "bad --budget '%s': expected a duration, e.g. 16.7ms", arg);
            return -1;
        }
        return 0;
    }
    return rtt_parse_count(a->o, arg, &a->n);
}

static int run(sqlite3 *db, void *ctx, rtt_out_t **out, char *err, size_t errlen)
{
    const frames_args_t *a = ctx;
    return rtt_query_frames(db, &a->o->span, a->budget, a->n, out, err, errlen);
}

int rtt_cmd_frames(int argc, char **argv)
{
    static const rtt_qopt_spec_t specs[] = {
        {"budget", 'b', 1, OPT_BUDGET}, {"top", 'n', 1, OPT_N}, {NULL, 0, 0, 0}};
    rtt_qopts_t o;
    frames_args_t a = {.o = &o, .budget = 16700000, .n = 10};
    int rc = rtt_qparse(&o, "frames", argc, argv, RTT_Q_WINDOW, specs, on_opt, &a, 1, 1,
                        usage);
    if (rc >= 0)
        return rc;
    return rtt_qrun_with(&o, run, &a);
}
