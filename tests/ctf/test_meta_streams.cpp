// test_meta_streams.cpp - which stream classes a trace's metadata declares
// (tools/analysis/decode/metadata.c, rtt_meta_read): what ingest checks
// every LTTng stream file against before a decoder opens the trace, so a
// per-PID trace whose metadata LTTng never finished (its process exited or
// was slow while the session stopped) is named, or left out with
// --skip-unreadable, instead of failing deep in babeltrace2. The stream
// classes come from rt-trace's own TSDL parser (ctf/tsdl.c): text it
// refuses means nothing is checked. Fixtures: the packetized metadata of an
// LTTng-UST 2.13 trace and complete TSDL texts written here. Cost: a few
// small files in the build tree.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>

extern "C" {
#include "metadata.h"
}

namespace {

// Write TEXT as DIR/metadata under the test folder; returns DIR.
std::string meta_dir(const std::string &name, const std::string &text)
{
    std::string dir = std::string(RTT_CTF_TEST_TMP) + "/meta_" + name;
    mkdir(dir.c_str(), 0755);
    std::ofstream(dir + "/metadata", std::ios::binary | std::ios::trunc) << text;
    return dir;
}

// The smallest complete TSDL that rt-trace's TSDL parser (ctf/tsdl.c)
// accepts as LTTng writes it: the integer types, the trace block with its
// packet header, the event headers the stream blocks below name, and no
// stream class yet (TYPES is the part without the env block).
const char *const TYPES =
    "/* CTF 1.8 */\n"
    "typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n"
    "typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n"
    "typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n"
    "trace {\n\tmajor = 1;\n\tminor = 8;\n\tbyte_order = le;\n"
    "\tpacket.header := struct {\n\t\tuint32_t magic;\n"
    "\t\tuint8_t uuid[16];\n\t\tuint32_t stream_id;\n"
    "\t\tuint64_t stream_instance_id;\n\t};\n};\n"
    "struct event_header_compact {\n\tuint32_t id;\n"
    "\tuint64_t timestamp;\n} align(8);\n"
    "struct event_header_large {\n\tuint32_t id;\n"
    "\tuint64_t timestamp;\n} align(8);\n";

const std::string LTTNG_ENV =
    std::string(TYPES) + "env {\n\ttracer_name = \"lttng-ust\";\n};\n";

rtt_meta_t read_meta(const std::string &dir)
{
    rtt_meta_t m;
    char err[512] = "";
    REQUIRE(rtt_meta_read(dir.c_str(), &m, err, sizeof err) == 0);
    return m;
}

} // namespace

TEST_CASE("the stream classes of LTTng's packetized metadata", "[meta]")
{
    std::ifstream in(std::string(RTT_CTF_FIXTURES) + "/lttng_ust_213.metadata",
                     std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() > 1000);
    rtt_meta_t m = read_meta(meta_dir("lttng", bytes));
    CHECK(m.lttng == 1);
    REQUIRE(m.streams_known == 1);
    REQUIRE(m.nstreams == 1);
    CHECK(m.stream_ids[0] == 0);
    CHECK(rtt_meta_has_stream(&m, 0) == 1);
    CHECK(rtt_meta_has_stream(&m, 1) == 0);
}

TEST_CASE("stream ids at the block's own level, comments and strings skipped",
          "[meta]")
{
    std::string t = LTTNG_ENV +
                    "/* stream { id = 7; }; in a comment */\n"
                    "// stream { id = 8; };\n"
                    "event {\n\tname = \"stream { id = 6; }\";\n\tid = 3;\n"
                    "\tstream_id = 2;\n"
                    "\tfields := struct {\n\t\tuint32_t stream;\n\t};\n};\n"
                    "stream {\n\tid = 0x2;\n"
                    "\tpacket.context := struct {\n\t\tuint32_t id;\n"
                    "\t\tenum : uint8_t { id = 5 } kind;\n\t};\n"
                    "\tevent.header := struct event_header_large;\n};\n"
                    "stream\n{\n\tid=4;\n};\n";
    rtt_meta_t m = read_meta(meta_dir("nested", t));
    REQUIRE(m.streams_known == 1);
    REQUIRE(m.nstreams == 2);
    CHECK(m.stream_ids[0] == 2);
    CHECK(m.stream_ids[1] == 4);
    CHECK(rtt_meta_has_stream(&m, 2) == 1);
    CHECK(rtt_meta_has_stream(&m, 4) == 1);
    CHECK(rtt_meta_has_stream(&m, 3) == 0);
    CHECK(rtt_meta_has_stream(&m, 7) == 0);
}

TEST_CASE("a stream block without an id is stream class 0", "[meta]")
{
    rtt_meta_t m = read_meta(meta_dir(
        "noid", LTTNG_ENV +
                    "stream {\n\tevent.header := struct event_header_compact;\n};\n"));
    REQUIRE(m.streams_known == 1);
    REQUIRE(m.nstreams == 1);
    CHECK(m.stream_ids[0] == 0);
}

TEST_CASE("metadata an unfinished trace leaves: no stream class at all",
          "[meta]")
{
    rtt_meta_t m = read_meta(meta_dir("none", LTTNG_ENV));
    REQUIRE(m.streams_known == 1);
    CHECK(m.nstreams == 0);
    CHECK(rtt_meta_has_stream(&m, 0) == 0);
}

TEST_CASE("nothing is checked where the stream blocks are not understood",
          "[meta]")
{
    std::string env = LTTNG_ENV;
    SECTION("a type that was never declared")
    {
        rtt_meta_t m = read_meta(meta_dir(
            "undeclared", env + "stream {\n\tid = 1;\n"
                                "\tevent.header := struct event_header_nowhere;\n};\n"));
        CHECK(m.lttng == 1);
        CHECK(m.streams_known == 0);
        CHECK(m.nstreams == 0);
        CHECK(rtt_meta_has_stream(&m, 9) == 1);
    }
    SECTION("an id that is no number")
    {
        rtt_meta_t m = read_meta(meta_dir("nan", env + "stream {\n\tid = x;\n};\n"));
        CHECK(m.streams_known == 0);
    }
    SECTION("a block cut short")
    {
        rtt_meta_t m = read_meta(meta_dir("cut", env + "stream {\n\tid = 1;\n"));
        CHECK(m.streams_known == 0);
    }
    SECTION("an unterminated comment")
    {
        rtt_meta_t m = read_meta(meta_dir("comment", env + "/* stream {\n"));
        CHECK(m.streams_known == 0);
    }
    SECTION("more stream classes than are kept")
    {
        std::string t = env;
        for (int i = 0; i <= RTT_META_STREAMS_MAX; i++)
            t += "stream {\n\tid = " + std::to_string(i) + ";\n};\n";
        rtt_meta_t m = read_meta(meta_dir("many", t));
        CHECK(m.streams_known == 0);
    }
    SECTION("not written by LTTng")
    {
        rtt_meta_t m = read_meta(meta_dir(
            "other", std::string(TYPES) + "stream {\n\tid = 1;\n};\n"));
        CHECK(m.lttng == 0);
        CHECK(m.streams_known == 0);
        CHECK(rtt_meta_has_stream(&m, 0) == 1);
    }
}
