//! `spooler-stuck`: messages the client could not process within its
//! two-minute timer stay in the History Spooler (seed doc).

use super::{Context, result};
use crate::model::{CheckId, CheckResult, Code, Evidence, Status, human_age as age};
use crate::scan::spooler::{EntryKind, SpoolerEntry};

fn describe(e: &SpoolerEntry) -> String {
    let mut d = String::new();
    match e.kind {
        EntryKind::File => {
            d.push_str(&format!("{} bytes", e.size.unwrap_or(0)));
            if let Some(t) = e.sniffed {
                d.push_str(&format!(", {}", t.as_str()));
            }
            if let Some(a) = e.age_seconds {
                if e.clock_skew {
                    d.push_str(&format!(", modified {} in the future (clock skew)", age(a)));
                } else {
                    d.push_str(&format!(", {} old", age(a)));
                }
            }
            if e.stuck {
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
    let id = CheckId::SpoolerStuck;
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
            evidence.push(Evidence::at(p.clone(), None, problem.clone()));
        }
        // Stuck files first: they are what the technician acts on.
        let mut entries: Vec<&SpoolerEntry> = s.entries.iter().collect();
        entries.sort_by_key(|e| (!e.stuck, std::cmp::Reverse(e.age_seconds)));
        for e in entries {
            match e.kind {
                EntryKind::File => files += 1,
                EntryKind::Folder => {}
                _ => odd += 1,
            }
            if e.stuck {
                stuck += 1;
                oldest = oldest.max(e.age_seconds);
            }
            if e.clock_skew {
                skewed += 1;
            }
            evidence.push(Evidence::at(e.path.clone(), None, describe(e)));
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
    if stuck > 0 {
        return result(
            id,
            Status::Fail,
            Code::SpoolerStuck,
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
    if files > 0 {
        return result(
            id,
            Status::Info,
            Code::SpoolerInFlight,
            format!(
                "{files} spooled file(s), none older than {threshold}: messages in flight{extras}"
            ),
            evidence,
            None,
        );
    }
    let (code, summary) = if spoolers == 0 {
        (
            Code::SpoolerAbsent,
            "No History Spooler folder: nothing is waiting to be sent".to_string(),
        )
    } else {
        (
            Code::SpoolerEmpty,
            format!("History Spooler empty in {spoolers} profile(s){extras}"),
        )
    };
    result(id, Status::Pass, code, summary, evidence, None)
}
