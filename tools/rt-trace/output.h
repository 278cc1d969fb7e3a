/* output.h - the result writer every rt-trace query uses (output.c).
 *
 * A query builds an rtt_out_t: one or more named sections, each a table of
 * typed cells (int, float, text, null) under named columns, then writes it
 * in one of three formats:
 *
 *   table  aligned text for people; duration columns (RTT_UNIT_NS) shown in
 *          human units ("1.23 ms"), ratios as percentages, null as "-".
 *   json   machine-readable; durations as integers in ns (interpolated
 *          percentiles and means rounded to the nearest ns), null as null. One section:
 *          the section itself; several: an object keyed by section name.
 *          A row section is an array of objects, a record section (one row)
 *          an object.
 *   csv    RFC 4180: header line then rows, fields quoted when they hold a
 *          comma, quote or line break; null is an empty field; sections
 *          separated by one empty line. Durations in integer ns.
 *
 * Rows are buffered (table alignment needs every row), so memory is
 * proportional to the result size; adding a cell is amortised O(1).
 *
 * rtt_json_* is a small streaming JSON emitter for nested documents (the
 * summary contract), with the same number formatting.
 */
#ifndef RTT_OUTPUT_H
#define RTT_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

typedef enum rtt_format { RTT_FMT_TABLE, RTT_FMT_JSON, RTT_FMT_CSV } rtt_format_t;

/* Parse "table" / "json" / "csv". Returns 0, or -1 if unknown. */
int rtt_format_parse(const char *s, rtt_format_t *out);

/* How a column's numbers are shown in table format (json/csv: raw). */
typedef enum rtt_unit {
    RTT_UNIT_PLAIN, /* as is */
    RTT_UNIT_NS,    /* nanoseconds -> "1.23 ms" */
    RTT_UNIT_RATIO  /* fraction -> "12.5 %" */
} rtt_unit_t;

typedef struct rtt_out rtt_out_t;

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

/* Write the document. Returns 0, or -1 on an output error (or out of
 * memory while building it). */
int rtt_out_write(rtt_out_t *o, rtt_format_t fmt, FILE *f);

/* Number formatting shared by json and csv: integral values as integers,
 * others with 15 significant digits (above 1e9: 3 decimals). buf >= 64. */
void rtt_fmt_number(char *buf, size_t len, double v);
/* Human duration: "850 ns", "1.23 us", "12.3 ms", "123 ms", "4.56 s". */
void rtt_fmt_duration(char *buf, size_t len, double ns);

/* --- streaming JSON ------------------------------------------------------ */

#define RTT_JSON_MAX_DEPTH 16

typedef struct rtt_json {
    FILE *f;
    int depth;
    int first[RTT_JSON_MAX_DEPTH]; /* no member written yet at this depth */
} rtt_json_t;

void rtt_json_init(rtt_json_t *j, FILE *f);
/* key may be NULL inside arrays or at the top level. */
void rtt_json_begin_object(rtt_json_t *j, const char *key);
void rtt_json_end_object(rtt_json_t *j);
void rtt_json_begin_array(rtt_json_t *j, const char *key);
void rtt_json_end_array(rtt_json_t *j);
void rtt_json_int(rtt_json_t *j, const char *key, int64_t v);
void rtt_json_float(rtt_json_t *j, const char *key, double v); /* NaN -> null */
/* A duration: rounded to the nearest integer ns; NaN -> null. */
void rtt_json_ns(rtt_json_t *j, const char *key, double v);
void rtt_json_text(rtt_json_t *j, const char *key, const char *s);
void rtt_json_null(rtt_json_t *j, const char *key);
/* Ends the document with a newline. */
void rtt_json_finish(rtt_json_t *j);

#endif
