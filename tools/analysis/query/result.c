/* result.c - building the typed query result (see result.h).
 *
 * Cost: cells are buffered in per-section arrays (amortised O(1) append).
 */
#include "result.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Grow *p (elements of size sz) so that it holds at least need elements. */
static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

rtt_out_t *rtt_out_new(void)
{
    return calloc(1, sizeof(rtt_out_t));
}

void rtt_out_free(rtt_out_t *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nsecs; i++) {
        rtt_section_t *s = &o->secs[i];
        for (size_t c = 0; c < s->ncols; c++)
            free(s->cols[c].name);
        for (size_t c = 0; c < s->ncells; c++)
            if (s->cells[c].type == CELL_TEXT)
                free(s->cells[c].u.s);
        free(s->cols);
        free(s->cells);
        free(s->name);
    }
    free(o->secs);
    free(o);
}

static rtt_section_t *cur(rtt_out_t *o)
{
    return o->nsecs ? &o->secs[o->nsecs - 1] : NULL;
}

void rtt_out_section(rtt_out_t *o, const char *name, int record)
{
    if (grow((void **)&o->secs, &o->capsecs, o->nsecs + 1, sizeof(rtt_section_t))) {
        o->oom = 1;
        return;
    }
    rtt_section_t *s = &o->secs[o->nsecs++];
    memset(s, 0, sizeof(*s));
    s->name = dupstr(name);
    s->record = record;
    if (!s->name)
        o->oom = 1;
}

void rtt_out_column(rtt_out_t *o, const char *name, rtt_unit_t unit)
{
    rtt_section_t *s = cur(o);
    if (!s || grow((void **)&s->cols, &s->capcols, s->ncols + 1, sizeof(rtt_column_t))) {
        o->oom = 1;
        return;
    }
    s->cols[s->ncols].name = dupstr(name);
    s->cols[s->ncols].unit = unit;
    if (!s->cols[s->ncols].name)
        o->oom = 1;
    s->ncols++;
}

void rtt_out_row(rtt_out_t *o)
{
    /* Rows are implicit: cells fill row-major. Pad a short previous row. */
    rtt_section_t *s = cur(o);
    if (!s || !s->ncols)
        return;
    while (s->ncells % s->ncols)
        rtt_out_null(o);
}

static rtt_cell_t *add_cell(rtt_out_t *o)
{
    rtt_section_t *s = cur(o);
    if (!s || grow((void **)&s->cells, &s->capcells, s->ncells + 1, sizeof(rtt_cell_t))) {
        o->oom = 1;
        return NULL;
    }
    return &s->cells[s->ncells++];
}

void rtt_out_int(rtt_out_t *o, int64_t v)
{
    rtt_cell_t *c = add_cell(o);
    if (c) {
        c->type = CELL_INT;
        c->u.i = v;
    }
}

void rtt_out_float(rtt_out_t *o, double v)
{
    rtt_cell_t *c = add_cell(o);
    if (c) {
        c->type = isfinite(v) ? CELL_FLOAT : CELL_NULL;
        c->u.f = v;
    }
}

void rtt_out_text(rtt_out_t *o, const char *s)
{
    rtt_cell_t *c = add_cell(o);
    if (!c)
        return;
    c->type = CELL_NULL;
    if (s) {
        c->u.s = dupstr(s);
        if (c->u.s)
            c->type = CELL_TEXT;
        else
            o->oom = 1;
    }
}

void rtt_out_null(rtt_out_t *o)
{
    rtt_cell_t *c = add_cell(o);
    if (c)
        c->type = CELL_NULL;
}

/* --- number formatting --------------------------------------------------- */

/* v with 3 decimals, trailing zeros (and a bare '.') removed. */
void rtt_fmt_decimals(char *buf, size_t len, double v)
{
    snprintf(buf, len, "%.3f", v);
    if (!strchr(buf, '.'))
        return;
    char *e = buf + strlen(buf) - 1;
    while (e > buf && *e == '0')
        *e-- = '\0';
    if (*e == '.')
        *e = '\0';
}

void rtt_fmt_number(char *buf, size_t len, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, len, "null");
        return;
    }
    if (v == floor(v) && fabs(v) < 9.2e18) {
        snprintf(buf, len, "%lld", (long long)v);
        return;
    }
    if (fabs(v) < 1e9) { /* 15 significant digits: no exponent above 1e-5 */
        snprintf(buf, len, "%.15g", v);
        return;
    }
    rtt_fmt_decimals(buf, len, v); /* large: ns values, 3 decimals suffice */
}

void rtt_fmt_duration(char *buf, size_t len, double ns)
{
    static const struct {
        const char *name;
        double scale;
    } units[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
    double a = fabs(ns);
    size_t u = 0;
    while (u + 1 < sizeof(units) / sizeof(units[0]) && a / units[u].scale >= 999.5)
        u++;
    double v = ns / units[u].scale, av = fabs(v);
    if (u == 0)
        snprintf(buf, len, "%.0f ns", v);
    else if (av < 9.995)
        snprintf(buf, len, "%.2f %s", v, units[u].name);
    else if (av < 99.95)
        snprintf(buf, len, "%.1f %s", v, units[u].name);
    else
        snprintf(buf, len, "%.0f %s", v, units[u].name);
}
