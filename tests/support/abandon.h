/* abandon.h - C-only task bodies that call rtk_task_abandon() from nested
 * C frames (the header forbids C++ frames between the task and the call). */
#ifndef RTK_TESTS_ABANDON_H
#define RTK_TESTS_ABANDON_H

#include <rtk/rtk.h>

#ifdef __cplusplus
extern "C" {
#endif

/* arg: int *; increments *arg, then abandons from 3 frames down with
 * status 7. Never returns normally. */
int test_task_abandon_deep(void *arg);
/* arg: int *; increments *arg, then abandons with status 0 (becomes 1). */
int test_task_abandon_zero(void *arg);

#ifdef __cplusplus
}
#endif

#endif
