//! Client log scanner: `Lync-UccApi-*.UccApilog` (and `.bak`) to facts.
//!
//! `docs/rules.md` (how a log is read) and `docs/contract.md` ("What counts
//! as evidence in the client logs") define what is read; the patterns are data
//! ([`crate::rules`]). The scan streams: a gigabyte log is read in chunks of
//! whole entries on every core, a SIMD literal prefilter skips the bulk, and
//! only lines holding a rule's literal meet a regex. Memory is a few chunks
//! plus bounded fact lists, whatever the log size. Nothing is written, and
//! nothing here prints.
//!
//! Timestamps are local time, converted with [`LogTimeZone`]. Every fact
//! names the file, the line where its entry starts, the entry's time, and
//! a short excerpt of the matched text only (never the rest of the line,
//! which may be a user's message).

mod analyze;
mod endpoint;
mod facts;
mod header;
mod kept;
mod matcher;
mod pipeline;
mod reduce;
mod sink;
mod source;
/// How a log's bytes are told apart (BOM, or UTF-16 without one): the
/// redacting copy of `collect` decodes a log exactly as the scanner does.
pub(crate) use source::{TextEncoding, sniff};
mod tz;
mod xml;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use crate::rules::RuleSet;

pub use facts::*;
pub use header::{EntryHeader, LogLevel, parse_entry_header};
pub use tz::parse_utc_offset;

use analyze::Compiled;
use pipeline::{StreamInput, StreamOutcome, scan_stream};
use reduce::Reduction;
use source::Prepared;

/// How local log timestamps become UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogTimeZone {
    /// The zone of the machine running the tool (chrono::Local).
    #[default]
    System,
    /// A fixed offset, e.g. from `--log-utc-offset +02:00` for collected files.
    Fixed(FixedOffset),
}

impl LogTimeZone {
    /// The offset the log times were read in, `+HH:MM`: the fixed offset,
    /// or the system zone's offset in force at `at` (the newest entry; the
    /// system zone may have used another offset for entries across a
    /// daylight-saving change). `None` for the system zone with no time.
    pub fn offset_label(self, at: Option<DateTime<Utc>>) -> Option<String> {
        let secs = match self {
            LogTimeZone::Fixed(f) => f.local_minus_utc(),
            LogTimeZone::System => {
                use chrono::Offset;
                chrono::Local
                    .offset_from_utc_datetime(&at?.naive_utc())
                    .fix()
                    .local_minus_utc()
            }
        };
        let sign = if secs < 0 { '-' } else { '+' };
        let abs = secs.unsigned_abs();
        Some(format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60))
    }
}

/// The newest timestamp among the facts (what the offset label is for).
fn newest_time(f: &LogFacts) -> Option<DateTime<Utc>> {
    let mut newest = f.timeline.iter().filter_map(|e| e.timestamp).max();
    for t in [
        f.newest_build.as_ref().and_then(|x| x.timestamp),
        f.http_endpoints
            .iter()
            .filter_map(|e| e.latest.timestamp)
            .max(),
    ] {
        newest = newest.max(t);
    }
    newest
}

pub use reduce::{KEEP_FACTS, KEEP_TIMELINE, KEEP_URLS};

/// Progress of a scan: `(bytes done, bytes in all)`. Called from the
/// scanning thread, at most once per chunk.
pub type ProgressFn = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// 2 MiB: a handful of chunks in flight keep a scan's peak memory near
/// 32 MiB; larger chunks were not faster.
pub const DEFAULT_CHUNK_BYTES: usize = 2 << 20;
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;
pub const DEFAULT_MAX_BYTES_PER_FILE: u64 = 4 << 30;

