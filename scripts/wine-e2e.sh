#!/usr/bin/env bash
# End-to-end tests of the Windows build (x86_64-pc-windows-gnu) under Wine:
# the registry, lync.exe and %LOCALAPPDATA% paths that only exist on Windows.
#
#   scripts/wine-e2e.sh              build, then run every case
#   OIMD_WIN_EXE=path/to.exe scripts/wine-e2e.sh   test a prebuilt exe
#
# Installs what it needs when missing (Debian/Ubuntu: gcc-mingw-w64-x86-64,
# wine64, jq; rustup target x86_64-pc-windows-gnu). Uses its own WINEPREFIX
# under the target dir, never ~/.wine. Prints "N passed, N failed" and exits
# non-zero when a case fails.
set -u -o pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
WORK="$TARGET_DIR/wine-e2e"
TRIPLE=x86_64-pc-windows-gnu
NOW=2026-11-24T10:00:00Z
# Every check of CONTRACT.md, v1 and "Additions".
CHECKS=13
# One hour before NOW: well past the client's two-minute timer.
OLD=2026-11-24T09:00:00Z

say() { printf '%s\n' "wine-e2e: $*" >&2; }
die() { say "error: $*"; exit 2; }

# ---------------------------------------------------------------- tools
# shellcheck source=scripts/lib/apt.sh
. "$ROOT/scripts/lib/apt.sh"

WINE=""
find_wine() {
    # Debian's `wine` package provides /usr/bin/wine; `wine64` alone only
    # /usr/lib/wine/wine64.
    for w in wine wine64 /usr/lib/wine/wine64; do
        if command -v "$w" >/dev/null 2>&1; then WINE=$(command -v "$w"); return 0; fi
    done
    return 1
}

