// test_input.cpp - input marks and the input reader (rtk/input.h): a
// pipe's bytes reach the callback in order, on the loop, as a task caused by
// the input, stamped with the (fake) clock of the read, never later than the
// handling; a full command queue drops a read and counts it; end of input
// is delivered once; reads still queued at stop are counted, not delivered.
// The reader thread is awaited through its counters, never slept on.
#include "rt_fixture.h"

#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

struct Seen {
    std::string bytes;
    uint64_t input_ns, handled_ns;
    rtk_id_t id, cause;
    size_t len;
    int err;
};

struct Sink {
    std::vector<Seen> v;
    static void fn(rtk_runtime_t *rt, const rtk_input_t *in, void *user)
    {
        auto *s = static_cast<Sink *>(user);
        s->v.push_back({std::string(static_cast<const char *>(in->bytes), in->len),
                        in->input_ns, rtk_now(rt), in->id, rtk_current_cause(),
                        in->len, in->err});
    }
};

struct Pipe {
    int fd[2];
    Pipe() { REQUIRE(pipe(fd) == 0); }
    ~Pipe()
    {
        close(fd[0]);
        if (fd[1] >= 0)
            close(fd[1]);
    }
    void put(const char *s) { REQUIRE(write(fd[1], s, strlen(s)) == (ssize_t)strlen(s)); }
    void close_writer()
    {
        close(fd[1]);
        fd[1] = -1;
    }
};

uint64_t reads_of(rtk_input_reader_t *r)
{
    rtk_input_reader_stats_t st;
    rtk_input_reader_stats(r, &st);
    return st.reads; /* counted once the read was sent or dropped */
}

} // namespace

TEST_CASE("input mark: fresh ids, argument checks", "[input]")
{
    TestRt rt;
    rtk_id_t a = 0, b = 0;
    REQUIRE(rtk_input_mark(rt, 0, "key", &a) == RTK_OK);
    REQUIRE(rtk_input_mark(rt, FakeClock::kStart - 5, nullptr, &b) == RTK_OK);
    CHECK(a != 0);
    CHECK(b > a); /* same thread: ids rise */
    CHECK(rtk_input_mark(nullptr, 0, "key", &a) == RTK_EINVAL);
    CHECK(rtk_input_mark(rt, 0, "key", nullptr) == RTK_EINVAL);
    rtk_input_reader_t *r = nullptr;
    CHECK(rtk_input_reader_start(rt, -1, Sink::fn, nullptr, &r) == RTK_EINVAL);
    CHECK(rtk_input_reader_start(rt, 0, nullptr, nullptr, &r) == RTK_EINVAL);
    CHECK(rtk_input_reader_start(rt, 0, Sink::fn, nullptr, nullptr) == RTK_EINVAL);
    CHECK(r == nullptr);
}

TEST_CASE("input reader: bytes in order, stamped at the read, caused by the input",
          "[input]")
{
    TestRt rt;
    Pipe p;
    Sink sink;
    rtk_input_reader_t *r = nullptr;
    REQUIRE(rtk_input_reader_start(rt, p.fd[0], Sink::fn, &sink, &r) == RTK_OK);
    const uint64_t t1 = FakeClock::kStart + 1000, t2 = t1 + 7000, t3 = t2 + 50000000;
    rt.clock.set(t1);
    p.put("ab");
    REQUIRE(await_true([&] { return reads_of(r) == 1; }));
    rt.clock.set(t2);
    p.put("c");
    REQUIRE(await_true([&] { return reads_of(r) == 2; }));
    rt.clock.set(t3); /* the loop was stalled 50 ms: it handles them now */
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(sink.v.size() == 2);
    CHECK(sink.v[0].bytes == "ab");
    CHECK(sink.v[1].bytes == "c");
    CHECK(sink.v[0].input_ns == t1);
    CHECK(sink.v[1].input_ns == t2);
    CHECK(sink.v[0].handled_ns == t3);
    CHECK(sink.v[1].handled_ns == t3);
    CHECK(sink.v[0].input_ns < sink.v[1].input_ns);
    CHECK(sink.v[1].input_ns <= sink.v[1].handled_ns);
    CHECK(sink.v[0].id != 0);
    CHECK(sink.v[1].id != sink.v[0].id);
    /* A fresh reader thread takes fresh ids in order: the mark, then the
     * command and its task as a pair; the callback runs as that task. */
    CHECK(sink.v[0].cause == sink.v[0].id + 2);
    CHECK(sink.v[1].cause == sink.v[1].id + 2);
    CHECK(sink.v[1].id == sink.v[0].id + 3);
    CHECK(sink.v[0].err == 0);
    rtk_input_reader_stats_t st;
    rtk_input_reader_stop(r, &st);
    CHECK(st.reads == 2);
    CHECK(st.bytes == 3);
    CHECK(st.delivered == 2);
    CHECK(st.dropped == 0);
    CHECK(st.dropped_bytes == 0);
    CHECK(rt.stats().commands_handled == 2);
}

