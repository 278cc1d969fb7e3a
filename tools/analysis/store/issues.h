/* issues.h - writes the ingest_issues rows (issues.c). */
#ifndef RTT_STORE_ISSUES_H
#define RTT_STORE_ISSUES_H

#include "salvage.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Insert one ingest_issues row per issue; trace_rows[i] is the traces row
 * of prepared trace i (< 0: none written). Runs inside the ingest
 * transaction. Returns 0, or -1 with err holding one line. */
int rtt_store_issues(sqlite3 *db, const rtt_issue_t *v, size_t n,
                     const int64_t *trace_rows, size_t ntraces, char *err,
                     size_t errlen);

#endif
