#!/usr/bin/env python3
"""live_dashboard_bench.py - the dashboard of `rt-trace live` under load,
with the temporary database it records to by default (docs/benchmarks.md,
"rt-trace live": the dashboard's database).

    bench/live_dashboard_bench.py [BUILD_DIR] [SECONDS] [EVENTS_PER_S] [--no-db]
                                  [-- PROGRAM ARGS]
        defaults: build/release 20 100000; PROGRAM instead of rtt_tpgen
        (SECONDS and EVENTS_PER_S then only label the figures)

Runs `rt-trace live -- rtt_tpgen paced SECONDS EVENTS_PER_S` on a pseudo
terminal of 80x24 (the dashboard), TMPDIR a fresh directory, under
/usr/bin/time. Reads the staleness the header shows each interval
("stale X s"), samples the bytes in TMPDIR (the temporary database with its
-wal and -shm, the relay daemon's trace) every 0.5 s, and after the end
checks that TMPDIR is empty again. Prints one line per figure. Needs a
session daemon (scripts/ensure-sessiond.sh); starts its own relay daemon
on loopback ports of its own (rt-trace live does, and stops it).
Cost: SECONDS plus the backlog read at the end, plus a few.
"""
import math
import os
import pty
import re
import select
import shutil
import sys
import tempfile
import time

argv = sys.argv[1:]
program = argv[argv.index("--") + 1:] if "--" in argv else None
argv = argv[:argv.index("--")] if "--" in argv else argv
args = [a for a in argv if a != "--no-db"]
no_db = "--no-db" in argv
build = args[0] if len(args) > 0 else "build/release"
secs = int(args[1]) if len(args) > 1 else 20
rate = int(args[2]) if len(args) > 2 else 100000
rt = os.path.join(build, "tools/rt-trace")
gen = os.path.join(build, "tools/rtt_tpgen")
work = tempfile.mkdtemp(prefix="live-dash-bench-")
tmpdir = os.path.join(work, "tmp")
os.makedirs(tmpdir)
port = 45000 + os.getpid() % 5000


def tree_bytes(d, by_name):
    total = 0
    for root, _, files in os.walk(d):
        for f in files:
            try:
                n = os.path.getsize(os.path.join(root, f))
            except OSError:
                continue
            total += n
            if "rt-trace-live-" in f:
                by_name["db"] = by_name.get("db", 0) + n
    return total


pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.environ["TMPDIR"] = tmpdir
    cmd = ["/usr/bin/time", "-f", "%M", "-o", os.path.join(work, "rss"), rt, "live",
           "--relayd-ports", f"{port},{port + 1},{port + 2}"]
    cmd += ["--no-db"] if no_db else []
    cmd += ["--"] + (program or [gen, "paced", str(secs), str(rate)])
    os.execvp(cmd[0], cmd)
out = bytearray()
peak_tmp = peak_db = 0
t0 = time.monotonic()
next_sample = t0
status = None
while status is None:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            data = os.read(fd, 65536)
            out.extend(data)
        except OSError:
            pass
    if time.monotonic() >= next_sample:
        by = {}
        peak_tmp = max(peak_tmp, tree_bytes(tmpdir, by))
        peak_db = max(peak_db, by.get("db", 0))
        next_sample += 0.5
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
wall = time.monotonic() - t0
text = re.sub(r"\x1b(\[[0-9;?]*[@-~]|\([0-9A-Z])", " ", out.decode("utf-8", "replace"))
stale = [float(x) for x in re.findall(r"  stale ([0-9.]+) s", text)]
summary = re.search(r"rt-trace live: [^\n]*? after ([0-9.]+) s: .*?([0-9]+) events; "
                    r"discarded ([0-9]+)", text)
left = os.listdir(tmpdir)
try:
    rss_kib = int(open(os.path.join(work, "rss")).read().split()[-1])
except (OSError, ValueError, IndexError):
    rss_kib = -1
st = sorted(stale)
pct = lambda v, p: v[min(len(v) - 1, max(0, math.ceil(p * len(v)) - 1))]
print(f"{' '.join(program) if program else 'target'}: {rate} events/s for {secs} s "
      f"({rate * secs} events), {'--no-db' if no_db else 'temporary database'}")
print(f"exit status {os.WEXITSTATUS(status) if os.WIFEXITED(status) else 'signal'}; "
      f"wall {wall:.1f} s")
if summary:
    print(f"decoded: {summary.group(2)} events, tracer discarded {summary.group(3)}; "
          f"live ended {summary.group(1)} s after it started")
if st:
    half = len(stale) // 2
    print(f"staleness on screen: p50 {pct(st, .5):.2f} s, p99 {pct(st, .99):.2f} s, "
          f"max {st[-1]:.2f} s over {len(st)} redraws; mean first half "
          f"{sum(stale[:half]) / max(1, half):.2f} s, second half "
          f"{sum(stale[half:]) / max(1, len(stale) - half):.2f} s")
events = int(summary.group(2)) if summary else rate * secs
print(f"TMPDIR peak: {peak_tmp / 1048576:.1f} MiB, of which the temporary database "
      f"{peak_db / 1048576:.1f} MiB ({peak_db / max(1, events):.0f} bytes/event)")
print(f"rt-trace peak RSS: {rss_kib / 1024:.1f} MiB")
print(f"TMPDIR after exit: {'empty' if not left else left}")
shutil.rmtree(work, ignore_errors=True)
sys.exit(0 if not left else 1)
