//! The judge, variant by variant, and every outcome in both catalogues.

use chrono::{DateTime, Utc};

use super::ExchangeOnlineEwsCode;
use super::facts::{EwsAnswer, pasted_settings as pasted_ews};
use super::judge::judge;
use super::outcome::{ExoOutcome, Unsettled};
use crate::checks::{Context, assert_catalogued, judged};
use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
use crate::i18n::{Lang, text};
use crate::landscape::PolicyReason;
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, MailboxLocation, Status};
use crate::sources::machine::MachineFacts;
use crate::sources::server_config::{
    CasMailbox, EwsSettings, OrganizationConfig, ServerConfig, Setting,
};

fn facts() -> Facts {
    Facts::nothing_found(MachineFacts::default())
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn run(
    now: &str,
    location: MailboxLocation,
    server: Option<ServerConfig>,
    outcomes: &[EwsAnswer],
) -> CheckResult {
    let f = Facts { server, ..facts() };
    let s = Settings {
        now: at(now),
        stuck_after: chrono::Duration::minutes(2),
        client_version: None,
        mailbox: crate::facts::MailboxChoice::Auto,
        log_zone: Default::default(),
    };
    let client = ResolvedClient::default();
    let mailbox = ResolvedMailbox {
        location,
        ..Default::default()
    };
    let ctx = Context {
        facts: &f,
        settings: &s,
        client: &client,
        mailbox: &mailbox,
        probe: None,
    };
    let r = judge(&ctx, pasted_ews(&ctx).as_ref(), outcomes);
    assert_catalogued(&r);
    r
}

fn outcome(t: &str, ok: bool, online: bool) -> EwsAnswer {
    EwsAnswer {
        timestamp: Some(at(t)),
        ok,
        status: Some(if ok { 200 } else { 403 }),
        online,
        policy_reason: None,
        evidence: Evidence::note(EvidenceSource::Tool, format!("outcome at {t}")),
    }
}

fn failed(t: &str, status: u16, reason: Option<&str>) -> EwsAnswer {
    EwsAnswer {
        status: Some(status),
        policy_reason: reason.map(str::to_string),
        ..outcome(t, false, true)
    }
}

/// `EwsEnabled` as pasted at line 1 of `path`, nothing else set.
fn ews(path: &str, enabled: Option<bool>) -> EwsSettings {
    EwsSettings {
        ews_enabled: enabled.map_or(Setting::NotSet, Setting::Set),
        ews_application_access_policy: None,
        ews_allow_list: vec![],
        ews_block_list: vec![],
        truncated: vec![],
        path: path.into(),
        line: 1,
        assumed: None,
    }
}

fn org(enabled: Option<bool>) -> OrganizationConfig {
    OrganizationConfig {
        identity: None,
        ews: ews("org.txt", enabled),
        ews_allowed_app_ids: None,
    }
}

/// A `Get-CASMailbox` paste that names no address.
fn mailbox(enabled: Option<bool>) -> CasMailbox {
    CasMailbox {
        identity: None,
        primary_smtp_address: None,
        ews: ews("cas.txt", enabled),
    }
}

fn pasted(
    organization: Vec<OrganizationConfig>,
    cas_mailboxes: Vec<CasMailbox>,
) -> Option<ServerConfig> {
    Some(ServerConfig {
        organization,
        cas_mailboxes,
        ..ServerConfig::default()
    })
}

fn with_org(o: OrganizationConfig) -> Option<ServerConfig> {
    pasted(vec![o], vec![])
}

const BEFORE: &str = "2026-09-15T10:00:00Z";
const BETWEEN: &str = "2026-11-24T10:00:00Z";
const AFTER: &str = "2027-05-01T10:00:00Z";

#[test]
fn location_decides_first() {
    for now in [BEFORE, BETWEEN, AFTER] {
        let r = run(now, MailboxLocation::Unknown, None, &[]);
        assert_eq!(
            (r.status, r.code),
            (
                Status::Skip,
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoMailboxUnknown)
            )
        );
        let r = run(
            now,
            MailboxLocation::OnPremises,
            with_org(org(Some(false))),
            &[],
        );
        assert_eq!(
            (r.status, r.code),
            (
                Status::Pass,
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoOnPremises)
            )
        );
    }
}

