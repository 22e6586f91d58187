//! `exchange-online-ews` as Exchange Online works since October 2026, through
//! the real binary: every row of the rules on both sides of 2026-10-10 and
//! 2027-04-01; the pastes admins make (list view, table view,
//! `Select-Object Ews*`, with CRLF, as Microsoft's docs show them);
//! `X-EWS-Policy-Reason` in the logs and from a loopback `--probe`; a 503
//! that is not the retirement; HRESULTs `0x8019XXXX`; the Office 2016/2019
//! Microsoft 365 connectivity end; the in-band/pasted policy conflict; the
//! registry's logging values.

use crate::common;
use crate::common::probe_lab;

use common::*;
use probe_lab::{CERT_NAMES, DnsServer, EWS_HOST, HttpsServer, TestCa, full_zone};

const EXO: CheckId = CheckId::ExchangeOnlineEws;
const EWS: &str = "https://outlook.office365.com/EWS/Exchange.asmx";

/// Before 2026-10-10, between it and 2027-04-01, on and after 2027-04-01.
const OCT_09: &str = "2026-10-09T12:00:00Z";
const OCT_10: &str = "2026-10-10T00:00:00Z";
const MAR_31: &str = "2027-03-31T23:59:59Z";
const APR_01: &str = "2027-04-01T00:00:00Z";

fn on(date: &str, time: &str, level: &str, text: &str) -> String {
    format!("{date}|{time} 1A2C:2B3D {level:<5} :: {text}\r\n")
}

/// A profile whose log (written on 2026-10-05) names Exchange Online's EWS.
fn online(extra_log: &str) -> Fixture {
    let f = Fixture::new();
    f.profile("omar@contoso.com");
    let log = on(
        "10/05/2026",
        "09:00:00.000",
        "INFO",
        "CAutoDiscoverManager::OnAutoDiscoverComplete - autodiscover result:",
    ) + &format!("<EwsExternalUrl>{EWS}</EwsExternalUrl>\r\n")
        + extra_log;
    f.log("Lync-UccApi-0.UccApilog", &log);
    f
}

