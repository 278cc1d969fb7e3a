/* output.c - table / json / csv writer for query results (see output.h).
 *
 * Cost: cells are buffered in per-section arrays (amortised O(1) append);
 * writing is O(cells). Table format formats every cell twice (once to
 * measure column widths, once to print); results are small (hundreds of
 * rows), except `sql`, where that is still linear.
 */
#include "output.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum cell_type { CELL_NULL, CELL_INT, CELL_FLOAT, CELL_TEXT };

typedef struct cell {
    int type;
    union {
        int64_t i;
        double f;
        char *s;
    } u;
} cell_t;

typedef struct column {
    char *name;
    rtt_unit_t unit;
} column_t;

typedef struct section {
    char *name;
    int record;
    column_t *cols;
    size_t ncols, capcols;
    cell_t *cells; /* row-major, nrows * ncols */
    size_t ncells, capcells;
} section_t;

struct rtt_out {
    section_t *secs;
    size_t nsecs, capsecs;
    int oom;
};

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

int rtt_format_parse(const char *s, rtt_format_t *out)
{
    if (!strcmp(s, "table"))
        *out = RTT_FMT_TABLE;
    else if (!strcmp(s, "json"))
        *out = RTT_FMT_JSON;
    else if (!strcmp(s, "csv"))
        *out = RTT_FMT_CSV;
    else
        return -1;
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
        section_t *s = &o->secs[i];
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

static section_t *cur(rtt_out_t *o)
{
    return o->nsecs ? &o->secs[o->nsecs - 1] : NULL;
}

void rtt_out_section(rtt_out_t *o, const char *name, int record)
{
    if (grow((void **)&o->secs, &o->capsecs, o->nsecs + 1, sizeof(section_t))) {
        o->oom = 1;
        return;
    }
    section_t *s = &o->secs[o->nsecs++];
    memset(s, 0, sizeof(*s));
    s->name = dupstr(name);
    s->record = record;
    if (!s->name)
        o->oom = 1;
}

void rtt_out_column(rtt_out_t *o, const char *name, rtt_unit_t unit)
{
    section_t *s = cur(o);
    if (!s || grow((void **)&s->cols, &s->capcols, s->ncols + 1, sizeof(column_t))) {
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
    section_t *s = cur(o);
    if (!s || !s->ncols)
        return;
    while (s->ncells % s->ncols)
        rtt_out_null(o);
}

static cell_t *add_cell(rtt_out_t *o)
{
    section_t *s = cur(o);
    if (!s || grow((void **)&s->cells, &s->capcells, s->ncells + 1, sizeof(cell_t))) {
        o->oom = 1;
        return NULL;
    }
    return &s->cells[s->ncells++];
}

void rtt_out_int(rtt_out_t *o, int64_t v)
{
    cell_t *c = add_cell(o);
    if (c) {
        c->type = CELL_INT;
        c->u.i = v;
    }
}

void rtt_out_float(rtt_out_t *o, double v)
{
    cell_t *c = add_cell(o);
    if (c) {
        c->type = isfinite(v) ? CELL_FLOAT : CELL_NULL;
        c->u.f = v;
    }
}

void rtt_out_text(rtt_out_t *o, const char *s)
{
    cell_t *c = add_cell(o);
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
    cell_t *c = add_cell(o);
    if (c)
        c->type = CELL_NULL;
}

/* --- number formatting --------------------------------------------------- */

/* v with 3 decimals, trailing zeros (and a bare '.') removed. */
static void trimmed(char *buf, size_t len, double v)
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
    trimmed(buf, len, v); /* large: ns values, 3 decimals suffice */
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

/* Cell as text for table (human) or json/csv (raw). NULL for null cells. */
static const char *cell_str(const cell_t *c, rtt_unit_t unit, int human, char *buf,
                            size_t len)
{
    switch (c->type) {
    case CELL_TEXT:
        return c->u.s;
    case CELL_INT:
        if (human && unit == RTT_UNIT_NS)
            rtt_fmt_duration(buf, len, (double)c->u.i);
        else if (human && unit == RTT_UNIT_RATIO)
            snprintf(buf, len, "%.2f %%", 100.0 * (double)c->u.i);
        else
            snprintf(buf, len, "%lld", (long long)c->u.i);
        return buf;
    case CELL_FLOAT:
        if (human && unit == RTT_UNIT_NS)
            rtt_fmt_duration(buf, len, c->u.f);
        else if (unit == RTT_UNIT_NS) /* whole ns: finer is noise */
            snprintf(buf, len, "%lld", (long long)llround(c->u.f));
        else if (human && unit == RTT_UNIT_RATIO)
            snprintf(buf, len, "%.2f %%", 100.0 * c->u.f);
        else if (human && fabs(c->u.f) < 1)
            snprintf(buf, len, "%.4g", c->u.f);
        else if (human)
            trimmed(buf, len, c->u.f); /* up to 3 decimals, no exponent */
        else
            rtt_fmt_number(buf, len, c->u.f);
        return buf;
    default:
        return NULL;
    }
}

/* --- writers ------------------------------------------------------------- */

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void json_row(FILE *f, const section_t *s, size_t r, const char *indent)
{
    char buf[64];
    fputc('{', f);
    for (size_t c = 0; c < s->ncols; c++) {
        const cell_t *cell = &s->cells[r * s->ncols + c];
        fprintf(f, "%s\n%s  ", c ? "," : "", indent);
        json_string(f, s->cols[c].name);
        fputs(": ", f);
        if (cell->type == CELL_TEXT)
            json_string(f, cell->u.s);
        else if (cell->type == CELL_NULL)
            fputs("null", f);
        else
            fputs(cell_str(cell, s->cols[c].unit, 0, buf, sizeof buf), f);
    }
    fprintf(f, "\n%s}", indent);
}

static void write_json_section(FILE *f, const section_t *s, const char *indent)
{
    size_t nrows = s->ncols ? s->ncells / s->ncols : 0;
    if (s->record) {
        if (nrows)
            json_row(f, s, 0, indent);
        else
            fputs("{}", f);
        return;
    }
    if (!nrows) {
        fputs("[]", f);
        return;
    }
    char inner[32];
    snprintf(inner, sizeof inner, "%s  ", indent);
    fputc('[', f);
    for (size_t r = 0; r < nrows; r++) {
        fprintf(f, "%s\n%s", r ? "," : "", inner);
        json_row(f, s, r, inner);
    }
    fprintf(f, "\n%s]", indent);
}

static void write_json(rtt_out_t *o, FILE *f)
{
    if (o->nsecs == 1) {
        write_json_section(f, &o->secs[0], "");
        fputc('\n', f);
        return;
    }
    fputc('{', f);
    for (size_t i = 0; i < o->nsecs; i++) {
        fprintf(f, "%s\n  ", i ? "," : "");
        json_string(f, o->secs[i].name);
        fputs(": ", f);
        write_json_section(f, &o->secs[i], "  ");
    }
    fputs("\n}\n", f);
}

static void csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void write_csv(rtt_out_t *o, FILE *f)
{
    char buf[64];
    for (size_t i = 0; i < o->nsecs; i++) {
        const section_t *s = &o->secs[i];
        if (i)
            fputs("\r\n", f);
        for (size_t c = 0; c < s->ncols; c++) {
            if (c)
                fputc(',', f);
            csv_field(f, s->cols[c].name);
        }
        fputs("\r\n", f);
        size_t nrows = s->ncols ? s->ncells / s->ncols : 0;
        for (size_t r = 0; r < nrows; r++) {
            for (size_t c = 0; c < s->ncols; c++) {
                if (c)
                    fputc(',', f);
                csv_field(f, cell_str(&s->cells[r * s->ncols + c], s->cols[c].unit, 0,
                                      buf, sizeof buf));
            }
            fputs("\r\n", f);
        }
    }
}

static void pad(FILE *f, size_t n)
{
    while (n--)
        fputc(' ', f);
}

static void write_table_section(const section_t *s, FILE *f, int titled)
{
    char buf[64];
    size_t nrows = s->ncols ? s->ncells / s->ncols : 0;
    if (titled)
        fprintf(f, "%s:\n", s->name);
    if (s->record) { /* key  value lines */
        size_t w = 0;
        for (size_t c = 0; c < s->ncols; c++)
            if (strlen(s->cols[c].name) > w)
                w = strlen(s->cols[c].name);
        for (size_t c = 0; c < s->ncols; c++) {
            const char *v =
                nrows ? cell_str(&s->cells[c], s->cols[c].unit, 1, buf, sizeof buf) : NULL;
            fprintf(f, "%s%s", titled ? "  " : "", s->cols[c].name);
            pad(f, w - strlen(s->cols[c].name) + 2);
            fprintf(f, "%s\n", v ? v : "-");
        }
        return;
    }
    size_t *w = calloc(s->ncols ? s->ncols : 1, sizeof(size_t));
    int *right = calloc(s->ncols ? s->ncols : 1, sizeof(int));
    if (!w || !right) {
        free(w);
        free(right);
        return;
    }
    for (size_t c = 0; c < s->ncols; c++)
        w[c] = strlen(s->cols[c].name);
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < s->ncols; c++) {
            const cell_t *cell = &s->cells[r * s->ncols + c];
            const char *v = cell_str(cell, s->cols[c].unit, 1, buf, sizeof buf);
            size_t n = v ? strlen(v) : 1;
            if (n > w[c])
                w[c] = n;
            if (cell->type == CELL_INT || cell->type == CELL_FLOAT)
                right[c] = 1;
        }
    for (size_t c = 0; c < s->ncols; c++) {
        size_t n = strlen(s->cols[c].name);
        if (titled && c == 0)
            fputs("  ", f);
        if (right[c])
            pad(f, w[c] - n);
        fputs(s->cols[c].name, f);
        if (c + 1 < s->ncols)
            pad(f, (right[c] ? 0 : w[c] - n) + 2);
    }
    fputc('\n', f);
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < s->ncols; c++) {
            const char *v =
                cell_str(&s->cells[r * s->ncols + c], s->cols[c].unit, 1, buf, sizeof buf);
            if (!v)
                v = "-";
            size_t n = strlen(v);
            if (titled && c == 0)
                fputs("  ", f);
            if (right[c])
                pad(f, w[c] - n);
            fputs(v, f);
            if (c + 1 < s->ncols)
                pad(f, (right[c] ? 0 : w[c] - n) + 2);
        }
        fputc('\n', f);
    }
    if (!nrows)
        fprintf(f, "%s(no rows)\n", titled ? "  " : "");
    free(w);
    free(right);
}

