/* query_common.c - option parsing, database opening, trace bounds, the
 * measure catalogue and latency statistics shared by the query subcommands
 * (see query_common.h for the interface and costs).
 */
#include "query_common.h"

#include "db.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- options ------------------------------------------------------------- */

void rtt_qerr(const rtt_qopts_t *o, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "rt-trace %s: ", o->cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int rtt_parse_duration(const char *s, int64_t *ns)
{
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"", 1},       {"ns", 1},      {"us", 1e3},   {"ms", 1e6},
                 {"s", 1e9},    {"min", 60e9},  {"h", 3600e9}};
    if (!s)
        return -1;
    /* The number is digits with at most one '.', then a unit: no sign,
     * exponent, hex, inf or nan. */
    size_t nd = strspn(s, "0123456789."), dots = 0, digits = 0;
    for (size_t i = 0; i < nd; i++)
        s[i] == '.' ? dots++ : digits++;
    if (!digits || dots > 1)
        return -1;
    char num[64];
    if (nd >= sizeof num)
        return -1;
    memcpy(num, s, nd);
    num[nd] = '\0';
    double v = strtod(num, NULL);
    const char *end = s + nd;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(end, units[i].unit))
            continue;
        double x = v * units[i].scale;
        if (x > 9.2e18)
            return -1;
        *ns = (int64_t)llround(x);
        return 0;
    }
    return -1;
}

enum { OPT_FORMAT = -1, OPT_HELP = -2, OPT_FROM = -3, OPT_TO = -4 };

static const rtt_qopt_spec_t common_opts[] = {
    {"format", 0, 1, OPT_FORMAT}, {"help", 'h', 0, OPT_HELP},
    {"from", 0, 1, OPT_FROM},     {"to", 0, 1, OPT_TO},
    {NULL, 0, 0, 0}};

/* Find argument a among specs; *val gets an inline "=value". */
static const rtt_qopt_spec_t *match(const rtt_qopt_spec_t *specs, const char *a,
                                    const char **val)
{
    for (; specs && specs->lng; specs++) {
        if (a[1] == '-') {
            size_t n = strlen(specs->lng);
            if (!strncmp(a + 2, specs->lng, n) &&
                (a[2 + n] == '\0' || (a[2 + n] == '=' && specs->has_arg))) {
                *val = a[2 + n] == '=' ? a + 3 + n : NULL;
                return specs;
            }
        } else if (specs->shrt && a[1] == specs->shrt) {
            if (a[2] && !specs->has_arg)
                continue;
            *val = a[2] ? a + 2 : NULL;
            return specs;
        }
    }
    return NULL;
}

int rtt_qparse(rtt_qopts_t *o, const char *cmd, int argc, char **argv, unsigned accept,
               const rtt_qopt_spec_t *extra, rtt_qopt_fn fn, void *ctx, int min_pos,
               int max_pos, const char *usage)
{
    memset(o, 0, sizeof(*o));
    o->cmd = cmd;
    o->format = RTT_FMT_TABLE;
    int only_pos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            if (o->npos >= max_pos || o->npos >= RTT_Q_MAX_POS) {
                rtt_qerr(o, "unexpected argument '%s' (see --help)", a);
                return 2;
            }
            o->pos[o->npos++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_pos = 1;
            continue;
        }
        const char *val = NULL;
        const rtt_qopt_spec_t *sp = match(common_opts, a, &val);
        if (sp && (sp->id == OPT_FROM || sp->id == OPT_TO) && !(accept & RTT_Q_WINDOW))
            sp = NULL;
        int common = sp != NULL;
        if (!sp)
            sp = match(extra, a, &val);
        if (!sp) {
            rtt_qerr(o, "unknown option '%s' (see --help)", a);
            return 2;
        }
        if (sp->has_arg && !val) {
            if (i + 1 >= argc) {
                rtt_qerr(o, "option '%s' needs a value (see --help)", a);
                return 2;
            }
            val = argv[++i];
        }
        if (!common) {
            if (fn(ctx, sp->id, val))
                return 2;
            continue;
        }
        switch (sp->id) {
        case OPT_HELP:
            fputs(usage, stdout);
            return 0;
        case OPT_FORMAT:
            if (rtt_format_parse(val, &o->format)) {
                rtt_qerr(o, "bad --format '%s': expected table, json or csv", val);
                return 2;
            }
            break;
        case OPT_FROM:
        case OPT_TO: {
            int64_t ns;
            if (rtt_parse_duration(val, &ns)) {
                rtt_qerr(o, "bad --%s '%s': expected a time from the trace start, "
                            "e.g. 1.5s, 200ms or ns", sp->lng, val);
                return 2;
            }
            if (sp->id == OPT_FROM) {
                o->has_from = 1;
                o->from_ns = ns;
            } else {
                o->has_to = 1;
                o->to_ns = ns;
            }
            break;
        }
        }
    }
    if (o->npos < min_pos) {
        rtt_qerr(o, "missing %s argument (see --help)", o->npos == 0 ? "DB" : "SQL");
        return 2;
    }
    if (o->has_from && o->has_to && o->to_ns <= o->from_ns) {
        rtt_qerr(o, "--to must be later than --from");
        return 2;
    }
    return -1;
}

