/* summary_json.h - the summary JSON contract writer (summary_json.c),
 * shared by `rt-trace summary`, `rt-trace view` and `rt-trace report`. */
#ifndef RTT_SUMMARY_JSON_H
#define RTT_SUMMARY_JSON_H

#include <stdio.h>

#include "summary.h"

/* Write sm as the summary JSON document (ends with a newline). Returns 0,
 * or -1 on an output error. */
int rtt_summary_write_json(const rtt_summary_t *sm, FILE *f);

#endif
