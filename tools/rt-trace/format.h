/* format.h - how the CLI presents results (format.c).
 *
 * A query result (rtt_out_t, analysis/query/result.h) is written in one of
 * three formats:
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
 * rtt_json_* is a small streaming JSON emitter for nested documents (the
 * summary contract), with the same number formatting.
 */
#ifndef RTT_FORMAT_H
#define RTT_FORMAT_H

#include <stdint.h>
#include <stdio.h>

#include "result.h"

typedef enum rtt_format {
    RTT_FMT_TABLE, RTT_FMT_JSON, RTT_FMT_CSV,
    RTT_FMT_MARKDOWN /* GitHub tables, for a pull-request comment (compare, check) */
} rtt_format_t;

/* Parse "table" / "json" / "csv". Returns 0, or -1 if unknown. */
int rtt_format_parse(const char *s, rtt_format_t *out);
/* The same, "markdown" too (the commands that offer it). */
int rtt_format_parse_md(const char *s, rtt_format_t *out);
/* What those accept, for an error message: "table, json or csv", with
 * markdown "table, json, csv or markdown". */
const char *rtt_format_choices(int markdown);

/* A cell as text: human (table, markdown: units applied) or raw (json,
 * csv). NULL for a null cell. buf >= 64 bytes. */
const char *rtt_cell_text(const rtt_cell_t *c, rtt_unit_t unit, int human, char *buf,
                          size_t len);

/* Markdown: each section a "### name" heading and a pipe table (a record
 * section as "field | value" rows), human units. format_md.c. */
void rtt_out_write_markdown(const rtt_out_t *o, FILE *f);

/* Write the document. Returns 0, or -1 on an output error (or out of
 * memory while building it). */
int rtt_out_write(rtt_out_t *o, rtt_format_t fmt, FILE *f);

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
