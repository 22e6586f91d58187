//! `watch`: follow a test message live. Every History Spooler under the
//! inspected root and the newest UccApilog of each Tracing folder are
//! watched with file-system notifications (ReadDirectoryChangesW on Windows,
//! inotify on Linux, through the `notify` crate), or polled once a second
//! where notifications are not available. Files are opened for shared
//! reading only, read and closed again at once, so the client can always
//! write, rename and delete them; nothing is ever written.
//!
//! The library never prints: what happens is handed to a sink as
//! [`WatchEvent`]s (the binary shows them on a terminal). The log text
//! written during the watch is kept ([`Watched::scan`]) and judged by the
//! same rules and checks as any log, so the report says what the test
//! message did and nothing older.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::fsutil::{display_path, open_shared, read_head, system_time_utc};
use crate::model::{WatchEnd, WatchInfo, WatchMessage, WatchOutcome, human_age};
use crate::sources::discover::{self, DiscoverError, Inspection};
use crate::sources::scan::logs::{
    LogFacts, LogScanOptions, LogScanner, TextEncoding, scan_log_bytes, scan_tracing_dirs,
    sniff as logs_sniff,
};
use crate::sources::scan::spooler::sniff;

/// `--for` when not given.
pub const DEFAULT_DURATION: Duration = Duration::from_secs(5 * 60);
/// After the last message settled, this long for the log to catch up.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(3);
/// How often files are looked at without notifications.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// With notifications, a full look anyway this often: some network shares
/// and Wine's ReadDirectoryChangesW miss changes in subfolders, and a
/// spooled message can leave within seconds.
pub const RESCAN_INTERVAL: Duration = Duration::from_secs(1);
/// Log text kept per Tracing folder; a watch of minutes writes far less.
pub const MAX_WINDOW_BYTES: usize = 64 << 20;
/// Bytes of a log's start that tell one generation from the next.
const HEAD_BYTES: usize = 256;
/// Bytes read from a log per look (the rest at the next look).
const READ_BYTES: u64 = 16 << 20;
/// Spooler subfolders are listed this deep (as the spooler scanner does).
const SPOOLER_DEPTH: usize = 4;
/// How many live log events one look reports at most.
const LIVE_EVENTS: usize = 20;

#[derive(Clone)]
pub struct WatchOptions {
    pub user: Option<String>,
    /// `--for`: the watch ends after this long at the latest.
    pub duration: Duration,
    pub stuck_after: chrono::Duration,
    pub grace: Duration,
    /// Poll instead of asking for notifications (`--poll`).
    pub poll: bool,
    pub poll_interval: Duration,
    pub rescan_interval: Duration,
    /// Rules and time zone the live log entries are judged with.
    pub log: LogScanOptions,
    /// A live run (the default root): no profile means the wrong account.
    pub live: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            user: None,
            duration: DEFAULT_DURATION,
            stuck_after: chrono::Duration::seconds(crate::inspect::DEFAULT_STUCK_AFTER_SECONDS),
            grace: DEFAULT_GRACE,
            poll: false,
            poll_interval: POLL_INTERVAL,
            rescan_interval: RESCAN_INTERVAL,
            log: LogScanOptions::default(),
            live: false,
        }
    }
}

/// What happened, for a person watching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    Started {
        spoolers: Vec<String>,
        logs: Vec<String>,
        already_spooled: usize,
        mode: &'static str,
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

/// Log text written during the watch, from one file generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowSegment {
    /// The file the text was written to (its name at the time).
    pub path: String,
    /// Where in that file the text starts.
    pub start: u64,
    /// The text, UTF-8 (a UTF-16 log is decoded).
    pub text: Vec<u8>,
}

impl WindowSegment {
    /// How evidence names it: line numbers count from `start`.
    pub fn display(&self) -> String {
        format!("{} (from byte {})", self.path, self.start)
    }
}

/// What a watch saw.
#[derive(Debug, Clone)]
pub struct Watched {
    /// `log_entries` is filled in by [`Watched::attach`].
    pub info: WatchInfo,
    /// The log text written during the watch, oldest first per Tracing folder.
    pub window: Vec<WindowSegment>,
    /// What the logs said before the watch started: the client's build,
    /// its EWS URL (so the mailbox) and the archiving policy are known
    /// even when the test message writes none of them.
    pub before: LogFacts,
}

