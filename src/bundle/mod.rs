//! Evidence bundles: `collect` writes one ([`write`](mod@write)), `check --root
//! bundle.zip` reads it in place ([`read`]; nothing is extracted to disk).
//! [`format`](mod@format) is what both agree on: member names, the manifest, the
//! inventory of facts and the recorded inputs, and the version.
//!
//! A bundle is a zip (deflate) holding the client logs (`logs/<version>/...`,
//! rewritten by `--redact`), the `.etl` traces (`etl/<version>/...`, up to a
//! size cap, left out by `--no-etl` and by `--redact`), `inventory.json` (the
//! profiles and each History Spooler's file list with sizes, modification
//! times and sniffed types, never content), `machine.json` (what the registry
//! and lync.exe said), `inputs.json` (the inspected machine: host name, UTC
//! offset, time zone, OS; and every input `collect` was given, with the
//! pasted server settings and rules as members under `inputs/`),
//! `report.json` (the diagnosis at collection time), the spooled files
//! themselves only with `--include-messages`, and `manifest.json` last:
//! every member's path, size, modification time and SHA-256.

pub mod format;
pub mod plain;
pub mod read;
pub mod write;

use crate::facts::ProfileFacts;
use crate::sources::discover::Discovery;
use crate::sources::scan::logs::LogFacts;

pub use format::{BUNDLE_VERSION, BundleError, is_bundle_path};
pub use plain::PlainZip;
pub use read::OpenBundle;

/// What a zip holds of one inspection, before the checks: an evidence
/// bundle ([`OpenBundle::facts`]) or a plain zip of a copied folder
/// ([`PlainZip::facts`]), read the way a folder is.
pub struct ZipFacts {
    pub inspection: Discovery,
    pub profiles: Vec<ProfileFacts>,
    pub logs: LogFacts,
}
