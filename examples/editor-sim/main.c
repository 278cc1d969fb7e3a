/* main.c - editor-sim: an editor-like workload on rtk (docs/editor-sim.md).
 *
 *   editor-sim [--duration SECONDS] [--key-rate KEYS_PER_S] [--seed N]
 *              [--fps N] [--slow NAME=FACTOR]... [--stall-every N
 *              --stall-ms M] [--help]
 *
 * main parses the options, loads a seeded document, creates and boots the
 * runtime (renders paced at one per frame), subscribes the diagnostics
 * handler, starts the cursor blink, the language server thread and the
 * typist thread, runs the loop until the typist's shutdown command, then
 * prints its own counters and the runtime's stats to stderr. Linked with
 * rtk::tp, it is traced whenever an LTTng session listens. --slow and
 * --stall-* inject regressions (knobs.h) without changing the schedule. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "editor.h"
#include "input_thread.h"
#include "keys.h"
#include "lsp_thread.h"
#include "prng.h"
#include "render.h"

typedef struct options {
    double duration_s;
    double key_rate;
    uint64_t seed;
    double fps;
    knobs_t knobs;
} options_t;

static const char usage[] =
    "usage: editor-sim [--duration SECONDS] [--key-rate KEYS_PER_S] [--seed N]\n"
    "                  [--fps N] [--slow NAME=FACTOR]...\n"
    "                  [--stall-every N --stall-ms M] [--help]\n"
    "An editor on rtk: a typist thread sends keystrokes as commands, handlers\n"
    "edit a text buffer, LOW-priority re-highlighting, renders paced per frame,\n"
    "cursor blink, autosave and diagnostics debounce timers, a language server\n"
    "thread answering with async events, and a 30 ms reflow every ~200 keys.\n"
    "  --duration S   how long the typist types (default 10, max 86400)\n"
    "  --key-rate K   mean typing rate in keys/s (default 20; 0.1 to 2000)\n"
    "  --seed N       schedule seed (default 1): same seed, same keystrokes\n"
    "  --fps N        frame rate: at most N renders/s (default 60; 1 to 1000)\n"
    "Injected regressions (the seed's keys and drawn costs stay the same):\n"
    "  --slow NAME=F  the work traced as NAME spins F times its cost (0.01 to\n"
    "                 100); NAME: highlight, reflow, autosave, stall; repeat\n"
    "                 for several names\n"
    "  --stall-every N --stall-ms M\n"
    "                 every N-th handled key (1 to 1000000) also runs a HIGH\n"
    "                 task 'stall' spinning M ms (0.01 to 10000); both or neither\n"
    "Prints its counters and the runtime's stats to stderr on exit.\n";

static int parse_double(const char *opt, const char *s, double lo, double hi,
                        double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= lo && v <= hi)) {
        fprintf(stderr, "editor-sim: %s: expected a number from %g to %g, "
                        "got '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_u64(const char *opt, const char *s, uint64_t lo,
                     uint64_t hi, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || *s == '-' || v < lo || v > hi) {
        fprintf(stderr, "editor-sim: %s: expected an integer from %" PRIu64
                        " to %" PRIu64 ", got '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, options_t *o)
{
    o->duration_s = 10;
    o->key_rate = 20;
    o->seed = 1;
    o->fps = 60;
    memset(&o->knobs, 0, sizeof o->knobs);
    double stall_ms = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        const char *names[] = {"--duration", "--key-rate", "--seed", "--fps",
                               "--slow", "--stall-every", "--stall-ms"};
        int which = -1;
        const char *val = NULL;
        for (int k = 0; k < 7; k++) {
            size_t n = strlen(names[k]);
            if (!strncmp(a, names[k], n) && (a[n] == 0 || a[n] == '=')) {
                which = k;
                val = a[n] == '=' ? a + n + 1 : NULL;
            }
        }
        if (which < 0) {
            fprintf(stderr, "editor-sim: unknown option '%s' (see --help)\n", a);
            return 2;
        }
        if (!val) {
            if (i + 1 >= argc) {
                fprintf(stderr, "editor-sim: %s needs a value\n", a);
                return 2;
            }
            val = argv[++i];
        }
        int rc = 0;
        if (which == 0)
            rc = parse_double("--duration", val, 0.0, 86400, &o->duration_s);
        else if (which == 1)
            rc = parse_double("--key-rate", val, 0.1, 2000, &o->key_rate);
        else if (which == 3)
            rc = parse_double("--fps", val, 1, 1000, &o->fps);
        else if (which == 4)
            rc = knobs_parse_slow(&o->knobs, val);
        else if (which == 5)
            rc = parse_u64("--stall-every", val, 1, 1000000,
                           &o->knobs.stall_every);
        else if (which == 6)
            rc = parse_double("--stall-ms", val, 0.01, 10000, &stall_ms);
        else {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(val, &end, 0);
            if (!*val || *end || errno || *val == '-') {
                fprintf(stderr, "editor-sim: --seed: expected an unsigned "
                                "integer, got '%s'\n", val);
                rc = -1;
            }
            o->seed = s;
        }
        if (rc)
            return 2;
    }
    if (!o->knobs.stall_every != !(stall_ms > 0)) {
        fprintf(stderr, "editor-sim: --stall-every and --stall-ms go "
                        "together: give both or neither\n");
        return 2;
    }
    o->knobs.stall_ns = (uint64_t)(stall_ms * 1e6 + 0.5);
    return -1;
}

/* A deterministic document of ~2000 lines of pseudo-code. */
static int load_document(editor_t *ed, uint64_t seed)
{
    static const char *const tok[] = {
        "fn", "let", "return", "if", "else", "buffer", "cursor", "line",
        "width", "(", ")", "{", "}", ";", "=", "+", "0", "1", "42", "self"};
    size_t cap = 1 << 17, n = 0;
    char *text = malloc(cap);
    if (!text)
        return -1;
    prng_t r;
    prng_seed(&r, seed, 3);
    for (int line = 0; line < 2000; line++) {
        int words = 2 + (int)prng_below(&r, 10);
        for (int w = 0; w < words; w++) {
            const char *t = tok[prng_below(&r, sizeof tok / sizeof tok[0])];
            size_t l = strlen(t);
            if (n + l + 2 > cap) {
                char *p = realloc(text, cap *= 2);
                if (!p) {
                    free(text);
                    return -1;
                }
                text = p;
            }
            memcpy(text + n, t, l);
            n += l;
            text[n++] = w + 1 < words ? ' ' : '\n';
        }
    }
    int rc = buf_load(&ed->buf, text, n);
    free(text);
    return rc;
}

