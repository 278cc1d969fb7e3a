/* salvage.c - the traces babeltrace2 reads, made from the directories
 * found (see salvage.h).
 *
 * Rotation: `lttng rotate` leaves one directory per chunk, each a trace
 * with the session's UUID; src.ctf.fs merges traces of one UUID when they
 * are its inputs together, so chunks are grouped by the UUID of their
 * metadata into one trace. Two directories holding the same packets
 * (copies of one trace) are refused: merged, every event would count twice.
 *
 * Damage: babeltrace2 indexes every stream file when it opens a trace and
 * fails the whole trace when a packet runs past the end of its file. Each
 * LTTng stream file is walked first (scan.c). A damaged tail (a packet cut
 * short, or garbage after the last good packet) is cut off: the trace
 * babeltrace2 reads is then a view in a temp directory ($TMPDIR/rtt-view-*):
 * symbolic links to the metadata, the intact stream files and their index
 * files, and a copy of the whole packets of each damaged file (its index
 * is left out, so babeltrace2 indexes the copy itself). The copy costs
 * O(size of the damaged files); copy_file_range shares the blocks where
 * the file system can. A bad packet header followed by good packets is an
 * error: cutting there would drop good data silently.
 */
#define _POSIX_C_SOURCE 200809L
#include "salvage.h"

#include "errors.h"
#include "metadata.h"
#include "scan.h"
#include "view.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef rtt_view_entry_t entry_t;
enum { KEEP = RTT_VIEW_LINK, CUT = RTT_VIEW_CUT, OMIT = RTT_VIEW_OMIT };

static char *xstrdup(const char *s, int *oom)
{
    char *d = strdup(s);
    if (!d)
        *oom = 1;
    return d;
}

static int add_issue(rtt_prepared_t *p, long trace, const char *file,
                     const char *what, const char *message)
{
    rtt_issue_t *nv = realloc(p->issues, (p->nissues + 1) * sizeof *nv);
    if (!nv)
        return -1;
    p->issues = nv;
    rtt_issue_t *is = &nv[p->nissues];
    memset(is, 0, sizeof *is);
    is->trace = trace;
    is->what = what;
    is->file = strdup(file);
    is->message = strdup(message);
    if (!is->file || !is->message) {
        free(is->file);
        free(is->message);
        return -1;
    }
    p->nissues++;
    return 0;
}

/* Stream files of a directory as src.ctf.fs sees them: regular files (or
 * links to them) other than `metadata` and hidden ones. Sorted. */
static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry_t *)a)->name, ((const entry_t *)b)->name);
}

static int list_streams(const char *dir, entry_t **out, size_t *n, char *err,
                        size_t errlen)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        rtt_io_error(err, errlen, errno, dir);
        return -1;
    }
    size_t cap = 0;
    struct dirent *e;
    char path[PATH_MAX + 256];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "metadata") == 0)
            continue;
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            entry_t *nv = realloc(*out, cap * sizeof *nv);
            if (!nv)
                goto oom;
            *out = nv;
        }
        entry_t *en = &(*out)[*n];
        memset(en, 0, sizeof *en);
        en->issue = -1;
        en->name = strdup(e->d_name);
        if (!en->name)
            goto oom;
        (*n)++;
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, cmp_entry);
    return 0;
oom:
    closedir(d);
    snprintf(err, errlen, "out of memory");
    return -1;
}

static void free_entries(entry_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].copy);
    }
    free(v);
}

/* --- one chunk ------------------------------------------------------------- */

static const char *damage_name(int d)
{
    return d == RTT_DMG_TRUNCATED ? "truncated packet" : "broken packet header";
}

/* Decide the fate of every stream file of chunk c of trace t (index ti),
 * recording issues and the trace's files. Returns 0, -1 (err set), or 1
 * when the whole trace cannot be read (err says why, without the
 * directory): a stream file of a class its metadata does not declare,
 * as when the tracer stopped (or its process died) before it finished
 * the metadata of a per-PID trace. */
