//! Inputs the fuzz targets (fuzz/fuzz_targets, `scripts/fuzz.sh`) crashed
//! on, fed to the same library functions. A panic counts even when the
//! library catches it (as `pe_file_version` does): libFuzzer aborts on any
//! panic, and a caught one still prints to the user's terminal.
//!
//! Every file in tests/data/fuzz/ named `TARGET-...` is replayed through
//! TARGET's function, so a new crash becomes a test by adding its file.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Once;

use offline_im_doctor::sources::machine::{PeVersionError, pe_file_version};
use offline_im_doctor::sources::scan::spooler::sniff;
use offline_im_doctor::sources::server_config::parse_bytes;

thread_local! {
    static PANICS: Cell<usize> = const { Cell::new(0) };
}

/// Runs `f`, failing if it panicked on this thread, caught or not.
fn without_panic<T>(what: &str, f: impl FnOnce() -> T) -> T {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|p| p.set(p.get() + 1));
            default(info);
        }));
    });
    let before = PANICS.with(Cell::get);
    let out = f();
    assert_eq!(PANICS.with(Cell::get), before, "{what}: panicked");
    out
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(name)
}

/// pelite 0.10's `VersionInfo::fixed()` sliced past the end of the root
/// `VS_VERSION_INFO` TLV when its NUL-terminated key fills it to the last
/// word ("range start index 8 out of range for slice of length 7"). Found by
/// the `pe_version` target within seconds. The fix reads the root TLV in
/// src/machine/pe.rs (`fixed_file_version`) with checked indexing.
///
/// `pe_version-key-fills-root-tlv.bin` is the hand-built PE32 seed
/// (fuzz/corpus/pe_version/pe32-version-only) with its root TLV cut to 7
/// words: wLength 14, wValueLength 52, wType 0, key "VS_" + NUL.
#[test]
fn pe_version_key_filling_the_root_tlv() {
    let bytes = std::fs::read(data("pe_version-key-fills-root-tlv.bin")).unwrap();
    let got = without_panic("pe_file_version", || pe_file_version(&bytes));
    assert_eq!(got, Err(PeVersionError::NoFixedFileInfo));
}

/// The fuzzer's own input (a mutated Wine DLL), as found.
#[test]
fn pe_version_crash_cfd0c374() {
    let bytes = std::fs::read(data("pe_version-crash-cfd0c374")).unwrap();
    let got = without_panic("pe_file_version", || pe_file_version(&bytes));
    assert_eq!(got, Err(PeVersionError::NoFixedFileInfo));
}

/// The `entry_parser` target's invariant: the scan is the same whatever the
/// chunk size (61-byte chunks against one chunk).
fn entry_parser_invariant(name: &str, bytes: &[u8]) {
    use chrono::FixedOffset;
    use offline_im_doctor::sources::scan::logs::{LogScanOptions, LogTimeZone, scan_log_bytes};
    let small = LogScanOptions {
        time_zone: LogTimeZone::Fixed(FixedOffset::east_opt(0).unwrap()),
        threads: 1,
        chunk_bytes: 61,
        max_line_bytes: 300,
        ..LogScanOptions::default()
    };
    let whole = LogScanOptions {
        chunk_bytes: 1 << 20,
        ..small.clone()
    };
    let a = without_panic(name, || scan_log_bytes("fuzz", bytes, &small));
    let b = scan_log_bytes("fuzz", bytes, &whole);
    assert_eq!(a, b, "{name}: chunking changed the facts");
}

/// Found by the `entry_parser` target in CI: a `<p:property ... >` element
/// on the last line of a chunk whose value (` False</p:property>`) is the
/// next chunk's first line. Chunks now hold whole entries, so the value is
/// read with its element.
#[test]
fn entry_parser_value_on_the_next_chunks_first_line() {
    let bytes = std::fs::read(data("entry_parser-value-in-next-chunk")).unwrap();
    entry_parser_invariant("entry_parser-value-in-next-chunk", &bytes);
    let whole = offline_im_doctor::sources::scan::logs::scan_log_bytes(
        "fuzz",
        &bytes,
        &offline_im_doctor::sources::scan::logs::LogScanOptions::default(),
    );
    assert_eq!(whole.policy_auto_archiving.map(|f| f.value), Some(false));
}

/// The `redact` target's invariant: redacting the redacted text again
/// (learning from it first, as a re-check of a redacted bundle does)
/// changes nothing.
fn redact_invariant(name: &str, bytes: &[u8]) {
    use offline_im_doctor::redact::Redactor;
    let text = String::from_utf8_lossy(bytes);
    let mut r = Redactor::new("fuzz");
    r.learn(&text);
    let once = without_panic(name, || r.redact(&text));
    let mut again = Redactor::new("fuzz");
    again.learn(&once);
    assert_eq!(
        again.redact(&once),
        once,
        "{name}: redacting twice changed the text"
    );
}

/// Found by the `redact` target in CI: a local part longer than the
/// pattern's old 64-character bound was matched from its middle, and the
/// prefix left over read as another address the second time.
#[test]
fn redact_a_local_part_over_64_characters() {
    redact_invariant(
        "redact-local-part-over-64",
        &std::fs::read(data("redact-local-part-over-64")).unwrap(),
    );
}

/// Found by the `redact` target: the pseudonyms of a DN's `C=`, `O=`, `L=`
/// and `ST=` parts (`c-1a2b3c4d`) were not known as pseudonyms and were
/// hashed again.
#[test]
fn redact_the_country_part_of_a_dn() {
    redact_invariant(
        "redact-country-part-of-a-dn",
        &std::fs::read(data("redact-country-part-of-a-dn")).unwrap(),
    );
}

/// Every saved input through its target's function: no panic.
#[test]
fn every_saved_input_replays_without_panic() {
    let dir = data("");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let (target, _) = name.split_once('-').unwrap_or((&name, ""));
        match target {
            "pe_version" => {
                let _ = without_panic(&name, || pe_file_version(&bytes));
            }
            "server_config" => {
                let _ = without_panic(&name, || parse_bytes(&bytes, "fuzz"));
            }
            "spooler_sniff" => {
                let (_, addresses) = without_panic(&name, || sniff(&bytes));
                assert!(addresses.len() <= 5, "{name}");
            }
            "entry_parser" => entry_parser_invariant(&name, &bytes),
            "recorded_inputs" => {
                let _ = without_panic(&name, || {
                    offline_im_doctor::bundle::read::recorded_inputs(&bytes).is_ok()
                });
            }
            "redact" => redact_invariant(&name, &bytes),
            "bundle_reader" => {
                let copy = tempfile::Builder::new().suffix(".zip").tempfile().unwrap();
                std::fs::write(copy.path(), &bytes).unwrap();
                let _ = without_panic(&name, || {
                    offline_im_doctor::bundle::OpenBundle::open(copy.path()).is_ok()
                });
            }
            other => panic!("{name}: no fuzz target {other:?} (name files TARGET-...)"),
        }
        seen += 1;
    }
    assert!(seen > 0, "no saved inputs in {}", dir.display());
}

/// Found by the `redact` target: a distinguished name whose value holds a
/// `"[name]"` marker and an address.
#[test]
fn redact_a_dn_value_holding_a_name_marker() {
    let bytes = std::fs::read(data("redact-dn-value-with-a-name-marker")).unwrap();
    redact_invariant("redact-dn-value-with-a-name-marker", &bytes);
}
