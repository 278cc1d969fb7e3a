/* pairmap.h - open-addressing hash map from (proc, id) to a fixed-size
 * value, used by ingest to hold items that have begun but not ended yet
 * (a task queued but not finished, a tick begun but not ended, ...).
 *
 * Costs: get/put/remove are O(1) expected (linear probing, load <= 1/2,
 * backward-shift deletion so there are no tombstones). Memory is
 * proportional to the number of items open at once, never to the trace
 * length. Iteration (for the final flush) is O(capacity).
 */
#ifndef RTT_INGEST_PAIRMAP_H
#define RTT_INGEST_PAIRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct rtt_pairmap {
    unsigned char *slots; /* capacity * stride bytes */
    size_t stride;        /* sizeof(key header) + value size, aligned */
    size_t vsize;
    size_t cap;           /* power of two, 0 before the first put */
    size_t len;
} rtt_pairmap_t;

void rtt_pairmap_init(rtt_pairmap_t *m, size_t value_size);
void rtt_pairmap_finish(rtt_pairmap_t *m);

/* The value stored for (proc, id), or NULL. */
void *rtt_pairmap_get(const rtt_pairmap_t *m, uint64_t proc, uint64_t id);

/* Id 0 is no key (it marks an empty slot): get gives NULL for it, put
 * NULL, remove nothing. */

/* The value for (proc, id), inserted zero-filled if absent (*created = 1).
 * NULL when memory runs out, or for id 0. The pointer is valid until the next
 * put or remove. */
void *rtt_pairmap_put(rtt_pairmap_t *m, uint64_t proc, uint64_t id,
                      int *created);

/* Remove (proc, id) if present. */
void rtt_pairmap_remove(rtt_pairmap_t *m, uint64_t proc, uint64_t id);

/* Call fn for every entry (any order). The map must not change meanwhile. */
typedef int (*rtt_pairmap_fn)(uint64_t proc, uint64_t id, void *value,
                              void *ctx);
int rtt_pairmap_each(rtt_pairmap_t *m, rtt_pairmap_fn fn, void *ctx);

#endif