pkgs=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || pkgs+=(gcc-mingw-w64-x86-64)
find_wine && command -v wineserver >/dev/null 2>&1 || pkgs+=(wine64 wine)
command -v jq >/dev/null 2>&1 || pkgs+=(jq)
[ ${#pkgs[@]} -eq 0 ] || install_packages "${pkgs[@]}"
find_wine || die "no wine after installing it"
WINESERVER=$(command -v wineserver || echo /usr/lib/wine/wineserver64)

# ---------------------------------------------------------------- build
EXE=${OIMD_WIN_EXE:-}
if [ -z "$EXE" ]; then
    if ! rustup target list --installed 2>/dev/null | grep -qx "$TRIPLE"; then
        say "rustup target add $TRIPLE"
        rustup target add "$TRIPLE" >/dev/null || die "rustup target add $TRIPLE failed"
    fi
    say "cargo build --release --target $TRIPLE"
    (cd "$ROOT" && cargo build --quiet --release --target "$TRIPLE" --bin offline-im-doctor) ||
        die "the Windows build failed"
    EXE="$TARGET_DIR/$TRIPLE/release/offline-im-doctor.exe"
fi
[ -f "$EXE" ] || die "no Windows exe at $EXE"

mkdir -p "$WORK"
STUB="$WORK/bcryptprimitives.dll"
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$STUB" \
    "$ROOT/scripts/wine/bcryptprimitives.c" "$ROOT/scripts/wine/bcryptprimitives.def" -ladvapi32 ||
    die "building the ProcessPrng stand-in failed"

# ---------------------------------------------------------------- prefix
export WINEPREFIX="$WORK/prefix"
export WINEDEBUG=-all
# No Mono or Gecko install dialogs; bcryptprimitives: our stand-in (Wine 8
# has none; a Wine that has one keeps its own builtin).
export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=b,n"
export WINEARCH=win64
"$WINESERVER" -k >/dev/null 2>&1 || true
rm -rf "$WINEPREFIX"
say "wineboot -i (new prefix $WINEPREFIX)"
"$WINE" wineboot -i >/dev/null 2>&1
"$WINESERVER" -w
SYS32="$WINEPREFIX/drive_c/windows/system32"
[ -d "$SYS32" ] || die "wineboot made no prefix"
cp "$STUB" "$SYS32/bcryptprimitives.dll"

WUSER=$(ls "$WINEPREFIX/drive_c/users" | grep -v -x Public | head -n1)
[ -n "$WUSER" ] || die "no user folder in the prefix"
LOCAL="$WINEPREFIX/drive_c/users/$WUSER/AppData/Local"
OFFICE="$LOCAL/Microsoft/Office"
PROGRAM_FILES="$WINEPREFIX/drive_c/Program Files"
C2R='HKLM\SOFTWARE\Microsoft\Office\ClickToRun\Configuration'
POLICY='HKCU\SOFTWARE\Policies\Microsoft\Office\16.0\Lync'

# A real PE file with a version resource to stand in for lync.exe: one of
# Wine's own PE DLLs.
PE_DLL=""
for d in "$SYS32/kernel32.dll" /usr/lib/x86_64-linux-gnu/wine/x86_64-windows/kernel32.dll \
    /usr/lib/wine/x86_64-windows/kernel32.dll /usr/lib64/wine/x86_64-windows/kernel32.dll; do
    if [ -f "$d" ] && head -c2 "$d" | grep -q MZ; then PE_DLL=$d; break; fi
done

reg() { "$WINE" reg "$@" >/dev/null 2>&1; }

reset_machine() {
    rm -rf "$OFFICE" "$PROGRAM_FILES/Microsoft Office"
    reg delete 'HKLM\SOFTWARE\Microsoft\Office' /f
    reg delete 'HKLM\SOFTWARE\WOW6432Node\Microsoft\Office' /f
    reg delete 'HKCU\SOFTWARE\Policies\Microsoft\Office' /f
    reg delete 'HKCU\Software\Microsoft\Office' /f
    reg delete 'HKCU\Software\IM Providers' /f
    "$WINESERVER" -w
}

# A profile with one spooled file, modified at $1.
make_profile() {
    local spool="$OFFICE/16.0/Lync/sip_x@y/History Spooler"
    mkdir -p "$spool"
    printf '<message/>' >"$spool/{6F1A2B3C-0001}.xml"
    touch -d "$1" "$spool/{6F1A2B3C-0001}.xml"
}

# ---------------------------------------------------------------- running
OUT="$WORK/out.json"
ERR="$WORK/err.txt"
CODE=0
run() {
    "$WINE" "$EXE" "$@" >"$OUT" 2>"$ERR"
    CODE=$?
}

PASSED=0
FAILED=0
CASE=""
CASE_OK=1
begin() { CASE=$1; CASE_OK=1; }
fail() {
    say "  FAIL [$CASE]: $*"
    CASE_OK=0
}
expect_code() { [ "$CODE" = "$1" ] || fail "exit code $CODE, expected $1"; }
# expect_json JQ_FILTER EXPECTED: the filter's raw output must equal EXPECTED.
expect_json() {
    local got
    got=$(jq -r "$1" "$OUT" 2>/dev/null) || { fail "stdout is not JSON: $(head -c 300 "$OUT")"; return; }
    [ "$got" = "$2" ] || fail "$1 is '$got', expected '$2'"
}
expect_stderr() { grep -qi -- "$1" "$ERR" || fail "stderr lacks '$1': $(head -c 400 "$ERR")"; }
no_crash() {
    case "$CODE" in 0 | 1 | 2) ;; *) fail "exit code $CODE is a crash (53: ProcessPrng stand-in missing)" ;; esac
    ! grep -q "panicked" "$ERR" || fail "panic: $(head -c 400 "$ERR")"
}
end() {
    if [ "$CASE_OK" = 1 ]; then
        PASSED=$((PASSED + 1))
        say "ok   $CASE"
    else
        FAILED=$((FAILED + 1))
        say "  stdout: $(head -c 600 "$OUT" | tr '\n' ' ')"
        say "  stderr: $(head -c 600 "$ERR" | tr '\n' ' ')"
    fi
}
check_status() { expect_json ".checks[] | select(.id == \"$1\") | .status" "$2"; }

# ---------------------------------------------------------------- cases
begin "the Rust exe starts under Wine (ProcessPrng stand-in loaded)"
run checks --format json
expect_code 0
expect_json '[.[] | .id] | length' "$CHECKS"
end

begin "no Office at all, no --root: a clear message naming the Windows user, exit 2"
reset_machine
run check --format json --now "$NOW"
no_crash
expect_code 2
expect_stderr "offline-im-doctor"
[ -s "$ERR" ] || fail "nothing on stderr"
# Wine's USERNAME is the Unix account's name.
expect_stderr "no Skype for Business profile for the Windows user $(id -un)"
expect_stderr "Run it as the user who signs in to Skype for Business"
expect_stderr "pass --root"
end

