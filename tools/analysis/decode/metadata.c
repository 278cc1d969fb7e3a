/* metadata.c - the trace UUID and the tracer of a CTF metadata file (see
 * metadata.h).
 *
 * LTTng writes the metadata packetized: packets of a 37-byte header
 * (magic 0x75D11D57, uuid[16], checksum, content_size and packet_size in
 * bits, five one-byte fields) followed by TSDL text. babeltrace2's
 * sink.ctf.fs and hand-written traces use plain text starting with
 * "/" "* CTF" (metadata_text.c reads both). The UUID comes from the
 * packet header, else from the text's `uuid = "..."` in its trace block.
 * Cost: O(file size).
 */
#define _POSIX_C_SOURCE 200809L
#include "metadata.h"

#include "errors.h"
#include "metadata_text.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rtt_uuid_str(const unsigned char u[16], char *buf, size_t len)
{
    snprintf(buf, len,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
             u[11], u[12], u[13], u[14], u[15]);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* `uuid = "xxxxxxxx-xxxx-..."` inside the first `trace {` block. */
static int text_uuid(const char *t, unsigned char u[16])
{
    const char *p = strstr(t, "trace {");
    p = p ? strstr(p, "uuid") : NULL;
    if (!p)
        return 0;
    p += 4;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '=')
        return 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '"')
        return 0;
    for (int i = 0; i < 16; i++) {
        if (*p == '-')
            p++;
        int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);
        if (lo < 0)
            return 0;
        u[i] = (unsigned char)(hi << 4 | lo);
        p += 2;
    }
    return *p == '"';
}

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* p past the comment or string literal that starts at p (p itself when
 * none does); NULL when it never ends. */
static const char *skip_lexeme(const char *p)
{
    if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*" "/");
        return e ? e + 2 : NULL;
    }
    if (p[0] == '/' && p[1] == '/') {
        const char *e = strchr(p, '\n');
        return e ? e : p + strlen(p);
    }
    if (p[0] == '"') {
        for (p++; *p && *p != '"'; p++)
            if (*p == '\\' && p[1])
                p++;
        return *p ? p + 1 : NULL;
    }
    return p;
}

/* p, or past the comments and strings that start there: the next
 * character that is code (NUL at the end); NULL when one never ends. */
static const char *code_at(const char *p)
{
    for (const char *q; p && (q = skip_lexeme(p)) != p;)
        p = q;
    return p;
}

/* keyword kw at p, as a whole word. */
static int word_at(const char *text, const char *p, const char *kw)
{
    size_t n = strlen(kw);
    return strncmp(p, kw, n) == 0 && !ident_char(p[n]) &&
           (p == text || (!ident_char(p[-1]) && p[-1] != '.'));
}

/* The body of a `stream { ... }` block from just past its `{`: its
 * `id = N;` at the block's own level (0 when it has none, as CTF says)
 * into *id, and the end of the block into *end. 0, or -1 when the block
 * is not as expected (unterminated, two ids, an id that is no number). */
static int stream_block(const char *text, const char *p, uint64_t *id,
                        const char **end)
{
    int depth = 1, have = 0;
    *id = 0;
    while ((p = code_at(p)) && *p && depth > 0) {
        const char *q;
        if (*p == '{') {
            depth++;
        } else if (*p == '}') {
            depth--;
        } else if (depth == 1 && word_at(text, p, "id")) {
            q = p + 2;
            while (isspace((unsigned char)*q))
                q++;
            if (*q == '=') {
                char *e;
                unsigned long long v = strtoull(q + 1, &e, 0);
                if (e == q + 1 || have)
                    return -1;
                *id = v;
                have = 1;
                p = e;
                continue;
            }
        }
        p++;
    }
    if (!p || depth != 0)
        return -1;
    *end = p;
    return 0;
}

/* The id of every top-level `stream` block of the TSDL text t into m.
 * Returns 1 when all were read, 0 when a block was not as expected or
 * there were too many (nothing is checked against them then). */
static int text_streams(const char *t, rtt_meta_t *m)
{
    int depth = 0;
    const char *p = t;
    m->nstreams = 0;
    while ((p = code_at(p)) && *p) {
        const char *q;
        if (*p == '{') {
            depth++;
        } else if (*p == '}') {
            if (--depth < 0)
                return 0;
        } else if (depth == 0 && word_at(t, p, "stream")) {
            q = p + 6;
            while (isspace((unsigned char)*q))
                q++;
            if (*q == '{') {
                uint64_t id;
                if (stream_block(t, q + 1, &id, &p) != 0 ||
                    m->nstreams == RTT_META_STREAMS_MAX)
                    return 0;
                m->stream_ids[m->nstreams++] = id;
                continue;
            }
        }
        p++;
    }
    return p && depth == 0;
}

int rtt_meta_has_stream(const rtt_meta_t *m, uint64_t id)
{
    if (!m->streams_known)
        return 1;
    for (unsigned i = 0; i < m->nstreams; i++)
        if (m->stream_ids[i] == id)
            return 1;
    return 0;
}

int rtt_meta_read(const char *dir, rtt_meta_t *m, char *err, size_t errlen)
{
    char path[4200];
    memset(m, 0, sizeof *m);
    snprintf(path, sizeof path, "%s/metadata", dir);
    char *text;
    size_t n;
    int rerr = rtt_meta_text(path, &text, &n, m->uuid, &m->have_uuid);
    if (rerr == ENOMEM) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (rerr) {
        rtt_io_error(err, errlen, rerr, path);
        return -1;
    }
    if (!m->have_uuid)
        m->have_uuid = text_uuid(text, m->uuid);
    m->lttng = strstr(text, "tracer_name = \"lttng-ust\"") != NULL ||
               strstr(text, "tracer_name = \"lttng-modules\"") != NULL;
    m->streams_known = m->lttng && text_streams(text, m);
    free(text);
    return 0;
}
