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

/* The progress bar: one line redrawn with \r on stderr. *ctx: a line is
 * open (drawn without its final newline). */
static void draw_progress(void *ctx, const rtt_ingest_progress_t *p)
{
    int *open_line = ctx;
    *open_line = !p->final;
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

static void print_warning(void *ctx, const char *line)
{
    fprintf(stderr, "rt-trace %s: warning: %s\n", (const char *)ctx, line);
}

int rtt_cli_ingest_err(const char *cmd, const char *const *inputs, int ninputs,
                       const char *db_path, int force, int quiet, unsigned flags,
                       double decode_timeout_s, char *err, size_t errlen)
{
    int open_line = 0;
    rtt_ingest_opts_t o = {.inputs = inputs, .ninputs = ninputs,
                           .db_path = db_path, .force = force,
                           .decode_timeout_s = decode_timeout_s,
                           .progress_ctx = &open_line,
                           .strict = (flags & RTT_CLI_STRICT) != 0,
                           .skip_unreadable = (flags & RTT_CLI_SKIP_UNREADABLE) != 0,
                           .warn = print_warning, .warn_ctx = (void *)cmd};
    if (!quiet && isatty(STDERR_FILENO))
        o.progress = draw_progress;
    rtt_ingest_result_t r;
    int irc = rtt_ingest_run(&o, &r, err, errlen);
    if (irc != 0) {
        if (open_line) /* end the progress bar's line */
            fputc('\n', stderr);
        /* an output that cannot be a database is a usage error, found
         * before anything is read */
        return irc == -2 ? 2 : r.signal ? 128 + r.signal : 1;
    }
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
        if (r.issues)
            fprintf(stderr, ", %" PRIu64 " damaged or skipped file%s (see the "
                            "warnings)",
                    r.issues, r.issues == 1 ? "" : "s");
        fprintf(stderr, " -> %s\n", db_path);
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rt-trace ingest TRACE_DIR... [-o DB] [--force] [--strict]\n"
            "                       [--skip-unreadable] [--decode-timeout SECONDS]\n"
            "                       [--quiet]\n"
            "\n"
            "Read every CTF trace under each TRACE_DIR (per-UID and per-PID\n"
            "LTTng buffers, several hosts as lttng-relayd writes them, the chunks\n"
            "of a rotated session as one trace) into the SQLite database DB\n"
            "(default run.db), in one transaction: all of them or, on any error,\n"
            "none (DB is not created, or left as it was). A stream file with a\n"
            "cut or broken tail is read up to its last whole packet, with a\n"
            "warning; the damage is stored in the ingest_issues table.\n"
            "babeltrace2 reads the traces in a child process: if it aborts,\n"
            "crashes or hangs, the error names the trace and stream it was reading.\n"
            "\n"
            "  -o, --output DB    database to create or add to (default run.db)\n"
            "  --force            replace traces that are already in DB\n"
            "  --strict           a damaged stream file is an error (nothing written)\n"
            "  --skip-unreadable  skip files and directories that cannot be read,\n"
            "                     and traces whose metadata lacks a stream class\n"
            "                     their files use (a traced process that died\n"
            "                     before LTTng finished it), with a warning\n"
            "                     (default: an error)\n"
            "  --decode-timeout SECONDS\n"
            "                     babeltrace2 making no progress for this long is\n"
            "                     a hang: stop it, exit 1 (default 30; 1 to 1000000)\n"
            "  -q, --quiet        no progress bar and no summary line (warnings stay)\n"
            "  -h, --help         this help\n"
            "\n"
            "Exit status: 0 done; 1 error (nothing written); 2 usage error;\n"
            "130 / 143 stopped by SIGINT / SIGTERM (nothing written).\n");
}

int rtt_cmd_ingest(int argc, char **argv)
{
    const char *db_path = "run.db";
    int force = 0, quiet = 0;
    unsigned flags = 0;
    double timeout = 0;
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
        } else if (strcmp(a, "--decode-timeout") == 0 ||
                   strncmp(a, "--decode-timeout=", 17) == 0) {
            const char *v = a[16] == '=' ? a + 17 : i + 1 < argc ? argv[++i] : NULL;
            char *end = NULL;
            timeout = v ? strtod(v, &end) : 0;
            /* (a NaN fails both comparisons) */
            if (!v || end == v || *end || !(timeout >= RTT_INGEST_MIN_TIMEOUT) ||
                !(timeout <= RTT_INGEST_MAX_TIMEOUT)) {
                fprintf(stderr,
                        "rt-trace ingest: --decode-timeout needs a number of "
                        "seconds from %.0f to %.0f, got: %s\n",
                        RTT_INGEST_MIN_TIMEOUT, RTT_INGEST_MAX_TIMEOUT,
                        v ? v : "nothing");
                free(inputs);
                return 2;
            }
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (strcmp(a, "--strict") == 0) {
            flags |= RTT_CLI_STRICT;
        } else if (strcmp(a, "--skip-unreadable") == 0) {
            flags |= RTT_CLI_SKIP_UNREADABLE;
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
    char err[1600] = "";
    int rc = rtt_cli_ingest_err("ingest", inputs, n, db_path, force, quiet, flags,
                                timeout, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "rt-trace ingest: %s\n", err);
    free(inputs);
    return rc;
}
