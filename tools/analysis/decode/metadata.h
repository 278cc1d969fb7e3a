/* metadata.h - what ingest needs to know of a CTF trace's `metadata` file
 * before babeltrace2 reads it (metadata.c): the trace UUID (traces of one
 * rotated LTTng session share it) and whether LTTng wrote it (then its
 * stream files have LTTng's packet layout, which decode/scan.c walks), and
 * which stream classes it declares (a stream file of a class it lacks
 * means the tracer stopped before finishing the metadata).
 * Cost: one read of the metadata file (kilobytes). */
#ifndef RTT_DECODE_METADATA_H
#define RTT_DECODE_METADATA_H

#include <stddef.h>
#include <stdint.h>

#define RTT_META_STREAMS_MAX 64

typedef struct rtt_meta {
    int have_uuid;
    unsigned char uuid[16];
    int lttng; /* env.tracer_name is "lttng-ust" or "lttng-modules" */
    /* The stream class ids the metadata declares (LTTng traces only), in
     * declaration order, as rt-trace's TSDL parser (ctf/tsdl.h) reads
     * them: streams_known is 0 when they were not read with confidence
     * (not LTTng, more than RTT_META_STREAMS_MAX, text that parser
     * refuses), and nothing is checked against them then. */
    int streams_known;
    unsigned nstreams;
    uint64_t stream_ids[RTT_META_STREAMS_MAX];
} rtt_meta_t;

/* Read DIR/metadata (packetized, as LTTng writes it, or plain text).
 * Returns 0, or -1 with err holding one line when the file cannot be read
 * ("permission denied: DIR/metadata"). A file that does not parse is not an
 * error here (babeltrace2 reports it): the fields are then 0. */
int rtt_meta_read(const char *dir, rtt_meta_t *m, char *err, size_t errlen);

/* Whether m declares stream class id (1 also when streams_known is 0). */
int rtt_meta_has_stream(const rtt_meta_t *m, uint64_t id);

/* "6fe9f603-e9a2-43f3-9d3d-dd8450966101"; buf >= 37 bytes. */
void rtt_uuid_str(const unsigned char u[16], char *buf, size_t len);

#endif
