// test_alloc_faults.cpp - allocation failure injection: every allocation
// librtk makes is made to fail in turn, and the runtime must report it
// (RTK_ENOMEM, or NULL from rtk_scope_create) or absorb it without losing
// anything, leak nothing, and stay usable.
//
// Linked against rtk_faults (librtk built with RTK_ALLOC_FAULTS:
// runtime/src/alloc_faults.c), not librtk. One scenario drives every API
// that allocates (create, subscriptions also from inside a dispatch, deep
// nested dispatches, posts over many priority levels, scopes, tasks from
// the loop and from outside it, commands, timers in every part of the
// deadline queue, a chunk pool that grows, and a timer table that doubles,
// render requests). The
// k-th allocation fails for k = 0, 1, 2, ... until a run makes no
// allocation fail; each run must give exactly the clean run's outcome
// (what ran, fired, was dispatched, the stats), and no block may be live
// afterwards (LeakSanitizer checks the same under the asan preset).
// A call that returns RTK_ENOMEM is retried once and must then succeed.
#include "alloc_faults.h"
#include "fake_clock.h"

#include <catch2/catch.hpp>
#include <rtk/rtk.h>

#include <cstdio>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

const uint64_t MS = 1000000ull, S = 1000000000ull;

using Counts = std::map<std::string, long>;

/* One scenario run. */
struct Ctx {
    FakeClock clock;
    Counts out;                      /* the outcome: equal in every run */
    std::vector<std::string> errors; /* unexpected codes, from anywhere */
    Counts reported;                 /* calls that returned RTK_ENOMEM */
    Counts absorbed;                 /* failed inside, returned success */
    long dtor_runs = 0, post_calls = 0;
    long attributed = 0; /* failures already put down to a (nested) call */
    /* Failures not yet put down to a call: a call nested in another (a
     * subscribe in a handler in a dispatch) claims its own, so each is
     * counted once, by the innermost call it happened in. */
    long failed_here() const { return rtk_test_alloc_failures() - attributed; }
    std::deque<std::function<int()>> fns;
    std::deque<std::function<rtk_handler_result_t(const rtk_event_t *)>> hs;

    /* A call that may allocate. RTK_ENOMEM is allowed only when the planned
     * failure happened inside it; it is then retried once. The final code
     * must be `want`. */
    template <class F> int call(const char *what, F f, int want = RTK_OK)
    {
        long before = failed_here();
        int rc = f();
        if (failed_here() > before) {
            attributed++;
            if (rc == RTK_ENOMEM) {
                reported[what]++;
                rc = f();
            } else {
                absorbed[what]++;
            }
        }
        if (rc != want)
            errors.push_back(std::string(what) + ": " + rtk_err_name(rc) +
                             ", expected " + rtk_err_name(want));
        return rc;
    }

    void *fn(std::function<int()> f)
    {
        fns.push_back(std::move(f));
        return &fns.back();
    }
    static int run_fn(void *a) { return (*static_cast<std::function<int()> *>(a))(); }
    /* A task or timer callback that counts its runs under `name`. */
    void *counter(const std::string &name)
    {
        return fn([this, name] { out[name]++; return 0; });
    }

    void *handler(std::function<rtk_handler_result_t(const rtk_event_t *)> h)
    {
        hs.push_back(std::move(h));
        return &hs.back();
    }
    static rtk_handler_result_t run_h(rtk_runtime_t *, const rtk_event_t *ev, void *ud)
    {
        return (*static_cast<std::function<rtk_handler_result_t(const rtk_event_t *)> *>(
            ud))(ev);
    }
    int subscribe(rtk_runtime_t *rt, uint32_t type, rtk_priority_t prio, void *h,
                  rtk_id_t *sub = nullptr)
    {
        rtk_id_t s = 0;
        int rc = call("rtk_subscribe", [&] {
            return rtk_subscribe(rt, type, prio, &Ctx::run_h, h, &s);
        });
        if (sub)
            *sub = s;
        return rc;
    }
    static void dtor(void *d) { static_cast<Ctx *>(d)->dtor_runs++; }

    void tick(rtk_runtime_t *rt)
    {
        long before = failed_here();
        rtk_tick(rt);
        if (failed_here() > before) {
            attributed++;
            absorbed["rtk_tick"]++;
        }
    }
    /* Tick until nothing is runnable now (bounded). */
    void settle(rtk_runtime_t *rt)
    {
        for (int i = 0; i < 10000 && rtk_prepare_wait(rt) == 0; i++)
            tick(rt);
    }
    int submit(rtk_runtime_t *rt, rtk_priority_t prio, const std::string &name)
    {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, &Ctx::run_fn, counter(name));
        d.priority = prio;
        return call("rtk_submit", [&] { return rtk_submit(rt, &d, nullptr); });
    }
};

