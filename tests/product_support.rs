//! The late-2026 landscape through the real binary: `exchange-online-ews`
//! before, between and after the two EWS dates (2026-10-01 block, 2027-04-01
//! end), on-premises and online mailboxes, EWS failures in the logs on both
//! sides of the block; `client-support` and `client.product` /
//! `client.support_ends` for each product the build can name.

use crate::common;

use common::*;

const BEFORE: &str = "2026-09-15T10:00:00Z";
const BETWEEN: &str = "2026-11-24T10:00:00Z";
const AFTER: &str = "2027-05-01T10:00:00Z";

/// A log entry on a given day (the shared helper is fixed to 11/24/2026).
fn entry_on(date: &str, time: &str, text: &str) -> String {
    format!("{date}|{time} 1A2C:2B3D INFO  :: {text}\r\n")
}

fn ews_url_on(date: &str, host: &str) -> String {
    entry_on(
        date,
        "09:00:00.000",
        "CAutoDiscoverManager::OnComplete - autodiscover result:",
    ) + &format!("<EwsExternalUrl>https://{host}/EWS/Exchange.asmx</EwsExternalUrl>\r\n")
}

fn ews_failure_on(date: &str, host: &str, status: u16) -> String {
    entry_on(
        date,
        "09:05:00.000",
        &format!("EWS request to https://{host}/EWS/Exchange.asmx failed: HTTP/1.1 {status}"),
    )
}

fn with_log(log: &str) -> Fixture {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    f.log("Lync-UccApi-0.UccApilog", log);
    f
}

fn at(root: &Fixture, now: &str, extra: &[&str]) -> Report {
    let mut args = vec![
        "check",
        "--root",
        root.root().to_str().unwrap(),
        "--now",
        now,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    run(&args).report()
}

const EXO: CheckId = CheckId::ExchangeOnlineEws;
const SUPPORT: CheckId = CheckId::ClientSupport;

#[test]
fn online_mailbox_without_failures_by_date() {
    let f = with_log(&ews_url_on("09/01/2026", "outlook.office365.com"));
    let v = at(&f, BEFORE, &[]);
    assert_eq!(v.mailbox.location, MailboxLocation::Online);
    assert_eq!(
        (status(&v, EXO), code(&v, EXO)),
        (Status::Pass, "exo-before-block")
    );
    let s = summary(&v, EXO);
    assert!(s.contains("2026-10-01") && s.contains("2027-04-01"), "{s}");

    let v = at(&f, BETWEEN, &[]);
    assert_eq!(
        (status(&v, EXO), code(&v, EXO)),
        (Status::Warn, "exo-tenant-choice-unknown")
    );
    let rem = remediation(&v, EXO);
    for want in [
        "Get-OrganizationConfig",
        "Get-CASMailbox",
        "EwsAllowedAppIDs",
        "2027-04-01",
    ] {
        assert!(rem.contains(want), "{want} not in {rem}");
    }

    let v = at(&f, AFTER, &[]);
    assert_eq!(
        (status(&v, EXO), code(&v, EXO)),
        (Status::Fail, "exo-ews-retired")
    );
    assert_eq!(v.verdict, Verdict::Fail);
    // The issue's new user: an Exchange Online mailbox at 2027-05-01 no
    // longer passes every EWS-related check.
    assert!(summary(&v, EXO).contains("off for good since 2027-04-01"));
}

#[test]
fn mailbox_option_without_logs() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let v = at(&f, BETWEEN, &["--mailbox", "online"]);
    assert_eq!(status(&v, EXO), Status::Warn);
    let v = at(&f, AFTER, &["--mailbox", "online"]);
    assert_eq!(status(&v, EXO), Status::Fail);
    for now in [BEFORE, BETWEEN, AFTER] {
        let v = at(&f, now, &["--mailbox", "on-premises"]);
        assert_eq!(
            (status(&v, EXO), code(&v, EXO)),
            (Status::Pass, "exo-on-premises")
        );
        let v = at(&f, now, &[]);
        assert_eq!(
            (status(&v, EXO), code(&v, EXO)),
            (Status::Skip, "exo-mailbox-unknown")
        );
        assert!(remediation(&v, EXO).contains("--mailbox online"));
    }
}

