/* live.c - the live engine (see live.h): owns the relay daemon, the
 * session, the stream (ingest's sink + row pairing), the optional
 * database, and the interval's figures.
 *
 * Figures come from two observers (observe.c): the sink's (every decoded
 * rtk event, in time order: counters to compare with rtk:stats, the
 * running task, the watermark) and the pairing's (every row as ingest
 * would store it: counts, queue wait and run time of each task, frame
 * times, drops), so the live figures and a --record database come from
 * the same rows; interactions come from the database (live_ix.c).
 * Cost per event O(1); memory fixed: RTT_LIVE_NMEASURES rolling windows
 * (window.h) and a 4096-entry task-name cache, plus the pairing's open
 * items and, with --record, the writer's constant buffers.
 */
#define _GNU_SOURCE
#include "live_internal.h"
#include "mono.h"

#include "db.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef RTT_VERSION
#define RTT_VERSION "0"
#endif

static int64_t clock_ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Now on the trace's time line, for staleness. LTTng stamps events with
 * CLOCK_MONOTONIC and shows them from the Unix epoch through an offset it
 * takes when the session starts; so the wall clock read once at start,
 * advanced by the monotonic clock since, is comparable, and a later step
 * of the wall clock (NTP, a VM's clock sync) does not shift staleness.
 * One stepped by 20 s in an hour-long run and staleness read 21 s to the
 * end while the stream was current. */
static int64_t trace_now_ns(const rtt_live_t *l)
{
    return l->real0 + (clock_ns(CLOCK_MONOTONIC) - l->mono0);
}

/* --- lifecycle ------------------------------------------------------------ */

static int db_begin(rtt_live_t *l, char *err, size_t errlen)
{
    if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot start a transaction (%s): %s",
                 sqlite3_errmsg(l->db), l->o.record_path);
        return -1;
    }
    l->in_tx = 1;
    return 0;
}

/* Everything paired so far into the database, trace rows brought up to
 * date, committed; a new transaction begun unless final. */
static int db_commit(rtt_live_t *l, int final, char *err, size_t errlen)
{
    if (!l->db)
        return 0;
    if (!final && rtt_rows_checkpoint(l->rows) != 0) {
        snprintf(err, errlen, "%s: %s", rtt_rows_errmsg(l->rows), l->o.record_path);
        return -1;
    }
    for (size_t i = 0; i < l->sink.ntraces; i++) {
        rtt_trace_in_t *t = &l->sink.traces[i];
        if (t->registered && rtt_rows_trace_end(l->rows, t->row, t->have_ts, t->first_ts,
                                        t->last_ts, t->events) != 0) {
            snprintf(err, errlen, "%s: %s", rtt_rows_errmsg(l->rows), l->o.record_path);
            return -1;
        }
    }
    sqlite3_exec(l->db,
                 "INSERT OR REPLACE INTO meta(key,value) VALUES"
                 "('rt_trace_version','" RTT_VERSION "'),"
                 "('last_ingest',strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                 NULL, NULL, NULL);
    if (sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot commit (%s): %s", sqlite3_errmsg(l->db),
                 l->o.record_path);
        return -1;
    }
    l->in_tx = 0;
    return final ? 0 : db_begin(l, err, errlen);
}

/* The finished database back in the rollback journal mode `record` and
 * `ingest` leave theirs in: the WAL checkpointed into it and removed
 * (with its -shm), so that the file alone is the database and opens
 * read-only where no -shm can be made. Another process that has it open
 * prevents that (after the busy timeout): the database is complete all
 * the same, and l->db_note says why it is still in WAL mode. */
