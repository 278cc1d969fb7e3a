/* timer_debounce.c - the "rearm, else start" idiom every debounce needs,
 * written once: a one-shot whose callback already ran is gone (its id is
 * unknown to rtk_timer_rearm), so the next key must start a new one. */
#include "rtk/timer.h"

int rtk_timer_debounce(rtk_runtime_t *rt, rtk_id_t *id, const rtk_timer_desc_t *d)
{
    if (!id || !d)
        return RTK_EINVAL;
    if (*id) {
        int rc = rtk_timer_rearm(rt, *id, d->delay_ns);
        if (rc != RTK_ENOENT)
            return rc;
    }
    rtk_id_t fresh = 0;
    int rc = rtk_timer_start(rt, d, &fresh);
    *id = rc == RTK_OK ? fresh : 0;
    return rc;
}
