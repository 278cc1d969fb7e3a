/* cmd_live.c - `rt-trace live [options] -- PROGRAM [ARGS]`, `--pid PID`,
 * `--session NAME`: live figures of a running rtk program over LTTng live
 * (the engine: tools/analysis/live/). One snapshot per --interval goes to
 * the front-end hook (on_snapshot): NDJSON lines (--format json, the
 * default when stdout is not a terminal), on a terminal the ncurses
 * dashboard (live_dashboard.c; q ends the view as a stop does, a PROGRAM
 * live started is sent SIGTERM), or --format text, one plain line per
 * interval.
 *
 * Steps: session daemon (started if none), relay daemon on loopback
 * (started if none, stopped at the end), live session rtk-live-<pid>-<time>
 * with the rtk channel; PROGRAM forked held before exec
 * (record_program.c), the session restricted to its pid, started, the
 * viewer attached, then PROGRAM released. Ends when PROGRAM exits (or the
 * --pid process, or the --session is destroyed by its owner): stop and
 * destroy the session, read the stream to its end, final snapshot and one
 * summary line on stderr, database finished. SIGINT/SIGTERM/SIGHUP/SIGQUIT
 * end it the same way (passed on to PROGRAM unless a terminal sent them
 * to the whole group); exit 128+N. Errors (relay daemon busy with another
 * viewer, unreachable, the session gone): one line, exit 1, nothing left
 * running. Exit status otherwise PROGRAM's (0 for --pid/--session).
 * Cost: the engine's; the loop wakes at least every 100 ms.
 */
#define _GNU_SOURCE
#include "commands.h"
#include "live.h"
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

typedef struct live_args {
    pid_t pid;            /* --pid */
    const char *session;  /* --session */
    const char *name;     /* --name */
    const char *record;   /* --record */
    const char *relayd_output; /* --relayd-output */
    int ports[3];         /* --relayd-ports C,D,L */
    double live_timer_ms, interval_s;
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
            "terminal) or, on a terminal, a plain line. Starts a session daemon\n"
            "and an lttng-relayd on 127.0.0.1 if none runs (and stops the relayd\n"
            "it started). Ends when PROGRAM exits, on SIGINT or SIGTERM, or when\n"
            "the session is destroyed: a final snapshot (\"final\": true) and one\n"
            "summary line on stderr. Exit status: PROGRAM's (0 with --pid or\n"
            "--session), 128+N after signal N, 1 on failure, 2 on bad usage.\n"
            "\n"
            "  --pid PID            trace this running process instead of PROGRAM\n"
            "  --session NAME       read the existing live session NAME (left as it is)\n"
            "  --live-timer MS      live timer of the session we create (default 100)\n"
            "  --interval S         snapshot interval in seconds (default 1)\n"
            "  --format F           dashboard (the ncurses screen; the default on a\n"
            "                       terminal; keys: q quit, p pause, t/i/d views),\n"
            "                       json (NDJSON, the default otherwise) or text\n"
            "                       (one plain line per interval)\n"
            "  --record DB          also write DB (the ingest schema), committed every\n"
            "                       interval, complete at the end; must not exist\n"
            "  --name NAME          name of the session to create (default\n"
            "                       rtk-live-<pid>-<time>)\n"
            "  --relayd-ports C,D,L loopback ports of the relay daemon (control, data,\n"
            "                       live; default 5342,5343,5344)\n"
            "  --relayd-output DIR  where a relay daemon we start writes the trace\n"
            "                       (kept; default a temp dir, removed at the end)\n"
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
        static const char *const takes[] = {"--pid", "--session", "--live-timer",
            "--interval", "--format", "--record", "--name", "--relayd-ports",
            "--relayd-output", NULL};
        int k = 0;
        while (takes[k] && strcmp(takes[k], a) != 0)
            k++;
        if (!takes[k])
            return bad("unknown option: %s", a);
        if (!val)
            return bad("%s needs a value", a);
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
        default: o->relayd_output = val; break;
        }
    }
    if (i < argc)
        o->argv = argv + i;
    int modes = (o->argv != NULL) + (o->pid != 0) + (o->session != NULL);
    if (modes != 1) {
        fprintf(stderr, "rt-trace live: give exactly one of -- PROGRAM, --pid PID, "
                        "--session NAME (see rt-trace live --help)\n");
        return 2;
    }
    return -1;
}

/* --- front-ends ------------------------------------------------------------ */

