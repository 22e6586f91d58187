//! The `check` command end to end: the real binary on fixture trees.

use crate::common;

use common::*;

// ---------- usage errors (exit 2) ----------

#[cfg(not(windows))]
#[test]
fn without_root_off_windows_exits_2_and_says_pass_root() {
    let r = run(&["check", "--now", NOW]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--root"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn missing_root_exits_2_naming_it() {
    let r = check_run("/no/such/place", &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/no/such/place"), "{}", r.stderr);
    assert!(r.stderr.contains("no such file or folder"), "{}", r.stderr);
}

#[test]
fn root_without_profile_exits_2_saying_what_it_looked_for() {
    let f = Fixture::new();
    f.file("Documents/readme.txt", b"hello");
    let r = check_run(f.root().to_str().unwrap(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("nothing that looks like a Skype for Business client profile"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("sip_<address>"), "{}", r.stderr);
    assert!(
        r.stderr.contains(f.root().to_str().unwrap()),
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_user_exits_2_listing_profiles() {
    let f = Fixture::new();
    f.profile("alice@contoso.com");
    let r = check_run(f.root().to_str().unwrap(), &["--user", "bob@contoso.com"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("sip_bob@contoso.com"), "{}", r.stderr);
    assert!(r.stderr.contains("alice@contoso.com"), "{}", r.stderr);
}

#[test]
fn bad_option_values_exit_2() {
    let f = Fixture::new();
    f.profile("alice@contoso.com");
    let root = f.root().to_str().unwrap();
    for (args, needle) in [
        (vec!["--now", "yesterday"], "2026-11-24 (midnight UTC)"),
        (vec!["--now", NOW, "--stuck-after", "soon"], "90s"),
        (
            vec!["--now", NOW, "--client-version", "16.0.x"],
            "16.0.6965.2058",
        ),
        (vec!["--now", NOW, "--mailbox", "cloud"], "on-premises"),
        (vec!["--now", NOW, "--format", "xml"], "markdown"),
        (vec!["--now", NOW, "--fail-on", "info"], "warn"),
    ] {
        let mut a = vec!["check", "--root", root];
        a.extend(args.iter());
        let r = run(&a);
        assert_eq!(r.code, 2, "{a:?}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{a:?}: {}", r.stderr);
    }
}

#[test]
fn server_config_with_nothing_recognised_exits_2_naming_the_file() {
    let f = Fixture::new();
    f.profile("alice@contoso.com");
    let cfg = f.file(
        "notes.txt",
        b"Identity : Global\r\nSomethingElse : True\r\n",
    );
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--server-config", cfg.to_str().unwrap()],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(cfg.to_str().unwrap()), "{}", r.stderr);
    assert!(r.stderr.contains("Get-CsImConfiguration"), "{}", r.stderr);
    let missing = f.root().join("nope.txt");
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--server-config", missing.to_str().unwrap()],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope.txt"), "{}", r.stderr);
}

// ---------- --root forms ----------

fn profiles_of(v: &Report) -> Vec<String> {
    v.profiles
        .iter()
        .map(|p| p.sip_address.as_str().to_string())
        .collect()
}

#[test]
fn every_root_form_finds_the_profile() {
    let f = Fixture::new();
    f.spool("jdoe@fabrikam.com", "a.xml", b"<m/>", 600);
    let office = f.root().join("Microsoft").join("Office");
    let lync = f.lync("16.0");
    let prof = lync.join("sip_jdoe@fabrikam.com");
    for root in [f.root().to_path_buf(), office, lync, prof] {
        let (r, v) = check_report(&root, &[]);
        assert_eq!(r.code, 1, "{root:?}: {}", r.stderr);
        assert_eq!(profiles_of(&v), vec!["jdoe@fabrikam.com"], "{root:?}");
        assert_eq!(v.profiles[0].office_version, "16.0", "{root:?}");
        assert_eq!(v.profiles[0].spooler.stuck, 1, "{root:?}");
    }
}

#[test]
fn names_match_case_insensitively_and_15_0_is_found() {
    let f = Fixture::new();
    let p = f
        .root()
        .join("MICROSOFT")
        .join("office")
        .join("16.0")
        .join("LYNC")
        .join("SIP_Ann@Contoso.com");
    std::fs::create_dir_all(p.join("history spooler")).unwrap();
    write_with_age(&p.join("history spooler").join("m1"), b"<x/>", 30);
    let old = f
        .root()
        .join("MICROSOFT")
        .join("office")
        .join("15.0")
        .join("Lync")
        .join("sip_ann@contoso.com");
    std::fs::create_dir_all(&old).unwrap();
    let (r, v) = check_report(f.root(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut versions: Vec<_> = v
        .profiles
        .iter()
        .map(|p| p.office_version.as_str().to_string())
        .collect();
    versions.sort();
    assert_eq!(versions, vec!["15.0", "16.0"]);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Info);
}

#[test]
fn user_filter_is_case_insensitive() {
    let f = Fixture::new();
    f.profile("alice@contoso.com");
    f.profile("bob@contoso.com");
    let (_, v) = check_report(f.root(), &["--user", "BOB@contoso.com"]);
    assert_eq!(profiles_of(&v), vec!["bob@contoso.com"]);
    let (_, v) = check_report(f.root(), &["--user", "sip:alice@contoso.com"]);
    assert_eq!(profiles_of(&v), vec!["alice@contoso.com"]);
    let (r, v) = check_report(f.root(), &["--user", "SIP:Alice@Contoso.com"]);
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert_eq!(profiles_of(&v), vec!["alice@contoso.com"]);
}

// ---------- spooler-stuck ----------

#[test]
fn spooler_older_than_two_minutes_fails() {
    let f = Fixture::new();
    f.spool(
        "jdoe@fabrikam.com",
        "old.xml",
        b"<m><to>sip:kim@fabrikam.com</to><body>secret words</body></m>",
        3600,
    );
    f.spool("jdoe@fabrikam.com", "new.xml", b"<m/>", 30);
    let (r, v) = check_report(f.root(), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Fail);
    assert_eq!(v.verdict, Verdict::Fail);
    let p = &v.profiles[0].spooler;
    assert_eq!((p.files, p.stuck, p.oldest_age_seconds), (2, 1, Some(3600)));
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    assert!(ev.contains("kim@fabrikam.com"), "{ev}");
    assert!(!r.stdout.contains("secret words"), "message text leaked");
    assert!(
        check_of(&v, CheckId::SpoolerStuck)
            .remediation
            .as_deref()
            .unwrap()
            .contains("History Spooler")
    );
}

#[test]
fn only_young_files_is_info_in_flight() {
    let f = Fixture::new();
    f.spool("jdoe@fabrikam.com", "m", b"<m/>", 119);
    let (r, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Info);
    assert!(summary(&v, CheckId::SpoolerStuck).contains("in flight"));
    assert_eq!(r.code, 0);
}

#[test]
fn empty_or_absent_spooler_passes() {
    let f = Fixture::new();
    f.spooler("a@contoso.com");
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Pass);
    assert!(summary(&v, CheckId::SpoolerStuck).contains("empty"));
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Pass);
    assert!(summary(&v, CheckId::SpoolerStuck).contains("No History Spooler"));
}

#[test]
fn stuck_after_option_moves_the_threshold() {
    let f = Fixture::new();
    f.spool("a@contoso.com", "m", b"<m/>", 600);
    let (_, v) = check_report(f.root(), &["--stuck-after", "1h"]);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Info);
    let (_, v) = check_report(f.root(), &["--stuck-after", "90s"]);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Fail);
    assert!(summary(&v, CheckId::SpoolerStuck).contains("older than 90s"));
}

#[test]
fn future_dated_files_are_clock_skew_not_stuck() {
    let f = Fixture::new();
    f.spool("a@contoso.com", "m", b"<m/>", -86_400);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Info);
    assert!(summary(&v, CheckId::SpoolerStuck).contains("clock skew"));
    assert!(evidence_text(&v, CheckId::SpoolerStuck).contains("in the future"));
    assert_eq!(v.profiles[0].spooler.stuck, 0);
}

#[test]
fn sniffed_types_are_reported() {
    let f = Fixture::new();
    let a = "a@contoso.com";
    f.spool(a, "1.xml", b"<?xml version=\"1.0\"?><m/>", 600);
    f.spool(
        a,
        "2.eml",
        b"To: Kim <kim@fabrikam.com>\r\nSubject: x\r\n\r\nbody",
        600,
    );
    let mut u16 = vec![0xFF, 0xFE];
    for c in "<m/>".encode_utf16() {
        u16.extend_from_slice(&c.to_le_bytes());
    }
    f.spool(a, "3.dat", &u16, 600);
    f.spool(a, "4.bin", &[0, 1, 2, 3, 0xff, 0xfe, 0], 600);
    f.spool(a, "5.empty", b"", 600);
    let (_, v) = check_report(f.root(), &[]);
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    for t in [
        "xml",
        "mime-headers, ",
        "utf-16 xml",
        "binary",
        "empty",
        "recipient kim@fabrikam.com",
    ] {
        assert!(ev.contains(t), "{t} missing in {ev}");
    }
}

#[test]
fn subfolders_are_listed_and_their_files_counted() {
    let f = Fixture::new();
    let sp = f.spooler("a@contoso.com");
    write_with_age(&sp.join("retry").join("m1"), b"<m/>", 600);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Fail);
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    assert!(ev.contains("folder"), "{ev}");
    assert!(ev.contains("m1"), "{ev}");
}

