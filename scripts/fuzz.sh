#!/usr/bin/env bash
# Run cargo-fuzz targets for a given time on the stable toolchain.
#
#   scripts/fuzz.sh [TARGET] [SECONDS]     # default: entry_parser 60
#   scripts/fuzz.sh all [SECONDS]          # every target (`cargo fuzz list`), SECONDS each
#
# `all 20` is the CI smoke run (.ci/run). The targets are built once, with
# debug assertions (overflow and misaligned-pointer checks: pelite's unsafe
# reads abort there instead of being silent undefined behaviour) and
# AddressSanitizer. Prints one line per target:
#   fuzz: TARGET: ok, N runs in S s (corpus: K inputs)
#   fuzz: TARGET: CRASH after N runs (exit 1): fuzz/artifacts/TARGET/crash-...
# (TIMEOUT, OOM or LEAK instead of CRASH for those artifacts)
# and exits non-zero if any target crashed; the full libFuzzer output of
# each target is in fuzz/target/fuzz-logs/TARGET.log (`all` prints only the
# end of a failing one; a single target is shown as it runs).
#
# The seed corpus in fuzz/corpus/TARGET is read, never written: new inputs
# go to a scratch corpus under fuzz/target. A crash leaves its input in
# fuzz/artifacts/TARGET; reproduce it with
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run -a TARGET artifacts/TARGET/crash-...
# and turn it into a test in tests/fuzz_regressions.rs.
set -euo pipefail

target=${1:-entry_parser}
secs=${2:-60}
case $secs in '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a number, not '$secs'" >&2; exit 2 ;; esac
cd "$(dirname "$0")/../fuzz"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# cargo-fuzz passes nightly-only -Z flags (sanitizers, coverage);
# RUSTC_BOOTSTRAP lets the stable compiler accept them.
export RUSTC_BOOTSTRAP=1
# The same flags for build and run, so `run` does not rebuild.
build_flags=(--debug-assertions)

if [ "$target" = all ]; then
    mapfile -t targets < <(cargo fuzz list)
    [ "${#targets[@]}" -gt 0 ] || { echo "fuzz.sh: cargo fuzz list found no target" >&2; exit 2; }
    quiet=1
else
    targets=("$target")
    quiet=0
fi

mkdir -p target/fuzz-logs
build_target=()
[ "$target" = all ] || build_target=("$target")
echo "fuzz: building ${build_target[*]:-all targets}" >&2
if ! cargo fuzz build "${build_flags[@]}" "${build_target[@]}" >target/fuzz-logs/build.log 2>&1; then
    tail -n 40 target/fuzz-logs/build.log >&2
    echo "fuzz.sh: build failed (fuzz/target/fuzz-logs/build.log)" >&2
    exit 2
fi
failed=0
summary=()
for t in "${targets[@]}"; do
    scratch="target/corpus-$t"
    log="target/fuzz-logs/$t.log"
    mkdir -p "$scratch" "artifacts/$t"
    [ "$quiet" = 1 ] && echo "fuzz: running $t for ${secs}s" >&2
    rc=0
    if [ "$quiet" = 1 ]; then
        cargo fuzz run "${build_flags[@]}" "$t" "$scratch" "corpus/$t" -- \
            -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
            >"$log" 2>&1 || rc=$?
    else
        cargo fuzz run "${build_flags[@]}" "$t" "$scratch" "corpus/$t" -- \
            -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
            2>&1 | tee "$log" || rc=$?
    fi
    # libFuzzer ends a clean run with "Done N runs in S second(s)"; otherwise
    # the last status line ("#N ...") is as far as it got.
    done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)
    corpus=$(find "$scratch" -type f | wc -l)
    if [ "$rc" = 0 ] && [ -n "$done_line" ]; then
        runs=$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+) second.*/\1 runs in \2 s/' <<<"$done_line")
        summary+=("fuzz: $t: ok, $runs (corpus: $corpus inputs)")
    else
        failed=1
        runs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
        artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | awk '{print $NF}' || true)
        # crash-, timeout-, oom-, leak- or slow-unit-: what libFuzzer caught.
        kind=$(basename "${artifact:-crash-0}" | sed -E 's/-[0-9a-f]+$//' | tr '[:lower:]' '[:upper:]')
        summary+=("fuzz: $t: ${kind:-CRASH} after ${runs:-?} runs (exit $rc): ${artifact:-see fuzz/$log}")
        if [ "$quiet" = 1 ]; then
            echo "---- end of fuzz/$log ----" >&2
            tail -n 40 "$log" >&2
        fi
    fi
done

printf '%s\n' "${summary[@]}"
exit "$failed"
