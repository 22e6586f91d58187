//! A plain zip of a copied folder (no manifest), read in place: the same
//! statuses and codes as the folder itself, the spooler ages from the zip's
//! stored times, and the bundle reader's hardening.

use crate::common;

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Datelike, Timelike, Utc};
use common::*;

fn zip_time(t: std::time::SystemTime) -> zip::DateTime {
    // The tests run with TZ=UTC: the zip's local times are UTC.
    let t: DateTime<Utc> = t.into();
    zip::DateTime::from_date_and_time(
        t.year() as u16,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .unwrap()
}

/// Zip `dir` as Explorer's "Send to > Compressed folder" does: the folder
/// itself at the top, folders as entries, each file's modification time kept.
fn zip_folder(dir: &Path, out: &Path) {
    zip_folder_with(dir, out, "/");
}

/// Zip `dir` with `sep` between folders (Windows PowerShell's
/// Compress-Archive writes `\\`), files only, as that cmdlet does.
fn zip_folder_with(dir: &Path, out: &Path, sep: &str) {
    let top = dir.parent().unwrap();
    let mut z = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(top)
            .unwrap()
            .to_string_lossy()
            .replace(['\\', '/'], sep);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip_time(e.metadata().unwrap().modified().unwrap()));
        if e.file_type().is_dir() {
            if sep != "/" {
                continue;
            }
            z.add_directory(format!("{rel}/"), opts).unwrap();
        } else {
            z.start_file(rel, opts).unwrap();
            z.write_all(&std::fs::read(e.path()).unwrap()).unwrap();
        }
    }
    z.finish().unwrap();
}

/// Copy a tree, keeping each file's modification time.
fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dst = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
            let m = filetime::FileTime::from_last_modification_time(&e.metadata().unwrap());
            filetime::set_file_mtime(&dst, m).unwrap();
        }
    }
}

/// Each check's id, status and reason code.
fn outcome(v: &Report) -> Vec<(CheckId, Status, &'static str)> {
    v.checks
        .iter()
        .map(|c| (c.id, c.status, c.code.as_str()))
        .collect()
}

/// The spooler as the report shows it: per profile, files, stuck, oldest age.
fn spooled(v: &Report) -> Vec<(&str, &SpoolerSummary)> {
    v.profiles
        .iter()
        .map(|p| (p.sip_address.as_str(), &p.spooler))
        .collect()
}

/// Check `folder` as a folder and zipped; both must judge alike.
fn same_as_folder(folder: &Path) -> Report {
    let (r, want) = check_report(folder, &[]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("copy.zip");
    zip_folder(folder, &zip);
    let before = std::fs::read(&zip).unwrap();
    let (r, got) = check_report(&zip, &[]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("plain zip of a copied folder"),
        "{}",
        r.stderr
    );
    assert_eq!(outcome(&got), outcome(&want));
    assert_eq!(spooled(&got), spooled(&want));
    assert_eq!(got.verdict, want.verdict);
    assert_eq!(got.diagnosis.code, want.diagnosis.code);
    assert_eq!(got.client.build, want.client.build);
    assert_eq!(got.logs.files, want.logs.files);
    assert_eq!(got.logs.entries, want.logs.entries);
    // The report says where it read: inside the zip.
    for p in &got.profiles {
        let path = p.path.as_str();
        assert!(path.contains("copy.zip!/"), "{path}");
    }
    // Read in place: the zip is unchanged and nothing appeared beside it.
    assert_eq!(std::fs::read(&zip).unwrap(), before);
    assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    got
}

#[test]
fn a_zip_of_the_office_folder_judges_like_the_folder() {
    let f = scenarios::stuck_on_premises();
    let got = same_as_folder(&f.root().join("Microsoft").join("Office"));
    // The stuck message (an hour old in the zip's stored time) is found.
    let codes = outcome(&got);
    assert!(
        codes
            .iter()
            .any(|&(id, status, _)| (id, status) == (CheckId::SpoolerStuck, Status::Fail)),
        "{codes:?}"
    );
    assert_eq!(got.profiles[0].office_version, "16.0");
}

#[test]
fn a_compress_archive_zip_with_backslashes_judges_like_the_folder() {
    let f = scenarios::stuck_on_premises();
    let office = f.root().join("Microsoft").join("Office");
    let (_, want) = check_report(&office, &[]);
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("copy.zip");
    zip_folder_with(&office, &zip, "\\");
    let (r, got) = check_report(&zip, &[]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(outcome(&got), outcome(&want));
    assert_eq!(spooled(&got), spooled(&want));
}

#[test]
fn backslash_names_that_climb_out_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("evil.zip");
    write_zip(
        &z,
        &[
            ("Lync\\sip_a@contoso.com\\History Spooler\\m.xml", b"<m/>"),
            ("Lync\\..\\..\\evil.txt", b"x"),
        ],
    );
    refused(&z, "points outside");
}

#[test]
fn a_zip_of_the_lync_folder_judges_like_the_folder() {
    let f = scenarios::stuck_on_premises();
    same_as_folder(&f.lync("16.0"));
}

#[test]
fn a_zip_of_a_sip_folder_judges_like_the_folder() {
    // The technician's copy of the sip_ folder alone: a folder checked in
    // place would also find the Tracing folder beside it, a zip cannot.
    let f = scenarios::stuck_on_premises();
    let alone = tempfile::tempdir().unwrap();
    let copy = alone.path().join("sip_jdoe@fabrikam.com");
    copy_tree(&f.profile("jdoe@fabrikam.com"), &copy);
    let got = same_as_folder(&copy);
    assert_eq!(got.logs.files, 0);
    assert_eq!(got.profiles[0].spooler.stuck, 1);
}

#[test]
fn a_zip_of_the_tracing_folder_reads_the_logs() {
    let f = scenarios::stuck_on_premises();
    let got = same_as_folder(&f.lync("16.0").join("Tracing"));
    assert_eq!(got.client.build.as_deref(), Some("16.0.6965.2053"));
}

fn refused(zip: &Path, needle: &str) {
    let r = check_run(zip.to_str().unwrap(), &[]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(needle), "{needle:?} not in: {}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn names_that_climb_out_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("evil.zip");
    write_zip(
        &z,
        &[
            ("Lync/sip_a@contoso.com/History Spooler/m.xml", b"<m/>"),
            ("Lync/../../etc/passwd", b"x"),
        ],
    );
    refused(&z, "points outside");
}

#[test]
fn a_name_twice_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("twice.zip");
    // The writer refuses a repeated name: write two names of one length,
    // then rename the second in the raw bytes (headers and directory).
    write_zip(
        &z,
        &[
            ("Lync/sip_a@contoso.com/History Spooler/m.xml", b"<m/>"),
            ("Lync/sip_a@contoso.com/History Spooler/Q.xml", b"<n/>"),
        ],
    );
    let mut bytes = std::fs::read(&z).unwrap();
    let (from, to) = (b"Spooler/Q.xml", b"Spooler/m.xml");
    let mut n = 0;
    for i in 0..bytes.len() - from.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + to.len()].copy_from_slice(to);
            n += 1;
        }
    }
    assert_eq!(n, 2, "local header and central directory");
    std::fs::write(&z, bytes).unwrap();
    refused(&z, "more than once");
}

