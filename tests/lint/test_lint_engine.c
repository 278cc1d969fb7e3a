/* test_lint_engine.c - the lint engine (tools/analysis/lint/) called as the
 * live mode calls it: an open connection, a configuration, a time range,
 * findings back. Exact values on hand-built rows (no timing): starvation
 * shares, branching requeue chains, the range a finding belongs to, the
 * threshold setter's errors, an empty database, a database without the
 * schema.
 *
 *   test_lint_engine WORKDIR
 *
 * Cost: milliseconds; one small database file in WORKDIR.
 */
#define _POSIX_C_SOURCE 200809L
#include "db.h"
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fails;
#define CHECK(c)                                                                \
    do {                                                                        \
        if (!(c)) {                                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);         \
            fails++;                                                            \
        }                                                                       \
    } while (0)

#define MS 1000000LL
#define T0 1000000000000LL /* trace start */

static void exec(sqlite3 *db, const char *sql)
{
    char *e = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &e) != SQLITE_OK) {
        fprintf(stderr, "FAIL sql: %s: %s\n", e, sql);
        fails++;
    }
    sqlite3_free(e);
}

static void task(sqlite3 *db, int id, int cause, int prio, const char *name, long long q,
                 long long s, long long f)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO tasks (proc, id, cause, priority, name, source, queued_ts,"
             " started_ts, finished_ts, outcome, status, flags)"
             " VALUES (1, %d, %d, %d, '%s', 0, %lld, %lld, %lld, 0, 0, 0)",
             id, cause, prio, name, T0 + q, T0 + s, T0 + f);
    exec(db, sql);
}

static rtt_lint_result_t run(sqlite3 *db, const rtt_lint_config_t *c, int rule,
                             long long from, long long to)
{
    rtt_lint_result_t r;
    char err[256] = "";
    int rc = rtt_lint_run(db, c, from, to, rule < 0 ? 0 : 1u << rule, &r, err, sizeof err);
    if (rc) {
        fprintf(stderr, "FAIL lint: %s\n", err);
        fails++;
    }
    return r;
}