#[cfg(unix)]
#[test]
fn symlinks_and_fifos_are_reported_never_followed_or_opened() {
    let f = Fixture::new();
    let sp = f.spooler("a@contoso.com");
    std::os::unix::fs::symlink("/etc/passwd", sp.join("link")).unwrap();
    std::os::unix::fs::symlink(sp.join("nowhere"), sp.join("broken")).unwrap();
    let fifo = sp.join("pipe");
    let st = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(st.success());
    let (r, v) = check_report(f.root(), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    assert!(ev.contains("symlink to /etc/passwd (not followed)"), "{ev}");
    assert!(ev.contains("fifo (not opened)"), "{ev}");
    assert!(!r.stdout.contains("root:x:0"), "followed a symlink");
    assert_eq!(v.profiles[0].spooler.files, 0);
}

#[cfg(unix)]
#[test]
fn odd_names_never_reach_the_terminal_raw() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::new();
    let sp = f.spooler("a@contoso.com");
    write_with_age(&sp.join("evil\x1b[31mred\u{202e}txt"), b"<m/>", 600);
    write_with_age(
        &sp.join(std::ffi::OsStr::from_bytes(b"latin1-\xe9t\xe9")),
        b"<m/>",
        600,
    );
    // The evidence that names the file is shown with -v.
    let r = check_run(f.root().to_str().unwrap(), &["-v"]);
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains('\x1b'), "raw escape reached the table");
    assert!(
        !r.stdout.contains('\u{202e}'),
        "raw bidi override reached the table"
    );
    assert!(
        r.stdout.contains("\\x1b[31mred\\u{202e}txt"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("name is not valid UTF-8"), "{}", r.stdout);
    let md = check_run(f.root().to_str().unwrap(), &["--format", "markdown"]);
    assert!(!md.stdout.contains('\x1b') && !md.stdout.contains('\u{202e}'));
    let (r, _) = check_report(f.root(), &[]);
    assert!(
        r.stdout.contains("\\u001b[31mred"),
        "JSON keeps it as an escape"
    );
}

