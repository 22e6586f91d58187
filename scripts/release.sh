#!/usr/bin/env bash
# Release artifacts of offline-im-doctor (docs/release.md).
#
#   bash scripts/release.sh                 build the committed HEAD twice in two
#                                           folders, compare, sign, package into
#                                           dist/, then run the checks below
#   bash scripts/release.sh check           check dist/ (checksums, SBOM, notices,
#                                           signature, --version natively and
#                                           under Wine, a throwaway signing test)
#   bash scripts/release.sh sign-test       sign a copy of dist's exe with a
#                                           throwaway certificate and verify it
#   bash scripts/release.sh throwaway-cert DIR
#                                           write DIR/cert.pem and DIR/key.pem: a
#                                           self-signed code-signing certificate
#                                           for tests (never for a real release)
#
# Environment:
#   RELEASE_SIGN_CERT, RELEASE_SIGN_KEY   PEM certificate (chain) and private key:
#                                         the exe gets an Authenticode signature
#   RELEASE_SIGN_KEY_PASSWORD             password of an encrypted key
#   RELEASE_SIGN_CAFILE                   trust anchors to verify the signature
#                                         with [the certificate itself when it is
#                                         self-signed, else the system's bundle]
#   RELEASE_TIMESTAMP_URL                 RFC 3161 time-stamping server
#   RELEASE_DOWNLOAD_URL                  where the archives will be published
#                                         (for the winget manifest)
#   RELEASE_ALLOW_DIRTY=1                 build HEAD even with uncommitted changes
#   RELEASE_TOOLS_ROOT                    where the pinned tools are installed
#                                         [target/release-tools]
#
# Installs what it needs when missing: the pinned cargo tools below (cargo
# install --locked into RELEASE_TOOLS_ROOT, never ~/.cargo/bin), the rustup
# target x86_64-pc-windows-gnu, and the Debian packages gcc-mingw-w64-x86-64,
# osslsigncode, zip, unzip, jq, python3-yaml and python3-jsonschema.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# Pinned tools (crates.io); docs/release.md says what each does.
CARGO_ABOUT_VERSION=0.9.3
CARGO_CYCLONEDX_VERSION=0.5.9
CARGO_AUDITABLE_VERSION=0.7.7

WIN=x86_64-pc-windows-gnu
LINUX=x86_64-unknown-linux-gnu
BIN=offline-im-doctor
TOOLS=${RELEASE_TOOLS_ROOT:-$ROOT/target/release-tools}
WORK=$ROOT/target/release-work
DIST=$ROOT/dist