#[test]
fn online_by_date_without_settings_or_logs() {
    let r = run(BEFORE, MailboxLocation::Online, None, &[]);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Pass,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoBeforeBlock)
        )
    );
    assert!(r.summary.contains("2026-10-01") && r.summary.contains("2027-04-01"));
    let r = run(BETWEEN, MailboxLocation::Online, None, &[]);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Warn,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown)
        )
    );
    let rem = r.remediation.unwrap();
    assert!(
        rem.contains("Get-OrganizationConfig") && rem.contains("Get-CASMailbox"),
        "{rem}"
    );
    assert!(rem.contains("EwsAllowedAppIDs"), "{rem}");
    let r = run(AFTER, MailboxLocation::Online, None, &[]);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Fail,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsRetired)
        )
    );
    // The last day of the blocking phase and the first of the end.
    let r = run("2027-03-31T23:59:59Z", MailboxLocation::Online, None, &[]);
    assert_eq!(r.status, Status::Warn);
    let r = run("2027-04-01T00:00:00Z", MailboxLocation::Online, None, &[]);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsRetired)
    );
}

#[test]
fn pasted_settings() {
    // EwsEnabled False fails at any date (both levels must allow EWS since 2025).
    for now in [BEFORE, BETWEEN] {
        let r = run(
            now,
            MailboxLocation::Online,
            with_org(org(Some(false))),
            &[],
        );
        assert_eq!(
            (r.status, r.code),
            (
                Status::Fail,
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsDisabled)
            )
        );
        assert!(
            r.remediation
                .unwrap()
                .contains("Set-OrganizationConfig -EwsEnabled $true")
        );
    }
    let mailbox_off = pasted(vec![org(Some(true))], vec![mailbox(Some(false))]);
    let r = run(BETWEEN, MailboxLocation::Online, mailbox_off, &[]);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsDisabled)
    );
    assert!(r.evidence.iter().any(|e| {
        e.detail
            .contains("cas.txt line 1: mailbox EwsEnabled False")
    }));
    // The organisation's False wins over a mailbox's True.
    let org_off = pasted(vec![org(Some(false))], vec![mailbox(Some(true))]);
    let r = run(BETWEEN, MailboxLocation::Online, org_off, &[]);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Fail,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsDisabled)
        )
    );
    assert!(
        r.evidence
            .iter()
            .any(|e| e.detail.contains("also one set True"))
    );

    // A user-agent allow list without Lync/Skype leaves the client out.
    let mut o = org(Some(true));
    o.ews.ews_application_access_policy = Some("EnforceAllowList".into());
    o.ews.ews_allow_list = vec!["Outlook*".into(), "MacOutlook*".into()];
    let r = run(BETWEEN, MailboxLocation::Online, with_org(o.clone()), &[]);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Fail,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoClientNotAllowed)
        )
    );
    o.ews.ews_allow_list.push("Skype*".into());
    let r = run(BETWEEN, MailboxLocation::Online, with_org(o), &[]);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoAppIdsNotRetrieved)
    );
    // A block list that names Lync.
    let mut o = org(None);
    o.ews.ews_application_access_policy = Some("EnforceBlockList".into());
    o.ews.ews_block_list = vec!["Lync*".into()];
    let r = run(BEFORE, MailboxLocation::Online, with_org(o), &[]);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoClientNotAllowed)
    );

    // The AppID list: cannot tell whether the client is on it.
    let mut o = org(Some(true));
    o.ews_allowed_app_ids = Some(vec!["00000000-0000-0000-0000-000000000001".into()]);
    let r = run(BETWEEN, MailboxLocation::Online, with_org(o.clone()), &[]);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Warn,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoOfficeAppIdNotListed)
        )
    );
    assert!(r.summary.contains("EwsAllowedAppIDs"), "{}", r.summary);
    // Before the block it only says what is coming.
    let r = run(BEFORE, MailboxLocation::Online, with_org(o.clone()), &[]);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoBeforeBlock)
    );
    // After the end nothing keeps it.
    let r = run(AFTER, MailboxLocation::Online, with_org(o), &[]);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsRetired)
    );

    // Organisation still unset after the block: phase 2.
    let r = run(BETWEEN, MailboxLocation::Online, with_org(org(None)), &[]);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Warn,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoOrgEwsUnset)
        )
    );
    assert!(r.summary.contains("7 days"), "{}", r.summary);
}

#[test]
fn only_the_senders_mailboxes_count() {
    // Another user's mailbox with EwsEnabled False says nothing about this client.
    let mut other = mailbox(Some(false));
    other.primary_smtp_address = Some("someone.else@contoso.test".into());
    let r = run(
        BETWEEN,
        MailboxLocation::Online,
        pasted(vec![org(Some(true))], vec![other]),
        &[],
    );
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoAppIdsNotRetrieved)
    );
    // One that names no address is taken for the user at hand.
    let r = run(
        BETWEEN,
        MailboxLocation::Online,
        pasted(vec![org(Some(true))], vec![mailbox(Some(false))]),
        &[],
    );
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsDisabled)
    );
}

