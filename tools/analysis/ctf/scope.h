/* scope.h - one dynamic scope of a CTF stream (packet header, packet
 * context, event header, event context, payload) compiled from its type
 * tree (tsdl.h) into a flat program of reads, and the decoder that runs it
 * over a packet in memory (scope.c).
 *
 * Values land in slots: a caller names the members it wants (a role
 * function maps a member name to a slot; strings get string slots), the
 * compiler adds hidden slots for variant tags and sequence lengths. Every
 * integer mapped to a clock updates the stream's clock as it is read,
 * as CTF says (fewer than 64 bits: the low bits, with one wrap).
 * Cost: compiling is O(type size), once per stream or event class;
 * decoding is O(members) with no allocation and no name lookup.
 * Little-endian data only (the compiler refuses anything else).
 */
#ifndef RTT_CTF_SCOPE_H
#define RTT_CTF_SCOPE_H

#include "tsdl.h"

#include <stddef.h>
#include <stdint.h>

#define RTT_SCOPE_MAX_SLOTS 64
#define RTT_SCOPE_MAX_STRS 8

/* A string read from a packet: not NUL-terminated when len is the whole
 * fixed array (a text array without a NUL). */
typedef struct rtt_strref {
    const char *p;
    uint32_t len;
    uint32_t nul; /* p[len] is a NUL of the packet */
} rtt_strref_t;

typedef struct rtt_op rtt_op_t;
typedef struct rtt_case rtt_case_t;

typedef struct rtt_scope {
    rtt_op_t *ops;
    size_t nops, capops;
    rtt_case_t *cases; /* variant options: tag ranges and their op ranges */
    size_t ncases, capcases;
    int nslots;        /* roles + hidden slots */
    int nstrs;
} rtt_scope_t;

/* The slot of a member (its name without a leading '_', and its depth:
 * 0 for the scope's own members), or -1 when nobody wants it. */
typedef int (*rtt_role_fn)(void *ctx, int depth, const char *name, int is_string);

/* Compile type (a struct, or NULL: an empty scope). nroles slots are the
 * caller's; clock_skip names one top-level member whose clock mapping is
 * ignored (the packet context's timestamp_end, as babeltrace2 does), or
 * NULL. Returns 0, or -1 with one line in err (an unsupported type). */
int rtt_scope_compile(rtt_scope_t *s, const rtt_type_t *type, int nroles,
                      rtt_role_fn role, void *ctx, const char *clock_skip,
                      char *err, size_t errlen);
void rtt_scope_free(rtt_scope_t *s);

/* Decode one instance at bit *pos of buf (which holds end bits); *pos is
 * advanced. slots must hold s->nslots values (those not read keep theirs),
 * strs s->nstrs. clock: the stream's clock value, updated. Returns 0, or
 * -1 when the data runs past end or selects no variant option. */
int rtt_scope_decode(const rtt_scope_t *s, const uint8_t *buf, uint64_t *pos,
                     uint64_t end, int64_t *slots, rtt_strref_t *strs,
                     uint64_t *clock);

#endif
