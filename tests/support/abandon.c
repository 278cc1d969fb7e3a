/* abandon.c - task bodies that abandon from deep C frames (see abandon.h).
 * Each is O(1). */
#include "abandon.h"

static void level3(int status) { rtk_task_abandon(status); }
static void level2(int status) { level3(status); }
static void level1(int status) { level2(status); }

int test_task_abandon_deep(void *arg)
{
    int *count = (int *)arg;
    ++*count;
    level1(7);
    return 0; /* not reached */
}

int test_task_abandon_zero(void *arg)
{
    int *count = (int *)arg;
    ++*count;
    level1(0);
    return 0; /* not reached */
}
