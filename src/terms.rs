//! The terms that the sources, the facts and the report share: small
//! types with no dependency on the rest of the crate, so a source never
//! depends on the report that renders what it found, and a report read back
//! from a bundle or by `aggregate` uses the same words. Their JSON forms are
//! part of the contract in `docs/contract.md`.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;

/// What kind of input a piece of evidence came from. Set where the
/// evidence is made, so nothing has to guess it back from a path or wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceSource {
    /// A command-line option (`--client-version`, `--mailbox`, ...).
    Option,
    /// The Windows registry (policies, Click-to-Run configuration).
    Registry,
    /// A program file's version resource (`lync.exe`).
    PeFile,
    /// A client text log (`*.UccApilog`).
    Log,
    /// Pasted server configuration (`--server-config`).
    Paste,
    /// The network probe (`--probe`).
    Probe,
    /// A client ETL trace file.
    Etl,
    /// The History Spooler folder.
    Spooler,
    /// The tool's own data and conclusions (product landscape, counts).
    Tool,
}

/// Where the client build came from, tried in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum BuildSource {
    #[serde(rename = "option")]
    Option,
    #[serde(rename = "registry")]
    Registry,
    #[serde(rename = "lync.exe")]
    LyncExe,
    #[serde(rename = "log")]
    Log,
    // The build in an ETL trace's file name.
    #[serde(rename = "etl-name")]
    EtlName,
}

/// How the client is installed: Click-to-Run or Windows Installer (MSI).
/// Offline IM needs Click-to-Run (docs/landscape.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "kebab-case")]
pub enum InstallType {
    ClickToRun,
    Msi,
    #[default]
    Unknown,
}

/// Where the user's mailbox is: Exchange Online or an on-premises Exchange.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default, IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum MailboxLocation {
    Online,
    OnPremises,
    #[default]
    Unknown,
}

impl MailboxLocation {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a timeline event is. The declaration order is the order of events
/// that share a timestamp (a build before the failures it explains), so the
/// timeline sorts by `(time, kind)` with the derived `Ord`.
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
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::AsRefStr,
    strum::EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum TimelineKind {
    /// The client build from a `User-Agent` header.
    Build,
    /// A client policy or user option value.
    Policy,
    /// The first sighting of an EWS URL.
    EwsUrl,
    /// A SIP `ms-diagnostics` error.
    SipError,
    /// An HTTP `x-ms-diagnostics` header on an EWS/autodiscover response.
    HttpDiagnostic,
    /// An EWS or autodiscover response with status 400 or above.
    EwsFailure,
    /// An offline-message event.
    OfflineIm,
    /// An offline-message event that failed.
    OfflineImFailure,
}

/// One offline-IM-relevant event from the client logs, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TimelineEvent {
    pub timestamp: Option<DateTime<Utc>>,
    pub kind: TimelineKind,
    pub path: String,
    pub line: u64,
    pub detail: String,
}

/// Where the UTC offset of the log times came from (`logs.utc_offset_source` in `docs/contract.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum OffsetSource {
    /// `--log-utc-offset`.
    Option,
    /// Recorded in the bundle by `collect` on the inspected machine.
    Bundle,
    /// A copied folder (or a bundle of one): its machine's zone is not
    /// known, so the zone of the machine running the tool is assumed.
    /// Reports of earlier versions said `system`.
    #[serde(alias = "system")]
    AssumedThisMachine,
    /// A live run: the logs are this machine's, read in its own zone.
    Machine,
}

impl OffsetSource {
    /// How the table and Markdown name it.
    pub fn describe(self) -> &'static str {
        match self {
            OffsetSource::Option => "--log-utc-offset",
            OffsetSource::Bundle => "the inspected machine's, recorded in the bundle",
            OffsetSource::AssumedThisMachine => {
                "this machine's zone, assumed: the copy does not say its own; --log-utc-offset sets it"
            }
            OffsetSource::Machine => "this machine's own zone: a live run",
        }
    }
}

/// `--etl-strings` for one trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EtlStrings {
    /// Always `raw strings, no context`.
    pub note: String,
    /// The windows searched, `FROM/TO` in UTC.
    pub windows: Vec<String>,
    pub items: Vec<EtlStringItem>,
    /// The cap cut further strings off.
    pub truncated: bool,
    /// Why the strings could not be read, when they could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EtlStringItem {
    pub time: DateTime<Utc>,
    /// `GUID#number` of the WPP message the string came with.
    pub message: Option<String>,
    /// `utf-16` or `ansi`.
    pub encoding: String,
    pub text: String,
    /// `ews-url`, `http-status` or `hresult` when it looks like one.
    pub looks_like: Option<String>,
}
