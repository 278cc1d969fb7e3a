#!/usr/bin/env python3
"""live_grep_pty.py RT_TRACE LIVE_GREP DB OUT [ARGS...]

Records live-grep (examples/live-grep) under a pseudo-terminal: waits for
its first status line, types "hello world" one key at a time, each as soon
as the terminal shows the echo of the one before ("[hel] ...": live-grep
draws it before it starts that key's search, so the next key usually
arrives while the search runs), waits for the count of the full query,
then Ctrl-D. Writes everything the terminal showed to OUT (live-grep's status
lines and its exit line on stderr share the terminal). Exit status: the
recording's, or 3 when the program did not answer within 60 s.
"""
import os
import pty
import re
import select
import sys
import time

rt, prog, db, out = sys.argv[1:5]
extra = sys.argv[5:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(rt, [rt, "record", "-q", "-o", db, "--", prog] + extra)

shown = b""


def pump(until, timeout=60.0):
    """Read the terminal until `until` has been shown (None: what is there)."""
    global shown
    end = time.monotonic() + timeout
    while True:
        if until is not None and until in shown:
            return True
        left = end - time.monotonic()
        if left <= 0:
            return until is None
        r, _, _ = select.select([fd], [], [], left if until is not None else 0)
        if not r:
            if until is None:
                return True
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            return until is None
        if not data:
            return until is None
        shown += data


ok = pump(b"matches")
query = "hello world"
if ok:
    for k, ch in enumerate(query):
        os.write(fd, ch.encode())
        ok = pump(("[%s] " % query[: k + 1]).encode())
        if not ok:
            break
    if ok:
        # the count of the full query: "[hello world] 123 matches"
        full = re.compile(re.escape(("[%s] " % query).encode()) + rb"\d+ matches")
        end = time.monotonic() + 60
        while ok and not full.search(shown):
            ok = time.monotonic() < end and pump(None)
            select.select([fd], [], [], 0.5)
    os.write(fd, b"\x04")
    pump(b"live-grep: query")
    pump(b"\n", 10)
while True:  # drain to the end
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    shown += data
_, status = os.waitpid(pid, 0)
with open(out, "wb") as f:
    f.write(shown)
if not ok:
    sys.exit(3)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode")
         else (status >> 8))
