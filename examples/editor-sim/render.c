/* render.c - the frame: scroll so the cursor is visible, copy ED_ROWS lines
 * of ED_COLS cells with their token classes, mark the cursor, checksum the
 * result (standing in for the terminal write). A frame costs a few tens of
 * microseconds; the blink is O(1). */
#include "render.h"

#include <string.h>

#include "highlight.h"

/* Keep the cursor's line within the window: scan at most ED_ROWS lines
 * forward from the top; if it is not there, put it a third of the way
 * down. */
static void scroll(editor_t *ed)
{
    buffer_t *b = &ed->buf;
    size_t cur = buf_line_start(b, b->cursor);
    size_t top = ed->top_line_start;
    if (top > buf_len(b))
        top = 0;
    top = buf_line_start(b, top);
    if (cur >= top) {
        size_t p = top;
        for (int r = 0; r < ED_ROWS; r++) {
            if (p == cur) {
                ed->top_line_start = top;
                return;
            }
            size_t next = buf_line_end(b, p);
            if (next == p)
                break;
            p = next;
        }
    }
    size_t p = cur;
    for (int r = 0; r < ED_ROWS / 3 && p > 0; r++)
        p = buf_line_start(b, p - 1);
    ed->top_line_start = p;
}

void ed_render(rtk_runtime_t *rt, void *ud)
{
    (void)rt;
    editor_t *ed = ud;
    buffer_t *b = &ed->buf;
    scroll(ed);
    memset(ed->frame, ' ', sizeof ed->frame);
    memset(ed->attrs, 0, sizeof ed->attrs);
    size_t p = ed->top_line_start, n = buf_len(b);
    uint64_t h = 1469598103934665603ULL;
    for (int r = 0; r < ED_ROWS && p < n; r++) {
        size_t end = buf_line_end(b, p);
        for (int c = 0; p < end; p++, c++) {
            char ch = buf_char(b, p);
            if (c < ED_COLS && ch != '\n') {
                ed->frame[r][c] = ch;
                ed->attrs[r][c] = hl_class(ch);
            }
            if (p == b->cursor && ed->cursor_visible && c < ED_COLS)
                ed->attrs[r][c] |= 0x80;
        }
    }
    for (int r = 0; r < ED_ROWS; r++)
        for (int c = 0; c < ED_COLS; c++)
            h = (h ^ (uint8_t)ed->frame[r][c] ^ ((uint64_t)ed->attrs[r][c] << 8)) *
                1099511628211ULL;
    ed->frame_checksum = h ^ ed->diagnostics;
    ed->renders++;
}

static int blink_fire(void *arg)
{
    editor_t *ed = arg;
    ed->cursor_visible = !ed->cursor_visible;
    ed->blinks++;
    rtk_render_request(ed->rt);
    return 0;
}

int ed_blink_start(editor_t *ed)
{
    rtk_timer_desc_t d;
    rtk_timer_desc_init(&d, blink_fire, ed); /* NORMAL priority */
    d.delay_ns = ED_BLINK_NS;
    d.interval_ns = ED_BLINK_NS;
    d.name = "cursor_blink";
    return rtk_timer_start(ed->rt, &d, &ed->blink_timer);
}
