// test_ctf_scope.cpp - rtt_scope_decode (tools/analysis/ctf/scope.c) on
// scopes compiled from TSDL snippets: integers at odd bit offsets in
// CTF's little-endian bit order, sign extension, reads at the very end of
// an exact-size buffer (ASan builds catch a byte read past it), the clock
// with a wrap, variants chosen by enum label, sequences, strings and text
// arrays with and without their NUL. Cost: microseconds per case.
#include "ctf_test_util.hpp"

using namespace ctf_test;

static std::string event(const std::string &fields)
{
    return prelude() + "event { name = t; fields := struct {\n" + fields + "\n}; };\n";
}

TEST_CASE("scope: the bit packer writes CTF's little-endian bit order", "[scope]")
{
    // 1 (1 bit), 0x15 (5 bits): byte 0 = 1 | 0x15 << 1 = 0x2b; then 0x3ff
    // (10 bits) from bit 6: bits 6-7 of byte 0, all of byte 1
    Bits b;
    b.put(1, 1).put(0x15, 5).put(0x3ff, 10);
    REQUIRE(b.b.size() == 2);
    CHECK(b.b[0] == 0xeb);
    CHECK(b.b[1] == 0xff);
}

TEST_CASE("scope: 5- and 27-bit fields at odd bit offsets", "[scope]")
{
    Compiled c(event("uint1_t _x; uint5_t _a; uint27_t _b; uint5_t _c; uint27_t _d;"),
               Roles{{"x", "a", "b", "c", "d"}, {}});
    REQUIRE(c.err == "");
    // offsets 0, 1, 6, 33, 38; 65 bits in 9 bytes
    Bits b;
    b.put(1, 1).put(0x15, 5).put(0x5a5a5a5, 27).put(0x0b, 5).put(0x7fffffe, 27);
    REQUIRE(b.b.size() == 9);
    CHECK(b.b[0] == (1 | 0x15 << 1 | (0x5a5a5a5 & 3) << 6)); // 0x6b
    Decoded d(c.s, b.b, 65);
    REQUIRE(d.rc == 0);
    CHECK(d.pos == 65);
    CHECK(d.slots[0] == 1);
    CHECK(d.slots[1] == 0x15);
    CHECK(d.slots[2] == 0x5a5a5a5);
    CHECK(d.slots[3] == 0x0b);
    CHECK(d.slots[4] == 0x7fffffe);

    // one bit short: the last field does not fit
    Decoded s(c.s, b.b, 64);
    CHECK(s.rc == -1);
    CHECK(s.pos == 0); // not advanced on failure
    // from bit 1 the same fields need bits 1..65: one past the end
    Decoded o(c.s, b.b, 65, 0, 1);
    CHECK(o.rc == -1);
}

TEST_CASE("scope: signed integers are sign-extended", "[scope]")
{
    Compiled c(event(R"(
        integer { size = 8; align = 8; signed = true; } _s8;
        integer { size = 16; align = 8; signed = true; } _s16;
        integer { size = 32; align = 8; signed = true; } _s32;
        integer { size = 64; align = 8; signed = true; } _s64;
        integer { size = 3; align = 1; signed = true; } _s3;
        integer { size = 13; align = 1; signed = true; } _s13;
        integer { size = 33; align = 1; signed = true; } _s33;
        integer { size = 13; align = 1; signed = true; } _p13;
        integer { size = 13; align = 1; signed = false; } _u13;)"),
               Roles{{"s8", "s16", "s32", "s64", "s3", "s13", "s33", "p13", "u13"}, {}});
    REQUIRE(c.err == "");
    Bits b;
    b.put(0xff, 8).put(0x8000, 16).put(0x80000000u, 32).put(UINT64_C(0x8000000000000000), 64);
    b.put(0x4, 3).put(0x1fff, 13).put(UINT64_C(0x100000000), 33).put(0x0fff, 13).put(0x1fff, 13);
    uint64_t bits = b.pos;
    CHECK(bits == 120 + 3 + 13 + 33 + 13 + 13);
    Decoded d(c.s, b.b, bits);
    REQUIRE(d.rc == 0);
    CHECK(d.slots[0] == -1);
    CHECK(d.slots[1] == INT16_MIN);
    CHECK(d.slots[2] == INT32_MIN);
    CHECK(d.slots[3] == INT64_MIN);
    CHECK(d.slots[4] == -4);
    CHECK(d.slots[5] == -1);
    CHECK(d.slots[6] == -(INT64_C(1) << 32));
    CHECK(d.slots[7] == 4095);  // the largest positive 13-bit value
    CHECK(d.slots[8] == 0x1fff); // unsigned: no extension
}

