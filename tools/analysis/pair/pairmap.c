/* pairmap.c - (proc, id) -> value open-addressing map for pairing.
 *
 * Layout: each slot is {u64 proc, u64 id, value bytes}; id 0 marks an empty
 * slot (rtk ids start at 1, and tick numbers are stored as tick + 1 by the
 * caller if they can be 0). Linear probing at load <= 1/2, backward-shift
 * deletion. All operations O(1) expected.
 */
#include "pairmap.h"

#include <stdlib.h>
#include <string.h>

#define HDR (2 * sizeof(uint64_t))

static inline uint64_t *slot_key(const rtt_pairmap_t *m, size_t i)
{
    return (uint64_t *)(m->slots + i * m->stride);
}

static inline size_t hash2(uint64_t proc, uint64_t id)
{
    uint64_t h = id * 0x9E3779B97F4A7C15ull ^ (proc + 0x632BE59BD9B4E019ull);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return (size_t)h;
}

void rtt_pairmap_init(rtt_pairmap_t *m, size_t value_size)
{
    memset(m, 0, sizeof *m);
    m->vsize = value_size;
    m->stride = (HDR + value_size + 7) & ~(size_t)7;
}

void rtt_pairmap_finish(rtt_pairmap_t *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->len = 0;
}

static size_t find(const rtt_pairmap_t *m, uint64_t proc, uint64_t id,
                   int *found)
{
    size_t mask = m->cap - 1, i = hash2(proc, id) & mask;
    for (;;) {
        uint64_t *k = slot_key(m, i);
        if (k[1] == 0) {
            *found = 0;
            return i;
        }
        if (k[1] == id && k[0] == proc) {
            *found = 1;
            return i;
        }
        i = (i + 1) & mask;
    }
}

void *rtt_pairmap_get(const rtt_pairmap_t *m, uint64_t proc, uint64_t id)
{
    int found;
    if (m->cap == 0 || id == 0)
        return NULL;
    size_t i = find(m, proc, id, &found);
    return found ? (unsigned char *)slot_key(m, i) + HDR : NULL;
}

static int grow(rtt_pairmap_t *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 256;
    unsigned char *ns = calloc(ncap, m->stride);
    if (!ns)
        return -1;
    rtt_pairmap_t old = *m;
    m->slots = ns;
    m->cap = ncap;
    for (size_t i = 0; i < old.cap; i++) {
        uint64_t *k = slot_key(&old, i);
        if (k[1] == 0)
            continue;
        int found;
        size_t j = find(m, k[0], k[1], &found);
        memcpy(slot_key(m, j), k, m->stride);
    }
    free(old.slots);
    return 0;
}

void *rtt_pairmap_put(rtt_pairmap_t *m, uint64_t proc, uint64_t id,
                      int *created)
{
    int found;
    if (id == 0)
        return NULL;
    if ((m->len + 1) * 2 > m->cap && grow(m) != 0)
        return NULL;
    size_t i = find(m, proc, id, &found);
    uint64_t *k = slot_key(m, i);
    *created = !found;
    if (!found) {
        k[0] = proc;
        k[1] = id;
        memset(k + 2, 0, m->stride - HDR);
        m->len++;
    }
    return (unsigned char *)k + HDR;
}

void rtt_pairmap_remove(rtt_pairmap_t *m, uint64_t proc, uint64_t id)
{
    int found;
    if (m->cap == 0 || id == 0)
        return;
    size_t mask = m->cap - 1, i = find(m, proc, id, &found);
    if (!found)
        return;
    /* Backward-shift: pull later entries of the probe run into the hole. */
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        uint64_t *kj = slot_key(m, j);
        if (kj[1] == 0)
            break;
        size_t home = hash2(kj[0], kj[1]) & mask;
        /* Move kj into i if its home is not in (i, j] cyclically. */
        int between = (i <= j) ? (home > i && home <= j)
                               : (home > i || home <= j);
        if (!between) {
            memcpy(slot_key(m, i), kj, m->stride);
            i = j;
        }
    }
    slot_key(m, i)[1] = 0;
    m->len--;
}

int rtt_pairmap_each(rtt_pairmap_t *m, rtt_pairmap_fn fn, void *ctx)
{
    for (size_t i = 0; i < m->cap; i++) {
        uint64_t *k = slot_key(m, i);
        if (k[1] == 0)
            continue;
        int rc = fn(k[0], k[1], (unsigned char *)k + HDR, ctx);
        if (rc != 0)
            return rc;
    }
    return 0;
}
