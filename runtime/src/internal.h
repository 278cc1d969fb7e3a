/* internal.h - what librtk's modules share: the item record that flows
 * through every queue, the queue types, and struct rtk_runtime.
 *
 * The path of a task, by file:
 *   task.h rtk_submit -> work_queue.c (mpsc_ring.c, then prio_fifo.c)
 *   -> executor.c (runs it, traces task_started/finished) -> trace.h
 *   -> LTTng -> rt-trace ingest -> tasks table -> rt-trace latency.
 */
#ifndef RTK_INTERNAL_H
#define RTK_INTERNAL_H

#include <rtk/rtk.h>

#include "alloc.h"

#include <assert.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define RTK__CACHELINE 64

/* A spin-wait hint for the few places that wait out another thread. */
/* a + b, or UINT64_MAX when that overflows: a time plus a caller's
 * duration (RTK_FOREVER and other huge values stay in the future). */
static inline uint64_t rtk__sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* a * b, or UINT64_MAX when that overflows. */
static inline uint64_t rtk__sat_mul(uint64_t a, uint64_t b)
{
    return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static inline void rtk__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* task sources (trace field task_queued.source). RTK__SRC_BLOCK is no
 * queued task's: a FIFO item that stands for the tasks of a block, or of a
 * series of task cells, still in a producer's ring
 * (rtk__prod_take_block), and a task popped from one with more of it
 * behind it (the executor may run those on without a pop each). Never
 * traced. The odd ones are the executor's one test. */
enum {
    RTK__SRC_SUBMIT = 0,
    RTK__SRC_TIMER = 1,
    RTK__SRC_COMMAND = 2,
    RTK__SRC_BLOCK = 3
};
/* event paths (trace field event_*.path) */
enum { RTK__PATH_QUEUE = 0, RTK__PATH_ASYNC = 1, RTK__PATH_DIRECT = 2 };
/* task outcomes (trace field task_finished.outcome) */
enum {
    RTK__OUT_OK = 0,
    RTK__OUT_FAILED = 1,
    RTK__OUT_ABANDONED = 2,
    RTK__OUT_VOIDED = 3
};

/* One queued thing: a task, an event or a command. 56 bytes, copied by
 * value through rings and FIFOs so nothing on the hot path allocates; with
 * its sequence number a ring cell is exactly one cache line, so producers
 * on two cores never write the same line. A task's name is not kept: it is
 * traced (task_queued) where the task enters the queue. */
typedef struct rtk__item {
    rtk_id_t id;
    rtk_id_t cause;
    rtk_priority_t priority;
    uint8_t source; /* task: RTK__SRC_*; event: RTK__PATH_* */
    uint8_t cmd;    /* command: rtk_command_kind_t */
    uint16_t pad_;
    union {
        struct {
            rtk_task_fn fn;
            void *arg;
            rtk_id_t timer_id;  /* source TIMER: the timer that fired */
            uint32_t timer_gen; /* its arm generation then (void check) */
            uint32_t pad_;
        } task;
        struct {
            uint32_t type;
            uint32_t pad_;
            void *data;
            void (*dtor)(void *);
            rtk_scope_t *scope;
        } event;
        struct { /* the task it schedules carries the id command id + 1 */
            rtk_task_fn fn;
            void *arg;
            const char *name;
            rtk_id_t task_cause; /* 0: the command's id */
        } command;
        struct { /* RTK__SRC_BLOCK: id is its next task's */
            struct rtk__seg *seg; /* the segment that holds it */
            size_t h;       /* its header's position there; a series'
                               first cell's */
            uint16_t t, n;  /* its next task, its tasks */
            uint16_t slot;  /* the producer's (wq_prod) */
            uint8_t single; /* a series: task cells, one task each */
            uint8_t pad_;
        } block;
    } u;
} rtk__item_t;

/* ---- mpsc_ring.c: bounded lock-free ring, many producers, one consumer. */
typedef struct rtk__ring_cell {
    _Alignas(RTK__CACHELINE) atomic_size_t seq;
    rtk__item_t item;
} rtk__ring_cell_t;

#ifndef __cplusplus
_Static_assert(sizeof(rtk__item_t) == 56, "an item is 56 bytes");
_Static_assert(sizeof(rtk__ring_cell_t) == RTK__CACHELINE,
               "a ring cell is one cache line");
#endif

typedef struct rtk__ring {
    rtk__ring_cell_t *cells;
    size_t mask;
    size_t limit;                          /* max items (<= mask + 1) */
    _Alignas(RTK__CACHELINE) atomic_size_t count; /* reserved slots */
    _Alignas(RTK__CACHELINE) atomic_size_t enqueue_pos;
    _Alignas(RTK__CACHELINE) size_t dequeue_pos; /* consumer only */
} rtk__ring_t;

int rtk__ring_init(rtk__ring_t *r, size_t limit);
void rtk__ring_finish(rtk__ring_t *r);
/* Reserve a place under `limit`: false when full. Then ring_put. */
bool rtk__ring_reserve(rtk__ring_t *r);
void rtk__ring_unreserve(rtk__ring_t *r);
/* Put an item into a reserved place in three steps, for k items under k
 * reservations: claim k consecutive positions (returns the first), fill
 * each position's slot, publish each (in any order; the consumer takes
 * them in position order). Inline: they are a producer's whole per-item
 * path (mpsc_ring.c says why they are safe). */
static inline size_t rtk__ring_claim(rtk__ring_t *r, size_t k)
{
    return atomic_fetch_add_explicit(&r->enqueue_pos, k, memory_order_relaxed);
}
static inline rtk__item_t *rtk__ring_slot(rtk__ring_t *r, size_t pos)
{
    rtk__ring_cell_t *c = &r->cells[pos & r->mask];
    while (atomic_load_explicit(&c->seq, memory_order_acquire) != pos)
        rtk__cpu_relax();
    return &c->item;
}
/* the cell found from the slot, not from the ring, whose fields the
 * item's stores would make the compiler load again */
static inline void rtk__ring_publish(rtk__item_t *slot, size_t pos)
{
    rtk__ring_cell_t *c =
        (rtk__ring_cell_t *)((char *)slot - offsetof(rtk__ring_cell_t, item));
    atomic_store_explicit(&c->seq, pos + 1, memory_order_release);
}
/* Publish an item into a reserved place. Never fails. */
static inline void rtk__ring_put(rtk__ring_t *r, const rtk__item_t *it)
{
    size_t pos = rtk__ring_claim(r, 1);
    rtk__item_t *slot = rtk__ring_slot(r, pos);
    *slot = *it;
    rtk__ring_publish(slot, pos);
}
/* Consumer: take the oldest published item; false if none. Does not
 * release the reservation (callers decide when the item leaves). */
bool rtk__ring_take(rtk__ring_t *r, rtk__item_t *out);
bool rtk__ring_maybe_nonempty(const rtk__ring_t *r);

/* ---- wq_producers.c: a ring per producing thread (one producer, the loop
 * consuming), so that another thread's submit costs no read-modify-write
 * on a line other threads write. A ring is a chain of segments, each a
 * power-of-two array of cells (rtk__pcell_t, below): a full segment is
 * followed by one twice its size (up to a cap; then one of the same
 * size), and a segment the loop has left goes back to the producer for
 * reuse.
 * One producer, so not the shared ring's protocol: the producer publishes
 * cell p with seq = p + 1; the loop does not write cells back, it stores
 * how far it has read (`consumed`) once per drain, and the producer reads
 * that only when its cached limit says full. So per item the producer
 * loads no line the loop writes. */

/* A cell of a producer's own ring: half a cache line, so one line carries
 * two tasks between the cores. A task's id and cause are not in it: the
 * loop counts ids on from a mark, and takes the cause of the last mark. A
 * producer writes a mark before a task whose id does not follow the one
 * before it in its ring, or whose cause differs (a thread that only
 * submits takes consecutive ids from its block: marks are rare). Marks
 * take no place in the queue.
 *
 * A batch (rtk_submit_many) of 4 or more tasks of one priority and cause
 * with consecutive ids goes as a *block*: a header cell (the priority, the
 * first id and the cause, as a mark's) and behind it payload cells of two
 * tasks each (function and argument), four tasks a line; the header is
 * published last, so the loop reads the block whole. A payload cell has
 * no sequence word: its first word, where one would be, holds the first
 * function's address complemented, above any position, so a payload left
 * from an earlier lap never reads as published (the second's is
 * complemented too, so that either lane is read the same way). The loop
 * that has taken only part of a block (its FIFO had no memory) writes how
 * many into the header: the cells from the loop's position on are its own
 * until it says, through `consumed`, that it is done with them.
 *
 * A *series* is the loop's, not the producer's: task cells one after the
 * other, published, of one priority, with no mark among them (so one
 * cause and consecutive ids), as a thread that sends one task per call
 * leaves them. The loop refers to RTK__SERIES_MIN or more of them with
 * one FIFO item, as to a block, and runs them from the ring. */
enum { RTK__PC_TASK = 0, RTK__PC_MARK = 1, RTK__PC_BLOCK = 2 };
#define RTK__BLOCK_MIN 4   /* fewer tasks go one cell each */
#define RTK__SERIES_MIN 4 /* fewer task cells are copied into the FIFO */
#define RTK__SERIES_MAX 65535 /* the FIFO item's count is 16 bits */
#define RTK__BLOCK_MAX 256 /* tasks in a block (10 bits below) */
typedef union rtk__pcell {
    struct {
        atomic_size_t seq; /* its position + 1 once published, as ring cells */
        rtk_priority_t priority; /* a task's, a block's */
        /* RTK__PC_*; a block's also: its tasks << 12, taken << 2 */
        uint32_t mark;
        union {
            rtk_task_fn fn;
            rtk_id_t id; /* a mark: the id of the next task; a block: of
                            its first task not taken */
        } a;
        union {
            void *arg;
            rtk_id_t cause; /* the cause of the tasks from here */
        } b;
    };
    struct rtk__blk_lane { /* a block's payload: two tasks */
        uintptr_t nfn;     /* ~(uintptr_t)fn */
        void *arg;
    } lane[2];
} rtk__pcell_t;
#ifndef __cplusplus
_Static_assert(sizeof(rtk__pcell_t) == RTK__CACHELINE / 2,
               "a producer's cell is half a cache line");
#endif
static inline uint32_t rtk__blk_mark(size_t tasks, size_t taken)
{
    return RTK__PC_BLOCK | (uint32_t)tasks << 12 | (uint32_t)taken << 2;
}
static inline size_t rtk__blk_tasks(uint32_t mark)
{
    return mark >> 12;
}
static inline size_t rtk__blk_taken(uint32_t mark)
{
    return mark >> 2 & 0x3ff;
}
/* positions a block of n tasks takes: its header and n / 2 rounded up */
static inline size_t rtk__blk_cells(size_t n)
{
    return 1 + (n + 1) / 2;
}
/* A submitted task's item (a name is traced, not kept). */
static inline __attribute__((always_inline)) void
rtk__fill_task(rtk__item_t *s, rtk_id_t id, rtk_id_t cause, rtk_priority_t prio,
               rtk_task_fn fn, void *arg)
{
    s->id = id;
    s->cause = cause;
    s->priority = prio;
    s->source = RTK__SRC_SUBMIT;
    s->u.task.fn = fn;
    s->u.task.arg = arg;
    s->u.task.timer_id = 0; /* timer_gen is read only for timer fires */
}
/* The payload cell of task t of the block whose header is at position h:
 * tasks 2k and 2k+1 share the k-th cell after the header. */
static inline __attribute__((always_inline)) size_t
rtk__blk_pay_pos(size_t h, size_t t)
{
    return h + 1 + t / 2;
}
/* The function and argument of a block's payload lane. Both lanes'
 * functions are complemented (only the first word of a cell must be, to
 * read as no sequence number), so every lane reads the same way. */
static inline __attribute__((always_inline)) void
rtk__lane_task(const struct rtk__blk_lane *l, rtk_task_fn *fn, void **arg)
{
    *fn = (rtk_task_fn)~l->nfn;
    *arg = l->arg;
}
/* Those of lane t & 1 of payload cell pay: the lane is an index, no
 * branch. */
static inline __attribute__((always_inline)) void
rtk__blk_lane(const rtk__pcell_t *pay, size_t t, rtk_task_fn *fn, void **arg)
{
    rtk__lane_task(&pay->lane[t & 1], fn, arg);
}
/* The function and argument of task t of the block whose header is at
 * position h: its payload cell, then its lane. */
static inline __attribute__((always_inline)) void
rtk__blk_task(const rtk__pcell_t *cells, size_t mask, size_t h, size_t t,
              rtk_task_fn *fn, void **arg)
{
    rtk__blk_lane(&cells[rtk__blk_pay_pos(h, t) & mask], t, fn, arg);
}
/* Task t of that block as an item (its id, cause and priority: the
 * header's). */
static inline __attribute__((always_inline)) void
rtk__blk_item(rtk__item_t *s, const rtk__pcell_t *cells, size_t mask, size_t h,
              size_t t, rtk_id_t id, rtk_id_t cause, rtk_priority_t prio)
{
    rtk_task_fn fn;
    void *arg;
    rtk__blk_task(cells, mask, h, t, &fn, &arg);
    rtk__fill_task(s, id, cause, prio, fn, arg);
}
/* A task cell as the loop's item, with the id and cause its marks give. */
static inline __attribute__((always_inline)) void
rtk__pcell_item(rtk__item_t *s, const rtk__pcell_t *c, rtk_id_t id, rtk_id_t cause)
{
    rtk__fill_task(s, id, cause, c->priority, c->a.fn, c->b.arg);
}

typedef struct rtk__seg {
    _Alignas(RTK__CACHELINE) _Atomic(struct rtk__seg *) next;
    size_t mask;
    _Alignas(RTK__CACHELINE) atomic_size_t consumed; /* the loop's */
    /* the loop's (0 from seg_new, and whenever it goes back to the
     * producer): FIFO items that refer to blocks in it, and while there
     * are any, the header position of the first referred to since there
     * were none, which `consumed` stays at (rtk__prod_take_block) */
    size_t refs, hold;
    _Alignas(RTK__CACHELINE) rtk__pcell_t cells[]; /* on lines of their own */
} rtk__seg_t;

#define RTK__PRODUCERS 64 /* threads with a ring of their own per runtime */
/* Cells of segments the loop has read past that a ring's referred-to
 * blocks may keep from its producer, beyond what copies of their tasks
 * into the FIFO would take (work_queue.c, refer_block): two of the
 * largest segments. */
#define RTK__HELD_CELLS 8192

typedef struct rtk__producer {
    /* written once, before `ready` (seq_cst), read after it */
    _Alignas(RTK__CACHELINE) _Atomic int ready;
    const void *owner;  /* the producing thread (a TLS address of it) */
    rtk__seg_t *seg0;   /* its first segment (NULL: diverted from the start) */
    /* the producing thread's */
    _Alignas(RTK__CACHELINE) _Atomic int busy; /* in a submit */
    /* places it holds in wq_count with no task in them: its own between
     * reclaims (plain loads and stores), exchanged while one is on */
    atomic_size_t credit;
    uint32_t seen; /* the reclaim it last saw begun (reclaim_start) */
    size_t left;   /* the credit it left at its last submit */
    uint32_t cool; /* submits to go taking 1 place, after a reclaim took
                      its credit (no chunk to be taken back each tick) */
    /* the loop does not look at this ring at every pop (it has been empty
     * a while): a producer that publishes while it is set raises
     * wq_rescan (written by the loop, read after each publish) */
    _Atomic int retired;
    rtk_priority_t psent; /* the most urgent priority it has sent */
    rtk__seg_t *pseg;     /* the segment it writes */
    size_t ppos;          /* its next position there */
    size_t plimit;        /* positions below it are free (consumed + size) */
    rtk__seg_t *pfree;    /* spares taken, not used yet (linked by next) */
    rtk_id_t pid, pcause; /* the id and cause the loop gives its next task */
    bool diverted; /* a segment could not be allocated: the shared ring now */
    /* the loop's */
    _Alignas(RTK__CACHELINE) rtk__seg_t *cseg; /* the segment it reads */
    size_t cpos; /* positions go on across segments (cells[pos & mask]) */
    rtk_id_t cid, ccause; /* the next task's id and cause (from the marks) */
    /* FIFO items that refer to blocks in its ring (a ring with items
     * referred to stays watched: rtk__wq_pop_fast looks for them only
     * while some ring is), the tasks those blocks had, and the cells of the
     * segments the loop has read past that they keep from the producer */
    uint32_t crefs;
    size_t rtasks, held_cells;
    /* segments the loop has read past, for the producer's next ones: a
     * stack linked through `next` (the loop pushes, the producer takes
     * all at once into its pfree) */
    _Atomic(rtk__seg_t *) spare;
    int32_t wi; /* its entry in wq_watch, -1 while retired */
} rtk__producer_t;

/* ---- prio_spread.c: the priorities the levels have no room for, sorted
 * on demand. Loop thread only. A key is (priority << 32 | slot), the slot
 * being the item's index in items: slots are handed out in push order and
 * not re-used until a compaction renumbers them in key order, so key
 * order is priority order, FIFO within a priority. */
typedef uint64_t rtk__spread_key_t;

static inline uint32_t rtk__sp_slot(rtk__spread_key_t k)
{
    return (uint32_t)k;
}

static inline rtk_priority_t rtk__sp_prio(rtk__spread_key_t k)
{
    return (rtk_priority_t)(k >> 32);
}

/* slot < cap <= UINT32_MAX (sp_grow): no truncation needed, none paid */
static inline rtk__spread_key_t rtk__sp_key(rtk_priority_t prio, size_t slot)
{
    return (rtk__spread_key_t)prio << 32 | slot;
}

typedef struct rtk__spread {
    size_t len;              /* items queued (first: the FIFO's hot check) */
    rtk__item_t *items;      /* cap slots, [0, used) handed out */
    rtk__item_t *items2;     /* cap slots: gather() puts items in order here */
    rtk__spread_key_t *keys; /* [head, sorted): the sorted run; [sorted,
                              * hend): a binary min-heap; [hend, klen):
                              * new keys in push order, not yet placed */
    rtk__spread_key_t *tmp;  /* scratch for sort and merge, cap entries */
    size_t cap, used;
    size_t head, sorted, hend, klen; /* klen <= used: a key per slot at most */
    size_t pf_end;           /* pops fetch the item 16 ahead while
                              * head + 16 < pf_end: the sorted run's end
                              * when it is long and its items out of key
                              * order, else 0 (settle) */
    size_t peak;             /* most queued since the spread was empty, as
                              * of the last settle (every pop after a push
                              * settles first, so no peak is missed) */
    bool front_heap;         /* the last front came from the heap */
} rtk__spread_t;

void rtk__sp_finish(rtk__spread_t *s);
/* A place for an item of priority `prio`, for the caller to fill; NULL on
 * ENOMEM (nothing changed). */
rtk__item_t *rtk__sp_append(rtk__spread_t *s, rtk_priority_t prio);
/* The lowest (priority, push order) item; s->len must be non-zero.
 * Places what was pushed since the last call. Never allocates. */
rtk__item_t *rtk__sp_front(rtk__spread_t *s);
/* Remove the item rtk__sp_front just returned. */
void rtk__sp_drop_front(rtk__spread_t *s);

/* ---- prio_fifo.c: FIFO per priority level, lowest level first, for up to
 * RTK__PF_LEVELS distinct priorities; more go to the spread (above). Loop
 * thread only. Levels are kept sorted; push/pop are O(1) for a level seen
 * before (amortised), O(levels) to add a new level. All items of one
 * priority are in one of the two at any time (prio_fifo.c), so FIFO within
 * a priority holds across them. */
#define RTK__PF_LEVELS 64
/* Bursts run without levels once they stood aside (prio_fifo.c,
 * "Crowded"). The burst after them re-creates up to 64 levels, a few
 * hundred instructions each (lmap rebuilt every time; the buffers
 * re-used): spread over 17 bursts, a few instructions a task at 256 a
 * burst, about one at 1024. */
#define RTK__PF_CROWD_BURSTS 16
/* The least a burst's share of the spread must be to vote crowded. */
#define RTK__PF_CROWD_MIN 256

typedef struct rtk__fifo {
    rtk_priority_t priority;
    size_t head, len, cap; /* cap is a power of two */
    rtk__item_t *buf;
} rtk__fifo_t;

typedef struct rtk__prio_fifo {
    rtk__fifo_t *levels;
    size_t nlevels, caplevels;
    size_t first;  /* index of the lowest non-empty level (== nlevels: none) */
    size_t last;   /* cache: the level of the previous push to a level */
    size_t len;    /* items in the levels and the spread */
    rtk__spread_t sp; /* its len beside len above: one line for both checks */
    bool front_sp; /* the last front came from the spread */
    uint32_t steal_credit; /* spread pushes since a level changed hands */
    /* hash(priority) -> the index + 1 of the one level with that hash
     * (0: none, RTK__PF_LMAP_MANY: more than one): exact, so a push finds
     * its level, or that it has none, with one probe */
    uint8_t lmap[1024];
    /* Levels standing aside (prio_fifo.c, "crowded"): */
    size_t nowned;        /* levels[0, nowned) own a buffer or NULL (never
                           * under nlevels): those past nlevels are parked
                           * for the next levels */
    uint32_t crowd_left;  /* bursts still to run without levels */
    bool crowd_vote;      /* the last burst the spread placed at once held
                           * more tasks than the levels (and at least
                           * RTK__PF_CROWD_MIN) */
} rtk__prio_fifo_t;

void rtk__pf_init(rtk__prio_fifo_t *q);
void rtk__pf_finish(rtk__prio_fifo_t *q);
/* Out of line: a new level, a full one, or the spread's slow cases. */
rtk__item_t *rtk__pf_append_slow(rtk__prio_fifo_t *q, rtk_priority_t prio);
/* Out of line: the front while the spread holds a heap or keys not yet
 * placed (prio_spread.c, beside that placement). */
rtk__item_t *rtk__pf_front_mixed(rtk__prio_fifo_t *q);
/* The spread emptied (prio_spread.c). */
void rtk__sp_emptied(rtk__spread_t *s);

#define RTK__PF_LMAP_MANY 0xFF
_Static_assert(RTK__PF_LEVELS < RTK__PF_LMAP_MANY,
               "lmap: a level's index + 1 is below MANY");

/* The 10-bit hash of a priority: lmap's index. */
static inline unsigned rtk__pf_hash(rtk_priority_t prio)
{
    return (unsigned)((prio * 0x9E3779B1u) >> 22);
}

static inline rtk__item_t *rtk__pf_level_append(rtk__prio_fifo_t *q,
                                                size_t li)
{
    rtk__fifo_t *f = &q->levels[li];
    /* an empty level starts again at its buffer's start: a refill writes
     * the memory the last fill wrote (hot, faulted in) instead of
     * wrapping into parts of the buffer never touched */
    if (__builtin_expect(f->len == 0, 0))
        f->head = 0;
    rtk__item_t *s = &f->buf[(f->head + f->len) & (f->cap - 1)];
    f->len++;
    q->len++;
    if (li < q->first)
        q->first = li;
    if (!s) /* never: tells the callers' NULL checks they can go */
        __builtin_unreachable();
    return s;
}

/* The spread's push, inline: a slot left (so a key's place too). The
 * key is placed by the next front (prio_spread.c). */
static inline rtk__item_t *rtk__sp_append_fast(rtk__spread_t *s,
                                               rtk_priority_t prio)
{
    size_t slot = s->used;
    if (__builtin_expect(slot >= s->cap, 0))
        return NULL;
    s->used = slot + 1;
    s->keys[s->klen++] = rtk__sp_key(prio, slot);
    s->len++;
    rtk__item_t *it = &s->items[slot];
    if (!it) /* never: tells the callers' NULL checks they can go */
        __builtin_unreachable();
    return it;
}

/* rtk__pf_append_fast's cases past the cached level: one probe of lmap
 * says which level has this priority, if any. Its level, with room (then
 * cached); or, none and the spread in use, the spread's fast push. NULL,
 * nothing changed: a level full, a new one maybe (the spread empty), a
 * hash two levels share (a few of 1024 with 64 levels: out of line, to
 * the search), or the spread out of slots. */
static inline __attribute__((always_inline)) rtk__item_t *
rtk__pf_append_other(rtk__prio_fifo_t *q, rtk_priority_t prio)
{
    size_t li = (size_t)q->lmap[rtk__pf_hash(prio)] - 1;
    if (li < q->nlevels) {
        rtk__fifo_t *f = &q->levels[li];
        if (f->priority == prio) {
            if (f->len == f->cap)
                return NULL;
            q->last = li;
            return rtk__pf_level_append(q, li);
        }
    } else if (li == (size_t)RTK__PF_LMAP_MANY - 1) {
        return NULL;
    }
    if (!q->sp.len)
        return NULL; /* a new level, maybe: out of line */
    rtk__item_t *s = rtk__sp_append_fast(&q->sp, prio);
    if (s) {
        q->len++;
        q->steal_credit++;
    }
    return s;
}

/* The common cases of rtk__pf_append, inline and small enough for the
 * submit fast path (work_queue.c), a leaf: the level of the previous
 * push to a level (a run of one priority pays no hash: `defer`), else
 * rtk__pf_append_other. */
static inline __attribute__((always_inline)) rtk__item_t *
rtk__pf_append_fast(rtk__prio_fifo_t *q, rtk_priority_t prio)
{
    size_t li = q->last;
    if (__builtin_expect(li < q->nlevels, 1)) {
        rtk__fifo_t *f = &q->levels[li];
        if (__builtin_expect(f->priority == prio && f->len < f->cap, 1))
            return rtk__pf_level_append(q, li);
    }
    return rtk__pf_append_other(q, prio);
}

/* Append a place at the back of level `prio` and return it for the caller
 * to fill; NULL on ENOMEM. */
static inline rtk__item_t *rtk__pf_append(rtk__prio_fifo_t *q,
                                          rtk_priority_t prio)
{
    rtk__item_t *s = rtk__pf_append_fast(q, prio);
    return __builtin_expect(s != NULL, 1) ? s : rtk__pf_append_slow(q, prio);
}

static inline int rtk__pf_push(rtk__prio_fifo_t *q, const rtk__item_t *it)
{
    rtk__item_t *s = rtk__pf_append(q, it->priority);
    if (!s)
        return RTK_ENOMEM;
    *s = *it;
    return RTK_OK;
}

/* The item the next pop returns, or NULL. */
static inline rtk__item_t *rtk__pf_front(const rtk__prio_fifo_t *q)
{
    if (q->len == 0)
        return NULL;
    if (__builtin_expect(q->sp.len != 0, 0)) {
        rtk__prio_fifo_t *mq = (rtk__prio_fifo_t *)q;
        rtk__spread_t *sp = &mq->sp;
        /* the spread's keys all in its sorted run (no heap, none new):
         * its head against the levels' front, by the key's priority (the
         * item may not be cached yet) */
        if (sp->klen == sp->sorted) {
            const rtk__spread_key_t k = sp->keys[sp->head];
            if (sp->head + 16 < sp->pf_end)
                __builtin_prefetch(
                    &sp->items[rtk__sp_slot(sp->keys[sp->head + 16])]);
            if (q->len != sp->len) {
                size_t li = q->first;
                while (q->levels[li].len == 0)
                    li++;
                mq->first = li;
                rtk__item_t *lf = &q->levels[li].buf[q->levels[li].head];
                if (q->levels[li].priority < rtk__sp_prio(k)) {
                    mq->front_sp = false;
                    return lf;
                }
            }
            mq->front_sp = true;
            sp->front_heap = false;
            return &sp->items[rtk__sp_slot(k)];
        }
        return rtk__pf_front_mixed((rtk__prio_fifo_t *)q);
    }
    size_t li = q->first;
    while (q->levels[li].len == 0)
        li++;
    ((rtk__prio_fifo_t *)q)->first = li; /* a cache: skipped levels stay empty */
    return &q->levels[li].buf[q->levels[li].head];
}
#define rtk__pf_peek rtk__pf_front

/* The front level's first item gone (no spread involved). */
static inline void rtk__pf_level_drop(rtk__prio_fifo_t *q)
{
    rtk__fifo_t *f = &q->levels[q->first];
    f->head = (f->head + 1) & (f->cap - 1);
    f->len--;
    q->len--;
}

/* Remove the item rtk__pf_front just returned. */
static inline void rtk__pf_drop_front(rtk__prio_fifo_t *q)
{
    if (__builtin_expect(q->sp.len != 0, 0) && q->front_sp) {
        rtk__spread_t *sp = &q->sp;
        q->len--;
        if (sp->front_heap) {
            rtk__sp_drop_front(sp);
            return;
        }
        sp->head++;
        if (--sp->len == 0)
            rtk__sp_emptied(sp);
        return;
    }
    rtk__pf_level_drop(q);
}

/* The item rtk__pf_front just returned (fr), moved to *out and removed.
 * Without a spread the level gives its place up first and the copy comes
 * after: the cell stays as it is until the next append, and no store
 * through *out comes between the front's loads and the drop's, so they
 * are not loaded again. (A spread may free its buffer as it empties: the
 * copy first there.) */
static inline void rtk__pf_take_front(rtk__prio_fifo_t *q,
                                      const rtk__item_t *fr, rtk__item_t *out)
{
    if (__builtin_expect(q->sp.len == 0, 1)) {
        rtk__pf_level_drop(q);
        *out = *fr;
        return;
    }
    *out = *fr;
    rtk__pf_drop_front(q);
}

static inline bool rtk__pf_pop(rtk__prio_fifo_t *q, rtk__item_t *out)
{
    rtk__item_t *fr = rtk__pf_front(q);
    if (!fr)
        return false;
    rtk__pf_take_front(q, fr, out);
    return true;
}

/* ---- id_map.c: u64 key (non-zero) -> u32 value, open addressing. */
typedef struct rtk__id_slot {
    uint64_t key; /* 0: empty */
    uint64_t val;
} rtk__id_slot_t;

typedef struct rtk__id_map {
    rtk__id_slot_t *slots; /* key and value side by side: one cache miss */
    size_t mask, len;
} rtk__id_map_t;

int rtk__map_init(rtk__id_map_t *m, size_t expect);
void rtk__map_finish(rtk__id_map_t *m);
/* Room for `extra` more keys without growing: then puts of new keys
 * cannot fail. RTK_OK or RTK_ENOMEM (the map unchanged). */
int rtk__map_reserve(rtk__id_map_t *m, size_t extra);
int rtk__map_put(rtk__id_map_t *m, uint64_t key, uint32_t val);
bool rtk__map_get(const rtk__id_map_t *m, uint64_t key, uint32_t *val);
bool rtk__map_del(rtk__id_map_t *m, uint64_t key);

/* ---- timer_heap.c */
/* Hot part of a timer, 16 bytes (four a cache line), direct-mapped by id:
 * all that cancel, a queue entry's validity check and a fire task's
 * validity check touch. Free: id 0; armed: seq != 0; else fired. */
typedef struct rtk__tstate {
    rtk_id_t id;  /* 0: free slot; else slot == id & mask */
    uint32_t seq; /* arm seq of its live queue entry; 0: not armed */
    uint32_t gen; /* bumped by re-arm: queued fires of older gens void */
} rtk__tstate_t;

/* Cold part, 56 bytes, in a parallel array: read when the timer fires and
 * when its fire task completes. */
typedef struct rtk__timer {
    rtk_task_fn fn;
    void *arg;
    const char *name;
    rtk_id_t cause;
    uint64_t interval;
    rtk_id_t last_task; /* id of the latest fire task queued */
    uint32_t pending;   /* fire tasks queued and not yet run */
    rtk_priority_t priority;
} rtk__timer_t;

/* 16-byte queue entry, key inline: comparisons never touch a slot. Valid
 * while the slot's state has the same seq. */
typedef struct rtk__tentry {
    uint64_t deadline;
    uint32_t seq;  /* arm order, wrapping, never 0; compared by signed diff */
    uint32_t slot;
} rtk__tentry_t;

typedef struct rtk__tvec {
    rtk__tentry_t *e;
    uint32_t len, cap;
} rtk__tvec_t;

#define RTK__TQ_BUCKETS 1024 /* wheel buckets (a power of two) */

/* A wheel bucket: a chain of fixed-size chunks (timer_queue.c), every one
 * full but the tail; its first entry in (deadline, seq) order kept inline. */
typedef struct rtk__tchunk rtk__tchunk_t;
typedef struct rtk__tbucket {
    rtk__tchunk_t *head, *tail;
    uint32_t len;
    uint32_t tail_len; /* entries in the tail chunk (len's remainder) */
    rtk__tentry_t min; /* valid while len > 0 */
} rtk__tbucket_t;

/* The chunks' pool: a LIFO free list (a freed chunk is the next one used,
 * still in cache) over blocks; the first block is sized for max_timers and
 * faulted in at create, later ones come and go with bursts. */
typedef struct rtk__tpool {
    rtk__tchunk_t *free;
    void *first;       /* the block reserved at create */
    void *extra;       /* blocks added since, chained through their head */
    size_t first_chunks, extra_chunks;
} rtk__tpool_t;

/* Deadline queue (timer_queue.c): the bucket coming due, sorted; a small
 * 4-ary heap for entries added before it; a wheel of unsorted buckets
 * behind it; a heap for the far rest. */
typedef struct rtk__tqueue {
    rtk__tvec_t run;   /* the bucket being drained, sorted: e[at, len) */
    uint32_t at;
    int from;          /* which part held the entry tq_min returned */
    rtk__tvec_t near;  /* 4-ary heap: entries for buckets < cur */
    rtk__tvec_t far;   /* 4-ary heap: buckets >= cur + RTK__TQ_BUCKETS */
    rtk__tbucket_t *ring; /* ring[b % RTK__TQ_BUCKETS]: bucket b, unsorted */
    rtk__tpool_t pool; /* the buckets' chunks */
    rtk__tvec_t tmp;   /* sort scratch; run and tmp hold the biggest bucket */
    uint64_t bits[RTK__TQ_BUCKETS / 64]; /* nonempty ring buckets */
    /* how many bits are set: an empty ring is one test, not a scan of
     * the 16 words (four scans a tick with no timer on the ring, 400
     * instructions) */
    uint32_t ring_busy;
    uint64_t cur;      /* first bucket on the ring (deadline >> shift) */
    size_t len;        /* entries, stale ones included */
    const rtk__timer_t *slots;  /* the owner's tables, to load ahead the */
    const rtk__tstate_t *state; /* slots of the entries coming due */
} rtk__tqueue_t;

/* The clock timer starts read (timer_clock.c): within RTK__TCLOCK_SLACK_NS
 * above CLOCK_MONOTONIC, a read reused while the TSC shows under half of
 * that has passed. */
#define RTK__TCLOCK_SLACK_NS 1000u
typedef struct rtk__tclock {
    uint64_t tsc, ns;         /* the last read, and the TSC just before it */
    uint64_t last;            /* the last value given: never goes down */
    uint64_t window;          /* TSC ticks a read is reused; 0: none yet */
    uint64_t cal_tsc, cal_ns; /* first read: the TSC rate measured from it */
    bool usable;              /* x86-64 and the kernel's clocksource is tsc */
} rtk__tclock_t;

void rtk__tclock_init(rtk__tclock_t *c);
uint64_t rtk__tclock_now(rtk__tclock_t *c);

typedef struct rtk__timers {
    rtk__tstate_t *state;  /* direct-mapped by id: state[id & mask] */
    rtk__timer_t *slots;   /* parallel to state */
    size_t mask;
    size_t used;           /* armed + fired-awaiting-run slots */
    rtk__tqueue_t q;
    atomic_size_t live;    /* armed timers (loop writes; any thread reads) */
    size_t stale;          /* queue entries that no longer count */
    uint32_t seq;
    size_t max_live;
    rtk__tclock_t clock;   /* what starts and rearms read (no cfg.clock) */
} rtk__timers_t;

int rtk__timers_init(rtk__timers_t *t, size_t max_live);
void rtk__timers_finish(rtk__timers_t *t);

/* ---- event_bus.c */
typedef struct rtk__handler {
    rtk_id_t sub;
    rtk_priority_t priority;
    bool dead;
    rtk_handler_fn fn;
    void *ud;
} rtk__handler_t;

typedef struct rtk__handler_list {
    uint32_t type;
    rtk__handler_t *h;
    size_t n, cap;
    bool dirty;
} rtk__handler_list_t;

typedef struct rtk__bus {
    rtk__handler_list_t *lists;
    size_t nlists, caplists;
    rtk__id_map_t by_type; /* type + 1 -> list index */
    rtk__id_map_t by_sub;  /* subscription id -> list index */
    unsigned depth;        /* dispatches in progress */
    rtk__item_t *inflight; /* copies of the events being dispatched (an
                              abandon unwinds the frames holding them) */
    size_t capinflight;
    struct rtk__pending_sub {
        uint32_t type;
        rtk__handler_t h;
    } *pending;
    size_t npending, cappending;
    bool any_dirty;
} rtk__bus_t;

/* RTK_OK or RTK_ENOMEM: a few in-flight places are allocated up front, so
 * that the tick's dispatches (depth 0) never allocate. */
int rtk__bus_init(rtk__bus_t *b);
void rtk__bus_finish(rtk__bus_t *b);

/* ---- the runtime */
struct rtk_runtime {
    rtk_config_t cfg;
    _Atomic int state;

    /* work queue: producers reserve in wq_count, publish to wq_ring; the
     * loop moves ring items into wq_local (priority order) before running. */
    _Alignas(RTK__CACHELINE) atomic_size_t wq_count;
    rtk__ring_t wq_ring;
    rtk__prio_fifo_t wq_local;
    /* Places the loop holds in wq_count without a task in them (loop
     * thread only): taken in chunks by the loop's own pushes and kept from
     * the tasks it ran, so that neither costs a locked instruction each.
     * At most 2 * wq_credit_max; all handed back at the end of each batch
     * and each tick. */
    size_t wq_credit, wq_credit_max;
    /* The loop's credit set aside by a pop that left the producers' rings
     * unread (nothing there could go before its task: rtk__wq_pop_lazy).
     * With wq_credit and wq_tcredit 0 the loop's next push of a task takes
     * the slow path, which looks at the rings first, as that pop would
     * have, and puts this back (append_local): the fast path tests no flag
     * of its own. Places like the rest of the credit: at most 2 *
     * wq_credit_cap, handed back with it. On a line only the loop uses:
     * written at such pops, it must not share one with what producers
     * read at each submit (gen, wq_prod_n: a flag there halved the
     * one-by-one row, docs/benchmarks.md) */
    size_t wq_aside;
    size_t wq_credit_cap; /* wq_credit_max when not traced (0 when traced) */
    /* The same places while a session listens to the per-task events:
     * then wq_credit stays 0 so that every loop push takes the traced slow
     * path, and that path spends these (at most 2 * wq_credit_cap, handed
     * back with wq_credit) instead of a CAS per push. */
    size_t wq_tcredit;
    /* producers' own rings (wq_producers.c): slots claimed (<=
     * RTK__PRODUCERS), how many the loop reads (loop thread), and how many
     * threads fell back to wq_ring for want of memory (then the loop
     * collects their rings before each wq_ring item: their order). A line
     * of their own, with gen and prod_min, which producers read at every
     * submit: the credit above is written at pops (wq_tcredit and wq_aside
     * at every pop that sets credit aside, traced or not) */
    _Alignas(RTK__CACHELINE) _Atomic uint32_t wq_prod_n;
    uint32_t wq_prod_seen;
    _Atomic uint32_t wq_diverted;
    /* a producer moved to a new segment, published into a retired ring or
     * claimed a slot: the loop looks at every ring (set by a fetch-or, so
     * one exchange syncs with all) */
    _Atomic int wq_rescan;
    uint32_t wq_watch_n; /* entries in wq_watch */
    /* the most urgent priority any other thread has put into its own ring
     * or the shared one (lowered only, by each producer's first task more
     * urgent than all it sent before, rtk__prod_note_prio, and by a
     * shared-ring task more urgent than it, rtk__note_sent_prio): a pop
     * whose next task is at least as urgent leaves the rings alone
     * (rtk__wq_pop_fast), and a block's run goes on (executor.c) */
    _Atomic rtk_priority_t prod_min;
    /* 1 + the slot of the thread running this tick, taken out of the watch
     * list for the tick (it cannot publish while it ticks); 0: none */
    uint32_t wq_self;
    /* the fenced mode (prod_fenced) is settled: a membarrier ran after it
     * was set, so every producer in a submit fences (loop thread) */
    bool prod_fenced_settled;
    uint64_t ran_at_sleep; /* tasks_executed at the last sleep */
    uint64_t gen; /* this runtime's number: a thread's cached slot is its */
    /* taking idle producers' credit back (rtk__prod_reclaim): one at a
     * time; a producer that sees one begun and not done exchanges its
     * credit rather than read it */
    _Alignas(RTK__CACHELINE) _Atomic uint32_t reclaim_start;
    _Atomic uint32_t reclaim_done;
    atomic_uint_fast64_t reclaim_tick; /* loop_count + 1 at the last one */
    pthread_mutex_t reclaim_mu;

    rtk__prio_fifo_t evq;      /* priority event queue (loop thread) */
    atomic_size_t evq_len;     /* evq.len, published for rtk_stats_get */
    rtk__ring_t async_ring;    /* async events */
    rtk__ring_t cmd_ring;      /* commands */
    rtk__timers_t timers;
    rtk__bus_t bus;

    /* wake-ups */
    int efd;
    _Alignas(RTK__CACHELINE) _Atomic int sleeping;
    _Atomic int wake_pending; /* also the futex word rtk_run waits on */
    _Atomic int wake_fd_used; /* rtk_backend_fd was called: wake by eventfd */
    _Atomic int in_run;       /* rtk_run is running (may wait on the futex) */
    /* producers with rings fence their busy store (the loop sleeps often,
     * so it skips the membarrier once that is settled: wq_producers.c);
     * beside `sleeping`, which they read next */
    _Atomic int prod_fenced;
    uint64_t wait_began; /* monotonic ns when the loop said it would wait; 0 if not */
    uint64_t ran_at_wait; /* tasks_executed when rtk_run last went to wait
                             (its look for work first: loop.c) */

    /* render */
    _Alignas(RTK__CACHELINE) _Atomic int render_pending;
    atomic_uint render_requests;
    uint64_t last_render_ns;
    uint64_t frame;
    bool rendered_this_tick;
    bool tick_worked; /* the last tick ran or handled something (rtk_run) */
    bool stop_traced; /* final stats snapshot emitted */

    /* executor */
    rtk__item_t current;
    size_t batch_ran; /* tasks started in the running batch */
    /* rtk_tick calls begun (a tick run from a task moves it: the executor's
     * run of a block's tasks stops then, executor.c) */
    uint32_t tick_n;
    uint64_t task_cpu0; /* the running task's thread CPU clock at its start
                           (config.task_cpu_time, traced batches only) */
    /* A run of a block's tasks straight from a producer's ring
     * (executor.c, run_block) counts its tasks' places, its batch's count
     * and the block's item (next task, next id) once per stretch, not per
     * task. What a stretch owes: fr, the block's item (NULL: nothing
     * owed), and the index and id of its first task not yet counted. Paid
     * when the stretch ends, and before anything could see the debt: a
     * push from a task, a tick run from one, an abandon, a look at the
     * queue's length (rtk__exec_block_settle). */
    struct rtk__blk_run {
        rtk__item_t *fr;
        rtk_id_t id0;
        size_t t0;
        rtk_id_t stop; /* the id past its last task; a settle's: the next */
        size_t fails;  /* its tasks that failed, counted at once */
    } blk_run;
    bool trace_tasks; /* a session listens to the per-task events: sampled
                         at each tick and batch (executor.c) */
    uint64_t next_stats_ns;

    /* counters: the loop's are plain-written by the loop, read relaxed */
    _Alignas(RTK__CACHELINE) atomic_uint_fast64_t drops[RTK_DROP__COUNT];
    atomic_uint_fast64_t tasks_executed, tasks_failed, tasks_voided;
    atomic_uint_fast64_t events_dispatched, async_dispatched;
    atomic_uint_fast64_t timers_fired, timer_missed, commands_handled;
    atomic_uint_fast64_t renders, loop_count, idle_ns;

    /* loop thread: for each ring it looks at at every pop (not retired),
     * the sequence word of its next cell and the value that says
     * published (rtk__watch_ready); the slot, and for how many ticks it
     * has been empty */
    /* (here, not beside wq_watch_n: 1.5 KiB between the loop's hot
     * fields cost the defer row 0.6-1 ns a task: docs/benchmarks.md) */
    struct rtk__watch {
        atomic_size_t *seq;
        size_t want;
        uint32_t slot, idle;
        uint64_t since; /* the tick's clock when it was first found idle */
    } wq_watch[RTK__PRODUCERS];
    /* the producers' slots, last: 12 KiB the loop's own path never
     * touches */
    rtk__producer_t wq_prod[RTK__PRODUCERS];
};

/* common.c */
/* wq_producers.c's cache of the calling thread's slot in rt (claimed at its
 * first submit), NULL when every slot is taken (it then uses wq_ring, as
 * ever). The cached slot is one compare; a thread that feeds two runtimes
 * looks the other up again (a scan of the slots). */
typedef struct rtk__prod_cache {
    const rtk_runtime_t *rt;
    uint64_t gen;
    rtk__producer_t *p;
    /* the quick path's (work_queue.c, schedule_quick): p when its ring
     * takes tasks the light way (a slot, not diverted, membarrier(2)
     * registered), else rtk__prod_none, whose next id (0) no task has:
     * the quick path's id test is then all of those tests */
    rtk__producer_t *quick;
} rtk__prod_cache_t;
/* The quick path's slot when there is none to use: pid 0 (ids are never
 * 0), so that no task matches it. */
extern rtk__producer_t rtk__prod_none;
/* The library's per-thread state, in one block: a function that reads
 * several of its fields finds them from one address (the library's TLS is
 * initial-exec: each variable of its own cost a load of its offset, four
 * in another thread's rtk_schedule). */
typedef struct rtk__tls {
    /* rtk_next_id inline: the thread's current block of ids, refilled out
     * of line once per block */
    uint64_t id_next, id_end;
    rtk_id_t cause; /* the running task's id: what a submit's cause is */
    /* the runtime whose tick is running on this thread, if any: pushes
     * made from inside a tick (tasks, handlers, timer fires, commands) go
     * straight to the loop's private queues; everything else goes through
     * the rings */
    rtk_runtime_t *ticking;
    rtk__prod_cache_t prod;
} rtk__tls_t;
extern _Thread_local rtk__tls_t rtk__tls;
rtk_id_t rtk__next_id_refill(void);
/* Two fresh ids, id and id + 1 (a command and the task it schedules). */
rtk_id_t rtk__next_id_pair(void);
static inline rtk_id_t rtk__next_id(void)
{
    if (__builtin_expect(rtk__tls.id_next != rtk__tls.id_end, 1))
        return rtk__tls.id_next++;
    return rtk__next_id_refill();
}
/* How many consecutive ids the thread's block has left, at least 1 (a
 * fresh block when it has none): rtk__tls.id_next is the first of them. */
static inline size_t rtk__ids_left(void)
{
    if (__builtin_expect(rtk__tls.id_next == rtk__tls.id_end, 0))
        rtk__tls.id_next = rtk__next_id_refill(); /* not taken yet */
    return (size_t)(rtk__tls.id_end - rtk__tls.id_next);
}
static inline rtk_id_t rtk__cause_or_current(rtk_id_t c)
{
    return c ? c : rtk__tls.cause;
}
uint64_t rtk__monotonic_ns(void);
/* Whether this thread is running rt's tick (rtk__tls.ticking). */
static inline bool rtk__on_loop(const rtk_runtime_t *rt)
{
    return rtk__tls.ticking == rt;
}

/* runtime.c */
static inline uint64_t rtk__now(const rtk_runtime_t *rt)
{
    return rt->cfg.clock ? rt->cfg.clock(rt->cfg.clock_ud) : rtk__monotonic_ns();
}
static inline bool rtk__running(const rtk_runtime_t *rt)
{
    return atomic_load_explicit(&rt->state, memory_order_acquire) ==
           RTK_STATE_RUNNING;
}
void rtk__set_state(rtk_runtime_t *rt, rtk_state_t to);
void rtk__count_drop(rtk_runtime_t *rt, rtk_drop_reason_t reason,
                     rtk_item_kind_t kind, rtk_id_t id, rtk_id_t cause,
                     rtk_priority_t priority);
static inline void rtk__set_size(atomic_size_t *c, size_t v)
{
    atomic_store_explicit(c, v, memory_order_relaxed);
}
static inline size_t rtk__get_size(const atomic_size_t *c)
{
    return atomic_load_explicit((atomic_size_t *)c, memory_order_relaxed);
}
static inline void rtk__inc(atomic_uint_fast64_t *c)
{
    /* loop-thread counters: single writer, so a relaxed load+store is
     * enough and avoids a locked instruction on the hot path */
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}
static inline void rtk__add(atomic_uint_fast64_t *c, uint64_t n)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

/* loop.c */
void rtk__wake(rtk_runtime_t *rt);
/* The wake-up itself, once a producer saw the loop sleeping (loop.c). */
void rtk__wake_write(rtk_runtime_t *rt);
/* rtk__wake for a producer whose last seq_cst operation was its reserving
 * RMW on wq_count, which the loop's pre-sleep check reads: no extra fence
 * (loop.c says why). Inline: one load on every cross-thread submit. */
static inline void rtk__wake_reserved(rtk_runtime_t *rt)
{
    if (atomic_load_explicit(&rt->sleeping, memory_order_seq_cst))
        rtk__wake_write(rt);
}

/* work_queue.c */
/* name: the task's name for task_queued (items do not keep it) */
int rtk__wq_push(rtk_runtime_t *rt, const rtk__item_t *it, const char *name);
bool rtk__wq_pop(rtk_runtime_t *rt, rtk__item_t *out);
bool rtk__wq_drain_ring(rtk_runtime_t *rt);
/* The ring's front item (one the FIFO had no memory for), moved to *out. */
bool rtk__wq_pop_spilled(rtk_runtime_t *rt, rtk__item_t *out);
size_t rtk__wq_len(const rtk_runtime_t *rt);
void rtk__wq_credit_release(rtk_runtime_t *rt);
static inline bool rtk__wq_credit_held(const rtk_runtime_t *rt)
{
    return (rt->wq_credit | rt->wq_tcredit | rt->wq_aside) != 0;
}
/* A session started or stopped listening to the per-task events: set
 * rt->trace_tasks; traced, the loop's credit is in wq_tcredit, where the
 * untraced fast path does not look (work_queue.c). */
void rtk__wq_trace_switch(rtk_runtime_t *rt, bool on);
/* Has a producer published into the ring? One load; no call when not. */
static inline bool rtk__ring_ready(const rtk__ring_t *r)
{
    size_t pos = r->dequeue_pos;
    return atomic_load_explicit(&r->cells[pos & r->mask].seq,
                                memory_order_relaxed) == pos + 1;
}
/* Consumer: the oldest published item in place, NULL if none; then
 * rtk__ring_advance frees its cell. Saves a copy over rtk__ring_take. */
static inline rtk__item_t *rtk__ring_front(rtk__ring_t *r)
{
    size_t pos = r->dequeue_pos;
    rtk__ring_cell_t *c = &r->cells[pos & r->mask];
    if (atomic_load_explicit(&c->seq, memory_order_acquire) != pos + 1)
        return NULL;
    return &c->item;
}
static inline void rtk__ring_advance(rtk__ring_t *r)
{
    size_t pos = r->dequeue_pos++;
    atomic_store_explicit(&r->cells[pos & r->mask].seq, pos + r->mask + 1,
                          memory_order_release);
}
/* wq_producers.c. The producer's side: the calling thread's slot in rt
 * (rtk__tls.prod). */
rtk__producer_t *rtk__prod_lookup(rtk_runtime_t *rt);
static inline rtk__producer_t *rtk__prod_of(rtk_runtime_t *rt)
{
    if (__builtin_expect(rtk__tls.prod.rt == rt && rtk__tls.prod.gen == rt->gen,
                         1))
        return rtk__tls.prod.p;
    return rtk__prod_lookup(rt);
}
/* Set once (rtk__prod_setup), then read by every submit from another
 * thread: on a cache line of its own (the type's alignment makes its size
 * a line), so that writes to whatever the linker puts beside it (an
 * application's globals) do not turn each of those reads into a miss. */
typedef struct rtk__membarrier {
    _Alignas(RTK__CACHELINE) int ok;
} rtk__membarrier_t;
extern rtk__membarrier_t rtk__membarrier;
/* A producer's submit (wq_producers.c has the protocol): enter (busy,
 * then the light side of the barrier pair), its credit, ..., leave (the
 * credit left, busy cleared). The light side is a compiler barrier when
 * the process could register for membarrier(2), whose heavy side the loop
 * pays before it sleeps and when it stops; else a full fence. */
static inline void rtk__prod_enter(rtk_runtime_t *rt, rtk__producer_t *p)
{
    if (__builtin_expect(rtk__membarrier.ok, 1)) {
        atomic_store_explicit(&p->busy, 1, memory_order_relaxed);
        atomic_signal_fence(memory_order_seq_cst);
        /* read after the busy store: 0 here means read before the
         * loop's membarrier that settled the fenced mode, which makes
         * the busy store visible to the loop */
        if (__builtin_expect(
                atomic_load_explicit(&rt->prod_fenced, memory_order_relaxed), 0))
            atomic_exchange_explicit(&p->busy, 1, memory_order_seq_cst);
    } else {
        /* seq_cst exchange: the full barrier (the loop's side a fence) */
        atomic_exchange_explicit(&p->busy, 1, memory_order_seq_cst);
    }
}
size_t rtk__prod_credit_exchange(rtk__producer_t *p, uint32_t started);
/* No reclaim begun since p last saw one (`started`, reclaim_start read
 * in its submit), and none under way: p's credit is its own to read and
 * store. */
static inline bool rtk__prod_reclaim_quiet(const rtk_runtime_t *rt,
                                           const rtk__producer_t *p,
                                           uint32_t started)
{
    return started == p->seen &&
           atomic_load_explicit(&rt->reclaim_done, memory_order_acquire) ==
               started;
}
static inline size_t rtk__prod_credit_get(rtk_runtime_t *rt, rtk__producer_t *p)
{
    uint32_t started =
        atomic_load_explicit(&rt->reclaim_start, memory_order_relaxed);
    if (__builtin_expect(rtk__prod_reclaim_quiet(rt, p, started), 1))
        return atomic_load_explicit(&p->credit, memory_order_relaxed);
    return rtk__prod_credit_exchange(p, started);
}
static inline void rtk__prod_leave(rtk__producer_t *p, size_t credit)
{
    p->left = credit;
    atomic_store_explicit(&p->credit, credit, memory_order_relaxed);
    atomic_store_explicit(&p->busy, 0, memory_order_release);
}
/* The heavy side: after the caller's seq_cst fence, every producer's
 * busy store before it is visible and every load after it in a producer
 * sees the caller's stores before it. */
void rtk__prod_barrier(rtk_runtime_t *rt);
/* The loop, about to sleep (rtk_prepare_wait, after its sleeping store and
 * seq_cst fence): the heavy side if the producers' fenced mode is not
 * settled; the mode chosen for what follows by the tasks run since the
 * last sleep. */
void rtk__prod_sleep_barrier(rtk_runtime_t *rt);
/* Once per process: membarrier(2) registered, or not (RTK_MEMBARRIER=0
 * in the environment says not: the fallback's tests). */
void rtk__prod_setup(void);

/* The cell for p's next item, filled, then published with
 * rtk__prod_publish; NULL when the segment is full and no bigger one
 * could be allocated (the caller diverts: rtk__prod_divert). At the
 * cached limit, rtk__prod_grow reads `consumed` first. */
rtk__pcell_t *rtk__prod_grow(rtk_runtime_t *rt, rtk__producer_t *p);
static inline rtk__pcell_t *rtk__prod_cell(rtk_runtime_t *rt, rtk__producer_t *p)
{
    rtk__seg_t *s = p->pseg;
    if (__builtin_expect(p->ppos != p->plimit, 1))
        return &s->cells[p->ppos & s->mask];
    return rtk__prod_grow(rt, p);
}
static inline void rtk__prod_publish(rtk__producer_t *p, rtk__pcell_t *c)
{
    atomic_store_explicit(&c->seq, ++p->ppos, memory_order_release);
}
/* The producer's limit in the segment it writes, from the loop's
 * `consumed` (acquire: the loop copied the items out before it said so):
 * read only when the cached one says full. */
static inline void rtk__prod_refresh_limit(rtk__producer_t *p)
{
    rtk__seg_t *s = p->pseg;
    p->plimit = atomic_load_explicit(&s->consumed, memory_order_acquire) +
                s->mask + 1;
}
/* Room for a block of `cells` positions in the segment p writes (a block
 * does not span two): true when there is, reading `consumed` if the cached
 * limit says not. Then the header is at p->ppos, payload behind it, and
 * rtk__prod_publish_block publishes them. */
static inline bool rtk__prod_block_room(rtk__producer_t *p, size_t cells)
{
    if (__builtin_expect(p->plimit - p->ppos >= cells, 1))
        return true;
    rtk__prod_refresh_limit(p);
    return p->plimit - p->ppos >= cells;
}
static inline void rtk__prod_publish_block(rtk__producer_t *p, rtk__pcell_t *h,
                                           size_t cells)
{
    atomic_store_explicit(&h->seq, p->ppos + 1, memory_order_release);
    p->ppos += cells;
}
/* rt->prod_min lowered to prio, if prio is more urgent (a store before
 * the task's publish: a loop that sees the task sees it too). */
void rtk__lower_sent_min(rtk_runtime_t *rt, rtk_priority_t prio);
/* Before a task of priority prio goes into p's ring: rt->prod_min lowered
 * if this is p's most urgent yet. */
void rtk__prod_lower_min(rtk_runtime_t *rt, rtk__producer_t *p,
                         rtk_priority_t prio);
/* Before another thread's task of priority prio goes into the shared
 * ring: rt->prod_min lowered if it is more urgent, so that prod_min
 * bounds what the shared ring holds too (a block's run reads only it:
 * executor.c, none_sent_first). */
static inline void rtk__note_sent_prio(rtk_runtime_t *rt, rtk_priority_t prio)
{
    if (__builtin_expect(
            prio < atomic_load_explicit(&rt->prod_min, memory_order_relaxed), 0))
        rtk__lower_sent_min(rt, prio);
}
static inline void rtk__prod_note_prio(rtk_runtime_t *rt, rtk__producer_t *p,
                                       rtk_priority_t prio)
{
    if (__builtin_expect(prio < p->psent, 0))
        rtk__prod_lower_min(rt, p, prio);
}
/* After a producer published into its own ring: if the loop has retired
 * it, ask the loop to look (the loop's membarrier when it retired the
 * ring pairs with this store-then-load). */
static inline void rtk__prod_published(rtk_runtime_t *rt, rtk__producer_t *p)
{
    atomic_signal_fence(memory_order_seq_cst);
    if (__builtin_expect(atomic_load_explicit(&p->retired, memory_order_relaxed),
                         0))
        atomic_fetch_or_explicit(&rt->wq_rescan, 1, memory_order_release);
}
/* End of a tick (its clock `now`): rings empty for RTK__RETIRE_TICKS
 * ticks and RTK__RETIRE_NS are no longer looked at at every pop
 * (membarrier(2) only: else none is retired). The time bounds how often a
 * ring is retired, each time a membarrier, whose IPIs cost tens of
 * microseconds on a VM, when its producer is only descheduled for a while
 * among busy ticks (docs/benchmarks.md, "Merged: series run from the
 * ring, a quick path, a look before the sleep"). */
#define RTK__RETIRE_TICKS 16
#define RTK__RETIRE_NS 10000000u
void rtk__prod_retire_idle(rtk_runtime_t *rt, uint64_t now);
/* A tick's start and end on the thread running it: if that thread has a
 * ring (it submitted between ticks, as a program driving rtk_tick from
 * its own loop does), its items are collected once and the ring is not
 * looked at at each pop of the tick, then watched again. Its own submits
 * within the tick take the loop's path, not the ring. */
void rtk__prod_tick_begin(rtk_runtime_t *rt);
void rtk__prod_tick_end(rtk_runtime_t *rt);

/* From now on p's items go through wq_ring: the credit its submit holds
 * (*credit, p's word being busy) given back. */
void rtk__prod_divert(rtk_runtime_t *rt, rtk__producer_t *p, size_t *credit);
/* The loop's side. Has a producer published into its ring (or moved to a
 * new segment, or claimed a slot)? Two loads a ring, from one array;
 * inline, as it is asked at every pop. */
static inline bool rtk__watch_ready(const struct rtk__watch *w,
                                    memory_order mo)
{
    return atomic_load_explicit(w->seq, mo) == w->want;
}
static inline bool rtk__prod_ready(rtk_runtime_t *rt)
{
    /* written so that no ring watched costs two loads and two branches
     * (a for loop's end pointer cost 7 instructions a pop: callgrind) */
    uint32_t n = rt->wq_watch_n;
    if (atomic_load_explicit(&rt->wq_rescan, memory_order_relaxed))
        return true; /* also: a slot claimed */
    if (n == 0)
        return false;
    const struct rtk__watch *w = rt->wq_watch;
    do
        if (rtk__watch_ready(w++, memory_order_relaxed))
            return true;
    while (--n);
    return false;
}
/* Anything published for the loop to collect, in wq_ring or a producer's
 * ring? */
static inline bool rtk__wq_ready(rtk_runtime_t *rt)
{
    return rtk__ring_ready(&rt->wq_ring) || rtk__prod_ready(rt);
}
/* Move what the producers' rings hold into the loop's FIFO; false when an
 * item found no memory there (it and those behind it stay in the ring). */
bool rtk__prod_drain(rtk_runtime_t *rt);
/* The oldest item of the first ring that holds one, moved to *out. */
bool rtk__prod_pop_front(rtk_runtime_t *rt, rtk__item_t *out);
/* Places the producers hold as credit (read before wq_count: see
 * rtk__wq_len); is one in a submit right now? */
size_t rtk__prod_credit(const rtk_runtime_t *rt);
bool rtk__prod_busy(rtk_runtime_t *rt);
/* Any thread refused a place: the credit of every producer not in a
 * submit, given back to wq_count. How many places. */
size_t rtk__prod_reclaim(rtk_runtime_t *rt);
/* Stopping (state no longer RUNNING): wait out the submits in flight, then
 * give the producers' credit back, so wq_len counts tasks only. */
void rtk__prod_quiesce(rtk_runtime_t *rt);
void rtk__prod_finish(rtk_runtime_t *rt);
/* The move of one ring's published cells into the FIFO (work_queue.c): at
 * *pos, up to the first cell not published; false when the FIFO had no
 * memory for one (*pos at it). */
bool rtk__wq_drain_cells(rtk_runtime_t *rt, rtk__producer_t *p,
                         rtk__pcell_t *cells, size_t mask, size_t *pos);
/* fr, the FIFO's front, refers to a block in a producer's ring: its next
 * task into *out. The reference leaves the FIFO with the block's last
 * task, and the block's cells go back to the producer once no reference
 * holds them (wq_producers.c). */
void rtk__prod_block_done(rtk_runtime_t *rt, rtk__item_t *fr);
/* May the loop refer to p's next block rather than copy it: are the
 * segments its references keep no larger than copies of their tasks (56
 * bytes each against 32 a cell: 7/4 cells a task), give or take
 * RTK__HELD_CELLS? */
static inline bool rtk__prod_may_refer(const rtk__producer_t *p)
{
    return p->held_cells <= RTK__HELD_CELLS + p->rtasks * 7 / 4;
}
static inline __attribute__((always_inline)) void
rtk__prod_take_block(rtk_runtime_t *rt, rtk__item_t *fr, rtk__item_t *out)
{
    const struct rtk__seg *s = fr->u.block.seg;
    size_t t = fr->u.block.t;
    /* cells the loop acquired when it read the header, or the series'
     * cells one by one (drain) */
    if (fr->u.block.single)
        rtk__pcell_item(out, &s->cells[(fr->u.block.h + t) & s->mask], fr->id,
                        fr->cause);
    else
        rtk__blk_item(out, s->cells, s->mask, fr->u.block.h, t, fr->id,
                      fr->cause, fr->priority);
    if (__builtin_expect(t + 1 < fr->u.block.n, 1)) {
        fr->u.block.t = (uint16_t)(t + 1);
        fr->id++;
        out->source = RTK__SRC_BLOCK; /* the executor may run on in it */
    } else {
        rtk__prod_block_done(rt, fr);
    }
}
/* The FIFO's front fr (rtk__pf_front) moved to *out, a task of a block's
 * if fr refers to one. */
static inline void rtk__wq_take(rtk_runtime_t *rt, rtk__item_t *fr,
                                rtk__item_t *out)
{
    if (fr->source == RTK__SRC_BLOCK)
        rtk__prod_take_block(rt, fr, out);
    else
        rtk__pf_take_front(&rt->wq_local, fr, out);
}

/* wq_aside set to `aside` places, capped as the credit is: past 2 *
 * wq_credit_cap all but wq_credit_cap go back to wq_count. */
static inline __attribute__((always_inline)) void
rtk__wq_aside_capped(rtk_runtime_t *rt, size_t aside)
{
    if (aside > 2 * rt->wq_credit_cap) {
        atomic_fetch_sub_explicit(&rt->wq_count, aside - rt->wq_credit_cap,
                                  memory_order_release);
        aside = rt->wq_credit_cap;
    }
    rt->wq_aside = aside;
}
/* The loop's credit, and the places of `places` tasks taken without a
 * look at the rings, set aside (rtk__wq_pop_lazy). */
static inline __attribute__((always_inline)) void
rtk__wq_set_aside(rtk_runtime_t *rt, size_t places)
{
    size_t aside = rt->wq_aside + rt->wq_credit + rt->wq_tcredit + places;
    rt->wq_credit = 0;
    rt->wq_tcredit = 0;
    rtk__wq_aside_capped(rt, aside);
}

/* A pop that leaves the producers' rings unread: anything there queues
 * behind fr, unless a task's push gets in first. So that push must look,
 * as this pop would have: the loop's credit goes aside (wq_aside, with
 * this task's place), its next push of a task finds none and takes the
 * slow path, which looks first and takes the credit back (append_local).
 * All of it, every such pop: a pop that looked in between may have
 * added to wq_credit. Capped as the credit is (rtk__wq_pop_fast). Copy,
 * then drop: rtk__pf_take_front's order cost this path 2 instructions a
 * task (bench/instr_count.sh, the cross-thread loop side). */
static inline __attribute__((always_inline)) bool
rtk__wq_pop_lazy(rtk_runtime_t *rt, rtk__item_t *fr, rtk__item_t *out)
{
    if (fr->source == RTK__SRC_BLOCK) {
        rtk__prod_take_block(rt, fr, out);
    } else {
        *out = *fr;
        rtk__pf_drop_front(&rt->wq_local);
    }
    rtk__wq_set_aside(rt, 1);
    return true;
}
/* A popped task's place kept as credit (rtk__wq_pop_fast). */
static inline __attribute__((always_inline)) void
rtk__wq_pop_credit(rtk_runtime_t *rt)
{
    if (++rt->wq_credit > 2 * rt->wq_credit_max) {
        /* traced (wq_credit_max 0, so every pop): the place kept in
         * wq_tcredit for the traced pushes; else handed back */
        if (rt->trace_tasks && rt->wq_tcredit < 2 * rt->wq_credit_cap) {
            rt->wq_tcredit++;
            rt->wq_credit = 0;
        } else {
            rtk__wq_credit_release(rt);
        }
    }
}
/* rtk__wq_pop_fast after a look at the rings (the shared ring's items,
 * ring true, or the producers' rings when they hold anything): collect,
 * then pop, the front perhaps a block's (work_queue.c). Out of line: the
 * pop without a look stays as small as it was. */
bool rtk__wq_pop_looked(rtk_runtime_t *rt, rtk__item_t *out, bool ring);

/* The loop's next task, moved to *out, its place kept as credit. The
 * FIFO's first; once it is empty, what is left in the ring (tasks the
 * FIFO had no memory for: work_queue.c). What other threads published is
 * collected first, so a more urgent task from another thread runs next,
 * whatever is queued: at every pop whose next task is less urgent than
 * the most urgent any producer has sent (prod_min), and whenever the FIFO
 * is empty. A pop at least as urgent as that needs no look: all it would
 * collect queues behind its task. (Collecting every 16th pop instead gave
 * 15-25% more one-by-one throughput, but let an urgent task wait behind
 * 15 others: docs/benchmarks.md, "Cross-thread submission".) */
static inline __attribute__((always_inline)) bool
rtk__wq_pop_fast(rtk_runtime_t *rt, rtk__item_t *out)
{
    rtk__item_t *fr = rtk__pf_front(&rt->wq_local);
    /* the producers' rings hold nothing more urgent than fr when prod_min
     * is not: then what they hold would queue behind fr, and fr goes
     * first either way (the loop's own pushes collect them first:
     * append_local). The shared ring has no such bound. */
    if (rtk__ring_ready(&rt->wq_ring))
        return rtk__wq_pop_looked(rt, out, true);
    if (rt->wq_watch_n ||
        atomic_load_explicit(&rt->wq_rescan, memory_order_relaxed)) {
        /* rings to look at (else two loads and two branches, as ever) */
        if (fr && atomic_load_explicit(&rt->prod_min, memory_order_relaxed) >=
                      fr->priority)
            return rtk__wq_pop_lazy(rt, fr, out);
        return rtk__wq_pop_looked(rt, out, false);
    }
    /* no ring watched: no FIFO item refers to a block (a ring whose
     * blocks are referred to stays watched), so no test for one here */
    if (__builtin_expect(fr != NULL, 1)) {
        assert(fr->source != RTK__SRC_BLOCK);
        rtk__pf_take_front(&rt->wq_local, fr, out);
    } else if (!rtk__wq_ready(rt) || !rtk__wq_pop_spilled(rt, out)) {
        return false;
    }
    rtk__wq_pop_credit(rt);
    return true;
}
/* Whether rtk__wq_pop_fast could find a task: false exactly when it
 * would find nothing (the FIFO empty, nothing published in the shared
 * ring or a watched producer's ring, no rescan asked for), so a tick
 * runs no batch then (loop.c). */
static inline bool rtk__wq_may_pop(rtk_runtime_t *rt)
{
    return rt->wq_local.len || rtk__wq_ready(rt);
}
void rtk__wq_discard_all(rtk_runtime_t *rt, rtk_drop_reason_t reason);

/* executor.c */
size_t rtk__exec_batch(rtk_runtime_t *rt, size_t limit);
/* What a run of a block's tasks owes (rt->blk_run) paid through the
 * running task (rt->current), whose place is taken, and its stretch
 * ended (the run goes on, if it may, from its pops' tests): before a push
 * from a task (push_local_slow), a tick run from one (rtk_tick) and an
 * abandon. */
void rtk__exec_block_settle(rtk_runtime_t *rt);
static inline void rtk__exec_block_sync(rtk_runtime_t *rt)
{
    if (__builtin_expect(rt->blk_run.fr != NULL, 0))
        rtk__exec_block_settle(rt);
}
/* Places a running stretch has taken and not yet counted (rtk__wq_len). */
static inline size_t rtk__exec_block_owed(const rtk_runtime_t *rt)
{
    return rt->blk_run.fr ? (size_t)(rt->current.id + 1 - rt->blk_run.id0) : 0;
}
/* Places the loop holds in wq_count with no task queued in them: its
 * credit, what pops set aside, a running stretch's (loop thread, or a
 * thread that owns the runtime: rtk__wq_len, rtk_runtime_destroy's
 * balance check). */
static inline size_t rtk__wq_loop_held(const rtk_runtime_t *rt)
{
    return rt->wq_credit + rt->wq_tcredit + rt->wq_aside + rtk__exec_block_owed(rt);
}
/* Tasks of a running stretch that succeeded and are not counted in
 * tasks_executed yet: those before the running one, less the failures
 * (counted at once). The stretch counts them when it ends; rtk_stats_get
 * on the loop thread adds them. */
static inline uint64_t rtk__exec_block_ran_owed(const rtk_runtime_t *rt)
{
    return rt->blk_run.fr ? rt->current.id - rt->blk_run.id0 - rt->blk_run.fails
                          : 0;
}

/* timer_heap.c */
size_t rtk__timers_fire_due(rtk_runtime_t *rt, uint64_t now);
bool rtk__timer_fire_valid(rtk_runtime_t *rt, const rtk__item_t *it);
void rtk__timer_prefetch(const rtk_runtime_t *rt, rtk_id_t timer_id);
void rtk__timer_fire_done(rtk_runtime_t *rt, const rtk__item_t *it);
size_t rtk__timers_live(const rtk_runtime_t *rt);

/* event_queue.c / event_bus.c */
int rtk__bus_dispatch(rtk_runtime_t *rt, rtk__item_t *ev);
size_t rtk__evq_dispatch(rtk_runtime_t *rt, size_t budget);
size_t rtk__async_dispatch(rtk_runtime_t *rt, size_t budget);
void rtk__events_discard_all(rtk_runtime_t *rt, rtk_drop_reason_t reason);
void rtk__event_release(rtk__item_t *ev);
void rtk__bus_unwind(rtk_runtime_t *rt, unsigned depth);

/* scope.c */
void rtk__scope_inc(rtk_scope_t *s);
void rtk__scope_dec(rtk_scope_t *s);

/* command.c */
size_t rtk__commands_handle(rtk_runtime_t *rt);

/* render.c */
bool rtk__render_due(rtk_runtime_t *rt, uint64_t now, int64_t *wait_ns);
void rtk__render_maybe(rtk_runtime_t *rt, uint64_t now);

#endif /* RTK_INTERNAL_H */
