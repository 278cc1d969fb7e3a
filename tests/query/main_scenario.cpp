// main_scenario.cpp - see main_scenario.hpp.
#include "main_scenario.hpp"

#include <string>

using namespace scenario;

static std::string n(long long v) { return std::to_string(v); }

// The main scenario: see the comment on each block for the ground truth.
void fill_main(TestDb &db)
{
    db.exec("BEGIN");
    db.exec("INSERT INTO traces VALUES (1, 'uuid-1', '/tmp/t', 'host', 'app', 100,"
            " 'per-uid', " + n(BASE) + ", " + n(BASE + 20 * S) + ", 123456, 'now');"
            "INSERT INTO procs VALUES (1, 1, 100, 'app');");
    // Tasks 1..1000: queue wait i us, run time i ms (1..1000 ms), queued at
    // i*10 ms; priority 100 for even i, 200 for odd; name a (i <= 500) or b;
    // failed every 100th.
    for (long long i = 1; i <= 1000; i++) {
        long long q = BASE + i * 10 * MS, s = q + i * US, f = s + i * MS;
        db.exec("INSERT INTO tasks (proc, id, cause, priority, name, source, queued_ts,"
                " started_ts, finished_ts, outcome, status, flags) VALUES (1, " + n(i) +
                ", 0, " + (i % 2 ? "200" : "100") + ", '" + (i <= 500 ? "a" : "b") +
                "', 0, " + n(q) + ", " + n(s) + ", " + n(f) + ", " +
                (i % 100 ? "0, 0" : "1, -1") + ", 0)");
    }
    // Incomplete tasks (priority 50): 2001/2002 lost their finish (queue
    // wait 5 us), 2003 lost queued and finished, 2004 is voided.
    db.exec("INSERT INTO tasks (proc, id, priority, name, source, queued_ts, started_ts,"
            " finished_ts, outcome, flags) VALUES"
            " (1, 2001, 50, 'lost', 0, " + n(BASE + 15 * S) + ", " + n(BASE + 15 * S + 5 * US) +
            ", NULL, NULL, 4),"
            " (1, 2002, 50, 'lost', 0, " + n(BASE + 15 * S) + ", " + n(BASE + 15 * S + 5 * US) +
            ", NULL, NULL, 4),"
            " (1, 2003, 50, 'lost', 0, NULL, " + n(BASE + 15 * S) + ", NULL, NULL, 5),"
            " (1, 2004, 50, 'void', 1, " + n(BASE + 16 * S) + ", NULL, " +
            n(BASE + 16 * S + 1000) + ", 3, 2)");
    // Dispatches 3001..3004: queue wait k*100 us, duration k ms; 3005 lost
    // its queued half (direct dispatch, duration 10 ms).
    for (long long k = 1; k <= 4; k++) {
        long long q = BASE + S + k * MS, b = q + k * 100 * US, e = b + k * MS;
        db.exec("INSERT INTO dispatches (proc, id, priority, type, path, queued_ts,"
                " begin_ts, end_ts, result, handlers) VALUES (1, " + n(3000 + k) +
                ", 100, " + (k <= 2 ? "7" : "8") + ", 0, " + n(q) + ", " + n(b) + ", " +
                n(e) + ", 1, 1)");
    }
    db.exec("INSERT INTO dispatches (proc, id, priority, type, path, queued_ts, begin_ts,"
            " end_ts, flags) VALUES (1, 3005, 100, 8, 2, NULL, " + n(BASE + 2 * S) + ", " +
            n(BASE + 2 * S + 10 * MS) + ", 1)");
    // Timers: blink (periodic) fires k = 0..49, autosave k = 50..99;
    // lateness k us. Fire 10 missed 3 periods.
    db.exec("INSERT INTO timers (proc, id, priority, name, interval_ns, armed_ts,"
            " deadline_ns, cancelled_ts) VALUES"
            " (1, 4001, 100, 'blink', 500000000, " + n(BASE) + ", 0, NULL),"
            " (1, 4002, 100, 'autosave', 0, " + n(BASE) + ", 0, " + n(BASE + 5 * S) + ")");
    for (long long k = 0; k < 100; k++)
        db.exec(std::string("INSERT INTO timer_fires (proc, timer_id, priority, ts,"
                " deadline_ns, now_ns, lateness_ns, missed) VALUES (1, ") + (k < 50 ? "4001" : "4002") +
                ", 100, " + n(BASE + 2 * S + k * MS) + ", 0, " + n(k * US) + ", " +
                n(k * US) + ", " + (k == 10 ? "3" : "0") + ")");
    // Commands 5001..5010: sent -> handled k ms; 5011 never handled.
    for (long long k = 1; k <= 10; k++)
        db.exec("INSERT INTO commands (proc, id, cmd, priority, sent_ts, handled_ts,"
                " result) VALUES (1, " + n(5000 + k) + ", 2, 100, " +
                n(BASE + 3 * S + k * 10 * MS) + ", " + n(BASE + 3 * S + k * 11 * MS) + ", 0)");
    db.exec("INSERT INTO commands (proc, id, cmd, priority, sent_ts, flags) VALUES"
            " (1, 5011, 0, 0, " + n(BASE + 4 * S) + ", 4)");
    // Ticks 1..100 rendered, t ms long; 101..150 not rendered, 150 ms;
    // 151 rendered but its end was lost.
    for (long long t = 1; t <= 150; t++) {
        long long b = BASE + 4 * S + t * 200 * MS, d = t <= 100 ? t * MS : 150 * MS;
        db.exec("INSERT INTO ticks (proc, tick, begin_ts, end_ts, now_ns, commands, timers,"
                " events, tasks, async_events, rendered) VALUES (1, " + n(t) + ", " + n(b) +
                ", " + n(b + d) + ", 0, 0, 1, 2, 3, 0, " + (t <= 100 ? "1" : "0") + ")");
    }
    db.exec("INSERT INTO ticks (proc, tick, begin_ts, rendered, flags) VALUES (1, 151, " +
            n(BASE + 19 * S) + ", 1, 4)");
    // Renders inside ticks 100 (3 ms) and 99 (2 ms); 98's app took the flag.
    auto tick_begin = [](long long t) { return BASE + 4 * S + t * 200 * MS; };
    db.exec("INSERT INTO renders (proc, id, frame, begin_ts, end_ts, requests, flags)"
            " VALUES (1, 6001, 100, " + n(tick_begin(100) + 10 * MS) + ", " +
            n(tick_begin(100) + 13 * MS) + ", 1, 0),"
            " (1, 6002, 99, " + n(tick_begin(99) + 10 * MS) + ", " +
            n(tick_begin(99) + 12 * MS) + ", 1, 0),"
            " (1, 6003, 98, " + n(tick_begin(98) + 10 * MS) + ", NULL, 1, 4)");
    // Drops: 5 work_queue_full (never queued), 2 shutdown (queued tasks
    // 2001/2002), 1 event_queue_full.
    for (int d = 1; d <= 5; d++)
        db.exec("INSERT INTO drops VALUES (1, " + n(BASE + d) + ", " + n(7000 + d) +
                ", 0, 100, 0, 0)");
    db.exec("INSERT INTO drops VALUES (1, " + n(BASE + 17 * S) + ", 2001, 0, 50, 0, 8),"
            " (1, " + n(BASE + 17 * S) + ", 2002, 0, 50, 0, 8),"
            " (1, " + n(BASE + 5) + ", 3100, 0, 100, 1, 1)");
    // Tracer loss: 7 + 3 events and one message without a count; packets:
    // one without a count (counts 1) and 2.
    db.exec("INSERT INTO tracer_loss VALUES (1, 'a', 'events', 7, 1, 2),"
            " (1, 'b', 'events', 3, 1, 2), (1, 'c', 'events', NULL, 1, 2),"
            " (1, 'a', 'packets', NULL, 1, 2), (1, 'b', 'packets', 2, 1, 2)");
    db.exec("COMMIT");
}

