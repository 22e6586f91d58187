//! Client log scanner (UccApilog). INTERFACE STUB: the types below are what
//! the checks consume; the implementation is being written (issue 3).

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::build::ClientBuild;
use crate::model::TimelineEvent;

/// How local log timestamps become UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogTimeZone {
    /// The zone of the machine running the tool (chrono::Local).
    #[default]
    System,
    /// A fixed offset, e.g. from `--log-utc-offset +02:00` for collected files.
    Fixed(FixedOffset),
}

/// A fact found in a log entry, with where and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFact<T> {
    pub value: T,
    /// Display path of the log file.
    pub path: String,
    /// 1-based line where the entry starts.
    pub line: u64,
    pub timestamp: Option<DateTime<Utc>>,
    /// A short, single-line, control-character-free excerpt of the matched text
    /// (never message text).
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpFailure {
    /// `ews` or `autodiscover`.
    pub target: String,
    pub status: u16,
    /// The URL mentioned in the entry, when there is one.
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SipDiagnostic {
    pub code: u32,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFileSummary {
    pub path: String,
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
    pub entries: u64,
    /// `utf-8`, `utf-16le`, `utf-16be`.
    pub encoding: String,
    /// Why the file could not be read (fully), when it could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtlFile {
    pub path: String,
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
}

/// Everything the log scan found, across every Tracing folder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFacts {
    pub logs: Vec<LogFileSummary>,
    pub etl: Vec<EtlFile>,
    /// The newest `OC/16.0.B.R` from a `User-Agent` header.
    pub newest_build: Option<LogFact<ClientBuild>>,
    /// Newest `<property name="EnableIMAutoArchiving">` value.
    pub policy_auto_archiving: Option<LogFact<bool>>,
    /// Newest `<imAutoArchiving>` user option value.
    pub user_auto_archiving: Option<LogFact<bool>>,
    /// Distinct EWS URLs, newest occurrence of each, oldest first.
    pub ews_urls: Vec<LogFact<String>>,
    pub ews_failures: Vec<LogFact<HttpFailure>>,
    pub sip_errors: Vec<LogFact<SipDiagnostic>>,
    pub offline_events: u64,
    pub offline_failures: Vec<LogFact<String>>,
    pub timeline: Vec<TimelineEvent>,
}

#[derive(Debug, Clone, Default)]
pub struct LogScanOptions {
    pub time_zone: LogTimeZone,
}

/// Scan every `Lync-UccApi-*.UccApilog` (+ `.bak`) and inventory `Lync*.etl`
/// in the given Tracing folders.
pub fn scan_tracing_dirs(dirs: &[PathBuf], _opts: &LogScanOptions) -> LogFacts {
    let _ = dirs;
    LogFacts::default()
}