TEST_CASE("scope: byte-aligned integers of every byte size", "[scope][asan]")
{
    // 8, 16, 32 and 64 bits are one load each; 24, 40, 48 and 56 read
    // their bytes only (the last field ends the exact-size buffer)
    Compiled c(event(R"(
        integer { size = 8; align = 8; } _a;
        integer { size = 16; align = 8; } _b;
        integer { size = 24; align = 8; } _c;
        integer { size = 32; align = 8; } _d;
        integer { size = 40; align = 8; } _e;
        integer { size = 48; align = 8; } _f;
        integer { size = 64; align = 8; } _g;
        integer { size = 56; align = 8; signed = true; } _h;)"),
               Roles{{"a", "b", "c", "d", "e", "f", "g", "h"}, {}});
    REQUIRE(c.err == "");
    Bits b;
    b.put(0xa1, 8).put(0xb2b1, 16).put(0xc3c2c1, 24).put(0xd4d3d2d1u, 32);
    b.put(UINT64_C(0xe5e4e3e2e1), 40).put(UINT64_C(0xf6f5f4f3f2f1), 48);
    b.put(UINT64_C(0x0807060504030201), 64).put(UINT64_C(0x80000000000001), 56);
    Decoded d(c.s, b.b, b.pos);
    REQUIRE(d.rc == 0);
    CHECK(d.slots[0] == 0xa1);
    CHECK(d.slots[1] == 0xb2b1);
    CHECK(d.slots[2] == 0xc3c2c1);
    CHECK(d.slots[3] == 0xd4d3d2d1);
    CHECK(d.slots[4] == INT64_C(0xe5e4e3e2e1));
    CHECK(d.slots[5] == INT64_C(0xf6f5f4f3f2f1));
    CHECK(d.slots[6] == INT64_C(0x0807060504030201));
    CHECK(d.slots[7] == -((INT64_C(1) << 55) - 1)); // sign-extended from bit 55
    CHECK(d.pos == 8 + 16 + 24 + 32 + 40 + 48 + 64 + 56);
}

TEST_CASE("scope: 64-bit reads at the end of an exact-size buffer", "[scope][asan]")
{
    SECTION("aligned, the buffer's last 8 bytes")
    {
        Compiled c(event("uint64_t _v;"), Roles{{"v"}, {}});
        Bits b;
        b.put(UINT64_C(0x0123456789abcdef), 64);
        Decoded d(c.s, b.b, 64);
        REQUIRE(d.rc == 0);
        CHECK((uint64_t)d.slots[0] == UINT64_C(0x0123456789abcdef));
        CHECK(d.pos == 64);
    }
    SECTION("at bit 1: 65 bits over 9 bytes, the last byte read")
    {
        Compiled c(event("uint1_t _x; integer { size = 64; align = 1; } _v;"),
                   Roles{{"x", "v"}, {}});
        Bits b;
        b.put(0, 1).put(UINT64_C(0xfedcba9876543210), 64);
        REQUIRE(b.b.size() == 9);
        Decoded d(c.s, b.b, 65);
        REQUIRE(d.rc == 0);
        CHECK((uint64_t)d.slots[1] == UINT64_C(0xfedcba9876543210));
        CHECK(d.pos == 65);
    }
    SECTION("at bit 7: 71 bits over 9 bytes")
    {
        Compiled c(event("integer { size = 7; align = 1; } _x; "
                         "integer { size = 64; align = 1; signed = true; } _v;"),
                   Roles{{"x", "v"}, {}});
        Bits b;
        b.put(0x55, 7).put(UINT64_C(0xffffffffffffff80), 64);
        REQUIRE(b.b.size() == 9);
        Decoded d(c.s, b.b, 71);
        REQUIRE(d.rc == 0);
        CHECK(d.slots[0] == 0x55);
        CHECK(d.slots[1] == -128);
    }
    SECTION("one 64-bit field past a 9-byte buffer's end is refused")
    {
        Compiled c(event("uint1_t _x; integer { size = 64; align = 1; } _v; uint1_t _y;"),
                   Roles{{"x", "v", "y"}, {}});
        Bits b;
        b.put(1, 1).put(UINT64_MAX, 64);
        Decoded d(c.s, b.b, 65); // y would be bit 65: past the end
        CHECK(d.rc == -1);
        CHECK(d.slots[1] == -1); // read before the failure
        CHECK(d.slots[2] == INT64_C(0x5555555555555555));
    }
    SECTION("a 5-bit field in the last byte, the buffer 3 bytes long")
    {
        Compiled c(event("uint16_t _a; integer { size = 3; align = 1; } _p; uint5_t _v;"),
                   Roles{{"a", "p", "v"}, {}});
        Bits b;
        b.put(0xbeef, 16).put(0, 3).put(0x1b, 5);
        REQUIRE(b.b.size() == 3);
        Decoded d(c.s, b.b, 24);
        REQUIRE(d.rc == 0);
        CHECK(d.slots[0] == 0xbeef);
        CHECK(d.slots[2] == 0x1b);
    }
}

