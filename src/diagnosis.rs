//! The diagnosis first: from the checks of one report, the most likely root
//! cause, the symptoms it explains and the one next step
//! (`docs/contract.md`, `diagnosis`).
//!
//! Which checks are causes, which are symptoms and how evidence is weighed
//! is data (`data/causes.toml`, embedded), not code; its check ids load as
//! [`CheckId`], so a misspelt id fails the file's unit test.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::i18n::{Arg, Msg};
use crate::model::{CheckId, CheckResult, Diagnosis, Evidence, Status, SymptomText};

const CAUSES_TOML: &str = include_str!("../data/causes.toml");

/// The embedded cause model (`data/causes.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseModel {
    pub scoring: Scoring,
    #[serde(default, rename = "cause")]
    pub causes: Vec<Cause>,
    #[serde(default, rename = "symptom")]
    pub symptoms: Vec<Symptom>,
    #[serde(default, rename = "gap")]
    pub gaps: Vec<Gap>,
}

/// How evidence is weighed; see the comment at the top of `data/causes.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub fail: u32,
    pub warn: u32,
    pub log_evidence: u32,
    pub recent_evidence: u32,
    #[serde(deserialize_with = "de_duration")]
    pub recent_within: chrono::Duration,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    pub check: CheckId,
    pub weight: u32,
    pub explains: Vec<CheckId>,
    pub why: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Symptom {
    pub check: CheckId,
    pub what: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    pub check: CheckId,
    pub weight: u32,
}

fn de_duration<'de, D: serde::Deserializer<'de>>(d: D) -> Result<chrono::Duration, D::Error> {
    let s = String::deserialize(d)?;
    let std = humantime::parse_duration(&s).map_err(serde::de::Error::custom)?;
    chrono::Duration::from_std(std).map_err(serde::de::Error::custom)
}

impl CauseModel {
    /// Parse and check a model: every id named once, symptoms never causes,
    /// every explained id a cause or a symptom.
    pub fn parse(text: &str) -> Result<Self, String> {
        let m: CauseModel = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        let ids = m
            .causes
            .iter()
            .map(|c| &c.check)
            .chain(m.symptoms.iter().map(|s| &s.check))
            .chain(m.gaps.iter().map(|g| &g.check));
        for id in ids {
            if !seen.insert(id.as_str()) {
                return Err(format!("check {id:?} is named more than once"));
            }
        }
        for c in &m.causes {
            for e in &c.explains {
                if !m.is_cause(e.as_str()) && !m.is_symptom(e.as_str()) {
                    return Err(format!(
                        "cause {:?} explains {e:?}, which is neither a cause nor a symptom",
                        c.check
                    ));
                }
                if e == &c.check {
                    return Err(format!("cause {e:?} explains itself"));
                }
            }
        }
        Ok(m)
    }

    /// The model shipped in the binary, parsed once. The file is part of
    /// the source and checked by a unit test: a failure is a build defect.
    pub fn embedded() -> &'static CauseModel {
        static MODEL: LazyLock<CauseModel> = LazyLock::new(|| {
            CauseModel::parse(CAUSES_TOML).expect("the embedded data/causes.toml is valid")
        });
        &MODEL
    }

    pub fn cause(&self, id: &str) -> Option<&Cause> {
        self.causes.iter().find(|c| c.check.as_str() == id)
    }

    pub fn is_cause(&self, id: &str) -> bool {
        self.cause(id).is_some()
    }

    pub fn is_symptom(&self, id: &str) -> bool {
        self.symptoms.iter().any(|s| s.check.as_str() == id)
    }

    /// What a symptom looks like to the user, e.g. "messages stuck in the History Spooler".
    pub fn symptom_text(&self, id: &str) -> Option<&str> {
        self.symptoms
            .iter()
            .find(|s| s.check.as_str() == id)
            .map(|s| s.what.as_str())
    }

    fn gap(&self, id: &str) -> Option<&Gap> {
        self.gaps.iter().find(|g| g.check.as_str() == id)
    }

    /// How strongly this check's result points at it being the answer: its
    /// status, the cause's (or gap's) weight, and its evidence (from the
    /// client's logs, recent). `None` for checks that are neither.
    pub fn score(&self, check: &CheckResult, now: DateTime<Utc>) -> Option<u32> {
        let id = check.id.as_str();
        let weight = self
            .cause(id)
            .map(|c| c.weight)
            .or_else(|| self.gap(id).map(|g| g.weight))?;
        let s = &self.scoring;
        let status = match check.status {
            Status::Fail => s.fail,
            Status::Warn => s.warn,
            _ => 0,
        };
        let from_log = check.evidence.iter().any(Evidence::is_from_client_log);
        let newest = check.evidence.iter().filter_map(|e| e.timestamp).max();
        let recent = newest.is_some_and(|t| now - t <= s.recent_within);
        Some(
            status
                + weight
                + if from_log { s.log_evidence } else { 0 }
                + if recent { s.recent_evidence } else { 0 },
        )
    }
}

