// test_tsdl_errors.cpp - metadata the parser refuses, each with one line
// "metadata line N: what" and the right N; and garbage (every truncation of
// the sample, flipped bytes, deep nesting) that must fail cleanly, never
// crash or loop (run under the asan preset too).
#include "tsdl_test_util.hpp"

#include <algorithm>

using namespace tsdl_test;

// The line (1-based) where `marker` first occurs in text.
static int line_of(const std::string &text, const std::string &marker)
{
    size_t at = text.find(marker);
    REQUIRE(at != std::string::npos);
    return 1 + (int)std::count(text.begin(), text.begin() + (long)at, '\n');
}

TEST_CASE("error: an unknown block keyword", "[error]")
{
    CHECK(error_of("typealias integer { size = 8; } := u8;\n"
                   "trace { major = 1; };\n"
                   "widget {\n};\n") == "metadata line 3: unknown block 'widget'");
}

TEST_CASE("error: an unknown type keyword", "[error]")
{
    CHECK(error_of("event {\n  name = a;\n  fields := struct {\n"
                   "    gizmo x;\n  };\n};\n") ==
          "metadata line 4: unknown type 'gizmo'");
    CHECK(error_of("event {\n  name = a;\n  fields := struct {\n"
                   "    struct nothing x;\n  };\n};\n") ==
          "metadata line 4: unknown struct 'nothing'");
}

TEST_CASE("error: a block not closed", "[error]")
{
    CHECK(error_of("trace { major = 1; };\nevent {\n  name = \"a\";\n  id = 1;\n") ==
          "metadata line 5: end of metadata inside the event block of line 2");
    CHECK(error_of("trace {\n  major = 1;\n  packet.header := struct {\n") ==
          "metadata line 4: end of metadata inside the trace block of line 1");
    CHECK(error_of("trace { major = 1; }\nclock { name = c; };") ==
          "metadata line 2: expected ';', found 'clock'");
}

TEST_CASE("error: a variant tag or sequence length that is not a sibling", "[error]")
{
    const char *head = "typealias integer { size = 8; } := u8;\n"
                       "event { name = a; fields := struct {\n";
    CHECK(error_of(std::string(head) + "  u8 x;\n  variant <id> { u8 a; } v;\n}; };\n") ==
          "metadata line 4: variant tag 'id' is not a member before 'v'");
    // declared after the variant: not yet a sibling
    CHECK(error_of(std::string(head) +
                   "  variant <id> { u8 a; } v;\n  enum : u8 { a } id;\n}; };\n") ==
          "metadata line 3: variant tag 'id' is not a member before 'v'");
    // a path, not a sibling
    CHECK(error_of(std::string(head) +
                   "  enum : u8 { a } id;\n  variant <event.header.id> { u8 a; } v;\n}; };\n") ==
          "metadata line 4: variant tag 'event.header.id' is not a member before 'v'");
    CHECK(error_of(std::string(head) + "  u8 x;\n  variant <x> { u8 a; } v;\n}; };\n") ==
          "metadata line 4: variant tag 'x' is not an enum");
    CHECK(error_of(std::string(head) + "  u8 x;\n\n  u8 data[len];\n}; };\n") ==
          "metadata line 5: sequence length 'len' is not a member before 'data'");
    CHECK(error_of(std::string(head) +
                   "  integer { size = 8; signed = true; } len;\n  u8 data[len];\n}; };") ==
          "metadata line 4: sequence length 'len' is not an unsigned integer");
}

