/* gzip_sink.c - gzip compression between the exporter and its output (see
 * gzip_sink.h). */
#include "gzip_sink.h"

#include <stdlib.h>

#ifdef RTT_HAVE_ZLIB
#include <zlib.h>

#define GZ_OUT 65536

struct rtt_gzip {
    z_stream z;
    rtt_sink_fn down;
    void *down_ctx;
    int failed;
    unsigned char out[GZ_OUT];
};

int rtt_gzip_available(void)
{
    return 1;
}

rtt_gzip_t *rtt_gzip_new(rtt_sink_fn down, void *down_ctx)
{
    rtt_gzip_t *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    /* windowBits 15 + 16: a gzip wrapper with a zeroed header. */
    if (deflateInit2(&g->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(g);
        return NULL;
    }
    g->down = down;
    g->down_ctx = down_ctx;
    return g;
}

/* Deflate what is in g->z with flush, passing every full buffer down. */
static int pump(rtt_gzip_t *g, int flush)
{
    int rc;
    do {
        g->z.next_out = g->out;
        g->z.avail_out = GZ_OUT;
        rc = deflate(&g->z, flush);
        if (rc == Z_STREAM_ERROR)
            return -1;
        size_t have = GZ_OUT - g->z.avail_out;
        if (have && g->down(g->down_ctx, (const char *)g->out, have))
            return -1;
    } while (g->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    return 0;
}

int rtt_gzip_write(void *ctx, const char *buf, size_t len)
{
    rtt_gzip_t *g = ctx;
    if (g->failed)
        return -1;
    while (len > 0) {
        uInt k = len > (1u << 30) ? (1u << 30) : (uInt)len;
        g->z.next_in = (Bytef *)(uintptr_t)buf;
        g->z.avail_in = k;
        if (pump(g, Z_NO_FLUSH)) {
            g->failed = 1;
            return -1;
        }
        buf += k;
        len -= k;
    }
    return 0;
}

int rtt_gzip_finish(rtt_gzip_t *g)
{
    if (g->failed)
        return -1;
    g->z.next_in = NULL;
    g->z.avail_in = 0;
    if (pump(g, Z_FINISH)) {
        g->failed = 1;
        return -1;
    }
    return 0;
}

void rtt_gzip_free(rtt_gzip_t *g)
{
    if (!g)
        return;
    deflateEnd(&g->z);
    free(g);
}

#else /* no zlib */

int rtt_gzip_available(void)
{
    return 0;
}

rtt_gzip_t *rtt_gzip_new(rtt_sink_fn down, void *down_ctx)
{
    (void)down;
    (void)down_ctx;
    return NULL;
}

int rtt_gzip_write(void *ctx, const char *buf, size_t len)
{
    (void)ctx;
    (void)buf;
    (void)len;
    return -1;
}

int rtt_gzip_finish(rtt_gzip_t *g)
{
    (void)g;
    return -1;
}

void rtt_gzip_free(rtt_gzip_t *g)
{
    (void)g;
}

#endif
