/* session.c - the live session through liblttng-ctl (see session.h), and
 * what `record` and `live` both do with a session: set up the rtk channel
 * (rtt_lttng_rtk_channel: channel `rtk` in discard mode, rtk:* at every
 * log level, contexts vpid, vtid, procname) and read the tracer's loss
 * counters (rtt_lttng_channel_loss). */
#define _GNU_SOURCE
#include "session.h"

#include <lttng/lttng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHANNEL "rtk"

static int fail(char *err, size_t errlen, const char *what, const char *name, int ret)
{
    snprintf(err, errlen, "%s: %s: %s", what, lttng_strerror(ret), name);
    return -1;
}

static struct lttng_handle *handle(const char *name)
{
    struct lttng_domain dom;
    memset(&dom, 0, sizeof dom);
    dom.type = LTTNG_DOMAIN_UST;
    dom.buf_type = LTTNG_BUFFER_PER_UID;
    return lttng_create_handle(name, &dom);
}

int rtt_lttng_rtk_channel(const char *name, int per_pid, uint64_t subbuf_size,
                          uint64_t num_subbuf, char *err, size_t errlen)
{
    struct lttng_domain dom;
    memset(&dom, 0, sizeof dom);
    dom.type = LTTNG_DOMAIN_UST;
    dom.buf_type = per_pid ? LTTNG_BUFFER_PER_PID : LTTNG_BUFFER_PER_UID;
    struct lttng_handle *h = lttng_create_handle(name, &dom);
    if (!h) {
        snprintf(err, errlen, "cannot create an LTTng handle: %s", name);
        return -1;
    }
    int rc = -1, ret;
    struct lttng_channel *ch = lttng_channel_create(&dom);
    struct lttng_event *ev = lttng_event_create();
    if (!ch || !ev) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    snprintf(ch->name, sizeof ch->name, "%s", CHANNEL);
    ch->attr.overwrite = 0;
    if (subbuf_size)
        ch->attr.subbuf_size = subbuf_size;
    if (num_subbuf)
        ch->attr.num_subbuf = num_subbuf;
    if ((ret = lttng_enable_channel(h, ch)) < 0) {
        fail(err, errlen, "cannot enable channel rtk (check the sub-buffer size and count)",
             name, ret);
        goto out;
    }
    ev->type = LTTNG_EVENT_TRACEPOINT;
    snprintf(ev->name, sizeof ev->name, "rtk:*");
    ev->loglevel_type = LTTNG_EVENT_LOGLEVEL_ALL;
    ev->loglevel = -1;
    if ((ret = lttng_enable_event_with_exclusions(h, ev, CHANNEL, NULL, 0, NULL)) < 0) {
        fail(err, errlen, "cannot enable events rtk:*", name, ret);
        goto out;
    }
    static const enum lttng_event_context_type ctxs[] = {
        LTTNG_EVENT_CONTEXT_VPID, LTTNG_EVENT_CONTEXT_VTID,
        LTTNG_EVENT_CONTEXT_PROCNAME};
    for (size_t i = 0; i < sizeof ctxs / sizeof ctxs[0]; i++) {
        struct lttng_event_context c;
        memset(&c, 0, sizeof c);
        c.ctx = ctxs[i];
        if ((ret = lttng_add_context(h, &c, NULL, CHANNEL)) < 0) {
            fail(err, errlen, "cannot add context", name, ret);
            goto out;
        }
    }
    rc = 0;
out:
    if (ch)
        lttng_channel_destroy(ch);
    if (ev)
        lttng_event_destroy(ev);
    lttng_destroy_handle(h);
    return rc;
}

int rtt_live_session_create(rtt_live_session_t *s, const char *name,
                            int control_port, int data_port,
                            uint64_t live_timer_us, uint64_t subbuf_size,
                            uint64_t num_subbuf, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    if (gethostname(s->hostname, sizeof s->hostname - 1) != 0)
        snprintf(s->hostname, sizeof s->hostname, "localhost");
    char c[64], d[64];
    snprintf(c, sizeof c, "tcp://127.0.0.1:%d", control_port);
    snprintf(d, sizeof d, "tcp://127.0.0.1:%d", data_port);
    struct lttng_session_descriptor *desc =
        lttng_session_descriptor_live_network_create(name, c, d, live_timer_us);
    if (!desc) {
        snprintf(err, errlen, "cannot describe live session %s (live timer %llu us)",
                 name, (unsigned long long)live_timer_us);
        return -1;
    }
    enum lttng_error_code ec = lttng_create_session_ext(desc);
    lttng_session_descriptor_destroy(desc);
    if (ec != LTTNG_OK)
        return fail(err, errlen, "cannot create live session", name, -(int)ec);
    s->made = 1;
    if (rtt_lttng_rtk_channel(name, 0, subbuf_size, num_subbuf, err, errlen) != 0) {
        rtt_live_session_destroy(s);
        return -1;
    }
    return 0;
}

