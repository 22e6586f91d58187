//! Fuzz the evidence-bundle reader (`check --root bundle.zip`): open the
//! input as a bundle (zip safety checks, manifest, inventory, machine facts,
//! report) and, when it opens, derive the facts (spooler re-aging, logs
//! scanned straight from the zip). A file, because that is the API; one
//! fixed path per process, overwritten each run.
//!
//! An input starting with `PK` is the zip itself. Any other input is a list
//! of members, each `@@ NAME\n` then its bytes up to the next `\n@@ `,
//! which this target zips (stored) first: a mutated member then still has
//! a valid CRC, so the fuzzer gets past the zip layer to the manifest,
//! inventory and log-scanning code (see fuzz/corpus/bundle_reader/members-*).
#![no_main]

use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, Utc};
use libfuzzer_sys::fuzz_target;
use offline_im_doctor::bundle::OpenBundle;
use offline_im_doctor::facts::{MailboxChoice, Settings};
use offline_im_doctor::sources::scan::logs::{LogScanOptions, LogTimeZone};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

struct Fixed {
    path: PathBuf,
    settings: Settings,
    logs: LogScanOptions,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| Fixed {
        path: std::env::temp_dir().join(format!("oimd-fuzz-bundle-{}.zip", std::process::id())),
        settings: Settings {
            now: "2030-01-01T00:00:00Z"
                .parse::<DateTime<Utc>>()
                .expect("fixed time"),
            stuck_after: chrono::Duration::minutes(2),
            client_version: None,
            mailbox: MailboxChoice::Auto,
            log_zone: Default::default(),
        },
        // The defaults, but one thread and UTC: deterministic, and no
        // thread pool per run on a small CI box.
        logs: LogScanOptions {
            time_zone: LogTimeZone::Fixed(FixedOffset::east_opt(0).expect("zero offset")),
            threads: 1,
            ..LogScanOptions::default()
        },
    })
}

/// `@@ NAME\nBYTES\n@@ NAME\nBYTES...` → a stored zip of those members.
/// Members the zip writer refuses (a repeated name) are left out; if it
/// cannot finish, the bytes go to the reader as they are.
fn zip_members(data: &[u8]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut rest = data.strip_prefix(b"@@ ").unwrap_or(data);
    loop {
        let end = rest
            .windows(4)
            .position(|w| w == b"\n@@ ")
            .unwrap_or(rest.len());
        let (record, tail) = rest.split_at(end);
        let (name, body) = match record.iter().position(|&b| b == b'\n') {
            Some(i) => (&record[..i], &record[i + 1..]),
            None => (record, &record[record.len()..]),
        };
        if zip
            .start_file(String::from_utf8_lossy(name).into_owned(), opts)
            .is_ok()
        {
            let _ = zip.write_all(body);
        }
        match tail.get(4..) {
            Some(t) => rest = t,
            None => break,
        }
    }
    zip.finish()
        .map_or_else(|_| data.to_vec(), Cursor::into_inner)
}

fuzz_target!(|data: &[u8]| {
    let f = fixed();
    if data.starts_with(b"PK") {
        std::fs::write(&f.path, data)
    } else {
        std::fs::write(&f.path, zip_members(data))
    }
    .expect("write the fuzz bundle");
    if let Ok(mut bundle) = OpenBundle::open(&f.path) {
        let named: std::collections::HashSet<String> = bundle
            .inventory
            .lync_folders
            .iter()
            .flat_map(|t| t.logs.iter().cloned())
            .collect();
        let listed: usize = bundle
            .inventory
            .lync_folders
            .iter()
            .map(|t| t.logs.len())
            .sum();
        let read = bundle.facts(None, &f.logs);
        assert_eq!(read.profiles.len(), bundle.inventory.profiles.len());
        // Each member is read at most once, however often it is named.
        assert!(read.logs.logs.len() <= named.len(), "a member read twice");
        // A member named twice is damage, and named as such.
        if listed > named.len() {
            assert!(
                bundle
                    .damage
                    .iter()
                    .any(|d| d.contains("times (read once)"))
            );
        }
        // Whatever the bundle holds, the checks and the report take it.
        let facts = offline_im_doctor::facts::Facts {
            inspection: read.inspection,
            profiles: read.profiles,
            logs: read.logs,
            install: bundle.machine.clone(),
            host: bundle
                .inputs
                .as_ref()
                .map(|i| i.host.clone())
                .unwrap_or_default(),
            server: None,
        };
        let report = offline_im_doctor::report::diagnose(&facts, &f.settings);
        assert!(
            report.checks.windows(2).all(|w| w[0].id < w[1].id),
            "every check once, in order"
        );
    }
});
