/* cmd_report.c - `rt-trace report DB [OTHER.db] -o report.html`: the viewer
 * page with every API answer it needs embedded (tools/serve/report_data.c),
 * one file that opens from file:// with no network. Written to a temporary
 * file beside the output and renamed, so a reader never sees half a
 * report. Cost: the API calls (see report_data.h) and one write. */
#define _POSIX_C_SOURCE 200809L
#include "api.h"
#include "commands.h"
#include "open_dbs.h"
#include "page.h"
#include "report_data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: rt-trace report DB [OTHER.db] -o report.html\n"
    "\n"
    "Write the viewer page (see rt-trace view) with the run's data embedded:\n"
    "one self-contained HTML file that opens from file:// with the network\n"
    "off, to attach to a CI run or a bug report. The timelines are embedded\n"
    "at levels of detail (the run cut into 1, 4, 16, ... chunks); with\n"
    "OTHER.db the two-run comparison too.\n"
    "\n"
    "  -o, --output FILE   where to write (required)\n"
    "\n"
    "example: rt-trace report run.db -o report.html\n";

/* The marker in the page where the data goes (viewer/index.html). */
static const char marker[] = "<script id=\"rtk-data\" type=\"application/json\">";

static int uerr(const char *msg, const char *a)
{
    return rtt_serve_usage_error("report", msg, a);
}

int rtt_cmd_report(int argc, char **argv)
{
    const char *dbs[RTT_API_MAX_DB], *out = NULL;
    int ndb = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc)
                return uerr("-o needs a file name", NULL);
            out = argv[++i];
        } else if (!strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (rtt_serve_db_arg("report", a, dbs, &ndb)) {
            return 2;
        }
    }
    if (!ndb)
        return uerr("no database given", NULL);
    if (!out || !*out)
        return uerr("no output file given: -o report.html", NULL);
    const char *page = (const char *)rtt_viewer_html;
    const char *at = strstr(page, marker);
    if (!at) {
        fprintf(stderr, "rt-trace report: the embedded page has no data marker: "
                        "viewer/dist/rtk-viewer.html\n");
        return 1;
    }
    at += strlen(marker);
    rtt_api_t api;
    char err[700] = "";
    if (rtt_serve_open("report", &api, dbs, ndb, err, sizeof err))
        return 1;
    size_t tl = strlen(out) + 16;
    char *tmp = malloc(tl);
    if (!tmp) {
        rtt_api_close(&api);
        fprintf(stderr, "rt-trace report: out of memory\n");
        return 1;
    }
    snprintf(tmp, tl, "%s.tmpXXXXXX", out);
    int fd = mkstemp(tmp);
    if (fd >= 0) { /* mkstemp makes it 0600: give it the usual 0666 & ~umask */
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
    }
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "rt-trace report: cannot create the output: %s: %s\n",
                strerror(errno), out);
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        rtt_api_close(&api);
        return 1;
    }
    fwrite(page, 1, (size_t)(at - page), f);
    /* the page's "null" placeholder after the marker is replaced */
    if (!strncmp(at, "null", 4))
        at += 4;
    int rc = rtt_report_data_write(&api, f, err, sizeof err);
    rtt_api_close(&api);
    if (!rc)
        fwrite(at, 1, rtt_viewer_html_len - (size_t)(at - page), f);
    if (!rc && (fflush(f) || ferror(f) || fsync(fileno(f)))) {
        snprintf(err, sizeof err, "cannot write the output: %s: %s", strerror(errno), out);
        rc = -1;
    }
    if (fclose(f) && !rc) {
        snprintf(err, sizeof err, "cannot write the output: %s: %s", strerror(errno), out);
        rc = -1;
    }
    if (!rc && rename(tmp, out)) {
        snprintf(err, sizeof err, "cannot rename the output into place: %s: %s",
                 strerror(errno), out);
        rc = -1;
    }
    if (rc) {
        unlink(tmp);
        free(tmp);
        fprintf(stderr, "rt-trace report: %s\n", err);
        return 1;
    }
    free(tmp);
    printf("%s\n", out);
    return 0;
}
