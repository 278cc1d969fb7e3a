/* knobs.c - the regression knobs: the names --slow accepts, parsing them,
 * scaling a simulated cost, and the summary line. The names are the trace
 * names of the work whose cost editor-sim simulates by spinning (spin.c);
 * the other names it traces (key_*, diagnostics, cursor_blink) do only
 * their real O(1) work, so there is nothing to scale and --slow refuses
 * them. Costs: O(1) per scaled cost, O(KNOB__COUNT) to parse or print. */
#include "knobs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[KNOB__COUNT] = {
    "highlight", "reflow", "autosave", "stall"};

/* Traced by editor-sim, but with no simulated cost. */
static const char *const unscaled[] = {
    "key_insert", "key_move", "key_undo", "diagnostics", "cursor_blink"};

static void print_known(void)
{
    for (int i = 0; i < KNOB__COUNT; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", names[i]);
}

int knobs_parse_slow(knobs_t *k, const char *val)
{
    const char *eq = strchr(val, '=');
    if (!eq || eq == val) {
        fprintf(stderr, "editor-sim: --slow: expected NAME=FACTOR, got '%s'\n",
                val);
        return -1;
    }
    size_t n = (size_t)(eq - val);
    int id = -1;
    for (int i = 0; i < KNOB__COUNT; i++)
        if (strlen(names[i]) == n && !strncmp(val, names[i], n))
            id = i;
    if (id < 0) {
        int traced = 0;
        for (size_t i = 0; i < sizeof unscaled / sizeof unscaled[0]; i++)
            traced |= strlen(unscaled[i]) == n && !strncmp(val, unscaled[i], n);
        if (traced)
            fprintf(stderr, "editor-sim: --slow: '%.*s' has no simulated cost "
                            "to scale (known: ", (int)n, val);
        else
            fprintf(stderr, "editor-sim: --slow: unknown task name '%.*s' "
                            "(known: ", (int)n, val);
        print_known();
        fputs(")\n", stderr);
        return -1;
    }
    if (k->slow[id] != 0) {
        fprintf(stderr, "editor-sim: --slow: '%s' given twice\n", names[id]);
        return -1;
    }
    const char *s = eq + 1;
    char *end;
    errno = 0;
    double f = strtod(s, &end);
    if (!*s || *end || errno || !(f >= 0.01 && f <= 100)) {
        fprintf(stderr, "editor-sim: --slow: %s: expected a factor from 0.01 "
                        "to 100, got '%s'\n", names[id], s);
        return -1;
    }
    k->slow[id] = f;
    return 0;
}

uint64_t knob_cost(const knobs_t *k, knob_id_t id, uint64_t ns)
{
    double f = k->slow[id];
    return f == 0 ? ns : (uint64_t)((double)ns * f + 0.5);
}

void knobs_print(const knobs_t *k, uint64_t stalls, uint64_t stalls_refused,
                 FILE *f)
{
    const char *sep = "  knobs: slow: ";
    for (int i = 0; i < KNOB__COUNT; i++) {
        if (k->slow[i] == 0)
            continue;
        fprintf(f, "%s%s x%g", sep, names[i], k->slow[i]);
        sep = ", ";
    }
    if (k->stall_every) {
        fprintf(f, "%sstall: %g ms every %" PRIu64 " keys, %" PRIu64
                   " stalls", *sep == ',' ? "; " : "  knobs: ",
                (double)k->stall_ns / 1e6, k->stall_every, stalls);
        if (stalls_refused)
            fprintf(f, " (%" PRIu64 " refused)", stalls_refused);
        sep = ", ";
    }
    if (*sep == ',')
        fputc('\n', f);
}