#[test]
fn a_zip_bomb_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("bomb.zip");
    let zeros = vec![0u8; 64 * 1024 * 1024];
    write_zip(
        &z,
        &[("Office/16.0/Lync/Tracing/Lync-UccApi-0.UccApilog", &zeros)],
    );
    assert!(std::fs::metadata(&z).unwrap().len() < 1024 * 1024);
    refused(&z, "zip bomb");
}

#[test]
fn a_zip_without_the_client_layout_says_what_it_looked_for() {
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("photos.zip");
    write_zip(&z, &[("holiday/beach.jpg", b"\xff\xd8\xff not really")]);
    refused(
        &z,
        "nothing that looks like a Skype for Business client profile",
    );
    let r = check_run(z.to_str().unwrap(), &[]);
    assert!(!r.stderr.contains("extract it"), "{}", r.stderr);
}

#[test]
fn user_selects_a_profile_in_the_zip() {
    let f = scenarios::stuck_on_premises();
    f.spool("kim@fabrikam.com", "k.xml", b"<m/>", 30);
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("copy.zip");
    zip_folder(&f.root().join("Microsoft"), &z);
    let (r, v) = check_report(&z, &["--user", "kim@fabrikam.com"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(v.profiles.len(), 1);
    let r = check_run(z.to_str().unwrap(), &["--user", "nobody@fabrikam.com"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("kim@fabrikam.com"), "{}", r.stderr);
}

#[test]
fn collect_from_a_plain_zip_says_to_check_it() {
    let f = scenarios::stuck_on_premises();
    let d = tempfile::tempdir().unwrap();
    let z = d.path().join("copy.zip");
    zip_folder(&f.root().join("Microsoft"), &z);
    let out = d.path().join("bundle.zip");
    let r = collect_run(&z, &out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("zip of a copied folder"), "{}", r.stderr);
    assert!(!out.exists());
}

/// Paths use one separator: `/` inside a zip, the platform's for a folder
/// (`Lync/Tracing (absent)` was `Lync\Tracing (absent)` on Linux).
#[test]
fn searched_paths_use_one_separator_in_a_folder_and_in_a_zip() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let sep = std::path::MAIN_SEPARATOR;
    let r = check_report(f.root(), &[]).1;
    let searched = summary(&r, CheckId::ClientLogs);
    let local = format!("{sep}Lync{sep}Tracing (absent)");
    assert!(searched.contains(&local), "{searched}");
    let other = if sep == '/' { '\\' } else { '/' };
    assert!(!searched.contains(other), "{searched}");
    let zip = f.root().join("copy.zip");
    write_zip(
        &zip,
        &[(
            "Office/16.0/Lync/sip_a@contoso.com/History Spooler/",
            b"" as &[u8],
        )],
    );
    let r = check_report(&zip, &[]).1;
    let searched = summary(&r, CheckId::ClientLogs);
    assert!(
        searched.contains("copy.zip!/Office/16.0/Lync/Tracing (absent)"),
        "{searched}"
    );
}
