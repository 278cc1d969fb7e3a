/* editor.h - the state editor-sim's modules share, and the key encoding.
 *
 * Threads: the loop thread (main: runs rtk and every handler, timer and
 * render), the input thread (sends keys as commands), the LSP thread
 * (answers diagnostics requests with async events). editor_t is touched by
 * the loop thread only, except the fields marked otherwise. */
#ifndef EDSIM_EDITOR_H
#define EDSIM_EDITOR_H

#include <rtk/rtk.h>
#include <stdint.h>

#include "buffer.h"
#include "knobs.h"

/* A key travels as the task argument, packed in an uintptr_t:
 *   bits 0-7   payload: the character (insert) or buf_move_t (move)
 *   bits 8-9   key_kind_t
 *   bit  10    1: this key also triggers the pathological reflow
 *   bits 11-23 re-highlight cost in microseconds (0..8191) */
typedef enum key_kind { KEY_INSERT = 0, KEY_MOVE = 1, KEY_UNDO = 2 } key_kind_t;

#define KEY_PACK(kind, payload, reflow, hl_us)                               \
    ((uintptr_t)(((uintptr_t)(payload) & 0xffu) |                            \
                 ((uintptr_t)(kind) << 8) | ((uintptr_t)!!(reflow) << 10) |  \
                 ((uintptr_t)((hl_us) > 8191 ? 8191 : (hl_us)) << 11)))
#define KEY_PAYLOAD(k) ((unsigned)((k) & 0xffu))
#define KEY_KIND(k) ((key_kind_t)(((k) >> 8) & 3u))
#define KEY_REFLOW(k) ((int)(((k) >> 10) & 1u))
#define KEY_HL_US(k) ((unsigned)(((k) >> 11) & 0x1fffu))

/* Event type of the language server's answers. */
#define EV_DIAGNOSTICS 1u

/* Timings of the workload (ns). */
#define ED_BLINK_NS 530000000ULL
#define ED_AUTOSAVE_NS 2000000000ULL
#define ED_DIAGNOSTICS_NS 300000000ULL
#define ED_REFLOW_NS 30000000ULL
/* Priority of the key tasks (and of the stall a key may run). */
#define ED_KEY_PRIORITY RTK_PRIORITY_HIGH
#define ED_ROWS 40
#define ED_COLS 100

typedef struct lsp lsp_t;

typedef struct editor {
    rtk_runtime_t *rt;
    buffer_t buf;
    lsp_t *lsp;
    uint64_t seed;
    knobs_t knobs;                  /* set before the loop runs */

    /* timers */
    rtk_id_t blink_timer, autosave_timer, diag_timer;
    int cursor_visible;

    /* what the screen shows */
    size_t top_line_start;          /* first visible line's offset */
    char frame[ED_ROWS][ED_COLS];   /* characters */
    uint8_t attrs[ED_ROWS][ED_COLS];/* token classes */
    uint64_t frame_checksum;
    uint32_t diagnostics;           /* last count from the language server */

    /* highlighter state */
    size_t hl_pos;                  /* where the tokenizer resumes */
    uint64_t hl_tokens[4];

    /* counters, loop thread */
    uint64_t keys[3];               /* handled, per key_kind_t */
    uint64_t highlights, highlight_ns;
    uint64_t reflows;
    uint64_t renders;
    uint64_t blinks;
    uint64_t autosaves;
    uint64_t diag_requests, diag_results;
    uint64_t edit_failures;
    uint64_t stalls, stalls_refused;
} editor_t;

#endif
