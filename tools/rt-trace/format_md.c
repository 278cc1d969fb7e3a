/* format_md.c - results as Markdown (GitHub pipe tables) for a pull-request
 * comment: one "### section" heading per section, human units, '|' and line
 * breaks in cells escaped. O(cells). */
#include "format.h"

static void md_cell(FILE *f, const char *s)
{
    fputc(' ', f);
    if (!s) {
        fputc('-', f);
    } else {
        for (; *s; s++) {
            if (*s == '|')
                fputs("\\|", f);
            else if (*s == '\n' || *s == '\r')
                fputc(' ', f);
            else
                fputc(*s, f);
        }
    }
    fputs(" |", f);
}

static void md_record(FILE *f, const rtt_section_t *s)
{
    char buf[96];
    fputs("| field | value |\n|---|---|\n", f);
    for (size_t c = 0; c < s->ncols && c < s->ncells; c++) {
        fputc('|', f);
        md_cell(f, s->cols[c].name);
        md_cell(f, rtt_cell_text(&s->cells[c], s->cols[c].unit, 1, buf, sizeof buf));
        fputc('\n', f);
    }
}

static void md_rows(FILE *f, const rtt_section_t *s)
{
    char buf[96];
    fputc('|', f);
    for (size_t c = 0; c < s->ncols; c++)
        md_cell(f, s->cols[c].name);
    fputs("\n|", f);
    for (size_t c = 0; c < s->ncols; c++)
        fputs("---|", f);
    fputc('\n', f);
    for (size_t i = 0; s->ncols && i < s->ncells; i += s->ncols) {
        fputc('|', f);
        for (size_t c = 0; c < s->ncols; c++)
            md_cell(f, rtt_cell_text(&s->cells[i + c], s->cols[c].unit, 1, buf,
                                     sizeof buf));
        fputc('\n', f);
    }
}

void rtt_out_write_markdown(const rtt_out_t *o, FILE *f)
{
    for (size_t i = 0; i < o->nsecs; i++) {
        const rtt_section_t *s = &o->secs[i];
        if (!s->record && s->ncells == 0)
            continue; /* an empty list says nothing in a comment */
        fprintf(f, "%s### %s\n\n", i ? "\n" : "", s->name);
        if (s->record)
            md_record(f, s);
        else
            md_rows(f, s);
    }
}
