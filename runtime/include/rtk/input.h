/* rtk/input.h - user input as the start of an interaction: the time an
 * input happened, attached to the work it becomes, and a reader thread
 * that takes that time for you.
 *
 * Why: a key typed while the loop is busy sits in the terminal buffer until
 * the loop reads it. Its latency then starts at the read, and a 120 ms stall
 * looks like a fast keystroke. Timestamp input where it happens and mark it:
 *
 *   rtk_id_t in;
 *   rtk_input_mark(rt, t_read, "key", &in);   // traced: rtk:input
 *   rtk_task_desc_t d;
 *   rtk_task_desc_init(&d, on_key, key);
 *   d.cause = in;                              // the key's work
 *   rtk_submit(rt, &d, NULL);                  // or a command, or an event
 *
 * rt-trace then starts the interaction at t_read (the input, not the
 * command), names it "key", and splits its latency into input delay,
 * processing and presentation (docs/rt-trace.md#interactions). Any task,
 * command or event whose cause is the mark's id (directly or further down
 * the cause chain) belongs to that interaction.
 *
 * rtk_input_reader_start does all of it for a file descriptor: a thread
 * blocks in read(), stamps each read, marks it and hands the bytes to the
 * loop, where your callback runs as a task caused by the input.
 */
#ifndef RTK_INPUT_H
#define RTK_INPUT_H

#include "command.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Mark an input that happened at input_ns, in the runtime's clock
 * (CLOCK_MONOTONIC unless the config injects another; 0 = now; a time
 * after now counts as now). Returns RTK_OK and a fresh id in *id: pass it as
 * the cause of the task, command or event the input becomes. Traced as
 * rtk:input (id, the calling thread's cause, input_ns, now_ns, name); with
 * tracing off or no session only the id is taken. RTK_EINVAL for a NULL rt
 * or id. name: shown as the interaction's name (copied into the trace;
 * NULL or "" reads as "input"). Any thread, lock-free, O(1): one clock read
 * (when input_ns is 0 or a session listens) and one id. */
RTK_API int rtk_input_mark(rtk_runtime_t *rt, uint64_t input_ns,
                           const char *name, rtk_id_t *id);

/* What the reader hands to the callback. bytes/len: one read() (len 0 and
 * bytes NULL once, at end of file or a read error: then err is the errno,
 * 0 for end of file). input_ns: the runtime clock right after read()
 * returned. id: the input's id (the cause of the running task). */
typedef struct rtk_input {
    rtk_id_t id;
    uint64_t input_ns;
    const void *bytes;
    size_t len;
    int err;
} rtk_input_t;

/* Runs on the loop thread, as a task (named after the reader, priority
 * RTK_PRIORITY_HIGH) whose cause is the input: what it submits, emits or
 * renders is part of the input's interaction. */
typedef void (*rtk_input_fn)(rtk_runtime_t *rt, const rtk_input_t *in,
                             void *user);

typedef struct rtk_input_reader rtk_input_reader_t;

typedef struct rtk_input_reader_stats {
    uint64_t reads;         /* read() calls that returned bytes */
    uint64_t bytes;         /* bytes read */
    uint64_t delivered;     /* callbacks run (the end-of-input one too) */
    uint64_t dropped;       /* reads not delivered: command queue full
                               (also counted COMMAND_QUEUE_FULL by the
                               runtime), out of memory, or still queued at
                               rtk_input_reader_stop */
    uint64_t dropped_bytes; /* their bytes */
} rtk_input_reader_stats_t;

/* Start a thread that reads fd (blocking or not: it polls), up to 4096
 * bytes per read. Each read is stamped with the runtime clock right after
 * read() returns, marked (rtk_input_mark, name "input") and sent to the
 * loop as a RTK_CMD_SCHEDULE_TASK command caused by the input; the task
 * calls fn(rt, &input, user). Reads are delivered in order.
 *
 * Clock error: the stamp is taken when read() returns, so it is late by
 * the kernel's wake-up of the reader thread after the byte arrived
 * (typically 5-50 us idle; up to a scheduler time slice, a few ms, when
 * every core is busy) and never early: the input delay rt-trace reports is
 * a lower bound of the true one by that much.
 *
 * Nothing is lost silently: a read that cannot be sent (command queue
 * full, out of memory) is counted in the reader's stats (dropped) and, for
 * a full queue, by the runtime as COMMAND_QUEUE_FULL.
 *
 * The reader does not own fd (it does not close it). Returns RTK_OK and
 * the reader in *out, RTK_EINVAL (NULL rt, fn or out, fd < 0), RTK_ENOMEM,
 * or RTK_ESYS (thread or wake-up fd creation failed; errno says why).
 * Any thread. */
RTK_API int rtk_input_reader_start(rtk_runtime_t *rt, int fd, rtk_input_fn fn,
                                   void *user, rtk_input_reader_t **out);

/* Stop reading and join the thread; after it returns fn is not called
 * again and `reader` must not be used. Reads still queued are counted
 * dropped (in *final, if not NULL, the reader's last counts) and freed
 * when the loop reaches them; the reader's memory goes with the last of
 * them, so stop it while the runtime still runs its tasks (before
 * rtk_shutdown) to leave nothing behind. Any thread except from inside fn.
 * NULL is a no-op. */
RTK_API void rtk_input_reader_stop(rtk_input_reader_t *reader,
                                   rtk_input_reader_stats_t *final);

/* Counters so far (a consistent snapshot). Any thread, inside fn too,
 * until stop. */
RTK_API void rtk_input_reader_stats(const rtk_input_reader_t *reader,
                                    rtk_input_reader_stats_t *out);

#ifdef __cplusplus
}
#endif

#endif /* RTK_INPUT_H */
