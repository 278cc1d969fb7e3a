/* isolate.c - the child process of an ingest and its watchdog (see
 * isolate.h).
 *
 * Protocol: the child writes fixed-size records (rec_t, <= PIPE_BUF, so
 * each write is atomic) to a pipe: WHERE (what it reads now), PROGRESS
 * (counters and where), STAGE, and last RESULT or ERROR. Where comes from
 * decode/watch.c as a pointer to a string that lives as long as the
 * graph; the child keeps the pointer (no copy per change) and sends it
 * when a trace is opened, at most 4 times a second otherwise, with every
 * progress report, and from its handler of SIGABRT, SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL and SIGUSR1 (write(2) of a prepared record, then the
 * signal's default action), so the last record before a death names the
 * place exactly.
 *
 * The parent waits in ppoll() with SIGINT/SIGTERM unblocked only there
 * (no lost wake-up): any record is progress; no record for timeout_s while
 * the child decodes is a hang: the parent sends SIGUSR1 (the child reports
 * where it is and dies), and SIGKILL 1 s later if it is still there. The
 * caller's flag (its SIGINT/SIGTERM handler) makes the parent SIGKILL the
 * child at once. The child ignores SIGINT and SIGTERM (a terminal's ^C
 * reaches the whole process group: the parent decides) and dies with the
 * parent (PR_SET_PDEATHSIG), so a kill -9 of the parent leaves no child
 * writing on. The parent always reaps the child before it returns.
 */
#define _GNU_SOURCE /* ppoll, pipe2 */
#include "isolate.h"
#include "mono.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { REC_WHERE = 1, REC_PROGRESS, REC_STAGE, REC_RESULT, REC_ERROR };

typedef struct rec {
    uint32_t type, stage;
    uint64_t events, other_events, done_packets, total_packets, total_bytes;
    double elapsed_s;
    uint32_t final, pad;
    unsigned char result[RTT_ISO_RESULT_MAX];
    char text[1500];
} rec_t;

_Static_assert(sizeof(rec_t) <= PIPE_BUF, "one record per atomic pipe write");

#define SEND_INTERVAL 0.25 /* s between where records that are not urgent */
#define REPORT_GRACE 1.0   /* s the child has to report after SIGUSR1 */

/* LeakSanitizer's check, when linked in (asan builds): the child ends with
 * _exit(2), which skips the check that exit(3) would run. */
extern void __lsan_do_leak_check(void) __attribute__((weak));

/* --- the child ----------------------------------------------------------- */

static int child_fd = -1;
static const char *volatile child_where;
static volatile sig_atomic_t child_stage;
static double child_last_send;

/* Async-signal-safe strlcpy. */
static void copy_text(char *dst, size_t n, const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < n; i++)
        dst[i] = src[i];
    dst[i] = '\0';
}

/* Async-signal-safe. */
static void child_write(rec_t *r)
{
    r->stage = (uint32_t)child_stage;
    while (write(child_fd, r, sizeof *r) < 0 && errno == EINTR)
        ;
}

static void child_send(rec_t *r)
{
    child_write(r);
    child_last_send = rtt_mono_s();
}

static void on_fatal(int sig)
{
    int saved = errno;
    rec_t r;
    memset(&r, 0, sizeof r);
    r.type = REC_WHERE;
    copy_text(r.text, sizeof r.text, child_where);
    child_write(&r);
    errno = saved;
    raise(sig); /* SA_RESETHAND: the default action, now */
}

static void child_setup(int fd, pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) /* the parent died before the prctl */
        _exit(1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    static const int fatal[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGUSR1};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    child_fd = fd;
    child_stage = RTT_ISO_PREPARING;
    child_where = NULL;
}

void rtt_iso_where(void *ctx, const char *where, int opening)
{
    (void)ctx;
    child_where = where;
    if (child_fd < 0)
        return;
    if (!opening && rtt_mono_s() - child_last_send < SEND_INTERVAL)
        return;
    rec_t r;
    memset(&r, 0, sizeof r);
    r.type = REC_WHERE;
    copy_text(r.text, sizeof r.text, where);
    child_send(&r);
}

