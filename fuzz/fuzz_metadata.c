/* fuzz_metadata.c - libFuzzer target (a): the input is the plain-text TSDL
 * `metadata` file (the "CTF 1.8" text form) of a trace directory whose one
 * stream file is a fixed, valid rtk stream (data/rtk_0.stream, recorded
 * from rtt_tpgen); the directory goes through the engine's real ingest
 * (rtt_ingest_run -> libbabeltrace2 src.ctf.fs -> sink -> SQLite).
 * Seeds: corpus/metadata/ (the metadata of that recording). */
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
    uint8_t *stream = fz_read_data("data/rtk_0.stream", &n);
    fz_trace_dir_init();
    fz_trace_write("rtk_0", stream, n);
    free(stream);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_trace_write("metadata", data, size);
    fz_trace_ingest();
    return 0;
}