static void print_summary(const options_t *o, const input_t *in,
                          const editor_t *ed, const lsp_counters_t *lc,
                          const rtk_stats_t *s, double wall_s)
{
    uint64_t sent = in->sent[0] + in->sent[1] + in->sent[2];
    fprintf(stderr,
            "editor-sim: pid %ld, seed %" PRIu64 ", %.1f s, %.1f keys/s, "
            "%.0f fps, ran %.2f s\n",
            (long)getpid(), o->seed, o->duration_s, o->key_rate, o->fps,
            wall_s);
    fprintf(stderr,
            "  keys sent %" PRIu64 " (insert %" PRIu64 ", move %" PRIu64
            ", undo %" PRIu64 "), refused %" PRIu64 ", repeat bursts %" PRIu64
            ", pauses %" PRIu64 ", reflow keys %" PRIu64 ", late %" PRIu64 "\n",
            sent, in->sent[0], in->sent[1], in->sent[2], in->refused,
            in->bursts, in->pauses, in->reflows, in->late);
    fprintf(stderr,
            "  handled keys %" PRIu64 ", highlights %" PRIu64 " (%.1f ms CPU)"
            ", reflows %" PRIu64 ", renders %" PRIu64 ", blinks %" PRIu64
            ", autosaves %" PRIu64 "\n",
            ed->keys[0] + ed->keys[1] + ed->keys[2], ed->highlights,
            (double)ed->highlight_ns / 1e6, ed->reflows, ed->renders,
            ed->blinks, ed->autosaves);
    fprintf(stderr,
            "  diagnostics: requests %" PRIu64 ", answers applied %" PRIu64
            ", server answered %" PRIu64 ", refused %" PRIu64
            ", dropped %" PRIu64 "; buffer %zu bytes, version %" PRIu64 "\n",
            ed->diag_requests, ed->diag_results, lc->answered, lc->refused,
            lc->dropped, buf_len(&ed->buf), ed->buf.version);
    fprintf(stderr,
            "  rtk: tasks executed %" PRIu64 ", failed %" PRIu64
            ", voided %" PRIu64 "; timers fired %" PRIu64 " (missed periods %"
            PRIu64 "); commands %" PRIu64 "; async %" PRIu64 "; renders %"
            PRIu64 "; ticks %" PRIu64 "; idle %.1f ms; drops %" PRIu64,
            s->tasks_executed, s->tasks_failed, s->tasks_voided,
            s->timers_fired, s->timer_missed_periods, s->commands_handled,
            s->async_dispatched, s->renders, s->loop_count,
            (double)s->idle_ns / 1e6, s->drops_total);
    const char *sep = " (";
    for (int r = 0; r < RTK_DROP__COUNT; r++) {
        if (!s->drops[r])
            continue;
        fprintf(stderr, "%s%s %" PRIu64, sep,
                rtk_drop_reason_name((rtk_drop_reason_t)r), s->drops[r]);
        sep = ", ";
    }
    fputs(*sep == ',' ? ")\n" : "\n", stderr);
    knobs_print(&ed->knobs, ed->stalls, ed->stalls_refused, stderr);
}

