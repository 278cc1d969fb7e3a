/* stream.c - the live graph: src.ctf.lttng-live into ingest's sink (see
 * stream.h). The source is told `session-not-found-action=end`, so a
 * session that is destroyed (by us at the end, or by someone else) ends
 * the stream instead of waiting for it forever. babeltrace2's own error
 * logging goes to a temp file while the graph runs (decode/errors.h), so
 * a failure is one line. */
#define _GNU_SOURCE
#include "stream.h"
#include "mono.h"

#include "errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rtt_stream {
    bt_graph *g;
    const bt_plugin *ctf;
    rtt_sink_t *sink;
    char url[1200];
    char host[300];
    char session[300];
    int live_port;
    int ended;
};

rtt_stream_t *rtt_stream_open(rtt_sink_t *sink, int live_port, const char *host,
                              const char *session, char *err, size_t errlen)
{
    rtt_stream_t *st = calloc(1, sizeof *st);
    bt_value *params = NULL, *inputs = NULL;
    rtt_bt_err_t be;
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    st->sink = sink;
    snprintf(st->url, sizeof st->url, "net://127.0.0.1:%d/host/%s/%s", live_port,
             host, session);
    snprintf(st->session, sizeof st->session, "%s", session);
    snprintf(st->host, sizeof st->host, "%s", host);
    st->live_port = live_port;
    bt_current_thread_clear_error();
    if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE,
                       &st->ctf) != BT_PLUGIN_FIND_STATUS_OK) {
        snprintf(err, errlen, "babeltrace2 plugin 'ctf' not found");
        goto fail;
    }
    const bt_component_class_source *cls =
        bt_plugin_borrow_source_component_class_by_name_const(st->ctf, "lttng-live");
    if (!cls) {
        snprintf(err, errlen, "babeltrace2 component class src.ctf.lttng-live not found");
        goto fail;
    }
    st->g = bt_graph_create(0);
    params = bt_value_map_create();
    if (!st->g || !params ||
        bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) !=
            BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK ||
        bt_value_array_append_string_element(inputs, st->url) !=
            BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK ||
        bt_value_map_insert_string_entry(params, "session-not-found-action", "end") !=
            BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    const bt_component_source *src = NULL;
    const bt_component_sink *snk = NULL;
    if (bt_graph_add_source_component(st->g, cls, "live", params,
                                      BT_LOGGING_LEVEL_ERROR, &src) !=
            BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
        bt_graph_add_simple_sink_component(st->g, "rtt", rtt_sink_initialize,
                                           rtt_sink_consume, rtt_sink_finalize,
                                           sink, &snk) !=
            BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
        bt_graph_connect_ports(
            st->g, bt_component_source_borrow_output_port_by_index_const(src, 0),
            bt_component_sink_borrow_input_port_by_index_const(snk, 0), NULL) !=
            BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
        rtt_bt_err_take(&be);
        snprintf(err, errlen, "cannot build the live graph: %s: %s", be.msg, st->url);
        goto fail;
    }
    bt_value_put_ref(params);
    return st;
fail:
    bt_value_put_ref(params);
    rtt_stream_close(st);
    return NULL;
}

/* babeltrace2's root cause in user terms. */
static void run_error(rtt_stream_t *st, char *err, size_t errlen)
{
    rtt_bt_err_t be;
    if (st->sink->failed) {
        snprintf(err, errlen, "%s", st->sink->err);
        bt_current_thread_clear_error();
        return;
    }
    rtt_bt_err_take(&be);
    if (strstr(be.msg, "already") || strstr(be.msg, "another viewer") ||
        strstr(be.msg, "ALREADY"))
        snprintf(err, errlen, "the relay daemon is busy: another viewer is attached "
                              "to session %s (%s)", st->session, be.msg);
    else if (strstr(be.msg, "onnect") || strstr(be.msg, "refused"))
        snprintf(err, errlen, "cannot reach the relay daemon (%s): %s", be.msg, st->url);
    else
        snprintf(err, errlen, "cannot read the live stream: %s: %s", be.msg, st->url);
}

