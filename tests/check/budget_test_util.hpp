// budget_test_util.hpp - what the budget parser's tests share: a parse
// result that frees itself, the error of a text or of one rule, a filter's
// value, a formatted value, and the documented example file.
#ifndef RTT_BUDGET_TEST_UTIL_HPP
#define RTT_BUDGET_TEST_UTIL_HPP

#include <catch2/catch.hpp>

#include <string>

extern "C" {
#include "budget.h"
}

namespace budget_test {

// A parse result that frees itself.
struct Parsed {
    rtt_budget_t *b = nullptr;
    std::string err;
    explicit Parsed(const std::string &text, const char *name = "b.txt")
    {
        char e[512] = "(unset)";
        b = rtt_budget_parse(text.c_str(), name, e, sizeof e);
        err = b ? std::string() : std::string(e);
    }
    Parsed(const Parsed &) = delete;
    Parsed &operator=(const Parsed &) = delete;
    ~Parsed() { rtt_budget_free(b); }
    size_t count() const { return rtt_budget_count(b); }
    const rtt_budget_rule_t &rule(size_t i) const
    {
        const rtt_budget_rule_t *r = rtt_budget_get(b, i);
        REQUIRE(r != nullptr);
        return *r;
    }
};

// The error of parsing text (which must fail).
inline std::string error_of(const std::string &text, const char *name = "b.txt")
{
    Parsed p(text, name);
    CHECK(p.b == nullptr);
    return p.err;
}

// The error of a rule alone on line 1 of b.txt, without the "b.txt:1: ".
inline std::string rule_error(const std::string &line)
{
    std::string e = error_of(line);
    const std::string prefix = "b.txt:1: ";
    REQUIRE(e.compare(0, prefix.size(), prefix) == 0);
    return e.substr(prefix.size());
}

inline std::string str(const char *s) { return s ? s : "(null)"; }

// The value of filter `key` in r, or "(none)".
inline std::string filter(const rtt_budget_rule_t &r, const char *key)
{
    for (size_t i = 0; i < r.nfilters; i++)
        if (str(r.filters[i].key) == key)
            return str(r.filters[i].value);
    return "(none)";
}

inline std::string formatted(const rtt_budget_rule_t &r, double v)
{
    char buf[64];
    rtt_budget_format_value(&r, v, buf, sizeof buf);
    return buf;
}

const char *const example =
    "# comments start with '#', blank lines ignored; one rule per line\n"
    "interaction p99 < 16.7ms\n"
    "interaction latency p50 <= 4ms where name = key_char\n"
    "interaction frame_wait p90 < 10ms\n"
    "task run_time p90 < 2ms where name = highlight\n"
    "task queue_wait p99 < 5ms where priority = 2\n"
    "task run_time max < 50ms\n"
    "dispatch duration p99 < 1ms where type = 7\n"
    "timer lateness p99 < 2ms\n"
    "command latency p50 < 1ms\n"
    "tick duration p99.9 < 20ms\n"
    "frames over_budget_share < 1%\n"
    "drops total == 0\n"
    "drops count == 0 where reason = work_queue_full\n"
    "tracer discarded == 0\n"
    "interaction count >= 100\n";

struct Expect {
    int line;
    const char *subject, *measure, *stat;
    double percentile;
    rtt_op_t op;
    double value;
    rtt_valkind_t kind;
    const char *unit;
    const char *key, *fvalue; // the one filter, or nullptr
};
} // namespace budget_test

#endif // RTT_BUDGET_TEST_UTIL_HPP
