//! Which [`ExoOutcome`] the facts make, and the evidence beside it. The
//! order decides: the mailbox location, the end of EWS, pasted settings
//! that turn EWS off, a proven block, an empty application list after the
//! day it blocks, a success since the block, the time before the block,
//! a bare 401/403, then what the pasted settings leave open.

use super::facts::{EwsAnswer, PastedEws, SettingsVerdict, judge_settings};
use super::outcome::{ExoOutcome, Unsettled};
use crate::checks::{Context, judged};
use crate::landscape::{EwsPhase, landscape};
use crate::model::{CheckResult, Evidence, EvidenceSource, MailboxLocation};

/// The check result for these settings and EWS answers.
pub(super) fn judge(
    ctx: &Context<'_>,
    settings: Option<&PastedEws<'_>>,
    answers: &[EwsAnswer],
) -> CheckResult {
    let (outcome, evidence) = decide(ctx, settings, answers);
    judged(&outcome, evidence)
}

fn decide(
    ctx: &Context<'_>,
    settings: Option<&PastedEws<'_>>,
    answers: &[EwsAnswer],
) -> (ExoOutcome, Vec<Evidence>) {
    let l = landscape();
    let ews = &l.ews;
    let names = &ews.settings;
    let mut evidence = ctx.mailbox.evidence.clone();
    match ctx.mailbox.location {
        MailboxLocation::Unknown => return (ExoOutcome::MailboxUnknown, evidence),
        MailboxLocation::OnPremises => return (ExoOutcome::OnPremises, evidence),
        MailboxLocation::Online => {}
    }
    let now = ctx.settings.now;
    let phase = ews.phase(now);
    evidence.push(Evidence::note(EvidenceSource::Tool, format!(
        "Exchange team: EWS retirement in Exchange Online began {}; from {} {} True needs an {} list; EWS off for good from {} ({})",
        ews.block_from, ews.app_ids_required_from, names.enabled_property, names.app_allow_list_property, ews.end, ews.announcement
    )));

    if phase == EwsPhase::Ended {
        return (ExoOutcome::Retired, evidence);
    }

    let verdict = settings.map(judge_settings);
    match &verdict {
        Some(SettingsVerdict::Disabled(ev)) => {
            evidence.splice(0..0, ev.iter().cloned());
            return (ExoOutcome::Disabled, evidence);
        }
        Some(SettingsVerdict::ClientLeftOut(ev)) => {
            evidence.splice(0..0, ev.iter().cloned());
            return (ExoOutcome::ClientNotAllowed, evidence);
        }
        _ => {}
    }

    let after: Vec<&EwsAnswer> = answers
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
        let mut ev = vec![last.evidence.clone()];
        // What the pasted settings show, beside the proof.
        ev.extend(verdict.iter().flat_map(|v| v.evidence().iter().cloned()));
        ev.extend(evidence);
        let outcome = ExoOutcome::PolicyReason {
            kind: ews.policy_reason(reason),
            status: last.status.unwrap_or(ews.blocked_response.status),
            reason: reason.clone(),
        };
        return (outcome, ev);
    }

    if let Some(SettingsVerdict::AppIdsEmpty(ev)) = &verdict
        && ews.app_ids_required(now)
    {
        evidence.splice(0..0, ev.iter().cloned());
        return (ExoOutcome::AppIdsEmpty, evidence);
    }

    if let Some(last) = latest_after
        && last.ok
    {
        evidence.insert(0, last.evidence.clone());
        return (ExoOutcome::Working, evidence);
    }

    if phase == EwsPhase::BeforeBlock {
        let earlier = answers.iter().filter(|o| o.online && !o.ok).count();
        if earlier > 0 {
            evidence.push(Evidence::note(EvidenceSource::Tool, format!(
                "{earlier} EWS failure(s) to Exchange Online before {}: not the retirement (see ews-access)",
                ews.block_from
            )));
        }
        return (ExoOutcome::BeforeBlock, evidence);
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
            return (ExoOutcome::StatusWithoutPolicyReason { status }, ev);
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

    let (outcome, ev) = match &verdict {
        Some(SettingsVerdict::AppIdsNotRetrieved(ev)) => (ExoOutcome::AppIdsNotRetrieved, Some(ev)),
        Some(SettingsVerdict::AppIdsEmpty(ev)) => (
            ExoOutcome::TenantChoiceUnknown(Unsettled::AppIdsEmpty),
            Some(ev),
        ),
        Some(SettingsVerdict::OfficeAppIdNotListed(ev)) => {
            (ExoOutcome::OfficeAppIdNotListed, Some(ev))
        }
        Some(SettingsVerdict::OfficeAppIdListed(ev)) => (
            ExoOutcome::TenantChoiceUnknown(Unsettled::OfficeAppIdListed),
            Some(ev),
        ),
        Some(SettingsVerdict::OrgUnset(ev)) => (ExoOutcome::OrgUnset, Some(ev)),
        Some(SettingsVerdict::NothingAgainst(ev)) => (
            ExoOutcome::TenantChoiceUnknown(Unsettled::MailboxOnly),
            Some(ev),
        ),
        _ => (ExoOutcome::TenantChoiceUnknown(Unsettled::Nothing), None),
    };
    if let Some(ev) = ev {
        evidence.splice(0..0, ev.iter().cloned());
    }
    (outcome, evidence)
}