static int scan_chunk(rtt_prepared_t *p, size_t ti, size_t c, const rtt_meta_t *m,
                      int strict, int skip_unreadable, entry_t *v, size_t n,
                      int *need_view, char *err, size_t errlen)
{
    rtt_trace_src_t *t = &p->traces[ti];
    const char *dir = t->chunks[c];
    char path[PATH_MAX + 300], line[PATH_MAX + 600];
    rtt_stream_file_t *nf = realloc(t->files, (t->nfiles + n + 1) * sizeof *nf);
    if (!nf) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    t->files = nf;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, v[i].name);
        rtt_stream_scan_t s;
        int rc;
        if (m->lttng) {
            rc = rtt_scan_stream(path, m->have_uuid ? m->uuid : NULL, &s, NULL, NULL,
                                 line, sizeof line);
        } else {
            /* Another layout: babeltrace2 checks it; only readability here. */
            memset(&s, 0, sizeof s);
            int fd = open(path, O_RDONLY | O_CLOEXEC);
            rc = fd < 0 ? -1 : 0;
            if (fd < 0)
                rtt_io_error(line, sizeof line, errno, path);
            else
                close(fd);
        }
        if (rc != 0) {
            if (!skip_unreadable) {
                snprintf(err, errlen, "%s", line);
                return -1;
            }
            size_t k = strlen(line);
            snprintf(line + k, sizeof line - k, " (skipped)");
            if (add_issue(p, (long)ti, path, "unreadable", line) != 0)
                goto oom;
            v[i].fate = OMIT;
            *need_view = 1;
            continue;
        }
        if (s.have_first && !rtt_meta_has_stream(m, s.stream_class)) {
            snprintf(err, errlen,
                     "its metadata declares no stream class %" PRIu32
                     ", which stream file %s uses (the tracer did not finish "
                     "writing the metadata)",
                     s.stream_class, v[i].name);
            return 1;
        }
        rtt_stream_file_t *f = &t->files[t->nfiles];
        memset(f, 0, sizeof *f);
        if (!(f->path = strdup(path)))
            goto oom;
        t->nfiles++;
        f->chunk = c;
        f->have_id = s.have_first;
        f->stream_class = s.stream_class;
        f->stream_instance = s.stream_instance;
        f->first_begin = s.first_begin;
        if (s.damage == RTT_DMG_NONE)
            continue;
        if (s.damage == RTT_DMG_CORRUPT) {
            snprintf(err, errlen,
                     "corrupt packet header at offset %" PRIu64 " (%s; good "
                     "packets follow): %s",
                     s.damage_at, s.why, path);
            return -1;
        }
        if (strict) {
            snprintf(err, errlen, "%s at offset %" PRIu64 " (%s); --strict "
                                  "refuses a damaged trace: %s",
                     damage_name(s.damage), s.damage_at, s.why, path);
            return -1;
        }
        snprintf(line, sizeof line,
                 "%s at offset %" PRIu64 " (%s): ingested the %" PRIu64
                 " whole packet%s before it, not the last %" PRIu64 " bytes: %s",
                 damage_name(s.damage), s.damage_at, s.why, s.packets,
                 s.packets == 1 ? "" : "s", s.size - s.good_end, path);
        if (add_issue(p, (long)ti, path,
                      s.damage == RTT_DMG_TRUNCATED ? "truncated" : "broken-tail",
                      line) != 0)
            goto oom;
        rtt_issue_t *is = &p->issues[p->nissues - 1];
        is->have_offset = 1;
        is->offset = s.good_end;
        is->bytes = s.size - s.good_end;
        v[i].fate = s.good_end ? CUT : OMIT;
        v[i].cut_at = s.good_end;
        v[i].issue = (long)p->nissues - 1;
        *need_view = 1;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* Two chunks holding a stream file with the same first packet are copies
 * of one trace, not chunks of a rotation. */
static int check_copies(const rtt_trace_src_t *t, char *err, size_t errlen)
{
    for (size_t i = 0; i < t->nfiles; i++)
        for (size_t j = i + 1; j < t->nfiles; j++) {
            const rtt_stream_file_t *a = &t->files[i], *b = &t->files[j];
            if (a->chunk != b->chunk && a->have_id && b->have_id &&
                a->stream_class == b->stream_class &&
                a->stream_instance == b->stream_instance &&
                a->first_begin == b->first_begin) {
                snprintf(err, errlen,
                         "the same trace twice (copies of one trace, not "
                         "chunks of a rotation; ingest one of them): %s and %s",
                         t->chunks[a->chunk], t->chunks[b->chunk]);
                return -1;
            }
        }
    return 0;
}

