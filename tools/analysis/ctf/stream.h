/* stream.h - one stream file of an LTTng-UST trace, read packet by packet
 * and event by event by the own CTF reader (stream.c).
 *
 * The file is mapped; each step yields the stream's next item: an event
 * (its class, time and decoded slots), or the discarded-events or
 * discarded-packets record babeltrace2's src.ctf.fs would emit before a
 * packet (the same counts and time ranges: a growing events_discarded
 * counter, a gap in packet_seq_num). Times are ns from the clock's origin.
 * Cost: O(bytes) with no allocation per event; memory is the mapping. */
#ifndef RTT_CTF_STREAM_H
#define RTT_CTF_STREAM_H

#include "trace.h"

#include <stddef.h>
#include <stdint.h>

enum rtt_item { RTT_ITEM_NONE, RTT_ITEM_EVENT, RTT_ITEM_DISC_EVENTS,
                RTT_ITEM_DISC_PACKETS };

typedef struct rtt_ctf_stream {
    const char *path;
    const rtt_ctf_trace_t *tr;
    size_t trace;          /* caller's index of the trace */
    const uint8_t *map;
    uint64_t size;         /* bytes */
    uint64_t released;     /* bytes of the mapping given back */
    const rtt_ctf_sc_t *sc;
    int have_ids;
    uint64_t sc_id, instance;
    /* the packet being read */
    int in_packet;
    int begun;             /* its beginning's time checked */
    uint64_t pkt_off, pkt_bytes;   /* bytes */
    uint64_t pos, content_end;     /* bits from map */
    uint64_t clock;
    int64_t pc[PC__N];
    /* the previous packet's snapshots */
    int have_prev;
    int64_t prev[PC__N];
    /* records due before the packet's events */
    int due_events, due_packets;
    uint64_t packets;      /* packets begun */
    /* the current item */
    int item;              /* enum rtt_item */
    int64_t ts;            /* event time; a record's range begins here */
    int have_count;        /* records: count known */
    uint64_t count;
    int64_t end_ts;        /* records: the range's end */
    int have_last;         /* an item was yielded: last_ts is its time */
    int64_t last_ts;
    const rtt_ctf_ec_t *ec;
    int64_t ctx[RTT_SCOPE_MAX_SLOTS];
    rtt_strref_t ctx_str[RTT_SCOPE_MAX_STRS];
    int64_t f[RTT_SCOPE_MAX_SLOTS];
    rtt_strref_t f_str[RTT_SCOPE_MAX_STRS];
    int64_t scratch[RTT_SCOPE_MAX_SLOTS];
    rtt_strref_t scratch_str[RTT_SCOPE_MAX_STRS];
    /* first failure */
    char err[300];
    /* ... when it is damage inside the packet at damage_off (a time that
     * goes back, an event past the content, an unknown event class): what
     * it is in a user's words, else "" */
    char damage[120];
    uint64_t damage_off;
} rtt_ctf_stream_t;

/* Map path and read its first packet's header. Returns 0; 1 with
 * s->err when this reader does not take the file (the caller falls back
 * to babeltrace2); -1 with s->err on an I/O error. */
int rtt_ctf_stream_open(rtt_ctf_stream_t *s, const char *path,
                        const rtt_ctf_trace_t *tr, size_t trace);
void rtt_ctf_stream_close(rtt_ctf_stream_t *s);

/* Step to the next item (s->item, RTT_ITEM_NONE at the end). Returns 0,
 * or 1 with s->err when the data is not what this reader expects (a
 * corrupt packet, a time before the stream's previous item's or out of
 * int64 ns from origin: babeltrace2 is the one to report it). Item times
 * never decrease within a stream, and neither do they with the packets'
 * timestamp_begin and timestamp_end (babeltrace2's packet messages). A
 * counter that goes down makes a record of the difference modulo 2^64, as
 * babeltrace2 2.0 does. */
int rtt_ctf_stream_next(rtt_ctf_stream_t *s);

#endif
