/* scan.h - walks the packets of an LTTng stream file to find where it
 * stops being whole (scan.c). */
#ifndef RTT_DECODE_SCAN_H
#define RTT_DECODE_SCAN_H

#include <stddef.h>
#include <stdint.h>

enum rtt_damage {
    RTT_DMG_NONE,
    RTT_DMG_TRUNCATED,   /* the last packet (or header) runs past the end */
    RTT_DMG_BROKEN_TAIL, /* a bad packet header, and no good one after it */
    RTT_DMG_CORRUPT      /* a bad packet header with good packets after it */
};

typedef struct rtt_stream_scan {
    uint64_t size;      /* of the file */
    uint64_t good_end;  /* end of the last whole packet before any damage */
    uint64_t packets;   /* whole packets before good_end */
    int damage;         /* enum rtt_damage */
    uint64_t damage_at; /* offset of the damaged packet */
    char why[160];      /* what is wrong there, one line */
    int have_first;     /* the first packet's identity (rotation chunks) */
    uint32_t stream_class;
    uint64_t stream_instance, first_begin;
} rtt_stream_scan_t;

/* Walk path's packets: LTTng's packet header (magic 0xC1FC1FC1, uuid[16],
 * stream_id u32, stream_instance_id u64) and context (timestamp_begin,
 * timestamp_end, content_size, packet_size: u64 each, sizes in bits), in
 * the byte order the magic shows. A packet is whole when its magic and
 * uuid are right, content_size <= packet_size, and packet_size bytes are
 * in the file. If find_begin is not NULL, stop at the first packet whose
 * timestamp_begin (clock cycles) is *find_begin and put its offset in
 * *found_offset, UINT64_MAX if there is none (locating a decoding error).
 * Returns 0 (damage described in s), or -1 with err holding one line when
 * the file cannot be read ("permission denied: PATH"). Cost: one 64-byte
 * read per packet; after a bad header, one read of the rest of the file. */
int rtt_scan_stream(const char *path, const unsigned char uuid[16],
                    rtt_stream_scan_t *s, const uint64_t *find_begin,
                    uint64_t *found_offset, char *err, size_t errlen);

#endif
