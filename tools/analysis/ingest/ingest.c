/* ingest.c - the ingest pipeline: finds the CTF traces (decode/discover.c),
 * reads them with the own CTF reader (ctf/read.c) or, when it refuses or
 * gives up, through babeltrace2 (decode/graph.c), into the row pairing
 * (decode/sink.c, pair/rows.c), all in one transaction.
 *
 * Atomic output. A NEW database is never written at its final path: it is
 * built beside it as <dir>/.<basename>.rtt-tmp-<pid> (same directory, so the
 * rename is atomic) and, once complete (COMMIT, sqlite3_close, fsync of the
 * file), moved to the final name without replacing anything
 * (renameat2(RENAME_NOREPLACE), else link(2) + unlink(2), else on file
 * systems without hard links lstat + rename(2), whose narrow race is that a
 * file created at the final path between the two calls is replaced); then
 * the directory is fsynced. A kill or a power cut leaves either no database
 * or the complete one at the final path, plus at worst a temp file. If the
 * final path appeared meanwhile (another process), the ingest fails and
 * leaves it alone. An existing EMPTY file at the final path (mktemp) is
 * replaced the same way, if it is still the same empty file at the end.
 * All this is decided before any trace is read (rtt_ingest_check_output:
 * a directory, a FIFO, a dangling symbolic link are refused at once). A
 * symbolic link to a file is followed: the temp file is built beside the
 * file it names, which it replaces (an empty one) or becomes.
 * Ingesting into an EXISTING database is one transaction (BEGIN IMMEDIATE
 * ... COMMIT) with SQLite's journal on (the connection's default, rollback
 * journal unless the file is in WAL mode) and synchronous=FULL: after a
 * kill or a power cut the next open rolls the journal back and the
 * database is the old one (store/db.c makes a read-only open do it too).
 *
 * Isolation. The parent (rtt_ingest_run) finds the traces, picks the temp
 * name, and renames; the decoding and writing run in a child process
 * (decode_and_write through isolate.c), so an abort or a hang inside
 * libbabeltrace2 is an error line, and SIGINT/SIGTERM kill the child at
 * any stage. When the child fails or is killed, the parent deletes the
 * temp file, or rolls back the hot journal of an existing database at
 * once. The parent never opens the database while the child lives, and
 * holds no SQLite connection across fork().
 *
 * Into the temp file the load runs with journal_mode=OFF and
 * synchronous=OFF (a failure throws the file away, so there is nothing to
 * roll back). SQLite writes on its own thread (store/writer.c) while
 * this one decodes, and keeps every index up to date as it goes: the
 * load appends near the right edge of each index, so that costs the
 * writer thread less than a sort of every key after the load would cost
 * this one (2 M events: 0.72 s against 0.87 s wall; 10 M: 4.4 against
 * 6.1 s, where the sort spilled past the cache; docs/benchmarks.md). The
 * page cache is capped at 8 MiB: peak memory 27 MB at 1 M and 10 M
 * events.
 * A failure deletes the temp file (and its -journal/-wal/-shm), or rolls
 * back the transaction of an existing database (also when a full disk put
 * SQLite's pager in its error state: the parent's rtt_db_recover).
 */
#define _GNU_SOURCE /* renameat2 and RENAME_NOREPLACE, where glibc has them */
#include "ingest.h"

#include "db.h"
#include "discover.h"
#include "errors.h"
#include "graph.h"
#include "isolate.h"
#include "read.h"
#include "issues.h"
#include "rows.h"
#include "salvage.h"
#include "sink.h"
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RTT_VERSION
#define RTT_VERSION "0"
#endif

#define TMP_TAG ".rtt-tmp-"

volatile sig_atomic_t rtt_ingest_interrupted;

static void on_signal(int sig)
{
    rtt_ingest_interrupted = sig; /* which one: a caller may report it */
}

static void remove_db_files(const char *path)
{
    char buf[4300]; /* tmp (4200) + "-journal" */
    unlink(path);
    snprintf(buf, sizeof buf, "%s-journal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-wal", path);
    unlink(buf);
    snprintf(buf, sizeof buf, "%s-shm", path);
    unlink(buf);
}

/* The directory of path ("." when it has none) and where its last
 * component starts. -1 when path ends in '/' or is too long. */