begin "Office but no profile of this account, no --root (watch too): names the Windows user"
reset_machine
mkdir -p "$OFFICE/16.0"
run check --format json --now "$NOW"
no_crash
expect_code 2
expect_stderr "for the Windows user $(id -un)"
run watch --for 1s --format json
no_crash
expect_code 2
expect_stderr "for the Windows user $(id -un)"
end

begin "Click-to-Run registry + stuck spooled file, no --root: exit 1, source registry"
reset_machine
reg add "$C2R" /v VersionToReport /t REG_SZ /d 16.0.6965.2058 /f
reg add "$C2R" /v Platform /t REG_SZ /d x64 /f
reg add "$C2R" /v CDNBaseUrl /t REG_SZ /d http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60 /f
reg add "$POLICY" /v EnableIMAutoArchiving /t REG_DWORD /d 1 /f
reg add 'HKCU\Software\IM Providers\Lync' /v UpAndRunning /t REG_DWORD /d 2 /f
"$WINESERVER" -w
make_profile "$OLD"
run check --format json --now "$NOW"
no_crash
expect_code 1
expect_json .client.source registry
expect_json .client.build 16.0.6965.2058
expect_json .client.install click-to-run
expect_json .client.channel Current
expect_json '.profiles | length' 1
expect_json '.profiles[0].sip_address' x@y
expect_json '.profiles[0].spooler.stuck' 1
check_status spooler-stuck fail
check_status client-install pass
# A live run: this machine is the inspected one, its zone is the logs'.
expect_json '.host != null and .host == .machine.host_name' true
expect_json '.machine.os' 'windows x86_64'
expect_json .logs.utc_offset_source machine
end

begin "a live run's --now without a zone is read in this machine's offset, and said so"
run check --format json --now 2030-01-01T00:00
no_crash
expect_json .logs.utc_offset_source machine
OFF=$(jq -r .machine.utc_offset "$OUT")
GEN=$(jq -r .generated_at "$OUT")
expect_stderr "--now 2030-01-01T00:00:00 read in UTC$OFF (this machine's own zone: a live run): $GEN"
end

begin "the same folder given with --root is a copy: no host, its zone assumed"
run check --format json --now "$NOW" --root "$OFFICE"
no_crash
expect_json .host null
expect_json .machine.host_name null
expect_json .logs.utc_offset_source assumed-this-machine
end

begin "Office LTSC 2024 registry: Skype for Business LTSC 2024, supported"
reset_machine
reg add "$C2R" /v VersionToReport /t REG_SZ /d 16.0.17932.20638 /f
reg add "$C2R" /v Platform /t REG_SZ /d x64 /f
reg add "$C2R" /v ProductReleaseIds /t REG_SZ /d ProPlus2024Volume,SkypeforBusiness2024Volume /f
reg add "$C2R" /v CDNBaseUrl /t REG_SZ /d http://officecdn.microsoft.com/pr/7983bac0-e531-40cf-be00-fd24fe66619c /f
"$WINESERVER" -w
make_profile "$NOW"
run check --format json --now "$NOW"
no_crash
expect_json .client.source registry
expect_json .client.product "Skype for Business LTSC 2024"
expect_json .client.support_ends 2029-10-09
check_status client-support pass
expect_json '.checks[] | select(.id == "client-support") | .code' support-current
end

begin "an old Skype for Business 2016 Click-to-Run registry: past its end of support"
reset_machine
reg add "$C2R" /v VersionToReport /t REG_SZ /d 16.0.7766.2047 /f
reg add "$C2R" /v Platform /t REG_SZ /d x86 /f
reg add "$C2R" /v ProductReleaseIds /t REG_SZ /d ProPlusRetail /f
reg add "$C2R" /v CDNBaseUrl /t REG_SZ /d http://officecdn.microsoft.com/pr/7ffbc6bf-bc32-4f92-8982-f9dd17fd3114 /f
"$WINESERVER" -w
make_profile "$NOW"
run check --format json --now "$NOW"
no_crash
expect_json .client.product "Skype for Business 2016 (Click-to-Run)"
expect_json .client.support_ends 2025-10-14
check_status client-support warn
expect_json '.checks[] | select(.id == "client-support") | .code' support-ended
end

begin "started from a script (stdout redirected): never waits for a key"
reset_machine
make_profile "$NOW"
OFFLINE_IM_DOCTOR_WAIT=explain run check --format json --now "$NOW" </dev/null
no_crash
expect_stderr "not waiting"
expect_stderr "stdout redirected"
end

