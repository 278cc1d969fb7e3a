/* cmd_report.c - `rt-trace report DB [OTHER.db] -o report.html`: the viewer
 * page with every API answer it needs embedded (tools/serve/report_data.c),
 * one file that opens from file:// with no network. Written whole or not
 * at all (out_file.h), so a reader never sees half a report. Cost: the API calls (see report_data.h) and one write. */
#define _POSIX_C_SOURCE 200809L
#include "api.h"
#include "commands.h"
#include "open_dbs.h"
#include "out_file.h"
#include "page.h"
#include "report_data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: rt-trace report DB [OTHER.db] -o report.html\n"
    "\n"
    "Write the viewer page (see rt-trace view) with the run's data embedded:\n"
    "one self-contained HTML file that opens from file:// with the network\n"
    "off, to attach to a CI run or a bug report. The timelines are embedded\n"
    "at levels of detail (the run cut into 1, 4, 16, ... chunks); with\n"
    "OTHER.db the two-run comparison too.\n"
    "\n"
    "  -o, --output FILE   where to write (required; also --output=FILE).\n"
    "                      Written to a temporary file and renamed: never\n"
    "                      left half-written; a FIFO or device is written in\n"
    "                      place, a symbolic link's file replaced, a DB given\n"
    "                      refused\n"
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
    rtt_out_file_t of;
    int rc = rtt_out_open(&of, "report", out, dbs, ndb);
    if (rc) {
        rtt_api_close(&api);
        return rc;
    }
    fwrite(page, 1, (size_t)(at - page), of.f);
    /* the page's "null" placeholder after the marker is replaced */
    if (!strncmp(at, "null", 4))
        at += 4;
    rc = rtt_report_data_write(&api, of.f, err, sizeof err);
    rtt_api_close(&api);
    if (!rc)
        fwrite(at, 1, rtt_viewer_html_len - (size_t)(at - page), of.f);
    if (ferror(of.f)) { /* the output's fault, not the database's: its
                         * reason is the failed write's, kept by of */
        snprintf(err, sizeof err, "write failed: %s: %s", out,
                 strerror(of.err ? of.err : EIO));
        rc = -1;
    }
    if (!rc && rtt_out_commit(&of)) {
        snprintf(err, sizeof err, "write failed: %s: %s", out,
                 strerror(errno ? errno : EIO));
        rc = -1;
    }
    if (rc) {
        rtt_out_abort(&of);
        fprintf(stderr, "rt-trace report: %s\n", err);
        return 1;
    }
    printf("%s\n", out);
    return 0;
}