int rtt_out_write(rtt_out_t *o, rtt_format_t fmt, FILE *f)
{
    if (o->oom)
        return -1;
    rtt_out_row(o); /* pad the last row of the last section */
    switch (fmt) {
    case RTT_FMT_JSON:
        write_json(o, f);
        break;
    case RTT_FMT_CSV:
        write_csv(o, f);
        break;
    default:
        for (size_t i = 0; i < o->nsecs; i++) {
            if (i)
                fputc('\n', f);
            write_table_section(&o->secs[i], f, o->nsecs > 1);
        }
    }
    return (fflush(f) || ferror(f)) ? -1 : 0;
}

/* --- streaming JSON ------------------------------------------------------ */

void rtt_json_init(rtt_json_t *j, FILE *f)
{
    memset(j, 0, sizeof(*j));
    j->f = f;
    j->first[0] = 1;
}

static void json_member(rtt_json_t *j, const char *key)
{
    if (j->depth > 0) {
        fputs(j->first[j->depth] ? "\n" : ",\n", j->f);
        pad(j->f, (size_t)j->depth * 2);
    }
    j->first[j->depth] = 0;
    if (key) {
        json_string(j->f, key);
        fputs(": ", j->f);
    }
}

static void json_open(rtt_json_t *j, const char *key, char ch)
{
    json_member(j, key);
    fputc(ch, j->f);
    if (j->depth + 1 < RTT_JSON_MAX_DEPTH)
        j->depth++;
    j->first[j->depth] = 1;
}

