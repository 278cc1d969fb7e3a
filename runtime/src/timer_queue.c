/* timer_queue.c - the timers' deadline queue: entries {deadline, seq, slot}
 * come out in (deadline, seq) order, i.e. deadline order, FIFO for equal
 * deadlines. Entries are never removed by cancel: a stale one stays until
 * it reaches the front or the owner filters the queue.
 *
 *   ring   a wheel of RTK__TQ_BUCKETS unsorted buckets, bucket b = deadline
 *          >> SHIFT (~4.2 ms wide, ~4.3 s in all) for b in [cur, cur +
 *          RTK__TQ_BUCKETS): a push is an append, in arm (seq) order, to
 *          the bucket's chain of 1 KiB chunks, and keeps the bucket's first
 *          entry inline; a bitmap finds the first nonempty bucket in 16
 *          words
 *   pool   the chunks: a LIFO free list, so the chunk a drained or filtered
 *          bucket gives back is the next one filled, still in cache. Its
 *          first block holds 1.25 entries a max_timers and is faulted in
 *          at create: a burst of starts neither page-faults nor copies a
 *          growing buffer (buckets were doubling arrays before: 15-20 ns a
 *          start at 1 M timers went to faults and copies). Past it, blocks
 *          are added as needed and released when the queue empties.
 *   run    the bucket before `cur` being drained: when its first entry is
 *          popped the bucket is radix-sorted by deadline, stably so FIFO
 *          holds, from its chunks into the run buffer (its chunks go back
 *          to the pool) and popped from the front, the slots a few entries
 *          ahead loaded early (a burst of fires is miss-bound)
 *   near   4-ary min-heap for pushes into buckets before `cur` (deadlines
 *          already due, or due within the bucket being drained)
 *   far    4-ary min-heap for buckets past the ring at push time; compared
 *          with the other fronts rather than migrated
 *
 *   push        O(1) (near or far: O(log n) worst, O(1) expected)
 *   min         O(1): the least of run's, near's and far's fronts, or the
 *               first bucket's first entry when run and near are empty
 *   pop         O(1) run; O(log n) near or far; O(k) to take a bucket of k
 *               entries into run (no allocation: run and the scratch
 *               buffer grow with the buckets, at push)
 *   filter      O(n); reslot (after a table doubling) O(n); clear
 *               O(buckets in use)
 *   memory      16 bytes an entry in 1 KiB chunks (63 entries), the first
 *               block 20 bytes a max_timers; the run and scratch buffers
 *               the size of the biggest bucket; 40 KiB of bucket heads */
#include "timer_queue.h"

#include <stdlib.h>

typedef rtk__tentry_t entry_t;
typedef rtk__tvec_t vec_t;

#define ARITY 4
#define SHIFT 22 /* bucket width: 2^22 ns; a 1 s burst spans ~240 buckets */
#define NB RTK__TQ_BUCKETS
#define NW (NB / 64)
#define AHEAD 12        /* run entries whose slots are loaded ahead */
#define FILTER_AHEAD 48 /* filtered entries whose slots are loaded ahead */

enum { FROM_NONE, FROM_RUN, FROM_NEAR, FROM_FAR, FROM_RING };

static inline bool before(const entry_t *a, const entry_t *b)
{
    return a->deadline < b->deadline ||
           (a->deadline == b->deadline && (int32_t)(a->seq - b->seq) < 0);
}

/* ---- 4-ary heap on a vec ---------------------------------------------- */

