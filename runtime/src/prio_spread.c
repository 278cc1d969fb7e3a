/* prio_spread.c - the priority FIFO's store for priorities beyond its
 * RTK__PF_LEVELS levels (prio_fifo.c): any number of distinct values.
 *
 * Items sit in slots handed out in push order; an 8-byte key per item,
 * (priority << 32 | slot), orders them (internal.h). The keys lie in three
 * parts: a sorted run, popped from its head; a binary min-heap after it;
 * and the new keys, appended unsorted by every push (inline, O(1)). The
 * first front() after pushes places the new keys:
 *   - none queued before them (a batch): sorted into the run by an LSD
 *     radix sort on only the priority bits that vary among them, up to 11
 *     bits a pass (2 passes for a million consecutive values), stable, so
 *     the push order within a priority comes free: O(n) per sort; and at
 *     16 Ki or more the items are copied into key order too (gather),
 *     O(n), so pops read memory in sequence rather than one cache miss
 *     each;
 *   - all at or above the run's last priority, no heap: sorted and
 *     appended to the run;
 *   - all below the run's head, with room before it (popped keys leave
 *     it): sorted and put there, O(new). A task that schedules work more
 *     urgent than anything queued (a deadline, a distance from the cursor)
 *     pays no heap for it;
 *   - else into the heap, O(log n) a push and a pop, while heap and new
 *     keys stay under a quarter of the run; at a quarter, heap and new
 *     keys are sorted together and merged into the run, O(run).
 * A popped item's slot is not re-used: when every slot has been handed
 * out, the spread compacts if at most half of them are queued (a quarter
 * under SP_KEEP slots; all keys sorted, items copied into key order and
 * renumbered: O(queued), at most once per cap/2 pushes) and doubles its
 * capacity otherwise. So a push takes the next slot with no free list,
 * and a slot says the push order. front() never allocates (scratch is
 * kept at the slot capacity); push allocates only to double the capacity.
 * Memory: (56 + 56 + 8 + 8) bytes x capacity (two item arrays, two key
 * arrays), the capacity under four times the most items queued since the
 * spread was last empty (twice for a burst without pops) or SP_KEEP slots,
 * whichever is more; when it empties it keeps them only if that burst
 * needed a quarter of them (or they are at most SP_KEEP slots): bounded by
 * the last burst, not by history. Loop thread only. */
#include "internal.h"

#include <string.h>

#define SP_MIN_CAP 64
#define SP_KEEP 4096      /* slots kept allocated while empty */
#define SP_SMALL 32       /* below this many keys: insertion sort */
#define SP_DIGIT_MAX 11   /* radix bits per pass */
#define SP_GATHER 16384   /* sorted at once: items put in order (~1 MiB) */
#define SP_PREFETCH 4096  /* a run this long, items out of order: pops
                           * fetch ahead (shorter: the items are in L2) */

void rtk__sp_finish(rtk__spread_t *s)
{
    rtk__free(s->items);
    rtk__free(s->items2);
    rtk__free(s->keys);
    rtk__free(s->tmp);
    memset(s, 0, sizeof *s);
}

/* Empty: forget positions. The buffers are kept for the next burst
 * unless they hold over 4 times what this one needed (and over SP_KEEP
 * slots): so memory follows the last burst's size, and a program that
 * queues a million tasks every frame does not fault them in each time.
 * A burst of under SP_MIN_CAP tasks (the task that schedules the next
 * million, alone in the spread while the levels stand aside) says nothing
 * about the next one: it keeps them. */
void rtk__sp_emptied(rtk__spread_t *s)
{
    size_t peak = s->peak;
    s->peak = 0;
    if (s->cap > SP_KEEP && s->cap / 4 > peak && peak >= SP_MIN_CAP) {
        rtk__sp_finish(s);
        return;
    }
    s->used = 0;
    s->head = s->sorted = s->hend = s->klen = s->pf_end = 0;
}