// ---------- client-build / client-install / drafts-known-issue ----------

fn with_profile() -> Fixture {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    f
}

#[test]
fn client_build_thresholds() {
    let f = with_profile();
    let cases = [
        ("16.0.6700.9999", "auto", "fail", "below 16.0.6701.1000"),
        (
            "16.0.6701.1000",
            "online",
            "pass",
            "at or above 16.0.6701.1000",
        ),
        ("16.0.6800.1000", "auto", "warn", "unknown"),
        ("16.0.6800.1000", "on-premises", "fail", "16.0.6920.1000"),
        (
            "16.0.6920.1000",
            "on-premises",
            "pass",
            "at or above 16.0.6920.1000",
        ),
        ("15.0.5023.1000", "online", "fail", "Lync 2013"),
        (
            "16.0.10730.20304",
            "on-premises",
            "pass",
            "16.0.10730.20304",
        ),
    ];
    for (build, mailbox, want, text) in cases {
        let want: Status = serde_json::from_value(want.into()).unwrap();
        let (_, v) = check_report(f.root(), &["--client-version", build, "--mailbox", mailbox]);
        assert_eq!(status(&v, CheckId::ClientBuild), want, "{build} {mailbox}");
        assert!(
            summary(&v, CheckId::ClientBuild).contains(text),
            "{build}: {}",
            summary(&v, CheckId::ClientBuild)
        );
        assert_eq!(v.client.build.as_deref(), Some(build));
        assert_eq!(v.client.source, Some(BuildSource::Option));
        if want == Status::Fail {
            assert!(
                check_of(&v, CheckId::ClientBuild)
                    .remediation
                    .as_deref()
                    .unwrap()
                    .contains("16.0.")
            );
        }
    }
}

