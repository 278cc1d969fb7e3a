#!/usr/bin/env bash
# compare_power.sh - proves rt-trace compare's statistics on real recordings
# of editor-sim: false alarms on A/A comparisons and detection rates of known
# regressions. A benchmark of the method, not a unit test (docs/compare.md).
#
#   bench/compare_power.sh [BUILD_DIR] [OUT_DIR]
#
# BUILD_DIR (default build/release) is built if rt-trace or editor-sim is
# missing. Recordings go to OUT_DIR (default BUILD_DIR/compare-power) and
# are reused when present, so a second run only re-compares.
#   plain  seeds 1..21,    --duration 10 --key-rate 40
#   busy   seeds 301..330, --duration 30 --key-rate 120 (~1000 highlights)
#   slow   seeds 301..330, the same with --slow highlight=1.15
#   calm   seeds 401..410, --duration 150 --key-rate 80 (~5800 keystrokes)
#   stall  seeds 401..410, the same with --stall-every 100 --stall-ms 40
# Trials:
#   A/A        plain i vs plain i+1, i = 1..20 (other seeds, so another
#              workload drawn from the same distribution): any "regressed"
#              is a false alarm; and 3 runs per side, plain i..i+2 vs
#              i+3..i+5, i = 1..16 (resampled by run)
#   slow x1.15 the same workload (seeds) on both sides, as a CI compares a
#              change: 3 runs per side (busy vs slow, seeds 300+3k-2..300+3k),
#              k = 1..10, and 1 run per side (seed 300+3k-2): detected when
#              task.run_time[name=highlight] is "regressed"
#   stall      the same workload on both sides, 1 run per side (calm vs
#              stall, seed 400+k), k = 1..10: detected when
#              interaction.latency is "regressed" (the stalls move its p99;
#              ~1700 keystrokes a side (40 s) detected 1 of 10, ~5800
#              (150 s) 9 of 10)
#   A/A long   calm k vs calm k+1 and stall k vs stall k+1, k = 401..409
# Highlight costs are drawn log-uniform over 0.1-5 ms: a p50 from n
# samples has a relative standard error near 2/sqrt(n), so a 15% shift needs
# thousands of highlights a side; hence the busier 30 s runs.
# Prints the table of rates; each compare's CSV is kept in OUT_DIR/cmp/.
# Cost: 101 recordings (~95 min) the first time; recordings are reused
# while this rt-trace reads them (a schema change records them again).
set -uo pipefail
case "${1:-}" in -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build/release}
out=${2:-$build/compare-power}
rt=$build/tools/rt-trace
app=$build/examples/editor-sim/editor-sim
if [ ! -x "$rt" ] || [ ! -x "$app" ]; then
    cmake --preset release -S "$repo" >/dev/null &&
        cmake --build "$build" -j"$(nproc)" --target rt-trace editor-sim >/dev/null ||
        { echo "compare_power.sh: build failed" >&2; exit 1; }
fi
"$repo/scripts/ensure-sessiond.sh" >/dev/null || exit 1
mkdir -p "$out/runs" "$out/cmp"

record() { # NAME SEED ARGS...
    local db=$out/runs/$1-$2.db name=$1 seed=$2
    shift 2
    # reused only if this rt-trace reads it (a schema change re-records)
    [ -s "$db" ] && "$rt" summary "$db" >/dev/null 2>&1 && return 0
    echo "record $name seed $seed" >&2
    "$rt" record -q -o "$db.tmp" -- "$app" --seed "$seed" "$@" 2>/dev/null ||
        { echo "compare_power.sh: recording $name-$seed failed" >&2; rm -f "$db.tmp"; return 1; }
    mv "$db.tmp" "$db"
}

short=(--duration 10 --key-rate 40)
busy=(--duration 30 --key-rate 120)
calm=(--duration 150 --key-rate 80)
for s in $(seq 1 21); do record plain "$s" "${short[@]}" || exit 1; done
for s in $(seq 301 330); do record busy "$s" "${busy[@]}" || exit 1; done
for s in $(seq 301 330); do record slow "$s" "${busy[@]}" --slow highlight=1.15 || exit 1; done
for s in $(seq 401 410); do record calm "$s" "${calm[@]}" || exit 1; done
for s in $(seq 401 410); do record stall "$s" "${calm[@]}" --stall-every 100 --stall-ms 40 || exit 1; done

# compare NAME MEASURE BASE... -- NEW...: prints the measure's verdict and
# the exit status; keeps the CSV.
verdict() {
    local name=$1 measure=$2
    shift 2
    local base=() new=() side=base
    for a in "$@"; do
        if [ "$a" = -- ]; then side=new; continue; fi
        if [ $side = base ]; then base+=("$a"); else new+=("$a"); fi
    done
    local csv=$out/cmp/$name.csv
    "$rt" compare "${base[@]}" --against "${new[@]}" --format csv >"$csv" 2>"$out/cmp/$name.err"
    local st=$?
    local v
    v=$(awk -F, -v m="$measure" '$1 == m { print $2; exit }' "$csv")
    echo "${v:-absent} $st"
}