static int sp_grow(rtk__spread_t *s)
{
    size_t nc = s->cap ? s->cap * 2 : SP_MIN_CAP;
    if (nc > (size_t)UINT32_MAX) /* slots are 32-bit */
        return RTK_ENOMEM;
    rtk__item_t *it = rtk__realloc(s->items, nc * sizeof *it);
    if (!it)
        return RTK_ENOMEM;
    s->items = it;
    rtk__item_t *it2 = rtk__malloc(nc * sizeof *it2); /* scratch: no copy */
    if (!it2)
        return RTK_ENOMEM;
    rtk__free(s->items2);
    s->items2 = it2;
    rtk__spread_key_t *k = rtk__realloc(s->keys, nc * sizeof *k);
    if (!k)
        return RTK_ENOMEM;
    s->keys = k;
    rtk__spread_key_t *t = rtk__malloc(nc * sizeof *t); /* scratch: no copy */
    if (!t)
        return RTK_ENOMEM;
    rtk__free(s->tmp);
    s->tmp = t;
    s->cap = nc; /* only now: every array has nc entries */
    return RTK_OK;
}

/* ---- the heap, keys[sorted, hend) ---------------------------------- */

static void heap_up(rtk__spread_key_t *h, size_t i)
{
    rtk__spread_key_t x = h[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h[p] <= x)
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static void heap_down(rtk__spread_key_t *h, size_t n, size_t i)
{
    rtk__spread_key_t x = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1] < h[c])
            c++;
        if (x <= h[c])
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* ---- sorting -------------------------------------------------------------- */

static void insertion_sort(rtk__spread_key_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        rtk__spread_key_t x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}

/* Sort a[0, n) by key, tmp (n entries) as scratch. `in_push_order`: a is
 * in slot (push) order already, so only the priority bits need sorting.
 * Returns where the sorted keys are: a, or tmp when `may_end_in_tmp` and
 * an odd number of passes left them there (the caller swaps arrays
 * instead of copying). */
static rtk__spread_key_t *sort_keys(rtk__spread_key_t *a,
                                    rtk__spread_key_t *tmp, size_t n,
                                    bool in_push_order, bool may_end_in_tmp)
{
    if (n < SP_SMALL) {
        insertion_sort(a, n);
        return a;
    }
    uint64_t k0 = a[0], vary = 0;
#pragma GCC unroll 4
    for (size_t i = 1; i < n; i++)
        vary |= a[i] ^ k0;
    if (in_push_order)
        vary &= ~(uint64_t)UINT32_MAX;
    if (!vary)
        return a;
    unsigned lo = (unsigned)__builtin_ctzll(vary);
    unsigned hi = 64 - (unsigned)__builtin_clzll(vary);
    unsigned passes = (hi - lo + SP_DIGIT_MAX - 1) / SP_DIGIT_MAX;
    unsigned width = (hi - lo + passes - 1) / passes;
    size_t mask = ((size_t)1 << width) - 1;
    size_t count[(size_t)1 << SP_DIGIT_MAX];
    rtk__spread_key_t *src = a, *dst = tmp;
    for (unsigned p = 0, shift = lo; p < passes; p++, shift += width) {
        memset(count, 0, (mask + 1) * sizeof count[0]);
#pragma GCC unroll 4
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & mask]++;
        size_t sum = 0;
#pragma GCC unroll 4
        for (size_t d = 0; d <= mask; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
#pragma GCC unroll 4
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & mask]++] = src[i];
        rtk__spread_key_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a && !may_end_in_tmp)
        memcpy(a, src, n * sizeof *a);
    return may_end_in_tmp ? src : a;
}

/* Merge the sorted run keys[head, sorted) with the sorted keys [sorted,
 * klen) (heap and new keys, sorted together) through tmp; the result is
 * keys[head, klen), all the run: the room before head stays, for keys
 * pushed below the front. */
static void merge_runs(rtk__spread_t *s)
{
    const rtk__spread_key_t *a = s->keys + s->head, *ae = s->keys + s->sorted;
    const rtk__spread_key_t *b = ae, *be = s->keys + s->klen;
    rtk__spread_key_t *o = s->tmp + s->head;
    while (a < ae && b < be)
        *o++ = *b < *a ? *b++ : *a++;
    while (a < ae)
        *o++ = *a++;
    while (b < be)
        *o++ = *b++;
    rtk__spread_key_t *t = s->keys;
    s->keys = s->tmp;
    s->tmp = t;
    s->sorted = s->hend = s->klen;
}

/* Every live item's key is in the run, keys[head, klen): copy the items
 * into that order (items2, then swapped in) and renumber the slots to
 * match (keys through tmp, then swapped in), so pops read items in
 * sequence and the slots from `used` on are free. One pass with fetches
 * ahead keeps many misses in flight, where pops one by one would wait on
 * each: worth it once the items no longer fit in the cache (SP_PREFETCH
 * or more; fewer, as a compaction of a few hundred queued: no fetches). */