#[test]
fn unknown_build_warns() {
    let f = with_profile();
    let (r, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::ClientBuild), Status::Warn);
    assert_eq!(v.client.build, None);
    assert_eq!(v.client.source, None);
    assert_eq!(r.code, 0, "warn is below the default --fail-on");
}

#[test]
fn deferred_1602_build_is_explained() {
    let f = with_profile();
    let (_, v) = check_report(
        f.root(),
        &[
            "--client-version",
            "16.0.6741.2048",
            "--mailbox",
            "on-premises",
        ],
    );
    assert_eq!(status(&v, CheckId::ClientBuild), Status::Fail);
    assert!(
        summary(&v, CheckId::ClientBuild).contains("Deferred"),
        "{}",
        summary(&v, CheckId::ClientBuild)
    );
}

#[test]
fn msi_build_range_fails_install_and_unknown_skips() {
    let f = with_profile();
    let (_, v) = check_report(f.root(), &["--client-version", "16.0.4266.1001"]);
    assert_eq!(status(&v, CheckId::ClientInstall), Status::Fail);
    assert_eq!(v.client.install, InstallType::Msi);
    assert!(
        check_of(&v, CheckId::ClientInstall)
            .remediation
            .as_deref()
            .unwrap()
            .contains("Click-to-Run")
    );
    let (_, v) = check_report(f.root(), &["--client-version", "16.0.7571.2072"]);
    assert_eq!(status(&v, CheckId::ClientInstall), Status::Skip);
    assert_eq!(v.client.install, InstallType::Unknown);
}

#[test]
fn drafts_known_issue_for_on_premises_before_the_fix() {
    let f = with_profile();
    let (_, v) = check_report(
        f.root(),
        &[
            "--client-version",
            "16.0.6965.2053",
            "--mailbox",
            "on-premises",
        ],
    );
    assert_eq!(status(&v, CheckId::DraftsKnownIssue), Status::Warn);
    assert!(
        check_of(&v, CheckId::DraftsKnownIssue)
            .remediation
            .as_deref()
            .unwrap()
            .contains("16.0.6965.2058")
    );
    let (_, v) = check_report(
        f.root(),
        &[
            "--client-version",
            "16.0.6965.2058",
            "--mailbox",
            "on-premises",
        ],
    );
    assert_eq!(status(&v, CheckId::DraftsKnownIssue), Status::Pass);
    let (_, v) = check_report(
        f.root(),
        &["--client-version", "16.0.6965.2053", "--mailbox", "online"],
    );
    assert_eq!(status(&v, CheckId::DraftsKnownIssue), Status::Pass);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::DraftsKnownIssue), Status::Skip);
}

// ---------- server-offline-im / im-auto-archiving from --server-config ----------

const IM_CONFIG: &str = "Identity                    : Global\r\nEnableOfflineIm             : True\r\n\r\nIdentity                    : Site:Redmond\r\nEnableOfflineIm             : False\r\n";

#[test]
fn server_offline_im_statuses() {
    let f = with_profile();
    let off = f.file("off.txt", IM_CONFIG.as_bytes());
    let (r, v) = check_report(f.root(), &["--server-config", off.to_str().unwrap()]);
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Fail);
    assert_eq!(r.code, 1);
    assert!(summary(&v, CheckId::ServerOfflineIm).contains("Site:Redmond"));
    assert!(
        check_of(&v, CheckId::ServerOfflineIm)
            .remediation
            .as_deref()
            .unwrap()
            .contains("Set-CsImConfiguration -Identity \"Site:Redmond\" -EnableOfflineIm $True")
    );
    let ev = &check_of(&v, CheckId::ServerOfflineIm).evidence[1];
    assert_eq!(ev.line, Some(5));

    let on = f.file("on.txt", b"Identity : Global\nenableofflineim : true\n");
    let (_, v) = check_report(f.root(), &["--server-config", on.to_str().unwrap()]);
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Pass);

    let blank = f.file("blank.txt", b"Identity : Global\nEnableOfflineIm :\n");
    let (_, v) = check_report(f.root(), &["--server-config", blank.to_str().unwrap()]);
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Pass);
    assert!(summary(&v, CheckId::ServerOfflineIm).contains("not set"));

    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Skip);
    assert!(summary(&v, CheckId::ServerOfflineIm).contains("--server-config"));
}

