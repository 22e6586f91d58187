//! Every shipped sample prints the diagnosis samples/README.md promises.

use crate::common;

use common::*;
use std::path::Path;

fn sample(name: &str, extra: &[&str]) -> (Run, Report) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    let mut args = vec![
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ];
    // A sample's own documented --now, else a moment after every spooled file.
    if !extra.contains(&"--now") {
        args.extend(["--now", sample_now(name)]);
    }
    args.extend_from_slice(extra);
    let r = run(&args);
    let v = r.report();
    (r, v)
}

fn expect(v: &Report, want: &[(CheckId, Status)]) {
    for &(id, st) in want {
        assert_eq!(status(v, id), st, "{id}: {}", summary(v, id));
    }
}

#[test]
fn healthy() {
    // Before the Exchange Online EWS block (samples/README.md): every
    // Offline IM check passes; only the 2018 build's support warns.
    let (r, v) = sample("healthy", &["--now", "2026-09-01T00:00:00Z"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(v.verdict, Verdict::Warn);
    assert_eq!(v.client.product, None);
    assert_eq!(v.client.build.as_deref(), Some("16.0.10730.20304"));
    assert_eq!(v.client.source, Some(BuildSource::Log));
    assert_eq!(v.mailbox.location, MailboxLocation::Online);
    expect(
        &v,
        &[
            (CheckId::ClientBuild, Status::Pass),
            (CheckId::SpoolerStuck, Status::Pass),
            (CheckId::ImAutoArchiving, Status::Pass),
            (CheckId::ServerOfflineIm, Status::Skip),
            (CheckId::EwsAccess, Status::Pass),
            (CheckId::OfflineImActivity, Status::Info),
            (CheckId::ClientLogs, Status::Pass),
            (CheckId::DraftsKnownIssue, Status::Pass),
            (CheckId::ClientSupport, Status::Warn),
            (CheckId::ExchangeOnlineEws, Status::Pass),
        ],
    );
}

#[test]
fn stuck_spooler() {
    let (r, v) = sample("stuck-spooler", &[]);
    assert_eq!(r.code, 1);
    assert_eq!(v.mailbox.location, MailboxLocation::OnPremises);
    assert_eq!(
        v.client.build.as_deref(),
        Some("16.0.7571.2072"),
        "the live log is newer than its .bak"
    );
    expect(
        &v,
        &[
            (CheckId::ClientBuild, Status::Pass),
            (CheckId::SpoolerStuck, Status::Fail),
            (CheckId::EwsAccess, Status::Fail),
            (CheckId::OfflineImActivity, Status::Fail),
            (CheckId::ClientLogs, Status::Pass),
        ],
    );
    assert_eq!(v.profiles[0].spooler.stuck, 2);
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    assert!(
        ev.contains("mbrown@fabrikam.com") && ev.contains("klee@fabrikam.com"),
        "{ev}"
    );
    assert!(!r.stdout.contains("invoice"), "spooled message text leaked");
    assert!(summary(&v, CheckId::EwsAccess).contains("503"));
}

#[test]
fn old_build_onprem() {
    let (r, v) = sample("old-build-onprem", &[]);
    assert_eq!(r.code, 1);
    assert_eq!(v.mailbox.location, MailboxLocation::OnPremises);
    expect(
        &v,
        &[
            (CheckId::ClientBuild, Status::Fail),
            (CheckId::DraftsKnownIssue, Status::Warn),
        ],
    );
    assert!(summary(&v, CheckId::ClientBuild).contains("16.0.6920.1000"));
    assert!(summary(&v, CheckId::ClientBuild).contains("Deferred"));
}

#[test]
fn policy_disabled() {
    let (r, v) = sample("policy-disabled", &[]);
    assert_eq!(r.code, 1);
    expect(
        &v,
        &[
            (CheckId::ImAutoArchiving, Status::Fail),
            (CheckId::ClientBuild, Status::Pass),
            (CheckId::OfflineImActivity, Status::Fail),
        ],
    );
    assert!(summary(&v, CheckId::ImAutoArchiving).contains("EnableIMAutoArchiving"));
}

#[test]
fn server_offline_off() {
    let cfg =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/server-offline-off/server-config.txt");
    let (r, v) = sample(
        "server-offline-off",
        &["--server-config", cfg.to_str().unwrap()],
    );
    assert_eq!(r.code, 1);
    expect(
        &v,
        &[
            (CheckId::ServerOfflineIm, Status::Fail),
            (CheckId::ImAutoArchiving, Status::Pass),
            (CheckId::ClientBuild, Status::Pass),
        ],
    );
    assert!(summary(&v, CheckId::ServerOfflineIm).contains("Global"));
}

#[test]
fn no_logs() {
    let (r, v) = sample("no-logs", &[]);
    assert_eq!(r.code, 0);
    assert_eq!(v.verdict, Verdict::Warn);
    expect(
        &v,
        &[
            (CheckId::ClientLogs, Status::Warn),
            (CheckId::ClientBuild, Status::Warn),
            (CheckId::EwsAccess, Status::Skip),
            (CheckId::ImAutoArchiving, Status::Skip),
        ],
    );
    assert!(
        check_of(&v, CheckId::ClientLogs)
            .remediation
            .as_deref()
            .unwrap()
            .contains("Logging")
    );
}

#[test]
fn exchange_online_2026() {
    // samples/README.md documents --now 2026-11-24T10:00:00Z.
    let (r, v) = sample("exchange-online-2026", &["--now", "2026-11-24T10:00:00Z"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(v.mailbox.location, MailboxLocation::Online);
    assert_eq!(
        v.client.product.as_deref(),
        Some("Skype for Business LTSC 2024")
    );
    assert_eq!(v.client.support_ends, Some(day("2029-10-09")));
    expect(
        &v,
        &[
            (CheckId::ClientBuild, Status::Pass),
            (CheckId::EwsAccess, Status::Fail),
            (CheckId::OfflineImActivity, Status::Fail),
            (CheckId::ClientSupport, Status::Pass),
            (CheckId::ExchangeOnlineEws, Status::Warn),
        ],
    );
    // A bare 403 after the rollout began is not proof of the retirement
    // block: it names the header that would prove it.
    assert_eq!(
        code(&v, CheckId::ExchangeOnlineEws),
        "exo-status-without-policy-reason"
    );
    assert_eq!(code(&v, CheckId::EwsAccess), "ews-requests-refused");
    // The same sample after the end of EWS in Exchange Online.
    let (_, v) = sample("exchange-online-2026", &["--now", "2027-05-01T00:00:00Z"]);
    assert_eq!(code(&v, CheckId::ExchangeOnlineEws), "exo-ews-retired");
}

#[test]
fn exchange_online_2026_policy() {
    // samples/README.md documents --now 2026-12-01T10:00:00Z and the paste.
    let cfg = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/exchange-online-2026-policy/server-config.txt");
    let cfg = cfg.to_str().unwrap();
    let (r, v) = sample(
        "exchange-online-2026-policy",
        &["--now", "2026-12-01T10:00:00Z", "--server-config", cfg],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(v.mailbox.location, MailboxLocation::Online);
    expect(
        &v,
        &[
            (CheckId::EwsAccess, Status::Fail),
            (CheckId::OfflineImActivity, Status::Fail),
            (CheckId::ExchangeOnlineEws, Status::Fail),
        ],
    );
    let exo = check_of(&v, CheckId::ExchangeOnlineEws);
    assert_eq!(exo.code.as_str(), "exo-policy-reason-blocked");
    assert_eq!(v.diagnosis.code, "exo-policy-reason-blocked");
    let ev = evidence_of(exo);
    assert!(
        ev.contains("X-EWS-Policy-Reason: EWS is blocked by policy for this user or tenant"),
        "{ev}"
    );
    // The paste is read although it shows only Ews* properties.
    assert!(
        ev.contains("EwsAllowedAppIDs lists 2 application ID(s)"),
        "{ev}"
    );
    // Without the paste the header alone proves the block.
    let (_, v) = sample(
        "exchange-online-2026-policy",
        &["--now", "2026-12-01T10:00:00Z"],
    );
    assert_eq!(
        code(&v, CheckId::ExchangeOnlineEws),
        "exo-policy-reason-blocked"
    );
    // After the end EWS in Exchange Online is gone whatever the tenant set.
    let (_, v) = sample(
        "exchange-online-2026-policy",
        &["--now", "2027-04-01T00:00:00Z", "--server-config", cfg],
    );
    assert_eq!(code(&v, CheckId::ExchangeOnlineEws), "exo-ews-retired");
}

#[test]
fn federated_recipient() {
    // samples/README.md documents --now 2026-11-24T10:00:00Z and the paste
    // (Get-CsSipDomain, table view, CRLF).
    let cfg =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/federated-recipient/server-config.txt");
    let cfg = cfg.to_str().unwrap();
    let (r, v) = sample(
        "federated-recipient",
        &["--now", "2026-11-24T10:00:00Z", "--server-config", cfg],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let c = check_of(&v, CheckId::OfflineImRecipients);
    assert_eq!(
        (c.status, c.code.as_str()),
        (Status::Info, "recipients-federated")
    );
    let s = c.summary.as_str();
    assert!(
        s.contains("1 recipient in the organisation, 1 federated (ben@fabrikam.com)")
            && s.contains("plain e-mail in the recipient's Inbox")
            && s.contains("cannot be checked from the sender's machine"),
        "{s}"
    );
    let ev = evidence_of(c);
    assert!(ev.contains("federated recipient ben@fabrikam.com"), "{ev}");
    assert!(ev.contains("contoso.com, contoso.net"), "{ev}");
    // The check never changes the verdict.
    assert_ne!(v.verdict, Verdict::Fail);
    // Without the paste only the sender's domain is known: contoso.net is
    // probably federated too, and Get-CsSipDomain is named as what settles it.
    let (_, v) = sample("federated-recipient", &["--now", "2026-11-24T10:00:00Z"]);
    let c = check_of(&v, CheckId::OfflineImRecipients);
    assert_eq!(c.code.as_str(), "recipients-federated");
    let s = c.summary.as_str();
    assert!(
        s.contains("2 probably federated") && s.contains("Get-CsSipDomain"),
        "{s}"
    );
    // No failing check: the table and Markdown say what cannot be checked
    // from here and where a delivered message appears.
    for format in ["table", "markdown"] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/federated-recipient");
        let out: Run = cmd()
            .args(["check", "--root", root.to_str().unwrap()])
            .args(["--now", "2026-11-24T10:00:00Z", "--server-config", cfg])
            .args(["--format", format])
            .env("COLUMNS", "1000")
            .output()
            .unwrap()
            .into();
        let out = out.stdout;
        for want in [
            "not checked from the sender's machine",
            "Missed Conversations",
            "Conversation History",
            "Inbox",
        ] {
            assert!(out.contains(want), "{format}: {want} not in {out}");
        }
    }
}
