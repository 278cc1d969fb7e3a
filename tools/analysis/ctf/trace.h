/* trace.h - one LTTng-UST trace directory made ready for the own CTF
 * reader (trace.c): its metadata parsed (tsdl.h), every scope compiled
 * (scope.h) with the members ingest reads named, and its event classes
 * matched to rtk's kinds (decode/events.h).
 *
 * A trace this reader does not take (not LTTng-UST, not CTF 1.8, a clock
 * not in nanoseconds, a type it does not know) is refused with a reason:
 * the caller reads it with babeltrace2 instead. Cost: O(metadata size). */
#ifndef RTT_CTF_TRACE_H
#define RTT_CTF_TRACE_H

#include "events.h"
#include "scope.h"
#include "tsdl.h"

/* slots of the packet header, packet context, event header and event
 * context scopes */
enum { PH_MAGIC, PH_STREAM_ID, PH_INSTANCE, PH__N };
enum { PC_BEGIN, PC_END, PC_CONTENT, PC_SIZE, PC_SEQ, PC_DISCARDED, PC__N };
enum { EH_ID, EH__N };
enum { EC_VPID, EC__N };
enum { EC_STR_PROCNAME };

typedef struct rtt_ctf_ec {
    int defined;
    int kind;             /* enum rtt_kind, -1: not an rtk event */
    int nf;               /* rtk integer fields (payload slots 0..nf-1) */
    uint8_t have_f[RTT_MAX_FIELDS];
    int have_str;         /* payload string slot 0 */
    rtt_scope_t context;  /* the event class's own context */
    rtt_scope_t payload;
} rtt_ctf_ec_t;

typedef struct rtt_ctf_sc {
    int defined;
    uint64_t id;
    rtt_scope_t pctx, ehdr, ectx;
    uint8_t have_pc[PC__N];
    int have_vpid, have_procname;
    rtt_ctf_ec_t *ev;     /* by event class id */
    size_t nev;
} rtt_ctf_sc_t;

typedef struct rtt_ctf_trace {
    rtt_ctf_meta_t meta;
    rtt_scope_t phdr;
    uint8_t have_ph[PH__N];
    rtt_ctf_sc_t *sc;     /* by stream class id */
    size_t nsc;
    int64_t clock_offset_ns; /* ns from origin = this + clock value */
    int have_clock_uuid;
    unsigned char clock_uuid[16];
    char uuid[40];        /* as babeltrace2 prints it */
    const char *hostname, *procname, *scheme; /* env, or NULL */
    int have_vpid;
    int64_t vpid;
} rtt_ctf_trace_t;

/* Parse and compile dir/metadata. Returns 0, or 1 with why saying what
 * stopped it: a part of the trace this reader does not take, or the file
 * not read (babeltrace2 then reads the trace, and reports an I/O error in
 * its own words). t is always safe to close. */
int rtt_ctf_trace_open(rtt_ctf_trace_t *t, const char *dir, char *why, size_t len);
void rtt_ctf_trace_close(rtt_ctf_trace_t *t);

/* Write a reason for giving a trace to babeltrace2 into why; returns 1
 * (what the reader's refusals return). */
int rtt_ctf_refuse(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
