/* synthetic_db.h - a hand-built rt-trace database whose interactions are
 * known exactly (synthetic_db.c), and a bulk generator for scale tests. */
#ifndef RTK_TEST_SYNTHETIC_DB_H
#define RTK_TEST_SYNTHETIC_DB_H

#include <sqlite3.h>

/* Create the schema (schema.sql at schema_path) in db. 0 or -1. */
int synth_schema(sqlite3 *db, const char *schema_path);

/* Insert the known chains documented in synthetic_db.c. 0 or -1. */
int synth_known(sqlite3 *db);

/* Insert input marks and their work, with a stall (see synthetic_db.c). */
int synth_inputs(sqlite3 *db);

/* Insert keystrokes whose events were partly lost (see synthetic_db.c). */
int synth_lossy(sqlite3 *db);

/* Insert n keystrokes, each: command -> key task -> render request,
 * highlight task -> coalesced request, debounce timer; one render per key.
 * Latency of key k: 2 ms + (k % 10) * 1 ms. 0 or -1. */
int synth_bulk(sqlite3 *db, int n);

#endif
