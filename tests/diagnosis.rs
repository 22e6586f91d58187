//! The diagnosis first: every sample opens with its cause and next step;
//! the default table stays short and `-v` shows everything; redaction
//! covers the diagnosis.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

fn sample_root(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

fn sample(name: &str, format: &str) -> Run {
    let root = sample_root(name);
    let cfg = root.join("server-config.txt");
    let mut args = vec![
        "check",
        "--root",
        root.to_str().unwrap(),
        "--now",
        sample_now(name),
        "--format",
        format,
    ];
    let cfg = cfg.to_string_lossy().into_owned();
    if Path::new(&cfg).exists() {
        args.extend(["--server-config", &cfg]);
    }
    run(&args)
}

/// (sample, cause, code, start of the next step, symptoms) as samples/README.md lists them.
type Expected = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static [&'static str],
);
const EXPECTED: &[Expected] = &[
    (
        // Healthy for Offline IM in 2026, but its 2018 build is out of support.
        "healthy",
        None,
        "warnings-only",
        "Move the user to a supported client",
        &[],
    ),
    (
        // A bare 403 (no X-EWS-Policy-Reason) is a refusal, not proof of
        // the EWS retirement: ews-access is the cause, the retirement a warn.
        "exchange-online-2026",
        Some("ews-access"),
        "ews-requests-refused",
        "Check that EWS is allowed for this mailbox and its organisation",
        &["offline-im-activity"],
    ),
    (
        // The 403 carries X-EWS-Policy-Reason: the retirement block, proven.
        "exchange-online-2026-policy",
        Some("exchange-online-ews"),
        "exo-policy-reason-blocked",
        "Exchange Online admin: read the application ID list with Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy",
        &["ews-access", "offline-im-activity"],
    ),
    (
        "stuck-spooler",
        Some("ews-access"),
        // The offline messages failed with hr=0x80190191: HTTP 401, a
        // refusal of the credentials, not DNS or a proxy.
        "ews-requests-refused",
        "Have the user sign out of Skype for Business, delete the saved credentials",
        &["spooler-stuck", "offline-im-activity"],
    ),
    (
        "old-build-onprem",
        Some("client-build"),
        "build-below-onprem-threshold",
        "Update Skype for Business 2016 Click-to-Run to 16.0.6920.1000 or later",
        &[],
    ),
    (
        "policy-disabled",
        Some("im-auto-archiving"),
        "archiving-disabled",
        "Grant the user a client policy with auto-archiving on: Set-CsClientPolicy",
        &["offline-im-activity"],
    ),
    (
        "server-offline-off",
        Some("server-offline-im"),
        "server-offline-im-disabled",
        "In the Skype for Business Server Management Shell, run Set-CsImConfiguration -Identity \"Global\" -EnableOfflineIm $True",
        &[],
    ),
    (
        "no-logs",
        None,
        "warnings-only",
        "Turn on logging: in Skype for Business, Options > General > Logging",
        &[],
    ),
];

#[test]
fn every_sample_has_its_cause_and_next_step() {
    for &(name, cause, code, next, symptoms) in EXPECTED {
        let v = sample(name, "json").report();
        let d = &v.diagnosis;
        assert_eq!(d.cause.map(CheckId::as_str), cause, "{name}: {d:#?}");
        assert_eq!(d.code, code, "{name}");
        assert!(d.next_step.starts_with(next), "{name}: {}", d.next_step);
        let got: Vec<&str> = d.symptoms.iter().map(|s| s.as_str()).collect();
        assert_eq!(got, symptoms, "{name}");
    }
}

/// The first numbered step of a human report, its wrapped lines joined.
fn first_step(out: &str, marker: &str) -> String {
    let mut lines = out.lines().skip_while(|l| !l.starts_with(marker));
    let mut step = lines
        .next()
        .map(|l| l[marker.len()..].to_string())
        .unwrap_or_default();
    for l in lines {
        if l.trim().is_empty() || l.trim_start().starts_with("2. ") {
            break;
        }
        step.push(' ');
        step.push_str(l.trim());
    }
    step.replace('`', "")
}

#[test]
fn table_text_and_markdown_open_with_the_machine_cause_and_numbered_steps() {
    for &(name, cause, _, next, _) in EXPECTED {
        // Several checks want a newer client: one target, the product change
        // client-support asks for.
        let next = if name == "old-build-onprem" {
            "Move the user to a supported client: Skype for Business LTSC 2024"
        } else {
            next
        };
        let next = next.replace('`', "");
        for format in ["table", "text"] {
            let t = sample(name, format);
            let lines: Vec<&str> = t.stdout.lines().collect();
            assert!(lines[0].starts_with("Offline IM diagnosis: "), "{name}");
            assert!(lines[2].starts_with("Machine:   "), "{name}: {}", lines[2]);
            let at = lines
                .iter()
                .position(|l| l.starts_with("Cause:") || l.starts_with("Finding:"))
                .unwrap_or(0);
            let cause_line = lines[at];
            // The cause opens with its plain sentence; its check, status and
            // code follow it on a line of their own.
            let block: Vec<&str> = lines[at..]
                .iter()
                .take_while(|l| l.starts_with("Cause:") || l.starts_with("           "))
                .copied()
                .collect();
            match cause {
                Some(c) => assert!(
                    cause_line.starts_with("Cause:     ")
                        && !cause_line.contains(&format!("{c} ("))
                        && block
                            .iter()
                            .any(|l| l.starts_with(&format!("           {c} (fail, "))
                                || l.starts_with(&format!("           {c} (warn, "))),
                    "{name}: {block:#?}"
                ),
                None => assert!(
                    cause_line.starts_with("Finding:   "),
                    "{name}: {cause_line}"
                ),
            }
            let step = first_step(&t.stdout, "  1. ");
            assert!(step.starts_with(&next), "{name} {format}: {step}");
        }

        let m = sample(name, "markdown");
        let label = if cause.is_some() { "Cause" } else { "Finding" };
        assert!(
            m.stdout.contains(&format!("\n**{label}:** ")),
            "{name}: {}",
            m.stdout
        );
        assert!(m.stdout.contains("- **Machine:** "), "{name}");
        let step = first_step(&m.stdout, "1. ");
        assert!(step.starts_with(&next), "{name} markdown: {step}");
    }
}

#[test]
fn a_policy_the_client_received_outranks_a_pasted_server_setting() {
    // policy-disabled's log carries EnableIMAutoArchiving false (received
    // in-band); a pasted server setting fails too. The received policy wins
    // and the server setting is named as the next thing to look at.
    let root = sample_root("policy-disabled");
    let f = Fixture::new();
    let cfg = f.file(
        "cfg.txt",
        b"Identity : Global\r\nEnableOfflineIm : False\r\n",
    );
    let (_, v) = check_report(&root, &["--server-config", cfg.to_str().unwrap()]);
    assert_eq!(
        v.diagnosis.cause,
        Some(CheckId::ImAutoArchiving),
        "{:#?}",
        v.diagnosis
    );
    assert_eq!(v.diagnosis.also[0], CheckId::ServerOfflineIm);
}

#[test]
fn the_default_table_shows_no_evidence_and_verbose_shows_it_all() {
    let f = Fixture::new();
    for i in 0..6 {
        f.spool(
            "a@contoso.com",
            &format!("{{0000000{i}}}.xml"),
            b"<m/>",
            3600 + i,
        );
    }
    let root = f.root().to_str().unwrap();
    let short = check_run(root, &[]);
    assert_eq!(short.code, 1);
    // Spooled files are evidence lines naming a file of the Files list.
    let spooled = |out: &str| {
        out.lines()
            .filter(|l| l.trim_start().starts_with("- #") && l.contains(" bytes"))
            .count()
    };
    // The answer fits a screen: evidence is for -v, and the last lines
    // say so after the verdict and step 1.
    assert_eq!(spooled(&short.stdout), 0, "{}", short.stdout);
    let last: Vec<&str> = short.stdout.lines().rev().take(2).collect();
    assert_eq!(
        last[0],
        "-v shows the evidence, the timeline and every check."
    );
    assert!(last[1].starts_with("FAIL: 1. "), "{}", last[1]);
    assert!(!short.stdout.contains("[SKIP]"), "no details without -v");

    let long = check_run(root, &["-v"]);
    assert_eq!(spooled(&long.stdout), 6, "{}", long.stdout);
    assert!(!long.stdout.contains("more (-v"));
    assert!(
        long.stdout.contains("[SKIP] server-offline-im"),
        "every check"
    );

    let md = check_run(root, &["--format", "markdown", "--verbose"]);
    assert_eq!(spooled(&md.stdout), 6, "{}", md.stdout);
}

#[test]
fn redact_covers_the_diagnosis() {
    let r = sample("stuck-spooler", "json");
    assert!(r.stdout.contains("mail.fabrikam.com"));
    let root = sample_root("stuck-spooler");
    let red = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--now",
        "2030-01-01T00:00:00Z",
        "--format",
        "json",
        "--redact",
    ]);
    let v = red.report();
    let next = &v.diagnosis.next_step;
    assert!(!next.contains("fabrikam"), "{next}");
    assert_eq!(v.diagnosis.cause, Some(CheckId::EwsAccess));
    for format in ["table", "markdown", "html"] {
        let out = run(&[
            "check",
            "--root",
            root.to_str().unwrap(),
            "--now",
            "2030-01-01T00:00:00Z",
            "--format",
            format,
            "--redact",
        ]);
        assert!(!out.stdout.contains("fabrikam"), "{format}");
        assert!(!out.stdout.contains("jdoe"), "{format}");
    }
}
