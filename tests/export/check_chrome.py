#!/usr/bin/env python3
"""check_chrome.py DB JSON [BUDGET_NS] - checks `rt-trace export --format
chrome` output against the database it came from, computing every expected
figure from the tables on its own (not through rt-trace):

- the file is valid JSON with displayTimeUnit "ns";
- X slices: one per task that started and finished (cat task), per dispatch
  with begin and end (cat event), per render with a begin (cat render),
  each at its exact nanosecond (ts * 1000 + origin_ns == the *_ts column);
- b/e queue waits: one pair per task queued and started, same id;
- s/f flows: the cause links, resolved here from the tables (cause -> task
  or dispatch slice; through a command's or timer's own cause, one hop;
  render request -> first render at or after it), equal as a multiset to
  the links the flows bind to when bound the way importers bind them ("s"
  to the innermost slice enclosing it on its track, "f" with bp "e" to the
  slice starting at its ts on its track), "s" at the nanosecond the link
  was made (the child queued, its command sent or its timer armed, clamped
  into the parent);
- frames (with the over-budget count), drops, inputs, counters: one per row;
- M: one process_name per process, one thread_name per (pid, tid) used;
- per track, X events in file order have non-decreasing ts;
- and counts the key_* tasks from which the flows lead to a render
  ("flow reaches a render N" in the ok line).
Prints "ok" and the counts; exits 1 with the failures otherwise. Cost:
O(events log events) time, the whole file in memory (a test tool)."""
import collections
import json
import sqlite3
import sys

db_path, json_path = sys.argv[1], sys.argv[2]
budget = int(sys.argv[3]) if len(sys.argv) > 3 else 16700000
fails = []


def check(cond, what):
    if not cond:
        fails.append(what)


with open(json_path, "rb") as f:
    doc = json.loads(f.read().decode("utf-8"))
check(doc.get("displayTimeUnit") == "ns", "displayTimeUnit is not ns")
origin = doc["otherData"]["origin_ns"]
events = doc["traceEvents"]
db = sqlite3.connect(db_path)
q = lambda sql: db.execute(sql).fetchall()


def ns(ev):
    return round(ev["ts"] * 1000) + origin


by_ph = collections.defaultdict(list)
for e in events:
    by_ph[e["ph"]].append(e)

# pid of each proc, as the exporter assigns it.
procs = q("SELECT proc, vpid FROM procs")
vcount = collections.Counter(v for _, v in procs)
pid_of = {}
for proc, v in procs:
    ok = v is not None and v > 0 and vcount[v] == 1 and v <= 0xFFFFFFFF // 64
    pid_of[proc] = v if ok else proc

# --- X slices, exact timestamps
X = collections.defaultdict(dict)  # cat -> {(pid, id): event}
for e in by_ph["X"]:
    key = (e["pid"], e["args"]["id"])
    check(key not in X[e["cat"]], "duplicate slice %s %s" % (e["cat"], key))
    X[e["cat"]][key] = e
exp = {
    "task": q("SELECT proc, id, started_ts, finished_ts FROM tasks"
              " WHERE started_ts IS NOT NULL AND finished_ts IS NOT NULL"),
    "event": q("SELECT proc, id, begin_ts, end_ts FROM dispatches"
               " WHERE begin_ts IS NOT NULL AND end_ts IS NOT NULL"),
    "render": q("SELECT proc, id, begin_ts, COALESCE(end_ts, begin_ts) FROM renders"
                " WHERE begin_ts IS NOT NULL"),
}
for cat, rows in exp.items():
    check(len(X[cat]) == len(rows),
          "%s slices: %d in the file, %d in the database" % (cat, len(X[cat]), len(rows)))
    for proc, id_, b, e in rows:
        ev = X[cat].get((pid_of[proc], id_))
        if ev is None:
            fails.append("%s %d/%d has no slice" % (cat, proc, id_))
            continue
        check(ns(ev) == b, "%s %d ts %r != %d" % (cat, id_, ev["ts"], b))
        check(round(ev["dur"] * 1000) == max(e - b, 0), "%s %d dur" % (cat, id_))
check(len(by_ph["X"]) == sum(len(v) for v in exp.values()), "X events of another cat")

