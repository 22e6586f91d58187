//! What a technician reads first, shared by table, text, Markdown and HTML
//! (`flutter doctor`: one line per area, details for what is wrong; `brew
//! doctor`: only the problems, each with what fixes it):
//!
//! 1. the inspected machine, the client and the mailbox;
//! 2. the cause and numbered next steps (one build target when several
//!    checks want a newer build);
//! 3. one line per check, worst first; a check the cause explains says
//!    "follows from <cause>" and has no fix of its own;
//! 4. details for what fails or warns (everything with `-v`);
//! 5. the files named once, then the timeline pointing at them.

use std::collections::BTreeMap;

use super::{client_line, mailbox_line, profile_line, watch_lines};
use crate::i18n::catalog::format;
use crate::i18n::{Arg, Lang, Msg, Rich, Segment};
use crate::model::{CheckId, CheckResult, Evidence, OffsetSource, Report, Status, TimelineEvent};

/// Why a check has no fix of its own in this report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Covered {
    /// The check is the cause: its fix is the next steps.
    Cause,
    /// A symptom the cause explains.
    FollowsFrom(CheckId),
    /// Fixed by the same update as the named check (one build target).
    SameUpdate(CheckId),
    /// Named on an "Also" line under the next steps.
    Also,
}

pub(crate) struct CheckLine<'a> {
    pub check: &'a CheckResult,
    /// The one line shown for the check: its summary, or why it has no fix.
    pub text: String,
    pub covered: Option<Covered>,
}

/// What a check's details show, for the text renderers.
pub(crate) struct Detail<'v, 'a> {
    pub line: &'v CheckLine<'a>,
    /// The evidence shown: [`super::EVIDENCE_SHOWN`] items, every one with `-v`.
    pub evidence: &'a [Evidence],
    /// Evidence left out (`-v` shows it).
    pub more: usize,
    pub fix: Fix<'a>,
}

/// The fix line under a check's details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fix<'a> {
    /// The check is the cause: its fix is the next steps.
    NextSteps,
    /// Its own remediation, not already among the next steps.
    Own(&'a str),
    /// None: no remediation, covered by another check, or already a next step.
    None,
}

pub(crate) struct View<'a> {
    /// The report's language: every word of the view is in it.
    pub lang: Lang,
    /// Labelled lines about the inspected machine, client and mailbox.
    pub about: Vec<(String, String)>,
    /// `(Cause, plain sentence)` or `(Finding, summary)`.
    pub cause: (String, Rich),
    /// Under a cause: its check, status, code and summary.
    pub cause_detail: Option<Rich>,
    /// The cause's steps (or, without a cause, what helps most), each with
    /// its values typed so every output styles them.
    pub steps: Vec<Rich>,
    /// One line per other check that fails or warns: its plain sentence.
    pub also: Vec<Rich>,
    /// Symptoms the cause explains, with what they are.
    pub explains: Option<String>,
    /// Every check, worst status first (fail, warn, info, pass, skip).
    pub checks: Vec<CheckLine<'a>>,
    /// The files evidence and timeline point at, numbered once (`#1`).
    pub files: Vec<String>,
    /// One line: the verdict and step 1.
    pub recap: String,
}

/// A word or sentence of the report's own (`ui-*`), in `lang`.
pub(crate) fn ui(lang: Lang, id: &str) -> String {
    crate::i18n::text(lang, &Msg::new(id))
}

/// The same with named values.
pub(crate) fn ui_with(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let mut m = Msg::new(id);
    for (k, v) in args {
        m = m.with(k, v.clone());
    }
    crate::i18n::text(lang, &m)
}

/// A check's plain sentence (`<code>.plain`), when the catalogue has one.
pub(crate) fn plain(lang: Lang, c: &CheckResult) -> Option<String> {
    let m = c.message.as_ref()?;
    let id = format!("{}.plain", m.id);
    crate::i18n::catalog::has(lang, &id).then(|| {
        let mut p = m.clone();
        p.id = id;
        crate::i18n::text(lang, &p)
    })
}