/// `check --format json` at `now`, with pastes written (CRLF) beside the fixture.
fn judge(f: &Fixture, now: &str, pastes: &[&str], extra: &[&str]) -> Report {
    let mut args: Vec<String> = vec![
        "check".into(),
        "--root".into(),
        f.root().to_str().unwrap().into(),
        "--now".into(),
        now.into(),
        "--format".into(),
        "json".into(),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (i, p) in pastes.iter().enumerate() {
        let path = dir.path().join(format!("paste{i}.txt"));
        std::fs::write(&path, p.replace("\r\n", "\n").replace('\n', "\r\n")).unwrap();
        args.push("--server-config".into());
        args.push(path.to_str().unwrap().into());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&args);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    r.report()
}

fn got(v: &Report, id: CheckId) -> (Status, &'static str) {
    (status(v, id), code(v, id))
}

fn want(status: Status, code: &'static str) -> (Status, &'static str) {
    (status, code)
}

// --- The pastes, in the shapes Microsoft's docs show ----------------------

/// `Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Format-List EwsEnabled,EwsAllowedAppIDs`.
fn org_list(enabled: &str, app_ids: &str) -> String {
    format!(
        "PS C:\\> Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Format-List EwsEnabled,EwsAllowedAppIDs\n\nEwsEnabled       : {enabled}\nEwsAllowedAppIDs : {app_ids}\n\n"
    )
}

/// Plain `Get-OrganizationConfig | Format-List EwsEnabled,EwsApplicationAccessPolicy,EwsAllowList,EwsBlockList`.
fn org_plain(enabled: &str) -> String {
    format!(
        "Identity                   : contoso.onmicrosoft.com\nEwsEnabled                 : {enabled}\nEwsApplicationAccessPolicy :\nEwsAllowList               :\nEwsBlockList               :\nIsDehydrated               : False\n\n"
    )
}

/// `Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Select-Object Ews*`.
fn org_select(enabled: &str, app_ids: &str) -> String {
    format!(
        "\nEwsAllowedAppIDs           : {app_ids}\nEwsAllowEntourage          :\nEwsAllowList               :\nEwsAllowMacOutlook         :\nEwsAllowOutlook            :\nEwsApplicationAccessPolicy :\nEwsBlockList               :\nEwsEnabled                 : {enabled}\n\n"
    )
}

/// `Get-CASMailbox omar@contoso.com | Select-Object Ews*`.
fn cas_select(enabled: &str) -> String {
    format!(
        "\nEwsEnabled                 : {enabled}\nEwsAllowOutlook            :\nEwsAllowMacOutlook         :\nEwsAllowEntourage          :\nEwsApplicationAccessPolicy :\nEwsAllowList               : {{}}\nEwsBlockList               : {{}}\n\n"
    )
}

/// `Get-CASMailbox omar@contoso.com | Format-Table Name,PrimarySmtpAddress,EwsEnabled`.
fn cas_table(enabled: &str) -> String {
    format!(
        "\nName PrimarySmtpAddress EwsEnabled\n---- ------------------ ----------\nomar omar@contoso.com   {enabled:<10}\n\n"
    )
}

const OFFICE: &str = "d3590ed6-52b3-4102-aeff-aad2292ab01c";
const TEAMS: &str = "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe";

#[test]
fn empty_app_id_list_with_ews_enabled_true_fails_from_2026_10_10() {
    let f = online("");
    for paste in [
        org_list("True", "{}"),
        org_list("True", ""),
        org_select("True", "{}"),
    ] {
        let v = judge(&f, OCT_09, &[&paste], &[]);
        assert_eq!(
            got(&v, EXO),
            want(Status::Warn, "exo-tenant-choice-unknown"),
            "{paste}"
        );
        let v = judge(&f, OCT_10, &[&paste], &[]);
        assert_eq!(
            got(&v, EXO),
            want(Status::Fail, "exo-allowed-app-ids-empty"),
            "{paste}"
        );
        let v = judge(&f, MAR_31, &[&paste], &[]);
        assert_eq!(
            got(&v, EXO),
            want(Status::Fail, "exo-allowed-app-ids-empty")
        );
        let v = judge(&f, APR_01, &[&paste], &[]);
        assert_eq!(got(&v, EXO), want(Status::Fail, "exo-ews-retired"));
    }
}

#[test]
fn a_paste_without_the_app_id_list_asks_for_retrieve_ews_operation_access_policy() {
    let f = online("");
    for now in [OCT_09, OCT_10, MAR_31] {
        let v = judge(&f, now, &[&org_plain("True")], &[]);
        assert_eq!(
            got(&v, EXO),
            want(Status::Warn, "exo-app-ids-not-retrieved"),
            "{now}"
        );
        assert!(summary(&v, EXO).contains("-RetrieveEwsOperationAccessPolicy"));
    }
    let v = judge(&f, APR_01, &[&org_plain("True")], &[]);
    assert_eq!(got(&v, EXO), want(Status::Fail, "exo-ews-retired"));
    // Before the rollout it is only what is coming.
    let v = judge(&f, "2026-09-30T00:00:00Z", &[&org_plain("True")], &[]);
    assert_eq!(got(&v, EXO), want(Status::Pass, "exo-before-block"));
}

#[test]
fn a_list_without_the_office_app_id_warns_and_says_it_is_unconfirmed() {
    let f = online("");
    let paste = org_list(
        "True",
        &format!("{TEAMS},00000002-0000-0ff1-ce00-000000000000"),
    );
    for now in [OCT_09, OCT_10, MAR_31] {
        let v = judge(&f, now, &[&paste], &[]);
        assert_eq!(
            got(&v, EXO),
            want(Status::Warn, "exo-office-app-id-not-listed"),
            "{now}"
        );
        let s = summary(&v, EXO);
        assert!(s.contains(OFFICE) && s.contains("not confirmed"), "{s}");
        assert!(
            s.contains("usage report") && s.contains("sign-in logs"),
            "{s}"
        );
    }
    let v = judge(&f, APR_01, &[&paste], &[]);
    assert_eq!(got(&v, EXO), want(Status::Fail, "exo-ews-retired"));
    // With the Office app ID ({a, b} shape): still no proof, a warning.
    let v = judge(
        &f,
        OCT_10,
        &[&org_list("True", &format!("{{{TEAMS}, {OFFICE}}}"))],
        &[],
    );
    assert_eq!(
        got(&v, EXO),
        want(Status::Warn, "exo-tenant-choice-unknown")
    );
}

#[test]
fn null_organisation_warns_with_phase_2() {
    let f = online("");
    for paste in [org_plain(""), org_select("", "")] {
        for now in [OCT_09, OCT_10, MAR_31] {
            let v = judge(&f, now, &[&paste], &[]);
            assert_eq!(
                got(&v, EXO),
                want(Status::Warn, "exo-org-ews-unset"),
                "{now}"
            );
            assert!(summary(&v, EXO).contains("7 days"));
        }
        let v = judge(&f, APR_01, &[&paste], &[]);
        assert_eq!(got(&v, EXO), want(Status::Fail, "exo-ews-retired"));
    }
}

#[test]
fn organisation_false_wins_over_mailbox_true_in_every_shape() {
    let f = online("");
    for now in [OCT_09, OCT_10, MAR_31] {
        for pastes in [
            vec![org_plain("False"), cas_select("True")],
            vec![org_select("False", "{}"), cas_table("True")],
            vec![org_list("False", OFFICE), cas_select("True")],
        ] {
            let p: Vec<&str> = pastes.iter().map(String::as_str).collect();
            let v = judge(&f, now, &p, &[]);
            assert_eq!(
                got(&v, EXO),
                want(Status::Fail, "exo-ews-disabled"),
                "{now} {pastes:?}"
            );
            assert!(evidence_text(&v, EXO).contains("also one set True"));
        }
    }
    // A mailbox False (table view) fails too, before and after 2026-10-10.
    for now in ["2026-09-01T00:00:00Z", OCT_10] {
        let v = judge(
            &f,
            now,
            &[&org_list("True", OFFICE), &cas_table("False")],
            &[],
        );
        assert_eq!(
            got(&v, EXO),
            want(Status::Fail, "exo-ews-disabled"),
            "{now}"
        );
    }
    let v = judge(&f, APR_01, &[&org_plain("False")], &[]);
    assert_eq!(got(&v, EXO), want(Status::Fail, "exo-ews-retired"));
}

#[test]
fn select_object_ews_alone_is_judged_never_refused() {
    let f = online("");
    // Only the mailbox's Ews* properties: a lone False is judged the same
    // whichever cmdlet wrote it.
    let v = judge(&f, OCT_10, &[&cas_select("False")], &[]);
    assert_eq!(got(&v, EXO), want(Status::Fail, "exo-ews-disabled"));
    let e = evidence_text(&v, EXO);
    assert!(e.contains("taken for the mailbox"), "{e}");
    // A lone "EwsEnabled : False" line too.
    let v = judge(&f, OCT_10, &["EwsEnabled : False\n"], &[]);
    assert_eq!(got(&v, EXO), want(Status::Fail, "exo-ews-disabled"));
    // The user-agent policy in table view.
    let table = "\nEwsApplicationAccessPolicy EwsAllowList           EwsEnabled\n-------------------------- ------------           ----------\nEnforceAllowList           {Outlook*, MacOutlook*} True\n\n";
    let v = judge(&f, OCT_10, &[table], &[]);
    assert_eq!(got(&v, EXO), want(Status::Fail, "exo-client-not-allowed"));
}

fn refused(date: &str, reason: Option<&str>, status: u16) -> String {
    let mut s = on(
        "10/05/2026",
        "09:00:01.000",
        "INFO",
        &format!("CEwsRequest::Send - POST {EWS}"),
    )
    .replace("10/05/2026", date);
    s += &on(
        date,
        "09:00:02.000",
        "ERROR",
        "CEwsRequest::OnResponse - response received:",
    );
    s += &format!("HTTP/1.1 {status} Whatever\r\nContent-Length: 0\r\n");
    if let Some(r) = reason {
        s += &format!("X-EWS-Policy-Reason: {r}\r\n");
    }
    s
}

#[test]
fn x_ews_policy_reason_in_the_logs_proves_the_block_and_names_the_settings() {
    let f = online(&refused(
        "11/30/2026",
        Some("EWS is disabled for this user or tenant"),
        403,
    ));
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    assert_eq!(
        got(&v, EXO),
        want(Status::Fail, "exo-policy-reason-disabled")
    );
    assert!(
        evidence_text(&v, EXO)
            .contains("X-EWS-Policy-Reason: EWS is disabled for this user or tenant")
    );
    assert!(
        check_of(&v, EXO)
            .remediation
            .as_deref()
            .unwrap()
            .contains("-EwsEnabled $true")
    );
    let f = online(&refused(
        "11/30/2026",
        Some("EWS is blocked by policy for this user or tenant"),
        403,
    ));
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    assert_eq!(
        got(&v, EXO),
        want(Status::Fail, "exo-policy-reason-blocked")
    );
    let s = summary(&v, EXO);
    assert!(
        s.contains("EwsAllowedAppIDs") && s.contains("EwsAllowList"),
        "{s}"
    );
    // The header proves only from the rollout on; a later success wins.
    let v = judge(&f, APR_01, &[], &[]);
    assert_eq!(got(&v, EXO), want(Status::Fail, "exo-ews-retired"));
    let ok = on(
        "11/30/2026",
        "10:00:00.000",
        "INFO",
        &format!("POST {EWS}: HTTP/1.1 200 OK"),
    );
    let f = online(
        &(refused(
            "11/30/2026",
            Some("EWS is blocked by policy for this user or tenant"),
            403,
        ) + &ok),
    );
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    assert_eq!(got(&v, EXO), want(Status::Pass, "exo-ews-working"));
}

#[test]
fn a_bare_401_or_403_warns_naming_the_header() {
    for status in [401, 403] {
        let f = online(&refused("11/30/2026", None, status));
        let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
        assert_eq!(
            got(&v, EXO),
            want(Status::Warn, "exo-status-without-policy-reason"),
            "{status}"
        );
        assert!(summary(&v, EXO).contains("X-EWS-Policy-Reason"));
    }
}

#[test]
fn a_503_after_the_block_is_not_the_retirement() {
    let f = online(&refused("11/30/2026", None, 503));
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    assert_eq!(
        got(&v, EXO),
        want(Status::Warn, "exo-tenant-choice-unknown")
    );
    assert!(evidence_text(&v, EXO).contains("not how Exchange Online refuses EWS"));
    // HTTP 503 is Exchange queuing requests ("EWS throttling in Exchange"):
    // busy, not refusing.
    assert_eq!(
        got(&v, CheckId::EwsAccess),
        want(Status::Warn, "ews-throttled")
    );
    assert!(
        !check_of(&v, EXO)
            .remediation
            .as_deref()
            .unwrap()
            .contains("Set-OrganizationConfig")
    );
    // Nothing fails: the retirement is not named as the cause.
    assert_ne!(v.diagnosis.cause, Some(CheckId::ExchangeOnlineEws));
    assert_eq!(v.diagnosis.code, "warnings-only");
}

#[test]
fn hresult_0x8019_is_read_as_its_http_status() {
    let f = online(
        &(on(
            "11/30/2026",
            "09:00:00.000",
            "INFO",
            "COfflineImManager::ProcessSpooler - History Spooler item picked up after 120s timer",
        ) + &on(
            "11/30/2026",
            "09:00:01.000",
            "ERROR",
            "COfflineImManager::OnSendComplete - failed to send offline message, hr=0x80190191",
        )),
    );
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    assert_eq!(
        got(&v, CheckId::EwsAccess),
        want(Status::Fail, "ews-requests-refused")
    );
    assert!(summary(&v, CheckId::EwsAccess).contains("HTTP 401"));
    let e = evidence_text(&v, CheckId::OfflineImActivity);
    assert!(
        e.contains("hr=0x80190191") && e.contains("[HTTP 401]"),
        "{e}"
    );
    assert!(evidence_text(&v, CheckId::EwsAccess).contains("0x80190191 (HTTP 401)"));
    // A bare 401 is not proof of the retirement.
    assert_eq!(
        got(&v, EXO),
        want(Status::Warn, "exo-status-without-policy-reason")
    );
    let next = v.diagnosis.next_step.as_str();
    assert!(
        next.contains("credentials") && !next.contains("DNS"),
        "{next}"
    );
    // No WWW-Authenticate in the log: the remediation names the header that
    // would tell a hybrid case, not the setting.
    let rem = check_of(&v, CheckId::EwsAccess)
        .remediation
        .as_deref()
        .unwrap();
    assert!(
        !rem.contains("AllowAdalForNonLyncIndependentOfLync") && rem.contains("WWW-Authenticate"),
        "{rem}"
    );
}

/// An EWS request to Exchange Online refused with 401, its response
/// carrying `headers` (as the client logs a response: status line, headers).
fn refused_401(headers: &[&str]) -> String {
    let mut s = on(
        "11/30/2026",
        "09:00:00.000",
        "INFO",
        &format!("Sending request - POST {EWS}"),
    ) + &on(
        "11/30/2026",
        "09:00:00.200",
        "INFO",
        "Data Received - response:",
    ) + "HTTP/1.1 401 Unauthorized\r\n";
    for h in headers {
        s.push_str(h);
        s.push_str("\r\n");
    }
    s
}

const ADAL: &str = "AllowAdalForNonLyncIndependentOfLync";

#[test]
fn a_bearer_challenge_without_the_adal_setting_names_it() {
    // The challenge shape of [MS-XOAUTH] 4.6: Bearer with parameters, then Basic.
    let f = online(&refused_401(&[
        "WWW-Authenticate: Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", trusted_issuers=\"00000001-0000-0000-c000-000000000000@*\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"",
        "WWW-Authenticate: Basic Realm=\"\"",
        "Content-Length: 0",
    ]));
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    assert_eq!(
        got(&v, CheckId::EwsAccess),
        want(Status::Fail, "ews-requests-refused")
    );
    let rem = check_of(&v, CheckId::EwsAccess)
        .remediation
        .as_deref()
        .unwrap();
    assert!(rem.contains(&format!("{ADAL} = 1")), "{rem}");
    assert!(rem.contains("WWW-Authenticate: Bearer, Basic"), "{rem}");
    // The challenge's schemes are evidence; its parameters are not kept.
    let e = evidence_text(&v, CheckId::EwsAccess);
    assert!(e.contains("WWW-Authenticate: Bearer, Basic"), "{e}");
    assert!(!e.contains("trusted_issuers"), "{e}");
    // An offline message failing later with hr=0x80190191 (no headers of
    // its own): the earlier refusal's Bearer challenge still tells.
    let f = online(
        &(refused_401(&[
            "WWW-Authenticate: Bearer",
            "WWW-Authenticate: Basic Realm=\"\"",
        ]) + &on(
            "11/30/2026",
            "09:00:02.000",
            "ERROR",
            "COfflineImManager::OnSendComplete - failed to send offline message, hr=0x80190191",
        )),
    );
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    assert_eq!(
        got(&v, CheckId::EwsAccess),
        want(Status::Fail, "ews-requests-refused")
    );
    let rem = check_of(&v, CheckId::EwsAccess)
        .remediation
        .as_deref()
        .unwrap();
    assert!(rem.contains(&format!("{ADAL} = 1")), "{rem}");
    // The in-band client policy entry does not travel in a form this tool
    // reads: an in-band value in the log changes nothing.
    let f = online(
        &(on(
            "11/30/2026",
            "08:59:00.000",
            "INFO",
            "<property name=\"AllowAdalForNonLyncIndependentOfLync\">true</property>",
        ) + &refused_401(&["WWW-Authenticate: Bearer"])),
    );
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    let rem = check_of(&v, CheckId::EwsAccess)
        .remediation
        .as_deref()
        .unwrap();
    assert!(rem.contains(ADAL), "{rem}");
}

#[test]
fn a_windows_authentication_401_does_not_name_the_adal_setting() {
    for challenge in [
        &["WWW-Authenticate: Negotiate", "WWW-Authenticate: NTLM"][..],
        &["WWW-Authenticate: Negotiate,NTLM"][..],
    ] {
        let f = online(&refused_401(challenge));
        let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
        assert_eq!(
            got(&v, CheckId::EwsAccess),
            want(Status::Fail, "ews-requests-refused")
        );
        let rem = check_of(&v, CheckId::EwsAccess)
            .remediation
            .as_deref()
            .unwrap();
        assert!(!rem.contains(ADAL), "{rem}");
        assert!(
            evidence_text(&v, CheckId::EwsAccess).contains("WWW-Authenticate: Negotiate, NTLM"),
            "{}",
            evidence_text(&v, CheckId::EwsAccess)
        );
    }
}

#[test]
fn a_bearer_challenge_with_an_on_premises_mailbox_does_not_name_it() {
    let f = Fixture::new();
    f.profile("omar@contoso.com");
    let ews = "https://mail.contoso.com/EWS/Exchange.asmx";
    let log = on(
        "11/30/2026",
        "08:00:00.000",
        "INFO",
        "CAutoDiscoverManager::OnAutoDiscoverComplete - autodiscover result:",
    ) + &format!("<EwsInternalUrl>{ews}</EwsInternalUrl>\r\n")
        + &on(
            "11/30/2026",
            "09:00:00.000",
            "INFO",
            &format!("Sending request - POST {ews}"),
        )
        + &on(
            "11/30/2026",
            "09:00:00.200",
            "INFO",
            "Data Received - response:",
        )
        + "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n";
    f.log("Lync-UccApi-0.UccApilog", &log);
    let v = judge(&f, "2026-12-01T00:00:00Z", &[], &[]);
    assert_eq!(
        got(&v, CheckId::EwsAccess),
        want(Status::Fail, "ews-requests-refused")
    );
    let rem = check_of(&v, CheckId::EwsAccess)
        .remediation
        .as_deref()
        .unwrap();
    assert!(!rem.contains(ADAL), "{rem}");
}

#[test]
fn the_stuck_spooler_sample_follows_its_401s_not_dns() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/stuck-spooler");
    let v = run(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--now",
        "2030-01-01T00:00:00Z",
        "--format",
        "json",
    ])
    .report();
    assert_eq!(v.diagnosis.code, "ews-requests-refused");
    let next = v.diagnosis.next_step.as_str();
    assert!(
        next.contains("Credential Manager") && !next.contains("DNS"),
        "{next}"
    );
}

