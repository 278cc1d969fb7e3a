/* id_map.c - u64 -> u32 hash map for ids (open addressing, linear probing,
 * backward-shift deletion, so no tombstones). Load factor <= 1/2; lookups,
 * inserts and deletes are O(1) expected. Key 0 marks an empty slot (ids are
 * never 0). Memory: 12 bytes a slot. Loop thread only. */
#include "internal.h"

#include <stdlib.h>

static inline size_t hash_u64(uint64_t k)
{
    /* Fibonacci hashing mixes sequential ids well */
    k ^= k >> 33;
    k *= 0x9e3779b97f4a7c15ull;
    k ^= k >> 29;
    return (size_t)k;
}

static int alloc_slots(rtk__id_map_t *m, size_t cap)
{
    m->keys = calloc(cap, sizeof *m->keys);
    m->vals = malloc(cap * sizeof *m->vals);
    if (!m->keys || !m->vals) {
        free(m->keys);
        free(m->vals);
        return RTK_ENOMEM;
    }
    m->mask = cap - 1;
    m->len = 0;
    return RTK_OK;
}

int rtk__map_init(rtk__id_map_t *m, size_t expect)
{
    size_t cap = 16;
    while (cap < expect * 2)
        cap <<= 1;
    return alloc_slots(m, cap);
}

void rtk__map_finish(rtk__id_map_t *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
}

static void put_nogrow(rtk__id_map_t *m, uint64_t key, uint32_t val)
{
    size_t i = hash_u64(key) & m->mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & m->mask;
    if (!m->keys[i])
        m->len++;
    m->keys[i] = key;
    m->vals[i] = val;
}

int rtk__map_put(rtk__id_map_t *m, uint64_t key, uint32_t val)
{
    if ((m->len + 1) * 2 > m->mask + 1) {
        rtk__id_map_t old = *m;
        if (alloc_slots(m, (old.mask + 1) * 2) != RTK_OK) {
            *m = old;
            return RTK_ENOMEM;
        }
        for (size_t i = 0; i <= old.mask; i++)
            if (old.keys[i])
                put_nogrow(m, old.keys[i], old.vals[i]);
        rtk__map_finish(&old);
    }
    put_nogrow(m, key, val);
    return RTK_OK;
}

bool rtk__map_get(const rtk__id_map_t *m, uint64_t key, uint32_t *val)
{
    size_t i = hash_u64(key) & m->mask;
    while (m->keys[i]) {
        if (m->keys[i] == key) {
            *val = m->vals[i];
            return true;
        }
        i = (i + 1) & m->mask;
    }
    return false;
}

bool rtk__map_del(rtk__id_map_t *m, uint64_t key)
{
    size_t i = hash_u64(key) & m->mask;
    while (m->keys[i] && m->keys[i] != key)
        i = (i + 1) & m->mask;
    if (!m->keys[i])
        return false;
    /* backward shift: pull later entries of the probe run into the hole */
    size_t hole = i;
    for (size_t j = (i + 1) & m->mask; m->keys[j]; j = (j + 1) & m->mask) {
        size_t home = hash_u64(m->keys[j]) & m->mask;
        /* move j into the hole if its home is not in (hole, j] cyclically */
        bool in_range = hole <= j ? (home > hole && home <= j)
                                  : (home > hole || home <= j);
        if (!in_range) {
            m->keys[hole] = m->keys[j];
            m->vals[hole] = m->vals[j];
            hole = j;
        }
    }
    m->keys[hole] = 0;
    m->len--;
    return true;
}