begin "the WOW6432Node twin is read when the native key is absent"
reset_machine
reg add 'HKLM\SOFTWARE\WOW6432Node\Microsoft\Office\ClickToRun\Configuration' /v VersionToReport /t REG_SZ /d 16.0.7369.2054 /f
"$WINESERVER" -w
make_profile "$NOW"
run check --format json --now "$NOW"
no_crash
expect_json .client.source registry
expect_json .client.build 16.0.7369.2054
end

if [ -n "$PE_DLL" ]; then
    PE_VERSION=$(python3 - "$PE_DLL" <<'EOF' 2>/dev/null || true
import struct, sys
b = open(sys.argv[1], 'rb').read()
i = b.find(struct.pack('<I', 0xFEEF04BD))
ms, ls = struct.unpack('<II', b[i + 8:i + 16])
print(f"{ms >> 16}.{ms & 0xffff}.{ls >> 16}.{ls & 0xffff}")
EOF
)

    begin "MSI-style lync.exe under Program Files, no registry: client-install fail"
    reset_machine
    mkdir -p "$PROGRAM_FILES/Microsoft Office/Office16"
    cp "$PE_DLL" "$PROGRAM_FILES/Microsoft Office/Office16/lync.exe"
    make_profile "$NOW"
    run check --format json --now "$NOW"
    no_crash
    expect_code 1
    expect_json .client.source lync.exe
    expect_json .client.install msi
    [ -z "$PE_VERSION" ] || expect_json .client.build "$PE_VERSION"
    check_status client-install fail
    check_status spooler-stuck info
    end

    begin "Click-to-Run lync.exe (root\\Office16) without registry: install click-to-run"
    reset_machine
    mkdir -p "$PROGRAM_FILES/Microsoft Office/root/Office16"
    cp "$PE_DLL" "$PROGRAM_FILES/Microsoft Office/root/Office16/lync.exe"
    make_profile "$NOW"
    run check --format json --now "$NOW"
    no_crash
    expect_json .client.source lync.exe
    expect_json .client.install click-to-run
    check_status client-install pass
    end

    begin "--lync-exe on a collected copy with --root"
    reset_machine
    COPY="$WORK/collected"
    rm -rf "$COPY"
    mkdir -p "$COPY/Office16" "$COPY/Local/Microsoft/Office/16.0/Lync/sip_x@y/History Spooler"
    cp "$PE_DLL" "$COPY/Office16/lync.exe"
    run check --format json --now "$NOW" --root 'Z:'"$(printf '%s' "$COPY/Local" | tr / '\\')" \
        --lync-exe 'Z:'"$(printf '%s' "$COPY/Office16/lync.exe" | tr / '\\')"
    no_crash
    expect_json .client.source lync.exe
    expect_json .client.install msi
    check_status client-install fail
    end
else
    say "SKIPPED the lync.exe cases: no Wine PE DLL (kernel32.dll) found to stand in for lync.exe"
fi

begin "a garbage lync.exe is evidence, not a crash"
reset_machine
mkdir -p "$PROGRAM_FILES/Microsoft Office/root/Office16"
head -c 5000 /dev/urandom >"$PROGRAM_FILES/Microsoft Office/root/Office16/lync.exe"
printf 'MZ' | dd of="$PROGRAM_FILES/Microsoft Office/root/Office16/lync.exe" conv=notrunc 2>/dev/null
make_profile "$NOW"
run check --format json --now "$NOW"
no_crash
expect_json '.checks | length' "$CHECKS"
end

# The client's own settings: logging values and the hybrid ADAL policy.
LYNC_SETTINGS='HKCU\Software\Microsoft\Office\16.0\Lync'

begin "logging off in the registry explains the missing log (client-logs)"
reset_machine
reg add "$LYNC_SETTINGS" /v EnableTracing /t REG_DWORD /d 0 /f
reg add "$LYNC_SETTINGS" /v TracingLevel /t REG_SZ /d Light /f
"$WINESERVER" -w
make_profile "$NOW"
run check --format json --now "$NOW"
no_crash
check_status client-logs warn
expect_json '.checks[] | select(.id == "client-logs") | .code' logs-tracing-off
expect_json '[.checks[] | select(.id == "client-logs") | .evidence[].detail | select(test("EnableTracing = 0"))] | length' 1
end

