/* test_interactions.c - interaction reconstruction against databases whose
 * causal chains are known exactly (synthetic_db.c).
 *
 *   test_interactions SCHEMA_SQL known     exact per-interaction figures,
 *                                          aggregates, chains, summary JSON
 *   test_interactions SCHEMA_SQL lossy     events lost by the tracer
 *   test_interactions SCHEMA_SQL empty     an empty database: zero counts
 *   test_interactions SCHEMA_SQL scale N   N keystrokes: counts, percentiles,
 *                                          and the time it took
 *   test_interactions SCHEMA_SQL write F   write the known database to F
 *                                          (for the rt-trace CLI test)
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream, clock_gettime */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interactions.h"
#include "synthetic_db.h"

static int failures;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            failures++;                                                    \
        }                                                                  \
    } while (0)

#define CHECK_EQ(a, b)                                                     \
    do {                                                                   \
        long long a_ = (long long)(a), b_ = (long long)(b);                \
        if (a_ != b_) {                                                    \
            fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n",    \
                    __FILE__, __LINE__, #a, a_, #b, b_);                   \
            failures++;                                                    \
        }                                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *a_ = (a), *b_ = (b);                                   \
        if (strcmp(a_, b_) != 0) {                                         \
            fprintf(stderr, "%s:%d: got\n  \"%s\"\nexpected\n  \"%s\"\n",  \
                    __FILE__, __LINE__, a_, b_);                           \
            failures++;                                                    \
        }                                                                  \
    } while (0)

#define CHECK_NEAR(a, b) CHECK((a) > (b) - 1e-9 && (a) < (b) + 1e-9)

static sqlite3 *open_db(const char *path, const char *schema)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK || synth_schema(db, schema) < 0) {
        fprintf(stderr, "cannot create the test database\n");
        exit(1);
    }
    return db;
}

static void check_ix(const rtt_interaction_t *x, long long proc,
                     long long cmd, const char *name, int rendered,
                     long long latency, long long queue, long long run,
                     long long wait, long long render, long long items)
{
    CHECK_EQ(x->proc, proc);
    CHECK_EQ(x->command_id, cmd);
    CHECK_STR(x->name, name);
    CHECK_EQ(x->has_render, rendered);
    CHECK_EQ(x->items, items);
    if (!rendered)
        return;
    CHECK_EQ(x->latency_ns, latency);
    CHECK_EQ(x->queue_ns, queue);
    CHECK_EQ(x->run_ns, run);
    CHECK_EQ(x->frame_wait_ns, wait);
    CHECK_EQ(x->render_ns, render);
    CHECK_EQ(x->queue_ns + x->run_ns + x->frame_wait_ns + x->render_ns,
             x->latency_ns);
}