void render_cb(rtk_runtime_t *, void *ud) { static_cast<Ctx *>(ud)->out["render"]++; }

void record_stats(Ctx &c, rtk_runtime_t *rt, const std::string &pfx)
{
    rtk_stats_t s;
    rtk_stats_get(rt, &s);
    c.out[pfx + "tasks_executed"] = (long)s.tasks_executed;
    c.out[pfx + "tasks_failed"] = (long)s.tasks_failed;
    c.out[pfx + "tasks_voided"] = (long)s.tasks_voided;
    c.out[pfx + "events_dispatched"] = (long)s.events_dispatched;
    c.out[pfx + "async_dispatched"] = (long)s.async_dispatched;
    c.out[pfx + "timers_fired"] = (long)s.timers_fired;
    c.out[pfx + "timer_missed_periods"] = (long)s.timer_missed_periods;
    c.out[pfx + "commands_handled"] = (long)s.commands_handled;
    c.out[pfx + "renders"] = (long)s.renders;
    c.out[pfx + "drops_total"] = (long)s.drops_total;
}

/* The bus: 20 types with a handler each (the list, type and subscription
 * tables grow), 7 handlers on one type (its array grows), subscribe and
 * unsubscribe from inside a dispatch (parked until it returns), a new
 * type from inside a dispatch, and dispatches nested 12 deep (past the 8
 * in-flight places allocated at create). */
void bus_phase(Ctx &c, rtk_runtime_t *rt)
{
    for (uint32_t t = 1; t <= 20; t++) {
        std::string n = "handler" + std::to_string(t);
        c.subscribe(rt, t, 100, c.handler([&c, n](const rtk_event_t *) {
            c.out[n]++;
            return RTK_HANDLED;
        }));
    }
    for (int i = 0; i < 6; i++)
        c.subscribe(rt, 1, (rtk_priority_t)(10 * i), c.handler([&c](const rtk_event_t *) {
            c.out["type1 extra"]++;
            return RTK_NOT_HANDLED;
        }));
    rtk_id_t victim = 0;
    c.subscribe(rt, 40, 200, c.handler([&c](const rtk_event_t *) {
        c.out["type40 victim"]++;
        return RTK_HANDLED;
    }), &victim);
    bool once = false;
    void *late40 = c.handler([&c](const rtk_event_t *) {
        c.out["type40 late"]++;
        return RTK_HANDLED;
    });
    void *late41 = c.handler([&c](const rtk_event_t *) {
        c.out["type41 late"]++;
        return RTK_HANDLED;
    });
    c.subscribe(rt, 40, 100, c.handler([&, rt](const rtk_event_t *) {
        c.out["type40 first"]++;
        if (!once) {
            once = true;
            c.subscribe(rt, 40, 300, late40);
            c.subscribe(rt, 41, 100, late41);
            c.call("rtk_unsubscribe", [&] { return rtk_unsubscribe(rt, victim); });
        }
        return RTK_HANDLED;
    }));
    c.subscribe(rt, 30, 100, c.handler([&c, rt](const rtk_event_t *ev) {
        c.out["type30 depth"]++;
        uintptr_t depth = (uintptr_t)ev->data;
        if (depth < 12) {
            rtk_event_desc_t d;
            rtk_event_desc_init(&d, 30, (void *)(depth + 1));
            c.call("rtk_event_dispatch (nested)",
                   [&] { return rtk_event_dispatch(rt, &d, nullptr); }, RTK_HANDLED);
        }
        return RTK_HANDLED;
    }));
    for (uint32_t t = 1; t <= 20; t++) {
        rtk_event_desc_t d;
        rtk_event_desc_init(&d, t, nullptr);
        c.call("rtk_event_dispatch", [&] { return rtk_event_dispatch(rt, &d, nullptr); },
               RTK_HANDLED);
    }
    for (uint32_t t : {40u, 40u, 41u, 30u}) {
        rtk_event_desc_t d;
        rtk_event_desc_init(&d, t, (void *)(uintptr_t)1);
        c.call("rtk_event_dispatch", [&] { return rtk_event_dispatch(rt, &d, nullptr); },
               RTK_HANDLED);
    }
}

/* Posts on 10 priority levels and 70 on one level (the queue's level
 * table and one level's buffer grow), with a dtor and a scope; async
 * emits. */
