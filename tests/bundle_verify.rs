//! A bundle that does not verify is refused (exit 2), or judged with the
//! damage named under `--accept-damaged`; a member is decompressed once
//! however often the inventory names it.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

const LOG: &str = "logs/16.0/Lync-UccApi-0.UccApilog";

fn bundle(f: &Fixture, dir: &Path) -> PathBuf {
    let zip = dir.join("ok.zip");
    let r = collect_run(f.root(), &zip, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    zip
}

fn get<'a>(m: &'a mut [(String, Vec<u8>)], name: &str) -> &'a mut Vec<u8> {
    &mut m.iter_mut().find(|(n, _)| n == name).unwrap().1
}

fn json_of(m: &mut [(String, Vec<u8>)], name: &str) -> Value {
    serde_json::from_slice(get(m, name)).unwrap()
}

fn set_json(m: &mut [(String, Vec<u8>)], name: &str, v: &Value) {
    *get(m, name) = serde_json::to_vec_pretty(v).unwrap();
}

/// Bring the manifest in line with the members named (size and SHA-256).
fn reseal(m: &mut [(String, Vec<u8>)], names: &[&str]) {
    let mut manifest = json_of(m, "manifest.json");
    for name in names {
        let bytes = get(m, name).clone();
        let files = manifest["files"].as_array_mut().unwrap();
        let entry = serde_json::json!({
            "path": name, "source": null, "size": bytes.len(), "modified": null,
            "sha256": Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>(),
        });
        match files.iter_mut().find(|f| f["path"] == *name) {
            Some(f) => *f = entry,
            None => files.push(entry),
        }
    }
    set_json(m, "manifest.json", &manifest);
}

fn check(zip: &Path, extra: &[&str]) -> Run {
    check_run(
        zip.to_str().unwrap(),
        &[&["--format", "json"], extra].concat(),
    )
}

