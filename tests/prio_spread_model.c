/* prio_spread_model.c - the spread (runtime/src/prio_spread.c) against a
 * model, through its internal API: random pushes and pops, bursts large
 * enough for the gather (16 Ki), pushes below the running front (the heap,
 * merges, the keys put before the run's head), priority ranges from 4
 * values to 2^32, and runs that keep a few hundred items queued over many
 * pushes, so the slots run out again and again with few queued (the
 * compaction, which renumbers every slot), some with a push after every
 * pop. Every pop must return the model's lowest (priority, push order);
 * those runs must have compacted, put keys before the run and used the
 * heap; the spread must end empty with nothing
 * leaked (rtk_test_alloc_live, linked against rtk_faults).
 * Cost: ~1 s in a debug build (7 runs of ~60 000 operations and ~120 000
 * pushes in bursts; the model is a binary heap). Exit 0: pass; 1: the first
 * mismatch, printed. */
#include "alloc_faults.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct ref {
    rtk_priority_t prio;
    uint64_t order; /* push counter: FIFO within a priority */
} ref_t;

/* the model: a binary min-heap on (prio, order) */
static ref_t *model;
static size_t nmodel, capmodel;

static int ref_less(ref_t a, ref_t b)
{
    return a.prio < b.prio || (a.prio == b.prio && a.order < b.order);
}

static void model_push(ref_t r)
{
    if (nmodel == capmodel) {
        capmodel = capmodel ? capmodel * 2 : 1024;
        model = realloc(model, capmodel * sizeof *model);
        if (!model)
            abort();
    }
    size_t i = nmodel++;
    while (i > 0 && ref_less(r, model[(i - 1) / 2])) {
        model[i] = model[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    model[i] = r;
}

static void model_pop(void)
{
    ref_t x = model[--nmodel];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= nmodel)
            break;
        if (c + 1 < nmodel && ref_less(model[c + 1], model[c]))
            c++;
        if (!ref_less(model[c], x))
            break;
        model[i] = model[c];
        i = c;
    }
    if (nmodel)
        model[i] = x;
}
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A priority in [0, range); range 0: any uint32_t. */
static rtk_priority_t draw(uint64_t range)
{
    return (rtk_priority_t)(range ? next_rand() % range : next_rand());
}

static unsigned long compactions; /* slots handed out went down, not empty */

static int push(rtk__spread_t *s, rtk_priority_t prio, uint64_t order)
{
    size_t used0 = s->used, len0 = s->len;
    rtk__item_t *it = rtk__sp_append(s, prio);
    if (it && len0 && s->used <= used0)
        compactions++;
    if (!it) {
        fprintf(stderr, "prio_spread_model: append failed (no memory?)\n");
        return 1;
    }
    it->priority = prio;
    it->id = order;
    model_push((ref_t){prio, order});
    return 0;
}

static unsigned long prepends; /* new keys put before the run's head */
static unsigned long heaped;   /* fronts with keys in the heap */

static int pop(rtk__spread_t *s, const char *what)
{
    const size_t m = 0; /* the model's root */
    size_t head0 = s->head;
    const rtk__item_t *it = rtk__sp_front(s);
    prepends += s->head < head0;
    heaped += s->hend > s->sorted;
    if (it->priority != model[m].prio || it->id != model[m].order) {
        fprintf(stderr,
                "prio_spread_model: %s: popped (%u, #%llu), want (%u, #%llu) "
                "with %zu queued\n",
                what, (unsigned)it->priority, (unsigned long long)it->id,
                (unsigned)model[m].prio, (unsigned long long)model[m].order,
                nmodel);
        return 1;
    }
    rtk__sp_drop_front(s);
    model_pop();
    if (s->len != nmodel) {
        fprintf(stderr, "prio_spread_model: %s: len %zu, want %zu\n", what,
                s->len, nmodel);
        return 1;
    }
    return 0;
}

/* One scenario: `ops` random operations over priorities [0, range) (0:
 * any uint32_t), `first` pushed before them, pushes 52% of the time
 * (`steady` 1: 50%, and always below 300 queued; 2: a push after every
 * pop, as a task that schedules the next one). */
static int scenario(const char *what, uint64_t range, int first, int steady,
                    int ops)
{
    rtk__spread_t s = {0};
    uint64_t order = 0;
    compactions = prepends = heaped = 0;
    for (int i = 0; i < first; i++) {
        if (push(&s, draw(range), order++))
            return 1;
    }
    for (int k = 0; k < ops; k++) {
        uint64_t r = next_rand() % 1000;
        if (steady == 2) {
            if (pop(&s, what) || push(&s, draw(range), order++))
                return 1;
            continue;
        }
        if (r < 2 && !steady) { /* a burst: the gather on an empty run */
            while (nmodel)
                if (pop(&s, what))
                    return 1;
            for (int i = 0; i < 20000; i++)
                if (push(&s, draw(range), order++))
                    return 1;
        } else if (r < (steady ? 500u : 520u) || nmodel == 0 ||
                   (steady && nmodel < 300 && r < 700)) {
            if (push(&s, draw(range), order++))
                return 1;
        } else if (pop(&s, what)) {
            return 1;
        }
    }
    while (nmodel)
        if (pop(&s, what))
            return 1;
    if (s.len != 0) {
        fprintf(stderr, "prio_spread_model: %s: %zu left\n", what, s.len);
        return 1;
    }
    if (steady && compactions == 0) {
        fprintf(stderr, "prio_spread_model: %s: never compacted\n", what);
        return 1;
    }
    /* interleaved pushes take every placement: before the run, the heap */
    if (steady && (prepends == 0 || heaped == 0)) {
        fprintf(stderr, "prio_spread_model: %s: %lu prepends, %lu heaped fronts\n",
                what, prepends, heaped);
        return 1;
    }
    rtk__sp_finish(&s);
    return 0;
}

int main(void)
{
    long live0 = rtk_test_alloc_live();
    struct {
        const char *what;
        uint64_t range;
        int first, steady;
    } runs[] = {
        {"4 values", 4, 5000, 0},
        {"1000 values", 1000, 5000, 0},
        {"any uint32_t", 0, 5000, 0},
        {"1000 values, a few hundred queued", 1000, 200, 1},
        {"any uint32_t, a few hundred queued", 0, 200, 1},
        {"1000 values, a push after every pop", 1000, 300, 2},
        {"any uint32_t, a push after every pop", 0, 300, 2},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        if (scenario(runs[i].what, runs[i].range, runs[i].first,
                     runs[i].steady, 60000))
            return 1;
        printf("prio_spread_model: %s: ok (%lu compactions, %lu prepends, "
               "%lu heaped fronts)\n",
               runs[i].what, compactions, prepends, heaped);
    }
    free(model);
    if (rtk_test_alloc_live() != live0) {
        fprintf(stderr, "prio_spread_model: %ld blocks leaked\n",
                rtk_test_alloc_live() - live0);
        return 1;
    }
    return 0;
}
