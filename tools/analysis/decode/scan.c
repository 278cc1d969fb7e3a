/* scan.c - finds the whole packets of an LTTng stream file (see scan.h).
 *
 * babeltrace2 indexes every stream file when it opens a trace and refuses
 * the whole trace when one packet runs past the end of its file (a crash or
 * a full disk while writing). This walk finds that point first, so ingest
 * can hand babeltrace2 the whole packets only (decode/salvage.c). It
 * assumes LTTng's packet layout and checks it on every packet (magic and
 * the trace's uuid), so a file of another layout shows as damaged at
 * offset 0 and is never silently cut. After a bad header it looks for a
 * later good one (magic then uuid, at any byte offset): one found means the
 * damage is in the middle of the file (corrupt), none means a broken tail.
 */
#define _POSIX_C_SOURCE 200809L
#include "scan.h"

#include "errors.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC 0xC1FC1FC1u
#define HDR 64 /* packet header (32) + timestamps and sizes (32) */

static uint64_t rd(const unsigned char *p, int n, int be)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[be ? i : n - 1 - i];
    return v;
}

static int full_pread(int fd, unsigned char *buf, size_t n, uint64_t off)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = pread(fd, buf + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        done += (size_t)r;
    }
    return 0;
}

/* Is there a packet header (magic in either byte order, then uuid) at an
 * offset in (from, size)? */
static int later_header(int fd, uint64_t from, uint64_t size,
                        const unsigned char *uuid)
{
    enum { CHUNK = 1 << 20, KEEP = 20 };
    unsigned char *buf = malloc(CHUNK + KEEP);
    if (!buf)
        return 0;
    unsigned char le[4] = {0xC1, 0x1F, 0xFC, 0xC1}, be[4] = {0xC1, 0xFC, 0x1F, 0xC1};
    uint64_t pos = from + 1;
    int found = 0;
    while (!found && pos + KEEP <= size) {
        size_t n = size - pos > CHUNK + KEEP ? CHUNK + KEEP : (size_t)(size - pos);
        if (full_pread(fd, buf, n, pos) != 0)
            break;
        for (size_t i = 0; i + KEEP <= n; i++) {
            if (buf[i] != 0xC1 || (memcmp(buf + i, le, 4) && memcmp(buf + i, be, 4)))
                continue;
            if (!uuid || memcmp(buf + i + 4, uuid, 16) == 0) {
                found = 1;
                break;
            }
        }
        pos += n - KEEP + 1;
    }
    free(buf);
    return found;
}

/* Why the header h (with `left` bytes from its start to the end of the
 * file) is not a whole packet: NULL when it is. */
static const char *check(const unsigned char *h, uint64_t left,
                         const unsigned char *uuid, int *truncated, char *buf,
                         size_t len)
{
    *truncated = 0;
    int be = rd(h, 4, 1) == MAGIC;
    if (!be && rd(h, 4, 0) != MAGIC)
        return "no packet magic number";
    if (uuid && memcmp(h + 4, uuid, 16) != 0)
        return "packet header names another trace (uuid)";
    uint64_t content = rd(h + 48, 8, be), size = rd(h + 56, 8, be);
    if (size % 8 || size / 8 < HDR || content > size || content < HDR * 8) {
        snprintf(buf, len, "impossible packet size (%" PRIu64 " bits, content %" PRIu64
                           " bits)", size, content);
        return buf;
    }
    if (size / 8 > left) {
        *truncated = 1;
        snprintf(buf, len, "the packet needs %" PRIu64 " bytes, the file has %" PRIu64,
                 size / 8, left);
        return buf;
    }
    return NULL;
}

int rtt_scan_stream(const char *path, const unsigned char uuid[16],
                    rtt_stream_scan_t *s, const uint64_t *find_begin,
                    uint64_t *found_offset, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        rtt_io_error(err, errlen, errno, path);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    s->size = (uint64_t)st.st_size;
    uint64_t off = 0;
    if (found_offset)
        *found_offset = UINT64_MAX;
    while (off < s->size) {
        unsigned char h[HDR];
        char buf[sizeof s->why];
        const char *why;
        int truncated = 0;
        if (s->size - off < HDR) {
            truncated = 1;
            snprintf(buf, sizeof buf, "a packet header needs %d bytes, the file has %" PRIu64,
                     HDR, s->size - off);
            why = buf;
        } else if (full_pread(fd, h, HDR, off) != 0) {
            int e = errno ? errno : EIO;
            close(fd);
            rtt_io_error(err, errlen, e, path);
            return -1;
        } else {
            why = check(h, s->size - off, uuid, &truncated, buf, sizeof buf);
        }
        if (why) {
            s->damage = truncated ? RTT_DMG_TRUNCATED
                        : later_header(fd, off, s->size, uuid) ? RTT_DMG_CORRUPT
                                                               : RTT_DMG_BROKEN_TAIL;
            s->damage_at = off;
            snprintf(s->why, sizeof s->why, "%s", why);
            break;
        }
        int be = rd(h, 4, 1) == MAGIC;
        if (find_begin && rd(h + 32, 8, be) == *find_begin) {
            *found_offset = off;
            break;
        }
        if (!s->have_first) {
            s->have_first = 1;
            s->stream_class = (uint32_t)rd(h + 20, 4, be);
            s->stream_instance = rd(h + 24, 8, be);
            s->first_begin = rd(h + 32, 8, be);
        }
        off += rd(h + 56, 8, be) / 8;
        s->packets++;
        s->good_end = off;
    }
    close(fd);
    return 0;
}
