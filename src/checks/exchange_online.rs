//! `exchange-online-ews`: Offline IM rides on EWS, and EWS in Exchange Online
//! is being shut down: blocked from 2026-10-01 for tenants that did not keep
//! it, off for good from 2027-04-01 (`data/landscape.toml`, the Exchange
//! team's announcement). Judged from the mailbox location, `--now`, pasted
//! `Get-OrganizationConfig` / `Get-CASMailbox` EWS settings and the EWS
//! outcomes in the client logs.

use chrono::{DateTime, Utc};

use super::{Context, result};
use crate::facts::is_online_host;
use crate::landscape::{EwsPhase, landscape, user_agent_matches};
use crate::model::{CheckId, CheckResult, Code, Evidence, MailboxLocation, Status};
use crate::sources::scan::logs::EndpointKind;
use crate::sources::server_config::Setting;

/// EWS settings of one object as pasted (one `Get-OrganizationConfig` or
/// `Get-CASMailbox` list-view block).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EwsScope {
    /// Where it was read, e.g. `org.txt line 3`.
    pub source: String,
    /// `EwsEnabled`: `None` when blank (not set, PowerShell's `$null`).
    pub ews_enabled: Option<bool>,
    /// `EwsApplicationAccessPolicy`: `EnforceAllowList`, `EnforceBlockList` or blank.
    pub ews_application_access_policy: Option<String>,
    /// `EwsAllowList` (user-agent patterns).
    pub ews_allow_list: Vec<String>,
    /// `EwsBlockList` (user-agent patterns).
    pub ews_block_list: Vec<String>,
    /// `EwsAllowedAppIDs` (organisation only; the 2026 AppID allow list).
    pub ews_allowed_app_ids: Vec<String>,
}

/// The pasted Exchange EWS settings this check judges by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExchangeEwsSettings {
    pub organization: Vec<EwsScope>,
    pub cas_mailboxes: Vec<EwsScope>,
}

/// The pasted `Get-OrganizationConfig` and `Get-CASMailbox` output, as this
/// check judges it. A pasted mailbox counts when it names one of the
/// inspected profiles' addresses, or names none (a single paste for the
/// user at hand).
fn pasted_settings(ctx: &Context<'_>) -> Option<ExchangeEwsSettings> {
    let server = ctx.facts.server.as_ref()?;
    if server.organization.is_empty() && server.cas_mailboxes.is_empty() {
        return None;
    }
    let enabled = |s: &Setting| match s {
        Setting::Set(b) => Some(*b),
        Setting::NotSet | Setting::Invalid(_) => None,
    };
    let source = |path: &str, line: u64, truncated: &[String]| {
        let mut s = format!("{path} line {line}");
        if !truncated.is_empty() {
            s.push_str(&format!(
                " (PowerShell cut short {}: paste with $FormatEnumerationLimit = -1)",
                truncated.join(", ")
            ));
        }
        s
    };
    let addresses: Vec<String> = ctx
        .facts
        .profiles
        .iter()
        .map(|p| p.profile.sip_address.to_ascii_lowercase())
        .collect();
    let is_sender = |m: &crate::sources::server_config::CasMailbox| {
        let named = [m.primary_smtp_address.as_deref(), m.identity.as_deref()];
        let named: Vec<String> = named
            .iter()
            .flatten()
            .map(|a| a.trim_start_matches("SMTP:").to_ascii_lowercase())
            .collect();
        named.iter().all(|n| !n.contains('@')) || named.iter().any(|n| addresses.contains(n))
    };
    Some(ExchangeEwsSettings {
        organization: server
            .organization
            .iter()
            .map(|o| EwsScope {
                source: source(&o.path, o.line, &o.truncated),
                ews_enabled: enabled(&o.ews_enabled),
                ews_application_access_policy: o.ews_application_access_policy.clone(),
                ews_allow_list: o.ews_allow_list.clone(),
                ews_block_list: o.ews_block_list.clone(),
                ews_allowed_app_ids: o.ews_allowed_app_ids.clone(),
            })
            .collect(),
        cas_mailboxes: server
            .cas_mailboxes
            .iter()
            .filter(|m| is_sender(m))
            .map(|m| EwsScope {
                source: source(&m.path, m.line, &m.truncated),
                ews_enabled: enabled(&m.ews_enabled),
                ews_application_access_policy: m.ews_application_access_policy.clone(),
                ews_allow_list: m.ews_allow_list.clone(),
                ews_block_list: m.ews_block_list.clone(),
                ews_allowed_app_ids: Vec::new(),
            })
            .collect(),
    })
}