void event_phase(Ctx &c, rtk_runtime_t *rt, rtk_scope_t *scope)
{
    c.subscribe(rt, 50, 100, c.handler([&c](const rtk_event_t *ev) {
        c.out["posted prio " + std::to_string(ev->priority)]++;
        return RTK_HANDLED;
    }));
    auto post = [&](rtk_priority_t prio) {
        rtk_event_desc_t d;
        rtk_event_desc_init(&d, 50, &c);
        d.priority = prio;
        d.dtor = &Ctx::dtor;
        d.scope = scope;
        c.call("rtk_event_post", [&] {
            c.post_calls++;
            return rtk_event_post(rt, &d, nullptr);
        });
    };
    for (rtk_priority_t p = 0; p < 10; p++)
        post(1000 + p);
    for (int i = 0; i < 70; i++)
        post(RTK_PRIORITY_NORMAL);
    for (int i = 0; i < 5; i++) {
        rtk_event_desc_t d;
        rtk_event_desc_init(&d, 50, nullptr);
        d.priority = 7; /* ignored by async: counted as 7 anyway */
        c.call("rtk_event_emit_async", [&] { return rtk_event_emit_async(rt, &d, nullptr); });
    }
    c.settle(rt);
}

/* Tasks from outside the tick (the ring; moved into the priority FIFO by
 * the tick, whose levels grow there), from inside it (straight into the
 * FIFO, on 100 more priorities than it has levels for), submit_many,
 * schedule_many, schedule, and ScheduleTask commands. */
void task_phase(Ctx &c, rtk_runtime_t *rt)
{
    for (rtk_priority_t p = 0; p < 12; p++)
        for (int i = 0; i < 3; i++)
            c.submit(rt, 300 + p, "outside " + std::to_string(300 + p));
    std::vector<rtk_task_desc_t> many(10);
    for (auto &d : many)
        rtk_task_desc_init(&d, &Ctx::run_fn, c.counter("many"));
    c.call("rtk_submit_many",
           [&] { return rtk_submit_many(rt, many.data(), many.size(), nullptr, nullptr); });
    std::vector<void *> one_fn(10, c.counter("schedule_many"));
    c.call("rtk_schedule_many", [&] {
        return rtk_schedule_many(rt, &Ctx::run_fn, one_fn.data(), one_fn.size(), 320, nullptr);
    });
    rtk_task_desc_t seed;
    rtk_task_desc_init(&seed, &Ctx::run_fn, c.fn([&c, rt] {
        for (rtk_priority_t p = 0; p < 10; p++)
            for (int i = 0; i < 2; i++)
                c.submit(rt, 400 + p, "inside " + std::to_string(400 + p));
        for (int i = 0; i < 70; i++)
            c.submit(rt, 450, "inside 450");
        /* more distinct priorities than the FIFO has levels: the spread
         * (prio_spread.c) takes the rest and grows */
        for (rtk_priority_t p = 0; p < 100; p++)
            c.submit(rt, 600 + p, "inside spread");
        c.call("rtk_schedule", [&] {
            return rtk_schedule(rt, &Ctx::run_fn, c.counter("scheduled"), 460);
        });
        return 0;
    }));
    c.call("rtk_submit", [&] { return rtk_submit(rt, &seed, nullptr); });
    for (rtk_priority_t p = 0; p < 3; p++) {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, &Ctx::run_fn, c.counter("command " + std::to_string(500 + p)));
        d.priority = 500 + p;
        c.call("rtk_command_send",
               [&] { return rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &d, nullptr); });
    }
    c.settle(rt);
}

int start_timer(Ctx &c, rtk_runtime_t *rt, uint64_t delay, uint64_t interval,
                const std::string &name, rtk_id_t *id)
{
    rtk_timer_desc_t d;
    rtk_timer_desc_init(&d, &Ctx::run_fn, c.counter(name));
    d.delay_ns = delay;
    d.interval_ns = interval;
    return c.call("rtk_timer_start", [&] { return rtk_timer_start(rt, &d, id); });
}

/* Timers in every part of the deadline queue: 20 in one wheel bucket (it
 * and the sort buffer grow), one past the wheel (far heap), a periodic
 * one re-armed each fire, one re-armed, one cancelled. */
