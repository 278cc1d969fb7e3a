-- rt-trace database schema, version 4 (PRAGMA user_version = 4).
-- Documented in docs/schema.md. Every timestamp column (*_ts) is in
-- nanoseconds from the trace clock's origin (LTTng: CLOCK_MONOTONIC), as
-- babeltrace2 reports it. Columns ending in _ns are durations or runtime-clock
-- values taken from tracepoint fields.
--
-- Ids (task, event, timer, command, render) are unique within one process
-- only, so every item table is keyed by (proc, id).
--
-- flags on paired rows (bit set = that half was not seen in the trace,
-- usually because the tracer discarded it, or the trace started/ended
-- mid-item): 1 = no "queued"/"sent"/"armed"/"begin" event, 2 = no
-- "started" event, 4 = no "finished"/"handled"/"end" event. A row is never
-- paired with the wrong item: pairing is by (proc, id) only.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per CTF trace ingested. (uuid) identifies a trace; ingesting the
-- same trace again is refused unless --force.
CREATE TABLE traces (
    trace      INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    path       TEXT NOT NULL,
    hostname   TEXT,
    procname   TEXT,
    vpid       INTEGER,
    buffering  TEXT,          -- 'per-uid' | 'per-pid' | NULL
    first_ts   INTEGER,
    last_ts    INTEGER,
    events     INTEGER NOT NULL DEFAULT 0,  -- rtk events ingested
    ingested_at TEXT NOT NULL
);

-- One row per traced process (a per-UID trace may hold many).
CREATE TABLE procs (
    proc      INTEGER PRIMARY KEY,
    trace     INTEGER NOT NULL REFERENCES traces(trace),
    vpid      INTEGER,
    procname  TEXT,
    UNIQUE (trace, vpid)
);

CREATE TABLE tasks (
    proc        INTEGER NOT NULL,
    id          INTEGER NOT NULL,
    cause       INTEGER NOT NULL DEFAULT 0,
    priority    INTEGER,
    name        TEXT,
    source      INTEGER,      -- 0 submit, 1 timer fire, 2 command
    timer_id    INTEGER,      -- for source 1
    queued_ts   INTEGER,
    started_ts  INTEGER,
    finished_ts INTEGER,
    outcome     INTEGER,      -- 0 ok, 1 failed, 2 abandoned, 3 voided
    status      INTEGER,
    flags       INTEGER NOT NULL DEFAULT 0,
    cpu_ns      INTEGER,      -- thread CPU time while it ran (config
                              -- task_cpu_time); NULL when not measured
    PRIMARY KEY (proc, id)
) WITHOUT ROWID;
CREATE INDEX tasks_cause ON tasks(proc, cause);
CREATE INDEX tasks_queued ON tasks(queued_ts);

-- One row per event dispatch (queued, async or direct).
CREATE TABLE dispatches (
    proc        INTEGER NOT NULL,
    id          INTEGER NOT NULL,
    cause       INTEGER NOT NULL DEFAULT 0,
    priority    INTEGER,
    type        INTEGER,
    path        INTEGER,      -- 0 priority queue, 1 async queue, 2 direct
    queued_ts   INTEGER,
    begin_ts    INTEGER,      -- end_ts - duration_ns
    end_ts      INTEGER,
    result      INTEGER,      -- 0 not handled, 1 handled, 2 consumed
    handlers    INTEGER,
    flags       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (proc, id)
) WITHOUT ROWID;
CREATE INDEX dispatches_cause ON dispatches(proc, cause);
CREATE INDEX dispatches_queued ON dispatches(queued_ts);

-- One row per timer (arm; a re-arm updates deadline_ns).
CREATE TABLE timers (
    proc         INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    cause        INTEGER NOT NULL DEFAULT 0,
    priority     INTEGER,
    name         TEXT,
    interval_ns  INTEGER,
    armed_ts     INTEGER,
    deadline_ns  INTEGER,
    cancelled_ts INTEGER,
    voided_task  INTEGER,
    PRIMARY KEY (proc, id)
) WITHOUT ROWID;
CREATE INDEX timers_cause ON timers(proc, cause);

-- One row per timer fire.
CREATE TABLE timer_fires (
    proc        INTEGER NOT NULL,
    timer_id    INTEGER NOT NULL,
    cause       INTEGER NOT NULL DEFAULT 0,
    priority    INTEGER,
    ts          INTEGER NOT NULL,
    deadline_ns INTEGER NOT NULL,
    now_ns      INTEGER NOT NULL,
    lateness_ns INTEGER NOT NULL,
    missed      INTEGER NOT NULL DEFAULT 0,
    task_id     INTEGER
);
CREATE INDEX timer_fires_timer ON timer_fires(proc, timer_id);
CREATE INDEX timer_fires_ts ON timer_fires(ts);

CREATE TABLE commands (
    proc       INTEGER NOT NULL,
    id         INTEGER NOT NULL,
    cause      INTEGER NOT NULL DEFAULT 0,
    cmd        INTEGER,       -- 0 shutdown, 1 emergency, 2 schedule_task
    task_id    INTEGER,
    priority   INTEGER,
    sent_ts    INTEGER,
    handled_ts INTEGER,
    result     INTEGER,
    flags      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (proc, id)
) WITHOUT ROWID;
CREATE INDEX commands_sent ON commands(sent_ts);

CREATE TABLE ticks (
    proc         INTEGER NOT NULL,
    tick         INTEGER NOT NULL,
    begin_ts     INTEGER,
    end_ts       INTEGER,
    now_ns       INTEGER,
    commands     INTEGER,
    timers       INTEGER,
    events       INTEGER,
    tasks        INTEGER,
    async_events INTEGER,
    rendered     INTEGER,
    flags        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (proc, tick)
) WITHOUT ROWID;
CREATE INDEX ticks_begin ON ticks(begin_ts);