#[derive(Clone)]
pub struct LogScanOptions {
    pub time_zone: LogTimeZone,
    /// The evidence rules (default: the embedded `data/rules.toml`).
    pub rules: RuleSet,
    pub progress: Option<ProgressFn>,
    /// A bigger log is scanned from this many bytes before its end (the
    /// newest part), and its summary says so.
    pub max_bytes_per_file: u64,
    /// Bytes per chunk handed to a worker. Any value gives the same facts.
    pub chunk_bytes: usize,
    /// Bytes of a line looked at; the rest of an overlong line is skipped.
    pub max_line_bytes: usize,
    /// Worker threads; 0 means one per core (at most 4).
    pub threads: usize,
}

impl Default for LogScanOptions {
    fn default() -> Self {
        LogScanOptions {
            time_zone: LogTimeZone::System,
            rules: RuleSet::default_rules(),
            progress: None,
            max_bytes_per_file: DEFAULT_MAX_BYTES_PER_FILE,
            chunk_bytes: DEFAULT_CHUNK_BYTES,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            threads: 0,
        }
    }
}

impl fmt::Debug for LogScanOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogScanOptions")
            .field("time_zone", &self.time_zone)
            .field("rules", &self.rules.len())
            .field("progress", &self.progress.is_some())
            .field("max_bytes_per_file", &self.max_bytes_per_file)
            .field("chunk_bytes", &self.chunk_bytes)
            .field("max_line_bytes", &self.max_line_bytes)
            .field("threads", &self.threads)
            .finish()
    }
}

/// What a Tracing folder holds, in scan order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TracingInventory {
    /// `Lync-UccApi-*.UccApilog` files, each `.bak` generation right
    /// before its live file.
    pub logs: Vec<PathBuf>,
    /// Names that look like logs but are links or not regular files: never
    /// opened.
    pub refused: Vec<(PathBuf, String)>,
    pub etl: Vec<EtlFile>,
}

fn lower_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// `lync-uccapi-7.uccapilog` sorts as ("lync-uccapi-", 7, "...").
fn natural_key(base: &str) -> (String, u64, String) {
    let digits_at = base
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(base.len());
    let (head, rest) = base.split_at(digits_at);
    let n_len = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let n = rest[..n_len].parse().unwrap_or(u64::MAX);
    (head.to_string(), n, rest[n_len..].to_string())
}

/// List one Tracing folder without following links or opening anything.
pub fn inventory_tracing_dir(dir: &Path) -> std::io::Result<TracingInventory> {
    let mut inv = TracingInventory::default();
    // `--root` a single log file: that file alone (a link is not followed).
    if std::fs::symlink_metadata(dir)?.is_file() {
        inv.logs.push(dir.to_path_buf());
        return Ok(inv);
    }
    let mut logs: Vec<((String, u64, String), u8, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        let name = lower_name(&path);
        let (base, generation) = if let Some(b) = name.strip_suffix(".bak") {
            (b, 0u8)
        } else {
            (name.as_str(), 1u8)
        };
        let is_log = base.starts_with("lync-uccapi-") && base.ends_with(".uccapilog");
        let is_etl = generation == 1 && name.starts_with("lync") && name.ends_with(".etl");
        if !is_log && !is_etl {
            continue;
        }
        // DirEntry::metadata does not traverse links: a link is judged as
        // a link, not by its target.
        let meta = match entry.metadata() {
            Ok(m) => m,
            Err(e) => {
                inv.refused
                    .push((path, format!("cannot read its metadata: {e}")));
                continue;
            }
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            inv.refused
                .push((path, "a symbolic link: not followed".into()));
            continue;
        }
        if !ft.is_file() {
            inv.refused.push((path, "not a regular file".into()));
            continue;
        }
        if is_log {
            logs.push((natural_key(base), generation, path));
        } else {
            inv.etl.push(EtlFile {
                path: crate::fsutil::display_path(&path),
                size: meta.len(),
                modified: meta
                    .modified()
                    .ok()
                    .and_then(crate::fsutil::system_time_utc),
                trace: None,
                strings: None,
            });
        }
    }
    logs.sort();
    inv.logs = logs.into_iter().map(|(_, _, p)| p).collect();
    inv.etl.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(inv)
}