#[test]
fn on_premises_mailbox_is_not_affected_even_with_failures() {
    let f = with_log(
        &(ews_url_on("10/10/2026", "mail.fabrikam.com")
            + &ews_failure_on("10/10/2026", "mail.fabrikam.com", 502)),
    );
    for now in [BEFORE, BETWEEN, AFTER] {
        let v = at(&f, now, &[]);
        assert_eq!(v.mailbox.location, MailboxLocation::OnPremises);
        assert_eq!(status(&v, EXO), Status::Pass, "{now}");
        // The failure is ews-access's business.
        assert_eq!(status(&v, CheckId::EwsAccess), Status::Fail);
    }
}

#[test]
fn a_bare_403_after_the_block_warns_and_names_the_header_that_would_prove_it() {
    let f = with_log(
        &(ews_url_on("10/14/2026", "outlook.office365.com")
            + &ews_failure_on("10/14/2026", "outlook.office365.com", 403)),
    );
    let v = at(&f, BETWEEN, &[]);
    assert_eq!(
        (status(&v, EXO), code(&v, EXO)),
        (Status::Warn, "exo-status-without-policy-reason")
    );
    let s = summary(&v, EXO);
    assert!(
        s.contains("X-EWS-Policy-Reason") && s.contains("HTTP 403"),
        "{s}"
    );
    assert!(evidence_text(&v, EXO).contains("Exchange.asmx"));
    // After the end the date alone decides.
    let v = at(&f, AFTER, &[]);
    assert_eq!(code(&v, EXO), "exo-ews-retired");
}

#[test]
fn exchange_online_failure_before_the_block_is_not_the_shutdown() {
    let f = with_log(
        &(ews_url_on("09/10/2026", "outlook.office365.com")
            + &ews_failure_on("09/10/2026", "outlook.office365.com", 401)),
    );
    let v = at(&f, BEFORE, &[]);
    assert_eq!(code(&v, EXO), "exo-before-block");
    assert!(evidence_text(&v, EXO).contains("not the retirement"));
    let v = at(&f, BETWEEN, &[]);
    assert_eq!(code(&v, EXO), "exo-tenant-choice-unknown");
}

#[test]
fn server_config_without_exchange_objects_changes_nothing() {
    // Pasted Skype for Business settings only: no Exchange objects, so the
    // EWS verdict comes from the date.
    let f = with_log(&ews_url_on("09/01/2026", "outlook.office365.com"));
    let cfg = f.root().join("im.txt");
    std::fs::write(
        &cfg,
        "Identity        : Global\r\nEnableOfflineIm : True\r\n",
    )
    .unwrap();
    let v = at(&f, BETWEEN, &["--server-config", cfg.to_str().unwrap()]);
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Pass);
    assert_eq!(status(&v, EXO), Status::Warn);
}

fn support_of(version: &str, now: &str) -> Report {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    at(&f, now, &["--client-version", version])
}

#[test]
fn client_support_by_build() {
    // LTSC 2024: its own build range.
    let v = support_of("16.0.17932.20638", BETWEEN);
    assert_eq!(
        (status(&v, SUPPORT), code(&v, SUPPORT)),
        (Status::Pass, "support-current")
    );
    assert_eq!(
        v.client.product.as_deref(),
        Some("Skype for Business LTSC 2024")
    );
    assert_eq!(v.client.support_ends, Some(day("2029-10-09")));
    assert!(summary(&v, SUPPORT).contains("supported until 2029-10-09"));

    // LTSC 2021 before and after 2026-10-13.
    let v = support_of("16.0.14332.20176", "2026-09-01T00:00:00Z");
    assert_eq!(status(&v, SUPPORT), Status::Pass);
    assert_eq!(
        v.client.product.as_deref(),
        Some("Skype for Business LTSC 2021")
    );
    let v = support_of("16.0.14332.20176", BETWEEN);
    assert_eq!(
        (status(&v, SUPPORT), code(&v, SUPPORT)),
        (Status::Warn, "support-ended")
    );
    assert!(summary(&v, SUPPORT).contains("ended 2026-10-13"));

    // Skype for Business 2019 volume.
    let v = support_of("16.0.10417.20020", BETWEEN);
    assert_eq!(v.client.product.as_deref(), Some("Skype for Business 2019"));
    assert_eq!(v.client.support_ends, Some(day("2025-10-14")));
    assert_eq!(status(&v, SUPPORT), Status::Warn);

    // A 2017 build: 2016 Click-to-Run or Microsoft 365 Apps; both out of support.
    let v = support_of("16.0.7766.2047", BETWEEN);
    assert_eq!(v.client.product, None);
    assert_eq!(v.client.support_ends, None);
    assert_eq!(status(&v, SUPPORT), Status::Warn);
    let s = summary(&v, SUPPORT);
    assert!(
        s.contains("Skype for Business 2016 (Click-to-Run) or Microsoft 365 Apps"),
        "{s}"
    );

    // MSI.
    let v = support_of("16.0.4266.1001", BETWEEN);
    assert_eq!(
        v.client.product.as_deref(),
        Some("Skype for Business 2016 (MSI)")
    );
    assert_eq!(status(&v, SUPPORT), Status::Warn);

    // Lync 2013.
    let v = support_of("15.0.5023.1000", BETWEEN);
    assert_eq!(v.client.product.as_deref(), Some("Lync 2013"));
    assert!(summary(&v, SUPPORT).contains("ended 2023-04-11"));

    // A current build: Microsoft 365 Apps (serviced) or retail 2016 (ended).
    let v = support_of("16.0.20430.20092", BETWEEN);
    assert_eq!(
        (status(&v, SUPPORT), code(&v, SUPPORT)),
        (Status::Info, "support-products-disagree")
    );
    assert_eq!(v.client.product, None);
}