void timer_phase(Ctx &c, rtk_runtime_t *rt)
{
    rtk_id_t id;
    for (int i = 0; i < 20; i++)
        start_timer(c, rt, 10 * MS, 0, "timer 10ms", &id);
    start_timer(c, rt, 10 * S, 0, "timer 10s", &id);
    start_timer(c, rt, MS, MS, "timer periodic 1ms", &id);
    rtk_id_t moved, gone;
    start_timer(c, rt, 5 * MS, 0, "timer rearmed", &moved);
    start_timer(c, rt, 5 * MS, 0, "timer cancelled", &gone);
    c.call("rtk_timer_rearm", [&] { return rtk_timer_rearm(rt, moved, 30 * MS); });
    c.call("rtk_timer_cancel", [&] { return rtk_timer_cancel(rt, gone); });
    const uint64_t steps[] = {MS, MS, MS, 7 * MS, MS, 25 * MS, 10 * S};
    for (uint64_t st : steps) {
        c.clock.advance(st);
        c.settle(rt);
    }
    int active = rtk_timer_active(rt, moved) + rtk_timer_active(rt, gone);
    c.out["rearmed or cancelled still active"] = active;
}

/* A second runtime, 8 live timers at most, that runs one task a tick: the
 * fires of one-shots pile up in the work queue and their slots stay
 * taken until they run, so the 64-slot timer table doubles. */
void table_growth_phase(Ctx &c)
{
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    c.clock.install(cfg);
    cfg.max_timers = 8;
    cfg.batch_size = 1;
    cfg.stats_interval_ns = 0;
    rtk_runtime_t *rt = nullptr;
    if (c.call("rtk_runtime_create", [&] { return rtk_runtime_create(&cfg, &rt); }) != RTK_OK)
        return;
    rtk_boot(rt);
    rtk_id_t id;
    /* Wheel buckets are chains of chunks from a pool sized at create (16
     * chunks for 8 timers): entries in more buckets than that make it add
     * a block, released when the last timer goes. Cancelled entries stay
     * queued until a tick filters them, so one live timer and a start and
     * cancel per bucket reach 24 buckets. */
    rtk_id_t keep = 0, gone = 0;
    start_timer(c, rt, 10 * S, 0, "spread keeper", &keep);
    for (int i = 0; i < 24; i++)
        if (start_timer(c, rt, (uint64_t)(i + 1) * 5 * MS, 0, "spread timer", &gone) ==
            RTK_OK)
            c.out["spread cancel"] += rtk_timer_cancel(rt, gone) == RTK_OK;
    c.out["spread keeper cancel"] = rtk_timer_cancel(rt, keep) == RTK_OK;
    for (int round = 0; round < 9; round++) {
        for (int i = 0; i < 8; i++)
            start_timer(c, rt, 0, 0, "growth timer", &id);
        c.tick(rt);
    }
    c.settle(rt);
    record_stats(c, rt, "B ");
    rtk_runtime_destroy(rt);
}

/* The whole scenario on runtime A (20000 timers at most: its slot table
 * is an mmap, its state table an aligned_alloc). */
void scenario(Ctx &c)
{
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    c.clock.install(cfg);
    cfg.max_timers = 20000;
    cfg.work_queue_capacity = 256;
    cfg.stats_interval_ns = 0;
    cfg.render = &render_cb;
    cfg.render_ud = &c;
    rtk_runtime_t *rt = nullptr;
    if (c.call("rtk_runtime_create", [&] { return rtk_runtime_create(&cfg, &rt); }) != RTK_OK)
        return;
    rtk_boot(rt);
    rtk_scope_t *scope = nullptr;
    c.call("rtk_scope_create", [&] {
        scope = rtk_scope_create();
        return scope ? RTK_OK : RTK_ENOMEM;
    });
    bus_phase(c, rt);
    event_phase(c, rt, scope);
    task_phase(c, rt);
    timer_phase(c, rt);
    for (int i = 0; i < 3; i++)
        rtk_render_request(rt);
    c.settle(rt);
    c.out["scope in flight"] = scope ? (long)rtk_scope_in_flight(scope) : -1;
    c.out["scope wait"] = scope ? rtk_scope_wait(scope, 0) : -1;
    c.call("rtk_shutdown", [&] { return rtk_shutdown(rt); });
    for (int i = 0; i < 100 && rtk_tick(rt); i++)
        ;
    record_stats(c, rt, "A ");
    rtk_runtime_destroy(rt);
    rtk_scope_destroy(scope);
    table_growth_phase(c);
}

/* A task that records its value and schedules its children (priority 70)
 * from inside the tick. */
