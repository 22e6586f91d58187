//! What `exchange-online-ews` judges by: the pasted `Get-OrganizationConfig`
//! / `Get-CASMailbox` EWS settings of the senders, what they say about this
//! client ([`SettingsVerdict`]), and every EWS answer from the client logs
//! and `--probe` ([`EwsAnswer`]). Facts and evidence only, no verdict.

use chrono::{DateTime, Utc};

use crate::checks::Context;
use crate::facts::is_online_host;
use crate::landscape::{landscape, user_agent_matches};
use crate::model::{Evidence, EvidenceSource, MailboxLocation};
use crate::sources::probe::StepKind;
use crate::sources::scan::logs::EndpointKind;
use crate::sources::server_config::{CasMailbox, EwsSettings, OrganizationConfig};
use crate::urls::host_of;

/// The `EwsApplicationAccessPolicy` values (EWS application access policy
/// reference, `data/landscape.toml` `policy_sources`).
pub(super) const ENFORCE_ALLOW_LIST: &str = "EnforceAllowList";
pub(super) const ENFORCE_BLOCK_LIST: &str = "EnforceBlockList";

/// The pasted Exchange EWS settings this check judges by: every pasted
/// `Get-OrganizationConfig`, and the `Get-CASMailbox` objects of the senders.
#[derive(Debug, Clone)]
pub(super) struct PastedEws<'a> {
    pub(super) organization: &'a [OrganizationConfig],
    pub(super) cas_mailboxes: Vec<&'a EwsSettings>,
}

/// The pasted `Get-OrganizationConfig` and `Get-CASMailbox` output, as this
/// check judges it. A pasted mailbox counts when it names one of the
/// inspected profiles' addresses, or names none (a single paste for the
/// user at hand).
pub(super) fn pasted_settings<'a>(ctx: &Context<'a>) -> Option<PastedEws<'a>> {
    let server = ctx.facts.server.as_ref()?;
    if server.organization.is_empty() && server.cas_mailboxes.is_empty() {
        return None;
    }
    let addresses: Vec<String> = ctx
        .facts
        .profiles
        .iter()
        .map(|p| p.profile.sip_address.to_ascii_lowercase())
        .collect();
    let is_sender = |m: &CasMailbox| {
        let named = [m.primary_smtp_address.as_deref(), m.identity.as_deref()];
        let named: Vec<String> = named
            .iter()
            .flatten()
            .map(|a| a.trim_start_matches("SMTP:").to_ascii_lowercase())
            .collect();
        named.iter().all(|n| !n.contains('@')) || named.iter().any(|n| addresses.contains(n))
    };
    Some(PastedEws {
        organization: &server.organization,
        cas_mailboxes: server
            .cas_mailboxes
            .iter()
            .filter(|m| is_sender(m))
            .map(|m| &m.ews)
            .collect(),
    })
}

/// One EWS answer: from the client logs or from `--probe`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EwsAnswer {
    pub(super) timestamp: Option<DateTime<Utc>>,
    pub(super) ok: bool,
    pub(super) status: Option<u16>,
    /// The request went to Exchange Online.
    pub(super) online: bool,
    /// `X-EWS-Policy-Reason` of this answer.
    pub(super) policy_reason: Option<String>,
    pub(super) evidence: Evidence,
}

