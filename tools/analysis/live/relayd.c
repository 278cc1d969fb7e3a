/* relayd.c - find or start the loopback LTTng relay daemon (relayd.h).
 *
 * A relay daemon we start runs in the foreground as our child (so its pid
 * is ours to stop and to reap), listening on 127.0.0.1 only, its output in
 * the given directory, stdout and stderr on /dev/null. It is ready when
 * its live port accepts a connection; if it exits first, that is the
 * error. A port another program holds (the connect probe answers on some
 * of the three but not all, or bind() fails) is said up front, naming
 * the port, and no relay daemon is started. */
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
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int rtt_relayd_reachable(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = loopback(port);
    int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* 1 if what listens on 127.0.0.1:live_port answers the live protocol's
 * CONNECT as an LTTng relay daemon does (its major version, 2), within
 * 5 s; 0 if it answers otherwise, closes, or says nothing (another
 * program: a session daemon told to stream there would wait on it). */
static int speaks_live(int live_port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = loopback(live_port);
    /* struct lttng_viewer_cmd (data_size u64, cmd u32, cmd_version u32)
     * then struct lttng_viewer_connect (viewer_session_id u64, major u32,
     * minor u32, type u32), packed, big-endian: LTTNG_VIEWER_CONNECT (1),
     * viewer 2.4, LTTNG_VIEWER_CLIENT_COMMAND (1) */
    unsigned char req[36], rep[20];
    memset(req, 0, sizeof req);
    req[7] = 20;       /* data_size */
    req[11] = 1;       /* cmd */
    req[27] = 2;       /* major */
    req[31] = 4;       /* minor */
    req[35] = 1;       /* type */
    int ok = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        send(fd, req, sizeof req, MSG_NOSIGNAL) == (ssize_t)sizeof req) {
        size_t got = 0;
        ssize_t n = 1;
        while (got < sizeof rep &&
               ((n = recv(fd, rep + got, sizeof rep - got, 0)) > 0 ||
                (n < 0 && errno == EINTR)))
            got += n > 0 ? (size_t)n : 0;
        ok = got == sizeof rep && rep[8] == 0 && rep[9] == 0 && rep[10] == 0 &&
             rep[11] == 2;
    }
    close(fd);
    return ok;
}

/* 1 if 127.0.0.1:port cannot be bound as lttng-relayd binds it
 * (SO_REUSEADDR): another program listens there or holds it. */
static int port_taken(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = loopback(port);
    int taken = bind(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno == EADDRINUSE;
    close(fd);
    return taken;
}

static const char *const port_role[3] = {"control", "data", "live"};

/* The first of r's ports that another program holds (listening: up[i]
 * from the connect probe; or bound), said in err: 1; none: 0. */
static int say_port_taken(const rtt_relayd_t *r, const int up[3], char *err,
                          size_t errlen)
{
    const int port[3] = {r->control_port, r->data_port, r->live_port};
    for (int k = 0; k < 3; k++) {
        int i = (k + 2) % 3; /* the live port first, the one probed first */
        if (!up[i] && !port_taken(port[i]))
            continue;
        char why[120] = "";
        if (up[i] && !up[0])
            snprintf(why, sizeof why, ", not a relay daemon (nothing listens on "
                                      "its control port 127.0.0.1:%d)", port[0]);
        else if (up[i])
            snprintf(why, sizeof why, ", not a relay daemon (it does not listen on "
                                      "all of %d, %d, %d)", port[0], port[1], port[2]);
        snprintf(err, errlen, "port 127.0.0.1:%d (the relay daemon's %s port) is "
                              "taken by another program%s; choose other "
                              "--relayd-ports", port[i], port_role[i], why);
        return 1;
    }
    return 0;
}

int rtt_relayd_ensure(rtt_relayd_t *r, const char *output_dir, char *err,
                      size_t errlen)
{
    r->pid = 0;
    /* A relay daemon listens on all three; something that answers on only
     * some is another program, and a session made on it fails later with
     * a misleading "Fatal error of the session daemon". */
    int up[3] = {rtt_relayd_reachable(r->control_port),
                 rtt_relayd_reachable(r->data_port),
                 rtt_relayd_reachable(r->live_port)};
    if (up[0] && up[1] && up[2]) {
        if (speaks_live(r->live_port))
            return 0;
        snprintf(err, errlen, "port 127.0.0.1:%d (the relay daemon's live port) is "
                              "taken by another program, not a relay daemon (it does "
                              "not answer as one); choose other --relayd-ports",
                 r->live_port);
        return -1;
    }
    if (say_port_taken(r, up, err, errlen))
        return -1;
    /* output_dir was judged up front by the caller (cmd_live.c,
     * --relayd-output); a file put there since makes lttng-relayd exit at
     * once ("Unable to create"), which the wait below reports */
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
        int ws;
        if (waitpid(p, &ws, WNOHANG) == p) {
            r->pid = 0;
            /* its ports, if another program took one meanwhile; else
             * something else (it printed why to /dev/null) */
            int none[3] = {0, 0, 0};
            if (say_port_taken(r, none, err, errlen))
                return -1;
            if (WIFEXITED(ws) && WEXITSTATUS(ws) == 127) {
                snprintf(err, errlen, "cannot run lttng-relayd (not installed?)");
                return -1;
            }
            snprintf(err, errlen,
                     "lttng-relayd exited (%s %d) before listening on 127.0.0.1:%d "
                     "(its ports are free; output directory %s; `lttng-relayd -v` "
                     "tells why)",
                     WIFEXITED(ws) ? "status" : "signal",
                     WIFEXITED(ws) ? WEXITSTATUS(ws) : WTERMSIG(ws), r->live_port,
                     output_dir);
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
