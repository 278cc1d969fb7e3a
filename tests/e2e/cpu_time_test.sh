#!/usr/bin/env bash
# cpu_time_test.sh - config.task_cpu_time: a task's thread CPU time is
# traced (rtk:task_finished cpu_ns), stored (tasks.cpu_ns) and reported
# (`rt-trace latency` measure cpu_time), so a task that waited (sleep,
# preemption) is told from one that computed.
#
#   cpu_time_test.sh RT_TRACE CPU_TIME WORKDIR
#
# Records cpu_time.c with the option on and off. On: each of the 5 "spin"
# tasks has cpu_ns >= 20 ms (it spins until its thread CPU clock says so)
# and <= its run time; each "sleep" task runs >= 30 ms with cpu_ns < 5 ms;
# latency --by name lists cpu_time for the three names with 5 values each.
# Off: no task has cpu_ns, and latency lists no cpu_time row. A budget on
# cpu_time passes and fails on the measured value.
set -u
RT=$1 PROG=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
eq() { # eq WHAT GOT WANT
    if [ "$2" = "$3" ]; then ok "$1 = $3"; else fail "$1: got [$2], want [$3]"; fi
}
sql() { "$RT" sql "$1" "$2" --format csv | tail -n +2 | tr -d '\r'; }

for mode in on off; do
    "$RT" record -q -o "$mode.db" -- "$PROG" "$mode" >"$mode.out" 2>&1 ||
        { cat "$mode.out" >&2; fail "record $mode"; exit 1; }
done

eq "on: spin tasks with cpu_ns >= 20 ms and <= run time" \
    "$(sql on.db "SELECT count(*) FROM tasks WHERE name = 'spin' AND cpu_ns >= 20000000
                  AND cpu_ns <= finished_ts - started_ts")" 5
eq "on: sleep tasks running >= 30 ms on < 5 ms of CPU" \
    "$(sql on.db "SELECT count(*) FROM tasks WHERE name = 'sleep'
                  AND finished_ts - started_ts >= 30000000 AND cpu_ns < 5000000")" 5
eq "on: every task that ran has cpu_ns" \
    "$(sql on.db "SELECT count(*) FROM tasks WHERE cpu_ns IS NULL")" 0
eq "on: latency --by name lists cpu_time per name (count)" \
    "$("$RT" latency on.db --kind task --by name --format csv | tr -d '\r' |
       awk -F, '$3 == "cpu_time" {print $2 ":" $4}' | sort | paste -sd' ')" \
    "noop:5 sleep:5 spin:5 stop:1"
eq "off: no task has cpu_ns" "$(sql off.db "SELECT count(*) FROM tasks WHERE cpu_ns IS NOT NULL")" 0
eq "off: tasks recorded" "$(sql off.db "SELECT count(*) FROM tasks")" 16
eq "off: latency lists no cpu_time" \
    "$("$RT" latency off.db --kind task --format csv | grep -c ',cpu_time,')" 0
eq "off: summary json has no cpu_time key" \
    "$("$RT" summary off.db --format json | grep -c cpu_time)" 0

# budgets on it: a spin task's CPU time is 20 ms, under 25 ms, not under 10 ms
printf 'task cpu_time p50 < 25ms where name = spin\n' >pass.budget
printf 'task cpu_time p50 < 10ms where name = spin\n' >fail.budget
"$RT" check on.db --budget pass.budget >check.out 2>&1
eq "check: cpu_time p50 < 25 ms passes (exit)" $? 0
"$RT" check on.db --budget fail.budget >check.out 2>&1
eq "check: cpu_time p50 < 10 ms fails (exit)" $? 1

[ $fails -eq 0 ] && echo "e2e.cpu_time: all passed"
exit $((fails > 0))