/// A check's steps in `lang`: its typed steps, else its remediation as one
/// step (a report read back from before steps were stored).
fn steps_of(lang: Lang, c: &CheckResult) -> Vec<Rich> {
    if c.message.is_some() {
        return c.steps.iter().map(|s| format(lang, s)).collect();
    }
    c.remediation
        .iter()
        .map(|r| Rich::words(r.clone()))
        .collect()
}

/// A check's summary, its values typed where the check has a message.
pub(crate) fn summary_of(lang: Lang, c: &CheckResult) -> Rich {
    match &c.message {
        Some(m) => format(lang, m),
        None => Rich::words(c.summary.clone()),
    }
}

/// `head` then `rest`.
fn joined(head: String, rest: Rich) -> Rich {
    let mut segs = vec![Segment::Words(head)];
    segs.extend(rest.0);
    Rich(segs)
}

impl<'a> View<'a> {
    /// The view of `r`; `verbose` and `timeline_tail` decide which files
    /// the details and the timeline name.
    pub fn new(r: &'a Report, verbose: bool, timeline_tail: usize) -> Self {
        let lang = r.lang;
        let d = &r.diagnosis;
        let mut about: Vec<(String, String)> = Vec::new();
        let host = r.machine.host_name.clone().or_else(|| r.host.clone());
        // A copied folder (or a bundle of one) does not say its machine.
        let mut machine = host.unwrap_or_else(|| ui(lang, "ui-copied-folder"));
        let zone = match (&r.machine.time_zone, &r.machine.utc_offset) {
            (Some(z), Some(o)) => Some(format!("{z}, UTC{o}")),
            (Some(z), None) => Some(z.clone()),
            (None, Some(o)) => Some(format!("UTC{o}")),
            (None, None) => None,
        };
        if let Some(z) = zone {
            let z = ui_with(lang, "ui-time-zone", &[("zone", Arg::Text(z))]);
            machine.push_str(&format!(" ({z})"));
        }
        about.push((ui(lang, "ui-machine"), machine));
        // The log times' zone, where it is not the inspected machine's own.
        if let Some(src @ (OffsetSource::AssumedThisMachine | OffsetSource::Option)) =
            r.logs.utc_offset_source
        {
            let option = ("option", Arg::Code("--log-utc-offset".into()));
            let why = match src {
                OffsetSource::Option => ui_with(lang, "ui-offset-option", &[option]),
                _ => ui_with(lang, "ui-offset-assumed", &[option]),
            };
            about.push((
                ui(lang, "ui-log-times"),
                ui_with(
                    lang,
                    "ui-log-times-read",
                    &[
                        ("offset", Arg::Text(r.logs.utc_offset.clone())),
                        ("why", Arg::Text(why)),
                    ],
                ),
            ));
        }
        let sips: Vec<&str> = r.profiles.iter().map(|p| p.sip_address.as_str()).collect();
        if !sips.is_empty() {
            about.push((ui(lang, "ui-user"), sips.join(", ")));
        }
        about.push((
            ui(lang, "ui-as-of"),
            crate::i18n::catalog::value_text(lang, &Arg::Time(r.generated_at)),
        ));
        about.push((ui(lang, "ui-client"), client_line(r)));
        about.push((ui(lang, "ui-mailbox"), mailbox_line(r)));
        for p in &r.profiles {
            about.push((ui(lang, "ui-profile"), profile_line(lang, p)));
        }
        for (i, line) in watch_lines(r).into_iter().enumerate() {
            let label = if i == 0 { "ui-watch" } else { "ui-message" };
            about.push((ui(lang, label), line));
        }
        // Nothing on the sender's side fails: say what cannot be checked
        // from here and where a delivered message appears.
        if !r.checks.iter().any(|c| c.status == Status::Fail) {
            about.push((
                ui(lang, "ui-recipient"),
                crate::i18n::text(lang, &crate::checks::recipients::recipient_side_note()),
            ));
        }

        let colon = super::table::colon(lang);
        let cause_check = d.cause.and_then(|id| r.check(id));
        let (cause, cause_detail) = match cause_check {
            Some(c) => {
                let head = format!("{} ({}, {}){colon} ", c.id, c.status.as_str(), c.code);
                let detail = joined(head, summary_of(lang, c));
                match plain(lang, c) {
                    Some(p) => ((ui(lang, "ui-cause"), Rich::words(p)), Some(detail)),
                    None => ((ui(lang, "ui-cause"), detail), None),
                }
            }
            None => {
                let finding = match &d.message {
                    Some(m) => format(lang, m),
                    None => Rich::words(d.summary.clone()),
                };
                ((ui(lang, "ui-finding"), finding), None)
            }
        };

        // One build target: the build checks that fail or warn, the one
        // whose fix reaches furthest (a product change where support
        // demands it, else the highest build named) speaks for all.
        let wanting: Vec<&CheckResult> = r
            .checks
            .iter()
            .filter(|c| c.id.spec().asks_for_build)
            .filter(|c| matches!(c.status, Status::Fail | Status::Warn))
            .filter(|c| !c.steps.is_empty() || c.remediation.is_some())
            .collect();
        let target: Option<&CheckResult> = if wanting.len() >= 2 {
            wanting
                .iter()
                .find(|c| c.id == CheckId::ClientSupport)
                .or_else(|| wanting.iter().max_by_key(|c| highest_build(c)))
                .copied()
        } else {
            None
        };

        let mut covered: BTreeMap<CheckId, Covered> = BTreeMap::new();
        if let Some(c) = d.cause {
            covered.insert(c, Covered::Cause);
            for s in &d.symptoms {
                covered.insert(*s, Covered::FollowsFrom(c));
            }
        }
        let steps = match (target, d.cause) {
            (Some(t), Some(cause)) if wanting.iter().any(|c| c.id == cause) => {
                for c in &wanting {
                    if c.id != cause {
                        covered.insert(c.id, Covered::SameUpdate(cause));
                    }
                }
                steps_of(lang, t)
            }
            _ if !d.steps.is_empty() => d.steps.iter().map(|s| format(lang, s)).collect(),
            _ => vec![Rich::words(d.next_step.clone())],
        };
        // Then one line for everything else that fails or warns: what it
        // means, in plain words; `-v` shows its details and fix.
        let mut also = Vec::new();
        let others = d.also.iter().filter_map(|id| r.check(*id)).chain(
            r.checks
                .iter()
                .filter(|c| matches!(c.status, Status::Fail | Status::Warn))
                .filter(|c| !d.also.contains(&c.id)),
        );
        for c in others {
            // Already covered, or the check whose fix the next steps are.
            if covered.contains_key(&c.id) || (!c.steps.is_empty() && c.steps == d.steps) {
                continue;
            }
            if let Some(t) = target
                && c.id != t.id
                && wanting.iter().any(|w| w.id == c.id)
            {
                covered.insert(c.id, Covered::SameUpdate(t.id));
                continue;
            }
            let head = format!("{} ({}){colon} ", c.id, c.status.as_str());
            also.push(match plain(lang, c) {
                Some(p) => joined(head, Rich::words(p)),
                None => joined(head, summary_of(lang, c)),
            });
            covered.entry(c.id).or_insert(Covered::Also);
        }

        let explains = (d.cause.is_some() && !d.symptoms.is_empty()).then(|| {
            d.symptoms
                .iter()
                .map(|&id| {
                    // The words the report was written with; a report from
                    // before they were stored gets this binary's words.
                    let what = d
                        .symptom_text
                        .iter()
                        .find(|s| s.check == id)
                        .map(|s| s.what.clone())
                        .unwrap_or_else(|| {
                            let key = format!("symptom-{id}");
                            if crate::i18n::catalog::has(lang, &key) {
                                ui(lang, &key)
                            } else if lang == Lang::En {
                                crate::diagnosis::symptom_words(
                                    crate::diagnosis::CauseModel::embedded(),
                                    &r.checks,
                                    id,
                                )
                            } else {
                                ui(lang, &format!("check-{id}"))
                            }
                        });
                    format!("{id} ({what})")
                })
                .collect::<Vec<_>>()
                .join(", ")
        });

        let mut checks: Vec<CheckLine> = r
            .checks
            .iter()
            .map(|c| {
                let cov = covered.get(&c.id).cloned();
                let text = match &cov {
                    Some(Covered::FollowsFrom(cause)) => format!(
                        "{}{colon} {}",
                        ui_with(lang, "ui-follows-from", &[("cause", Arg::Check(*cause))]),
                        c.summary
                    ),
                    Some(Covered::SameUpdate(t)) => format!(
                        "{}{colon} {}",
                        ui_with(lang, "ui-same-update", &[("check", Arg::Check(*t))]),
                        c.summary
                    ),
                    _ => c.summary.clone(),
                };
                CheckLine {
                    check: c,
                    text,
                    covered: cov,
                }
            })
            .collect();
        checks.sort_by_key(|l| std::cmp::Reverse(l.check.status));

        let mut files: Vec<String> = Vec::new();
        let mut note = |p: &str| {
            if !files.iter().any(|f| f == p) {
                files.push(p.to_string());
            }
        };
        let cap = if verbose {
            usize::MAX
        } else {
            super::EVIDENCE_SHOWN
        };
        for l in checks.iter().filter(|l| Self::detailed(l, verbose)) {
            for e in l.check.evidence.iter().take(cap) {
                if let Some(p) = &e.path {
                    note(p);
                }
            }
        }
        let skip = r.timeline.len().saturating_sub(timeline_tail);
        for ev in &r.timeline[skip..] {
            note(&ev.path);
        }

        let verdict = Arg::Key(r.verdict.as_str().to_uppercase());
        let recap = match steps.first() {
            Some(step) => ui_with(
                lang,
                "ui-recap",
                &[
                    ("verdict", verdict),
                    ("step", Arg::Text(format!("1. {}", step.plain()))),
                ],
            ),
            None => ui_with(lang, "ui-recap-no-step", &[("verdict", verdict)]),
        };

        View {
            lang,
            about,
            cause,
            cause_detail,
            steps,
            also,
            explains,
            checks,
            files,
            recap,
        }
    }

