/* ingest.c - the ingest pipeline: finds the CTF traces (decode/discover.c),
 * runs them through babeltrace2 (decode/graph.c) into the row pairing
 * (decode/sink.c, pair/rows.c), all in one transaction.
 *
 * Into a new database the load runs with journal_mode=OFF and
 * synchronous=OFF. SQLite writes on its own thread (store/writer.c) while
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

#include "db.h"
#include "discover.h"
#include "graph.h"
#include "rows.h"
#include "sink.h"

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

int rtt_ingest_run(const rtt_ingest_opts_t *o, rtt_ingest_result_t *res, char *err,
                   size_t errlen)
{
    rtt_found_list_t found = {0};
    sqlite3 *db = NULL;
    rtt_rows_t *rows = NULL;
    rtt_sink_t sink;
    int created = 0, in_tx = 0, rc = 1;
    struct sigaction sa, old_int, old_term;

    rtt_sink_init(&sink);
    for (int i = 0; i < o->ninputs; i++)
        if (rtt_discover(o->inputs[i], &found, err, errlen) < 0)
            goto out;

    struct stat st;
    if (stat(o->db_path, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            snprintf(err, errlen, "not a regular file: %s", o->db_path);
            goto out;
        }
    } else if (errno == ENOENT) {
        created = 1;
    } else {
        snprintf(err, errlen, "%s: %s", strerror(errno), o->db_path);
        goto out;
    }
    if (rtt_db_open_or_create(o->db_path, &db, err, errlen) != 0) {
        created = 0; /* db.c removes what it created */
        goto out;
    }
    sqlite3_exec(db,
                 created ? "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                           "PRAGMA cache_size=-4096;"
                         : "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-4096;",
                 NULL, NULL, NULL);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot start a transaction (%s): %s",
                 sqlite3_errmsg(db), o->db_path);
        goto out;
    }
    in_tx = 1;
    rows = rtt_rows_create(db, err, errlen);
    if (!rows)
        goto out;

    sink.rows = rows;
    sink.force = o->force;
    sink.progress = o->progress;
    sink.progress_ctx = o->progress_ctx;
    sink.ntraces = found.n;
    sink.traces = calloc(found.n, sizeof *sink.traces);
    if (!sink.traces) {
        snprintf(err, errlen, "out of memory");
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
    int grc = rtt_graph_run(&sink, err, errlen);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    rtt_sink_progress_done(&sink);
    if (grc != 0)
        goto out;

    if (rtt_rows_flush(rows) != 0) {
        snprintf(err, errlen, "%s: %s", rtt_rows_errmsg(rows), o->db_path);
        goto out;
    }
    for (size_t i = 0; i < found.n; i++) {
        rtt_trace_in_t *t = &sink.traces[i];
        if (t->bt && rtt_rows_trace_end(rows, t->row, t->have_ts, t->first_ts,
                                        t->last_ts, t->events) != 0) {
            snprintf(err, errlen, "%s: %s", rtt_rows_errmsg(rows),
                     o->db_path);
            goto out;
        }
    }
    if (sink.events == 0) {
        snprintf(err, errlen,
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
        snprintf(err, errlen, "cannot commit (%s): %s", sqlite3_errmsg(db),
                 o->db_path);
        goto out;
    }
    in_tx = 0;
    if (sqlite3_close(db) != SQLITE_OK) {
        snprintf(err, errlen, "cannot close (%s): %s", sqlite3_errmsg(db),
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
    rc = 0;
out:
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
    return rc ? -1 : 0;
}