static int split_path(const char *path, char *dir, size_t dirlen,
                      const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (**base == '\0')
        return -1;
    if (!slash)
        return snprintf(dir, dirlen, ".") < (int)dirlen ? 0 : -1;
    if (slash == path)
        return snprintf(dir, dirlen, "/") < (int)dirlen ? 0 : -1;
    int n = (int)(slash - path);
    return snprintf(dir, dirlen, "%.*s", n, path) < (int)dirlen ? 0 : -1;
}

/* Stale temp files: a run killed (kill -9, power cut) while building a new
 * database leaves <dir>/.<base>.rtt-tmp-<pid> (and maybe -journal, -wal,
 * -shm). Every ingest to <dir>/<base> removes those whose pid is not alive
 * (kill(pid, 0) fails with ESRCH); a live pid's file is another ingest in
 * progress and is left alone. This assumes that no ingest of another host
 * or pid namespace writes to the same directory at the same time. */
static void remove_stale_temps(const char *dir, const char *base)
{
    char prefix[4200];
    int pl = snprintf(prefix, sizeof prefix, ".%s" TMP_TAG, base);
    if (pl < 0 || (size_t)pl >= sizeof prefix)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, (size_t)pl) != 0)
            continue;
        const char *p = e->d_name + pl;
        if (*p < '0' || *p > '9')
            continue;
        char *end;
        errno = 0;
        long long pid = strtoll(p, &end, 10);
        if (errno || pid <= 0 || pid > INT_MAX)
            continue;
        if (*end && strcmp(end, "-journal") && strcmp(end, "-wal") &&
            strcmp(end, "-shm"))
            continue;
        if ((pid_t)pid == getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}

/* fsync a file or a directory by name. A directory that cannot be synced
 * (EINVAL: the file system does not support it) counts as synced. */
static int fsync_path(const char *path, int is_dir)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | (is_dir ? O_DIRECTORY : 0));
    if (fd < 0)
        return -1;
    int r = fsync(fd);
    if (r != 0 && is_dir && errno == EINVAL)
        r = 0;
    int saved = errno;
    close(fd);
    errno = saved;
    return r;
}

/* Move tmp to final unless final exists (then -1, errno EEXIST). */
static int rename_noreplace(const char *tmp, const char *final)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    /* The file system or kernel does not support the flag. */
#endif
    if (link(tmp, final) == 0) {
        unlink(tmp); /* if this fails, the next ingest removes it */
        return 0;
    }
    if (errno != EPERM && errno != ENOTSUP && errno != ENOSYS &&
        errno != EOPNOTSUPP)
        return -1;
    /* No hard links on this file system: check, then rename. A file
     * created at final between lstat and rename is replaced (narrow race). */
    struct stat st;
    if (lstat(final, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    if (errno != ENOENT)
        return -1;
    return rename(tmp, final);
}

/* An error that names the temp file names the final path instead. */
static void retarget_err(char *err, size_t errlen, const char *tmp,
                         const char *final)
{
    size_t n = strlen(tmp);
    if (strncmp(err, tmp, n) != 0)
        return;
    char rest[1024];
    snprintf(rest, sizeof rest, "%s", err + n);
    snprintf(err, errlen, "%s%s", final, rest);
}

int rtt_ingest_check_output(const char *path, char *err, size_t errlen)
{
    struct stat st;
    char dir[4096], what[128];
    const char *base;
    if (!path || !*path) {
        snprintf(err, errlen, "empty database path (-o \"\")");
        return -2;
    }
    if (lstat(path, &st) == 0) {
        if (S_ISLNK(st.st_mode) && stat(path, &st) != 0) {
            int e = errno;
            char to[1024];
            ssize_t n = readlink(path, to, sizeof to - 1);
            to[n > 0 ? n : 0] = '\0';
            if (e == ENOENT) {
                snprintf(err, errlen, "dangling symbolic link (to %s): %s", to,
                         path);
            } else {
                rtt_io_error(err, errlen, e, path);
            }
            return e == ENOENT || e == ELOOP || e == ENOTDIR ? -2 : -1;
        }
        if (S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "is a directory: %s", path);
            return -2;
        }
        if (!S_ISREG(st.st_mode)) {
            snprintf(err, errlen, "not a regular file: %s", path);
            return -2;
        }
        return 0;
    }
    if (errno != ENOENT) {
        int e = errno;
        rtt_io_error(err, errlen, e, path);
        return e == ENOTDIR || e == ENAMETOOLONG || e == ELOOP ? -2 : -1;
    }
    /* A new file: its directory must exist and take new files. */
    if (split_path(path, dir, sizeof dir, &base) != 0) {
        snprintf(err, errlen, "not a database file name (ends in '/'): %s", path);
        return -2;
    }
    if (stat(dir, &st) != 0) {
        int e = errno;
        rtt_errno_words(e, what, sizeof what);
        if (e == ENOENT)
            snprintf(err, errlen, "no such directory: %s (for %s)", dir, path);
        else
            snprintf(err, errlen, "%s: %s (for %s)", what, dir, path);
        return e == ENOENT ? -2 : -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "not a directory: %s (for %s)", dir, path);
        return -2;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        rtt_errno_words(errno, what, sizeof what);
        snprintf(err, errlen, "%s (cannot create files in %s): %s", what, dir,
                 path);
        return -1;
    }
    return 0;
}

