//! Escalation: `collect` on the user's machine, `check --root bundle.zip` on
//! the second line's. The inspected machine, its time zone and every input
//! travel with the facts; the facts are re-judged at the reader's `--now`.

use crate::common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

use common::*;

const USER_PC: &str = "user-pc-4711";

/// A profile with one young spooled file, an EWS failure in the logs (local
/// times), and an .etl trace.
fn users_machine() -> Fixture {
    let f = Fixture::new();
    f.spool(
        "jdoe@fabrikam.com",
        "young.xml",
        b"<m><to>sip:klee@fabrikam.com</to><body>lunch?</body></m>",
        30,
    );
    let log = user_agent_entry("09:00:00.000", "16.0.6965.2058")
        + &ews_url_entry("09:00:01.000", "mail.fabrikam.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            "POST https://mail.fabrikam.com/EWS/Exchange.asmx failed: HTTP/1.1 503 Service Unavailable",
        );
    f.log("Lync-UccApi-0.UccApilog", &log);
    let etl = f.lync("16.0").join("Tracing").join("Lync.etl");
    write_with_age(&etl, b"\x00\x01binary trace\x00", 120);
    f
}

/// Run the binary as if on another machine: its own host name (a UTS
/// namespace with `hostname`, where we may make one; `COMPUTERNAME`, as on
/// Windows, otherwise) and time zone.
fn on_machine(host: &str, tz: &str, args: &[&str]) -> Run {
    on_machine_env(host, tz, &[], args)
}

/// A live run on `host`: no `--root`, the user's own `%LOCALAPPDATA%`
/// (the fixture's tree) is what the tool inspects.
fn live_on(host: &str, tz: &str, f: &Fixture, args: &[&str]) -> Run {
    on_machine_env(
        host,
        tz,
        &[("LOCALAPPDATA", f.root().to_str().unwrap())],
        args,
    )
}

fn on_machine_env(host: &str, tz: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin!("offline-im-doctor");
    let unshare_works = Command::new("unshare")
        .args(["-u", "true"])
        .status()
        .is_ok_and(|s| s.success());
    let mut c = if unshare_works {
        let mut c = Command::new("unshare");
        c.args(["-u", "sh", "-c", "hostname \"$0\" && exec \"$@\"", host])
            .arg(bin)
            .env_remove("COMPUTERNAME");
        c
    } else {
        let mut c = Command::new(bin);
        c.env("COMPUTERNAME", host);
        c
    };
    c.args(args)
        .envs(env.iter().copied())
        .env("TZ", tz)
        .env_remove("NO_COLOR")
        .env_remove("OFFLINE_IM_DOCTOR_REDACT_SALT")
        .output()
        .unwrap()
        .into()
}

