//! The typed report: what every renderer (table, JSON, Markdown, NDJSON)
//! turns into text. Its JSON form is the contract in `docs/contract.md`
//! (`schema_version` 1); add fields freely, never rename or remove one.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

pub use crate::codes::Code;
pub use crate::i18n::{Lang, Msg};
pub use crate::sources::probe::ProbeReport;
pub use crate::terms::{
    BuildSource, EtlStringItem, EtlStrings, EvidenceSource, InstallType, MailboxLocation,
    OffsetSource, TimelineEvent, TimelineKind,
};

pub const SCHEMA_VERSION: u32 = 1;
pub const TOOL_NAME: &str = "offline-im-doctor";

/// A duration in seconds as a person reads it: 90s, 5m, 2h03m, 3d04h.
pub fn human_age(secs: i64) -> String {
    let s = secs.unsigned_abs();
    match s {
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d{:02}h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// Status of one check, ordered by severity for `--fail-on`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    PartialOrd,
    Ord,
    IntoStaticStr,
    EnumString,
    EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    Skip,
    Pass,
    Info,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The worst check status: `fail`, else `warn`, else `ok`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema, IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl Verdict {
    pub fn from_statuses(statuses: impl IntoIterator<Item = Status>) -> Self {
        let mut v = Verdict::Ok;
        for s in statuses {
            match s {
                Status::Fail => return Verdict::Fail,
                Status::Warn => v = Verdict::Warn,
                _ => {}
            }
        }
        v
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The check ids of `docs/contract.md`, in report order (declaration order is
/// report order: `CheckId::iter()`). Never rename one. The message is the
/// title, the detailed message what the check looks at.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    EnumIter,
    EnumMessage,
    EnumString,
    IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum CheckId {
    #[strum(
        message = "Client build",
        detailed_message = "The client build (--client-version, Click-to-Run registry, lync.exe, or the User-Agent in the logs) against 16.0.6701.1000, and 16.0.6920.1000 for an on-premises mailbox."
    )]
    ClientBuild,
    #[strum(
        message = "Install type",
        detailed_message = "Whether the client is Click-to-Run or MSI; MSI installs have no Offline IM."
    )]
    ClientInstall,
    #[strum(
        message = "History Spooler",
        detailed_message = "Files in each profile's History Spooler older than --stuck-after (the client's two-minute timer)."
    )]
    SpoolerStuck,
    #[strum(
        message = "IM auto-archiving",
        detailed_message = "EnableIMAutoArchiving in the client policy (in-band provisioning in the logs, --server-config) and the user option imAutoArchiving."
    )]
    ImAutoArchiving,
    #[strum(
        message = "Server Offline IM setting",
        detailed_message = "EnableOfflineIm in Get-CsImConfiguration output passed with --server-config."
    )]
    ServerOfflineIm,
    #[strum(
        message = "Exchange Web Services access",
        detailed_message = "EWS URLs and EWS or autodiscover HTTP failures (status 400 or above) in the client logs."
    )]
    EwsAccess,
    #[strum(
        message = "Offline-message activity",
        detailed_message = "Offline-message events and processing failures in the client logs; without them, the ETL traces' containers (event times, lost events, whether they cover the stuck messages). The traces' message text is not decoded: Microsoft support decodes it."
    )]
    OfflineImActivity,
    #[strum(
        message = "Client logs",
        detailed_message = "Whether Lync-UccApi-*.UccApilog client logs exist under the Tracing folder."
    )]
    ClientLogs,
    #[strum(
        message = "Drafts-folder known issue",
        detailed_message = "An on-premises mailbox with a build before 16.0.6965.2058, the 6/14/2016 fix for offline messages filling the Drafts folder."
    )]
    DraftsKnownIssue,
    #[strum(
        message = "Client product support",
        detailed_message = "Which product ships this client (Click-to-Run ProductReleaseIds and channel, else the build and install type) and whether it is past its end of support at --now (data/landscape.toml)."
    )]
    ClientSupport,
    #[strum(
        message = "Exchange Online EWS shutdown",
        detailed_message = "For an Exchange Online mailbox: --now against the EWS block (2026-10-01) and end (2027-04-01), pasted Get-OrganizationConfig / Get-CASMailbox EWS settings, and EWS failures in the client logs after the block."
    )]
    ExchangeOnlineEws,
    #[strum(
        message = "EWS reachable from this machine",
        detailed_message = "With --probe: DNS, TCP, proxy, TLS (the platform's trust store) and an unauthenticated HTTP request to autodiscover and the EWS URL, from this machine."
    )]
    EwsReachability,
    #[strum(
        message = "Offline-message recipients",
        detailed_message = "The recipients the spooled messages name: in the organisation's SIP domains (a pasted Get-CsSipDomain, else the sender's own domain) or federated, and where a delivered message appears. Never fails or warns: the recipient's side cannot be checked from the sender's machine."
    )]
    OfflineImRecipients,
}

