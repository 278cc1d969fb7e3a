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
#include <stdlib.h>

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

/* libbabeltrace2 2.0.4 asserts (aborts the process) in msg-iter.c,
 * set_current_packet_content_sizes(), when a packet's packet_size and
 * content_size differ in sign as int64 (one of them >= 2^63): its bug, not
 * the engine's (fuzz/babeltrace2/, docs/reliability.md). Found within a few
 * dozen inputs, it would stop every run, so such inputs are skipped. */
static int babeltrace2_asserts_on(const uint8_t *data, size_t size)
{
    size_t off[256];
    size_t n = ctf_packets(data, size, off, sizeof off / sizeof off[0]);
    for (size_t i = 0; i < n; i++) {
        uint64_t content = ctf_get64(data + off[i] + CTF_CONTENT_SIZE);
        uint64_t total = ctf_get64(data + off[i] + CTF_PACKET_SIZE);
        if ((content >> 63) != (total >> 63))
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (babeltrace2_asserts_on(data, size))
        return 0;
    fz_trace_write("rtk_0", data, size);
    fz_trace_ingest();
    return 0;
}