#[test]
fn x_ews_policy_reason_from_a_loopback_probe() {
    let f = Fixture::new();
    f.profile("jdoe@contoso.test");
    f.log(
        "Lync-UccApi-0.UccApilog",
        &ews_url_entry("10:00:01.000", EWS_HOST),
    );
    let ca = TestCa::new("Lab Test Root CA");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = ca.write_pem(dir.path());
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start_with_headers(
        &ca.leaf(&CERT_NAMES, false),
        403,
        &["X-EWS-Policy-Reason: EWS is blocked by policy for this user or tenant"],
    );
    let mut c = cmd();
    c.args(["check", "--root"])
        .arg(f.root())
        .args([
            "--now",
            "2026-12-01T10:00:00Z",
            "--format",
            "json",
            "--mailbox",
            "online",
        ])
        .args(["--probe", "--probe-dns", &dns.addr.to_string()])
        .args([
            "--probe-https-port",
            &https.port.to_string(),
            "--probe-timeout",
            "1s",
        ])
        .env("SSL_CERT_FILE", &ca_file)
        .env_remove("SSL_CERT_DIR");
    for k in [
        "HTTPS_PROXY",
        "https_proxy",
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
    ] {
        c.env_remove(k);
    }
    let r: Run = c.output().unwrap().into();
    let v = r.report();
    let steps = format!("{:?}", v.probe.as_ref().unwrap().steps);
    assert!(
        steps.contains("EWS is blocked by policy for this user or tenant"),
        "{steps}"
    );
    assert_eq!(
        got(&v, EXO),
        want(Status::Fail, "exo-policy-reason-blocked")
    );
    assert!(evidence_text(&v, EXO).contains("--probe"));
}

