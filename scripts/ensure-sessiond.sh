#!/usr/bin/env bash
# ensure-sessiond.sh - makes sure an LTTng session daemon answers for this
# user: starts `lttng-sessiond --daemonize` if none does (root gets the
# system-wide daemon, other users a per-user one). Cost: one `lttng list`
# (~20 ms) when a daemon runs; ~1 s to start one.
set -euo pipefail
case "${1:-}" in
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
echo "sessiond: started"