    /// `#N` for a file named in the files list.
    pub fn file_ref(&self, path: &str) -> String {
        match self.files.iter().position(|f| f == path) {
            Some(i) => format!("#{}", i + 1),
            None => path.to_string(),
        }
    }

    /// An evidence line with its file as `#N:line`.
    pub fn evidence(&self, e: &Evidence) -> String {
        let mut s = String::new();
        if let Some(p) = &e.path {
            s.push_str(&self.file_ref(p));
            if let Some(l) = e.line {
                s.push_str(&format!(":{l}"));
            }
            s.push(' ');
        }
        if let Some(t) = e.timestamp {
            s.push_str(&format!("{} ", t.format("%Y-%m-%d %H:%M:%SZ")));
        }
        s.push_str(&super::explain::annotate(&e.detail));
        s
    }

    /// A timeline event's place as `#N:line`.
    pub fn place(&self, ev: &TimelineEvent) -> String {
        format!("{}:{}", self.file_ref(&ev.path), ev.line)
    }

    /// Whether a check's details are shown: it fails or warns, or `-v`.
    pub fn detailed(line: &CheckLine, verbose: bool) -> bool {
        verbose || matches!(line.check.status, Status::Fail | Status::Warn)
    }

    /// The details shown: for what fails or warns (everything with `-v`),
    /// the evidence kept and the fix line.
    pub fn details(&self, verbose: bool) -> Vec<Detail<'_, 'a>> {
        let cap = if verbose {
            usize::MAX
        } else {
            super::EVIDENCE_SHOWN
        };
        self.checks
            .iter()
            .filter(|l| View::detailed(l, verbose))
            .map(|line| {
                let c = line.check;
                let shown = c.evidence.len().min(cap);
                let fix = match (&line.covered, &c.remediation) {
                    (Some(Covered::Cause), _) => Fix::NextSteps,
                    (None | Some(Covered::Also), Some(fix))
                        if !self.steps.iter().any(|s| s.plain().contains(fix.as_str())) =>
                    {
                        Fix::Own(fix)
                    }
                    _ => Fix::None,
                };
                Detail {
                    line,
                    evidence: &c.evidence[..shown],
                    more: c.evidence.len() - shown,
                    fix,
                }
            })
            .collect()
    }
}

