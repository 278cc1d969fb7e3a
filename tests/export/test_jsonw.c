/* test_jsonw.c - unit test of the export's JSON writer
 * (tools/analysis/export/jsonw.c): timestamps and durations as
 * microseconds with three decimals (signs, zero, the int64 extremes),
 * integers, string escapes and invalid UTF-8 (overlong forms, surrogates,
 * truncated sequences, code points past U+10FFFF), output larger than the
 * 64 KiB buffer, and a failing sink. Exit 0, or 1 after one line per
 * failed check. O(1 MiB). */
#include "jsonw.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fails;

typedef struct mem {
    char *buf;
    size_t n, cap;
    size_t fail_after; /* refuse writes once n would pass this (0: never) */
    int calls;
} mem_t;

static int mem_write(void *ctx, const char *buf, size_t len)
{
    mem_t *m = ctx;
    m->calls++;
    if (m->fail_after && m->n + len > m->fail_after)
        return -1;
    if (m->n + len + 1 > m->cap) {
        m->cap = (m->n + len + 1) * 2;
        m->buf = realloc(m->buf, m->cap);
        if (!m->buf)
            abort();
    }
    memcpy(m->buf + m->n, buf, len);
    m->n += len;
    m->buf[m->n] = '\0';
    return 0;
}

static jw_t W;

/* What fn writes, as a string (valid until the next call). */
#define WRITTEN(call)                                                                    \
    (m.n = 0, jw_init(&W, mem_write, &m, 0), call, jw_flush(&W), m.buf ? m.buf : "")

static void eq(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want)) {
        printf("FAIL %s: got [%s], want [%s]\n", what, got, want);
        fails++;
    }
}

int main(void)
{
    mem_t m = {0};
    eq("us 0", WRITTEN(jw_us(&W, 0)), "0.000");
    eq("us 1", WRITTEN(jw_us(&W, 1)), "0.001");
    eq("us -1", WRITTEN(jw_us(&W, -1)), "-0.001");
    eq("us 1234567", WRITTEN(jw_us(&W, 1234567)), "1234.567");
    eq("us -1000", WRITTEN(jw_us(&W, -1000)), "-1.000");
    eq("us max", WRITTEN(jw_us(&W, INT64_MAX)), "9223372036854775.807");
    eq("us min", WRITTEN(jw_us(&W, INT64_MIN)), "-9223372036854775.808");
    eq("i64 min", WRITTEN(jw_i64(&W, INT64_MIN)), "-9223372036854775808");
    eq("i64 0", WRITTEN(jw_i64(&W, 0)), "0");
    eq("kv", WRITTEN(jw_kv(&W, "id", 42)), ",\"id\":42");
    /* ts is relative to the origin, without overflow at the extremes. */
    m.n = 0;
    jw_init(&W, mem_write, &m, 1000000000);
    jw_ts(&W, 1000001500);
    jw_flush(&W);
    eq("ts from origin", m.buf, "1.500");

    eq("str null", WRITTEN(jw_str(&W, NULL)), "null");
    eq("str empty", WRITTEN(jw_str(&W, "")), "\"\"");
    eq("str escapes", WRITTEN(jw_str(&W, "a\"b\\c\n\t\x01\x1f")),
       "\"a\\\"b\\\\c\\u000a\\u0009\\u0001\\u001f\"");
    eq("str utf8", WRITTEN(jw_str(&W, "\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e")),
       "\"\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\"");
    eq("str bad byte", WRITTEN(jw_str(&W, "a\xff" "b")), "\"a\\ufffdb\"");
    eq("str overlong", WRITTEN(jw_str(&W, "\xc0\x80")), "\"\\ufffd\\ufffd\"");
    eq("str overlong 3", WRITTEN(jw_str(&W, "\xe0\x80\xaf")), "\"\\ufffd\\ufffd\\ufffd\"");
    eq("str surrogate", WRITTEN(jw_str(&W, "\xed\xa0\x80")), "\"\\ufffd\\ufffd\\ufffd\"");
    eq("str past 10FFFF", WRITTEN(jw_str(&W, "\xf4\x90\x80\x80")),
       "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    eq("str cut short", WRITTEN(jw_str(&W, "x\xe2\x82")), "\"x\\ufffd\\ufffd\"");

    /* Events: the separator goes before every event but the first. */
    eq("events", WRITTEN((jw_event(&W), jw_lit(&W, "}"), jw_event(&W), jw_lit(&W, "}"))),
       "\n{},\n{}");
    eq("head", WRITTEN(jw_head(&W, 'X', "task", "n", 7, 448, 2500)),
       "\n{\"ph\":\"X\",\"cat\":\"task\",\"name\":\"n\",\"pid\":7,\"tid\":448,\"ts\":2.500");

    /* More than the buffer: every byte arrives, in order, in few calls. */
    m.n = 0;
    m.calls = 0;
    jw_init(&W, mem_write, &m, 0);
    for (int i = 0; i < 100000; i++)
        jw_i64(&W, i % 10);
    jw_flush(&W);
    int ok = m.n == 100000 && W.bytes == 100000 && m.calls == 2;
    for (size_t i = 0; ok && i < m.n; i++)
        ok = m.buf[i] == (char)('0' + i % 10);
    if (!ok) {
        printf("FAIL large output: %zu bytes in %d calls\n", m.n, m.calls);
        fails++;
    }

    /* A failing sink: the writer stops passing bytes and says so. */
    m.n = 0;
    m.fail_after = 70000;
    jw_init(&W, mem_write, &m, 0);
    for (int i = 0; i < 200000; i++)
        jw_lit(&W, "x");
    if (jw_flush(&W) != -1 || !W.failed || W.bytes != 65536) {
        printf("FAIL failing sink: flush ok or %lld bytes counted\n", (long long)W.bytes);
        fails++;
    }
    free(m.buf);
    if (fails)
        return 1;
    printf("test_jsonw: ok\n");
    return 0;
}