struct Rec {
    std::vector<int> *order;
    int v;
    rtk_runtime_t *rt;
    Rec *children; /* 3, or NULL */
};
int rec_task(void *a)
{
    Rec *t = static_cast<Rec *>(a);
    t->order->push_back(t->v);
    for (int i = 0; t->children && i < 3; i++)
        if (rtk_schedule(t->rt, &rec_task, &t->children[i], 70) != RTK_OK)
            t->order->push_back(-1);
    return 0;
}

long val(const Counts &m, const std::string &k)
{
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
}

/* The keys whose values differ, "key: a != b" a line. */
std::string diff(const Counts &a, const Counts &b)
{
    std::string s;
    Counts keys = a;
    keys.insert(b.begin(), b.end());
    for (const auto &kv : keys) {
        auto x = a.find(kv.first), y = b.find(kv.first);
        long va = x == a.end() ? -999 : x->second, vb = y == b.end() ? -999 : y->second;
        if (va != vb)
            s += "  " + kv.first + ": " + std::to_string(va) + " != " + std::to_string(vb) + "\n";
    }
    return s;
}

std::string show(const Counts &m)
{
    std::string s;
    for (const auto &kv : m)
        s += "  " + kv.first + " = " + std::to_string(kv.second) + "\n";
    return s;
}

} // namespace

TEST_CASE("every allocation fails in turn: reported or absorbed, nothing lost or leaked",
          "[alloc][faults]")
{
    REQUIRE(rtk_test_alloc_live() == 0);
    rtk_test_alloc_reset();
    Ctx clean;
    scenario(clean);
    const long total = rtk_test_alloc_count();
    const int sites = rtk_test_alloc_sites();
    INFO("clean outcome:\n" << show(clean.out));
    REQUIRE(clean.errors.empty());
    REQUIRE(rtk_test_alloc_failures() == 0);
    REQUIRE(rtk_test_alloc_live() == 0);
    /* the clean run's own figures, fixed by the scenario */
    CHECK(val(clean.out, "A tasks_executed") == 36 + 10 + 10 + 1 + 20 + 70 + 100 + 1 + 3 + 20 + 1 + 7 + 1);
    /* fires at +1, +2, +3, +10 (6 periods missed), +11, +36 (24 missed)
     * and +10.036 s (9999 missed) ms */
    CHECK(val(clean.out, "timer periodic 1ms") == 7);
    CHECK(val(clean.out, "A timer_missed_periods") == 6 + 24 + 9999);
    CHECK(val(clean.out, "B tasks_executed") == 72);
    CHECK(val(clean.out, "type40 late") == 1);
    /* unsubscribed by a handler before it: not called even by that dispatch */
    CHECK(val(clean.out, "type40 victim") == 0);
    CHECK(val(clean.out, "type30 depth") == 12);
    CHECK(val(clean.out, "render") == 1);
    CHECK(val(clean.out, "scope in flight") == 0);
    CHECK(clean.dtor_runs == clean.post_calls);
    /* every allocation site in runtime/src (counted by CMake) is reached */
    for (int i = 0; i < sites; i++)
        UNSCOPED_INFO("site " << rtk_test_alloc_site(i));
    CHECK(sites == RTK_ALLOC_SITES);

    Counts reported, absorbed;
    long k = 0, runs_failed = 0;
    for (;; k++) {
        REQUIRE(k <= 4 * total); /* each run fails at most one */
        rtk_test_alloc_reset();
        rtk_test_alloc_fail_at(k, 0);
        Ctx c;
        scenario(c);
        long failures = rtk_test_alloc_failures();
        rtk_test_alloc_reset();
        INFO("allocation " << k << " failed; errors: " << c.errors.size()
                           << (c.errors.empty() ? "" : " first: " + c.errors[0]));
        CHECK(c.errors.empty());
        INFO("outcome differs from the clean run's:\n" << diff(c.out, clean.out));
        CHECK(c.out == clean.out);
        CHECK(c.dtor_runs == c.post_calls);
        CHECK(rtk_test_alloc_live() == 0);
        if (failures == 0)
            break; /* past the last allocation: a full clean run */
        REQUIRE(failures == 1);
        runs_failed++;
        for (const auto &kv : c.reported)
            reported[kv.first] += kv.second;
        for (const auto &kv : c.absorbed)
            absorbed[kv.first] += kv.second;
    }
    CHECK(k == total);
    long nrep = 0, nabs = 0;
    for (const auto &kv : reported)
        nrep += kv.second;
    for (const auto &kv : absorbed)
        nabs += kv.second;
    CHECK(nrep + nabs == runs_failed);
    std::printf("alloc faults: %ld allocations at %d sites in a clean run; each failed in "
                "turn: %ld reported RTK_ENOMEM (retry succeeded), %ld absorbed, 0 lost, "
                "0 leaked\n  reported by:\n%s  absorbed by:\n%s",
                total, sites, nrep, nabs, show(reported).c_str(), show(absorbed).c_str());
}