# A mailbox in Exchange Online and an EWS 401 whose WWW-Authenticate offers
# Bearer (hybrid: EWS offers modern authentication), then an offline message
# failing with hr=0x80190191: the remediation names
# AllowAdalForNonLyncIndependentOfLync when the registry policy does not set
# it, and not once it is set.
hybrid_log() {
    mkdir -p "$OFFICE/16.0/Lync/Tracing"
    printf '%s\r\n' \
        '11/24/2026|09:00:00.000 1A2C:2B3D INFO  :: autodiscover result:' \
        '<EwsExternalUrl>https://outlook.office365.com/EWS/Exchange.asmx</EwsExternalUrl>' \
        '11/24/2026|09:00:00.500 1A2C:2B3D INFO  :: Sending request - POST https://outlook.office365.com/EWS/Exchange.asmx' \
        '11/24/2026|09:00:00.700 1A2C:2B3D INFO  :: Data Received - response:' \
        'HTTP/1.1 401 Unauthorized' \
        'WWW-Authenticate: Bearer client_id="00000002-0000-0ff1-ce00-000000000000", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"' \
        'WWW-Authenticate: Basic Realm=""' \
        '11/24/2026|09:00:01.000 1A2C:2B3D INFO  :: COfflineImManager::ProcessSpooler - History Spooler item picked up' \
        '11/24/2026|09:00:02.000 1A2C:2B3D ERROR :: COfflineImManager::OnSendComplete - failed to send offline message, hr=0x80190191' \
        >"$OFFICE/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog"
}

begin "hybrid EWS 401 with a Bearer challenge, without AllowAdalForNonLyncIndependentOfLync: named in the remediation"
reset_machine
reg add "$LYNC_SETTINGS" /v EnableTracing /t REG_DWORD /d 1 /f
reg add "$LYNC_SETTINGS" /v TracingLevel /t REG_SZ /d FULL /f
"$WINESERVER" -w
make_profile "$NOW"
hybrid_log
run check --format json --now "$NOW"
no_crash
expect_json '.checks[] | select(.id == "ews-access") | .code' ews-requests-refused
expect_json '.checks[] | select(.id == "ews-access") | .remediation | test("AllowAdalForNonLyncIndependentOfLync = 1")' true
expect_json '.checks[] | select(.id == "client-logs") | .code' logs-read
end

begin "hybrid EWS 401 with the ADAL policy set: not asked for again"
reset_machine
reg add "$POLICY" /v AllowAdalForNonLyncIndependentOfLync /t REG_DWORD /d 1 /f
"$WINESERVER" -w
make_profile "$NOW"
hybrid_log
run check --format json --now "$NOW"
no_crash
expect_json '.checks[] | select(.id == "ews-access") | .code' ews-requests-refused
expect_json '.checks[] | select(.id == "ews-access") | .remediation | test("AllowAdalForNonLyncIndependentOfLync")' false
end

# `watch` from the Windows build on the default root (%LOCALAPPDATA%\Microsoft\Office):
# this script plays the client once the watch says it is ready.
watch_run() {
    # Empty the files first: the ready line of an earlier case must not
    # start this case's client before this watch is ready.
    : >"$OUT"
    : >"$ERR"
    OFFLINE_IM_DOCTOR_PROGRESS=always "$WINE" "$EXE" watch --format json "$@" >"$OUT" 2>"$ERR" &
    local pid=$!
    for _ in $(seq 600); do grep -q "Now send an IM" "$ERR" 2>/dev/null && break; sleep 0.1; done
    grep -q "Now send an IM" "$ERR" 2>/dev/null || fail "the watch never said it was ready"
    "$WATCH_CLIENT"
    wait "$pid"
    CODE=$?
}
log_line() {
    printf '%s 1A2C:2B3D %-5s :: %s\r\n' "$(date +%m/%d/%Y\|%H:%M:%S.000)" "$1" "$2" \
        >>"$OFFICE/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog"
}
watch_profile() {
    mkdir -p "$OFFICE/16.0/Lync/sip_x@y/History Spooler" "$OFFICE/16.0/Lync/Tracing"
    printf '11/24/2026|09:00:00.000 1A2C:2B3D ERROR :: failed to send offline message, hr=0x80190191\r\n' \
        >"$OFFICE/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog"
}
SPOOLED="$OFFICE/16.0/Lync/sip_x@y/History Spooler/{6F1A2B3C-0002}.eml"
client_delivers() {
    printf 'To: kim@y.test\r\n\r\nhello' >"$SPOOLED"
    log_line INFO "offline message queued"
    sleep 3
    rm -f "$SPOOLED"
    log_line INFO "offline message processed"
}
client_is_stuck() {
    printf 'To: kim@y.test\r\n\r\nhello' >"$SPOOLED"
    log_line ERROR "failed to send offline message, hr=0x80190191"
}

