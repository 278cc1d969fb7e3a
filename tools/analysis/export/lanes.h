/* lanes.h - the export's processes and tracks (lanes.c). The schema has
 * no thread ids, so each process (pid = its vpid) gets synthetic threads,
 * one per lane: tid = pid * 64 + lane. Lanes 0-3 are fixed (loop: renders
 * and queue-length counters; frames; drops; inputs), lanes 4-61 hold tasks
 * or event dispatches of one priority each, lanes 62 and 63 tasks and
 * events of any further priorities. Memory O(processes x lanes); loading
 * costs one scan of each item table. Private to export/. */
#ifndef RTT_EXPORT_LANES_H
#define RTT_EXPORT_LANES_H

#include "jsonw.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

enum {
    LANE_LOOP = 0,
    LANE_FRAMES = 1,
    LANE_DROPS = 2,
    LANE_INPUTS = 3,
    LANE_PRIO0 = 4,
    LANE_MORE_TASKS = 62,
    LANE_MORE_EVENTS = 63,
    LANES = 64
};
enum { KIND_TASK = 0, KIND_EVENT = 1 };

typedef struct prio_lane {
    int kind;      /* KIND_TASK or KIND_EVENT */
    int has_prio;  /* 0: priority NULL */
    int64_t prio;
} prio_lane_t;

typedef struct xproc {
    int64_t proc;
    uint32_t pid;
    char *name;               /* procname, or NULL */
    uint64_t used;            /* bit per lane with events */
    size_t nprio;
    prio_lane_t prio[LANE_MORE_TASKS - LANE_PRIO0];
} xproc_t;

typedef struct lanes {
    xproc_t *p; /* sorted by proc */
    size_t n;
} lanes_t;

/* Read procs and the lanes each uses. 0, or -1 with err filled. */
int lanes_load(sqlite3 *db, lanes_t *l, char *err, size_t errlen);
void lanes_free(lanes_t *l);
/* The process of proc, or NULL if procs has no such row. O(log procs). */
const xproc_t *lanes_proc(const lanes_t *l, int64_t proc);
/* The lane of kind at a priority (has_prio 0: NULL). O(lanes). */
int lanes_prio(const xproc_t *p, int kind, int has_prio, int64_t prio);
static inline uint32_t lanes_tid(const xproc_t *p, int lane)
{
    return p->pid * LANES + (uint32_t)lane;
}
/* One process_name per process, one thread_name per lane used. */
void lanes_write_meta(const lanes_t *l, jw_t *w, int64_t *process_names,
                      int64_t *thread_names);

#endif
