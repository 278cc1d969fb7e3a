/* hash.h - the string hash the engine's hash tables share (FNV-1a, 64-bit):
 * short names (task names, series names), O(length). */
#ifndef RTT_HASH_H
#define RTT_HASH_H

#include <stdint.h>

static inline uint64_t rtt_str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

#endif