TEST_CASE("no memory at all: work still runs in order, allocating calls report it, "
          "then everything works again",
          "[alloc][faults]")
{
    rtk_test_alloc_reset();
    {
        rtk_test_alloc_fail_at(0, 1);
        rtk_runtime_t *rt = nullptr;
        CHECK(rtk_runtime_create(nullptr, &rt) == RTK_ENOMEM);
        CHECK(rt == nullptr);
        CHECK(rtk_scope_create() == nullptr);
        rtk_test_alloc_reset();
        CHECK(rtk_test_alloc_live() == 0);
    }
    FakeClock clock;
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    clock.install(cfg);
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(&cfg, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);

    rtk_test_alloc_fail_at(0, 1); /* from now on, every allocation fails */
    std::vector<int> order;
    std::deque<Rec> ts;
    auto task = [&](int v, Rec *children = nullptr) {
        ts.push_back(Rec{&order, v, rt, children});
        return &ts.back();
    };
    rtk_task_fn rec = &rec_task;
    /* outside the tick: the ring; the tick finds no memory for the levels */
    for (int i = 0; i < 3; i++)
        for (rtk_priority_t p : {300u, 100u})
            REQUIRE(rtk_schedule(rt, rec, task((int)p + i), p) == RTK_OK);
    Rec inner[3] = {{&order, 700, rt, nullptr}, {&order, 701, rt, nullptr},
                  {&order, 702, rt, nullptr}};
    REQUIRE(rtk_schedule(rt, rec, task(1, inner), 200) == RTK_OK);
    rtk_task_desc_t cmd;
    rtk_task_desc_init(&cmd, rec, task(900));
    cmd.priority = 50;
    REQUIRE(rtk_command_send(rt, RTK_CMD_SCHEDULE_TASK, &cmd, nullptr) == RTK_OK);
    /* what must allocate reports it and changes nothing */
    rtk_id_t sub = 0;
    CHECK(rtk_subscribe(rt, 1, 100, [](rtk_runtime_t *, const rtk_event_t *, void *) {
              return RTK_HANDLED;
          }, nullptr, &sub) == RTK_ENOMEM);
    CHECK(sub == 0);
    int dtors = 0;
    rtk_event_desc_t ev;
    rtk_event_desc_init(&ev, 1, &dtors);
    ev.dtor = [](void *d) { ++*static_cast<int *>(d); };
    CHECK(rtk_event_post(rt, &ev, nullptr) == RTK_ENOMEM);
    CHECK(dtors == 1);
    rtk_id_t tid = 0;
    CHECK(rtk_timer_oneshot(rt, MS, rec, task(5), &tid) == RTK_ENOMEM);
    CHECK(tid == 0);
    CHECK(rtk_scope_create() == nullptr);
    rtk_event_desc_t direct;
    rtk_event_desc_init(&direct, 2, nullptr);
    CHECK(rtk_event_dispatch(rt, &direct, nullptr) == RTK_NOT_HANDLED);

    for (int i = 0; i < 100 && rtk_prepare_wait(rt) == 0; i++)
        rtk_tick(rt);
    CHECK(rtk_test_alloc_failures() > 0);
    /* everything accepted ran, in the order it was accepted: with no
     * memory for the priority levels all waited in the ring, the command's
     * task (priority 50, handled first in the tick) and the loop's own
     * (70) behind the outside ones. FIFO within each priority holds. */
    CHECK(order == std::vector<int>{300, 100, 301, 101, 302, 102, 1, 900, 700, 701, 702});
    rtk_stats_t st;
    rtk_stats_get(rt, &st);
    CHECK(st.tasks_executed == 11);
    CHECK(st.drops_total == 0);
    CHECK(st.work_queue_len == 0);

    rtk_test_alloc_fail_at(-1, 0); /* memory is back */
    order.clear();
    REQUIRE(rtk_subscribe(rt, 1, 100, [](rtk_runtime_t *, const rtk_event_t *, void *d) {
                ++*static_cast<int *>(d);
                return RTK_HANDLED;
            }, &dtors, &sub) == RTK_OK);
    REQUIRE(rtk_event_post(rt, &ev, nullptr) == RTK_OK);
    REQUIRE(rtk_timer_oneshot(rt, MS, rec, task(5), &tid) == RTK_OK);
    for (rtk_priority_t p : {300u, 100u})
        REQUIRE(rtk_schedule(rt, rec, task((int)p), p) == RTK_OK);
    rtk_tick(rt);
    clock.advance(MS);
    rtk_tick(rt);
    rtk_tick(rt);
    CHECK(order == std::vector<int>{100, 300, 5});
    CHECK(dtors == 3); /* the handler ran once and the dtor once more */
    rtk_shutdown(rt);
    while (rtk_tick(rt))
        ;
    rtk_runtime_destroy(rt);
    CHECK(rtk_test_alloc_live() == 0);
}

