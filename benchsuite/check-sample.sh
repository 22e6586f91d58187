#!/usr/bin/env bash
# Benchmark: a whole `check` on the shipped samples (target: under 50 ms wall).
# Uses hyperfine (installed from Debian's packages when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release --quiet
bin=./target/release/offline-im-doctor
hyperfine -N -i --warmup 5 --runs "${RUNS:-50}" --export-markdown /dev/stdout \
  "$bin check --root samples/healthy" \
  "$bin check --root samples/stuck-spooler --now 2030-01-01T00:00:00Z" \
  "$bin check --root samples/server-offline-off --server-config samples/server-offline-off/server-config.txt --format json" \
  | grep -E '^\|'
