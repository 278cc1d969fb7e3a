// trace_test.cpp - tracing integration test. Without arguments: make sure
// a session daemon runs (start one with `lttng-sessiond --daemonize` if
// none), create a uniquely named userspace session with rtk:* and the vpid
// context, re-run this binary with --workload (so it registers with the
// daemon at start-up, after the session is live) and then with
// --credit-workload (credit_workload.cpp) and --order-workload
// (order_workload.cpp), stop/destroy the session, read it back with
// babeltrace2 and check, per process, the exact count of every rtk event
// and that ids and cause ids link. Exit 0 pass, 1 fail, 77 skip (no
// lttng-sessiond installed). Cost: ~2-5 s (daemon round trips).
#include "trace_read.h"
#include "workload.h"

#include <rtk/rtk.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

int g_failures = 0;

#define EXPECT(cond)                                                                 \
    do {                                                                             \
        if (!(cond)) {                                                               \
            std::fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); \
            g_failures++;                                                            \
        }                                                                            \
    } while (0)

#define EXPECT_EQ(a, b)                                                                \
    do {                                                                               \
        unsigned long long va_ = (unsigned long long)(a), vb_ = (unsigned long long)(b); \
        if (va_ != vb_) {                                                              \
            std::fprintf(stderr, "%s:%d: FAILED: %s == %s (%llu vs %llu)\n", __FILE__,  \
                         __LINE__, #a, #b, va_, vb_);                                  \
            g_failures++;                                                              \
        }                                                                              \
    } while (0)

bool in_path(const char *prog)
{
    const char *path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    p += ":/usr/sbin:/sbin:/usr/local/bin";
    std::stringstream ss(p);
    std::string dir;
    while (std::getline(ss, dir, ':'))
        if (!dir.empty() && access((dir + "/" + prog).c_str(), X_OK) == 0)
            return true;
    return false;
}

std::string g_log; /* lttng CLI output, shown on failure */

bool sh(const std::string &cmd)
{
    std::string full = cmd + " 2>&1";
    FILE *f = popen(full.c_str(), "r");
    if (!f)
        return false;
    char buf[512];
    g_log += "$ " + cmd + "\n";
    while (fgets(buf, sizeof buf, f))
        g_log += buf;
    return pclose(f) == 0;
}

/* Run ourselves with `mode` (--workload, --credit-workload); its stdout
 * ("key value" lines) -> kv. */
bool run_child(const char *self, const char *mode, pid_t *pid_out,
               std::map<std::string, uint64_t> *kv)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(self, self, mode, (char *)nullptr);
        _exit(127);
    }
    close(fds[1]);
    *pid_out = pid;
    FILE *f = fdopen(fds[0], "r");
    char buf[256];
    while (fgets(buf, sizeof buf, f)) {
        char key[128];
        unsigned long long v;
        if (std::sscanf(buf, "%127s %llu", key, &v) == 2)
            (*kv)[key] = v;
        else
            std::fprintf(stderr, "workload: %s", buf);
        if (std::strncmp(buf, "error", 5) == 0)
            std::fprintf(stderr, "workload reported: %s", buf);
    }
    fclose(f);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* A session daemon, started through scripts/ensure-sessiond.sh if none
 * answers, and then stopped on the way out (after the session is
 * destroyed; only that daemon, waiting until it is gone), so a standalone
 * run leaves nothing running. Under ctest the `sessiond` fixture has
 * started one already, and the file stays empty. */
struct OwnDaemon {
    std::string pidfile;
    ~OwnDaemon()
    {
        if (!pidfile.empty())
            sh(std::string(RTK_ENSURE_SESSIOND) + " --stop " + pidfile);
    }
};

struct Session {
    std::string name, dir;
    bool created = false;
    ~Session()
    {
        if (created)
            sh("lttng destroy " + name);
    }
};