void rtt_iso_progress(void *ctx, const rtt_ingest_progress_t *p)
{
    (void)ctx;
    if (child_fd < 0)
        return;
    rec_t r;
    memset(&r, 0, sizeof r);
    r.type = REC_PROGRESS;
    r.events = p->events;
    r.other_events = p->other_events;
    r.done_packets = p->done_packets;
    r.total_packets = p->total_packets;
    r.total_bytes = p->total_bytes;
    r.elapsed_s = p->elapsed_s;
    r.final = (uint32_t)p->final;
    copy_text(r.text, sizeof r.text, child_where);
    child_send(&r);
}

void rtt_iso_stage(enum rtt_iso_stage s)
{
    child_where = NULL;
    child_stage = s;
    if (child_fd < 0)
        return;
    rec_t r;
    memset(&r, 0, sizeof r);
    r.type = REC_STAGE;
    child_send(&r);
}

static _Noreturn void child_main(int fd, pid_t parent, rtt_iso_body_fn body,
                                 void *ctx)
{
    child_setup(fd, parent);
    rec_t *r = calloc(1, sizeof *r);
    if (!r)
        _exit(1);
    int rc = body(ctx, r->result, r->text, sizeof r->text);
    r->type = rc == 0 ? REC_RESULT : REC_ERROR;
    child_send(r);
    free(r);
    if (__lsan_do_leak_check)
        __lsan_do_leak_check();
    _exit(rc == 0 ? 0 : 1);
}

/* --- the parent ---------------------------------------------------------- */

