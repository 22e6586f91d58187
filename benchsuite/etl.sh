#!/usr/bin/env bash
# ETL reader benchmark: summarise one generated ETL trace (64 KiB buffers of
# WPP messages, the layout docs/etl.md describes) with the container reader.
#
#   benchsuite/etl.sh                      # 256 MiB trace under /tmp, best of 3 runs
#   SIZE=1GiB RUNS=5 benchsuite/etl.sh
#
# Prints wall time, throughput (MiB/s) and peak RSS (MiB, from
# /usr/bin/time -v) of `examples/etl_summary`, then the events it counted.
# The trace is read once beforehand so every run starts from a warm page
# cache. Goal: 256 MiB in under 1 s on 2 cores, memory bounded by one buffer
# (the RSS does not grow with the trace).
set -euo pipefail

SIZE=${SIZE:-256MiB}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/offline-im-doctor-bench-etl}
ETL="$WORK/Lync-16.0.6965.5305-Office-x86ship-U.etl"
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}

if [ ! -x /usr/bin/time ]; then
    echo "etl.sh: please install: time" >&2
    exit 2
fi

cargo build --release --quiet --example gen-etl --example etl_summary
mkdir -p "$WORK"
stamp="$WORK/.size-$SIZE"
if [ ! -f "$ETL" ] || [ ! -f "$stamp" ]; then
    rm -f "$WORK"/.size-*
    "$TARGET/release/examples/gen-etl" --size "$SIZE" --out "$ETL"
    touch "$stamp"
fi
bytes=$(stat -c %s "$ETL")
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$ETL" >/dev/null

best=""
rss=0
for _ in $(seq "$RUNS"); do
    out=$( { /usr/bin/time -v "$TARGET/release/examples/etl_summary" "$ETL" >"$WORK/summary.json"; } 2>&1 )
    wall=$(grep -E 'Elapsed \(wall clock\)' <<<"$out" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    r=$(grep -E 'Maximum resident set size' <<<"$out" | awk '{print $NF}')
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
    [ "$r" -gt "$rss" ] && rss=$r
done
events=$(grep -m1 -E '"events": [0-9]+,' "$WORK/summary.json" | tr -dc '0-9')
printf 'etl: %s MiB trace, %s events\n' "$mib" "$events"
printf 'etl: best of %s: %.2f s, %.0f MiB/s, peak RSS %.1f MiB\n' "$RUNS" "$best" \
    "$(awk -v m="$mib" -v s="$best" 'BEGIN { print (s > 0 ? m / s : 0) }')" \
    "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
awk -v s="$best" 'BEGIN { exit !(s < 1.0) }' || { echo "etl: slower than 1 s" >&2; exit 1; }
