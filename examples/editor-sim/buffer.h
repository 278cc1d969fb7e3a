/* buffer.h - the text: a gap buffer with a cursor and an undo stack
 * (buffer.c). Loop thread only.
 *
 * Costs: insert at the cursor O(1) amortised plus O(distance) to move the
 * gap; cursor moves by line O(line length); undo O(1) plus the gap move;
 * buf_char O(1). */
#ifndef EDSIM_BUFFER_H
#define EDSIM_BUFFER_H

#include <stddef.h>
#include <stdint.h>

typedef enum buf_move {
    MOVE_LEFT, MOVE_RIGHT, MOVE_UP, MOVE_DOWN, MOVE_HOME, MOVE_END,
    MOVE__COUNT
} buf_move_t;

typedef struct buf_undo {
    size_t pos;
    char ch;
    uint8_t inserted; /* 1: undo deletes pos; 0: undo re-inserts ch */
} buf_undo_t;

#define BUF_UNDO_DEPTH 4096

typedef struct buffer {
    char *text;      /* [0, gap) and [gap_end, cap) hold the text */
    size_t cap, gap, gap_end;
    size_t cursor;   /* 0 .. length */
    buf_undo_t undo[BUF_UNDO_DEPTH]; /* ring */
    size_t undo_top, undo_len;
    uint64_t version; /* +1 per change */
} buffer_t;

/* An empty buffer. 0 or -1 (out of memory). */
int buf_init(buffer_t *b);
void buf_finish(buffer_t *b);

/* Replace the text with n bytes of text (not undoable); cursor at 0. */
int buf_load(buffer_t *b, const char *text, size_t n);

size_t buf_len(const buffer_t *b);
/* Character at pos < buf_len(b). */
char buf_char(const buffer_t *b, size_t pos);

/* Insert ch at the cursor (the cursor moves past it); '\b' deletes the
 * character before the cursor. Both are undoable. 0 or -1 (out of memory). */
int buf_insert(buffer_t *b, char ch);
void buf_move(buffer_t *b, buf_move_t m);
/* Undo the last change; 0 if there was nothing to undo. */
int buf_undo(buffer_t *b);

/* Start of the line holding pos, and the start of the next line (or the
 * length). O(line length). */
size_t buf_line_start(const buffer_t *b, size_t pos);
size_t buf_line_end(const buffer_t *b, size_t pos);

#endif
