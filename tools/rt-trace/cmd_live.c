/* cmd_live.c - `rt-trace live [options] -- PROGRAM [ARGS]`, `--pid PID`,
 * `--session NAME`: live figures of a running rtk program over LTTng live
 * (the engine: tools/analysis/live/). One snapshot per --interval goes to
 * the front-end hook (on_snapshot): NDJSON lines (--format json, the
 * default when stdout is not a terminal), on a terminal the ncurses
 * dashboard (live_dashboard.c; q ends the view as Ctrl-C does), or
 * --format text, one plain line per interval.
 *
 * The interactions and lint panels are computed from a database: --record
 * DB, or, when the dashboard is the front-end, a temporary one by default
 * ($TMPDIR/rt-trace-live-XXXXXX.db, removed at the end on every path;
 * --no-db: none, the panels say so). json and text have none unless
 * --record (their snapshots say "db": false).
 *
 * Steps: session daemon (started if none), relay daemon on loopback
 * (started if none, stopped at the end), live session rtk-live-<pid>-<time>
 * with the rtk channel; PROGRAM forked held before exec
 * (record_program.c), the session restricted to its pid, started, the
 * viewer attached, then PROGRAM released. Ends when PROGRAM exits (or the
 * --pid process, or the --session is destroyed by its owner): stop and
 * destroy the session, read the stream to its end, final snapshot and one
 * summary line on stderr, database finished (committed, then out of WAL
 * mode: one file, as record's). SIGINT/SIGTERM/SIGHUP/SIGQUIT
 * end it the same way: passed on to PROGRAM (unless a terminal sent them
 * to the whole group), whose last events are read until it ends (killed
 * after STOP_GRACE_S, or at a second signal); exit 128+N. Errors (relay
 * daemon busy with another viewer, unreachable, a port of its taken by
 * another program, the session gone): one line, exit 1, nothing left
 * running; a --relayd-output that is no directory and cannot be made:
 * one line, exit 2, before anything starts. Exit status otherwise PROGRAM's (0 for --pid/--session).
 * Cost: the engine's; the loop wakes at least every 100 ms.
 */
#define _GNU_SOURCE
#include "args.h"
#include "commands.h"
#include "live.h"
#include "mono.h"
#include "live_dashboard.h"
#include "record_program.h"
#include "sessiond.h"

#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* After SIGINT/SIGTERM, how long PROGRAM may take to end (its last events
 * are still read) before it is killed. */
#define STOP_GRACE_S 5.0