/* --- the whole ---------------------------------------------------------------- */

static void free_issue(rtt_issue_t *is)
{
    free(is->file);
    free(is->message);
    free(is->view_file);
}

static void free_trace(rtt_trace_src_t *t)
{
    for (size_t c = 0; c < t->nchunks; c++) {
        free(t->chunks[c]);
        free(t->inputs[c]);
    }
    free(t->chunks);
    free(t->inputs);
    for (size_t f = 0; f < t->nfiles; f++)
        free(t->files[f].path);
    free(t->files);
}

/* Leave trace ti out (--skip-unreadable, scan_chunk returned 1): its
 * issues go (it is not read at all), one issue says why, the traces after
 * it move down (none of them has an issue yet: traces are walked in
 * order) and group follows. */
static int drop_trace(rtt_prepared_t *p, size_t ti, long *group, size_t ngroup,
                      const char *dir, const char *why)
{
    size_t k = 0;
    for (size_t i = 0; i < p->nissues; i++) {
        if (p->issues[i].trace == (long)ti)
            free_issue(&p->issues[i]);
        else
            p->issues[k++] = p->issues[i];
    }
    p->nissues = k;
    free_trace(&p->traces[ti]);
    memmove(&p->traces[ti], &p->traces[ti + 1],
            (p->ntraces - ti - 1) * sizeof *p->traces);
    p->ntraces--;
    for (size_t j = 0; j < ngroup; j++)
        if (group[j] == (long)ti)
            group[j] = -3;
        else if (group[j] > (long)ti)
            group[j]--;
    char line[2 * PATH_MAX + 700]; /* why (< PATH_MAX + 600) and dir */
    snprintf(line, sizeof line, "%s: %s (skipped)", why, dir);
    return add_issue(p, -1, dir, "unreadable", line);
}