# --- queue waits
waits = q("SELECT COUNT(*) FROM tasks WHERE queued_ts IS NOT NULL AND started_ts IS NOT NULL")[0][0]
b_ids = collections.Counter(e["id"] for e in by_ph["b"])
e_ids = collections.Counter(e["id"] for e in by_ph["e"])
check(len(by_ph["b"]) == waits and len(by_ph["e"]) == waits,
      "queue waits: %d b, %d e, %d tasks queued and started" % (
          len(by_ph["b"]), len(by_ph["e"]), waits))
check(b_ids == e_ids and max(b_ids.values(), default=1) == 1, "b/e ids do not pair up")

# --- flows: expected links from the tables
slice_of = {}  # (proc, id) -> (cat, id) or None (an item that is no slice)
span = {}  # (cat, id) -> (begin, end)
for proc, id_, s, f in q("SELECT proc, id, started_ts, finished_ts FROM tasks"):
    slice_of[(proc, id_)] = ("task", id_) if s is not None and f is not None else None
    span[("task", id_)] = (s, f)
for proc, id_, b, e in q("SELECT proc, id, begin_ts, end_ts FROM dispatches"):
    slice_of[(proc, id_)] = ("event", id_) if b is not None and e is not None else None
    span[("event", id_)] = (b, e)
up = {}  # (proc, id) of a timer or command -> (its cause, when armed or sent)
for proc, id_, c, t in q("SELECT proc, id, cause, armed_ts FROM timers"):
    up[(proc, id_)] = (c, t)
for proc, id_, c, t in q("SELECT proc, id, cause, sent_ts FROM commands"):
    up[(proc, id_)] = (c, t)


def parent(proc, cause, made):
    """(parent slice, when the link was made: clamped into the parent)"""
    for _ in range(2):
        if cause == 0:
            return None, None
        if (proc, cause) in slice_of:
            p = slice_of[(proc, cause)]
            if p is None:
                return None, None
            b, e = span[p]
            t = min(max(made, b), e - 1 if e > b else b)
            return p, t
        if (proc, cause) not in up:
            return None, None
        cause, t = up[(proc, cause)]
        made = t if t is not None else made
    return None, None


want = collections.Counter()
for proc, id_, c, made in q("SELECT proc, id, cause, COALESCE(queued_ts, started_ts)"
                            " FROM tasks WHERE cause <> 0"
                            " AND started_ts IS NOT NULL AND finished_ts IS NOT NULL"):
    p, t = parent(proc, c, made)
    if p:
        want[(pid_of[proc], p, ("task", id_), t)] += 1
for proc, id_, c, made in q("SELECT proc, id, cause, COALESCE(queued_ts, begin_ts)"
                            " FROM dispatches WHERE cause <> 0"
                            " AND begin_ts IS NOT NULL AND end_ts IS NOT NULL"):
    p, t = parent(proc, c, made)
    if p:
        want[(pid_of[proc], p, ("event", id_), t)] += 1
renders = collections.defaultdict(list)
for proc, id_, b in q("SELECT proc, id, begin_ts FROM renders WHERE begin_ts IS NOT NULL"
                      " ORDER BY proc, begin_ts, id"):
    renders[proc].append((b, id_))
for proc, ts, c in q("SELECT proc, ts, cause FROM render_requests WHERE cause <> 0"):
    p, t = parent(proc, c, ts)
    r = next((rid for b, rid in renders[proc] if b >= ts), None)
    if p and r is not None:
        want[(pid_of[proc], p, ("render", r), t)] += 1

# --- flows: what the file binds to
track = collections.defaultdict(list)  # (pid, tid) -> [X events]
for e in by_ph["X"]:
    track[(e["pid"], e["tid"])].append(e)


def enclosing(ev):
    t = ns(ev)
    best = None
    for x in track[(ev["pid"], ev["tid"])]:
        b = ns(x)
        e = b + round(x["dur"] * 1000)
        if b <= t and (t < e or (t == b == e)):
            if best is None or b > ns(best):
                best = x
    return best


def starting(ev):
    t = ns(ev)
    xs = [x for x in track[(ev["pid"], ev["tid"])] if ns(x) == t]
    return xs[-1] if xs else None


