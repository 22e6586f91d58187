//! Checks turn facts into statuses. Each check knows its facts and its
//! remediation, never an output format. Ids, order and meaning are
//! `docs/contract.md`, "The checks".

mod client;
pub mod etl;
mod exchange_online;
mod logs;
mod policy;
mod reachability;
pub mod recipients;
mod spooler;
mod support;

pub use spooler::{Judged, judge, stuck_times, summarize as spooler_summary};

use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
use crate::model::{CheckId, CheckResult, Code, Evidence, EvidenceSource, Status};
use crate::rules::RuleKind;
use strum::IntoEnumIterator;

/// What every check may look at.
pub struct Context<'a> {
    pub facts: &'a Facts,
    pub settings: &'a Settings,
    pub client: &'a ResolvedClient,
    pub mailbox: &'a ResolvedMailbox,
    /// What `--probe` saw; `None` without `--probe`.
    pub probe: Option<&'a crate::terms::probe::ProbeReport>,
}

impl Context<'_> {
    /// Were any client logs read (at least partly)?
    /// Where the tool could not look, of these kinds, as (path, why):
    /// discovery's, a History Spooler that could not be listed, a Tracing
    /// folder that could not be listed, a log refused or unreadable.
    pub(crate) fn could_not_read(
        &self,
        places: &[crate::sources::discover::Place],
    ) -> Vec<(String, String)> {
        use crate::sources::discover::Place;
        let mut out: Vec<(String, String)> = self
            .facts
            .inspection
            .could_not_read
            .iter()
            .filter(|c| places.contains(&c.what))
            .map(|c| (c.path.clone(), c.error.clone()))
            .collect();
        if places.contains(&Place::HistorySpooler) {
            for p in &self.facts.profiles {
                if let (Some(path), Some(problem)) = (&p.spooler.path, &p.spooler.problem) {
                    out.push((path.clone(), problem.clone()));
                }
            }
        }
        if places.contains(&Place::Tracing) {
            for e in &self.facts.logs.dir_errors {
                out.push((
                    e.path.clone(),
                    format!("cannot list the folder: {}", e.error),
                ));
            }
        }
        if places.contains(&Place::Log) {
            for l in self.facts.logs.logs.iter().filter(|l| l.entries == 0) {
                if let Some(e) = &l.error {
                    out.push((l.path.clone(), e.clone()));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    pub(crate) fn logs_read(&self) -> bool {
        self.facts
            .logs
            .logs
            .iter()
            .any(|l| l.error.is_none() || l.entries > 0)
    }
}

/// Evidence lists stay readable: the first few items and a count of the rest.
pub(crate) const MAX_EVIDENCE: usize = 20;

pub(crate) fn capped(mut evidence: Vec<Evidence>) -> Vec<Evidence> {
    if evidence.len() > MAX_EVIDENCE {
        let more = evidence.len() - MAX_EVIDENCE;
        evidence.truncate(MAX_EVIDENCE);
        evidence.push(Evidence::note(
            EvidenceSource::Tool,
            format!("... and {more} more"),
        ));
    }
    evidence
}

/// A check result for `code`; the check it belongs to follows from the code.
pub(crate) fn result(
    status: Status,
    code: Code,
    summary: impl Into<String>,
    evidence: Vec<Evidence>,
    remediation: Option<String>,
) -> CheckResult {
    let id = code.check();
    CheckResult {
        id,
        status,
        code,
        title: id.title().to_string(),
        summary: summary.into(),
        evidence: capped(evidence),
        remediation,
    }
}

/// The check a log evidence rule feeds (the rule kind table, [`crate::rules::KINDS`]).
pub fn check_for_rule(kind: RuleKind) -> CheckId {
    kind.check()
}

/// Run every check, in the order of `docs/contract.md`.
pub fn run_all(ctx: &Context<'_>) -> Vec<CheckResult> {
    CheckId::iter()
        .map(|id| match id {
            CheckId::ClientBuild => client::client_build(ctx),
            CheckId::ClientInstall => client::client_install(ctx),
            CheckId::SpoolerStuck => spooler::spooler_stuck(ctx),
            CheckId::ImAutoArchiving => policy::im_auto_archiving(ctx),
            CheckId::ServerOfflineIm => policy::server_offline_im(ctx),
            CheckId::EwsAccess => logs::ews_access(ctx),
            CheckId::OfflineImActivity => logs::offline_im_activity(ctx),
            CheckId::ClientLogs => logs::client_logs(ctx),
            CheckId::DraftsKnownIssue => client::drafts_known_issue(ctx),
            CheckId::ClientSupport => support::client_support(ctx),
            CheckId::ExchangeOnlineEws => exchange_online::exchange_online_ews(ctx),
            CheckId::EwsReachability => reachability::ews_reachability(ctx),
            CheckId::OfflineImRecipients => recipients::offline_im_recipients(ctx),
        })
        .collect()
}