#[test]
fn configuration_information_window_gives_the_ews_url() {
    // No EWS URL in the log: the pasted window text says where EWS is.
    let f = Fixture::new();
    f.profile("omar@contoso.com");
    f.log(
        "Lync-UccApi-0.UccApilog",
        &entry("09:00:00.000", "INFO", "client started"),
    );
    let window = format!(
        "Configuration Information\nEWS Internal URL\t\nEWS External URL\t{EWS}\nEWS Information\tEWS Status OK\n"
    );
    let v = judge(&f, OCT_10, &[&window], &[]);
    assert_eq!(v.mailbox.location, MailboxLocation::Online);
    assert_eq!(v.mailbox.ews_url.as_deref(), Some(EWS));
    assert!(evidence_text(&v, EXO).contains("blank is normal"));
    let not_deployed =
        "EWS Internal URL\t\nEWS External URL\t\nEWS Information\tEWS not deployed\n";
    let v = judge(&f, OCT_10, &[not_deployed], &["--mailbox", "online"]);
    assert!(evidence_text(&v, EXO).contains("found no EWS through autodiscover"));
}

#[test]
fn office_2016_2019_era_clients_with_an_online_mailbox_name_2023_10_10() {
    let f = online("");
    // Skype for Business 2016 MSI.
    let v = judge(&f, OCT_10, &[], &["--client-version", "16.0.4266.1001"]);
    assert_eq!(
        got(&v, CheckId::ClientSupport),
        want(Status::Warn, "support-m365-connectivity-ended")
    );
    assert!(summary(&v, CheckId::ClientSupport).contains("2023-10-10"));
    // An on-premises mailbox: the plain end of support.
    let v = judge(
        &f,
        OCT_10,
        &[],
        &[
            "--client-version",
            "16.0.4266.1001",
            "--mailbox",
            "on-premises",
        ],
    );
    assert_eq!(
        got(&v, CheckId::ClientSupport),
        want(Status::Warn, "support-ended")
    );
    // LTSC 2024: supported, the connectivity table's date noted.
    let v = judge(&f, OCT_10, &[], &["--client-version", "16.0.17932.20638"]);
    assert_eq!(got(&v, CheckId::ClientSupport).0, Status::Pass);
    assert!(evidence_text(&v, CheckId::ClientSupport).contains("2029-10-13"));
    // The servicing list's date is shown.
    assert!(evidence_text(&v, CheckId::ClientSupport).contains("on 2026-08-14"));
}

