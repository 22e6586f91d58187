//! Fuzz the UccApilog entry parser: the prefix parser on the raw input, and
//! the whole streaming scan (encoding sniffing, chunking, entries, rules)
//! twice, with tiny and with huge chunks, which must agree.
#![no_main]

use std::sync::OnceLock;

use chrono::FixedOffset;
use libfuzzer_sys::fuzz_target;
use offline_im_doctor::sources::scan::logs::{
    LogScanOptions, LogTimeZone, parse_entry_header, scan_log_bytes,
};

fn options() -> &'static (LogScanOptions, LogScanOptions) {
    static OPTS: OnceLock<(LogScanOptions, LogScanOptions)> = OnceLock::new();
    OPTS.get_or_init(|| {
        let small = LogScanOptions {
            time_zone: LogTimeZone::Fixed(FixedOffset::east_opt(0).expect("zero offset")),
            threads: 1,
            chunk_bytes: 61,
            max_line_bytes: 300,
            ..LogScanOptions::default()
        };
        let whole = LogScanOptions {
            chunk_bytes: 1 << 20,
            ..small.clone()
        };
        (small, whole)
    })
}

fuzz_target!(|data: &[u8]| {
    if let Some(h) = parse_entry_header(data) {
        assert!(h.text_start <= data.len());
    }
    let (small, whole) = options();
    let a = scan_log_bytes("fuzz", data, small);
    let b = scan_log_bytes("fuzz", data, whole);
    assert_eq!(a, b, "chunking changed the facts");
});
