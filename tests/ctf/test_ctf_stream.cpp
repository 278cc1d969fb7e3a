// test_ctf_stream.cpp - one stream file read by the own CTF reader
// (tools/analysis/ctf/stream.c, with trace.c and scope.c): synthetic
// packets written by the test under a small LTTng-UST-like metadata, and
// the exact items it yields: events with their times, the discarded-events
// and discarded-packets records babeltrace2 2.0's src.ctf.fs makes, and a
// give-up (1 and an error) on what it does not expect. Cost: a few small
// files in the build tree, milliseconds.
#include "ctf_test_util.hpp"

#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

extern "C" {
#include "stream.h"
#include "trace.h"
}

using namespace ctf_test;

namespace {

const int64_t kOffset = 1000000; // the clock's offset, ns
const uint8_t kUuid[16] = {0xb0, 0x5e, 0xf6, 0x87, 0x90, 0x21, 0x49, 0x0b,
                           0xb0, 0x35, 0x08, 0xb0, 0xd2, 0xcb, 0x01, 0x40};

const char *const kMetadata = R"(/* CTF 1.8 */
typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 16; align = 8; signed = false; } := uint16_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;
trace {
    major = 1; minor = 8; byte_order = le;
    uuid = "b05ef687-9021-490b-b035-08b0d2cb0140";
    packet.header := struct {
        uint32_t magic; uint8_t uuid[16]; uint32_t stream_id; uint64_t stream_instance_id;
    };
};
env { domain = "ust"; tracer_name = "lttng-ust"; hostname = "test"; };
clock { name = "monotonic"; freq = 1000000000; offset = 1000000; };
typealias integer { size = 32; align = 8; signed = false;
    map = clock.monotonic.value; } := uint32_clock_monotonic_t;
typealias integer { size = 64; align = 8; signed = false;
    map = clock.monotonic.value; } := uint64_clock_monotonic_t;
struct packet_context {
    uint64_clock_monotonic_t timestamp_begin;
    uint64_clock_monotonic_t timestamp_end;
    uint64_t content_size;
    uint64_t packet_size;
    uint64_t packet_seq_num;
    uint64_t events_discarded;
    uint32_t cpu_id;
};
struct event_header_large {
    enum : uint16_t { compact = 0 ... 65534, extended = 65535 } id;
    variant <id> {
        struct { uint32_clock_monotonic_t timestamp; } compact;
        struct { uint32_t id; uint64_clock_monotonic_t timestamp; } extended;
    } v;
} align(8);
stream {
    id = 0;
    event.header := struct event_header_large;
    packet.context := struct packet_context;
};
event { name = "rtk:task_started"; id = 0; stream_id = 0; fields := struct { uint64_t _id; }; };
event { name = "rtk:task_finished"; id = 1; stream_id = 0; fields := struct { uint64_t _id; }; };
)";

struct Ev {
    uint32_t ts;       // the compact header's 32 low bits
    uint64_t v;
    uint16_t id = 0;
    bool extended = false;
    uint64_t ts64 = 0; // extended: the whole time
};

struct Pkt {
    uint64_t begin = 1000, end = 2000, seq = 0, disc = 0;
    std::vector<Ev> ev;
    uint32_t magic = 0xC1FC1FC1u;
    int64_t content_bits = -1; // -1: the end of the last event
    int64_t size_bits = -1;    // -1: content rounded up to 128 bytes
};

// The bytes of one packet: header 32 bytes, context 52, events from 84
// (every type here is byte-aligned: align = 8 bits), 14 bytes each (22
// extended).
std::vector<uint8_t> packet(const Pkt &p)
{
    Bits b;
    b.put(p.magic, 32).bytes(kUuid, 16).put(0, 32).put(0, 64);
    size_t ctx = b.b.size();
    b.put(p.begin, 64).put(p.end, 64).put(0, 64).put(0, 64).put(p.seq, 64).put(p.disc, 64);
    b.put(3, 32); // cpu_id
    for (const Ev &e : p.ev) {
        b.align(8);
        if (e.extended)
            b.put(65535, 16).put(e.id, 32).put(e.ts64, 64);
        else
            b.put(e.id, 16).put(e.ts, 32);
        b.put(e.v, 64);
    }
    uint64_t content = p.content_bits >= 0 ? (uint64_t)p.content_bits : b.pos;
    uint64_t size = p.size_bits >= 0 ? (uint64_t)p.size_bits : (content + 1023) / 1024 * 1024;
    while (b.b.size() * 8 < size && b.b.size() * 8 < content)
        b.put(0, 8);
    std::vector<uint8_t> out = b.b;
    if (p.size_bits < 0)
        out.resize(size / 8, 0);
    Bits sz;
    sz.put(content, 64).put(size, 64);
    memcpy(out.data() + ctx + 16, sz.b.data(), 16);
    return out;
}

