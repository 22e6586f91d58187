#!/usr/bin/env bash
# Log-scan benchmark: the doctor's UccApilog scanner against `rg -c -i` and
# `grep -c -i -E` with the evidence patterns of docs/contract.md, and `wc -l`
# (the floor: one pass that only counts lines), on one generated log.
#
#   benchsuite/logscan.sh                 # 1 GiB log under /tmp, best of 3 runs
#   SIZE=256MiB RUNS=5 benchsuite/logscan.sh
#
# Prints wall time, throughput (MiB/s) and peak RSS (MiB, from
# /usr/bin/time -v's "Maximum resident set size") for each tool. The log is
# read once beforehand so every tool starts from a warm page cache.
set -euo pipefail

SIZE=${SIZE:-1GiB}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
WORK=${WORK:-/tmp/offline-im-doctor-bench}
ROOT="$WORK/Office"
TRACING="$ROOT/16.0/Lync/Tracing"
LOG="$TRACING/Lync-UccApi-0.UccApilog"
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}

need_apt=()
[ -x /usr/bin/time ] || need_apt+=(time)
command -v rg >/dev/null || need_apt+=(ripgrep)
if [ ${#need_apt[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
    else
        echo "logscan.sh: please install: ${need_apt[*]}" >&2
        exit 2
    fi
fi

cargo build --release --quiet --example gen-log --example scan-log
have_cli=0
if cargo build --release --quiet --bin offline-im-doctor 2>/dev/null; then
    have_cli=1
fi

mkdir -p "$TRACING" "$ROOT/16.0/Lync/sip_jdoe@fabrikam.com/History Spooler"
stamp="$WORK/.size-$SIZE-seed-$SEED"
if [ ! -f "$LOG" ] || [ ! -f "$stamp" ]; then
    rm -f "$WORK"/.size-*
    echo "generating a $SIZE log (seed $SEED) at $LOG ..." >&2
    "$TARGET/release/examples/gen-log" --size "$SIZE" --seed "$SEED" --out "$LOG"
    touch "$stamp"
fi
bytes=$(stat -c %s "$LOG")
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$LOG" >/dev/null

# docs/contract.md, "What counts as evidence in the client logs".
PATTERNS=(
    'User-Agent:'
    'EnableIMAutoArchiving'
    'imAutoArchiving'
    'EWS/Exchange\.asmx'
    'EwsUrl|EwsInternalUrl|EwsExternalUrl'
    'autodiscover'
    'HTTP/1\.[01] [0-9]{3}'
    'status( code)? [0-9]{3}'
    'StatusCode=[0-9]{3}'
    'ms-diagnostics:'
    'offline message'
    'offlineim'
    'offline im'
    'History Spooler'
)
rg_args=()
for p in "${PATTERNS[@]}"; do rg_args+=(-e "$p"); done
grep_re=$(IFS='|'; echo "${PATTERNS[*]}")

# best wall time and its peak RSS over $RUNS runs
measure() {
    local name=$1
    shift
    local best_wall="" best_kb="" out
    out=$(mktemp)
    for _ in $(seq "$RUNS"); do
        # Not >/dev/null: GNU grep notices it and stops at the first match.
        /usr/bin/time -v -o "$out" "$@" >"$out.stdout" 2>/dev/null || true
        local wall kb
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out")
        if [ -z "$best_wall" ] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
            best_wall=$wall
            best_kb=$kb
        fi
    done
    rm -f "$out" "$out.stdout"
    awk -v n="$name" -v w="$best_wall" -v kb="$best_kb" -v m="$mib" \
        'BEGIN { printf "%-34s %8.2f s %9.0f MiB/s %8.1f MiB\n", n, w, m / w, kb / 1024 }'
}

echo "log: $LOG ($mib MiB, $(wc -l <"$LOG") lines), $(nproc) cores, best of $RUNS"
printf "%-34s %10s %15s %12s\n" tool wall throughput "peak RSS"
measure "scan-log (library scanner)" "$TARGET/release/examples/scan-log" "$LOG"
if [ "$have_cli" = 1 ]; then
    measure "offline-im-doctor check --root" "$TARGET/release/offline-im-doctor" check --root "$ROOT" --format json --now 2026-11-26T00:00:00Z
fi
measure "rg -c -i (evidence patterns)" rg -c -i "${rg_args[@]}" "$LOG"
measure "grep -c -i -E (evidence patterns)" grep -c -i -E "$grep_re" "$LOG"
measure "wc -l (reading every byte)" wc -l "$LOG"
echo
echo "facts found by the scanner:"
"$TARGET/release/examples/scan-log" "$LOG" | sed 's/^/  /'
