/* fuzz_ctf_reader.c - libFuzzer target (d): the own CTF reader alone
 * (tools/analysis/ctf/: trace.c, stream.c, scope.c), no SQLite and no
 * babeltrace2 on the path. The input is the bytes of the one stream file of
 * a trace directory whose `metadata` is fixed, valid rtk TSDL
 * (data/rtk.metadata, compiled once at start). Each input is written to
 * the scratch directory, opened with rtt_ctf_stream_open and stepped with
 * rtt_ctf_stream_next to the end or to the first give-up, checking what
 * read.c and the sink rely on:
 *  - a refusal or a give-up (1) says why (s->err is not empty);
 *  - an event's time never decreases within the stream, and no item comes
 *    after the end;
 *  - a discarded-events record with a count follows a packet and counts
 *    the growth of events_discarded, not 0 (modulo 2^64: a counter that
 *    goes down makes a huge count, as in babeltrace2 2.0's src.ctf.fs);
 *    without a count it is the stream's first packet's, whose counter is
 *    not 0; a discarded-packets record counts the packet_seq_num gap minus
 *    one, the gap above 1 (modulo 2^64 again);
 *  - every string slot of an event points inside the mapped file;
 *  - stepping ends: at most one item per bit of the file plus records.
 * A broken invariant aborts (a crash for libFuzzer). Cost per input: one
 * file write, one mmap, O(bytes). The scratch directory and its files are
 * trace_dir.c's, as for the other decode targets. stream_mutator.c adds packet-aware
 * mutations, as for fuzz_stream. Seeds: corpus/ctf_reader/ (the stream
 * seeds). */
#define _POSIX_C_SOURCE 200809L
#include "stream.h"
#include "trace.h"
#include "trace_dir.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char g_stream[400];
static rtt_ctf_trace_t g_trace;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_ctf_reader: %s: %s\n", what, detail);
    exit(2);
}

static void check(int ok, const char *what, const rtt_ctf_stream_t *s)
{
    if (ok)
        return;
    fprintf(stderr, "fuzz_ctf_reader: invariant broken: %s (packet at %llu, err '%s')\n",
            what, (unsigned long long)s->pkt_off, s->err);
    abort();
}

static void cleanup(void) { rtt_ctf_trace_close(&g_trace); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    size_t n;
    uint8_t *meta = fz_read_data("data/rtk.metadata", &n);
    fz_trace_dir_init();
    fz_trace_write("metadata", meta, n);
    free(meta);
    snprintf(g_stream, sizeof g_stream, "%s/rtk_0", fz_trace_path());
    char why[600];
    if (rtt_ctf_trace_open(&g_trace, fz_trace_path(), why, sizeof why) != 0)
        die("the fixed metadata is refused", why);
    atexit(cleanup);
    return 0;
}

static void step_all(rtt_ctf_stream_t *s)
{
    int have_ts = 0;
    int64_t last_ts = 0;
    uint64_t items = 0, limit = s->size * 8 + 16;
    int64_t prev_disc = 0;
    int have_prev_pkt = 0;
    uint64_t seen_packets = 0;
    for (;;) {
        int rc = rtt_ctf_stream_next(s);
        check(rc == 0 || rc == 1, "stream_next returns 0 or 1", s);
        if (rc == 1) {
            check(s->err[0] != '\0', "a give-up says why", s);
            return;
        }
        check(++items <= limit, "stepping ends", s);
        /* packets begun since the last item: the previous packet's
         * counter is the one the records compare against */
        if (s->packets != seen_packets) {
            have_prev_pkt = s->have_prev;
            prev_disc = s->prev[PC_DISCARDED];
            seen_packets = s->packets;
        }
        switch (s->item) {
        case RTT_ITEM_NONE:
            check(s->pkt_off >= s->size, "the end is the end of the file", s);
            return;
        case RTT_ITEM_EVENT:
            check(s->ec != NULL && s->ec->defined, "an event has its class", s);
            check(!have_ts || s->ts >= last_ts, "event times never decrease", s);
            have_ts = 1;
            last_ts = s->ts;
            for (int i = 0; i < (s->ec->have_str ? 1 : 0); i++) {
                const rtt_strref_t *q = &s->f_str[i];
                check(q->p && (const uint8_t *)q->p >= s->map &&
                          (const uint8_t *)q->p + q->len + (q->nul ? 1 : 0) <=
                              s->map + s->size,
                      "a string lies inside the file", s);
            }
            if (s->sc->have_procname) {
                const rtt_strref_t *q = &s->ctx_str[EC_STR_PROCNAME];
                check(q->p && (const uint8_t *)q->p >= s->map &&
                          (const uint8_t *)q->p + q->len <= s->map + s->size,
                      "the procname lies inside the file", s);
            }
            break;
        case RTT_ITEM_DISC_EVENTS:
            if (s->have_count) {
                check(have_prev_pkt, "a counted record follows a packet", s);
                check(s->count >= 1, "discarded events count at least 1", s);
                check(s->count == (uint64_t)s->pc[PC_DISCARDED] - (uint64_t)prev_disc,
                      "discarded events: the counter's growth", s);
            } else {
                check(!have_prev_pkt && s->packets == 1,
                      "an uncounted record is the first packet's", s);
                check(s->pc[PC_DISCARDED] != 0, "the first packet had discarded", s);
            }
            break;
        case RTT_ITEM_DISC_PACKETS:
            check(have_prev_pkt && s->have_count, "discarded packets are counted", s);
            check((uint64_t)s->pc[PC_SEQ] - (uint64_t)s->prev[PC_SEQ] > 1 &&
                      s->count == (uint64_t)s->pc[PC_SEQ] - (uint64_t)s->prev[PC_SEQ] - 1,
                  "discarded packets: the sequence gap", s);
            break;
        default:
            check(0, "a known item", s);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_trace_write("rtk_0", data, size);
    rtt_ctf_stream_t s;
    int rc = rtt_ctf_stream_open(&s, g_stream, &g_trace, 0);
    if (rc == -1)
        die("cannot open the stream file", s.err);
    if (rc == 0)
        step_all(&s);
    else
        check(rc == 1 && s.err[0] != '\0', "a refusal says why", &s);
    rtt_ctf_stream_close(&s);
    return 0;
}
