//! The inspected machine, told truly: a folder copy, a plain zip of it, a
//! bundle of it and a live run, each run by a technician whose clock is in
//! New York or Tokyo. What the report says about the host, the log times'
//! zone (and where it came from) and the moment judged at.
//!
//! The user's log says 09:00:02 local time on 2026-11-24, without a zone.

use crate::common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// The technician's zones: (TZ, offset in November, 09:00:02 local in UTC,
/// `--now 2030-01-01T00:00` in UTC).
const ZONES: [(&str, &str, &str, &str); 2] = [
    (
        "America/New_York",
        "-05:00",
        "2026-11-24T14:00:02",
        "2030-01-01T05:00:00Z",
    ),
    (
        "Asia/Tokyo",
        "+09:00",
        "2026-11-24T00:00:02",
        "2029-12-31T15:00:00Z",
    ),
];

const THIS_PC: &str = "TECHNICIAN-PC";

fn users_folder() -> Fixture {
    let f = Fixture::new();
    f.profile("jdoe@fabrikam.com");
    let log = user_agent_entry("09:00:00.000", "16.0.5356.1000")
        + &ews_url_entry("09:00:01.000", "mail.fabrikam.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            "POST https://mail.fabrikam.com/EWS/Exchange.asmx failed: HTTP/1.1 503 Service Unavailable",
        );
    f.log("Lync-UccApi-0.UccApilog", &log);
    f
}

/// The binary on this machine, in `tz`; `live` is the user's own
/// %LOCALAPPDATA% (no `--root`).
fn in_zone(tz: &str, live: Option<&Path>, args: &[&str]) -> Run {
    let mut c = cmd();
    c.env("TZ", tz).env("COMPUTERNAME", THIS_PC);
    if let Some(l) = live {
        c.env("LOCALAPPDATA", l);
    }
    c.args(args).output().unwrap().into()
}

fn times(v: &Report) -> Vec<String> {
    v.timeline
        .iter()
        .filter_map(|e| e.timestamp)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .collect()
}

fn has_time(v: &Report, prefix: &str) -> bool {
    times(v).iter().any(|t| t.starts_with(prefix))
}

