/* keys.c - key handlers and the work one key causes. Every function here
 * runs on the loop thread inside an rtk task or dispatch, so whatever it
 * creates (render requests, timers, tasks) records that item as its cause:
 *
 *   command key_* -> task key_* -> render_request
 *                               -> timer autosave (2 s, restarted per key)
 *                               -> timer diagnostics (300 ms, restarted)
 *                                    -> task diagnostics -> LSP request
 *                                       -> async event -> render_request
 *                               -> task highlight (LOW) -> render_request
 *                               -> task reflow (1 key in ~200: 30 ms)
 *                               -> task stall (HIGH, every N-th key with
 *                                  --stall-every N --stall-ms M: M ms)
 *
 * Costs: a key is O(1) plus the buffer's gap move and four O(log n) timer
 * operations; autosave, highlight, reflow and stall spin what they are told
 * to, times their --slow factor (knobs.h). */
#include "keys.h"

#include "highlight.h"
#include "lsp_thread.h"
#include "spin.h"

editor_t *g_editor;

const char *key_task_name(key_kind_t kind)
{
    switch (kind) {
    case KEY_INSERT: return "key_insert";
    case KEY_MOVE: return "key_move";
    default: return "key_undo";
    }
}

/* --- timer fires ---------------------------------------------------------- */

static void checksum_some(void *ctx)
{
    editor_t *ed = ctx;
    size_t n = buf_len(&ed->buf);
    uint64_t h = ed->frame_checksum;
    for (size_t i = 0; i < n && i < 4096; i++)
        h = (h ^ (unsigned char)buf_char(&ed->buf, i)) * 1099511628211ULL;
    ed->frame_checksum ^= h;
}

static int autosave_fire(void *arg)
{
    editor_t *ed = arg;
    ed->autosave_timer = 0;
    checksum_some(ed); /* "serialise" the start of the file */
    ed_spin(knob_cost(&ed->knobs, KNOB_AUTOSAVE, 500000), checksum_some, ed);
    ed->autosaves++;
    return 0;
}

static int diagnostics_fire(void *arg)
{
    editor_t *ed = arg;
    ed->diag_timer = 0;
    ed->diag_requests++;
    /* The request's id is this fire task: the answer names it as cause. */
    if (lsp_request(ed->lsp, rtk_current_cause(), ed->buf.version,
                    buf_len(&ed->buf)) < 0)
        return 1; /* counted failed: the server is swamped */
    return 0;
}

static rtk_handler_result_t on_diagnostics(rtk_runtime_t *rt,
                                           const rtk_event_t *ev, void *ud)
{
    editor_t *ed = ud;
    const lsp_result_t *r = ev->data;
    ed->diag_results++;
    if (r->version == ed->buf.version)
        ed->diagnostics = r->diagnostics; /* stale answers are ignored */
    rtk_render_request(rt);
    return RTK_HANDLED;
}

int keys_subscribe(editor_t *ed)
{
    rtk_id_t sub;
    return rtk_subscribe(ed->rt, EV_DIAGNOSTICS, RTK_PRIORITY_NORMAL,
                         on_diagnostics, ed, &sub);
}

/* The debounce: push the pending one-shot back, or arm a fresh one. */
static void restart(editor_t *ed, rtk_id_t *id, uint64_t delay_ns,
                    rtk_task_fn fn, const char *name)
{
    rtk_timer_desc_t d;
    rtk_timer_desc_init(&d, fn, ed); /* NORMAL priority */
    d.delay_ns = delay_ns;
    d.name = name;
    rtk_timer_debounce(ed->rt, id, &d);
}

static void reflow_some(void *ctx)
{
    editor_t *ed = ctx;
    size_t n = buf_len(&ed->buf);
    for (size_t i = 0; i < 256 && n; i++)
        ed->hl_tokens[0] += buf_char(&ed->buf, (ed->hl_pos + i) % n) == '\n';
}

/* The pathological task: re-wraps "the whole document" for 30 ms. */
static int reflow_task(void *arg)
{
    editor_t *ed = arg;
    ed_spin(knob_cost(&ed->knobs, KNOB_REFLOW, ED_REFLOW_NS), reflow_some, ed);
    ed->reflows++;
    rtk_render_request(ed->rt);
    return 0;
}

static void stall_some(void *ctx)
{
    volatile uint64_t *acc = ctx;
    for (int i = 0; i < 256; i++)
        *acc = *acc * 6364136223846793005ULL + 1442695040888963407ULL;
}

/* The injected regression: blocks the loop for --stall-ms of CPU. */
static int stall_task(void *arg)
{
    editor_t *ed = arg;
    volatile uint64_t acc = ed->stalls;
    ed_spin(knob_cost(&ed->knobs, KNOB_STALL, ed->knobs.stall_ns), stall_some,
            (void *)&acc);
    ed->stalls++;
    return 0;
}

/* --- the key --------------------------------------------------------------- */

int key_task(void *arg)
{
    editor_t *ed = g_editor;
    uintptr_t k = (uintptr_t)arg;
    key_kind_t kind = KEY_KIND(k);
    int changed = 0;
    switch (kind) {
    case KEY_INSERT:
        if (buf_insert(&ed->buf, (char)KEY_PAYLOAD(k)) < 0)
            ed->edit_failures++;
        else
            changed = 1;
        break;
    case KEY_MOVE:
        buf_move(&ed->buf, (buf_move_t)(KEY_PAYLOAD(k) % MOVE__COUNT));
        break;
    default:
        changed = buf_undo(&ed->buf);
        break;
    }
    ed->keys[kind]++;

    /* The screen must show the key: ask for a frame first. */
    ed->cursor_visible = 1;
    rtk_timer_rearm(ed->rt, ed->blink_timer, ED_BLINK_NS);
    rtk_render_request(ed->rt);

    /* Debounce: every key pushes autosave and diagnostics back. */
    restart(ed, &ed->autosave_timer, ED_AUTOSAVE_NS, autosave_fire, "autosave");
    restart(ed, &ed->diag_timer, ED_DIAGNOSTICS_NS, diagnostics_fire,
            "diagnostics");

    if (changed)
        hl_schedule(ed, KEY_HL_US(k) ? KEY_HL_US(k) : 100);
    if (KEY_REFLOW(k)) {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, reflow_task, ed);
        d.name = "reflow";
        rtk_submit(ed->rt, &d, NULL);
    }
    uint64_t handled = ed->keys[0] + ed->keys[1] + ed->keys[2];
    if (ed->knobs.stall_every && handled % ed->knobs.stall_every == 0) {
        rtk_task_desc_t d;
        rtk_task_desc_init(&d, stall_task, ed);
        d.priority = ED_KEY_PRIORITY;
        d.name = "stall";
        if (rtk_submit(ed->rt, &d, NULL) != RTK_OK)
            ed->stalls_refused++;
    }
    return 0;
}
