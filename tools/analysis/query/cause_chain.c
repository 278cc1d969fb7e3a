/* cause_chain.c - walk an item's cause chain and write it as one line
 * (cause_chain.h): shared by `rt-trace top` (the chain column) and
 * `rt-trace lint` (the head of a slow task's chain).
 *
 * Cost: per link five primary-key probes (one UNION ALL statement, reused);
 * the text is O(links).
 */
#include "cause_chain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which item an id is: kind, its cause, and (tasks) source/timer_id. */
static const char lookup_sql[] =
    "SELECT 'task', cause, source, timer_id, NULLIF(name, '') FROM tasks"
    "  WHERE proc = ?1 AND id = ?2"
    " UNION ALL SELECT 'event', cause, NULL, NULL, NULL FROM dispatches"
    "  WHERE proc = ?1 AND id = ?2"
    " UNION ALL SELECT 'command', cause, NULL, NULL, NULL FROM commands"
    "  WHERE proc = ?1 AND id = ?2"
    " UNION ALL SELECT 'timer', cause, NULL, NULL, NULLIF(name, '') FROM timers"
    "  WHERE proc = ?1 AND id = ?2"
    " UNION ALL SELECT 'render_request', cause, NULL, NULL, NULL FROM render_requests"
    "  WHERE proc = ?1 AND id = ?2"
    " LIMIT 1";

int rtt_chain_prepare(sqlite3 *db, sqlite3_stmt **lookup)
{
    return sqlite3_prepare_v2(db, lookup_sql, -1, lookup, NULL);
}

static void set_link(rtt_chain_link_t *l, const char *kind, int64_t id, const char *name)
{
    snprintf(l->text, sizeof l->text, "%s#%lld%s%s%s", kind, (long long)id,
             name ? "(" : "", name ? name : "", name ? ")" : "");
    snprintf(l->kind, sizeof l->kind, "%s", kind);
    snprintf(l->name, sizeof l->name, "%s", name ? name : "");
    l->id = id;
}

/* Two links are alike when only their ids differ (a task that queues the
 * next chunk of its own work). */
static int alike(const rtt_chain_link_t *a, const rtt_chain_link_t *b)
{
    return !strcmp(a->kind, b->kind) && !strcmp(a->name, b->name);
}

int64_t rtt_chain_next_cause(int64_t cause, int source_is_timer, int64_t timer_id)
{
    return cause == 0 && source_is_timer ? timer_id : cause;
}

void rtt_chain_walk(sqlite3_stmt *lk, int64_t proc, const char *kind, int64_t id,
                    const char *name, int64_t cause, rtt_chain_t *c)
{
    c->n = 0;
    c->truncated = 0;
    set_link(&c->links[c->n++], kind, id, name);
    while (cause != 0) {
        if (c->n == RTT_CHAIN_MAX) {
            c->truncated = 1;
            break;
        }
        sqlite3_reset(lk);
        sqlite3_bind_int64(lk, 1, proc);
        sqlite3_bind_int64(lk, 2, cause);
        if (sqlite3_step(lk) != SQLITE_ROW) {
            set_link(&c->links[c->n++], "?", cause, NULL);
            break;
        }
        const char *k = (const char *)sqlite3_column_text(lk, 0);
        const char *nm = (const char *)sqlite3_column_text(lk, 4);
        set_link(&c->links[c->n++], k, cause, nm);
        int is_task = !strcmp(k, "task");
        cause = rtt_chain_next_cause(sqlite3_column_int64(lk, 1),
                                     is_task && sqlite3_column_int64(lk, 2) == 1,
                                     sqlite3_column_int64(lk, 3));
    }
    sqlite3_reset(lk);
}

char *rtt_chain_text(const rtt_chain_t *c)
{
    const rtt_chain_link_t *links = c->links;
    int n = c->n;
    /* an upper bound: every link in full plus, per link, room for a
     * collapsed run's "... (xN name) -> " */
    size_t len = c->truncated ? 8 : 1;
    for (int i = 0; i < n; i++)
        len += strlen(links[i].text) + 4 + sizeof links[i].name + 32;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    *p = '\0';
    if (c->truncated)
        p += sprintf(p, "... -> ");
    /* links[] is item first; print from the root (i = n - 1) down */
    for (int i = n - 1; i >= 0;) {
        int j = i; /* links[j..i] alike */
        while (j > 0 && alike(&links[j - 1], &links[i]))
            j--;
        if (i - j + 1 >= 4) {
            const rtt_chain_link_t *l = &links[i];
            p += sprintf(p, "%s -> ... (x%d %s) -> ", l->text, i - j - 1,
                         l->name[0] ? l->name : l->kind);
            i = j; /* the run's last link is printed below */
        }
        p += sprintf(p, "%s%s", links[i].text, i ? " -> " : "");
        i--;
    }
    return s;
}
