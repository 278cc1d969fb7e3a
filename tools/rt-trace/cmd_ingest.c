/* cmd_ingest.c - `rt-trace ingest TRACE_DIR... -o run.db`: parses the
 * arguments, runs the engine's ingest pipeline (analysis/ingest) and
 * presents it: a progress bar on a terminal, then one summary line or one
 * error line. O(1) beyond the pipeline. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_ingest.h"

#include "commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The progress bar: one line redrawn with \r on the real stderr. */
static void draw_progress(void *ctx, const rtt_ingest_progress_t *p)
{
    (void)ctx;
    double rate = p->elapsed_s > 0
                      ? (double)(p->events + p->other_events) / p->elapsed_s
                      : 0;
    if (p->total_packets) {
        double frac = (double)p->done_packets / (double)p->total_packets;
        dprintf(p->fd,
                "\rrt-trace ingest: %3.0f%%  %.1f/%.1f MiB  %" PRIu64
                " events  %.0f k events/s ",
                100.0 * frac, frac * (double)p->total_bytes / 1048576.0,
                (double)p->total_bytes / 1048576.0, p->events, rate / 1e3);
    } else {
        dprintf(p->fd,
                "\rrt-trace ingest: %" PRIu64 " events  %.0f k events/s  "
                "(%.1f MiB of trace) ",
                p->events, rate / 1e3, (double)p->total_bytes / 1048576.0);
    }
    if (p->final)
        dprintf(p->fd, "\n");
}

int rtt_cli_ingest(const char *cmd, const char *const *inputs, int ninputs,
                   const char *db_path, int force, int quiet)
{
    char err[800] = "";
    if (rtt_cli_ingest_err(cmd, inputs, ninputs, db_path, force, quiet, err,
                           sizeof err) != 0) {
        fprintf(stderr, "rt-trace %s: %s\n", cmd, err);
        return 1;
    }
    return 0;
}

int rtt_cli_ingest_err(const char *cmd, const char *const *inputs,
                       int ninputs, const char *db_path, int force, int quiet,
                       char *err, size_t errlen)
{
    rtt_ingest_opts_t o = {.inputs = inputs, .ninputs = ninputs,
                           .db_path = db_path, .force = force};
    if (!quiet && isatty(STDERR_FILENO))
        o.progress = draw_progress;
    rtt_ingest_result_t r;
    if (rtt_ingest_run(&o, &r, err, errlen) != 0)
        return 1;
    if (!quiet) {
        fprintf(stderr, "rt-trace %s: %" PRIu64 " trace%s, %" PRIu64 " rtk events",
                cmd, r.traces, r.traces == 1 ? "" : "s", r.events);
        if (r.other_events)
            fprintf(stderr, " (%" PRIu64 " other events skipped)", r.other_events);
        if (r.discarded_events || r.lost_packets)
            fprintf(stderr,
                    ", tracer discarded %" PRIu64 " events and lost %" PRIu64
                    " packets",
                    r.discarded_events, r.lost_packets);
        fprintf(stderr, " -> %s\n", db_path);
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rt-trace ingest TRACE_DIR... [-o DB] [--force] [--quiet]\n"
            "\n"
            "Read every CTF trace under each TRACE_DIR (per-UID and per-PID\n"
            "LTTng buffers, several hosts as lttng-relayd writes them) into the\n"
            "SQLite database DB (default run.db), in one transaction.\n"
            "\n"
            "  -o, --output DB  database to create or add to (default run.db)\n"
            "  --force          replace traces that are already in DB\n"
            "  -q, --quiet      no progress bar and no summary line\n"
            "  -h, --help       this help\n");
}

int rtt_cmd_ingest(int argc, char **argv)
{
    const char *db_path = "run.db";
    int force = 0, quiet = 0;
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    if (!inputs) {
        fprintf(stderr, "rt-trace ingest: out of memory\n");
        return 1;
    }
    int n = 0, only_paths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_paths || a[0] != '-' || a[1] == '\0') {
            inputs[n++] = a;
        } else if (strcmp(a, "--") == 0) {
            only_paths = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(inputs);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "rt-trace ingest: %s needs a database path\n", a);
                free(inputs);
                return 2;
            }
            db_path = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0) {
            db_path = a + 9;
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else {
            fprintf(stderr,
                    "rt-trace ingest: unknown option: %s (see rt-trace ingest "
                    "--help)\n",
                    a);
            free(inputs);
            return 2;
        }
    }
    if (n == 0) {
        fprintf(stderr, "rt-trace ingest: no trace directory given (see "
                        "rt-trace ingest --help)\n");
        free(inputs);
        return 2;
    }
    int rc = rtt_cli_ingest("ingest", inputs, n, db_path, force, quiet);
    free(inputs);
    return rc;
}