#[test]
fn a_tampered_member_is_refused_or_judged_with_its_damage_named() {
    let f = scenarios::throttled_on_premises();
    let d = tempfile::tempdir().unwrap();
    let ok = bundle(&f, d.path());
    let r = check(&ok, &[]);
    // The log's HTTP 503 is Exchange throttling (a warning).
    assert_eq!(
        status(&r.report(), CheckId::EwsAccess),
        Status::Warn,
        "{}",
        r.stdout
    );

    let mut m = zip_members(&ok);
    let log = String::from_utf8(get(&mut m, LOG).clone()).unwrap();
    *get(&mut m, LOG) = log
        .replace("503 Service Unavailable", "200 OK                 ")
        .into_bytes();
    let bad = d.path().join("tampered.zip");
    rewrite_zip(&bad, &m);
    let r = check(&bad, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("does not verify"), "{}", r.stderr);
    assert!(r.stderr.contains("SHA-256"), "{}", r.stderr);

    let r = check(&bad, &["--accept-damaged"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let ev = evidence_text(&r.report(), CheckId::ClientLogs);
    assert!(ev.contains("damaged") && ev.contains("SHA-256"), "{ev}");
    assert!(r.stderr.contains("damaged"), "{}", r.stderr);
}

#[test]
fn a_member_shorter_than_its_manifest_size_is_refused() {
    let f = scenarios::throttled_on_premises();
    let d = tempfile::tempdir().unwrap();
    let ok = bundle(&f, d.path());
    let mut m = zip_members(&ok);
    let log = get(&mut m, LOG);
    let keep = log.len() / 2;
    log.truncate(keep);
    let bad = d.path().join("short.zip");
    rewrite_zip(&bad, &m);
    let r = check(&bad, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("shorter than"), "{}", r.stderr);
}

#[test]
fn inventory_missing_from_the_manifest_is_refused() {
    let f = scenarios::throttled_on_premises();
    let d = tempfile::tempdir().unwrap();
    let ok = bundle(&f, d.path());
    let mut m = zip_members(&ok);
    let mut manifest = json_of(&mut m, "manifest.json");
    manifest["files"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["path"] != "inventory.json");
    set_json(&mut m, "manifest.json", &manifest);
    let bad = d.path().join("noinv.zip");
    rewrite_zip(&bad, &m);
    let r = check(&bad, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("inventory.json is not in the manifest"),
        "{}",
        r.stderr
    );
}

#[test]
fn duplicate_names_are_refused() {
    let f = scenarios::throttled_on_premises();
    let d = tempfile::tempdir().unwrap();
    let ok = bundle(&f, d.path());
    let mut m = zip_members(&ok);
    let mut manifest = json_of(&mut m, "manifest.json");
    let files = manifest["files"].as_array_mut().unwrap();
    let first = files[0].clone();
    files.push(first);
    set_json(&mut m, "manifest.json", &manifest);
    let bad = d.path().join("dup.zip");
    rewrite_zip(&bad, &m);
    let r = check(&bad, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("more than once"), "{}", r.stderr);
}

#[test]
fn a_member_named_many_times_is_read_once() {
    let f = scenarios::throttled_on_premises();
    // A large log: decompressing it 1,000 times would take minutes.
    f.log(
        "Lync-UccApi-0.UccApilog",
        &user_agent_entry("09:00:00.000", "16.0.6965.2053").repeat(20_000),
    );
    let d = tempfile::tempdir().unwrap();
    let ok = bundle(&f, d.path());
    let mut m = zip_members(&ok);
    let mut inv = json_of(&mut m, "inventory.json");
    inv["lync_folders"][0]["logs"] = Value::Array(vec![Value::from(LOG); 1000]);
    set_json(&mut m, "inventory.json", &inv);
    reseal(&mut m, &["inventory.json"]);
    let bad = d.path().join("many.zip");
    rewrite_zip(&bad, &m);
    let r = check(&bad, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("1000 times"), "{}", r.stderr);
    let t = Instant::now();
    let r = check(&bad, &["--accept-damaged"]);
    assert!(
        t.elapsed() < Duration::from_secs(60),
        "took {:?}",
        t.elapsed()
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v = r.report();
    assert_eq!(v.logs.files, 1, "{:#?}", v.logs);
}

#[test]
fn a_recorded_server_config_is_read_with_the_paste_limit() {
    let f = scenarios::throttled_on_premises();
    let d = tempfile::tempdir().unwrap();
    let ok = bundle(&f, d.path());
    let mut m = zip_members(&ok);
    let mut inputs = json_of(&mut m, "inputs.json");
    inputs["server_configs"] = serde_json::json!([
        {"given": "cfg.txt", "member": "inputs/server-config-1.txt"}
    ]);
    set_json(&mut m, "inputs.json", &inputs);
    let mut big = b"Identity : Global\r\nEnableOfflineIm : True\r\n".to_vec();
    big.resize(17 * 1024 * 1024, b' ');
    m.push(("inputs/server-config-1.txt".into(), big));
    reseal(&mut m, &["inputs.json", "inputs/server-config-1.txt"]);
    let bad = d.path().join("bigcfg.zip");
    rewrite_zip(&bad, &m);
    let r = check(&bad, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("at most 16777216"), "{}", r.stderr);
}

#[test]
fn an_all_nul_log_collected_is_read_back() {
    let f = scenarios::throttled_on_premises();
    f.log("Lync-UccApi-1.UccApilog", &"\0".repeat(8 * 1024 * 1024));
    let d = tempfile::tempdir().unwrap();
    let ok = bundle(&f, d.path());
    let r = check(&ok, &[]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
}

#[test]
fn an_out_of_range_recorded_stuck_after_is_evidence_not_a_panic() {
    let f = Fixture::new();
    f.spool("kim@contoso.com", "m.xml", b"<m/>", 3600);
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("e.zip");
    let r = collect_run(f.root(), &zip, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for bad in [i64::MAX, i64::MIN, -1, 3_155_760_001] {
        let mut m = zip_members(&zip);
        let mut inputs = json_of(&mut m, "inputs.json");
        inputs["stuck_after_seconds"] = serde_json::json!(bad);
        set_json(&mut m, "inputs.json", &inputs);
        // The manifest's hash is unkeyed: anyone can recompute it.
        reseal(&mut m, &["inputs.json"]);
        let tampered = d.path().join(format!("t{bad}.zip"));
        rewrite_zip(&tampered, &m);
        let r = check(&tampered, &[]);
        assert!(
            r.code == 0 || r.code == 1,
            "{bad}: exit {}: {}",
            r.code,
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        // Named as --accept-damaged names damage: a warning beside the report.
        assert!(
            r.stderr.contains(&format!("stuck_after_seconds = {bad}")),
            "{bad}: the value is named: {}",
            r.stderr
        );
    }
}
