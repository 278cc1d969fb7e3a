// test_tsdl_sample.cpp - the metadata of a real LTTng-UST 2.13 trace of rtk
// (lttng_ust_213.tsdl, as `babeltrace2 convert --output-format=ctf-metadata`
// printed it; lttng_ust_213.metadata, the packetized file LTTng wrote):
// clock, env, the packet header and context, both event headers, the event
// context and the event classes.
#include "tsdl_test_util.hpp"

using namespace tsdl_test;

TEST_CASE("sample: trace, clock and env", "[sample]")
{
    Meta t(fixture("lttng_ust_213.tsdl"));
    REQUIRE(t.err == "");
    const rtt_ctf_meta_t &m = t.m;
    CHECK(m.major == 1);
    CHECK(m.minor == 8);
    REQUIRE(m.have_uuid == 1);
    CHECK(m.uuid[0] == 0xfb);
    CHECK(m.uuid[15] == 0xeb);
    CHECK(m.big_endian == 0);
    REQUIRE(m.nclocks == 1);
    CHECK(std::string(m.clocks[0].name) == "monotonic");
    CHECK(m.clocks[0].freq == 1000000000u);
    CHECK(m.clocks[0].offset_s == 0);
    CHECK(m.clocks[0].offset == 1796260095823881766LL);
    CHECK(m.clocks[0].have_uuid == 1);
    CHECK(m.clocks[0].uuid[0] == 0x41);
    CHECK(m.clocks[0].uuid[15] == 0xf9);
    CHECK(m.nenv == 10);
    const rtt_ctf_env_t *e = rtt_tsdl_env(&m, "tracer_name");
    REQUIRE(e != nullptr);
    CHECK(e->is_int == 0);
    CHECK(std::string(e->s) == "lttng-ust");
    e = rtt_tsdl_env(&m, "tracer_major");
    REQUIRE(e != nullptr);
    CHECK(e->is_int == 1);
    CHECK(e->i == 2);
    CHECK(rtt_tsdl_env(&m, "tracer_minor")->i == 13);
    CHECK(std::string(rtt_tsdl_env(&m, "hostname")->s) == "vm");
    CHECK(rtt_tsdl_env(&m, "nope") == nullptr);
}

TEST_CASE("sample: packet header and packet context", "[sample]")
{
    Meta t(fixture("lttng_ust_213.tsdl"));
    REQUIRE(t.err == "");
    const rtt_type_t *ph = t.m.packet_header;
    REQUIRE(ph != nullptr);
    REQUIRE(ph->kind == RTT_T_STRUCT);
    REQUIRE(ph->nmemb == 4);
    CHECK(std::string(ph->memb[0].name) == "magic");
    CHECK(ph->memb[0].type->size == 32);
    CHECK(ph->memb[0].type->is_signed == 0);
    const rtt_type_t *u = member(ph, "uuid");
    REQUIRE(u->kind == RTT_T_ARRAY);
    CHECK(u->length == 16);
    CHECK(u->elem->size == 8);
    CHECK(u->align == 8);
    CHECK(member(ph, "stream_id")->size == 32);
    CHECK(member(ph, "stream_instance_id")->size == 64);
    CHECK(ph->align == 8);

    REQUIRE(t.m.nstreams == 1);
    const rtt_ctf_stream_class_t *s = rtt_tsdl_stream(&t.m, 0);
    REQUIRE(s != nullptr);
    CHECK(rtt_tsdl_stream(&t.m, 1) == nullptr);
    const rtt_type_t *pc = s->packet_context;
    REQUIRE(pc != nullptr);
    const char *names[] = {"timestamp_begin", "timestamp_end", "content_size",
                           "packet_size", "packet_seq_num", "events_discarded",
                           "cpu_id"};
    const unsigned sizes[] = {64, 64, 64, 64, 64, 64, 32};
    REQUIRE(pc->nmemb == 7);
    for (size_t i = 0; i < 7; i++) {
        CHECK(std::string(pc->memb[i].name) == names[i]);
        CHECK(pc->memb[i].type->size == sizes[i]);
        CHECK(pc->memb[i].type->kind == RTT_T_INT);
    }
    CHECK(member(pc, "timestamp_begin")->clock == 0);
    CHECK(member(pc, "content_size")->clock == -1);
    // `unsigned long`, a type name of two words
    CHECK(member(pc, "events_discarded")->size == 64);
}