s_by = {e["id"]: e for e in by_ph["s"]}
f_by = {e["id"]: e for e in by_ph["f"]}
check(len(s_by) == len(by_ph["s"]) and len(f_by) == len(by_ph["f"]), "flow ids repeat")
check(set(s_by) == set(f_by), "flow starts and ends do not pair up")
check(all(e.get("bp") == "e" for e in by_ph["f"]), "an f event without bp e")
got = collections.Counter()
for fid, s in s_by.items():
    f = f_by.get(fid)
    ps, cs = enclosing(s), (starting(f) if f else None)
    if ps is None or cs is None:
        fails.append("flow %s binds to no slice (%s)" % (fid, "start" if ps is None else "end"))
        continue
    check(ns(s) <= ns(f), "flow %s ends before it starts" % fid)
    got[(s["pid"], (ps["cat"], ps["args"]["id"]), (cs["cat"], cs["args"]["id"]), ns(s))] += 1
check(got == want, "flows: %d bound, %d cause links in the database; differ by %s" % (
    sum(got.values()), sum(want.values()),
    list(((got - want) + (want - got)).items())[:5]))

# --- instants and counters
frames = q("SELECT begin_ts, end_ts FROM ticks WHERE rendered = 1 AND begin_ts IS NOT NULL")
fr = [e for e in by_ph["i"] if e["cat"] == "frame"]
check(len(fr) == len(frames), "frames: %d, ticks that rendered %d" % (len(fr), len(frames)))
over = sum(1 for b, e in frames if e is not None and e - b > budget)
check(sum(1 for e in fr if e["args"]["over_budget"]) == over, "over-budget frames")
for cat, sql in (("drop", "SELECT COUNT(*) FROM drops"), ("input", "SELECT COUNT(*) FROM inputs")):
    n = q(sql)[0][0]
    got_n = sum(1 for e in by_ph["i"] if e["cat"] == cat)
    check(got_n == n, "%s instants: %d, rows %d" % (cat, got_n, n))
check(all(e.get("s") == "t" for e in by_ph["i"]), "an instant without thread scope")
stats = q("SELECT COUNT(*) FROM stats")[0][0]
check(len(by_ph["C"]) == stats, "counters: %d, stats rows %d" % (len(by_ph["C"]), stats))

# --- metadata: one process_name per process, one thread_name per track used
M = collections.Counter((e["name"], e["pid"], e["tid"]) for e in by_ph["M"])
pn = collections.Counter(e["pid"] for e in by_ph["M"] if e["name"] == "process_name")
check(set(pn) == set(pid_of.values()) and max(pn.values(), default=1) == 1,
      "process_name events %s for pids %s" % (dict(pn), sorted(pid_of.values())))
used = {(e["pid"], e["tid"]) for e in events if e["ph"] != "M"}
tn = collections.Counter((e["pid"], e["tid"]) for e in by_ph["M"] if e["name"] == "thread_name")
check(set(tn) == used and max(tn.values(), default=1) == 1,
      "thread_name events: %d for %d tracks used" % (len(tn), len(used)))

# --- per-track order of slices
last = {}
for e in by_ph["X"]:
    k = (e["pid"], e["tid"], e["cat"])
    check(last.get(k, -1 << 62) <= ns(e), "slices out of order on %s" % (k,))
    last[k] = ns(e)

# --- keystrokes: from each key_* task slice, do the flows reach a render?
succ = collections.defaultdict(set)
for (pid, par, ch, _), _ in got.items():
    succ[(pid, par)].add((pid, ch))
keys = [(e["pid"], ("task", e["args"]["id"])) for e in X["task"].values()
        if e["name"].startswith("key_")]
reach = 0
for k in keys:
    seen, todo = {k}, [k]
    while todo:
        n = todo.pop()
        for m in succ[n] - seen:
            seen.add(m)
            todo.append(m)
    reach += any(c[1][0] == "render" for c in seen)

if fails:
    for f in fails[:20]:
        print("FAIL:", f, file=sys.stderr)
    sys.exit(1)
print("ok: %d events, %d X (%d task, %d event, %d render), %d queue waits, %d flows, "
      "%d frames (%d over budget), %d M; keystrokes %d, flow reaches a render %d" % (
          len(events), len(by_ph["X"]), len(X["task"]), len(X["event"]), len(X["render"]),
          waits, sum(got.values()), len(fr), over, len(by_ph["M"]), len(keys), reach))
