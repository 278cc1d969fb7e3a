/* cmd_ingest.h - the CLI's presentation of an ingest (cmd_ingest.c), shared
 * by `ingest` and `record`. */
#ifndef RTT_CMD_INGEST_H
#define RTT_CMD_INGEST_H

#include "ingest.h"

/* Run the pipeline with a progress bar on a terminal (unless quiet), then
 * print "rt-trace CMD: N traces, M rtk events ... -> DB" (unless quiet).
 * flags: damage handling and unreadable files. The error is not printed:
 * it comes back in err (what and where, no prefix) for the caller to
 * print or add to. Every ingest issue is still printed as "rt-trace CMD:
 * warning: ..." (even when quiet). decode_timeout_s <= 0: the default
 * (30 s). Returns 0, 1, 2 when db_path cannot be a database as given
 * (rtt_ingest_check_output, checked once, before anything is read), or
 * 128+N when signal N (SIGINT, SIGTERM) stopped it. */
enum { RTT_CLI_STRICT = 1, RTT_CLI_SKIP_UNREADABLE = 2 };
int rtt_cli_ingest_err(const char *cmd, const char *const *inputs, int ninputs,
                       const char *db_path, int force, int quiet, unsigned flags,
                       double decode_timeout_s, char *err, size_t errlen);

#endif
