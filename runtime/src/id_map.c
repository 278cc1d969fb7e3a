/* id_map.c - u64 -> u32 hash map for ids (open addressing, linear probing,
 * backward-shift deletion, so no tombstones). Load factor <= 1/2; lookups,
 * inserts and deletes are O(1) expected, and touch one 16-byte slot (key and
 * value together) plus its neighbours: with a million timers that is one
 * cache miss per operation. Key 0 marks an empty slot (ids are never 0).
 * Loop thread only. */
#include "internal.h"

#include <stdlib.h>

static inline size_t hash_u64(uint64_t k)
{
    /* a 64-bit finaliser: sequential ids spread over the whole table */
    k ^= k >> 33;
    k *= 0x9e3779b97f4a7c15ull;
    k ^= k >> 29;
    return (size_t)k;
}

static int alloc_slots(rtk__id_map_t *m, size_t cap)
{
    m->slots = rtk__calloc(cap, sizeof *m->slots);
    if (!m->slots)
        return RTK_ENOMEM;
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
    rtk__free(m->slots);
    m->slots = NULL;
}

static void put_nogrow(rtk__id_map_t *m, uint64_t key, uint32_t val)
{
    size_t i = hash_u64(key) & m->mask;
    while (m->slots[i].key && m->slots[i].key != key)
        i = (i + 1) & m->mask;
    if (!m->slots[i].key)
        m->len++;
    m->slots[i].key = key;
    m->slots[i].val = val;
}

int rtk__map_reserve(rtk__id_map_t *m, size_t extra)
{
    size_t cap = m->mask + 1;
    while ((m->len + extra) * 2 > cap)
        cap *= 2;
    if (cap == m->mask + 1)
        return RTK_OK;
    rtk__id_map_t old = *m;
    if (alloc_slots(m, cap) != RTK_OK) {
        *m = old;
        return RTK_ENOMEM;
    }
    for (size_t i = 0; i <= old.mask; i++)
        if (old.slots[i].key)
            put_nogrow(m, old.slots[i].key, (uint32_t)old.slots[i].val);
    rtk__map_finish(&old);
    return RTK_OK;
}

int rtk__map_put(rtk__id_map_t *m, uint64_t key, uint32_t val)
{
    if (rtk__map_reserve(m, 1) != RTK_OK)
        return RTK_ENOMEM;
    put_nogrow(m, key, val);
    return RTK_OK;
}

bool rtk__map_get(const rtk__id_map_t *m, uint64_t key, uint32_t *val)
{
    size_t i = hash_u64(key) & m->mask;
    while (m->slots[i].key) {
        if (m->slots[i].key == key) {
            *val = (uint32_t)m->slots[i].val;
            return true;
        }
        i = (i + 1) & m->mask;
    }
    return false;
}

bool rtk__map_del(rtk__id_map_t *m, uint64_t key)
{
    size_t i = hash_u64(key) & m->mask;
    while (m->slots[i].key && m->slots[i].key != key)
        i = (i + 1) & m->mask;
    if (!m->slots[i].key)
        return false;
    /* backward shift: pull later entries of the probe run into the hole */
    size_t hole = i;
    for (size_t j = (i + 1) & m->mask; m->slots[j].key; j = (j + 1) & m->mask) {
        size_t home = hash_u64(m->slots[j].key) & m->mask;
        /* j may move into the hole unless its home lies in (hole, j] */
        bool stays = hole <= j ? (home > hole && home <= j)
                               : (home > hole || home <= j);
        if (!stays) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
    }
    m->slots[hole].key = 0;
    m->len--;
    return true;
}
