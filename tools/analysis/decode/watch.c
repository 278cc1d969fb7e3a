/* watch.c - the pass-through filter that names the stream babeltrace2 is
 * reading (see watch.h).
 *
 * One filter component per source output port (one stream of one trace):
 *
 *   src.ctf.fs port --> rtt-watch "watch-<n>" --> flt.utils.muxer input
 *
 * Its message iterator reports its stream before it creates and before
 * each time it pulls from the upstream iterator, then hands the upstream
 * messages on unchanged (references transferred; a batch larger than the
 * downstream capacity is kept and handed on at the next call). So when
 * src.ctf.fs aborts or loops while reading a packet, the last report names
 * that stream, which the last message the sink saw does not (the muxer
 * reads ahead on every stream).
 *
 * Naming a stream: src.ctf.fs names its output ports "UUID | CLASS | ID";
 * the file behind an ID is found once per trace by reading the packet
 * header of each stream file (LTTng's layout: magic, uuid, stream_id,
 * stream_instance_id). If that fails, the name is "stream ID (class
 * CLASS)" until the stream's beginning message passes, whose stream is
 * named after its file by src.ctf.fs.
 */
#define _POSIX_C_SOURCE 200809L
#include "watch.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WHERE_MAX 1200

typedef struct entry {
    struct entry *next;
    rtt_watch_t *w;
    bt_self_component_port_input *in;
    const char *volatile cur; /* what is reported: name, then file */
    int named;                /* cur names the stream's file */
    int dirlen;               /* name starts with the trace's path */
    char name[WHERE_MAX];
    char file[WHERE_MAX];
} entry_t;

/* Stream files of the trace last routed: (class, id) -> file name. */
typedef struct stream_file {
    uint64_t sc, id;
    char name[256];
} stream_file_t;

struct rtt_watch {
    rtt_watch_fn fn;
    void *ctx;
    bt_component_class_filter *cls;
    entry_t *entries; /* every string ever reported, freed last */
    const char *last;
    unsigned long nfilters;
    char *files_of;   /* the trace whose files are in files[] */
    stream_file_t *files;
    size_t nfiles;
};

typedef struct iter {
    entry_t *e;
    bt_message_iterator *up;
    const bt_message **pend; /* upstream messages not handed on yet */
    uint64_t npend, ipend, cap;
} iter_t;

static void report(entry_t *e)
{
    rtt_watch_t *w = e->w;
    const char *cur = e->cur;
    if (w->last != cur) {
        w->last = cur;
        w->fn(w->ctx, cur, 0);
    }
}

static entry_t *entry_new(rtt_watch_t *w)
{
    entry_t *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->w = w;
    e->next = w->entries;
    w->entries = e;
    return e;
}

/* --- stream files -------------------------------------------------------- */

static uint64_t get_uint(const unsigned char *p, int n, int big)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
    return v;
}

/* The (class, id) of the first packet of each stream file of trace dir. */
static void scan_files(rtt_watch_t *w, const char *dir)
{
    if (w->files_of && strcmp(w->files_of, dir) == 0)
        return;
    free(w->files_of);
    free(w->files);
    w->files = NULL;
    w->nfiles = 0;
    w->files_of = strdup(dir);
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strcmp(de->d_name, "metadata") == 0 ||
            strlen(de->d_name) >= sizeof w->files[0].name)
            continue;
        int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
            continue;
        unsigned char h[32];
        ssize_t n = pread(fd, h, sizeof h, 0);
        close(fd);
        if (n != (ssize_t)sizeof h)
            continue;
        int big;
        if (memcmp(h, "\xc1\x1f\xfc\xc1", 4) == 0)
            big = 0;
        else if (memcmp(h, "\xc1\xfc\x1f\xc1", 4) == 0)
            big = 1;
        else
            continue;
        if (w->nfiles == cap) {
            size_t nc = cap ? 2 * cap : 16;
            stream_file_t *nf = realloc(w->files, nc * sizeof *nf);
            if (!nf)
                break;
            w->files = nf;
            cap = nc;
        }
        stream_file_t *f = &w->files[w->nfiles++];
        f->sc = get_uint(h + 20, 4, big);
        f->id = get_uint(h + 24, 8, big);
        snprintf(f->name, sizeof f->name, "%s", de->d_name);
    }
    closedir(d);
}

