/* live_ix.c - interactions in the live view (see live_internal.h): the
 * interactions model (analysis/interactions, the one `rt-trace
 * interactions` uses) rebuilt over the last 12 s of the database
 * (--record, or the dashboard's temporary one) each interval, or less
 * often when that is costly. Cost: O(rows of the last 12 s) per pass,
 * bounded to a fifth of the time: a pass that took T waits 4T (at most
 * IX_MAX_WAIT_S) before the next, which counts all it skipped. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "live_internal.h"
#include "mono.h"

#include "interactions.h"

#include <stdio.h>
#include <stdlib.h>

/* The last pass's worst list, those still in the last 10 s, into s. */
static void worst_from_last(const rtt_live_t *l, rtt_live_snapshot_t *s)
{
    for (int j = 0; j < l->ix_nworst && s->nworst < RTT_LIVE_WORST; j++)
        if (l->ix_worst[j].ts >= l->watermark - IX_WORST_NS)
            s->worst[s->nworst++] = l->ix_worst[j];
}

/* --- interactions (with a database) ----------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t ix_key(const rtt_interaction_t *ix)
{
    uint64_t h = (uint64_t)ix->proc * 0x9E3779B97F4A7C15ull;
    h ^= ix->command_id + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    h ^= ix->input_id + 0x85EBCA77C2B2AE63ull + (h << 6) + (h >> 2);
    return h;
}

/* The vpid of database process `proc`, 0 if unknown. */
static int64_t proc_vpid(sqlite3 *db, int64_t proc)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(db, "SELECT vpid FROM procs WHERE proc = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, proc);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

/* The interactions model (analysis/interactions, the one `rt-trace
 * interactions` uses) over what the database holds of the last 12 s:
 * each interaction whose render completed is counted once into the
 * interaction window, and the worst of the last 10 s go to s->worst with
 * the head of their chain; between passes (cost bound, top of the file)
 * the last pass's worst list. Cost: O(rows of the last 12 s) per pass. */
void rtt__live_interactions(rtt_live_t *l, rtt_live_snapshot_t *s)
{
    if (!l->db || !l->watermark)
        return;
    double t0 = rtt_mono_s();
    if (t0 < l->ix_next && !l->finished) { /* the next pass covers this one */
        worst_from_last(l, s);
        return;
    }
    int64_t from = l->watermark - IX_LOOKBACK_NS;
    rtt_interactions_t *set = NULL;
    char err[256];
    if (rtt_interactions_load_since(l->db, from, &set, err, sizeof err) != 0)
        return;
    size_t n = rtt_interactions_count(set);
    uint64_t *keys = n ? malloc(n * sizeof *keys) : NULL;
    size_t *idx = n ? malloc(n * sizeof *idx) : NULL;
    size_t nk = 0;
    for (size_t i = 0; keys && i < n; i++) {
        const rtt_interaction_t *ix = rtt_interactions_get(set, i);
        if (!ix->has_render)
            continue;
        uint64_t k = ix_key(ix);
        keys[nk++] = k;
        if (l->ix_keys && bsearch(&k, l->ix_keys, l->ix_nkeys, sizeof k, cmp_u64))
            continue; /* counted in an earlier interval */
        rtt_window_add(&l->win[RTT_LIVE_INTERACTION], ix->latency_ns);
        l->total.interactions++;
    }
    if (keys) {
        qsort(keys, nk, sizeof *keys, cmp_u64);
        free(l->ix_keys);
        l->ix_keys = keys;
        l->ix_nkeys = nk;
    }
    size_t nw = idx ? rtt_interactions_worst(set, n, idx) : 0;
    l->ix_nworst = 0;
    for (size_t j = 0; j < nw && l->ix_nworst < RTT_LIVE_WORST; j++) {
        const rtt_interaction_t *ix = rtt_interactions_get(set, idx[j]);
        if (ix->sent_ts < l->watermark - IX_WORST_NS)
            continue;
        rtt_live_worst_t *w = &l->ix_worst[l->ix_nworst++];
        snprintf(w->name, sizeof w->name, "%s",
                 ix->name && ix->name[0] ? ix->name : ix->input_id ? "input" : "");
        w->id = ix->input_id ? ix->input_id : ix->command_id;
        w->pid = proc_vpid(l->db, ix->proc);
        w->ts = ix->sent_ts;
        w->latency_ns = ix->latency_ns;
        rtt_interactions_chain(set, idx[j], w->cause, sizeof w->cause);
    }
    free(idx);
    rtt_interactions_free(set);
    worst_from_last(l, s);
    double wait = 4 * (rtt_mono_s() - t0);
    l->ix_next = t0 + (wait < IX_MAX_WAIT_S ? wait : IX_MAX_WAIT_S);
}
