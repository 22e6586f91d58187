//! The bundle format: member names, the manifest, the inventory of facts
//! and the recorded inputs. Version 2 added `inputs.json` (the inspected
//! machine and every input given to `collect`), the `.etl` traces, and
//! time-free spooler facts (no ages: a re-check judges them at its own `--now`).
//! Version 1 bundles still open (their spooler ages are ignored).

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::facts::InspectedHost;
use crate::model::ToolInfo;
use crate::sources::discover::RootKind;
use crate::sources::scan::logs::EtlFile;
use crate::sources::scan::spooler::SpoolerScan;

/// The version `collect` writes.
pub const BUNDLE_VERSION: u32 = 2;
/// The oldest version still read.
pub const OLDEST_READABLE: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const INVENTORY: &str = "inventory.json";
pub const REPORT: &str = "report.json";
pub const MACHINE: &str = "machine.json";
/// Since version 2.
pub const INPUTS: &str = "inputs.json";
/// `.etl` traces larger than this in all are left out, newest kept first
/// (the client's own cap keeps each trace far smaller).
pub const MAX_ETL_BYTES: u64 = 256 * 1024 * 1024;

/// More members than a real bundle ever has (a spooler with tens of thousands of files included).
pub(crate) const MAX_ENTRIES: usize = 200_000;
/// The JSON members are small; this bounds what is held in memory.
pub(crate) const MAX_JSON_BYTES: u64 = 256 * 1024 * 1024;
/// Deflate tops out near 1032:1 (one byte repeated); real logs compress
/// 10-50:1. A member at the ceiling and over a MiB is a bomb.
pub(crate) const MAX_RATIO: u64 = 1000;
/// Below this declared size the ratio is not judged: reading such a member
/// costs little, and an all-NUL log compresses past any plausible ratio.
pub(crate) const MIN_BOMB_BYTES: u64 = 32 * 1024 * 1024;
/// Declared uncompressed size of all members together.
pub(crate) const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// A spooled message larger than this is listed, not included.
pub(crate) const MAX_MESSAGE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Name inside the bundle.
    pub path: String,
    /// Where it came from on the inspected machine (pseudonymised with --redact).
    pub source: Option<String>,
    /// Bytes as stored in the bundle (after --redact rewrote it).
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub bundle_version: u32,
    pub tool: ToolInfo,
    /// The `--now` of the collecting run: a check of the bundle measures ages from here.
    pub created_at: DateTime<Utc>,
    pub redacted: bool,
    pub includes_messages: bool,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundledProfile {
    pub sip_address: String,
    pub office_version: String,
    pub path: String,
    pub spooler: SpoolerScan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundledTracing {
    pub office_version: String,
    /// The `<ver>\Lync` folder on the inspected machine.
    pub lync_path: String,
    /// The Tracing folder on the inspected machine.
    pub path: String,
    /// Bundle members, in scan order (each `.bak` before its live log).
    pub logs: Vec<String>,
    pub etl: Vec<EtlFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    /// Empty: the collecting technician's path never goes into a bundle
    /// (`root_kind` says what was given).
    #[serde(default)]
    pub root: String,
    pub root_kind: RootKind,
    pub profiles: Vec<BundledProfile>,
    pub lync_folders: Vec<BundledTracing>,
    /// Lync folders without a Tracing folder.
    pub lync_without_tracing: Vec<(String, String)>,
    pub problems: Vec<String>,
    /// Where `collect` could not look, and why.
    #[serde(default)]
    pub could_not_read: Vec<crate::sources::discover::CouldNotRead>,
}

/// How one input given to `collect` travels in the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedFile {
    /// The path given on the collecting machine (pseudonymised with --redact).
    pub given: String,
    /// The bundle member holding its bytes.
    pub member: String,
}

/// Whether the `.etl` traces are in the bundle, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EtlInclusion {
    pub included: Vec<String>,
    /// Why traces were left out (`--no-etl`, `--redact`, the size cap).
    pub left_out: Vec<String>,
}

/// `inputs.json`: the machine the facts describe, and every inspection
/// option `collect` was given. A re-check uses them unless its own command
/// line says otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RecordedInputs {
    pub host: InspectedHost,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub stuck_after_seconds: Option<i64>,
    #[serde(default)]
    pub client_version: Option<String>,
    /// `auto`, `online` or `on-premises`.
    #[serde(default)]
    pub mailbox: Option<String>,
    /// `--log-utc-offset` as given, e.g. `+02:00`.
    #[serde(default)]
    pub log_utc_offset: Option<String>,
    #[serde(default)]
    pub max_log_size: Option<u64>,
    #[serde(default)]
    pub lync_exe: Option<String>,
    #[serde(default)]
    pub server_configs: Vec<RecordedFile>,
    #[serde(default)]
    pub rules: Option<RecordedFile>,
    #[serde(default)]
    pub etl: EtlInclusion,
    /// `collect --probe` results, as the report carries them.
    #[serde(default)]
    pub probe: Option<serde_json::Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{path}: not a readable zip file ({reason}); was it copied completely?")]
    Corrupt { path: String, reason: String },
    #[error(
        "{path}: not an offline-im-doctor evidence bundle ({reason}). A zip of a copied folder is read in place only when it holds no manifest.json or inventory.json; an evidence bundle is made with `offline-im-doctor collect --out FILE.zip`"
    )]
    Foreign { path: String, reason: String },
    #[error("{path}: refused, this zip is unsafe to read: {reason}")]
    Hostile { path: String, reason: String },
    #[error(
        "--out {out}: is inside {root}, the folder being inspected; write the bundle somewhere else (nothing is ever written into the inspected folders)"
    )]
    OutInsideRoot { out: String, root: String },
    #[error("{path}: {reason}")]
    Write { path: String, reason: String },
    #[error(
        "{path}: refused, the bundle does not verify: {}; it was changed or damaged after it was written. Collect it again, or judge it anyway with --accept-damaged (the damage is then named in the report)",
        reasons.join("; ")
    )]
    Damaged { path: String, reasons: Vec<String> },
    #[error(
        "{path}: bundle_version {found} was written by a newer offline-im-doctor (this one reads versions {OLDEST_READABLE} to {BUNDLE_VERSION}); update offline-im-doctor to read it"
    )]
    TooNew { path: String, found: u32 },
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `--root` names a bundle rather than a folder.
pub fn is_bundle_path(p: &Path) -> bool {
    if !std::fs::metadata(p).is_ok_and(|m| m.is_file()) {
        return false;
    }
    // A bundle saved without its extension (`collect --out bundle`) is
    // still a zip: its first bytes say so.
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) || starts_like_a_zip(p)
}

fn starts_like_a_zip(p: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    crate::fsutil::open_shared(p)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"PK\x03\x04"
}
