/* highlight.h - a small tokenizer and the LOW-priority re-highlighting task
 * (highlight.c). Loop thread. */
#ifndef EDSIM_HIGHLIGHT_H
#define EDSIM_HIGHLIGHT_H

#include <stdint.h>

#include "editor.h"

/* Token class of a character: 0 space, 1 word, 2 number, 3 punctuation. */
uint8_t hl_class(char c);

/* Submit a re-highlight costing cost_us of CPU at LOW priority (task name
 * "highlight"); it requests a render when done. Returns an rtk error. */
int hl_schedule(editor_t *ed, unsigned cost_us);

#endif