int rtt_stream_step(rtt_stream_t *st, double seconds, char *err, size_t errlen)
{
    if (st->ended)
        return 1;
    double end = rtt_mono_s() + seconds;
    rtt_bt_log_t log = {.saved_fd = -1, .log_fd = -1};
    if (!getenv("RTT_DEBUG_BT"))
        rtt_bt_log_begin(&log);
    int rc = 0;
    for (;;) {
        bt_graph_run_once_status s = bt_graph_run_once(st->g);
        if (s == BT_GRAPH_RUN_ONCE_STATUS_END) {
            st->ended = 1;
            rc = 1;
            break;
        }
        if (s != BT_GRAPH_RUN_ONCE_STATUS_OK && s != BT_GRAPH_RUN_ONCE_STATUS_AGAIN) {
            run_error(st, err, errlen);
            rc = -1;
            break;
        }
        double now = rtt_mono_s();
        if (now >= end)
            break;
        if (s == BT_GRAPH_RUN_ONCE_STATUS_AGAIN) {
            /* nothing new at the relay daemon: it has data again at the
             * next live timer tick at the earliest; poll every 10 ms */
            double left = end - now;
            long ns = left < 0.01 ? (long)(left * 1e9) : 10000000L;
            struct timespec ts = {0, ns};
            nanosleep(&ts, NULL);
        }
    }
    rtt_bt_log_close(&log);
    return rc;
}

/* The map of the session's entry in a "sessions" query result: matched
 * by session and host names. */
static const bt_value *session_entry(const bt_value *list, const rtt_stream_t *st)
{
    if (!list || !bt_value_is_array(list))
        return NULL;
    uint64_t n = bt_value_array_get_length(list);
    for (uint64_t i = 0; i < n; i++) {
        const bt_value *e = bt_value_array_borrow_element_by_index_const(list, i);
        if (!bt_value_is_map(e))
            continue;
        const bt_value *name = bt_value_map_borrow_entry_value_const(e, "session-name");
        const bt_value *host = bt_value_map_borrow_entry_value_const(e, "target-hostname");
        if (name && bt_value_is_string(name) &&
            strcmp(bt_value_string_get(name), st->session) == 0 &&
            (!host || !bt_value_is_string(host) ||
             strcmp(bt_value_string_get(host), st->host) == 0))
            return e;
    }
    return NULL;
}

int64_t rtt_stream_relay_streams(rtt_stream_t *st)
{
    const bt_component_class_source *cls =
        bt_plugin_borrow_source_component_class_by_name_const(st->ctf, "lttng-live");
    bt_value *params = bt_value_map_create();
    bt_query_executor *qe = NULL;
    const bt_value *res = NULL;
    int64_t count = -1;
    char url[64];
    snprintf(url, sizeof url, "net://127.0.0.1:%d", st->live_port);
    rtt_bt_log_t log = {.saved_fd = -1, .log_fd = -1};
    if (!getenv("RTT_DEBUG_BT"))
        rtt_bt_log_begin(&log);
    if (cls && params &&
        bt_value_map_insert_string_entry(params, "url", url) ==
            BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK &&
        (qe = bt_query_executor_create(
             bt_component_class_source_as_component_class_const(cls), "sessions",
             params)) &&
        bt_query_executor_query(qe, &res) == BT_QUERY_EXECUTOR_QUERY_STATUS_OK) {
        const bt_value *e = session_entry(res, st);
        const bt_value *c = e ? bt_value_map_borrow_entry_value_const(e, "stream-count")
                              : NULL;
        if (c && bt_value_is_unsigned_integer(c))
            count = (int64_t)bt_value_integer_unsigned_get(c);
        else if (c && bt_value_is_signed_integer(c))
            count = bt_value_integer_signed_get(c);
        else if (!e)
            count = 0; /* the relay daemon does not know the session (yet) */
    }
    bt_current_thread_clear_error();
    rtt_bt_log_close(&log);
    bt_value_put_ref(res);
    bt_query_executor_put_ref(qe);
    bt_value_put_ref(params);
    return count;
}

void rtt_stream_close(rtt_stream_t *st)
{
    if (!st)
        return;
    bt_graph_put_ref(st->g);
    bt_plugin_put_ref(st->ctf);
    free(st);
}
