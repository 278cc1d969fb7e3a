/* db_fill.c - fuzz input -> rows of an rt-trace database (see db_fill.h).
 *
 * The input is a sequence of rows: one opcode byte (the table, or a jump
 * of the row clock), then for each column one class byte and its payload:
 *
 *   class   0..159  a natural value for the column's role:
 *                   timestamp: the row clock + payload * 20 us (clock +100 us
 *                   a row, so items line up into plausible chains)
 *                   proc/trace: 1..3 (0 sometimes); id, cause: 0..15 (a small
 *                   pool: ids repeat across tables and processes, causes
 *                   form cycles); text: a pooled name; other ints: 0..11
 *         160..175  NULL
 *         176..191  a small negative number
 *         192..199  INT64_MAX, INT64_MIN, 9.2e18, -1, 0, 2^32, 2^53+1, 1
 *         200..215  8 raw bytes as an integer
 *         216..223  text in an integer column (pooled, or raw input bytes)
 *         224..231  a real (0.5, -1e300, 1e300, -0.0, ...)
 *         232..255  the natural value + payload * 2^40 (huge durations)
 *
 * Rows cost about 2 bytes a column, so libFuzzer's mutations act on one
 * value at a time. */
#include "db_fill.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROLE_TS, ROLE_PROC, ROLE_ID, ROLE_TEXT, ROLE_INT };

typedef struct fz_table {
    const char *name;
    const char *cols; /* comma-separated, no spaces */
} fz_table_t;

static const fz_table_t tables[] = {
    {"traces", "trace,uuid,path,hostname,procname,vpid,buffering,first_ts,last_ts,"
               "events,ingested_at"},
    {"procs", "proc,trace,vpid,procname"},
    {"tasks", "proc,id,cause,priority,name,source,timer_id,queued_ts,started_ts,"
              "finished_ts,outcome,status,flags"},
    {"dispatches", "proc,id,cause,priority,type,path,queued_ts,begin_ts,end_ts,"
                   "result,handlers,flags"},
    {"timers", "proc,id,cause,priority,name,interval_ns,armed_ts,deadline_ns,"
               "cancelled_ts,voided_task"},
    {"timer_fires", "proc,timer_id,cause,priority,ts,deadline_ns,now_ns,lateness_ns,"
                    "missed,task_id"},
    {"commands", "proc,id,cause,cmd,task_id,priority,sent_ts,handled_ts,result,flags"},
    {"ticks", "proc,tick,begin_ts,end_ts,now_ns,commands,timers,events,tasks,"
              "async_events,rendered,flags"},
    {"render_requests", "proc,id,cause,ts,coalesced"},
    {"renders", "proc,id,frame,begin_ts,end_ts,requests,flags"},
    {"drops", "proc,ts,id,cause,priority,kind,reason"},
    {"state_changes", "proc,ts,cause,from_state,to_state"},
    {"stats", "proc,ts,state,work_queue_len,event_queue_len,async_queue_len,"
              "active_timers,tasks_executed,tasks_failed,tasks_voided,"
              "events_dispatched,async_dispatched,timers_fired,timer_missed_periods,"
              "commands_handled,renders,drops_work_queue_full,drops_event_queue_full,"
              "drops_async_queue_full,drops_timer_limit,drops_command_refused,"
              "drops_command_queue_full,drops_not_running,drops_emergency,"
              "drops_shutdown,loop_count,idle_ns"},
    {"tracer_loss", "trace,stream,what,count,begin_ts,end_ts"},
    {"meta", "key,value"},
};
#define NTABLES (sizeof tables / sizeof tables[0])
#define MAX_COLS 32

static const char *const texts[] = {
    "", "key_insert", "highlight", "reflow", "editor", "x", "events", "packets",
    "per-uid", "per-pid", "a\"b\\c,d\n|e", "%s%n%x", "rt_trace_version", "unknown",
    "\xff\xfe\x80 not utf-8", "na\xc3\xafve \xe2\x80\x94 utf-8",
    "a-very-long-name-that-runs-past-every-column-width-a-table-would-pick-"
    "a-very-long-name-that-runs-past-every-column-width-a-table-would-pick-"
    "a-very-long-name-that-runs-past-every-column-width-a-table-would-pick",
};
#define NTEXTS (sizeof texts / sizeof texts[0])

static const double reals[] = {0.5, -1e300, 1e300, -0.0, 1e-300, 16.7, -2.5, 9.3e18};

struct fz_filler {
    sqlite3_stmt *ins[NTABLES];
    int ncols[NTABLES];
    int8_t role[NTABLES][MAX_COLS];
    int64_t clock; /* the row clock, ns */
};

