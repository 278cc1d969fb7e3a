// test_tsdl_snippets.cpp - hand-written TSDL for what the sample does not
// show: the compact event header (5/27-bit integers, align 1), sequences,
// enum value rules, named variants, floating point, clocks written in hex
// and negative, comments, skipped blocks and ignored attributes.
#include "tsdl_test_util.hpp"

using namespace tsdl_test;

static const char *const prelude = R"(/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
typealias integer { size = 5; align = 1; signed = false; } := uint5_t;
trace { major = 1; minor = 8; byte_order = le; };
clock { name = "monotonic"; freq = 0x3B9ACA00; offset_s = -12; offset = 0x10; };
typealias integer { size = 27; align = 1; signed = false;
    map = clock.monotonic.value; } := uint27_clock_monotonic_t;
)";

TEST_CASE("snippet: the compact event header", "[snippet]")
{
    Meta t(std::string(prelude) + R"(
struct event_header_compact {
    enum : uint5_t { compact = 0 ... 30, extended = 31 } id;
    variant <id> {
        struct { uint27_clock_monotonic_t timestamp; } compact;
        struct { uint32_t id; uint64_t timestamp; } extended;
    } v;
} align(8);
stream { id = 3; event.header := struct event_header_compact; };
)");
    REQUIRE(t.err == "");
    CHECK(t.m.clocks[0].freq == 1000000000u);
    CHECK(t.m.clocks[0].offset_s == -12);
    CHECK(t.m.clocks[0].offset == 16);
    const rtt_ctf_stream_class_t *s = rtt_tsdl_stream(&t.m, 3);
    REQUIRE(s != nullptr);
    CHECK(s->packet_context == nullptr);
    const rtt_type_t *eh = s->event_header;
    CHECK(eh->align == 8); // align(8) over members aligned 1
    const rtt_type_t *id = member(eh, "id");
    CHECK(id->size == 5);
    CHECK(id->align == 1);
    REQUIRE(id->nmap == 2);
    CHECK(id->map[0].hi == 30);
    CHECK(id->map[1].lo == 31);
    const rtt_type_t *v = member(eh, "v");
    CHECK(v->tag_member == 0);
    const rtt_type_t *ts = member(member(v, "compact"), "timestamp");
    CHECK(ts->size == 27);
    CHECK(ts->align == 1);
    CHECK(ts->clock == 0);
    CHECK(member(v, "compact")->align == 1);
    CHECK(member(v, "extended")->align == 8);
}

TEST_CASE("snippet: sequences and arrays", "[snippet]")
{
    Meta t(std::string(prelude) + R"(
event { name = seq; fields := struct {
    uint32_t _len;
    uint8_t _data[_len];          // the sibling as written
    uint32_t count;
    uint64_t _vals[_count];       // with a leading '_' the member lacks
    uint8_t grid[2][3];
    integer { size = 8; encoding = UTF8; } _text[len];
}; };
)");
    REQUIRE(t.err == "");
    const rtt_type_t *f = t.m.events[0].fields;
    CHECK(std::string(t.m.events[0].name) == "seq");
    const rtt_type_t *d = member(f, "_data");
    REQUIRE(d->kind == RTT_T_SEQ);
    CHECK(d->len_member == 0);
    CHECK(d->elem->size == 8);
    const rtt_type_t *vals = member(f, "_vals");
    REQUIRE(vals->kind == RTT_T_SEQ);
    CHECK(vals->len_member == 2);
    CHECK(vals->align == 8);
    const rtt_type_t *g = member(f, "grid");
    REQUIRE(g->kind == RTT_T_ARRAY);
    CHECK(g->length == 2);
    REQUIRE(g->elem->kind == RTT_T_ARRAY);
    CHECK(g->elem->length == 3);
    const rtt_type_t *tx = member(f, "_text");
    REQUIRE(tx->kind == RTT_T_SEQ);
    CHECK(tx->len_member == 0); // `len` names `_len`
    CHECK(tx->elem->is_text == 1);
    CHECK(tx->elem->align == 8); // default: size % 8 == 0
    Meta use("typealias integer { size = 3; } := u3;\n"
             "typealias integer { size = 24; signed = 1; } := s24;\n"
             "event { name = b; fields := struct { u3 a; s24 b; }; };");
    REQUIRE(use.err == "");
    const rtt_type_t *bf = use.m.events[0].fields;
    CHECK(member(bf, "a")->align == 1); // default: size % 8 != 0
    CHECK(member(bf, "a")->is_signed == 0);
    CHECK(member(bf, "b")->align == 8);
    CHECK(member(bf, "b")->is_signed == 1);
    CHECK(bf->align == 8);
    CHECK(f->align == 8);
}

