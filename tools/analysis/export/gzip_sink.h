/* gzip_sink.h - a sink (chrome.h's rtt_sink_fn) that gzip-compresses what
 * it is given and passes the compressed bytes to another sink
 * (gzip_sink.c, zlib's deflate). The output is a plain .gz stream with no
 * file name and mtime 0, so the same input always gives the same bytes.
 * Memory: zlib's ~256 KiB state plus a 64 KiB output buffer; time O(bytes).
 * Built without zlib (RTT_HAVE_ZLIB undefined), rtt_gzip_available() is 0
 * and rtt_gzip_new() fails. */
#ifndef RTT_EXPORT_GZIP_SINK_H
#define RTT_EXPORT_GZIP_SINK_H

#include "chrome.h"

typedef struct rtt_gzip rtt_gzip_t;

int rtt_gzip_available(void);
/* A compressor writing to down(down_ctx, ...); NULL when out of memory or
 * built without zlib. */
rtt_gzip_t *rtt_gzip_new(rtt_sink_fn down, void *down_ctx);
/* The sink function: ctx is the rtt_gzip_t. */
int rtt_gzip_write(void *ctx, const char *buf, size_t len);
/* Flush the end of the stream (the gzip trailer). 0, or -1 when down
 * failed. */
int rtt_gzip_finish(rtt_gzip_t *g);
void rtt_gzip_free(rtt_gzip_t *g);

#endif
