#!/usr/bin/env python3
"""live_tty.py RT PROGRAM PORTS LOG [MODE] - `rt-trace live` on a real terminal.

PORTS: the relay daemon's C,D,L loopback ports, or "auto" (from the pid).

Runs `RT live --relayd-ports PORTS -- PROGRAM --duration 120` on a pseudo
terminal of 80x24 (TERM=xterm), without --record, TMPDIR a fresh directory
beside LOG. MODE:
  keys     (default) waits (reading the terminal, bounded at 60 s per step)
           for the dashboard's tasks view; the interactions view shows a
           non-zero count of worst interactions and a worst-list line (a
           cause chain, "command#N ...") computed from the temporary
           database the dashboard records to, which is in TMPDIR meanwhile;
           the drops view; pause and resume; then q.
  sigterm  as keys up to the worst-list line, then SIGTERM to rt-trace.
  error    as sigterm, but the relay daemon rt-trace started is killed:
           one error line, exit 1.
  nodb     `--no-db`: no database in TMPDIR, and the interactions and lint
           panels say that they need one; then q.
Checks that live exits within the bound with the expected status (q sends
PROGRAM SIGINT, as Ctrl-C would: 130; SIGTERM: 143; error: 1), prints its
summary and the final report line after giving the terminal back (error:
the error line), that the program it
started was ended, and that TMPDIR is empty again (the temporary database
removed). Everything the terminal showed is written to LOG.
Exit 0 on success, 1 with one line per failure.
"""
import os
import re
import shutil
import subprocess
import pty
import select
import signal
import struct
import sys
import fcntl
import termios
import time

rt, prog, ports, log_path = sys.argv[1:5]
mode = sys.argv[5] if len(sys.argv) > 5 else "keys"
if ports == "auto":
    # from the pid, below live_tests.sh's range (20000+) and the ephemeral
    # one: ports someone else's relay daemon is unlikely to hold, so live
    # starts its own (and the check below that it stopped it means something)
    base = 14000 + (os.getpid() % 1990) * 3
    ports = f"{base},{base + 1},{base + 2}"
failures = []
out = bytearray()
tmpdir = os.path.join(os.path.dirname(os.path.abspath(log_path)), "live_tty_%s.tmp" % mode)
shutil.rmtree(tmpdir, ignore_errors=True)
os.makedirs(tmpdir)
TEMP_DB = re.compile(r"rt-trace-live-\w{6}\.db$")
NEEDS_DB = "needs a database: drop --no-db or give --record"


ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[@-~]|\([0-9A-Z])")


def found(pattern, data):
    if isinstance(pattern, str):
        return pattern.encode() in data
    # a regex reads the text with each escape sequence as a blank: ncurses
    # draws a run of blanks as a cursor move or an erase
    return pattern.search(ESCAPE.sub(" ", data.decode("utf-8", "replace"))) is not None


def read_until(fd, text, limit=60.0):
    """Read the terminal until `text` (a string or a compiled regex) shows
    up after what was seen before."""
    start = len(out)
    deadline = time.monotonic() + limit
    while not found(text, out[start:]):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out.extend(data)
    return True


pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm"
    os.environ["TMPDIR"] = tmpdir
    os.execvp(rt, [rt, "live", "--relayd-ports", ports]
              + (["--no-db"] if mode == "nodb" else [])
              + ["--", prog, "--duration", "120", "--key-rate", "50"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))


def temp_dbs():
    return sorted(n for n in os.listdir(tmpdir) if TEMP_DB.search(n))


# editor-sim's keystrokes, computed from the database: the worst list's
# count is not 0 and one of its lines names the head of a cause chain
WORST_N = re.compile(r"worst interactions, last 10 s \([1-9][0-9]*\)")
WORST_LINE = re.compile(r"[0-9.]+[num]?s +[a-z_]+ +[0-9]+ +command#[0-9]+ [a-z_]+ \(wait ")
steps = [
    (None, "measure      window"),       # the tasks view, first interval
    (None, "runtime (rtk:stats)"),
]
if mode == "nodb":
    steps += [
        (b"i", "interaction  " + NEEDS_DB),
        (None, "worst interactions, last 10 s: " + NEEDS_DB),
        (b"d", "lint findings: " + NEEDS_DB),
    ]