CREATE TABLE render_requests (
    proc      INTEGER NOT NULL,
    id        INTEGER NOT NULL,
    cause     INTEGER NOT NULL DEFAULT 0,
    ts        INTEGER NOT NULL,
    coalesced INTEGER NOT NULL,
    PRIMARY KEY (proc, id)
) WITHOUT ROWID;
CREATE INDEX render_requests_cause ON render_requests(proc, cause);
CREATE INDEX render_requests_ts ON render_requests(proc, ts);

CREATE TABLE renders (
    proc     INTEGER NOT NULL,
    id       INTEGER NOT NULL,
    frame    INTEGER,
    begin_ts INTEGER,
    end_ts   INTEGER,         -- NULL when the app took the flag itself
    requests INTEGER,
    flags    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (proc, id)
) WITHOUT ROWID;
CREATE INDEX renders_begin ON renders(proc, begin_ts);

CREATE TABLE drops (
    proc     INTEGER NOT NULL,
    ts       INTEGER NOT NULL,
    id       INTEGER,
    cause    INTEGER NOT NULL DEFAULT 0,
    priority INTEGER,
    kind     INTEGER NOT NULL,  -- rtk_item_kind_t
    reason   INTEGER NOT NULL   -- rtk_drop_reason_t
);
CREATE INDEX drops_reason ON drops(reason);

CREATE TABLE state_changes (
    proc       INTEGER NOT NULL,
    ts         INTEGER NOT NULL,
    cause      INTEGER NOT NULL DEFAULT 0,
    from_state INTEGER NOT NULL,
    to_state   INTEGER NOT NULL
);

-- Periodic rtk:stats snapshots (columns as in the tracepoint).
CREATE TABLE stats (
    proc                     INTEGER NOT NULL,
    ts                       INTEGER NOT NULL,
    state                    INTEGER,
    work_queue_len           INTEGER,
    event_queue_len          INTEGER,
    async_queue_len          INTEGER,
    active_timers            INTEGER,
    tasks_executed           INTEGER,
    tasks_failed             INTEGER,
    tasks_voided             INTEGER,
    events_dispatched        INTEGER,
    async_dispatched         INTEGER,
    timers_fired             INTEGER,
    timer_missed_periods     INTEGER,
    commands_handled         INTEGER,
    renders                  INTEGER,
    drops_work_queue_full    INTEGER,
    drops_event_queue_full   INTEGER,
    drops_async_queue_full   INTEGER,
    drops_timer_limit        INTEGER,
    drops_command_refused    INTEGER,
    drops_command_queue_full INTEGER,
    drops_not_running        INTEGER,
    drops_emergency          INTEGER,
    drops_shutdown           INTEGER,
    loop_count               INTEGER,
    idle_ns                  INTEGER
);
CREATE INDEX stats_proc_ts ON stats(proc, ts);

-- One row per input mark (rtk:input, rtk_input_mark): the start of an
-- interaction. input_ts = ts - (now_ns - input_ns): when the input happened,
-- on the trace clock; ts: when it was marked.
CREATE TABLE inputs (
    proc     INTEGER NOT NULL,
    id       INTEGER NOT NULL,
    cause    INTEGER NOT NULL DEFAULT 0,
    name     TEXT,
    input_ts INTEGER NOT NULL,
    ts       INTEGER NOT NULL,
    input_ns INTEGER NOT NULL,    -- the input time field (runtime clock)
    PRIMARY KEY (proc, id)
) WITHOUT ROWID;
CREATE INDEX inputs_ts ON inputs(proc, input_ts);

-- Loss reported by the tracer (babeltrace2 discarded-events and
-- discarded-packets messages).
CREATE TABLE tracer_loss (
    trace    INTEGER NOT NULL REFERENCES traces(trace),
    stream   TEXT NOT NULL,     -- stream name/path within the trace
    what     TEXT NOT NULL,     -- 'events' | 'packets'
    count    INTEGER,           -- NULL when the tracer gave no count
    begin_ts INTEGER,
    end_ts   INTEGER
);

-- Damage ingest worked around (version 2): a stream file whose tail was
-- cut or broken (ingested up to its last whole packet), or, with
-- --skip-unreadable, a file or directory it could not read.
CREATE TABLE ingest_issues (
    trace    INTEGER REFERENCES traces(trace), -- NULL: no trace was read
    file     TEXT NOT NULL,     -- the damaged or unreadable file, as found
    what     TEXT NOT NULL,     -- 'truncated' | 'broken-tail' | 'unreadable'
    offset   INTEGER,           -- first byte not ingested (NULL: unreadable)
    bytes    INTEGER,           -- bytes not ingested from there on
    begin_ts INTEGER,           -- end of the last packet kept (NULL: none)
    message  TEXT NOT NULL      -- the warning ingest printed
);

-- Static name tables, filled at creation, so SQL reads as words.
CREATE TABLE drop_reasons (reason INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO drop_reasons VALUES
    (0,'work_queue_full'),(1,'event_queue_full'),(2,'async_queue_full'),
    (3,'timer_limit'),(4,'command_refused'),(5,'command_queue_full'),
    (6,'not_running'),(7,'emergency'),(8,'shutdown');
CREATE TABLE item_kinds (kind INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO item_kinds VALUES
    (0,'task'),(1,'event'),(2,'async_event'),(3,'timer'),(4,'command'),
    (5,'render');

PRAGMA user_version = 4;