static void test_known(const char *schema)
{
    sqlite3 *db = open_db(":memory:", schema);
    CHECK(synth_known(db) == 0);
    char err[256];
    rtt_interactions_t *s;
    CHECK(rtt_interactions_load(db, &s, err, sizeof err) == 0);
    CHECK_EQ(rtt_interactions_count(s), 6);

    /* order: proc, sent */
    check_ix(rtt_interactions_get(s, 0), 1, 1, "key_insert", 1, 5000000,
             1000000, 1000000, 2000000, 1000000, 11);
    check_ix(rtt_interactions_get(s, 1), 1, 20, "key_move", 1, 20000000,
             500000, 1000000, 15500000, 3000000, 5);
    check_ix(rtt_interactions_get(s, 2), 1, 30, "key_undo", 1, 9000000,
             1000000, 5000000, 3000000, 0, 5);
    check_ix(rtt_interactions_get(s, 3), 1, 40, "key_move", 0, 0, 0, 0, 0, 0,
             2);
    check_ix(rtt_interactions_get(s, 4), 1, 50, "key_insert", 0, 0, 0, 0, 0,
             0, 3);
    check_ix(rtt_interactions_get(s, 5), 2, 1, "key_insert", 1, 2100000,
             200000, 100000, 1700000, 100000, 3);
    CHECK_EQ(rtt_interactions_get(s, 0)->render_id, 7);
    CHECK_EQ(rtt_interactions_get(s, 0)->task_id, 2);
    CHECK_EQ(rtt_interactions_get(s, 1)->frame, 2);
    CHECK_EQ(rtt_interactions_get(s, 2)->render_id, 35);
    CHECK_EQ(rtt_interactions_get(s, 5)->render_id, 4);

    rtt_interaction_stats_t st;
    rtt_interactions_stats(s, 0, &st);
    CHECK_EQ(st.keystrokes, 6);
    CHECK_EQ(st.count, 4);
    CHECK_EQ(st.no_render, 2);
    CHECK_EQ(st.budget_ns, 16700000);
    /* latencies 2.1, 5, 9, 20 ms */
    CHECK_EQ(st.latency.p50, 7000000);
    CHECK_EQ(st.latency.p90, 16700000);
    CHECK_EQ(st.latency.p99, 19670000);
    CHECK_EQ(st.latency.max, 20000000);
    CHECK_NEAR(st.latency.mean, 9025000.0);
    CHECK_NEAR(st.over_16ms_share, 0.25);
    CHECK_NEAR(st.over_8ms_share, 0.5);
    CHECK_NEAR(st.over_budget_share, 0.25);
    CHECK_NEAR(st.over_half_budget_share, 0.5);
    /* parts: queue .2 .5 1 1; run .1 1 1 5; wait 1.7 2 3 15.5;
     * render 0 .1 1 3 */
    CHECK_EQ(st.queue.p50, 750000);
    CHECK_EQ(st.queue.max, 1000000);
    CHECK_EQ(st.run.p50, 1000000);
    CHECK_EQ(st.run.max, 5000000);
    CHECK_EQ(st.frame_wait.p50, 2500000);
    CHECK_EQ(st.frame_wait.max, 15500000);
    CHECK_EQ(st.render.p50, 550000);
    CHECK_EQ(st.render.max, 3000000);

    rtt_interactions_stats(s, 4000000, &st);
    CHECK_NEAR(st.over_budget_share, 0.75);
    CHECK_NEAR(st.over_half_budget_share, 1.0);
    CHECK_NEAR(st.over_16ms_share, 0.25);

    size_t idx[10];
    CHECK_EQ(rtt_interactions_worst(s, 10, idx), 4);
    CHECK_EQ(idx[0], 1);
    CHECK_EQ(idx[1], 2);
    CHECK_EQ(idx[2], 0);
    CHECK_EQ(idx[3], 5);
    CHECK_EQ(rtt_interactions_worst(s, 2, idx), 2);

    char chain[1024];
    rtt_interactions_chain(s, 1, chain, sizeof chain);
    CHECK_STR(chain,
              "command#20 key_move (wait 0.20ms) -> task#21 key_move (wait 0.30ms, run "
              "0.20ms) -> task#22 apply_move (wait 0.30ms, run 0.50ms) -> "
              "render_request#23 -> render#25 frame 2 (wait 15.5ms, draw "
              "3.00ms) | frame pacing: frame 1 drawn 6.40ms before the request, "
              "the next due 15.6ms after it (frames at most every 22.0ms) | "
              "longest other task: task#24 reflow 15.0ms (from command#20)");
    rtt_interactions_chain(s, 0, chain, sizeof chain);
    CHECK_STR(chain,
              "command#1 key_insert (wait 0.50ms) -> task#2 key_insert (wait 0.50ms, run "
              "1.00ms) -> render_request#3 -> render#7 frame 1 (wait 2.00ms, "
              "draw 1.00ms) | longest other task: task#4 highlight 1.00ms "
              "(from command#1)");
    rtt_interactions_chain(s, 2, chain, sizeof chain);
    CHECK_STR(chain,
              "command#30 key_undo (wait 0.10ms) -> task#31 key_undo (wait 0.90ms, run "
              "1.00ms) -> timer#32 blink_once -> task#33 fire (wait 0.00ms, "
              "run 1.00ms) -> render_request#34 -> render#35 frame 3 (wait "
              "3.00ms) | frame pacing: frame 2 drawn 18.5ms before the request, "
              "the next due 3.50ms after it (frames at most every 22.0ms)");
    rtt_interactions_chain(s, 3, chain, sizeof chain);
    CHECK_STR(chain, "command#40 key_move (wait 0.10ms) -> task#41 key_move "
                     "(wait 0.10ms, run 0.10ms) -> (no render)");
    /* truncation keeps a terminated string */
    rtt_interactions_chain(s, 1, chain, 40);
    CHECK_EQ(strlen(chain), 39);
    CHECK(strcmp(chain + 36, "...") == 0);

    uint64_t tid, root;
    const char *name;
    int64_t run;
    CHECK(rtt_interactions_blocker(s, 1, &tid, &name, &run, &root) == 1);
    CHECK_EQ(tid, 24);
    CHECK_STR(name, "reflow");
    CHECK_EQ(run, 15000000);
    CHECK_EQ(root, 20);
    CHECK(rtt_interactions_blocker(s, 2, &tid, &name, &run, &root) == 0);
    rtt_interactions_free(s);

    /* one process only */
    CHECK(rtt_interactions_load_proc(db, 2, NULL, &s, err, sizeof err) == 0);
    CHECK_EQ(rtt_interactions_count(s), 1);
    check_ix(rtt_interactions_get(s, 0), 2, 1, "key_insert", 1, 2100000,
             200000, 100000, 1700000, 100000, 3);
    rtt_interactions_free(s);
    CHECK(rtt_interactions_load_proc(db, -1, "editor", &s, err, sizeof err) == 0);
    CHECK_EQ(rtt_interactions_count(s), 6);
    rtt_interactions_free(s);
    CHECK(rtt_interactions_load_proc(db, -1, "vim", &s, err, sizeof err) == 0);
    CHECK_EQ(rtt_interactions_count(s), 0);
    rtt_interactions_free(s);

    /* the summary figures (the JSON that carries them: check_cli.cmake) */
    rtt_interaction_stats_t sum;
    CHECK(rtt_interactions_summarize(db, &sum, err, sizeof err) == 0);
    CHECK_EQ(sum.count, 4);
    CHECK_EQ(sum.keystrokes, 6);
    CHECK_EQ(sum.no_render, 2);
    CHECK_EQ(sum.latency.max, 20000000);
    CHECK_EQ(sum.latency.p99, 19670000);
    CHECK(sum.over_16ms_share == 0.25);
    sqlite3_close(db);
}