/// A copy (folder, plain zip, bundle of a copy): no host, this machine's
/// zone assumed for the logs and for a zone-less --now, and said so.
fn assert_copy(tz: &str, off: &str, log_time: &str, now_utc: &str, root: &str) {
    let r = in_zone(
        tz,
        None,
        &[
            "check",
            "--root",
            root,
            "--now",
            "2030-01-01T00:00",
            "--format",
            "json",
        ],
    );
    let v = r.report();
    assert!(v.host.is_none(), "{root}: {:?}", v.host);
    assert_eq!(
        v.machine,
        InspectedHost::default(),
        "a copy says nothing of its machine"
    );
    assert_eq!(v.logs.utc_offset, off, "{tz} {root}");
    assert_eq!(
        v.logs.utc_offset_source,
        Some(OffsetSource::AssumedThisMachine)
    );
    assert!(has_time(&v, log_time), "{tz} {root}: {:?}", times(&v));
    assert_eq!(v.generated_at, utc(now_utc), "{tz} {root}");
    assert!(
        r.stderr.contains(&format!(
            "--now 2030-01-01T00:00:00 read in UTC{off} (this machine's zone, assumed"
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains(THIS_PC), "{root}");

    let t = in_zone(tz, None, &["check", "--root", root, "--now", now_utc]);
    assert!(
        t.stdout.contains("Machine:   unknown: a copied folder"),
        "{}",
        t.stdout
    );
    assert!(
        t.stdout.contains(&format!(
            "Log times: UTC{off}, this machine's zone, assumed"
        )),
        "{}",
        t.stdout
    );
    assert!(
        t.stdout.contains("--log-utc-offset sets it"),
        "{}",
        t.stdout
    );

    // --log-utc-offset: the copy's own zone, said to be the option's.
    let v = in_zone(
        tz,
        None,
        &[
            "check",
            "--root",
            root,
            "--log-utc-offset",
            "+01:00",
            "--now",
            "2030-01-01T00:00",
            "--format",
            "json",
        ],
    )
    .report();
    assert_eq!(v.logs.utc_offset, "+01:00");
    assert_eq!(v.logs.utc_offset_source, Some(OffsetSource::Option));
    assert!(has_time(&v, "2026-11-24T08:00:02"), "{:?}", times(&v));
    assert_eq!(v.generated_at.to_rfc3339(), "2029-12-31T23:00:00+00:00");
}

/// A zip of the folder as it is (no manifest): a plain zip.
fn zip_folder(dir: &Path, out: &Path) {
    let files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    write_zip(out, &refs);
}

#[test]
fn a_folder_and_a_plain_zip_name_no_host_and_assume_this_machines_zone() {
    let f = users_folder();
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("copy.zip");
    zip_folder(f.root(), &zip);
    for (tz, off, log_time, now_utc) in ZONES {
        assert_copy(tz, off, log_time, now_utc, f.root().to_str().unwrap());
        assert_copy(tz, off, log_time, now_utc, zip.to_str().unwrap());
    }
}

#[test]
fn a_bundle_of_a_copy_records_the_unknown_host_and_the_moment_asked_for() {
    let f = users_folder();
    for (tz, off, log_time, now_utc) in ZONES {
        let d = tempfile::tempdir().unwrap();
        let zip = d.path().join("b.zip");
        let c = in_zone(
            tz,
            None,
            &[
                "collect",
                "--root",
                f.root().to_str().unwrap(),
                "--now",
                "2030-01-01T00:00",
                "--out",
                zip.to_str().unwrap(),
            ],
        );
        assert_eq!(c.code, 0, "{}", c.stderr);
        let inputs: Value = serde_json::from_slice(&zip_member(&zip, "inputs.json")).unwrap();
        assert!(
            inputs["host"]["host_name"].is_null(),
            "{:#}",
            inputs["host"]
        );
        let manifest: Value = serde_json::from_slice(&zip_member(&zip, "manifest.json")).unwrap();
        assert_eq!(manifest["created_at"], now_utc, "{tz}");
        let report: Report = serde_json::from_slice(&zip_member(&zip, "report.json")).unwrap();
        assert_eq!(report.generated_at, utc(now_utc), "{tz}");
        assert!(report.host.is_none());
        // Read back on this machine: still a copy of an unknown machine.
        assert_copy(tz, off, log_time, now_utc, zip.to_str().unwrap());
        // Without --now, the moment the bundle was made.
        let v = in_zone(
            tz,
            None,
            &["check", "--root", zip.to_str().unwrap(), "--format", "json"],
        )
        .report();
        assert_eq!(v.generated_at, utc(now_utc));
    }
}

#[test]
fn a_live_run_is_this_machine_and_its_bundle_carries_it() {
    let f = users_folder();
    let (tz, off, log_time, now_utc) = ZONES[0];
    let live = Some(f.root());
    let r = in_zone(
        tz,
        live,
        &["check", "--now", "2030-01-01T00:00", "--format", "json"],
    );
    let v = r.report();
    assert_eq!(v.host.as_deref(), Some(THIS_PC));
    assert_eq!(v.machine.host_name.as_deref(), Some(THIS_PC));
    assert_eq!(v.machine.utc_offset.as_deref(), Some(off));
    assert_eq!(v.machine.time_zone.as_deref(), Some(tz));
    assert_eq!(v.logs.utc_offset_source, Some(OffsetSource::Machine));
    assert!(has_time(&v, log_time), "{:?}", times(&v));
    assert_eq!(v.generated_at, utc(now_utc));
    assert!(
        r.stderr
            .contains("read in UTC-05:00 (this machine's own zone: a live run)"),
        "{}",
        r.stderr
    );

    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("live.zip");
    let c = in_zone(
        tz,
        live,
        &[
            "collect",
            "--now",
            "2030-01-01T00:00",
            "--out",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let report: Report = serde_json::from_slice(&zip_member(&zip, "report.json")).unwrap();
    assert_eq!(report.generated_at, utc(now_utc));
    assert_eq!(report.host.as_deref(), Some(THIS_PC));

    // Read in Tokyo by someone else: the user's machine, zone and times.
    let (other_tz, ..) = ZONES[1];
    let v = cmd()
        .env("TZ", other_tz)
        .env("COMPUTERNAME", "ANALYST-PC")
        .args(["check", "--root", zip.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let v: Report = serde_json::from_slice(&v.stdout).unwrap();
    assert_eq!(v.host.as_deref(), Some(THIS_PC));
    assert_eq!(v.machine.utc_offset.as_deref(), Some(off));
    assert_eq!(v.logs.utc_offset, off);
    assert_eq!(v.logs.utc_offset_source, Some(OffsetSource::Bundle));
    assert!(has_time(&v, log_time), "{:?}", times(&v));
    assert_eq!(v.generated_at, utc(now_utc));
    // A zone-less --now on the reading side: the user's offset, recorded.
    let r = cmd()
        .env("TZ", other_tz)
        .args(["check", "--root", zip.to_str().unwrap()])
        .args(["--now", "2030-01-01T00:00", "--format", "json"])
        .output()
        .unwrap();
    let v: Report = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v.generated_at, utc(now_utc));
}

/// The fields every command must agree on.
#[derive(Debug, PartialEq)]
struct Judgement<'a> {
    client: &'a ClientInfo,
    mailbox: &'a MailboxInfo,
    machine: &'a InspectedHost,
    host: &'a Option<String>,
    codes: Vec<(CheckId, &'static str)>,
    utc_offset_source: Option<OffsetSource>,
}

fn same_judgement(v: &Report) -> Judgement<'_> {
    Judgement {
        client: &v.client,
        mailbox: &v.mailbox,
        machine: &v.machine,
        host: &v.host,
        codes: v.checks.iter().map(|c| (c.id, c.code.as_str())).collect(),
        utc_offset_source: v.logs.utc_offset_source,
    }
}

#[test]
fn check_collect_and_watch_judge_one_folder_alike() {
    // A folder where nothing failed: the watch's window (nothing written)
    // and the whole log then agree on delivery too.
    let f = Fixture::new();
    f.profile("jdoe@fabrikam.com");
    f.log(
        "Lync-UccApi-0.UccApilog",
        &(user_agent_entry("09:00:00.000", "16.0.5356.1000")
            + &ews_url_entry("09:00:01.000", "mail.fabrikam.com")),
    );
    let root = f.root().to_str().unwrap();
    let tz = ZONES[1].0;
    // No --client-version: the build comes from the log, for watch too.
    let settings = ["--stuck-after", "5m", "--now", "2026-11-24T10:00"];
    let check = in_zone(
        tz,
        None,
        &[
            &["check", "--root", root, "--format", "json"][..],
            &settings,
        ]
        .concat(),
    )
    .report();
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("c.zip");
    let c = in_zone(
        tz,
        None,
        &[
            &["collect", "--root", root, "--out", zip.to_str().unwrap()][..],
            &settings,
        ]
        .concat(),
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    let collected: Report = serde_json::from_slice(&zip_member(&zip, "report.json")).unwrap();
    let watch = in_zone(
        tz,
        None,
        &[
            &["watch", "--root", root, "--for", "1s", "--format", "json"][..],
            &settings,
        ]
        .concat(),
    );
    assert_eq!(watch.code, 0, "{}", watch.stderr);
    let watched = watch.report();
    assert_eq!(check.client.build.as_deref(), Some("16.0.5356.1000"));
    assert_eq!(check.mailbox.location, MailboxLocation::OnPremises);
    assert_eq!(same_judgement(&check), same_judgement(&collected));
    assert_eq!(same_judgement(&check), same_judgement(&watched));
    // The same moment everywhere: 10:00 in Tokyo's offset, assumed.
    for v in [&check, &collected, &watched] {
        assert_eq!(v.generated_at.to_rfc3339(), "2026-11-24T01:00:00+00:00");
    }
}

#[test]
fn a_live_run_without_a_profile_names_the_account_and_whom_to_run_as() {
    // The account's own %LOCALAPPDATA%, with Office but no client profile.
    let f = Fixture::new();
    std::fs::create_dir_all(f.root().join("Microsoft").join("Office").join("16.0")).unwrap();
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("b.zip");
    for args in [
        &["check"][..],
        &["collect", "--out", out.to_str().unwrap()][..],
        &["watch", "--for", "1s"][..],
    ] {
        let r: Run = cmd()
            .env("LOCALAPPDATA", f.root())
            .env("USERNAME", "helpdesk-admin")
            .args(args)
            .output()
            .unwrap()
            .into();
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("no Skype for Business profile for the Windows user helpdesk-admin"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains("Run it as the user who signs in to Skype for Business"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("pass --root"), "{}", r.stderr);
    }
    // With --root the same folder is a copy: the path is what to fix.
    let r = run(&["check", "--root", f.root().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("Windows user"), "{}", r.stderr);
}