#[test]
fn client_support_without_a_build_is_info_and_keys_are_always_there() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let v = at(&f, BETWEEN, &[]);
    assert_eq!(
        (status(&v, SUPPORT), code(&v, SUPPORT)),
        (Status::Info, "support-product-unknown")
    );
    // The keys are there, null, for scripts that read them.
    let json = serde_json::to_value(&v.client).unwrap();
    assert!(
        json["product"].is_null() && json["support_ends"].is_null(),
        "{json}"
    );
    assert!(json.as_object().unwrap().contains_key("support_ends"));
    assert_eq!(v.client.product, None);
}

#[test]
fn checks_list_names_the_new_checks_and_codes() {
    let r = run(&["checks", "--format", "json"]);
    let text = r.stdout;
    for want in [
        "client-support",
        "exchange-online-ews",
        "support-ended",
        "exo-ews-failing-after-block",
        "exo-tenant-choice-unknown",
    ] {
        assert!(text.contains(want), "{want}");
    }
}

#[test]
fn redaction_still_covers_the_new_checks() {
    let f = with_log(
        &(ews_url_on("10/14/2026", "outlook.office365.com")
            + &ews_failure_on("10/14/2026", "outlook.office365.com", 403)),
    );
    f.profile("secret.user@contoso.com");
    let v = at(&f, BETWEEN, &["--redact"]);
    let text = format!("{v:?}");
    assert!(!text.contains("secret.user"), "{text}");
    assert_eq!(code(&v, EXO), "exo-status-without-policy-reason");
}

/// A pasted Exchange Online cmdlet output next to the fixture, and the check run with it.
fn with_exchange_paste(paste: &str) -> Report {
    let f = with_log(&ews_url_on("09/01/2026", "outlook.office365.com"));
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("exchange.txt");
    std::fs::write(&cfg, paste).unwrap();
    at(&f, BETWEEN, &["--server-config", cfg.to_str().unwrap()])
}

#[test]
fn pasted_organization_config_with_ews_disabled_fails_naming_the_paste() {
    let v = with_exchange_paste(
        "Name                       : contoso.onmicrosoft.com\r\n\
         IsDehydrated               : False\r\n\
         EwsEnabled                 : False\r\n\
         EwsApplicationAccessPolicy :\r\n\
         EwsAllowList               :\r\n\
         EwsBlockList               :\r\n",
    );
    assert_eq!(status(&v, EXO), Status::Fail, "{:#?}", check_of(&v, EXO));
    assert_eq!(code(&v, EXO), "exo-ews-disabled");
    assert!(
        evidence_text(&v, EXO).contains("exchange.txt"),
        "{}",
        evidence_text(&v, EXO)
    );
    assert!(remediation(&v, EXO).contains("EwsEnabled"));
}

#[test]
fn pasted_cas_mailbox_of_the_sender_with_ews_disabled_fails() {
    let v = with_exchange_paste(
        "Name                       : contoso.onmicrosoft.com\r\n\
         IsDehydrated               : False\r\n\
         EwsEnabled                 : True\r\n\
         EwsApplicationAccessPolicy :\r\n\
         \r\n\
         Identity                   : a\r\n\
         PrimarySmtpAddress         : a@contoso.com\r\n\
         EwsEnabled                 : False\r\n\
         EwsApplicationAccessPolicy :\r\n",
    );
    assert_eq!(status(&v, EXO), Status::Fail, "{:#?}", check_of(&v, EXO));
    assert_eq!(code(&v, EXO), "exo-ews-disabled");
}

