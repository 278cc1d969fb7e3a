/* open_dbs.h - what `rt-trace view` and `rt-trace report` share on their
 * command lines (open_dbs.c): the database arguments (one, or two to
 * compare) among the command's own options, and opening them with their
 * timelines (rtt_api_open). Messages are the CLI's: a usage error is
 * "rt-trace CMD: what (see rt-trace CMD --help)" and exit 2, a failure
 * "rt-trace CMD: what: where" and exit 1. */
#ifndef RTT_OPEN_DBS_H
#define RTT_OPEN_DBS_H

#include <stddef.h>

#include "api.h"

/* A usage error of `rt-trace cmd`: "msg" then a (may be NULL) on stderr.
 * Returns 2 (the exit code). */
int rtt_serve_usage_error(const char *cmd, const char *msg, const char *a);

/* Argument a of `rt-trace cmd` that is none of its options: an unknown
 * option (a dash and more) is a usage error; anything else is a database,
 * appended to dbs (*ndb of them, at most RTT_API_MAX_DB). Returns 0, or 2
 * after the usage error. O(1). */
int rtt_serve_db_arg(const char *cmd, const char *a, const char **dbs, int *ndb);

/* Open the ndb databases into api (read-only, with their timelines: one
 * scan of tasks and ticks each). Returns 0, or 1 after the error on stderr
 * (missing, not an rt-trace database, another schema version). err (errlen
 * bytes) is the caller's buffer, where the message is made. */
int rtt_serve_open(const char *cmd, rtt_api_t *api, const char *const *dbs, int ndb,
                   char *err, size_t errlen);

#endif