/* The traces found from found->v[from] on whose `metadata` is not a
 * regular file (a FIFO would block the read for ever, a device read
 * without end): an error ("not a regular file: DIR/metadata"), or with
 * skip_unreadable left out and recorded in found->skipped, as discovery
 * does with unreadable directories. 0, or -1 with err. */
static int check_metadata_files(rtt_found_list_t *found, size_t from,
                                const char *root, char *err, size_t errlen)
{
    char mp[PATH_MAX + 16];
    size_t k = from;
    const char *first_skip = NULL;
    for (size_t i = from; i < found->n; i++) {
        struct stat st;
        snprintf(mp, sizeof mp, "%s/metadata", found->v[i].path);
        if (stat(mp, &st) != 0 || S_ISREG(st.st_mode)) {
            found->v[k++] = found->v[i]; /* unreadable: rtt_prepare says so */
            continue;
        }
        if (!found->skip_unreadable) {
            snprintf(err, errlen, "not a regular file: %s", mp);
            return -1;
        }
        char line[PATH_MAX + 64];
        snprintf(line, sizeof line, "not a regular file: %s", mp);
        char **nv = realloc(found->skipped, (found->nskipped + 1) * sizeof *nv);
        char *dup = strdup(line);
        if (nv)
            found->skipped = nv;
        if (!nv || !dup) {
            free(dup);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        found->skipped[found->nskipped++] = dup;
        if (!first_skip)
            first_skip = dup;
        free(found->v[i].path);
    }
    found->n = k;
    if (k == from) {
        snprintf(err, errlen, "no readable CTF trace under: %s (skipped: %s)",
                 root, first_skip ? first_skip : "");
        return -1;
    }
    return 0;
}

/* What the child needs (it gets a copy of the parent's memory). */
typedef struct job {
    const rtt_ingest_opts_t *o;
    const rtt_found_list_t *found;
    const rtt_prepared_t *prep; /* the traces as read: chunks, cut views */
    const char *open_path; /* tmp for a new database, else db_path */
    int fresh;
} job_t;

/* The child's part (isolate.c): open the database, read every trace
 * through babeltrace2 into it in one transaction, commit; a new database
 * (the temp file) is closed and synced too. The parent renames it. */
static int decode_and_write_with(const job_t *j, int own, char *damage,
                                 size_t damlen, void *result, char *err,
                                 size_t errlen)
{
    const rtt_ingest_opts_t *o = j->o;
    const rtt_prepared_t *prep = j->prep;
    int64_t *trace_rows = NULL; /* traces row of each prepared trace */
    uint64_t ntraces = 0;       /* traces rows written */
    sqlite3 *db = NULL;
    rtt_rows_t *rows = NULL;
    rtt_watch_t *watch = NULL;
    rtt_sink_t sink;
    int in_tx = 0, rc = -1;

    rtt_sink_init(&sink);
    if (rtt_db_open_or_create(j->open_path, &db, err, errlen) != 0) {
        if (j->fresh)
            retarget_err(err, errlen, j->open_path, o->db_path);
        goto out;
    }
    sqlite3_exec(db,
                 j->fresh ? "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                            "PRAGMA cache_size=-8192;"
                          : "PRAGMA synchronous=FULL; PRAGMA cache_size=-4096;",
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
    watch = rtt_watch_create(rtt_iso_where, NULL);
    sink.traces = calloc(prep->ntraces, sizeof *sink.traces);
    trace_rows = calloc(prep->ntraces ? prep->ntraces : 1, sizeof *trace_rows);
    if (!watch || !sink.traces || !trace_rows) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    sink.rows = rows;
    sink.force = o->force;
    sink.progress = rtt_iso_progress; /* the parent's watchdog feeds on it */
    sink.watch = watch;
    sink.ntraces = prep->ntraces;
    for (size_t i = 0; i < prep->ntraces; i++) {
        sink.traces[i].path = prep->traces[i].chunks[0];
        sink.traces[i].src = &prep->traces[i];
        sink.traces[i].last_proc = -1;
        sink.total_bytes += prep->traces[i].bytes;
        sink.total_packets += prep->traces[i].packets;
    }
    /* the child's copy of the issues: the sink sets where their loss begins */
    sink.issues = prep->issues;
    sink.nissues = prep->nissues;
    for (size_t i = 0; i < prep->nissues; i++)
        sink.follow_cuts |= prep->issues[i].view_file != NULL;

    rtt_iso_stage(own ? RTT_ISO_READING : RTT_ISO_DECODING);
    if (!own)
        snprintf(sink.damage, sizeof sink.damage, "%s", damage);
    int grc = own ? rtt_ctf_read(&sink, err, errlen) : rtt_graph_run(&sink, err, errlen);
    if (own)
        snprintf(damage, damlen, "%s", sink.damage);
    rtt_sink_progress_done(&sink);
    rtt_iso_stage(RTT_ISO_WRITING);
    if (grc > 0) {
        rc = 1; /* the own reader gave up: start again with babeltrace2 */
        goto out;
    }
    if (grc != 0)
        goto out;

    if (rtt_rows_flush(rows) != 0) {
        snprintf(err, errlen, "%s: %s", rtt_rows_errmsg(rows), o->db_path);
        goto out;
    }
    for (size_t i = 0; i < sink.ntraces; i++) {
        rtt_trace_in_t *t = &sink.traces[i];
        trace_rows[i] = t->registered ? t->row : -1;
        ntraces += t->registered;
        if (t->registered && rtt_rows_trace_end(rows, t->row, t->have_ts, t->first_ts,
                                        t->last_ts, t->events) != 0) {
            snprintf(err, errlen, "%s: %s", rtt_rows_errmsg(rows),
                     o->db_path);
            goto out;
        }
    }
    if (rtt_store_issues(db, prep->issues, prep->nissues, trace_rows, sink.ntraces,
                         err, errlen) != 0)
        goto out;
    if (sink.events == 0) {
        snprintf(err, errlen,
                 "no rtk events (%" PRIu64 " other events) in %zu trace%s "
                 "under: %s",
                 sink.other_events, sink.ntraces, sink.ntraces == 1 ? "" : "s",
                 o->inputs[0]);
        goto out;
    }
    rtt_rows_destroy(rows);
    rows = NULL;
    sqlite3_exec(db,
                 own ? "INSERT OR REPLACE INTO meta(key,value) VALUES"
                       "('rt_trace_version','" RTT_VERSION "'),('decoder','rtk'),"
                       "('last_ingest',strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
                     : "INSERT OR REPLACE INTO meta(key,value) VALUES"
                       "('rt_trace_version','" RTT_VERSION "'),('decoder','babeltrace2'),"
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
    if (j->fresh && fsync_path(j->open_path, 0) != 0) {
        snprintf(err, errlen, "cannot sync the new database (%s): %s",
                 strerror(errno), o->db_path);
        goto out;
    }
    rtt_ingest_result_t *res = result;
    memset(res, 0, sizeof *res);
    res->traces = ntraces;
    res->issues = prep->nissues;
    res->events = sink.events;
    res->other_events = sink.other_events;
    res->discarded_events = sink.discarded_events;
    res->lost_packets = sink.lost_packets;
    rc = 0;
out:
    rtt_rows_destroy(rows);
    if (db) {
        if (in_tx && !j->fresh)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(db);
    }
    free(sink.traces);
    free(trace_rows);
    rtt_sink_finish(&sink);
    rtt_watch_free(watch);
    if (rc > 0 && j->fresh)
        remove_db_files(j->open_path); /* the next attempt starts afresh */
    return rc;
}

/* The child's part: the own CTF reader (ctf/read.h) when it takes the
 * traces, else babeltrace2; if the own reader gives up half way, its rows
 * are thrown away (a new database deleted, an existing one rolled back)
 * and babeltrace2 reads everything again. */
static int decode_and_write(void *ctx, void *result, char *err, size_t errlen)
{
    const job_t *j = ctx;
    char why[600], damage[700] = "";
    if (rtt_ctf_can_read(j->prep, why, sizeof why) == 0) {
        int rc = decode_and_write_with(j, 1, damage, sizeof damage, result, err,
                                       errlen);
        if (rc <= 0)
            return rc;
        snprintf(why, sizeof why, "%s", err);
    }
    if (rtt_ctf_required()) {
        snprintf(err, errlen, "the rtk CTF reader cannot read this (RTT_DECODER=rtk): %s",
                 why);
        return -1;
    }
    if (getenv("RTT_DEBUG_DECODER"))
        fprintf(stderr, "rt-trace: reading with babeltrace2: %s\n", why);
    return decode_and_write_with(j, 0, damage, sizeof damage, result, err, errlen)
               ? -1
               : 0;
}

static const char *signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}

/* A signal stopped the parent's part (discovery, rtt_prepare): one line
 * as the child's ("interrupted by SIGTERM while reading PATH"). PATH: what
 * a read interrupted half way names ("interrupted system call: PATH"),
 * else where. */
static void interrupted_err(char *err, size_t errlen, const char *where)
{
    char eintr[128], path[PATH_MAX + 300];
    size_t n;
    rtt_errno_words(EINTR, eintr, sizeof eintr);
    n = strlen(eintr);
    if (strncmp(err, eintr, n) == 0 && strncmp(err + n, ": ", 2) == 0)
        snprintf(path, sizeof path, "%s", err + n + 2);
    else
        snprintf(path, sizeof path, "%s", where);
    snprintf(err, errlen, "interrupted by %s while reading %s",
             signal_name(rtt_ingest_interrupted), path);
}

int rtt_ingest_run(const rtt_ingest_opts_t *o, rtt_ingest_result_t *res, char *err,
                   size_t errlen)
{
    rtt_found_list_t found = {0};
    rtt_prepared_t prep = {0};
    int fresh = 0;         /* a new database, built in tmp */
    int replace_empty = 0; /* ... replacing the empty file at db_path */
    int tmp_made = 0, child_ran = 0, rc = 1, usage = 0;
    struct sigaction sa, old_int, old_term;
    struct stat st, empty_st;
    char dir[4096], tmp[4200], real[PATH_MAX];
    const char *base;
    const char *target = o->db_path; /* db_path, or the file it links to */
    rtt_ingest_result_t r;
    rtt_ingest_opts_t oo = *o; /* o, with the timeout raised to the floor */

    memset(&empty_st, 0, sizeof empty_st);
    memset(&r, 0, sizeof r);
    if (res)
        memset(res, 0, sizeof *res);
    if (oo.decode_timeout_s > 0 && oo.decode_timeout_s < RTT_INGEST_MIN_TIMEOUT)
        oo.decode_timeout_s = RTT_INGEST_MIN_TIMEOUT;
    o = &oo;
    /* SIGINT/SIGTERM from here on end the ingest through the cleanup below:
     * the child is killed at once (isolate.c), "interrupted by SIG...". */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    rtt_ingest_interrupted = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    /* The output first: a path that cannot be written fails before any
     * trace is read. A symbolic link to a file is followed: the temp file
     * of a new database is made beside the file it names, which it then
     * replaces (an empty one) or becomes. */
    if ((rc = rtt_ingest_check_output(o->db_path, err, errlen)) != 0) {
        usage = rc == -2;
        goto out;
    }
    rc = 1;
    if (lstat(o->db_path, &st) == 0 && S_ISLNK(st.st_mode)) {
        if (!realpath(o->db_path, real)) {
            rtt_io_error(err, errlen, errno, o->db_path);
            goto out;
        }
        target = real;
    }
    if (stat(target, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            snprintf(err, errlen, "not a regular file: %s", o->db_path);
            goto out;
        }
        if (st.st_size == 0) {
            fresh = replace_empty = 1;
            empty_st = st;
        }
    } else if (errno == ENOENT) {
        fresh = 1;
    } else {
        snprintf(err, errlen, "%s: %s", strerror(errno), o->db_path);
        goto out;
    }
    if (split_path(target, dir, sizeof dir, &base) != 0) {
        snprintf(err, errlen, "not a database file name: %s", o->db_path);
        goto out;
    }

    found.skip_unreadable = o->skip_unreadable;
    for (int i = 0; i < o->ninputs; i++) {
        size_t before = found.n;
        int drc = rtt_discover(o->inputs[i], &found, err, errlen);
        if (rtt_ingest_interrupted) {
            interrupted_err(err, errlen, o->inputs[i]);
            goto out;
        }
        if (drc < 0 ||
            check_metadata_files(&found, before, o->inputs[i], err, errlen) != 0)
            goto out;
    }
    int prc = rtt_prepare(&found, o->strict, o->skip_unreadable, &prep, err, errlen);
    if (rtt_ingest_interrupted) {
        interrupted_err(err, errlen, o->inputs[0]);
        goto out;
    }
    if (prc != 0)
        goto out;

    remove_stale_temps(dir, base);
    if (fresh) {
        int n = snprintf(tmp, sizeof tmp, "%.*s.%s" TMP_TAG "%ld",
                         (int)(base - target), target, base, (long)getpid());
        if (n < 0 || (size_t)n >= sizeof tmp) {
            snprintf(err, errlen, "path too long: %s", o->db_path);
            goto out;
        }
        /* Our own name: only a dead process with our pid can have left it. */
        remove_db_files(tmp);
        tmp_made = 1;
    }

    if (rtt_ingest_interrupted) {
        snprintf(err, errlen, "interrupted by %s: %s",
                 signal_name(rtt_ingest_interrupted), o->db_path);
        goto out;
    }
    child_ran = 1;
    job_t job = {.o = o, .found = &found, .prep = &prep,
                 .open_path = fresh ? tmp : o->db_path, .fresh = fresh};
    rtt_iso_opts_t iso = {.timeout_s = o->decode_timeout_s,
                          .interrupted = &rtt_ingest_interrupted,
                          .progress = o->progress,
                          .progress_ctx = o->progress_ctx};
    int drc = o->in_process ? decode_and_write(&job, &r, err, errlen)
                            : rtt_iso_run(&iso, decode_and_write, &job, &r, sizeof r,
                                          err, errlen);
    if (drc != 0)
        goto out;

    if (fresh) {
        if (rtt_ingest_interrupted) {
            snprintf(err, errlen, "interrupted by %s: %s",
                     signal_name(rtt_ingest_interrupted), o->db_path);
            goto out;
        }
        if (replace_empty) {
            /* Replace the empty file only if it is still the one we saw. */
            if (stat(target, &st) != 0 || st.st_dev != empty_st.st_dev ||
                st.st_ino != empty_st.st_ino || st.st_size != 0) {
                snprintf(err, errlen,
                         "changed by another process during the ingest, "
                         "not overwritten: %s",
                         o->db_path);
                goto out;
            }
            if (rename(tmp, target) != 0) {
                snprintf(err, errlen, "cannot rename the new database (%s): %s",
                         strerror(errno), o->db_path);
                goto out;
            }
        } else if (rename_noreplace(tmp, target) != 0) {
            if (errno == EEXIST)
                snprintf(err, errlen,
                         "created by another process during the ingest, "
                         "not overwritten: %s",
                         o->db_path);
            else
                snprintf(err, errlen, "cannot rename the new database (%s): %s",
                         strerror(errno), o->db_path);
            goto out;
        }
        tmp_made = 0;
        /* The database is complete at its final path; a failure here only
         * means its name may not survive a power cut. */
        if (fsync_path(dir, 1) != 0) {
            snprintf(err, errlen, "cannot sync the directory (%s): %s",
                     strerror(errno), dir);
            goto out;
        }
    }
    for (size_t i = 0; o->warn && i < prep.nissues; i++)
        o->warn(o->warn_ctx, prep.issues[i].message);
    if (res)
        *res = r;
    rc = 0;
out:
    if (rc != 0 && tmp_made)
        remove_db_files(tmp);
    if (rc != 0 && !fresh && child_ran) {
        /* A child killed mid-transaction left a hot journal: roll it back
         * now, so the database is the old one for every reader. (If this
         * fails, the next open of any kind does it, see db.c.) */
        char ignored[256];
        rtt_db_recover(o->db_path, ignored, sizeof ignored);
    }
    if (rc != 0 && res)
        res->signal = (int)rtt_ingest_interrupted;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    rtt_prepared_free(&prep);
    rtt_found_list_free(&found);
    return rc ? (usage ? -2 : -1) : 0;
}
