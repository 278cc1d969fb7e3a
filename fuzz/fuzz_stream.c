/* fuzz_stream.c - libFuzzer target (b): the input is the bytes of the one
 * stream file of a trace directory whose `metadata` is fixed, valid rtk
 * TSDL (data/rtk.metadata, recorded from rtt_tpgen); the directory goes
 * through the engine's real ingest (rtt_ingest_run -> libbabeltrace2
 * src.ctf.fs -> sink -> pairing -> SQLite). stream_mutator.c adds
 * packet-aware mutations (sizes, timestamps, discarded-event counters).
 * Seeds: corpus/stream/ (real stream files of that recording). */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_trace_write("rtk_0", data, size);
    fz_trace_ingest();
    return 0;
}