TEST_CASE("scope: a 27-bit clock field updates the clock with one wrap", "[scope][clock]")
{
    Compiled c(event("uint27_clock_t _t;"), Roles{{"t"}, {}});
    REQUIRE(c.err == "");
    const uint64_t hi = UINT64_C(5) << 27;
    SECTION("a smaller low part: one wrap")
    {
        Bits b;
        b.put(0x10, 27);
        Decoded d(c.s, b.b, 27, hi | 0x7fffff0);
        REQUIRE(d.rc == 0);
        CHECK(d.clock == ((UINT64_C(6) << 27) | 0x10));
        CHECK(d.slots[0] == 0x10);
    }
    SECTION("a larger low part: no wrap")
    {
        Bits b;
        b.put(0x7fffff5, 27);
        Decoded d(c.s, b.b, 27, hi | 0x7fffff0);
        REQUIRE(d.rc == 0);
        CHECK(d.clock == (hi | 0x7fffff5));
    }
    SECTION("the same low part: no wrap")
    {
        Bits b;
        b.put(0x123, 27);
        Decoded d(c.s, b.b, 27, hi | 0x123);
        REQUIRE(d.rc == 0);
        CHECK(d.clock == (hi | 0x123));
    }
    SECTION("the top of the clock wraps to 0")
    {
        Bits b;
        b.put(1, 27);
        Decoded d(c.s, b.b, 27, UINT64_MAX);
        REQUIRE(d.rc == 0);
        CHECK(d.clock == 1);
    }
}

TEST_CASE("scope: a 64-bit clock field sets the clock, unless skipped", "[scope][clock]")
{
    const std::string f = "uint64_clock_t _timestamp_begin; uint64_clock_t _timestamp_end;";
    Bits b;
    b.put(1000, 64).put(2000, 64);
    {
        Compiled c(event(f), Roles{{"timestamp_begin", "timestamp_end"}, {}});
        Decoded d(c.s, b.b, 128, 77);
        REQUIRE(d.rc == 0);
        CHECK(d.clock == 2000);
    }
    {
        Compiled c(event(f), Roles{{"timestamp_begin", "timestamp_end"}, {}}, "timestamp_end");
        Decoded d(c.s, b.b, 128, 77);
        REQUIRE(d.rc == 0);
        CHECK(d.clock == 1000); // the end is read, not applied
        CHECK(d.slots[1] == 2000);
    }
}

// LTTng's compact event header (5-bit id, 27-bit time, or 31 and an
// extended struct), as in an LTTng-UST trace's metadata.
static const char *const compact_header = R"(
    enum : uint5_t { compact = 0 ... 30, extended = 31 } _id;
    variant <_id> {
        struct { uint27_clock_t timestamp; } compact;
        struct { uint32_t id; uint64_clock_t timestamp; } extended;
    } _v;
    uint8_t _after;)";