/// The EWS outcomes in the logs (per endpoint: its latest answer, its latest
/// success and its latest failure) and the `--probe` answers of EWS URLs
/// (timed at `--now`). The only place that knows the facts' shape.
pub(super) fn ews_answers(ctx: &Context<'_>) -> Vec<EwsAnswer> {
    let mailbox_online = ctx.mailbox.location == MailboxLocation::Online;
    let header = &landscape().ews.blocked_response.header;
    let mut out = Vec::new();
    for e in ctx
        .facts
        .logs
        .http_endpoints
        .iter()
        .filter(|e| e.kind == EndpointKind::Ews)
    {
        // X-EWS-Policy-Reason is Exchange Online's header: an endpoint that
        // sent it is Exchange Online's, whatever name the client used.
        let online = e.host().as_deref().map_or(mailbox_online, is_online_host)
            || e.latest_policy_reason.is_some()
            || e.last_failure_policy_reason.is_some();
        let url = e.url.as_deref().unwrap_or("(no URL in the entries)");
        let facts = [
            (
                Some(&e.latest),
                e.latest.value < 400,
                &e.latest_policy_reason,
            ),
            (e.last_success.as_ref(), true, &None),
            (
                e.last_failure.as_ref(),
                false,
                &e.last_failure_policy_reason,
            ),
        ];
        for (fact, ok, reason) in facts {
            let Some(f) = fact else { continue };
            let mut detail = format!("EWS {url}: HTTP {}: {}", f.value, f.excerpt);
            if let Some(r) = reason {
                detail.push_str(&format!("; {header}: {r}"));
            }
            let mut evidence =
                Evidence::at(EvidenceSource::Log, f.path.clone(), Some(f.line), detail);
            evidence.timestamp = f.timestamp;
            let o = EwsAnswer {
                timestamp: f.timestamp,
                ok,
                status: Some(f.value),
                online,
                policy_reason: reason.clone(),
                evidence,
            };
            if !out.contains(&o) {
                out.push(o);
            }
        }
    }
    if let Some(probe) = ctx.probe {
        for step in probe.steps.iter().filter(|s| s.kind == StepKind::Http) {
            let Some(answer) = &step.http else { continue };
            if !step.target.to_ascii_lowercase().contains("/ews/") {
                continue;
            }
            let online = host_of(&step.target)
                .as_deref()
                .map_or(mailbox_online, is_online_host)
                || answer.ews_policy_reason.is_some();
            let mut detail = format!("--probe: {}: {}", step.target, step.detail);
            if let (Some(r), false) = (
                &answer.ews_policy_reason,
                step.detail.contains(header.as_str()),
            ) {
                detail.push_str(&format!("; {header}: {r}"));
            }
            out.push(EwsAnswer {
                timestamp: Some(ctx.settings.now),
                // An unauthenticated probe gets a 401 challenge from a
                // working EWS: only a refusal with the header, or a 403, says more.
                ok: answer.status < 400
                    || (answer.status == 401 && answer.ews_policy_reason.is_none()),
                status: Some(answer.status),
                online,
                policy_reason: answer.ews_policy_reason.clone(),
                evidence: Evidence::note(EvidenceSource::Probe, detail),
            });
        }
    }
    out
}

/// What the pasted settings say about this client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SettingsVerdict {
    /// `EwsEnabled` False somewhere: EWS is off.
    Disabled(Vec<Evidence>),
    /// A user-agent allow list without the client, or a block list with it.
    ClientLeftOut(Vec<Evidence>),
    /// Organisation `EwsEnabled` True with an empty `EwsAllowedAppIDs`.
    AppIdsEmpty(Vec<Evidence>),
    /// Organisation `EwsEnabled` True, the paste has no `EwsAllowedAppIDs`.
    AppIdsNotRetrieved(Vec<Evidence>),
    /// `EwsAllowedAppIDs` without the Office app ID.
    OfficeAppIdNotListed(Vec<Evidence>),
    /// `EwsAllowedAppIDs` with the Office app ID: likely, not confirmed.
    OfficeAppIdListed(Vec<Evidence>),
    /// Organisation `EwsEnabled` blank (Null).
    OrgUnset(Vec<Evidence>),
    /// No organisation pasted; nothing in the mailbox keeps the client out.
    NothingAgainst(Vec<Evidence>),
}

impl SettingsVerdict {
    pub(super) fn evidence(&self) -> &[Evidence] {
        match self {
            SettingsVerdict::Disabled(e)
            | SettingsVerdict::ClientLeftOut(e)
            | SettingsVerdict::AppIdsEmpty(e)
            | SettingsVerdict::AppIdsNotRetrieved(e)
            | SettingsVerdict::OfficeAppIdNotListed(e)
            | SettingsVerdict::OfficeAppIdListed(e)
            | SettingsVerdict::OrgUnset(e)
            | SettingsVerdict::NothingAgainst(e) => e,
        }
    }
}

fn scope_note(what: &str, sc: &EwsSettings, text: String) -> Evidence {
    let mut s = format!("{}: {what} {text}", sc.source());
    if let Some(a) = &sc.assumed {
        s.push_str(&format!(" ({a})"));
    }
    Evidence::note(EvidenceSource::Paste, s)
}

