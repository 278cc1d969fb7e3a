/* sessiond.c - make sure an LTTng session daemon answers (sessiond.h):
 * `lttng-sessiond --daemonize` when none does, as `record` and `live`
 * need one. Cost: one liblttng-ctl round trip when a daemon runs; about a
 * second to start one. */
#define _GNU_SOURCE
#include "sessiond.h"

#include <errno.h>
#include <fcntl.h>
#include <lttng/lttng.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* liblttng-ctl prints its own "PERROR - ..." lines on stderr (a session
 * daemon killed mid-call: "recvmsg: Connection reset by peer") unless its
 * exported lttng_opt_quiet is set; record and live report every failure
 * themselves in one line. Weak: a liblttng-ctl without it is left alone. */
extern int lttng_opt_quiet __attribute__((weak));

/* A session daemon answers, starting one if needed. Bounded: 10 s.
 * Two of us starting at once both find none and both start one; the
 * second daemon cannot take the lock file and exits non-zero, while the
 * first gets ready: so after any exit but "not installed" (127) the
 * answer is whether a daemon answers, not how ours ended. The daemon's
 * own lines go to /dev/null (the caller reports a failure in one line). */
int rtt_ensure_sessiond(void)
{
    if (&lttng_opt_quiet != NULL)
        lttng_opt_quiet = 1;
    if (lttng_session_daemon_alive() == 1)
        return 0;
    pid_t p = fork();
    if (p < 0)
        return -1;
    if (p == 0) {
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, STDIN_FILENO);
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execlp("lttng-sessiond", "lttng-sessiond", "--daemonize", (char *)NULL);
        _exit(127);
    }
    int st;
    while (waitpid(p, &st, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(st) || WEXITSTATUS(st) == 127)
        return -1;
    for (int i = 0; i < 1000; i++) { /* --daemonize returns when ready */
        if (lttng_session_daemon_alive() == 1)
            return 0;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}