#[test]
fn app_id_list_rules_around_2026_10_10() {
    let empty = || {
        let mut o = org(Some(true));
        o.ews_allowed_app_ids = Some(vec![]);
        with_org(o)
    };
    let r = run(
        "2026-10-09T23:00:00Z",
        MailboxLocation::Online,
        empty(),
        &[],
    );
    assert_eq!(
        (r.status, r.code),
        (
            Status::Warn,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown)
        )
    );
    let r = run(
        "2026-10-10T00:00:00Z",
        MailboxLocation::Online,
        empty(),
        &[],
    );
    assert_eq!(
        (r.status, r.code),
        (
            Status::Fail,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoAllowedAppIdsEmpty)
        )
    );
    // True without the key: ask for -RetrieveEwsOperationAccessPolicy.
    let r = run(
        BETWEEN,
        MailboxLocation::Online,
        with_org(org(Some(true))),
        &[],
    );
    assert_eq!(
        (r.status, r.code),
        (
            Status::Warn,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoAppIdsNotRetrieved)
        )
    );
    assert!(
        r.summary.contains("-RetrieveEwsOperationAccessPolicy"),
        "{}",
        r.summary
    );
    // The Office app ID listed: still unconfirmed.
    let mut o = org(Some(true));
    o.ews_allowed_app_ids = Some(vec!["D3590ED6-52B3-4102-AEFF-AAD2292AB01C".into()]);
    let r = run(BETWEEN, MailboxLocation::Online, with_org(o), &[]);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Warn,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown)
        )
    );
}

#[test]
fn log_outcomes_around_the_block() {
    // A bare 403 after the block: a warning that names the header.
    let fail_after = [outcome("2026-10-05T09:00:00Z", false, true)];
    let r = run(BETWEEN, MailboxLocation::Online, None, &fail_after);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Warn,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoStatusWithoutPolicyReason)
        )
    );
    assert!(r.summary.contains("X-EWS-Policy-Reason"), "{}", r.summary);
    assert_eq!(r.evidence[0].detail, "outcome at 2026-10-05T09:00:00Z");

    // A 403 with the header: proof, and which settings to look at.
    let disabled = [failed(
        "2026-10-05T09:00:00Z",
        403,
        Some("EWS is disabled for this user or tenant"),
    )];
    let r = run(BETWEEN, MailboxLocation::Online, None, &disabled);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Fail,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoPolicyReasonDisabled)
        )
    );
    assert!(r.remediation.unwrap().contains("-EwsEnabled $true"));
    let blocked = [failed(
        "2026-10-05T09:00:00Z",
        403,
        Some("EWS is blocked by policy for this user or tenant"),
    )];
    let r = run(BETWEEN, MailboxLocation::Online, None, &blocked);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Fail,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoPolicyReasonBlocked)
        )
    );
    assert!(r.remediation.unwrap().contains("EwsAllowedAppIDs"));
    let other = [failed("2026-10-05T09:00:00Z", 403, Some("Something new"))];
    let r = run(BETWEEN, MailboxLocation::Online, None, &other);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoPolicyReasonOther)
    );

    // A 503 after the block is not the retirement.
    let outage = [failed("2026-10-05T09:00:00Z", 503, None)];
    let r = run(BETWEEN, MailboxLocation::Online, None, &outage);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Warn,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown)
        )
    );
    assert!(r.evidence.iter().any(|e| e.detail.contains("ews-access")));

    // A failure before the block is not the retirement.
    let fail_before = [outcome("2026-09-20T09:00:00Z", false, true)];
    let r = run(BETWEEN, MailboxLocation::Online, None, &fail_before);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown)
    );
    let r = run(BEFORE, MailboxLocation::Online, None, &fail_before);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoBeforeBlock)
    );
    assert!(
        r.evidence
            .iter()
            .any(|e| e.detail.contains("not the retirement"))
    );

    // A failure to an on-premises host after the block is not Exchange Online's.
    let onprem = [outcome("2026-10-05T09:00:00Z", false, false)];
    let r = run(BETWEEN, MailboxLocation::Online, None, &onprem);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown)
    );

    // A later success wins: EWS works for this client.
    let recovered = [
        outcome("2026-10-05T09:00:00Z", false, true),
        outcome("2026-10-06T09:00:00Z", true, true),
    ];
    let r = run(BETWEEN, MailboxLocation::Online, None, &recovered);
    assert_eq!(
        (r.status, r.code),
        (
            Status::Pass,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsWorking)
        )
    );
    // ... until the end.
    let r = run(AFTER, MailboxLocation::Online, None, &recovered);
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsRetired)
    );

    // Settings that disable EWS outrank the logs.
    let r = run(
        BETWEEN,
        MailboxLocation::Online,
        with_org(org(Some(false))),
        &recovered,
    );
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsDisabled)
    );
}