/// The stable code of a diagnosis: the cause check's own reason code (e.g.
/// `build-below-onprem-threshold`); the cases without a cause have their
/// own. This is the one place diagnosis codes are made.
pub fn code(outcome: Outcome<'_>) -> String {
    match outcome {
        Outcome::Cause(c) => c.code.as_str().to_string(),
        Outcome::AllClear => "all-clear".into(),
        Outcome::WarningsOnly => "warnings-only".into(),
        Outcome::Unexplained => "unexplained-failure".into(),
    }
}

/// What [`diagnose`] concluded, for [`code`].
#[derive(Debug, Clone, Copy)]
pub enum Outcome<'a> {
    Cause(&'a CheckResult),
    AllClear,
    WarningsOnly,
    Unexplained,
}

fn ids(list: &[&CheckResult]) -> String {
    list.iter()
        .map(|c| c.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The diagnosis of these checks (`now`: the report's time) with the embedded model.
pub fn diagnose(checks: &[CheckResult], now: DateTime<Utc>) -> Diagnosis {
    diagnose_with(CauseModel::embedded(), checks, now)
}

/// The diagnosis of these checks with this model.
pub fn diagnose_with(model: &CauseModel, checks: &[CheckResult], now: DateTime<Utc>) -> Diagnosis {
    let mut d = conclude(model, checks, now);
    d.symptom_text = d
        .symptoms
        .iter()
        .map(|&id| SymptomText {
            check: id,
            what: symptom_words(model, checks, id),
        })
        .collect();
    d
}

/// What a symptom looks like to the user: the model's words, else the
/// check's title.
pub fn symptom_words(model: &CauseModel, checks: &[CheckResult], id: CheckId) -> String {
    model
        .symptom_text(id.as_str())
        .map(str::to_string)
        .or_else(|| {
            checks
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.title.to_lowercase())
        })
        .unwrap_or_default()
}

fn conclude(model: &CauseModel, checks: &[CheckResult], now: DateTime<Utc>) -> Diagnosis {
    let any_fail = checks.iter().any(|c| c.status == Status::Fail);
    // Ranked candidates: causes that fail or warn, best first; ties keep report order.
    let mut ranked: Vec<(u32, usize, &CheckResult)> = checks
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.status, Status::Fail | Status::Warn))
        .filter(|(_, c)| model.is_cause(c.id.as_str()))
        .filter_map(|(i, c)| model.score(c, now).map(|s| (s, i, c)))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));

    let troubled = |c: &&CheckResult| matches!(c.status, Status::Fail | Status::Warn);
    if any_fail && let Some(&(_, _, cause)) = ranked.first() {
        let explains = model
            .cause(cause.id.as_str())
            .map(|c| c.explains.as_slice())
            .unwrap_or_default();
        let symptoms: Vec<CheckId> = checks
            .iter()
            .filter(troubled)
            .filter(|c| explains.contains(&c.id))
            .map(|c| c.id)
            .collect();
        let also = ranked
            .iter()
            .skip(1)
            .map(|(_, _, c)| c.id)
            .filter(|id| !symptoms.contains(id))
            .collect();
        let steps = if cause.steps.is_empty() && cause.remediation.is_none() {
            vec![Msg::new("diagnosis-read-evidence").with("check", Arg::Check(cause.id))]
        } else {
            cause.steps.clone()
        };
        return Diagnosis {
            cause: Some(cause.id),
            code: code(Outcome::Cause(cause)),
            summary: cause.summary.clone(),
            next_step: cause
                .remediation
                .clone()
                .unwrap_or_else(|| format!("Read the evidence of {} below", cause.id)),
            symptoms,
            also: also_list(also),
            symptom_text: Vec::new(),
            message: cause.message.clone(),
            steps,
        };
    }

    // No cause: what helps most is the best warning (a cause or a gap), else
    // the most telling cause that had no input (its summary says what to pass).
    let mut helpers: Vec<(u32, usize, &CheckResult)> = checks
        .iter()
        .enumerate()
        .filter(|(_, c)| c.status == Status::Warn)
        .filter_map(|(i, c)| model.score(c, now).map(|s| (s, i, c)))
        .collect();
    helpers.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let best_warn = helpers.first().map(|&(_, _, c)| c);
    let best_skip = checks
        .iter()
        .filter(|c| c.status == Status::Skip)
        .filter_map(|c| model.cause(c.id.as_str()).map(|m| (m.weight, c)))
        .max_by_key(|&(w, _)| w)
        .map(|(_, c)| c);
    let rule_out = |c: &CheckResult| format!("To rule out {} too: {}", c.id, c.summary);
    // A check's summary inside a diagnosis message (its words where the
    // check has them only in English).
    let summary_arg = |c: &CheckResult| match &c.message {
        Some(m) => Arg::Msg(Box::new(m.clone())),
        None => Arg::Text(c.summary.clone()),
    };
    let ids_arg = |cs: &[&CheckResult]| Arg::List(cs.iter().map(|c| Arg::Check(c.id)).collect());
    // A check's fix as steps of the diagnosis (empty when it has none).
    let fix_of = |c: &CheckResult| -> Vec<Msg> {
        if !c.steps.is_empty() {
            c.steps.clone()
        } else {
            c.remediation
                .iter()
                .map(|r| Msg::new("diagnosis-step").with("step", Arg::Text(r.clone())))
                .collect()
        }
    };

    if any_fail {
        let failing: Vec<&CheckResult> =
            checks.iter().filter(|c| c.status == Status::Fail).collect();
        let next_step = best_warn
            .and_then(|c| c.remediation.clone())
            .or_else(|| best_skip.map(|c| format!("Find the cause: {}", c.summary)))
            .or_else(|| failing.iter().find_map(|c| c.remediation.clone()))
            .unwrap_or_else(|| "Read the failing checks below".into());
        let steps = best_warn
            .map(fix_of)
            .filter(|s| !s.is_empty())
            .or_else(|| {
                best_skip
                    .map(|c| vec![Msg::new("diagnosis-find-cause").with("summary", summary_arg(c))])
            })
            .or_else(|| failing.iter().map(|c| fix_of(c)).find(|s| !s.is_empty()))
            .unwrap_or_else(|| vec![Msg::new("diagnosis-read-failing")]);
        return Diagnosis {
            cause: None,
            code: code(Outcome::Unexplained),
            summary: format!(
                "{} failed, but no check found why: the cause is outside what this run could see",
                ids(&failing)
            ),
            next_step,
            symptoms: failing
                .iter()
                .filter(|c| model.is_symptom(c.id.as_str()))
                .map(|c| c.id)
                .collect(),
            also: Vec::new(),
            symptom_text: Vec::new(),
            message: Some(
                Msg::new("diagnosis-unexplained-failure")
                    .with("count", Arg::Count(failing.len() as u64))
                    .with("checks", ids_arg(&failing)),
            ),
            steps,
        };
    }

    let warnings: Vec<&CheckResult> = checks.iter().filter(troubled).collect();
    if warnings.is_empty() {
        let skipped: Vec<&CheckResult> =
            checks.iter().filter(|c| c.status == Status::Skip).collect();
        let mut summary = "No check failed or warned: nothing seen stops Offline IM".to_string();
        if !skipped.is_empty() {
            summary.push_str(&format!(" ({} had no input to judge)", ids(&skipped)));
        }
        let steps = vec![match best_skip {
            Some(c) => Msg::new("diagnosis-rule-out")
                .with("check", Arg::Check(c.id))
                .with("summary", summary_arg(c)),
            None => Msg::new("diagnosis-nothing-to-fix"),
        }];
        return Diagnosis {
            cause: None,
            code: code(Outcome::AllClear),
            summary,
            next_step: best_skip.map(rule_out).unwrap_or_else(|| {
                "Nothing to fix. If an offline message still fails, reproduce it with client logging on and run this again".into()
            }),
            symptoms: Vec::new(),
            also: Vec::new(),
            symptom_text: Vec::new(),
            message: Some(
                Msg::new("diagnosis-all-clear")
                    .with("skipped", Arg::Count(skipped.len() as u64))
                    .with("checks", ids_arg(&skipped)),
            ),
            steps,
        };
    }
    let steps = best_warn
        .map(fix_of)
        .filter(|s| !s.is_empty())
        .or_else(|| warnings.iter().map(|c| fix_of(c)).find(|s| !s.is_empty()))
        .unwrap_or_else(|| vec![Msg::new("diagnosis-read-warnings")]);
    Diagnosis {
        cause: None,
        code: code(Outcome::WarningsOnly),
        summary: format!(
            "No check failed; {} warned: {}",
            warnings.len(),
            ids(&warnings)
        ),
        next_step: best_warn
            .and_then(|c| c.remediation.clone())
            .or_else(|| warnings.iter().find_map(|c| c.remediation.clone()))
            .unwrap_or_else(|| "Read the warnings below".into()),
        symptoms: Vec::new(),
        also: Vec::new(),
        symptom_text: Vec::new(),
        message: Some(
            Msg::new("diagnosis-warnings-only")
                .with("count", Arg::Count(warnings.len() as u64))
                .with("checks", ids_arg(&warnings)),
        ),
        steps,
    }
}