int rtt_qopen(const rtt_qopts_t *o, sqlite3 **db)
{
    char err[512] = "";
    if (rtt_db_open(o->pos[0], 1, db, err, sizeof err)) {
        rtt_qerr(o, "%s", err[0] ? err : o->pos[0]);
        return -1;
    }
    return 0;
}

int rtt_qwrite(const rtt_qopts_t *o, rtt_out_t *out)
{
    int rc = rtt_out_write(out, o->format, stdout);
    rtt_out_free(out);
    if (rc) {
        rtt_qerr(o, "cannot write the result: stdout");
        return 1;
    }
    return 0;
}

/* --- bounds and windows -------------------------------------------------- */

static int sql_int(sqlite3 *db, const char *sql, int64_t *out, int *isnull)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *isnull = sqlite3_column_type(st, 0) == SQLITE_NULL;
        *out = sqlite3_column_int64(st, 0);
    } else {
        *isnull = 1;
        *out = 0;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int rtt_sql_ints(sqlite3 *db, const char *sql, int64_t *out, int n)
{
    sqlite3_stmt *st;
    memset(out, 0, (size_t)n * sizeof(int64_t));
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (int i = 0; i < n && i < sqlite3_column_count(st); i++)
            out[i] = sqlite3_column_int64(st, i);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int rtt_collect_values(sqlite3 *db, const char *sql, const rtt_window_t *w,
                       int64_t **v, size_t *n, int64_t *excluded, char *err,
                       size_t errlen)
{
    sqlite3_stmt *st;
    *v = NULL;
    *n = 0;
    *excluded = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    if (w && w->active) {
        sqlite3_bind_int64(st, 1, w->lo);
        sqlite3_bind_int64(st, 2, w->hi);
    }
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
            (*excluded)++;
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            int64_t *p = realloc(*v, cap * sizeof(int64_t));
            if (!p) {
                snprintf(err, errlen, "out of memory");
                rc = SQLITE_NOMEM;
                break;
            }
            *v = p;
        }
        (*v)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (rc != SQLITE_DONE) {
        if (rc != SQLITE_NOMEM)
            snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        free(*v);
        *v = NULL;
        *n = 0;
        return -1;
    }
    sqlite3_finalize(st);
    return 0;
}

int rtt_tracer_loss(sqlite3 *db, rtt_tracer_loss_t *l)
{
    int64_t r[3];
    if (rtt_sql_ints(db,
                     "SELECT SUM(CASE WHEN what = 'events' THEN count END),"
                     " SUM(CASE WHEN what = 'packets' THEN COALESCE(count, 1) END),"
                     " SUM(what = 'events' AND count IS NULL) FROM tracer_loss",
                     r, 3))
        return -1;
    l->discarded_events = r[0];
    l->lost_packets = r[1];
    l->unknown_count_messages = r[2];
    return 0;
}

int rtt_trace_bounds(sqlite3 *db, rtt_bounds_t *b)
{
    /* Each MIN/MAX below is one index probe (or a scan of the small
     * traces table). */
    static const char *const firsts[] = {
        "SELECT MIN(first_ts) FROM traces", "SELECT MIN(queued_ts) FROM tasks",
        "SELECT MIN(queued_ts) FROM dispatches", "SELECT MIN(sent_ts) FROM commands",
        "SELECT MIN(begin_ts) FROM ticks", "SELECT MIN(ts) FROM timer_fires"};
    static const char *const lasts[] = {
        "SELECT MAX(last_ts) FROM traces", "SELECT MAX(queued_ts) FROM tasks",
        "SELECT MAX(queued_ts) FROM dispatches", "SELECT MAX(sent_ts) FROM commands",
        "SELECT MAX(begin_ts) FROM ticks", "SELECT MAX(ts) FROM timer_fires"};
    memset(b, 0, sizeof(*b));
    int isnull;
    if (sql_int(db, "SELECT COUNT(*) FROM traces", &b->traces, &isnull) ||
        sql_int(db, "SELECT SUM(events) FROM traces", &b->events, &isnull))
        return -1;
    if (isnull)
        b->events = 0;
    int have_first = 0, have_last = 0;
    for (size_t i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++) {
        int64_t v;
        if (!have_first) {
            if (sql_int(db, firsts[i], &v, &isnull))
                return -1;
            if (!isnull) {
                b->start = v;
                have_first = 1;
            }
        }
        if (!have_last) {
            if (sql_int(db, lasts[i], &v, &isnull))
                return -1;
            if (!isnull) {
                b->end = v;
                have_last = 1;
            }
        }
        if (have_first && have_last)
            break;
    }
    b->known = have_first && have_last;
    if (b->known && b->end < b->start)
        b->end = b->start;
    return 0;
}

void rtt_window_make(const rtt_qopts_t *o, const rtt_bounds_t *b, rtt_window_t *w)
{
    w->active = o->has_from || o->has_to;
    w->lo = o->has_from ? b->start + o->from_ns : INT64_MIN;
    w->hi = o->has_to ? b->start + o->to_ns : INT64_MAX;
}

/* --- statistics ---------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* LSD radix sort on the sign-flipped bits, 8 bits a pass, skipping passes
 * where every key has the same byte (durations use ~5 of the 8 bytes). */
void rtt_sort_i64(int64_t *v, size_t n)
{
    if (n < 2)
        return;
    if (n < 256) {
        qsort(v, n, sizeof(int64_t), cmp_i64);
        return;
    }
    uint64_t *a = (uint64_t *)v, *tmp = malloc(n * sizeof(uint64_t));
    if (!tmp) {
        qsort(v, n, sizeof(int64_t), cmp_i64);
        return;
    }
    size_t cnt[8][256];
    memset(cnt, 0, sizeof cnt);
    const uint64_t flip = (uint64_t)1 << 63;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = a[i] ^ flip;
        for (int b = 0; b < 8; b++)
            cnt[b][(k >> (8 * b)) & 0xff]++;
    }
    uint64_t *src = a, *dst = tmp;
    for (int b = 0; b < 8; b++) {
        uint64_t first = ((src[0] ^ flip) >> (8 * b)) & 0xff;
        if (cnt[b][first] == n)
            continue; /* all equal in this byte */
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = cnt[b][d];
            cnt[b][d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t k = src[i] ^ flip;
            dst[cnt[b][(k >> (8 * b)) & 0xff]++] = src[i];
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(uint64_t));
    free(tmp);
}

double rtt_percentile_sorted(const int64_t *v, size_t n, double p)
{
    if (!n)
        return NAN;
    double rank = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)floor(rank);
    double frac = rank - (double)lo;
    double r = (double)v[lo];
    if (lo + 1 < n && frac > 0)
        r += ((double)v[lo + 1] - (double)v[lo]) * frac;
    return r;
}

