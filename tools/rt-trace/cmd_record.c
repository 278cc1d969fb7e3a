/* cmd_record.c - `rt-trace record [options] -- PROGRAM [ARGS]`: runs PROGRAM
 * under an LTTng userspace session made through liblttng-ctl, then ingests
 * the trace (analysis/ingest).
 *
 * Steps: make sure a session daemon answers (start `lttng-sessiond
 * --daemonize` if none, bounded wait); create session rtk-<pid>-<time>
 * writing to a temp dir; channel `rtk` (discard mode, the given buffer
 * sizes); enable rtk:*; contexts vpid, vtid, procname; fork the program
 * held before exec (record_program.c), restrict the session to its vpid
 * (unless --all-processes), start, let it exec and wait; stop (waits until
 * the data is on disk); read the channel's discarded-event and lost-packet
 * counts; destroy; ingest; delete the temp trace unless --keep-trace.
 * --keep-trace DIR is a new or an empty directory: one that holds anything
 * (a trace kept before), or a file, is refused before anything is made
 * (exit 2) and left untouched; a record that fails before the program ran
 * leaves DIR as it found it. Every failure once the session exists
 * destroys it (setup_session sets session_made first thing).
 *
 * Under faults (docs/rt-trace.md "record", tests/record/fault_tests.sh):
 *   - the program killed by a signal: the trace is ingested as usual, one
 *     line names the signal, the exit status is 128+N;
 *   - SIGINT, SIGTERM, SIGHUP, SIGQUIT to rt-trace while the program runs
 *     are passed on to it (not a terminal's Ctrl-C, which it got itself);
 *     rt-trace waits for it to end, then stops, destroys and ingests; one
 *     before the program started ends the record there (128+N); one after
 *     it ended skips the ingest and keeps the trace (128+N);
 *   - the session daemon gone when stopping: one error line, the trace
 *     folder kept and its path printed;
 *   - the ingest failing (a full disk, ...): one error line, the database
 *     as before (ingest.c: atomic), the trace folder kept and printed.
 * Exit status: the program's (128+N if signal N killed it); 128+N if a
 * signal N interrupted rt-trace before the program started or after it
 * ended, or stopped the ingest (130/143); 127 if it could not be run;
 * else 1 if rt-trace itself failed.
 */
#define _GNU_SOURCE
#include "commands.h"
#include "args.h"
#include "cmd_ingest.h"
#include "discover.h"
#include "ingest.h" /* rtt_ingest_check_output */
#include "record_program.h"
#include "sessiond.h"
#include "session.h" /* rtt_lttng_rtk_channel */
#include "sink.h" /* rtt_ingest_interrupted */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <lttng/lttng.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


typedef struct record_opts {
    const char *db_path;
    const char *session;
    const char *keep_dir;
    uint64_t subbuf_size, num_subbuf;
    enum lttng_buffer_type buffering;
    int quiet, force;
    int skip_unreadable; /* passed to the ingest */
    int all_processes; /* trace every process of the user, not just PROGRAM */
    char **argv; /* the program and its arguments */
} record_opts_t;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rt-trace record [-o DB] [--session NAME] [--subbuf-size BYTES]\n"
            "                       [--num-subbuf N] [--buffering per-uid|per-pid]\n"
            "                       [--keep-trace DIR] [--all-processes]\n"
            "                       [--skip-unreadable] [--quiet]\n"
            "                       -- PROGRAM [ARGS]\n"
            "\n"
            "Run PROGRAM under a new LTTng userspace session with the rtk:*\n"
            "events enabled (contexts vpid, vtid, procname), then ingest the\n"
            "trace into DB. Starts a session daemon if none is running. Prints\n"
            "how many events the tracer discarded, if any. The exit status is\n"
            "PROGRAM's (128+N if a signal N killed it); 1 if rt-trace failed.\n"
            "SIGINT, SIGTERM, SIGHUP and SIGQUIT are passed on to PROGRAM (a\n"
            "terminal's Ctrl-C reaches it directly); rt-trace then waits for it\n"
            "and still ingests. If the ingest fails or the session daemon is\n"
            "lost, the trace folder is kept and its path printed. A signal that\n"
            "stops the ingest: 130 / 143 (the trace folder kept).\n"
            "\n"
            "  -o, --output DB      database to create or add to (default run.db)\n"
            "  --session NAME       session name (default rtk-<pid>-<time>)\n"
            "  --subbuf-size BYTES  sub-buffer size, a power of two (default: LTTng's)\n"
            "  --num-subbuf N       sub-buffers per ring buffer, a power of two\n"
            "  --buffering MODE     per-uid (default) or per-pid\n"
            "  --keep-trace DIR     write the CTF trace to DIR (new or empty) and\n"
            "                       keep it\n"
            "  --all-processes      trace every process of this user that loads\n"
            "                       the rtk provider (default: PROGRAM's process\n"
            "                       only; its children are not traced)\n"
            "  --force              replace a trace already in DB (see ingest)\n"
            "  --skip-unreadable    ingest what can be read, with a warning for\n"
            "                       each file or per-PID trace left out (as a\n"
            "                       process traced with --all-processes that\n"
            "                       exited before LTTng finished its metadata)\n"
            "  -q, --quiet          no progress bar and no summary line\n"
            "  -h, --help           this help\n");
}