int rtt_live_session_attach(rtt_live_session_t *s, const char *name, char *err,
                            size_t errlen)
{
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    if (gethostname(s->hostname, sizeof s->hostname - 1) != 0)
        snprintf(s->hostname, sizeof s->hostname, "localhost");
    struct lttng_session *list = NULL;
    int n = lttng_list_sessions(&list);
    if (n < 0)
        return fail(err, errlen, "cannot list sessions", name, n);
    int found = 0, live = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0) {
            found = 1;
            live = list[i].live_timer_interval > 0;
            s->started = list[i].enabled;
        }
    free(list);
    if (!found) {
        snprintf(err, errlen, "no such session: %s", name);
        return -1;
    }
    if (!live) {
        snprintf(err, errlen, "not a live session (create it with `lttng create "
                              "NAME --live`): %s", name);
        return -1;
    }
    return 0;
}

int rtt_live_session_track(rtt_live_session_t *s, pid_t pid, char *err, size_t errlen)
{
    struct lttng_process_attr_tracker_handle *th = NULL;
    if (lttng_session_get_tracker_handle(s->name, LTTNG_DOMAIN_UST,
                                         LTTNG_PROCESS_ATTR_VIRTUAL_PROCESS_ID,
                                         &th) != LTTNG_OK) {
        snprintf(err, errlen, "cannot restrict session %s to process %ld", s->name,
                 (long)pid);
        return -1;
    }
    int ok = lttng_process_attr_tracker_handle_set_tracking_policy(
                 th, LTTNG_TRACKING_POLICY_INCLUDE_SET) ==
                 LTTNG_PROCESS_ATTR_TRACKER_HANDLE_STATUS_OK &&
             lttng_process_attr_virtual_process_id_tracker_handle_add_pid(th, pid) ==
                 LTTNG_PROCESS_ATTR_TRACKER_HANDLE_STATUS_OK;
    lttng_process_attr_tracker_handle_destroy(th);
    if (!ok)
        snprintf(err, errlen, "cannot restrict session %s to process %ld", s->name,
                 (long)pid);
    return ok ? 0 : -1;
}

int rtt_live_session_start(rtt_live_session_t *s, char *err, size_t errlen)
{
    int ret = lttng_start_tracing(s->name);
    if (ret < 0)
        return fail(err, errlen, "cannot start tracing", s->name, ret);
    s->started = 1;
    return 0;
}

int rtt_live_session_exists(const rtt_live_session_t *s)
{
    struct lttng_session *list = NULL;
    int n = lttng_list_sessions(&list);
    int found = 0;
    for (int i = 0; i < n; i++)
        found |= strcmp(list[i].name, s->name) == 0;
    free(list);
    return found;
}

void rtt_lttng_channel_loss(struct lttng_handle *h, uint64_t *discarded,
                            uint64_t *lost)
{
    struct lttng_channel *chans = NULL;
    int n = lttng_list_channels(h, &chans);
    *discarded = *lost = 0;
    for (int i = 0; i < n; i++) {
        uint64_t d = 0, l = 0;
        if (lttng_channel_get_discarded_event_count(&chans[i], &d) == 0)
            *discarded += d;
        if (lttng_channel_get_lost_packet_count(&chans[i], &l) == 0)
            *lost += l;
    }
    free(chans);
}

void rtt_live_session_loss(const rtt_live_session_t *s, uint64_t *discarded,
                           uint64_t *lost)
{
    *discarded = *lost = 0;
    struct lttng_handle *h = handle(s->name);
    if (!h)
        return;
    rtt_lttng_channel_loss(h, discarded, lost);
    lttng_destroy_handle(h);
}

int rtt_live_session_stop(rtt_live_session_t *s, char *err, size_t errlen)
{
    if (!s->made || !s->started)
        return 0;
    int ret = lttng_stop_tracing(s->name);
    if (ret < 0)
        return fail(err, errlen, "cannot stop session", s->name, ret);
    s->started = 0;
    return 0;
}

void rtt_live_session_destroy(rtt_live_session_t *s)
{
    if (!s->made)
        return;
    lttng_destroy_session(s->name);
    s->made = 0;
}