TEST_CASE("input reader: the callback may read the reader's stats", "[input]")
{
    TestRt rt;
    Pipe p;
    struct Ctx {
        rtk_input_reader_t *r = nullptr;
        std::vector<rtk_input_reader_stats_t> seen;
    } ctx;
    auto fn = [](rtk_runtime_t *, const rtk_input_t *, void *user) {
        auto *c = static_cast<Ctx *>(user);
        rtk_input_reader_stats_t st;
        rtk_input_reader_stats(c->r, &st);
        c->seen.push_back(st);
    };
    REQUIRE(rtk_input_reader_start(rt, p.fd[0], fn, &ctx, &ctx.r) == RTK_OK);
    p.put("one");
    REQUIRE(await_true([&] { return reads_of(ctx.r) == 1; }));
    p.put("two!");
    REQUIRE(await_true([&] { return reads_of(ctx.r) == 2; }));
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(ctx.seen.size() == 2);
    CHECK(ctx.seen[0].reads == 2);
    CHECK(ctx.seen[0].bytes == 7);
    CHECK(ctx.seen[0].delivered == 0); /* counted when the callback returns */
    CHECK(ctx.seen[1].delivered == 1);
    rtk_input_reader_stats_t st;
    rtk_input_reader_stop(ctx.r, &st);
    CHECK(st.delivered == 2);
}

TEST_CASE("input reader: a full command queue drops a read, counted", "[input]")
{
    TestRt rt([](rtk_config_t &c) { c.command_queue_capacity = 2; });
    Pipe p;
    Sink sink;
    rtk_input_reader_t *r = nullptr;
    REQUIRE(rtk_input_reader_start(rt, p.fd[0], Sink::fn, &sink, &r) == RTK_OK);
    const char *keys[] = {"x", "yy", "zzz"};
    for (int i = 0; i < 3; i++) {
        p.put(keys[i]);
        REQUIRE(await_true([&] { return reads_of(r) == (uint64_t)i + 1; }));
    }
    rtk_input_reader_stats_t st;
    rtk_input_reader_stats(r, &st);
    CHECK(st.reads == 3);
    CHECK(st.dropped == 1);
    CHECK(st.dropped_bytes == 3);
    CHECK(rt.drops(RTK_DROP_COMMAND_QUEUE_FULL) == 1);
    REQUIRE(rtk_tick(rt) == 1);
    REQUIRE(sink.v.size() == 2);
    CHECK(sink.v[0].bytes == "x");
    CHECK(sink.v[1].bytes == "yy");
    rtk_input_reader_stop(r, &st);
    CHECK(st.delivered == 2);
    CHECK(st.dropped == 1);
}

TEST_CASE("input reader: end of input once, reads queued at stop dropped",
          "[input]")
{
    SECTION("end of input")
    {
        TestRt rt;
        Pipe p;
        Sink sink;
        rtk_input_reader_t *r = nullptr;
        REQUIRE(rtk_input_reader_start(rt, p.fd[0], Sink::fn, &sink, &r) == RTK_OK);
        p.put("q");
        REQUIRE(await_true([&] { return reads_of(r) == 1; }));
        p.close_writer();
        REQUIRE(await_true([&] { return rt.stats().command_queue_len == 2; }));
        REQUIRE(rtk_tick(rt) == 1);
        REQUIRE(sink.v.size() == 2);
        CHECK(sink.v[0].bytes == "q");
        CHECK(sink.v[1].len == 0);
        CHECK(sink.v[1].err == 0);
        rtk_input_reader_stats_t st;
        rtk_input_reader_stop(r, &st);
        CHECK(st.reads == 1);
        CHECK(st.delivered == 2);
    }
    SECTION("stop with reads queued")
    {
        TestRt rt;
        Pipe p;
        Sink sink;
        rtk_input_reader_t *r = nullptr;
        REQUIRE(rtk_input_reader_start(rt, p.fd[0], Sink::fn, &sink, &r) == RTK_OK);
        p.put("hello");
        REQUIRE(await_true([&] { return rt.stats().command_queue_len == 1; }));
        rtk_input_reader_stats_t st;
        rtk_input_reader_stop(r, &st);
        CHECK(st.reads == 1);
        CHECK(st.delivered == 0);
        CHECK(st.dropped == 1);
        CHECK(st.dropped_bytes == 5);
        REQUIRE(rtk_tick(rt) == 1); /* the queued read is freed, not delivered */
        CHECK(sink.v.empty());
        CHECK(rt.stats().tasks_executed == 1);
    }
}
