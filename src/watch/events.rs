//! What a watch tells a person: the events handed to the sink and their
//! wording on a terminal (one line, or two for the start).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::WatchMode;
use crate::model::{TimelineKind, WatchEnd, human_age};
use crate::sources::scan::logs::LogFacts;

/// How many live log events one look reports at most.
const LIVE_EVENTS: usize = 20;

/// What happened, for a person watching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    Started {
        spoolers: Vec<String>,
        logs: Vec<String>,
        already_spooled: usize,
        mode: WatchMode,
        duration: Duration,
        stuck_after: chrono::Duration,
    },
    /// Notifications could not be set up (or failed): polling from now on.
    Polling {
        reason: String,
    },
    SpoolerAppeared {
        profile: String,
        path: String,
    },
    Spooled {
        profile: String,
        file: String,
        recipients: Vec<String>,
    },
    /// Once a second while messages wait: each one's file and age in seconds.
    Waiting {
        ages: Vec<(String, i64)>,
        stuck_after: i64,
    },
    Delivered {
        profile: String,
        file: String,
        after: i64,
    },
    Stuck {
        profile: String,
        file: String,
        age: i64,
    },
    LogRotated {
        from: String,
        to: String,
    },
    /// An offline-message, EWS or SIP entry in the log, judged by the rules.
    LogEntry {
        at: Option<DateTime<Utc>>,
        kind: String,
        detail: String,
        failed: bool,
    },
    Ended {
        by: WatchEnd,
    },
}

impl WatchEvent {
    /// One line for a terminal (without the time of day).
    pub fn line(&self) -> String {
        match self {
            WatchEvent::Started {
                spoolers,
                logs,
                already_spooled,
                mode,
                duration,
                stuck_after,
            } => {
                let mut s = format!(
                    "Watching {} History Spooler folder(s) and {} client log(s) ({mode}) for up to {}; a message still spooled after {} is stuck.",
                    spoolers.len(),
                    logs.len(),
                    human_age(duration.as_secs() as i64),
                    human_age(stuck_after.num_seconds()),
                );
                if *already_spooled > 0 {
                    s.push_str(&format!(
                        " {already_spooled} file(s) were already spooled: not part of this test."
                    ));
                }
                s.push_str(
                    "\nNow send an IM to a colleague who is signed out (or ask the user to). Ctrl-C ends the watch and prints the report.",
                );
                s
            }
            WatchEvent::Polling { reason } => {
                format!("No file-system notifications ({reason}): checking once a second.")
            }
            WatchEvent::SpoolerAppeared { profile, path } => {
                format!("New History Spooler for {profile}: {path}")
            }
            WatchEvent::Spooled {
                profile,
                file,
                recipients,
            } => format!(
                "Spooled: {file} ({profile}) to {}",
                if recipients.is_empty() {
                    "(recipient not shown in the file)".to_string()
                } else {
                    recipients.join(", ")
                }
            ),
            WatchEvent::Waiting { ages, stuck_after } => {
                let list: Vec<String> = ages
                    .iter()
                    .map(|(f, a)| format!("{f} {} of {}", human_age(*a), human_age(*stuck_after)))
                    .collect();
                format!("Waiting: {}", list.join(", "))
            }
            WatchEvent::Delivered {
                profile,
                file,
                after,
            } => format!(
                "Delivered: {file} ({profile}) left the spooler after {}. {}",
                human_age(*after),
                crate::checks::recipients::delivered_where()
            ),
            WatchEvent::Stuck { profile, file, age } => format!(
                "Stuck: {file} ({profile}) is still spooled after {}",
                human_age(*age)
            ),
            WatchEvent::LogRotated { from, to } => {
                format!("The client log rotated: {from} -> {to}; following the new one")
            }
            WatchEvent::LogEntry {
                at,
                kind,
                detail,
                failed,
            } => format!(
                "Log{}: {}{kind}: {detail}",
                if *failed { " (failure)" } else { "" },
                at.map(|t| format!("[{}] ", t.format("%H:%M:%SZ")))
                    .unwrap_or_default()
            ),
            WatchEvent::Ended { by } => match by {
                WatchEnd::Settled => "Every message was delivered or is stuck; ending.".into(),
                WatchEnd::Duration => "The watch time is up; ending.".into(),
                WatchEnd::Interrupted => "Interrupted; ending.".into(),
            },
        }
    }

    /// A line that replaces the previous one of its kind (a status line).
    pub fn is_status(&self) -> bool {
        matches!(self, WatchEvent::Waiting { .. })
    }
}

/// The offline-message, EWS and SIP entries of freshly read log text, as
/// the rules judged them (failures from the timeline, answers that did not
/// fail from the endpoints), oldest first, at most [`LIVE_EVENTS`].
pub(super) fn log_entries(facts: &LogFacts) -> Vec<WatchEvent> {
    let mut events: Vec<WatchEvent> = facts
        .timeline
        .iter()
        .map(|e| WatchEvent::LogEntry {
            at: e.timestamp,
            kind: e.kind.to_string(),
            detail: e.detail.clone(),
            failed: matches!(
                e.kind,
                TimelineKind::EwsFailure | TimelineKind::OfflineImFailure | TimelineKind::SipError
            ),
        })
        .collect();
    for ep in facts.http_endpoints.iter().filter(|e| !e.failing()) {
        events.push(WatchEvent::LogEntry {
            at: ep.latest.timestamp,
            kind: ep.kind.to_string(),
            detail: format!(
                "{} answered {}",
                ep.url.as_deref().unwrap_or("(no URL)"),
                ep.latest.value
            ),
            failed: false,
        });
    }
    events.sort_by_key(|e| match e {
        WatchEvent::LogEntry { at, .. } => *at,
        _ => None,
    });
    events.truncate(LIVE_EVENTS);
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_reads_as_one_line_or_two() {
        let e = WatchEvent::Waiting {
            ages: vec![("m1.xml".into(), 5)],
            stuck_after: 120,
        };
        assert_eq!(e.line(), "Waiting: m1.xml 5s of 2m");
        assert!(e.is_status());
    }

    #[test]
    fn the_start_names_the_mode_as_the_report_does() {
        let e = WatchEvent::Started {
            spoolers: vec!["a".into()],
            logs: Vec::new(),
            already_spooled: 0,
            mode: WatchMode::Polling,
            duration: Duration::from_secs(300),
            stuck_after: chrono::Duration::seconds(120),
        };
        assert!(e.line().starts_with(
            "Watching 1 History Spooler folder(s) and 0 client log(s) (polling) for up to 5m;"
        ));
        assert!(!e.is_status());
    }
}
