/* keys.h - what a keystroke does on the loop thread (keys.c): edit the
 * buffer, request a render, restart the debounce timers, queue the
 * re-highlight (and now and then the pathological reflow); plus the timer
 * fires and the language server's answers those keys lead to. */
#ifndef EDSIM_KEYS_H
#define EDSIM_KEYS_H

#include "editor.h"

/* The one editor of the process (set by main before the loop runs). */
extern editor_t *g_editor;

/* The task a key command schedules; arg is a KEY_PACK()ed key. */
int key_task(void *arg);
/* "key_insert", "key_move", "key_undo". */
const char *key_task_name(key_kind_t kind);

/* Subscribe the diagnostics handler. Loop thread, RUNNING. rtk error. */
int keys_subscribe(editor_t *ed);

#endif
