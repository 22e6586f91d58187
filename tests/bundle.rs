//! `collect` and `check --root bundle.zip`: evidence bundles for escalation.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use sha2::{Digest, Sha256};

fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn a_bundle_checks_the_same_as_the_run_it_came_from() {
    let f = scenarios::stuck_on_premises();
    let d = out_dir();
    let zip = d.path().join("evidence.zip");
    let before = snapshot_tree(f.root());
    let r = collect_run(f.root(), &zip, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("evidence.zip"), "{}", r.stderr);
    assert_eq!(
        before,
        snapshot_tree(f.root()),
        "collect changed the inspected tree"
    );

    let (_, direct) = check_report(f.root(), &[]);
    // Without --now the bundle is judged as of its collection.
    let from_zip = run(&["check", "--root", zip.to_str().unwrap(), "--format", "json"]);
    let bundled = from_zip.report();
    assert_eq!(statuses(&bundled), statuses(&direct));
    assert_eq!(from_zip.code, 1);
    assert_eq!(bundled.client, direct.client);
    assert_eq!(bundled.mailbox.location, direct.mailbox.location);
    assert_eq!(bundled.profiles[0].spooler, direct.profiles[0].spooler);
    assert_eq!(bundled.generated_at, now());
    assert!(
        evidence_text(&bundled, CheckId::ClientLogs)
            .contains("evidence.zip!/logs/16.0/Lync-UccApi-0.UccApilog")
    );
    // A later --now re-ages the spooled files: the young one is stuck too.
    let later = run(&[
        "check",
        "--root",
        zip.to_str().unwrap(),
        "--now",
        "2026-11-24T12:00:00Z",
        "--format",
        "json",
    ])
    .report();
    assert_eq!(later.profiles[0].spooler.stuck, 2);
}

#[test]
fn manifest_lists_every_member_with_size_time_and_sha256() {
    let f = scenarios::stuck_on_premises();
    let d = out_dir();
    let zip = d.path().join("e.zip");
    assert_eq!(collect_run(f.root(), &zip, &[]).code, 0);
    let all = zip_members(&zip);
    let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
    for want in [
        "logs/16.0/Lync-UccApi-0.UccApilog.bak",
        "logs/16.0/Lync-UccApi-0.UccApilog",
        "inventory.json",
        "machine.json",
        "inputs.json",
        "report.json",
        "manifest.json",
    ] {
        assert!(names.contains(&want), "{want} missing: {names:?}");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&all.iter().find(|(n, _)| n == "manifest.json").unwrap().1).unwrap();
    assert_eq!(manifest["bundle_version"], 2);
    assert_eq!(manifest["created_at"], NOW);
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), all.len() - 1);
    for entry in files {
        let name = entry["path"].as_str().unwrap();
        let bytes = &all.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(entry["size"], bytes.len() as u64, "{name}");
        let sha: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(entry["sha256"], sha.as_str(), "{name}");
    }
    let log = files
        .iter()
        .find(|e| e["path"] == "logs/16.0/Lync-UccApi-0.UccApilog")
        .unwrap();
    assert!(log["modified"].is_string());
    assert!(
        log["source"]
            .as_str()
            .unwrap()
            .ends_with("Lync-UccApi-0.UccApilog")
    );
    // The spooler's file list is there, its content is not.
    let inventory =
        String::from_utf8_lossy(&all.iter().find(|(n, _)| n == "inventory.json").unwrap().1)
            .into_owned();
    assert!(
        inventory.contains("m1.xml") && inventory.contains("\"sniffed\": \"xml\""),
        "{inventory}"
    );
    for (_, b) in &all {
        assert!(
            !String::from_utf8_lossy(b).contains("the secret plan"),
            "message content in a default bundle"
        );
    }
}