/// One EWS request outcome from the client logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EwsOutcome {
    pub timestamp: Option<DateTime<Utc>>,
    pub ok: bool,
    pub status: Option<u16>,
    /// The request went to Exchange Online.
    pub online: bool,
    pub evidence: Evidence,
}

/// The EWS outcomes in the logs: for every EWS endpoint the scanner paired
/// requests and responses for, its latest success and its latest failure
/// (the check wants to know what happened after the block date). The only
/// place that knows the log facts' shape.
fn ews_outcomes(ctx: &Context<'_>) -> Vec<EwsOutcome> {
    let mailbox_online = ctx.mailbox.location == MailboxLocation::Online;
    let mut out = Vec::new();
    for e in ctx
        .facts
        .logs
        .http_endpoints
        .iter()
        .filter(|e| e.kind == EndpointKind::Ews)
    {
        let online = e.host().map_or(mailbox_online, is_online_host);
        let url = e.url.as_deref().unwrap_or("EWS");
        for (fact, ok) in [(&e.last_success, true), (&e.last_failure, false)] {
            let Some(f) = fact else { continue };
            let mut evidence = Evidence::at(
                f.path.clone(),
                Some(f.line),
                format!("EWS {url}: HTTP {}: {}", f.value, f.excerpt),
            );
            evidence.timestamp = f.timestamp;
            out.push(EwsOutcome {
                timestamp: f.timestamp,
                ok,
                status: Some(f.value),
                online,
                evidence,
            });
        }
    }
    out
}

/// What the pasted settings say about this client.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SettingsVerdict {
    /// `EwsEnabled` False somewhere: EWS is off.
    Disabled(Vec<Evidence>),
    /// An allow list without the client, or a block list with it.
    ClientLeftOut(Vec<Evidence>),
    /// Organisation `EwsEnabled` True with an AppID allow list: whether the
    /// client's AppID is on it cannot be told.
    AppIdListUnknown(Vec<Evidence>),
    /// Organisation `EwsEnabled` still unset.
    OrgUnset(Vec<Evidence>),
    /// Nothing in the paste keeps the client out.
    NothingAgainst(Vec<Evidence>),
}

