/* writer.c - the SQLite writer thread of ingest (see writer.h).
 *
 *   decoding thread                         writer thread
 *   rtt_writer_row() fills `cur` chunk  --> full queue --> executes rows
 *         ^                                                    |
 *         +------------------ free queue <---------------------+
 *
 * A chunk holds rows back to back: {int32 which, int32 ncol, rtt_val_t
 * [ncol]}. Rows execute in commit order. Batched statements collect BATCH
 * rows and run one "INSERT ... VALUES (...),(...),..." (one VDBE run per
 * BATCH rows). Cost per row: a copy of its values plus 1/BATCH of a
 * statement execution; a chunk handover is one mutex round trip per
 * ~RTT_WRITER_CHUNK_BYTES.
 */
#define _POSIX_C_SOURCE 200809L
#include "writer.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 256
#define CHUNK_BYTES (64 * 1024)
#define NCHUNKS 8

typedef struct chunk {
    size_t used;
    _Alignas(8) unsigned char buf[CHUNK_BYTES];
} chunk_t;

typedef struct row_hdr {
    int32_t which, ncol;
} row_hdr_t;

struct rtt_writer {
    sqlite3 *db;
    int n;
    sqlite3_stmt **st, **batch;
    int *ncol, *nrows;
    rtt_val_t **vals; /* per batched statement: BATCH x ncol */

    pthread_t th;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv_work; /* writer waits for full chunks */
    pthread_cond_t cv_done; /* producer waits for free chunks / idle */
    chunk_t *chunks[NCHUNKS];
    chunk_t *fullq[NCHUNKS], *freeq[NCHUNKS];
    int fhead, fcount, nfree;
    int busy, stop, failed;
    chunk_t *cur; /* producer side */
    size_t pending;
    char err[512];
};

static void set_error(rtt_writer_t *w, const char *fmt, ...)
{
    pthread_mutex_lock(&w->mu);
    if (!w->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->err, sizeof w->err, fmt, ap);
        va_end(ap);
        w->failed = 1;
    }
    pthread_mutex_unlock(&w->mu);
}

const char *rtt_writer_errmsg(const rtt_writer_t *w) { return w->err; }

/* --- statements ---------------------------------------------------------- */

static int count_params(const char *sql)
{
    int n = 0;
    for (const char *p = strstr(sql, "VALUES("); p && *p; p++)
        n += *p == '?';
    return n;
}

/* The BATCH-row text: the VALUES tuple of a one-row INSERT repeated; what
 * follows the tuple (e.g. ON CONFLICT) is kept. */
static char *batch_sql(const char *sql)
{
    const char *v = strstr(sql, "VALUES(");
    const char *close = v ? strchr(v, ')') : NULL;
    if (!close)
        return NULL;
    size_t head = (size_t)(v - sql) + 6, tup = (size_t)(close - (v + 6)) + 1;
    size_t tail = strlen(close + 1);
    char *buf = malloc(head + BATCH * (tup + 1) + tail + 1), *o = buf;
    if (!buf)
        return NULL;
    memcpy(o, sql, head);
    o += head;
    for (int i = 0; i < BATCH; i++) {
        if (i)
            *o++ = ',';
        memcpy(o, v + 6, tup);
        o += tup;
    }
    memcpy(o, close + 1, tail + 1);
    return buf;
}

static void bind_val(sqlite3_stmt *s, int i, rtt_val_t *v)
{
    switch (v->t) {
    case RTT_V_INT:
        sqlite3_bind_int64(s, i, v->i);
        break;
    case RTT_V_TEXT:
        sqlite3_bind_text(s, i, v->s, -1, SQLITE_STATIC);
        break;
    case RTT_V_OWNED:
        sqlite3_bind_text(s, i, v->s, -1, free); /* SQLite frees it */
        v->t = RTT_V_NULL;
        break;
    default:
        sqlite3_bind_null(s, i);
    }
}

static void free_vals(rtt_val_t *v, int n)
{
    for (int i = 0; i < n; i++)
        if (v[i].t == RTT_V_OWNED) {
            free((char *)v[i].s);
            v[i].t = RTT_V_NULL;
        }
}

static int step_reset(rtt_writer_t *w, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s); /* every parameter is bound again next time */
    if (rc != SQLITE_DONE) {
        set_error(w, "cannot write rows: %s", sqlite3_errmsg(w->db));
        return -1;
    }
    return 0;
}

