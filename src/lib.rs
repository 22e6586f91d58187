//! offline-im-doctor: finds out why Skype for Business 2016 "Offline IM"
//! messages are not delivered.
//!
//! The library never prints and never exits. Scanners ([`scan`],
//! [`discover`], [`server_config`], [`machine`]) produce facts, [`checks`]
//! turn facts into statuses, [`render`] turns the one typed
//! [`model::Report`] into a table, JSON or Markdown.

pub mod build;
pub mod bundle;
pub mod checks;
pub mod codes;
pub mod collect;
pub mod console;
pub mod diagnosis;
pub mod discover;
pub mod facts;
pub mod fleet;
pub mod fsutil;
pub mod inspect;
pub mod landscape;
pub mod machine;
pub mod model;
pub mod probe;
pub mod redact;
pub mod render;
pub mod report;
pub mod rules;
pub mod sanitize;
pub mod scan;
pub mod server_config;