impl CheckId {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn title(self) -> &'static str {
        self.get_message().unwrap_or("")
    }

    /// What the report knows about the check beyond its result. Which
    /// checks a cause explains is data (`data/causes.toml`).
    pub fn spec(self) -> CheckSpec {
        CheckSpec {
            id: self,
            // Their fix is a newer client or another product: where
            // several fail or warn, the report names one target.
            asks_for_build: matches!(
                self,
                CheckId::ClientBuild | CheckId::DraftsKnownIssue | CheckId::ClientSupport
            ),
        }
    }

    /// What the check looks at, for `offline-im-doctor checks`.
    pub fn looks_at(self) -> &'static str {
        self.get_detailed_message().unwrap_or("")
    }
}

/// A check's place in the report ([`CheckId::spec`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckSpec {
    pub id: CheckId,
    /// Whether its fix is a newer client build (or another product).
    pub asks_for_build: bool,
}

impl std::fmt::Display for CheckId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One piece of evidence: where it was seen and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// What kind of input it came from; absent in reports written before
    /// this key existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<EvidenceSource>,
    /// The file it was seen in, or null when it came from an option or the environment.
    pub path: Option<String>,
    /// 1-based line number in that file, when it is a text file.
    pub line: Option<u64>,
    pub detail: String,
    /// Time of the log entry (RFC 3339, UTC), when the evidence is a log entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<DateTime<Utc>>,
}

impl Evidence {
    pub fn note(source: EvidenceSource, detail: impl Into<String>) -> Self {
        Self {
            source: Some(source),
            path: None,
            line: None,
            detail: detail.into(),
            timestamp: None,
        }
    }

