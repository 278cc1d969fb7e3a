/* args.c - option parsing, database opening and result writing shared by
 * the query subcommands (see args.h). */
#include "args.h"

#include "db.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int rtt_opt_long(const char *a, const char *lng, int has_arg, const char **val)
{
    size_t n = strlen(lng);
    if (a[0] != '-' || a[1] != '-' || strncmp(a + 2, lng, n))
        return 0;
    if (a[2 + n] == '\0') {
        *val = NULL;
        return 1;
    }
    if (a[2 + n] == '=' && has_arg) {
        *val = a + 3 + n;
        return 1;
    }
    return 0;
}

/* Find argument a among specs; *val gets an inline "=value". */
static const rtt_qopt_spec_t *match(const rtt_qopt_spec_t *specs, const char *a,
                                    const char **val)
{
    for (; specs && specs->lng; specs++) {
        if (a[1] == '-') {
            if (rtt_opt_long(a, specs->lng, specs->has_arg, val))
                return specs;
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
        case OPT_FORMAT: {
            int md = (accept & RTT_Q_MARKDOWN) != 0;
            if (md ? rtt_format_parse_md(val, &o->format)
                   : rtt_format_parse(val, &o->format)) {
                rtt_qerr(o, "bad --format '%s': expected %s", val, rtt_format_choices(md));
                return 2;
            }
            break;
        }
        case OPT_FROM:
        case OPT_TO: {
            int64_t ns;
            if (rtt_parse_duration(val, &ns)) {
                rtt_qerr(o, "bad --%s '%s': expected a time from the trace start, "
                            "e.g. 1.5s, 200ms or ns", sp->lng, val);
                return 2;
            }
            if (sp->id == OPT_FROM) {
                o->span.has_from = 1;
                o->span.from_ns = ns;
            } else {
                o->span.has_to = 1;
                o->span.to_ns = ns;
            }
            break;
        }
        }
    }
    if (o->npos < min_pos) {
        rtt_qerr(o, "missing %s argument (see --help)", o->npos == 0 ? "DB" : "SQL");
        return 2;
    }
    if (o->span.has_from && o->span.has_to && o->span.to_ns <= o->span.from_ns) {
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
    /* Damage worked around at ingest qualifies every result, as tracer
     * loss does: said once, on stderr, whatever the format. */
    int64_t n[2] = {0, 0};
    if (rtt_sql_ints(*db, "SELECT COUNT(*), SUM(bytes) FROM ingest_issues", n, 2) == 0 &&
        n[0] > 0)
        rtt_qerr(o,
                 "warning: %s: %lld stream file%s damaged or skipped at ingest, "
                 "%lld bytes not read: the results miss what they held (see "
                 "the ingest_issues table)",
                 o->pos[0], (long long)n[0], n[0] == 1 ? " was" : "s were",
                 (long long)n[1]);
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

int rtt_parse_pow2_size(const char *s, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9') /* no blank, no sign (strtoull takes both) */
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    int shift = 0;
    if (*end == 'k' || *end == 'K')
        shift = 10, end++;
    else if (*end == 'm' || *end == 'M')
        shift = 20, end++;
    if (*end || v == 0 || (v & (v - 1)) != 0 || v > (UINT64_MAX >> shift))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
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

int rtt_qfail(const rtt_qopts_t *o, const char *err)
{
    rtt_qerr(o, "%s: %s", err, o->pos[0]);
    return 1;
}

int rtt_qrun_db(const rtt_qopts_t *o, sqlite3 *db, rtt_query_ctx_fn fn, void *ctx)
{
    rtt_out_t *out = NULL;
    char err[512] = "";
    int rc = fn(db, ctx, &out, err, sizeof err);
    sqlite3_close(db);
    if (rc)
        return rtt_qfail(o, err);
    return rtt_qwrite(o, out);
}

int rtt_qrun_with(const rtt_qopts_t *o, rtt_query_ctx_fn fn, void *ctx)
{
    sqlite3 *db;
    if (rtt_qopen(o, &db))
        return 1;
    return rtt_qrun_db(o, db, fn, ctx);
}

static int run_plain(sqlite3 *db, void *ctx, rtt_out_t **out, char *err, size_t errlen)
{
    rtt_query_fn fn = *(rtt_query_fn *)ctx;
    return fn(db, out, err, errlen);
}

int rtt_qrun(const rtt_qopts_t *o, rtt_query_fn fn)
{
    return rtt_qrun_with(o, run_plain, &fn);
}