void check_trace(const std::vector<TraceEvent> &all, pid_t pid,
                 std::map<std::string, uint64_t> &kv)
{
    std::vector<TraceEvent> evs;
    for (const auto &e : all)
        if (e.has("vpid") && e.u("vpid") == (uint64_t)pid)
            evs.push_back(e);
    std::map<std::string, int> count;
    for (const auto &e : evs)
        count[e.name]++;
    std::fprintf(stderr, "trace: %zu rtk events from pid %d (%zu from all processes)\n",
                 evs.size(), (int)pid, all.size());
    for (const auto &c : count)
        std::fprintf(stderr, "  %-18s %d\n", c.first.c_str(), c.second);

    /* What the workload did (see workload.cpp). */
    EXPECT_EQ(kv["work_refused"], 2);
    EXPECT_EQ(kv["batch_efull"], 1);
    EXPECT_EQ(kv["batch_taken"], 0);
    EXPECT_EQ(kv["event_refused"], 1);
    EXPECT_EQ(kv["async_refused"], 1);
    EXPECT_EQ(kv["cmd_rc"], 0);
    EXPECT_EQ(kv["cancel_x_rc"], 0);
    EXPECT_EQ(kv["cancel_v_rc"], 0);
    EXPECT_EQ(kv["direct_rc"], 1); /* HANDLED */
    EXPECT_EQ(kv["abandoned_ran"], 1);
    EXPECT_EQ(kv["tick3"], 0);

    /* Exact counts per event. */
    const std::map<std::string, int> want = {
        {"command_sent", 1},
        {"command_handled", 1},
        /* 10 before tick 1; tick 2: cmd task, inner, canceller, 4 fires */
        {"task_queued", 17},
        /* all but V's voided fire */
        {"task_started", 16},
        {"task_finished", 17},
        /* 4 posted + 4 async + 1 direct */
        {"event_queued", 9},
        {"event_dispatched", 9},
        {"timer_armed", 5},
        {"timer_fired", 4},
        {"timer_cancelled", 2},
        /* 2 work queue full, 1 event queue full, 1 async queue full */
        {"drop", 7},
        {"tick_begin", 3},
        {"tick_end", 3},
        /* booting->running, running->stopping */
        {"state_change", 2},
        {"render_request", 5},
        {"render_begin", 1},
        {"render_end", 1},
        /* rtk_stats_trace() + once when the runtime stops */
        {"stats", 2},
    };
    for (const auto &w : want) {
        int got = count.count(w.first) ? count[w.first] : 0;
        if (got != w.second) {
            std::fprintf(stderr, "FAILED: count of rtk:%s is %d, expected %d\n",
                         w.first.c_str(), got, w.second);
            g_failures++;
        }
    }
    for (const auto &c : count)
        if (!want.count(c.first)) {
            std::fprintf(stderr, "FAILED: unexpected event rtk:%s (%d)\n", c.first.c_str(),
                         c.second);
            g_failures++;
        }

    /* Index by id. */
    std::map<uint64_t, const TraceEvent *> queued, started, finished, ev_queued;
    std::map<uint64_t, const TraceEvent *> fired_by_timer, cancelled_by_timer;
    const TraceEvent *cmd_sent = nullptr, *cmd_handled = nullptr;
    std::map<int, int> outcomes, drops_by_reason;
    int coalesced = 0;
    std::vector<uint64_t> states; /* from * 10 + to */
    for (const auto &e : evs) {
        if (e.name == "task_queued") {
            EXPECT(!queued.count(e.u("id")));
            queued[e.u("id")] = &e;
        } else if (e.name == "task_started") {
            started[e.u("id")] = &e;
        } else if (e.name == "task_finished") {
            EXPECT(!finished.count(e.u("id")));
            finished[e.u("id")] = &e;
            outcomes[(int)e.u("outcome")]++;
            /* failing tasks return 5; the abandon passes 7 (see workload) */
            if (e.u("outcome") == 1)
                EXPECT_EQ(e.u("status"), 5);
            if (e.u("outcome") == 2)
                EXPECT_EQ(e.u("status"), 7);
            if (e.u("outcome") == 0)
                EXPECT_EQ(e.u("status"), 0);
        } else if (e.name == "event_queued") {
            ev_queued[e.u("id")] = &e;
        } else if (e.name == "timer_fired") {
            fired_by_timer[e.u("id")] = &e;
        } else if (e.name == "timer_cancelled") {
            cancelled_by_timer[e.u("id")] = &e;
        } else if (e.name == "command_sent") {
            cmd_sent = &e;
        } else if (e.name == "command_handled") {
            cmd_handled = &e;
        } else if (e.name == "drop") {
            drops_by_reason[(int)e.u("reason")]++;
            EXPECT_EQ(e.u("kind"), e.u("reason") == 0 ? 0 : e.u("reason") == 1 ? 1 : 2);
        } else if (e.name == "state_change") {
            states.push_back(e.u("from") * 10 + e.u("to"));
        } else if (e.name == "render_request") {
            coalesced += (int)e.u("coalesced");
        }
    }

    /* Every started/finished task was queued, with the same cause. */
    for (const auto &s : started) {
        EXPECT(queued.count(s.first));
        if (queued.count(s.first)) {
            EXPECT_EQ(s.second->u("cause"), queued[s.first]->u("cause"));
            EXPECT_EQ(s.second->u("priority"), queued[s.first]->u("priority"));
        }
        EXPECT(finished.count(s.first));
    }
    for (const auto &f : finished)
        EXPECT(queued.count(f.first));
    /* One process-wide counter: no id names two items of any kind. */
    {
        std::map<uint64_t, std::string> owner;
        for (const auto &e : evs) {
            std::string kind;
            if (e.name == "task_queued")
                kind = "task";
            else if (e.name == "event_queued")
                kind = "event";
            else if (e.name == "timer_armed")
                kind = "timer";
            else if (e.name == "command_sent")
                kind = "command";
            else if (e.name == "render_request" || e.name == "render_begin")
                kind = e.name;
            else if (e.name == "drop" && e.u("reason") == 0)
                kind = "refused task"; /* each its own id, none reused */
            else
                continue;
            uint64_t id = e.u("id");
            EXPECT(id != 0);
            if (owner.count(id)) {
                std::fprintf(stderr, "FAILED: id %llu used by %s and %s\n",
                             (unsigned long long)id, owner[id].c_str(), kind.c_str());
                g_failures++;
            }
            owner[id] = kind;
        }
    }
    EXPECT_EQ(outcomes[0], 13); /* 7 + cmd task, inner, canceller, A, B, C */
    EXPECT_EQ(outcomes[1], 2);
    EXPECT_EQ(outcomes[2], 1);
    EXPECT_EQ(outcomes[3], 1);
    EXPECT_EQ(drops_by_reason[0], 5); /* 2 schedules, a batch of 3 */
    EXPECT_EQ(drops_by_reason[1], 1);
    EXPECT_EQ(drops_by_reason[2], 1);
    EXPECT_EQ(coalesced, 4);
    EXPECT(states == (std::vector<uint64_t>{1, 12})); /* booting->running->stopping */

    /* Events: each dispatched id was queued; the direct dispatch too. */
    for (const auto &e : evs)
        if (e.name == "event_dispatched")
            EXPECT(ev_queued.count(e.u("id")));
    EXPECT(ev_queued.count(kv["direct_id"]));
    if (ev_queued.count(kv["direct_id"]))
        EXPECT_EQ(ev_queued[kv["direct_id"]]->u("path"), 2);

    /* Command: sent/handled carry its id; its task's cause is the command. */
    EXPECT(cmd_sent && cmd_handled);
    if (cmd_sent && cmd_handled) {
        EXPECT_EQ(cmd_sent->u("id"), kv["cmd_id"]);
        EXPECT_EQ(cmd_handled->u("id"), kv["cmd_id"]);
        EXPECT_EQ(cmd_handled->u("cmd"), 2);
        uint64_t tid = cmd_handled->u("task_id");
        EXPECT_EQ(tid, kv["cmd_task"]);
        EXPECT(queued.count(tid));
        if (queued.count(tid)) {
            EXPECT_EQ(queued[tid]->u("cause"), kv["cmd_id"]);
            EXPECT_EQ(queued[tid]->u("source"), 2);
        }
        /* task submitted inside that task: cause == the outer task */
        EXPECT(queued.count(kv["inner_task"]));
        if (queued.count(kv["inner_task"]))
            EXPECT_EQ(queued[kv["inner_task"]]->u("cause"), tid);
    }

    /* Timers: each fire's task has the timer as cause. */
    for (const char *t : {"timer_a", "timer_b", "timer_c", "timer_v"}) {
        uint64_t id = kv[t];
        EXPECT(fired_by_timer.count(id));
        if (!fired_by_timer.count(id))
            continue;
        const TraceEvent *f = fired_by_timer[id];
        uint64_t tid = f->u("task_id");
        EXPECT(queued.count(tid));
        if (queued.count(tid)) {
            EXPECT_EQ(queued[tid]->u("cause"), id);
            EXPECT_EQ(queued[tid]->u("source"), 1);
            EXPECT_EQ(queued[tid]->u("timer_id"), id);
        }
        EXPECT_EQ(f->u("lateness_ns"), f->u("now_ns") - f->u("deadline_ns"));
        EXPECT_EQ(f->u("missed"), 0);
        if (std::string(t) == "timer_v") {
            /* cancelled while its fire was queued: voided, never started */
            EXPECT(!started.count(tid));
            EXPECT(finished.count(tid));
            if (finished.count(tid))
                EXPECT_EQ(finished[tid]->u("outcome"), 3);
            EXPECT(cancelled_by_timer.count(id));
            if (cancelled_by_timer.count(id)) {
                EXPECT_EQ(cancelled_by_timer[id]->u("voided_task_id"), tid);
                EXPECT_EQ(cancelled_by_timer[id]->u("cause"), kv["canceller_id"]);
            }
        } else {
            EXPECT(started.count(tid));
        }
    }
    EXPECT(!fired_by_timer.count(kv["timer_x"]));
    EXPECT(cancelled_by_timer.count(kv["timer_x"]));
    if (cancelled_by_timer.count(kv["timer_x"]))
        EXPECT_EQ(cancelled_by_timer[kv["timer_x"]]->u("voided_task_id"), 0);

    /* The last stats snapshot agrees with the runtime's own counters. */
    const TraceEvent *last_stats = nullptr;
    for (const auto &e : evs)
        if (e.name == "stats")
            last_stats = &e;
    EXPECT(last_stats != nullptr);
    if (last_stats) {
        EXPECT_EQ(last_stats->u("tasks_executed"), kv["stats_executed"]);
        EXPECT_EQ(last_stats->u("tasks_failed"), kv["stats_failed"]);
        EXPECT_EQ(last_stats->u("tasks_voided"), kv["stats_voided"]);
        EXPECT_EQ(last_stats->u("events_dispatched") + last_stats->u("async_dispatched"),
                  kv["stats_events"] + kv["stats_async"]);
        EXPECT_EQ(last_stats->u("timers_fired"), kv["stats_timers_fired"]);
        EXPECT_EQ(last_stats->u("drops_work_queue_full"), 5);
        EXPECT_EQ(last_stats->u("drops_event_queue_full"), 1);
        EXPECT_EQ(last_stats->u("drops_async_queue_full"), 1);
    }
    EXPECT_EQ(kv["stats_executed"], 13);
    EXPECT_EQ(kv["stats_failed"], 3);
    EXPECT_EQ(kv["stats_voided"], 1);
    EXPECT_EQ(kv["stats_timers_fired"], 4);
    EXPECT_EQ(kv["stats_drops_total"], 7);
    EXPECT_EQ(kv["stats_renders"], 1);
}