begin "watch: a test message delivered, no --root: exit 0, delivered"
reset_machine
watch_profile
WATCH_CLIENT=client_delivers watch_run --stuck-after 10s --for 60s
no_crash
expect_code 0
expect_json '.watch.messages | length' 1
expect_json '.watch.messages[0].outcome' delivered
expect_json '.watch.messages[0].profile' x@y
expect_json '.watch.messages[0].recipients[0]' kim@y.test
expect_json '.watch.ended_by' settled
expect_json '.watch.log_entries' 2
expect_json '.checks[] | select(.id == "offline-im-activity") | .code' offline-events
expect_stderr "Delivered: {6F1A2B3C-0002}.eml"
end

begin "watch: a test message stuck, no --root: exit 1, stuck"
reset_machine
watch_profile
WATCH_CLIENT=client_is_stuck watch_run --stuck-after 3s --for 60s
no_crash
expect_code 1
expect_json '.watch.messages[0].outcome' stuck
expect_json '.watch.ended_by' settled
expect_json '.watch.log_entries' 1
check_status spooler-stuck fail
expect_json '.checks[] | select(.id == "offline-im-activity") | .code' offline-failures
expect_stderr "Stuck: {6F1A2B3C-0002}.eml"
end

# --probe from the Windows build: TLS through Windows' CryptoAPI (Wine's
# crypt32) against a loopback HTTPS server whose self-signed certificate no
# store trusts. Loopback only: the EWS URL is an IP literal on 127.0.0.1, the
# SIP domain is under .invalid and DNS goes to a closed loopback port.
if command -v openssl >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
    begin "--probe under Wine: an untrusted certificate on a loopback EWS is named"
    reset_machine
    LAB="$WORK/probe-lab"
    rm -rf "$LAB" && mkdir -p "$LAB"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ews.lab.test" \
        -keyout "$LAB/key.pem" -out "$LAB/cert.pem" >/dev/null 2>&1
    python3 - "$LAB" >"$LAB/port" 2>/dev/null <<'PY' &
import http.server, ssl, sys, threading
lab = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(401)
        self.send_header("WWW-Authenticate", "Negotiate")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(lab + "/cert.pem", lab + "/key.pem")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
threading.Timer(120, srv.shutdown).start()
srv.serve_forever()
PY
    LAB_PID=$!
    for _ in $(seq 50); do [ -s "$LAB/port" ] && break; sleep 0.1; done
    PORT=$(head -n1 "$LAB/port")
    mkdir -p "$OFFICE/16.0/Lync/sip_x@lab.invalid" "$OFFICE/16.0/Lync/Tracing"
    printf '11/24/2026|09:00:00.000 1A2C:2B3D INFO  :: autodiscover result:\r\n<EwsInternalUrl>https://127.0.0.1:%s/EWS/Exchange.asmx</EwsInternalUrl>\r\n' "$PORT" \
        >"$OFFICE/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog"
    run check --format json --now "$NOW" --probe --probe-dns 127.0.0.1:9 --probe-timeout 2s
    no_crash
    check_status ews-reachability fail
    expect_json '.checks[] | select(.id == "ews-reachability") | .code' probe-ews-certificate-untrusted
    expect_json '[.probe.steps[] | select(.kind == "tcp" and .outcome == "ok")] | length > 0' true
    kill "$LAB_PID" 2>/dev/null || true
    end
else
    say "SKIPPED the --probe case: openssl or python3 missing"
fi

# ---------------------------------------------------------------- the exe itself
# Its size is printed in every CI run: it is copied to users' machines and
# into Intune packages (release profile: no debug information, stripped).
SIZE=$(stat -c %s "$EXE")
printf '%s\n' "wine-e2e: exe size $SIZE bytes ($((SIZE / 1024)) KiB; limit 12 MiB)"
begin "the exe is at most 12 MiB"
[ "$SIZE" -le $((12 * 1024 * 1024)) ] || fail "$SIZE bytes is above 12 MiB"
end

VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ROOT/Cargo.toml" | head -n1)
EXE_WIN='Z:'"$(printf '%s' "$EXE" | tr / '\\')"
begin "version resource read back with the tool's own PE reader; manifest embedded"
reset_machine
make_profile "$NOW"
run check --format json --now "$NOW" --lync-exe "$EXE_WIN"
no_crash
expect_json .client.build "$VERSION.0"
expect_json .client.source lync.exe
for needle in 'level="asInvoker"' '>UTF-8</activeCodePage>' '>true</longPathAware>' \
    'P\x00r\x00o\x00d\x00u\x00c\x00t\x00N\x00a\x00m\x00e'; do
    LC_ALL=C grep -aqP -- "$needle" "$EXE" || fail "the exe lacks $needle"
done
end

# Code pages: a technician's cmd.exe is on 437 or 850. Redirected, the table
# has ASCII borders and JSON is ASCII (\u escapes), so any code page reads
# them back; on the console the report goes through WriteConsoleW.
reset_machine
mkdir -p "$OFFICE/16.0/Lync/sip_jürgen@contoso.com/History Spooler"
printf '<message/>' >"$OFFICE/16.0/Lync/sip_jürgen@contoso.com/History Spooler/{1}.xml"
touch -d "$OLD" "$OFFICE/16.0/Lync/sip_jürgen@contoso.com/History Spooler/{1}.xml"
TXT="$WORK/cp.txt"
TXT_WIN='Z:'"$(printf '%s' "$TXT" | tr / '\\')"
for cp in 437 850; do
    begin "chcp $cp, table redirected to a file: ASCII borders (-v draws the table)"
    rm -f "$TXT"
    "$WINE" cmd /c "chcp $cp >nul & $EXE_WIN check -v --now $NOW > $TXT_WIN" >"$OUT" 2>"$ERR"
    [ -s "$TXT" ] || fail "nothing written"
    # The borders are ASCII; names stay UTF-8 text.
    ! grep -q '[┌┐└┘│─┆╞═╪]' "$TXT" || fail "box-drawing characters: $(grep -m1 '[┌│─]' "$TXT")"
    grep -q '^+--' "$TXT" || fail "no ASCII border: $(head -c 300 "$TXT")"
    grep -q 'jürgen@contoso.com' "$TXT" || fail "no profile line in UTF-8"
    end

    begin "chcp $cp, JSON redirected: ASCII with \\u escapes"
    rm -f "$TXT"
    "$WINE" cmd /c "chcp $cp >nul & $EXE_WIN check --now $NOW --format json > $TXT_WIN" >"$OUT" 2>"$ERR"
    ! LC_ALL=C grep -qP '[^\x00-\x7F]' "$TXT" || fail "non-ASCII bytes in JSON"
    grep -q 'j\\u00fcrgen@contoso.com' "$TXT" || fail "no \\u00fc escape: $(grep -a sip_address "$TXT" | head -n1)"
    [ "$(jq -r '.profiles[0].sip_address' "$TXT")" = "jürgen@contoso.com" ] || fail "JSON does not decode to jürgen"
    end

    if command -v script >/dev/null 2>&1; then
        begin "chcp $cp, on the console: Unicode through the console API"
        rm -f "$TXT"
        # script(1) gives Wine a terminal, which it makes a console.
        script -qec "\"$WINE\" cmd /c \"chcp $cp >nul & $EXE_WIN check -v --now $NOW\"" "$TXT" >/dev/null 2>&1 </dev/null
        grep -q 'jürgen@contoso.com' "$TXT" || fail "no jürgen on the console: $(grep -a 'User:' "$TXT" | head -c 200)"
        grep -q '┌' "$TXT" || fail "no Unicode border on the console: $(head -c 300 "$TXT")"
        end
    fi
done