say() { printf 'release: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

# ---------------------------------------------------------------- tools
# shellcheck source=scripts/lib/apt.sh
. "$ROOT/scripts/lib/apt.sh"

system_tools() {
    local pkgs=()
    command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || pkgs+=(gcc-mingw-w64-x86-64)
    command -v osslsigncode >/dev/null 2>&1 || pkgs+=(osslsigncode)
    command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
    command -v zip >/dev/null 2>&1 || pkgs+=(zip)
    command -v unzip >/dev/null 2>&1 || pkgs+=(unzip)
    command -v jq >/dev/null 2>&1 || pkgs+=(jq)
    python3 -c 'import yaml' 2>/dev/null || pkgs+=(python3-yaml)
    python3 -c 'import jsonschema' 2>/dev/null || pkgs+=(python3-jsonschema)
    [ ${#pkgs[@]} -eq 0 ] || install_packages "${pkgs[@]}"
}

# cargo_tool NAME VERSION [ARGS]: install NAME@VERSION into $TOOLS unless it
# is there.
cargo_tool() {
    local name=$1 version=$2 start
    shift 2
    if grep -qs "^\"$name $version " "$TOOLS/.crates.toml" && [ -x "$TOOLS/bin/$name" ]; then
        return 0
    fi
    say "cargo install --locked $name@$version (into $TOOLS)"
    start=$(date +%s)
    cargo install --quiet --locked --root "$TOOLS" "$@" "$name@$version" ||
        die "cargo install $name@$version failed"
    say "installed $name@$version in $(($(date +%s) - start)) s"
}

cargo_tools() {
    cargo_tool cargo-auditable "$CARGO_AUDITABLE_VERSION"
    # cargo-about's binary needs its `cli` feature.
    cargo_tool cargo-about "$CARGO_ABOUT_VERSION" --features cli
    cargo_tool cargo-cyclonedx "$CARGO_CYCLONEDX_VERSION"
    export PATH="$TOOLS/bin:$PATH"
}

# ---------------------------------------------------------------- facts
version() {
    cargo metadata --no-deps --format-version 1 --locked --offline |
        jq -r --arg n "$BIN" '.packages[] | select(.name == $n) | .version'
}

# The Windows FILEVERSION: major.minor.patch.0 (build.rs).
version4() { printf '%s.0' "$(printf '%s' "$1" | sed 's/[-+].*//')"; }

zip_name() { printf '%s-%s-windows-x86_64' "$BIN" "$1"; }
tar_name() { printf '%s-%s-linux-x86_64' "$BIN" "$1"; }

# ---------------------------------------------------------------- build
# build_tree NAME: export HEAD into $WORK/NAME/src and build both targets
# there with their own target dir. Every path that could end up in a
# binary is remapped to /build or /cargo, and the time is the commit's.
build_tree() {
    local dir=$WORK/$1 cargo_home=${CARGO_HOME:-$HOME/.cargo}
    rm -rf "$dir/src"
    mkdir -p "$dir/src" "$dir/target"
    git archive --format=tar "$COMMIT" | tar -x -C "$dir/src"
    local remap="--remap-path-prefix=$dir=/build --remap-path-prefix=$cargo_home=/cargo"
    local cmap="-ffile-prefix-map=$dir=/build -ffile-prefix-map=$cargo_home=/cargo"
    say "building $COMMIT in $dir/src"
    (
        cd "$dir/src"
        unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS
        export OIMD_BUILD_COMMIT=$COMMIT SOURCE_DATE_EPOCH=$EPOCH ZERO_AR_DATE=1 TZ=UTC LC_ALL=C
        export CARGO_TARGET_DIR=$dir/target
        export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="$remap"
        # mingw's ld writes the link time into the PE header unless told not to.
        export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="$remap -C link-arg=-Wl,--no-insert-timestamp"
        export CFLAGS_x86_64_unknown_linux_gnu="$cmap" CFLAGS_x86_64_pc_windows_gnu="$cmap"
        cargo auditable build --quiet --release --locked --offline \
            --target "$LINUX" --target "$WIN" --bin "$BIN"
    ) || die "the build in $dir failed"
}

# compare: the two builds' binaries, byte for byte.
compare() {
    local f differ=()
    for f in "$LINUX/release/$BIN" "$WIN/release/$BIN.exe"; do
        if cmp -s "$WORK/a/target/$f" "$WORK/b/target/$f"; then
            say "  same bytes: $f ($(sha256sum <"$WORK/a/target/$f" | cut -c1-16)...)"
        else
            differ+=("$f")
            say "  DIFFERENT: $f: $(cmp -l "$WORK/a/target/$f" "$WORK/b/target/$f" 2>/dev/null | wc -l) bytes differ" \
                "(sizes $(stat -c %s "$WORK/a/target/$f") and $(stat -c %s "$WORK/b/target/$f"))"
        fi
    done
    if [ ${#differ[@]} -eq 0 ]; then
        echo "reproducible: identical"
    else
        echo "reproducible: NOT identical: ${differ[*]}"
        exit 1
    fi
}

# ---------------------------------------------------------------- signing
# ca_for CERT: the trust anchors that verify a signature made with CERT.
ca_for() {
    if [ -n "${RELEASE_SIGN_CAFILE:-}" ]; then
        printf '%s' "$RELEASE_SIGN_CAFILE"
    elif [ "$(openssl x509 -in "$1" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')" = \
        "$(openssl x509 -in "$1" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')" ]; then
        printf '%s' "$1"
    else
        printf '%s' /etc/ssl/certs/ca-certificates.crt
    fi
}

# sign IN OUT CERT KEY [TIMESTAMP_URL]: Authenticode (SHA-256) with osslsigncode.
sign() {
    local in=$1 out=$2 cert=$3 key=$4 ts=${5:-} args=()
    [ -z "${RELEASE_SIGN_KEY_PASSWORD:-}" ] || args+=(-pass "$RELEASE_SIGN_KEY_PASSWORD")
    [ -z "$ts" ] || args+=(-ts "$ts")
    rm -f "$out"
    osslsigncode sign -certs "$cert" -key "$key" "${args[@]}" -h sha256 \
        -n "$BIN" -in "$in" -out "$out" >/dev/null || die "osslsigncode sign failed"
}

# verify_signature EXE CAFILE: osslsigncode's verdict, printed.
verify_signature() {
    local args=(-CAfile "$2")
    [ -z "${RELEASE_TIMESTAMP_URL:-}" ] || args+=(-TSA-CAfile /etc/ssl/certs/ca-certificates.crt)
    local out
    if out=$(osslsigncode verify "${args[@]}" -in "$1" 2>&1); then
        printf '%s\n' "$out" | grep -m1 'Subject:' | sed 's/^[[:space:]]*/    signer: /' >&2
        printf '%s\n' "$out" | grep -m1 -E '^Timestamp|Timestamp is not' | sed 's/^[[:space:]]*/    /' >&2
        printf '%s\n' "$out" | grep -m1 'Signature verification' | sed 's/^/    /' >&2
        return 0
    fi
    printf '%s\n' "$out" | tail -15 >&2
    return 1
}

# resources_kept EXE VERSION: the version resource (VS_FIXEDFILEINFO with
# our FILEVERSION, ProductVersion) and the application manifest are in EXE.
resources_kept() {
    python3 - "$1" "$(version4 "$2")" "$2" <<'EOF'
import struct, sys
b = open(sys.argv[1], 'rb').read()
i = b.find(struct.pack('<I', 0xFEEF04BD))
if i < 0:
    sys.exit("no VS_FIXEDFILEINFO (version resource)")
ms, ls = struct.unpack('<II', b[i + 8:i + 16])
got = f"{ms >> 16}.{ms & 0xffff}.{ls >> 16}.{ls & 0xffff}"
if got != sys.argv[2]:
    sys.exit(f"FILEVERSION {got}, expected {sys.argv[2]}")
if sys.argv[3].encode('utf-16-le') not in b:
    sys.exit("no ProductVersion string " + sys.argv[3])
if b'<assembly' not in b or b'requestedExecutionLevel' not in b:
    sys.exit("no application manifest")
EOF
}

# throwaway_cert DIR: a self-signed RSA code-signing certificate, for tests.
throwaway_cert() {
    mkdir -p "$1"
    openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 2 \
        -subj "/CN=offline-im-doctor throwaway test signer/O=Test only" \
        -addext "keyUsage=critical,digitalSignature" \
        -addext "extendedKeyUsage=codeSigning" \
        -addext "basicConstraints=critical,CA:FALSE" \
        -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null || die "openssl could not make a test certificate"
}

# sign_test EXE VERSION: sign a copy with a throwaway certificate (no
# timestamp: no network), verify it, and check the resources survived.
sign_test() {
    local t
    t=$(mktemp -d)
    throwaway_cert "$t"
    (
        unset RELEASE_SIGN_KEY_PASSWORD RELEASE_SIGN_CAFILE RELEASE_TIMESTAMP_URL
        sign "$1" "$t/signed.exe" "$t/cert.pem" "$t/key.pem"
        verify_signature "$t/signed.exe" "$t/cert.pem"
    ) || {
        rm -rf "$t"
        die "sign test: osslsigncode verify rejected the throwaway signature"
    }
    resources_kept "$t/signed.exe" "$2" || {
        rm -rf "$t"
        die "sign test: the signed exe lost its version resource or manifest"
    }
    rm -rf "$t"
    say "sign test: throwaway self-signed certificate: signed, verified, resources kept"
}

# ---------------------------------------------------------------- package
# notices TARGET OUT: cargo-about's notices for the crates TARGET links.
notices() {
    local cfg=$WORK/about-$1.toml
    sed "s/^targets = .*/targets = [\"$1\"]/" "$WORK/a/src/about.toml" >"$cfg"
    (cd "$WORK/a/src" && cargo about generate --locked --offline --fail -c "$cfg" \
        -o "$2" about.hbs) || die "cargo about: a licence outside about.toml's accepted list, or one it cannot read"
}

# archive_dir DIR: every file's time is the commit's, modes are fixed.
normalise() {
    find "$1" -type d -exec chmod 755 {} +
    find "$1" -type f -exec chmod 644 {} +
    [ -z "${2:-}" ] || chmod 755 "$1/$2"
    find "$1" -exec touch -h -d "@$EPOCH" {} +
}

stage_common() {
    local dir=$1 target=$2
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$WORK/a/src/README.md" "$dir/README.md"
    cp "$WORK/a/src/packaging/LICENSE.txt" "$dir/LICENSE.txt"
    cp "$WORK/a/src/LICENSE-MIT" "$dir/LICENSE-MIT.txt"
    cp "$WORK/a/src/LICENSE-APACHE" "$dir/LICENSE-APACHE.txt"
    notices "$target" "$dir/THIRD-PARTY-NOTICES.txt"
}

package() {
    local v=$1 exe=$2 stage=$WORK/stage z t
    z=$(zip_name "$v")
    t=$(tar_name "$v")
    rm -rf "$stage"
    mkdir -p "$stage" "$DIST"

    stage_common "$stage/$z" "$WIN"
    cp "$exe" "$stage/$z/$BIN.exe"
    normalise "$stage/$z"
    rm -f "$DIST/$z.zip"
    (cd "$stage" && find "$z" -print | LC_ALL=C sort | TZ=UTC zip -X -D -9 -q "$DIST/$z.zip" -@) ||
        die "zip failed"

    stage_common "$stage/$t" "$LINUX"
    cp "$WORK/a/target/$LINUX/release/$BIN" "$stage/$t/$BIN"
    normalise "$stage/$t" "$BIN"
    tar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner --format=gnu \
        -C "$stage" -cf - "$t" | gzip -9n >"$DIST/$t.tar.gz"

    # The SBOM: every crate of Cargo.lock that a build for any target links
    # (not the build scripts' or the tests' crates), with version, licence
    # and hash.
    (cd "$WORK/a/src" && SOURCE_DATE_EPOCH=$EPOCH CARGO_NET_OFFLINE=true cargo cyclonedx --quiet \
        --format json --target all --no-build-deps --spec-version 1.5 \
        --override-filename "$BIN.cdx") || die "cargo cyclonedx failed"
    mv "$WORK/a/src/$BIN.cdx.json" "$DIST/$BIN-$v.cdx.json"

    (cd "$DIST" && sha256sum "$z.zip" "$t.tar.gz" "$BIN-$v.cdx.json" >SHA256SUMS)
}

# winget V: the winget manifest (portable exe in a zip) with the real hash,
# checked against winget's published JSON schema (packaging/winget/schema).
winget() {
    local v=$1 z sha out url
    z=$(zip_name "$v")
    sha=$(sha256sum <"$DIST/$z.zip" | cut -d' ' -f1 | tr a-f A-F)
    url=${RELEASE_DOWNLOAD_URL:-https://downloads.example.invalid/$BIN/$v}
    out=$DIST/winget/manifests/o/$BIN/$BIN/$v
    rm -rf "$DIST/winget"
    mkdir -p "$out"
    local f
    for f in "$WORK/a/src/packaging/winget/"*.yaml.in; do
        sed -e "s|@VERSION@|$v|g" -e "s|@SHA256@|$sha|g" -e "s|@URL@|${url%/}/$z.zip|g" \
            -e "s|@ZIPDIR@|$z|g" -e "s|@DATE@|$(date -u -d "@$EPOCH" +%Y-%m-%d)|g" "$f" \
            >"$out/$(basename "${f%.in}")"
    done
    validate_winget "$out"
}

validate_winget() {
    python3 - "$1" "$ROOT/packaging/winget/schema" <<'EOF' || die "the winget manifest does not match winget's schema"
import glob, json, os, sys
import jsonschema, yaml
out, schemas = sys.argv[1], sys.argv[2]
for path in sorted(glob.glob(os.path.join(out, '*.yaml'))):
    doc = yaml.safe_load(open(path, encoding='utf-8'))
    kind, ver = doc['ManifestType'], doc['ManifestVersion']
    schema = json.load(open(os.path.join(schemas, f'manifest.{kind}.{ver}.json'), encoding='utf-8'))
    # winget's schemas say draft-07; dates are written as strings.
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        json.loads(json.dumps(doc, default=str)))
    print(f'release: winget {os.path.basename(path)}: valid ({kind} {ver})', file=sys.stderr)
EOF
}

# ---------------------------------------------------------------- checks
check() {
    local v z t tmp
    system_tools
    cargo_tools
    v=$(version)
    z=$(zip_name "$v")
    t=$(tar_name "$v")
    local commit
    commit=$(git rev-parse HEAD | cut -c1-12)
    say "checking dist/ for $BIN $v"
    for f in "$z.zip" "$t.tar.gz" SHA256SUMS "$BIN-$v.cdx.json"; do
        [ -f "$DIST/$f" ] || die "missing dist/$f"
        say "  $f $(stat -c %s "$DIST/$f") bytes"
    done
    (cd "$DIST" && sha256sum -c SHA256SUMS) >&2 || die "sha256sum -c SHA256SUMS failed"

    tmp=$(mktemp -d)
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" RETURN
    unzip -q "$DIST/$z.zip" -d "$tmp" || die "unzip failed"
    tar -xzf "$DIST/$t.tar.gz" -C "$tmp" || die "tar failed"
    for f in "$BIN.exe" README.md LICENSE.txt LICENSE-MIT.txt LICENSE-APACHE.txt THIRD-PARTY-NOTICES.txt; do
        [ -f "$tmp/$z/$f" ] || die "$z.zip has no $f"
    done
    for f in "$BIN" README.md LICENSE.txt LICENSE-MIT.txt LICENSE-APACHE.txt THIRD-PARTY-NOTICES.txt; do
        [ -f "$tmp/$t/$f" ] || die "$t.tar.gz has no $f"
    done

    # --version, natively and under Wine.
    local want="$BIN $v ($commit $LINUX)" got
    got=$("$tmp/$t/$BIN" --version) || die "$BIN --version failed"
    [ "$got" = "$want" ] || die "linux --version: '$got', expected '$want'"
    say "  linux: $got"
    wine_version "$tmp/$z/$BIN.exe" "$BIN $v ($commit $WIN)"

    # Notices: full licence texts, copyright lines, and every crate each
    # target links named in its file.
    notices_cover "$tmp/$z/THIRD-PARTY-NOTICES.txt" "$WIN"
    notices_cover "$tmp/$t/THIRD-PARTY-NOTICES.txt" "$LINUX"

    sbom_covers "$DIST/$BIN-$v.cdx.json"

    # The signature, when the release is signed.
    if osslsigncode extract-signature -in "$tmp/$z/$BIN.exe" -out "$tmp/sig.der" >/dev/null 2>&1; then
        [ -n "${RELEASE_SIGN_CERT:-}" ] || die "the exe is signed: set RELEASE_SIGN_CERT (or RELEASE_SIGN_CAFILE) to verify it"
        verify_signature "$tmp/$z/$BIN.exe" "$(ca_for "$RELEASE_SIGN_CERT")" ||
            die "osslsigncode verify rejected the release's signature"
        say "  signature: verified"
    else
        say "  signature: none (unsigned build: RELEASE_SIGN_CERT/KEY not set)"
    fi
    resources_kept "$tmp/$z/$BIN.exe" "$v" || die "the exe has no version resource or manifest"
    say "  version resource and manifest: present"
    sign_test "$tmp/$z/$BIN.exe" "$v"

    [ ! -d "$DIST/winget" ] || validate_winget "$(dirname "$(find "$DIST/winget" -name '*.installer.yaml' | head -1)")"
    say "checks passed"
}

# crates_linked TARGET: "name version" of every crate TARGET's binary links
# (proc-macro crates run in the compiler and are not linked).
crates_linked() {
    cargo tree --locked --offline -e normal,no-proc-macro --target "$1" --prefix none -f '{p}' |
        sed 's/ (.*//; s/ v/ /' | grep -v "^$BIN " | LC_ALL=C sort -u
}

notices_cover() {
    local file=$1 target=$2 n missing
    grep -q 'Version 2.0, January 2004' "$file" && grep -q 'END OF TERMS AND CONDITIONS' "$file" ||
        die "$file: no full Apache-2.0 text"
    grep -q 'Permission is hereby granted, free of charge' "$file" || die "$file: no full MIT text"
    n=$(grep -ciE '^[[:space:]]*copyright (\(c\)|©|[0-9])' "$file")
    [ "$n" -ge 10 ] || die "$file: only $n copyright lines"
    missing=$(crates_linked "$target" | while read -r name ver; do
        grep -qxF "  $name $ver" "$file" || grep -qF "  $name $ver <" "$file" ||
            printf '%s %s\n' "$name" "$ver"
    done)
    [ -z "$missing" ] || die "$file names no licence for: $missing"
    say "  notices ($target): $(crates_linked "$target" | wc -l) crates named, $n copyright lines, full MIT and Apache-2.0 texts"
}

sbom_covers() {
    local sbom=$1 names missing unlicensed
    names=$(jq -r '.components[] | "\(.name) \(.version)"' "$sbom" | LC_ALL=C sort -u)
    missing=$(cargo tree --locked --offline -e normal --target all --prefix none -f '{p}' |
        sed 's/ (.*//; s/ v/ /' | grep -v "^$BIN " | LC_ALL=C sort -u | comm -23 - <(printf '%s\n' "$names"))
    [ -z "$missing" ] || die "the SBOM lacks: $missing"
    unlicensed=$(jq -r '.components[] | select((.licenses // []) | length == 0) | "\(.name) \(.version)"' "$sbom")
    [ -z "$unlicensed" ] || die "SBOM components without a licence: $unlicensed"
    say "  SBOM: $(jq '.components | length' "$sbom") components, each with version and licence;" \
        "every crate of 'cargo tree -e normal --target all' is there"
}

# wine_version EXE WANT: the exe's --version under Wine (skipped without
# Wine, which scripts/wine-e2e.sh installs).
wine_version() {
    local wine="" w
    for w in wine wine64 /usr/lib/wine/wine64; do
        if command -v "$w" >/dev/null 2>&1; then
            wine=$(command -v "$w")
            break
        fi
    done
    if [ -z "$wine" ]; then
        say "  windows --version: skipped (no Wine; scripts/wine-e2e.sh installs it)"
        return 0
    fi
    local dir=$WORK/wine got
    mkdir -p "$dir"
    cp "$1" "$dir/$BIN.exe"
    # Wine 8 has no ProcessPrng: the same stand-in as scripts/wine-e2e.sh.
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$dir/bcryptprimitives.dll" \
        "$ROOT/scripts/wine/bcryptprimitives.c" "$ROOT/scripts/wine/bcryptprimitives.def" -ladvapi32 ||
        die "building the ProcessPrng stand-in failed"
    got=$(WINEPREFIX=$dir/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=b,n" \
        "$wine" "$dir/$BIN.exe" --version 2>/dev/null | tr -d '\r') || die "wine $BIN.exe --version failed"
    [ "$got" = "$2" ] || die "windows --version under Wine: '$got', expected '$2'"
    say "  windows (Wine): $got"
}

# ---------------------------------------------------------------- main
release() {
    local start v exe
    start=$(date +%s)
    system_tools
    if ! rustup target list --installed 2>/dev/null | grep -qx "$WIN"; then
        say "rustup target add $WIN"
        rustup target add "$WIN" >/dev/null || die "rustup target add $WIN failed"
    fi
    if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
        [ "${RELEASE_ALLOW_DIRTY:-}" = 1 ] ||
            die "uncommitted changes: a release is built from a commit (RELEASE_ALLOW_DIRTY=1 builds HEAD anyway)"
        say "uncommitted changes are NOT in this build: it is HEAD's tree"
    fi
    COMMIT=$(git rev-parse HEAD)
    EPOCH=$(git log -1 --format=%ct "$COMMIT")
    cargo fetch --locked --quiet || die "cargo fetch failed"
    cargo_tools
    v=$(version)
    say "$BIN $v at $COMMIT (SOURCE_DATE_EPOCH=$EPOCH)"

    build_tree a
    build_tree b
    compare

    exe=$WORK/a/target/$WIN/release/$BIN.exe
    if [ -n "${RELEASE_SIGN_CERT:-}" ] || [ -n "${RELEASE_SIGN_KEY:-}" ]; then
        [ -f "${RELEASE_SIGN_CERT:-}" ] && [ -f "${RELEASE_SIGN_KEY:-}" ] ||
            die "RELEASE_SIGN_CERT and RELEASE_SIGN_KEY must both name PEM files"
        sign "$exe" "$WORK/$BIN-signed.exe" "$RELEASE_SIGN_CERT" "$RELEASE_SIGN_KEY" "${RELEASE_TIMESTAMP_URL:-}"
        verify_signature "$WORK/$BIN-signed.exe" "$(ca_for "$RELEASE_SIGN_CERT")" ||
            die "osslsigncode verify rejected the signature just made"
        resources_kept "$WORK/$BIN-signed.exe" "$v" || die "signing lost the version resource or manifest"
        say "signed: $(openssl x509 -in "$RELEASE_SIGN_CERT" -noout -subject)${RELEASE_TIMESTAMP_URL:+, timestamped by $RELEASE_TIMESTAMP_URL}"
        exe=$WORK/$BIN-signed.exe
    else
        say "not signed: RELEASE_SIGN_CERT / RELEASE_SIGN_KEY not set"
    fi

    rm -rf "$DIST"
    package "$v" "$exe"
    winget "$v"
    say "built in $(($(date +%s) - start)) s"
    check
    (cd "$DIST" && for f in *.zip *.tar.gz *.cdx.json SHA256SUMS; do
        printf '%10d  %s  %s\n' "$(stat -c %s "$f")" "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"
    done)
}

case "${1:-}" in
"") release ;;
check) check ;;
sign-test)
    system_tools
    v=$(version)
    [ -f "$DIST/$(zip_name "$v").zip" ] || die "no dist/$(zip_name "$v").zip: run scripts/release.sh first"
    tmp=$(mktemp -d)
    unzip -q "$DIST/$(zip_name "$v").zip" -d "$tmp"
    sign_test "$tmp/$(zip_name "$v")/$BIN.exe" "$v"
    rm -rf "$tmp"
    ;;
throwaway-cert)
    [ -n "${2:-}" ] || die "usage: scripts/release.sh throwaway-cert DIR"
    throwaway_cert "$2"
    echo "$2/cert.pem $2/key.pem"
    ;;
*) die "usage: scripts/release.sh [check | sign-test | throwaway-cert DIR]" ;;
esac
