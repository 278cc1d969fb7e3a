/* report_data.c - every API answer a report embeds (report_data.h): the
 * same answers `rt-trace view` serves (api.c), called with the arguments
 * the page would send. Cost: the API calls themselves; the timelines are
 * sum(4^L) range queries per level set, each an index range scan, so the
 * whole run is scanned once per level. */
#define _POSIX_C_SOURCE 200809L
#include "report_data.h"

#include "measures.h"

#include <stdlib.h>
#include <string.h>

/* Arguments parsed from "a=1&b=x" into a small table. */
typedef struct qargs {
    char buf[512];
    const char *k[16], *v[16];
    int n;
} qargs_t;

static const char *qarg(void *ctx, const char *name)
{
    qargs_t *q = ctx;
    for (int i = 0; i < q->n; i++)
        if (!strcmp(q->k[i], name))
            return q->v[i];
    return NULL;
}

static void qparse(qargs_t *q, const char *s)
{
    snprintf(q->buf, sizeof q->buf, "%s", s);
    q->n = 0;
    for (char *p = q->buf; p && *p && q->n < 16;) {
        char *amp = strchr(p, '&');
        if (amp)
            *amp = '\0';
        char *eq = strchr(p, '=');
        if (eq) {
            *eq = '\0';
            q->k[q->n] = p;
            q->v[q->n++] = eq + 1;
        }
        p = amp ? amp + 1 : NULL;
    }
}

/* The message of an API error answer ({"error": "..."}, indented over
 * lines) as one line: the string's characters with JSON escapes undone
 * (\uXXXX and control characters as '?'), cut to outlen - 1. Anything else
 * is copied up to its first newline. */
static void error_text(const char *body, char *out, size_t outlen)
{
    const char *p = strstr(body, "\"error\"");
    size_t n = 0;
    if (p && (p = strchr(p + 7, ':')) && (p = strchr(p, '"'))) {
        for (p++; *p && *p != '"' && n + 1 < outlen; p++) {
            char c = *p;
            if (c == '\\' && p[1]) {
                c = *++p;
                if (c == 'u') {
                    for (int i = 0; i < 4 && p[1]; i++)
                        p++;
                    c = '?';
                } else if (c == 'n' || c == 't' || c == 'r' || c == 'b' || c == 'f') {
                    c = ' ';
                }
            }
            out[n++] = (unsigned char)c < 0x20 ? '?' : c;
        }
    } else {
        for (p = body; *p && *p != '\n' && n + 1 < outlen; p++)
            out[n++] = *p;
    }
    out[n] = '\0';
}

/* Write `"key": answer` where the API answers path?query (query args may
 * differ from the key, for the levels). */
static int entry(rtt_api_t *a, FILE *f, int *first, const char *key, const char *path,
                 const char *query, char *err, size_t errlen)
{
    qargs_t q;
    qparse(&q, query);
    char *body;
    size_t len;
    int st = rtt_api_answer(a, path, qarg, &q, &body, &len);
    if (!body) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* compare, shift and lint answer an error the page shows (two runs that
     * cannot be compared, a build without lint): embedded as such */
    if (st != 200 && strcmp(path, "/api/compare") && strcmp(path, "/api/shift") &&
        strcmp(path, "/api/lint")) {
        /* "DB: what went wrong (reading its summary for the report)":
         * the database the answer read, so the user knows which file is
         * at fault, and the answer in the API's words (viewer.md's
         * table), not its query string */
        char msg[400];
        error_text(body, msg, sizeof msg);
        const char *dbq = qarg(&q, "db");
        int db = dbq ? atoi(dbq) : 0;
        const char *what = strncmp(path, "/api/", 5) ? path : path + 5;
        if (db >= 0 && db < a->ndb && a->path[db])
            snprintf(err, errlen, "%s: %s (reading its %s for the report)", a->path[db],
                     msg, what);
        else
            snprintf(err, errlen, "%s (reading %s for the report)", msg, what);
        free(body);
        return -1;
    }
    fprintf(f, "%s\"", *first ? "" : ",\n");
    *first = 0;
    fputs(key, f);
    fputs("\": ", f);
    /* Minified (the API's answers are indented for people; a report holds
     * hundreds), and "</" written "<\/": it would end the <script>
     * element the data sits in. */
    int in_str = 0, esc = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = body[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (ch == '\\')
                esc = 1;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            continue;
        }
        if (ch == '<' && i + 1 < len && body[i + 1] == '/')
            fputs("<\\", f);
        else
            fputc(ch, f);
    }
    free(body);
    return 0;
}

