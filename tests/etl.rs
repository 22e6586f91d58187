//! The ETL container reader on bytes the tests write (tests/common/etl_builder.rs),
//! the report's `logs.etl[]` keys and `offline-im-activity` coverage on the
//! real binary, bundles carrying the parsed facts, and the two real traces
//! beside the repository (`../shared/etl-samples`).

use crate::common;
use crate::common::etl_builder;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use common::*;
use etl_builder::*;
use offline_im_doctor::sources::etl::{EtlOptions, EtlSummary, read_etl};

const LYNC_ETL: &str = "Lync-16.0.6965.5305-Office-x86ship-U.etl";

fn read(bytes: &[u8]) -> EtlSummary {
    read_etl(bytes, &EtlOptions::default())
}

/// A trace from 08:50 to 09:10 (header), events from 08:55 to 09:05.
fn trace() -> EtlBuilder {
    let mut b = EtlBuilder::new(utc("2026-11-24T08:50:00Z"), utc("2026-11-24T09:10:00Z"));
    b.wpp(GUID_A, 10, 300.0, &utf16z("sip:bob@contoso.com"))
        .wpp(GUID_A, 11, 330.5, b"abc\0")
        .event(GUID_B, 400.0, &[1, 2, 3])
        .next_buffer()
        .wpp(
            GUID_A,
            12,
            600.0,
            &utf16z("https://mail.contoso.com/EWS/Exchange.asmx"),
        )
        .wpp(GUID_B, 1, 900.0, b"HTTP/1.1 401 Unauthorized\0");
    b
}

#[test]
fn reads_header_events_kinds_guids_and_minutes() {
    let s = read(&trace().build());
    assert_eq!(s.error, None);
    assert_eq!(s.logger.as_deref(), Some("Lync"));
    assert_eq!(s.start, Some(utc("2026-11-24T08:50:00Z")));
    assert_eq!(s.end, Some(utc("2026-11-24T09:10:00Z")));
    assert_eq!(s.events, 5);
    assert_eq!(s.first_event, Some(utc("2026-11-24T08:55:00Z")));
    assert_eq!(s.last_event, Some(utc("2026-11-24T09:05:00Z")));
    assert_eq!(s.clock.as_deref(), Some("qpc"));
    assert_eq!(s.buffers_read, 2);
    assert_eq!(s.kinds["wpp"], 4);
    assert_eq!(s.kinds["event"], 1);
    assert_eq!(
        s.kinds["system"], 1,
        "the header record is counted as a record"
    );
    assert_eq!(s.guids[0].guid, "04030201-0605-0807-090a-0b0c0d0e0f10");
    assert_eq!((s.guids[0].kind.as_str(), s.guids[0].records), ("wpp", 3));
    let per: Vec<(String, u64)> = s
        .per_minute
        .iter()
        .map(|m| (m.minute.format("%H:%M").to_string(), m.events))
        .collect();
    assert_eq!(
        per,
        [
            ("08:55".into(), 2),
            ("08:56".into(), 1),
            ("09:00".into(), 1),
            ("09:05".into(), 1)
        ]
    );
    assert!(!s.circular && !s.compressed);
}

#[test]
fn system_time_clock_and_32_bit_pointers() {
    let mut b = trace();
    b.clock = 2;
    b.pointer_size = 4;
    b.buffers = vec![Vec::new()];
    b.wpp(GUID_A, 1, 61.0, b"");
    let s = read(&b.build());
    assert_eq!(s.error, None);
    assert_eq!(s.logger.as_deref(), Some("Lync"));
    assert_eq!(s.clock.as_deref(), Some("system-time"));
    assert_eq!(s.first_event, Some(utc("2026-11-24T08:51:01Z")));
}

#[test]
fn lost_events_and_buffers_are_counted() {
    let mut b = trace();
    b.events_lost = 12;
    b.buffers_lost = 2;
    let s = read(&b.build());
    assert_eq!((s.events_lost, s.buffers_lost), (12, 2));
}