typedef struct live_args {
    pid_t pid;            /* --pid */
    const char *session;  /* --session */
    const char *name;     /* --name */
    const char *record;   /* --record */
    int no_db;            /* --no-db: the dashboard without a temp database */
    const char *relayd_output; /* --relayd-output */
    int ports[3];         /* --relayd-ports C,D,L */
    double live_timer_ms, interval_s;
    uint64_t subbuf_size, num_subbuf; /* --subbuf-size, --num-subbuf */
    int json;             /* 0 text, 1 json, 2 dashboard; -1: by stdout */
    char **argv;
} live_args_t;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rt-trace live [options] -- PROGRAM [ARGS]\n"
            "       rt-trace live [options] --pid PID\n"
            "       rt-trace live [options] --session NAME\n"
            "\n"
            "Live figures of a running rtk program over LTTng live: rates, rolling\n"
            "1 s / 10 s / 60 s percentiles, drops, tracer loss, the runtime's own\n"
            "counters, the task running now, staleness. One snapshot per interval:\n"
            "NDJSON (one object per line; the default when stdout is not a\n"
            "terminal) or, on a terminal, the dashboard. Starts a session daemon\n"
            "and an lttng-relayd on 127.0.0.1 if none runs (and stops the relayd\n"
            "it started). Ends when PROGRAM exits, on SIGINT or SIGTERM, or when\n"
            "the session is destroyed: a final snapshot (\"final\": true) and one\n"
            "summary line on stderr. Exit status: PROGRAM's (0 with --pid or\n"
            "--session), 128+N after signal N, 1 on failure, 2 on bad usage.\n"
            "\n"
            "  --pid PID            trace this running process instead of PROGRAM\n"
            "  --session NAME       read the existing live session NAME (left as it is)\n"
            "  --live-timer MS      live timer of the session we create (default 100)\n"
            "  --subbuf-size BYTES  its sub-buffer size, a power of two (default: LTTng's)\n"
            "  --num-subbuf N       sub-buffers per ring buffer, a power of two\n"
            "  --interval S         snapshot interval in seconds (default 1)\n"
            "  --format F           dashboard (ncurses; the default on a terminal;\n"
            "                       keys: q quit, p pause, t/i/d views), json (NDJSON,\n"
            "                       the default otherwise) or text (a plain line per\n"
            "                       interval)\n"
            "  --record DB          also write DB (the ingest schema), committed every\n"
            "                       interval, complete at the end; must not exist.\n"
            "                       The interactions and lints need a database: the\n"
            "                       dashboard records to a temporary one (removed at\n"
            "                       the end) unless --record or --no-db; json and\n"
            "                       text only with --record (else \"db\": false)\n"
            "  --no-db              the dashboard without its temporary database\n"
            "                       (faster; no interactions or lints)\n"
            "  --name NAME          name of the session to create (default\n"
            "                       rtk-live-<pid>-<time>)\n"
            "  --relayd-ports C,D,L loopback ports of the relay daemon (control, data,\n"
            "                       live; default 5342,5343,5344)\n"
            "  --relayd-output DIR  where a relay daemon we start writes the trace\n"
            "                       (a directory, made if missing; kept; default a\n"
            "                       temp dir, removed at the end)\n"
            "  -h, --help           this help\n");
}

static int bad(const char *fmt, const char *a)
{
    fprintf(stderr, "rt-trace live: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (see rt-trace live --help)\n");
    return 2;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, live_args_t *o)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-')
            break;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(a, "--no-db") == 0) {
            o->no_db = 1;
            continue;
        }
        /* --opt VALUE or --opt=VALUE */
        static const char *const takes[] = {"pid", "session", "live-timer",
            "interval", "format", "record", "name", "relayd-ports",
            "relayd-output", "subbuf-size", "num-subbuf", NULL};
        const char *inl = NULL;
        int k = 0;
        while (takes[k] && !rtt_opt_long(a, takes[k], 1, &inl))
            k++;
        if (!takes[k])
            return bad("unknown option: %s", a);
        if (inl)
            val = inl;
        else if (!val)
            return bad("%s needs a value", a);
        else
            i++;
        double d;
        switch (k) {
        case 0:
            if (parse_num(val, 1, 4194304, &d) != 0 || d != (int)d)
                return bad("--pid wants a process id: %s", val);
            o->pid = (pid_t)d;
            break;
        case 1: o->session = val; break;
        case 2:
            if (parse_num(val, 1, 60000, &o->live_timer_ms) != 0)
                return bad("--live-timer wants milliseconds, 1 to 60000: %s", val);
            break;
        case 3:
            if (parse_num(val, 0.1, 60, &o->interval_s) != 0)
                return bad("--interval wants seconds, 0.1 to 60: %s", val);
            break;
        case 4:
            if (strcmp(val, "json") == 0)
                o->json = 1;
            else if (strcmp(val, "text") == 0)
                o->json = 0;
            else if (strcmp(val, "dashboard") == 0)
                o->json = 2;
            else
                return bad("--format is dashboard, json or text: %s", val);
            break;
        case 5: o->record = val; break;
        case 6: o->name = val; break;
        case 7: {
            int c, d2, l, n = 0;
            if (sscanf(val, "%d,%d,%d%n", &c, &d2, &l, &n) != 3 || val[n] || c < 1 ||
                c > 65535 || d2 < 1 || d2 > 65535 || l < 1 || l > 65535)
                return bad("--relayd-ports wants CONTROL,DATA,LIVE ports: %s", val);
            o->ports[0] = c, o->ports[1] = d2, o->ports[2] = l;
            break;
        }
        case 8: o->relayd_output = val; break;
        default: /* --subbuf-size, --num-subbuf: a power of two, k/M */
            if (rtt_parse_pow2_size(val, k == 9 ? &o->subbuf_size : &o->num_subbuf) != 0)
                return bad("--%s wants a power of two", takes[k]);
            break;
        }
    }
    if (i < argc)
        o->argv = argv + i;
    if (o->no_db && o->record)
        return bad("--no-db and --record %s exclude each other", o->record);
    int modes = (o->argv != NULL) + (o->pid != 0) + (o->session != NULL);
    if (modes != 1) {
        fprintf(stderr, "rt-trace live: give exactly one of -- PROGRAM, --pid PID, "
                        "--session NAME (see rt-trace live --help)\n");
        return 2;
    }
    return -1;
}

