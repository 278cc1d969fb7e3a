/* satmath.h - saturating int64 arithmetic for values read from a database.
 * A corrupt or hand-edited database can hold any timestamp (INT64_MIN next
 * to INT64_MAX), so a difference or a sum of two of them can overflow,
 * which is undefined behaviour in C; these clamp to the int64 range
 * instead. Found by fuzz/fuzz_db.c (docs/reliability.md). O(1). */
#ifndef RTT_SATMATH_H
#define RTT_SATMATH_H

#include <stdint.h>

/* a - b, clamped to [INT64_MIN, INT64_MAX]. */
static inline int64_t rtt_sat_sub(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return a < 0 ? INT64_MIN : INT64_MAX;
    return r;
}

/* a + b, clamped to [INT64_MIN, INT64_MAX]. */
static inline int64_t rtt_sat_add(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return a < 0 ? INT64_MIN : INT64_MAX;
    return r;
}

#endif