static void sift_up(entry_t *h, size_t i)
{
    entry_t e = h[i];
    while (i > 0) {
        size_t p = (i - 1) / ARITY;
        if (!before(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static void sift_down(entry_t *h, size_t n, size_t i)
{
    entry_t e = h[i];
    for (;;) {
        size_t c = ARITY * i + 1;
        if (c >= n)
            break;
        size_t best = c, end = c + ARITY < n ? c + ARITY : n;
        for (size_t k = c + 1; k < end; k++)
            if (before(&h[k], &h[best]))
                best = k;
        if (!before(&h[best], &e))
            break;
        h[i] = h[best];
        i = best;
    }
    h[i] = e;
}

static void heapify(vec_t *v)
{
    for (size_t i = v->len / ARITY + 1; i-- > 0;)
        if (i < v->len)
            sift_down(v->e, v->len, i);
}

static void heap_pop(vec_t *v)
{
    v->e[0] = v->e[--v->len];
    if (v->len)
        sift_down(v->e, v->len, 0);
}

static int vec_add(vec_t *v, entry_t e)
{
    if (v->len == v->cap) {
        if (v->cap >= UINT32_MAX / 2)
            return RTK_ENOMEM;
        uint32_t nc = v->cap ? v->cap * 2 : 16;
        entry_t *ne = rtk__realloc(v->e, (size_t)nc * sizeof *ne);
        if (!ne)
            return RTK_ENOMEM;
        v->e = ne;
        v->cap = nc;
    }
    v->e[v->len++] = e;
    return RTK_OK;
}

/* An emptied vec keeps a modest buffer for reuse; a burst's big one goes. */
static void vec_trim(vec_t *v)
{
    if (v->len == 0 && v->cap > 1024) {
        rtk__free(v->e);
        *v = (vec_t){0};
    }
}

/* ---- chunks and their pool ------------------------------------------ */

#define CH 63           /* entries a chunk: a 16-byte head + 63 x 16 = 1 KiB */
#define BLOCK_HEAD 64   /* a block: this head, then its chunks */
#define EXTRA_MIN 64    /* chunks in the smallest added block */

struct rtk__tchunk {
    rtk__tchunk_t *next; /* in a bucket's chain, or in the free list */
    uint64_t pad_;
    entry_t e[CH];
};
_Static_assert(sizeof(struct rtk__tchunk) == 1024, "a chunk is 16 lines");

typedef struct block_head {
    void *next; /* the next added block */
} block_head_t;

static rtk__tchunk_t *block_chunks(void *block)
{
    return (rtk__tchunk_t *)((char *)block + BLOCK_HEAD);
}

/* Put a block's chunks on the free list, the first one on top. */
static void pool_take_block(rtk__tpool_t *p, void *block, size_t n)
{
    rtk__tchunk_t *c = block_chunks(block);
    for (size_t i = n; i-- > 0;) {
        c[i].next = p->free;
        p->free = &c[i];
    }
}

/* The free list is empty: add a block half the size of what there is
 * (at least EXTRA_MIN chunks); its pages fault in as they are used. */
static int pool_grow(rtk__tpool_t *p)
{
    size_t n = (p->first_chunks + p->extra_chunks) / 2;
    if (n < EXTRA_MIN)
        n = EXTRA_MIN;
    void *b = rtk__aligned_alloc(64, BLOCK_HEAD + n * sizeof(rtk__tchunk_t));
    if (!b)
        return RTK_ENOMEM;
    ((block_head_t *)b)->next = p->extra;
    p->extra = b;
    p->extra_chunks += n;
    pool_take_block(p, b, n);
    return RTK_OK;
}

static inline rtk__tchunk_t *pool_get(rtk__tpool_t *p)
{
    if (!p->free && pool_grow(p) != RTK_OK)
        return NULL;
    rtk__tchunk_t *c = p->free;
    p->free = c->next;
    c->next = NULL;
    /* the next one's head is read on the next get, maybe 63 appends on:
     * load it now (a free chunk is cold unless it was just given back) */
    if (p->free)
        __builtin_prefetch(p->free, 1);
    return c;
}

/* Give back a chain head .. tail (linked through next). */
static inline void pool_put(rtk__tpool_t *p, rtk__tchunk_t *head,
                            rtk__tchunk_t *tail)
{
    tail->next = p->free;
    p->free = head;
}

static void pool_free_extra(rtk__tpool_t *p)
{
    for (void *b = p->extra; b;) {
        void *next = ((block_head_t *)b)->next;
        rtk__free(b);
        b = next;
    }
    p->extra = NULL;
    p->extra_chunks = 0;
}

/* Every chunk is free (the queue is empty): added blocks go, the free list
 * is the first block's again. O(its chunks): after a burst that outgrew it. */
static void pool_release_extra(rtk__tpool_t *p)
{
    if (!p->extra)
        return;
    pool_free_extra(p);
    p->free = NULL;
    pool_take_block(p, p->first, p->first_chunks);
}

/* ---- buckets ------------------------------------------------------------ */

static void bucket_release(rtk__tqueue_t *q, rtk__tbucket_t *bk)
{
    if (bk->head)
        pool_put(&q->pool, bk->head, bk->tail);
    bk->head = bk->tail = NULL;
    bk->len = bk->tail_len = 0;
}

/* The run and scratch buffers must hold the biggest bucket (sorting then
 * never allocates): grow both to `need` entries or more. RTK_ENOMEM leaves
 * them usable as they were. */
static int scratch_reserve(rtk__tqueue_t *q, uint32_t need)
{
    if (need <= q->tmp.cap && need <= q->run.cap)
        return RTK_OK;
    uint32_t nc = 64;
    while (nc < need) {
        if (nc >= UINT32_MAX / 2)
            return RTK_ENOMEM;
        nc *= 2;
    }
    if (q->run.cap < nc) {
        entry_t *ne = rtk__realloc(q->run.e, (size_t)nc * sizeof *ne);
        if (!ne)
            return RTK_ENOMEM;
        q->run.e = ne; /* entries [at, len) kept */
        q->run.cap = nc;
    }
    if (q->tmp.cap < nc) {
        entry_t *nt = rtk__malloc((size_t)nc * sizeof *nt);
        if (!nt)
            return RTK_ENOMEM;
        rtk__free(q->tmp.e);
        q->tmp = (vec_t){.e = nt, .cap = nc};
    }
    return RTK_OK;
}

/* Stable sort of a bucket by deadline into the run buffer: equal
 * deadlines keep their arm order. Keys are the deadline's low SHIFT bits
 * (the bucket fixes the rest): two counting passes of 11 bits each, chunks
 * to scratch to run, or a copy and insertion for a few entries. */
static void bucket_sort(rtk__tqueue_t *q, const rtk__tbucket_t *bk)
{
    size_t n = bk->len;
    entry_t *out = q->run.e, *tmp = q->tmp.e;
    const rtk__tchunk_t *c = bk->head;
    if (n < 48) {
        for (size_t i = 0, ci = 0; i < n; i++, ci++) {
            if (ci == CH) {
                c = c->next;
                ci = 0;
            }
            entry_t x = c->e[ci];
            size_t j = i;
            for (; j > 0 && out[j - 1].deadline > x.deadline; j--)
                out[j] = out[j - 1];
            out[j] = x;
        }
        return;
    }
    enum { B1 = 11, B2 = SHIFT - B1 };
    uint32_t c1[1u << B1] = {0}, c2[1u << B2] = {0};
    for (size_t left = n; left; c = c->next) {
        size_t k = left < CH ? left : CH;
        for (size_t i = 0; i < k; i++) {
            uint32_t key = (uint32_t)c->e[i].deadline;
            c1[key & ((1u << B1) - 1)]++;
            c2[(key >> B1) & ((1u << B2) - 1)]++;
        }
        left -= k;
    }
    uint32_t s1 = 0, s2 = 0;
    for (size_t i = 0; i < (1u << B1); i++) {
        uint32_t k = c1[i];
        c1[i] = s1;
        s1 += k;
    }
    for (size_t i = 0; i < (1u << B2); i++) {
        uint32_t k = c2[i];
        c2[i] = s2;
        s2 += k;
    }
    c = bk->head;
    for (size_t left = n; left; c = c->next) {
        size_t k = left < CH ? left : CH;
        for (size_t i = 0; i < k; i++)
            tmp[c1[(uint32_t)c->e[i].deadline & ((1u << B1) - 1)]++] = c->e[i];
        left -= k;
    }
    for (size_t i = 0; i < n; i++)
        out[c2[((uint32_t)tmp[i].deadline >> B1) & ((1u << B2) - 1)]++] = tmp[i];
}

/* ---- ring ------------------------------------------------------------- */

static bool ring_empty(const rtk__tqueue_t *q)
{
#ifndef NDEBUG
    uint32_t set = 0;
    for (size_t w = 0; w < NW; w++)
        set += (uint32_t)__builtin_popcountll(q->bits[w]);
    assert(set == q->ring_busy);
#endif
    return q->ring_busy == 0;
}

/* Ring position of the first nonempty bucket from cur on, or -1. */
static long ring_first(const rtk__tqueue_t *q)
{
    if (ring_empty(q))
        return -1;
    size_t start = (size_t)(q->cur % NB), w0 = start / 64;
    uint64_t first = q->bits[w0] & (~(uint64_t)0 << (start % 64));
    if (first)
        return (long)(w0 * 64 + (size_t)__builtin_ctzll(first));
    for (size_t k = 1; k <= NW; k++) {
        size_t w = (w0 + k) % NW;
        uint64_t b = q->bits[w];
        if (w == w0) /* wrapped round: the bits below start */
            b &= ~(~(uint64_t)0 << (start % 64));
        if (b)
            return (long)(w * 64 + (size_t)__builtin_ctzll(b));
    }
    return -1;
}

/* Append to a ring bucket. What can fail (the buffers a sort of the
 * grown bucket needs, a new chunk) comes first: on RTK_ENOMEM the queue
 * holds what it held. */
static int ring_add(rtk__tqueue_t *q, size_t pos, entry_t e)
{
    rtk__tbucket_t *bk = &q->ring[pos];
    uint32_t n = bk->len, at = bk->tail_len;
    if (n == UINT32_MAX)
        return RTK_ENOMEM;
    if (n + 1 > q->tmp.cap && scratch_reserve(q, n + 1) != RTK_OK)
        return RTK_ENOMEM;
    if (at == CH || n == 0) {
        rtk__tchunk_t *c = pool_get(&q->pool);
        if (!c)
            return RTK_ENOMEM;
        if (n == 0)
            bk->head = c;
        else
            bk->tail->next = c;
        bk->tail = c;
        at = 0;
    }
    bk->tail->e[at] = e;
    bk->tail_len = at + 1;
    bk->len = n + 1;
    if (n == 0 || before(&e, &bk->min))
        bk->min = e;
    q->ring_busy += n == 0;
    q->bits[pos / 64] |= (uint64_t)1 << (pos % 64);
    /* a burst spread over many buckets appends to as many streams, too
     * many for the hardware to see: ask for the bucket's next line now,
     * ahead of its next append (past the chunk's end it may be another
     * chunk's head or unmapped: a prefetch never faults) */
    __builtin_prefetch(&bk->tail->e[at + 4], 1);
    return RTK_OK;
}

/* Run and near are empty and the first nonempty bucket, at `pos`, is
 * wanted: it is sorted into the run, its chunks go back to the pool. */
static void promote(rtk__tqueue_t *q, long pos)
{
    size_t start = (size_t)(q->cur % NB);
    uint64_t b = q->cur + (((size_t)pos + NB - start) % NB);
    rtk__tbucket_t *bk = &q->ring[pos];
    bucket_sort(q, bk);
    q->run.len = bk->len;
    q->at = 0;
    bucket_release(q, bk);
    q->bits[pos / 64] &= ~((uint64_t)1 << (pos % 64));
    q->ring_busy--;
    q->cur = b + 1;
}

static inline void load_ahead(const rtk__tqueue_t *q, const entry_t *e)
{
    if (!q->slots)
        return;
    __builtin_prefetch(&q->state[e->slot]);
    __builtin_prefetch(&q->slots[e->slot]);
}

/* ---- interface -------------------------------------------------------- */

int rtk__tq_init(rtk__tqueue_t *q, size_t max_live)
{
    *q = (rtk__tqueue_t){0};
    q->ring = rtk__calloc(NB, sizeof *q->ring);
    if (max_live > ((size_t)1 << 31)) /* the slot table's limit too */
        max_live = (size_t)1 << 31;
    size_t n = (max_live + max_live / 4) / CH + 16;
    void *first = q->ring ? rtk__timer_mem_alloc(BLOCK_HEAD + n * sizeof(rtk__tchunk_t))
                          : NULL;
    if (!first) {
        rtk__free(q->ring);
        q->ring = NULL;
        return RTK_ENOMEM;
    }
    q->pool.first = first;
    q->pool.first_chunks = n;
    pool_take_block(&q->pool, first, n);
    return RTK_OK;
}

void rtk__tq_finish(rtk__tqueue_t *q)
{
    rtk__free(q->ring);
    rtk__free(q->run.e);
    rtk__free(q->near.e);
    rtk__free(q->far.e);
    rtk__free(q->tmp.e);
    pool_free_extra(&q->pool);
    if (q->pool.first)
        rtk__timer_mem_free(q->pool.first,
                            BLOCK_HEAD + q->pool.first_chunks * sizeof(rtk__tchunk_t));
    *q = (rtk__tqueue_t){0};
}

int rtk__tq_push(rtk__tqueue_t *q, entry_t e, uint64_t now)
{
    uint64_t b = e.deadline >> SHIFT;
    if ((now >> SHIFT) > q->cur && q->near.len == 0 && q->at == q->run.len &&
        ring_empty(q))
        q->cur = now >> SHIFT; /* nothing before the present to keep */
    int rc;
    if (b < q->cur) {
        if ((rc = vec_add(&q->near, e)) == RTK_OK)
            sift_up(q->near.e, q->near.len - 1);
    } else if (b - q->cur < NB) {
        rc = ring_add(q, (size_t)(b % NB), e);
    } else if ((rc = vec_add(&q->far, e)) == RTK_OK) {
        sift_up(q->far.e, q->far.len - 1);
    }
    if (rc == RTK_OK)
        q->len++;
    return rc;
}

const entry_t *rtk__tq_min(rtk__tqueue_t *q)
{
    const entry_t *m = NULL;
    q->from = FROM_NONE;
    if (q->at < q->run.len) {
        m = &q->run.e[q->at];
        q->from = FROM_RUN;
    } else if (q->near.len == 0) {
        /* ring entries all come after near's: only now the first bucket's
         * first entry counts (the bucket is sorted when it is popped) */
        long pos = ring_first(q);
        if (pos >= 0) {
            m = &q->ring[pos].min;
            q->from = FROM_RING;
        }
    }
    if (q->near.len && (!m || before(&q->near.e[0], m))) {
        m = &q->near.e[0];
        q->from = FROM_NEAR;
    }
    if (q->far.len && (!m || before(&q->far.e[0], m))) {
        m = &q->far.e[0];
        q->from = FROM_FAR;
    }
    return m;
}

void rtk__tq_pop(rtk__tqueue_t *q)
{
    switch (q->from) {
    case FROM_RING:
        promote(q, ring_first(q)); /* its first entry heads the run now */
        /* fall through */
    case FROM_RUN:
        if (q->at + AHEAD < q->run.len)
            load_ahead(q, &q->run.e[q->at + AHEAD]);
        if (++q->at == q->run.len)
            q->at = q->run.len = 0;
        break;
    case FROM_NEAR:
        heap_pop(&q->near);
        break;
    case FROM_FAR:
        heap_pop(&q->far);
        break;
    default:
        return;
    }
    q->from = FROM_NONE;
    q->len--;
}

static size_t vec_filter(vec_t *v, size_t from, const rtk__tstate_t *st)
{
    size_t k = 0, n = v->len;
    for (size_t i = from; i < n; i++) {
        /* entries are in random slot order: load far ahead so that many
         * misses overlap instead of queueing one by one; keep without a
         * branch (which way it goes is random too) */
        if (i + FILTER_AHEAD < n)
            __builtin_prefetch(&st[v->e[i + FILTER_AHEAD].slot]);
        entry_t e = v->e[i];
        v->e[k] = e;
        k += st[e.slot].seq == e.seq;
    }
    v->len = (uint32_t)k;
    return n - from - k;
}

/* Keep a bucket's live entries, in order, compacted towards its head;
 * emptied chunks go back to the pool and the first entry is found again.
 * Returns how many went. */
static size_t bucket_filter(rtk__tqueue_t *q, rtk__tbucket_t *bk,
                            const rtk__tstate_t *st)
{
    size_t n = bk->len, k = 0, wi = 0, left = n;
    rtk__tchunk_t *w = bk->head;
    entry_t mn = {0, 0, 0};
    for (rtk__tchunk_t *c = bk->head; left; c = c->next) {
        size_t cnt = left < CH ? left : CH;
        for (size_t i = 0; i < cnt; i++) {
            if (i + FILTER_AHEAD / 4 < cnt)
                __builtin_prefetch(&st[c->e[i + FILTER_AHEAD / 4].slot]);
            entry_t e = c->e[i];
            if (st[e.slot].seq != e.seq)
                continue;
            if (wi == CH) { /* never past the chunk being read */
                w = w->next;
                wi = 0;
            }
            w->e[wi++] = e;
            if (k++ == 0 || before(&e, &mn))
                mn = e;
        }
        left -= cnt;
    }
    if (k == 0) {
        bucket_release(q, bk);
        return n;
    }
    if (w != bk->tail) {
        pool_put(&q->pool, w->next, bk->tail);
        w->next = NULL;
        bk->tail = w;
    }
    bk->len = (uint32_t)k;
    bk->tail_len = (uint32_t)wi;
    bk->min = mn;
    return n - k;
}

void rtk__tq_filter(rtk__tqueue_t *q, const rtk__tstate_t *st)
{
    /* order is kept: the run stays sorted, buckets stay in arm order */
    q->len -= vec_filter(&q->run, q->at, st);
    q->at = 0;
    q->len -= vec_filter(&q->near, 0, st);
    heapify(&q->near);
    q->len -= vec_filter(&q->far, 0, st);
    heapify(&q->far);
    for (size_t w = 0; w < NW; w++) {
        for (uint64_t b = q->bits[w]; b; b &= b - 1) {
            size_t pos = w * 64 + (size_t)__builtin_ctzll(b);
            q->len -= bucket_filter(q, &q->ring[pos], st);
            if (q->ring[pos].len == 0) {
                q->bits[w] &= ~((uint64_t)1 << (pos % 64));
                q->ring_busy--;
            }
        }
    }
    vec_trim(&q->near);
    vec_trim(&q->far);
}

static void vec_reslot(vec_t *v, size_t from, const rtk__tstate_t *st,
                       size_t nmask)
{
    for (size_t i = from; i < v->len; i++)
        v->e[i].slot = (uint32_t)(st[v->e[i].slot].id & nmask);
}

static void bucket_reslot(rtk__tbucket_t *bk, const rtk__tstate_t *st,
                          size_t nmask)
{
    size_t left = bk->len;
    for (rtk__tchunk_t *c = bk->head; left; c = c->next) {
        size_t cnt = left < CH ? left : CH;
        for (size_t i = 0; i < cnt; i++)
            c->e[i].slot = (uint32_t)(st[c->e[i].slot].id & nmask);
        left -= cnt;
    }
    bk->min.slot = (uint32_t)(st[bk->min.slot].id & nmask);
}

void rtk__tq_reslot(rtk__tqueue_t *q, const rtk__tstate_t *st, size_t nmask)
{
    vec_reslot(&q->run, q->at, st, nmask);
    vec_reslot(&q->near, 0, st, nmask);
    vec_reslot(&q->far, 0, st, nmask);
    for (size_t w = 0; w < NW; w++)
        for (uint64_t b = q->bits[w]; b; b &= b - 1)
            bucket_reslot(&q->ring[w * 64 + (size_t)__builtin_ctzll(b)], st,
                          nmask);
}

void rtk__tq_clear(rtk__tqueue_t *q)
{
    q->run.len = q->at = 0;
    q->near.len = q->far.len = 0;
    vec_trim(&q->near);
    vec_trim(&q->far);
    for (size_t w = 0; w < NW; w++) {
        for (uint64_t b = q->bits[w]; b; b &= b - 1)
            bucket_release(q, &q->ring[w * 64 + (size_t)__builtin_ctzll(b)]);
        q->bits[w] = 0;
    }
    q->ring_busy = 0;
    /* every bucket is empty: a burst's run and scratch buffers and its
     * added chunk blocks go */
    if (q->run.cap > 1024) {
        rtk__free(q->run.e);
        rtk__free(q->tmp.e);
        q->run = q->tmp = (vec_t){0};
    }
    pool_release_extra(&q->pool);
    q->from = FROM_NONE;
    q->len = 0;
}
