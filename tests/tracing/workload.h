/* workload.h - the scripted rtk workload the tracing test records.
 *
 * run_workload() drives one runtime on a fake clock with rtk_tick and
 * prints "key value" lines (ids and final stats) to `out` so the checker
 * can link the trace to what happened. The expected tracepoint counts are
 * in trace_test.cpp next to the checks; keep both in step. Cost: O(1), a
 * few dozen items. */
#ifndef RTK_TRACING_WORKLOAD_H
#define RTK_TRACING_WORKLOAD_H

#include <cstdio>

int run_workload(std::FILE *out);

/* credit_workload.cpp: the loop's work-queue credit while traced (a wave
 * of 1001 tasks on 128 places, one batch); checked by check_credit. */
int run_credit_workload(std::FILE *out);

/* order_workload.cpp: the collection-order script traced (3450 tasks in
 * three runs); checked by check_order. */
int run_order_workload(std::FILE *out);

#endif
