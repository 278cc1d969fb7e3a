#!/usr/bin/env bash
# ensure-sessiond.sh - makes sure an LTTng session daemon answers for this
# user: starts `lttng-sessiond --daemonize` if none does (root gets the
# system-wide daemon, other users a per-user one). Cost: one `lttng list`
# (~20 ms) when a daemon runs; ~1 s to start one.
#   ensure-sessiond.sh [--started FILE]   FILE gets the pid of the daemon
#                                         started here (empty if one ran)
#   ensure-sessiond.sh --stop FILE        stops the daemon FILE names, if
#                                         any, and waits until it is gone
# Callers that start a daemon stop it on exit, so nothing is left running.
set -euo pipefail
started=
case "${1:-}" in
    -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    --started) started=${2:?--started needs a file}; : >"$started" ;;
    --stop)
        f=${2:?--stop needs a file}
        pid=$(cat "$f" 2>/dev/null || true)
        rm -f "$f"
        [ -n "$pid" ] || exit 0
        kill -TERM "$pid" 2>/dev/null || exit 0
        # the daemon is not our child: poll its /proc entry (bounded, 10 s)
        for _ in $(seq 100); do [ -e "/proc/$pid" ] || exit 0; sleep 0.1; done
        echo "sessiond: $pid did not stop on SIGTERM; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        exit 0 ;;
    "") ;;
    *) echo "ensure-sessiond.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac
if lttng list >/dev/null 2>&1; then
    echo "sessiond: a session daemon is running"
    exit 0
fi
echo "sessiond: none running; starting lttng-sessiond --daemonize ($([ "$(id -u)" -eq 0 ] && echo system-wide || echo per-user))"
# --daemonize returns once the daemon is ready to take commands. Kernel
# tracing is not used, so its module-loading complaints are noise.
lttng-sessiond --daemonize >/dev/null 2>&1 </dev/null || true
if ! lttng list >/dev/null 2>&1; then
    echo "sessiond: lttng-sessiond did not start (try: lttng-sessiond -vvv)" >&2
    exit 1
fi
if [ -n "$started" ]; then
    # the daemon writes its pid where its clients find it
    if [ "$(id -u)" -eq 0 ]; then run=/var/run/lttng; else run=${LTTNG_HOME:-$HOME}/.lttng; fi
    cat "$run/lttng-sessiond.pid" >"$started" 2>/dev/null ||
        echo "sessiond: started, but no pid file in $run: it will be left running" >&2
fi
echo "sessiond: started"
