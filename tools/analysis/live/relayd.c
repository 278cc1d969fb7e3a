/* relayd.c - find or start the loopback LTTng relay daemon (relayd.h).
 *
 * A relay daemon we start runs in the foreground as our child (so its pid
 * is ours to stop and to reap), listening on 127.0.0.1 only, its output in
 * the given directory, stdout and stderr on /dev/null. It is ready when
 * its live port accepts a connection; if it exits first (a port taken),
 * that is the error. */
#define _GNU_SOURCE
#include "relayd.h"
#include "mono.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int rtt_relayd_reachable(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

int rtt_relayd_ensure(rtt_relayd_t *r, const char *output_dir, char *err,
                      size_t errlen)
{
    r->pid = 0;
    if (rtt_relayd_reachable(r->live_port))
        return 0;
    if (mkdir(output_dir, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create the relay daemon's output directory (%s): %s",
                 strerror(errno), output_dir);
        return -1;
    }
    /* lttng-relayd wants an absolute output path */
    if (!realpath(output_dir, r->output)) {
        snprintf(err, errlen, "%s: %s", strerror(errno), output_dir);
        return -1;
    }
    output_dir = r->output;
    char c[64], d[64], l[64];
    snprintf(c, sizeof c, "tcp://127.0.0.1:%d", r->control_port);
    snprintf(d, sizeof d, "tcp://127.0.0.1:%d", r->data_port);
    snprintf(l, sizeof l, "tcp://127.0.0.1:%d", r->live_port);
    pid_t p = fork();
    if (p < 0) {
        snprintf(err, errlen, "cannot fork lttng-relayd: %s", strerror(errno));
        return -1;
    }
    if (p == 0) {
        /* its own process group: a terminal's Ctrl-C is ours to handle;
         * and it ends with us even if we are killed (SIGKILL) */
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1)
            _exit(127); /* we are already gone */
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execlp("lttng-relayd", "lttng-relayd", "-C", c, "-D", d, "-L", l, "-o",
               output_dir, (char *)NULL);
        _exit(127);
    }
    r->pid = p;
    double end = rtt_mono_s() + 10.0;
    while (rtt_mono_s() < end) {
        int st;
        if (waitpid(p, &st, WNOHANG) == p) {
            r->pid = 0;
            snprintf(err, errlen,
                     "lttng-relayd exited (%s %d) before listening on 127.0.0.1:%d "
                     "(a port of %d, %d, %d taken?)",
                     WIFEXITED(st) ? "status" : "signal",
                     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), r->live_port,
                     r->control_port, r->data_port, r->live_port);
            return -1;
        }
        if (rtt_relayd_reachable(r->live_port) && rtt_relayd_reachable(r->control_port))
            return 0;
        struct timespec ts = {0, 10 * 1000 * 1000}; /* a port to poll: no event */
        nanosleep(&ts, NULL);
    }
    rtt_relayd_stop(r);
    snprintf(err, errlen, "lttng-relayd did not listen on 127.0.0.1:%d within 10 s",
             r->live_port);
    return -1;
}

void rtt_relayd_stop(rtt_relayd_t *r)
{
    if (r->pid <= 0)
        return;
    kill(r->pid, SIGTERM);
    double end = rtt_mono_s() + 5.0;
    int st;
    while (waitpid(r->pid, &st, WNOHANG) == 0) {
        if (rtt_mono_s() > end) {
            kill(r->pid, SIGKILL);
            while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
                ;
            break;
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    r->pid = 0;
}
