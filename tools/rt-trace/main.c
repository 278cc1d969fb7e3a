/* main.c - rt-trace: subcommand dispatch, --help and --version.
 * Each subcommand lives in its own file (see commands.h). O(1). */
#include "commands.h"

#include <sqlite3.h>

#include <stdio.h>
#include <string.h>

#ifndef RTT_VERSION
#define RTT_VERSION "0"
#endif

typedef struct subcommand {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} subcommand_t;

static const subcommand_t subcommands[] = {
    {"record", rtt_cmd_record,
     "run a program under LTTng and ingest its trace"},
    {"live", rtt_cmd_live,
     "live stats of a running program over LTTng live (dashboard, NDJSON or text)"},
    {"ingest", rtt_cmd_ingest, "read CTF traces into a database"},
    {"summary", rtt_cmd_summary,
     "counts, latency percentiles, drops, tracer loss"},
    {"latency", rtt_cmd_latency,
     "latency statistics per kind, priority, type or name"},
    {"drops", rtt_cmd_drops, "runtime drops per reason and tracer loss"},
    {"frames", rtt_cmd_frames, "ticks that rendered, and the share over budget"},
    {"top", rtt_cmd_top, "the slowest items with their cause chains"},
    {"interactions", rtt_cmd_interactions,
     "input-to-render chains and their latency"},
    {"sql", rtt_cmd_sql, "run SQL on a database (percentile() available)"},
    {"compare", rtt_cmd_compare,
     "regression verdicts: did NEW get slower than BASE? (exit 1 if so)"},
    {"check", rtt_cmd_check, "check a run against absolute budgets (exit 1 if over)"},
    {"lint", rtt_cmd_lint,
     "known trouble: blocked loop, late timers, starvation, stalls (exit 1 if any)"},
    {"export", rtt_cmd_export,
     "write the run as Chrome Trace Event JSON (Perfetto UI, chrome://tracing)"},
    {"view", rtt_cmd_view, "serve the viewer page for one run or two on 127.0.0.1"},
    {"report", rtt_cmd_report, "write the viewer page with the run's data: one HTML file"},
};

#define NSUB (sizeof subcommands / sizeof subcommands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: rt-trace COMMAND [ARGS]\n"
               "       rt-trace COMMAND --help\n\n"
               "Record rtk programs under LTTng, ingest CTF traces into SQLite,\n"
               "and query latency, drops and frames.\n\ncommands:\n");
    for (size_t i = 0; i < NSUB; i++)
        fprintf(f, "  %-13s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(f, "\n  --help        this help\n  --version     print the version\n");
}

int main(int argc, char **argv)
{
    /* rt-trace uses each SQLite connection from one thread: no mutexes and
     * no allocation statistics (both cost a lock per malloc). compare reads
     * its databases on several threads, one connection each; view opens its
     * connections on the main thread and uses them on the server's. */
    if (argc >= 2 && (strcmp(argv[1], "compare") == 0 || strcmp(argv[1], "view") == 0))
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    else
        sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (argc < 2) {
        fprintf(stderr, "rt-trace: no command given (see rt-trace --help)\n");
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("rt-trace %s\n", RTT_VERSION);
        return 0;
    }
    for (size_t i = 0; i < NSUB; i++)
        if (strcmp(cmd, subcommands[i].name) == 0)
            return subcommands[i].fn(argc - 1, argv + 1);
    if (cmd[0] == '-')
        fprintf(stderr, "rt-trace: unknown option: %s (see rt-trace --help)\n",
                cmd);
    else
        fprintf(stderr, "rt-trace: unknown command: %s (see rt-trace --help)\n",
                cmd);
    return 2;
}
