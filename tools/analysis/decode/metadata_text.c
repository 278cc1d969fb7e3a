/* metadata_text.c - the TSDL text of a CTF metadata file (see
 * metadata_text.h).
 *
 * A packet is a 37-byte header (magic 0x75D11D57, uuid[16], checksum,
 * content_size and packet_size in bits, five one-byte fields) followed by
 * TSDL text up to content_size; the next packet starts packet_size bytes
 * later. A header that does not fit (content below the header, packet
 * smaller than its content) ends the text there. Cost: O(file size), the
 * text is compacted in place.
 */
#define _POSIX_C_SOURCE 200809L
#include "metadata_text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PKT_HDR 37
#define PKT_MAGIC 0x75D11D57u

static uint32_t rd32(const unsigned char *p, int be)
{
    return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
              : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static unsigned char *slurp(FILE *f, size_t *np, int *errp)
{
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap + 1);
    while (buf) {
        if (n == cap) {
            if (cap >= RTT_META_MAX)
                break;
            unsigned char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    *errp = ferror(f) ? (errno ? errno : EIO) : buf ? 0 : ENOMEM;
    if (*errp) {
        free(buf);
        return NULL;
    }
    *np = n;
    return buf;
}

int rtt_meta_text(const char *path, char **text, size_t *len,
                  unsigned char uuid[16], int *have_uuid)
{
    *text = NULL;
    *len = 0;
    *have_uuid = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno ? errno : ENOENT;
    int err;
    size_t n = 0;
    unsigned char *buf = slurp(f, &n, &err);
    fclose(f);
    if (!buf)
        return err;
    int be = n >= 4 && rd32(buf, 1) == PKT_MAGIC;
    if (n >= 4 && (be || rd32(buf, 0) == PKT_MAGIC)) {
        size_t off = 0, out = 0;
        while (off + PKT_HDR <= n && rd32(buf + off, be) == PKT_MAGIC) {
            if (!*have_uuid) {
                memcpy(uuid, buf + off + 4, 16);
                *have_uuid = 1;
            }
            size_t content = rd32(buf + off + 24, be) / 8;
            size_t size = rd32(buf + off + 28, be) / 8;
            if (content < PKT_HDR || size < content)
                break;
            size_t end = content < n - off ? off + content : n;
            memmove(buf + out, buf + off + PKT_HDR, end - off - PKT_HDR);
            out += end - off - PKT_HDR;
            if (size > n - off)
                break;
            off += size;
        }
        n = out;
    }
    buf[n] = '\0';
    *text = (char *)buf;
    *len = n;
    return 0;
}
