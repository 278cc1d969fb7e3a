#!/usr/bin/env python3
"""live_tty.py RT PROGRAM PORTS LOG - `rt-trace live` on a real terminal.

Runs `RT live --relayd-ports PORTS -- PROGRAM --duration 120` on a pseudo
terminal of 80x24 (TERM=xterm): waits (reading the terminal, bounded at 60 s
per step) for the dashboard's tasks view, switches to the interactions and
drops views with their keys, pauses and resumes, then quits with q. Checks
that live exits within the bound with the program's status (q sends it
SIGINT, as Ctrl-C would: 130), says "quit", prints the final
report line after giving the terminal back, and that the program it started
was ended. Everything the terminal showed is written to LOG.
Exit 0 on success, 1 with one line per failure.
"""
import os
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
failures = []
out = bytearray()


def read_until(fd, text, limit=60.0):
    """Read the terminal until `text` shows up after what was seen before."""
    start = len(out)
    deadline = time.monotonic() + limit
    while text.encode() not in out[start:]:
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
    os.execvp(rt, [rt, "live", "--relayd-ports", ports, "--", prog,
                   "--duration", "120", "--key-rate", "50"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

steps = [
    (None, "measure      window"),       # the tasks view, first interval
    (None, "runtime (rtk:stats)"),
    (b"i", "worst interactions, last 10 s"),
    (b"d", "lint findings, this interval"),
    (b"p", "PAUSED"),
    (b"t", "running now:"),
]
for key, want in steps:
    if key:
        os.write(fd, key)
    if not read_until(fd, want):
        failures.append(f"no [{want}] on the terminal after key {key!r}")
        break
if not failures:
    os.write(fd, b"p")  # resume, then quit
    os.write(fd, b"q")
    if not read_until(fd, "rt-trace live: quit after"):
        failures.append("q did not end the live view with its summary line")

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
elif not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 130:
    # q ends the view as Ctrl-C does: PROGRAM gets SIGINT, which ends
    # editor-sim, and live exits with PROGRAM's status, 128 + 2
    failures.append(f"rt-trace live exit status {status:#x}, expected exit 130")

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
if len(tail) != 2 or "10s p99:" not in tail[1]:
    failures.append("no final report line after the dashboard closed")
with open(log_path, "w") as f:
    f.write(text)
for line in failures:
    print("FAIL [live_tty]: " + line)
sys.exit(1 if failures else 0)
