//! `spooler-stuck`: messages the client could not process within its
//! two-minute timer stay in the History Spooler ("Enable or Disable Offline Instant Messaging (IM) in Skype for Business Server",
//! Microsoft Learn, "Troubleshooting").

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::{Context, Outcome, judged};
use crate::i18n::{Arg, Msg};
use crate::model::{
    CheckResult, Code, Evidence, EvidenceSource, SpoolerSummary, Status, human_age as age,
};
use crate::sources::scan::spooler::{EntryKind, SpoolerEntry, SpoolerScan};

/// Reason codes of `spooler-stuck`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    EnumMessage,
    EnumString,
    IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
pub enum SpoolerStuckCode {
    #[strum(
        message = "Spooled files older than --stuck-after: messages the client could not deliver"
    )]
    SpoolerStuck,
    #[strum(message = "Only spooled files younger than --stuck-after: messages in flight")]
    SpoolerInFlight,
    #[strum(message = "History Spooler empty")]
    SpoolerEmpty,
    #[strum(message = "No History Spooler folder")]
    SpoolerAbsent,
    #[strum(message = "A History Spooler (or the folder holding it) could not be read")]
    SpoolerUnreadable,
}

/// What else the count leaves out: files dated in the future, entries that
/// are not regular files, places that could not be read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Aside {
    pub skewed: u64,
    pub odd: u64,
    pub unread: u64,
}

impl Aside {
    fn arg(self) -> Arg {
        Arg::Msg(Box::new(
            Msg::new("spooler-aside")
                .with("skewed", Arg::Count(self.skewed))
                .with("odd", Arg::Count(self.odd))
                .with("unread", Arg::Count(self.unread)),
        ))
    }
}

/// What the check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SpoolerOutcome {
    /// `stuck` of `files` older than the threshold (seconds); the spoolers'
    /// folders are where the unsent messages are.
    Stuck {
        stuck: u64,
        files: u64,
        threshold: i64,
        oldest: i64,
        aside: Aside,
        folders: Vec<String>,
    },
    /// A spooler or profile folder could not be read (path, why); `files`
    /// spooled elsewhere, none stuck.
    Unreadable {
        unread: Vec<(String, String)>,
        files: u64,
    },
    InFlight {
        files: u64,
        threshold: i64,
        aside: Aside,
    },
    Absent,
    Empty {
        spoolers: u64,
        aside: Aside,
    },
}

impl Outcome for SpoolerOutcome {
    fn code(&self) -> Code {
        use SpoolerStuckCode as C;
        match self {
            Self::Stuck { .. } => C::SpoolerStuck,
            Self::Unreadable { .. } => C::SpoolerUnreadable,
            Self::InFlight { .. } => C::SpoolerInFlight,
            Self::Absent => C::SpoolerAbsent,
            Self::Empty { .. } => C::SpoolerEmpty,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::Stuck { .. } => Status::Fail,
            Self::Unreadable { .. } => Status::Warn,
            Self::InFlight { .. } => Status::Info,
            Self::Absent | Self::Empty { .. } => Status::Pass,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        match self {
            Self::Stuck {
                stuck,
                files,
                threshold,
                oldest,
                aside,
                ..
            } => {
                a.insert("stuck".into(), Arg::Count(*stuck));
                a.insert("files".into(), Arg::Count(*files));
                a.insert("threshold".into(), Arg::Age(*threshold));
                a.insert("oldest".into(), Arg::Age(*oldest));
                a.insert("aside".into(), aside.arg());
            }
            Self::Unreadable { unread, files } => {
                a.insert("count".into(), Arg::Count(unread.len() as u64));
                a.insert("unread".into(), super::unread_places(unread));
                a.insert("files".into(), Arg::Count(*files));
            }
            Self::InFlight {
                files,
                threshold,
                aside,
            } => {
                a.insert("files".into(), Arg::Count(*files));
                a.insert("threshold".into(), Arg::Age(*threshold));
                a.insert("aside".into(), aside.arg());
            }
            Self::Absent => {}
            Self::Empty { spoolers, aside } => {
                a.insert("spoolers".into(), Arg::Count(*spoolers));
                a.insert("aside".into(), aside.arg());
            }
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::Stuck { folders, .. } => vec![
                Msg::new("step-spooler-fix-cause"),
                Msg::new("step-spooler-keep-files").with(
                    "folders",
                    Arg::List(folders.iter().map(|f| Arg::Path(f.clone())).collect()),
                ),
            ],
            Self::Unreadable { .. } => vec![Msg::new("step-spooler-run-as-user")],
            _ => Vec::new(),
        }
    }
}

/// How one spooled entry stands at `--now`: the scanner records only when it
/// was last written, so a bundle can be judged again at any later moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged {
    /// Seconds between its modification time and `--now`; negative for future dates.
    pub age_seconds: Option<i64>,
    /// A file older than `--stuck-after`.
    pub stuck: bool,
    /// Modified after `--now`: the clocks disagree; never counted as stuck.
    pub clock_skew: bool,
}