/// Every variant: its code and status, its words in both languages with
/// every value supplied, and a `.plain` sentence for each fail and warn.
#[test]
fn every_outcome_is_catalogued_in_both_languages() {
    use ExchangeOnlineEwsCode as C;
    let policy = |kind| ExoOutcome::PolicyReason {
        kind,
        status: 403,
        reason: "Something new".into(),
    };
    let all = [
        (
            ExoOutcome::MailboxUnknown,
            C::ExoMailboxUnknown,
            Status::Skip,
        ),
        (ExoOutcome::OnPremises, C::ExoOnPremises, Status::Pass),
        (ExoOutcome::Retired, C::ExoEwsRetired, Status::Fail),
        (ExoOutcome::Disabled, C::ExoEwsDisabled, Status::Fail),
        (
            ExoOutcome::ClientNotAllowed,
            C::ExoClientNotAllowed,
            Status::Fail,
        ),
        (
            policy(Some(PolicyReason::Disabled)),
            C::ExoPolicyReasonDisabled,
            Status::Fail,
        ),
        (
            policy(Some(PolicyReason::BlockedByPolicy)),
            C::ExoPolicyReasonBlocked,
            Status::Fail,
        ),
        (policy(None), C::ExoPolicyReasonOther, Status::Fail),
        (
            ExoOutcome::AppIdsEmpty,
            C::ExoAllowedAppIdsEmpty,
            Status::Fail,
        ),
        (ExoOutcome::Working, C::ExoEwsWorking, Status::Pass),
        (ExoOutcome::BeforeBlock, C::ExoBeforeBlock, Status::Pass),
        (
            ExoOutcome::StatusWithoutPolicyReason { status: 401 },
            C::ExoStatusWithoutPolicyReason,
            Status::Warn,
        ),
        (
            ExoOutcome::AppIdsNotRetrieved,
            C::ExoAppIdsNotRetrieved,
            Status::Warn,
        ),
        (
            ExoOutcome::OfficeAppIdNotListed,
            C::ExoOfficeAppIdNotListed,
            Status::Warn,
        ),
        (ExoOutcome::OrgUnset, C::ExoOrgEwsUnset, Status::Warn),
    ]
    .into_iter()
    .chain(
        [
            Unsettled::AppIdsEmpty,
            Unsettled::OfficeAppIdListed,
            Unsettled::MailboxOnly,
            Unsettled::Nothing,
        ]
        .map(|u| {
            (
                ExoOutcome::TenantChoiceUnknown(u),
                C::ExoTenantChoiceUnknown,
                Status::Warn,
            )
        }),
    );
    let mut summaries = std::collections::HashSet::new();
    for (outcome, code, status) in all {
        let r = judged(&outcome, vec![]);
        assert_eq!(
            (r.code, r.status),
            (Code::from(code), status),
            "{outcome:?}"
        );
        assert_catalogued(&r);
        // Each variant says something of its own, in each language.
        for lang in [Lang::En, Lang::Fr] {
            let s = text(lang, r.message.as_ref().unwrap());
            assert!(summaries.insert(s.clone()), "{outcome:?}: {s}");
            assert!(!s.contains('{') && !s.contains('$'), "{s}");
        }
        // A failure is fixed in steps, one sentence each.
        if status == Status::Fail {
            assert!(!r.steps.is_empty(), "{outcome:?}");
        }
        for step in &r.steps {
            let s = text(Lang::En, step);
            assert!(
                s.ends_with('.') && !s.contains(". ") && !s.contains("; "),
                "{s}"
            );
        }
    }
}

#[test]
fn french_uses_french_dates_and_keeps_names_in_english() {
    let r = run(
        BETWEEN,
        MailboxLocation::Online,
        with_org(org(Some(false))),
        &[],
    );
    assert_eq!(
        r.code,
        Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsDisabled)
    );
    let steps: Vec<String> = r.steps.iter().map(|s| text(Lang::Fr, s)).collect();
    let all = steps.join("\n");
    assert!(
        all.contains("Set-OrganizationConfig -EwsEnabled $true"),
        "{all}"
    );
    assert!(
        all.contains("01/04/2027") && !all.contains("2027-04-01"),
        "{all}"
    );
    assert!(all.contains("boîte aux lettres"), "{all}");
    let plain = crate::i18n::Msg::new("exo-ews-disabled.plain");
    assert!(text(Lang::Fr, &plain).contains("services web Exchange (EWS)"));
    // The admin request is a few short steps, not one paragraph.
    assert!((2..=4).contains(&r.steps.len()), "{steps:?}");
    let r = judged(&ExoOutcome::BeforeBlock, vec![]);
    let s = text(Lang::Fr, r.message.as_ref().unwrap());
    assert!(s.contains("01/10/2026") && s.contains("10/10/2026"), "{s}");
    let en = text(Lang::En, r.message.as_ref().unwrap());
    assert!(
        en.contains("2026-10-01") && en.contains("2026-10-10"),
        "{en}"
    );
}
