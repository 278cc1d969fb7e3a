/* cmd_export.c - `rt-trace export`: writes a run database as a file other
 * viewers open (Chrome Trace Event JSON for Perfetto UI and chrome://tracing;
 * the engine is analysis/export/chrome.c). The file appears whole or not at
 * all: it is written to a temporary file in the same directory and renamed
 * over the target at the end. Cost: the engine's (streaming, O(1) memory
 * in the rows); plus gzip's CPU with --gzip. */
#define _POSIX_C_SOURCE 200809L
#include "args.h"
#include "chrome.h"
#include "commands.h"
#include "gzip_sink.h"
#include "out_file.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: rt-trace export DB -o FILE [--format chrome] [--gzip] [--budget D] [-q]\n"
    "\n"
    "Write the run in DB as a trace file for other viewers. --format chrome\n"
    "(the only one, and the default) is the Chrome Trace Event JSON that\n"
    "Perfetto UI (https://ui.perfetto.dev, \"Open trace file\") and\n"
    "chrome://tracing open: tasks and event dispatches as slices on one track\n"
    "per priority, renders as slices, queue waits as async slices, cause\n"
    "chains as flow arrows ending at the render, frames, drops and inputs as\n"
    "instants, queue lengths as counters. docs/rt-trace.md#export has the\n"
    "mapping.\n"
    "\n"
    "  -o, --output FILE  where to write (required); - for stdout. FILE is\n"
    "                     written to a temporary file and renamed: never left\n"
    "                     half-written; a FIFO or device is written in place,\n"
    "                     a symbolic link's file replaced, DB itself refused\n"
    "  --gzip             gzip the output (also when FILE ends in .gz)\n"
    "  --budget D         frame budget for the frames' over_budget mark, ns or\n"
    "                     16.7ms, 8.3ms, ... (default 16.7ms)\n"
    "  -q, --quiet        do not print the counts line\n"
    "  --format F         chrome (default)\n"
    "  (every option with a value also takes the form --option=VALUE)\n"
    "\n"
    "example: rt-trace export run.db -o run.json.gz\n";

typedef struct file_sink {
    FILE *f;
    int err; /* errno of the first failed write */
} file_sink_t;

static int file_write(void *ctx, const char *buf, size_t len)
{
    file_sink_t *s = ctx;
    if (fwrite(buf, 1, len, s->f) != len) {
        s->err = errno ? errno : EIO;
        return -1;
    }
    return 0;
}

typedef struct export_args {
    const char *db, *out, *format;
    int gzip, quiet;
    int64_t budget;
} export_args_t;

static int err2(const char *fmt, const char *a)
{
    fprintf(stderr, "rt-trace export: ");
    fprintf(stderr, fmt, a);
    fputc('\n', stderr);
    return 2;
}

/* -1 to go on, else the exit status. */
static int parse(int argc, char **argv, export_args_t *a)
{
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *val = NULL;
        if (s[0] != '-' || s[1] == '\0') {
            if (a->db)
                return err2("unexpected argument '%s' (see --help)", s);
            a->db = s;
            continue;
        }
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(s, "--gzip")) {
            a->gzip = 1;
            continue;
        }
        if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
            a->quiet = 1;
            continue;
        }
        static const char *const with_val[] = {"-o", "--output", "--format", "--budget"};
        int which = -1;
        for (int k = 0; k < 4; k++) {
            size_t n = strlen(with_val[k]);
            if (!strncmp(s, with_val[k], n) && (s[n] == '\0' || s[n] == '=')) {
                which = k;
                val = s[n] == '=' ? s + n + 1 : NULL;
                break;
            }
        }
        if (which < 0)
            return err2("unknown option '%s' (see --help)", s);
        if (!val) {
            if (i + 1 >= argc)
                return err2("option '%s' needs a value (see --help)", s);
            val = argv[++i];
        }
        if (which <= 1) {
            a->out = val;
        } else if (which == 2) {
            if (strcmp(val, "chrome"))
                return err2("bad --format '%s': expected chrome", val);
            a->format = val;
        } else if (rtt_parse_duration(val, &a->budget) || a->budget <= 0) {
            return err2("bad --budget '%s': expected a duration, e.g. 16.7ms", val);
        }
    }
    if (!a->db)
        return err2("%s", "missing DB argument (see --help)");
    if (!a->out)
        return err2("%s", "missing -o FILE (- for stdout; see --help)");
    size_t n = strlen(a->out);
    if (n > 3 && !strcmp(a->out + n - 3, ".gz"))
        a->gzip = 1;
    if (a->gzip && !rtt_gzip_available())
        return err2("%s", "--gzip: this rt-trace was built without zlib");
    return -1;
}