void rtt_stats_compute(int64_t *v, size_t n, rtt_stats_t *s)
{
    int64_t excluded = s->excluded;
    memset(s, 0, sizeof(*s));
    s->excluded = excluded;
    s->count = (int64_t)n;
    if (!n) {
        s->min = s->p50 = s->p90 = s->p99 = s->p999 = s->max = s->mean = NAN;
        return;
    }
    rtt_sort_i64(v, n);
    long double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    s->min = (double)v[0];
    s->max = (double)v[n - 1];
    s->mean = (double)(sum / (long double)n);
    s->p50 = rtt_percentile_sorted(v, n, 50);
    s->p90 = rtt_percentile_sorted(v, n, 90);
    s->p99 = rtt_percentile_sorted(v, n, 99);
    s->p999 = rtt_percentile_sorted(v, n, 99.9);
}

void rtt_out_stats_columns(rtt_out_t *o)
{
    rtt_out_column(o, "count", RTT_UNIT_PLAIN);
    rtt_out_column(o, "excluded", RTT_UNIT_PLAIN);
    rtt_out_column(o, "min", RTT_UNIT_NS);
    rtt_out_column(o, "p50", RTT_UNIT_NS);
    rtt_out_column(o, "p90", RTT_UNIT_NS);
    rtt_out_column(o, "p99", RTT_UNIT_NS);
    rtt_out_column(o, "p999", RTT_UNIT_NS);
    rtt_out_column(o, "max", RTT_UNIT_NS);
    rtt_out_column(o, "mean", RTT_UNIT_NS);
}

