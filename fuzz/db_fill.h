/* db_fill.h - the byte interpreter of the database fuzz target (db_fill.c):
 * turns fuzz input into rows of an rt-trace database (the real schema),
 * well-formed SQL but hostile contents: NULLs, negative and huge
 * durations, timestamps running backwards, ids shared across tables and
 * processes, cause cycles, text and reals in integer columns, odd text. */
#ifndef RTK_FUZZ_DB_FILL_H
#define RTK_FUZZ_DB_FILL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* A cursor over the input; reads past the end give 0. */
typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in_t;

uint8_t fz_u8(fz_in_t *in);
uint16_t fz_u16(fz_in_t *in);

typedef struct fz_filler fz_filler_t;

/* Prepare one INSERT OR IGNORE per table of db (schema already created).
 * NULL on failure (message on stderr). */
fz_filler_t *fz_filler_create(sqlite3 *db);
void fz_filler_free(fz_filler_t *f);

/* Insert rows decoded from in until it is exhausted or `max_rows` rows were
 * tried. A row the schema refuses (NOT NULL, PRIMARY KEY, UNIQUE) is
 * skipped. Returns the rows inserted. */
int fz_fill(fz_filler_t *f, fz_in_t *in, int max_rows);

#endif