static void print_counts(const char *out, const rtt_export_counts_t *n)
{
    printf("%s: %" PRId64 " trace events, %" PRId64 " bytes of JSON: %" PRId64
           " task, %" PRId64 " event and %" PRId64 " render slices, %" PRId64
           " queue waits, %" PRId64 " cause flows, %" PRId64 " frames, %" PRId64
           " drops, %" PRId64 " inputs, %" PRId64 " counter samples\n",
           out, n->events, n->bytes, n->task_slices, n->dispatch_slices,
           n->render_slices, n->queue_waits, n->flows, n->frames, n->drops, n->inputs,
           n->counters);
}

int rtt_cmd_export(int argc, char **argv)
{
    export_args_t a = {.format = "chrome", .budget = 16700000};
    int rc = parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    rtt_qopts_t o;
    memset(&o, 0, sizeof o);
    o.cmd = "export";
    o.pos[0] = a.db;
    o.npos = 1;
    sqlite3 *db;
    if (rtt_qopen(&o, &db))
        return 1;

    int to_stdout = !strcmp(a.out, "-");
    rtt_out_file_t of = {.f = stdout};
    if (!to_stdout && (rc = rtt_out_open(&of, "export", a.out, &a.db, 1)) != 0) {
        sqlite3_close(db);
        return rc;
    }
    file_sink_t fs = {.f = of.f};
    rtt_gzip_t *gz = NULL;
    rtt_sink_fn sink = file_write;
    void *ctx = &fs;
    if (a.gzip) {
        gz = rtt_gzip_new(file_write, &fs);
        if (!gz) {
            fprintf(stderr, "rt-trace export: out of memory: %s\n", a.out);
            goto fail;
        }
        sink = rtt_gzip_write;
        ctx = gz;
    }
    rtt_export_opts_t opts = {.budget_ns = a.budget};
    rtt_export_counts_t n;
    char err[512] = "";
    rc = rtt_export_chrome(db, &opts, sink, ctx, &n, err, sizeof err);
    if (rc == 0 && gz && rtt_gzip_finish(gz))
        rc = -2;
    if (rc == 0 && fflush(fs.f)) {
        fs.err = errno;
        rc = -2;
    }
    if (rc == -1) {
        fprintf(stderr, "rt-trace export: %s: %s\n", err, a.db);
        goto fail;
    }
    if (rc) {
        fprintf(stderr, "rt-trace export: write failed: %s: %s\n",
                to_stdout ? "stdout" : a.out, strerror(fs.err ? fs.err : EIO));
        goto fail;
    }
    if (!to_stdout) {
        if (rtt_out_commit(&of) != 0) {
            fprintf(stderr, "rt-trace export: write failed: %s: %s\n", a.out,
                    strerror(errno));
            rtt_gzip_free(gz);
            sqlite3_close(db);
            return 1;
        }
        if (!a.quiet)
            print_counts(a.out, &n);
    }
    rtt_gzip_free(gz);
    sqlite3_close(db);
    return 0;
fail:
    rtt_gzip_free(gz);
    if (!to_stdout)
        rtt_out_abort(&of);
    sqlite3_close(db);
    return 1;
}