void rtt_out_stats_cells(rtt_out_t *o, const rtt_stats_t *s)
{
    rtt_out_int(o, s->count);
    rtt_out_int(o, s->excluded);
    rtt_out_float(o, s->min);
    rtt_out_float(o, s->p50);
    rtt_out_float(o, s->p90);
    rtt_out_float(o, s->p99);
    rtt_out_float(o, s->p999);
    rtt_out_float(o, s->max);
    rtt_out_float(o, s->mean);
}

/* --- measure catalogue --------------------------------------------------- */

/* flags: 1 = no queued/sent/armed/begin half, 2 = no started, 4 = no
 * finished/handled/end (schema.sql). A measure is NULL (the item is
 * "excluded" from it) when either of its two halves is missing. */
const rtt_kind_t rtt_kinds[] = {
    {"task", "tasks", "tasks", "tasks", "COALESCE(queued_ts, started_ts, finished_ts)",
     "priority",
     "CASE source WHEN 0 THEN 'submit' WHEN 1 THEN 'timer' WHEN 2 THEN 'command' END",
     "NULLIF(name, '')", 0, 3, 2,
     {{"queue_wait", "CASE WHEN (flags & 3) = 0 THEN started_ts - queued_ts END"},
      {"run_time", "CASE WHEN (flags & 6) = 0 THEN finished_ts - started_ts END"},
      {"total", "CASE WHEN (flags & 5) = 0 AND outcome IS NOT 3 "
                "THEN finished_ts - queued_ts END"}}},
    {"dispatch", "dispatches", "dispatches", "dispatches",
     "COALESCE(queued_ts, begin_ts, end_ts)", "priority", "type", NULL, 0, 3, 2,
     {{"queue_wait", "CASE WHEN (flags & 5) = 0 THEN begin_ts - queued_ts END"},
      {"duration", "CASE WHEN (flags & 4) = 0 THEN end_ts - begin_ts END"},
      {"total", "CASE WHEN (flags & 5) = 0 THEN end_ts - queued_ts END"}}},
    {"timer", "timers", "timer_fires f",
     "timer_fires f LEFT JOIN timers t ON t.proc = f.proc AND t.id = f.timer_id", "f.ts",
     "f.priority",
     "CASE WHEN t.interval_ns > 0 THEN 'periodic' WHEN t.id IS NOT NULL "
     "THEN 'oneshot' END",
     "NULLIF(t.name, '')", 1, 1, 0, {{"lateness", "f.lateness_ns"}}},
    {"command", "commands", "commands", "commands", "COALESCE(sent_ts, handled_ts)",
     "priority",
     "CASE cmd WHEN 0 THEN 'shutdown' WHEN 1 THEN 'emergency' "
     "WHEN 2 THEN 'schedule_task' END",
     NULL, 0, 1, 0,
     {{"latency", "CASE WHEN (flags & 5) = 0 THEN handled_ts - sent_ts END"}}},
    {"tick", "ticks", "ticks", "ticks", "COALESCE(begin_ts, end_ts)", NULL,
     "CASE rendered WHEN 1 THEN 'rendered' ELSE 'plain' END", NULL, 0, 1, 0,
     {{"duration", "CASE WHEN (flags & 5) = 0 THEN end_ts - begin_ts END"}}},
};
const size_t rtt_nkinds = sizeof(rtt_kinds) / sizeof(rtt_kinds[0]);

