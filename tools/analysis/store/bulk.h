/* bulk.h - a bulk load into a new database without its secondary indexes
 * (bulk.c): they are dropped before the rows go in and built once at the
 * end from sorted keys. On a new database the
 * writer thread is ingest's critical path (the decoder is faster than
 * SQLite's B-tree inserts), and building an index from sorted keys costs
 * less than maintaining it row by row. Only for a database this ingest
 * creates: an existing one keeps its indexes (its transaction must be
 * able to roll back to them). */
#ifndef RTT_STORE_BULK_H
#define RTT_STORE_BULK_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct rtt_bulk {
    char **sql; /* CREATE INDEX statements of the dropped indexes */
    size_t n;
} rtt_bulk_t;

/* Drop every index the schema creates (not the primary keys), keeping
 * their statements in b. 0, or -1 with err. */
int rtt_bulk_begin(sqlite3 *db, rtt_bulk_t *b, char *err, size_t errlen);
/* Create them again (inside the caller's transaction). 0, or -1 with err.
 * Frees b either way. */
int rtt_bulk_end(sqlite3 *db, rtt_bulk_t *b, char *err, size_t errlen);
void rtt_bulk_free(rtt_bulk_t *b);

#endif
