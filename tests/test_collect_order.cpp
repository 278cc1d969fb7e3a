// test_collect_order.cpp - the order tasks run in when the loop's own
// pushes and another thread's submits (published while a task runs, the
// task waiting until it is) mix across priorities: the seeded script of
// support/collect_script.hpp, 50 to 3000 tasks, untraced. (The tracing
// test runs it under a session, where the loop's pushes take the traced
// paths.) Without the look before the loop's own push after a pop that
// did not look, the cross-source order fails; without the look at a pop a
// ring's task could precede, the priority order.
#include "collect_script.hpp"

#include <catch2/catch.hpp>

TEST_CASE("another thread's tasks published while tasks run: the order of a queue "
          "that collects them before every pop",
          "[work_queue][producers]")
{
    for (uint32_t limit : {50u, 400u, 3000u}) {
        INFO("tasks: " << limit);
        CollectResult r = run_collect_script(limit);
        REQUIRE(r.error == "");
        REQUIRE(r.ran == limit);
        REQUIRE(r.violation == "");
    }
}
