/* format.c - the CLI's table / json / csv writers for query results
 * (result.h), the human number formats, and a small streaming JSON emitter
 * (see format.h).
 *
 * Cost: writing is O(cells). Table format formats every cell twice (once to
 * measure column widths, once to print); results are small (hundreds of
 * rows), except `sql`, where that is still linear.
 */
#include "format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Every format --format names; markdown last: only some commands offer it. */
static const struct {
    const char *name;
    rtt_format_t fmt;
} formats[] = {{"table", RTT_FMT_TABLE},
               {"json", RTT_FMT_JSON},
               {"csv", RTT_FMT_CSV},
               {"markdown", RTT_FMT_MARKDOWN}};

#define NFORMATS (sizeof formats / sizeof formats[0])

static int parse_among(const char *s, size_t n, rtt_format_t *out)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(s, formats[i].name)) {
            *out = formats[i].fmt;
            return 0;
        }
    return -1;
}

int rtt_format_parse(const char *s, rtt_format_t *out)
{
    return parse_among(s, NFORMATS - 1, out);
}

int rtt_format_parse_md(const char *s, rtt_format_t *out)
{
    return parse_among(s, NFORMATS, out);
}

const char *rtt_format_choices(int markdown)
{
    static char text[2][64];
    char *b = text[markdown != 0];
    size_t n = markdown ? NFORMATS : NFORMATS - 1;
    if (!b[0])
        for (size_t i = 0, len = 0; i < n; i++)
            len += (size_t)snprintf(b + len, sizeof text[0] - len, "%s%s",
                                    i == 0 ? "" : i + 1 < n ? ", " : " or ",
                                    formats[i].name);
    return b;
}

/* Cell as text for table (human) or json/csv (raw). NULL for null cells. */
const char *rtt_cell_text(const rtt_cell_t *c, rtt_unit_t unit, int human, char *buf,
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
            rtt_fmt_decimals(buf, len, c->u.f); /* up to 3 decimals, no exponent */
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

static void json_row(FILE *f, const rtt_section_t *s, size_t r, const char *indent)
{
    char buf[64];
    fputc('{', f);
    for (size_t c = 0; c < s->ncols; c++) {
        const rtt_cell_t *cell = &s->cells[r * s->ncols + c];
        fprintf(f, "%s\n%s  ", c ? "," : "", indent);
        json_string(f, s->cols[c].name);
        fputs(": ", f);
        if (cell->type == CELL_TEXT)
            json_string(f, cell->u.s);
        else if (cell->type == CELL_NULL)
            fputs("null", f);
        else
            fputs(rtt_cell_text(cell, s->cols[c].unit, 0, buf, sizeof buf), f);
    }
    fprintf(f, "\n%s}", indent);
}

static void write_json_section(FILE *f, const rtt_section_t *s, const char *indent)
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
        const rtt_section_t *s = &o->secs[i];
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
                csv_field(f, rtt_cell_text(&s->cells[r * s->ncols + c], s->cols[c].unit, 0,
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

static void write_table_section(const rtt_section_t *s, FILE *f, int titled)
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
                nrows ? rtt_cell_text(&s->cells[c], s->cols[c].unit, 1, buf, sizeof buf) : NULL;
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
            const rtt_cell_t *cell = &s->cells[r * s->ncols + c];
            const char *v = rtt_cell_text(cell, s->cols[c].unit, 1, buf, sizeof buf);
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
                rtt_cell_text(&s->cells[r * s->ncols + c], s->cols[c].unit, 1, buf, sizeof buf);
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
    case RTT_FMT_MARKDOWN:
        rtt_out_write_markdown(o, f);
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
