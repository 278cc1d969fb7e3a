/* discover.c - finds CTF traces: every directory under a root that
 * holds a regular file named `metadata` (LTTng writes ust/uid/UID/64-bit/,
 * ust/pid/NAME-PID-DATE/, and lttng-relayd one tree per host). Cost: one
 * nftw walk of the root, then one readdir per trace to size its streams.
 */
#define _XOPEN_SOURCE 700
#include "discover.h"

#include "errors.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* nftw has no user pointer: the walk in progress. */
static rtt_found_list_t *g_walk;
static int g_walk_err;
static char g_walk_path[PATH_MAX]; /* what g_walk_err is about */

static int push(rtt_found_list_t *l, const char *dir)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].path, dir) == 0)
            return 0;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        rtt_found_t *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = nc;
    }
    char *p = strdup(dir);
    if (!p)
        return -1;
    l->v[l->n].path = p;
    l->v[l->n].bytes = 0;
    l->v[l->n].packets = 0;
    l->n++;
    return 1;
}

/* A directory nftw cannot list (FTW_DNR) or an entry it cannot stat
 * (FTW_NS: its directory is not searchable): an error, or a skipped entry. */
static int unreadable(const char *path, int type)
{
    struct stat st;
    int e = EACCES;
    if (type == FTW_NS && lstat(path, &st) != 0)
        e = errno;
    else if (type == FTW_DNR) {
        DIR *d = opendir(path);
        if (d)
            closedir(d);
        else
            e = errno;
    }
    if (g_walk->skip_unreadable) {
        char line[PATH_MAX + 64];
        rtt_io_error(line, sizeof line, e, path);
        char **nv = realloc(g_walk->skipped,
                            (g_walk->nskipped + 1) * sizeof *nv);
        char *dup = strdup(line);
        if (!nv || !dup) {
            free(dup);
            if (nv)
                g_walk->skipped = nv;
            g_walk_err = ENOMEM;
            return 1;
        }
        g_walk->skipped = nv;
        g_walk->skipped[g_walk->nskipped++] = dup;
        return 0;
    }
    g_walk_err = e;
    snprintf(g_walk_path, sizeof g_walk_path, "%s", path);
    return 1;
}

static int visit(const char *path, const struct stat *st, int type,
                 struct FTW *ftw)
{
    (void)st;
    if (type == FTW_DNR || type == FTW_NS)
        return unreadable(path, type);
    if (type != FTW_F || strcmp(path + ftw->base, "metadata") != 0)
        return 0;
    char dir[PATH_MAX];
    size_t len = (size_t)ftw->base;
    if (len == 0 || len >= sizeof dir)
        return 0;
    memcpy(dir, path, len - 1); /* drop the trailing '/' */
    dir[len - 1] = '\0';
    if (push(g_walk, dir) < 0) {
        g_walk_err = ENOMEM;
        return 1;
    }
    return 0;
}

static uint64_t stream_bytes(const char *dir)
{
    uint64_t total = 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *e;
    char p[PATH_MAX];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "metadata") == 0)
            continue;
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
            total += (uint64_t)st.st_size;
    }
    closedir(d);
    return total;
}

/* Packets listed in the LTTng index files (index/\*.idx: a 16-byte header
 * whose last u32, big-endian, is the entry length, then one entry per
 * packet). Only used to draw the progress bar; anything but a regular
 * file is passed over. */
static uint64_t index_packets(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/index", dir);
    DIR *d = opendir(p);
    if (!d)
        return 0;
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".idx") != 0)
            continue;
        snprintf(p, sizeof p, "%s/index/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
            continue; /* a FIFO would block the open: not an index */
        FILE *f = fopen(p, "rb");
        unsigned char h[16];
        if (f && fread(h, 1, sizeof h, f) == sizeof h && fstat(fileno(f), &st) == 0) {
            uint32_t len = (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 |
                           (uint32_t)h[14] << 8 | h[15];
            if (len > 0 && st.st_size > 16)
                total += (uint64_t)(st.st_size - 16) / len;
        }
        if (f)
            fclose(f);
    }
    closedir(d);
    return total;
}

static int cmp_found(const void *a, const void *b)
{
    return strcmp(((const rtt_found_t *)a)->path, ((const rtt_found_t *)b)->path);
}

int rtt_discover(const char *root, rtt_found_list_t *out, char *err,
                 size_t errlen)
{
    char real[PATH_MAX];
    struct stat st;
    if (stat(root, &st) != 0) {
        rtt_io_error(err, errlen, errno, root);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "not a directory (give a trace directory): %s",
                 root);
        return -1;
    }
    if (!realpath(root, real)) {
        rtt_io_error(err, errlen, errno, root);
        return -1;
    }
    size_t before = out->n;
    g_walk = out;
    g_walk_err = 0;
    g_walk_path[0] = '\0';
    int rc = nftw(real, visit, 32, FTW_PHYS);
    int walk_errno = errno;
    g_walk = NULL;
    if (g_walk_err && g_walk_path[0]) {
        rtt_io_error(err, errlen, g_walk_err, g_walk_path);
        return -1;
    }
    if (rc != 0 || g_walk_err) {
        snprintf(err, errlen, "cannot walk directory: %s: %s",
                 strerror(g_walk_err ? g_walk_err : walk_errno), root);
        return -1;
    }
    if (out->n == before) {
        if (out->nskipped)
            snprintf(err, errlen, "no readable CTF trace under: %s (skipped: %s)",
                     root, out->skipped[0]);
        else
            snprintf(err, errlen, "no CTF trace (no 'metadata' file) under: %s",
                     root);
        return -1;
    }
    for (size_t i = before; i < out->n; i++) {
        out->v[i].bytes = stream_bytes(out->v[i].path);
        out->v[i].packets = index_packets(out->v[i].path);
    }
    qsort(out->v + before, out->n - before, sizeof *out->v, cmp_found);
    return (int)(out->n - before);
}

void rtt_found_list_free(rtt_found_list_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
    for (size_t i = 0; i < l->nskipped; i++)
        free(l->skipped[i]);
    free(l->skipped);
    l->skipped = NULL;
    l->nskipped = 0;
}
