/* cmd_view.c - `rt-trace view DB [OTHER.db] [--port N] [--no-open]`: serves
 * the viewer page and its JSON API (tools/serve/) on 127.0.0.1 until
 * interrupted (SIGINT/SIGTERM: exit 0). Prints the URL on stdout. Cost:
 * opening the databases (one scan of tasks and ticks each), then each
 * request's engine call. */
#define _POSIX_C_SOURCE 200809L
#include "api.h"
#include "commands.h"
#include "http.h"
#include "open_dbs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char usage[] =
    "usage: rt-trace view DB [OTHER.db] [--port N] [--no-open] [--live]\n"
    "\n"
    "Serve the viewer (overview, latency distributions, frame and task\n"
    "timelines, interactions and their waterfalls, drops; with OTHER.db the\n"
    "two-run comparison) on http://127.0.0.1:PORT/ until Ctrl-C. Every figure\n"
    "comes from the same engine queries as the CLI's --format json.\n"
    "\n"
    "  --port N    listen on port N (default: a free port)\n"
    "  --no-open   do not start a browser (default: xdg-open when there is a\n"
    "              display)\n"
    "  --live      the database grows while it is shown (rt-trace live\n"
    "              --record DB): the overview and distributions update every\n"
    "              second; nothing is computed ahead or kept\n"
    "\n"
    "example: rt-trace view run.db --port 8080 --no-open\n";

static int uerr(const char *msg, const char *a)
{
    return rtt_serve_usage_error("view", msg, a);
}

static void open_browser(const char *url)
{
    if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
        return;
    signal(SIGCHLD, SIG_IGN); /* no zombie */
    pid_t p = fork();
    if (p == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execlp("xdg-open", "xdg-open", url, (char *)NULL);
        _exit(127);
    }
}

int rtt_cmd_view(int argc, char **argv)
{
    const char *dbs[RTT_API_MAX_DB];
    int ndb = 0, no_open = 0, live = 0;
    long port = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--no-open")) {
            no_open = 1;
        } else if (!strcmp(a, "--live")) {
            live = 1;
        } else if (!strcmp(a, "--port") || !strncmp(a, "--port=", 7)) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            char *end;
            if (!v)
                return uerr("--port needs a value", NULL);
            errno = 0;
            port = strtol(v, &end, 10);
            if (!*v || *end || errno || port < 0 || port > 65535)
                return uerr("--port: not a port number (0 to 65535): ", v);
        } else if (rtt_serve_db_arg("view", a, dbs, &ndb)) {
            return 2;
        }
    }
    if (!ndb)
        return uerr("no database given", NULL);
    rtt_api_t api;
    char err[600] = "";
    if (rtt_serve_open("view", &api, dbs, ndb, err, sizeof err))
        return 1;
    /* What the page asks first is computed now, so the first paint does
     * not wait for it (seconds on a 1 M-task run); live, nothing is kept. */
    api.live = live;
    if (!live)
        rtt_api_warm(&api);
    /* Block the signals before the server's thread starts, so that only
     * sigwait below receives them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned bound = 0;
    rtt_http_t *h = rtt_http_start(&api, (unsigned)port, &bound, err, sizeof err);
    if (!h) {
        rtt_api_close(&api);
        fprintf(stderr, "rt-trace view: %s\n", err);
        return 1;
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/", bound);
    printf("rt-trace view: serving %s (Ctrl-C to stop)\n", url);
    fflush(stdout);
    if (!no_open)
        open_browser(url);
    int sig = 0;
    sigwait(&set, &sig);
    rtt_http_stop(h);
    rtt_api_close(&api);
    return 0;
}
