/* view.c - a chunk of a trace as babeltrace2 should read it (see view.h).
 *
 * A view is a directory in $TMPDIR (rtt-view-<pid>-XXXXXX/<tag>): symbolic
 * links to the chunk's metadata, to its intact stream files and to their
 * LTTng index files, and a copy of the first bytes (the whole packets) of
 * each cut file, whose index is left out so babeltrace2 indexes the copy
 * itself. The copy costs O(size of the cut files); copy_file_range shares
 * the blocks where the file system can. Views of a run killed before it
 * removed them (kill -9) are removed by the next run that makes one, once
 * their process is gone.
 */
#define _GNU_SOURCE /* copy_file_range */
#include "view.h"

#include "errors.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VIEW_TAG "rtt-view-"

static const char *tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

static int rm_entry(const char *path, const struct stat *st, int type,
                    struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

void rtt_view_remove(const char *root)
{
    if (root)
        nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Views left by runs that were killed: rtt-view-<pid>-* of a dead pid. */
static void remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, VIEW_TAG, strlen(VIEW_TAG)) != 0)
            continue;
        char *end;
        long pid = strtol(e->d_name + strlen(VIEW_TAG), &end, 10);
        if (pid <= 0 || *end != '-' || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        rtt_view_remove(path);
    }
    closedir(d);
}

static int copy_prefix(const char *from, const char *to, uint64_t n, char *err,
                       size_t errlen)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    uint64_t done = 0;
    int use_cfr = 1;
    char *buf = NULL;
    while (in >= 0 && out >= 0 && done < n) {
        size_t want = n - done > (1u << 30) ? (1u << 30) : (size_t)(n - done);
        ssize_t r = -1;
        if (use_cfr) {
            r = copy_file_range(in, NULL, out, NULL, want, 0);
            if (r < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
                          errno == EOPNOTSUPP)) {
                use_cfr = 0;
                continue;
            }
        } else {
            if (!buf && !(buf = malloc(1 << 20)))
                break;
            ssize_t got = read(in, buf, want > (1u << 20) ? (1u << 20) : want);
            r = got;
            for (ssize_t w = 0; got > 0 && w < got;) {
                ssize_t k = write(out, buf + w, (size_t)(got - w));
                if (k <= 0) {
                    r = -1;
                    break;
                }
                w += k;
            }
        }
        if (r <= 0) {
            if (r == 0)
                errno = EIO;
            break;
        }
        done += (uint64_t)r;
    }
    int e = errno;
    free(buf);
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && done == n) {
        e = errno;
        done = 0;
    }
    if (done == n)
        return 0;
    char why[128];
    rtt_io_error(why, sizeof why, e ? e : EIO, to);
    snprintf(err, errlen, "cannot copy the whole packets of %s (%s)", from, why);
    return -1;
}

static int make_link(const char *target, const char *link_dir, const char *name,
                     char *err, size_t errlen)
{
    char l[2 * PATH_MAX + 512];
    snprintf(l, sizeof l, "%s/%s", link_dir, name);
    if (symlink(target, l) != 0) {
        rtt_io_error(err, errlen, errno, l);
        return -1;
    }
    return 0;
}

int rtt_view_build(char **root, const char *dir, rtt_view_entry_t *v, size_t n,
                   const char *tag, char **out, char *err, size_t errlen)
{
    if (!*root) {
        remove_stale(tmpdir());
        char t[PATH_MAX];
        snprintf(t, sizeof t, "%s/" VIEW_TAG "%ld-XXXXXX", tmpdir(), (long)getpid());
        if (!mkdtemp(t)) {
            char why[PATH_MAX + 64];
            rtt_io_error(why, sizeof why, errno, t);
            snprintf(err, errlen, "cannot make a temp directory for the damaged "
                                  "trace (%s)", why);
            return -1;
        }
        *root = strdup(t);
        if (!*root) {
            rmdir(t);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    char view[PATH_MAX], idx[PATH_MAX + 8], src[PATH_MAX + 300], dst[PATH_MAX + 300];
    snprintf(view, sizeof view, "%s/%s", *root, tag);
    snprintf(idx, sizeof idx, "%s/index", view);
    if (mkdir(view, 0700) != 0 || mkdir(idx, 0700) != 0) {
        rtt_io_error(err, errlen, errno, view);
        return -1;
    }
    snprintf(src, sizeof src, "%s/metadata", dir);
    if (make_link(src, view, "metadata", err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        snprintf(src, sizeof src, "%s/%s", dir, v[i].name);
        if (v[i].fate == RTT_VIEW_OMIT)
            continue;
        if (v[i].fate == RTT_VIEW_CUT) {
            snprintf(dst, sizeof dst, "%s/%s", view, v[i].name);
            if (copy_prefix(src, dst, v[i].cut_at, err, errlen) != 0)
                return -1;
            if (!(v[i].copy = strdup(dst))) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            continue;
        }
        if (make_link(src, view, v[i].name, err, errlen) != 0)
            return -1;
        char idxname[300];
        struct stat st;
        snprintf(idxname, sizeof idxname, "%s.idx", v[i].name);
        snprintf(src, sizeof src, "%s/index/%s", dir, idxname);
        if (stat(src, &st) == 0 && make_link(src, idx, idxname, err, errlen) != 0)
            return -1;
    }
    if (!(*out = strdup(view))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

