/* ctf_packet.h - the packet layout of the rtk stream under data/rtk.metadata
 * (little-endian), for fuzz_stream.c and stream_mutator.c: header magic @0,
 * uuid @4, stream_id @20, stream_instance_id @24; context timestamp_begin
 * @32, timestamp_end @40, content_size @48 and packet_size @56 (in bits),
 * packet_seq_num @64, events_discarded @72, cpu_id @80; events from @84. */
#ifndef RTK_FUZZ_CTF_PACKET_H
#define RTK_FUZZ_CTF_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define CTF_CTX_END 84
#define CTF_TS_BEGIN 32
#define CTF_TS_END 40
#define CTF_CONTENT_SIZE 48
#define CTF_PACKET_SIZE 56
#define CTF_SEQ_NUM 64
#define CTF_DISCARDED 72

static inline uint64_t ctf_get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static inline void ctf_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

/* Offsets of the packets of data[0..size), following packet_size from the
 * start, at most max; a packet whose size does not fit is the last. */
static inline size_t ctf_packets(const uint8_t *data, size_t size, size_t *off,
                                 size_t max)
{
    size_t n = 0, o = 0;
    while (n < max && o + CTF_CTX_END <= size) {
        uint64_t bytes = ctf_get64(data + o + CTF_PACKET_SIZE) / 8;
        off[n++] = o;
        if (bytes < CTF_CTX_END || bytes > size - o)
            break;
        o += (size_t)bytes;
    }
    return n;
}

#endif