fn timeline_times(report: &Report) -> Vec<String> {
    report
        .timeline
        .iter()
        .map(|e| {
            e.timestamp
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_bundle_reports_the_users_host_and_reads_logs_in_the_users_offset() {
    let f = users_machine();
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("ticket-4711.zip");
    let zip_s = zip.to_str().unwrap();

    // On the user's machine, in Berlin (UTC+01:00 in November): live runs.
    let direct = live_on(
        USER_PC,
        "Europe/Berlin",
        &f,
        &["check", "--now", NOW, "--format", "json"],
    );
    let direct = direct.report();
    let c = live_on(
        USER_PC,
        "Europe/Berlin",
        &f,
        &["collect", "--now", NOW, "--out", zip_s],
    );
    assert_eq!(c.code, 0, "{}", c.stderr);

    // On the analyst's machine, in UTC.
    let r = on_machine(
        "analyst-pc",
        "UTC",
        &["check", "--root", zip_s, "--now", NOW, "--format", "json"],
    );
    let bundled = r.report();
    assert_eq!(
        bundled.host.as_deref(),
        Some(USER_PC),
        "{:#?}",
        bundled.machine
    );
    assert_eq!(bundled.machine.host_name.as_deref(), Some(USER_PC));
    assert_eq!(bundled.machine.utc_offset.as_deref(), Some("+01:00"));
    assert_eq!(bundled.machine.time_zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(direct.host.as_deref(), Some(USER_PC));
    assert_eq!(bundled.logs.utc_offset, "+01:00");
    assert_eq!(bundled.logs.utc_offset_source, Some(OffsetSource::Bundle));
    assert_eq!(direct.logs.utc_offset, "+01:00");
    assert_eq!(direct.logs.utc_offset_source, Some(OffsetSource::Machine));
    assert_eq!(direct.machine.time_zone.as_deref(), Some("Europe/Berlin"));
    // 09:00 local in Berlin is 08:00 UTC, on both machines.
    let times = timeline_times(&bundled);
    assert!(
        times.iter().any(|t| t.starts_with("2026-11-24T08:00:02")),
        "{times:?}"
    );
    assert_eq!(times, timeline_times(&direct));
    assert_eq!(statuses(&bundled), statuses(&direct));

    // --log-utc-offset on the reading side still wins, and says so.
    let over = on_machine(
        "analyst-pc",
        "UTC",
        &[
            "check",
            "--root",
            zip_s,
            "--now",
            NOW,
            "--log-utc-offset",
            "+03:00",
            "--format",
            "json",
        ],
    )
    .report();
    assert_eq!(over.logs.utc_offset, "+03:00");
    assert_eq!(over.logs.utc_offset_source, Some(OffsetSource::Option));
    assert!(
        timeline_times(&over)
            .iter()
            .any(|t| t.starts_with("2026-11-24T06:00:02"))
    );
}

#[test]
fn a_recheck_at_a_later_now_turns_a_young_spooled_file_stuck() {
    let f = users_machine();
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("b.zip");
    let zip_s = zip.to_str().unwrap();
    let c = run(&[
        "collect",
        "--root",
        f.root().to_str().unwrap(),
        "--now",
        NOW,
        "--out",
        zip_s,
    ]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let at_collection = run(&["check", "--root", zip_s, "--format", "json"]).report();
    assert_eq!(status(&at_collection, CheckId::SpoolerStuck), Status::Info);
    assert_eq!(
        code(&at_collection, CheckId::SpoolerStuck),
        "spooler-in-flight"
    );
    let later = run(&[
        "check",
        "--root",
        zip_s,
        "--now",
        "2026-11-24T11:00:00Z",
        "--format",
        "json",
    ])
    .report();
    assert_eq!(status(&later, CheckId::SpoolerStuck), Status::Fail);
    assert_eq!(code(&later, CheckId::SpoolerStuck), "spooler-stuck");
    assert_eq!(later.profiles[0].spooler.oldest_age_seconds, Some(3630));
}

#[test]
fn collect_records_the_server_config_and_options_and_a_recheck_uses_them() {
    let f = users_machine();
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = cfg_dir.path().join("get-csimconfiguration.txt");
    std::fs::write(
        &cfg,
        "Identity        : Global\r\nEnableOfflineIm : False\r\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("b.zip");
    let zip_s = zip.to_str().unwrap();
    let c = run(&[
        "collect",
        "--root",
        f.root().to_str().unwrap(),
        "--now",
        NOW,
        "--server-config",
        cfg.to_str().unwrap(),
        "--client-version",
        "16.0.6701.1000",
        "--mailbox",
        "on-premises",
        "--stuck-after",
        "10s",
        "--out",
        zip_s,
    ]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    // The paste is gone from the analyst's side: the bundle carries it.
    drop(cfg_dir);
    let r = run(&["check", "--root", zip_s, "--format", "json"]);
    let v = r.report();
    assert_eq!(
        status(&v, CheckId::ServerOfflineIm),
        Status::Fail,
        "{}",
        r.stdout
    );
    assert_eq!(
        code(&v, CheckId::ServerOfflineIm),
        "server-offline-im-disabled"
    );
    assert!(
        evidence_text(&v, CheckId::ServerOfflineIm).contains("b.zip!/inputs/server-config-1.txt")
            || summary(&v, CheckId::ServerOfflineIm).contains("Global"),
        "{}",
        r.stdout
    );
    // --client-version and --mailbox were recorded, so the same thresholds apply.
    assert_eq!(v.client.build.as_deref(), Some("16.0.6701.1000"));
    assert_eq!(v.client.source, Some(BuildSource::Option));
    assert_eq!(v.mailbox.location, MailboxLocation::OnPremises);
    assert_eq!(
        code(&v, CheckId::ClientBuild),
        "build-below-onprem-threshold"
    );
    // --stuck-after 10s was recorded: the 30-second-old file is stuck.
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Fail);
    // The reader's own option wins over the recorded one.
    let v2 = run(&[
        "check",
        "--root",
        zip_s,
        "--client-version",
        "16.0.7571.2072",
        "--format",
        "json",
    ])
    .report();
    assert_eq!(status(&v2, CheckId::ClientBuild), Status::Pass);
}

#[test]
fn etl_traces_travel_unless_no_etl_or_redact() {
    let f = users_machine();
    let out = tempfile::tempdir().unwrap();
    let names = |zip: &Path| -> Vec<String> {
        let z = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
        z.file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect()
    };
    let inputs = |zip: &Path| -> serde_json::Value {
        let mut z = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
        let mut s = String::new();
        z.by_name("inputs.json")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        serde_json::from_str(&s).unwrap()
    };
    let root = f.root().to_str().unwrap();
    for (name, extra, included) in [
        ("with.zip", &[][..], true),
        ("no-etl.zip", &["--no-etl"][..], false),
        ("redacted.zip", &["--redact"][..], false),
    ] {
        let zip = out.path().join(name);
        let mut args = vec!["collect", "--root", root, "--now", NOW, "--out"];
        args.push(zip.to_str().unwrap());
        args.extend_from_slice(extra);
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let has = names(&zip).iter().any(|n| n == "etl/16.0/Lync.etl");
        assert_eq!(has, included, "{name}: {:?}", names(&zip));
        let rec = inputs(&zip);
        if included {
            assert_eq!(rec["etl"]["included"][0], "etl/16.0/Lync.etl");
        } else {
            let why = rec["etl"]["left_out"].to_string();
            assert!(why.contains(extra[0]), "{name}: {why}");
            assert!(r.stderr.contains("left out"), "{}", r.stderr);
        }
        // Either way the trace is listed in the report of the bundle.
        let v = run(&["check", "--root", zip.to_str().unwrap(), "--format", "json"]).report();
        assert_eq!(v.logs.etl.len(), 1, "{name}");
    }
}

#[test]
fn a_version_1_bundle_still_opens_and_is_judged_the_same() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("bundle-v1-stuck-spooler.zip");
    let r = run(&[
        "check",
        "--root",
        fixture.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v = r.report();
    // What 0.1.0 reported for this bundle (see the commit that added it).
    let want = [
        (CheckId::ClientBuild, Status::Pass),
        (CheckId::ClientInstall, Status::Skip),
        (CheckId::SpoolerStuck, Status::Fail),
        (CheckId::ImAutoArchiving, Status::Pass),
        (CheckId::ServerOfflineIm, Status::Skip),
        (CheckId::EwsAccess, Status::Fail),
        (CheckId::OfflineImActivity, Status::Fail),
        (CheckId::ClientLogs, Status::Pass),
        (CheckId::DraftsKnownIssue, Status::Pass),
    ];
    let got = statuses(&v);
    for (id, s) in want {
        assert!(got.contains(&(id, s)), "{id} should be {s:?}: {got:?}");
    }
    assert_eq!(v.generated_at, now());
    assert_eq!(v.profiles[0].spooler.stuck, 1);
    // Version 1 recorded no machine: nothing is made up.
    assert!(v.host.is_none(), "{:?}", v.host);
    assert_eq!(
        v.logs.utc_offset_source,
        Some(OffsetSource::AssumedThisMachine)
    );
}

#[test]
fn a_bundle_from_a_newer_version_is_refused_with_a_clear_message() {
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("future.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip).unwrap());
    w.start_file("manifest.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(
        br#"{"bundle_version": 99, "tool": {"name": "offline-im-doctor", "version": "9.0.0"},
            "created_at": "2026-11-24T10:00:00Z", "redacted": false,
            "includes_messages": false, "files": []}"#,
    )
    .unwrap();
    w.finish().unwrap();
    let r = run(&["check", "--root", zip.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bundle_version 99"), "{}", r.stderr);
    assert!(
        r.stderr.contains("update offline-im-doctor"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn collect_from_a_bundle_is_refused_naming_check() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("bundle-v1-stuck-spooler.zip");
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("again.zip");
    let r = run(&[
        "collect",
        "--root",
        fixture.to_str().unwrap(),
        "--out",
        zip.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("already an evidence bundle"),
        "{}",
        r.stderr
    );
    assert!(!zip.exists());
}

#[test]
fn redact_covers_the_inspected_machine_and_the_new_keys() {
    let f = users_machine();
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("b.zip");
    let zip_s = zip.to_str().unwrap();
    let c = live_on(
        USER_PC,
        "Europe/Berlin",
        &f,
        &["collect", "--now", NOW, "--out", zip_s],
    );
    assert_eq!(c.code, 0, "{}", c.stderr);
    for format in ["json", "ndjson", "markdown", "html", "table"] {
        let r = on_machine(
            "analyst-pc",
            "UTC",
            &[
                "check", "--root", zip_s, "--redact", "--format", format, "-v",
            ],
        );
        for personal in [USER_PC, "jdoe", "klee", "fabrikam"] {
            assert!(
                !r.stdout.contains(personal),
                "{format}: {personal} leaked:\n{}",
                r.stdout
            );
        }
    }
    let v = on_machine(
        "analyst-pc",
        "UTC",
        &["check", "--root", zip_s, "--redact", "--format", "json"],
    )
    .report();
    let host = v.machine.host_name.as_deref().unwrap();
    assert!(host.starts_with("machine-"), "{host}");
    assert_eq!(v.host.as_deref(), Some(host));
    // The time zone and offset are not personal: they stay.
    assert_eq!(v.machine.utc_offset.as_deref(), Some("+01:00"));
}
