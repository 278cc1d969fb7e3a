/* lsp_thread.c - the language server thread. Requests wait in a fixed ring
 * (LSP_QUEUE) under a mutex; the thread sleeps on a condvar while it is
 * empty. Each analysis spins 2-12 ms (drawn from the seed and the request
 * number), then posts the result with rtk_event_emit_async, naming the
 * request's id as the cause so the trace links answer to question. */
#include "lsp_thread.h"

#include <pthread.h>
#include <stdlib.h>

#include "editor.h"
#include "prng.h"
#include "spin.h"

#define LSP_QUEUE 64

typedef struct lsp_req {
    rtk_id_t id;
    uint64_t version, length;
} lsp_req_t;

struct lsp {
    rtk_runtime_t *rt;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    lsp_req_t q[LSP_QUEUE];
    size_t head, len;
    int stop;
    prng_t rng;          /* LSP thread only */
    lsp_counters_t c;    /* requests/dropped under mu; the rest LSP thread */
};

static void analyse_some(void *ctx)
{
    volatile uint64_t *acc = ctx;
    for (int i = 0; i < 256; i++)
        *acc = *acc * 6364136223846793005ULL + 1442695040888963407ULL;
}

static void *lsp_main(void *arg)
{
    lsp_t *l = arg;
    for (;;) {
        pthread_mutex_lock(&l->mu);
        while (!l->len && !l->stop)
            pthread_cond_wait(&l->cv, &l->mu);
        if (l->stop) {
            pthread_mutex_unlock(&l->mu);
            return NULL;
        }
        lsp_req_t r = l->q[l->head];
        l->head = (l->head + 1) % LSP_QUEUE;
        l->len--;
        pthread_mutex_unlock(&l->mu);

        volatile uint64_t acc = r.version ^ r.length;
        uint64_t cost = (uint64_t)(prng_logrange(&l->rng, 2.0, 12.0) * 1e6);
        ed_spin(cost, analyse_some, (void *)&acc);

        lsp_result_t *res = malloc(sizeof *res);
        if (!res)
            continue;
        res->version = r.version;
        res->diagnostics = (uint32_t)((acc >> 7) % 5);
        rtk_event_desc_t d = {0};
        d.type = EV_DIAGNOSTICS;
        d.data = res;
        d.dtor = free;
        d.cause = r.id;
        if (rtk_event_emit_async(l->rt, &d, NULL) == RTK_OK)
            l->c.answered++;
        else
            l->c.refused++; /* dtor already ran */
    }
}

lsp_t *lsp_start(rtk_runtime_t *rt, uint64_t seed)
{
    lsp_t *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->rt = rt;
    prng_seed(&l->rng, seed, 2);
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    if (pthread_create(&l->thread, NULL, lsp_main, l) != 0) {
        pthread_cond_destroy(&l->cv);
        pthread_mutex_destroy(&l->mu);
        free(l);
        return NULL;
    }
    return l;
}

int lsp_request(lsp_t *l, rtk_id_t req_id, uint64_t version, uint64_t length)
{
    int rc = 0;
    pthread_mutex_lock(&l->mu);
    l->c.requests++;
    if (l->len == LSP_QUEUE) {
        l->c.dropped++;
        rc = -1;
    } else {
        l->q[(l->head + l->len) % LSP_QUEUE] = (lsp_req_t){req_id, version,
                                                          length};
        l->len++;
        pthread_cond_signal(&l->cv);
    }
    pthread_mutex_unlock(&l->mu);
    return rc;
}

void lsp_stop(lsp_t *l, lsp_counters_t *c)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mu);
    l->stop = 1;
    pthread_cond_signal(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    if (c)
        *c = l->c;
    pthread_cond_destroy(&l->cv);
    pthread_mutex_destroy(&l->mu);
    free(l);
}