/* e->name for port "UUID | CLASS | ID" of trace dir. */
static void name_port(rtt_watch_t *w, entry_t *e, const char *dir,
                      const char *port)
{
    const char *b = strrchr(port, '|');
    const char *a = b ? b - 1 : NULL;
    while (a && a > port && *a != '|')
        a--;
    uint64_t sc, id;
    e->dirlen = (int)strlen(dir);
    if (!b || !a || *a != '|' || sscanf(a + 1, "%" SCNu64, &sc) != 1 ||
        sscanf(b + 1, "%" SCNu64, &id) != 1) {
        snprintf(e->name, sizeof e->name, "%s/%s", dir, port);
        return;
    }
    scan_files(w, dir);
    const char *file = NULL;
    for (size_t i = 0; i < w->nfiles; i++)
        if (w->files[i].sc == sc && w->files[i].id == id) {
            if (file) { /* two files of one stream: name neither */
                file = NULL;
                break;
            }
            file = w->files[i].name;
        }
    if (file) {
        snprintf(e->name, sizeof e->name, "%s/%s", dir, file);
        e->named = 1;
    } else {
        snprintf(e->name, sizeof e->name, "%s/stream %" PRIu64 " (class %" PRIu64 ")",
                 dir, id, sc);
    }
}

/* --- the filter ---------------------------------------------------------- */

static bt_component_class_initialize_method_status
comp_init(bt_self_component_filter *self,
          bt_self_component_filter_configuration *config,
          const bt_value *params, void *data)
{
    (void)config;
    (void)params;
    entry_t *e = data;
    if (bt_self_component_filter_add_input_port(self, "in", NULL, &e->in) !=
            BT_SELF_COMPONENT_ADD_PORT_STATUS_OK ||
        bt_self_component_filter_add_output_port(self, "out", e, NULL) !=
            BT_SELF_COMPONENT_ADD_PORT_STATUS_OK)
        return BT_COMPONENT_CLASS_INITIALIZE_METHOD_STATUS_ERROR;
    return BT_COMPONENT_CLASS_INITIALIZE_METHOD_STATUS_OK;
}

static bt_message_iterator_class_initialize_method_status
it_init(bt_self_message_iterator *self,
        bt_self_message_iterator_configuration *config,
        bt_self_component_port_output *port)
{
    (void)config;
    entry_t *e = bt_self_component_port_get_data(
        bt_self_component_port_output_as_self_component_port(port));
    iter_t *it = calloc(1, sizeof *it);
    if (!it)
        return BT_MESSAGE_ITERATOR_CLASS_INITIALIZE_METHOD_STATUS_MEMORY_ERROR;
    it->e = e;
    report(e);
    if (bt_message_iterator_create_from_message_iterator(self, e->in, &it->up) !=
        BT_MESSAGE_ITERATOR_CREATE_FROM_MESSAGE_ITERATOR_STATUS_OK) {
        free(it);
        return BT_MESSAGE_ITERATOR_CLASS_INITIALIZE_METHOD_STATUS_ERROR;
    }
    bt_self_message_iterator_set_data(self, it);
    return BT_MESSAGE_ITERATOR_CLASS_INITIALIZE_METHOD_STATUS_OK;
}

static void it_fini(bt_self_message_iterator *self)
{
    iter_t *it = bt_self_message_iterator_get_data(self);
    if (!it)
        return;
    for (uint64_t i = it->ipend; i < it->npend; i++)
        bt_message_put_ref(it->pend[i]);
    free(it->pend);
    bt_message_iterator_put_ref(it->up);
    free(it);
}

/* Hand on up to cap pending messages. */
static uint64_t take_pending(iter_t *it, bt_message_array_const msgs,
                             uint64_t cap)
{
    uint64_t n = it->npend - it->ipend;
    if (n > cap)
        n = cap;
    memcpy((void *)msgs, it->pend + it->ipend, n * sizeof *msgs);
    it->ipend += n;
    return n;
}

/* The stream's own name (src.ctf.fs: its file's path) from its
 * beginning message. */
static void name_stream(entry_t *e, const bt_message *const *m, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        if (bt_message_get_type(m[i]) != BT_MESSAGE_TYPE_STREAM_BEGINNING)
            continue;
        const char *sn =
            bt_stream_get_name(bt_message_stream_beginning_borrow_stream_const(m[i]));
        if (!sn)
            return;
        if (sn[0] == '/')
            snprintf(e->file, sizeof e->file, "%s", sn);
        else
            snprintf(e->file, sizeof e->file, "%.*s/%s", e->dirlen, e->name, sn);
        e->cur = e->file;
        e->named = 1;
        report(e);
        return;
    }
}

