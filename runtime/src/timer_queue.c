/* timer_queue.c - the timers' deadline queue: entries {deadline, seq, slot}
 * come out in (deadline, seq) order, i.e. deadline order, FIFO for equal
 * deadlines. Entries are never removed by cancel: a stale one stays until
 * it reaches the front or the owner filters the queue.
 *
 *   ring   a wheel of RTK__TQ_BUCKETS unsorted buckets, bucket b = deadline
 *          >> SHIFT (~4.2 ms wide, ~4.3 s in all) for b in [cur, cur +
 *          RTK__TQ_BUCKETS): a push is an append, in arm (seq) order, that
 *          also keeps the bucket's first entry; a bitmap finds the first
 *          nonempty bucket in 16 words
 *   run    the bucket before `cur` being drained: taken off the ring when
 *          its first entry is popped (buffers swapped, no copy) and
 *          radix-sorted by deadline, stable so FIFO holds; popped from the
 *          front, the slots a few entries ahead are loaded early (a burst
 *          of fires is miss-bound)
 *   near   4-ary min-heap for pushes into buckets before `cur` (deadlines
 *          already due, or due within the bucket being drained)
 *   far    4-ary min-heap for buckets past the ring at push time; compared
 *          with the other fronts rather than migrated
 *
 *   push        O(1) (near or far: O(log n) worst, O(1) expected)
 *   min         O(1): the least of run's, near's and far's fronts, or the
 *               first bucket's first entry when run and near are empty
 *   pop         O(1) run; O(log n) near or far; O(k) to take a bucket of k
 *               entries into run (no allocation: the scratch buffer grows
 *               with the buckets)
 *   filter      O(n); reslot (after a table doubling) O(n)
 *   memory      16 bytes an entry plus growth slack, plus a scratch buffer
 *               the size of the biggest bucket; 24 KiB of bucket heads */
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

/* ---- sorting a bucket --------------------------------------------------- */

/* Stable sort of a bucket by deadline: equal deadlines keep their arm
 * order. Keys are the deadline's low SHIFT bits (the bucket fixes the
 * rest): two counting passes of 11 bits each through the scratch buffer,
 * or insertion for a few entries. */
static void bucket_sort(vec_t *v, entry_t *tmp)
{
    size_t n = v->len;
    entry_t *e = v->e;
    if (n < 48) {
        for (size_t i = 1; i < n; i++) {
            entry_t x = e[i];
            size_t j = i;
            for (; j > 0 && e[j - 1].deadline > x.deadline; j--)
                e[j] = e[j - 1];
            e[j] = x;
        }
        return;
    }
    enum { B1 = 11, B2 = SHIFT - B1 };
    uint32_t c1[1u << B1] = {0}, c2[1u << B2] = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t k = (uint32_t)e[i].deadline;
        c1[k & ((1u << B1) - 1)]++;
        c2[(k >> B1) & ((1u << B2) - 1)]++;
    }
    uint32_t s1 = 0, s2 = 0;
    for (size_t i = 0; i < (1u << B1); i++) {
        uint32_t c = c1[i];
        c1[i] = s1;
        s1 += c;
    }
    for (size_t i = 0; i < (1u << B2); i++) {
        uint32_t c = c2[i];
        c2[i] = s2;
        s2 += c;
    }
    for (size_t i = 0; i < n; i++)
        tmp[c1[(uint32_t)e[i].deadline & ((1u << B1) - 1)]++] = e[i];
    for (size_t i = 0; i < n; i++)
        e[c2[((uint32_t)tmp[i].deadline >> B1) & ((1u << B2) - 1)]++] = tmp[i];
}

/* ---- ring ------------------------------------------------------------- */

static bool ring_empty(const rtk__tqueue_t *q)
{
    for (size_t w = 0; w < NW; w++)
        if (q->bits[w])
            return false;
    return true;
}

