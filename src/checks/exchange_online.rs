//! `exchange-online-ews`: Offline IM rides on EWS, and EWS in Exchange Online
//! is being retired: the rollout began on 2026-10-01, from 2026-10-10
//! `EwsEnabled` True needs an `EwsAllowedAppIDs` list, tenants left blank
//! are switched off one by one after notice, and on 2027-04-01 EWS there is
//! off for good (`data/landscape.toml`, `docs/landscape.md`). Judged from the
//! mailbox location, `--now`, pasted `Get-OrganizationConfig` /
//! `Get-CASMailbox` EWS settings, the EWS outcomes in the client logs and
//! the `--probe` answer. Only a 403 with `X-EWS-Policy-Reason` proves the
//! block; a bare 401/403 is a warning; 5xx, DNS and TLS failures are left to
//! `ews-access` / `ews-reachability`.

use crate::codes::ExchangeOnlineEwsCode;
use chrono::{DateTime, Utc};

use super::{Context, result};
use crate::facts::is_online_host;
use crate::landscape::{EwsPhase, PolicyReason, landscape, user_agent_matches};
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, MailboxLocation, Status};
use crate::sources::scan::logs::EndpointKind;
use crate::sources::server_config::{CasMailbox, EwsSettings, OrganizationConfig};
use crate::terms::probe::StepKind;
use crate::urls::host_of;

/// The pasted Exchange EWS settings this check judges by: every pasted
/// `Get-OrganizationConfig`, and the `Get-CASMailbox` objects of the senders.
#[derive(Debug, Clone)]
struct PastedEws<'a> {
    organization: &'a [OrganizationConfig],
    cas_mailboxes: Vec<&'a EwsSettings>,
}

/// The pasted `Get-OrganizationConfig` and `Get-CASMailbox` output, as this
/// check judges it. A pasted mailbox counts when it names one of the
/// inspected profiles' addresses, or names none (a single paste for the
/// user at hand).
fn pasted_settings<'a>(ctx: &Context<'a>) -> Option<PastedEws<'a>> {
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
pub(crate) struct EwsOutcome {
    pub timestamp: Option<DateTime<Utc>>,
    pub ok: bool,
    pub status: Option<u16>,
    /// The request went to Exchange Online.
    pub online: bool,
    /// `X-EWS-Policy-Reason` of this answer.
    pub policy_reason: Option<String>,
    pub evidence: Evidence,
}

