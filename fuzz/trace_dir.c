/* trace_dir.c - the scratch trace directory of the decode fuzz targets
 * (see trace_dir.h). One directory per process, removed at exit. */
#define _POSIX_C_SOURCE 200809L
#include "trace_dir.h"

#include "ingest.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RTK_FUZZ_DATA
#error "RTK_FUZZ_DATA: the fuzz/ source folder, set by fuzz/CMakeLists.txt"
#endif

static char g_root[256], g_trace[300], g_db[300];

static void die(const char *what, const char *path)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, path);
    exit(2);
}

static void cleanup(void)
{
    char p[400];
    const char *names[] = {"metadata", "rtk_0"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", g_trace, names[i]);
        unlink(p);
    }
    unlink(g_db);
    rmdir(g_trace);
    rmdir(g_root);
}

void fz_trace_dir_init(void)
{
    const char *base = getenv("RTK_FUZZ_TMP");
    struct stat st;
    if (!base)
        base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
    snprintf(g_root, sizeof g_root, "%s/rtk-fuzz-%ld", base, (long)getpid());
    snprintf(g_trace, sizeof g_trace, "%s/trace", g_root);
    snprintf(g_db, sizeof g_db, "%s/out.db", g_root);
    cleanup(); /* a dead process with our pid may have left it */
    if (mkdir(g_root, 0700) != 0 || mkdir(g_trace, 0700) != 0)
        die("cannot create", g_root);
    atexit(cleanup);
}

const char *fz_trace_path(void) { return g_trace; }

void fz_trace_write(const char *name, const uint8_t *p, size_t n)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", g_trace, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        die("cannot write", path);
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            die("cannot write", path);
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

static char g_err[1024]; /* the last ingest's error, or "" */

const char *fz_trace_ingest_error(void)
{
    return g_err;
}

int fz_trace_ingest(void)
{
    const char *inputs[] = {g_trace};
    rtt_ingest_opts_t o = {.inputs = inputs, .ninputs = 1, .db_path = g_db,
                           .in_process = 1};
    rtt_ingest_result_t res;
    char err[1024];
    unlink(g_db);
    int rc = rtt_ingest_run(&o, &res, err, sizeof err);
    if (getenv("RTK_FUZZ_VERBOSE"))
        fprintf(stderr, "ingest: %s\n", rc ? err : "ok");
    if (rc != 0 && strchr(err, '\n')) {
        fprintf(stderr, "fuzz: ingest error of more than one line: %s\n", err);
        abort();
    }
    snprintf(g_err, sizeof g_err, "%s", rc ? err : "");
    unlink(g_db);
    return rc;
}

uint8_t *fz_read_data(const char *rel, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", RTK_FUZZ_DATA, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot read", path);
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (!nb)
                die("out of memory reading", path);
            buf = nb;
        }
        size_t r = fread(buf + len, 1, cap - len, f);
        if (r == 0)
            break;
        len += r;
    }
    fclose(f);
    *n = len;
    return buf;
}