static void test_lossy(const char *schema)
{
    sqlite3 *db = open_db(":memory:", schema);
    CHECK(synth_known(db) == 0);
    CHECK(synth_lossy(db) == 0);
    char err[256];
    rtt_interactions_t *s;
    CHECK(rtt_interactions_load_proc(db, -1, "lossy", &s, err, sizeof err) == 0);
    CHECK_EQ(rtt_interactions_count(s), 4);
    /* the sent-less command sorts first (no timestamp) */
    check_ix(rtt_interactions_get(s, 0), 3, 1, "key_insert", 0, 0, 0, 0, 0, 0,
             3);
    check_ix(rtt_interactions_get(s, 1), 3, 10, "key_move", 1, 1500000,
             200000, 300000, 500000, 500000, 3);
    check_ix(rtt_interactions_get(s, 2), 3, 20, "key_insert", 1, 2100000,
             200000, 100000, 1700000, 100000, 3);
    CHECK_EQ(rtt_interactions_get(s, 2)->render_id, 24);
    check_ix(rtt_interactions_get(s, 3), 3, 30, "key_undo", 1, 1200000,
             200000, 400000, 400000, 200000, 3);
    CHECK_EQ(rtt_interactions_get(s, 3)->task_id, 31);
    rtt_interaction_stats_t st;
    rtt_interactions_stats(s, 0, &st);
    CHECK_EQ(st.keystrokes, 4);
    CHECK_EQ(st.count, 3);
    CHECK_EQ(st.no_render, 1);
    CHECK_EQ(st.latency.p50, 1500000);
    CHECK_EQ(st.latency.max, 2100000);
    char chain[512];
    rtt_interactions_chain(s, 1, chain, sizeof chain);
    CHECK_STR(chain, "command#10 key_move (wait 0.20ms) -> task#11 key_move "
                     "-> render_request#12 -> render#13 frame 2 (wait "
                     "0.50ms, draw 0.50ms) | frame pacing: frame 1 drawn "
                     "3.40ms before the request, the next due 0.60ms after it "
                     "(frames at most every 4.00ms)");
    rtt_interactions_free(s);

    /* the lossy process does not change the others */
    CHECK(rtt_interactions_load_proc(db, -1, "editor", &s, err, sizeof err) == 0);
    rtt_interactions_stats(s, 0, &st);
    CHECK_EQ(st.keystrokes, 6);
    CHECK_EQ(st.latency.p50, 7000000);
    rtt_interactions_free(s);
    sqlite3_close(db);
}

