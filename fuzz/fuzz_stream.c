/* fuzz_stream.c - libFuzzer target (b): the input is the bytes of the one
 * stream file of a trace directory whose `metadata` is fixed, valid rtk
 * TSDL (data/rtk.metadata, recorded from rtt_tpgen); the directory goes
 * through the engine's real ingest (rtt_ingest_run -> libbabeltrace2
 * src.ctf.fs -> sink -> pairing -> SQLite). stream_mutator.c adds
 * packet-aware mutations (sizes, timestamps, discarded-event counters).
 * Seeds: corpus/stream/ (real stream files of that recording). */
#include "ctf_packet.h"
#include "trace_dir.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    size_t n;
    uint8_t *meta = fz_read_data("data/rtk.metadata", &n);
    fz_trace_dir_init();
    fz_trace_write("metadata", meta, n);
    free(meta);
    return 0;
}

/* libbabeltrace2 2.0.4 asserts (aborts the process) on two kinds of packet
 * context, its bugs, not the engine's (fuzz/babeltrace2/, and
 * docs/reliability.md, "libbabeltrace2"):
 *  - msg-iter.c:1111, set_current_packet_content_sizes(): packet_size and
 *    content_size differ in sign as int64 (one of them >= 2^63);
 *  - msg-iter.c:2535, create_msg_packet_beginning() and msg-iter.c:1613,
 *    check_emit_msg_discarded_events(): timestamp_begin or
 *    events_discarded is UINT64_MAX, the value it keeps for "not seen"
 *    (the same for timestamp_end and packet_seq_num);
 * and it loops, its memory growing by about 40 MB/s, on a packet_size of 0
 * (skipped: any packet_size smaller than the header and context).
 * Each stopped a run within minutes, so such inputs are skipped (only these
 * field values, on the packets found by following packet_size). */
static int babeltrace2_fails_on(const uint8_t *data, size_t size)
{
    size_t off[256];
    size_t n = ctf_packets(data, size, off, sizeof off / sizeof off[0]);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = data + off[i];
        uint64_t content = ctf_get64(p + CTF_CONTENT_SIZE);
        uint64_t total = ctf_get64(p + CTF_PACKET_SIZE);
        if ((content >> 63) != (total >> 63) || total < CTF_CTX_END * 8)
            return 1;
        static const size_t unset[] = {CTF_TS_BEGIN, CTF_TS_END, CTF_SEQ_NUM, CTF_DISCARDED};
        for (size_t k = 0; k < sizeof unset / sizeof unset[0]; k++)
            if (ctf_get64(p + unset[k]) == UINT64_MAX)
                return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (babeltrace2_fails_on(data, size))
        return 0;
    fz_trace_write("rtk_0", data, size);
    /* The metadata is fixed, and nothing in a stream file of a few MB can
     * run memory out: "out of memory" would be a misreported failure (a
     * vpid of -1 once made the procs map refuse its key as one). */
    if (fz_trace_ingest() != 0 && strstr(fz_trace_ingest_error(), "out of memory")) {
        fprintf(stderr, "fuzz_stream: %s\n", fz_trace_ingest_error());
        abort();
    }
    return 0;
}