#[test]
fn include_messages_puts_the_spooled_files_in() {
    let f = scenarios::stuck_on_premises();
    let d = out_dir();
    let zip = d.path().join("m.zip");
    assert_eq!(collect_run(f.root(), &zip, &["--include-messages"]).code, 0);
    let all = zip_members(&zip);
    let m1 = all
        .iter()
        .find(|(n, _)| n.starts_with("spooler/") && n.ends_with("m1.xml"))
        .expect("m1.xml included");
    assert!(String::from_utf8_lossy(&m1.1).contains("the secret plan"));
    let r = collect_run(
        f.root(),
        &d.path().join("x.zip"),
        &["--include-messages", "--redact"],
    );
    assert_eq!(r.code, 2, "--include-messages and --redact conflict");
}

#[test]
fn redacted_bundle_has_nothing_personal_logs_included() {
    let f = scenarios::stuck_on_premises();
    let d = out_dir();
    let zip = d.path().join("r.zip");
    let mut c = cmd();
    c.env("COMPUTERNAME", "DESKTOP-JDOE42");
    let out = c
        .args([
            "collect",
            "--root",
            f.root().to_str().unwrap(),
            "--now",
            NOW,
            "--out",
            zip.to_str().unwrap(),
            "--redact",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, bytes) in zip_members(&zip) {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        for secret in scenarios::PERSONAL.iter().chain(&["desktop-jdoe42"]) {
            assert!(!text.contains(secret), "{secret:?} in {name}:\n{text}");
        }
    }
    // Still a working bundle with the same diagnosis.
    let (_, direct) = check_report(f.root(), &[]);
    let (_, bundled) = check_report(&zip, &[]);
    assert_eq!(statuses(&bundled), statuses(&direct));
}

#[test]
fn out_inside_the_inspected_folder_is_refused_and_nothing_written() {
    let f = scenarios::stuck_on_premises();
    let before = snapshot_tree(f.root());
    let r = collect_run(f.root(), &f.root().join("Microsoft/e.zip"), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("inside"), "{}", r.stderr);
    assert_eq!(before, snapshot_tree(f.root()));
}

// ---------- hostile, truncated and foreign zips ----------

fn check_refused(zip: &Path, needle: &str) {
    let dir = zip.parent().unwrap().to_path_buf();
    let before = snapshot_tree(&dir);
    let r = check_run(zip.to_str().unwrap(), &[]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(needle), "{needle:?} not in: {}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(before, snapshot_tree(&dir), "reading a zip wrote something");
}

fn valid_bundle() -> (Fixture, tempfile::TempDir, PathBuf) {
    let f = scenarios::stuck_on_premises();
    let d = out_dir();
    let zip = d.path().join("ok.zip");
    assert_eq!(collect_run(f.root(), &zip, &[]).code, 0);
    (f, d, zip)
}

#[test]
fn truncated_bundle_exits_2() {
    let (_f, d, zip) = valid_bundle();
    let bytes = std::fs::read(&zip).unwrap();
    let cut = d.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    check_refused(&cut, "not a readable zip file");
}

#[test]
fn foreign_zip_exits_2() {
    let d = out_dir();
    let z = d.path().join("photos.zip");
    write_zip(&z, &[("holiday.jpg", b"\xff\xd8\xff not really")]);
    // No manifest: read as a plain zip of a folder, which it is not either.
    check_refused(
        &z,
        "nothing that looks like a Skype for Business client profile",
    );
}

#[test]
fn path_traversal_names_exit_2() {
    let d = out_dir();
    let z = d.path().join("evil.zip");
    write_zip(
        &z,
        &[
            ("manifest.json", b"{}"),
            ("../../etc/cron.d/evil", b"* * * * * root sh"),
        ],
    );
    check_refused(&z, "points outside the bundle");
    let z2 = d.path().join("evil2.zip");
    write_zip(&z2, &[("/abs/path", b"x")]);
    check_refused(&z2, "points outside the bundle");
}

#[test]
fn zip_bomb_exits_2() {
    let d = out_dir();
    let z = d.path().join("bomb.zip");
    let zeros = vec![0u8; 64 * 1024 * 1024];
    write_zip(
        &z,
        &[
            ("manifest.json", b"{}"),
            ("logs/16.0/Lync-UccApi-0.UccApilog", &zeros),
        ],
    );
    assert!(std::fs::metadata(&z).unwrap().len() < 1024 * 1024);
    check_refused(&z, "zip bomb");
}
