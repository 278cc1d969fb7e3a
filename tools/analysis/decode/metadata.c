/* metadata.c - the trace UUID, the tracer and the stream classes of a CTF
 * metadata file (see metadata.h).
 *
 * LTTng writes the metadata packetized: packets of a 37-byte header
 * (magic 0x75D11D57, uuid[16], checksum, content_size and packet_size in
 * bits, five one-byte fields) followed by TSDL text. babeltrace2's
 * sink.ctf.fs and hand-written traces use plain text starting with
 * "/" "* CTF" (metadata_text.c reads both). The UUID comes from the
 * packet header, else from the text's `uuid = "..."` in its trace block.
 * The stream classes of an LTTng trace come from parsing the text with
 * rt-trace's own TSDL parser (ctf/tsdl.h).
 * Cost: O(file size).
 */
#define _POSIX_C_SOURCE 200809L
#include "metadata.h"

#include "errors.h"
#include "metadata_text.h"
#include "tsdl.h"

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

/* The id of every stream class of the TSDL text (n bytes) into m, from
 * rt-trace's own TSDL parser (ctf/tsdl.c). Returns 1 when it parsed, 0
 * when it did not or there were too many classes (nothing is checked
 * against them then). */
static int text_streams(const char *text, size_t n, rtt_meta_t *m)
{
    rtt_ctf_meta_t cm;
    char perr[256];
    int ok = rtt_tsdl_parse(text, n, &cm, perr, sizeof perr) == 0 &&
             cm.nstreams <= RTT_META_STREAMS_MAX;
    m->nstreams = 0;
    for (size_t i = 0; ok && i < cm.nstreams; i++)
        m->stream_ids[m->nstreams++] = cm.streams[i].id;
    rtt_tsdl_free(&cm);
    return ok;
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
    m->streams_known = m->lttng && text_streams(text, n, m);
    free(text);
    return 0;
}