# ---------------------------------------------------------------- the report's language
# Wine answers GetUserPreferredUILanguages from the Unix locale of the Wine
# process (LC_MESSAGES after setlocale; LC_ALL itself when that locale is
# not installed), and copies LANG and LC_ALL into the Windows environment
# too, which the tool reads first. A blank LC_ALL in HKCU\Environment
# (applied over the copied variables) leaves the Windows environment with
# nothing to say, so only the Windows display language decides: the
# Windows path, proven by -v naming it.
SAMPLE_WIN='Z:'"$(printf '%s' "$ROOT/samples/stuck-spooler" | tr / '\\')"
UTF8_E_ACUTE=$(printf '\303\251')
ui_run() {
    local locale=$1
    shift
    env -u LANG -u LC_MESSAGES LC_ALL="$locale" "$WINE" "$EXE" "$@" >"$OUT" 2>"$ERR"
    CODE=$?
}
reset_machine
make_profile "$OLD"
reg add 'HKCU\Environment' /v LC_ALL /t REG_SZ /d " " /f
"$WINESERVER" -w

begin "a French Windows display language, no language variable: a French report"
ui_run fr_FR.UTF-8 check -v --now "$NOW" --format json
no_crash
expect_json .lang fr
expect_json '.checks[] | select(.id == "ews-access") | .title' "Accès aux services web Exchange (EWS)"
expect_stderr "report language fr (from the Windows display language fr-FR)"
end

begin "a German Windows display language: English, and one stderr line naming it"
ui_run de_DE.UTF-8 check --now "$NOW" --format json
no_crash
expect_json .lang en
expect_json '.checks[] | select(.id == "ews-access") | .title' "Exchange Web Services access"
[ "$(grep -c 'de-DE' "$ERR")" = 1 ] || fail "not one stderr line naming de-DE: $(head -c 400 "$ERR")"
expect_stderr "language de-DE (from the Windows display language de-DE) is not available (available: en, fr)"
end

reg delete 'HKCU\Environment' /v LC_ALL /f
"$WINESERVER" -w

begin "chcp 850, a French report redirected to a file: UTF-8, accents as UTF-8 bytes"
rm -f "$TXT"
"$WINE" cmd /c "chcp 850 >nul & $EXE_WIN check -v --now 2030-01-01T00:00:00Z --root $SAMPLE_WIN --lang fr > $TXT_WIN" >"$OUT" 2>"$ERR"
[ -s "$TXT" ] || fail "nothing written"
iconv -f UTF-8 -t UTF-8 "$TXT" >/dev/null 2>&1 || fail "not UTF-8: $(head -c 300 "$TXT")"
grep -q "$UTF8_E_ACUTE" "$TXT" || fail "no é as the UTF-8 bytes C3 A9"
grep -q 'hors connexion' "$TXT" || fail "not French: $(head -c 300 "$TXT")"
grep -q '^+--' "$TXT" || fail "no ASCII border: $(head -c 300 "$TXT")"
end

begin "chcp 850, --lang fr --output: UTF-8 with a BOM"
RAPPORT="$WORK/rapport.md"
RAPPORT_WIN='Z:'"$(printf '%s' "$RAPPORT" | tr / '\\')"
rm -f "$RAPPORT"
"$WINE" cmd /c "chcp 850 >nul & $EXE_WIN check --now 2030-01-01T00:00:00Z --root $SAMPLE_WIN --lang fr --output $RAPPORT_WIN" >"$OUT" 2>"$ERR"
[ "$(head -c 3 "$RAPPORT" | od -An -tx1 | tr -d ' \n')" = efbbbf ] || fail "no UTF-8 BOM: $(head -c 3 "$RAPPORT" | od -An -tx1)"
grep -q "$UTF8_E_ACUTE" "$RAPPORT" || fail "no é as UTF-8"
grep -q 'hors connexion' "$RAPPORT" || fail "not French: $(head -c 300 "$RAPPORT")"
end

if command -v script >/dev/null 2>&1; then
    begin "chcp 850, a French report on the console: accents through the console API"
    rm -f "$TXT"
    script -qec "\"$WINE\" cmd /c \"chcp 850 >nul & $EXE_WIN check -v --now 2030-01-01T00:00:00Z --root $SAMPLE_WIN --lang fr\"" "$TXT" >/dev/null 2>&1 </dev/null
    grep -q "$UTF8_E_ACUTE" "$TXT" || fail "no é on the console: $(head -c 300 "$TXT")"
    grep -q 'hors connexion' "$TXT" || fail "not French on the console: $(head -c 300 "$TXT")"
    grep -q '┌' "$TXT" || fail "no Unicode border on the console: $(head -c 300 "$TXT")"
    end
fi

"$WINESERVER" -k >/dev/null 2>&1 || true
printf '%s\n' "wine-e2e: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
