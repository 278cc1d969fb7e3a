#!/usr/bin/env bash
# live_bench.sh - rt-trace live's speed and memory (docs/benchmarks.md,
# "rt-trace live"): the staleness of the view (now minus the stream's
# watermark, at each snapshot) and whether it keeps up with a steady
# event rate, and rt-trace's peak memory, over a run of rtt_tpgen's paced
# generator (7 events per iteration, the iterations due each millisecond).
#
#   bench/live_bench.sh [BUILD_DIR] [SECONDS] [EVENTS_PER_S]
#       defaults: build/release 60 500000
#
# Prints one line per figure. Starts its own relay daemon on free loopback
# ports (rt-trace live does, and stops it); needs a session daemon
# (scripts/ensure-sessiond.sh). Cost: SECONDS plus a few.
set -euo pipefail
B=${1:-build/release} S=${2:-60} R=${3:-500000}
RT=$B/tools/rt-trace GEN=$B/tools/rtt_tpgen
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
P=$(( 40000 + ($$ % 5000) ))
/usr/bin/time -f '%M' -o "$W/rss" "$RT" live --format json \
    --relayd-ports "$P,$((P + 1)),$((P + 2))" -- "$GEN" paced "$S" "$R" \
    >"$W/out.json" 2>"$W/err.txt"
python3 - "$W/out.json" "$W/rss" "$S" "$R" <<'PY'
import json, math, sys
L = [json.loads(l) for l in open(sys.argv[1])]
rss_kib = int(open(sys.argv[2]).read().split()[-1])
S, R = float(sys.argv[3]), float(sys.argv[4])
run = [x for x in L if not x['final']]
st = sorted(x['staleness_s'] for x in run if x['staleness_s'] is not None)
pct = lambda v, p: v[min(len(v) - 1, max(0, math.ceil(p * len(v)) - 1))]
fin = L[-1]
half = len(run) // 2
first = [x['staleness_s'] for x in run[1:half] if x['staleness_s'] is not None]
second = [x['staleness_s'] for x in run[half:] if x['staleness_s'] is not None]
rates = [x['rate']['trace_events'] for x in run[1:]]
print(f"target: {R:.0f} events/s for {S:.0f} s ({R * S:.0f} events)")
print(f"decoded: {fin['total']['trace_events']} events; tracer discarded "
      f"{fin['tracer']['discarded_events']} events, lost {fin['tracer']['lost_packets']} packets")
print(f"decode rate per interval: median {pct(sorted(rates), .5):.0f}/s, min {min(rates):.0f}/s")
print(f"staleness: p50 {pct(st, .5):.3f} s, p99 {pct(st, .99):.3f} s, max {st[-1]:.3f} s "
      f"over {len(st)} snapshots")
print(f"lag trend: mean staleness first half {sum(first) / max(1, len(first)):.3f} s, "
      f"second half {sum(second) / max(1, len(second)):.3f} s")
print(f"rt-trace peak RSS: {rss_kib / 1024:.1f} MiB")
PY