    pub fn at(
        source: EvidenceSource,
        path: impl Into<String>,
        line: Option<u64>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            source: Some(source),
            path: Some(path.into()),
            line,
            detail: detail.into(),
            timestamp: None,
        }
    }

    /// Whether this was read from the client's own logs or traces.
    pub fn is_from_client_log(&self) -> bool {
        self.timestamp.is_some()
            || matches!(self.source, Some(EvidenceSource::Log | EvidenceSource::Etl))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CheckResult {
    pub id: CheckId,
    pub status: Status,
    /// Which outcome this is: a stable kebab-case reason code (`checks --format json` lists them).
    pub code: Code,
    pub title: String,
    pub summary: String,
    pub evidence: Vec<Evidence>,
    /// The concrete step that fixes it; null when nothing needs doing.
    pub remediation: Option<String>,
    /// `summary` as data: the catalogue's message id and its typed values
    /// (the same in every language; absent in reports written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Msg>,
    /// `remediation` as data: one message per step, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Msg>,
}

impl CheckResult {
    /// Writes `title`, `summary` and `remediation` in `lang` from the
    /// check's messages (a result read back without them keeps its text).
    pub fn localize(&mut self, lang: Lang) {
        self.title = crate::i18n::text(lang, &Msg::new(format!("check-{}", self.id)));
        if let Some(m) = &self.message {
            self.summary = crate::i18n::text(lang, m);
        }
        if !self.steps.is_empty() {
            let steps: Vec<String> = self
                .steps
                .iter()
                .map(|s| crate::i18n::text(lang, s))
                .collect();
            self.remediation = Some(steps.join(" "));
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        Self {
            name: TOOL_NAME.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct ClientInfo {
    /// The Office build, e.g. `16.0.6965.2058`, or null when unknown.
    pub build: Option<String>,
    pub source: Option<BuildSource>,
    pub install: InstallType,
    /// Click-to-Run update channel, when the registry names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The product that ships this client, e.g. `Skype for Business LTSC
    /// 2024` or `Microsoft 365 Apps (Current Channel)`; null when the facts
    /// leave more than one product open or none.
    #[serde(default)]
    pub product: Option<String>,
    /// The day that product's support ends or ended (RFC 3339 date); null
    /// when unknown or when it follows its channel's servicing.
    #[serde(default)]
    pub support_ends: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct MailboxInfo {
    pub location: MailboxLocation,
    pub ews_url: Option<String>,
    /// `option` when --mailbox set it, `log` when inferred from the EWS host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct SpoolerSummary {
    pub files: u64,
    pub stuck: u64,
    pub oldest_age_seconds: Option<i64>,
    /// When each stuck file was last written (the client's send attempt), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stuck_written_at: Vec<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProfileReport {
    pub sip_address: String,
    pub office_version: String,
    pub path: String,
    pub spooler: SpoolerSummary,
}

/// The machine the facts describe: the one running the tool for a folder,
/// the user's machine for a bundle (recorded there by `collect`). Never
/// filled in by the machine that reads a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct InspectedHost {
    pub host_name: Option<String>,
    /// The UTC offset of its clock when it was inspected, e.g. `+01:00`.
    pub utc_offset: Option<String>,
    /// The time-zone name, where the OS gives one (IANA, e.g. `Europe/Berlin`).
    pub time_zone: Option<String>,
    /// Operating system and architecture, e.g. `windows x86_64`.
    pub os: Option<String>,
}

/// One `.etl` trace. Its ETW container is read (times, counts, losses);
/// the message text is not: that needs Microsoft's private format files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EtlInfo {
    pub path: String,
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
    /// The trace session's name from the logfile header.
    #[serde(default)]
    pub logger: Option<String>,
    /// When the header says the trace started and ended (it may claim far
    /// more than the events hold).
    #[serde(default)]
    pub start: Option<DateTime<Utc>>,
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
    /// The first and last event record's time: what the trace covers.
    #[serde(default)]
    pub first_event: Option<DateTime<Utc>>,
    #[serde(default)]
    pub last_event: Option<DateTime<Utc>>,
    /// Event records read (the logfile header's own records excluded).
    #[serde(default)]
    pub events: u64,
    /// Events and buffers the session lost, as its header counts them.
    #[serde(default)]
    pub events_lost: u64,
    #[serde(default)]
    pub buffers_lost: u64,
    /// Circular logging: the oldest buffers were overwritten.
    #[serde(default)]
    pub circular: bool,
    #[serde(default)]
    pub compressed: bool,
    /// The client build in the file name (`Lync-16.0.6965.5305-...etl`).
    #[serde(default)]
    pub build: Option<String>,
    /// Whether every stuck message's time lies between the first and last
    /// event; null when no message is stuck.
    #[serde(default)]
    pub covers_stuck: Option<bool>,
    /// Why the file could not be read (fully); null otherwise.
    #[serde(default)]
    pub error: Option<String>,
    /// `--etl-strings`: printable strings of events near the stuck messages
    /// (raw strings, no context).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strings: Option<EtlStrings>,
}

/// What was read of the client logs, and in which UTC offset their local times were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct LogsInfo {
    pub files: u64,
    pub entries: u64,
    /// e.g. `+01:00`.
    pub utc_offset: String,
    pub utc_offset_source: Option<OffsetSource>,
    pub etl: Vec<EtlInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    pub schema_version: u32,
    pub tool: ToolInfo,
    /// The language of the report's text (`summary`, `remediation`,
    /// `title`, the diagnosis' words); keys, ids and codes never change.
    #[serde(default)]
    pub lang: Lang,
    pub generated_at: DateTime<Utc>,
    /// The inspected machine's name (for fleet aggregation): the machine
    /// that ran the tool, or for a bundle the user's machine it was collected
    /// on; pseudonymised by --redact.
    #[serde(default)]
    pub host: Option<String>,
    /// The inspected machine: host name, UTC offset, time zone, OS.
    #[serde(default)]
    pub machine: InspectedHost,
    pub verdict: Verdict,
    pub client: ClientInfo,
    pub mailbox: MailboxInfo,
    pub profiles: Vec<ProfileReport>,
    pub checks: Vec<CheckResult>,
    /// What was read of the client logs, and in which UTC offset.
    #[serde(default)]
    pub logs: LogsInfo,
    /// Offline-IM-relevant log events in time order.
    #[serde(default)]
    pub timeline: Vec<TimelineEvent>,
    /// The most likely root cause, the symptoms it explains and the next step.
    #[serde(default)]
    pub diagnosis: Diagnosis,
    /// What `--probe` saw from this machine (absent without `--probe`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeReport>,
    /// What `watch` saw (absent outside `watch` and `collect --watch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch: Option<WatchInfo>,
}

/// A live watch of the History Spoolers and the client log: the test
/// messages that appeared and what became of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WatchInfo {
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    /// Files that appeared in a History Spooler during the watch.
    pub messages: Vec<WatchMessage>,
    /// Log entries written during the watch (what the log checks judged).
    pub log_entries: u64,
    /// Why the watch ended: `settled` (every message delivered or stuck),
    /// `duration` (`--for` elapsed) or `interrupted` (Ctrl-C).
    pub ended_by: WatchEnd,
    /// `notifications` (file-system change notifications) or `polling`.
    pub mode: String,
    /// Files already in a spooler when the watch started (not part of the test).
    pub already_spooled: u64,
}

/// How a watch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum WatchEnd {
    Settled,
    Duration,
    Interrupted,
}

/// One spooled message seen during a watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WatchMessage {
    /// The profile's SIP address (or the folder name of a spooler outside a `sip_` folder).
    pub profile: String,
    /// The file's path relative to its History Spooler.
    pub file: String,
    pub first_seen: DateTime<Utc>,
    /// When it left the spooler; null while it is still there.
    pub gone_at: Option<DateTime<Utc>>,
    pub outcome: WatchOutcome,
    /// Addresses the file names as recipients.
    pub recipients: Vec<String>,
}