#[test]
fn in_band_policy_and_the_pasted_assigned_policy_disagree() {
    let f = online(
        &(on(
            "11/30/2026",
            "08:00:00.000",
            "INFO",
            "Data Received - provisioning:",
        ) + "<provisionGroup name=\"endpointConfiguration\"><propertyEntryList><property name=\"EnableIMAutoArchiving\">true</property></propertyEntryList></provisionGroup>\r\n"),
    );
    let paste = "Identity     : CN=Omar,DC=contoso,DC=com\nSipAddress   : sip:omar@contoso.com\nClientPolicy : NoArchive\n\nIdentity              : Tag:NoArchive\nEnableIMAutoArchiving : False\n\n";
    let v = judge(&f, "2026-12-01T00:00:00Z", &[paste], &[]);
    assert_eq!(
        got(&v, CheckId::ImAutoArchiving),
        want(Status::Warn, "archiving-policy-conflict")
    );
    let s = summary(&v, CheckId::ImAutoArchiving);
    assert!(
        s.contains("true") && s.contains("false") && s.contains("2026-11-30"),
        "{s}"
    );
    let rem = check_of(&v, CheckId::ImAutoArchiving)
        .remediation
        .as_deref()
        .unwrap();
    assert!(rem.contains("next sign-in"), "{rem}");
    // When they agree there is nothing to say.
    let agree = paste.replace(
        "EnableIMAutoArchiving : False",
        "EnableIMAutoArchiving : True",
    );
    let v = judge(&f, "2026-12-01T00:00:00Z", &[&agree], &[]);
    assert_eq!(
        got(&v, CheckId::ImAutoArchiving),
        want(Status::Pass, "archiving-enabled")
    );
}

