/* cmd_ingest.h - the CLI's presentation of an ingest (cmd_ingest.c), shared
 * by `ingest` and `record`. */
#ifndef RTT_CMD_INGEST_H
#define RTT_CMD_INGEST_H

#include "ingest.h"

/* Run the pipeline with a progress bar on a terminal (unless quiet), then
 * print "rt-trace CMD: N traces, M rtk events ... -> DB" (unless quiet) or
 * the one-line error "rt-trace CMD: what: where". Returns 0 or 1. */
int rtt_cli_ingest(const char *cmd, const char *const *inputs, int ninputs,
                   const char *db_path, int force, int quiet);
/* The same, but an error is not printed: it comes back in err (what and
 * where, no prefix), for a caller that adds to it. Returns 0 or 1. */
int rtt_cli_ingest_err(const char *cmd, const char *const *inputs,
                       int ninputs, const char *db_path, int force, int quiet,
                       char *err, size_t errlen);

#endif
