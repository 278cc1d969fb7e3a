/* rtk/rtk.h - the whole public surface of librtk.
 *
 *   common.h   ids, priorities, errors, states, drop reasons
 *   runtime.h  create/boot/tick/run, embedding, render requests, stats
 *   task.h     work queue and executor
 *   timer.h    one-shot and periodic timers
 *   event.h    event bus, priority event queue, async emits, scopes
 *   command.h  cross-thread commands
 *   input.h    input marks and the input reader (interaction starts)
 */
#ifndef RTK_RTK_H
#define RTK_RTK_H

#include "common.h"
#include "runtime.h"
#include "task.h"
#include "timer.h"
#include "event.h"
#include "command.h"
#include "input.h"

#define RTK_VERSION_MAJOR 0
#define RTK_VERSION_MINOR 1
#define RTK_VERSION_PATCH 0

#endif /* RTK_RTK_H */