static int parse_args(int argc, char **argv, record_opts_t *o)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-')
            break;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
            continue;
        } else if (strcmp(a, "--force") == 0) {
            o->force = 1;
            continue;
        } else if (strcmp(a, "--skip-unreadable") == 0) {
            o->skip_unreadable = 1;
            continue;
        } else if (strcmp(a, "--all-processes") == 0) {
            o->all_processes = 1;
            continue;
        }
        /* -o VALUE, --opt VALUE or --opt=VALUE */
        static const char *const takes[] = {"output", "session", "keep-trace",
            "subbuf-size", "num-subbuf", "buffering", NULL};
        const char *inl = NULL;
        int k = 0;
        if (strcmp(a, "-o") != 0)
            while (takes[k] && !rtt_opt_long(a, takes[k], 1, &inl))
                k++;
        if (!takes[k]) {
            fprintf(stderr,
                    "rt-trace record: unknown option: %s (see rt-trace record "
                    "--help)\n",
                    a);
            return 2;
        }
        if (inl) {
            val = inl;
        } else if (!val) {
            fprintf(stderr, "rt-trace record: %s needs a value\n", a);
            return 2;
        } else {
            i++;
        }
        if (k == 0) {
            o->db_path = val;
        } else if (k == 1) {
            o->session = val;
        } else if (k == 2) {
            o->keep_dir = val;
        } else if (k == 3 || k == 4) {
            uint64_t *dst = k == 3 ? &o->subbuf_size : &o->num_subbuf;
            if (rtt_parse_pow2_size(val, dst) != 0) {
                fprintf(stderr,
                        "rt-trace record: --%s wants a power of two: %s\n",
                        takes[k], val);
                return 2;
            }
        } else { /* --buffering */
            if (strcmp(val, "per-uid") == 0)
                o->buffering = LTTNG_BUFFER_PER_UID;
            else if (strcmp(val, "per-pid") == 0)
                o->buffering = LTTNG_BUFFER_PER_PID;
            else {
                fprintf(stderr,
                        "rt-trace record: --buffering is per-uid or per-pid: "
                        "%s\n",
                        val);
                return 2;
            }
        }
    }
    if (i >= argc) {
        fprintf(stderr, "rt-trace record: no program given (rt-trace record "
                        "[options] -- PROGRAM [ARGS])\n");
        return 2;
    }
    o->argv = argv + i;
    return -1; /* go on */
}