const rtt_kind_t *rtt_kind_find(const char *name)
{
    for (size_t i = 0; i < rtt_nkinds; i++)
        if (!strcmp(rtt_kinds[i].name, name))
            return &rtt_kinds[i];
    return NULL;
}

/* --- grouped collection -------------------------------------------------- */

static uint64_t key_hash(int type, int64_t i, const unsigned char *s)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)type;
    if (type == SQLITE_INTEGER) {
        h ^= (uint64_t)i;
        h *= 1099511628211ULL;
    } else if (s) {
        for (; *s; s++) {
            h ^= *s;
            h *= 1099511628211ULL;
        }
    }
    return h ^ (h >> 29);
}

static int key_eq(const rtt_series_t *g, int type, int64_t i, const char *s)
{
    if (g->key_type != type)
        return 0;
    if (type == SQLITE_INTEGER)
        return g->key_i == i;
    if (type == SQLITE_TEXT)
        return !strcmp(g->key_s, s);
    return 1;
}

static int rehash(rtt_groups_t *gs)
{
    size_t n = gs->nslots ? gs->nslots * 2 : 64;
    size_t *slot = calloc(n, sizeof(size_t));
    if (!slot)
        return -1;
    for (size_t k = 0; k < gs->n; k++) {
        rtt_series_t *g = &gs->g[k];
        uint64_t h = key_hash(g->key_type, g->key_i, (const unsigned char *)g->key_s);
        size_t j = h & (n - 1);
        while (slot[j])
            j = (j + 1) & (n - 1);
        slot[j] = k + 1;
    }
    free(gs->slot);
    gs->slot = slot;
    gs->nslots = n;
    return 0;
}

/* The series for a key, created if new. NULL if out of memory. */
static rtt_series_t *series_for(rtt_groups_t *gs, int type, int64_t i, const char *s)
{
    if ((gs->n + 1) * 2 > gs->nslots && rehash(gs))
        return NULL;
    uint64_t h = key_hash(type, i, (const unsigned char *)s);
    size_t j = h & (gs->nslots - 1);
    while (gs->slot[j]) {
        rtt_series_t *g = &gs->g[gs->slot[j] - 1];
        if (key_eq(g, type, i, s))
            return g;
        j = (j + 1) & (gs->nslots - 1);
    }
    if (gs->n == gs->cap) {
        size_t cap = gs->cap ? gs->cap * 2 : 8;
        rtt_series_t *g = realloc(gs->g, cap * sizeof(rtt_series_t));
        if (!g)
            return NULL;
        gs->g = g;
        gs->cap = cap;
    }
    rtt_series_t *g = &gs->g[gs->n];
    memset(g, 0, sizeof(*g));
    g->key_type = type;
    g->key_i = i;
    if (type == SQLITE_TEXT) {
        size_t n = strlen(s) + 1;
        if (!(g->key_s = malloc(n)))
            return NULL;
        memcpy(g->key_s, s, n);
    }
    gs->slot[j] = ++gs->n;
    return g;
}

static int push(rtt_series_t *g, int m, int64_t v)
{
    if (g->n[m] == g->cap[m]) {
        size_t cap = g->cap[m] ? g->cap[m] * 2 : 1024;
        int64_t *p = realloc(g->v[m], cap * sizeof(int64_t));
        if (!p)
            return -1;
        g->v[m] = p;
        g->cap[m] = cap;
    }
    g->v[m][g->n[m]++] = v;
    return 0;
}

