//! `aggregate`: the fleet picture from many real reports.

use crate::common;

use common::*;

/// A folder copy does not say its machine, so a report of one has no host;
/// these stand for reports made on each machine (a live run, or a bundle
/// collected there), which record it: the host is set as those would.
fn as_if_on(machine: &str, stdout: &[u8]) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    assert!(
        v["host"].is_null(),
        "a copied folder's report names no host"
    );
    v["host"] = machine.into();
    v["machine"]["host_name"] = machine.into();
    serde_json::to_vec(&v).unwrap()
}

fn report_from(machine: &str, extra: &[&str], stuck: bool, dir: &std::path::Path) {
    let f = Fixture::new();
    if stuck {
        f.spool("a@contoso.com", "m", b"<m/>", 3600);
    } else {
        f.profile("a@contoso.com");
    }
    let mut c = cmd();
    c.env("COMPUTERNAME", machine)
        .args([
            "check",
            "--root",
            f.root().to_str().unwrap(),
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .args(extra);
    let out = c.output().unwrap();
    std::fs::write(
        dir.join(format!("{machine}-{}.json", extra.len())),
        as_if_on(machine, &out.stdout),
    )
    .unwrap();
}

fn fleet_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    report_from(
        "PC1",
        &[
            "--client-version",
            "16.0.6741.2048",
            "--mailbox",
            "on-premises",
        ],
        true,
        d.path(),
    );
    report_from(
        "PC2",
        &[
            "--client-version",
            "16.0.10730.20304",
            "--mailbox",
            "online",
        ],
        false,
        d.path(),
    );
    report_from(
        "PC3",
        &["--client-version", "16.0.4266.1001"],
        true,
        d.path(),
    );
    // An older report of PC2, superseded by the newer one above (same --now: ties keep the first).
    report_from("PC2", &[], false, d.path());
    std::fs::write(d.path().join("broken.json"), b"{\"schema_version\": 1, ").unwrap();
    std::fs::write(d.path().join("other.json"), b"{\"hello\": \"world\"}").unwrap();
    std::fs::write(d.path().join("notes.txt"), b"not a report, not read").unwrap();
    d
}

#[test]
fn fleet_picture_as_json() {
    let d = fleet_dir();
    let r = run(&["aggregate", d.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["reports_read"], 4);
    assert_eq!(v["machines"], 3);
    assert_eq!(v["superseded"], 1);
    assert_eq!(v["verdicts"]["fail"], 2);
    assert_eq!(v["machines_with_stuck_messages"], 2);
    assert_eq!(v["malformed_count"], 2);
    let malformed = v["malformed"].to_string();
    assert!(
        malformed.contains("broken.json") && malformed.contains("other.json"),
        "{malformed}"
    );
    assert!(
        r.stderr.contains("broken.json"),
        "malformed reports are named on stderr too"
    );
    // spooler-stuck fails on 2 machines, client-build on 2: both lead the list.
    let checks = v["checks"].as_array().unwrap();
    let top: Vec<_> = checks
        .iter()
        .take(2)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(
        top.contains(&"spooler-stuck") && top.contains(&"client-build"),
        "{checks:?}"
    );
    let gaps = v["builds_below_thresholds"].as_array().unwrap();
    let below: Vec<String> = gaps
        .iter()
        .map(|g| format!("{} {} {}", g["channel"], g["threshold"], g["machines"]))
        .collect();
    assert!(
        below
            .iter()
            .any(|g| g.contains("16.0.6920.1000") && g.ends_with(" 1")),
        "{below:?}"
    );
    assert!(
        below
            .iter()
            .any(|g| g.contains("\"16.0.6701.1000\"") && g.ends_with(" 1")),
        "{below:?}"
    );
}

#[test]
fn fleet_picture_as_table_and_markdown() {
    let d = fleet_dir();
    let t = run(&["aggregate", d.path().to_str().unwrap()]);
    assert_eq!(t.code, 0);
    assert!(
        t.stdout.contains("4 report(s) from 3 machine(s)"),
        "{}",
        t.stdout
    );
    assert!(
        t.stdout.contains("Machines with stuck messages: 2"),
        "{}",
        t.stdout
    );
    assert!(t.stdout.contains("PC1") && t.stdout.contains("PC3"));
    let m = run(&[
        "aggregate",
        d.path().to_str().unwrap(),
        "--format",
        "markdown",
    ]);
    assert!(m.stdout.contains("## Offline IM fleet report"));
    assert!(m.stdout.contains("| `spooler-stuck` | 2 |"), "{}", m.stdout);
}

#[test]
fn files_can_be_named_one_by_one_and_nothing_readable_exits_2() {
    let d = fleet_dir();
    let one = d.path().join("PC1-4.json");
    let r = run(&["aggregate", one.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["machines"], 1);
    let bad = d.path().join("broken.json");
    let r = run(&["aggregate", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no report could be read"));
    let r = run(&["aggregate"]);
    assert_eq!(r.code, 2);
}

#[test]
fn reports_written_by_windows_powershell_are_read() {
    let d = fleet_dir();
    let src = std::fs::read_to_string(d.path().join("PC1-4.json")).unwrap();
    let out = tempfile::tempdir().unwrap();
    // `Out-File -Encoding utf8` (BOM) and `>` (UTF-16 LE with BOM), CRLF lines.
    let crlf = src.replace('\n', "\r\n");
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(crlf.as_bytes());
    std::fs::write(out.path().join("a.json"), bom8).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in crlf.replace("PC1", "PC9").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(out.path().join("b.json"), utf16).unwrap();
    let r = run(&[
        "aggregate",
        out.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v = r.json();
    assert_eq!(v["reports_read"], 2, "{v:#}");
    assert_eq!(v["malformed_count"], 0);
}

/// A report of `user` on `machine` (a shared RDS/Citrix host has many).
fn user_report(machine: &str, user: &str, now: &str, stuck: bool, dir: &std::path::Path) {
    let f = Fixture::new();
    if stuck {
        f.spool(user, "m", b"<m/>", 3600);
    } else {
        f.profile(user);
    }
    let out = cmd()
        .env("COMPUTERNAME", machine)
        .args(["check", "--root", f.root().to_str().unwrap(), "--now", now])
        .args(["--client-version", "16.0.6366.2036", "--format", "json"])
        .output()
        .unwrap();
    let name = format!("{machine}-{user}-{}.json", now.replace(':', ""));
    std::fs::write(dir.join(name), as_if_on(machine, &out.stdout)).unwrap();
}

#[test]
fn each_user_of_a_shared_machine_counts_and_the_newest_report_per_user_wins() {
    let d = tempfile::tempdir().unwrap();
    // Two users of one terminal server, and an older report of the first.
    user_report("RDS01", "anna@contoso.com", NOW, true, d.path());
    user_report("RDS01", "ben@contoso.com", NOW, true, d.path());
    user_report(
        "RDS01",
        "anna@contoso.com",
        "2026-11-23T10:00:00Z",
        false,
        d.path(),
    );
    let v = run(&["aggregate", d.path().to_str().unwrap(), "--format", "json"]).json();
    assert_eq!(v["reports_read"], 3);
    assert_eq!(v["machines"], 2, "{v:#}");
    assert_eq!(v["superseded"], 1);
    assert_eq!(v["machines_with_stuck_messages"], 2);
    let users: Vec<&str> = v["stuck"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["user"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["anna@contoso.com", "ben@contoso.com"]);
    // Build gaps come from the reports' reason codes.
    assert_eq!(v["builds_below_thresholds"][0]["machines"], 2);
    assert_eq!(
        v["builds_below_thresholds"][0]["threshold"],
        "16.0.6701.1000"
    );
    let codes = v["codes"].to_string();
    assert!(codes.contains(r#""code":"build-below-minimum""#), "{codes}");
    assert!(codes.contains(r#""code":"spooler-stuck""#), "{codes}");
}

#[test]
fn fleet_gaps_follow_the_reports_codes_not_rederived_thresholds() {
    let d = tempfile::tempdir().unwrap();
    user_report("PC9", "a@contoso.com", NOW, false, d.path());
    // The same report, its client-build code edited: aggregate believes the code.
    let path = std::fs::read_dir(d.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for c in report["checks"].as_array_mut().unwrap() {
        if c["id"] == "client-build" {
            c["code"] = "build-supported".into();
            c["status"] = "pass".into();
        }
    }
    std::fs::write(&path, report.to_string()).unwrap();
    let v = run(&["aggregate", d.path().to_str().unwrap(), "--format", "json"]).json();
    assert_eq!(v["builds_below_thresholds"], serde_json::json!([]));
}

#[test]
fn aggregate_ndjson_is_one_typed_record_per_line() {
    let d = fleet_dir();
    let r = run(&[
        "aggregate",
        d.path().to_str().unwrap(),
        "--format",
        "ndjson",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let records: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(records[0]["record"], "summary");
    assert_eq!(records[0]["machines"], 3);
    let kinds: std::collections::BTreeSet<&str> = records
        .iter()
        .map(|r| r["record"].as_str().unwrap())
        .collect();
    for k in [
        "summary",
        "check",
        "code",
        "build-gap",
        "stuck",
        "malformed",
    ] {
        assert!(kinds.contains(k), "{k} missing: {kinds:?}");
    }
}

#[test]
fn causes_are_ranked_and_symptoms_kept_apart() {
    let d = fleet_dir();
    let r = run(&["aggregate", d.path().to_str().unwrap(), "--format", "json"]);
    let v = r.json();
    let causes = v["causes"].as_array().unwrap();
    assert!(!causes.is_empty(), "{v:#}");
    // A named cause ranks before a finding without one; no symptom is a cause.
    assert!(causes[0]["cause"].is_string(), "{causes:?}");
    let symptoms: Vec<&str> = v["symptoms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["check"].as_str().unwrap())
        .collect();
    for c in causes {
        if let Some(id) = c["cause"].as_str() {
            assert!(!symptoms.contains(&id), "{id} is both: {v:#}");
        }
    }
    assert!(symptoms.contains(&"spooler-stuck"), "{symptoms:?}");
    let t = run(&["aggregate", d.path().to_str().unwrap()]);
    let causes_at = t.stdout.find("Causes to fix").unwrap();
    let checks_at = t.stdout.find("Every failing or warning check").unwrap();
    assert!(causes_at < checks_at, "{}", t.stdout);
}

#[test]
fn a_report_path_that_does_not_exist_exits_2() {
    let d = fleet_dir();
    let typo = d.path().join("PC1-4.jsno");
    let r = run(&[
        "aggregate",
        d.path().to_str().unwrap(),
        typo.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("no such file or folder"), "{}", r.stderr);
}

#[test]
fn a_copied_folders_user_is_never_listed_on_this_machines_name() {
    let d = tempfile::tempdir().unwrap();
    let f = Fixture::new();
    f.spool("a@contoso.com", "m", b"<m/>", 3600);
    let out = cmd()
        .env("COMPUTERNAME", "TECHNICIAN-PC")
        .args(["check", "--root", f.root().to_str().unwrap(), "--now", NOW])
        .args(["--format", "json"])
        .output()
        .unwrap();
    std::fs::write(d.path().join("copy.json"), &out.stdout).unwrap();
    let r = run(&["aggregate", d.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["machines_with_stuck_messages"], 1, "{v:#}");
    assert_eq!(v["stuck"][0]["user"], "a@contoso.com", "{v:#}");
    assert!(!r.stdout.contains("TECHNICIAN-PC"), "{}", r.stdout);
}