static void gather(rtk__spread_t *s)
{
    const rtk__spread_key_t *k = s->keys + s->head;
    size_t n = s->klen - s->head, i = 0;
    const rtk__item_t *from = s->items;
    rtk__item_t *to = s->items2;
    rtk__spread_key_t *nk = s->tmp;
    for (size_t ahead = n >= SP_PREFETCH ? n - 16 : 0; i < ahead; i++) {
        __builtin_prefetch(&from[rtk__sp_slot(k[i + 16])]);
        to[i] = from[rtk__sp_slot(k[i])];
        nk[i] = rtk__sp_key(rtk__sp_prio(k[i]), i);
    }
    for (; i < n; i++) {
        to[i] = from[rtk__sp_slot(k[i])];
        nk[i] = rtk__sp_key(rtk__sp_prio(k[i]), i);
    }
    s->items2 = s->items;
    s->items = to;
    s->tmp = s->keys;
    s->keys = nk;
    s->head = 0;
    s->sorted = s->hend = s->klen = s->used = n;
    s->pf_end = 0; /* the items are in key order now */
}

/* The lowest priority among a[0, n), n > 0. */
static rtk_priority_t min_prio(const rtk__spread_key_t *a, size_t n)
{
    rtk__spread_key_t m = a[0];
    for (size_t i = 1; i < n; i++)
        m = a[i] < m ? a[i] : m;
    return rtk__sp_prio(m);
}

