/* out_file.c - an output file that appears whole or not at all (see
 * out_file.h). */
#define _GNU_SOURCE /* fopencookie; realpath, mkstemp, fchmod */
#include "out_file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporary file being written, removed if SIGINT, SIGTERM or SIGHUP
 * stops the command (unlink is async-signal-safe); then the signal's
 * default action ends the process as it would have. */
static char temp_path[4096];
static volatile sig_atomic_t have_temp;

static void on_stop(int sig)
{
    if (have_temp)
        unlink(temp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_stops(int on)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_stop : SIG_DFL;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

/* The stream's writes: all of buf, or the first failure's errno kept in
 * the output (o->err) and 0 returned, which stdio takes as an error. */
static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
    rtt_out_file_t *o = cookie;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(o->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (!o->err)
                o->err = w < 0 ? errno : EIO;
            return (ssize_t)done;
        }
        done += (size_t)w;
    }
    return (ssize_t)n;
}

static int out_close(void *cookie)
{
    rtt_out_file_t *o = cookie;
    int rc = close(o->fd);
    o->fd = -1;
    return rc;
}

/* o->f over the descriptor fd, which it closes from then on. 0, or -1
 * with errno set (fd left to the caller). */
static int open_stream(rtt_out_file_t *o, int fd)
{
    cookie_io_functions_t io = {.read = NULL, .write = out_write, .seek = NULL,
                                .close = out_close};
    o->fd = fd;
    o->f = fopencookie(o, "wb", io);
    if (!o->f) {
        o->fd = -1;
        return -1;
    }
    return 0;
}

/* A temporary file next to path (same file system, so rename is atomic),
 * named in temp_path, streamed through o->f. 0, or -1 with errno set. */
static int open_temp(const char *path, rtt_out_file_t *o)
{
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    if (snprintf(temp_path, sizeof temp_path, "%.*s.%s.XXXXXX", dirlen, path,
                 slash ? slash + 1 : path) >= (int)sizeof temp_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(temp_path);
    if (fd < 0)
        return -1;
    /* mkstemp makes it 0600; give it the mode a new file gets. */
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0666 & ~um) || open_stream(o, fd)) {
        int e = errno;
        close(fd);
        unlink(temp_path);
        errno = e;
        return -1;
    }
    return 0;
}

/* The file a symbolic link names, in path: resolved whole if it exists,
 * else (a dangling link: the file is to be created) the link's own text,
 * relative to the link's directory. */
static void link_target(const char *link, char *path, size_t len)
{
    char *real = realpath(link, NULL);
    if (real) {
        if (strlen(real) < len)
            snprintf(path, len, "%s", real);
        free(real);
        return;
    }
    char to[4096];
    ssize_t n = readlink(link, to, sizeof to - 1);
    if (n <= 0)
        return;
    to[n] = '\0';
    const char *slash = strrchr(link, '/');
    int dirlen = to[0] == '/' || !slash ? 0 : (int)(slash - link + 1);
    if (snprintf(path, len, "%.*s%s", dirlen, link, to) >= (int)len)
        snprintf(path, len, "%s", link);
}

int rtt_out_open(rtt_out_file_t *o, const char *cmd, const char *out,
                 const char *const *inputs, int ninputs)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->name = out;
    snprintf(o->path, sizeof o->path, "%s", out);
    struct stat st;
    if (lstat(out, &st) == 0 && S_ISLNK(st.st_mode))
        link_target(out, o->path, sizeof o->path);
    int exists = stat(o->path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "rt-trace %s: -o %s is a directory, not a file\n", cmd, out);
        return 2;
    }
    for (int i = 0; exists && i < ninputs; i++) {
        struct stat si;
        if (stat(inputs[i], &si) == 0 && si.st_dev == st.st_dev && si.st_ino == st.st_ino) {
            fprintf(stderr, "rt-trace %s: -o %s is the database itself (see --help)\n",
                    cmd, out);
            return 2;
        }
    }
    o->direct = exists && !S_ISREG(st.st_mode);
    if (o->direct) {
        int fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd >= 0 && open_stream(o, fd) != 0) {
            int e = errno;
            close(fd);
            errno = e;
        }
    } else {
        have_temp = 1; /* before mkstemp: no window without cleanup */
        catch_stops(1);
        if (open_temp(o->path, o) != 0) {
            have_temp = 0;
            catch_stops(0);
            o->f = NULL;
        }
    }
    if (!o->f) {
        fprintf(stderr, "rt-trace %s: cannot create the output file: %s: %s\n", cmd, out,
                strerror(errno));
        return 1;
    }
    return 0;
}

int rtt_out_commit(rtt_out_file_t *o)
{
    /* on disk before the rename, so a crash leaves the old file or the
     * whole new one */
    /* a write that failed earlier counts, though stdio dropped its
     * bytes and this flush finds nothing left to write */
    errno = 0;
    int bad = o->err != 0 || ferror(o->f) || fflush(o->f) != 0 ||
              (!o->direct && fsync(o->fd) != 0);
    int e = o->err ? o->err : errno ? errno : EIO;
    if (fclose(o->f) && !bad) {
        bad = 1;
        e = errno;
    }
    o->f = NULL;
    if (!bad && !o->direct && rename(temp_path, o->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        rtt_out_abort(o);
        errno = e;
        return -1;
    }
    have_temp = 0;
    catch_stops(0);
    return 0;
}

void rtt_out_abort(rtt_out_file_t *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    if (!o->direct && have_temp)
        unlink(temp_path);
    have_temp = 0;
    catch_stops(0);
}
