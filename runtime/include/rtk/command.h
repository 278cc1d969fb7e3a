/* rtk/command.h - commands from any thread: shutdown, emergency stop and
 * schedule-task.
 *
 * Commands go through a bounded lock-free queue that the loop drains at the
 * start of every tick. Nothing is lost silently: a full queue refuses the
 * send (RTK_EFULL, counted COMMAND_QUEUE_FULL) and a ScheduleTask handled
 * while the runtime is not RUNNING is counted COMMAND_REFUSED.
 */
#ifndef RTK_COMMAND_H
#define RTK_COMMAND_H

#include "task.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rtk_command_kind {
    RTK_CMD_SHUTDOWN = 0,
    RTK_CMD_EMERGENCY = 1,
    RTK_CMD_SCHEDULE_TASK = 2
} rtk_command_kind_t;

/* "shutdown", "emergency", "schedule_task". */
RTK_API const char *rtk_command_kind_name(rtk_command_kind_t kind);

/* Send a command; `task` is required for RTK_CMD_SCHEDULE_TASK and ignored
 * otherwise. The task, when queued, records the command's id as its cause
 * (unless task->cause is set). The command's own cause is the calling
 * thread's current cause, or task->cause when the thread has none (a
 * thread outside the runtime passing an input mark's id). Returns RTK_OK and the command id in *id,
 * RTK_EFULL or RTK_EINVAL. Any thread; wakes a blocked loop. */
RTK_API int rtk_command_send(rtk_runtime_t *rt, rtk_command_kind_t kind,
                             const rtk_task_desc_t *task, rtk_id_t *id);

#ifdef __cplusplus
}
#endif

#endif /* RTK_COMMAND_H */