/// `delivered`: it left the spooler; `stuck`: still there after
/// `--stuck-after`; `pending`: still there, younger than that, when the watch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum WatchOutcome {
    Delivered,
    Stuck,
    Pending,
}

impl WatchOutcome {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The diagnosis first (`docs/contract.md`, `diagnosis`): the most likely root
/// cause among the checks, the symptoms it explains, and one next step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
pub struct Diagnosis {
    /// The check that names the root cause; null when no check fails (or
    /// when the failing checks are symptoms no check explains).
    pub cause: Option<CheckId>,
    /// Stable kebab-case code of this diagnosis (the cause check's reason code, e.g. `ews-requests-failing`; else `all-clear`, `warnings-only` or `unexplained-failure`).
    pub code: String,
    pub summary: String,
    /// The one thing to do next: the cause check's remediation, or what helps most.
    pub next_step: String,
    /// The failing or warning checks this cause explains (e.g. `spooler-stuck`).
    pub symptoms: Vec<CheckId>,
    /// Other causes that fail or warn, best first: look at them after the cause.
    #[serde(default)]
    pub also: Vec<CheckId>,
    /// What each of `symptoms` looks like to the user, worded when the
    /// report was made, so a report read back later renders as written.
    /// Absent in reports written before the key existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symptom_text: Vec<SymptomText>,
    /// `summary` as a message of the catalogue (`docs/i18n.md`); absent in
    /// reports written before the key existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Msg>,
    /// `next_step` as messages of the catalogue, one per step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Msg>,
}

/// One symptom of [`Diagnosis::symptoms`] in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SymptomText {
    pub check: CheckId,
    /// E.g. "messages stuck in the History Spooler".
    pub what: String,
}

impl Report {
    pub fn check(&self, id: CheckId) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// The same report written in `lang`: every text made from its messages
    /// again (after `--redact`, from the redacted values).
    pub fn localize(&mut self, lang: Lang) {
        self.lang = lang;
        for c in &mut self.checks {
            c.localize(lang);
        }
        let d = &mut self.diagnosis;
        if let Some(m) = &d.message {
            d.summary = crate::i18n::text(lang, m);
        }
        if !d.steps.is_empty() {
            d.next_step = d
                .steps
                .iter()
                .map(|s| crate::i18n::text(lang, s))
                .collect::<Vec<_>>()
                .join(" ");
        }
        for s in &mut d.symptom_text {
            let id = format!("symptom-{}", s.check);
            s.what = if crate::i18n::catalog::has(lang, &id) {
                crate::i18n::text(lang, &Msg::new(id))
            } else {
                // A symptom without words of its own: its check's title.
                crate::i18n::text(lang, &Msg::new(format!("check-{}", s.check)))
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_like_a_person_writes_them() {
        assert_eq!(human_age(90), "90s");
        assert_eq!(human_age(120), "2m");
        assert_eq!(human_age(3600), "60m");
        assert_eq!(human_age(7200), "2h00m");
        assert_eq!(human_age(200_000), "2d07h");
    }

    #[test]
    fn verdict_is_the_worst_status() {
        assert_eq!(
            Verdict::from_statuses([Status::Pass, Status::Skip]),
            Verdict::Ok
        );
        assert_eq!(
            Verdict::from_statuses([Status::Info, Status::Warn]),
            Verdict::Warn
        );
        assert_eq!(
            Verdict::from_statuses([Status::Warn, Status::Fail, Status::Pass]),
            Verdict::Fail
        );
    }
}
