/* trace_dir.h - a scratch CTF trace directory for the decode fuzz targets
 * (trace_dir.c): write `metadata` and one stream file, then ingest the
 * directory through the engine's real path (rtt_ingest_run: discover,
 * babeltrace2's src.ctf.fs, the sink, the row pairing, SQLite). */
#ifndef RTK_FUZZ_TRACE_DIR_H
#define RTK_FUZZ_TRACE_DIR_H

#include <stddef.h>
#include <stdint.h>

/* Create a fresh scratch directory (under $RTK_FUZZ_TMP, else /dev/shm when
 * it exists, else /tmp) holding trace/ and, later, out.db. Exits the
 * process with a message on failure (the harness cannot go on). */
void fz_trace_dir_init(void);

/* The trace directory (valid after fz_trace_dir_init). */
const char *fz_trace_path(void);

/* Replace trace/<name> with the n bytes at p. */
void fz_trace_write(const char *name, const uint8_t *p, size_t n);

/* Ingest trace/ into a new out.db (removed first) and remove it again.
 * Returns rtt_ingest_run's status (0, or -1 for a trace it rejects, which
 * is an expected outcome for hostile input). */
int fz_trace_ingest(void);
/* The last fz_trace_ingest's error (one line), or "" when it succeeded. */
const char *fz_trace_ingest_error(void);

/* The whole of a file from the source tree (RTK_FUZZ_DATA/<rel>), malloc'ed;
 * exits on failure. */
uint8_t *fz_read_data(const char *rel, size_t *n);

#endif