else:
    steps += [(b"i", WORST_N), (None, WORST_LINE)]
if mode not in ("sigterm", "error"):
    steps += [
        (b"d", "lint findings"),
        (b"p", "PAUSED"),
        (b"t", "running now:"),
    ]
paused = False
for key, want in steps:
    if key:
        os.write(fd, key)
        paused = paused != (key == b"p")
    if not read_until(fd, want):
        want = want if isinstance(want, str) else want.pattern
        failures.append(f"no [{want}] on the terminal after key {key!r}")
        break
# while it runs: the dashboard's temporary database is in TMPDIR (none
# with --no-db)
dbs = temp_dbs()
if mode == "nodb" and dbs:
    failures.append(f"--no-db made a database: {dbs}")
if mode != "nodb" and len(dbs) != 1:
    failures.append(f"expected one temporary database in TMPDIR, found "
                    f"{os.listdir(tmpdir)}")
if mode == "sigterm":
    os.kill(pid, signal.SIGTERM)
    if not read_until(fd, "rt-trace live: SIGTERM after"):
        failures.append("SIGTERM did not end the live view with its summary line")
elif mode == "error":
    relayd = subprocess.run(["pgrep", "-f", "lttng-relayd.*127.0.0.1:" + ports.split(",")[2]],
                            capture_output=True, text=True).stdout.split()
    if len(relayd) != 1:
        failures.append(f"expected the one relay daemon rt-trace started, found {relayd}")
    for p in relayd:
        os.kill(int(p), signal.SIGKILL)
    if not read_until(fd, "rt-trace live: cannot "):
        failures.append("a killed relay daemon did not end the live view with an error line")
else:  # also after a failed step: end it cleanly
    os.write(fd, b"pq" if paused else b"q")  # resume, then quit
    if not read_until(fd, "rt-trace live: quit after"):
        failures.append("q did not end the live view with its summary line")

want_status = {"sigterm": 143, "error": 1}.get(mode, 130)
# live must exit on its own now (bounded)
status = None
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            out.extend(os.read(fd, 65536))
        except OSError:
            pass
if status is None:
    failures.append("rt-trace live did not exit within 30 s of q")
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
elif not os.WIFEXITED(status) or os.WEXITSTATUS(status) != want_status:
    # q ends the view as Ctrl-C does: PROGRAM gets SIGINT, which ends
    # editor-sim, and live exits with PROGRAM's status, 128 + 2; after
    # SIGTERM live exits 128 + 15
    failures.append(f"rt-trace live exit status {status:#x}, expected exit {want_status}")
# the temporary database (and its -wal/-shm), the relay daemon's output:
# all gone
if os.listdir(tmpdir):
    failures.append(f"left in TMPDIR after exit: {sorted(os.listdir(tmpdir))}")

# nothing left behind: the program live started, the relay daemon it
# started on its own ports
live_port = ports.split(",")[2]
for what, pattern in (("the program", prog + " --duration 120 --key-rate 50"),
                      ("the relay daemon", "lttng-relayd.*127.0.0.1:" + live_port)):
    if subprocess.run(["pgrep", "-f", pattern], stdout=subprocess.DEVNULL).returncode == 0:
        failures.append(what + " still runs after live exited")

text = out.decode("utf-8", "replace")
# the final report line comes after the terminal was given back (endwin
# leaves the alternate screen: ESC [ ? 1049 l on xterm)
tail = text.rsplit("\x1b[?1049l", 1)
last = "rt-trace live: cannot " if mode == "error" else "10s p99:"
if len(tail) != 2 or last not in tail[1]:
    failures.append(f"no [{last}] line after the dashboard closed")
with open(log_path, "w") as f:
    f.write(text)
for line in failures:
    print(f"FAIL [live_tty {mode}]: " + line)
if not failures:
    shutil.rmtree(tmpdir, ignore_errors=True)
sys.exit(1 if failures else 0)
