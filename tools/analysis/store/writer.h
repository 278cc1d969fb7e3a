/* writer.h - ingest's SQLite writer thread (writer.c).
 *
 * The decoding thread fills rows (values of one prepared statement) into
 * fixed-size chunks; a second thread executes them in order, so decoding
 * the trace and writing SQLite overlap on two cores. High-volume tables go
 * BATCH rows per INSERT. Memory: RTT_WRITER_CHUNKS chunks of
 * RTT_WRITER_CHUNK_BYTES plus one batch buffer per table: constant.
 */
#ifndef RTT_INGEST_WRITER_H
#define RTT_INGEST_WRITER_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

enum { RTT_V_NULL, RTT_V_INT, RTT_V_TEXT, RTT_V_OWNED };

/* One column value. RTT_V_TEXT: s must stay valid until the writer is
 * finished (interned strings); RTT_V_OWNED: s is malloc'ed, the writer
 * frees it. */
typedef struct rtt_val {
    int64_t i;
    const char *s;
    int t;
} rtt_val_t;

typedef struct rtt_writer rtt_writer_t;

/* Prepare sql[0..n) on db (one-row INSERTs with "VALUES(?,...)"); the ones
 * with batched[i] also get a BATCH-row form. Starts the thread. NULL on
 * failure with err filled. */
rtt_writer_t *rtt_writer_create(sqlite3 *db, const char *const *sql,
                                const int *batched, int n, char *err,
                                size_t errlen);

/* The slots of a new row of statement `which`, 1-based like SQL parameters
 * (slot[1] is the first '?'). Fill every slot, then rtt_writer_commit().
 * NULL if the writer failed (see rtt_writer_errmsg) or memory ran out. */
rtt_val_t *rtt_writer_row(rtt_writer_t *w, int which);
void rtt_writer_commit(rtt_writer_t *w);

/* Wait until every committed row has been executed (batched rows may still
 * sit in their batch buffer). The caller may then use the connection
 * itself until its next rtt_writer_row(). 0, or -1 if the writer failed. */
int rtt_writer_idle(rtt_writer_t *w);

/* Write everything committed, partial batches too, and wait until the
 * thread is idle; it keeps running. The caller may then use the
 * connection (COMMIT, BEGIN) until its next rtt_writer_row(). 0 or -1. */
int rtt_writer_sync(rtt_writer_t *w);

/* Write everything, including partial batches, and stop the thread.
 * 0 or -1. The writer can only be destroyed afterwards. */
int rtt_writer_finish(rtt_writer_t *w);

/* Stop the thread (if running) and free everything; NULL is a no-op. */
void rtt_writer_destroy(rtt_writer_t *w);

const char *rtt_writer_errmsg(const rtt_writer_t *w);

#endif