#[test]
fn pasted_allow_list_that_leaves_the_client_out_fails() {
    let v = with_exchange_paste(
        "Name                       : contoso.onmicrosoft.com\r\n\
         IsDehydrated               : False\r\n\
         EwsEnabled                 : True\r\n\
         EwsApplicationAccessPolicy : EnforceAllowList\r\n\
         EwsAllowList               : {Outlook*, MacOutlook*}\r\n",
    );
    assert_eq!(status(&v, EXO), Status::Fail, "{:#?}", check_of(&v, EXO));
    assert_eq!(code(&v, EXO), "exo-client-not-allowed");
}

#[test]
fn exchange_online_ews_seen_working_after_the_block_passes() {
    // A 401 challenge answered by a 200 on 10/20/2026: the tenant kept EWS
    // for this client (the handshake is not a failure).
    let ok = |status: u16, time: &str| {
        entry_on(
            "10/20/2026",
            time,
            &format!(
                "EWS request to https://outlook.office365.com/EWS/Exchange.asmx: HTTP/1.1 {status}"
            ),
        )
    };
    let f = with_log(
        &(ews_url_on("10/20/2026", "outlook.office365.com")
            + &ok(401, "09:10:00.000")
            + &ok(200, "09:10:01.000")),
    );
    let v = at(&f, BETWEEN, &[]);
    assert_eq!(
        (status(&v, EXO), code(&v, EXO)),
        (Status::Pass, "exo-ews-working"),
        "{:#?}",
        check_of(&v, EXO)
    );
    // A later failure after that success turns it back.
    let f = with_log(
        &(ews_url_on("10/20/2026", "outlook.office365.com")
            + &ok(200, "09:10:01.000")
            + &ews_failure_on("10/21/2026", "outlook.office365.com", 403)),
    );
    let v = at(&f, BETWEEN, &[]);
    assert_eq!(code(&v, EXO), "exo-status-without-policy-reason");
}

/// Microsoft's sovereign clouds serve Exchange Online from their own hosts
/// (endpoint lists in `data/landscape.toml`): a mailbox there is online, the
/// retirement applies with the cloud named, and the on-premises-only Drafts
/// bug is not raised. A look-alike host stays on-premises.
#[test]
fn sovereign_cloud_hosts_are_exchange_online() {
    const OLD_BUILD: &str = "16.0.4351.1000";
    for (host, cloud) in [
        (
            "outlook.office365.us",
            "Microsoft 365 U.S. Government GCC High",
        ),
        (
            "outlook-dod.office365.us",
            "Microsoft 365 U.S. Government DoD",
        ),
        ("webmail.apps.mil", "Microsoft 365 U.S. Government DoD"),
        ("partner.outlook.cn", "Microsoft 365 operated by 21Vianet"),
        (
            "apac01.partner.outlook.cn",
            "Microsoft 365 operated by 21Vianet",
        ),
        ("outlook.office365.com", "Microsoft 365 worldwide"),
    ] {
        let f = with_log(
            &(ews_url_on("09/01/2026", host) + &user_agent_entry("09:01:00.000", OLD_BUILD)),
        );
        let v = at(&f, BETWEEN, &[]);
        assert_eq!(v.mailbox.location, MailboxLocation::Online, "{host}");
        assert_ne!(code(&v, EXO), "exo-on-premises", "{host}");
        assert_eq!(status(&v, EXO), Status::Warn, "{host}");
        let ev = evidence_text(&v, EXO);
        assert!(
            ev.contains(&format!(
                "EWS host {host} means an Exchange Online mailbox ({cloud})"
            )),
            "{host}: {ev}"
        );
        assert_eq!(
            code(&v, CheckId::DraftsKnownIssue),
            "drafts-online-not-affected",
            "{host}"
        );
        let v = at(&f, AFTER, &[]);
        assert_eq!(code(&v, EXO), "exo-ews-retired", "{host}");
    }
    for host in [
        "outlook.office365.us.evil.test",
        "notoutlook.office365.com",
        "notpartner.outlook.cn",
        "webmail.apps.mil.evil.test",
    ] {
        let f = with_log(&ews_url_on("09/01/2026", host));
        let v = at(&f, BETWEEN, &[]);
        assert_eq!(v.mailbox.location, MailboxLocation::OnPremises, "{host}");
        assert_eq!(code(&v, EXO), "exo-on-premises", "{host}");
        assert!(
            evidence_text(&v, EXO).contains("means an Exchange on-premises mailbox"),
            "{host}"
        );
    }
}
