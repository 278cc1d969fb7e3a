/* graph.c - builds and runs ingest's babeltrace2 graph:
 *
 *   src.ctf.fs (one per trace dir, trace-name "rtt-<i>") --+
 *   src.ctf.fs ...                                        --+--> flt.utils.muxer --> rtt sink
 *
 * The muxer orders messages of all streams of all traces by time. Cost: the
 * graph is built once (O(streams)); running it is O(messages) and streams
 * in constant memory (babeltrace2 keeps one packet per stream).
 */
#define _POSIX_C_SOURCE 200809L
#include "graph.h"

#include "watch.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef RTT_BT_LOG_LEVEL
#define RTT_BT_LOG_LEVEL BT_LOGGING_LEVEL_ERROR
#endif
#include <string.h>

/* Root cause of the current thread's babeltrace2 error as one line; *src
 * gets the index of the source component ("src-<i>") it came from, or -1. */
static void take_bt_error(char *err, size_t errlen, long *src)
{
    const bt_error *e = bt_current_thread_take_error();
    if (src)
        *src = -1;
    if (!e) {
        snprintf(err, errlen, "babeltrace2 failed without a message");
        return;
    }
    uint64_t n = bt_error_get_cause_count(e);
    const char *msg = "babeltrace2 failed";
    if (getenv("RTT_DEBUG_BT"))
        for (uint64_t i = 0; i < n; i++)
            fprintf(stderr, "cause %u: %s\n", (unsigned)i,
                    bt_error_cause_get_message(bt_error_borrow_cause_by_index(e, i)));
    /* Index 0 is the root cause, the most specific one ("Failed to index
     * CTF stream file ..."); later ones are its callers. */
    if (n > 0)
        msg = bt_error_cause_get_message(bt_error_borrow_cause_by_index(e, 0));
    for (uint64_t i = 0; src && *src < 0 && i < n; i++) {
        const bt_error_cause *c = bt_error_borrow_cause_by_index(e, i);
        const char *cn = NULL;
        switch (bt_error_cause_get_actor_type(c)) {
        case BT_ERROR_CAUSE_ACTOR_TYPE_COMPONENT:
            cn = bt_error_cause_component_actor_get_component_name(c);
            break;
        case BT_ERROR_CAUSE_ACTOR_TYPE_MESSAGE_ITERATOR:
            cn = bt_error_cause_message_iterator_actor_get_component_name(c);
            break;
        default:
            break;
        }
        if (cn && strncmp(cn, "src-", 4) == 0)
            *src = strtol(cn + 4, NULL, 10);
    }
    size_t j = 0;
    for (size_t i = 0; msg[i] && j + 1 < errlen; i++)
        err[j++] = (msg[i] == '\n' || msg[i] == '\t') ? ' ' : msg[i];
    while (j > 0 && (err[j - 1] == '.' || err[j - 1] == ' '))
        j--;
    err[j] = '\0';
    bt_error_release(e);
}

static const bt_plugin *find_plugin(const char *name)
{
    const bt_plugin *p = NULL;
    if (bt_plugin_find(name, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE, &p) !=
        BT_PLUGIN_FIND_STATUS_OK)
        return NULL;
    return p;
}

