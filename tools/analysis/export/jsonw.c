/* jsonw.c - the export's buffered JSON writer (see jsonw.h). Each call is
 * O(its output); the buffer is flushed when full. */
#include "jsonw.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void jw_init(jw_t *w, rtt_sink_fn sink, void *ctx, int64_t origin)
{
    w->sink = sink;
    w->ctx = ctx;
    w->failed = 0;
    w->origin = origin;
    w->events = 0;
    w->bytes = 0;
    w->n = 0;
}

int jw_flush(jw_t *w)
{
    if (!w->failed && w->n > 0) {
        if (w->sink(w->ctx, w->buf, w->n))
            w->failed = 1;
        else
            w->bytes += (int64_t)w->n;
    }
    w->n = 0;
    return w->failed ? -1 : 0;
}

void jw_raw(jw_t *w, const char *s, size_t len)
{
    while (len > 0) {
        if (w->n == JW_BUF)
            jw_flush(w);
        size_t k = JW_BUF - w->n;
        if (k > len)
            k = len;
        memcpy(w->buf + w->n, s, k);
        w->n += k;
        s += k;
        len -= k;
    }
}

void jw_lit(jw_t *w, const char *s)
{
    jw_raw(w, s, strlen(s));
}

void jw_fmt(jw_t *w, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    jw_raw(w, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    unsigned cp = c & (0x3F >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void jw_str(jw_t *w, const char *str)
{
    if (!str) {
        jw_lit(w, "null");
        return;
    }
    const unsigned char *s = (const unsigned char *)str;
    jw_raw(w, "\"", 1);
    while (*s) {
        const unsigned char *run = s;
        /* A run of bytes that need no escape. */
        while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
            s++;
        jw_raw(w, (const char *)run, (size_t)(s - run));
        if (!*s)
            break;
        if (*s == '"' || *s == '\\') {
            char e[2] = {'\\', (char)*s};
            jw_raw(w, e, 2);
            s++;
        } else if (*s < 0x20) {
            jw_fmt(w, "\\u%04x", *s);
            s++;
        } else {
            size_t k = utf8_len(s);
            if (k) {
                jw_raw(w, (const char *)s, k);
                s += k;
            } else {
                jw_lit(w, "\\ufffd");
                s++;
            }
        }
    }
    jw_raw(w, "\"", 1);
}

/* The digits of v, right-aligned in a 24-byte buffer: returns the first. */
static char *digits(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

void jw_i64(jw_t *w, int64_t v)
{
    char buf[24], *end = buf + sizeof buf;
    /* |v| without overflow for INT64_MIN. */
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *p = digits(a, end);
    if (v < 0)
        *--p = '-';
    jw_raw(w, p, (size_t)(end - p));
}

void jw_kv(jw_t *w, const char *key, int64_t v)
{
    jw_raw(w, ",\"", 2);
    jw_lit(w, key);
    jw_raw(w, "\":", 2);
    jw_i64(w, v);
}

void jw_us(jw_t *w, int64_t ns)
{
    char buf[32], *end = buf + sizeof buf;
    uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    unsigned frac = (unsigned)(a % 1000);
    *--end = (char)('0' + frac % 10);
    *--end = (char)('0' + frac / 10 % 10);
    *--end = (char)('0' + frac / 100);
    *--end = '.';
    char *p = digits(a / 1000, end);
    if (ns < 0)
        *--p = '-';
    jw_raw(w, p, (size_t)(buf + sizeof buf - p));
}

void jw_ts(jw_t *w, int64_t ts)
{
    jw_us(w, (int64_t)((uint64_t)ts - (uint64_t)w->origin));
}

void jw_event(jw_t *w)
{
    jw_lit(w, w->events ? ",\n{" : "\n{");
    w->events++;
}

void jw_head(jw_t *w, char ph, const char *cat, const char *name, uint32_t pid,
             uint32_t tid, int64_t ts)
{
    char head[8] = "\"ph\":\"?\"";
    jw_event(w);
    head[6] = ph;
    jw_raw(w, head, 8);
    jw_raw(w, ",\"cat\":\"", 8);
    jw_lit(w, cat);
    jw_raw(w, "\",\"name\":", 9);
    jw_str(w, name);
    jw_kv(w, "pid", pid);
    jw_kv(w, "tid", tid);
    jw_raw(w, ",\"ts\":", 6);
    jw_ts(w, ts);
}