namespace {
/* What ran: producer * 1000 + sequence; only the loop thread appends. */
std::vector<int> *g_prod_order;
int prod_rec(void *a)
{
    g_prod_order->push_back((int)(intptr_t)a);
    return 0;
}
/* A booted runtime with a work queue of `cap` places and batches of
 * `batch` tasks (0: the default). */
rtk_runtime_t *booted_rt(size_t cap, size_t batch)
{
    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.work_queue_capacity = cap;
    if (batch)
        cfg.batch_size = batch;
    rtk_runtime_t *rt = nullptr;
    REQUIRE(rtk_runtime_create(&cfg, &rt) == RTK_OK);
    REQUIRE(rtk_boot(rt) == RTK_OK);
    return rt;
}
} // namespace

/* A thread submitting from outside the loop has a ring of its own
 * (runtime/src/wq_producers.c). When its ring cannot grow, or cannot be
 * allocated at all, the thread goes on through the shared ring: nothing is
 * refused or lost, and its tasks still run in its order, those already in
 * its ring first. */
TEST_CASE("a producer whose ring cannot grow, or be allocated, goes on through the "
          "shared ring in its order", "[alloc][faults]")
{
    for (long fail_at : {0L, 1L}) {
        INFO("allocation " << fail_at << " after the runtime's creation fails");
        rtk_runtime_t *rt = booted_rt(4096, 0);
        std::vector<int> order;
        g_prod_order = &order;
        rtk_test_alloc_reset();
        /* 0: the ring's first segment (claimed at the first submit);
         * 1: its second, when the first 64 cells are full */
        rtk_test_alloc_fail_at(fail_at, 0);
        long rc_bad = 0;
        std::thread a([&] {
            for (int i = 0; i < 300; i++)
                rc_bad += rtk_schedule(rt, prod_rec, (void *)(intptr_t)(1000 + i),
                                       (rtk_priority_t)(i % 2 ? 20 : 10)) != RTK_OK;
        });
        a.join();
        /* another thread's ring is unaffected */
        std::thread b([&] {
            for (int i = 0; i < 100; i++)
                rc_bad += rtk_schedule(rt, prod_rec, (void *)(intptr_t)(2000 + i), 10) !=
                          RTK_OK;
        });
        b.join();
        CHECK(rtk_test_alloc_failures() == 1);
        rtk_test_alloc_fail_at(-1, 0);
        CHECK(rc_bad == 0);
        while (!rtk_is_idle(rt))
            rtk_tick(rt);
        REQUIRE(order.size() == 400);
        /* priority 10 first (A's evens and B's), then A's odds; each
         * producer's sequence rising within a priority */
        int last[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};
        size_t bad = 0, tens = 0;
        for (size_t i = 0; i < order.size(); i++) {
            int who = order[i] / 1000, seq = order[i] % 1000;
            bool ten = who == 2 || seq % 2 == 0;
            tens += ten;
            if (ten != (i < 250))
                bad++;
            int &l = last[who][ten];
            if (seq <= l)
                bad++;
            l = seq;
        }
        CHECK(tens == 250);
        CHECK(bad == 0);
        rtk_stats_t st;
        rtk_stats_get(rt, &st);
        CHECK(st.drops_total == 0);
        CHECK(st.work_queue_len == 0);
        rtk_runtime_destroy(rt);
        CHECK(rtk_test_alloc_live() == 0);
    }
}

namespace {
rtk_runtime_t *g_urgent_rt;
/* A block's third task: a thread whose ring cannot be allocated (so it
 * sends through the shared ring) sends 700 at priority 1, and is waited
 * for: the task is published before the block's next task would start. */
int send_urgent_shared(void *a)
{
    g_prod_order->push_back((int)(intptr_t)a);
    rtk_test_alloc_reset();
    rtk_test_alloc_fail_at(0, 0); /* the thread's first segment */
    int rc = -1;
    std::thread d([&] { rc = rtk_schedule(g_urgent_rt, prod_rec, (void *)700, 1); });
    d.join();
    rtk_test_alloc_fail_at(-1, 0);
    return rc == RTK_OK && rtk_test_alloc_failures() == 1 ? 0 : 1;
}
} // namespace