TEST_CASE("scope: the variant is chosen by the enum's label", "[scope][variant]")
{
    Compiled c(event(compact_header), Roles{{"id", "after"}, {}});
    REQUIRE(c.err == "");
    SECTION("compact: id 0..30 and 27 bits of time")
    {
        Bits b;
        b.put(7, 5).put(0x1234567, 27).put(0xaa, 8);
        Decoded d(c.s, b.b, b.pos, UINT64_C(3) << 27);
        REQUIRE(d.rc == 0);
        CHECK(d.slots[0] == 7);
        CHECK(d.clock == ((UINT64_C(3) << 27) | 0x1234567));
        CHECK(d.slots[1] == 0xaa);
        CHECK(d.pos == 40);
    }
    SECTION("extended: 31, then the id and 64 bits of time, byte-aligned")
    {
        Bits b;
        b.put(31, 5).align(8).put(70000, 32).put(UINT64_C(0x1122334455667788), 64).put(0xbb, 8);
        CHECK(b.pos == 112);
        Decoded d(c.s, b.b, b.pos, 99);
        REQUIRE(d.rc == 0);
        CHECK(d.slots[0] == 70000); // the extended id replaces the tag's value
        CHECK(d.clock == UINT64_C(0x1122334455667788));
        CHECK(d.slots[1] == 0xbb);
        CHECK(d.pos == 112);
    }
}

TEST_CASE("scope: a tag value no option matches fails", "[scope][variant]")
{
    Compiled c(event(R"(
        enum : uint8_t { small = 0 ... 9, big = 10, orphan = 20 } _tag;
        variant <_tag> { uint8_t small; uint16_t big; } _v;)"),
               Roles{{"tag"}, {}});
    REQUIRE(c.err == "");
    Bits ok;
    ok.put(10, 8).put(0xbeef, 16);
    CHECK(Decoded(c.s, ok.b, 24).rc == 0);
    for (uint64_t tag : {11u, 20u, 255u}) {
        INFO("tag " << tag);
        Bits b;
        b.put(tag, 8).put(0, 16);
        Decoded d(c.s, b.b, 24);
        CHECK(d.rc == -1); // 11: in no range; 20: a label without an option
        CHECK(d.slots[0] == (int64_t)tag);
    }
}

TEST_CASE("scope: sequences take their length from a sibling", "[scope][seq]")
{
    Compiled c(event(R"(
        uint32_t _n; uint16_t _vals[_n]; uint8_t _after;
        uint8_t _len; integer { size = 8; align = 8; encoding = UTF8; } _text[_len];
        uint8_t _last;)"),
               Roles{{"n", "after", "len", "last"}, {"text"}});
    REQUIRE(c.err == "");
    SECTION("three 16-bit values, then text of 4 bytes with a NUL in it")
    {
        Bits b;
        b.put(3, 32).put(1, 16).put(2, 16).put(3, 16).put(0x7e, 8);
        b.put(4, 8).bytes("ab\0z", 4).put(0x42, 8);
        Decoded d(c.s, b.b, b.pos);
        REQUIRE(d.rc == 0);
        CHECK(d.slots[0] == 3);
        CHECK(d.slots[1] == 0x7e);
        CHECK(d.slots[2] == 4);
        CHECK(d.slots[3] == 0x42);
        CHECK(d.str[0] == "ab");
        CHECK(d.strs[0].len == 2);
        CHECK(d.strs[0].nul == 1);
        CHECK(d.pos == 32 + 48 + 8 + 8 + 32 + 8);
    }
    SECTION("text without a NUL: all of it, nul = 0")
    {
        Bits b;
        b.put(0, 32).put(0x7e, 8).put(5, 8).bytes("hello", 5).put(0x42, 8);
        Decoded d(c.s, b.b, b.pos);
        REQUIRE(d.rc == 0);
        CHECK(d.str[0] == "hello");
        CHECK(d.strs[0].len == 5);
        CHECK(d.strs[0].nul == 0);
        CHECK(d.slots[3] == 0x42);
    }
    SECTION("a length past the end fails")
    {
        Bits b;
        b.put(1000, 32).put(1, 16);
        CHECK(Decoded(c.s, b.b, b.pos).rc == -1);
        Bits t;
        t.put(0, 32).put(0, 8).put(200, 8).bytes("abc", 3);
        CHECK(Decoded(c.s, t.b, t.pos).rc == -1);
    }
}

