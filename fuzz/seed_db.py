#!/usr/bin/env python3
"""seed_db.py - writes the seed corpus of fuzz_db (corpus/db/) in the input
format of db_fill.c: 8 option bytes (fuzz_db.c, read_opts), then rows, each
an opcode (the table's index in db_fill.c's tables[]) and per column a
class byte and a payload byte. Class 0 is a "natural" value: timestamps are
the row clock (+100 us a row) + payload * 20 us, proc/trace 18 -> 1, ids
payload % 16, text columns pick db_fill.c's texts[payload]; class 160 is
NULL. The seeds hold a few whole interactions (command -> task -> render
request -> render) with the other tables around them.

With --extremes it writes the crafted regression input
extreme_timestamps instead: the same tables with INT64_MIN and INT64_MAX
timestamps side by side (class 193 and 192, no payload), so that every
difference of two timestamps the engine takes overflows if unguarded.

  seed_db.py [--extremes] OUTDIR
"""
import sys
from pathlib import Path

T = {n: i for i, n in enumerate(
    "traces procs tasks dispatches timers timer_fires commands ticks "
    "render_requests renders drops state_changes stats tracer_loss meta".split())}
NULL = None
MAX, MIN = "max", "min"  # INT64_MAX, INT64_MIN
P1 = 18  # proc/trace 1


def row(table, *vals):
    out = bytes([T[table]])
    for v in vals:
        if v is NULL:
            out += bytes([160, 0])
        elif v in (MAX, MIN):
            out += bytes([192 if v == MAX else 193])
        else:
            out += bytes([0, v])
    return out


def interaction(cmd, task, req, render, name):
    return (row("commands", P1, cmd, 0, 2, task, 5, 0, 2, 1, 0)
            + row("tasks", P1, task, cmd, 5, name, 2, 0, 0, 3, 8, 0, 0, 0)
            + row("render_requests", P1, req, task, 2, 0)
            + row("dispatches", P1, 9, task, 5, 3, 0, 0, 1, 2, 1, 1, 0)
            + row("renders", P1, render, 1, 10, 20, 1, 0))


def rows():
    r = row("traces", P1, 1, 4, 5, 4, 5, 8, 0, 250, 10, 5)
    r += row("procs", P1, P1, 5, 4)
    r += interaction(1, 2, 3, 4, 1) + interaction(5, 6, 7, 8, 2)
    r += interaction(10, 11, 12, 13, 1)
    r += row("ticks", P1, 1, 0, 30, 0, 1, 0, 0, 1, 0, 1, 0)
    r += row("timers", P1, 14, 2, 5, 5, 1, 0, 50, NULL, NULL)
    r += row("timer_fires", P1, 14, 0, 5, 50, 50, 50, 1, 0, 15)
    r += row("drops", P1, 3, 15, 2, 5, 0, 0)
    r += row("state_changes", P1, 0, 0, 1, 2)
    r += row("stats", P1, 5, *([1] * 25))
    r += row("tracer_loss", P1, 5, 6, 3, 0, 5)
    r += row("meta", 12, 5)
    return r


def extremes():
    r = row("traces", P1, 1, 4, 5, 4, 5, 8, MIN, MAX, 10, 5)
    r += row("procs", P1, P1, 5, 4)
    for a, b in ((MIN, MAX), (MAX, MIN)):
        r += row("commands", P1, 1, 0, 2, 2, 5, a, b, 1, 0)
        r += row("tasks", P1, 2, 1, 5, 1, 2, 0, a, b, a, 0, 0, 0)
        r += row("render_requests", P1, 3, 2, b, 0)
        r += row("dispatches", P1, 9, 2, 5, 3, 0, a, b, a, 1, 1, 0)
        r += row("renders", P1, 4, 1, b, a, 1, 0)
        r += row("tasks", P1, 5, 0, 5, 2, 0, 0, b, a, b, 0, 0, 0)
        r += row("ticks", P1, 1, a, b, 0, 1, 0, 0, 1, 0, 1, 0)
        r += row("timers", P1, 14, 2, 5, 5, 1, a, b, NULL, NULL)
        r += row("timer_fires", P1, 14, 0, 5, a, b, a, b, 0, 15)
        r += row("drops", P1, a, 15, 2, 5, 0, 0)
        r += row("drops", P1, b, 15, 2, 5, 0, 0)
        r += row("tracer_loss", P1, 5, 6, MAX, a, b)
        r += row("commands", P1, 20, 0, 2, 21, 5, a, NULL, 1, 0)
        r += row("tasks", P1, 21, 20, 5, 1, 2, 0, NULL, b, a, 0, 0, 0)
        r += row("render_requests", P1, 22, 21, a, 0)
        r += row("renders", P1, 23, 1, b, NULL, 1, 0)
    return r


seeds = {
    "interactions_table": bytes([0x00, 0x00, 0, 0, 0, 5, 0, 0]),
    "interactions_json_window": bytes([0x17, 0x15, 1, 40, 16, 0x33, 17, 0x01]),
    "interactions_markdown_by_name": bytes([0x2c, 0x27, 0, 0, 255, 0xff, 255, 0x0a]),
}
out = Path(sys.argv[-1])
out.mkdir(parents=True, exist_ok=True)
if "--extremes" in sys.argv:
    # Twice: once with the default options, once with a window and markdown.
    (out / "extreme_timestamps").write_bytes(bytes(8) + extremes())
    (out / "extreme_timestamps_window").write_bytes(
        bytes([0x2f, 0x35, 1, 255, 16, 0x33, 0, 0x01]) + extremes())
else:
    for name, opts in seeds.items():
        (out / name).write_bytes(opts + rows())