fn also_list(also: Vec<CheckId>) -> Vec<CheckId> {
    let mut out = Vec::with_capacity(also.len());
    for id in also {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Evidence, EvidenceSource};
    use strum::IntoEnumIterator;

    fn now() -> DateTime<Utc> {
        "2026-11-24T10:00:00Z".parse().unwrap_or_default()
    }

    fn check(id: CheckId, status: Status) -> CheckResult {
        CheckResult {
            id,
            status,
            code: crate::codes::Code::of(id)
                .next()
                .unwrap_or(crate::codes::Code::ClientBuild(
                    crate::codes::ClientBuildCode::BuildUnknown,
                )),
            title: id.title().into(),
            summary: format!("{id} is {}", status.as_str()),
            evidence: Vec::new(),
            remediation: Some(format!("fix {id}")),
            message: None,
            steps: Vec::new(),
        }
    }

    fn all(overrides: &[(CheckId, Status)]) -> Vec<CheckResult> {
        CheckId::iter()
            .map(|id| {
                let st = overrides
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map_or(Status::Pass, |&(_, s)| s);
                check(id, st)
            })
            .collect()
    }

    fn logged(mut c: CheckResult, at: &str) -> CheckResult {
        let mut e = Evidence::at(
            EvidenceSource::Log,
            "Tracing/Lync-UccApi-0.UccApilog",
            Some(3),
            "seen",
        );
        e.timestamp = at.parse().ok();
        c.evidence.push(e);
        c
    }

    #[test]
    fn the_embedded_model_parses_and_names_known_checks() {
        let m = CauseModel::parse(CAUSES_TOML).unwrap();
        for c in &m.causes {
            assert!(!c.why.is_empty());
        }
        // Every check of the report is a cause, a symptom or a gap, except
        // none: a check the model forgot would never be a cause.
        for id in CheckId::iter() {
            let s = id.as_str();
            assert!(
                m.is_cause(s) || m.is_symptom(s) || m.gap(s).is_some(),
                "{s} missing from data/causes.toml"
            );
        }
        assert!(m.is_symptom("spooler-stuck") && m.is_symptom("offline-im-activity"));
        // The newer checks are causes too.
        for id in ["client-support", "exchange-online-ews", "ews-reachability"] {
            assert!(m.is_cause(id), "{id}");
        }
    }

    #[test]
    fn bad_models_are_refused() {
        let base =
            "[scoring]\nfail=1\nwarn=1\nlog_evidence=1\nrecent_evidence=1\nrecent_within=\"1d\"\n";
        let dup = format!(
            "{base}[[cause]]\ncheck=\"ews-access\"\nweight=1\nexplains=[]\nwhy=\"x\"\n[[symptom]]\ncheck=\"ews-access\"\nwhat=\"y\"\n"
        );
        assert!(
            CauseModel::parse(&dup)
                .unwrap_err()
                .contains("more than once")
        );
        let dangling = format!(
            "{base}[[cause]]\ncheck=\"ews-access\"\nweight=1\nexplains=[\"client-logs\"]\nwhy=\"x\"\n"
        );
        assert!(
            CauseModel::parse(&dangling)
                .unwrap_err()
                .contains("neither")
        );
        let misspelt = format!("{base}[[gap]]\ncheck=\"ews-acess\"\nweight=1\n");
        assert!(
            CauseModel::parse(&misspelt)
                .unwrap_err()
                .contains("unknown variant")
        );
        let unknown = format!(
            "{base}[[cause]]\ncheck=\"ews-access\"\nweight=1\nexplains=[]\nwhy=\"x\"\nextra=1\n"
        );
        assert!(CauseModel::parse(&unknown).is_err(), "deny_unknown_fields");
    }

    #[test]
    fn a_failing_cause_explains_the_failing_symptoms() {
        let checks = all(&[
            (CheckId::SpoolerStuck, Status::Fail),
            (CheckId::EwsAccess, Status::Fail),
            (CheckId::OfflineImActivity, Status::Fail),
        ]);
        let d = diagnose(&checks, now());
        assert_eq!(d.cause, Some(CheckId::EwsAccess));
        assert_eq!(
            d.code,
            checks[5].code.as_str(),
            "the cause check's own code"
        );
        assert_eq!(d.next_step, "fix ews-access");
        assert_eq!(
            d.symptoms,
            vec![CheckId::SpoolerStuck, CheckId::OfflineImActivity]
        );
        assert!(d.also.is_empty());
    }

    #[test]
    fn fail_beats_warn_whatever_the_weight() {
        let checks = all(&[
            (CheckId::ServerOfflineIm, Status::Warn),
            (CheckId::DraftsKnownIssue, Status::Fail),
        ]);
        let d = diagnose(&checks, now());
        assert_eq!(d.cause, Some(CheckId::DraftsKnownIssue));
        assert_eq!(d.also, vec![CheckId::ServerOfflineIm]);
    }

    #[test]
    fn a_policy_the_client_received_beats_a_pasted_one() {
        // Two equal-weight causes would tie; log evidence breaks it. Server
        // setting (pasted) has the higher weight, so compare the same check
        // kind through scores.
        let m = CauseModel::embedded();
        let pasted = {
            let mut c = check(CheckId::ImAutoArchiving, Status::Fail);
            c.evidence.push(Evidence::at(
                EvidenceSource::Paste,
                "server-config.txt",
                Some(4),
                "EnableIMAutoArchiving : False",
            ));
            c
        };
        let received = logged(
            check(CheckId::ImAutoArchiving, Status::Fail),
            "2026-11-01T00:00:00Z",
        );
        assert!(m.score(&received, now()) > m.score(&pasted, now()));
    }

    #[test]
    fn log_evidence_is_known_by_its_source_not_its_file_name() {
        let m = CauseModel::embedded();
        let with = |source, path: &str| {
            let mut c = check(CheckId::ImAutoArchiving, Status::Fail);
            c.evidence.push(Evidence::at(
                source,
                path,
                None,
                "EnableIMAutoArchiving = false",
            ));
            c
        };
        let etl = with(EvidenceSource::Etl, "Tracing/renamed.bin");
        let pasted = with(EvidenceSource::Paste, "pasted.UccApilog");
        assert_eq!(
            m.score(&etl, now()),
            m.score(&pasted, now()).map(|s| s + m.scoring.log_evidence)
        );
    }

    #[test]
    fn a_recent_ews_failure_beats_an_old_one() {
        let m = CauseModel::embedded();
        let recent = logged(
            check(CheckId::EwsAccess, Status::Fail),
            "2026-11-23T09:00:00Z",
        );
        let old = logged(
            check(CheckId::EwsAccess, Status::Fail),
            "2026-01-23T09:00:00Z",
        );
        assert!(m.score(&recent, now()) > m.score(&old, now()));
        let checks = vec![
            check(CheckId::DraftsKnownIssue, Status::Fail),
            recent,
            check(CheckId::SpoolerStuck, Status::Fail),
        ];
        assert_eq!(diagnose(&checks, now()).cause, Some(CheckId::EwsAccess));
    }

    #[test]
    fn a_warning_cause_is_named_when_a_symptom_fails() {
        let checks = all(&[
            (CheckId::SpoolerStuck, Status::Fail),
            (CheckId::DraftsKnownIssue, Status::Warn),
        ]);
        let d = diagnose(&checks, now());
        assert_eq!(d.cause, Some(CheckId::DraftsKnownIssue));
        assert_eq!(d.code, checks[8].code.as_str());
        assert_eq!(d.symptoms, vec![CheckId::SpoolerStuck]);
        assert_eq!(d.symptom_text.len(), 1);
        assert_eq!(d.symptom_text[0].check, CheckId::SpoolerStuck);
        assert_eq!(
            d.symptom_text[0].what,
            "messages stuck in the History Spooler"
        );
    }

    #[test]
    fn no_failure_means_no_cause() {
        let d = diagnose(&all(&[]), now());
        assert_eq!(d.cause, None);
        assert_eq!(d.code, "all-clear");
        assert!(
            d.summary.starts_with("No check failed or warned"),
            "{}",
            d.summary
        );

        let mut checks = all(&[(CheckId::ServerOfflineIm, Status::Skip)]);
        checks[4].summary = "No --server-config: paste it".into();
        let d = diagnose(&checks, now());
        assert_eq!(
            d.next_step,
            "To rule out server-offline-im too: No --server-config: paste it"
        );
        assert!(
            d.summary.contains("server-offline-im had no input"),
            "{}",
            d.summary
        );

        let d = diagnose(
            &all(&[
                (CheckId::ClientBuild, Status::Warn),
                (CheckId::ClientLogs, Status::Warn),
            ]),
            now(),
        );
        assert_eq!(d.cause, None);
        assert_eq!(d.code, "warnings-only");
        assert_eq!(
            d.next_step, "fix client-logs",
            "logs first: they show the build too"
        );
        assert!(
            d.summary.starts_with("No check failed; 2 warned"),
            "{}",
            d.summary
        );
    }

    #[test]
    fn a_symptom_without_a_cause_says_so() {
        let mut checks = all(&[
            (CheckId::SpoolerStuck, Status::Fail),
            (CheckId::ServerOfflineIm, Status::Skip),
        ]);
        checks[4].summary = "No --server-config: paste it".into();
        let d = diagnose(&checks, now());
        assert_eq!(d.cause, None);
        assert_eq!(d.code, "unexplained-failure");
        assert_eq!(d.symptoms, vec![CheckId::SpoolerStuck]);
        assert_eq!(d.symptom_text.len(), 1);
        assert_eq!(d.symptom_text[0].check, CheckId::SpoolerStuck);
        assert_eq!(
            d.symptom_text[0].what,
            "messages stuck in the History Spooler"
        );
        assert!(
            d.summary
                .starts_with("spooler-stuck failed, but no check found why")
        );
        assert_eq!(d.next_step, "Find the cause: No --server-config: paste it");
    }
}