static void json_on_snapshot(const rtt_live_snapshot_t *s, void *ctx)
{
    (void)ctx;
    static char buf[RTT_LIVE_JSON_MAX];
    if (rtt_live_snapshot_json(s, buf, sizeof buf) >= 0) {
        fputs(buf, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
}

/* --format text: one plain line per interval. */
static void text_on_snapshot(const rtt_live_snapshot_t *s, void *ctx)
{
    (void)ctx;
    char buf[2048];
    if (rtt_live_snapshot_line(s, buf, sizeof buf) >= 0) {
        puts(buf);
        fflush(stdout);
    }
}

/* --- helpers ------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
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

int rtt_cmd_live(int argc, char **argv)
{
    live_args_t a = {.json = -1, .interval_s = 1, .live_timer_ms = 100};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (a.json < 0)
        a.json = isatty(STDOUT_FILENO) ? 2 : 1;
    rtt_live_on_snapshot_fn on_snapshot = a.json == 1 ? json_on_snapshot
                                          : a.json == 2 ? rtt_dash_on_snapshot
                                                        : text_on_snapshot;
    rtt_dash_t *dash = NULL; /* the dashboard, open while the stream is read */
    void *hook_ctx = NULL;
    int quit = 0;

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
    int remove_out = 0;
    if (a.relayd_output) {
        snprintf(outdir, sizeof outdir, "%s", a.relayd_output);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(outdir, sizeof outdir, "%s/rt-trace-relayd-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(outdir)) {
            fprintf(stderr, "rt-trace live: cannot create a temp directory: %s: %s\n",
                    strerror(errno), outdir);
            return 1;
        }
        remove_out = 1;
    }

    /* From here the four signals are held: taken in the loop below. */
    rtt_prog_signals_hold();
    char err[1600] = "";
    int status = 1, ran = 0, have_child = 0, exited = 0, wstatus = 0, sig = 0;
    rtt_program_t child;
    rtt_live_opts_t lo = {.attach = a.session, .name = name,
                          .control_port = a.ports[0], .data_port = a.ports[1],
                          .live_port = a.ports[2],
                          .live_timer_us = (uint64_t)(a.live_timer_ms * 1000),
                          .interval_s = a.interval_s, .record_path = a.record,
                          .relayd_output = outdir};
    rtt_live_t *l = rtt_live_create(&lo, err, sizeof err);
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
        if (kill(a.pid, 0) != 0 && errno == ESRCH) {
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
        /* errors up to here were plain lines; from here until the end the
         * terminal is the dashboard's (closed before any line is printed) */
        dash = rtt_dash_open(stdout, stdin, NULL, 0, 0, err, sizeof err);
        if (!dash)
            goto fail;
        hook_ctx = dash;
    }

    rtt_live_snapshot_t snap;
    double next = mono_s() + a.interval_s;
    int ended = 0;
    for (;;) {
        double left = next - mono_s();
        int s = rtt_live_step(l, left < 0.1 ? (left > 0 ? left : 0) : 0.1, err,
                              sizeof err);
        if (s < 0)
            goto fail;
        if (dash && rtt_dash_poll(dash)) { /* q: end as a stop does */
            quit = 1;
            break;
        }
        int from_tty = 0;
        if ((sig = take_signal(&from_tty)) != 0) {
            if (have_child && !from_tty)
                kill(child.pid, sig);
            break;
        }
        if (have_child && waitpid(child.pid, &wstatus, WNOHANG) == child.pid) {
            have_child = 0;
            exited = 1;
            break;
        }
        if (a.pid && kill(a.pid, 0) != 0 && errno == ESRCH) {
            exited = 1;
            break;
        }
        if (s == 1) {
            if (a.session) { /* its owner destroyed it: the end */
                ended = 1;
                break;
            }
            snprintf(err, sizeof err, "the live session disappeared (destroyed by "
                                      "someone else?): %s",
                     rtt_live_session_name(l));
            goto fail;
        }
        if (mono_s() >= next) {
            if (rtt_live_snapshot(l, &snap, err, sizeof err) != 0)
                goto fail;
            snap.pid = a.pid ? a.pid : ran ? child.pid : 0;
            on_snapshot(&snap, hook_ctx);
            next += a.interval_s;
            if (next < mono_s())
                next = mono_s() + a.interval_s;
        }
    }
    (void)ended;

    /* the end: stop, read what is left, final snapshot, database done */
    if (rtt_live_finish(l, 10.0, err, sizeof err) != 0)
        goto fail;
    if (rtt_live_snapshot(l, &snap, err, sizeof err) != 0)
        goto fail;
    snap.pid = a.pid ? a.pid : ran ? child.pid : 0;
    snap.final = 1;
    snap.exited = exited;
    snap.exit_status = exited && ran ? (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
                                                            : 128 + WTERMSIG(wstatus))
                                     : -1;
    on_snapshot(&snap, hook_ctx);
    if (dash) { /* the terminal back; the final report as plain lines */
        rtt_dash_close(dash);
        dash = NULL;
        char line[2048];
        if (rtt_live_snapshot_line(&snap, line, sizeof line) >= 0)
            printf("%s\n", line);
        fflush(stdout);
    }
    if (sig)
        status = 128 + sig;
    else if (exited && ran)
        status = snap.exit_status;
    else
        status = 0;
    fprintf(stderr,
            "rt-trace live: %s after %.1f s: %" PRId64 " tasks, %" PRId64
            " dispatches, %" PRId64 " commands, %" PRId64 " timer fires, %" PRId64
            " renders, %" PRId64 " events; discarded %" PRId64 "%s%s\n",
            sig ? rtt_signal_name(sig)
                : quit ? "quit (q)"
                : exited ? (ran ? "program exited" : "process exited") : "session ended",
            snap.elapsed_s, snap.total.tasks, snap.total.events, snap.total.commands,
            snap.total.timer_fires, snap.total.renders, snap.total.trace_events,
            snap.discarded_events, a.record ? "; database complete: " : "",
            a.record ? a.record : "");
    goto done;

fail:
    status = 1;
fail_status:
    rtt_dash_close(dash); /* the terminal back before the error line */
    dash = NULL;
    fprintf(stderr, "rt-trace live: %s\n", err);
done:
    if (have_child) {
        if (!ran)
            rtt_prog_abort(&child);
        else {
            /* we are failing or interrupted: the program was told (or is
             * told now) and reaped, so nothing we started is left */
            if (!sig)
                kill(child.pid, SIGTERM);
            while (waitpid(child.pid, NULL, 0) < 0 && errno == EINTR)
                ;
        }
    }
    rtt_live_destroy(l);
    if (remove_out)
        nftw(outdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    rtt_prog_signals_restore();
    return status;
}
