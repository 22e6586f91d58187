#!/usr/bin/env bash
# Run a cargo-fuzz target for a given time on the stable toolchain.
#
#   scripts/fuzz.sh [TARGET] [SECONDS]     # default: entry_parser 60
#
# The seed corpus in fuzz/corpus/TARGET is read, never written: new inputs
# go to a scratch corpus under fuzz/target. A crash leaves its input in
# fuzz/artifacts/TARGET and makes this script exit non-zero.
set -euo pipefail

target=${1:-entry_parser}
secs=${2:-60}
cd "$(dirname "$0")/../fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# cargo-fuzz passes nightly-only -Z flags (sanitizers, coverage);
# RUSTC_BOOTSTRAP lets the stable compiler accept them.
export RUSTC_BOOTSTRAP=1
scratch="target/corpus-$target"
mkdir -p "$scratch"
cargo fuzz run "$target" "$scratch" "corpus/$target" -- \
    -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=1024