fn judge_settings(s: &ExchangeEwsSettings) -> SettingsVerdict {
    let names = &landscape().ews.settings;
    let patterns = &names.client_user_agent_patterns;
    // The client's user agent is not published; a list entry that matches
    // the product names (or is matched by the patterns that cover it) counts.
    let covers_client = |list: &[String]| {
        list.iter().any(|entry| {
            ["Lync", "Skype for Business", "Skype"]
                .iter()
                .any(|agent| user_agent_matches(entry, agent))
                || patterns
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(entry.trim()))
        })
    };
    let scopes = || {
        s.organization
            .iter()
            .map(|o| ("organisation", o))
            .chain(s.cas_mailboxes.iter().map(|m| ("mailbox", m)))
    };
    let disabled: Vec<Evidence> = scopes()
        .filter(|(_, sc)| sc.ews_enabled == Some(false))
        .map(|(what, sc)| {
            Evidence::note(format!(
                "{}: {what} {} False",
                sc.source, names.enabled_property
            ))
        })
        .collect();
    if !disabled.is_empty() {
        return SettingsVerdict::Disabled(disabled);
    }
    let mut left_out = Vec::new();
    for (what, sc) in scopes() {
        let policy = sc.ews_application_access_policy.as_deref().unwrap_or("");
        if policy.eq_ignore_ascii_case("EnforceAllowList") && !covers_client(&sc.ews_allow_list) {
            left_out.push(Evidence::note(format!(
                "{}: {what} {} EnforceAllowList and {} [{}] has no entry for Lync / Skype for Business (e.g. {})",
                sc.source,
                names.access_policy_property,
                names.allow_list_property,
                sc.ews_allow_list.join(", "),
                patterns.join(", ")
            )));
        }
        if policy.eq_ignore_ascii_case("EnforceBlockList") && covers_client(&sc.ews_block_list) {
            left_out.push(Evidence::note(format!(
                "{}: {what} {} EnforceBlockList and {} [{}] blocks Lync / Skype for Business",
                sc.source,
                names.access_policy_property,
                names.block_list_property,
                sc.ews_block_list.join(", ")
            )));
        }
    }
    if !left_out.is_empty() {
        return SettingsVerdict::ClientLeftOut(left_out);
    }
    let seen: Vec<Evidence> = scopes()
        .map(|(what, sc)| {
            Evidence::note(format!(
                "{}: {what} {} {}",
                sc.source,
                names.enabled_property,
                match sc.ews_enabled {
                    Some(true) => "True",
                    Some(false) => "False",
                    None => "(not set)",
                }
            ))
        })
        .collect();
    if let Some(org) = s.organization.iter().find(|o| o.ews_enabled == Some(true)) {
        if !org.ews_allowed_app_ids.is_empty() {
            let mut ev = seen;
            ev.push(Evidence::note(format!(
                "{}: {} lists {} application ID(s): {}",
                org.source,
                names.app_allow_list_property,
                org.ews_allowed_app_ids.len(),
                org.ews_allowed_app_ids.join(", ")
            )));
            ev.push(Evidence::note(names.client_app_id_unsettled.clone()));
            return SettingsVerdict::AppIdListUnknown(ev);
        }
        return SettingsVerdict::NothingAgainst(seen);
    }
    if !s.organization.is_empty() && s.organization.iter().all(|o| o.ews_enabled.is_none()) {
        return SettingsVerdict::OrgUnset(seen);
    }
    SettingsVerdict::NothingAgainst(seen)
}

fn ask_admin() -> String {
    let l = landscape();
    let n = &l.ews.settings;
    format!(
        "Ask the Exchange Online admin to paste `{}` and `{}` (pass them with --server-config), and to say whether the tenant kept EWS after {} ({} True with the application allow list {}) and whether the Skype for Business client is on it. EWS in Exchange Online ends for good on {}.",
        n.organization_cmdlet,
        n.mailbox_cmdlet,
        l.ews.block_from,
        n.enabled_property,
        n.app_allow_list_property,
        l.ews.end
    )
}

fn keep_ews() -> String {
    let l = landscape();
    let n = &l.ews.settings;
    format!(
        "Exchange Online admin, until {end} only: `Set-OrganizationConfig -EwsEnabled $true` and make sure the Skype for Business client's application ID is in `{app}` (read the list first, the parameter writes the whole list; changes take up to 24 hours), that `Get-CASMailbox <sender> | fl EwsEnabled` is not False, and that an `{pol}` of EnforceAllowList keeps Lync*/Skype* in `{allow}`. From {end} EWS in Exchange Online is gone: Offline IM (and Conversation History) for mailboxes in Exchange Online then needs the mailbox on-premises or a move to Teams.",
        end = l.ews.end,
        app = n.app_allow_list_property,
        pol = n.access_policy_property,
        allow = n.allow_list_property,
    )
}

pub fn exchange_online_ews(ctx: &Context<'_>) -> CheckResult {
    let settings = pasted_settings(ctx);
    let outcomes = ews_outcomes(ctx);
    judge(ctx, settings.as_ref(), &outcomes)
}