#[test]
fn circular_trace_whose_first_event_is_not_at_the_start() {
    let mut b = EtlBuilder::new(utc("2026-11-24T08:00:00Z"), utc("2026-11-24T09:00:00Z"));
    b.mode = 0x2;
    // The newest buffer overwrote the oldest: later events come first in the file.
    b.wpp(GUID_A, 1, 3000.0, b"")
        .next_buffer()
        .wpp(GUID_A, 2, 1200.0, b"")
        .wpp(GUID_A, 3, 1800.0, b"");
    let s = read(&b.build());
    assert!(s.circular);
    assert_eq!(s.first_event, Some(utc("2026-11-24T08:20:00Z")));
    assert_eq!(s.last_event, Some(utc("2026-11-24T08:50:00Z")));
}

#[test]
fn truncated_trace_keeps_what_was_read() {
    let bytes = trace().build();
    let cut = &bytes[..4096 + 0x48 + 40];
    let s = read(cut);
    assert_eq!(s.logger.as_deref(), Some("Lync"));
    assert!(
        s.error.as_deref().unwrap().starts_with("truncated"),
        "{:?}",
        s.error
    );
    // The first buffer's three events; the second's first record is cut.
    assert_eq!(s.events, 3);
    assert_eq!(s.last_event, Some(utc("2026-11-24T08:56:40Z")));
}

#[test]
fn compressed_buffers_are_named_not_read() {
    let mut b = trace();
    b.compressed = vec![1];
    let s = read(&b.build());
    assert!(s.compressed);
    assert_eq!(s.events, 3);
    assert!(
        s.error
            .as_deref()
            .unwrap()
            .contains("1 compressed buffer(s) not read")
    );
}

#[test]
fn not_an_etl_at_all() {
    for bytes in [
        &b""[..],
        b"hello",
        &[0u8; 200][..],
        &b"11/24/2026|09:00:00.000 1A2C:2B3D INFO  :: a text log, not a trace\r\n".repeat(20)[..],
    ] {
        let s = read(bytes);
        assert!(
            s.error.as_deref().unwrap().contains("not an ETW trace")
                || s.error.as_deref().unwrap().starts_with("empty"),
            "{:?}",
            s.error
        );
        assert_eq!(s.events, 0);
    }
    // A buffer whose first record is no logfile header.
    let mut b = trace();
    b.buffers = vec![Vec::new()];
    let mut bytes = b.build();
    bytes[0x48 + 2] = 0x13; // the header record now claims to be an EVENT_HEADER
    let s = read(&bytes);
    assert!(s.error.unwrap().contains("no logfile header"));
}

#[test]
fn caps_hold() {
    let mut b = trace();
    b.buffer_size = 64 * 1024 * 1024;
    b.buffers = vec![Vec::new()];
    let bytes = b.build();
    let s = read(&bytes[..4096]);
    assert!(s.error.unwrap().contains("more than the"));
    let s = read_etl(
        &trace().build()[..],
        &EtlOptions {
            max_records: 3,
            ..EtlOptions::default()
        },
    );
    assert_eq!(s.events, 2);
    assert!(s.error.unwrap().contains("stopped after 3 records"));
}

#[test]
fn garbage_record_ends_its_buffer_only() {
    let mut b = trace();
    b.raw_record(&[0x10, 0, 0x33, 0x44, 0, 0, 0, 0]);
    b.next_buffer().wpp(GUID_A, 1, 1000.0, b"");
    let s = read(&b.build());
    assert_eq!(s.events, 6);
    assert!(s.error.unwrap().contains("record header not known"));
}

// ---- the report, on the real binary ----

fn tracing_dir(f: &Fixture) -> PathBuf {
    f.lync("16.0").join("Tracing")
}

fn put_trace(f: &Fixture, name: &str, bytes: &[u8]) -> PathBuf {
    let p = tracing_dir(f).join(name);
    write_with_age(&p, bytes, 30);
    p
}