TEST_CASE("sample: event header (large) and event context", "[sample]")
{
    Meta t(fixture("lttng_ust_213.tsdl"));
    REQUIRE(t.err == "");
    const rtt_ctf_stream_class_t *s = rtt_tsdl_stream(&t.m, 0);
    const rtt_type_t *eh = s->event_header;
    REQUIRE(eh != nullptr);
    CHECK(eh->align == 8);
    REQUIRE(eh->nmemb == 2);
    const rtt_type_t *id = member(eh, "id");
    CHECK(id->kind == RTT_T_INT);
    CHECK(id->size == 16);
    CHECK(id->is_signed == 0);
    REQUIRE(id->nmap == 2);
    CHECK(std::string(id->map[0].label) == "compact");
    CHECK(id->map[0].lo == 0);
    CHECK(id->map[0].hi == 65534);
    CHECK(std::string(id->map[1].label) == "extended");
    CHECK(id->map[1].lo == 65535);
    CHECK(id->map[1].hi == 65535);
    const rtt_type_t *v = member(eh, "v");
    REQUIRE(v->kind == RTT_T_VARIANT);
    CHECK(v->tag_member == 0);
    REQUIRE(v->nmemb == 2);
    CHECK(std::string(v->memb[0].name) == "compact");
    const rtt_type_t *c = v->memb[0].type;
    REQUIRE(c->kind == RTT_T_STRUCT);
    REQUIRE(c->nmemb == 1);
    CHECK(std::string(c->memb[0].name) == "timestamp");
    CHECK(c->memb[0].type->size == 32);
    CHECK(c->memb[0].type->clock == 0);
    const rtt_type_t *x = member(v, "extended");
    REQUIRE(x->nmemb == 2);
    CHECK(member(x, "id")->size == 32);
    CHECK(member(x, "id")->clock == -1);
    CHECK(member(x, "timestamp")->size == 64);
    CHECK(member(x, "timestamp")->clock == 0);

    const rtt_type_t *ec = s->event_context;
    REQUIRE(ec != nullptr);
    REQUIRE(ec->nmemb == 3);
    const rtt_type_t *vpid = member(ec, "_vpid");
    CHECK(vpid->size == 32);
    CHECK(vpid->is_signed == 1);
    CHECK(vpid->is_text == 0);
    CHECK(member(ec, "_vtid")->is_signed == 1);
    const rtt_type_t *pn = member(ec, "_procname");
    REQUIRE(pn->kind == RTT_T_ARRAY);
    CHECK(pn->length == 17);
    CHECK(pn->elem->size == 8);
    CHECK(pn->elem->is_text == 1);
    CHECK(rtt_tsdl_member(ec, "procname") == 2);
    CHECK(rtt_tsdl_member(ec, "_vtid") == 1);
    CHECK(rtt_tsdl_member(ec, "pid") == -1);
}

TEST_CASE("sample: event classes", "[sample]")
{
    Meta t(fixture("lttng_ust_213.tsdl"));
    REQUIRE(t.err == "");
    REQUIRE(t.m.nevents == 19);
    for (size_t i = 0; i < t.m.nevents; i++) {
        CHECK(t.m.events[i].id == i);
        CHECK(t.m.events[i].stream_id == 0);
        CHECK(t.m.events[i].context == nullptr);
        CHECK(t.m.events[i].fields != nullptr);
    }
    const rtt_ctf_event_class_t *q = t.event("rtk:task_queued");
    REQUIRE(q != nullptr);
    CHECK(q->id == 2);
    const rtt_type_t *f = q->fields;
    REQUIRE(f->nmemb == 6);
    const char *names[] = {"_id", "_cause", "_priority", "_source", "_timer_id", "_name"};
    const unsigned sizes[] = {64, 64, 32, 8, 64, 0};
    for (size_t i = 0; i < 6; i++) {
        CHECK(std::string(f->memb[i].name) == names[i]);
        CHECK(f->memb[i].type->size == sizes[i]);
    }
    CHECK(member(f, "_name")->kind == RTT_T_STRING);
    CHECK(member(f, "_name")->align == 8);
    CHECK(std::string(t.m.events[18].name) == "rtk:input");
    const rtt_ctf_event_class_t *h = t.event("rtk:command_handled");
    REQUIRE(h != nullptr);
    CHECK(member(h->fields, "_result")->is_signed == 1);
    CHECK(member(h->fields, "_cmd")->size == 8);
    const rtt_ctf_event_class_t *fired = t.event("rtk:timer_fired");
    REQUIRE(fired != nullptr);
    CHECK(fired->id == 8);
    CHECK(fired->fields->nmemb == 8);
    CHECK(std::string(fired->fields->memb[7].name) == "_task_id");
}