static int cmp_series(const void *a, const void *b)
{
    const rtt_series_t *x = a, *y = b;
    static const int rank[] = {[SQLITE_INTEGER] = 0, [SQLITE_TEXT] = 1, [SQLITE_NULL] = 2};
    if (x->key_type != y->key_type)
        return rank[x->key_type] - rank[y->key_type];
    if (x->key_type == SQLITE_INTEGER)
        return (x->key_i > y->key_i) - (x->key_i < y->key_i);
    if (x->key_type == SQLITE_TEXT)
        return strcmp(x->key_s, y->key_s);
    return 0;
}

int rtt_kind_collect(sqlite3 *db, const rtt_kind_t *k, const char *group_expr,
                     int need_join, const rtt_window_t *w, const char *const *sums,
                     rtt_groups_t *out, char *err, size_t errlen)
{
    int nsums = 0;
    while (sums && sums[nsums] && nsums < RTT_MAX_SUMS)
        nsums++;
    char sql[2048];
    size_t len = (size_t)snprintf(sql, sizeof sql, "SELECT %s",
                                  group_expr ? group_expr : "NULL");
    for (int m = 0; m < k->nmeasures; m++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, ", %s", k->m[m].expr);
    for (int i = 0; i < nsums; i++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, ", %s", sums[i]);
    len += (size_t)snprintf(sql + len, sizeof sql - len, " FROM %s",
                            need_join ? k->from_join : k->from);
    if (w && w->active)
        snprintf(sql + len, sizeof sql - len, " WHERE %s >= ?1 AND %s < ?2", k->anchor,
                 k->anchor);

    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        return -1;
    }
    if (w && w->active) {
        sqlite3_bind_int64(st, 1, w->lo);
        sqlite3_bind_int64(st, 2, w->hi);
    }
    int rc;
    rtt_series_t *only = NULL;
    if (!group_expr && !(only = series_for(out, SQLITE_NULL, 0, NULL)))
        goto oom;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rtt_series_t *g = only;
        if (!g) {
            int t = sqlite3_column_type(st, 0);
            if (t == SQLITE_FLOAT)
                t = SQLITE_INTEGER;
            else if (t == SQLITE_BLOB)
                t = SQLITE_TEXT;
            const char *txt = NULL;
            if (t == SQLITE_TEXT && !(txt = (const char *)sqlite3_column_text(st, 0)))
                txt = "";
            g = series_for(out, t, t == SQLITE_INTEGER ? sqlite3_column_int64(st, 0) : 0,
                           txt);
            if (!g)
                goto oom;
        }
        g->rows++;
        for (int i = 0; i < nsums; i++)
            g->sums[i] += sqlite3_column_int64(st, 1 + k->nmeasures + i);
        for (int m = 0; m < k->nmeasures; m++) {
            if (sqlite3_column_type(st, 1 + m) == SQLITE_NULL)
                g->excluded[m]++;
            else if (push(g, m, sqlite3_column_int64(st, 1 + m)))
                goto oom;
        }
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        rtt_groups_free(out);
        return -1;
    }
    sqlite3_finalize(st);
    free(out->slot); /* order by key; the hash is no longer valid */
    out->slot = NULL;
    out->nslots = 0;
    if (out->n > 1)
        qsort(out->g, out->n, sizeof(rtt_series_t), cmp_series);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    sqlite3_finalize(st);
    rtt_groups_free(out);
    return -1;
}

void rtt_groups_free(rtt_groups_t *gs)
{
    for (size_t k = 0; k < gs->n; k++) {
        for (int m = 0; m < RTT_MAX_MEASURES; m++)
            free(gs->g[k].v[m]);
        free(gs->g[k].key_s);
    }
    free(gs->g);
    free(gs->slot);
    memset(gs, 0, sizeof(*gs));
}

int rtt_parse_count(const rtt_qopts_t *o, const char *arg, int64_t *n)
{
    char *end;
    long long v = strtoll(arg, &end, 10);
    if (!*arg || *end || v < 0 || v > 1000000) {
        rtt_qerr(o, "bad -n '%s': expected a count from 0 to 1000000", arg);
        return -1;
    }
    *n = (int64_t)v;
    return 0;
}