int main(int argc, char **argv)
{
    options_t o;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;

    static editor_t ed; /* large (frame buffers): not on the stack */
    if (buf_init(&ed.buf) < 0 || load_document(&ed, o.seed) < 0) {
        fprintf(stderr, "editor-sim: out of memory\n");
        return 1;
    }
    ed.seed = o.seed;
    ed.knobs = o.knobs;
    ed.cursor_visible = 1;
    g_editor = &ed;

    rtk_config_t cfg;
    rtk_config_init(&cfg);
    cfg.render = ed_render;
    cfg.render_ud = &ed;
    cfg.frame_interval_ns = (uint64_t)(1e9 / o.fps);
    if ((rc = rtk_runtime_create(&cfg, &ed.rt)) != RTK_OK) {
        fprintf(stderr, "editor-sim: rtk_runtime_create: %s\n",
                rtk_strerror(rc));
        return 1;
    }
    input_t in = {0};
    in.rt = ed.rt;
    in.seed = o.seed;
    in.duration_s = o.duration_s;
    in.key_rate = o.key_rate;
    if ((rc = rtk_boot(ed.rt)) != RTK_OK || (rc = keys_subscribe(&ed)) != RTK_OK ||
        (rc = ed_blink_start(&ed)) != RTK_OK) {
        fprintf(stderr, "editor-sim: starting the runtime: %s\n",
                rtk_strerror(rc));
        rtk_runtime_destroy(ed.rt);
        return 1;
    }
    ed.lsp = lsp_start(ed.rt, o.seed);
    if (!ed.lsp || input_start(&in) != 0) {
        fprintf(stderr, "editor-sim: cannot start a thread\n");
        lsp_stop(ed.lsp, NULL);
        rtk_runtime_destroy(ed.rt);
        return 1;
    }
    uint64_t t0 = rtk_now(ed.rt);
    rc = rtk_run(ed.rt);
    double wall = (double)(rtk_now(ed.rt) - t0) / 1e9;
    input_join(&in);
    lsp_counters_t lc = {0};
    lsp_stop(ed.lsp, &lc);
    rtk_stats_t st;
    rtk_stats_get(ed.rt, &st);
    print_summary(&o, &in, &ed, &lc, &st, wall);
    rtk_runtime_destroy(ed.rt);
    buf_finish(&ed.buf);
    if (rc != RTK_OK) {
        fprintf(stderr, "editor-sim: rtk_run: %s\n", rtk_strerror(rc));
        return 1;
    }
    return 0;
}
