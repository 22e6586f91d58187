//! Fact sources: what is on disk, in the registry, in pasted cmdlet output
//! or on the wire. Each reports what it saw (with where and when), never a
//! verdict: the checks judge. See docs/architecture.md.

pub mod discover;
pub mod etl;
pub mod machine;
pub mod probe;
pub mod scan;
pub mod server_config;