/* Ring position of the first nonempty bucket from cur on, or -1. */
static long ring_first(const rtk__tqueue_t *q)
{
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

/* Append to a ring bucket; the scratch buffer grows first, so that sorting
 * a bucket never allocates. */
static int ring_add(rtk__tqueue_t *q, size_t pos, entry_t e)
{
    vec_t *v = &q->ring[pos];
    if (v->len == v->cap && v->cap >= q->tmp.cap) {
        uint32_t nc = v->cap ? v->cap * 2 : 16;
        if (v->cap >= UINT32_MAX / 2)
            return RTK_ENOMEM;
        entry_t *nt = rtk__malloc((size_t)nc * sizeof *nt);
        if (!nt)
            return RTK_ENOMEM;
        rtk__free(q->tmp.e);
        q->tmp = (vec_t){.e = nt, .cap = nc};
    }
    int rc = vec_add(v, e);
    if (rc != RTK_OK)
        return rc;
    q->bits[pos / 64] |= (uint64_t)1 << (pos % 64);
    if (v->len == 1 || before(&e, &v->e[v->min]))
        v->min = v->len - 1;
    /* a burst spread over many buckets appends to as many streams, too
     * many for the hardware to see: ask for the bucket's next line now,
     * ahead of its next append (the address may be past the buffer's end:
     * a prefetch never faults) */
    uintptr_t ahead = (uintptr_t)(v->e + v->len) + 4 * sizeof e;
    __builtin_prefetch((const void *)ahead, 1);
    return RTK_OK;
}

/* Run and near are empty and the first nonempty bucket, at `pos`, is
 * wanted: it becomes the run. */
static void promote(rtk__tqueue_t *q, long pos)
{
    size_t start = (size_t)(q->cur % NB);
    uint64_t b = q->cur + (((size_t)pos + NB - start) % NB);
    vec_t spent = q->run;
    spent.len = spent.min = 0;
    q->run = q->ring[pos];
    q->ring[pos] = spent;
    q->at = 0;
    q->bits[pos / 64] &= ~((uint64_t)1 << (pos % 64));
    q->cur = b + 1;
    bucket_sort(&q->run, q->tmp.e);
}

static inline void load_ahead(const rtk__tqueue_t *q, const entry_t *e)
{
    if (!q->slots)
        return;
    __builtin_prefetch(&q->state[e->slot]);
    __builtin_prefetch(&q->slots[e->slot]);
}

/* ---- interface -------------------------------------------------------- */

int rtk__tq_init(rtk__tqueue_t *q)
{
    *q = (rtk__tqueue_t){0};
    q->ring = rtk__calloc(NB, sizeof *q->ring);
    return q->ring ? RTK_OK : RTK_ENOMEM;
}

void rtk__tq_finish(rtk__tqueue_t *q)
{
    if (q->ring)
        for (size_t i = 0; i < NB; i++)
            rtk__free(q->ring[i].e);
    rtk__free(q->ring);
    rtk__free(q->run.e);
    rtk__free(q->near.e);
    rtk__free(q->far.e);
    rtk__free(q->tmp.e);
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
            m = &q->ring[pos].e[q->ring[pos].min];
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
            vec_t *v = &q->ring[pos];
            q->len -= vec_filter(v, 0, st);
            if (v->len == 0)
                q->bits[w] &= ~((uint64_t)1 << (pos % 64));
            v->min = 0;
            for (uint32_t i = 1; i < v->len; i++)
                if (before(&v->e[i], &v->e[v->min]))
                    v->min = i;
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

void rtk__tq_reslot(rtk__tqueue_t *q, const rtk__tstate_t *st, size_t nmask)
{
    vec_reslot(&q->run, q->at, st, nmask);
    vec_reslot(&q->near, 0, st, nmask);
    vec_reslot(&q->far, 0, st, nmask);
    for (size_t w = 0; w < NW; w++)
        for (uint64_t b = q->bits[w]; b; b &= b - 1)
            vec_reslot(&q->ring[w * 64 + (size_t)__builtin_ctzll(b)], 0, st,
                       nmask);
}

void rtk__tq_clear(rtk__tqueue_t *q)
{
    q->run.len = q->at = 0;
    q->near.len = q->far.len = 0;
    vec_trim(&q->run);
    vec_trim(&q->near);
    vec_trim(&q->far);
    for (size_t w = 0; w < NW; w++) {
        for (uint64_t b = q->bits[w]; b; b &= b - 1) {
            vec_t *v = &q->ring[w * 64 + (size_t)__builtin_ctzll(b)];
            v->len = v->min = 0;
            vec_trim(v);
        }
        q->bits[w] = 0;
    }
    q->from = FROM_NONE;
    q->len = 0;
}
