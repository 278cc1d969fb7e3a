/* result.h - the typed result every rt-trace query returns (result.c).
 *
 * A query builds an rtt_out_t: one or more named sections, each a table of
 * typed cells (int, float, text, null) under named columns with a unit
 * (plain, ns duration, ratio). It is data, not text: the front-ends present
 * it (the CLI as table, JSON or CSV: rt-trace/format.h). A record section
 * holds one row (JSON shows it as an object).
 *
 * Front-ends read the structures below directly; only the functions here
 * build them. Adding a cell is amortised O(1); memory is proportional to
 * the result.
 */
#ifndef RTT_RESULT_H
#define RTT_RESULT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a column's numbers are shown in table format (json/csv: raw). */
typedef enum rtt_unit {
    RTT_UNIT_PLAIN, /* as is */
    RTT_UNIT_NS,    /* nanoseconds -> "1.23 ms" */
    RTT_UNIT_RATIO  /* fraction -> "12.5 %" */
} rtt_unit_t;

enum rtt_cell_type { CELL_NULL, CELL_INT, CELL_FLOAT, CELL_TEXT };

typedef struct rtt_cell {
    int type;
    union {
        int64_t i;
        double f;
        char *s;
    } u;
} rtt_cell_t;

typedef struct rtt_column {
    char *name;
    rtt_unit_t unit;
} rtt_column_t;

typedef struct rtt_section {
    char *name;
    int record;
    rtt_column_t *cols;
    size_t ncols, capcols;
    rtt_cell_t *cells; /* row-major, nrows * ncols */
    size_t ncells, capcells;
} rtt_section_t;

typedef struct rtt_out {
    rtt_section_t *secs;
    size_t nsecs, capsecs;
    int oom; /* a build step ran out of memory: the result is incomplete */
} rtt_out_t;

/* A new, empty document. Returns NULL only if out of memory. */
rtt_out_t *rtt_out_new(void);
void rtt_out_free(rtt_out_t *o);

/* Start a section. record: the section holds one row and JSON shows it as an
 * object (table format: "name  value" lines). Columns are added next. */
void rtt_out_section(rtt_out_t *o, const char *name, int record);
void rtt_out_column(rtt_out_t *o, const char *name, rtt_unit_t unit);

/* Start a row in the current section, then add one cell per column. */
void rtt_out_row(rtt_out_t *o);
void rtt_out_int(rtt_out_t *o, int64_t v);
void rtt_out_float(rtt_out_t *o, double v); /* NaN -> null */
void rtt_out_text(rtt_out_t *o, const char *s); /* NULL -> null */
void rtt_out_null(rtt_out_t *o);

/* The number forms every presentation shares. */
/* Number formatting shared by json and csv: integral values as integers,
 * others with 15 significant digits (above 1e9: 3 decimals). buf >= 64. */
void rtt_fmt_number(char *buf, size_t len, double v);
/* v with 3 decimals, trailing zeros (and a bare '.') removed. */
void rtt_fmt_decimals(char *buf, size_t len, double v);
/* Human duration: "850 ns", "1.23 us", "12.3 ms", "123 ms", "4.56 s". */
void rtt_fmt_duration(char *buf, size_t len, double ns);

#ifdef __cplusplus
}
#endif

#endif