static int run_graph(rtt_sink_t *sink, char *err, size_t errlen)
{
    int rc = -1;
    bt_graph *g = NULL;
    const bt_plugin *ctf = find_plugin("ctf"), *utils = find_plugin("utils");
    const bt_component_filter *mux = NULL;
    const bt_component_sink *snk = NULL;
    const bt_component_source **srcs = NULL;

    if (!ctf || !utils) {
        snprintf(err, errlen, "babeltrace2 plugin '%s' not found",
                 ctf ? "utils" : "ctf");
        goto out;
    }
    const bt_component_class_source *fs_cls =
        bt_plugin_borrow_source_component_class_by_name_const(ctf, "fs");
    const bt_component_class_filter *mux_cls =
        bt_plugin_borrow_filter_component_class_by_name_const(utils, "muxer");
    if (!fs_cls || !mux_cls) {
        snprintf(err, errlen, "babeltrace2 component class src.ctf.fs or "
                              "flt.utils.muxer not found");
        goto out;
    }
    g = bt_graph_create(0);
    srcs = calloc(sink->ntraces, sizeof *srcs);
    if (!g || !srcs) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < sink->ntraces; i++) {
        bt_value *params = bt_value_map_create();
        bt_value *inputs = NULL;
        char name[32];
        snprintf(name, sizeof name, "rtt-%zu", i);
        int ok = params &&
                 bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) ==
                     BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK &&
                 bt_value_array_append_string_element(inputs, sink->traces[i].path) ==
                     BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK &&
                 bt_value_map_insert_string_entry(params, "trace-name", name) ==
                     BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK;
        if (ok) {
            char cname[48];
            snprintf(cname, sizeof cname, "src-%zu", i);
            if (sink->watch)
                rtt_watch_opening(sink->watch, sink->traces[i].path);
            ok = bt_graph_add_source_component(g, fs_cls, cname, params,
                                               RTT_BT_LOG_LEVEL,
                                               &srcs[i]) ==
                 BT_GRAPH_ADD_COMPONENT_STATUS_OK;
            if (!ok) {
                char why[400];
                take_bt_error(why, sizeof why, NULL);
                snprintf(err, errlen, "cannot open trace: %s: %s", why,
                         sink->traces[i].path);
            }
        } else {
            snprintf(err, errlen, "out of memory");
        }
        bt_value_put_ref(params);
        if (!ok)
            goto out;
    }
    if (bt_graph_add_filter_component(g, mux_cls, "mux", NULL,
                                      RTT_BT_LOG_LEVEL, &mux) !=
            BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
        bt_graph_add_simple_sink_component(g, "rtt", rtt_sink_initialize,
                                           rtt_sink_consume, rtt_sink_finalize,
                                           sink, &snk) !=
            BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
        take_bt_error(err, errlen, NULL);
        goto out;
    }
    /* Every source output port to a fresh muxer input port (the muxer adds
     * one each time one gets connected). */
    for (size_t i = 0; i < sink->ntraces; i++) {
        uint64_t np = bt_component_source_get_output_port_count(srcs[i]);
        for (uint64_t p = 0; p < np; p++) {
            const bt_port_output *op =
                bt_component_source_borrow_output_port_by_index_const(srcs[i], p);
            uint64_t nin = bt_component_filter_get_input_port_count(mux);
            const bt_port_input *ip =
                bt_component_filter_borrow_input_port_by_index_const(mux, nin - 1);
            if ((sink->watch && rtt_watch_route(sink->watch, g, sink->traces[i].path,
                                                op, &op) != 0) ||
                bt_graph_connect_ports(g, op, ip, NULL) !=
                    BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
                take_bt_error(err, errlen, NULL);
                goto out;
            }
        }
    }
    if (bt_graph_connect_ports(
            g, bt_component_filter_borrow_output_port_by_index_const(mux, 0),
            bt_component_sink_borrow_input_port_by_index_const(snk, 0), NULL) !=
        BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
        take_bt_error(err, errlen, NULL);
        goto out;
    }
    bt_graph_run_status st;
    do {
        st = bt_graph_run(g);
    } while (st == BT_GRAPH_RUN_STATUS_AGAIN);
    if (st != BT_GRAPH_RUN_STATUS_OK) {
        if (sink->failed) {
            snprintf(err, errlen, "%s", sink->err);
            bt_current_thread_clear_error();
        } else {
            char why[400];
            long src;
            take_bt_error(why, sizeof why, &src);
            if (strstr(why, "youngest upstream message iterator"))
                /* The muxer's own failure: in practice clocks it cannot
                 * order (e.g. a non-LTTng trace beside an LTTng one). */
                snprintf(err, errlen,
                         "cannot merge the traces: their clocks are not "
                         "comparable (ingest them separately)");
            else if (src >= 0 && (size_t)src < sink->ntraces)
                snprintf(err, errlen, "cannot read trace: %s: %s", why,
                         sink->traces[src].path);
            else
                snprintf(err, errlen, "cannot read trace: %s", why);
        }
        goto out;
    }
    rc = 0;
out:
    bt_graph_put_ref(g);
    free(srcs);
    bt_plugin_put_ref(ctf);
    bt_plugin_put_ref(utils);
    return rc;
}

/* babeltrace2 components log their errors on stderr (the level must be
 * ERROR for them to report error causes at all): stderr points to
 * /dev/null while the graph exists, and the causes come back as our one
 * line. The progress bar draws on the saved stderr. RTT_DEBUG_BT=1 keeps
 * stderr as is. */
int rtt_graph_run(rtt_sink_t *sink, char *err, size_t errlen)
{
    int saved = -1;
    sink->progress_fd = STDERR_FILENO;
    if (!getenv("RTT_DEBUG_BT")) {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        fflush(stderr);
        saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
        if (null >= 0 && saved >= 0 && dup2(null, STDERR_FILENO) >= 0)
            sink->progress_fd = saved;
        if (null >= 0)
            close(null);
    }
    int rc = run_graph(sink, err, errlen);
    if (saved >= 0) {
        dup2(saved, STDERR_FILENO);
        close(saved);
    }
    sink->progress_fd = STDERR_FILENO;
    return rc;
}