/// Scans logs one after another into one set of facts. Files scanned later
/// win ties between equal timestamps, so scan older generations first.
pub struct LogScanner<'o> {
    opts: &'o LogScanOptions,
    compiled: Compiled,
    agg: Reduction,
    facts: LogFacts,
    next_file: u32,
    done: u64,
    total: u64,
}

impl<'o> LogScanner<'o> {
    pub fn new(opts: &'o LogScanOptions) -> Self {
        LogScanner {
            opts,
            compiled: Compiled::new(opts),
            agg: Reduction::new(0, ""),
            facts: LogFacts::default(),
            next_file: 0,
            done: 0,
            total: 0,
        }
    }

    /// The byte total progress is reported against.
    pub fn expect_bytes(&mut self, total: u64) {
        self.total = total;
    }

    pub fn add_etl(&mut self, etl: EtlFile) {
        self.facts.etl.push(etl);
    }

    /// Scan one log file. Errors end up in its [`LogFileSummary`].
    pub fn scan_file(&mut self, path: &Path) {
        let display = crate::fsutil::display_path(path);
        let mut summary = LogFileSummary {
            path: display.clone(),
            size: 0,
            modified: None,
            entries: 0,
            encoding: TextEncoding::Utf8.name().into(),
            error: None,
            lines: 0,
            warning: None,
        };
        let opened = source::open_log(path).and_then(|f| {
            let meta = f.metadata()?;
            summary.size = meta.len();
            summary.modified = meta
                .modified()
                .ok()
                .and_then(crate::fsutil::system_time_utc);
            source::prepare_file(f, meta.len(), self.opts.max_bytes_per_file.max(1))
        });
        match opened {
            Ok(prepared) => {
                let scanned = summary.size.saturating_sub(prepared.start);
                self.run(prepared, &display, scanned, &mut summary);
            }
            Err(e) => summary.error = Some(format!("cannot read: {e}")),
        }
        self.facts.logs.push(summary);
    }

    /// Add a warning to the log scanned last (a bundle member that did not verify).
    pub fn warn_last(&mut self, warning: &str) {
        if let Some(l) = self.facts.logs.last_mut() {
            l.warning = Some(match l.warning.take() {
                Some(w) => format!("{w}; {warning}"),
                None => warning.to_string(),
            });
        }
    }

    /// Scan a log from any reader (an archive member, a buffer).
    pub fn scan_reader<'r, R: Read + Send + 'r>(
        &mut self,
        display_path: &str,
        reader: R,
        size: Option<u64>,
        modified: Option<DateTime<Utc>>,
    ) {
        let mut summary = LogFileSummary {
            path: display_path.to_string(),
            size: size.unwrap_or(0),
            modified,
            entries: 0,
            encoding: TextEncoding::Utf8.name().into(),
            error: None,
            lines: 0,
            warning: None,
        };
        match source::prepare_reader(reader) {
            Ok(mut prepared) => {
                let max = self.opts.max_bytes_per_file.max(1);
                if let Some(size) = size
                    && size.saturating_sub(prepared.start) > max
                {
                    // No seeking here: read past the head. For UTF-16 the
                    // count is of decoded bytes, so the tail is a little
                    // longer than `max`; only where it starts is affected.
                    let skip = size - prepared.start - max;
                    let _ =
                        std::io::copy(&mut (&mut prepared.reader).take(skip), &mut std::io::sink());
                    prepared.tail_only = true;
                    prepared.start += skip;
                }
                let scanned = size.map_or(0, |s| s.saturating_sub(prepared.start));
                self.run(prepared, display_path, scanned, &mut summary);
            }
            Err(e) => summary.error = Some(format!("cannot read: {e}")),
        }
        self.facts.logs.push(summary);
    }