/// The timeline's last `tail` events (none when `tail` is 0).
pub(crate) fn timeline_tail(r: &Report, tail: usize) -> &[TimelineEvent] {
    let skip = r.timeline.len().saturating_sub(tail);
    r.timeline.get(skip..).unwrap_or_default()
}

/// The timeline section of a human report: its title ("the last N of M
/// events") and the events, `None` when none is shown.
pub(crate) fn timeline_section(
    r: &Report,
    lang: Lang,
    tail: usize,
) -> Option<(String, &[TimelineEvent])> {
    let events = timeline_tail(r, tail);
    (!events.is_empty()).then(|| {
        let title = ui_with(
            lang,
            "ui-timeline",
            &[
                ("shown", Arg::Count(events.len() as u64)),
                ("total", Arg::Count(r.timeline.len() as u64)),
            ],
        );
        (title, events)
    })
}

/// The highest build a check's steps name (their typed values).
fn highest_build(c: &CheckResult) -> Option<(u32, u32, u32, u32)> {
    fn builds(a: &Arg, out: &mut Vec<String>) {
        match a {
            Arg::Build(b) => out.push(b.clone()),
            Arg::List(items) => items.iter().for_each(|i| builds(i, out)),
            Arg::Msg(m) => m.args.values().for_each(|i| builds(i, out)),
            _ => {}
        }
    }
    let mut named = Vec::new();
    for s in &c.steps {
        s.args.values().for_each(|a| builds(a, &mut named));
    }
    named
        .iter()
        .flat_map(|fix| fix.split(|ch: char| !(ch.is_ascii_digit() || ch == '.')))
        .filter_map(|t| {
            let t = t.trim_matches('.');
            let p: Vec<u32> = t
                .split('.')
                .map(|x| x.parse().ok())
                .collect::<Option<_>>()?;
            (p.len() == 4).then(|| (p[0], p[1], p[2], p[3]))
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SymptomText;

    fn report() -> Report {
        let mut r = crate::report::nothing_found_report();
        r.diagnosis.cause = Some(CheckId::ImAutoArchiving);
        r.diagnosis.symptoms = vec![CheckId::SpoolerStuck];
        r
    }

    #[test]
    fn symptoms_render_with_the_words_the_report_was_written_with() {
        let mut r = report();
        r.diagnosis.symptom_text = vec![SymptomText {
            check: CheckId::SpoolerStuck,
            what: "words of an older version".into(),
        }];
        let v = View::new(&r, false, 0);
        assert_eq!(
            v.explains.as_deref(),
            Some("spooler-stuck (words of an older version)")
        );
    }

    #[test]
    fn a_report_without_symptom_words_gets_this_versions_words() {
        let r = report();
        assert!(r.diagnosis.symptom_text.is_empty());
        let v = View::new(&r, false, 0);
        assert_eq!(
            v.explains.as_deref(),
            Some("spooler-stuck (messages stuck in the History Spooler)")
        );
    }
}