static int rm_entry(const char *path, const struct stat *st, int type,
                    struct FTW *ftw)
{
    (void)st, (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Like rm_entry, but the folder at the top is left (emptied). */
static int rm_below(const char *path, const struct stat *st, int type,
                    struct FTW *ftw)
{
    return ftw->level == 0 ? 0 : rm_entry(path, st, type, ftw);
}

/* Remove dir and all in it; keep_top: only what is in it. */
static void remove_tree(const char *dir, int keep_top)
{
    nftw(dir, keep_top ? rm_below : rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* --keep-trace DIR must be a new or an empty directory: one LTTng
 * writes to and nothing else is in, so that a second record never mixes
 * its trace with (or replaces) one kept before. *existed: DIR was there
 * (then it is left, emptied, if the record fails before the program ran).
 * 0, or 2 (usage) after one line on stderr; nothing is created here. */
static int check_keep_dir(const char *dir, int *existed)
{
    struct stat st;
    *existed = 0;
    if (stat(dir, &st) != 0) {
        if (errno == ENOENT)
            return 0;
        fprintf(stderr, "rt-trace record: cannot use --keep-trace (%s): %s\n",
                strerror(errno), dir);
        return 2;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "rt-trace record: not a directory (--keep-trace): %s\n",
                dir);
        return 2;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "rt-trace record: cannot read directory (--keep-trace: "
                        "%s): %s\n", strerror(errno), dir);
        return 2;
    }
    int empty = 1;
    struct dirent *e;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (!empty) {
        fprintf(stderr, "rt-trace record: not empty (--keep-trace wants a new or "
                        "empty directory, a trace kept there is not replaced): "
                        "%s\n", dir);
        return 2;
    }
    *existed = 1;
    return 0;
}

/* Trace only process pid (and not every process of the user). */
static int track_only(const char *session, pid_t pid)
{
    struct lttng_process_attr_tracker_handle *th = NULL;
    if (lttng_session_get_tracker_handle(session, LTTNG_DOMAIN_UST,
                                         LTTNG_PROCESS_ATTR_VIRTUAL_PROCESS_ID,
                                         &th) != LTTNG_OK)
        return -1;
    int ok = lttng_process_attr_tracker_handle_set_tracking_policy(
                 th, LTTNG_TRACKING_POLICY_INCLUDE_SET) ==
                 LTTNG_PROCESS_ATTR_TRACKER_HANDLE_STATUS_OK &&
             lttng_process_attr_virtual_process_id_tracker_handle_add_pid(
                 th, pid) == LTTNG_PROCESS_ATTR_TRACKER_HANDLE_STATUS_OK;
    lttng_process_attr_tracker_handle_destroy(th);
    return ok ? 0 : -1;
}

static int lttng_fail(const char *what, int ret)
{
    fprintf(stderr, "rt-trace record: %s: %s\n", what, lttng_strerror(ret));
    return -1;
}

/* Create the session, its channel, events and contexts. *made is set
 * once the session exists, whatever fails after that. */
static int setup_session(const record_opts_t *o, const char *name,
                         const char *dir, struct lttng_handle **out, int *made)
{
    char url[PATH_MAX + 16];
    snprintf(url, sizeof url, "file://%s", dir);
    int ret = lttng_create_session(name, url);
    if (ret < 0) {
        char what[300];
        snprintf(what, sizeof what, "cannot create session %s", name);
        return lttng_fail(what, ret);
    }
    *made = 1; /* from here every failure destroys it (cleanup) */
    struct lttng_domain dom;
    memset(&dom, 0, sizeof dom);
    dom.type = LTTNG_DOMAIN_UST;
    dom.buf_type = o->buffering;
    struct lttng_handle *h = lttng_create_handle(name, &dom);
    if (!h) {
        fprintf(stderr, "rt-trace record: cannot create an LTTng handle: %s\n",
                name);
        return -1;
    }
    *out = h;
    char err[600];
    if (rtt_lttng_rtk_channel(name, o->buffering == LTTNG_BUFFER_PER_PID,
                              o->subbuf_size, o->num_subbuf, err, sizeof err) != 0) {
        fprintf(stderr, "rt-trace record: %s\n", err);
        return -1;
    }
    return 0;
}

/* The trace folder is kept (not removed) and its path printed with why:
 * *keep becomes 2 (kept, and said so). */
static void keep_trace(int *keep, const char *dir, const char *why)
{
    *keep = 2;
    fprintf(stderr, "rt-trace record: %s; the trace is kept in %s (rt-trace "
                    "ingest %s -o DB)\n",
            why, dir, dir);
}

/* Stop, read the loss counters and destroy. 0, or -1 with why in `why`
 * (the session daemon gone, most likely: then the trace folder holds what
 * it wrote before). *made is cleared once the session is destroyed. */
static int finish_session(const char *name, struct lttng_handle *h,
                          int *made, uint64_t *discarded, uint64_t *lost,
                          char *why, size_t whylen)
{
    int ret = lttng_stop_tracing(name);
    if (ret == 0) {
        rtt_lttng_channel_loss(h, discarded, lost);
        ret = lttng_destroy_session(name);
        if (ret == 0)
            *made = 0;
    }
    if (ret == 0)
        return 0;
    if (lttng_session_daemon_alive() != 1)
        snprintf(why, whylen, "lost the session daemon while recording (%s)",
                 lttng_strerror(ret));
    else
        snprintf(why, whylen, "cannot stop session %s: %s", name,
                 lttng_strerror(ret));
    return -1;
}

int rtt_cmd_record(int argc, char **argv)
{
    record_opts_t o = {.db_path = "run.db", .buffering = LTTNG_BUFFER_PER_UID};
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;

    char name[LTTNG_NAME_MAX];
    if (o.session)
        snprintf(name, sizeof name, "%s", o.session);
    else
        snprintf(name, sizeof name, "rtk-%ld-%lld", (long)getpid(),
                 (long long)time(NULL));

    /* before anything is made: a bad --keep-trace is refused as it is,
     * and an -o that cannot be a database is said before PROGRAM runs
     * (and judged again by the ingest below: PROGRAM ran in between) */
    int keep_existed = 0;
    if (o.keep_dir && (rc = check_keep_dir(o.keep_dir, &keep_existed)) != 0)
        return rc;
    char oerr[600];
    if ((rc = rtt_ingest_check_output(o.db_path, oerr, sizeof oerr)) != 0) {
        fprintf(stderr, "rt-trace record: %s\n", oerr);
        return rc == -2 ? 2 : 1;
    }

    if (rtt_ensure_sessiond() != 0) {
        fprintf(stderr, "rt-trace record: no LTTng session daemon and "
                        "`lttng-sessiond --daemonize` failed\n");
        return 1;
    }

    char dir[PATH_MAX];
    if (o.keep_dir) {
        /* not there a moment ago: one made since is not ours to fill */
        if (!keep_existed && mkdir(o.keep_dir, 0777) != 0) {
            fprintf(stderr, "rt-trace record: cannot create directory "
                            "(--keep-trace: %s): %s\n",
                    strerror(errno), o.keep_dir);
            return 1;
        }
        if (!realpath(o.keep_dir, dir)) {
            fprintf(stderr, "rt-trace record: %s: %s\n", strerror(errno),
                    o.keep_dir);
            if (!keep_existed)
                rmdir(o.keep_dir);
            return 1;
        }
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/rt-trace-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            fprintf(stderr, "rt-trace record: cannot create a temp directory: "
                            "%s: %s\n", strerror(errno), dir);
            return 1;
        }
    }

    /* From here SIGINT, SIGTERM, SIGHUP and SIGQUIT are held, then passed
     * on to the program while it runs (record_program.h): the session is
     * always stopped and destroyed, and the trace ingested or kept. */
    rtt_prog_signals_hold();
    struct lttng_handle *h = NULL;
    int status = 1, session_made = 0, keep = o.keep_dir != NULL;
    int wstatus = 0, ran = 0;
    uint64_t discarded = 0, lost = 0;
    if (setup_session(&o, name, dir, &h, &session_made) != 0)
        goto cleanup;

    rtt_program_t child;
    if (rtt_prog_spawn(o.argv, &child) != 0) {
        fprintf(stderr, "rt-trace record: cannot fork: %s\n", strerror(errno));
        goto cleanup;
    }
    if (!o.all_processes && track_only(name, child.pid) != 0) {
        fprintf(stderr, "rt-trace record: cannot restrict session %s to "
                        "process %ld\n", name, (long)child.pid);
        rtt_prog_abort(&child);
        goto cleanup;
    }
    int ret = lttng_start_tracing(name);
    if (ret < 0) {
        lttng_fail("cannot start tracing", ret);
        rtt_prog_abort(&child);
        goto cleanup;
    }
    int early = rtt_prog_signal_pending();
    if (early) {
        rtt_prog_abort(&child);
        fprintf(stderr, "rt-trace record: interrupted by %s before the "
                        "program started: %s\n",
                rtt_signal_name(early), o.argv[0]);
        status = 128 + early;
        goto cleanup;
    }
    if (rtt_prog_run(&child, &wstatus) != 0) {
        fprintf(stderr, "rt-trace record: cannot run program: %s: %s\n",
                strerror(errno), o.argv[0]);
        status = 127;
        goto cleanup;
    }
    ran = 1;
    if (WIFSIGNALED(wstatus))
        status = 128 + WTERMSIG(wstatus);
    else
        status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 1;

    char failed[512] = ""; /* why the session did not end well */
    if (finish_session(name, h, &session_made, &discarded, &lost, failed,
                       sizeof failed) != 0)
        status = status ? status : 1;
    /* a signal that came while stopping: do not start the ingest */
    int late = rtt_prog_signal_pending();
    if (late) {
        char why[700];
        snprintf(why, sizeof why, "%s%sinterrupted by %s before the ingest",
                 failed, *failed ? "; " : "", rtt_signal_name(late));
        keep_trace(&keep, dir, why);
        status = 128 + late;
        goto report;
    }

    /* No trace at all: the program never loaded the rtk provider (or the
     * daemon went before it wrote anything). */
    rtt_found_list_t found = {0};
    char derr[300];
    int ntr = rtt_discover(dir, &found, derr, sizeof derr);
    rtt_found_list_free(&found);
    if (ntr <= 0 && *failed) {
        keep_trace(&keep, dir, failed);
        goto report;
    }
    if (ntr <= 0) {
        fprintf(stderr, "rt-trace record: no rtk events recorded: %s loaded "
                        "no rtk tracepoints (link rtk::tp or librtk)\n",
                o.argv[0]);
        status = status ? status : 1;
        goto report;
    }
    /* An ingest that fails leaves the database as it was (ingest.c) and
     * the trace folder kept, so nothing recorded is lost. After a lost
     * daemon, whatever it had written is ingested if it can be read. */
    const char *inputs[1] = {dir};
    char ierr[1600] = "";
    rtt_prog_signals_open(); /* SIGINT, SIGTERM stop the ingest (ingest.c) */
    int irc = rtt_cli_ingest_err("record", inputs, 1, o.db_path, o.force, o.quiet,
                                 o.skip_unreadable ? RTT_CLI_SKIP_UNREADABLE : 0,
                                 0, ierr, sizeof ierr);
    if (irc != 0) {
        char why[2400];
        snprintf(why, sizeof why, "%s%s%s", failed,
                 *failed ? "; what it wrote cannot be ingested: " : "", ierr);
        keep_trace(&keep, dir, why);
        if (irc > 128) /* stopped by SIGINT/SIGTERM: say so, whatever PROGRAM did */
            status = irc;
        else
            status = status ? status : 1;
    } else if (*failed) {
        char why[700];
        snprintf(why, sizeof why, "%s: ingested what it wrote before, the "
                 "rest is lost", failed);
        keep_trace(&keep, dir, why);
    }
    if (discarded || lost)
        fprintf(stderr,
                "rt-trace record: the tracer discarded %" PRIu64
                " events and lost %" PRIu64
                " packets (raise --subbuf-size or --num-subbuf)\n",
                discarded, lost);

report:
    if (ran && WIFSIGNALED(wstatus))
        fprintf(stderr, "rt-trace record: program killed by %s%s (exit "
                        "status %d): %s\n",
                rtt_signal_name(WTERMSIG(wstatus)),
                WCOREDUMP(wstatus) ? ", core dumped" : "",
                128 + WTERMSIG(wstatus), o.argv[0]);
cleanup:
    if (session_made)
        lttng_destroy_session(name);
    if (h)
        lttng_destroy_handle(h);
    if (keep == 1 && !ran)
        keep = 0; /* nothing recorded: --keep-trace DIR back as it was */
    if (!keep)
        remove_tree(dir, o.keep_dir && keep_existed);
    else if (keep == 1 && !o.quiet) /* --keep-trace */
        fprintf(stderr, "rt-trace record: trace kept in %s\n", dir);
    rtt_prog_signals_restore();
    return status;
}
