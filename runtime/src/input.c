/* input.c - input marks (rtk:input) and the input reader thread.
 *
 * A mark is one id and one tracepoint. The reader is a thread blocked in
 * poll() on the caller's fd and a wake-up eventfd: each read is stamped
 * right after read() returns, copied into one heap block, marked, and sent
 * to the loop as a ScheduleTask command whose task (cause: the input)
 * calls the user's function and frees the block. The reader is reference
 * counted: one reference for its owner (dropped by stop) and one per read
 * sent and not yet run, so a task that runs after stop still finds it.
 */
#include "internal.h"
#include "trace.h"

#include <rtk/input.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define READ_MAX 4096
#define READER_NAME "input"

int rtk_input_mark(rtk_runtime_t *rt, uint64_t input_ns, const char *name,
                   rtk_id_t *id)
{
    if (!rt || !id)
        return RTK_EINVAL;
    *id = rtk__next_id();
    (void)name; /* traced only */
    if (input_ns == 0 || RTK_TP_ON(input)) {
        uint64_t now = rtk__now(rt);
        if (input_ns == 0 || input_ns > now)
            input_ns = now;
        RTK_TP(input, *id, rtk__tls.cause, input_ns, now,
               name && *name ? name : READER_NAME);
    }
    return RTK_OK;
}

struct rtk_input_reader {
    rtk_runtime_t *rt;
    int fd, wake_fd;
    rtk_input_fn fn;
    void *user;
    pthread_t thread;
    atomic_uint_fast64_t refs;
    /* run_mu: held by deliver from its check of `stopped` to the end of
     * fn, and by stop to set it: stop waits out a running callback, and fn
     * never runs after stop returns. mu guards what follows (held briefly,
     * never across fn, so fn may read the stats). */
    pthread_mutex_t run_mu, mu;
    bool stopped;
    rtk_input_reader_stats_t st;
    uint64_t in_flight, in_flight_bytes; /* sent, not yet run */
};

typedef struct chunk {
    rtk_input_reader_t *reader;
    rtk_input_t in;
    unsigned char data[];
} chunk_t;

static void reader_unref(rtk_input_reader_t *r)
{
    if (atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) == 1) {
        close(r->wake_fd);
        pthread_mutex_destroy(&r->run_mu);
        pthread_mutex_destroy(&r->mu);
        free(r);
    }
}

/* The loop-side task of one read. */
static int deliver(void *arg)
{
    chunk_t *c = arg;
    rtk_input_reader_t *r = c->reader;
    pthread_mutex_lock(&r->run_mu);
    pthread_mutex_lock(&r->mu);
    bool run = !r->stopped;
    if (run) {
        r->in_flight--;
        r->in_flight_bytes -= c->in.len;
    }
    pthread_mutex_unlock(&r->mu);
    if (run) {
        r->fn(r->rt, &c->in, r->user);
        pthread_mutex_lock(&r->mu);
        r->st.delivered++;
        pthread_mutex_unlock(&r->mu);
    }
    pthread_mutex_unlock(&r->run_mu);
    free(c);
    reader_unref(r);
    return 0;
}

/* Count one read attempt at its end (so a reader of the stats that sees it
 * counted sees its fate too): sent, or dropped. */
static void count_read(rtk_input_reader_t *r, size_t len, bool sent)
{
    pthread_mutex_lock(&r->mu);
    if (len) {
        r->st.reads++;
        r->st.bytes += len;
    }
    if (!sent) { /* in flight since before the send: take it out */
        r->in_flight--;
        r->in_flight_bytes -= len;
        r->st.dropped++;
        r->st.dropped_bytes += len;
    }
    pthread_mutex_unlock(&r->mu);
}

/* Mark and send one read (len 0: end of file or error). 0, or -1 when the
 * read was dropped (counted). */
