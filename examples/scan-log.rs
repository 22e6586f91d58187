//! Scan log files with the library's log scanner and print what it found,
//! for the benchmark (`benchsuite/logscan.sh`) and for trying rules by hand.
//!
//! ```text
//! cargo run --release --example scan-log -- [--rules FILE] [--utc-offset +01:00] [--json] FILE...
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use offline_im_doctor::rules::RuleSet;
use offline_im_doctor::sources::scan::logs::{
    LogScanOptions, LogScanner, LogTimeZone, parse_utc_offset,
};

fn main() -> ExitCode {
    let mut opts = LogScanOptions::default();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => json = true,
            "--threads" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => opts.threads = n,
                None => {
                    eprintln!("scan-log: --threads needs a number");
                    return ExitCode::from(2);
                }
            },
            "--rules" => {
                let Some(p) = args.next() else {
                    eprintln!("scan-log: --rules needs a file");
                    return ExitCode::from(2);
                };
                match RuleSet::load_with_overrides(p.as_ref()) {
                    Ok(r) => opts.rules = r,
                    Err(e) => {
                        eprintln!("scan-log: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
            "--utc-offset" => match args.next().as_deref().and_then(parse_utc_offset) {
                Some(o) => opts.time_zone = LogTimeZone::Fixed(o),
                None => {
                    eprintln!("scan-log: --utc-offset needs an offset like +01:00");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(a.into()),
        }
    }
    if files.is_empty() {
        eprintln!("usage: scan-log [--rules FILE] [--utc-offset +01:00] [--json] FILE...");
        return ExitCode::from(2);
    }
    let mut scanner = LogScanner::new(&opts);
    for f in &files {
        scanner.scan_file(f);
    }
    let facts = scanner.finish();
    if json {
        match serde_json::to_string_pretty(&facts) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("scan-log: {e}");
                return ExitCode::from(1);
            }
        }
        return ExitCode::SUCCESS;
    }
    for l in &facts.logs {
        println!(
            "{}: {} bytes, {} lines, {} entries, {}{}{}",
            l.path,
            l.size,
            l.lines,
            l.entries,
            l.encoding,
            l.error
                .as_ref()
                .map(|e| format!(", error: {e}"))
                .unwrap_or_default(),
            l.warning
                .as_ref()
                .map(|w| format!(", warning: {w}"))
                .unwrap_or_default()
        );
    }
    let show =
        |name: &str, v: Option<String>| println!("{name}: {}", v.unwrap_or_else(|| "-".into()));
    show(
        "newest build",
        facts
            .newest_build
            .as_ref()
            .map(|f| format!("{} (line {}, {:?})", f.value, f.line, f.timestamp)),
    );
    show(
        "policy EnableIMAutoArchiving",
        facts
            .policy_auto_archiving
            .as_ref()
            .map(|f| format!("{} (line {})", f.value, f.line)),
    );
    show(
        "user imAutoArchiving",
        facts
            .user_auto_archiving
            .as_ref()
            .map(|f| format!("{} (line {})", f.value, f.line)),
    );
    println!(
        "EWS URLs: {}",
        facts
            .ews_urls
            .iter()
            .map(|f| f.value.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("EWS/autodiscover failures: {}", facts.ews_failure_count);
    for e in &facts.http_endpoints {
        println!(
            "  endpoint {} {}: latest HTTP {}{}, {} responses, {} failed, {} handshakes, {} recovered",
            e.kind,
            e.url.as_deref().unwrap_or("(no URL)"),
            e.latest.value,
            if e.failing() { " (failing)" } else { "" },
            e.responses,
            e.failures,
            e.handshakes,
            e.recovered
        );
    }
    println!("ms-diagnostics errors: {}", facts.sip_error_count);
    println!("x-ms-diagnostics headers: {}", facts.http_diagnostic_count);
    println!(
        "times read in UTC offset: {}",
        facts.utc_offset.as_deref().unwrap_or("-")
    );
    println!(
        "offline-message events: {}, failures: {}",
        facts.offline_events, facts.offline_failure_count
    );
    println!("timeline events kept: {}", facts.timeline.len());
    ExitCode::SUCCESS
}
