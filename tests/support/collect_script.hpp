/* collect_script.hpp - a seeded script of loop pushes and another
 * thread's submits, and the order the queue must run them in.
 *
 * The loop collects other threads' rings only at pops a task in them
 * could precede, when its FIFO is empty, and before its own push after a
 * pop that did not look (rtk__wq_pop_lazy, internal.h). The script must
 * show what a look at every pop gives:
 *   - priority: each task run is the most urgent of all tasks queued or
 *     published before it started;
 *   - each source's order within a priority (the loop's pushes, the
 *     helper's submits);
 *   - across sources at one priority: a task published during task j runs
 *     before a task the loop pushes at that priority in a task after j,
 *     and a task the loop pushed runs before one published after it.
 * Run by the unit suite (test_collect_order.cpp) and, so that the loop's
 * traced push paths are the ones taken, under a session by the tracing
 * test (tests/tracing). Cost: O(limit^2) for the check, one helper
 * thread; 3000 tasks take a few milliseconds to run, ~0.1 s to check. */
#ifndef RTK_TESTS_COLLECT_SCRIPT_HPP
#define RTK_TESTS_COLLECT_SCRIPT_HPP

#include <cstdint>
#include <string>

struct CollectResult {
    std::string error;     /* create, boot, a refused submit, a stuck run */
    uint32_t ran = 0;      /* tasks run (the script makes `limit`) */
    std::string violation; /* the first order broken, "" when none */
};

/* `limit` tasks (at least 1) on a runtime of its own (fake clock, one
 * batch for the whole run), ticked until idle. */
CollectResult run_collect_script(uint32_t limit);

#endif