static void config_tests(void)
{
    rtt_lint_config_t c;
    char err[256];
    rtt_lint_config_init(&c);
    CHECK(c.blocked_frame_ns == 16700000 && c.blocked_long_ns == 50 * MS);
    CHECK(c.requeue_links == 100 && c.work_capacity == 1024 && c.event_capacity == 256);
    CHECK(rtt_lint_config_set(&c, "blocked.frame=8.3ms", err, sizeof err) == 0);
    CHECK(c.blocked_frame_ns == 8300000);
    CHECK(rtt_lint_config_set(&c, "starved.wait=1.5s", err, sizeof err) == 0);
    CHECK(c.starved_wait_ns == 1500 * MS);
    CHECK(rtt_lint_config_set(&c, "timer_late.lateness=250us", err, sizeof err) == 0);
    CHECK(c.timer_late_ns == 250000);
    CHECK(rtt_lint_config_set(&c, "timer_late.lateness=1min", err, sizeof err) == 0);
    CHECK(c.timer_late_ns == 60000 * MS);
    CHECK(rtt_lint_config_set(&c, "queue_full.share=75%", err, sizeof err) == 0);
    CHECK(c.queue_share == 0.75);
    CHECK(rtt_lint_config_set(&c, "render_stall.frames=1.5", err, sizeof err) == 0);
    CHECK(c.render_frames == 1.5);
    CHECK(rtt_lint_config_set(&c, "requeue.links=7", err, sizeof err) == 0);
    CHECK(c.requeue_links == 7);
    CHECK(rtt_lint_config_set(&c, "nope=1", err, sizeof err) == -1);
    CHECK(strstr(err, "unknown threshold 'nope'") != NULL);
    CHECK(rtt_lint_config_set(&c, "requeue.links", err, sizeof err) == -1);
    CHECK(strstr(err, "no value for 'requeue.links'") != NULL);
    const char *bad[] = {"requeue.links=-1", "requeue.links=1.5", "requeue.links=",
                         "queue_full.work_capacity=0", "starved.share=1.2",
                         "starved.share=80", "blocked.frame=5 ms", "blocked.frame=-1ms",
                         "blocked.frame=1d", "render_stall.frames=0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rtt_lint_config_t before = c;
        if (rtt_lint_config_set(&c, bad[i], err, sizeof err) != -1 ||
            !strstr(err, "bad value") || memcmp(&before, &c, sizeof c)) {
            fprintf(stderr, "FAIL: '%s' accepted or changed the config (%s)\n", bad[i], err);
            fails++;
        }
    }
    for (int r = 0; r < RTT_LINT_NRULES; r++)
        CHECK(rtt_lint_rule_find(rtt_lint_rule_name(r)) == r);
    CHECK(rtt_lint_rule_find("nope") == -1 && rtt_lint_rule_name(RTT_LINT_NRULES) == NULL);
    int sev = -1;
    CHECK(rtt_lint_severity_parse("error", &sev) == 0 && sev == RTT_LINT_ERROR);
    CHECK(rtt_lint_severity_parse("fatal", &sev) == -1);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_lint_engine WORKDIR\n");
        return 2;
    }
    config_tests();

    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/engine.db", argv[1]);
    unlink(path);
    sqlite3 *db;
    if (rtt_db_open_or_create(path, &db, err, sizeof err)) {
        fprintf(stderr, "FAIL create: %s\n", err);
        return 1;
    }
    rtt_lint_config_t c;
    rtt_lint_config_init(&c);

    /* the schema alone: no finding, no error */
    rtt_lint_result_t r = run(db, &c, -1, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL);
    CHECK(r.n == 0 && rtt_lint_count_at_least(&r, RTT_LINT_INFO) == 0);
    rtt_lint_result_free(&r);

    exec(db, "INSERT INTO traces (trace, uuid, path, first_ts, last_ts, events,"
             " ingested_at) VALUES (1, 'u', '/t', 1000000000000, 1010000000000, 1, 'now')");
    exec(db, "INSERT INTO procs (proc, trace, vpid, procname) VALUES (1, 1, 42, 'p')");
    /* starved: "low" (200) waits 150 ms; "high" (50) runs 100 of them */
    task(db, 1, 0, 50, "high", 0, 0, 100 * MS);
    task(db, 2, 0, 200, "low", 0, 150 * MS, 151 * MS);
    /* "idle" (300) waits 150 ms too, but higher levels ran 101 ms of it:
     * starved at share 0.5, not at 0.7 */
    task(db, 3, 0, 300, "idle", 0, 150 * MS, 152 * MS);
    r = run(db, &c, RTT_LINT_STARVED, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL);
    CHECK(r.n == 2);
    if (r.n == 2) {
        CHECK(r.f[0].id == 2 && !strcmp(r.f[0].name, "low") && r.f[0].count == 1);
        CHECK(r.f[0].value == 150 * MS && r.f[0].ts == T0 && r.f[0].end_ts == T0 + 150 * MS);
        CHECK(strstr(r.f[0].message, "ran 67% of it") != NULL);
        CHECK(r.f[1].id == 3 && strstr(r.f[1].message, "ran 67% of it") != NULL);
    }
    rtt_lint_result_free(&r);
    c.starved_share = 0.7;
    r = run(db, &c, RTT_LINT_STARVED, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL);
    CHECK(r.n == 0);
    rtt_lint_result_free(&r);
    rtt_lint_config_init(&c);

    /* blocked: "high" ran 100 ms (error); it belongs to the range in which
     * it ended */
    r = run(db, &c, RTT_LINT_BLOCKED, T0, T0 + 100 * MS);
    CHECK(r.n == 0);
    rtt_lint_result_free(&r);
    r = run(db, &c, RTT_LINT_BLOCKED, T0 + 100 * MS, T0 + 101 * MS);
    CHECK(r.n == 1 && r.f[0].id == 1 && r.f[0].severity == RTT_LINT_ERROR &&
          r.f[0].value == 100 * MS && r.f[0].limit == 50 * MS && !r.f[0].cause_head);
    rtt_lint_result_free(&r);

    /* requeue, branching: 10 -> 11 -> 12 and 11 -> 13 -> 14 -> 15 (all
     * "chunk"); 16 "other" caused by 15 breaks the chain; the longest path
     * has 5 tasks */
    task(db, 10, 0, 100, "chunk", 200 * MS, 200 * MS, 201 * MS);
    task(db, 11, 10, 100, "chunk", 201 * MS, 201 * MS, 202 * MS);
    task(db, 12, 11, 100, "chunk", 202 * MS, 202 * MS, 203 * MS);
    task(db, 13, 11, 100, "chunk", 202 * MS, 203 * MS, 204 * MS);
    task(db, 14, 13, 100, "chunk", 204 * MS, 204 * MS, 205 * MS);
    task(db, 15, 14, 100, "chunk", 205 * MS, 205 * MS, 206 * MS);
    task(db, 16, 15, 100, "other", 206 * MS, 206 * MS, 207 * MS);
    c.requeue_links = 4;
    r = run(db, &c, RTT_LINT_REQUEUE, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL);
    CHECK(r.n == 1);
    if (r.n == 1)
        CHECK(r.f[0].id == 10 && r.f[0].last_id == 15 && r.f[0].count == 5 &&
              !strcmp(r.f[0].name, "chunk") && r.f[0].ts == T0 + 200 * MS &&
              r.f[0].end_ts == T0 + 206 * MS);
    rtt_lint_result_free(&r);
    /* as of 204.5 ms (the newest task then: 14, 4 tasks) it is not over 4 */
    r = run(db, &c, RTT_LINT_REQUEUE, T0 + 204 * MS, T0 + 204 * MS + 500000);
    CHECK(r.n == 0);
    rtt_lint_result_free(&r);
    c.requeue_links = 5;
    r = run(db, &c, RTT_LINT_REQUEUE, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL);
    CHECK(r.n == 0);
    rtt_lint_result_free(&r);
    rtt_lint_config_init(&c);

    /* render_stall with the frame interval set to 10 ms: requested at
     * 300 ms, rendered at 325 (limit 20 ms); a coalesced request rides on
     * it; a second request at 400 ms is never rendered (trace ends 10 s) */
    exec(db, "INSERT INTO render_requests (proc, id, cause, ts, coalesced) VALUES"
             " (1, 20, 16, 1000300000000, 0), (1, 21, 0, 1000301000000, 1),"
             " (1, 22, 0, 1000400000000, 0)");
    exec(db, "INSERT INTO renders (proc, id, frame, begin_ts, end_ts, requests, flags)"
             " VALUES (1, 23, 1, 1000324000000, 1000325000000, 2, 0)");
    CHECK(rtt_lint_config_set(&c, "render_stall.frame=10ms", err, sizeof err) == 0);
    r = run(db, &c, RTT_LINT_RENDER_STALL, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL);
    CHECK(r.n == 2);
    if (r.n == 2) {
        CHECK(r.f[0].id == 20 && r.f[0].last_id == 23 && r.f[0].value == 25 * MS &&
              r.f[0].limit == 20 * MS && r.f[0].cause_head &&
              !strcmp(r.f[0].cause_head, "task#10(chunk)"));
        CHECK(r.f[1].id == 22 && r.f[1].last_id == 0 &&
              strstr(r.f[1].message, "never rendered") != NULL);
    }
    rtt_lint_result_free(&r);
    /* known when the limit ran out: 420 ms */
    r = run(db, &c, RTT_LINT_RENDER_STALL, T0 + 410 * MS, T0 + 420 * MS);
    CHECK(r.n == 0);
    rtt_lint_result_free(&r);
    r = run(db, &c, RTT_LINT_RENDER_STALL, T0 + 420 * MS, T0 + 421 * MS);
    CHECK(r.n == 1 && r.n && r.f[0].id == 22);
    rtt_lint_result_free(&r);

    /* the result as rows: every finding, in rule order */
    r = run(db, &c, -1, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL);
    rtt_out_t *o = rtt_lint_out(&r);
    CHECK(o && o->nsecs == 1 && o->secs[0].ncols == 14);
    if (o && o->nsecs == 1)
        CHECK(o->secs[0].ncells == 14 * r.n);
    for (size_t i = 1; i < r.n; i++)
        CHECK(r.f[i - 1].rule <= r.f[i].rule);
    rtt_out_free(o);
    rtt_lint_result_free(&r);
    sqlite3_close(db);

    /* not an rt-trace schema: one line of error, nothing returned */
    sqlite3 *bare;
    snprintf(path, sizeof path, "%s/bare.db", argv[1]);
    unlink(path);
    CHECK(sqlite3_open(path, &bare) == SQLITE_OK);
    exec(bare, "CREATE TABLE traces (x)");
    err[0] = '\0';
    CHECK(rtt_lint_run(bare, &c, RTT_LINT_FROM_ALL, RTT_LINT_TO_ALL, 0, &r, err,
                       sizeof err) == -1);
    CHECK(err[0] != '\0' && !strchr(err, '\n') && r.n == 0 && r.f == NULL);
    sqlite3_close(bare);

    printf("test_lint_engine: %d failure(s)\n", fails);
    return fails ? 1 : 0;
}
