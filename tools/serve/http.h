/* http.h - the viewer's HTTP server (http.c): libmicrohttpd on 127.0.0.1,
 * one internal polling thread, serving the embedded page at / and the
 * JSON API (api.h) under /api/. */
#ifndef RTT_HTTP_H
#define RTT_HTTP_H

#include "api.h"

typedef struct rtt_http rtt_http_t;

/* Start serving on 127.0.0.1:port (0: a free port chosen by the kernel).
 * Returns the server, with the bound port in *bound, or NULL with one line
 * in err (e.g. "port 8080 is in use"). */
rtt_http_t *rtt_http_start(rtt_api_t *api, unsigned port, unsigned *bound, char *err,
                           size_t errlen);
void rtt_http_stop(rtt_http_t *h);

#endif
