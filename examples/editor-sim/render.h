/* render.h - drawing a frame and blinking the cursor (render.c). Loop
 * thread. */
#ifndef EDSIM_RENDER_H
#define EDSIM_RENDER_H

#include "editor.h"

/* config.render: lays out ED_ROWS x ED_COLS cells around the cursor with
 * their token classes. O(ED_ROWS * ED_COLS + distance scrolled). */
void ed_render(rtk_runtime_t *rt, void *ud);

/* Start the periodic cursor-blink timer (530 ms, "cursor_blink"), which
 * toggles the cursor and requests a render. rtk error. */
int ed_blink_start(editor_t *ed);

#endif