pub fn judge(e: &SpoolerEntry, now: DateTime<Utc>, stuck_after: chrono::Duration) -> Judged {
    let Some(m) = e.modified else {
        return Judged {
            age_seconds: None,
            stuck: false,
            clock_skew: false,
        };
    };
    let age = now.signed_duration_since(m);
    let clock_skew = age < chrono::Duration::zero();
    Judged {
        age_seconds: Some(age.num_seconds()),
        stuck: !clock_skew && e.kind == EntryKind::File && age > stuck_after,
        clock_skew,
    }
}

/// The report's per-profile spooler line.
pub fn summarize(
    scan: &SpoolerScan,
    now: DateTime<Utc>,
    stuck_after: chrono::Duration,
) -> SpoolerSummary {
    let judged: Vec<Judged> = scan.files().map(|e| judge(e, now, stuck_after)).collect();
    SpoolerSummary {
        files: judged.len() as u64,
        stuck: judged.iter().filter(|j| j.stuck).count() as u64,
        oldest_age_seconds: judged
            .iter()
            .filter_map(|j| j.age_seconds)
            .filter(|a| *a >= 0)
            .max(),
        stuck_written_at: {
            let mut t: Vec<DateTime<Utc>> = scan
                .files()
                .filter(|e| judge(e, now, stuck_after).stuck)
                .filter_map(|e| e.modified)
                .collect();
            t.sort();
            t
        },
    }
}

/// The modification times of the stuck files of every profile, oldest first.
pub fn stuck_times(ctx: &Context<'_>) -> Vec<DateTime<Utc>> {
    let mut t: Vec<DateTime<Utc>> = ctx
        .facts
        .profiles
        .iter()
        .flat_map(|p| p.spooler.files())
        .filter(|e| judge(e, ctx.settings.now, ctx.settings.stuck_after).stuck)
        .filter_map(|e| e.modified)
        .collect();
    t.sort();
    t
}

fn describe(e: &SpoolerEntry, j: Judged) -> String {
    let mut d = String::new();
    match e.kind {
        EntryKind::File => {
            d.push_str(&format!("{} bytes", e.size.unwrap_or(0)));
            if let Some(t) = e.sniffed {
                d.push_str(&format!(", {}", t.as_str()));
            }
            if let Some(a) = j.age_seconds {
                if j.clock_skew {
                    d.push_str(&format!(", modified {} in the future (clock skew)", age(a)));
                } else {
                    d.push_str(&format!(", {} old", age(a)));
                }
            }
            if j.stuck {
                d.push_str(", stuck");
            }
            if !e.addresses.is_empty() {
                d.push_str(&format!(", recipient {}", e.addresses.join(", ")));
            }
        }
        k => d.push_str(k.as_str()),
    }
    if e.name_not_utf8 {
        d.push_str(", name is not valid UTF-8");
    }
    if let Some(p) = &e.problem {
        d.push_str(&format!(": {p}"));
    }
    d
}

pub fn spooler_stuck(ctx: &Context<'_>) -> CheckResult {
    let (outcome, evidence) = judge_all(ctx);
    judged(&outcome, evidence)
}