pub(super) fn judge_settings(s: &PastedEws<'_>) -> SettingsVerdict {
    let names = &landscape().ews.settings;
    let patterns = &names.client_user_agent_patterns;
    // The client's user agent is not published; a list entry that matches
    // the product names (or is one of the patterns that cover it) counts.
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
            .map(|o| ("organisation", &o.ews))
            .chain(s.cas_mailboxes.iter().map(|m| ("mailbox", *m)))
    };
    let word = |v: Option<bool>| match v {
        Some(true) => "True",
        Some(false) => "False",
        None => "blank (Null)",
    };
    let seen: Vec<Evidence> = scopes()
        .map(|(what, sc)| {
            scope_note(
                what,
                sc,
                format!("{} {}", names.enabled_property, word(sc.enabled())),
            )
        })
        .collect();
    let org_off = s
        .organization
        .iter()
        .any(|o| o.ews.enabled() == Some(false));
    let mailbox_off = s.cas_mailboxes.iter().any(|m| m.enabled() == Some(false));
    if org_off || mailbox_off {
        let mut ev = seen;
        if org_off && s.cas_mailboxes.iter().any(|m| m.enabled() == Some(true)) {
            ev.push(Evidence::note(EvidenceSource::Tool, format!(
                "The organisation's {0} False blocks every mailbox, also one set True (Exchange Online since April 2025)",
                names.enabled_property
            )));
        }
        return SettingsVerdict::Disabled(ev);
    }
    let mut left_out = Vec::new();
    for (what, sc) in scopes() {
        let policy = sc.ews_application_access_policy.as_deref().unwrap_or("");
        if policy.eq_ignore_ascii_case(ENFORCE_ALLOW_LIST) && !covers_client(&sc.ews_allow_list) {
            left_out.push(scope_note(
                what,
                sc,
                format!(
                    "{} {} and {} [{}] has no entry for Lync / Skype for Business (e.g. {})",
                    names.access_policy_property,
                    ENFORCE_ALLOW_LIST,
                    names.allow_list_property,
                    sc.ews_allow_list.join(", "),
                    patterns.join(", ")
                ),
            ));
        }
        if policy.eq_ignore_ascii_case(ENFORCE_BLOCK_LIST) && covers_client(&sc.ews_block_list) {
            left_out.push(scope_note(
                what,
                sc,
                format!(
                    "{} {} and {} [{}] blocks Lync / Skype for Business",
                    names.access_policy_property,
                    ENFORCE_BLOCK_LIST,
                    names.block_list_property,
                    sc.ews_block_list.join(", ")
                ),
            ));
        }
    }
    if !left_out.is_empty() {
        return SettingsVerdict::ClientLeftOut(left_out);
    }
    let mut ev = seen;
    if let Some(org) = s
        .organization
        .iter()
        .find(|o| o.ews.enabled() == Some(true))
    {
        return match &org.ews_allowed_app_ids {
            None => SettingsVerdict::AppIdsNotRetrieved(ev),
            Some(ids) if ids.is_empty() => {
                ev.push(scope_note(
                    "organisation",
                    &org.ews,
                    format!("{} empty", names.app_allow_list_property),
                ));
                SettingsVerdict::AppIdsEmpty(ev)
            }
            Some(ids) => {
                ev.push(scope_note(
                    "organisation",
                    &org.ews,
                    format!(
                        "{} lists {} application ID(s): {}",
                        names.app_allow_list_property,
                        ids.len(),
                        ids.join(", ")
                    ),
                ));
                ev.push(Evidence::note(
                    EvidenceSource::Tool,
                    names.client_app_id_unsettled.clone(),
                ));
                if ids
                    .iter()
                    .any(|i| i.trim().eq_ignore_ascii_case(&names.office_app_id))
                {
                    SettingsVerdict::OfficeAppIdListed(ev)
                } else {
                    SettingsVerdict::OfficeAppIdNotListed(ev)
                }
            }
        };
    }
    if !s.organization.is_empty() && s.organization.iter().all(|o| o.ews.enabled().is_none()) {
        return SettingsVerdict::OrgUnset(ev);
    }
    SettingsVerdict::NothingAgainst(ev)
}