#[test]
fn client_policy_in_server_config_drives_auto_archiving() {
    let f = with_profile();
    let cfg = f.file(
        "policies.txt",
        b"Identity              : Global\nEnableIMAutoArchiving : True\nDisableSavingIM       :\n\nIdentity              : Tag:NoArchive\nEnableIMAutoArchiving : False\n",
    );
    let (_, v) = check_report(f.root(), &["--server-config", cfg.to_str().unwrap()]);
    // Without Get-CsUser, whether the user has Tag:NoArchive is unknown: a
    // warn naming the cmdlet (docs/contract.md, im-auto-archiving; tests/server_config.rs).
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Warn);
    assert!(summary(&v, CheckId::ImAutoArchiving).contains("Tag:NoArchive"));
    assert!(
        check_of(&v, CheckId::ImAutoArchiving)
            .remediation
            .as_deref()
            .unwrap()
            .contains("Select-Object ClientPolicy")
    );
    assert_eq!(
        status(&v, CheckId::ServerOfflineIm),
        Status::Skip,
        "no Get-CsImConfiguration object"
    );

    let ok = f.file(
        "ok.txt",
        b"Identity : Global\nEnableIMAutoArchiving : True\n",
    );
    let (_, v) = check_report(f.root(), &["--server-config", ok.to_str().unwrap()]);
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Pass);

    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Skip);
}

#[test]
fn utf16_server_config_as_windows_powershell_writes_it() {
    let f = with_profile();
    let mut b = vec![0xFF, 0xFE];
    for u in IM_CONFIG.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    let cfg = f.file("utf16.txt", &b);
    let (_, v) = check_report(f.root(), &["--server-config", cfg.to_str().unwrap()]);
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Fail);
}

// ---------- exit codes, verdict, order ----------

#[test]
fn fail_on_warn_turns_warnings_into_exit_1() {
    let f = with_profile();
    let root = f.root().to_str().unwrap();
    let r = check_run(root, &[]);
    assert_eq!(r.code, 0);
    let r = check_run(root, &["--fail-on", "warn"]);
    assert_eq!(r.code, 1);
    let r = check_run(root, &["--fail-on", "fail", "--format", "json"]);
    assert_eq!(r.report().verdict, Verdict::Warn);
    assert_eq!(r.code, 0);
}

#[test]
fn every_check_in_contract_order_and_check_is_the_default_command() {
    let f = with_profile();
    let r = run(&[
        "--root",
        f.root().to_str().unwrap(),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let v = r.report();
    let ids: Vec<_> = v.checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "client-build",
            "client-install",
            "spooler-stuck",
            "im-auto-archiving",
            "server-offline-im",
            "ews-access",
            "offline-im-activity",
            "client-logs",
            "drafts-known-issue",
            "client-support",
            "exchange-online-ews",
            "ews-reachability",
            "offline-im-recipients"
        ]
    );
    assert_eq!(v.schema_version, 1);
    assert_eq!(v.tool.name, "offline-im-doctor");
    assert_eq!(v.generated_at.to_rfc3339(), "2026-11-24T10:00:00+00:00");
}

// ---------- read-only ----------

#[test]
fn a_run_leaves_the_inspected_tree_unchanged() {
    let f = Fixture::new();
    f.spool(
        "a@contoso.com",
        "m.xml",
        b"<m><to>sip:b@contoso.com</to></m>",
        3600,
    );
    f.log(
        "Lync-UccApi-0.UccApilog",
        &user_agent_entry("09:00:00.000", "16.0.7571.2072"),
    );
    let cfg = f.file("cfg.txt", IM_CONFIG.as_bytes());
    let before = snapshot_tree(f.root());
    for format in ["table", "json", "markdown"] {
        let r = check_run(
            f.root().to_str().unwrap(),
            &["--format", format, "--server-config", cfg.to_str().unwrap()],
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
    }
    assert_eq!(
        before,
        snapshot_tree(f.root()),
        "the run changed the inspected tree"
    );
}

// ---------- --lync-exe on a collected copy ----------

/// A real PE with a version resource that nobody here wrote: Wine's kernel32.dll.
fn real_pe() -> Option<Vec<u8>> {
    let dirs = [
        "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows",
        "/usr/lib/wine/x86_64-windows",
        "/usr/lib64/wine/x86_64-windows",
    ];
    let found = dirs
        .iter()
        .find_map(|d| std::fs::read(std::path::Path::new(d).join("kernel32.dll")).ok());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Wine's kernel32.dll (.ci/run installs wine64)"
        );
        eprintln!("SKIPPED: no Wine kernel32.dll (apt-get install wine64)");
    }
    found
}

