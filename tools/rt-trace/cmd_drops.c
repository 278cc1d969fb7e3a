/* cmd_drops.c - `rt-trace drops`: arguments and presentation of the
 * engine's drops query (analysis/query/drops.c). */
#include "args.h"
#include "commands.h"
#include "queries.h"

static const char usage[] =
    "usage: rt-trace drops DB [--format table|json|csv]\n"
    "\n"
    "Runtime drops (items the runtime refused or discarded) per reason and item\n"
    "kind, and tracer loss (events/packets LTTng discarded), each as a count,\n"
    "per second of trace, and as a fraction of the items of that kind\n"
    "(dropped / (traced + dropped)). Reasons with no drops show as 0.\n"
    "\n"
    "example: rt-trace drops run.db --format csv\n";

int rtt_cmd_drops(int argc, char **argv)
{
    rtt_qopts_t o;
    int rc = rtt_qparse(&o, "drops", argc, argv, 0, NULL, NULL, NULL, 1, 1, usage);
    if (rc >= 0)
        return rc;
    return rtt_qrun(&o, rtt_query_drops);
}
