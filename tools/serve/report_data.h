/* report_data.h - the API answers a report embeds (report_data.c): every
 * answer the page asks for when it has no server, keyed by the request it
 * stands for, with the timelines pre-aggregated at levels of detail. */
#ifndef RTT_REPORT_DATA_H
#define RTT_REPORT_DATA_H

#include <stdio.h>

#include "api.h"

/* Levels of detail: level L cuts the run into 4^L chunks of
 * RTT_REPORT_BUCKETS buckets each (tasks: RTT_REPORT_TASK_BUCKETS, and
 * rows when a chunk holds at most RTT_REPORT_TASK_LIMIT tasks). */
#define RTT_REPORT_TICK_LEVELS 4
#define RTT_REPORT_TASK_LEVELS 3
#define RTT_REPORT_BUCKETS 500
#define RTT_REPORT_TASK_BUCKETS 400
#define RTT_REPORT_TASK_LIMIT 1500
#define RTT_REPORT_WORST 20

/* Write the JSON object {"/api/meta": {...}, "/api/summary?db=0": {...},
 * ..., "/report": {levels}} to f, with "</" written as "<\/" so it can sit
 * in a <script> element. Returns 0, or -1 with one line in err (the first
 * engine failure). */
int rtt_report_data_write(rtt_api_t *a, FILE *f, char *err, size_t errlen);

#endif