/* Write the buffered rows of batched statement `which`. */
static int flush_batch(rtt_writer_t *w, int which)
{
    int n = w->nrows[which], k = w->ncol[which], rc = 0;
    rtt_val_t *vals = w->vals[which];
    w->nrows[which] = 0;
    if (n == BATCH) {
        sqlite3_stmt *s = w->batch[which];
        for (int i = 0; i < n * k; i++)
            bind_val(s, i + 1, &vals[i]);
        return step_reset(w, s);
    }
    for (int row = 0; row < n && rc == 0; row++) {
        for (int c = 0; c < k; c++)
            bind_val(w->st[which], c + 1, &vals[row * k + c]);
        rc = step_reset(w, w->st[which]);
    }
    free_vals(vals, n * k);
    return rc;
}

/* Execute one row (writer thread, or the caller when the writer is idle). */
static int exec_row(rtt_writer_t *w, int which, rtt_val_t *v)
{
    int k = w->ncol[which];
    if (w->vals[which]) {
        memcpy(w->vals[which] + w->nrows[which] * k, v, (size_t)k * sizeof *v);
        if (++w->nrows[which] == BATCH)
            return flush_batch(w, which);
        return 0;
    }
    for (int c = 0; c < k; c++)
        bind_val(w->st[which], c + 1, &v[c]);
    return step_reset(w, w->st[which]);
}

static void run_chunk(rtt_writer_t *w, chunk_t *c, int skip)
{
    size_t off = 0;
    while (off < c->used) {
        row_hdr_t *h = (row_hdr_t *)(c->buf + off);
        rtt_val_t *v = (rtt_val_t *)(h + 1);
        if (skip || exec_row(w, h->which, v) != 0) {
            skip = 1;
            free_vals(v, h->ncol);
        }
        off += sizeof *h + (size_t)h->ncol * sizeof *v;
    }
    c->used = 0;
}

/* --- thread ---------------------------------------------------------------- */

static void *writer_main(void *arg)
{
    rtt_writer_t *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->fcount == 0 && !w->stop)
            pthread_cond_wait(&w->cv_work, &w->mu);
        if (w->fcount == 0)
            break;
        chunk_t *c = w->fullq[w->fhead];
        w->fhead = (w->fhead + 1) % NCHUNKS;
        w->fcount--;
        w->busy = 1;
        int skip = w->failed;
        pthread_mutex_unlock(&w->mu);
        run_chunk(w, c, skip);
        pthread_mutex_lock(&w->mu);
        w->busy = 0;
        w->freeq[w->nfree++] = c;
        pthread_cond_broadcast(&w->cv_done);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* Hand the current chunk to the writer (caller holds no lock). */
static void submit(rtt_writer_t *w)
{
    if (!w->cur)
        return;
    pthread_mutex_lock(&w->mu);
    if (w->cur->used) {
        w->fullq[(w->fhead + w->fcount) % NCHUNKS] = w->cur;
        w->fcount++;
        pthread_cond_signal(&w->cv_work);
    } else {
        w->freeq[w->nfree++] = w->cur;
    }
    w->cur = NULL;
    pthread_mutex_unlock(&w->mu);
}

rtt_val_t *rtt_writer_row(rtt_writer_t *w, int which)
{
    size_t need = sizeof(row_hdr_t) + (size_t)w->ncol[which] * sizeof(rtt_val_t);
    if (!w->cur || w->cur->used + need > CHUNK_BYTES) {
        submit(w);
        pthread_mutex_lock(&w->mu);
        while (w->nfree == 0 && !w->failed)
            pthread_cond_wait(&w->cv_done, &w->mu);
        int failed = w->failed;
        if (!failed)
            w->cur = w->freeq[--w->nfree];
        pthread_mutex_unlock(&w->mu);
        if (failed)
            return NULL;
    }
    row_hdr_t *h = (row_hdr_t *)(w->cur->buf + w->cur->used);
    h->which = which;
    h->ncol = w->ncol[which];
    w->pending = need;
    return (rtt_val_t *)(h + 1) - 1; /* the caller fills every slot */
}

void rtt_writer_commit(rtt_writer_t *w)
{
    w->cur->used += w->pending;
    w->pending = 0;
}

