//! `spooler-stuck`: messages the client could not process within its
//! two-minute timer stay in the History Spooler ("Enable or Disable Offline Instant Messaging (IM) in Skype for Business Server",
//! Microsoft Learn, "Troubleshooting").

use crate::codes::SpoolerStuckCode;
use chrono::{DateTime, Utc};

use super::{Context, result};
use crate::model::{
    CheckResult, Code, Evidence, EvidenceSource, SpoolerSummary, Status, human_age as age,
};
use crate::sources::scan::spooler::{EntryKind, SpoolerEntry, SpoolerScan};

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
    let threshold = age(ctx.settings.stuck_after.num_seconds());
    let mut evidence = Vec::new();
    let (mut files, mut stuck, mut skewed, mut odd) = (0u64, 0u64, 0u64, 0u64);
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
                _ => odd += 1,
            }
            if j.stuck {
                stuck += 1;
                oldest = oldest.max(j.age_seconds);
            }
            if j.clock_skew {
                skewed += 1;
            }
            evidence.push(Evidence::at(
                EvidenceSource::Spooler,
                e.path.clone(),
                None,
                describe(e, j),
            ));
        }
    }
    let profile_paths: Vec<String> = ctx
        .facts
        .profiles
        .iter()
        .filter_map(|p| p.spooler.path.clone())
        .collect();
    let extras = {
        let mut x = Vec::new();
        if skewed > 0 {
            x.push(format!(
                "{skewed} dated in the future (clock skew, not counted as stuck)"
            ));
        }
        if odd > 0 {
            x.push(format!("{odd} non-regular entries not opened"));
        }
        if x.is_empty() {
            String::new()
        } else {
            format!("; {}", x.join("; "))
        }
    };
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
    let extras = if unread.is_empty() {
        extras
    } else {
        format!(
            "{extras}; {} place(s) could not be read, so more may be stuck",
            unread.len()
        )
    };
    if stuck > 0 {
        return result(
            Status::Fail,
            Code::SpoolerStuck(SpoolerStuckCode::SpoolerStuck),
            format!(
                "{stuck} of {files} spooled file(s) older than {threshold}, the oldest {} old: offline messages the client could not deliver{extras}",
                age(oldest.unwrap_or(0))
            ),
            evidence,
            Some(format!(
                "Fix the cause the other failing checks name (EWS access, auto-archiving policy, build), then restart Skype for Business so it retries the spooler. The files in {} are unsent messages: copy them elsewhere before removing any.",
                profile_paths.join(", ")
            )),
        );
    }
    if !unread.is_empty() {
        // Never a pass on a folder the tool could not look into.
        return result(Status::Warn,
            Code::SpoolerStuck(SpoolerStuckCode::SpoolerUnreadable),
            format!(
                "Could not read {}: {}{}",
                if unread.len() == 1 { "a History Spooler".to_string() } else { format!("{} History Spoolers or profile folders", unread.len()) },
                unread
                    .iter()
                    .map(|(p, why)| format!("{p} ({why})"))
                    .collect::<Vec<_>>()
                    .join(", "),
                if files > 0 { format!("; {files} spooled file(s) elsewhere, none stuck") } else { String::new() }
            ),
            evidence,
            Some("Run the tool as the user who signs in to Skype for Business (the History Spooler belongs to that user), or give a copy made with that user's rights".into()),
        );
    }
    if files > 0 {
        return result(
            Status::Info,
            Code::SpoolerStuck(SpoolerStuckCode::SpoolerInFlight),
            format!(
                "{files} spooled file(s), none older than {threshold}: messages in flight{extras}"
            ),
            evidence,
            None,
        );
    }
    let (code, summary) = if spoolers == 0 {
        (
            Code::SpoolerStuck(SpoolerStuckCode::SpoolerAbsent),
            "No History Spooler folder: nothing is waiting to be sent".to_string(),
        )
    } else {
        (
            Code::SpoolerStuck(SpoolerStuckCode::SpoolerEmpty),
            format!("History Spooler empty in {spoolers} profile(s){extras}"),
        )
    };
    result(Status::Pass, code, summary, evidence, None)
}