impl Watched {
    /// Judge the window's log text as a log scan would: delivery (EWS
    /// answers, offline-message and SIP failures, the timeline) only from
    /// the window; who the client is, where its mailbox is and its
    /// archiving policy from the window, else from before the watch.
    pub fn scan(&self, opts: &LogScanOptions) -> LogFacts {
        let mut scanner = LogScanner::new(opts);
        for seg in &self.window {
            scanner.scan_reader(
                &seg.display(),
                &seg.text[..],
                Some(seg.text.len() as u64),
                None,
            );
        }
        let mut facts = scanner.finish();
        let b = &self.before;
        if facts.newest_build.is_none() {
            facts.newest_build = b.newest_build.clone();
        }
        if facts.policy_auto_archiving.is_none() {
            facts.policy_auto_archiving = b.policy_auto_archiving.clone();
        }
        if facts.user_auto_archiving.is_none() {
            facts.user_auto_archiving = b.user_auto_archiving.clone();
        }
        if facts.ews_urls.is_empty() {
            facts.ews_urls = b.ews_urls.clone();
        }
        if facts.utc_offset.is_none() {
            facts.utc_offset = b.utc_offset.clone();
        }
        facts
    }

    /// A message stayed in a spooler past `--stuck-after`.
    pub fn any_stuck(&self) -> bool {
        self.info
            .messages
            .iter()
            .any(|m| m.outcome == WatchOutcome::Stuck)
    }

    /// The report's `watch` key, with the entries the window held.
    pub fn attach(&self, report: &mut crate::model::Report) {
        let mut info = self.info.clone();
        info.log_entries = report.logs.entries;
        report.watch = Some(info);
    }
}

/// Why a watch cannot start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(
        "{0}: watch follows a live folder, not a zip (an evidence bundle or a copied folder: judge it with `check --root`); pass --root a folder (or nothing, on the user's machine)"
    )]
    Bundle(String),
}

/// Watch until every message seen settled (plus the grace), `duration`
/// elapsed, or `stop` turned true (Ctrl-C).
pub fn watch(
    root: &Path,
    opts: &WatchOptions,
    stop: &AtomicBool,
    sink: &mut dyn FnMut(WatchEvent),
) -> Result<Watched, WatchError> {
    if crate::bundle::is_bundle_path(root) {
        return Err(WatchError::Bundle(root.display().to_string()));
    }
    let inspection = discover::discover(root, opts.user.as_deref())
        .map_err(|e| if opts.live { e.on_live_run() } else { e })?;
    // What is already there, read before the watch starts.
    let before = scan_tracing_dirs(&inspection.tracing_dirs(), &opts.log);
    let started = Instant::now();
    let started_at = Utc::now();
    let mut state = State::new(root, opts, &inspection, started_at);

    let (tx, rx) = mpsc::channel::<Wake>();
    let mut mode = "notifications";
    let mut _watcher = None;
    if opts.poll {
        mode = "polling";
    } else {
        match notifications(&watch_roots(&inspection), tx.clone()) {
            Ok(w) => _watcher = Some(w),
            Err(reason) => {
                mode = "polling";
                sink(WatchEvent::Polling { reason });
            }
        }
    }
    sink(WatchEvent::Started {
        spoolers: state.spoolers.keys().map(|p| display_path(p)).collect(),
        logs: state.followers.iter().map(|f| f.describe()).collect(),
        already_spooled: state.already.len(),
        mode,
        duration: opts.duration,
        stuck_after: opts.stuck_after,
    });

    let deadline = started + opts.duration;
    let min_gap = Duration::from_millis(200);
    let mut last_scan = Instant::now();
    let mut last_tick = Instant::now();
    let mut dirty = false;
    let mut settled_since: Option<Instant> = None;
    let ended_by = loop {
        if stop.load(Ordering::Relaxed) {
            break WatchEnd::Interrupted;
        }
        let now = Instant::now();
        if now >= deadline {
            break WatchEnd::Duration;
        }
        let mut wait = Duration::from_millis(250).min(deadline - now);
        if dirty {
            wait = wait.min(min_gap.saturating_sub(last_scan.elapsed()));
        }
        match rx.recv_timeout(wait) {
            Ok(Wake::Change) => dirty = true,
            Ok(Wake::Failed(reason)) => {
                if mode != "polling" {
                    mode = "polling";
                    _watcher = None;
                    sink(WatchEvent::Polling { reason });
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {}
        }
        while let Ok(w) = rx.try_recv() {
            if let Wake::Change = w {
                dirty = true;
            }
        }
        let since = last_scan.elapsed();
        let interval = if mode == "polling" {
            opts.poll_interval
        } else {
            opts.rescan_interval
        };
        if (dirty && since >= min_gap) || since >= interval {
            state.rescan(sink);
            last_scan = Instant::now();
            dirty = false;
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            state.tick(sink);
        }
        if state.settled() {
            let since = *settled_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= opts.grace {
                break WatchEnd::Settled;
            }
        } else {
            settled_since = None;
        }
    };
    // The last lines the client wrote.
    state.rescan(sink);
    sink(WatchEvent::Ended { by: ended_by });
    let ended_at = Utc::now();
    let mut watched = state.finish(started_at, ended_at, ended_by, mode);
    watched.before = before;
    Ok(watched)
}

enum Wake {
    Change,
    Failed(String),
}

/// Where notifications are asked for: each Lync folder (profiles, their
/// spoolers and the Tracing folder are inside), else each profile folder.
fn watch_roots(inspection: &Inspection) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = inspection
        .lync_folders
        .iter()
        .map(|l| l.path.clone())
        .collect();
    for p in &inspection.profiles {
        if !roots.iter().any(|r| p.path.starts_with(r)) {
            roots.push(p.path.clone());
        }
    }
    roots.sort();
    roots.dedup();
    roots
}

fn notifications(
    roots: &[PathBuf],
    tx: mpsc::Sender<Wake>,
) -> Result<notify::RecommendedWatcher, String> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let wake = match res {
            // Opening and reading (ours included) is no change.
            Ok(ev) if matches!(ev.kind, EventKind::Access(_)) => return,
            Ok(_) => Wake::Change,
            Err(e) => Wake::Failed(e.to_string()),
        };
        let _ = tx.send(wake);
    })
    .map_err(|e| e.to_string())?;
    for r in roots {
        watcher
            .watch(r, RecursiveMode::Recursive)
            .map_err(|e| format!("{}: {e}", r.display()))?;
    }
    Ok(watcher)
}

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
}

