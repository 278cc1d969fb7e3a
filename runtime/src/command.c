/* command.c - commands from any thread.
 *
 * Send: one reservation + one ring publish (lock-free) and a wake-up of a
 * sleeping loop. Handle: at the start of each tick the loop takes at most
 * the queue's capacity of commands (so a flooding sender cannot pin the
 * loop), each with its own id as the current cause. A ScheduleTask handled
 * while not RUNNING is refused and counted (COMMAND_REFUSED). */
#include "internal.h"
#include "trace.h"

/* The id of the task a ScheduleTask command schedules (its ids come in
 * pairs: rtk__next_id_pair), 0 for other commands. */
static rtk_id_t scheduled_task_id(const rtk__item_t *c)
{
    return c->cmd == RTK_CMD_SCHEDULE_TASK ? c->id + 1 : 0;
}

int rtk_command_send(rtk_runtime_t *rt, rtk_command_kind_t kind,
                     const rtk_task_desc_t *task, rtk_id_t *id)
{
    if (!rt || (unsigned)kind > RTK_CMD_SCHEDULE_TASK)
        return RTK_EINVAL;
    if (kind == RTK_CMD_SCHEDULE_TASK && (!task || !task->fn))
        return RTK_EINVAL;
    rtk__item_t it = {.id = kind == RTK_CMD_SCHEDULE_TASK ? rtk__next_id_pair()
                                                          : rtk__next_id(),
                      .cause = rtk__tls.cause, .cmd = (uint8_t)kind};
    /* From outside the runtime, the task's explicit cause (an input mark,
     * rtk/input.h) is the command's too: the command is part of that
     * interaction, not the start of a new one. */
    if (kind == RTK_CMD_SCHEDULE_TASK && !it.cause)
        it.cause = task->cause;
    if (kind == RTK_CMD_SCHEDULE_TASK) {
        it.priority = task->priority;
        it.u.command.fn = task->fn;
        it.u.command.arg = task->arg;
        it.u.command.name = task->name;
        it.u.command.task_cause = task->cause;
    }
    if (!rtk__ring_reserve(&rt->cmd_ring)) {
        rtk__count_drop(rt, RTK_DROP_COMMAND_QUEUE_FULL, RTK_ITEM_COMMAND,
                        it.id, it.cause, it.priority);
        return RTK_EFULL;
    }
    RTK_TP(command_sent, it.id, it.cause, it.cmd, scheduled_task_id(&it),
           it.priority);
    if (id)
        *id = it.id;
    rtk__ring_put(&rt->cmd_ring, &it);
    rtk__wake(rt);
    return RTK_OK;
}

static int handle(rtk_runtime_t *rt, const rtk__item_t *c)
{
    switch (c->cmd) {
    case RTK_CMD_SHUTDOWN:
        return rtk_shutdown(rt);
    case RTK_CMD_EMERGENCY:
        rtk_emergency_stop(rt);
        return RTK_OK;
    default:
        break;
    }
    rtk__item_t t = {.id = scheduled_task_id(c),
                     .cause = c->u.command.task_cause ? c->u.command.task_cause
                                                      : c->id,
                     .priority = c->priority, .source = RTK__SRC_COMMAND};
    t.u.task.fn = c->u.command.fn;
    t.u.task.arg = c->u.command.arg;
    if (!rtk__running(rt)) {
        rtk__count_drop(rt, RTK_DROP_COMMAND_REFUSED, RTK_ITEM_COMMAND, c->id,
                        c->cause, c->priority);
        return RTK_ESTATE;
    }
    return rtk__wq_push(rt, &t, c->u.command.name);
}

size_t rtk__commands_handle(rtk_runtime_t *rt)
{
    size_t n = 0, limit = rt->cmd_ring.limit;
    rtk__item_t c;
    rtk_id_t saved = rtk__tls.cause;
    while (n < limit && rtk__ring_take(&rt->cmd_ring, &c)) {
        rtk__ring_unreserve(&rt->cmd_ring);
        n++;
        rtk__tls.cause = c.id;
        int rc = handle(rt, &c);
        rtk__tls.cause = saved;
        RTK_TP(command_handled, c.id, c.cause, c.cmd, scheduled_task_id(&c),
               rc);
        (void)rc;
        rtk__inc(&rt->commands_handled);
    }
    return n;
}