static const char *sig_name(int sig, char *buf, size_t len)
{
    static const struct { int sig; const char *name; } names[] = {
        {SIGABRT, "SIGABRT"}, {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},
        {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},   {SIGKILL, "SIGKILL"},
        {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},   {SIGUSR1, "SIGUSR1"},
        {SIGHUP, "SIGHUP"},   {SIGPIPE, "SIGPIPE"}, {SIGQUIT, "SIGQUIT"},
        {SIGSYS, "SIGSYS"},   {SIGTRAP, "SIGTRAP"}, {SIGXCPU, "SIGXCPU"},
        {SIGXFSZ, "SIGXFSZ"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            return names[i].name;
    snprintf(buf, len, "signal %d", sig);
    return buf;
}

typedef struct watch_state {
    rec_t rec;   /* being read */
    size_t fill; /* bytes of rec read */
    int stage;
    char where[sizeof ((rec_t *)0)->text];
    int got_result, got_error;
    unsigned char result[RTT_ISO_RESULT_MAX];
    char error[sizeof ((rec_t *)0)->text];
} watch_state_t;

static void on_record(watch_state_t *s, const rtt_iso_opts_t *o)
{
    const rec_t *r = &s->rec;
    s->stage = (int)r->stage;
    switch (r->type) {
    case REC_WHERE:
    case REC_PROGRESS:
        if (r->text[0])
            copy_text(s->where, sizeof s->where, r->text);
        if (r->type == REC_PROGRESS && o->progress) {
            rtt_ingest_progress_t p = {
                .events = r->events, .other_events = r->other_events,
                .done_packets = r->done_packets,
                .total_packets = r->total_packets,
                .total_bytes = r->total_bytes, .elapsed_s = r->elapsed_s,
                .fd = STDERR_FILENO, .final = (int)r->final};
            o->progress(o->progress_ctx, &p);
        }
        break;
    case REC_STAGE:
        s->where[0] = '\0';
        break;
    case REC_RESULT:
        memcpy(s->result, r->result, sizeof s->result);
        s->got_result = 1;
        break;
    case REC_ERROR:
        copy_text(s->error, sizeof s->error, r->text);
        s->got_error = 1;
        break;
    default:
        break;
    }
}

static int decoding(int stage)
{
    return stage == RTT_ISO_DECODING || stage == RTT_ISO_READING;
}

static const char *decoder_name(int stage)
{
    return stage == RTT_ISO_READING ? "the rtk CTF reader" : "babeltrace2";
}

/* One line for a child that ended without a result. */
static void explain(const watch_state_t *s, int status, int hung,
                    double timeout, int interrupted, char *err, size_t errlen)
{
    char b1[32], b2[32];
    char at[sizeof s->where + 40];
    if (s->where[0])
        snprintf(at, sizeof at, "while reading %s", s->where);
    else if (decoding(s->stage))
        snprintf(at, sizeof at, "before reading any trace");
    else
        snprintf(at, sizeof at, "while %s the database",
                 s->stage == RTT_ISO_WRITING ? "writing" : "opening");
    if (interrupted) {
        snprintf(err, errlen, "interrupted by %s %s",
                 sig_name(interrupted, b1, sizeof b1), at);
    } else if (hung) {
        snprintf(err, errlen, "%s hung (no progress for %g s) %s",
                 decoder_name(s->stage), timeout, at);
    } else if (WIFEXITED(status) && s->got_error) {
        snprintf(err, errlen, "%s", s->error);
    } else if (WIFEXITED(status)) {
        snprintf(err, errlen, "the ingest process exited with status %d %s",
                 WEXITSTATUS(status), at);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char *name = sig_name(sig, b2, sizeof b2);
        if (!decoding(s->stage))
            snprintf(err, errlen, "the ingest process was killed by %s %s",
                     name, at);
        else if (sig == SIGABRT)
            snprintf(err, errlen, "%s aborted %s", decoder_name(s->stage), at);
        else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
                 sig == SIGILL)
            snprintf(err, errlen, "%s crashed (%s) %s", decoder_name(s->stage),
                     name, at);
        else
            snprintf(err, errlen, "the ingest process was killed by %s %s",
                     name, at);
    } else {
        snprintf(err, errlen, "the ingest process ended oddly %s", at);
    }
}

int rtt_iso_run(const rtt_iso_opts_t *o, rtt_iso_body_fn body, void *ctx,
                void *result, size_t result_size, char *err, size_t errlen)
{
    double timeout = o->timeout_s > 0 ? o->timeout_s : RTT_ISO_DEFAULT_TIMEOUT;
    int pfd[2];
    if (result_size > RTT_ISO_RESULT_MAX) {
        snprintf(err, errlen, "internal error: result too large");
        return -1;
    }
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL); /* nothing buffered gets written twice */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start the ingest process: %s",
                 strerror(errno));
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        close(pfd[0]);
        child_main(pfd[1], parent, body, ctx);
    }
    close(pfd[1]);

    watch_state_t *s = calloc(1, sizeof *s);
    if (!s) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        close(pfd[0]);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->stage = RTT_ISO_PREPARING;
    int hung = 0, killed = 0, interrupted = 0;
    double deadline = rtt_mono_s() + timeout, kill_at = 0;
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    for (;;) {
        sigprocmask(SIG_BLOCK, &block, &old);
        if (*o->interrupted && !interrupted) {
            interrupted = (int)*o->interrupted;
            kill(pid, SIGKILL);
            killed = 1;
        }
        double t = rtt_mono_s(), wait = -1;
        if (!killed && hung)
            wait = kill_at - t;
        else if (!killed && decoding(s->stage))
            wait = deadline - t;
        if (wait != -1 && wait <= 0) {
            sigprocmask(SIG_SETMASK, &old, NULL);
            if (!hung) { /* ask it where it is, then end it */
                hung = 1;
                kill(pid, SIGUSR1);
                kill_at = t + REPORT_GRACE;
            } else {
                kill(pid, SIGKILL);
                killed = 1;
            }
            continue;
        }
        struct timespec ts, *tsp = NULL;
        if (wait > 0) {
            ts.tv_sec = (time_t)wait;
            ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
            tsp = &ts;
        }
        struct pollfd p = {.fd = pfd[0], .events = POLLIN};
        int n = ppoll(&p, 1, tsp, &old);
        int perr = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (n < 0 && perr != EINTR) {
            kill(pid, SIGKILL);
            killed = 1;
        }
        if (n <= 0)
            continue;
        ssize_t r = read(pfd[0], (char *)&s->rec + s->fill, sizeof s->rec - s->fill);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r <= 0)
            break; /* end of file: the child is gone */
        s->fill += (size_t)r;
        if (s->fill < sizeof s->rec)
            continue;
        s->fill = 0;
        if (!hung)
            deadline = rtt_mono_s() + timeout;
        on_record(s, o);
    }
    close(pfd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc = -1;
    /* A result sent before a signal's kill counts: the work is done (an
     * existing database is committed); the caller sees the flag. */
    if (!hung && s->got_result &&
        (interrupted || (WIFEXITED(status) && WEXITSTATUS(status) == 0))) {
        memcpy(result, s->result, result_size);
        rc = 0;
    } else {
        explain(s, status, hung, timeout, interrupted, err, errlen);
    }
    free(s);
    return rc;
}