static int levels(rtt_api_t *a, FILE *f, int *first, int db, const char *what, int nlev,
                  int buckets, char *err, size_t errlen)
{
    const rtt_bounds_t *b = &a->tl[db].b;
    int64_t dur = b->known ? b->end - b->start + 1 : 1;
    char path[32], key[160], query[200];
    snprintf(path, sizeof path, "/api/%s", what);
    long chunks = 1;
    for (int l = 0; l < nlev; l++, chunks *= 4) {
        for (long c = 0; c < chunks; c++) {
            int64_t from = (int64_t)((double)dur * c / chunks);
            int64_t to = (int64_t)((double)dur * (c + 1) / chunks);
            if (to <= from)
                continue;
            snprintf(key, sizeof key, "%s?db=%d&level=%d&chunk=%ld", path, db, l, c);
            snprintf(query, sizeof query, "db=%d&from=%lld&to=%lld&buckets=%d&limit=%d",
                     db, (long long)from, (long long)to, buckets, RTT_REPORT_TASK_LIMIT);
            if (entry(a, f, first, key, path, query, err, errlen))
                return -1;
        }
    }
    return 0;
}

int rtt_report_data_write(rtt_api_t *a, FILE *f, char *err, size_t errlen)
{
    int first = 1;
    char key[200];
    fputs("{", f);
    if (entry(a, f, &first, "/api/meta", "/api/meta", "", err, errlen))
        return -1;
    for (int i = 0; i < a->ndb; i++) {
        static const char *plain[] = {"summary", "latency", "lint", "interactions"};
        for (int p = 0; p < 4; p++) {
            char path[40], q[40];
            snprintf(path, sizeof path, "/api/%s", plain[p]);
            snprintf(q, sizeof q, p == 3 ? "db=%d&n=20" : "db=%d", i);
            snprintf(key, sizeof key, "%s?%s", path, q);
            if (entry(a, f, &first, key, path, q, err, errlen))
                return -1;
        }
        /* every kind's every measure, and the interactions' parts */
        for (size_t k = 0; k <= rtt_nkinds; k++) {
            static const char *ix[] = {"latency", "queue", "run", "frame_wait", "render"};
            int nm = k < rtt_nkinds ? rtt_kinds[k].nmeasures : 5;
            const char *kn = k < rtt_nkinds ? rtt_kinds[k].name : "interaction";
            for (int m = 0; m < nm; m++) {
                if (k < rtt_nkinds && rtt_kinds[k].m[m].optional)
                    continue;
                const char *mn = k < rtt_nkinds ? rtt_kinds[k].m[m].name : ix[m];
                char q[120];
                snprintf(q, sizeof q, "db=%d&kind=%s&measure=%s", i, kn, mn);
                snprintf(key, sizeof key, "/api/dist?%s", q);
                if (entry(a, f, &first, key, "/api/dist", q, err, errlen))
                    return -1;
                if (i == 1) {
                    snprintf(q, sizeof q, "kind=%s&measure=%s", kn, mn);
                    snprintf(key, sizeof key, "/api/shift?%s", q);
                    if (entry(a, f, &first, key, "/api/shift", q, err, errlen))
                        return -1;
                }
            }
        }
        /* the worst interactions' waterfalls */
        rtt_timeline_t *tl = &a->tl[i];
        if (!tl->ix && rtt_interactions_load(tl->db, &tl->ix, err, errlen))
            return -1;
        size_t idx[RTT_REPORT_WORST];
        size_t nw = rtt_interactions_worst(tl->ix, RTT_REPORT_WORST, idx);
        for (size_t w = 0; w < nw; w++) {
            const rtt_interaction_t *x = rtt_interactions_get(tl->ix, idx[w]);
            char q[120];
            snprintf(q, sizeof q, "db=%d&proc=%lld&id=%llu", i, (long long)x->proc,
                     (unsigned long long)x->command_id);
            snprintf(key, sizeof key, "/api/chain?%s", q);
            if (entry(a, f, &first, key, "/api/chain", q, err, errlen))
                return -1;
        }
        if (levels(a, f, &first, i, "ticks", RTT_REPORT_TICK_LEVELS, RTT_REPORT_BUCKETS,
                   err, errlen) ||
            levels(a, f, &first, i, "tasks", RTT_REPORT_TASK_LEVELS,
                   RTT_REPORT_TASK_BUCKETS, err, errlen) ||
            levels(a, f, &first, i, "drops", 1, RTT_REPORT_BUCKETS, err, errlen))
            return -1;
    }
    if (a->ndb == 2 && entry(a, f, &first, "/api/compare", "/api/compare", "", err, errlen))
        return -1;
    fprintf(f, ",\n\"/report\": {\"levels\": {\"ticks\": %d, \"tasks\": %d, \"drops\": 1},"
               " \"buckets\": {\"ticks\": %d, \"tasks\": %d, \"drops\": %d},"
               " \"worst\": %d}}\n",
            RTT_REPORT_TICK_LEVELS, RTT_REPORT_TASK_LEVELS, RTT_REPORT_BUCKETS,
            RTT_REPORT_TASK_BUCKETS, RTT_REPORT_BUCKETS, RTT_REPORT_WORST);
    return ferror(f) ? (snprintf(err, errlen, "cannot write the report"), -1) : 0;
}
