/* open_dbs.c - the databases on the command line of `rt-trace view` and
 * `rt-trace report`, and opening them (see open_dbs.h). Cost: O(1) per
 * argument; opening is rtt_api_open's (one scan of tasks and ticks per
 * database). */
#include "open_dbs.h"

#include <stdio.h>

int rtt_serve_usage_error(const char *cmd, const char *msg, const char *a)
{
    fprintf(stderr, "rt-trace %s: %s%s (see rt-trace %s --help)\n", cmd, msg, a ? a : "",
            cmd);
    return 2;
}

int rtt_serve_db_arg(const char *cmd, const char *a, const char **dbs, int *ndb)
{
    if (a[0] == '-' && a[1])
        return rtt_serve_usage_error(cmd, "unknown option: ", a);
    if (*ndb >= RTT_API_MAX_DB)
        return rtt_serve_usage_error(cmd, "at most two databases: ", a);
    dbs[(*ndb)++] = a;
    return 0;
}

int rtt_serve_open(const char *cmd, rtt_api_t *api, const char *const *dbs, int ndb,
                   char *err, size_t errlen)
{
    if (rtt_api_open(api, dbs, ndb, err, errlen)) {
        fprintf(stderr, "rt-trace %s: %s\n", cmd, err);
        return 1;
    }
    return 0;
}