#[test]
fn lync_exe_layout_decides_install_type_and_its_version_the_build() {
    let Some(pe) = real_pe() else { return };
    let f = with_profile();
    let msi = f.file("copy/Program Files/Microsoft Office/Office16/lync.exe", &pe);
    let (_, v) = check_report(f.root(), &["--lync-exe", msi.to_str().unwrap()]);
    assert_eq!(v.client.source, Some(BuildSource::LyncExe));
    assert_eq!(v.client.install, InstallType::Msi);
    assert_eq!(status(&v, CheckId::ClientInstall), Status::Fail);
    assert!(evidence_text(&v, CheckId::ClientInstall).contains("MSI layout"));
    let build = v.client.build.as_deref().unwrap().to_string();
    assert!(build.split('.').count() == 4, "{build}");

    let c2r = f.file(
        "copy/Program Files/Microsoft Office/root/Office16/lync.exe",
        &pe,
    );
    let (_, v) = check_report(f.root(), &["--lync-exe", c2r.to_str().unwrap()]);
    assert_eq!(v.client.install, InstallType::ClickToRun);
    assert_eq!(status(&v, CheckId::ClientInstall), Status::Pass);

    // --client-version still wins for the build; the layout still says the install.
    let (_, v) = check_report(
        f.root(),
        &[
            "--lync-exe",
            msi.to_str().unwrap(),
            "--client-version",
            "16.0.7571.2072",
        ],
    );
    assert_eq!(v.client.source, Some(BuildSource::Option));
    assert_eq!(v.client.install, InstallType::Msi);
}

#[test]
fn garbage_and_missing_lync_exe_are_evidence_not_crashes() {
    let f = with_profile();
    let junk = f.file("Office16/lync.exe", b"MZ this is not really a program");
    let (r, v) = check_report(f.root(), &["--lync-exe", junk.to_str().unwrap()]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(v.client.source, None);
    assert!(
        evidence_text(&v, CheckId::ClientBuild).contains("no file version"),
        "{}",
        evidence_text(&v, CheckId::ClientBuild)
    );
    // A --lync-exe that is not there is a usage error, worded like --rules.
    let missing = f.root().join("nope/lync.exe");
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--lync-exe", missing.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot read --lync-exe") && r.stderr.contains("no such file"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_history_spooler_outside_a_sip_folder_is_inspected_and_named() {
    let f = Fixture::new();
    f.profile("jdoe@fabrikam.com");
    // A profile folder renamed by a copy tool, and one right under Lync.
    let renamed = f.lync("16.0").join("jdoe-backup").join("History Spooler");
    write_with_age(&renamed.join("m.xml"), b"<m/>", 3600);
    let direct = f.lync("16.0").join("History Spooler");
    write_with_age(&direct.join("n.xml"), b"<m/>", 30);
    let (r, v) = check_report(f.root(), &[]);
    let names: Vec<&str> = v.profiles.iter().map(|p| p.sip_address.as_str()).collect();
    assert!(names.contains(&"jdoe-backup"), "{names:?}");
    assert!(names.contains(&"Lync"), "{names:?}");
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Fail);
    assert!(evidence_text(&v, CheckId::SpoolerStuck).contains("jdoe-backup"));
    assert!(
        r.stderr.contains("outside a sip_<address> folder"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_duration_too_long_is_a_usage_error_not_a_panic() {
    let f = Fixture::new();
    f.spool("kim@contoso.com", "m.xml", b"<m/>", 3600);
    for opt in [
        ["--stuck-after", "1000000years"],
        ["--stuck-after", "18446744073709551615s"],
    ] {
        let r = check_run(f.root().to_str().unwrap(), &opt);
        assert_eq!(r.code, 2, "{opt:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("longer than 100 years") || r.stderr.contains("such as 90s"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    let r = check_run(f.root().to_str().unwrap(), &["--stuck-after", "99years"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
}
