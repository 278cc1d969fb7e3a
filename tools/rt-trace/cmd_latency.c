/* cmd_latency.c - `rt-trace latency`: arguments and presentation of the
 * engine's latency query (analysis/query/latency.c). */
#include "args.h"
#include "commands.h"
#include "measures.h"
#include "queries.h"

#include <string.h>

static const char usage[] =
    "usage: rt-trace latency DB [--kind task|dispatch|timer|command|tick]\n"
    "                           [--by priority|type|name] [--from T] [--to T]\n"
    "                           [--format table|json|csv]\n"
    "\n"
    "Latency statistics (count, min, p50, p90, p99, p99.9, max, mean) per kind\n"
    "and measure:\n"
    "  task      queue_wait (queued->started), run_time (started->finished),\n"
    "            total (queued->finished), and cpu_time (thread CPU time it\n"
    "            ran on) for programs that set rtk_config_t.task_cpu_time\n"
    "            (listed only where measured; run_time - cpu_time is the\n"
    "            time it was preempted, blocked or asleep)\n"
    "  dispatch  queue_wait (queued->begin), duration (begin->end), total\n"
    "  timer     lateness (fire time - deadline)\n"
    "  command   latency (sent->handled)\n"
    "  tick      duration (begin->end)\n"
    "'excluded' counts items that cannot give a measure because one of its\n"
    "two halves was not traced (lost events, trace cut mid-item).\n"
    "\n"
    "  -k, --kind K  only this kind (default: all)\n"
    "  --by G        one row per priority, type (task: source, dispatch: event\n"
    "                type, timer: periodic/oneshot, command: cmd, tick:\n"
    "                rendered/plain) or name (task, timer)\n"
    "  --from T, --to T  only items whose first timestamp is in [T1, T2),\n"
    "                times from the trace start: ns or 1.5s, 200ms, 30us\n"
    "  --format F    table (default), json (ns) or csv (ns)\n"
    "\n"
    "example: rt-trace latency run.db --kind task --by priority --format json\n";

typedef struct latency_args {
    const rtt_qopts_t *o;
    const char *kind;
    const char *by;
    const rtt_kind_t *only;
} latency_args_t;

enum { OPT_KIND = 1, OPT_BY };

static int on_opt(void *ctx, int id, const char *arg)
{
    latency_args_t *a = ctx;
    if (id == OPT_KIND) {
        if (!rtt_kind_find(arg)) {
            rtt_qerr(a->o, "bad --kind '%s': expected task, dispatch, timer, command "
                           "or tick", arg);
            return -1;
        }
        a->kind = arg;
    } else {
        if (strcmp(arg, "priority") && strcmp(arg, "type") && strcmp(arg, "name")) {
            rtt_qerr(a->o, "bad --by '%s': expected priority, type or name", arg);
            return -1;
        }
        a->by = arg;
    }
    return 0;
}

static int run(sqlite3 *db, void *ctx, rtt_out_t **out, char *err, size_t errlen)
{
    const latency_args_t *a = ctx;
    return rtt_query_latency(db, &a->o->span, a->only, a->by, out, err, errlen);
}

int rtt_cmd_latency(int argc, char **argv)
{
    static const rtt_qopt_spec_t specs[] = {
        {"kind", 'k', 1, OPT_KIND}, {"by", 0, 1, OPT_BY}, {NULL, 0, 0, 0}};
    rtt_qopts_t o;
    latency_args_t a = {.o = &o};
    int rc = rtt_qparse(&o, "latency", argc, argv, RTT_Q_WINDOW, specs, on_opt, &a, 1,
                        1, usage);
    if (rc >= 0)
        return rc;
    a.only = a.kind ? rtt_kind_find(a.kind) : NULL;
    if (a.only && a.by && !rtt_kind_group(a.only, a.by)) {
        rtt_qerr(&o, "--by %s does not apply to --kind %s (see --help)", a.by, a.kind);
        return 2;
    }
    return rtt_qrun_with(&o, run, &a);
}