static bt_message_iterator_class_next_method_status
it_next(bt_self_message_iterator *self, bt_message_array_const msgs,
        uint64_t cap, uint64_t *count)
{
    iter_t *it = bt_self_message_iterator_get_data(self);
    if (it->ipend < it->npend) {
        *count = take_pending(it, msgs, cap);
        return BT_MESSAGE_ITERATOR_CLASS_NEXT_METHOD_STATUS_OK;
    }
    report(it->e);
    bt_message_array_const up;
    uint64_t n = 0;
    switch (bt_message_iterator_next(it->up, &up, &n)) {
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
        break;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
        return BT_MESSAGE_ITERATOR_CLASS_NEXT_METHOD_STATUS_END;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
        return BT_MESSAGE_ITERATOR_CLASS_NEXT_METHOD_STATUS_AGAIN;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
        return BT_MESSAGE_ITERATOR_CLASS_NEXT_METHOD_STATUS_MEMORY_ERROR;
    default:
        return BT_MESSAGE_ITERATOR_CLASS_NEXT_METHOD_STATUS_ERROR;
    }
    if (!it->e->named)
        name_stream(it->e, up, n);
    if (n <= cap) {
        memcpy((void *)msgs, up, n * sizeof *msgs);
        *count = n;
        return BT_MESSAGE_ITERATOR_CLASS_NEXT_METHOD_STATUS_OK;
    }
    /* More than downstream takes: keep the rest for the next call. */
    if (n > it->cap) {
        const bt_message **p = realloc(it->pend, n * sizeof *p);
        if (!p) {
            for (uint64_t i = 0; i < n; i++)
                bt_message_put_ref(up[i]);
            return BT_MESSAGE_ITERATOR_CLASS_NEXT_METHOD_STATUS_MEMORY_ERROR;
        }
        it->pend = p;
        it->cap = n;
    }
    memcpy(it->pend, up, n * sizeof *up);
    it->npend = n;
    it->ipend = 0;
    *count = take_pending(it, msgs, cap);
    return BT_MESSAGE_ITERATOR_CLASS_NEXT_METHOD_STATUS_OK;
}

/* --- API ----------------------------------------------------------------- */

rtt_watch_t *rtt_watch_create(rtt_watch_fn fn, void *ctx)
{
    rtt_watch_t *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->fn = fn;
    w->ctx = ctx;
    /* babeltrace2 refuses (asserts) any call while the thread holds an
     * error: one left by an earlier ingest in this process must go */
    bt_current_thread_clear_error();
    bt_message_iterator_class *ic = bt_message_iterator_class_create(it_next);
    if (ic &&
        bt_message_iterator_class_set_initialize_method(ic, it_init) ==
            BT_MESSAGE_ITERATOR_CLASS_SET_METHOD_STATUS_OK &&
        bt_message_iterator_class_set_finalize_method(ic, it_fini) ==
            BT_MESSAGE_ITERATOR_CLASS_SET_METHOD_STATUS_OK)
        w->cls = bt_component_class_filter_create("rtt-watch", ic);
    bt_message_iterator_class_put_ref(ic);
    if (!w->cls ||
        bt_component_class_filter_set_initialize_method(w->cls, comp_init) !=
            BT_COMPONENT_CLASS_SET_METHOD_STATUS_OK) {
        rtt_watch_free(w);
        return NULL;
    }
    return w;
}

void rtt_watch_free(rtt_watch_t *w)
{
    if (!w)
        return;
    bt_component_class_filter_put_ref(w->cls);
    while (w->entries) {
        entry_t *e = w->entries;
        w->entries = e->next;
        free(e);
    }
    free(w->files_of);
    free(w->files);
    free(w);
}

void rtt_watch_reading(rtt_watch_t *w, const char *where, int opening)
{
    if (!w || !where)
        return;
    w->last = where;
    w->fn(w->ctx, where, opening);
}

void rtt_watch_opening(rtt_watch_t *w, const char *trace_path)
{
    entry_t *e = entry_new(w);
    if (!e)
        return;
    snprintf(e->name, sizeof e->name, "%s/metadata", trace_path);
    e->cur = e->name;
    w->last = e->cur;
    w->fn(w->ctx, e->cur, 1);
}

int rtt_watch_route(rtt_watch_t *w, bt_graph *g, const char *trace_path,
                    const bt_port_output *op, const bt_port_output **out)
{
    entry_t *e = entry_new(w);
    if (!e)
        return -1;
    name_port(w, e, trace_path, bt_port_get_name(bt_port_output_as_port_const(op)));
    e->cur = e->name;
    char cname[48];
    snprintf(cname, sizeof cname, "watch-%lu", w->nfilters++);
    const bt_component_filter *f = NULL;
    if (bt_graph_add_filter_component_with_initialize_method_data(
            g, w->cls, cname, NULL, e, BT_LOGGING_LEVEL_ERROR, &f) !=
            BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
        bt_graph_connect_ports(g, op,
                               bt_component_filter_borrow_input_port_by_index_const(f, 0),
                               NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK)
        return -1;
    *out = bt_component_filter_borrow_output_port_by_index_const(f, 0);
    return 0;
}