// A trace directory (metadata and one stream file) under the build tree.
struct TraceDir {
    std::string dir, stream;
    rtt_ctf_trace_t tr;
    explicit TraceDir(const std::vector<Pkt> &pkts, const std::string &name)
    {
        dir = std::string(RTT_CTF_TEST_TMP) + "/stream-" + name;
        mkdir(dir.c_str(), 0700);
        std::ofstream(dir + "/metadata", std::ios::binary) << kMetadata;
        stream = dir + "/chan_0";
        std::ofstream f(stream, std::ios::binary | std::ios::trunc);
        for (const Pkt &p : pkts) {
            std::vector<uint8_t> b = packet(p);
            f.write((const char *)b.data(), (std::streamsize)b.size());
        }
        f.close();
        char why[600] = "";
        int rc = rtt_ctf_trace_open(&tr, dir.c_str(), why, sizeof why);
        INFO(why);
        REQUIRE(rc == 0);
    }
    TraceDir(const TraceDir &) = delete;
    TraceDir &operator=(const TraceDir &) = delete;
    ~TraceDir()
    {
        rtt_ctf_trace_close(&tr);
        unlink(stream.c_str());
        unlink((dir + "/metadata").c_str());
        rmdir(dir.c_str());
    }
};

// One item as the tests compare it.
struct Item {
    int kind;
    int64_t ts;
    int64_t end_ts; // records
    int have_count;
    uint64_t count;
    int64_t v; // events: the payload's _id
    bool operator==(const Item &o) const
    {
        return kind == o.kind && ts == o.ts && end_ts == o.end_ts &&
               have_count == o.have_count && count == o.count && v == o.v;
    }
};

std::ostream &operator<<(std::ostream &os, const Item &i)
{
    return os << "{kind " << i.kind << " ts " << i.ts << " end " << i.end_ts << " count "
              << i.have_count << "/" << i.count << " v " << i.v << "}";
}

Item event(int64_t cycles, int64_t v) { return {RTT_ITEM_EVENT, cycles + kOffset, 0, 0, 0, v}; }
Item disc_events(int64_t b, int64_t e, int have, uint64_t n)
{
    return {RTT_ITEM_DISC_EVENTS, b + kOffset, e + kOffset, have, n, 0};
}
Item disc_packets(int64_t b, int64_t e, uint64_t n)
{
    return {RTT_ITEM_DISC_PACKETS, b + kOffset, e + kOffset, 1, n, 0};
}

// Every item up to the end or the first give-up: rc is 0, or the open's or
// step's 1, and err its error.
struct Read {
    int open_rc = 0, rc = 0;
    std::string err, damage; // damage: s.damage, in a user's words
    uint64_t damage_off = 0;
    std::vector<Item> items;
    explicit Read(TraceDir &t)
    {
        rtt_ctf_stream_t s;
        open_rc = rtt_ctf_stream_open(&s, t.stream.c_str(), &t.tr, 0);
        if (open_rc != 0) {
            err = s.err;
            rtt_ctf_stream_close(&s);
            return;
        }
        for (int guard = 0; guard < 1000; guard++) {
            rc = rtt_ctf_stream_next(&s);
            if (rc != 0) {
                err = s.err;
                damage = s.damage;
                damage_off = s.damage_off;
                break;
            }
            if (s.item == RTT_ITEM_NONE)
                break;
            Item i{s.item, s.ts, 0, 0, 0, 0};
            if (s.item == RTT_ITEM_EVENT) {
                i.v = s.f[0];
                CHECK(s.ec->kind >= 0);
                CHECK(s.ec->have_f[0] == 1); // the payload's _id
            } else {
                i.end_ts = s.end_ts;
                i.have_count = s.have_count;
                i.count = s.have_count ? s.count : 0;
            }
            items.push_back(i);
        }
        rtt_ctf_stream_close(&s);
    }
};

} // namespace

TEST_CASE("stream: events of two packets, in order, with their times", "[stream]")
{
    Pkt a;
    a.ev = {{1100, 11}, {1200, 12}};
    Pkt b;
    b.begin = 3000, b.end = 4000, b.seq = 1;
    b.ev = {{3100, 21}};
    TraceDir t({a, b}, "two");
    Read r(t);
    REQUIRE(r.open_rc == 0);
    CHECK(r.rc == 0);
    CHECK(r.items == std::vector<Item>{event(1100, 11), event(1200, 12), event(3100, 21)});
}

