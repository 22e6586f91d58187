//! The spooler tracker: the files that appear in a History Spooler during
//! the watch, told once their recipients are written, aged, and delivered
//! (gone from the folder) or stuck (still there after `--stuck-after`).
//! Every time comes from the watch's clock, passed in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::events::WatchEvent;
use crate::fsutil::{display_path, read_head, system_time_utc};
use crate::model::{WatchMessage, WatchOutcome};
use crate::sources::discover::Discovery;
use crate::sources::scan::spooler::sniff;

/// Spooler subfolders are listed this deep (as the spooler scanner does).
const SPOOLER_DEPTH: usize = 4;

/// One spooled file seen during the watch.
struct Message {
    profile: String,
    file: String,
    first_seen: DateTime<Utc>,
    gone_at: Option<DateTime<Utc>>,
    recipients: Vec<String>,
    stuck_told: bool,
    /// Told to the sink (once its recipients are known, or after a second).
    announced: bool,
}

impl Message {
    fn age(&self, now: DateTime<Utc>) -> i64 {
        (now - self.first_seen).num_seconds().max(0)
    }

    fn spooled(&self) -> WatchEvent {
        WatchEvent::Spooled {
            profile: self.profile.clone(),
            file: self.file.clone(),
            recipients: self.recipients.clone(),
        }
    }
}

/// The History Spoolers followed and the messages seen in them.
pub(super) struct SpoolerTracker {
    started_at: DateTime<Utc>,
    stuck_after: chrono::Duration,
    /// Spooler folder -> profile.
    spoolers: BTreeMap<PathBuf, String>,
    /// Files spooled before the watch (full paths).
    already: BTreeSet<PathBuf>,
    messages: BTreeMap<PathBuf, Message>,
}

impl SpoolerTracker {
    /// Spooler folders and their profiles; what they hold now is not
    /// part of the test.
    pub(super) fn new(
        spoolers: impl IntoIterator<Item = (PathBuf, String)>,
        started_at: DateTime<Utc>,
        stuck_after: chrono::Duration,
    ) -> Self {
        let mut t = SpoolerTracker {
            started_at,
            stuck_after,
            spoolers: BTreeMap::new(),
            already: BTreeSet::new(),
            messages: BTreeMap::new(),
        };
        for (spooler, profile) in spoolers {
            t.already.extend(list_files(&spooler));
            t.spoolers.insert(spooler, profile);
        }
        t
    }

    /// The spooler folders followed, as shown.
    pub(super) fn folders(&self) -> Vec<String> {
        self.spoolers.keys().map(|p| display_path(p)).collect()
    }

    /// How many files were spooled before the watch.
    pub(super) fn already_spooled(&self) -> usize {
        self.already.len()
    }

    /// Spooler folders created during the watch (and their profiles).
    pub(super) fn add_new(&mut self, found: Discovery, sink: &mut dyn FnMut(WatchEvent)) {
        for p in found.profiles {
            if let Some(sp) = p.spooler
                && !self.spoolers.contains_key(&sp)
            {
                sink(WatchEvent::SpoolerAppeared {
                    profile: p.sip_address.clone(),
                    path: display_path(&sp),
                });
                self.spoolers.insert(sp, p.sip_address);
            }
        }
    }

    /// Look at every spooler: new messages, and messages that left (delivered).
    pub(super) fn look(&mut self, now: DateTime<Utc>, sink: &mut dyn FnMut(WatchEvent)) {
        let mut present = BTreeSet::new();
        for (dir, profile) in &self.spoolers {
            for path in list_files(dir) {
                present.insert(path.clone());
                if self.already.contains(&path) {
                    continue;
                }
                if let Some(m) = self.messages.get_mut(&path) {
                    if m.gone_at.is_some() {
                        // Written again under the same name.
                        m.gone_at = None;
                    }
                    // Still being written: look for its recipients until it is told.
                    if m.recipients.is_empty() && !m.announced {
                        m.recipients = recipients(&path);
                    }
                    continue;
                }
                let file = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                // The client's own write time, when it lies within the watch.
                let written = std::fs::symlink_metadata(&path)
                    .ok()
                    .and_then(|m| m.modified().ok())
                    .and_then(system_time_utc)
                    .filter(|t| *t >= self.started_at && *t <= now);
                let m = Message {
                    profile: profile.clone(),
                    file,
                    first_seen: written.unwrap_or(now),
                    gone_at: None,
                    recipients: recipients(&path),
                    stuck_told: false,
                    announced: false,
                };
                self.messages.insert(path, m);
            }
        }
        self.announce(now, sink);
        for (path, m) in &mut self.messages {
            if m.gone_at.is_none() && !present.contains(path) {
                if !m.announced {
                    m.announced = true;
                    sink(m.spooled());
                }
                m.gone_at = Some(now);
                sink(WatchEvent::Delivered {
                    profile: m.profile.clone(),
                    file: m.file.clone(),
                    after: m.age(now),
                });
            }
        }
    }

    /// A new message is told once the client has written its recipients
    /// (or a second after it appeared, or when it is gone).
    fn announce(&mut self, now: DateTime<Utc>, sink: &mut dyn FnMut(WatchEvent)) {
        for m in self.messages.values_mut().filter(|m| !m.announced) {
            if !m.recipients.is_empty() || now - m.first_seen >= chrono::Duration::seconds(1) {
                m.announced = true;
                sink(m.spooled());
            }
        }
    }

