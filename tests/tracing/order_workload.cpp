// order_workload.cpp - the third workload the tracing test records: the
// collection-order script (support/collect_script.hpp) of 50, 400 and
// 3000 tasks under the session, so that the loop's pushes take the traced
// paths (schedule_local, submit's traced push: the credit is in
// wq_tcredit). Prints what ran and how many scripts broke the order (the
// first broken order of each on stderr); trace_test.cpp checks both and
// that the trace holds every task.
#include "workload.h"

#include "collect_script.hpp"

int run_order_workload(std::FILE *out)
{
    unsigned long long ran = 0, violations = 0, errors = 0;
    for (uint32_t limit : {50u, 400u, 3000u}) {
        CollectResult r = run_collect_script(limit);
        ran += r.ran;
        if (!r.error.empty()) {
            errors++;
            std::fprintf(stderr, "order workload, %u tasks: %s\n", limit,
                         r.error.c_str());
        }
        if (!r.violation.empty()) {
            violations++;
            std::fprintf(stderr, "order workload, %u tasks: %s\n", limit,
                         r.violation.c_str());
        }
    }
    std::fprintf(out, "order_ran %llu\norder_violations %llu\norder_errors %llu\n",
                 ran, violations, errors);
    return 0;
}