/* A block's run (runtime/src/executor.c, run_block) reads one bound a
 * task, prod_min, for what other threads sent: a thread sending through
 * the shared ring lowers it as one with a ring of its own does. So a more
 * urgent task sent there while a block runs goes before the block's next
 * task, whether the block was one batch or a series of single submits. */
TEST_CASE("a more urgent task sent through the shared ring while a block runs goes "
          "before the block's next task", "[alloc][faults][producers]")
{
    for (bool single : {false, true}) {
        INFO((single ? "a series of single submits" : "one batch"));
        rtk_runtime_t *rt = booted_rt(4096, 0);
        g_urgent_rt = rt;
        std::vector<int> order;
        g_prod_order = &order;
        int bad = 0; /* Catch's assertions are for this thread */
        /* A lives until the block has run: a thread that has exited leaves
         * its slot (and ring) to the next one whose TLS lands where its
         * did, as the urgent sender's would */
        std::promise<void> sent, ran;
        std::thread a([&] {
            rtk_task_fn fns[8];
            void *args[8];
            for (int i = 0; i < 8; i++) {
                fns[i] = i == 2 ? send_urgent_shared : prod_rec;
                args[i] = (void *)(intptr_t)i;
            }
            for (int i = 0; i < 8 && single; i++)
                bad += rtk_schedule(rt, fns[i], args[i], 10) != RTK_OK;
            if (!single) {
                rtk_task_desc_t d[8];
                for (int i = 0; i < 8; i++) {
                    rtk_task_desc_init(&d[i], fns[i], args[i]);
                    d[i].priority = 10;
                }
                size_t taken = 0;
                bad += rtk_submit_many(rt, d, 8, nullptr, &taken) != RTK_OK;
                bad += taken != 8;
            }
            sent.set_value();
            ran.get_future().wait();
        });
        sent.get_future().wait();
        while (!rtk_is_idle(rt))
            rtk_tick(rt);
        ran.set_value();
        a.join();
        REQUIRE(bad == 0);
        CHECK(order == std::vector<int>{0, 1, 2, 700, 3, 4, 5, 6, 7});
        rtk_stats_t st;
        rtk_stats_get(rt, &st);
        CHECK(st.tasks_executed == 9);
        CHECK(st.tasks_failed == 0);
        rtk_runtime_destroy(rt);
        CHECK(rtk_test_alloc_live() == 0);
    }
}

/* A ring's segments are reused (runtime/src/wq_producers.c): once a ring
 * has held a burst, the same burst again allocates nothing, and the memory
 * held stays what it was. The main thread submits between ticks, which
 * goes through its own ring as any other thread's submit does. */
TEST_CASE("a producer's bursts reuse the segments the loop has left: no allocation, "
          "the same memory", "[alloc][faults][producers]")
{
    rtk_runtime_t *rt = booted_rt(32768, 32768);
    std::vector<int> order;
    g_prod_order = &order;
    /* The first burst takes segments of 64, 128, ... 4096 cells (8128),
     * then 3 more of 4096: 4 of full size. The loop frees the small ones
     * as the producer meets them and hands the full ones back. The second
     * burst starts in the last of them and takes 5 more: one new. From
     * the third on the ring has what it needs. */
    const int kN = 20000, kRounds = 4;
    long live[kRounds] = {}, allocs[kRounds] = {};
    for (int round = 0; round < kRounds; round++) {
        order.clear();
        rtk_test_alloc_reset();
        int bad = 0;
        for (int i = 0; i < kN; i++)
            bad += rtk_schedule(rt, prod_rec, (void *)(intptr_t)i, 10) != RTK_OK;
        CHECK(bad == 0);
        while (!rtk_is_idle(rt))
            rtk_tick(rt);
        allocs[round] = rtk_test_alloc_count();
        live[round] = rtk_test_alloc_live_bytes();
        REQUIRE(order.size() == (size_t)kN);
        int breaks = 0;
        for (int i = 0; i < kN; i++)
            breaks += order[(size_t)i] != i;
        CHECK(breaks == 0);
    }
    CHECK(allocs[1] == 1);
    CHECK(allocs[2] == 0);
    CHECK(allocs[3] == 0);
    CHECK(live[3] == live[2]);
    rtk_runtime_destroy(rt);
    CHECK(rtk_test_alloc_live() == 0);
}