/* The credit workload (credit_workload.cpp): what the runtime counted,
 * what the trace says, and both against the model of a 128-place queue in
 * which every task queues two more until 1000 are queued (1001 run). */
void check_credit(const std::vector<TraceEvent> &all, pid_t pid,
                  std::map<std::string, uint64_t> &kv)
{
    /* the model: L queued; a pop frees its place for the task's pushes */
    uint64_t L = 1, queued[2] = {0, 0}, refused[2] = {0, 0}, runs = 0;
    uint64_t max_len = 0; /* the queue as a task starts */
    while (L > 0) {
        L--;
        runs++;
        if (L > max_len)
            max_len = L;
        for (int k = 0; k < 2; k++)
            if (queued[0] + queued[1] < 1000) {
                if (L < 128) {
                    L++;
                    queued[k]++;
                } else {
                    refused[k]++;
                }
            }
    }
    EXPECT_EQ(runs, 1001);
    EXPECT_EQ(queued[0], 873);
    EXPECT_EQ(queued[1], 127);
    EXPECT_EQ(refused[0], 0);
    EXPECT_EQ(refused[1], 745);
    EXPECT_EQ(max_len, 127);

    EXPECT_EQ(kv["seed_rc"], 0);
    EXPECT_EQ(kv["tick1"], 1);
    EXPECT_EQ(kv["queued"], 1000);
    EXPECT_EQ(kv["refused_schedule"], refused[0]);
    EXPECT_EQ(kv["refused_submit"], refused[1]);
    EXPECT_EQ(kv["max_len"], max_len);
    EXPECT_EQ(kv["len_end"], 0);
    EXPECT_EQ(kv["executed"], runs);
    EXPECT_EQ(kv["drops_full"], refused[1]);
    EXPECT_EQ(kv["tick2"], 0);

    std::map<std::string, int> count, by_prio, wave;
    std::set<uint64_t> started;
    std::vector<const TraceEvent *> queued_evs;
    const TraceEvent *last_stats = nullptr;
    for (const auto &e : all) {
        if (!e.has("vpid") || e.u("vpid") != (uint64_t)pid)
            continue;
        count[e.name]++;
        if (e.name == "task_queued") {
            /* the babeltrace2 CLI (2.0.4) prints an empty string as an
             * earlier event's: count names only where none is empty */
            by_prio[std::to_string(e.u("priority"))]++;
            if (e.u("priority") == RTK_PRIORITY_LOW)
                wave[e.fields.count("name") ? e.fields.at("name") : "?"]++;
            queued_evs.push_back(&e);
        } else if (e.name == "task_started") {
            started.insert(e.u("id"));
        } else if (e.name == "task_finished") {
            EXPECT_EQ(e.u("outcome"), 0);
        } else if (e.name == "drop") {
            EXPECT_EQ(e.u("reason"), 0); /* work_queue_full */
        } else if (e.name == "stats") {
            last_stats = &e;
        }
    }
    EXPECT_EQ(count["task_queued"], 1 + queued[0] + queued[1]);
    EXPECT_EQ(count["task_started"], runs);
    EXPECT_EQ(count["task_finished"], runs);
    EXPECT_EQ(count["drop"], refused[1]);
    EXPECT_EQ(by_prio[std::to_string(RTK_PRIORITY_NORMAL)], 1 + queued[0]);
    EXPECT_EQ(by_prio[std::to_string(RTK_PRIORITY_LOW)], queued[1]);
    EXPECT_EQ(wave["wave"], queued[1]);
    /* every task but the seed was queued by one that ran */
    for (const TraceEvent *q : queued_evs)
        if (q->u("id") != kv["seed_id"])
            EXPECT(started.count(q->u("cause")));
    EXPECT(last_stats != nullptr);
    if (last_stats) {
        EXPECT_EQ(last_stats->u("tasks_executed"), runs);
        EXPECT_EQ(last_stats->u("drops_work_queue_full"), refused[1]);
    }
}

