/* highlight.c - re-highlighting: a tokenizer that walks the buffer from
 * where it last stopped, counting tokens per class, for exactly the CPU time
 * the key asked for (0.1-5 ms, times --slow highlight=F). Cost of one work
 * unit: 64 characters. */
#include "highlight.h"

#include "spin.h"

extern editor_t *g_editor;

uint8_t hl_class(char c)
{
    if (c == ' ' || c == '\n' || c == '\t')
        return 0;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return 1;
    if (c >= '0' && c <= '9')
        return 2;
    return 3;
}

static void tokenize_some(void *ctx)
{
    editor_t *ed = ctx;
    size_t n = buf_len(&ed->buf);
    if (!n)
        return;
    uint8_t prev = 0;
    for (int i = 0; i < 64; i++) {
        if (ed->hl_pos >= n)
            ed->hl_pos = 0;
        uint8_t c = hl_class(buf_char(&ed->buf, ed->hl_pos++));
        if (c != prev)
            ed->hl_tokens[c]++;
        prev = c;
    }
}

static int highlight_task(void *arg)
{
    editor_t *ed = g_editor;
    uint64_t cost = (uint64_t)(uintptr_t)arg * 1000u;
    uint64_t t0 = ed_now_ns();
    ed->hl_pos = buf_line_start(&ed->buf, ed->buf.cursor);
    ed_spin(knob_cost(&ed->knobs, KNOB_HIGHLIGHT, cost), tokenize_some, ed);
    ed->highlights++;
    ed->highlight_ns += ed_now_ns() - t0;
    rtk_render_request(ed->rt);
    return 0;
}

int hl_schedule(editor_t *ed, unsigned cost_us)
{
    rtk_task_desc_t d;
    rtk_task_desc_init(&d, highlight_task, (void *)(uintptr_t)cost_us);
    d.priority = RTK_PRIORITY_LOW;
    d.name = "highlight";
    return rtk_submit(ed->rt, &d, NULL);
}