/// A log entry on a thread of its choosing.
fn on_thread(time: &str, thread: &str, text: &str) -> String {
    format!("11/30/2026|{time} {thread} INFO  :: {text}\r\n")
}

/// The refused request and response on thread 0F10:1A2C at 09:00:02.000,
/// then `after`.
fn refused_then(after: &str) -> String {
    on_thread(
        "09:00:01.000",
        "0F10:1A2C",
        &format!("CEwsRequest::Send - POST {EWS}"),
    ) + &on_thread(
        "09:00:02.000",
        "0F10:1A2C",
        "CEwsRequest::OnResponse - response received:",
    ) + "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
        + after
}

const BLOCKED: &str = "EWS is blocked by policy for this user or tenant";

/// `X-EWS-Policy-Reason` logged in an entry of its own counts for the refused
/// Exchange Online response just before it: on the same thread, or on another
/// thread within 5 seconds; 6 seconds later on another thread it does not.
#[test]
fn x_ews_policy_reason_in_an_entry_of_its_own() {
    let judged = |log: &str| {
        let f = online(log);
        got(&judge(&f, "2026-12-01T00:00:00Z", &[], &[]), EXO)
    };
    // The header in the response's own entry.
    let same_entry = refused_then("").replace(
        "Content-Length: 0\r\n",
        &format!("Content-Length: 0\r\nX-EWS-Policy-Reason: {BLOCKED}\r\n"),
    );
    assert_eq!(
        judged(&same_entry),
        want(Status::Fail, "exo-policy-reason-blocked")
    );
    // An entry of its own on the same thread (even later than 5 s).
    let own_same_thread = refused_then(&on_thread(
        "09:00:09.000",
        "0F10:1A2C",
        &format!("X-EWS-Policy-Reason: {BLOCKED}"),
    ));
    assert_eq!(
        judged(&own_same_thread),
        want(Status::Fail, "exo-policy-reason-blocked")
    );
    // An entry of its own on another thread, 100 ms later.
    let own_other_thread = refused_then(&on_thread(
        "09:00:02.100",
        "0A0B:0C0D",
        &format!("X-EWS-Policy-Reason: {BLOCKED}"),
    ));
    assert_eq!(
        judged(&own_other_thread),
        want(Status::Fail, "exo-policy-reason-blocked")
    );
    // Another thread 5 s later still counts; 6 s later it does not.
    let at_5s = refused_then(&on_thread(
        "09:00:07.000",
        "0A0B:0C0D",
        &format!("X-EWS-Policy-Reason: {BLOCKED}"),
    ));
    assert_eq!(
        judged(&at_5s),
        want(Status::Fail, "exo-policy-reason-blocked")
    );
    let at_6s = refused_then(&on_thread(
        "09:00:08.000",
        "0A0B:0C0D",
        &format!("X-EWS-Policy-Reason: {BLOCKED}"),
    ));
    assert_eq!(
        judged(&at_6s),
        want(Status::Warn, "exo-status-without-policy-reason")
    );
    // A header with no refusal before it counts for nothing.
    let alone = on_thread(
        "09:00:00.500",
        "0A0B:0C0D",
        &format!("X-EWS-Policy-Reason: {BLOCKED}"),
    ) + &refused_then("");
    assert_eq!(
        judged(&alone),
        want(Status::Warn, "exo-status-without-policy-reason")
    );
}

