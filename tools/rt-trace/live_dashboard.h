/* live_dashboard.h - the terminal dashboard of `rt-trace live` (ncurses,
 * live_dashboard.c): a front-end of the live engine that draws each
 * interval's snapshot (analysis/live/snapshot.h) and computes nothing.
 *
 * Three views share a header (session, pid, elapsed, staleness, per-second
 * rates) and a footer (keys):
 *   tasks         queue wait and run time, 1 s / 10 s / 60 s percentiles;
 *                 the runtime's own counters (rtk:stats) beside the
 *                 trace-derived ones, flagged when they disagree; the task
 *                 running longer than a frame
 *   interactions  interaction latency and frame time percentiles; the
 *                 worst interactions of the last 10 s with their cause chain
 *   drops         drops per reason (total and new), tracer loss, lint
 *                 findings
 * Without a database (snapshot.db == 0, `--no-db`) the interaction rows,
 * the worst list and the lint findings say that they need one instead of
 * showing an empty panel.
 * Keys: q quit, p (or space) pause/resume, t / i / d (or Tab) switch view.
 * A paused dashboard keeps showing the snapshot it had. Any size works:
 * what does not fit is cut, 80x24 shows everything but the longest lists;
 * a resize redraws at once. Every interval the whole screen is repainted,
 * so output of a program sharing the terminal is wiped within a second.
 */
#ifndef RTT_LIVE_DASHBOARD_H
#define RTT_LIVE_DASHBOARD_H

#include "snapshot.h"

#include <stddef.h>
#include <stdio.h>

typedef struct rtt_dash rtt_dash_t;

enum rtt_dash_view { RTT_DASH_TASKS, RTT_DASH_INTERACTIONS, RTT_DASH_DROPS };

/* Take over the terminal on out/in (stdout/stdin normally; a test passes
 * its own files, a terminal type and a size). term NULL: $TERM. lines and
 * cols 0: the terminal's size. NULL with err set when the terminal type is
 * unknown or out of memory. */
rtt_dash_t *rtt_dash_open(FILE *out, FILE *in, const char *term, int lines, int cols,
                          char *err, size_t errlen);
/* Give the terminal back (endwin) and free. NULL is fine. */
void rtt_dash_close(rtt_dash_t *d);

/* rtt_live_on_snapshot_fn: keep s (unless paused) and redraw. ctx is the
 * rtt_dash_t. */
void rtt_dash_on_snapshot(const rtt_live_snapshot_t *s, void *ctx);

/* Handle one key (a getch() value, KEY_RESIZE included). Returns 1 when
 * it asks to quit, else 0. */
int rtt_dash_key(rtt_dash_t *d, int key);

/* Read every pending key without waiting, handling each. Returns 1 when
 * one asked to quit, else 0. */
int rtt_dash_poll(rtt_dash_t *d);

/* Set the screen size (as a SIGWINCH would) and redraw. */
void rtt_dash_resize(rtt_dash_t *d, int lines, int cols);

enum rtt_dash_view rtt_dash_view(const rtt_dash_t *d);
int rtt_dash_paused(const rtt_dash_t *d);

/* Row y of the screen as drawn, trailing blanks removed, into buf. For
 * tests. Returns its length, or -1 if y is off screen. */
int rtt_dash_row(rtt_dash_t *d, int y, char *buf, size_t len);

/* Duration in a short human unit ("850ns", "12.3us", "4.56ms", "1.23s"),
 * "-" when ns < 0. At most 8 characters. */
void rtt_dash_dur(int64_t ns, char *buf, size_t len);

#endif
