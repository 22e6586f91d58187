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
//!
//! Here the loop and the clock; the parts: `spooler` (the messages in
//! the History Spoolers), `follower` (the client logs as they grow),
//! `events` (what is told, and its wording).

mod events;
mod follower;
mod spooler;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

pub use events::WatchEvent;
pub use follower::WindowSegment;

use crate::model::{WatchEnd, WatchInfo, WatchOutcome};
use crate::sources::discover::{self, DiscoverError, Discovery};
use crate::sources::scan::logs::{LogFacts, LogScanOptions, LogScanner, scan_tracing_dirs};
use follower::Follower;
use spooler::SpoolerTracker;

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

/// The time of day every fact of a watch is stamped with (first seen, gone,
/// ages, start and end). The loop's pacing uses the monotonic `Instant`,
/// so a clock set back or forward never ends a watch early or late.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// How changes are noticed; the report's `watch.mode` is its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchMode {
    /// File-system change notifications, with a full look every
    /// [`RESCAN_INTERVAL`] anyway.
    Notifications,
    /// A full look every [`POLL_INTERVAL`] (`--poll`, or no notifications).
    Polling,
}

impl WatchMode {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchMode::Notifications => "notifications",
            WatchMode::Polling => "polling",
        }
    }
}

impl std::fmt::Display for WatchMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// Where every time of the watch comes from (the system clock unless a
    /// test passes another).
    pub clock: Arc<dyn Clock>,
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
            clock: Arc::new(SystemClock),
        }
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
    let started_at = opts.clock.now();
    let mut looker = Looker::new(root, opts, &inspection, started_at);

    let (tx, rx) = mpsc::channel::<Wake>();
    let mut mode = WatchMode::Notifications;
    let mut _watcher = None;
    if opts.poll {
        mode = WatchMode::Polling;
    } else {
        match notifications(&watch_roots(&inspection), tx.clone()) {
            Ok(w) => _watcher = Some(w),
            Err(reason) => {
                mode = WatchMode::Polling;
                sink(WatchEvent::Polling { reason });
            }
        }
    }
    sink(WatchEvent::Started {
        spoolers: looker.spoolers.folders(),
        logs: looker.followers.iter().map(|f| f.describe()).collect(),
        already_spooled: looker.spoolers.already_spooled(),
        mode,
        duration: opts.duration,
        stuck_after: opts.stuck_after,
    });

    let deadline = started + opts.duration;
    let min_gap = Duration::from_millis(200);
    let mut last_look = Instant::now();
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
            wait = wait.min(min_gap.saturating_sub(last_look.elapsed()));
        }
        match rx.recv_timeout(wait) {
            Ok(Wake::Change) => dirty = true,
            Ok(Wake::Failed(reason)) => {
                if mode != WatchMode::Polling {
                    mode = WatchMode::Polling;
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
        let since = last_look.elapsed();
        let interval = match mode {
            WatchMode::Polling => opts.poll_interval,
            WatchMode::Notifications => opts.rescan_interval,
        };
        if (dirty && since >= min_gap) || since >= interval {
            looker.look(sink);
            last_look = Instant::now();
            dirty = false;
        }
        if last_tick.elapsed() >= Duration::from_secs(1) {
            last_tick = Instant::now();
            looker.spoolers.tick(opts.clock.now(), sink);
        }
        if looker.spoolers.settled(opts.clock.now()) {
            let since = *settled_since.get_or_insert_with(Instant::now);
            if since.elapsed() >= opts.grace {
                break WatchEnd::Settled;
            }
        } else {
            settled_since = None;
        }
    };
    // The last lines the client wrote.
    looker.look(sink);
    sink(WatchEvent::Ended { by: ended_by });
    let ended_at = opts.clock.now();
    let already_spooled = looker.spoolers.already_spooled() as u64;
    Ok(Watched {
        info: WatchInfo {
            started_at,
            ended_at,
            messages: looker.spoolers.outcomes(ended_at),
            log_entries: 0,
            ended_by,
            mode: mode.as_str().to_string(),
            already_spooled,
        },
        window: looker
            .followers
            .into_iter()
            .flat_map(Follower::into_segments)
            .collect(),
        before,
    })
}

/// What one look at the files covers: spooler folders created meanwhile,
/// every spooler, every followed log.
struct Looker<'a> {
    root: &'a Path,
    opts: &'a WatchOptions,
    spoolers: SpoolerTracker,
    followers: Vec<Follower>,
}

impl<'a> Looker<'a> {
    fn new(
        root: &'a Path,
        opts: &'a WatchOptions,
        inspection: &Discovery,
        started_at: DateTime<Utc>,
    ) -> Self {
        let spoolers = inspection
            .profiles
            .iter()
            .filter_map(|p| Some((p.spooler.clone()?, p.sip_address.clone())));
        Looker {
            root,
            opts,
            spoolers: SpoolerTracker::new(spoolers, started_at, opts.stuck_after),
            followers: inspection
                .tracing_dirs()
                .into_iter()
                .map(Follower::start)
                .collect(),
        }
    }

    fn look(&mut self, sink: &mut dyn FnMut(WatchEvent)) {
        let now = self.opts.clock.now();
        if let Ok(found) = discover::discover(self.root, self.opts.user.as_deref()) {
            self.spoolers.add_new(found, sink);
        }
        self.spoolers.look(now, sink);
        for f in &mut self.followers {
            f.poll(sink, &self.opts.log);
        }
    }
}

enum Wake {
    Change,
    Failed(String),
}

/// Where notifications are asked for: each Lync folder (profiles, their
/// spoolers and the Tracing folder are inside), else each profile folder.
fn watch_roots(inspection: &Discovery) -> Vec<PathBuf> {
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
