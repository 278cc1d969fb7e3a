/* fuzz_db.c - libFuzzer target (c): a well-formed rt-trace database with
 * hostile contents. The input's first 8 bytes choose the query options
 * (window, kinds, grouping, budgets, counts, output format); the rest is
 * rows (db_fill.c). The rows go into a fresh database of the real schema
 * (store/schema.sql through rtt_db_open_or_create, in memory, one
 * transaction rolled back after each input), then every engine query runs
 * on it through the engine API: summary, latency, drops, frames, top,
 * interactions (listing, hint, model rebuild with stats, worst list, chains
 * and blockers), rows (`sql`), compare of the database against itself and
 * check against a small budget. Every result is also written in one of the
 * CLI's formats (table, json, csv, markdown) to /dev/null. */
#include "compare.h"
#include "db.h"
#include "db_fill.h"
#include "evaluate.h"
#include "format.h"
#include "interactions.h"
#include "queries.h"
#include "summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 400

/* One rule of each subject, and a filter of each key. */
static const char budget_text[] =
    "interaction p99 < 16.7ms\n"
    "interaction run max <= 5ms where name = key_insert\n"
    "task run_time p90 < 2ms where name = highlight\n"
    "task queue_wait p99.9 < 1s where priority = 50\n"
    "dispatch duration mean < 1ms where type = 3\n"
    "timer lateness min >= 0ns where name = blink\n"
    "command latency count > 0 where type = schedule_task\n"
    "tick duration p50 != 0ns\n"
    "frames over_budget_share < 5%\n"
    "drops total == 0 where reason = work_queue_full\n"
    "drops count < 10 where source = timer\n"
    "tracer discarded == 0\n"
    "tracer lost_packets == 0\n";

static sqlite3 *g_db;
static fz_filler_t *g_fill;
static rtt_budget_t *g_budget;
static FILE *g_null;
static sqlite3_stmt *g_rows;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char err[512];
    if (rtt_db_open_or_create(":memory:", &g_db, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_db: %s\n", err);
        exit(2);
    }
    g_fill = fz_filler_create(g_db);
    g_budget = rtt_budget_parse(budget_text, "fuzz.budget", err, sizeof err);
    g_null = fopen("/dev/null", "w");
    if (!g_fill || !g_budget || !g_null ||
        sqlite3_prepare_v2(g_db, "SELECT * FROM tasks ORDER BY proc, id LIMIT 50", -1,
                           &g_rows, NULL) != SQLITE_OK) {
        fprintf(stderr, "fuzz_db: setup failed: %s\n", g_budget ? "" : err);
        exit(2);
    }
    return 0;
}

typedef struct opts {
    rtt_span_t span;
    rtt_format_t format;
    const rtt_kind_t *kind; /* latency --kind, NULL all */
    const char *by;         /* latency --by */
    const char *top_kind;   /* top --kind */
    int64_t frame_budget, top_n, ix_budget;
    size_t worst;
    unsigned ix_flags;
    int64_t proc;
    const char *procname;
} opts_t;

/* A time as the CLI accepts it (0 .. 9.2e18 ns). */
static int64_t cli_time(uint8_t v)
{
    if (v == 0xFF)
        return 9200000000000000000LL;
    return (int64_t)v * 5000000;
}

static void read_opts(fz_in_t *in, opts_t *o)
{
    static const char *const bys[] = {NULL, "priority", "type", "name"};
    static const char *const tops[] = {NULL, "task", "dispatch", "command"};
    static const char *const procnames[] = {"editor", "x", "", "unknown"};
    uint8_t c0 = fz_u8(in), c1 = fz_u8(in), from = fz_u8(in), to = fz_u8(in);
    uint8_t fb = fz_u8(in), n = fz_u8(in), ixb = fz_u8(in), c7 = fz_u8(in);
    memset(o, 0, sizeof *o);
    o->span.has_from = c0 & 1;
    o->span.has_to = (c0 >> 1) & 1;
    o->span.from_ns = cli_time(from);
    o->span.to_ns = cli_time(to);
    if (o->span.has_from && o->span.has_to && o->span.to_ns <= o->span.from_ns)
        o->span.has_to = 0; /* the CLI refuses it */
    o->format = (rtt_format_t)((c0 >> 2) & 3);
    size_t k = (c0 >> 4) & 7;
    o->kind = k < rtt_nkinds ? &rtt_kinds[k] : NULL;
    o->by = bys[c1 & 3];
    o->top_kind = tops[(c1 >> 2) & 3];
    o->ix_flags = (c1 >> 4) & 3;
    o->frame_budget = fb == 0xFF ? 9200000000000000000LL : 1 + (int64_t)fb * 1000000;
    o->top_n = n & 15;
    o->worst = (size_t)(n >> 4);
    o->ix_budget = ixb == 0xFF ? 9200000000000000000LL : (int64_t)ixb * 1000000;
    o->proc = -1;
    switch (c7 & 3) {
    case 1:
        o->proc = (c7 >> 2) & 3;
        break;
    case 2:
        o->procname = procnames[(c7 >> 2) & 3];
        break;
    default:
        break;
    }
}

