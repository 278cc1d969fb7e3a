/* findings.c - the lint result: appending findings, freeing them, counting
 * by severity, and the result as an rtt_out_t (section "findings") for the
 * front-ends' table/JSON/CSV. Cost: amortised O(1) per finding; the
 * rtt_out_t is O(findings).
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const severity_names[] = {"info", "warning", "error"};

const char *rtt_lint_severity_name(int severity)
{
    return severity >= 0 && severity <= 2 ? severity_names[severity] : "?";
}

int rtt_lint_severity_parse(const char *s, int *severity)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, severity_names[i])) {
            *severity = i;
            return 0;
        }
    return -1;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

rtt_lint_finding_t *rtt_lint_add(rtt_lint_ctx_t *ctx, int rule, int severity,
                                 int64_t proc, int64_t id, const char *name,
                                 int64_t ts, int64_t end_ts, int64_t value,
                                 int64_t limit, const char *unit, const char *fmt, ...)
{
    rtt_lint_result_t *r = ctx->out;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        rtt_lint_finding_t *f = realloc(r->f, cap * sizeof *f);
        if (!f)
            goto oom;
        r->f = f;
        r->cap = cap;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rtt_lint_finding_t *f = &r->f[r->n];
    memset(f, 0, sizeof *f);
    f->message = strdup(msg);
    f->name = dup_or_null(name);
    if (!f->message || (name && !f->name)) {
        free(f->message);
        free(f->name);
        goto oom;
    }
    f->rule = rule;
    f->severity = severity;
    f->proc = proc;
    f->id = id;
    f->ts = ts;
    f->end_ts = end_ts;
    f->value = value;
    f->limit = limit;
    f->unit = unit;
    f->count = 1;
    r->n++;
    r->counted[severity]++;
    return f;
oom:
    snprintf(ctx->err, ctx->errlen, "out of memory");
    return NULL;
}

int rtt_lint_sqlerr(rtt_lint_ctx_t *ctx, const char *what)
{
    snprintf(ctx->err, ctx->errlen, "%s: %s", what, sqlite3_errmsg(ctx->db));
    return -1;
}

const char *rtt_lint_dur(char *buf, size_t len, int64_t ns)
{
    rtt_fmt_duration(buf, len, (double)ns);
    return buf;
}

void rtt_lint_result_free(rtt_lint_result_t *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->f[i].message);
        free(r->f[i].name);
        free(r->f[i].cause_head);
    }
    free(r->f);
    memset(r, 0, sizeof *r);
}

size_t rtt_lint_count_at_least(const rtt_lint_result_t *r, int severity)
{
    size_t n = 0;
    for (int s = severity < 0 ? 0 : severity; s <= 2; s++)
        n += (size_t)r->counted[s];
    return n;
}

static void int_or_null(rtt_out_t *o, int64_t v, int null_when_zero)
{
    if (null_when_zero && v == 0)
        rtt_out_null(o);
    else
        rtt_out_int(o, v);
}

rtt_out_t *rtt_lint_out(const rtt_lint_result_t *r)
{
    rtt_out_t *o = rtt_out_new();
    if (!o)
        return NULL;
    rtt_out_section(o, "findings", 0);
    static const char *const cols[] = {"rule", "severity", "proc", "id", "last_id",
                                       "name", "cause_head", "at", "duration",
                                       "value", "limit", "unit", "count", "message"};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        rtt_out_column(o, cols[c],
                       !strcmp(cols[c], "at") || !strcmp(cols[c], "duration")
                           ? RTT_UNIT_NS
                           : RTT_UNIT_PLAIN);
    for (size_t i = 0; i < r->n; i++) {
        const rtt_lint_finding_t *f = &r->f[i];
        rtt_out_row(o);
        rtt_out_text(o, rtt_lint_rule_name(f->rule));
        rtt_out_text(o, rtt_lint_severity_name(f->severity));
        int_or_null(o, f->proc, 1);
        int_or_null(o, f->id, 1);
        int_or_null(o, f->last_id, 1);
        rtt_out_text(o, f->name);
        rtt_out_text(o, f->cause_head);
        rtt_out_int(o, f->ts - r->start_ts);
        rtt_out_int(o, f->end_ts - f->ts);
        rtt_out_int(o, f->value);
        rtt_out_int(o, f->limit);
        rtt_out_text(o, f->unit);
        rtt_out_int(o, f->count);
        rtt_out_text(o, f->message);
    }
    if (o->oom) {
        rtt_out_free(o);
        return NULL;
    }
    return o;
}