TEST_CASE("stream: events_discarded 0 then 5 is one record of 5", "[stream][discarded]")
{
    Pkt a;
    a.ev = {{1100, 1}};
    Pkt b;
    b.begin = 3000, b.end = 4000, b.seq = 1, b.disc = 5;
    b.ev = {{3500, 2}};
    TraceDir t({a, b}, "disc5");
    Read r(t);
    REQUIRE(r.open_rc == 0);
    CHECK(r.rc == 0);
    // from the previous packet's end to this packet's end
    CHECK(r.items == std::vector<Item>{event(1100, 1), disc_events(2000, 4000, 1, 5),
                                       event(3500, 2)});
}

TEST_CASE("stream: a first packet with events_discarded 3: a record without a count",
          "[stream][discarded]")
{
    Pkt a;
    a.disc = 3;
    a.ev = {{1500, 7}};
    Pkt b;
    b.begin = 3000, b.end = 4000, b.seq = 1, b.disc = 3; // no growth: no record
    b.ev = {{3001, 8}};
    TraceDir t({a, b}, "disc3first");
    Read r(t);
    REQUIRE(r.open_rc == 0);
    CHECK(r.rc == 0);
    // the packet's own range
    CHECK(r.items == std::vector<Item>{disc_events(1000, 2000, 0, 0), event(1500, 7),
                                       event(3001, 8)});
}

TEST_CASE("stream: packet_seq_num 0 then 3: two packets discarded", "[stream][discarded]")
{
    Pkt a;
    a.ev = {{1100, 1}};
    Pkt b;
    b.begin = 3000, b.end = 4000, b.seq = 3;
    b.ev = {{3100, 2}};
    TraceDir t({a, b}, "seq3");
    Read r(t);
    REQUIRE(r.open_rc == 0);
    CHECK(r.rc == 0);
    // from the previous packet's end to this one's beginning
    CHECK(r.items == std::vector<Item>{event(1100, 1), disc_packets(2000, 3000, 2),
                                       event(3100, 2)});
}

TEST_CASE("stream: both records before one packet: events first, then packets",
          "[stream][discarded]")
{
    Pkt a;
    Pkt b;
    b.begin = 3000, b.end = 4000, b.seq = 2, b.disc = 9;
    TraceDir t({a, b}, "both");
    Read r(t);
    REQUIRE(r.open_rc == 0);
    CHECK(r.rc == 0);
    CHECK(r.items == std::vector<Item>{disc_events(2000, 4000, 1, 9),
                                       disc_packets(2000, 3000, 1)});
}

TEST_CASE("stream: 32-bit compact times wrap once over a 64-bit begin, and extended headers",
          "[stream][clock]")
{
    Pkt a;
    a.begin = UINT64_C(0xffffff00);
    a.end = UINT64_C(0x100000100);
    Ev ext{0, 33, 1, true, UINT64_C(0x100000050)};
    a.ev = {{0xffffff80u, 1}, {0x10, 2}, ext, {0x60, 4}};
    TraceDir t({a}, "wrap");
    Read r(t);
    REQUIRE(r.open_rc == 0);
    CHECK(r.rc == 0);
    CHECK(r.items == std::vector<Item>{event(0xffffff80, 1), event(0x100000010, 2),
                                       event(0x100000050, 33), event(0x100000060, 4)});
}

TEST_CASE("stream: content_size not at an event's end gives up", "[stream][give-up]")
{
    Pkt a;
    a.ev = {{1100, 1}, {1200, 2}};
    SECTION("cut inside the second event's payload")
    {
        a.content_bits = (84 + 14 + 10) * 8;
        TraceDir t({a}, "cut-payload");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.items == std::vector<Item>{event(1100, 1)});
        CHECK(r.rc == 1);
        CHECK(r.err == "event past the packet's content");
        CHECK(r.damage == "an event past the packet's content");
        CHECK(r.damage_off == 0);
    }
    SECTION("cut inside the second event's header")
    {
        a.content_bits = (84 + 14 + 3) * 8;
        TraceDir t({a}, "cut-header");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.items == std::vector<Item>{event(1100, 1)});
        CHECK(r.rc == 1);
        CHECK(r.err == "event header past the packet's content");
        CHECK(r.damage == "an event header past the packet's content");
    }
}

TEST_CASE("stream: a bad magic gives up", "[stream][give-up]")
{
    SECTION("in the first packet: the open refuses")
    {
        Pkt a;
        a.magic = 0xC1FC1FC0u;
        TraceDir t({a}, "magic0");
        Read r(t);
        CHECK(r.open_rc == 1);
        CHECK(r.err == "bad magic at offset 0");
    }
    SECTION("in the second packet: after the first's events")
    {
        Pkt a;
        a.ev = {{1100, 1}};
        Pkt b;
        b.begin = 3000, b.end = 4000, b.seq = 1, b.magic = 0;
        TraceDir t({a, b}, "magic1");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.items == std::vector<Item>{event(1100, 1)});
        CHECK(r.rc == 1);
        CHECK(r.err == "bad magic at offset 128");
        CHECK(r.damage.empty()); // a packet header: babeltrace2's words are good
    }
}