/* Write a query's result in the chosen format and free it; a failed query
 * (an SQL error on hostile values) is an expected outcome. *out is read
 * here, after the query ran: an argument `out` beside the query's call
 * would be read in an unspecified order. */
static void emit(int rc, rtt_out_t **out, const opts_t *o)
{
    if (rc == 0 && *out)
        rtt_out_write(*out, o->format, g_null);
    if (rc == 0)
        rtt_out_free(*out);
    *out = NULL;
}

static void run_summary(const opts_t *o)
{
    rtt_summary_t sm;
    char err[512];
    if (rtt_summary_compute(g_db, &sm, err, sizeof err) != 0)
        return;
    rtt_out_t *out = o->format == RTT_FMT_TABLE ? rtt_summary_table_result(&sm)
                                                : rtt_summary_result(&sm);
    emit(0, &out, o);
}

static void run_interactions_model(const opts_t *o)
{
    rtt_interactions_t *set;
    char err[512], line[1024];
    if (rtt_interactions_load_proc(g_db, o->proc, o->procname, &set, err, sizeof err))
        return;
    rtt_interaction_stats_t st;
    rtt_interactions_stats(set, o->ix_budget, &st);
    size_t n = rtt_interactions_count(set), idx[16];
    size_t w = rtt_interactions_worst(set, o->worst, idx);
    for (size_t i = 0; i < w; i++)
        if (idx[i] >= n)
            abort(); /* the worst list must index the set */
    for (size_t i = 0; i < n && i < 64; i++) {
        uint64_t task, root;
        const char *name;
        int64_t run;
        rtt_interactions_chain(set, i, line, sizeof line);
        rtt_interactions_chain(set, i, line, 24); /* truncated with "..." */
        rtt_interactions_blocker(set, i, &task, &name, &run, &root);
    }
    rtt_interactions_free(set);
}

static void run_compare_and_check(const opts_t *o)
{
    char err[512];
    rtt_run_t run;
    if (rtt_run_load_db(g_db, "fuzz.db", &run, err, sizeof err) == 0) {
        rtt_cmp_opts_t co;
        rtt_comparison_t c;
        rtt_cmp_opts_init(&co);
        /* The API's minimum (the CLI's is 50): every replicate runs the
         * same code, and 50 would take two thirds of each input's time. */
        co.prm.replicates = 2;
        if (rtt_compare_runs(&run, 1, &run, 1, &co, &c, err, sizeof err) == 0) {
            rtt_comparison_status(&c, 1);
            rtt_out_t *out = rtt_comparison_result(&c, 1, 1);
            emit(0, &out, o);
            rtt_comparison_free(&c);
        }
        rtt_run_free(&run);
    }
    rtt_check_t ck;
    if (rtt_check_run(g_db, g_budget, &ck, err, sizeof err) == 0) {
        rtt_out_t *out = rtt_check_result(&ck);
        emit(0, &out, o);
        rtt_check_free(&ck);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = {data, size};
    opts_t o;
    rtt_out_t *out = NULL;
    char err[512];
    read_opts(&in, &o);
    if (sqlite3_exec(g_db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        abort();
    fz_fill(g_fill, &in, MAX_ROWS);

    run_summary(&o);
    emit(rtt_query_latency(g_db, &o.span, o.kind, o.by, &out, err, sizeof err), &out, &o);
    emit(rtt_query_drops(g_db, &out, err, sizeof err), &out, &o);
    emit(rtt_query_frames(g_db, &o.span, o.frame_budget, o.top_n, &out, err, sizeof err),
         &out, &o);
    emit(rtt_query_top(g_db, &o.span, o.top_n, o.top_kind, &out, err, sizeof err), &out,
         &o);
    emit(rtt_query_interactions(g_db, o.ix_budget, o.worst, o.proc, o.procname,
                                o.ix_flags, &out, err, sizeof err),
         &out, &o);
    emit(rtt_query_rows(g_db, g_rows, &out, err, sizeof err), &out, &o);
    sqlite3_reset(g_rows);
    run_interactions_model(&o);
    run_compare_and_check(&o);

    if (sqlite3_exec(g_db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
        abort();
    return 0;
}