static int send_read(rtk_input_reader_t *r, const unsigned char *buf,
                     size_t len, uint64_t t, int err)
{
    chunk_t *c = malloc(sizeof *c + len);
    if (!c) {
        pthread_mutex_lock(&r->mu);
        r->in_flight++; /* as if sent: count_read takes it out */
        r->in_flight_bytes += len;
        pthread_mutex_unlock(&r->mu);
        count_read(r, len, false);
        return -1;
    }
    c->reader = r;
    if (len)
        memcpy(c->data, buf, len);
    c->in.bytes = len ? c->data : NULL;
    c->in.len = len;
    c->in.input_ns = t;
    c->in.err = err;
    rtk_input_mark(r->rt, t, READER_NAME, &c->in.id);
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, deliver, c);
    d.priority = RTK_PRIORITY_HIGH;
    d.name = READER_NAME;
    d.cause = c->in.id;
    /* The task may run (and count itself out of in_flight) before the send
     * returns: take the reference and the in-flight place first. */
    atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
    pthread_mutex_lock(&r->mu);
    r->in_flight++;
    r->in_flight_bytes += len;
    pthread_mutex_unlock(&r->mu);
    bool sent = rtk_command_send(r->rt, RTK_CMD_SCHEDULE_TASK, &d, NULL) ==
                RTK_OK;
    if (!sent) {
        atomic_fetch_sub_explicit(&r->refs, 1, memory_order_relaxed);
        free(c);
    }
    count_read(r, len, sent);
    return sent ? 0 : -1;
}

static void *reader_main(void *arg)
{
    rtk_input_reader_t *r = arg;
    unsigned char buf[READ_MAX];
    for (;;) {
        struct pollfd p[2] = {{r->fd, POLLIN, 0}, {r->wake_fd, POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            send_read(r, buf, 0, rtk__now(r->rt), errno);
            break;
        }
        if (p[1].revents)
            break; /* stop */
        if (!p[0].revents)
            continue;
        ssize_t n = read(r->fd, buf, sizeof buf);
        uint64_t t = rtk__now(r->rt); /* right after read() returned */
        if (n > 0) {
            send_read(r, buf, (size_t)n, t, 0);
            continue;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN ||
                      errno == EWOULDBLOCK))
            continue;
        send_read(r, buf, 0, t, n < 0 ? errno : 0); /* end of input */
        break;
    }
    return NULL;
}

int rtk_input_reader_start(rtk_runtime_t *rt, int fd, rtk_input_fn fn,
                           void *user, rtk_input_reader_t **out)
{
    if (!rt || !fn || !out || fd < 0)
        return RTK_EINVAL;
    *out = NULL;
    rtk_input_reader_t *r = calloc(1, sizeof *r);
    if (!r)
        return RTK_ENOMEM;
    r->rt = rt;
    r->fd = fd;
    r->fn = fn;
    r->user = user;
    atomic_init(&r->refs, 1);
    if (pthread_mutex_init(&r->mu, NULL) != 0) {
        free(r);
        return RTK_ENOMEM;
    }
    if (pthread_mutex_init(&r->run_mu, NULL) != 0) {
        pthread_mutex_destroy(&r->mu);
        free(r);
        return RTK_ENOMEM;
    }
    r->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (r->wake_fd < 0) {
        pthread_mutex_destroy(&r->run_mu);
        pthread_mutex_destroy(&r->mu);
        free(r);
        return RTK_ESYS;
    }
    int rc = pthread_create(&r->thread, NULL, reader_main, r);
    if (rc != 0) {
        close(r->wake_fd);
        pthread_mutex_destroy(&r->run_mu);
        pthread_mutex_destroy(&r->mu);
        free(r);
        errno = rc;
        return RTK_ESYS;
    }
    *out = r;
    return RTK_OK;
}

void rtk_input_reader_stats(const rtk_input_reader_t *r,
                            rtk_input_reader_stats_t *o)
{
    rtk_input_reader_t *m = (rtk_input_reader_t *)r;
    pthread_mutex_lock(&m->mu);
    *o = m->st;
    pthread_mutex_unlock(&m->mu);
}

void rtk_input_reader_stop(rtk_input_reader_t *r,
                           rtk_input_reader_stats_t *final)
{
    if (!r)
        return;
    uint64_t one = 1;
    ssize_t w;
    do
        w = write(r->wake_fd, &one, sizeof one);
    while (w < 0 && errno == EINTR);
    pthread_join(r->thread, NULL);
    pthread_mutex_lock(&r->run_mu);
    pthread_mutex_lock(&r->mu);
    r->stopped = true;
    r->st.dropped += r->in_flight; /* their tasks will only free them */
    r->st.dropped_bytes += r->in_flight_bytes;
    if (final)
        *final = r->st;
    pthread_mutex_unlock(&r->mu);
    pthread_mutex_unlock(&r->run_mu);
    reader_unref(r);
}
