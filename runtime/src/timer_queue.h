/* timer_queue.h - the timers' deadline queue (timer_queue.c): entries
 * {deadline, seq, slot} in deadline order, FIFO for equal deadlines. */
#ifndef RTK_TIMER_QUEUE_H
#define RTK_TIMER_QUEUE_H

#include "internal.h"

/* Sized for max_live timers: the chunk pool's first block (faulted in). */
int rtk__tq_init(rtk__tqueue_t *q, size_t max_live);
void rtk__tq_finish(rtk__tqueue_t *q);
/* Add an entry; `now` lets an empty wheel move up to the present. */
int rtk__tq_push(rtk__tqueue_t *q, rtk__tentry_t e, uint64_t now);
/* The first entry (stale or not), NULL when empty. */
const rtk__tentry_t *rtk__tq_min(rtk__tqueue_t *q);
/* Remove the entry rtk__tq_min just returned. */
void rtk__tq_pop(rtk__tqueue_t *q);
/* Keep only the entries whose slot state still holds their seq. */
void rtk__tq_filter(rtk__tqueue_t *q, const rtk__tstate_t *st);
/* After a filter (every entry live): point entries at slot id & nmask. */
void rtk__tq_reslot(rtk__tqueue_t *q, const rtk__tstate_t *st, size_t nmask);
/* Drop every entry. */
void rtk__tq_clear(rtk__tqueue_t *q);

/* Zeroed memory with every page faulted in (timer_heap.c): the slot tables
 * and the chunk pool's first block. Free with rtk__timer_mem_free(p, the
 * same bytes). */
void *rtk__timer_mem_alloc(size_t bytes);
void rtk__timer_mem_free(void *p, size_t bytes);

#endif