/// Words of causes the report must never name: Microsoft cancelled the
/// Kiosk/F1/F3 EWS block on 2026-09-22, and `Restrict-Access-Confirm: 1`
/// alone is no tenant restriction (Exchange Online sends it on successes).
fn names_a_licence_or_tenant_restriction(text: &str) -> Option<&'static str> {
    let low = text.to_ascii_lowercase();
    for w in [
        "licen",
        "kiosk",
        "frontline",
        "tenant restriction",
        "tenant-restriction",
        "restrict-access",
    ] {
        if low.contains(w) {
            return Some(w);
        }
    }
    let words: Vec<&str> = low.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    ["f1", "f3"].into_iter().find(|w| words.contains(w))
}

#[test]
fn no_licence_and_no_tenant_restriction_cause_from_a_bare_header() {
    // A success and a bare 403, each carrying Restrict-Access-Confirm: 1.
    let log = on_thread(
        "09:00:00.000",
        "0F10:1A2C",
        &format!("CEwsRequest::Send - POST {EWS}"),
    ) + &on_thread(
        "09:00:00.200",
        "0F10:1A2C",
        "CEwsRequest::OnResponse - response received:",
    ) + "HTTP/1.1 200 OK\r\nRestrict-Access-Confirm: 1\r\nContent-Length: 0\r\n"
        + &refused_then("").replace(
            "Content-Length: 0\r\n",
            "Restrict-Access-Confirm: 1\r\nContent-Length: 0\r\n",
        );
    let f = online(&log);
    for now in [OCT_09, "2026-12-01T00:00:00Z", APR_01] {
        let v = judge(&f, now, &[], &[]);
        let d = &v.diagnosis;
        let mut texts = vec![d.summary.clone(), d.next_step.clone()];
        for c in &v.checks {
            texts.push(c.summary.clone());
            texts.extend(c.remediation.clone());
        }
        for t in &texts {
            assert_eq!(names_a_licence_or_tenant_restriction(t), None, "{now}: {t}");
        }
        // The bare 403 stays bare: the header that would prove a block is named.
        if now != APR_01 && now != OCT_09 {
            assert_eq!(
                got(&v, EXO),
                want(Status::Warn, "exo-status-without-policy-reason")
            );
        }
        // Same in what a person reads.
        for format in ["markdown", "table"] {
            let out = run(&[
                "check",
                "--root",
                f.root().to_str().unwrap(),
                "--now",
                now,
                "--format",
                format,
            ])
            .stdout
            .to_ascii_lowercase();
            for w in ["licen", "kiosk", "frontline", "tenant restriction"] {
                assert!(!out.contains(w), "{now} {format}: {w} in {out}");
            }
        }
    }
    // The check itself cannot pass by accident: it sees the words.
    assert_eq!(
        names_a_licence_or_tenant_restriction("an F3 licence"),
        Some("licen")
    );
    assert_eq!(
        names_a_licence_or_tenant_restriction("Kiosk users"),
        Some("kiosk")
    );
    assert_eq!(names_a_licence_or_tenant_restriction("plan F1"), Some("f1"));
    assert_eq!(
        names_a_licence_or_tenant_restriction("HTTP 403 from 0xF1A0"),
        None
    );
}