/// The EWS outcomes in the logs (per endpoint: its latest answer, its latest
/// success and its latest failure) and the `--probe` answers of EWS URLs
/// (timed at `--now`). The only place that knows the facts' shape.
fn ews_outcomes(ctx: &Context<'_>) -> Vec<EwsOutcome> {
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
            let o = EwsOutcome {
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
            out.push(EwsOutcome {
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
enum SettingsVerdict {
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
    fn evidence(&self) -> &[Evidence] {
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

fn judge_settings(s: &PastedEws<'_>) -> SettingsVerdict {
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
        if policy.eq_ignore_ascii_case("EnforceAllowList") && !covers_client(&sc.ews_allow_list) {
            left_out.push(scope_note(
                what,
                sc,
                format!(
                    "{} EnforceAllowList and {} [{}] has no entry for Lync / Skype for Business (e.g. {})",
                    names.access_policy_property,
                    names.allow_list_property,
                    sc.ews_allow_list.join(", "),
                    patterns.join(", ")
                ),
            ));
        }
        if policy.eq_ignore_ascii_case("EnforceBlockList") && covers_client(&sc.ews_block_list) {
            left_out.push(scope_note(
                what,
                sc,
                format!(
                    "{} EnforceBlockList and {} [{}] blocks Lync / Skype for Business",
                    names.access_policy_property,
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

fn retrieve_cmdlet() -> String {
    let n = &landscape().ews.settings;
    format!(
        "Get-OrganizationConfig {} | Format-List {},{}",
        n.retrieve_switch, n.enabled_property, n.app_allow_list_property
    )
}

fn ask_admin() -> String {
    let l = landscape();
    let n = &l.ews.settings;
    format!(
        "Ask the Exchange Online admin to paste `{}` and `{}` (pass them with --server-config; `| Select-Object Ews*` output is read too), and to look up in the tenant's EWS usage report which application ID the Skype for Business client uses. EWS in Exchange Online ends for good on {}.",
        n.organization_cmdlet, n.mailbox_cmdlet, l.ews.end
    )
}

/// The admin's fix while EWS still exists, for what blocks.
fn keep_ews(reason: Option<PolicyReason>) -> String {
    let l = landscape();
    let n = &l.ews.settings;
    let end = l.ews.end;
    let enabled = String::from(
        "`Set-OrganizationConfig -EwsEnabled $true` (the organisation's False blocks every mailbox) and make sure `Get-CASMailbox <sender> | fl EwsEnabled` is not False (changes take about an hour)",
    );
    let lists = format!(
        "make sure the Skype for Business client's application ID is in `{app}` (read it with `{get}` first: `Set-OrganizationConfig -EwsAllowedAppIDs` writes the whole list; changes take up to 24 hours; the tenant's EWS usage report and Entra sign-in logs show the ID the client really uses, community sources name {office} \"Microsoft Office\"), and that an `{pol}` of EnforceAllowList keeps Lync*/Skype* in `{allow}` (both lists must pass)",
        app = n.app_allow_list_property,
        get = retrieve_cmdlet(),
        office = n.office_app_id,
        pol = n.access_policy_property,
        allow = n.allow_list_property,
    );
    let what = match reason {
        Some(PolicyReason::Disabled) => enabled,
        Some(PolicyReason::BlockedByPolicy) => lists,
        None => format!("{enabled}; {lists}"),
    };
    format!(
        "Exchange Online admin, until {end} only: {what}. From {end} EWS in Exchange Online is gone: Offline IM (and Conversation History) for mailboxes in Exchange Online then needs the mailbox on-premises or a move to Teams."
    )
}

pub fn exchange_online_ews(ctx: &Context<'_>) -> CheckResult {
    let settings = pasted_settings(ctx);
    let outcomes = ews_outcomes(ctx);
    judge(ctx, settings.as_ref(), &outcomes)
}

fn judge(
    ctx: &Context<'_>,
    settings: Option<&PastedEws<'_>>,
    outcomes: &[EwsOutcome],
) -> CheckResult {
    let l = landscape();
    let ews = &l.ews;
    let names = &ews.settings;
    let header = &ews.blocked_response.header;
    let mut evidence = ctx.mailbox.evidence.clone();
    match ctx.mailbox.location {
        MailboxLocation::Unknown => {
            return result(
                Status::Skip,
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoMailboxUnknown),
                "Mailbox location unknown (no EWS URL in the logs), so the Exchange Online EWS retirement cannot be judged",
                evidence,
                Some(format!(
                    "Pass --mailbox online or --mailbox on-premises. If the mailbox is in Exchange Online: the EWS retirement there began on {} and EWS ends for good on {}",
                    ews.block_from, ews.end
                )),
            );
        }
        MailboxLocation::OnPremises => {
            return result(
                Status::Pass,
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoOnPremises),
                "The mailbox is in Exchange on-premises, which the Exchange Online EWS retirement does not affect",
                evidence,
                None,
            );
        }
        MailboxLocation::Online => {}
    }
    let now = ctx.settings.now;
    let phase = ews.phase(now);
    evidence.push(Evidence::note(EvidenceSource::Tool, format!(
        "Exchange team: EWS retirement in Exchange Online began {}; from {} EwsEnabled True needs an {} list; EWS off for good from {} ({})",
        ews.block_from, ews.app_ids_required_from, names.app_allow_list_property, ews.end, ews.announcement
    )));

    if phase == EwsPhase::Ended {
        return result(
            Status::Fail,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsRetired),
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
            evidence.splice(0..0, ev.iter().cloned());
            return result(
                Status::Fail,
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsDisabled),
                format!(
                    "The pasted Exchange settings turn EWS off ({} False), so the client cannot deliver offline messages to the Exchange Online mailbox",
                    names.enabled_property
                ),
                evidence,
                Some(keep_ews(Some(PolicyReason::Disabled))),
            );
        }
        Some(SettingsVerdict::ClientLeftOut(ev)) => {
            evidence.splice(0..0, ev.iter().cloned());
            return result(
                Status::Fail,
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoClientNotAllowed),
                "The pasted Exchange settings leave the Skype for Business client out of EWS (user-agent allow or block list)",
                evidence,
                Some(keep_ews(Some(PolicyReason::BlockedByPolicy))),
            );
        }
        _ => {}
    }

    let after: Vec<&EwsOutcome> = outcomes
        .iter()
        .filter(|o| o.online && o.timestamp.is_some_and(|t| ews.after_block(t)))
        .collect();
    // The latest answer after the rollout began decides (a later success wins).
    let latest_after = after.iter().max_by_key(|o| o.timestamp).copied();

    // Proof: the latest answer is a failure and the newest failure after
    // the rollout that carries X-EWS-Policy-Reason is a 403 (an HRESULT
    // logged after it, without headers, is the same refusal).
    let proof = latest_after.filter(|l| !l.ok).and_then(|_| {
        after
            .iter()
            .filter(|o| {
                !o.ok && o.status == Some(ews.blocked_response.status) && o.policy_reason.is_some()
            })
            .max_by_key(|o| o.timestamp)
            .copied()
    });
    if let Some(last) = proof
        && let Some(reason) = &last.policy_reason
    {
        let kind = ews.policy_reason(reason);
        let (code, points) = match kind {
            Some(PolicyReason::Disabled) => (
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoPolicyReasonDisabled),
                format!(
                    "the organisation's or the mailbox's {} (the organisation's False wins over a mailbox's True)",
                    names.enabled_property
                ),
            ),
            Some(PolicyReason::BlockedByPolicy) => (
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoPolicyReasonBlocked),
                format!(
                    "{} (the application ID list) and the user-agent lists ({}, {}, {}); the header does not say which",
                    names.app_allow_list_property,
                    names.access_policy_property,
                    names.allow_list_property,
                    names.block_list_property
                ),
            ),
            None => (
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoPolicyReasonOther),
                format!(
                    "the tenant's EWS settings ({}, {}, the user-agent lists)",
                    names.enabled_property, names.app_allow_list_property
                ),
            ),
        };
        let mut ev = vec![last.evidence.clone()];
        // What the pasted settings show, beside the proof.
        ev.extend(verdict.iter().flat_map(|v| v.evidence().iter().cloned()));
        ev.extend(evidence);
        return result(
            Status::Fail,
            code,
            format!(
                "Exchange Online refused EWS with HTTP 403 and {header}: \"{reason}\": the tenant blocks EWS for this client; look at {points}. EWS in Exchange Online ends for good on {}",
                ews.end
            ),
            ev,
            Some(keep_ews(kind)),
        );
    }

    if let Some(SettingsVerdict::AppIdsEmpty(ev)) = &verdict
        && ews.app_ids_required(now)
    {
        evidence.splice(0..0, ev.iter().cloned());
        return result(
            Status::Fail,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoAllowedAppIdsEmpty),
            format!(
                "The organisation's {} is True with an empty {}: since {} that blocks all EWS in Exchange Online, so the client cannot deliver offline messages",
                names.enabled_property, names.app_allow_list_property, ews.app_ids_required_from
            ),
            evidence,
            Some(keep_ews(Some(PolicyReason::BlockedByPolicy))),
        );
    }

    if let Some(last) = latest_after
        && last.ok
    {
        evidence.insert(0, last.evidence.clone());
        return result(
            Status::Pass,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoEwsWorking),
            format!(
                "EWS requests to Exchange Online succeeded on or after {}: the tenant kept EWS for this client, until {} when it ends for good",
                ews.block_from, ews.end
            ),
            evidence,
            Some(format!(
                "Plan for {}: EWS in Exchange Online ends then, and with it Offline IM to Exchange Online mailboxes",
                ews.end
            )),
        );
    }

    if phase == EwsPhase::BeforeBlock {
        let earlier = outcomes.iter().filter(|o| o.online && !o.ok).count();
        if earlier > 0 {
            evidence.push(Evidence::note(EvidenceSource::Tool, format!(
                "{earlier} EWS failure(s) to Exchange Online before {}: not the retirement (see ews-access)",
                ews.block_from
            )));
        }
        return result(
            Status::Pass,
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoBeforeBlock),
            format!(
                "The mailbox is in Exchange Online. Coming: the EWS retirement in Exchange Online begins on {}; from {} EwsEnabled True needs an {} list that names the client, tenants left blank are switched off one by one, and from {} EWS in Exchange Online is off for good; Offline IM to this mailbox depends on it",
                ews.block_from, ews.app_ids_required_from, names.app_allow_list_property, ews.end
            ),
            evidence,
            Some(ask_admin()),
        );
    }

    // A failure as the latest answer: only 401/403 can point at the retirement.
    if let Some(last) = latest_after
        && !last.ok
    {
        let status = last.status.unwrap_or(0);
        if ews.may_be_retirement(status) {
            let mut ev = vec![last.evidence.clone()];
            ev.push(Evidence::note(
                EvidenceSource::Tool,
                ews.blocked_response.unsettled.clone(),
            ));
            ev.extend(evidence);
            return result(
                Status::Warn,
                Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoStatusWithoutPolicyReason),
                format!(
                    "Exchange Online answered EWS with HTTP {status} on or after {} without an {header} header: that can be the EWS retirement, but a bare {status} is not proof; a block answers 403 with {header}: \"{}\" or \"{}\"",
                    ews.block_from,
                    ews.blocked_response.disabled_reason,
                    ews.blocked_response.blocked_reason
                ),
                ev,
                Some(format!(
                    "Capture the EWS response headers (the client log's HTTP trace, or --probe from this machine) and look for {header}. {}",
                    ask_admin()
                )),
            );
        }
        evidence.push(last.evidence.clone());
        evidence.push(Evidence::note(EvidenceSource::Tool, format!(
            "HTTP {status} is not how Exchange Online refuses EWS for the retirement (only {} can be): an outage or a network problem, judged by ews-access / ews-reachability",
            ews.retirement_statuses
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(" and ")
        )));
    }

    let (code, summary, ev) = match &verdict {
        Some(SettingsVerdict::AppIdsNotRetrieved(ev)) => (
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoAppIdsNotRetrieved),
            format!(
                "The organisation's {} is True, but the paste has no {}: plain Get-OrganizationConfig does not return it, and since {} True without the list blocks all EWS. Paste `{}`",
                names.enabled_property,
                names.app_allow_list_property,
                ews.app_ids_required_from,
                retrieve_cmdlet()
            ),
            Some(ev),
        ),
        Some(SettingsVerdict::AppIdsEmpty(ev)) => (
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown),
            format!(
                "The organisation's {} is True with an empty {}: from {} that blocks all EWS unless Microsoft pre-fills the list from the tenant's use",
                names.enabled_property, names.app_allow_list_property, ews.app_ids_required_from
            ),
            Some(ev),
        ),
        Some(SettingsVerdict::OfficeAppIdNotListed(ev)) => (
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoOfficeAppIdNotListed),
            format!(
                "{} lists applications but not {} (\"Microsoft Office\", the ID community sources give for the Office desktop clients). Microsoft has not confirmed which ID the Skype for Business client presents: the tenant's EWS usage report and Entra sign-in logs show the real one",
                names.app_allow_list_property, names.office_app_id
            ),
            Some(ev),
        ),
        Some(SettingsVerdict::OfficeAppIdListed(ev)) => (
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown),
            format!(
                "{} lists {} (\"Microsoft Office\"), which community sources give for the Office desktop clients; Microsoft has not confirmed that the Skype for Business client presents it, and no successful EWS request on or after {} was seen",
                names.app_allow_list_property, names.office_app_id, ews.block_from
            ),
            Some(ev),
        ),
        Some(SettingsVerdict::OrgUnset(ev)) => (
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoOrgEwsUnset),
            format!(
                "The organisation's {} is blank (Null): after {} Microsoft switches such tenants to False (EWS blocked) one by one, each after {} days' Message Center notice, with {} pre-filled from recent use",
                names.enabled_property, ews.app_ids_required_from, ews.null_notice_days, names.app_allow_list_property
            ),
            Some(ev),
        ),
        Some(SettingsVerdict::NothingAgainst(ev)) => (
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown),
            "Nothing in the pasted mailbox settings keeps the client out, but the organisation's EWS settings were not pasted and no successful EWS request to Exchange Online since the retirement began was seen".to_string(),
            Some(ev),
        ),
        _ => (
            Code::ExchangeOnlineEws(ExchangeOnlineEwsCode::ExoTenantChoiceUnknown),
            format!(
                "The mailbox is in Exchange Online and the EWS retirement began on {}: EWS works there only if the tenant kept it for this client, and nothing seen says whether it did",
                ews.block_from
            ),
            None,
        ),
    };
    if let Some(ev) = ev {
        evidence.splice(0..0, ev.iter().cloned());
    }
    result(Status::Warn, code, summary, evidence, Some(ask_admin()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
    use crate::sources::machine::MachineFacts;
    use crate::sources::server_config::{ServerConfig, Setting};

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
        outcomes: &[EwsOutcome],
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
        judge(&ctx, super::pasted_settings(&ctx).as_ref(), outcomes)
    }

    fn outcome(t: &str, ok: bool, online: bool) -> EwsOutcome {
        EwsOutcome {
            timestamp: Some(at(t)),
            ok,
            status: Some(if ok { 200 } else { 403 }),
            online,
            policy_reason: None,
            evidence: Evidence::note(EvidenceSource::Tool, format!("outcome at {t}")),
        }
    }

    fn failed(t: &str, status: u16, reason: Option<&str>) -> EwsOutcome {
        EwsOutcome {
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
}
