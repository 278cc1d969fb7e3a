/* cause_chain.h - an item's cause chain, walked up through the tasks,
 * event dispatches, commands, timers and render requests of its process
 * (cause_chain.c). `rt-trace top` prints it; `rt-trace lint` names its
 * head (the root) in a finding.
 *
 * A task run by a timer fire whose cause is 0 continues at its timer. An
 * id found nowhere (its events were lost) is a "?" link and ends the
 * chain. Chains are capped at RTT_CHAIN_MAX links (a cycle): truncated is
 * then set and the head is the last link walked.
 *
 * Cost: per link one primary-key probe in each of five tables.
 */
#ifndef RTT_CAUSE_CHAIN_H
#define RTT_CAUSE_CHAIN_H

#include <sqlite3.h>
#include <stdint.h>

#define RTT_CHAIN_MAX 64

typedef struct rtt_chain_link {
    char text[96]; /* "task#13(parse)", "command#12", "?#40" */
    char kind[16]; /* task, event, command, timer, render_request, ? */
    int64_t id;
    char name[72]; /* "" when the item has none */
} rtt_chain_link_t;

typedef struct rtt_chain {
    rtt_chain_link_t links[RTT_CHAIN_MAX]; /* [0] the item, [n-1] the head */
    int n;
    int truncated;
} rtt_chain_t;

/* Prepare the lookup statement the walk uses (finalize it when done).
 * Returns SQLITE_OK or an SQLite error code. */
int rtt_chain_prepare(sqlite3 *db, sqlite3_stmt **lookup);

/* The next cause of an item: its cause, or for a task fired by a timer
 * (source 1) without one, its timer. */
int64_t rtt_chain_next_cause(int64_t cause, int source_is_timer, int64_t timer_id);

/* Walk the chain of item (kind, id, name or NULL) of proc whose cause (as
 * rtt_chain_next_cause gives it) is `cause`, into *c. */
void rtt_chain_walk(sqlite3_stmt *lookup, int64_t proc, const char *kind, int64_t id,
                    const char *name, int64_t cause, rtt_chain_t *c);

/* The chain as one line, root first; a run of 4 or more consecutive links
 * of the same kind and name (a task re-queuing itself) shows its first and
 * last link and the count between: "command#100 -> task#101(chunk) -> ...
 * (x48 chunk) -> task#150(chunk)". A truncated chain starts with "... -> ".
 * Returns a malloc'ed string, or NULL when out of memory. */
char *rtt_chain_text(const rtt_chain_t *c);

/* The head (root) link. */
static inline const rtt_chain_link_t *rtt_chain_head(const rtt_chain_t *c)
{
    return &c->links[c->n - 1];
}

#endif