TEST_CASE("stream: a packet_size past the end of the file gives up", "[stream][give-up]")
{
    SECTION("the only packet")
    {
        Pkt a;
        a.ev = {{1100, 1}};
        a.size_bits = 1024 + 8; // the file holds the content's 98 bytes
        TraceDir t({a}, "size0");
        Read r(t);
        CHECK(r.open_rc == 1);
        CHECK(r.err == "bad packet sizes at offset 0");
    }
    SECTION("the second packet")
    {
        Pkt a;
        Pkt b;
        b.begin = 3000, b.end = 4000, b.seq = 1, b.size_bits = 4096;
        TraceDir t({a, b}, "size1");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.items.empty());
        CHECK(r.rc == 1);
        CHECK(r.err == "bad packet sizes at offset 128");
    }
}

TEST_CASE("stream: times that go back give up, counters that go back do not", "[stream][give-up]")
{
    Pkt a;
    a.seq = 4, a.disc = 6;
    a.ev = {{1900, 1}};
    Pkt b;
    b.begin = 3000, b.end = 4000, b.seq = 5, b.disc = 6;
    b.ev = {{3100, 2}};
    SECTION("a packet beginning before the previous event")
    {
        b.begin = 1800, b.ev = {{1850, 2}};
        TraceDir t({a, b}, "back-time");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.items == std::vector<Item>{disc_events(1000, 2000, 0, 0), event(1900, 1)});
        CHECK(r.rc == 1);
        CHECK(r.err == "time goes back at offset 128");
        CHECK(r.damage == "time goes back");
        CHECK(r.damage_off == 128);
    }
    SECTION("a packet ending before its last event")
    {
        a.end = 1850;
        TraceDir t({a, b}, "back-end");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.items == std::vector<Item>{disc_events(1000, 1850, 0, 0), event(1900, 1)});
        CHECK(r.rc == 1);
        CHECK(r.err == "time goes back at offset 0");
        CHECK(r.damage == "time goes back");
        CHECK(r.damage_off == 0);
    }
    SECTION("an extended event before its packet's beginning")
    {
        b.ev = {{0, 2, 0, true, 2500}};
        TraceDir t({a, b}, "back-ext");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.items.size() == 2);
        CHECK(r.rc == 1);
        CHECK(r.err == "time goes back at offset 128");
    }
    SECTION("events_discarded going down: a count modulo 2^64, as babeltrace2's")
    {
        b.disc = 2;
        TraceDir t({a, b}, "back-disc");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.rc == 0);
        CHECK(r.items == std::vector<Item>{disc_events(1000, 2000, 0, 0), event(1900, 1),
                                           disc_events(2000, 4000, 1, UINT64_MAX - 3),
                                           event(3100, 2)});
    }
    SECTION("packet_seq_num going down: a gap modulo 2^64, as babeltrace2's")
    {
        b.seq = 1;
        TraceDir t({a, b}, "back-seq");
        Read r(t);
        REQUIRE(r.open_rc == 0);
        CHECK(r.rc == 0);
        CHECK(r.items == std::vector<Item>{disc_events(1000, 2000, 0, 0), event(1900, 1),
                                           disc_packets(2000, 3000, UINT64_MAX - 3),
                                           event(3100, 2)});
    }
    SECTION("the same packet_seq_num: no record")
    {
        b.seq = 4;
        TraceDir t({a, b}, "same-seq");
        Read r(t);
        CHECK(r.rc == 0);
        CHECK(r.items == std::vector<Item>{disc_events(1000, 2000, 0, 0), event(1900, 1),
                                           event(3100, 2)});
    }
}

TEST_CASE("stream: a clock value beyond int64 ns gives up", "[stream][give-up]")
{
    Pkt a;
    a.begin = UINT64_C(0x7fffffffffffff00); // + the offset: past INT64_MAX
    a.end = a.begin + 10;
    a.ev = {{0xffffff01u, 1}};
    TraceDir t({a}, "overflow");
    Read r(t);
    REQUIRE(r.open_rc == 0);
    CHECK(r.items.empty());
    CHECK(r.rc == 1);
    CHECK(r.err == "clock value 9223372036854775552 out of range at offset 0"); // the begin
    CHECK(r.damage == "a clock value out of range");
}