    /// Once a second: ages, and messages that just became stuck.
    pub(super) fn tick(&mut self, now: DateTime<Utc>, sink: &mut dyn FnMut(WatchEvent)) {
        self.announce(now, sink);
        let limit = self.stuck_after.num_seconds();
        let mut ages = Vec::new();
        for m in self.messages.values_mut() {
            if m.gone_at.is_some() {
                continue;
            }
            let age = m.age(now);
            if age >= limit {
                if !m.stuck_told {
                    m.stuck_told = true;
                    sink(WatchEvent::Stuck {
                        profile: m.profile.clone(),
                        file: m.file.clone(),
                        age,
                    });
                }
            } else {
                ages.push((m.file.clone(), age));
            }
        }
        if !ages.is_empty() {
            sink(WatchEvent::Waiting {
                ages,
                stuck_after: limit,
            });
        }
    }

    /// Every message seen left the spooler or is stuck.
    pub(super) fn settled(&self, now: DateTime<Utc>) -> bool {
        !self.messages.is_empty()
            && self
                .messages
                .values()
                .all(|m| m.gone_at.is_some() || now - m.first_seen >= self.stuck_after)
    }

    /// What became of each message when the watch ended, oldest first.
    pub(super) fn outcomes(self, ended_at: DateTime<Utc>) -> Vec<WatchMessage> {
        let stuck_after = self.stuck_after;
        let mut messages: Vec<WatchMessage> = self
            .messages
            .into_iter()
            .map(|(path, mut m)| {
                if m.recipients.is_empty() && m.gone_at.is_none() {
                    m.recipients = recipients(&path);
                }
                let outcome = if m.gone_at.is_some() {
                    WatchOutcome::Delivered
                } else if ended_at - m.first_seen >= stuck_after {
                    WatchOutcome::Stuck
                } else {
                    WatchOutcome::Pending
                };
                WatchMessage {
                    profile: m.profile,
                    file: m.file,
                    first_seen: m.first_seen,
                    gone_at: m.gone_at,
                    outcome,
                    recipients: m.recipients,
                }
            })
            .collect();
        messages.sort_by(|a, b| {
            (a.first_seen, &a.profile, &a.file).cmp(&(b.first_seen, &b.profile, &b.file))
        });
        messages
    }
}

fn recipients(path: &Path) -> Vec<String> {
    read_head(path, 64 * 1024)
        .map(|head| sniff(&head).1)
        .unwrap_or_default()
}

/// Regular files in a spooler folder (links never followed).
fn list_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(SPOOLER_DEPTH)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        // Well after any file's modification time here, so the tracker
        // takes the time it first saw a file from the clock.
        Utc.with_ymd_and_hms(2099, 1, 1, 9, 0, 0).unwrap() + chrono::Duration::seconds(secs)
    }

    fn names(events: &[WatchEvent]) -> Vec<String> {
        events.iter().map(WatchEvent::line).collect()
    }

    #[test]
    fn a_message_is_aged_and_judged_by_the_clock_passed_in() {
        let dir = tempfile::tempdir().unwrap();
        let spooler = dir.path().join("History Spooler");
        std::fs::create_dir(&spooler).unwrap();
        std::fs::write(spooler.join("before.hist"), b"x").unwrap();
        let mut t = SpoolerTracker::new(
            [(spooler.clone(), "sip:a@contoso.test".to_string())],
            at(0),
            chrono::Duration::seconds(120),
        );
        assert_eq!(t.already_spooled(), 1);
        let mut events = Vec::new();
        let mut sink = |e: WatchEvent| events.push(e);
        std::fs::write(spooler.join("m1.hist"), b"no recipients yet").unwrap();
        t.look(at(10), &mut sink);
        // Told a second after it appeared (no recipients written).
        t.tick(at(11), &mut sink);
        t.tick(at(70), &mut sink);
        assert!(!t.settled(at(70)));
        t.tick(at(130), &mut sink);
        assert!(t.settled(at(130)));
        assert_eq!(
            names(&events),
            [
                "Spooled: m1.hist (sip:a@contoso.test) to (recipient not shown in the file)",
                "Waiting: m1.hist 1s of 2m",
                "Waiting: m1.hist 60s of 2m",
                "Stuck: m1.hist (sip:a@contoso.test) is still spooled after 2m",
            ]
        );
        let out = t.outcomes(at(130));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].first_seen, at(10));
        assert_eq!(out[0].outcome, WatchOutcome::Stuck);
    }

    #[test]
    fn a_message_that_leaves_is_delivered_after_its_age() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = SpoolerTracker::new(
            [(dir.path().to_path_buf(), "sip:a@contoso.test".to_string())],
            at(0),
            chrono::Duration::seconds(120),
        );
        let mut events = Vec::new();
        let mut sink = |e: WatchEvent| events.push(e);
        std::fs::write(dir.path().join("m1.hist"), b"x").unwrap();
        t.look(at(5), &mut sink);
        assert!(!t.settled(at(5)));
        std::fs::remove_file(dir.path().join("m1.hist")).unwrap();
        t.look(at(5), &mut sink);
        assert!(t.settled(at(5)));
        assert_eq!(
            names(&events),
            [
                "Spooled: m1.hist (sip:a@contoso.test) to (recipient not shown in the file)"
                    .to_string(),
                format!(
                    "Delivered: m1.hist (sip:a@contoso.test) left the spooler after 0s. {}",
                    crate::checks::recipients::delivered_where()
                ),
            ]
        );
        assert_eq!(t.outcomes(at(6))[0].outcome, WatchOutcome::Delivered);
    }
}