run() { echo "$out/runs/$1-$2.db"; }
aa_alarm=0 aa_measures=0
for i in $(seq 1 20); do
    read -r v st < <(verdict "aa-$i" interaction.latency "$(run plain $i)" -- "$(run plain $((i + 1)))")
    n=$(awk -F, 'BEGIN{s=0} /^$/{s++} s==1 && $2=="regressed"{c++} END{print c+0}' "$out/cmp/aa-$i.csv")
    [ "$st" = 1 ] && aa_alarm=$((aa_alarm + 1))
    aa_measures=$((aa_measures + n))
    echo "A/A $i: exit $st, $n measures regressed" >&2
done
aa3_alarm=0 aa3_measures=0
for i in $(seq 1 16); do
    read -r v st < <(verdict "aa3-$i" interaction.latency "$(run plain $i)" \
        "$(run plain $((i + 1)))" "$(run plain $((i + 2)))" -- "$(run plain $((i + 3)))" \
        "$(run plain $((i + 4)))" "$(run plain $((i + 5)))")
    n=$(awk -F, 'BEGIN{s=0} /^$/{s++} s==1 && $2=="regressed"{c++} END{print c+0}' "$out/cmp/aa3-$i.csv")
    [ "$st" = 1 ] && aa3_alarm=$((aa3_alarm + 1))
    aa3_measures=$((aa3_measures + n))
    echo "A/A 3 runs $i: exit $st, $n measures regressed" >&2
done
# A/A on the long runs: calm k vs calm k+1 and stall k vs stall k+1 (the
# same binary, other seeds, 150 s each): false alarms where one run a side
# has ~5800 keystrokes and tight intervals
aal_alarm=0 aal_measures=0
for k in $(seq 401 409); do
    for name in calm stall; do
        read -r v st < <(verdict "aal-$name-$k" interaction.latency "$(run $name $k)" -- \
            "$(run $name $((k + 1)))")
        n=$(awk -F, 'BEGIN{s=0} /^$/{s++} s==1 && $2=="regressed"{c++} END{print c+0}' \
            "$out/cmp/aal-$name-$k.csv")
        [ "$st" = 1 ] && aal_alarm=$((aal_alarm + 1))
        aal_measures=$((aal_measures + n))
        echo "A/A long $name $k: exit $st, $n measures regressed" >&2
    done
done
ntests=$(awk -F, 'NR==2{for(i=1;i<=NF;i++) if(h[i]=="tests") print $i} NR==1{for(i=1;i<=NF;i++) h[i]=$i}' "$out/cmp/aa-1.csv")

slow3=0 slow1=0 stall1=0
for k in $(seq 1 10); do
    a=$((300 + 3 * k - 2))
    read -r v st < <(verdict "slow3-$k" "task.run_time[name=highlight]" \
        "$(run busy $a)" "$(run busy $((a + 1)))" "$(run busy $((a + 2)))" -- \
        "$(run slow $a)" "$(run slow $((a + 1)))" "$(run slow $((a + 2)))")
    [ "$v" = regressed ] && slow3=$((slow3 + 1))
    echo "slow x1.15, 3 runs, trial $k: $v" >&2
    read -r v st < <(verdict "slow1-$k" "task.run_time[name=highlight]" \
        "$(run busy $a)" -- "$(run slow $a)")
    [ "$v" = regressed ] && slow1=$((slow1 + 1))
    echo "slow x1.15, 1 run, trial $k: $v" >&2
    read -r v st < <(verdict "stall-$k" interaction.latency \
        "$(run calm $((400 + k)))" -- "$(run stall $((400 + k)))")
    [ "$v" = regressed ] && stall1=$((stall1 + 1))
    echo "stall 40 ms / 100 keys, 1 run, trial $k: $v" >&2
done

echo
echo "| trial | runs per side | trials | detected as regressed | goal |"
echo "|---|---|---|---|---|"
echo "| A/A, same binary, other seed (false alarms: compares with any regressed measure) | 1 | 20 | $aa_alarm ($aa_measures measures of $((20 * ${ntests:-0})) tests) | 0 |"
echo "| A/A, 3 runs per side (false alarms) | 3 | 16 | $aa3_alarm ($aa3_measures measures) | 0 |"
echo "| A/A, 150 s runs (calm and stall, false alarms) | 1 | 18 | $aal_alarm ($aal_measures measures) | - |"
echo "| highlight 15% slower (task.run_time[name=highlight]) | 3 | 10 | $slow3 | >= 9 |"
echo "| highlight 15% slower (task.run_time[name=highlight]) | 1 | 10 | $slow1 | - |"
echo "| 40 ms stall every 100 keys (interaction.latency) | 1 | 10 | $stall1 | >= 9 |"
