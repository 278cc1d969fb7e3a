/* ingest.h - ingest CTF traces into an rt-trace database (ingest.c); used by
 * `rt-trace ingest` and by `rt-trace record` after recording. */
#ifndef RTT_INGEST_H
#define RTT_INGEST_H

#include <stdint.h>

typedef struct rtt_ingest_opts {
    const char *const *inputs; /* directories to search for CTF traces */
    int ninputs;
    const char *db_path;
    int force; /* replace traces already in the database */
    int quiet; /* no progress bar, no summary line */
    const char *cmd; /* "ingest" or "record": prefix of error lines */
} rtt_ingest_opts_t;

typedef struct rtt_ingest_result {
    uint64_t traces, events, other_events;
    uint64_t discarded_events, lost_packets;
} rtt_ingest_result_t;

/* Ingest every trace under the inputs into db_path in one transaction.
 * Returns 0, or 1 after printing one error line; on error nothing is left
 * behind (the transaction is rolled back, a database created by this call
 * is deleted). res may be NULL. */
int rtt_ingest_run(const rtt_ingest_opts_t *o, rtt_ingest_result_t *res);

#endif