struct State<'a> {
    root: &'a Path,
    opts: &'a WatchOptions,
    started_at: DateTime<Utc>,
    /// Spooler folder -> profile.
    spoolers: BTreeMap<PathBuf, String>,
    /// Files spooled before the watch (full paths).
    already: BTreeSet<PathBuf>,
    messages: BTreeMap<PathBuf, Message>,
    followers: Vec<Follower>,
}

impl<'a> State<'a> {
    fn new(
        root: &'a Path,
        opts: &'a WatchOptions,
        inspection: &Inspection,
        started_at: DateTime<Utc>,
    ) -> Self {
        let mut s = State {
            root,
            opts,
            started_at,
            spoolers: BTreeMap::new(),
            already: BTreeSet::new(),
            messages: BTreeMap::new(),
            followers: inspection
                .tracing_dirs()
                .into_iter()
                .map(Follower::start)
                .collect(),
        };
        for p in &inspection.profiles {
            if let Some(sp) = &p.spooler {
                s.spoolers.insert(sp.clone(), p.sip_address.clone());
                s.already.extend(list_files(sp));
            }
        }
        s
    }

    fn rescan(&mut self, sink: &mut dyn FnMut(WatchEvent)) {
        let now = Utc::now();
        // Spooler folders created during the watch (and their profiles).
        if let Ok(found) = discover::discover(self.root, self.opts.user.as_deref()) {
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
                    file: file.clone(),
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
                    sink(WatchEvent::Spooled {
                        profile: m.profile.clone(),
                        file: m.file.clone(),
                        recipients: m.recipients.clone(),
                    });
                }
                m.gone_at = Some(now);
                sink(WatchEvent::Delivered {
                    profile: m.profile.clone(),
                    file: m.file.clone(),
                    after: m.age(now),
                });
            }
        }
        for f in &mut self.followers {
            f.poll(sink, &self.opts.log);
        }
    }

    /// A new message is told once the client has written its recipients
    /// (or a second after it appeared, or when it is gone).
    fn announce(&mut self, now: DateTime<Utc>, sink: &mut dyn FnMut(WatchEvent)) {
        for m in self.messages.values_mut().filter(|m| !m.announced) {
            if !m.recipients.is_empty() || now - m.first_seen >= chrono::Duration::seconds(1) {
                m.announced = true;
                sink(WatchEvent::Spooled {
                    profile: m.profile.clone(),
                    file: m.file.clone(),
                    recipients: m.recipients.clone(),
                });
            }
        }
    }

    /// Once a second: ages, and messages that just became stuck.
    fn tick(&mut self, sink: &mut dyn FnMut(WatchEvent)) {
        let now = Utc::now();
        self.announce(now, sink);
        let limit = self.opts.stuck_after.num_seconds();
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
    fn settled(&self) -> bool {
        let now = Utc::now();
        !self.messages.is_empty()
            && self
                .messages
                .values()
                .all(|m| m.gone_at.is_some() || now - m.first_seen >= self.opts.stuck_after)
    }

    fn finish(
        self,
        started_at: DateTime<Utc>,
        ended_at: DateTime<Utc>,
        ended_by: WatchEnd,
        mode: &str,
    ) -> Watched {
        let mut messages: Vec<WatchMessage> = self
            .messages
            .into_iter()
            .map(|(path, mut m)| {
                if m.recipients.is_empty() && m.gone_at.is_none() {
                    m.recipients = recipients(&path);
                }
                let outcome = if m.gone_at.is_some() {
                    WatchOutcome::Delivered
                } else if ended_at - m.first_seen >= self.opts.stuck_after {
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
        let window = self
            .followers
            .into_iter()
            .flat_map(|f| f.segments)
            .collect();
        Watched {
            info: WatchInfo {
                started_at,
                ended_at,
                messages,
                log_entries: 0,
                ended_by,
                mode: mode.to_string(),
                already_spooled: self.already.len() as u64,
            },
            window,
            before: LogFacts::default(),
        }
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

/// Which file generation a path holds: its first bytes (and on Unix its inode).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ident {
    head: Vec<u8>,
    inode: Option<(u64, u64)>,
}

fn inode(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

fn ident_of(path: &Path) -> Option<(Ident, u64, Option<DateTime<Utc>>)> {
    let mut f = open_shared(path).ok()?;
    let meta = f.metadata().ok()?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut f)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    Some((
        Ident {
            head,
            inode: inode(&meta),
        },
        meta.len(),
        meta.modified().ok().and_then(system_time_utc),
    ))
}

/// The same generation: same inode where known, and the head we knew is
/// still the start of the file.
fn same_generation(known: &Ident, now: &Ident) -> bool {
    if let (Some(a), Some(b)) = (known.inode, now.inode)
        && a != b
    {
        return false;
    }
    now.head.starts_with(&known.head)
}

/// The log file of one Tracing folder being followed.
struct Followed {
    path: PathBuf,
    offset: u64,
    ident: Ident,
    enc: TextEncoding,
    /// The BOM's length at the start of this generation.
    bom: usize,
    modified: Option<DateTime<Utc>>,
}

/// Follows the newest `Lync-UccApi-*.UccApilog` of one Tracing folder
/// across rotations, keeping what is written.
struct Follower {
    dir: PathBuf,
    current: Option<Followed>,
    /// The live logs as they were when the watch started: (path, ident, length).
    at_start: Vec<(PathBuf, Ident, u64)>,
    segments: Vec<WindowSegment>,
    kept: usize,
}

fn live_logs(dir: &Path) -> Vec<(PathBuf, Option<DateTime<Utc>>)> {
    crate::sources::scan::logs::inventory_tracing_dir(dir)
        .map(|inv| {
            inv.logs
                .into_iter()
                .filter(|p| !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("bak")))
                .map(|p| {
                    let m = std::fs::symlink_metadata(&p)
                        .ok()
                        .and_then(|m| m.modified().ok())
                        .and_then(system_time_utc);
                    (p, m)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The newest live log (by last write, then name).
fn newest(logs: &[(PathBuf, Option<DateTime<Utc>>)]) -> Option<&(PathBuf, Option<DateTime<Utc>>)> {
    logs.iter().max_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)))
}

impl Follower {
    fn start(dir: PathBuf) -> Follower {
        let logs = live_logs(&dir);
        let at_start = logs
            .iter()
            .filter_map(|(p, _)| ident_of(p).map(|(id, len, _)| (p.clone(), id, len)))
            .collect();
        let mut f = Follower {
            dir,
            current: None,
            at_start,
            segments: Vec::new(),
            kept: 0,
        };
        if let Some((p, _)) = newest(&logs) {
            let p = p.clone();
            f.follow(&p);
        }
        f
    }

    fn describe(&self) -> String {
        match &self.current {
            Some(c) => display_path(&c.path),
            None => format!("{} (no log yet)", display_path(&self.dir)),
        }
    }

    /// Start following `path`: from the end of its last complete line when
    /// it is the file that was there when the watch started, else from its start.
    fn follow(&mut self, path: &Path) {
        let Some((ident, len, modified)) = ident_of(path) else {
            return;
        };
        // The scanner's own sniffing: a BOM, or UTF-16 told by its NULs.
        let (enc, bom) = logs_sniff(&ident.head);
        let known = self
            .at_start
            .iter()
            .find(|(p, id, _)| p == path && same_generation(id, &ident))
            .map(|(_, _, len)| *len);
        let offset = match known {
            Some(start_len) => line_start_before(path, start_len.min(len), enc),
            None => 0,
        };
        self.segments.push(WindowSegment {
            path: display_path(path),
            start: offset,
            text: Vec::new(),
        });
        self.current = Some(Followed {
            path: path.to_path_buf(),
            offset,
            ident,
            enc,
            bom,
            modified,
        });
    }

    /// Read what was appended; notice a rotation or a newer log.
    fn poll(&mut self, sink: &mut dyn FnMut(WatchEvent), log: &LogScanOptions) {
        let mut rotated_from = None;
        if let Some(cur) = self.current.take() {
            match ident_of(&cur.path) {
                Some((id, len, modified))
                    if same_generation(&cur.ident, &id) && len >= cur.offset =>
                {
                    let mut cur = cur;
                    if cur.ident.head.len() < HEAD_BYTES && id.head.len() > cur.ident.head.len() {
                        cur.ident.head = id.head;
                        // Told again from more bytes while nothing was read.
                        if cur.offset == 0 {
                            (cur.enc, cur.bom) = logs_sniff(&cur.ident.head);
                        }
                    }
                    cur.modified = modified;
                    self.current = Some(cur);
                }
                _ => {
                    // A new generation at this name, or none: the rest of
                    // the old one is in its `.bak`, where the client moved it.
                    let mut cur = cur;
                    if let Some(bak) = self.bak_of(&cur)
                        && let Some((_, len, _)) = ident_of(&bak)
                    {
                        self.read(&mut cur, &bak, len, true, sink, log);
                    }
                    rotated_from = Some(display_path(&cur.path));
                }
            }
        }
        let logs = live_logs(&self.dir);
        let newest = newest(&logs).cloned();
        match (&self.current, newest) {
            (None, Some((p, _))) => {
                self.follow(&p);
                if let Some(from) = rotated_from.take() {
                    sink(WatchEvent::LogRotated {
                        from,
                        to: display_path(&p),
                    });
                }
            }
            (Some(cur), Some((p, m))) if p != cur.path && m > cur.modified => {
                // A newer log under another name: finish this one, follow that.
                if let Some(mut old) = self.current.take()
                    && let Some((_, len, _)) = ident_of(&old.path)
                {
                    let path = old.path.clone();
                    self.read(&mut old, &path, len, true, sink, log);
                    sink(WatchEvent::LogRotated {
                        from: display_path(&old.path),
                        to: display_path(&p),
                    });
                }
                self.follow(&p);
            }
            _ => {}
        }
        if let Some(cur) = self.current.take() {
            let mut cur = cur;
            if let Some((id, len, _)) = ident_of(&cur.path)
                && same_generation(&cur.ident, &id)
                && len > cur.offset
            {
                let path = cur.path.clone();
                self.read(&mut cur, &path, len, false, sink, log);
            }
            self.current = Some(cur);
        }
    }

    /// The `.bak` next to the followed log that holds its generation.
    fn bak_of(&self, cur: &Followed) -> Option<PathBuf> {
        let name = cur.path.file_name()?.to_string_lossy().to_ascii_lowercase() + ".bak";
        let found = std::fs::read_dir(&self.dir)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase() == name)
            })?;
        let (id, _, _) = ident_of(&found)?;
        // Renamed, so the inode is the same; the head is the same either way.
        (id.head.starts_with(&cur.ident.head)
            && (cur.ident.inode.is_none() || id.inode == cur.ident.inode))
            .then_some(found)
    }

    /// Read `from`'s bytes between the followed offset and `len`; only
    /// complete lines unless `to_end` (a finished generation).
    fn read(
        &mut self,
        cur: &mut Followed,
        from: &Path,
        len: u64,
        to_end: bool,
        sink: &mut dyn FnMut(WatchEvent),
        log: &LogScanOptions,
    ) {
        while len > cur.offset {
            let want = (len - cur.offset).min(READ_BYTES);
            let Ok(mut f) = open_shared(from) else { return };
            if f.seek(SeekFrom::Start(cur.offset)).is_err() {
                return;
            }
            let mut buf = Vec::with_capacity(want as usize);
            if (&mut f).take(want).read_to_end(&mut buf).is_err() {
                return;
            }
            drop(f);
            let take = if to_end && want == len - cur.offset {
                cur.enc.whole_units(buf.len())
            } else {
                cur.enc.complete(&buf)
            };
            if take == 0 {
                return;
            }
            let start = cur.offset;
            cur.offset += take as u64;
            let mut skip = 0;
            if start == 0 {
                skip = cur.bom;
            }
            let text = cur.enc.decode(&buf[skip.min(take)..take]);
            self.live(&text, &display_path(from), sink, log);
            if self.kept + text.len() <= MAX_WINDOW_BYTES {
                self.kept += text.len();
                let path = display_path(&cur.path);
                match self.segments.last_mut() {
                    Some(seg) if seg.path == path => seg.text.extend_from_slice(&text),
                    _ => self.segments.push(WindowSegment { path, start, text }),
                }
            }
        }
    }

    /// Report the offline-message, EWS and SIP entries in freshly read text.
    fn live(
        &self,
        text: &[u8],
        path: &str,
        sink: &mut dyn FnMut(WatchEvent),
        log: &LogScanOptions,
    ) {
        let opts = LogScanOptions {
            threads: 1,
            progress: None,
            ..log.clone()
        };
        let facts = scan_log_bytes(path, text, &opts);
        let mut events: Vec<WatchEvent> = facts
            .timeline
            .iter()
            .map(|e| WatchEvent::LogEntry {
                at: e.timestamp,
                kind: e.kind.to_string(),
                detail: e.detail.clone(),
                failed: matches!(
                    e.kind,
                    crate::model::TimelineKind::EwsFailure
                        | crate::model::TimelineKind::OfflineImFailure
                        | crate::model::TimelineKind::SipError
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
        for e in events.into_iter().take(LIVE_EVENTS) {
            sink(e);
        }
    }
}

/// The start of the line `len` lies in (so a line half written when the
/// watch started is read whole).
fn line_start_before(path: &Path, len: u64, enc: TextEncoding) -> u64 {
    let back = len.min(64 * 1024);
    let Ok(mut f) = open_shared(path) else {
        return len;
    };
    if f.seek(SeekFrom::Start(len - back)).is_err() {
        return len;
    }
    let mut buf = Vec::with_capacity(back as usize);
    if (&mut f).take(back).read_to_end(&mut buf).is_err() {
        return len;
    }
    let keep = enc.whole_units(buf.len());
    match enc.complete(&buf[..keep]) {
        0 if len == back => 0,
        0 => len,
        n => len - back + n as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_lines_end_at_the_last_line_end() {
        assert_eq!(TextEncoding::Utf8.complete(b"a\nb\nc"), 4);
        assert_eq!(TextEncoding::Utf8.complete(b"abc"), 0);
        assert_eq!(TextEncoding::Utf16Le.complete(b"a\0\n\0b\0"), 4);
        assert_eq!(TextEncoding::Utf16Be.complete(b"\0a\0\n\0b"), 4);
    }

    #[test]
    fn a_generation_is_told_by_its_head() {
        let a = Ident {
            head: b"11/24/2026|09:00".to_vec(),
            inode: None,
        };
        let grown = Ident {
            head: b"11/24/2026|09:00:00.000 more".to_vec(),
            inode: None,
        };
        let other = Ident {
            head: b"11/24/2026|09:05".to_vec(),
            inode: None,
        };
        assert!(same_generation(&a, &grown));
        assert!(!same_generation(&a, &other));
        let moved = Ident {
            inode: Some((1, 2)),
            ..a.clone()
        };
        let replaced = Ident {
            inode: Some((1, 3)),
            ..a.clone()
        };
        assert!(!same_generation(&moved, &replaced));
    }

    #[test]
    fn every_event_reads_as_one_line_or_two() {
        let e = WatchEvent::Waiting {
            ages: vec![("m1.xml".into(), 5)],
            stuck_after: 120,
        };
        assert_eq!(e.line(), "Waiting: m1.xml 5s of 2m");
        assert!(e.is_status());
    }
}