/* The order workload (order_workload.cpp): every script kept the order
 * with the loop's pushes traced, and the trace shows every task queued and
 * run (so the session was listening to them). */
void check_order(const std::vector<TraceEvent> &all, pid_t pid,
                 std::map<std::string, uint64_t> &kv)
{
    const uint64_t tasks = 50 + 400 + 3000;
    EXPECT_EQ(kv["order_errors"], 0);
    EXPECT_EQ(kv["order_violations"], 0);
    EXPECT_EQ(kv["order_ran"], tasks);
    std::map<std::string, uint64_t> count;
    for (const auto &e : all)
        if (e.has("vpid") && e.u("vpid") == (uint64_t)pid)
            count[e.name]++;
    EXPECT_EQ(count["task_queued"], tasks);
    EXPECT_EQ(count["task_started"], tasks);
    EXPECT_EQ(count["task_finished"], tasks);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && std::strcmp(argv[1], "--workload") == 0)
        return run_workload(stdout);
    if (argc > 1 && std::strcmp(argv[1], "--credit-workload") == 0)
        return run_credit_workload(stdout);
    if (argc > 1 && std::strcmp(argv[1], "--order-workload") == 0)
        return run_order_workload(stdout);

    if (!in_path("lttng-sessiond")) {
        std::printf("SKIP: lttng-sessiond is not installed\n");
        return 77;
    }
    for (const char *tool : {"lttng", "babeltrace2"})
        if (!in_path(tool)) {
            std::fprintf(stderr, "FAIL: lttng-sessiond is installed but %s is not\n", tool);
            return 1;
        }
    OwnDaemon daemon; /* destroyed after `s` below: the session goes first */
    daemon.pidfile = "/tmp/rtk-trace-test-sessiond-" + std::to_string(getpid());
    if (!sh(std::string(RTK_ENSURE_SESSIOND) + " --started " + daemon.pidfile)) {
        std::fprintf(stderr, "FAIL: cannot start lttng-sessiond:\n%s", g_log.c_str());
        return 1;
    }

    Session s;
    char tmpl[] = "/tmp/rtk-trace-test-XXXXXX";
    if (!mkdtemp(tmpl)) {
        std::perror("mkdtemp");
        return 1;
    }
    s.dir = tmpl;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    s.name = "rtk-test-" + std::to_string(getpid()) + "-" + std::to_string(ts.tv_nsec);
    bool ok = sh("lttng create " + s.name + " --output=" + s.dir);
    s.created = ok;
    ok = ok && sh("lttng enable-event --userspace 'rtk:*' --session=" + s.name);
    ok = ok && sh("lttng add-context --userspace --type=vpid --session=" + s.name);
    ok = ok && sh("lttng start " + s.name);
    if (!ok) {
        std::fprintf(stderr, "FAIL: lttng session setup failed:\n%s", g_log.c_str());
        return 1;
    }

    pid_t pid = 0, cpid = 0, opid = 0;
    std::map<std::string, uint64_t> kv, ckv, okv;
    bool child_ok = run_child("/proc/self/exe", "--workload", &pid, &kv) &&
                    run_child("/proc/self/exe", "--credit-workload", &cpid, &ckv) &&
                    run_child("/proc/self/exe", "--order-workload", &opid, &okv);
    ok = sh("lttng stop " + s.name) && sh("lttng destroy " + s.name);
    s.created = !ok;
    if (!child_ok) {
        std::fprintf(stderr, "FAIL: workload process failed\n");
        return 1;
    }
    if (!ok) {
        std::fprintf(stderr, "FAIL: lttng stop/destroy failed:\n%s", g_log.c_str());
        return 1;
    }

    std::vector<TraceEvent> all;
    std::string err;
    if (!read_trace(s.dir, "rtk", &all, &err)) {
        std::fprintf(stderr, "FAIL: %s\n", err.c_str());
        return 1;
    }
    try {
        check_trace(all, pid, kv);
        check_credit(all, cpid, ckv);
        check_order(all, opid, okv);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "FAIL: %s\n", e.what());
        g_failures++;
    }
    if (g_failures) {
        std::fprintf(stderr, "%d check(s) failed; trace kept in %s\n", g_failures,
                     s.dir.c_str());
        return 1;
    }
    sh("rm -rf '" + s.dir + "'");
    std::printf("tracing integration: all checks passed\n");
    return 0;
}
