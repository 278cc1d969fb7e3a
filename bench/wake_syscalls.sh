#!/usr/bin/env bash
# bench/wake_syscalls.sh - syscalls per cross-thread wake-up, rtk and each
# peer: runs each library's paced "wake" benchmark (20 000 items a run, one
# per producer per 200 us; rtk runs it twice, by submit and by command)
# under `strace -f -c` and divides each syscall's count by the items
# delivered. Left out: clock_nanosleep (the producers' pacing,
# the same harness for every library) and calls made fewer than once per
# 100 items (setup, LTTng's listener threads). Under strace every syscall
# costs ~20-50 us, so more items find the loop awake than in a plain run:
# read the counts as "syscalls on the wake path", the latency rows as time.
# Prints one RESULT line per library:
#   RESULT wake_syscalls <lib> <per item> syscalls/item <name=count/item ...>
#
#   bench/wake_syscalls.sh BINDIR      # BINDIR holds bench_rtk, bench_uv, ...
# Cost: ~5 s per library (strace slows the producers' pacing little).
set -euo pipefail
case "${1:-}" in
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    '') echo "bench/wake_syscalls.sh: missing BINDIR (see --help)" >&2; exit 2 ;;
esac
bin=$1
command -v strace >/dev/null || { echo "bench/wake_syscalls.sh: strace not installed: no syscall counts" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wake_syscalls.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# count LIB [ENV=VALUE...]: strace one wake run of bench_<lib base>
count() {
    local lib=$1 exe=bench_${1%%:*}; shift
    [ -x "$bin/$exe" ] || return 0
    env "$@" strace -f -c -o "$tmp/st" "$bin/$exe" wake >"$tmp/out" 2>/dev/null || {
        echo "bench/wake_syscalls.sh: $exe wake failed under strace" >&2; return 0; }
    local items
    # every wake run of the process (bench_rtk runs two: submits, commands)
    items=$(sed -n 's/^RESULT\twake_p50\t.*delivered=\([0-9]*\)\/.*/\1/p' "$tmp/out" |
        awk '{n += $1} END {print n + 0}')
    [ -n "$items" ] && [ "$items" -gt 0 ] || { echo "bench/wake_syscalls.sh: $exe: no wake result" >&2; return 0; }
    # strace -c rows: % time, seconds, usecs/call, calls, [errors,] syscall
    awk -v lib="$lib" -v items="$items" '
        $1 ~ /^[0-9.]+$/ && NF >= 5 {
            name = $NF; calls = $4
            if (name == "clock_nanosleep" || name == "total") next
            if (calls * 100 < items) next
            tot += calls; det = det sprintf("%s%s=%.2f", det == "" ? "" : " ", name, calls / items)
        }
        END { printf "RESULT\twake_syscalls\t%s\t%.2f\tsyscalls/item\t%s (strace -f -c, %d items)\n", lib, tot / items, det, items }
    ' "$tmp/st"
}
count rtk
count uv
count event
count glib:invoke BENCH_GLIB_WAKE=invoke
count glib:lockq BENCH_GLIB_WAKE=lockq
