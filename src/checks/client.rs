//! `client-build`, `client-install`, `drafts-known-issue`.

use super::{Context, result};
use crate::client_build::{DRAFTS_FIX, OFFLINE_IM_MIN, OFFLINE_IM_MIN_ON_PREMISES, channel_note};
use crate::codes::{ClientBuildCode, DraftsKnownIssueCode};
use crate::model::{CheckResult, Code, MailboxLocation, Status};

const UPDATE_HOW: &str = "In the client: File > Office Account > Update Options > Update Now, or move the machine to a supported Click-to-Run update channel in your Office deployment";

pub fn client_build(ctx: &Context<'_>) -> CheckResult {
    let mut evidence = ctx.client.evidence.clone();
    evidence.extend(ctx.mailbox.evidence.iter().cloned());
    let Some(b) = ctx.client.build else {
        return result(
            Status::Warn,
            Code::ClientBuild(ClientBuildCode::BuildUnknown),
            "Client build unknown: no --client-version, no Click-to-Run registry or lync.exe seen, and no User-Agent in the client logs",
            evidence,
            Some(format!(
                "Pass --client-version 16.0.B.R (from lync.exe's file properties, Details tab), or turn on client logging so the User-Agent is recorded; Offline IM needs {OFFLINE_IM_MIN} or later ({OFFLINE_IM_MIN_ON_PREMISES} with an on-premises mailbox)"
            )),
        );
    };
    let note = channel_note(b)
        .map(|n| format!(" Note: {n}."))
        .unwrap_or_default();
    let on_prem = ctx.mailbox.location == MailboxLocation::OnPremises;
    let update = |to| {
        Some(format!(
            "Update Skype for Business 2016 Click-to-Run to {to} or later (any current build is far beyond it). {UPDATE_HOW}."
        ))
    };
    if b.major <= 15 {
        return result(
            Status::Fail,
            Code::ClientBuild(ClientBuildCode::BuildLync2013),
            format!(
                "Client build {b} is Lync 2013 / Skype for Business 2015 (major {}), which has no Offline IM.{note}",
                b.major
            ),
            evidence,
            Some(format!(
                "Install Skype for Business 2016 Click-to-Run, build {OFFLINE_IM_MIN_ON_PREMISES} or later. {UPDATE_HOW}."
            )),
        );
    }
    if b < OFFLINE_IM_MIN {
        return result(
            Status::Fail,
            Code::ClientBuild(ClientBuildCode::BuildBelowMinimum),
            format!(
                "Client build {b} is below {OFFLINE_IM_MIN}, the first build with Offline IM.{note}"
            ),
            evidence,
            update(if on_prem {
                OFFLINE_IM_MIN_ON_PREMISES
            } else {
                OFFLINE_IM_MIN
            }),
        );
    }
    if on_prem && b < OFFLINE_IM_MIN_ON_PREMISES {
        return result(
            Status::Fail,
            Code::ClientBuild(ClientBuildCode::BuildBelowOnpremThreshold),
            format!(
                "Client build {b} is below {OFFLINE_IM_MIN_ON_PREMISES}, which Offline IM needs when the mailbox is in Exchange on-premises.{note}"
            ),
            evidence,
            update(OFFLINE_IM_MIN_ON_PREMISES),
        );
    }
    if ctx.mailbox.location == MailboxLocation::Unknown && b < OFFLINE_IM_MIN_ON_PREMISES {
        return result(
            Status::Warn,
            Code::ClientBuild(ClientBuildCode::BuildOnpremThresholdMailboxUnknown),
            format!(
                "Client build {b} supports Offline IM with an Exchange Online mailbox but not with an on-premises one (needs {OFFLINE_IM_MIN_ON_PREMISES}); the mailbox location is unknown.{note}"
            ),
            evidence,
            Some(format!(
                "Pass --mailbox online|on-premises, or update to {OFFLINE_IM_MIN_ON_PREMISES} or later. {UPDATE_HOW}."
            )),
        );
    }
    let needed = if on_prem {
        OFFLINE_IM_MIN_ON_PREMISES
    } else {
        OFFLINE_IM_MIN
    };
    result(
        Status::Pass,
        Code::ClientBuild(ClientBuildCode::BuildSupported),
        format!("Client build {b} is at or above {needed}.{note}"),
        evidence,
        None,
    )
}

pub fn drafts_known_issue(ctx: &Context<'_>) -> CheckResult {
    let evidence = ctx.mailbox.evidence.clone();
    let Some(b) = ctx.client.build else {
        return result(
            Status::Skip,
            Code::DraftsKnownIssue(DraftsKnownIssueCode::DraftsBuildUnknown),
            "Client build unknown, so the Drafts-folder known issue cannot be ruled out",
            evidence,
            None,
        );
    };
    match ctx.mailbox.location {
        MailboxLocation::OnPremises if b < DRAFTS_FIX => result(
            Status::Warn,
            Code::DraftsKnownIssue(DraftsKnownIssueCode::DraftsAffected),
            format!(
                "Build {b} with an on-premises mailbox predates {DRAFTS_FIX} (6/14/2016): offline messages can fail and fill the Drafts folder"
            ),
            evidence,
            Some(format!(
                "Update the client to {DRAFTS_FIX} or later. {UPDATE_HOW}."
            )),
        ),
        MailboxLocation::OnPremises => result(
            Status::Pass,
            Code::DraftsKnownIssue(DraftsKnownIssueCode::DraftsFixed),
            format!("Build {b} includes the 6/14/2016 Drafts fix ({DRAFTS_FIX})"),
            evidence,
            None,
        ),
        MailboxLocation::Online => result(
            Status::Pass,
            Code::DraftsKnownIssue(DraftsKnownIssueCode::DraftsOnlineNotAffected),
            "The Drafts-folder known issue affects on-premises mailboxes only; this one is in Exchange Online",
            evidence,
            None,
        ),
        MailboxLocation::Unknown => result(
            Status::Pass,
            Code::DraftsKnownIssue(DraftsKnownIssueCode::DraftsMailboxUnknown),
            format!(
                "Mailbox location unknown; the Drafts-folder issue affects on-premises mailboxes with builds before {DRAFTS_FIX}{}",
                if b < DRAFTS_FIX {
                    ", which this build is"
                } else {
                    ", and this build has the fix"
                }
            ),
            evidence,
            None,
        ),
    }
}
