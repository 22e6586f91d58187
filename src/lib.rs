//! offline-im-doctor: finds out why Skype for Business "Offline IM"
//! messages are not delivered.
//!
//! The library never prints and never exits. The flow is one direction
//! (docs/architecture.md): [`inspect`] resolves `--root` once (a folder or
//! an evidence bundle); the fact [`sources`] (discovery, the spooler and log
//! scanners, pasted server settings, the machine, the probe) record what
//! they see; [`checks`] turn facts into statuses and reason [`codes`];
//! [`report`] builds the one typed [`model::Report`] with its [`diagnosis`];
//! [`render`] turns it into every format. [`collect`] writes bundles above
//! the report, [`fleet`] reads many reports.

pub mod bundle;
pub mod checks;
pub mod client_build;
pub mod codes;
pub mod collect;
pub mod diagnosis;
pub mod facts;
pub mod fleet;
pub mod fsutil;
pub mod i18n;
pub mod input_file;
pub mod inspect;
pub mod landscape;
pub mod model;
pub mod redact;
pub mod render;
pub mod report;
pub mod rules;
pub mod sanitize;
pub mod sip;
pub mod sources;
pub mod terms;
pub mod urls;
pub mod watch;
