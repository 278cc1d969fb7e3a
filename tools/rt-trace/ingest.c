/* ingest.c - `rt-trace ingest TRACE_DIR... -o run.db`: finds the CTF traces
 * (ingest_discover.c), runs them through babeltrace2 (ingest_graph.c) into
 * the row writer (ingest_sink.c, ingest_rows.c), all in one transaction.
 *
 * Into a new database the load runs with journal_mode=OFF and
 * synchronous=OFF. SQLite writes on its own thread (ingest_writer.c) while
 * this one decodes. Indexes are kept up to date during the load: their
 * keys (timestamps, causes = recent ids) arrive in nearly increasing order,
 * so that costs less than dropping them and rebuilding at the end (measured:
 * -6% CPU at 10 M events, and it overlaps with decoding). The page cache is capped at
 * 4 MiB: rows arrive in nearly increasing key order, so a bigger cache buys
 * nothing, and peak memory stays flat (~23 MB) whatever the trace length.
 * A failure deletes a database created by this run, or rolls back the
 * transaction of an existing one.
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest.h"

#include "commands.h"
#include "db.h"
#include "ingest_discover.h"
#include "ingest_graph.h"
#include "ingest_rows.h"
#include "ingest_sink.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RTT_VERSION
#define RTT_VERSION "0"
#endif

volatile sig_atomic_t rtt_ingest_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    rtt_ingest_interrupted = 1;
}

static void remove_db_files(const char *path)
{
    char buf[4200];
    unlink(path);
    snprintf(buf, sizeof buf, "%s-journal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

int rtt_ingest_run(const rtt_ingest_opts_t *o, rtt_ingest_result_t *res)
{
    char err[800] = "";
    rtt_found_list_t found = {0};
    sqlite3 *db = NULL;
    rtt_rows_t *rows = NULL;
    rtt_sink_t sink;
    int created = 0, in_tx = 0, rc = 1;
    struct sigaction sa, old_int, old_term;

    rtt_sink_init(&sink);
    for (int i = 0; i < o->ninputs; i++)
        if (rtt_discover(o->inputs[i], &found, err, sizeof err) < 0)
            goto out;

    struct stat st;
    if (stat(o->db_path, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            snprintf(err, sizeof err, "not a regular file: %s", o->db_path);
            goto out;
        }
    } else if (errno == ENOENT) {
        created = 1;
    } else {
        snprintf(err, sizeof err, "%s: %s", strerror(errno), o->db_path);
        goto out;
    }
    if (rtt_db_open_or_create(o->db_path, &db, err, sizeof err) != 0) {
        created = 0; /* db.c removes what it created */
        goto out;
    }
    sqlite3_exec(db,
                 created ? "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                           "PRAGMA cache_size=-4096;"
                         : "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-4096;",
                 NULL, NULL, NULL);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, sizeof err, "cannot start a transaction (%s): %s",
                 sqlite3_errmsg(db), o->db_path);
        goto out;
    }
    in_tx = 1;
    rows = rtt_rows_create(db, err, sizeof err);
    if (!rows)
        goto out;

    sink.rows = rows;
    sink.force = o->force;
    sink.progress = !o->quiet && isatty(STDERR_FILENO);
    sink.ntraces = found.n;
    sink.traces = calloc(found.n, sizeof *sink.traces);
    if (!sink.traces) {
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < found.n; i++) {
        sink.traces[i].path = found.v[i].path;
        sink.traces[i].last_proc = -1;
        sink.total_bytes += found.v[i].bytes;
        sink.total_packets += found.v[i].packets;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    rtt_ingest_interrupted = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int grc = rtt_graph_run(&sink, err, sizeof err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    rtt_sink_progress_done(&sink);
    if (grc != 0)
        goto out;

    if (rtt_rows_flush(rows) != 0) {
        snprintf(err, sizeof err, "%s: %s", rtt_rows_errmsg(rows), o->db_path);
        goto out;
    }
    for (size_t i = 0; i < found.n; i++) {
        rtt_trace_in_t *t = &sink.traces[i];
        if (t->bt && rtt_rows_trace_end(rows, t->row, t->have_ts, t->first_ts,
                                        t->last_ts, t->events) != 0) {
            snprintf(err, sizeof err, "%s: %s", rtt_rows_errmsg(rows),
                     o->db_path);
            goto out;
        }
    }
    if (sink.events == 0) {
        snprintf(err, sizeof err,
                 "no rtk events (%" PRIu64 " other events) in %zu trace%s "
                 "under: %s",
                 sink.other_events, found.n, found.n == 1 ? "" : "s",
                 o->inputs[0]);
        goto out;
    }
    rtt_rows_destroy(rows);
    rows = NULL;
    sqlite3_exec(db,
                 "INSERT OR REPLACE INTO meta(key,value) VALUES"
                 "('rt_trace_version','" RTT_VERSION "'),"
                 "('last_ingest',strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                 NULL, NULL, NULL);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, sizeof err, "cannot commit (%s): %s", sqlite3_errmsg(db),
                 o->db_path);
        goto out;
    }
    in_tx = 0;
    if (sqlite3_close(db) != SQLITE_OK) {
        snprintf(err, sizeof err, "cannot close (%s): %s", sqlite3_errmsg(db),
                 o->db_path);
        db = NULL;
        goto out;
    }
    db = NULL;
    if (res) {
        res->traces = found.n;
        res->events = sink.events;
        res->other_events = sink.other_events;
        res->discarded_events = sink.discarded_events;
        res->lost_packets = sink.lost_packets;
    }
    if (!o->quiet) {
        fprintf(stderr,
                "rt-trace %s: %zu trace%s, %" PRIu64 " rtk events",
                o->cmd, found.n, found.n == 1 ? "" : "s", sink.events);
        if (sink.other_events)
            fprintf(stderr, " (%" PRIu64 " other events skipped)",
                    sink.other_events);
        if (sink.discarded_events || sink.lost_packets)
            fprintf(stderr,
                    ", tracer discarded %" PRIu64 " events and lost %" PRIu64
                    " packets",
                    sink.discarded_events, sink.lost_packets);
        fprintf(stderr, " -> %s\n", o->db_path);
    }
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "rt-trace %s: %s\n", o->cmd, err);
    rtt_rows_destroy(rows);
    if (db) {
        if (in_tx && !created)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
    }
    if (rc != 0 && created)
        remove_db_files(o->db_path);
    free(sink.traces);
    rtt_sink_finish(&sink);
    rtt_found_list_free(&found);
    return rc;
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
    rtt_ingest_opts_t o = {.db_path = "run.db", .cmd = "ingest"};
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
            o.db_path = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0) {
            o.db_path = a + 9;
        } else if (strcmp(a, "--force") == 0) {
            o.force = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o.quiet = 1;
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
    o.inputs = inputs;
    o.ninputs = n;
    int rc = rtt_ingest_run(&o, NULL);
    free(inputs);
    return rc;
}