int rtt_prepare(const rtt_found_list_t *found, int strict, int skip_unreadable,
                rtt_prepared_t *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    rtt_bt_log_setup(); /* here: before ingest starts its writer thread */
    rtt_meta_t *meta = calloc(found->n ? found->n : 1, sizeof *meta);
    long *group = malloc((found->n ? found->n : 1) * sizeof *group);
    p->traces = calloc(found->n ? found->n : 1, sizeof *p->traces);
    int oom = !meta || !group || !p->traces;
    char line[PATH_MAX + 600];

    for (size_t i = 0; !oom && i < found->nskipped; i++) {
        const char *s = found->skipped[i], *colon = strstr(s, ": ");
        snprintf(line, sizeof line, "%s (skipped)", s);
        if (add_issue(p, -1, colon ? colon + 2 : s, "unreadable", line) != 0)
            oom = 1;
    }
    /* Metadata of each directory; unreadable ones are errors or skipped. */
    for (size_t i = 0; !oom && i < found->n; i++) {
        group[i] = -2;
        if (rtt_meta_read(found->v[i].path, &meta[i], line, sizeof line) != 0) {
            if (!skip_unreadable) {
                snprintf(err, errlen, "%s", line);
                goto fail;
            }
            size_t k = strlen(line);
            snprintf(line + k, sizeof line - k, " (skipped)");
            char mp[PATH_MAX + 16];
            snprintf(mp, sizeof mp, "%s/metadata", found->v[i].path);
            if (add_issue(p, -1, mp, "unreadable", line) != 0)
                oom = 1;
            group[i] = -3; /* skipped */
        }
    }
    /* Group by UUID (found is sorted, so chunks stay in path order). */
    for (size_t i = 0; !oom && i < found->n; i++) {
        if (group[i] != -2)
            continue;
        rtt_trace_src_t *t = &p->traces[p->ntraces];
        size_t nch = 0;
        for (size_t j = i; j < found->n; j++)
            if (j == i || (group[j] == -2 && meta[i].have_uuid && meta[j].have_uuid &&
                           memcmp(meta[i].uuid, meta[j].uuid, 16) == 0))
                nch++;
        t->chunks = calloc(nch, sizeof *t->chunks);
        t->inputs = calloc(nch, sizeof *t->inputs);
        if (!t->chunks || !t->inputs) {
            free(t->chunks);
            free(t->inputs);
            t->chunks = t->inputs = NULL;
            oom = 1;
            break;
        }
        p->ntraces++;
        for (size_t j = i; j < found->n && !oom; j++) {
            if (j != i && !(group[j] == -2 && meta[i].have_uuid && meta[j].have_uuid &&
                            memcmp(meta[i].uuid, meta[j].uuid, 16) == 0))
                continue;
            group[j] = (long)p->ntraces - 1;
            t->chunks[t->nchunks] = xstrdup(found->v[j].path, &oom);
            t->nchunks++;
            t->bytes += found->v[j].bytes;
            t->packets += found->v[j].packets;
        }
    }
    if (oom)
        goto nomem;
    /* Walk every stream file; cut or skip what needs it. */
    for (size_t ti = 0; ti < p->ntraces;) {
        rtt_trace_src_t *t = &p->traces[ti];
        int dropped = 0;
        const rtt_meta_t *m = NULL;
        for (size_t j = 0; j < found->n && !m; j++)
            if (group[j] == (long)ti)
                m = &meta[j];
        for (size_t c = 0; c < t->nchunks; c++) {
            entry_t *v;
            size_t n;
            int need_view = 0;
            if (list_streams(t->chunks[c], &v, &n, err, errlen) != 0)
                goto fail;
            int rc = scan_chunk(p, ti, c, m, strict, skip_unreadable, v, n,
                                &need_view, err, errlen);
            if (rc == 1) {
                free_entries(v, n);
                char why[PATH_MAX + 600];
                snprintf(why, sizeof why, "%s", err);
                if (!skip_unreadable) {
                    snprintf(err, errlen, "cannot read trace: %.*s; "
                             "--skip-unreadable leaves it out: %s",
                             (int)(sizeof why - 1), why, t->chunks[c]);
                    goto fail;
                }
                char dir[PATH_MAX + 1];
                snprintf(dir, sizeof dir, "%s", t->chunks[c]);
                if (drop_trace(p, ti, group, found->n, dir, why) != 0)
                    goto nomem;
                dropped = 1;
                break;
            }
            if (rc == 0 && need_view) {
                char tag[64];
                snprintf(tag, sizeof tag, "t%zu-c%zu", ti, c);
                rc = rtt_view_build(&p->view_root, t->chunks[c], v, n, tag,
                                    &t->inputs[c], err, errlen);
                for (size_t k = 0; rc == 0 && k < n; k++)
                    if (v[k].copy && v[k].issue >= 0) {
                        p->issues[v[k].issue].view_file = v[k].copy;
                        v[k].copy = NULL;
                    }
            } else if (rc == 0 && !(t->inputs[c] = strdup(t->chunks[c]))) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
            }
            free_entries(v, n);
            if (rc != 0)
                goto fail;
        }
        if (dropped)
            continue; /* the next trace is at ti now */
        if (check_copies(t, err, errlen) != 0)
            goto fail;
        ti++;
    }
    if (p->ntraces == 0) {
        snprintf(err, errlen, "no readable CTF trace: %s",
                 p->nissues ? p->issues[0].message : "none found");
        goto fail;
    }
    free(meta);
    free(group);
    return 0;
nomem:
    snprintf(err, errlen, "out of memory");
fail:
    free(meta);
    free(group);
    rtt_prepared_free(p);
    return -1;
}

void rtt_prepared_free(rtt_prepared_t *p)
{
    rtt_view_remove(p->view_root);
    free(p->view_root);
    for (size_t i = 0; p->traces && i < p->ntraces; i++)
        free_trace(&p->traces[i]);
    free(p->traces);
    for (size_t i = 0; i < p->nissues; i++)
        free_issue(&p->issues[i]);
    free(p->issues);
    memset(p, 0, sizeof *p);
}

const char *rtt_prepared_orig(const rtt_trace_src_t *t, const char *path,
                              char *buf, size_t len)
{
    for (size_t c = 0; c < t->nchunks; c++) {
        if (!t->inputs[c] || strcmp(t->inputs[c], t->chunks[c]) == 0)
            continue;
        size_t n = strlen(t->inputs[c]);
        if (strncmp(path, t->inputs[c], n) == 0 && (path[n] == '/' || !path[n])) {
            snprintf(buf, len, "%s%s", t->chunks[c], path + n);
            return buf;
        }
    }
    return path;
}