/* --- front-ends ------------------------------------------------------------ */

/* Set when stdout can no longer be written (the reader of a pipe went
 * away): the view ends as after a quit, so nothing is left running. */
static int out_closed;

static int out_poll(void *ctx)
{
    (void)ctx;
    return out_closed;
}

static void json_on_snapshot(const rtt_live_snapshot_t *s, void *ctx)
{
    (void)ctx;
    static char buf[RTT_LIVE_JSON_MAX];
    if (!out_closed && rtt_live_snapshot_json(s, buf, sizeof buf) >= 0 &&
        (fputs(buf, stdout) < 0 || fputc('\n', stdout) < 0 || fflush(stdout) != 0))
        out_closed = 1;
}

/* Where the snapshots go: json_on_snapshot, text_on_snapshot or the
 * ncurses dashboard (live_dashboard.c). */
typedef struct live_frontend {
    rtt_live_on_snapshot_fn on_snapshot; /* once per interval, and the final one */
    /* every loop turn (at most 100 ms apart), e.g. to read keys: non-zero
     * ends the view (as SIGINT would, but the exit status is PROGRAM's);
     * NULL: never */
    int (*poll)(void *ctx);
    void (*close)(void *ctx); /* at the end; NULL: nothing */
    void *ctx;
} live_frontend_t;

/* --format text: one plain line per interval, no escape codes. */
static void text_on_snapshot(const rtt_live_snapshot_t *s, void *ctx)
{
    (void)ctx;
    char buf[2048];
    if (!out_closed && rtt_live_snapshot_line(s, buf, sizeof buf) >= 0 &&
        (puts(buf) < 0 || fflush(stdout) != 0))
        out_closed = 1;
}

static int dash_poll(void *ctx) { return rtt_dash_poll(ctx) || out_closed; }
static void dash_close(void *ctx) { rtt_dash_close(ctx); }

/* Close the front-end once (the dashboard ends curses mode). */
static void frontend_end(live_frontend_t *fe)
{
    if (fe->close)
        fe->close(fe->ctx);
    fe->close = NULL;
}

/* --- helpers ------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* A database and the files SQLite keeps beside it (WAL mode). */
static void remove_db(const char *path)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    char p[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

/* One of SIGINT, SIGTERM, SIGHUP, SIGQUIT pending (held since
 * rtt_prog_signals_hold): its number, *from_tty set when a terminal sent
 * it to the whole foreground group; else 0. */
static int take_signal(int *from_tty)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGQUIT);
    siginfo_t si;
    struct timespec zero = {0, 0};
    int sig = sigtimedwait(&set, &si, &zero);
    if (sig <= 0)
        return 0;
    *from_tty = si.si_code == SI_KERNEL;
    return sig;
}

/* --relayd-output DIR, before anything is started: a directory we can
 * write in, or one we can make (its parent is such a directory). 0, or 2
 * after one line naming DIR (the relay daemon would exit at once). The
 * only check of DIR: the engine (relayd.c) just makes it when missing. */