static void db_leave_wal(rtt_live_t *l)
{
    sqlite3_stmt *st = NULL;
    const unsigned char *mode = NULL;
    if (sqlite3_prepare_v2(l->db, "PRAGMA journal_mode=DELETE", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        mode = sqlite3_column_text(st, 0);
    if (!mode || strcmp((const char *)mode, "delete") != 0)
        snprintf(l->db_note, sizeof l->db_note, "left in WAL mode: %s",
                 mode ? "another process has it open" : sqlite3_errmsg(l->db));
    sqlite3_finalize(st);
}

rtt_live_t *rtt_live_create(const rtt_live_opts_t *o, char *err, size_t errlen)
{
    rtt_live_t *l = calloc(1, sizeof *l);
    if (!l || !(l->names = calloc(NAME_CACHE, sizeof *l->names))) {
        free(l);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    l->o = *o;
    l->hold_viewer = getenv("RTT_TEST_HOLD_VIEWER") != NULL;
    l->real0 = clock_ns(CLOCK_REALTIME);
    l->mono0 = clock_ns(CLOCK_MONOTONIC);
    if (!l->o.live_timer_us)
        l->o.live_timer_us = 100000;
    if (l->o.interval_s <= 0)
        l->o.interval_s = 1;
    l->relayd.control_port = o->control_port ? o->control_port : 5342;
    l->relayd.data_port = o->data_port ? o->data_port : 5343;
    l->relayd.live_port = o->live_port ? o->live_port : 5344;
    for (int m = 0; m < RTT_LIVE_NMEASURES; m++)
        rtt_window_init(&l->win[m]);
    for (int w = 0; w < RTT_LIVE_NWINDOWS; w++) {
        int n = (int)((double)rtt_live_window_s[w] / l->o.interval_s + 0.5);
        l->win_slots[w] = n < 1 ? 1 : n > RTT_WINDOW_SLOTS ? RTT_WINDOW_SLOTS : n;
    }
    rtt_sink_init(&l->sink);
    l->sink.live = 1;
    l->sink.traces = l->traces;
    l->sink.captraces = MAX_TRACES;
    l->sink.observe = rtt__live_on_event;
    l->sink.observe_ctx = l;

    struct stat rst;
    if (o->record_path && stat(o->record_path, &rst) == 0 && rst.st_size > 0) {
        snprintf(err, errlen, "already exists (live writes a new database): %s",
                 o->record_path);
        goto fail;
    }
    if (o->attach) {
        if (rtt_live_session_attach(&l->session, o->attach, err, errlen) != 0)
            goto fail;
        if (!rtt_relayd_reachable(l->relayd.live_port)) {
            snprintf(err, errlen, "no relay daemon listens on 127.0.0.1:%d (session %s "
                                  "streams to another one?)",
                     l->relayd.live_port, o->attach);
            goto fail;
        }
    } else {
        if (rtt_relayd_ensure(&l->relayd, o->relayd_output, err, errlen) != 0)
            goto fail;
        if (rtt_live_session_create(&l->session, o->name, l->relayd.control_port,
                                    l->relayd.data_port, l->o.live_timer_us,
                                    o->subbuf_size, o->num_subbuf, err, errlen) != 0)
            goto fail;
    }
    /* the database last: a session or relay daemon failure leaves none */
    if (o->record_path) {
        if (rtt_db_open_or_create(o->record_path, &l->db, err, errlen) != 0)
            goto fail;
        /* WAL: queries read the last committed interval while we write */
        sqlite3_exec(l->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                            "PRAGMA cache_size=-4096;", NULL, NULL, NULL);
        if (db_begin(l, err, errlen) != 0)
            goto fail;
    }
    l->rows = rtt_rows_create(l->db, err, errlen);
    if (!l->rows)
        goto fail;
    rtt_rows_set_observer(l->rows, rtt__live_on_row, l);
    l->sink.rows = l->rows;

    return l;
fail:
    rtt_live_destroy(l);
    return NULL;
}

int rtt_live_track(rtt_live_t *l, pid_t pid, char *err, size_t errlen)
{
    return l->session.made ? rtt_live_session_track(&l->session, pid, err, errlen) : 0;
}

int rtt_live_start(rtt_live_t *l, char *err, size_t errlen)
{
    if (l->session.made && rtt_live_session_start(&l->session, err, errlen) != 0)
        return -1;
    l->stream = rtt_stream_open(&l->sink, l->relayd.live_port, l->session.hostname,
                                l->session.name, err, errlen);
    if (!l->stream)
        return -1;
    l->t0 = l->t_last = rtt_mono_s();
    /* the first run connects the viewer and attaches to the session, so
     * that what the program emits from now on is seen */
    int rc = rtt_stream_step(l->stream, 0, err, errlen);
    if (rc == 1) {
        snprintf(err, errlen, "session %s not found at the relay daemon on 127.0.0.1:%d",
                 l->session.name, l->relayd.live_port);
        return -1;
    }
    l->attached = rc == 0;
    return rc;
}

int rtt_live_step(rtt_live_t *l, double seconds, char *err, size_t errlen)
{
    if (l->hold_viewer) {
        /* the test's worst case: the viewer takes no look while the
         * program runs, so it meets the program's streams only at the end */
        time_t whole = (time_t)seconds;
        struct timespec ts = {whole, (long)((seconds - (double)whole) * 1e9)};
        nanosleep(&ts, NULL);
        return 0;
    }
    return rtt_stream_step(l->stream, seconds, err, errlen);
}


int rtt_live_snapshot(rtt_live_t *l, rtt_live_snapshot_t *s, char *err, size_t errlen)
{
    if (!l->finished && db_commit(l, 0, err, errlen) != 0)
        return -1;
    double now = rtt_mono_s();
    memset(s, 0, sizeof *s);
    s->db = l->db != NULL; /* interactions and lints need it */
    rtt__live_interactions(l, s); /* committed rows: before the counts below */
    rtt__live_lints(l, s);
    s->seq = ++l->seq;
    s->elapsed_s = now - l->t0;
    s->interval_s = now - l->t_last;
    double dt = s->interval_s > 1e-6 ? s->interval_s : 1e-6;
    l->t_last = now;
    snprintf(s->session, sizeof s->session, "%.63s", l->session.name);
    s->total = l->total;
    s->delta = (rtt_live_totals_t){
        .tasks = l->total.tasks - l->at_last.tasks,
        .events = l->total.events - l->at_last.events,
        .commands = l->total.commands - l->at_last.commands,
        .timer_fires = l->total.timer_fires - l->at_last.timer_fires,
        .renders = l->total.renders - l->at_last.renders,
        .trace_events = l->total.trace_events - l->at_last.trace_events,
        .interactions = l->total.interactions - l->at_last.interactions};
    l->at_last = l->total;
    s->rate = (rtt_live_rates_t){
        .tasks = (double)s->delta.tasks / dt, .events = (double)s->delta.events / dt,
        .commands = (double)s->delta.commands / dt,
        .timer_fires = (double)s->delta.timer_fires / dt,
        .renders = (double)s->delta.renders / dt,
        .trace_events = (double)s->delta.trace_events / dt};
    for (int m = 0; m < RTT_LIVE_NMEASURES; m++)
        for (int w = 0; w < RTT_LIVE_NWINDOWS; w++)
            rtt_window_pct(&l->win[m], l->win_slots[w], &s->pct[m][w]);
    for (int i = 0; i < RTT_LIVE_NREASONS; i++) {
        s->drops[i] = l->drops[i];
        s->drops_new[i] = l->drops[i] - l->drops_last[i];
        l->drops_last[i] = l->drops[i];
    }
    s->discarded_events = (int64_t)l->sink.discarded_events;
    s->discarded_events_new = (int64_t)(l->sink.discarded_events - l->disc_last);
    s->lost_packets = (int64_t)l->sink.lost_packets;
    s->lost_packets_new = (int64_t)(l->sink.lost_packets - l->lost_last);
    l->disc_last = l->sink.discarded_events;
    l->lost_last = l->sink.lost_packets;

    s->runtime = l->rt;
    rtt_live_derived_t *d = &s->derived;
    d->work_queue_len = l->queued_now;
    d->loop_count = l->loop_count;
    d->idle_share = l->rt.have ? l->derived_idle : -1;
    d->tasks_executed = l->rt_derived.tasks_executed;
    d->events_dispatched = l->rt_derived.events_dispatched;
    d->commands_handled = l->rt_derived.commands_handled;
    d->timers_fired = l->rt_derived.timers_fired;
    d->renders = l->rt_derived.renders;
    memcpy(d->drops, l->rt_derived.drops, sizeof d->drops);
    if (l->rt.have)
        rtt__live_compare(l, s);

    /* the stream is complete up to the newest event or the newest time an
     * idle stream vouched for (a program blocked in a long task emits
     * nothing, but the live timer still moves this on) */
    if (l->sink.inactivity_ts > l->watermark)
        l->watermark = l->sink.inactivity_ts;
    /* the longest-running task now, if longer than a frame */
    for (int p = 0; p < MAX_PROCS; p++) {
        const running_t *r = &l->run[p];
        if (!r->active || l->watermark - r->started_ts <= FRAME_NS)
            continue;
        int64_t ran = l->watermark - r->started_ts;
        if (s->running.present && ran <= s->running.running_ns)
            continue;
        s->running.present = 1;
        s->running.id = r->id;
        s->running.running_ns = ran;
        const name_slot_t *n = &l->names[r->id % NAME_CACHE];
        snprintf(s->running.name, sizeof s->running.name, "%s",
                 n->id == r->id ? n->name : "");
    }
    s->watermark_ts = l->watermark;
    s->staleness_s =
        l->watermark ? (double)(trace_now_ns(l) - l->watermark) * 1e-9 : -1;
    s->exit_status = -1;
    for (int m = 0; m < RTT_LIVE_NMEASURES; m++)
        rtt_window_advance(&l->win[m]);
    return 0;
}

/* Before the session goes. A relay daemon frees a trace whose metadata
 * stream closes before a viewer asked for it ("the viewer will not see
 * this trace at all"), so a program that registers, runs and ends between
 * two looks of the viewer (10 ms apart) would lose every event to the
 * destroy: about 1 run in 50 under ASan on a loaded machine. Stopped, the
 * relay daemon holds all the session's streams and their data (the stop
 * waits for it); if it lists streams and the viewer has shown nothing,
 * step until the viewer has (its first look attaches it to every stream
 * there is), for at most timeout_s: a program that registered but emitted
 * nothing shows nothing, and that is not an error. */
static int catch_up(rtt_live_t *l, double timeout_s, char *err, size_t errlen)
{
    if (!l->stream || l->sink.messages > 0 || rtt_stream_relay_streams(l->stream) <= 0)
        return 0;
    double end = rtt_mono_s() + timeout_s;
    while (l->sink.messages == 0 && rtt_mono_s() < end) {
        int s = rtt_stream_step(l->stream, 0.05, err, errlen);
        if (s != 0)
            return s < 0 ? -1 : 0;
    }
    return 0;
}

int rtt_live_finish(rtt_live_t *l, double timeout_s, char *err, size_t errlen)
{
    if (l->finished)
        return 0;
    int rc = 0;
    if (l->session.made) {
        if (rtt_live_session_stop(&l->session, err, errlen) != 0) {
            rc = -1;
            if (!rtt_live_session_exists(&l->session)) {
                snprintf(err, errlen, "the live session disappeared (destroyed by "
                                      "someone else?): %s", l->session.name);
                l->session.made = 0; /* nothing of ours to destroy */
            }
        }
        if (rc == 0 && catch_up(l, timeout_s, err, errlen) != 0)
            rc = -1;
        rtt_live_session_destroy(&l->session);
    }
    /* the relay daemon hands out what it has (a backlog, if we were
     * behind), then ends the streams of a destroyed session; timeout_s
     * bounds a wait without progress, not the backlog */
    double end = rtt_mono_s() + timeout_s;
    uint64_t seen = l->sink.messages;
    while (rc == 0 && l->stream) {
        double left = end - rtt_mono_s();
        if (left <= 0) {
            snprintf(err, errlen, "the live stream of session %s did not end within "
                                  "%.0f s of its destruction (no data for that long)",
                     l->session.name, timeout_s);
            rc = -1;
            break;
        }
        int s = rtt_stream_step(l->stream, left < 0.2 ? left : 0.2, err, errlen);
        if (s == 1)
            break;
        if (s < 0)
            rc = -1;
        if (l->sink.messages != seen) {
            seen = l->sink.messages;
            end = rtt_mono_s() + timeout_s;
        }
    }
    if (rtt_rows_flush(l->rows) != 0 && rc == 0) {
        snprintf(err, errlen, "%s", rtt_rows_errmsg(l->rows));
        rc = -1;
    }
    if (l->db && rc == 0 && db_commit(l, 1, err, errlen) != 0)
        rc = -1;
    if (l->db && rc == 0)
        db_leave_wal(l);
    l->finished = 1;
    return rc;
}

void rtt_live_destroy(rtt_live_t *l)
{
    if (!l)
        return;
    rtt_stream_close(l->stream);
    rtt_live_session_destroy(&l->session);
    rtt_relayd_stop(&l->relayd);
    rtt_rows_destroy(l->rows);
    if (l->db) {
        if (l->in_tx)
            sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL);
        if (l->attached && !l->finished) /* a failed run: what it committed, */
            db_leave_wal(l);             /* in one file as a finished one */
        sqlite3_close(l->db);
        if (!l->attached) { /* nothing began: no database either */
            char p[4200];
            unlink(l->o.record_path);
            static const char *const sfx[] = {"-wal", "-shm", "-journal"};
            for (size_t i = 0; i < 3; i++) {
                snprintf(p, sizeof p, "%s%s", l->o.record_path, sfx[i]);
                unlink(p);
            }
        }
    }
    for (size_t i = 0; i < l->sink.ntraces; i++)
        free(l->traces[i].path);
    rtt_sink_finish(&l->sink);
    free(l->ix_keys);
    free(l->names);
    free(l);
}

const char *rtt_live_session_name(const rtt_live_t *l) { return l->session.name; }
int rtt_live_relayd_started(const rtt_live_t *l) { return l->relayd.pid > 0; }
pid_t rtt_live_relayd_pid(const rtt_live_t *l) { return l->relayd.pid; }
const char *rtt_live_relayd_output(const rtt_live_t *l) { return l->relayd.output; }
int rtt_live_traces_seen(const rtt_live_t *l) { return (int)l->sink.ntraces; }
const char *rtt_live_db_note(const rtt_live_t *l) { return l->db_note[0] ? l->db_note : NULL; }
int rtt_live_session_alive(const rtt_live_t *l) { return rtt_live_session_exists(&l->session); }