static void test_empty(const char *schema)
{
    sqlite3 *db = open_db(":memory:", schema);
    char err[256];
    rtt_interactions_t *s;
    CHECK(rtt_interactions_load(db, &s, err, sizeof err) == 0);
    CHECK_EQ(rtt_interactions_count(s), 0);
    rtt_interaction_stats_t st;
    rtt_interactions_stats(s, 0, &st);
    CHECK_EQ(st.keystrokes, 0);
    CHECK_EQ(st.count, 0);
    CHECK_EQ(st.latency.max, 0);
    size_t idx[4];
    CHECK_EQ(rtt_interactions_worst(s, 4, idx), 0);
    rtt_interactions_free(s);

    /* not an rt-trace database: one error line, no crash */
    sqlite3 *other;
    sqlite3_open(":memory:", &other);
    CHECK(rtt_interactions_load(other, &s, err, sizeof err) == -1);
    CHECK(s == NULL);
    CHECK(strstr(err, "no such table") != NULL);
    sqlite3_close(other);
    sqlite3_close(db);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_scale(const char *schema, int n)
{
    sqlite3 *db = open_db(":memory:", schema);
    CHECK(synth_bulk(db, n) == 0);
    double t = now_s();
    char err[256];
    rtt_interactions_t *s;
    CHECK(rtt_interactions_load(db, &s, err, sizeof err) == 0);
    rtt_interaction_stats_t st;
    rtt_interactions_stats(s, 0, &st);
    double dt = now_s() - t;
    CHECK_EQ(st.keystrokes, n);
    CHECK_EQ(st.count, n);
    CHECK_EQ(st.no_render, 0);
    if (n % 10 == 0 && n >= 20) {
        CHECK_EQ(st.latency.p50, 6500000);
        CHECK_EQ(st.latency.max, 11000000);
        CHECK_NEAR(st.over_8ms_share, 0.3);
        CHECK_NEAR(st.over_16ms_share, 0.0);
    }
    const rtt_interaction_t *x = rtt_interactions_get(s, (size_t)n - 1);
    CHECK_EQ(x->items, 6);
    CHECK_EQ(x->latency_ns, 2000000 + ((n - 1) % 10) * 1000000);
    CHECK_EQ(x->queue_ns, 500000);
    CHECK_EQ(x->run_ns, 500000);
    printf("scale: %d keystrokes (%d rows) rebuilt in %.3f s\n", n, n * 7, dt);
    rtt_interactions_free(s);
    sqlite3_close(db);
}

static void check_inp(const rtt_interaction_t *x, long long input_id,
                      long long delay, long long processing,
                      long long presentation, const char *blocked_by,
                      long long blocked_ns)
{
    CHECK_EQ(x->input_id, input_id);
    CHECK_EQ(x->input_delay_ns, delay);
    CHECK_EQ(x->processing_ns, processing);
    CHECK_EQ(x->presentation_ns, presentation);
    CHECK_EQ(x->input_delay_ns, x->queue_ns);
    CHECK_EQ(x->processing_ns, x->run_ns);
    CHECK_EQ(x->presentation_ns, x->frame_wait_ns + x->render_ns);
    CHECK_EQ(x->blocked, blocked_by[0] != 0);
    CHECK_STR(x->blocked_by, blocked_by);
    CHECK_EQ(x->blocked_ns, blocked_ns);
}

static void test_inputs(const char *schema)
{
    sqlite3 *db = open_db(":memory:", schema);
    CHECK(synth_inputs(db) == 0);
    char err[256];
    rtt_interactions_t *s;
    CHECK(rtt_interactions_load(db, &s, err, sizeof err) == 0);
    CHECK_EQ(rtt_interactions_count(s), 3);
    const rtt_interaction_t *a = rtt_interactions_get(s, 0);
    const rtt_interaction_t *b = rtt_interactions_get(s, 1);
    const rtt_interaction_t *c = rtt_interactions_get(s, 2);
    /* the input's own time starts it, not the command or the task */
    check_ix(a, 1, 101, "key", 1, 111000000, 106000000, 1000000, 3000000,
             1000000, 4);
    check_inp(a, 100, 106000000, 1000000, 4000000, "task#90 stall", 106000000);
    CHECK_EQ(a->sent_ts, 20000000);
    CHECK_EQ(a->mark_ts, 20050000);
    CHECK_EQ(a->task_id, 102);
    CHECK_EQ(a->render_id, 104);
    /* an event handles it: no command, no task */
    check_ix(b, 1, 0, "click", 1, 6000000, 1000000, 500000, 3500000, 1000000,
             3);
    check_inp(b, 110, 1000000, 500000, 4500000, "", 0);
    CHECK_EQ(b->task_id, 0);
    /* a root command still starts one; blocked by a long tick */
    check_ix(c, 1, 120, "key_old", 1, 16000000, 11000000, 1000000, 3000000,
             1000000, 3);
    check_inp(c, 0, 11000000, 1000000, 4000000, "tick#3", 10500000);

    char chain[1024];
    rtt_interactions_chain(s, 0, chain, sizeof chain);
    CHECK_STR(chain, "input#100 key (marked 0.05ms later) -> task#102 input "
                     "(wait 0.50ms, run 1.00ms) -> render_request#103 -> "
                     "render#104 frame 1 (wait 3.00ms, draw 1.00ms) | longest "
                     "other task: task#90 stall 120.0ms");
    rtt_interactions_chain(s, 1, chain, sizeof chain);
    CHECK_STR(chain, "input#110 click (marked 0.01ms later) -> event#111 type 3 "
                     "(queued, run 0.50ms) -> render_request#112 -> render#113 "
                     "frame 2 (wait 3.50ms, draw 1.00ms) | frame pacing: frame 1 "
                     "drawn 11.4ms before the request, the next due 3.60ms after "
                     "it (frames at most every 15.0ms)");

    rtt_interaction_stats_t st;
    rtt_interactions_stats(s, 0, &st);
    CHECK_EQ(st.keystrokes, 3);
    CHECK_EQ(st.inputs, 2);
    CHECK_EQ(st.count, 3);
    CHECK_EQ(st.blocked, 2);
    CHECK_EQ(st.input_delay.max, 106000000);
    CHECK_EQ(st.input_delay.p50, 11000000);
    CHECK_EQ(st.processing.p50, 1000000);
    CHECK_EQ(st.presentation.p50, 4000000);
    CHECK_EQ(st.presentation.max, 4500000);
    CHECK_EQ(st.latency.max, 111000000);
    rtt_interactions_free(s);
    sqlite3_close(db);
}

/* Ticks numbered against time (two loops in one process, or numbers that
 * are not in time order): the model still finds the tick running at an
 * input's time (it orders them by begin, not by their key). */
static void test_tick_order(const char *schema)
{
    sqlite3 *db = open_db(":memory:", schema);
    CHECK(synth_inputs(db) == 0);
    CHECK(sqlite3_exec(db, "UPDATE ticks SET tick = 10 - tick", NULL, NULL, NULL) ==
          SQLITE_OK);
    char err[256];
    rtt_interactions_t *s;
    CHECK(rtt_interactions_load(db, &s, err, sizeof err) == 0);
    CHECK_EQ(rtt_interactions_count(s), 3);
    /* as in test_inputs, with tick#3 now tick#7 (and #1 #9) */
    check_inp(rtt_interactions_get(s, 0), 100, 106000000, 1000000, 4000000,
              "task#90 stall", 106000000);
    check_inp(rtt_interactions_get(s, 1), 110, 1000000, 500000, 4500000, "", 0);
    check_inp(rtt_interactions_get(s, 2), 0, 11000000, 1000000, 4000000, "tick#7",
              10500000);
    rtt_interactions_free(s);
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SCHEMA_SQL known|lossy|inputs|empty|scale N|write F\n",
                argv[0]);
        return 2;
    }
    const char *schema = argv[1], *what = argv[2];
    if (!strcmp(what, "known")) {
        test_known(schema);
    } else if (!strcmp(what, "lossy")) {
        test_lossy(schema);
    } else if (!strcmp(what, "inputs")) {
        test_inputs(schema);
        test_tick_order(schema);
    } else if (!strcmp(what, "empty")) {
        test_empty(schema);
    } else if (!strcmp(what, "scale") && argc > 3) {
        test_scale(schema, atoi(argv[3]));
    } else if (!strcmp(what, "write") && argc > 3) {
        remove(argv[3]);
        sqlite3 *db = open_db(argv[3], schema);
        if (synth_known(db) < 0)
            return 1;
        sqlite3_close(db);
    } else {
        fprintf(stderr, "unknown test: %s\n", what);
        return 2;
    }
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("ok\n");
    return 0;
}