TEST_CASE("scope: a signed length of -1 is not a huge sequence", "[scope][seq]")
{
    // The parser refuses a signed length (CTF's rule), so the tree is built
    // by hand: the decoder must not trust the parser for this.
    rtt_type_t u8, n, seq, st;
    memset(&u8, 0, sizeof u8);
    u8.kind = RTT_T_INT;
    u8.size = 8;
    u8.align = 8;
    u8.clock = -1;
    n = u8;
    n.is_signed = 1;
    memset(&seq, 0, sizeof seq);
    seq.kind = RTT_T_SEQ;
    seq.align = 8;
    seq.elem = &u8;
    seq.len_member = 0;
    rtt_member_t m[2] = {{(char *)"_n", &n}, {(char *)"_v", &seq}};
    memset(&st, 0, sizeof st);
    st.kind = RTT_T_STRUCT;
    st.align = 8;
    st.nmemb = 2;
    st.memb = m;
    Roles roles{{"n"}, {}};
    rtt_scope_t s;
    char e[256] = "";
    REQUIRE(rtt_scope_compile(&s, &st, 1, Roles::fn, &roles, nullptr, e, sizeof e) == 0);
    Bits b;
    b.put(0xff, 8).put(1, 8);
    Decoded d(s, b.b, b.pos);
    CHECK(d.rc == -1);
    CHECK(d.slots[0] == -1);
    rtt_scope_free(&s);
}

TEST_CASE("scope: strings end at their NUL", "[scope][string]")
{
    Compiled c(event("string _s; uint8_t _after;"), Roles{{"after"}, {"s"}});
    REQUIRE(c.err == "");
    SECTION("with a NUL")
    {
        Bits b;
        b.bytes("rtk\0", 4).put(9, 8);
        Decoded d(c.s, b.b, b.pos);
        REQUIRE(d.rc == 0);
        CHECK(d.str[0] == "rtk");
        CHECK(d.strs[0].nul == 1);
        CHECK(d.slots[0] == 9);
        CHECK(d.pos == 40);
    }
    SECTION("no NUL before the end of the content fails")
    {
        Bits b;
        b.bytes("rtk", 3);
        CHECK(Decoded(c.s, b.b, b.pos).rc == -1);
        // a NUL in the buffer but after the content's end does not count
        Bits z;
        z.bytes("rtk\0", 4);
        CHECK(Decoded(c.s, z.b, 24).rc == -1);
    }
    SECTION("empty")
    {
        Bits b;
        b.put(0, 8).put(1, 8);
        Decoded d(c.s, b.b, b.pos);
        REQUIRE(d.rc == 0);
        CHECK(d.strs[0].len == 0);
        CHECK(d.slots[0] == 1);
    }
}

TEST_CASE("scope: text arrays with and without a NUL", "[scope][string]")
{
    Compiled c(event("integer { size = 8; align = 8; signed = 1; encoding = UTF8; } _procname[4]; "
                     "uint8_t _after;"),
               Roles{{"after"}, {"procname"}});
    REQUIRE(c.err == "");
    SECTION("without a NUL: len is the array's length, nul = 0")
    {
        Bits b;
        b.bytes("abcd", 4).put(3, 8);
        Decoded d(c.s, b.b, b.pos);
        REQUIRE(d.rc == 0);
        CHECK(d.str[0] == "abcd");
        CHECK(d.strs[0].len == 4);
        CHECK(d.strs[0].nul == 0);
        CHECK(d.slots[0] == 3);
        CHECK(d.pos == 40);
    }
    SECTION("with a NUL: up to it, the array's bytes all consumed")
    {
        Bits b;
        b.bytes("ab\0x", 4).put(3, 8);
        Decoded d(c.s, b.b, b.pos);
        REQUIRE(d.rc == 0);
        CHECK(d.str[0] == "ab");
        CHECK(d.strs[0].len == 2);
        CHECK(d.strs[0].nul == 1);
        CHECK(d.pos == 40);
    }
    SECTION("cut short")
    {
        Bits b;
        b.bytes("abc", 3);
        CHECK(Decoded(c.s, b.b, b.pos).rc == -1);
    }
}
