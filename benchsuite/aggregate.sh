#!/usr/bin/env bash
# Benchmark: `aggregate` over 10,000 reports. Prints wall time and peak memory.
# Usage: benchsuite/aggregate.sh [N] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
dir=${2:-/tmp/oid-bench-reports-$n}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --example gen-reports
cargo build --release --quiet
if [ ! -d "$dir" ]; then
  ./target/release/examples/gen-reports "$n" "$dir"
fi
size=$(du -sm "$dir" | cut -f1)
# Warm the page cache once, then measure.
./target/release/offline-im-doctor aggregate "$dir" --format json >/dev/null 2>&1 || true
/usr/bin/time -f '%e %M' -o /tmp/oid-agg-time ./target/release/offline-im-doctor aggregate "$dir" --format json >/tmp/oid-agg.json 2>/dev/null
read -r wall rss_kb </tmp/oid-agg-time
reports=$(python3 -c 'import json;d=json.load(open("/tmp/oid-agg.json"));print(d["reports_read"], d["machines"], d["malformed_count"])')
printf 'aggregate: %s report files (%s MiB): %s s wall, peak RSS %s MiB; reports_read machines malformed = %s\n' \
  "$n" "$size" "$wall" "$((rss_kb / 1024))" "$reports"
