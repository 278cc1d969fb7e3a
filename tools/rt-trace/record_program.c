/* record_program.c - the program under `rt-trace record`: held before exec,
 * released, waited for, and sent the signals meant to end the recording
 * (record_program.h).
 *
 * Why forward: rt-trace must outlive its program to stop the session,
 * destroy it and ingest the trace. So SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * do not end rt-trace while the program runs: they are passed on to it and
 * rt-trace goes on waiting, then finishes its work. Which are passed on:
 *   - si_code SI_KERNEL (the terminal's Ctrl-C or Ctrl-\ to the foreground
 *     process group): no, the program is in the same group and got it;
 *   - sent by the program itself: no (it would get back what it sent);
 *   - anything else (kill(1), a supervisor's SIGTERM, a hang-up): yes, to
 *     the program's pid only (not to its children; its group is ours).
 * A signal sent with kill(2) to the whole process group therefore reaches
 * the program twice, directly and forwarded.
 *
 * No signal handler runs while the program does: the four and SIGCHLD are
 * blocked and taken synchronously with sigwaitinfo(), which tells who sent
 * each (a handler deferred by a sanitizer runtime, as ThreadSanitizer
 * defers them during a blocking wait, would never forward). The program is
 * reaped only after the loop has seen it end (waitid WNOWAIT), so a
 * forwarded signal can never reach another process that reused its pid.
 */
#define _GNU_SOURCE /* sigabbrev_np */
#include "record_program.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const int held_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};
#define NHELD (sizeof held_sigs / sizeof held_sigs[0])

static struct sigaction saved_act[NHELD];
static sigset_t saved_mask, four_set, wait_set; /* wait_set: + SIGCHLD */
/* Once let in (rtt_prog_signals_open), SIGHUP and SIGQUIT: the ingest
 * finishes (SIGINT and SIGTERM have the ingest's own handler then). */
static void on_open(int sig)
{
    (void)sig;
}

void rtt_prog_signals_hold(void)
{
    sigemptyset(&wait_set);
    for (size_t i = 0; i < NHELD; i++)
        sigaddset(&wait_set, held_sigs[i]);
    four_set = wait_set;
    sigdelset(&four_set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &wait_set, &saved_mask);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_open;
    sa.sa_flags = SA_RESTART;
    sa.sa_mask = four_set;
    for (size_t i = 0; i < NHELD; i++) {
        /* SIGCHLD at its default, so that the program is not reaped
         * behind our back (SIG_IGN would) */
        struct sigaction dfl = {.sa_handler = SIG_DFL};
        sigaction(held_sigs[i], held_sigs[i] == SIGCHLD ? &dfl : &sa,
                  &saved_act[i]);
    }
}

void rtt_prog_signals_open(void)
{
    sigprocmask(SIG_UNBLOCK, &four_set, NULL);
}

static void restore_dispositions(void)
{
    for (size_t i = 0; i < NHELD; i++)
        sigaction(held_sigs[i], &saved_act[i], NULL);
}

void rtt_prog_signals_restore(void)
{
    sigprocmask(SIG_BLOCK, &wait_set, NULL);
    while (rtt_prog_signal_pending())
        ;
    restore_dispositions();
    sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

int rtt_prog_signal_pending(void)
{
    struct timespec zero = {0, 0};
    int sig = sigtimedwait(&four_set, NULL, &zero);
    return sig > 0 ? sig : 0;
}

int rtt_prog_spawn(char *const *argv, rtt_program_t *c)
{
    int go[2], er[2];
    if (pipe2(go, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(er, O_CLOEXEC) != 0) {
        close(go[0]);
        close(go[1]);
        return -1;
    }
    pid_t p = fork();
    if (p < 0) {
        int e = errno;
        close(go[0]), close(go[1]), close(er[0]), close(er[1]);
        errno = e;
        return -1;
    }
    if (p == 0) {
        char b;
        close(go[1]);
        close(er[0]);
        /* the program gets the dispositions rt-trace was started with
         * (an ignored SIGINT stays ignored) */
        restore_dispositions();
        if (read(go[0], &b, 1) != 1)
            _exit(127); /* rt-trace gave up */
        sigprocmask(SIG_SETMASK, &saved_mask, NULL);
        execvp(argv[0], argv);
        int e = errno;
        (void)!write(er[1], &e, sizeof e);
        _exit(127);
    }
    close(go[0]);
    close(er[1]);
    c->pid = p;
    c->go_fd = go[1];
    c->err_fd = er[0];
    return 0;
}

static void reap(pid_t pid, int *st)
{
    while (waitpid(pid, st, 0) < 0 && errno == EINTR)
        ;
}

void rtt_prog_abort(rtt_program_t *c)
{
    close(c->go_fd);
    close(c->err_fd);
    reap(c->pid, NULL);
}

int rtt_prog_run(rtt_program_t *c, int *wstatus)
{
    (void)!write(c->go_fd, "g", 1);
    close(c->go_fd);
    int e = 0;
    ssize_t n;
    while ((n = read(c->err_fd, &e, sizeof e)) < 0 && errno == EINTR)
        ;
    close(c->err_fd);
    for (;;) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        int w = waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT);
        if ((w == 0 && si.si_pid == c->pid) || (w < 0 && errno != EINTR))
            break; /* ended (not reaped yet), or cannot be waited for */
        /* a SIGCHLD raised after the waitid above is pending: no lost
         * wake-up */
        int sig = sigwaitinfo(&wait_set, &si);
        if (sig <= 0 || sig == SIGCHLD)
            continue;
        int from_tty = si.si_code == SI_KERNEL;
        int from_prog = si.si_code <= 0 && si.si_pid == c->pid;
        if (!from_tty && !from_prog)
            kill(c->pid, sig);
    }
    int st = 0;
    reap(c->pid, &st);
    if (n == (ssize_t)sizeof e) {
        errno = e;
        return -1;
    }
    *wstatus = st;
    return 0;
}

const char *rtt_signal_name(int sig)
{
    static char buf[32];
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, sizeof buf, "SIG%s", abbrev);
    else
        snprintf(buf, sizeof buf, "signal %d", sig);
    return buf;
}
