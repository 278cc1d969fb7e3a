/* lsp_thread.h - the background "language server" (lsp_thread.c): a thread
 * that takes diagnostics requests from a mutex+condvar queue, analyses for a
 * few milliseconds of CPU, and answers with an async event (type
 * EV_DIAGNOSTICS, data lsp_result_t, cause = the request's id). */
#ifndef EDSIM_LSP_THREAD_H
#define EDSIM_LSP_THREAD_H

#include <rtk/rtk.h>
#include <stdint.h>

typedef struct lsp_result {
    uint64_t version;      /* buffer version analysed */
    uint32_t diagnostics;  /* problems found */
} lsp_result_t;

typedef struct lsp_counters {
    uint64_t requests, answered, refused; /* refused: emit_async failed */
    uint64_t dropped;                     /* queue full at request time */
} lsp_counters_t;

typedef struct lsp lsp_t;

/* Start the thread. seed makes analysis costs deterministic. NULL on error. */
lsp_t *lsp_start(rtk_runtime_t *rt, uint64_t seed);

/* Queue a request (any thread; the loop thread here). req_id is the id the
 * answer names as its cause. Returns 0, or -1 if the queue is full. O(1). */
int lsp_request(lsp_t *l, rtk_id_t req_id, uint64_t version, uint64_t length);

/* Stop the thread (pending requests are dropped), join it, fill *c, free. */
void lsp_stop(lsp_t *l, lsp_counters_t *c);

#endif
