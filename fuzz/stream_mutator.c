/* stream_mutator.c - libFuzzer custom mutator of fuzz_stream: half of the
 * mutations act on the packet structure of the rtk stream (ctf_packet.h),
 * the other half are libFuzzer's own byte mutations (LLVMFuzzerMutate). */
#include "ctf_packet.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);

#define CTX CTF_CTX_END
#define MAX_PACKETS 64

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A new value for a 64-bit context field. */
static uint64_t tweak(uint64_t v, uint64_t other, uint64_t *s)
{
    switch (rnd(s) % 8) {
    case 0: return v + 1 + rnd(s) % 1000;
    case 1: return v - 1 - rnd(s) % 1000;
    case 2: return other; /* the same field of another packet */
    case 3: return 0;
    case 4: return UINT64_MAX - rnd(s) % 4;
    case 5: return v + ((uint64_t)1 << (rnd(s) % 64));
    case 6: return v / 2;
    default: return rnd(s);
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed)
{
    uint64_t s = (uint64_t)seed * 0x9E3779B97F4A7C15ULL | 1;
    size_t off[MAX_PACKETS];
    size_t n = ctf_packets(data, size, off, MAX_PACKETS);
    if (n == 0 || rnd(&s) % 2)
        return LLVMFuzzerMutate(data, size, max_size);
    size_t p = off[rnd(&s) % n], q = off[rnd(&s) % n];
    static const size_t fields[] = {32, 40, 48, 56, 64, 72};
    switch (rnd(&s) % 4) {
    case 0:
    case 1: { /* one context field: times, sizes, sequence, discarded */
        size_t f = fields[rnd(&s) % 6];
        ctf_put64(data + p + f, tweak(ctf_get64(data + p + f), ctf_get64(data + q + f), &s));
        return size;
    }
    case 2: { /* content_size inside packet_size, at an event boundary or not */
        uint64_t psize = ctf_get64(data + p + 56);
        uint64_t c = CTX * 8 + (psize > CTX * 8 ? rnd(&s) % (psize - CTX * 8 + 1) : 0);
        ctf_put64(data + p + 48, rnd(&s) % 2 ? c & ~(uint64_t)7 : c);
        return size;
    }
    default: { /* drop or repeat a whole packet */
        size_t end = p + (size_t)(ctf_get64(data + p + 56) / 8);
        if (end <= p || end > size)
            return LLVMFuzzerMutate(data, size, max_size);
        size_t len = end - p;
        if (rnd(&s) % 2 || size + len > max_size) {
            memmove(data + p, data + end, size - end);
            return size - len;
        }
        memmove(data + end + len, data + end, size - end);
        memmove(data + end, data + p, len);
        return size + len;
    }
    }
}