static void json_close(rtt_json_t *j, char ch)
{
    int empty = j->first[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (!empty) {
        fputc('\n', j->f);
        pad(j->f, (size_t)j->depth * 2);
    }
    fputc(ch, j->f);
}

void rtt_json_begin_object(rtt_json_t *j, const char *key) { json_open(j, key, '{'); }
void rtt_json_end_object(rtt_json_t *j) { json_close(j, '}'); }
void rtt_json_begin_array(rtt_json_t *j, const char *key) { json_open(j, key, '['); }
void rtt_json_end_array(rtt_json_t *j) { json_close(j, ']'); }

void rtt_json_int(rtt_json_t *j, const char *key, int64_t v)
{
    json_member(j, key);
    fprintf(j->f, "%lld", (long long)v);
}

void rtt_json_float(rtt_json_t *j, const char *key, double v)
{
    char buf[64];
    json_member(j, key);
    rtt_fmt_number(buf, sizeof buf, v);
    fputs(buf, j->f);
}

void rtt_json_ns(rtt_json_t *j, const char *key, double v)
{
    json_member(j, key);
    if (isfinite(v))
        fprintf(j->f, "%lld", (long long)llround(v));
    else
        fputs("null", j->f);
}

void rtt_json_text(rtt_json_t *j, const char *key, const char *s)
{
    json_member(j, key);
    if (s)
        json_string(j->f, s);
    else
        fputs("null", j->f);
}

void rtt_json_null(rtt_json_t *j, const char *key)
{
    json_member(j, key);
    fputs("null", j->f);
}

void rtt_json_finish(rtt_json_t *j)
{
    fputc('\n', j->f);
}
