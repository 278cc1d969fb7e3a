/* buffer.c - gap buffer, cursor movement and a bounded undo ring (see
 * buffer.h for costs). The gap sits at the cursor after every edit, so
 * typing is O(1); a jump moves min(distance, text) bytes once. */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

int buf_init(buffer_t *b)
{
    memset(b, 0, sizeof *b);
    b->cap = 1 << 16;
    b->text = malloc(b->cap);
    if (!b->text)
        return -1;
    b->gap_end = b->cap;
    return 0;
}

void buf_finish(buffer_t *b)
{
    free(b->text);
    b->text = NULL;
}

static void move_gap(buffer_t *b, size_t pos)
{
    if (pos < b->gap) {
        size_t n = b->gap - pos;
        memmove(b->text + b->gap_end - n, b->text + pos, n);
        b->gap -= n;
        b->gap_end -= n;
    } else if (pos > b->gap) {
        size_t n = pos - b->gap;
        memmove(b->text + b->gap, b->text + b->gap_end, n);
        b->gap += n;
        b->gap_end += n;
    }
}

int buf_load(buffer_t *b, const char *text, size_t n)
{
    size_t cap = b->cap;
    while (cap < n + 4096)
        cap *= 2;
    if (cap != b->cap) {
        char *t = realloc(b->text, cap);
        if (!t)
            return -1;
        b->text = t;
        b->cap = cap;
    }
    memcpy(b->text, text, n);
    b->gap = n;
    b->gap_end = b->cap;
    move_gap(b, 0);
    b->cursor = 0;
    b->undo_len = b->undo_top = 0;
    return 0;
}

size_t buf_len(const buffer_t *b)
{
    return b->cap - (b->gap_end - b->gap);
}

char buf_char(const buffer_t *b, size_t pos)
{
    return pos < b->gap ? b->text[pos] : b->text[pos + (b->gap_end - b->gap)];
}

static int grow(buffer_t *b)
{
    size_t cap = b->cap * 2, tail = b->cap - b->gap_end;
    char *t = realloc(b->text, cap);
    if (!t)
        return -1;
    memmove(t + cap - tail, t + b->gap_end, tail);
    b->text = t;
    b->gap_end = cap - tail;
    b->cap = cap;
    return 0;
}

static void push_undo(buffer_t *b, size_t pos, char ch, int inserted)
{
    b->undo[b->undo_top] = (buf_undo_t){pos, ch, (uint8_t)inserted};
    b->undo_top = (b->undo_top + 1) % BUF_UNDO_DEPTH;
    if (b->undo_len < BUF_UNDO_DEPTH)
        b->undo_len++;
}

static int raw_insert(buffer_t *b, size_t pos, char ch)
{
    if (b->gap == b->gap_end && grow(b) < 0)
        return -1;
    move_gap(b, pos);
    b->text[b->gap++] = ch;
    b->version++;
    return 0;
}

static char raw_delete(buffer_t *b, size_t pos)
{
    move_gap(b, pos + 1);
    b->gap--;
    b->version++;
    return b->text[b->gap];
}

int buf_insert(buffer_t *b, char ch)
{
    if (ch == '\b') {
        if (b->cursor == 0)
            return 0;
        char gone = raw_delete(b, b->cursor - 1);
        b->cursor--;
        push_undo(b, b->cursor, gone, 0);
        return 0;
    }
    if (raw_insert(b, b->cursor, ch) < 0)
        return -1;
    push_undo(b, b->cursor, ch, 1);
    b->cursor++;
    return 0;
}

size_t buf_line_start(const buffer_t *b, size_t pos)
{
    while (pos > 0 && buf_char(b, pos - 1) != '\n')
        pos--;
    return pos;
}

size_t buf_line_end(const buffer_t *b, size_t pos)
{
    size_t n = buf_len(b);
    while (pos < n && buf_char(b, pos) != '\n')
        pos++;
    return pos < n ? pos + 1 : n;
}

void buf_move(buffer_t *b, buf_move_t m)
{
    size_t n = buf_len(b), c = b->cursor;
    size_t ls = buf_line_start(b, c), col = c - ls;
    switch (m) {
    case MOVE_LEFT:
        c = c ? c - 1 : 0;
        break;
    case MOVE_RIGHT:
        c = c < n ? c + 1 : n;
        break;
    case MOVE_HOME:
        c = ls;
        break;
    case MOVE_END: {
        size_t le = buf_line_end(b, c);
        c = le > ls && le <= n && le > 0 && buf_char(b, le - 1) == '\n' ? le - 1 : le;
        break;
    }
    case MOVE_UP:
        if (ls > 0) {
            size_t ps = buf_line_start(b, ls - 1);
            c = ps + col < ls - 1 ? ps + col : ls - 1;
        }
        break;
    case MOVE_DOWN: {
        size_t ns = buf_line_end(b, c);
        if (ns < n || (ns == n && ns > 0 && buf_char(b, ns - 1) == '\n')) {
            size_t ne = buf_line_end(b, ns);
            size_t last = ne > ns && buf_char(b, ne - 1) == '\n' ? ne - 1 : ne;
            c = ns + col < last ? ns + col : last;
        }
        break;
    }
    default:
        break;
    }
    b->cursor = c;
}

int buf_undo(buffer_t *b)
{
    if (!b->undo_len)
        return 0;
    b->undo_top = (b->undo_top + BUF_UNDO_DEPTH - 1) % BUF_UNDO_DEPTH;
    b->undo_len--;
    buf_undo_t u = b->undo[b->undo_top];
    if (u.inserted) {
        if (u.pos < buf_len(b))
            raw_delete(b, u.pos);
        b->cursor = u.pos < buf_len(b) ? u.pos : buf_len(b);
    } else {
        if (raw_insert(b, u.pos, u.ch) < 0)
            return 0;
        b->cursor = u.pos + 1;
    }
    return 1;
}
