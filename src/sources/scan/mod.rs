//! Scanners: they read what is on disk and produce facts, never statuses.

pub mod logs;
pub mod spooler;
