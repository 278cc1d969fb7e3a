/* live_dashboard.c - the ncurses dashboard of `rt-trace live`
 * (live_dashboard.h). Draws the snapshot it was given; every figure comes
 * from the live engine (analysis/live/). Cost per redraw: O(screen cells).
 */
#include "live_dashboard.h"

#include <curses.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct rtt_dash {
    SCREEN *scr;
    enum rtt_dash_view view;
    int paused;
    int have_shown, have_latest;
    rtt_live_snapshot_t shown;  /* on screen (kept while paused) */
    rtt_live_snapshot_t latest; /* the newest received */
};

static const char *const reason_label[RTT_LIVE_NREASONS] = {
    "work queue full", "event queue full", "async queue full", "timer limit",
    "command refused", "command queue full", "not running", "emergency",
    "shutdown"};

static const char *const measure_label[RTT_LIVE_NMEASURES] = {
    "queue wait", "run time", "interaction", "frame time"};

/* In place of what only a database gives (s->db == 0: `--no-db`). */
#define NEEDS_DB "needs a database: drop --no-db or give --record"

void rtt_dash_dur(int64_t ns, char *buf, size_t len)
{
    if (ns < 0)
        snprintf(buf, len, "-");
    else if (ns < 1000)
        snprintf(buf, len, "%" PRId64 "ns", ns);
    else if (ns < 1000000)
        snprintf(buf, len, "%.3gus", (double)ns / 1e3);
    else if (ns < 1000000000)
        snprintf(buf, len, "%.3gms", (double)ns / 1e6);
    else
        snprintf(buf, len, "%.3gs", (double)ns / 1e9);
}

/* A rate in at most 6 characters: "12", "1234", "12.3k", "4.56M". */
static void rate_text(double r, char *buf, size_t len)
{
    if (r < 10000)
        snprintf(buf, len, "%.0f", r);
    else if (r < 1e7)
        snprintf(buf, len, "%.3gk", r / 1e3);
    else
        snprintf(buf, len, "%.3gM", r / 1e6);
}

/* --- drawing primitives: cut at the right edge, never on the footer --- */