    fn run<R: Read + Send>(
        &mut self,
        prepared: Prepared<R>,
        display: &str,
        scanned: u64,
        summary: &mut LogFileSummary,
    ) {
        let file_idx = self.next_file;
        self.next_file += 1;
        summary.encoding = prepared.encoding.name().into();
        let consumed = Arc::new(AtomicU64::new(0));
        let input = StreamInput {
            reader: source::Counting {
                inner: prepared.reader,
                count: Arc::clone(&consumed),
            },
            skip_partial_first_line: prepared.tail_only,
            consumed,
            file_idx,
            path: display,
            small: scanned <= self.opts.chunk_bytes as u64,
        };
        let base = self.done;
        let total = self.total.max(base + scanned);
        let progress = self.opts.progress.clone();
        let mut report = |done: u64| {
            if let Some(p) = &progress {
                p(base + done.min(scanned), total);
            }
        };
        let StreamOutcome {
            agg,
            entries,
            lines,
            truncated_lines,
            error,
        } = scan_stream(input, &self.compiled, self.opts, &mut report);
        self.done = base + scanned;
        if let Some(p) = &self.opts.progress {
            p(self.done, total);
        }
        self.agg.merge(agg);
        summary.entries = entries;
        summary.lines = lines;
        if let Some(e) = error {
            summary.error = Some(format!("read stopped: {e}"));
        }
        let mut warnings = Vec::new();
        if prepared.tail_only {
            warnings.push(format!(
                "only the last {} bytes were scanned (the file has {}); line numbers count from there",
                scanned, summary.size
            ));
        }
        if let Some(grew) = prepared.opened.as_ref().and_then(|o| o.grew()) {
            warnings.push(grew);
        }
        if truncated_lines > 0 {
            warnings.push(format!(
                "{truncated_lines} line(s) longer than {} bytes were read only in part",
                self.opts.max_line_bytes
            ));
        }
        if !warnings.is_empty() {
            summary.warning = Some(warnings.join("; "));
        }
    }

    pub fn finish(self) -> LogFacts {
        let mut facts = self.facts;
        self.agg.into_facts(&mut facts);
        facts.utc_offset = self.opts.time_zone.offset_label(newest_time(&facts));
        facts
    }
}

/// Scan every `Lync-UccApi-*.UccApilog` (+ `.bak`) and inventory `Lync*.etl`
/// in the given Tracing folders.
pub fn scan_tracing_dirs(dirs: &[PathBuf], opts: &LogScanOptions) -> LogFacts {
    let mut scanner = LogScanner::new(opts);
    let mut plan = Vec::new();
    let mut dir_errors = Vec::new();
    let mut total = 0u64;
    for dir in dirs {
        match inventory_tracing_dir(dir) {
            Ok(inv) => {
                for p in &inv.logs {
                    total += std::fs::symlink_metadata(p)
                        .map(|m| m.len().min(opts.max_bytes_per_file))
                        .unwrap_or(0);
                }
                plan.push(inv);
            }
            Err(e) => dir_errors.push(LogDirError {
                path: crate::fsutil::display_path(dir),
                error: e.to_string(),
            }),
        }
    }
    scanner.expect_bytes(total);
    let mut refused = Vec::new();
    for inv in plan {
        for p in &inv.logs {
            scanner.scan_file(p);
        }
        for mut etl in inv.etl {
            etl.trace = Some(crate::sources::etl::read_etl_file(Path::new(&etl.path)));
            scanner.add_etl(etl);
        }
        refused.extend(inv.refused);
    }
    let mut facts = scanner.finish();
    for (p, why) in refused {
        facts.logs.push(LogFileSummary {
            path: crate::fsutil::display_path(&p),
            size: 0,
            modified: None,
            entries: 0,
            encoding: TextEncoding::Utf8.name().into(),
            error: Some(format!("not read: {why}")),
            lines: 0,
            warning: None,
        });
    }
    facts.dir_errors = dir_errors;
    facts
}

/// Scan one in-memory log (tests, fuzzing, archive members already read).
pub fn scan_log_bytes(display_path: &str, bytes: &[u8], opts: &LogScanOptions) -> LogFacts {
    let mut scanner = LogScanner::new(opts);
    scanner.scan_reader(display_path, bytes, Some(bytes.len() as u64), None);
    scanner.finish()
}

#[cfg(test)]
mod tests;
