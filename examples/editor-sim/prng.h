/* prng.h - the deterministic random numbers of editor-sim: splitmix64 to
 * seed, xoshiro256** to draw. Header-only; every call is O(1). One state
 * per thread (not thread-safe by design). */
#ifndef EDSIM_PRNG_H
#define EDSIM_PRNG_H

#include <math.h>
#include <stdint.h>

typedef struct prng {
    uint64_t s[4];
} prng_t;

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Seed a stream; different `stream` values give independent sequences. */
static inline void prng_seed(prng_t *p, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (int i = 0; i < 4; i++)
        p->s[i] = splitmix64(&x);
}

static inline uint64_t prng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t prng_next(prng_t *p)
{
    uint64_t *s = p->s;
    uint64_t r = prng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = prng_rotl(s[3], 45);
    return r;
}

/* Uniform in [0, 1). */
static inline double prng_unit(prng_t *p)
{
    return (double)(prng_next(p) >> 11) * 0x1.0p-53;
}

/* Uniform in [lo, hi). */
static inline double prng_range(prng_t *p, double lo, double hi)
{
    return lo + (hi - lo) * prng_unit(p);
}

/* Uniform integer in [0, n), n > 0. */
static inline uint64_t prng_below(prng_t *p, uint64_t n)
{
    return prng_next(p) % n;
}

/* Log-uniform in [lo, hi): many small values, a few large ones. */
static inline double prng_logrange(prng_t *p, double lo, double hi)
{
    return exp(prng_range(p, log(lo), log(hi)));
}

#endif
