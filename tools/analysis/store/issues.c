/* issues.c - the ingest_issues rows (see issues.h). O(issues). */
#include "issues.h"

#include <stdio.h>

int rtt_store_issues(sqlite3 *db, const rtt_issue_t *v, size_t n,
                     const int64_t *trace_rows, size_t ntraces, char *err,
                     size_t errlen)
{
    if (n == 0)
        return 0;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO ingest_issues(trace,file,what,offset,"
                           "bytes,begin_ts,message) VALUES(?,?,?,?,?,?,?)",
                           -1, &s, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot write ingest_issues: %s", sqlite3_errmsg(db));
        return -1;
    }
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
        const rtt_issue_t *is = &v[i];
        int64_t row = is->trace >= 0 && (size_t)is->trace < ntraces
                          ? trace_rows[is->trace] : -1;
        if (row >= 0)
            sqlite3_bind_int64(s, 1, row);
        else
            sqlite3_bind_null(s, 1);
        sqlite3_bind_text(s, 2, is->file, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, is->what, -1, SQLITE_STATIC);
        if (is->have_offset) {
            sqlite3_bind_int64(s, 4, (sqlite3_int64)is->offset);
            sqlite3_bind_int64(s, 5, (sqlite3_int64)is->bytes);
        } else {
            sqlite3_bind_null(s, 4);
            sqlite3_bind_null(s, 5);
        }
        if (is->have_begin)
            sqlite3_bind_int64(s, 6, is->begin_ts);
        else
            sqlite3_bind_null(s, 6);
        sqlite3_bind_text(s, 7, is->message, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
    }
    if (rc != SQLITE_DONE)
        snprintf(err, errlen, "cannot write ingest_issues: %s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -1;
}
