//! The integration tests: one crate, one binary (ripgrep's `tests/tests.rs`),
//! each file a module. They run the real binary on fixture trees built in
//! temp dirs (`common`) or call the library.

mod common;

mod aggregate;
mod bundle;
mod bundle_travel;
mod bundle_verify;
mod check_cli;
mod checks;
mod collect_limits;
mod diagnosis;
mod etl;
mod ews_answers;
mod exchange_online_ews;
mod fuzz_regressions;
mod hostile_fs;
mod html;
mod input_files;
mod inspected_machine;
mod lang;
mod log_checks;
mod logs_scan;
mod outputs;
mod pe_version;
mod plain_zip;
mod privacy;
mod probe;
mod product_support;
mod read_only;
mod readme;
mod redact_ndjson;
mod report_view;
mod samples;
mod schema;
mod server_config;
mod snapshots;
mod terminal_safety;
mod version;
mod watch;