TEST_CASE("snippet: enum values, labels and containers", "[snippet]")
{
    Meta t(std::string(prelude) + R"(
typealias integer { size = 16; signed = true; } := int16_t;
enum level : int16_t { a = 0 ... 30, b = 31, c, "quoted label" = -5, e, };
event { name = "e"; id = 0x7; stream_id = 0; loglevel = 13;
    model.emf.uri = "http://example";
    fields := struct {
        enum level lvl;
        enum : integer { size = 64; signed = false; } { top = 18446744073709551615 } big;
    };
};
)");
    REQUIRE(t.err == "");
    CHECK(t.m.events[0].id == 7);
    const rtt_type_t *l = member(t.m.events[0].fields, "lvl");
    CHECK(l->size == 16);
    CHECK(l->is_signed == 1);
    REQUIRE(l->nmap == 5);
    CHECK(std::string(l->map[2].label) == "c");
    CHECK(l->map[2].lo == 32);
    CHECK(l->map[2].hi == 32);
    CHECK(std::string(l->map[3].label) == "quoted label");
    CHECK(l->map[3].lo == -5);
    CHECK(l->map[4].lo == -4);
    const rtt_type_t *b = member(t.m.events[0].fields, "big");
    REQUIRE(b->nmap == 1);
    CHECK((uint64_t)b->map[0].lo == UINT64_MAX);
}

TEST_CASE("snippet: named variant, float, string, comments, skipped blocks", "[snippet]")
{
    Meta u(std::string(prelude) + R"(
// a C++ comment with { braces } and "quotes"
variant opts { uint32_t small; floating_point { exp_dig = 11; mant_dig = 53; align = 64; } dbl; };
callsite { name = "x"; func = "f"; ip = 0x1; file = "a.c"; line = 3; nested { a; }; };
env { neg = -3; word = ident; };
typedef integer { size = 16; align = 16; } u16_t;
event {
    name = "v";
    unknown_attribute = 12;
    context := struct { string { encoding = UTF8; } who; };
    fields := struct {
        enum : uint8_t { small, dbl } sel;
        variant opts <_sel> val;  /* tag with a '_' the member lacks */
        u16_t after;
    };
};
)");
    REQUIRE(u.err == "");
    CHECK(rtt_tsdl_env(&u.m, "neg")->i == -3);
    CHECK(std::string(rtt_tsdl_env(&u.m, "word")->s) == "ident");
    const rtt_ctf_event_class_t *e = u.event("v");
    REQUIRE(e != nullptr);
    CHECK(member(e->context, "who")->kind == RTT_T_STRING);
    const rtt_type_t *val = member(e->fields, "val");
    REQUIRE(val->kind == RTT_T_VARIANT);
    CHECK(val->tag_member == 0);
    const rtt_type_t *dbl = member(val, "dbl");
    CHECK(dbl->kind == RTT_T_FLOAT);
    CHECK(dbl->size == 64);
    CHECK(dbl->align == 64);
    CHECK(member(e->fields, "after")->size == 16);
    CHECK(e->fields->align == 16); // the typedef'd member's align
    CHECK(val->align == 1); // a variant adds no alignment of its own
    Meta empty("event { name = e; fields := struct { }; };");
    REQUIRE(empty.err == "");
    CHECK(empty.m.events[0].fields->nmemb == 0);
    CHECK(empty.m.events[0].fields->align == 1);
    CHECK(empty.m.events[0].context == nullptr);
    CHECK(u.m.nevents == 1);
}