int rtt_writer_idle(rtt_writer_t *w)
{
    submit(w);
    pthread_mutex_lock(&w->mu);
    while (w->fcount > 0 || w->busy)
        pthread_cond_wait(&w->cv_done, &w->mu);
    int rc = w->failed ? -1 : 0;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int rtt_writer_sync(rtt_writer_t *w)
{
    if (rtt_writer_idle(w) != 0)
        return -1;
    /* idle: the thread waits for work and touches no batch buffer */
    for (int i = 0; i < w->n; i++)
        if (w->vals[i] && w->nrows[i] && flush_batch(w, i) != 0)
            return -1; /* set_error marked the writer failed */
    return 0;
}

static void stop_thread(rtt_writer_t *w)
{
    if (!w->started)
        return;
    submit(w);
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv_work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    w->started = 0;
}

int rtt_writer_finish(rtt_writer_t *w)
{
    if (rtt_writer_idle(w) != 0)
        return -1;
    stop_thread(w);
    for (int i = 0; i < w->n; i++)
        if (w->vals[i] && w->nrows[i] && flush_batch(w, i) != 0)
            return -1;
    return w->failed ? -1 : 0;
}

void rtt_writer_destroy(rtt_writer_t *w)
{
    if (!w)
        return;
    if (w->started) {
        pthread_mutex_lock(&w->mu);
        w->failed = 1; /* drop what is queued */
        pthread_mutex_unlock(&w->mu);
        stop_thread(w);
    }
    for (int i = 0; i < NCHUNKS; i++) {
        if (w->chunks[i])
            run_chunk(w, w->chunks[i], 1); /* frees owned strings */
        free(w->chunks[i]);
    }
    for (int i = 0; i < w->n; i++) {
        if (w->st)
            sqlite3_finalize(w->st[i]);
        if (w->batch)
            sqlite3_finalize(w->batch[i]);
        if (w->vals && w->vals[i]) {
            free_vals(w->vals[i], w->nrows[i] * w->ncol[i]);
            free(w->vals[i]);
        }
    }
    free(w->st);
    free(w->batch);
    free(w->vals);
    free(w->ncol);
    free(w->nrows);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv_work);
    pthread_cond_destroy(&w->cv_done);
    free(w);
}

rtt_writer_t *rtt_writer_create(sqlite3 *db, const char *const *sql,
                                const int *batched, int n, char *err,
                                size_t errlen)
{
    rtt_writer_t *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv_work, NULL);
    pthread_cond_init(&w->cv_done, NULL);
    w->db = db;
    w->n = n;
    w->st = calloc((size_t)n, sizeof *w->st);
    w->batch = calloc((size_t)n, sizeof *w->batch);
    w->vals = calloc((size_t)n, sizeof *w->vals);
    w->ncol = calloc((size_t)n, sizeof *w->ncol);
    w->nrows = calloc((size_t)n, sizeof *w->nrows);
    if (!w->st || !w->batch || !w->vals || !w->ncol || !w->nrows)
        goto oom;
    for (int i = 0; i < n; i++) {
        w->ncol[i] = count_params(sql[i]);
        if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &w->st[i], NULL) != SQLITE_OK)
            goto sqlerr;
        if (!batched[i])
            continue;
        char *b = batch_sql(sql[i]);
        if (!b)
            goto oom;
        int rc = sqlite3_prepare_v3(db, b, -1, SQLITE_PREPARE_PERSISTENT,
                                    &w->batch[i], NULL);
        free(b);
        if (rc != SQLITE_OK)
            goto sqlerr;
        w->vals[i] = calloc((size_t)BATCH * (size_t)w->ncol[i], sizeof(rtt_val_t));
        if (!w->vals[i])
            goto oom;
    }
    for (int i = 0; i < NCHUNKS; i++) {
        w->chunks[i] = malloc(sizeof(chunk_t));
        if (!w->chunks[i])
            goto oom;
        w->chunks[i]->used = 0;
        w->freeq[w->nfree++] = w->chunks[i];
    }
    if (pthread_create(&w->th, NULL, writer_main, w) != 0) {
        snprintf(err, errlen, "cannot start the writer thread");
        rtt_writer_destroy(w);
        return NULL;
    }
    w->started = 1;
    return w;
sqlerr:
    snprintf(err, errlen, "cannot prepare statement: %s", sqlite3_errmsg(db));
    rtt_writer_destroy(w);
    return NULL;
oom:
    snprintf(err, errlen, "out of memory");
    rtt_writer_destroy(w);
    return NULL;
}