TEST_CASE("error: the sample truncated", "[error]")
{
    const std::string s = fixture("lttng_ust_213.tsdl");
    // inside a string
    std::string cut = s.substr(0, s.find("rtk:task_qu") + 5);
    CHECK(error_of(cut) == "metadata line " +
                               std::to_string(line_of(s, "rtk:task_qu")) +
                               ": string not closed");
    // between tokens, inside an event's fields
    size_t at = s.find("_timer_id;") + 10;
    cut = s.substr(0, at);
    int ev = line_of(s, "name = \"rtk:task_queued\"") - 1;
    CHECK(error_of(cut) == "metadata line " + std::to_string(line_of(s, "_timer_id;")) +
                               ": end of metadata inside the event block of line " +
                               std::to_string(ev));
    // inside a comment
    cut = s.substr(0, s.find("Frequency"));
    CHECK(error_of(cut) == "metadata line " + std::to_string(line_of(s, "Frequency")) +
                               ": comment not closed");
    // every cut either fails with a message or parses (at a block's end)
    int ok = 0;
    for (size_t n = 0; n < s.size(); n += 7) {
        Meta m(s.substr(0, n));
        if (m.rc == 0)
            ok++;
        else
            CHECK(m.err.rfind("metadata line ", 0) == 0);
    }
    CHECK(ok > 0);
    CHECK(ok < 60);
}

TEST_CASE("error: values and layouts this reader refuses", "[error]")
{
    CHECK(error_of("trace {\n  byte_order = be;\n};") ==
          "metadata line 2: big-endian trace: not supported");
    CHECK(error_of("typealias integer {\n  size = 8; byte_order = network;\n} := u8;") ==
          "metadata line 2: big-endian integer: not supported");
    CHECK(error_of("typealias integer { size = 65; } := u8;") ==
          "metadata line 1: number out of range");
    CHECK(error_of("typealias integer { align = 8; } := u8;") ==
          "metadata line 1: integer without a size");
    CHECK(error_of("typealias integer { size = 8; align = 3; } := u8;") ==
          "metadata line 1: alignment 3 is not a power of two up to 2^20");
    CHECK(error_of("typealias integer { size = 8; map = clock.wall.value; } := u8;") ==
          "metadata line 1: map to an unknown clock 'clock.wall.value'");
    CHECK(error_of("typealias integer { size = 8; encoding = EBCDIC; } := u8;") ==
          "metadata line 1: unknown encoding 'EBCDIC'");
    CHECK(error_of("env { a = 99999999999999999999; };") ==
          "metadata line 1: number out of range '99999999999999999999'");
    CHECK(error_of("typealias integer { size = 8; } := u8;\n"
                   "typealias integer { size = 16; } := u8;") ==
          "metadata line 2: type 'u8' defined twice");
    CHECK(error_of("typealias integer { size = 8; } := u8;\n"
                   "event { name = a; fields := struct { u8 x;\n u8 x; }; };") ==
          "metadata line 3: field 'x' declared twice");
    CHECK(error_of("typealias integer { size = 8; } := u8;\n"
                   "stream { event.header := u8; };") ==
          "metadata line 2: event.header is not a struct");
    CHECK(error_of("typealias integer { size = 8; } := u8;\n"
                   "enum e : u8 { a = 5 ... 3 };") ==
          "metadata line 2: enum range of 'a' ends below its start");
    CHECK(error_of("clock { freq = 1; };") == "metadata line 1: clock without a name");
    CHECK(error_of("trace { major = 1; };\n\x01") ==
          "metadata line 2: unexpected character");
    // an unknown attribute in an integer is ignored, not an error
    Meta ok("typealias integer { size = 8; frobnicate = yes; base = hex; } := u8;");
    CHECK(ok.err == "");
}

TEST_CASE("error: nesting deeper than 32", "[error]")
{
    std::string deep = "event { name = a; fields := ";
    for (int i = 0; i < 40; i++)
        deep += "struct { ";
    Meta m(deep);
    CHECK(m.err == "metadata line 1: types nested deeper than 32");
    // 31 levels are fine
    std::string ok = "typealias integer { size = 8; } := u8;\nevent { name = a; fields := ";
    for (int i = 0; i < 31; i++)
        ok += "struct { ";
    ok += "u8 x; ";
    for (int i = 0; i < 31; i++)
        ok += "} s; ";
    ok.resize(ok.size() - 3); // the outermost has no name
    ok += "; };";
    Meta m2(ok);
    CHECK(m2.err == "");
}

