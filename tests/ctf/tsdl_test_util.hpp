// tsdl_test_util.hpp - what the TSDL parser's tests share: a parse result
// that frees itself, the error of a text that must fail, a fixture's bytes,
// a struct member by name, and a deep comparison of two type trees.
#ifndef RTT_TSDL_TEST_UTIL_HPP
#define RTT_TSDL_TEST_UTIL_HPP

#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

extern "C" {
#include "tsdl.h"
}

namespace tsdl_test {

inline std::string fixture(const char *name)
{
    std::ifstream f(std::string(RTT_CTF_FIXTURES) + "/" + name, std::ios::binary);
    REQUIRE(f.good());
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// A parse result that frees itself; rc and err as rtt_tsdl_parse left them.
struct Meta {
    rtt_ctf_meta_t m;
    int rc;
    std::string err;
    explicit Meta(const std::string &text)
    {
        char e[512] = "(unset)";
        rc = rtt_tsdl_parse(text.data(), text.size(), &m, e, sizeof e);
        err = rc ? e : "";
    }
    explicit Meta(const char *dir, int)
    {
        char e[512] = "(unset)";
        rc = rtt_tsdl_read(dir, &m, e, sizeof e);
        err = rc ? e : "";
    }
    Meta(const Meta &) = delete;
    Meta &operator=(const Meta &) = delete;
    ~Meta() { rtt_tsdl_free(&m); }
    const rtt_ctf_event_class_t *event(const char *name) const
    {
        for (size_t i = 0; i < m.nevents; i++)
            if (m.events[i].name && strcmp(m.events[i].name, name) == 0)
                return &m.events[i];
        return nullptr;
    }
};

inline std::string error_of(const std::string &text)
{
    Meta m(text);
    REQUIRE(m.rc == -1);
    return m.err;
}

// The type of member `name` (exact name) of a struct or variant.
inline const rtt_type_t *member(const rtt_type_t *st, const char *name)
{
    REQUIRE(st != nullptr);
    for (size_t i = 0; i < st->nmemb; i++)
        if (strcmp(st->memb[i].name, name) == 0)
            return st->memb[i].type;
    FAIL("no member " << name);
    return nullptr;
}

inline bool same_type(const rtt_type_t *a, const rtt_type_t *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->align != b->align || a->size != b->size ||
        a->is_signed != b->is_signed || a->is_text != b->is_text ||
        a->clock != b->clock || a->nmap != b->nmap || a->length != b->length ||
        a->len_member != b->len_member || a->nmemb != b->nmemb ||
        a->tag_member != b->tag_member || !same_type(a->elem, b->elem))
        return false;
    for (size_t i = 0; i < a->nmap; i++)
        if (a->map[i].lo != b->map[i].lo || a->map[i].hi != b->map[i].hi ||
            strcmp(a->map[i].label, b->map[i].label) != 0)
            return false;
    for (size_t i = 0; i < a->nmemb; i++)
        if (strcmp(a->memb[i].name, b->memb[i].name) != 0 ||
            !same_type(a->memb[i].type, b->memb[i].type))
            return false;
    return true;
}

} // namespace tsdl_test

#endif
