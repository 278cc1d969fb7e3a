/* jsonw.h - the export's buffered JSON writer (jsonw.c): a 64 KiB buffer
 * flushed through the caller's sink, JSON strings (escaped, invalid UTF-8
 * replaced by U+FFFD) and timestamps in microseconds with the nanoseconds
 * kept as three decimals. O(1) memory; O(bytes) time. Private to export/. */
#ifndef RTT_EXPORT_JSONW_H
#define RTT_EXPORT_JSONW_H

#include "chrome.h"

#include <stdint.h>

#define JW_BUF 65536

typedef struct jw {
    rtt_sink_fn sink;
    void *ctx;
    int failed;       /* the sink returned -1: everything after is dropped */
    int64_t origin;   /* ns subtracted from every timestamp */
    int64_t events;   /* jw_event() calls */
    int64_t bytes;    /* bytes handed to the sink */
    size_t n;
    char buf[JW_BUF];
} jw_t;

void jw_init(jw_t *w, rtt_sink_fn sink, void *ctx, int64_t origin);
void jw_raw(jw_t *w, const char *s, size_t len);
void jw_lit(jw_t *w, const char *s);
void jw_fmt(jw_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A decimal integer (no printf: this is the export's hot path). */
void jw_i64(jw_t *w, int64_t v);
/* ,"key":v */
void jw_kv(jw_t *w, const char *key, int64_t v);
/* s as a quoted JSON string; NULL writes null. */
void jw_str(jw_t *w, const char *s);
/* An absolute *_ts as microseconds from the origin: "12.345". */
void jw_ts(jw_t *w, int64_t ts);
/* A duration in ns as microseconds: "0.250". */
void jw_us(jw_t *w, int64_t ns);
/* Start one trace event: "{" after the separator of the previous one. */
void jw_event(jw_t *w);
/* The common head of an event: {"ph":PH,"cat":CAT,"name":NAME,"pid":..,
 * "tid":..,"ts":.. (no closing brace). */
void jw_head(jw_t *w, char ph, const char *cat, const char *name, uint32_t pid,
             uint32_t tid, int64_t ts);
/* Hand the buffer to the sink. 0, or -1 if the sink failed (now or before). */
int jw_flush(jw_t *w);

#endif