TEST_CASE("error: types that would cost a decoder unbounded work", "[error]")
{
    // each level holds the one before twice: s14 has 2^16 - 1 nodes written
    // out, s15 2^17 - 1
    std::string t = "typealias integer { size = 8; } := u8;\n"
                    "struct s0 { u8 a; u8 b; };\n";
    for (int i = 1; i <= 15; i++)
        t += "struct s" + std::to_string(i) + " { struct s" + std::to_string(i - 1) +
             " a; struct s" + std::to_string(i - 1) + " b; };\n";
    CHECK(error_of(t) == "metadata line 17: a type of more than 65536 nodes written out");
    Meta ok(t.substr(0, t.find("struct s15 ")) +
            "stream { event.context := struct s14; };");
    REQUIRE(ok.err == "");
    CHECK(ok.m.streams[0].event_context->nodes == 65535);
    // arrays whose elements read nothing
    const char *head = "typealias integer { size = 8; } := u8;\n"
                       "event { name = a; fields := struct {\n  u8 n;\n";
    CHECK(error_of(std::string(head) + "  struct { } many[1000000];\n}; };") ==
          "metadata line 4: array or sequence 'many' of elements that hold no data");
    CHECK(error_of(std::string(head) + "  u8 grid[1000000][0];\n}; };") ==
          "metadata line 4: array or sequence 'grid' of elements that hold no data");
    CHECK(error_of(std::string(head) + "  struct { struct { } e; } s[n];\n}; };") ==
          "metadata line 4: array or sequence 's' of elements that hold no data");
    Meta fine(std::string(head) + "  u8 none[0];\n  struct { u8 x; } two[2];\n}; };");
    REQUIRE(fine.err == "");
    const rtt_type_t *f = fine.m.events[0].fields;
    CHECK(f->nodes == 1 + 1 + 2 + 3); // struct, n, none[0] (2), two[2] (array, struct, x)
    CHECK(member(f, "two")->nodes == 3);
}

TEST_CASE("error: the bounds on fields and named types", "[error]")
{
    std::string t;
    for (int i = 0; i < 4096; i++)
        t += "typealias integer { size = 8; } := t" + std::to_string(i) + ";\n";
    std::string fields;
    for (int i = 0; i < 4096; i++)
        fields += "t4095 f" + std::to_string(i) + "; ";
    Meta dup(t + "event { name = e; fields := struct { " + fields + "t0 f4095; }; };");
    // f4095 again: the index of names finds it among 4096
    CHECK(dup.err == "metadata line 4097: field 'f4095' declared twice");
    Meta full(t + "event { name = e; fields := struct { " + fields + "}; };");
    REQUIRE(full.err == "");
    CHECK(full.m.events[0].fields->nmemb == 4096);
    CHECK(full.m.events[0].fields->nodes == 4097);
    CHECK(error_of(t + "event { name = e; fields := struct { " + fields + "t0 x; }; };") ==
          "metadata line 4097: more than 4096 fields");
    CHECK(error_of(t + "typealias integer { size = 8; } := one_more;") ==
          "metadata line 4097: more than 4096 named types");
}

TEST_CASE("error: flipped bytes never crash", "[error]")
{
    const std::string s = fixture("lttng_ust_213.tsdl");
    const char junk[] = {'{', '}', ';', '"', '/', '*', '[', ']', '<', '\0', 'x', '9'};
    int failed = 0, n = 0;
    for (size_t at = 3; at < s.size(); at += 41) {
        std::string t = s;
        t[at] = junk[n++ % sizeof junk];
        Meta m(t);
        if (m.rc) {
            failed++;
            CHECK(m.err.rfind("metadata line ", 0) == 0);
        }
    }
    CHECK(failed > n / 4);
}