fn judge(
    ctx: &Context<'_>,
    settings: Option<&ExchangeEwsSettings>,
    outcomes: &[EwsOutcome],
) -> CheckResult {
    let id = CheckId::ExchangeOnlineEws;
    let l = landscape();
    let ews = &l.ews;
    let mut evidence = ctx.mailbox.evidence.clone();
    if let Some(e) = &l.load_error {
        evidence.push(Evidence::note(e.clone()));
    }
    match ctx.mailbox.location {
        MailboxLocation::Unknown => {
            return result(
                id,
                Status::Skip,
                Code::ExoMailboxUnknown,
                "Mailbox location unknown (no EWS URL in the logs), so the Exchange Online EWS shutdown cannot be judged",
                evidence,
                Some(format!(
                    "Pass --mailbox online or --mailbox on-premises. If the mailbox is in Exchange Online: EWS there is blocked from {} for tenants that did not keep it and ends on {}",
                    ews.block_from, ews.end
                )),
            );
        }
        MailboxLocation::OnPremises => {
            return result(
                id,
                Status::Pass,
                Code::ExoOnPremises,
                "The mailbox is in Exchange on-premises, which the Exchange Online EWS shutdown does not affect",
                evidence,
                None,
            );
        }
        MailboxLocation::Online => {}
    }
    let now = ctx.settings.now;
    let phase = ews.phase(now);
    evidence.push(Evidence::note(format!(
        "Exchange team: EWS in Exchange Online blocked from {} for tenants that did not keep it, off for good from {} ({})",
        ews.block_from, ews.end, ews.announcement
    )));

    if phase == EwsPhase::Ended {
        return result(
            id,
            Status::Fail,
            Code::ExoEwsRetired,
            format!(
                "The mailbox is in Exchange Online and EWS in Exchange Online has been off for good since {}: the client cannot put offline messages (or Conversation History) into it",
                ews.end
            ),
            evidence,
            Some(format!(
                "Nothing on the client fixes this. Move the user's mailbox to Exchange on-premises (Exchange Server SE) if Offline IM is needed, or move the user to Teams, which delivers messages to offline users. (EWS in Exchange Online ended on {}.)",
                ews.end
            )),
        );
    }

    let verdict = settings.map(judge_settings);
    match &verdict {
        Some(SettingsVerdict::Disabled(ev)) => {
            evidence.extend(ev.iter().cloned());
            return result(
                id,
                Status::Fail,
                Code::ExoEwsDisabled,
                "The pasted Exchange settings turn EWS off (EwsEnabled False), so the client cannot deliver offline messages to the Exchange Online mailbox",
                evidence,
                Some(keep_ews()),
            );
        }
        Some(SettingsVerdict::ClientLeftOut(ev)) => {
            evidence.extend(ev.iter().cloned());
            return result(
                id,
                Status::Fail,
                Code::ExoClientNotAllowed,
                "The pasted Exchange settings leave the Skype for Business client out of EWS (allow or block list)",
                evidence,
                Some(keep_ews()),
            );
        }
        _ => {}
    }

    let after: Vec<&EwsOutcome> = outcomes
        .iter()
        .filter(|o| o.online && o.timestamp.is_some_and(|t| ews.after_block(t)))
        .collect();
    // The latest outcome after the block decides (a later success wins).
    let latest_after = after.iter().max_by_key(|o| o.timestamp);
    if let Some(last) = latest_after
        && !last.ok
    {
        let mut failures: Vec<Evidence> = after
            .iter()
            .filter(|o| !o.ok)
            .rev()
            .map(|o| o.evidence.clone())
            .collect();
        let statuses: Vec<String> = {
            let mut s: Vec<u16> = after.iter().filter_map(|o| o.status).collect();
            s.sort_unstable();
            s.dedup();
            s.iter().map(u16::to_string).collect()
        };
        failures.push(Evidence::note(format!(
            "Exchange Online refuses blocked EWS requests with HTTP {} ({})",
            ews.blocked_response.status, ews.blocked_response.unsettled
        )));
        failures.extend(evidence);
        return result(
            id,
            Status::Fail,
            Code::ExoEwsFailingAfterBlock,
            format!(
                "EWS requests to Exchange Online failed on or after {} (HTTP {}): most likely the EWS shutdown, which blocks tenants that did not keep EWS for this client; EWS in Exchange Online ends for good on {}",
                ews.block_from,
                statuses.join(", "),
                ews.end
            ),
            failures,
            Some(keep_ews()),
        );
    }

    if phase == EwsPhase::BeforeBlock {
        let earlier = outcomes.iter().filter(|o| o.online && !o.ok).count();
        if earlier > 0 {
            evidence.push(Evidence::note(format!(
                "{earlier} EWS failure(s) to Exchange Online before {}: not the shutdown (see ews-access)",
                ews.block_from
            )));
        }
        return result(
            id,
            Status::Pass,
            Code::ExoBeforeBlock,
            format!(
                "The mailbox is in Exchange Online. Coming: from {} Exchange Online blocks EWS for tenants that did not set EwsEnabled True with an application allow list by {}, and from {} EWS in Exchange Online is off for good; Offline IM to this mailbox depends on it",
                ews.block_from, ews.allow_list_deadline, ews.end
            ),
            evidence,
            Some(ask_admin()),
        );
    }

    // Blocking phase.
    if let Some(last) = latest_after
        && last.ok
    {
        evidence.push(last.evidence.clone());
        return result(
            id,
            Status::Pass,
            Code::ExoEwsWorking,
            format!(
                "EWS requests to Exchange Online succeeded after {}: the tenant kept EWS for this client, until {} when it ends for good",
                ews.block_from, ews.end
            ),
            evidence,
            Some(format!(
                "Plan for {}: EWS in Exchange Online ends then, and with it Offline IM to Exchange Online mailboxes",
                ews.end
            )),
        );
    }
    let summary = match &verdict {
        Some(SettingsVerdict::AppIdListUnknown(ev)) => {
            evidence.extend(ev.iter().cloned());
            format!(
                "The tenant keeps EWS only for the applications in {}; whether the Skype for Business client is one of them cannot be told from the paste",
                l.ews.settings.app_allow_list_property
            )
        }
        Some(SettingsVerdict::OrgUnset(ev)) => {
            evidence.extend(ev.iter().cloned());
            format!(
                "The organisation's EwsEnabled is still unset in the paste; Microsoft switches unset tenants to False (EWS blocked) from {}, tenant by tenant",
                ews.block_from
            )
        }
        Some(SettingsVerdict::NothingAgainst(ev)) => {
            evidence.extend(ev.iter().cloned());
            "Nothing in the pasted settings keeps the client out, but no successful EWS request to Exchange Online after the block was seen".to_string()
        }
        _ => format!(
            "The mailbox is in Exchange Online and it is after {}: EWS works there only if the tenant kept it for this client, and nothing seen says whether it did",
            ews.block_from
        ),
    };
    result(
        id,
        Status::Warn,
        Code::ExoTenantChoiceUnknown,
        summary,
        evidence,
        Some(ask_admin()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
    use crate::sources::discover::Inspection;
    use crate::sources::machine::MachineFacts;
    use crate::sources::scan::logs::LogFacts;

    fn facts() -> Facts {
        Facts {
            inspection: Inspection {
                root: "/x".into(),
                kind: crate::sources::discover::RootKind::LocalAppData,
                lync_folders: vec![],
                profiles: vec![],
                problems: vec![],
                could_not_read: vec![],
            },
            profiles: vec![],
            logs: LogFacts::default(),
            machine: MachineFacts::default(),
            host: Default::default(),
            server: None,
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn run(
        now: &str,
        location: MailboxLocation,
        settings: Option<ExchangeEwsSettings>,
        outcomes: &[EwsOutcome],
    ) -> CheckResult {
        let f = facts();
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
        judge(&ctx, settings.as_ref(), outcomes)
    }

    fn outcome(t: &str, ok: bool, online: bool) -> EwsOutcome {
        EwsOutcome {
            timestamp: Some(at(t)),
            ok,
            status: (!ok).then_some(403),
            online,
            evidence: Evidence::note(format!("outcome at {t}")),
        }
    }

    fn org(enabled: Option<bool>) -> EwsScope {
        EwsScope {
            source: "org.txt line 1".into(),
            ews_enabled: enabled,
            ..Default::default()
        }
    }

    fn with_org(o: EwsScope) -> Option<ExchangeEwsSettings> {
        Some(ExchangeEwsSettings {
            organization: vec![o],
            cas_mailboxes: vec![],
        })
    }

    const BEFORE: &str = "2026-09-15T10:00:00Z";
    const BETWEEN: &str = "2026-11-24T10:00:00Z";
    const AFTER: &str = "2027-05-01T10:00:00Z";

    #[test]
    fn location_decides_first() {
        for now in [BEFORE, BETWEEN, AFTER] {
            let r = run(now, MailboxLocation::Unknown, None, &[]);
            assert_eq!((r.status, r.code), (Status::Skip, Code::ExoMailboxUnknown));
            let r = run(
                now,
                MailboxLocation::OnPremises,
                with_org(org(Some(false))),
                &[],
            );
            assert_eq!((r.status, r.code), (Status::Pass, Code::ExoOnPremises));
        }
    }

    #[test]
    fn online_by_date_without_settings_or_logs() {
        let r = run(BEFORE, MailboxLocation::Online, None, &[]);
        assert_eq!((r.status, r.code), (Status::Pass, Code::ExoBeforeBlock));
        assert!(r.summary.contains("2026-10-01") && r.summary.contains("2027-04-01"));
        let r = run(BETWEEN, MailboxLocation::Online, None, &[]);
        assert_eq!(
            (r.status, r.code),
            (Status::Warn, Code::ExoTenantChoiceUnknown)
        );
        let rem = r.remediation.unwrap();
        assert!(
            rem.contains("Get-OrganizationConfig") && rem.contains("Get-CASMailbox"),
            "{rem}"
        );
        assert!(rem.contains("EwsAllowedAppIDs"), "{rem}");
        let r = run(AFTER, MailboxLocation::Online, None, &[]);
        assert_eq!((r.status, r.code), (Status::Fail, Code::ExoEwsRetired));
        // The last day of the blocking phase and the first of the end.
        let r = run("2027-03-31T23:59:59Z", MailboxLocation::Online, None, &[]);
        assert_eq!(r.status, Status::Warn);
        let r = run("2027-04-01T00:00:00Z", MailboxLocation::Online, None, &[]);
        assert_eq!(r.code, Code::ExoEwsRetired);
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
            assert_eq!((r.status, r.code), (Status::Fail, Code::ExoEwsDisabled));
            assert!(
                r.remediation
                    .unwrap()
                    .contains("Set-OrganizationConfig -EwsEnabled $true")
            );
        }
        let mailbox_off = ExchangeEwsSettings {
            organization: vec![org(Some(true))],
            cas_mailboxes: vec![EwsScope {
                source: "cas.txt line 1".into(),
                ews_enabled: Some(false),
                ..Default::default()
            }],
        };
        let r = run(BETWEEN, MailboxLocation::Online, Some(mailbox_off), &[]);
        assert_eq!(r.code, Code::ExoEwsDisabled);
        assert!(r.evidence.iter().any(|e| {
            e.detail
                .contains("cas.txt line 1: mailbox EwsEnabled False")
        }));

        // A user-agent allow list without Lync/Skype leaves the client out.
        let mut o = org(Some(true));
        o.ews_application_access_policy = Some("EnforceAllowList".into());
        o.ews_allow_list = vec!["Outlook*".into(), "MacOutlook*".into()];
        let r = run(BETWEEN, MailboxLocation::Online, with_org(o.clone()), &[]);
        assert_eq!(
            (r.status, r.code),
            (Status::Fail, Code::ExoClientNotAllowed)
        );
        o.ews_allow_list.push("Skype*".into());
        let r = run(BETWEEN, MailboxLocation::Online, with_org(o), &[]);
        assert_eq!(r.code, Code::ExoTenantChoiceUnknown);
        // A block list that names Lync.
        let mut o = org(None);
        o.ews_application_access_policy = Some("EnforceBlockList".into());
        o.ews_block_list = vec!["Lync*".into()];
        let r = run(BEFORE, MailboxLocation::Online, with_org(o), &[]);
        assert_eq!(r.code, Code::ExoClientNotAllowed);

        // The AppID list: cannot tell whether the client is on it.
        let mut o = org(Some(true));
        o.ews_allowed_app_ids = vec!["00000000-0000-0000-0000-000000000001".into()];
        let r = run(BETWEEN, MailboxLocation::Online, with_org(o.clone()), &[]);
        assert_eq!(
            (r.status, r.code),
            (Status::Warn, Code::ExoTenantChoiceUnknown)
        );
        assert!(r.summary.contains("EwsAllowedAppIDs"), "{}", r.summary);
        // Before the block it only says what is coming.
        let r = run(BEFORE, MailboxLocation::Online, with_org(o.clone()), &[]);
        assert_eq!(r.code, Code::ExoBeforeBlock);
        // After the end nothing keeps it.
        let r = run(AFTER, MailboxLocation::Online, with_org(o), &[]);
        assert_eq!(r.code, Code::ExoEwsRetired);

        // Organisation still unset after the block.
        let r = run(BETWEEN, MailboxLocation::Online, with_org(org(None)), &[]);
        assert_eq!(r.code, Code::ExoTenantChoiceUnknown);
        assert!(r.summary.contains("still unset"), "{}", r.summary);
    }

    #[test]
    fn log_outcomes_around_the_block() {
        // A failure after the block: the likely shutdown.
        let fail_after = [outcome("2026-10-05T09:00:00Z", false, true)];
        let r = run(BETWEEN, MailboxLocation::Online, None, &fail_after);
        assert_eq!(
            (r.status, r.code),
            (Status::Fail, Code::ExoEwsFailingAfterBlock)
        );
        assert!(r.summary.contains("EWS shutdown") && r.summary.contains("2027-04-01"));
        let rem = r.remediation.unwrap();
        assert!(
            rem.contains("EwsEnabled $true") && rem.contains("EwsAllowedAppIDs"),
            "{rem}"
        );
        assert_eq!(r.evidence[0].detail, "outcome at 2026-10-05T09:00:00Z");

        // A failure before the block is not the shutdown.
        let fail_before = [outcome("2026-09-20T09:00:00Z", false, true)];
        let r = run(BETWEEN, MailboxLocation::Online, None, &fail_before);
        assert_eq!(r.code, Code::ExoTenantChoiceUnknown);
        let r = run(BEFORE, MailboxLocation::Online, None, &fail_before);
        assert_eq!(r.code, Code::ExoBeforeBlock);
        assert!(
            r.evidence
                .iter()
                .any(|e| e.detail.contains("not the shutdown"))
        );

        // A failure to an on-premises host after the block is not Exchange Online's.
        let onprem = [outcome("2026-10-05T09:00:00Z", false, false)];
        let r = run(BETWEEN, MailboxLocation::Online, None, &onprem);
        assert_eq!(r.code, Code::ExoTenantChoiceUnknown);

        // A later success wins: EWS works for this client.
        let recovered = [
            outcome("2026-10-05T09:00:00Z", false, true),
            outcome("2026-10-06T09:00:00Z", true, true),
        ];
        let r = run(BETWEEN, MailboxLocation::Online, None, &recovered);
        assert_eq!((r.status, r.code), (Status::Pass, Code::ExoEwsWorking));
        // ... until the end.
        let r = run(AFTER, MailboxLocation::Online, None, &recovered);
        assert_eq!(r.code, Code::ExoEwsRetired);

        // Settings that disable EWS outrank the logs.
        let r = run(
            BETWEEN,
            MailboxLocation::Online,
            with_org(org(Some(false))),
            &recovered,
        );
        assert_eq!(r.code, Code::ExoEwsDisabled);
    }
}