static int check_relayd_output(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            fprintf(stderr, "rt-trace live: not a directory (--relayd-output): %s\n",
                    dir);
            return 2;
        }
        if (access(dir, W_OK | X_OK) != 0) {
            fprintf(stderr, "rt-trace live: cannot write in directory "
                            "(--relayd-output: %s): %s\n", strerror(errno), dir);
            return 2;
        }
        return 0;
    }
    int e = errno;
    if (e == ENOENT) { /* to be made: in a parent directory we can write */
        char parent[PATH_MAX];
        snprintf(parent, sizeof parent, "%s", dir);
        char *slash = strrchr(parent, '/');
        while (slash && slash > parent && slash[1] == '\0') { /* "a/b/" */
            *slash = '\0';
            slash = strrchr(parent, '/');
        }
        if (!slash)
            snprintf(parent, sizeof parent, ".");
        else
            slash[slash == parent] = '\0'; /* "/x": "/" */
        if (stat(parent, &st) != 0)
            e = errno;
        else if (!S_ISDIR(st.st_mode))
            e = ENOTDIR;
        else if (access(parent, W_OK | X_OK) != 0)
            e = errno;
        else
            return 0;
    }
    fprintf(stderr, "rt-trace live: cannot create directory (--relayd-output: %s): "
                    "%s\n", strerror(e), dir);
    return 2;
}

/* pid is a live process: it exists and is not a zombie (one whose
 * parent has not reaped it yet has ended too). */
