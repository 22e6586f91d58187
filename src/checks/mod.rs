//! Checks turn facts into statuses. Each check knows its facts and its
//! remediation, never an output format. Ids, order and meaning are
//! `docs/contract.md`, "The checks".

pub mod client_build;
pub mod client_install;
pub mod client_logs;
pub mod client_support;
pub mod drafts_known_issue;
pub mod etl;
pub mod ews_access;
pub mod ews_reachability;
pub mod exchange_online_ews;
pub mod im_auto_archiving;
pub mod offline_im_activity;
pub mod recipients;
pub mod server_offline_im;
pub mod spooler_stuck;

pub use spooler_stuck::{Judged, judge, stuck_times, summarize as spooler_summary};

use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
use crate::model::{CheckId, CheckResult, Code, Evidence, EvidenceSource, Msg, Status};
use crate::rules::RuleKind;
use strum::IntoEnumIterator;

/// What every check may look at.
pub struct Context<'a> {
    pub facts: &'a Facts,
    pub settings: &'a Settings,
    pub client: &'a ResolvedClient,
    pub mailbox: &'a ResolvedMailbox,
    /// What `--probe` saw; `None` without `--probe`.
    pub probe: Option<&'a crate::sources::probe::ProbeReport>,
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

/// The places [`Context::could_not_read`] names, as one message argument:
/// each path with why it could not be read.
pub(crate) fn unread_places(unread: &[(String, String)]) -> crate::i18n::Arg {
    use crate::i18n::{Arg, Msg};
    Arg::List(
        unread
            .iter()
            .map(|(path, why)| {
                Arg::Msg(Box::new(
                    Msg::new("logs-unread-place")
                        .with("path", Arg::Path(path.clone()))
                        .with("why", Arg::Text(why.clone())),
                ))
            })
            .collect(),
    )
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

/// What one check concluded, as data: each check has its own outcome type
/// (an enum whose variants carry the builds, URLs, counts and dates they
/// name). The status and the reason code follow from the variant; the
/// words come from the catalogue (`locales/`), the summary under the
/// code's own id, each step under a `step-*` id or the code's attributes.
pub(crate) trait Outcome {
    fn code(&self) -> Code;
    fn status(&self) -> Status;
    /// The summary: by default the code's message with [`Outcome::args`].
    fn summary(&self) -> Msg {
        let mut m = Msg::new(self.code().as_str());
        m.args = self.args();
        m
    }
    /// The values the summary names.
    fn args(&self) -> std::collections::BTreeMap<String, crate::i18n::Arg> {
        Default::default()
    }
    /// What fixes it, one message per step; empty when nothing needs doing.
    fn steps(&self) -> Vec<Msg> {
        Vec::new()
    }
}

/// The check result of `outcome`, in English (`Report::localize` writes it
/// in the report's language).
pub(crate) fn judged(outcome: &impl Outcome, evidence: Vec<Evidence>) -> CheckResult {
    let code = outcome.code();
    let id = code.check();
    let mut r = CheckResult {
        id,
        status: outcome.status(),
        code,
        title: String::new(),
        summary: String::new(),
        evidence: capped(evidence),
        remediation: None,
        message: Some(outcome.summary()),
        steps: outcome.steps(),
    };
    r.localize(crate::i18n::Lang::En);
    r
}

/// The check a log evidence rule feeds (the rule kind table, [`crate::rules::KINDS`]).
pub fn check_for_rule(kind: RuleKind) -> CheckId {
    kind.check()
}

/// Run every check, in the order of `docs/contract.md`.
pub fn run_all(ctx: &Context<'_>) -> Vec<CheckResult> {
    CheckId::iter().map(|id| run(id, ctx)).collect()
}

/// Run one check.
pub fn run(id: CheckId, ctx: &Context<'_>) -> CheckResult {
    match id {
        CheckId::ClientBuild => client_build::client_build(ctx),
        CheckId::ClientInstall => client_install::client_install(ctx),
        CheckId::SpoolerStuck => spooler_stuck::spooler_stuck(ctx),
        CheckId::ImAutoArchiving => im_auto_archiving::im_auto_archiving(ctx),
        CheckId::ServerOfflineIm => server_offline_im::server_offline_im(ctx),
        CheckId::EwsAccess => ews_access::ews_access(ctx),
        CheckId::OfflineImActivity => offline_im_activity::offline_im_activity(ctx),
        CheckId::ClientLogs => client_logs::client_logs(ctx),
        CheckId::DraftsKnownIssue => drafts_known_issue::drafts_known_issue(ctx),
        CheckId::ClientSupport => client_support::client_support(ctx),
        CheckId::ExchangeOnlineEws => exchange_online_ews::exchange_online_ews(ctx),
        CheckId::EwsReachability => ews_reachability::ews_reachability(ctx),
        CheckId::OfflineImRecipients => recipients::offline_im_recipients(ctx),
    }
}

/// Test support: a result's messages exist in every language, with every
/// value they name supplied.
#[cfg(test)]
pub(crate) fn assert_catalogued(r: &CheckResult) {
    use strum::IntoEnumIterator;
    for lang in crate::i18n::Lang::iter() {
        for m in r.message.iter().chain(&r.steps) {
            let (_, problems) = crate::i18n::catalog::format_checked(lang, m);
            assert!(problems.is_empty(), "{}: {problems:?}", r.code);
        }
        if matches!(r.status, Status::Fail | Status::Warn) {
            let plain = format!("{}.plain", r.code);
            assert!(
                crate::i18n::catalog::has(lang, &plain),
                "{}: no {plain} in {}",
                r.code,
                lang.as_str()
            );
        }
    }
}
