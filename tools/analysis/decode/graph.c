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

#include "errors.h"
#include "scan.h"
#include "watch.h"

#include <inttypes.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef RTT_BT_LOG_LEVEL
#define RTT_BT_LOG_LEVEL BT_LOGGING_LEVEL_ERROR
#endif
#include <string.h>

/* The file a stream of trace t is read from: the one stream file whose
 * first packet names that stream class and instance; NULL if not exactly
 * one (rotation chunks each hold one). */
static const char *stream_file(const rtt_trace_in_t *t, const rtt_bt_err_t *e)
{
    const char *hit = NULL;
    for (size_t i = 0; t->src && i < t->src->nfiles; i++) {
        const rtt_stream_file_t *f = &t->src->files[i];
        if (f->have_id && f->stream_class == e->stream_class &&
            f->stream_instance == e->stream_instance) {
            if (hit)
                return NULL;
            hit = f->path;
        }
    }
    return hit;
}

/* The offset in file f of the packet the failing stream was in: the one
 * whose timestamp_begin is that of the stream's last packet beginning. */
static uint64_t packet_offset(const rtt_sink_t *sink, const rtt_trace_in_t *t,
                              const rtt_bt_err_t *e, const char *f)
{
    uint64_t begin, off = UINT64_MAX;
    rtt_stream_scan_t s;
    char why[64];
    if (!rtt_sink_last_packet(sink, t, e->stream_class, e->stream_instance, &begin) ||
        rtt_scan_stream(f, NULL, &s, &begin, &off, why, sizeof why) != 0)
        return UINT64_MAX;
    return off;
}

/* A source failed to open trace t: the metadata's line when the parser
 * logged one, else the root cause and the file it names. */
static void open_error(const rtt_trace_in_t *t, const rtt_bt_log_t *log,
                       char *err, size_t errlen)
{
    rtt_bt_err_t e;
    rtt_bt_err_take(&e);
    char buf[4400], what[300];
    const char *where = e.where[0] && t->src
                            ? rtt_prepared_orig(t->src, e.where, buf, sizeof buf)
                            : e.where[0] ? e.where : t->path;
    unsigned line;
    if (rtt_bt_log_metadata_line(log, &line, what, sizeof what)) {
        snprintf(err, errlen, "cannot open trace: metadata line %u: %s: %s/metadata",
                 line, what, where);
        return;
    }
    if (strncmp(e.msg, "cannot create trace for", 23) == 0)
        snprintf(err, errlen, "cannot open trace: its metadata is not valid CTF: %s/metadata",
                 where);
    else
        snprintf(err, errlen, "cannot open trace: %s: %s", e.msg, where);
}

static const bt_plugin *find_plugin(const char *name)
{
    const bt_plugin *p = NULL;
    if (bt_plugin_find(name, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_FALSE, &p) !=
        BT_PLUGIN_FIND_STATUS_OK)
        return NULL;
    return p;
}

static int run_graph(rtt_sink_t *sink, const rtt_bt_log_t *log, char *err,
                     size_t errlen)
{
    int rc = -1;
    bt_graph *g = NULL;
    const bt_plugin *ctf = find_plugin("ctf"), *utils = find_plugin("utils");
    const bt_component_filter *mux = NULL;
    const bt_component_sink *snk = NULL;
    const bt_component_source **srcs = NULL;
    rtt_bt_err_t be;

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
                 bt_value_map_insert_string_entry(params, "trace-name", name) ==
                     BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK;
        /* The chunks of a rotated session, together: babeltrace2 merges
         * the traces of one UUID into one. */
        const rtt_trace_src_t *src = sink->traces[i].src;
        size_t nin = src ? src->nchunks : 1;
        for (size_t c = 0; ok && c < nin; c++)
            ok = bt_value_array_append_string_element(
                     inputs, src ? src->inputs[c] : sink->traces[i].path) ==
                 BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK;
        if (ok) {
            char cname[48];
            snprintf(cname, sizeof cname, "src-%zu", i);
            if (sink->watch)
                rtt_watch_opening(sink->watch, sink->traces[i].path);
            ok = bt_graph_add_source_component(g, fs_cls, cname, params,
                                               RTT_BT_LOG_LEVEL,
                                               &srcs[i]) ==
                 BT_GRAPH_ADD_COMPONENT_STATUS_OK;
            if (!ok)
                open_error(&sink->traces[i], log, err, errlen);
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
        rtt_bt_err_take(&be);
        snprintf(err, errlen, "%s", be.msg);
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
                rtt_bt_err_take(&be);
                snprintf(err, errlen, "%s", be.msg);
                goto out;
            }
        }
    }
    if (bt_graph_connect_ports(
            g, bt_component_filter_borrow_output_port_by_index_const(mux, 0),
            bt_component_sink_borrow_input_port_by_index_const(snk, 0), NULL) !=
        BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
        rtt_bt_err_take(&be);
        snprintf(err, errlen, "%s", be.msg);
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
            rtt_bt_err_take(&be);
            int muxer = strstr(be.msg, "youngest upstream message iterator") != NULL;
            if (sink->damage[0] &&
                (muxer || strcmp(be.msg, "cannot handle state") == 0)) {
                /* babeltrace2's words say less than the rtk reader's */
                snprintf(err, errlen, "cannot read trace: %s", sink->damage);
            } else if (muxer) {
                /* The muxer's own failure: in practice clocks it cannot
                 * order (e.g. a non-LTTng trace beside an LTTng one). */
                snprintf(err, errlen,
                         "cannot merge the traces: their clocks are not "
                         "comparable (ingest them separately)");
            } else if (be.src >= 0 && (size_t)be.src < sink->ntraces) {
                const rtt_trace_in_t *t = &sink->traces[be.src];
                const char *f = be.have_stream ? stream_file(t, &be) : NULL;
                uint64_t off = f ? packet_offset(sink, t, &be, f) : UINT64_MAX;
                if (f && off != UINT64_MAX)
                    snprintf(err, errlen, "cannot read trace: corrupt packet at "
                                          "offset %" PRIu64 " (%s): %s", off, be.msg, f);
                else if (f)
                    snprintf(err, errlen, "cannot read trace: %s (a corrupt "
                                          "packet?): %s", be.msg, f);
                else
                    snprintf(err, errlen, "cannot read trace: %s: %s", be.msg,
                             t->path);
            } else {
                snprintf(err, errlen, "cannot read trace: %s", be.msg);
            }
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
 * ERROR for them to report error causes at all): stderr points to a temp
 * file while the graph exists (errors.c reads the metadata parser's line
 * numbers back from it), and the causes come back as our one line. The
 * progress bar draws on the saved stderr. RTT_DEBUG_BT=1 keeps stderr as
 * is. */
int rtt_graph_run(rtt_sink_t *sink, char *err, size_t errlen)
{
    rtt_bt_log_t log = {.saved_fd = -1, .log_fd = -1};
    sink->progress_fd = STDERR_FILENO;
    bt_current_thread_clear_error(); /* a stale error would make calls assert */
    if (!getenv("RTT_DEBUG_BT")) {
        rtt_bt_log_begin(&log);
        if (log.saved_fd >= 0)
            sink->progress_fd = log.saved_fd;
    }
    int rc = run_graph(sink, &log, err, errlen);
    rtt_bt_log_close(&log);
    sink->progress_fd = STDERR_FILENO;
    return rc;
}
