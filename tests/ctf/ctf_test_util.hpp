// ctf_test_util.hpp - what the own CTF reader's tests share (scope.c,
// stream.c): little-endian bit packing of test data, a buffer malloc'ed to
// its exact size (so ASan sees any read past its end), and a scope compiled
// from a TSDL type with named slots. Cost: test data only, a few bytes.
#ifndef RTT_CTF_TEST_UTIL_HPP
#define RTT_CTF_TEST_UTIL_HPP

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "scope.h"
#include "tsdl.h"
}

namespace ctf_test {

// Bits written in CTF's little-endian bit order: bit i of a value at bit
// position p goes to bit (p + i) % 8 of byte (p + i) / 8.
struct Bits {
    std::vector<uint8_t> b;
    uint64_t pos = 0;
    Bits &put(uint64_t v, unsigned size)
    {
        for (unsigned i = 0; i < size; i++, pos++) {
            if (pos / 8 >= b.size())
                b.push_back(0);
            if ((v >> i) & 1)
                b[pos / 8] |= (uint8_t)(1u << (pos % 8));
        }
        return *this;
    }
    Bits &align(unsigned bits)
    {
        while (pos % bits)
            put(0, 1);
        return *this;
    }
    Bits &bytes(const void *p, size_t n)
    {
        align(8);
        for (size_t i = 0; i < n; i++)
            put(((const uint8_t *)p)[i], 8);
        return *this;
    }
};

// n bytes in a malloc'ed block of exactly n bytes.
struct Exact {
    uint8_t *p;
    size_t n;
    explicit Exact(const std::vector<uint8_t> &v) : p((uint8_t *)malloc(v.size() ? v.size() : 1)), n(v.size())
    {
        REQUIRE(p != nullptr);
        if (n)
            memcpy(p, v.data(), n);
    }
    Exact(const Exact &) = delete;
    Exact &operator=(const Exact &) = delete;
    ~Exact() { free(p); }
};

// Slots by name: integers named in ints get slots 0.., strings in strs
// string slots 0.. (names without their leading '_'); any depth.
struct Roles {
    std::vector<std::string> ints, strs;
    static int fn(void *ctx, int depth, const char *name, int is_string)
    {
        (void)depth;
        const Roles *r = (const Roles *)ctx;
        const std::vector<std::string> &v = is_string ? r->strs : r->ints;
        for (size_t i = 0; i < v.size(); i++)
            if (v[i] == name)
                return (int)i;
        return -1;
    }
};

// A TSDL text parsed, and the fields of its one event compiled.
struct Compiled {
    rtt_ctf_meta_t m;
    rtt_scope_t s;
    Roles roles;
    std::string err;
    Compiled(const std::string &tsdl, Roles r, const char *clock_skip = nullptr)
        : roles(std::move(r))
    {
        memset(&s, 0, sizeof s);
        char e[512] = "";
        int rc = rtt_tsdl_parse(tsdl.data(), tsdl.size(), &m, e, sizeof e);
        INFO(e);
        REQUIRE(rc == 0);
        REQUIRE(m.nevents == 1);
        char ce[256] = "";
        if (rtt_scope_compile(&s, m.events[0].fields, (int)roles.ints.size(), Roles::fn,
                              &roles, clock_skip, ce, sizeof ce) != 0)
            err = ce;
    }
    Compiled(const Compiled &) = delete;
    Compiled &operator=(const Compiled &) = delete;
    ~Compiled()
    {
        rtt_scope_free(&s);
        rtt_tsdl_free(&m);
    }
};

// One decode of a compiled scope over an exact-size copy of data.
struct Decoded {
    int rc;
    uint64_t pos;
    uint64_t clock;
    int64_t slots[RTT_SCOPE_MAX_SLOTS];
    rtt_strref_t strs[RTT_SCOPE_MAX_STRS];
    std::vector<std::string> str; // strs as C++ strings (len bytes)
    Decoded(const rtt_scope_t &s, const std::vector<uint8_t> &data, uint64_t end_bits,
            uint64_t start_clock = 0, uint64_t start_pos = 0)
        : pos(start_pos), clock(start_clock)
    {
        Exact buf(data);
        for (auto &v : slots)
            v = INT64_C(0x5555555555555555); // "not read"
        memset(strs, 0, sizeof strs);
        rc = rtt_scope_decode(&s, buf.p, &pos, end_bits, slots, strs, &clock);
        for (auto &r : strs)
            str.push_back(r.p ? std::string(r.p, r.len) : std::string());
    }
};

// The prelude every scope test's TSDL starts with.
inline std::string prelude()
{
    return R"(/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
typealias integer { size = 1; align = 1; signed = false; } := uint1_t;
typealias integer { size = 5; align = 1; signed = false; } := uint5_t;
typealias integer { size = 27; align = 1; signed = false; } := uint27_t;
trace { major = 1; minor = 8; byte_order = le; };
clock { name = "monotonic"; freq = 1000000000; };
typealias integer { size = 27; align = 1; signed = false;
    map = clock.monotonic.value; } := uint27_clock_t;
typealias integer { size = 64; align = 8; signed = false;
    map = clock.monotonic.value; } := uint64_clock_t;
)";
}

} // namespace ctf_test

#endif