static void text_at(int y, int x, int attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void text_at(int y, int x, int attr, const char *fmt, ...)
{
    if (y < 0 || y >= LINES || x >= COLS)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (attr)
        attron(attr);
    mvaddnstr(y, x, buf, COLS - x);
    if (attr)
        attroff(attr);
}

/* Body rows end above the footer. */
static int body_end(void) { return LINES - 1; }

static int pct_table(int y, const rtt_live_snapshot_t *s, int m0, int m1)
{
    text_at(y++, 0, A_BOLD, "%-12s %-6s %9s %8s %8s %8s %8s", "measure", "window",
            "count", "p50", "p90", "p99", "max");
    for (int m = m0; m <= m1; m++) {
        if (m == RTT_LIVE_INTERACTION && !s->db) { /* not computed: not "0" */
            if (y >= body_end())
                return y;
            text_at(y++, 0, 0, "%-12s %s", measure_label[m], NEEDS_DB);
            continue;
        }
        for (int w = 0; w < RTT_LIVE_NWINDOWS; w++, y++) {
            if (y >= body_end())
                return y;
            const rtt_live_pct_t *p = &s->pct[m][w];
            char a[16], b[16], c[16], d[16], win[16];
            rtt_dash_dur(p->count ? p->p50_ns : -1, a, sizeof a);
            rtt_dash_dur(p->count ? p->p90_ns : -1, b, sizeof b);
            rtt_dash_dur(p->count ? p->p99_ns : -1, c, sizeof c);
            rtt_dash_dur(p->count ? p->max_ns : -1, d, sizeof d);
            snprintf(win, sizeof win, "%d s", rtt_live_window_s[w]);
            text_at(y, 0, 0, "%-12s %-6s %9" PRId64 " %8s %8s %8s %8s",
                    w == 0 ? measure_label[m] : "", win, p->count, a, b, c, d);
        }
    }
    return y;
}

static void share_text(double v, char *buf, size_t len)
{
    if (v < 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%.0f%%", v * 100);
}

static void draw_tasks(int y, const rtt_live_snapshot_t *s)
{
    y = pct_table(y, s, RTT_LIVE_QUEUE_WAIT, RTT_LIVE_RUN_TIME) + 1;
    if (y >= body_end())
        return;
    text_at(y++, 0, A_BOLD, "%-20s %8s %8s %8s %8s %10s %6s", "counters", "work q",
            "event q", "async q", "timers", "loops", "idle");
    const rtt_live_runtime_t *r = &s->runtime;
    char idle[16];
    if (r->have) {
        share_text(r->idle_share, idle, sizeof idle);
        text_at(y++, 0, 0, "%-20s %8" PRId64 " %8" PRId64 " %8" PRId64 " %8" PRId64
                           " %10" PRId64 " %6s",
                "runtime (rtk:stats)", r->work_queue_len, r->event_queue_len,
                r->async_queue_len, r->active_timers, r->loop_count, idle);
    } else {
        text_at(y++, 0, 0, "%-20s %s", "runtime (rtk:stats)", "no rtk:stats event yet");
    }
    share_text(s->derived.idle_share, idle, sizeof idle);
    text_at(y++, 0, 0, "%-20s %8" PRId64 " %8s %8s %8s %10" PRId64 " %6s",
            "trace-derived", s->derived.work_queue_len, "", "", "",
            s->derived.loop_count, idle);
    if (s->disagree)
        text_at(y++, 0, A_BOLD, "! runtime and trace disagree: %s", s->disagree_text);
    else if (r->have)
        text_at(y++, 0, 0, "runtime and trace counters agree");
    y++;
    if (s->running.present) {
        char d[16];
        rtt_dash_dur(s->running.running_ns, d, sizeof d);
        text_at(y, 0, A_BOLD, "running now: task#%" PRIu64 " %s for %s (over a frame)",
                s->running.id, s->running.name, d);
    } else {
        text_at(y, 0, 0, "running now: no task over a frame");
    }
}

static void draw_interactions(int y, const rtt_live_snapshot_t *s)
{
    y = pct_table(y, s, RTT_LIVE_INTERACTION, RTT_LIVE_FRAME) + 1;
    if (y >= body_end())
        return;
    if (!s->db) {
        text_at(y, 0, A_BOLD, "worst interactions, last 10 s: " NEEDS_DB);
        return;
    }
    text_at(y++, 0, A_BOLD, "worst interactions, last 10 s (%d)", s->nworst);
    text_at(y++, 0, A_BOLD, "%8s %-16s %8s  %s", "latency", "name", "id", "cause chain");
    for (int i = 0; i < s->nworst && y < body_end(); i++, y++) {
        const rtt_live_worst_t *w = &s->worst[i];
        char d[16];
        rtt_dash_dur(w->latency_ns, d, sizeof d);
        text_at(y, 0, 0, "%8s %-16.16s %8" PRIu64 "  %s", d, w->name, w->id, w->cause);
    }
    if (s->nworst == 0 && y < body_end())
        text_at(y, 0, 0, "%8s none in the last 10 s", "");
}

static void draw_drops(int y, const rtt_live_snapshot_t *s)
{
    text_at(y++, 0, A_BOLD, "%-20s %10s %8s %12s", "drops", "total", "new",
            "runtime says");
    for (int r = 0; r < RTT_LIVE_NREASONS && y < body_end(); r++, y++) {
        char rt[24] = "-";
        if (s->runtime.have)
            snprintf(rt, sizeof rt, "%" PRId64, s->runtime.drops[r]);
        text_at(y, 0, s->drops_new[r] ? A_BOLD : 0, "%-20s %10" PRId64 " %8" PRId64 " %12s",
                reason_label[r], s->drops[r], s->drops_new[r], rt);
    }
    if (y >= body_end())
        return;
    text_at(y++, 0, s->discarded_events_new || s->lost_packets_new ? A_BOLD : 0,
            "tracer: discarded events %" PRId64 " (+%" PRId64 "), lost packets %" PRId64
            " (+%" PRId64 ")",
            s->discarded_events, s->discarded_events_new, s->lost_packets,
            s->lost_packets_new);
    y++;
    if (y >= body_end())
        return;
    if (!s->db) {
        text_at(y, 0, A_BOLD, "lint findings: " NEEDS_DB);
        return;
    }
    text_at(y++, 0, A_BOLD, "lint findings, this interval (%d)", s->nlints);
    for (int i = 0; i < s->nlints && y < body_end(); i++, y++)
        text_at(y, 0, 0, "%-18.18s %s", s->lints[i].rule, s->lints[i].message);
}

static void draw_header(const rtt_dash_t *d, const rtt_live_snapshot_t *s)
{
    char stale[32] = "-";
    if (s->staleness_s >= 0)
        snprintf(stale, sizeof stale, "%.2f s", s->staleness_s);
    text_at(0, 0, A_BOLD, "rt-trace live  %s  pid %" PRId64 "  %.1f s  stale %s%s",
            s->session, s->pid, s->elapsed_s, stale, d->paused ? "  PAUSED" : "");
    char r[6][16];
    rate_text(s->rate.tasks, r[0], sizeof r[0]);
    rate_text(s->rate.events, r[1], sizeof r[1]);
    rate_text(s->rate.commands, r[2], sizeof r[2]);
    rate_text(s->rate.timer_fires, r[3], sizeof r[3]);
    rate_text(s->rate.renders, r[4], sizeof r[4]);
    rate_text(s->rate.trace_events, r[5], sizeof r[5]);
    text_at(1, 0, 0, "per s: tasks %s  events %s  commands %s  timers %s  renders %s  "
                     "trace %s",
            r[0], r[1], r[2], r[3], r[4], r[5]);
}

static void draw_tabs(const rtt_dash_t *d, const rtt_live_snapshot_t *s)
{
    static const char *const tab[] = {"[t]asks", "[i]nteractions", "[d]rops"};
    int x = 0;
    for (int v = 0; v < 3; v++) {
        text_at(2, x, (int)d->view == v ? A_REVERSE : 0, "%s", tab[v]);
        x += (int)strlen(tab[v]) + 2;
    }
    if (s && s->final && s->exited && s->exit_status >= 0)
        text_at(2, x, A_BOLD, "| final: program exited, status %d", s->exit_status);
    else if (s && s->final)
        text_at(2, x, A_BOLD, "| final");
}

static void redraw(rtt_dash_t *d)
{
    erase();
    const rtt_live_snapshot_t *s = d->have_shown ? &d->shown : NULL;
    if (s)
        draw_header(d, s);
    else
        text_at(0, 0, A_BOLD, "rt-trace live: waiting for the first interval...");
    draw_tabs(d, s);
    if (s) {
        switch (d->view) {
        case RTT_DASH_TASKS: draw_tasks(4, s); break;
        case RTT_DASH_INTERACTIONS: draw_interactions(4, s); break;
        case RTT_DASH_DROPS: draw_drops(4, s); break;
        }
    }
    text_at(LINES - 1, 0, A_REVERSE,
            "q quit  p pause  t tasks  i interactions  d drops  Tab next");
    clearok(curscr, TRUE); /* repaint all: wipes what others wrote */
    refresh();
}

rtt_dash_t *rtt_dash_open(FILE *out, FILE *in, const char *term, int lines, int cols,
                          char *err, size_t errlen)
{
    rtt_dash_t *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    const char *t = term ? term : getenv("TERM");
    d->scr = newterm(t, out, in);
    if (!d->scr) {
        snprintf(err, errlen, "cannot use the terminal: unknown type TERM=%s",
                 t ? t : "(unset)");
        free(d);
        return NULL;
    }
    set_term(d->scr);
    cbreak();
    noecho();
    nodelay(stdscr, TRUE);
    keypad(stdscr, TRUE);
    curs_set(0);
    if (lines > 0 && cols > 0)
        resizeterm(lines, cols);
    redraw(d);
    return d;
}

void rtt_dash_close(rtt_dash_t *d)
{
    if (!d)
        return;
    set_term(d->scr);
    endwin();
    delscreen(d->scr);
    free(d);
}

void rtt_dash_on_snapshot(const rtt_live_snapshot_t *s, void *ctx)
{
    rtt_dash_t *d = ctx;
    set_term(d->scr);
    d->latest = *s;
    d->have_latest = 1;
    if (!d->paused || s->final) { /* the final one is always shown */
        d->shown = *s;
        d->have_shown = 1;
        if (s->final)
            d->paused = 0;
    }
    redraw(d);
}

int rtt_dash_key(rtt_dash_t *d, int key)
{
    set_term(d->scr);
    switch (key) {
    case 'q': case 'Q':
        return 1;
    case 'p': case 'P': case ' ':
        d->paused = !d->paused;
        if (!d->paused && d->have_latest) {
            d->shown = d->latest;
            d->have_shown = 1;
        }
        break;
    case 't': case 'T': d->view = RTT_DASH_TASKS; break;
    case 'i': case 'I': d->view = RTT_DASH_INTERACTIONS; break;
    case 'd': case 'D': d->view = RTT_DASH_DROPS; break;
    case '\t': d->view = (enum rtt_dash_view)((d->view + 1) % 3); break;
    case KEY_RESIZE: break; /* ncurses has the new size already */
    default: return 0;      /* nothing changed: no redraw */
    }
    redraw(d);
    return 0;
}

int rtt_dash_poll(rtt_dash_t *d)
{
    set_term(d->scr);
    int ch;
    while ((ch = getch()) != ERR)
        if (rtt_dash_key(d, ch))
            return 1;
    return 0;
}

void rtt_dash_resize(rtt_dash_t *d, int lines, int cols)
{
    set_term(d->scr);
    resizeterm(lines, cols);
    redraw(d);
}

enum rtt_dash_view rtt_dash_view(const rtt_dash_t *d) { return d->view; }
int rtt_dash_paused(const rtt_dash_t *d) { return d->paused; }

int rtt_dash_row(rtt_dash_t *d, int y, char *buf, size_t len)
{
    set_term(d->scr);
    if (y < 0 || y >= LINES || len == 0)
        return -1;
    int n = (int)len - 1 < COLS ? (int)len - 1 : COLS;
    int got = mvinnstr(y, 0, buf, n);
    if (got < 0)
        got = 0;
    buf[got] = '\0';
    while (got > 0 && buf[got - 1] == ' ')
        buf[--got] = '\0';
    return got;
}