static int process_alive(pid_t pid)
{
    if (kill(pid, 0) != 0 && errno == ESRCH)
        return 0;
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 1; /* no /proc: trust kill() */
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* after "pid (comm)" */
    return !(p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

int rtt_cmd_live(int argc, char **argv)
{
    live_args_t a = {.json = -1, .interval_s = 1, .live_timer_ms = 100};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (a.relayd_output && (rc = check_relayd_output(a.relayd_output)) != 0)
        return rc;
    if (a.json < 0)
        a.json = isatty(STDOUT_FILENO) ? 2 : 1;
    live_frontend_t fe = {.on_snapshot = a.json == 1 ? json_on_snapshot
                                                     : text_on_snapshot,
                          .poll = out_poll};
    /* a closed stdout is a write error (out_poll), not a SIGPIPE that
     * would end us with the session and the relay daemon still there */
    signal(SIGPIPE, SIG_IGN);

    if (rtt_ensure_sessiond() != 0) {
        fprintf(stderr, "rt-trace live: no LTTng session daemon and "
                        "`lttng-sessiond --daemonize` failed\n");
        return 1;
    }
    char name[200], outdir[PATH_MAX];
    if (a.name)
        snprintf(name, sizeof name, "%s", a.name);
    else
        snprintf(name, sizeof name, "rtk-live-%ld-%lld", (long)getpid(),
                 (long long)time(NULL));
    /* From here the four signals are held (taken in the loop below), so
     * that what is made in TMPDIR from here is removed on every path. */
    rtt_prog_signals_hold();
    const char *tmp = getenv("TMPDIR");
    tmp = tmp && *tmp ? tmp : "/tmp";
    char err[1600] = "", tmpdb[PATH_MAX] = "";
    int status = 1, ran = 0, have_child = 0, exited = 0, wstatus = 0, sig = 0;
    int remove_out = 0;
    rtt_program_t child;
    rtt_live_t *l = NULL;
    if (a.relayd_output) {
        snprintf(outdir, sizeof outdir, "%s", a.relayd_output);
    } else {
        snprintf(outdir, sizeof outdir, "%s/rt-trace-relayd-XXXXXX", tmp);
        if (!mkdtemp(outdir)) {
            snprintf(err, sizeof err, "cannot create a temp directory: %s: %.1400s",
                     strerror(errno), outdir);
            goto fail;
        }
        remove_out = 1;
    }
    const char *record = a.record;
    if (!record && !a.no_db && a.json == 2) {
        /* the dashboard's interactions and lints need a database: a
         * temporary one, removed at the end (done:) */
        snprintf(tmpdb, sizeof tmpdb, "%s/rt-trace-live-XXXXXX.db", tmp);
        int fd = mkstemps(tmpdb, 3);
        if (fd < 0) {
            snprintf(err, sizeof err, "cannot create a temporary database: %s: %.1400s",
                     strerror(errno), tmpdb);
            tmpdb[0] = '\0';
            goto fail;
        }
        close(fd);
        record = tmpdb;
    }
    rtt_live_opts_t lo = {.attach = a.session, .name = name,
                          .control_port = a.ports[0], .data_port = a.ports[1],
                          .live_port = a.ports[2],
                          .live_timer_us = (uint64_t)(a.live_timer_ms * 1000),
                          .subbuf_size = a.subbuf_size, .num_subbuf = a.num_subbuf,
                          .interval_s = a.interval_s, .record_path = record,
                          .relayd_output = outdir};
    l = rtt_live_create(&lo, err, sizeof err);
    if (!l)
        goto fail;
    if (!rtt_live_relayd_started(l) && remove_out) {
        rmdir(outdir); /* a running relay daemon writes elsewhere */
        remove_out = 0;
    }
    if (a.argv) {
        if (rtt_prog_spawn(a.argv, &child) != 0) {
            snprintf(err, sizeof err, "cannot fork: %s", strerror(errno));
            goto fail;
        }
        have_child = 1;
        if (rtt_live_track(l, child.pid, err, sizeof err) != 0)
            goto fail;
    } else if (a.pid) {
        if (!process_alive(a.pid)) {
            snprintf(err, sizeof err, "no such process: %ld", (long)a.pid);
            goto fail;
        }
        if (rtt_live_track(l, a.pid, err, sizeof err) != 0)
            goto fail;
    }
    if (rtt_live_start(l, err, sizeof err) != 0)
        goto fail;
    if (have_child) {
        /* release the program: exec, or errno of a failed exec */
        (void)!write(child.go_fd, "g", 1);
        close(child.go_fd);
        int e = 0;
        ssize_t n;
        while ((n = read(child.err_fd, &e, sizeof e)) < 0 && errno == EINTR)
            ;
        close(child.err_fd);
        if (n == (ssize_t)sizeof e) {
            waitpid(child.pid, NULL, 0);
            have_child = 0;
            snprintf(err, sizeof err, "cannot run program: %s: %s", strerror(e),
                     a.argv[0]);
            status = 127;
            goto fail_status;
        }
        ran = 1;
    }

    if (a.json == 2) {
        /* errors up to here were plain lines; from here the terminal is the
         * dashboard's until frontend_end() gives it back */
        rtt_dash_t *d = rtt_dash_open(stdout, stdin, NULL, 0, 0, err, sizeof err);
        if (!d)
            goto fail;
        fe = (live_frontend_t){.on_snapshot = rtt_dash_on_snapshot, .poll = dash_poll,
                               .close = dash_close, .ctx = d};
    }

    rtt_live_snapshot_t snap;
    double next = rtt_mono_s() + a.interval_s, stop_by = 0;
    int quit = 0; /* the front-end asked to end */
    for (;;) {
        double left = next - rtt_mono_s();
        int s = rtt_live_step(l, left < 0.1 ? (left > 0 ? left : 0) : 0.1, err,
                              sizeof err);
        if (s < 0)
            goto fail;
        int from_tty = 0, got = take_signal(&from_tty);
        if (!got && !sig && fe.poll && fe.poll(fe.ctx)) {
            got = SIGINT; /* the front-end's quit: end as after SIGINT */
            quit = 1;
        }
        if (got && (!have_child || sig)) { /* no program to wait for, or a second signal */
            sig = got;
            break;
        }
        if (got) {
            /* PROGRAM gets it too (a terminal already sent it to the whole
             * group); its last events are read until it ends, for up to
             * STOP_GRACE_S */
            sig = got;
            if (!from_tty)
                kill(child.pid, sig);
            stop_by = rtt_mono_s() + STOP_GRACE_S;
        }
        if (have_child && waitpid(child.pid, &wstatus, WNOHANG) == child.pid) {
            have_child = 0;
            exited = 1;
            break;
        }
        if (sig && rtt_mono_s() >= stop_by)
            break; /* it did not end: killed below */
        if (a.pid && !process_alive(a.pid)) {
            exited = 1;
            break;
        }
        if (s == 1) {
            if (a.session) /* its owner destroyed it: the end */
                break;
            snprintf(err, sizeof err, "the live session disappeared (destroyed by "
                                      "someone else?): %s",
                     rtt_live_session_name(l));
            goto fail;
        }
        if (rtt_mono_s() >= next) {
            if (rtt_live_snapshot(l, &snap, err, sizeof err) != 0)
                goto fail;
            snap.pid = a.pid ? a.pid : ran ? child.pid : 0;
            snap.running.pid = snap.running.present ? snap.pid : 0;
            fe.on_snapshot(&snap, fe.ctx);
            next += a.interval_s;
            if (next < rtt_mono_s())
                next = rtt_mono_s() + a.interval_s;
        }
    }
    /* the end: stop, read what is left, final snapshot, database done */
    if (rtt_live_finish(l, 10.0, err, sizeof err) != 0)
        goto fail;
    if (rtt_live_snapshot(l, &snap, err, sizeof err) != 0)
        goto fail;
    snap.pid = a.pid ? a.pid : ran ? child.pid : 0;
    snap.running.pid = snap.running.present ? snap.pid : 0;
    snap.final = 1;
    snap.exited = exited;
    snap.exit_status = exited && ran ? (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
                                                            : 128 + WTERMSIG(wstatus))
                                     : -1;
    fe.on_snapshot(&snap, fe.ctx);
    if (fe.close == dash_close) { /* the terminal back, the final report on it */
        frontend_end(&fe);
        text_on_snapshot(&snap, NULL);
    }
    /* a --record database that another process kept in WAL mode: said
     * on the summary line (it is complete; not a failure) */
    const char *db_note = a.record ? rtt_live_db_note(l) : NULL;
    if (sig && quit)
        status = exited && ran ? snap.exit_status : 0;
    else if (sig)
        status = 128 + sig;
    else if (exited && ran)
        status = snap.exit_status;
    else
        status = 0;
    fprintf(stderr,
            "rt-trace live: %s after %.1f s: %" PRId64 " tasks, %" PRId64
            " dispatches, %" PRId64 " commands, %" PRId64 " timer fires, %" PRId64
            " renders, %" PRId64 " events; discarded %" PRId64 "%s%s%s%s%s%s%s%s\n",
            quit ? (out_closed ? "stdout closed" : "quit") : sig ? rtt_signal_name(sig)
                : exited ? (ran ? "program exited" : "process exited") : "session ended",
            snap.elapsed_s, snap.total.tasks, snap.total.events, snap.total.commands,
            snap.total.timer_fires, snap.total.renders, snap.total.trace_events,
            snap.discarded_events, a.record ? "; database complete: " : "",
            a.record ? a.record : "", db_note ? " (" : "", db_note ? db_note : "",
            db_note ? ")" : "",
            snap.total.trace_events == 0 && ran ? "; no rtk events: " : "",
            snap.total.trace_events == 0 && ran ? a.argv[0] : "",
            snap.total.trace_events == 0 && ran
                ? (rtt_live_traces_seen(l) ? " registered the rtk tracepoints but emitted none"
                                           : " loaded no rtk tracepoints (link rtk::tp or librtk)")
                : "");
    goto done;

fail:
    status = 1;
fail_status:
    frontend_end(&fe); /* a dashboard gives the terminal back first */
    fprintf(stderr, "rt-trace live: %s\n", err);
done:
    if (have_child) {
        if (!ran)
            rtt_prog_abort(&child);
        else {
            /* failing, or it outlived the grace after a signal: nothing
             * we started is left running */
            kill(child.pid, sig ? SIGKILL : SIGTERM);
            while (waitpid(child.pid, NULL, 0) < 0 && errno == EINTR)
                ;
        }
    }
    frontend_end(&fe);
    rtt_live_destroy(l);
    if (remove_out)
        nftw(outdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (tmpdb[0])
        remove_db(tmpdb);
    rtt_prog_signals_restore();
    return status;
}