fn judge_all(ctx: &Context<'_>) -> (SpoolerOutcome, Vec<Evidence>) {
    let threshold = ctx.settings.stuck_after.num_seconds();
    let mut evidence = Vec::new();
    let (mut files, mut stuck) = (0u64, 0u64);
    let mut aside = Aside::default();
    let mut oldest: Option<i64> = None;
    let mut spoolers = 0;
    for pf in &ctx.facts.profiles {
        let s = &pf.spooler;
        if !s.present {
            continue;
        }
        spoolers += 1;
        if let (Some(p), Some(problem)) = (&s.path, &s.problem) {
            evidence.push(Evidence::at(
                EvidenceSource::Spooler,
                p.clone(),
                None,
                problem.clone(),
            ));
        }
        // Stuck files first: they are what the technician acts on.
        let (now, after) = (ctx.settings.now, ctx.settings.stuck_after);
        let mut entries: Vec<(&SpoolerEntry, Judged)> = s
            .entries
            .iter()
            .map(|e| (e, judge(e, now, after)))
            .collect();
        entries.sort_by_key(|(_, j)| (!j.stuck, std::cmp::Reverse(j.age_seconds)));
        for (e, j) in entries {
            match e.kind {
                EntryKind::File => files += 1,
                EntryKind::Folder => {}
                _ => aside.odd += 1,
            }
            if j.stuck {
                stuck += 1;
                oldest = oldest.max(j.age_seconds);
            }
            if j.clock_skew {
                aside.skewed += 1;
            }
            evidence.push(Evidence::at(
                EvidenceSource::Spooler,
                e.path.clone(),
                None,
                describe(e, j),
            ));
        }
    }
    let folders: Vec<String> = ctx
        .facts
        .profiles
        .iter()
        .filter_map(|p| p.spooler.path.clone())
        .collect();
    use crate::sources::discover::Place;
    let unread = ctx.could_not_read(&[Place::HistorySpooler, Place::Profile, Place::Folder]);
    for (path, why) in &unread {
        if !evidence
            .iter()
            .any(|e| e.path.as_deref() == Some(path.as_str()))
        {
            evidence.push(Evidence::at(
                EvidenceSource::Spooler,
                path.clone(),
                None,
                format!("could not read: {why}"),
            ));
        }
    }
    aside.unread = unread.len() as u64;
    let outcome = if stuck > 0 {
        SpoolerOutcome::Stuck {
            stuck,
            files,
            threshold,
            oldest: oldest.unwrap_or(0),
            aside,
            folders,
        }
    } else if !unread.is_empty() {
        // Never a pass on a folder the tool could not look into.
        SpoolerOutcome::Unreadable { unread, files }
    } else if files > 0 {
        SpoolerOutcome::InFlight {
            files,
            threshold,
            aside,
        }
    } else if spoolers == 0 {
        SpoolerOutcome::Absent
    } else {
        SpoolerOutcome::Empty { spoolers, aside }
    };
    (outcome, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};

    fn all() -> Vec<SpoolerOutcome> {
        let some = Aside {
            skewed: 1,
            odd: 2,
            unread: 1,
        };
        vec![
            SpoolerOutcome::Stuck {
                stuck: 1,
                files: 1,
                threshold: 120,
                oldest: 7200,
                aside: Aside::default(),
                folders: vec!["C:\\Lync\\sip_a@contoso.test\\History Spooler".into()],
            },
            SpoolerOutcome::Stuck {
                stuck: 2,
                files: 5,
                threshold: 120,
                oldest: 200_000,
                aside: some,
                folders: vec![],
            },
            SpoolerOutcome::Unreadable {
                unread: vec![("C:\\x".into(), "Access is denied.".into())],
                files: 0,
            },
            SpoolerOutcome::Unreadable {
                unread: vec![
                    ("C:\\x".into(), "Access is denied.".into()),
                    ("C:\\y".into(), "Access is denied.".into()),
                ],
                files: 3,
            },
            SpoolerOutcome::InFlight {
                files: 1,
                threshold: 120,
                aside: Aside::default(),
            },
            SpoolerOutcome::Absent,
            SpoolerOutcome::Empty {
                spoolers: 2,
                aside: some,
            },
        ]
    }

    #[test]
    fn every_outcome_speaks_both_languages() {
        for o in all() {
            assert_catalogued(&judged(&o, Vec::new()));
        }
    }

    #[test]
    fn stuck_messages_fail_with_their_age_in_the_language_form() {
        let r = judged(&all()[1], Vec::new());
        assert_eq!(r.status, Status::Fail);
        let en = text(Lang::En, r.message.as_ref().unwrap());
        assert_eq!(
            en,
            "2 of 5 spooled files older than 2m, the oldest 2d07h old: offline messages the client could not deliver; 1 dated in the future (clock skew, not counted as stuck); 2 non-regular entries not opened; 1 place could not be read, so more may be stuck."
        );
        let fr = text(Lang::Fr, r.message.as_ref().unwrap());
        assert!(fr.contains("2j07h"), "{fr}");
    }
}