fn etl_entry(report: &Report) -> &EtlInfo {
    &report.logs.etl[0]
}

/// A profile with one message stuck since 09:00 (NOW is 10:00).
fn stuck_fixture() -> Fixture {
    let f = Fixture::new();
    f.spool(
        "a@contoso.com",
        "m.xml",
        b"<m><to>sip:b@contoso.com</to></m>",
        3600,
    );
    f.log(
        "Lync-UccApi-0.UccApilog",
        &entry("08:00:00.000", "INFO", "started"),
    );
    f
}

#[test]
fn report_keys_and_coverage_from_the_events() {
    let f = stuck_fixture();
    put_trace(&f, LYNC_ETL, &trace().build());
    let (r, v) = check_report(f.root(), &["--log-utc-offset", "+00:00"]);
    assert!(r.code <= 1, "{}", r.stderr);
    let e = etl_entry(&v);
    assert_eq!(e.logger.as_deref(), Some("Lync"));
    assert_eq!(e.start, Some(utc("2026-11-24T08:50:00Z")));
    assert_eq!(e.end, Some(utc("2026-11-24T09:10:00Z")));
    assert_eq!(e.first_event, Some(utc("2026-11-24T08:55:00Z")));
    assert_eq!(e.last_event, Some(utc("2026-11-24T09:05:00Z")));
    assert_eq!((e.events, e.events_lost, e.buffers_lost), (5, 0, 0));
    assert!(!e.circular && !e.compressed);
    assert_eq!(e.build.as_deref(), Some("16.0.6965.5305"));
    assert_eq!(e.covers_stuck, Some(true));
    assert_eq!(e.error, None);
    assert!(e.strings.is_none(), "strings only with --etl-strings");
    assert_eq!(
        code(&v, CheckId::OfflineImActivity),
        "offline-no-text-events"
    );
    // The client build from the file name, below the logs' User-Agent.
    assert_eq!(v.client.source, Some(BuildSource::EtlName));
    assert_eq!(v.client.build.as_deref(), Some("16.0.6965.5305"));
}

#[test]
fn user_agent_wins_over_the_etl_name() {
    let f = stuck_fixture();
    f.log(
        "Lync-UccApi-0.UccApilog",
        &user_agent_entry("08:00:00.000", "16.0.6965.2058"),
    );
    put_trace(&f, LYNC_ETL, &trace().build());
    let (_, v) = check_report(f.root(), &["--log-utc-offset", "+00:00"]);
    assert_eq!(v.client.source, Some(BuildSource::Log));
    assert_eq!(v.client.build.as_deref(), Some("16.0.6965.2058"));
    assert_eq!(etl_entry(&v).build.as_deref(), Some("16.0.6965.5305"));
}

#[test]
fn a_trace_written_after_but_holding_no_events_then_does_not_cover() {
    // Modified just now (the old rule would have said "covers"), but its
    // events end at 08:30, before the message stuck at 09:00.
    let f = stuck_fixture();
    let mut b = EtlBuilder::new(utc("2026-11-24T08:00:00Z"), utc("2026-11-24T09:59:00Z"));
    b.events_lost = 4;
    b.wpp(GUID_A, 1, 60.0, b"").wpp(GUID_A, 2, 1800.0, b"");
    put_trace(&f, LYNC_ETL, &b.build());
    let (_, v) = check_report(f.root(), &["--log-utc-offset", "+00:00"]);
    let e = etl_entry(&v);
    assert_eq!(e.covers_stuck, Some(false));
    assert_eq!(e.events_lost, 4);
    let ev = evidence_text(&v, CheckId::OfflineImActivity);
    assert!(
        ev.contains("does not cover the stuck message(s) of 2026-11-24 09:00:00Z"),
        "{ev}"
    );
    assert!(ev.contains("lost 4 event(s)"), "{ev}");
}