/* The highest key among a[0, n), n > 0. */
static rtk__spread_key_t max_key(const rtk__spread_key_t *a, size_t n)
{
    rtk__spread_key_t m = a[0];
    for (size_t i = 1; i < n; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}

/* Place the new keys, keys[hend, klen) (file comment); with `may_heap`
 * false, all of them and the heap's into the run. Then whether pops
 * fetch ahead (pf_end): when the run is long and its items are not in key
 * order. */
static void settle(rtk__spread_t *s, bool may_heap)
{
    size_t nn = s->klen - s->hend, nh = s->hend - s->sorted;
    size_t run = s->sorted - s->head;
    rtk__spread_key_t *nk = s->keys + s->hend;
    bool in_order = false; /* items now in key order (gathered) */
    if (s->len > s->peak)
        s->peak = s->len;
    if (nn && run == 0 && nh == 0) {
        /* a batch: the sorted keys may stay in tmp, which then becomes
         * keys */
        if (sort_keys(nk, s->tmp + s->hend, nn, true, true) != nk) {
            rtk__spread_key_t *t = s->keys;
            s->keys = s->tmp;
            s->tmp = t;
        }
        s->sorted = s->hend = s->klen;
        if (nn >= SP_GATHER) {
            gather(s);
            in_order = true;
        }
    } else if (nn && nh == 0 &&
               min_prio(nk, nn) >= rtk__sp_prio(s->keys[s->sorted - 1])) {
        /* after the run: later slots, so a priority equal to the run's
         * last sorts after it */
        sort_keys(nk, s->tmp + s->hend, nn, true, false);
        s->sorted = s->hend = s->klen;
    } else if (nn && nn <= s->head && (may_heap || nh == 0) &&
               (run == 0 || max_key(nk, nn) < s->keys[s->head])) {
        /* all below the run (the heap, popped beside it, may hold lower
         * keys), with room there: O(new), where a merge would be O(run)
         * and the heap O(log n) a push and a pop */
        sort_keys(nk, s->tmp + s->hend, nn, true, false);
        s->head -= nn;
        memcpy(s->keys + s->head, nk, nn * sizeof *nk);
        s->klen = s->hend;
    } else if (may_heap && (nh + nn) * 4 < run) {
        rtk__spread_key_t *h = s->keys + s->sorted;
        while (s->hend < s->klen) /* the next new key is the heap's end */
            heap_up(h, s->hend++ - s->sorted);
    } else if (nh + nn) {
        /* heap and new keys sorted together (in push order only when no
         * heap came first), then merged into the run */
        sort_keys(s->keys + s->sorted, s->tmp + s->sorted, nh + nn, nh == 0,
                  false);
        merge_runs(s);
    }
    s->pf_end = !in_order && s->sorted - s->head >= SP_PREFETCH ? s->sorted : 0;
}

/* settle() for the one new key a pop after a single push finds (pushes
 * and pops interleaving), in line: after the run, before it or into the
 * heap as settle() would place it; false (nothing done) for the rest. */
static inline bool settle_one(rtk__spread_t *s)
{
    rtk__spread_key_t k = s->keys[s->hend];
    size_t nh = s->hend - s->sorted, run = s->sorted - s->head;
    if (s->len > s->peak)
        s->peak = s->len;
    if (nh == 0 && run && k > s->keys[s->sorted - 1]) {
        s->sorted = ++s->hend; /* a later slot: >= the last's priority */
        return true;
    }
    if (s->head > 0 && (!run || k < s->keys[s->head])) {
        s->keys[--s->head] = k; /* below the run: its new head */
        s->klen--;
        return true;
    }
    if ((nh + 1) * 4 < run) {
        heap_up(s->keys + s->sorted, nh);
        s->hend++;
        return true;
    }
    return false;
}

rtk__item_t *rtk__sp_append(rtk__spread_t *s, rtk_priority_t prio)
{
    rtk__item_t *fast = rtk__sp_append_fast(s, prio);
    if (fast)
        return fast;
    /* every slot handed out: double when over half are queued, or a
     * quarter while the spread is under SP_KEEP slots (so a few hundred
     * queued compact every 3/4 of a capacity of pushes, not every half,
     * for at most SP_KEEP slots) */
    if (s->len > s->cap / 2 || s->cap == 0 ||
        (s->cap < SP_KEEP && s->len > s->cap / 4)) {
        if (sp_grow(s) != RTK_OK)
            return NULL;
    } else {
        /* at most half queued (a quarter under SP_KEEP): compact,
         * O(len), after at least cap / 2 pushes since the last time */
        if (s->klen != s->sorted)
            settle(s, false); /* may gather a batch itself */
        if (s->used == s->cap)
            gather(s);
    }
    return rtk__sp_append_fast(s, prio); /* used < cap now: never NULL */
}

/* rtk__sp_front, in line for rtk__pf_front_mixed below. */
static inline __attribute__((always_inline)) rtk__item_t *
sp_front(rtk__spread_t *s)
{
    if (s->klen != s->hend && (s->klen - s->hend != 1 || !settle_one(s)))
        settle(s, true);
    rtk__spread_key_t k = s->keys[s->head];
    s->front_heap = false;
    if (s->hend != s->sorted && (s->head == s->sorted || s->keys[s->sorted] < k)) {
        k = s->keys[s->sorted];
        s->front_heap = true;
    } else if (s->head + 16 < s->pf_end) {
        /* pops go in key order, items lie in push order: fetch ahead */
        __builtin_prefetch(&s->items[rtk__sp_slot(s->keys[s->head + 16])]);
    }
    return &s->items[rtk__sp_slot(k)];
}

rtk__item_t *rtk__sp_front(rtk__spread_t *s)
{
    return sp_front(s);
}

/* The priority FIFO's front (prio_fifo.c) while the spread holds keys it
 * has not placed or a heap: here, so that placing a key pushed between
 * two pops, the spread's front and the compare with the levels' are one
 * call (a task that schedules the next pays it on every pop). */
rtk__item_t *rtk__pf_front_mixed(rtk__prio_fifo_t *q)
{
    if (q->sp.head == q->sp.hend && q->nlevels) {
        /* no run, no heap: the spread places a burst at once. Crowded
         * when it holds more of it than the levels (prio_fifo.c) */
        q->crowd_vote = q->sp.len >= RTK__PF_CROWD_MIN &&
                        q->len - q->sp.len < q->sp.len;
    }
    rtk__item_t *sf = sp_front(&q->sp);
    q->front_sp = true;
    if (q->len == q->sp.len)
        return sf;
    size_t li = q->first;
    while (q->levels[li].len == 0)
        li++;
    q->first = li;
    rtk__item_t *lf = &q->levels[li].buf[q->levels[li].head];
    if (q->levels[li].priority < sf->priority) { /* never equal: one store each */
        q->front_sp = false;
        return lf;
    }
    return sf;
}

/* Right after rtk__sp_front: no new keys (klen == hend). */
void rtk__sp_drop_front(rtk__spread_t *s)
{
    if (s->front_heap) {
        rtk__spread_key_t *h = s->keys + s->sorted;
        size_t n = --s->hend - s->sorted;
        s->klen = s->hend;
        if (n) {
            h[0] = h[n];
            heap_down(h, n, 0);
        }
    } else {
        s->head++;
    }
    if (--s->len == 0)
        rtk__sp_emptied(s);
}
