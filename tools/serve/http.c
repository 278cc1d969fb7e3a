/* http.c - `rt-trace view`'s server: libmicrohttpd bound to 127.0.0.1 with
 * one internal polling thread (every request, and so every database
 * access, on that one thread). GET / is the embedded page; GET /api/...
 * is answered by api.c; anything else is a JSON 404, any other method a
 * 405. Cost per request: the engine call's; the page is served from the
 * binary without a copy. */
#define _POSIX_C_SOURCE 200809L
#include "http.h"

#include "page.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct rtt_http {
    struct MHD_Daemon *d;
    rtt_api_t *api;
};

static const char *get_arg(void *ctx, const char *name)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
                            void *buf, size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, buf, mode);
    if (!r) {
        if (mode == MHD_RESPMEM_MUST_FREE)
            free(buf);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version,
                              const char *upload, size_t *upload_size, void **state)
{
    (void)version;
    (void)upload;
    rtt_http_t *h = cls;
    if (!*state) { /* first call: headers only */
        *state = h;
        return MHD_YES;
    }
    if (*upload_size) { /* no request bodies: ignore them */
        *upload_size = 0;
        return MHD_YES;
    }
    static char bad_method[] = "{\"error\": \"only GET is served\"}\n";
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return reply(c, 405, "application/json", bad_method, sizeof bad_method - 1,
                    MHD_RESPMEM_PERSISTENT);
    if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
        return reply(c, 200, "text/html; charset=utf-8", (void *)rtt_viewer_html,
                    rtt_viewer_html_len, MHD_RESPMEM_PERSISTENT);
    char *body;
    size_t len;
    int status;
    if (!strncmp(url, "/api/", 5)) {
        status = rtt_api_answer(h->api, url, get_arg, c, &body, &len);
    } else {
        status = 404;
        body = strdup("{\"error\": \"not found: only / and /api/ are served\"}\n");
        len = body ? strlen(body) : 0;
    }
    if (!body) {
        static char oom[] = "{\"error\": \"out of memory\"}\n";
        return reply(c, 500, "application/json", oom, sizeof oom - 1,
                    MHD_RESPMEM_PERSISTENT);
    }
    return reply(c, (unsigned)status, "application/json", body, len,
                MHD_RESPMEM_MUST_FREE);
}

rtt_http_t *rtt_http_start(rtt_api_t *api, unsigned port, unsigned *bound, char *err,
                           size_t errlen)
{
    /* Bind ourselves, so a port in use is told as such (MHD only says it
     * failed) and port 0 gives the kernel's free port. */
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a socket: %s", strerror(errno));
        return NULL;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 32)) {
        int e = errno;
        close(fd);
        if (e == EADDRINUSE)
            snprintf(err, errlen, "port %u is in use: 127.0.0.1:%u", port, port);
        else
            snprintf(err, errlen, "cannot listen on 127.0.0.1:%u: %s", port, strerror(e));
        return NULL;
    }
    socklen_t sl = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &sl);
    rtt_http_t *h = calloc(1, sizeof *h);
    if (!h) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    h->api = api;
    h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL, NULL,
                            handle, h, MHD_OPTION_LISTEN_SOCKET, fd,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                            MHD_OPTION_END);
    if (!h->d) {
        close(fd);
        free(h);
        snprintf(err, errlen, "cannot start the HTTP server on 127.0.0.1:%u", port);
        return NULL;
    }
    *bound = ntohs(sa.sin_port);
    return h;
}

void rtt_http_stop(rtt_http_t *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}
