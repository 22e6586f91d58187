#!/usr/bin/env bash
# Hostile inputs that used to hang or grow quadratically, timed on a
# release build: wall time and peak RSS (from /usr/bin/time -v) per case.
#
#   benchsuite/hostile.sh            # every case
#   CASES="paste manifest" benchsuite/hostile.sh
#
# Cases:
#   paste      100,000 pasted Get-CsImConfiguration objects (--server-config)
#   manifest   a bundle whose inventory names 300,000 logs, with as many manifest entries
#   repeated   an inventory naming one 64 MiB log 1,000 times (--accept-damaged)
#   growing    a log written to while `check` reads it
#   fifo       --rules FIFO, --lync-exe FIFO, --rules /dev/zero
#   spooler    collect --include-messages of 200,010 spooled files, then check of the bundle
#   redact     collect --redact of a 32 MiB log naming addresses in 1,000 domains
#
# Each case prints: name, exit code, seconds, peak RSS in MiB. A case that
# takes longer than TIMEOUT seconds (default 300) is killed and says so.
set -euo pipefail

CASES=${CASES:-"paste manifest repeated growing fifo spooler redact"}
TIMEOUT=${TIMEOUT:-300}
WORK=${WORK:-/tmp/offline-im-doctor-hostile}
NOW=2026-11-24T10:00:00Z
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}
[ -x /usr/bin/time ] || { echo "hostile.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "hostile.sh: needs python3" >&2; exit 2; }

# BIN=path/to/another/build compares (e.g. an older release).
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet --bin offline-im-doctor
    BIN="$PWD/$TARGET/release/offline-im-doctor"
fi
rm -rf "$WORK"
mkdir -p "$WORK"

# measure NAME CMD...: one line of figures.
measure() {
    local name=$1
    shift
    local log="$WORK/$name.time"
    local code=0
    timeout "$TIMEOUT" /usr/bin/time -v -o "$log" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || code=$?
    if [ "$code" = 124 ]; then
        printf '%-22s killed after %ss\n' "$name" "$TIMEOUT"
        return
    fi
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
    printf '%-22s exit %-3s %10s  %6s MiB\n' "$name" "$code" "$wall" "$rss"
}

profile_tree() {
    local root=$1
    mkdir -p "$root/Microsoft/Office/16.0/Lync/sip_a@contoso.com/History Spooler" \
        "$root/Microsoft/Office/16.0/Lync/Tracing"
}

entry() { printf '11/24/2026|%s 1A2C:2B3D INFO  :: %s\r\n' "$1" "$2"; }

case_paste() {
    local root="$WORK/paste"
    profile_tree "$root"
    python3 - "$WORK/paste.txt" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(100_000):
        f.write(f"Identity : Tag:p{i}\r\nEnableOfflineIm : True\r\n\r\n")
EOF
    measure paste "$BIN" check --root "$root" --now "$NOW" --format json \
        --server-config "$WORK/paste.txt"
}

# A real bundle, then rewritten by python: $1 = name, $2 = python edit.
bundle_case() {
    local name=$1 edit=$2
    local root="$WORK/$name-root"
    profile_tree "$root"
    python3 - "$root/Microsoft/Office/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog" "${LOG_MIB:-1}" <<'EOF'
import sys
line = "11/24/2026|09:00:00.000 1A2C:2B3D INFO  :: Sending Packet - 10.0.0.5:443 (From Local Address: 10.0.0.12:50312) 900 bytes:\r\nREGISTER sip:contoso.com SIP/2.0\r\nUser-Agent: UCCAPI/16.0.7571.2072 OC/16.0.7571.2072 (Skype for Business)\r\n"
want = int(sys.argv[2]) << 20
with open(sys.argv[1], "w", newline="") as f:
    n = 0
    while n < want:
        f.write(line)
        n += len(line)
EOF
    "$BIN" collect --root "$root" --now "$NOW" --out "$WORK/$name-ok.zip" 2>/dev/null
    python3 - "$WORK/$name-ok.zip" "$WORK/$name.zip" "$edit" <<'EOF'
import hashlib, json, sys, zipfile
src, dst, edit = sys.argv[1:4]
members = {}
with zipfile.ZipFile(src) as z:
    for n in z.namelist():
        members[n] = z.read(n)
inv = json.loads(members["inventory.json"])
man = json.loads(members["manifest.json"])
log = inv["lync_folders"][0]["logs"][0]
if edit == "manifest":
    names = [f"logs/16.0/x{i}.UccApilog" for i in range(300_000)]
    inv["lync_folders"][0]["logs"] = names
    man["files"] += [{"path": n, "source": None, "size": 1, "modified": None, "sha256": "00"} for n in names]
elif edit == "repeated":
    inv["lync_folders"][0]["logs"] = [log] * 1000
members["inventory.json"] = json.dumps(inv).encode()
for f in man["files"]:
    if f["path"] == "inventory.json":
        f["size"] = len(members["inventory.json"])
        f["sha256"] = hashlib.sha256(members["inventory.json"]).hexdigest()
members["manifest.json"] = json.dumps(man).encode()
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for n, b in members.items():
        z.writestr(n, b)
EOF
}

case_manifest() {
    bundle_case manifest manifest
    measure manifest "$BIN" check --root "$WORK/manifest.zip" --now "$NOW" --format json --accept-damaged
}

case_repeated() {
    LOG_MIB=64 bundle_case repeated repeated
    measure repeated-refused "$BIN" check --root "$WORK/repeated.zip" --now "$NOW" --format json
    measure repeated-accepted "$BIN" check --root "$WORK/repeated.zip" --now "$NOW" --format json --accept-damaged
}

case_growing() {
    local root="$WORK/growing"
    profile_tree "$root"
    local log="$root/Microsoft/Office/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog"
    for _ in $(seq 1 20000); do entry 09:00:00.000 "starting"; done >"$log"
    # The client keeps writing (at most 2 GiB here).
    (
        block=$(for _ in $(seq 1 4000); do entry 09:00:01.000 "still writing"; done)
        written=0
        while [ "$written" -lt 2147483648 ]; do
            printf '%s\n' "$block" >>"$log" || break
            written=$((written + ${#block}))
        done
    ) &
    local writer=$!
    sleep 0.2
    measure growing "$BIN" check --root "$root" --now "$NOW" --format json
    kill "$writer" 2>/dev/null || true
    wait "$writer" 2>/dev/null || true
    grep -o 'grew while read[^"]*' "$WORK/growing.out" | head -1 | sed 's/^/    /' || true
    rm -f "$log"
}

case_fifo() {
    local root="$WORK/fifo"
    profile_tree "$root"
    mkfifo "$WORK/pipe"
    measure fifo-rules "$BIN" check --root "$root" --now "$NOW" --rules "$WORK/pipe"
    measure fifo-lync-exe "$BIN" check --root "$root" --now "$NOW" --lync-exe "$WORK/pipe"
    measure dev-zero-rules "$BIN" check --root "$root" --now "$NOW" --rules /dev/zero
}

case_spooler() {
    local root="$WORK/spooler"
    profile_tree "$root"
    python3 - "$root/Microsoft/Office/16.0/Lync/sip_a@contoso.com/History Spooler" <<'EOF'
import os, sys
for i in range(200_010):
    with open(os.path.join(sys.argv[1], f"{i:06}.xml"), "wb") as f:
        f.write(b"<m/>")
EOF
    measure spooler-collect "$BIN" collect --root "$root" --now "$NOW" --out "$WORK/spooler.zip" --include-messages
    measure spooler-check "$BIN" check --root "$WORK/spooler.zip" --now "$NOW" --format json
    rm -rf "$root"
}

case_redact() {
    local root="$WORK/redact"
    profile_tree "$root"
    python3 - "$root/Microsoft/Office/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog" <<'EOF'
import sys
want = 32 << 20
with open(sys.argv[1], "w", newline="") as f:
    n = i = 0
    while n < want:
        d = f"d{i % 1000}.example"
        text = (f"11/24/2026|09:00:00.000 1A2C:2B3D INFO  :: Sending Packet - 10.0.0.5:443\r\n"
                f"MESSAGE sip:u{i}@{d} SIP/2.0\r\nFrom: <sip:a@contoso.com>;tag=1\r\n"
                f"To: <sip:u{i}@{d}>\r\nCSeq: 1 MESSAGE\r\n\r\n")
        f.write(text)
        n += len(text)
        i += 1
EOF
    measure redact-collect "$BIN" collect --root "$root" --now "$NOW" --redact --out "$WORK/redact.zip"
    rm -rf "$root"
}

printf '%-22s %-8s %10s  %10s\n' case "exit" "wall" "peak RSS"
for c in $CASES; do
    "case_$c"
done
