/* events.h - the rtk tracepoints ingest understands: one kind per
 * event name and, per kind, the payload field names in the order ingest
 * hands them to the row writer (f[0], f[1], ...). Mirrors
 * tracepoints/rtk_tp.h; a field missing from a trace's metadata reads as 0.
 * Lookup by name is O(kinds); it runs once per event class, not per event.
 */
#ifndef RTT_INGEST_EVENTS_H
#define RTT_INGEST_EVENTS_H

enum rtt_kind {
    RTT_EV_COMMAND_SENT,
    RTT_EV_COMMAND_HANDLED,
    RTT_EV_TASK_QUEUED,
    RTT_EV_TASK_STARTED,
    RTT_EV_TASK_FINISHED,
    RTT_EV_EVENT_QUEUED,
    RTT_EV_EVENT_DISPATCHED,
    RTT_EV_TIMER_ARMED,
    RTT_EV_TIMER_FIRED,
    RTT_EV_TIMER_CANCELLED,
    RTT_EV_DROP,
    RTT_EV_TICK_BEGIN,
    RTT_EV_TICK_END,
    RTT_EV_STATE_CHANGE,
    RTT_EV_RENDER_REQUEST,
    RTT_EV_RENDER_BEGIN,
    RTT_EV_RENDER_END,
    RTT_EV_STATS,
    RTT_EV_INPUT,
    RTT_EV__COUNT
};

#define RTT_MAX_FIELDS 25

typedef struct rtt_event_desc {
    const char *name;                    /* without the "rtk:" prefix */
    const char *fields[RTT_MAX_FIELDS];  /* NULL-terminated unless full */
    const char *str_field;               /* the one string field, or NULL */
} rtt_event_desc_t;

extern const rtt_event_desc_t rtt_events[RTT_EV__COUNT];

/* The kind of "rtk:<name>", or -1 for an unknown rtk event. */
int rtt_event_kind(const char *name_without_prefix);

/* Number of integer fields of a kind. */
int rtt_event_nfields(int kind);

#endif
