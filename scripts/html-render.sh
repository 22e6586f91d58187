#!/usr/bin/env bash
# Render every sample's HTML report in headless Chromium (issue 13).
#
#   scripts/html-render.sh            build, render each sample to PNG, check the DOM
#   OIMD_BIN=path/to/offline-im-doctor scripts/html-render.sh   use a prebuilt binary
#
# Installs Debian's `chromium` when it is missing (apt-get, as root or via
# sudo). For each sample it writes target/html-render/<sample>.html and
# .png, fails when Chromium fails, when the PNG is missing or empty, when
# the page refers to anything outside itself, or when the DOM Chromium
# built lacks the diagnosis, a check id or the SVG timeline. Prints
# "html-render: N passed, N failed" and exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET_DIR/html-render"
mkdir -p "$OUT"

say() { printf '%s\n' "html-render: $*" >&2; }

find_chromium() {
    for c in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
        [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && { CHROMIUM=$(command -v "$c"); return 0; }
    done
    return 1
}

if ! find_chromium; then
    say "installing chromium (apt-get)"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    find_chromium || { say "no chromium after installing it"; exit 1; }
fi
say "$("$CHROMIUM" --version 2>/dev/null)"

if [ -z "${OIMD_BIN:-}" ]; then
    cargo build --quiet
    OIMD_BIN="$TARGET_DIR/debug/offline-im-doctor"
fi

# Chromium with nothing that talks to the network or keeps state.
chrome() {
    local profile
    profile=$(mktemp -d)
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@"
    local rc=$?
    rm -rf "$profile"
    return $rc
}

CHECK_IDS=$("$OIMD_BIN" checks --format json | sed -n 's/^    "id": "\([a-z-]*\)",$/\1/p')
[ -n "$CHECK_IDS" ] || { say "could not list the check ids"; exit 1; }

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); say "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); say "FAIL $*"; }

# sample | expected diagnosis cause ("" for none) | extra arguments
while IFS='|' read -r sample cause extra; do
    [ -n "$sample" ] || continue
    html="$OUT/$sample.html"
    png="$OUT/$sample.png"
    # Each sample's documented --now (samples/README.md), else one after
    # every spooled file of a fresh checkout.
    case " $extra " in *" --now "*) ;; *) extra="--now 2030-01-01T00:00:00Z $extra" ;; esac
    # shellcheck disable=SC2086 # extra holds separate arguments
    "$OIMD_BIN" check --root "samples/$sample" --format html $extra >"$html" || true
    [ -s "$html" ] || { fail "$sample: no HTML written"; continue; }
    if grep -Eiq '<[^>]*(src=|href=|url\()' "$html" || grep -Eiq '@import|<script' "$html"; then
        fail "$sample: the HTML refers to something outside itself"
        continue
    fi
    rm -f "$png"
    log="$OUT/$sample.chromium.log"
    if ! chrome --window-size=1200,1800 --screenshot="$png" "file://$html" >"$log" 2>&1; then
        fail "$sample: chromium --screenshot failed (see $log)"
        continue
    fi
    if [ ! -s "$png" ] || [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
        fail "$sample: no PNG from chromium (see $log)"
        continue
    fi
    if [ "$(stat -c %s "$png")" -lt 20000 ]; then
        fail "$sample: the PNG is suspiciously small (blank page?)"
        continue
    fi
    if grep -Eq 'Refused to|CONSOLE' "$log"; then
        fail "$sample: chromium reported a blocked load or a console message (see $log)"
        continue
    fi
    pass "$sample: screenshot $png"

    dom=$(chrome --dump-dom "file://$html" 2>/dev/null) || { fail "$sample: --dump-dom failed"; continue; }
    problems=""
    # Here-strings, not `echo | grep -q`: with pipefail an early grep exit
    # would fail the pipeline.
    grep -q "id=\"diagnosis\" data-cause=\"$cause\"" <<<"$dom" || problems+=" cause($cause)"
    grep -q '<svg [^>]*id="timeline-svg"' <<<"$dom" || grep -q 'nothing to draw' <<<"$dom" ||
        problems+=" timeline"
    for id in $CHECK_IDS; do
        grep -q "data-check-id=\"$id\"" <<<"$dom" || problems+=" $id"
    done
    if [ -z "$problems" ]; then
        pass "$sample: DOM has the cause '${cause:-none}', every check id and the timeline"
    else
        fail "$sample: DOM lacks:$problems"
    fi
done <<'EOF'
healthy||--now 2026-09-01T00:00:00Z
stuck-spooler|ews-access|
old-build-onprem|client-build|
policy-disabled|im-auto-archiving|
server-offline-off|server-offline-im|--server-config samples/server-offline-off/server-config.txt
no-logs||
exchange-online-2026|ews-access|--now 2026-11-24T10:00:00Z
exchange-online-2026-policy|exchange-online-ews|--now 2026-12-01T10:00:00Z --server-config samples/exchange-online-2026-policy/server-config.txt
EOF

printf '%s\n' "html-render: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