#[test]
fn no_stuck_message_gives_null_coverage_and_a_bad_file_an_error() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    f.log(
        "Lync-UccApi-0.UccApilog",
        &entry("08:00:00.000", "INFO", "started"),
    );
    put_trace(&f, LYNC_ETL, &trace().build());
    put_trace(&f, "Lync-broken.etl", b"not a trace at all, just text");
    let (_, v) = check_report(f.root(), &[]);
    let etl = v.logs.etl;
    let good = etl
        .iter()
        .find(|e| e.build.as_deref() == Some("16.0.6965.5305"))
        .unwrap();
    let bad = etl.iter().find(|e| e.build.is_none()).unwrap();
    assert_eq!(good.covers_stuck, None);
    assert!(bad.error.as_deref().unwrap().contains("not an ETW trace"));
    assert_eq!(bad.events, 0);
}

#[test]
fn a_bundle_carries_the_parsed_facts() {
    let f = stuck_fixture();
    put_trace(&f, LYNC_ETL, &trace().build());
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("b.zip");
    // --no-etl: the trace is not in the bundle, yet its facts are.
    let r = collect_run(f.root(), &zip, &["--no-etl", "--log-utc-offset", "+00:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, v) = check_report(&zip, &[]);
    let e = etl_entry(&v);
    assert_eq!(e.events, 5);
    assert_eq!(e.first_event, Some(utc("2026-11-24T08:55:00Z")));
    assert_eq!(e.covers_stuck, Some(true));
    assert_eq!(e.error, None);
    // Judged again at another --now: nothing is stuck at 09:01 yet... the
    // message was written at 09:00 and --stuck-after is 2 minutes.
    let r = run(&[
        "check",
        "--root",
        zip.to_str().unwrap(),
        "--now",
        "2026-11-24T09:01:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(r.report().logs.etl[0].covers_stuck, None);
}

// ---- the real traces beside the repository ----

fn samples() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/etl-samples");
    if p.is_dir() {
        return Some(p);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI has ../shared/etl-samples next to the repository; it is missing at {}",
        p.display()
    );
    eprintln!("skipped: no {}", p.display());
    None
}

fn micros(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S%.6f").to_string())
        .unwrap_or_default()
}

/// Within a microsecond of the README's figure (it rounds to microseconds).
fn near(t: Option<DateTime<Utc>>, readme: &str) {
    let want = chrono::NaiveDateTime::parse_from_str(readme, "%Y-%m-%d %H:%M:%S%.f")
        .unwrap()
        .and_utc();
    let got = t.expect("a time");
    assert!(
        (got - want).abs() <= Duration::microseconds(1),
        "{got} vs {readme}"
    );
}

#[test]
fn real_samples_match_their_header_facts() {
    let Some(dir) = samples() else { return };
    let s = offline_im_doctor::sources::etl::read_etl_file(&dir.join("lxcore_kernel.etl"));
    assert_eq!(s.error, None);
    assert_eq!(s.logger.as_deref(), Some("lxcore_kernel"));
    assert_eq!(
        (s.buffer_size, s.pointer_size, s.buffers_written),
        (8192, 8, 3)
    );
    assert_eq!((s.events_lost, s.buffers_lost, s.log_file_mode), (0, 0, 0));
    near(s.start, "2020-07-14 12:04:31.138736");
    near(s.end, "2020-07-14 12:04:43.281687");
    assert_eq!(s.events, 2);
    near(s.first_event, "2020-07-14 12:04:36.902651");
    near(s.last_event, "2020-07-14 12:04:36.903871");

    let s = offline_im_doctor::sources::etl::read_etl_file(&dir.join("AMSITrace.etl"));
    assert_eq!(s.error, None);
    assert_eq!(s.logger.as_deref(), Some("AMSITraceSession"));
    assert_eq!(
        (s.buffer_size, s.pointer_size, s.buffers_written),
        (65536, 8, 6)
    );
    assert_eq!(
        (s.events_lost, s.buffers_lost, s.log_file_mode),
        (3, 0, 0x800_0001)
    );
    near(s.start, "2020-02-17 12:48:30.420313");
    near(s.end, "2020-02-17 12:50:00.026066");
    assert_eq!(s.events, 19);
    near(s.first_event, "2020-02-17 12:48:57.454272");
    near(s.last_event, "2020-02-17 12:49:50.402432");
    assert!(!s.circular);
    assert_eq!(micros(s.first_event), "2020-02-17 12:48:57.454272");
}

// ---- --etl-strings ----

fn strings_of(v: &Report) -> &EtlStrings {
    etl_entry(v)
        .strings
        .as_ref()
        .expect("--etl-strings gives strings")
}

#[test]
fn etl_strings_near_the_stuck_message_pointed_out_and_redacted() {
    let f = stuck_fixture();
    put_trace(&f, LYNC_ETL, &trace().build());
    let (r, v) = check_report(f.root(), &["--log-utc-offset", "+00:00", "--etl-strings"]);
    assert!(r.code <= 1, "{}", r.stderr);
    let s = strings_of(&v);
    assert_eq!(s.note, "raw strings, no context");
    assert_eq!(s.windows[0], "2026-11-24T08:55:00Z/2026-11-24T09:05:00Z");
    let items = &s.items;
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    // 08:55:00 and 09:05:00 are inside (both ends count), 08:55:30 too;
    // the event record at 08:56:40 is no WPP message.
    assert_eq!(
        texts,
        [
            "sip:bob@contoso.com",
            "https://mail.contoso.com/EWS/Exchange.asmx",
            "HTTP/1.1 401 Unauthorized"
        ]
    );
    let looks: Vec<Option<&str>> = items.iter().map(|i| i.looks_like.as_deref()).collect();
    assert_eq!(looks, [None, Some("ews-url"), Some("http-status")]);
    assert_eq!(items[0].encoding, "utf-16");
    assert_eq!(
        items[0].message.as_deref(),
        Some("04030201-0605-0807-090a-0b0c0d0e0f10#10")
    );

    // A narrower window leaves the 09:05 string out.
    let (_, v) = check_report(
        f.root(),
        &[
            "--log-utc-offset",
            "+00:00",
            "--etl-strings",
            "--etl-window",
            "4m",
        ],
    );
    assert_eq!(strings_of(&v).items.len(), 1);

    // --redact pseudonymises the address in the strings like everywhere else.
    let (r, v) = check_report(
        f.root(),
        &["--log-utc-offset", "+00:00", "--etl-strings", "--redact"],
    );
    assert!(!r.stdout.contains("bob@contoso.com"), "{}", r.stdout);
    assert_eq!(strings_of(&v).items.len(), 3);
}

#[test]
fn etl_strings_from_a_bundle_need_the_trace_in_it() {
    let f = stuck_fixture();
    put_trace(&f, LYNC_ETL, &trace().build());
    let out = tempfile::tempdir().unwrap();
    for (name, extra) in [("with.zip", None), ("without.zip", Some("--no-etl"))] {
        let zip = out.path().join(name);
        let mut args = vec![
            "collect",
            "--root",
            f.root().to_str().unwrap(),
            "--now",
            NOW,
            "--out",
            zip.to_str().unwrap(),
            "--log-utc-offset",
            "+00:00",
        ];
        args.extend(extra);
        assert_eq!(run(&args).code, 0);
        let (_, v) = check_report(&zip, &["--etl-strings"]);
        let s = strings_of(&v);
        match extra {
            None => assert_eq!(s.items.len(), 3, "{s:?}"),
            Some(_) => assert!(
                s.error.as_deref().unwrap().contains("not in the bundle"),
                "{s:?}"
            ),
        }
    }
}

#[test]
fn etl_window_needs_etl_strings() {
    let f = stuck_fixture();
    let r = check_run(f.root().to_str().unwrap(), &["--etl-window", "1m"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