uint8_t fz_u8(fz_in_t *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

uint16_t fz_u16(fz_in_t *in)
{
    uint16_t hi = fz_u8(in);
    return (uint16_t)(hi << 8 | fz_u8(in));
}

static int role_of(const char *col, size_t len)
{
#define IS(s) (len == sizeof(s) - 1 && memcmp(col, s, len) == 0)
    if (len > 3 && memcmp(col + len - 3, "_ts", 3) == 0)
        return ROLE_TS;
    if (IS("proc") || IS("trace"))
        return ROLE_PROC;
    if (IS("id") || IS("cause") || IS("task_id") || IS("timer_id") ||
        IS("voided_task") || IS("tick") || IS("frame"))
        return ROLE_ID;
    if (IS("uuid") || IS("path") || IS("hostname") || IS("procname") ||
        IS("buffering") || IS("name") || IS("ingested_at") || IS("stream") ||
        IS("what") || IS("key") || IS("value"))
        return ROLE_TEXT;
    return ROLE_INT;
#undef IS
}

fz_filler_t *fz_filler_create(sqlite3 *db)
{
    fz_filler_t *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    for (size_t t = 0; t < NTABLES; t++) {
        char sql[1024];
        int n = snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO %s(%s) VALUES(?",
                         tables[t].name, tables[t].cols);
        const char *c = tables[t].cols;
        for (int k = 0;; k++) {
            size_t len = strcspn(c, ",");
            f->role[t][k] = (int8_t)role_of(c, len);
            f->ncols[t] = k + 1;
            if (!c[len])
                break;
            c += len + 1;
            n += snprintf(sql + n, sizeof sql - (size_t)n, ",?");
        }
        snprintf(sql + n, sizeof sql - (size_t)n, ")");
        if (sqlite3_prepare_v2(db, sql, -1, &f->ins[t], NULL) != SQLITE_OK) {
            fprintf(stderr, "fuzz: %s: %s\n", sql, sqlite3_errmsg(db));
            fz_filler_free(f);
            return NULL;
        }
    }
    return f;
}

void fz_filler_free(fz_filler_t *f)
{
    if (!f)
        return;
    for (size_t t = 0; t < NTABLES; t++)
        sqlite3_finalize(f->ins[t]);
    free(f);
}

static int64_t sat_add(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

static int64_t natural(fz_filler_t *f, int role, uint8_t v)
{
    switch (role) {
    case ROLE_TS:
        return sat_add(f->clock, (int64_t)v * 20000);
    case ROLE_PROC:
        return v < 16 ? 0 : 1 + v % 3;
    case ROLE_ID:
        return v % 16;
    default:
        return v % 12;
    }
}

static void bind_value(fz_filler_t *f, sqlite3_stmt *st, int i, int role, fz_in_t *in)
{
    static const int64_t extremes[] = {INT64_MAX,
                                       INT64_MIN,
                                       9200000000000000000LL,
                                       -1,
                                       0,
                                       4294967296LL,
                                       9007199254740993LL,
                                       1};
    uint8_t cls = fz_u8(in);
    if (cls < 160) {
        uint8_t v = fz_u8(in);
        if (role == ROLE_TEXT)
            sqlite3_bind_text(st, i, texts[v % NTEXTS], -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(st, i, natural(f, role, v));
    } else if (cls < 176) {
        sqlite3_bind_null(st, i);
    } else if (cls < 192) {
        sqlite3_bind_int64(st, i, -(int64_t)fz_u16(in));
    } else if (cls < 200) {
        sqlite3_bind_int64(st, i, extremes[cls - 192]);
    } else if (cls < 216) {
        uint64_t u = 0;
        for (int k = 0; k < 8; k++)
            u = u << 8 | fz_u8(in);
        int64_t s;
        memcpy(&s, &u, sizeof s);
        sqlite3_bind_int64(st, i, s);
    } else if (cls < 224) {
        uint8_t v = fz_u8(in);
        if (v & 0x80) {
            /* Raw input bytes, NULs included. */
            size_t len = v & 15;
            if (len > in->n)
                len = in->n;
            sqlite3_bind_text(st, i, (const char *)in->p, (int)len, SQLITE_TRANSIENT);
            in->p += len;
            in->n -= len;
        } else {
            sqlite3_bind_text(st, i, texts[v % NTEXTS], -1, SQLITE_STATIC);
        }
    } else if (cls < 232) {
        sqlite3_bind_double(st, i, reals[cls - 224]);
    } else {
        uint8_t v = fz_u8(in);
        uint64_t big = (uint64_t)natural(f, role, v) + ((uint64_t)(cls - 231) << 40);
        sqlite3_bind_int64(st, i, (int64_t)big);
    }
}

/* Opcodes 0xF0..0xFF move the row clock instead of adding a row. */
static void clock_op(fz_filler_t *f, uint8_t op, fz_in_t *in)
{
    switch (op & 3) {
    case 0:
        f->clock = INT64_MAX - 1000000000LL;
        break;
    case 1:
        f->clock = 0;
        break;
    case 2:
        f->clock = sat_add(f->clock, -1000000000LL);
        break;
    default:
        f->clock = sat_add(f->clock, (int64_t)fz_u16(in) * 1000000);
        break;
    }
}

int fz_fill(fz_filler_t *f, fz_in_t *in, int max_rows)
{
    int inserted = 0;
    f->clock = 1000000000LL;
    for (int r = 0; r < max_rows && in->n > 0; r++) {
        uint8_t op = fz_u8(in);
        if (op >= 0xF0) {
            clock_op(f, op, in);
            continue;
        }
        size_t t = op % NTABLES;
        sqlite3_stmt *st = f->ins[t];
        for (int c = 0; c < f->ncols[t]; c++)
            bind_value(f, st, c + 1, f->role[t][c], in);
        if (sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(sqlite3_db_handle(st)) > 0)
            inserted++;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        f->clock = sat_add(f->clock, 100000);
    }
    return inserted;
}
