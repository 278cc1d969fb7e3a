/* inputs.c - rows of rtk:input marks (the inputs table): one event, one
 * row, written at once. The input's own time on the trace's clock is the
 * event's timestamp minus the input's age at the mark (now_ns - input_ns,
 * both runtime-clock fields), so it lines up with every other *_ts column
 * whatever offset the trace clock has. O(1) per event. */
#define _POSIX_C_SOURCE 200809L
#include "rows_internal.h"

const char rtt__sql_input[] =
    "INSERT OR IGNORE INTO inputs(proc,id,cause,name,input_ts,ts,input_ns)"
    " VALUES(?,?,?,?,?,?,?)";

int rtt__pair_input_event(rtt_rows_t *r, proc_state_t *p, int64_t ts,
                          const int64_t *f, const char *str)
{
    val_t *s = rtt__row_begin(r, S_INPUT);
    if (!s)
        return -1;
    /* f: id, cause, input_ns, now_ns. An input "after" its mark (a field
     * lost or a clock that is not the runtime's) counts as at the mark. */
    int64_t age = f[3] > f[2] ? f[3] - f[2] : 0;
    b_i(s, 1, p->row);
    b_i(s, 2, f[0]);
    b_i(s, 3, f[1]);
    b_str_copy(s, 4, str && *str ? str : NULL);
    b_i(s, 5, ts - age);
    b_i(s, 6, ts);
    b_i(s, 7, f[2]);
    return row_end(r, S_INPUT);
}