TEST_CASE("sample: the packetized file parses as its text", "[sample]")
{
    // a trace directory holding the packetized file as `metadata`
    std::string dir = std::string(RTT_CTF_TEST_TMP) + "/packetized";
    REQUIRE(system(("mkdir -p '" + dir + "'").c_str()) == 0);
    {
        std::ofstream o(dir + "/metadata", std::ios::binary);
        o << fixture("lttng_ust_213.metadata");
    }
    Meta p(dir.c_str(), 0);
    REQUIRE(p.err == "");
    Meta t(fixture("lttng_ust_213.tsdl"));
    REQUIRE(t.err == "");
    CHECK(memcmp(p.m.uuid, t.m.uuid, 16) == 0);
    CHECK(p.m.clocks[0].offset == t.m.clocks[0].offset);
    REQUIRE(p.m.nenv == t.m.nenv);
    for (size_t i = 0; i < t.m.nenv; i++) {
        CHECK(std::string(p.m.env[i].name) == t.m.env[i].name);
        CHECK(p.m.env[i].i == t.m.env[i].i);
    }
    CHECK(same_type(p.m.packet_header, t.m.packet_header));
    REQUIRE(p.m.nstreams == t.m.nstreams);
    CHECK(same_type(p.m.streams[0].event_header, t.m.streams[0].event_header));
    CHECK(same_type(p.m.streams[0].packet_context, t.m.streams[0].packet_context));
    CHECK(same_type(p.m.streams[0].event_context, t.m.streams[0].event_context));
    REQUIRE(p.m.nevents == t.m.nevents);
    for (size_t i = 0; i < t.m.nevents; i++) {
        CHECK(std::string(p.m.events[i].name) == t.m.events[i].name);
        CHECK(same_type(p.m.events[i].fields, t.m.events[i].fields));
    }
    // and a change shows: the same comparison fails on another event's fields
    CHECK_FALSE(same_type(p.m.events[0].fields, t.m.events[2].fields));
}

TEST_CASE("sample: a missing metadata file names the file", "[sample]")
{
    std::string dir = std::string(RTT_CTF_TEST_TMP) + "/no-such-trace";
    Meta p(dir.c_str(), 0);
    CHECK(p.rc == -1);
    CHECK(p.err == "No such file or directory: " + dir + "/metadata");
}

TEST_CASE("sample: a plain-text metadata file, and its errors named with the file", "[sample]")
{
    std::string dir = std::string(RTT_CTF_TEST_TMP) + "/plain";
    REQUIRE(system(("mkdir -p '" + dir + "'").c_str()) == 0);
    {
        std::ofstream o(dir + "/metadata", std::ios::binary);
        o << fixture("lttng_ust_213.tsdl");
    }
    {
        Meta p(dir.c_str(), 0);
        REQUIRE(p.err == "");
        CHECK(p.m.nevents == 19);
        CHECK(p.m.clocks[0].offset == 1796260095823881766LL);
    }
    {
        std::ofstream o(dir + "/metadata", std::ios::binary);
        o << "/* CTF 1.8 */\ntrace {\n  major = 1;\n  minor = x;\n};\n";
    }
    Meta bad(dir.c_str(), 0);
    CHECK(bad.rc == -1);
    CHECK(bad.err == dir + "/metadata: metadata line 4: expected a number, found 'x'");
}

TEST_CASE("sample: packets whose uuid is not the trace's are refused", "[sample]")
{
    std::string dir = std::string(RTT_CTF_TEST_TMP) + "/other-uuid";
    REQUIRE(system(("mkdir -p '" + dir + "'").c_str()) == 0);
    std::string bytes = fixture("lttng_ust_213.metadata");
    REQUIRE(bytes.size() > 37);
    bytes[4] = (char)(bytes[4] ^ 0xff); // the first packet's uuid[0]
    {
        std::ofstream o(dir + "/metadata", std::ios::binary);
        o << bytes;
    }
    Meta p(dir.c_str(), 0);
    CHECK(p.rc == -1);
    CHECK(p.err == dir + "/metadata: the packets' uuid is not the trace's");
}
