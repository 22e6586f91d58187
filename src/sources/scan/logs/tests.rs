//! Extraction on realistic entries, and the properties the streaming design
//! promises: no input panics, and the chunking never changes the facts.

use chrono::FixedOffset;
use proptest::prelude::*;

use super::*;
use crate::terms::TimelineKind;

fn opts() -> LogScanOptions {
    LogScanOptions {
        time_zone: LogTimeZone::Fixed(FixedOffset::east_opt(3600).unwrap()),
        threads: 1,
        ..LogScanOptions::default()
    }
}

fn scan(text: &str) -> LogFacts {
    scan_log_bytes("Lync-UccApi-0.UccApilog", text.as_bytes(), &opts())
}

const REGISTER: &str = "\
11/24/2026|09:58:01.123 1A2C:2B3D INFO  :: Sending Packet - 10.0.0.5:443 (From Local Address: 192.168.1.20:51234) 1436 bytes:
11/24/2026|09:58:01.124 1A2C:2B3D INFO  :: REGISTER sip:fabrikam.com SIP/2.0
Via: SIP/2.0/TLS 192.168.1.20:51234
From: <sip:jdoe@fabrikam.com>;tag=1
User-Agent: UCCAPI/16.0.6965.5308 OC/16.0.6965.2058 (Skype for Business)
Content-Length: 0

11/24/2026|09:58:01.125 1A2C:2B3D INFO  :: End of Sending Packet - 10.0.0.5:443 1436 bytes
";

#[test]
fn client_build_from_user_agent() {
    let f = scan(REGISTER);
    let b = f.newest_build.unwrap();
    assert_eq!(b.value.to_string(), "16.0.6965.2058");
    assert_eq!(b.line, 2, "the entry starts at the REGISTER line");
    assert_eq!(
        b.timestamp.unwrap().to_rfc3339(),
        "2026-11-24T08:58:01.124+00:00"
    );
    assert_eq!(
        b.excerpt,
        "User-Agent: UCCAPI/16.0.6965.5308 OC/16.0.6965.2058 (Skype for Business)"
    );
    assert_eq!(f.logs[0].entries, 3);
    assert_eq!(f.logs[0].lines, 8);
}

#[test]
fn newest_build_is_by_time_not_position() {
    let text = "\
11/24/2026|10:00:00.000 A INFO  :: x
User-Agent: UCCAPI/1 OC/16.0.7766.2047 (Skype for Business)
11/24/2026|09:00:00.000 A INFO  :: clock went back
User-Agent: UCCAPI/1 OC/16.0.6965.2058 (Skype for Business)
11/24/2026|10:00:00.000 A INFO  :: same time, later line wins
User-Agent: UCCAPI/1 OC/16.0.7000.1 (Skype for Business)
11/24/2026|09:30:00.000 A INFO  :: older
User-Agent: UCCAPI/1 OC/16.0.6000.1 (Skype for Business)
";
    let b = scan(text).newest_build.unwrap();
    assert_eq!(b.value.to_string(), "16.0.7000.1");
    assert_eq!(b.line, 5);
}

#[test]
fn auto_archiving_policy_and_user_option_newest_wins() {
    let text = "\
11/24/2026|09:00:00.000 A INFO  :: Data Received - 10.0.0.5:443
SIP/2.0 200 OK
Content-Type: application/vnd-microsoft-roaming-provisioning-v2+xml

<provisionGroupList><provisionGroup name=\"endpointConfiguration\"><propertyEntryList><property name=\"EnableTracing\">true</property><property name=\"EnableIMAutoArchiving\">true</property></propertyEntryList></provisionGroup></provisionGroupList>
11/24/2026|09:05:00.000 A INFO  :: Data Received - 10.0.0.5:443
<property name=\"EnableIMAutoArchiving\">false</property>
<otherOptions xmlns=\"http://schemas.microsoft.com/2007/09/sip/options\"><imAutoArchiving>false</imAutoArchiving></otherOptions>
";
    let f = scan(text);
    let p = f.policy_auto_archiving.unwrap();
    assert!(!p.value);
    assert_eq!(p.line, 6);
    assert_eq!(
        p.excerpt,
        "<property name=\"EnableIMAutoArchiving\">false</property>"
    );
    let u = f.user_auto_archiving.unwrap();
    assert!(!u.value);
    assert_eq!(u.excerpt, "<imAutoArchiving>false</imAutoArchiving>");
    assert_eq!(
        f.timeline
            .iter()
            .filter(|e| e.kind == TimelineKind::Policy)
            .count(),
        3
    );
}

#[test]
fn ews_urls_distinct_case_insensitive_in_every_form() {
    let text = "\
11/24/2026|09:00:00.000 A INFO  :: CUccAutodiscover - response
<EwsUrl>https://mail.fabrikam.com/EWS/Exchange.asmx</EwsUrl>
<EwsInternalUrl>https://MAIL.fabrikam.com/ews/exchange.asmx</EwsInternalUrl><EwsExternalUrl>https://ext.fabrikam.com/EWS/Exchange.asmx</EwsExternalUrl>
11/24/2026|09:01:00.000 A INFO  :: POST http://mail.fabrikam.com/EWS/Exchange.asmx
";
    let f = scan(text);
    let urls: Vec<&str> = f.ews_urls.iter().map(|u| u.value.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://MAIL.fabrikam.com/ews/exchange.asmx",
            "https://ext.fabrikam.com/EWS/Exchange.asmx",
            "http://mail.fabrikam.com/EWS/Exchange.asmx"
        ]
    );
    assert_eq!(
        f.timeline
            .iter()
            .filter(|e| e.kind == TimelineKind::EwsUrl)
            .count(),
        3
    );
}

#[test]
fn ews_and_autodiscover_failures_need_mention_and_status_in_one_entry() {
    let text = "\
11/24/2026|09:00:00.000 A INFO  :: CUccAutodiscoverRequest - GET https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml
Server: Microsoft-IIS/10.0
HTTP/1.1 401 Unauthorized
11/24/2026|09:00:01.000 A ERROR :: CUccEwsRequest - POST https://mail.fabrikam.com/EWS/Exchange.asmx failed: StatusCode=500
11/24/2026|09:00:02.000 A INFO  :: CUccEwsRequest - Exchange.asmx status code 503
11/24/2026|09:00:03.000 A INFO  :: CUccEwsRequest - Exchange.asmx status 200
11/24/2026|09:00:04.000 A INFO  :: unrelated HTTP/1.1 404 Not Found
11/24/2026|09:00:05.000 A INFO  :: autodiscover HTTP/1.0 403 Forbidden
";
    let f = scan(text);
    let got: Vec<(&str, u16, Option<&str>, u64)> = f
        .ews_failures
        .iter()
        .map(|x| {
            (
                x.value.target.as_str(),
                x.value.status,
                x.value.url.as_deref(),
                x.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "autodiscover",
                401,
                Some("https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml"),
                1
            ),
            (
                "ews",
                500,
                Some("https://mail.fabrikam.com/EWS/Exchange.asmx"),
                4
            ),
            ("ews", 503, None, 5),
            ("autodiscover", 403, None, 8),
        ]
    );
    assert_eq!(f.ews_failures[0].excerpt, "HTTP/1.1 401 Unauthorized");
    assert_eq!(f.ews_failure_count, 4);
}

#[test]
fn ms_diagnostics_code_and_reason() {
    let text = "\
11/24/2026|09:00:00.000 A INFO  :: Data Received - 10.0.0.5:443
SIP/2.0 480 Temporarily Unavailable
ms-diagnostics: 15;reason=\"Temporarily unavailable\";source=\"pool01.fabrikam.com\"
ms-diagnostics-public: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\"
";
    let f = scan(text);
    assert_eq!(f.sip_error_count, 2);
    let d = &f.sip_errors[0].value;
    assert_eq!(d.code, 15);
    assert_eq!(d.reason.as_deref(), Some("Temporarily unavailable"));
    assert_eq!(f.sip_errors[0].line, 1, "the line where the entry starts");
    assert_eq!(f.sip_errors[1].value.code, 4005);
}

#[test]
fn offline_events_and_failures() {
    let text = "\
11/24/2026|09:00:00.000 A INFO  :: CUccOfflineImManager::ProcessSpooler - scanning History Spooler
11/24/2026|09:00:01.000 A INFO  :: sending offline message 1 to EWS
11/24/2026|09:00:02.000 A ERROR :: CUccOfflineImManager - delivery to EWS
  hr=0x80070005
11/24/2026|09:00:03.000 A INFO  :: OFFLINEIM: unable to create item
11/24/2026|09:00:04.000 A INFO  :: an error unrelated to offline things
";
    let f = scan(text);
    assert_eq!(f.offline_events, 4);
    assert_eq!(f.offline_failure_count, 2);
    let fl: Vec<(&str, &str, u64)> = f
        .offline_failures
        .iter()
        .map(|x| (x.value.as_str(), x.excerpt.as_str(), x.line))
        .collect();
    assert_eq!(
        fl,
        [
            ("ERROR", "ERROR CUccOfflineImManager - delivery to EWS", 3),
            (
                "unable to create item",
                "INFO OFFLINEIM: unable to create item",
                5
            ),
        ]
    );
    let kinds: Vec<&str> = f.timeline.iter().map(|e| e.kind.as_ref()).collect();
    assert_eq!(
        kinds,
        [
            "offline-im",
            "offline-im",
            "offline-im-failure",
            "offline-im-failure"
        ]
    );
}

#[test]
fn message_bodies_are_never_read() {
    // Both layouts: the SIP start line prefixed, or following a framing line.
    let text = "\
11/24/2026|09:00:00.000 A INFO  :: MESSAGE sip:bob@fabrikam.com SIP/2.0
From: <sip:jdoe@fabrikam.com>
Content-Type: text/plain

did my offline message fail? error 0x80004005 https://x.fabrikam.com/EWS/Exchange.asmx
11/24/2026|09:00:01.000 A INFO  :: Data Received - 10.0.0.5:443
MESSAGE sip:jdoe@fabrikam.com SIP/2.0
User-Agent: UCCAPI/16.0.7766.5281 OC/16.0.7766.2047 (Skype for Business)

User-Agent: UCCAPI/1 OC/16.0.9999.1 history spooler is full, unable
11/24/2026|09:00:02.000 A INFO  :: SUBSCRIBE sip:x SIP/2.0

offline message failed (not a MESSAGE: read)
";
    let f = scan(text);
    assert_eq!(f.offline_events, 1);
    assert_eq!(f.offline_failures[0].line, 11);
    assert!(f.ews_urls.is_empty());
    assert_eq!(f.newest_build.unwrap().value.to_string(), "16.0.7766.2047");
    assert!(f.timeline.iter().all(|e| !e.detail.contains("did my")));
}

#[test]
fn lines_before_the_first_entry_form_an_entry_at_line_one() {
    let f = scan("History Spooler: failed\n11/24/2026|09:00:00.000 A INFO  :: x\n");
    assert_eq!(f.offline_failures[0].line, 1);
    assert_eq!(f.offline_failures[0].timestamp, None);
}

#[test]
fn excerpts_hold_only_the_match() {
    let f = scan(
        "11/24/2026|09:00:00.000 A INFO  :: secret words before\x07 ms-diagnostics: 7;reason=\"bad\x1b[2J\" and after\n",
    );
    let e = &f.sip_errors[0];
    assert_eq!(e.excerpt, "ms-diagnostics: 7;reason=\"bad [2J\"");
    assert_eq!(e.value.reason.as_deref(), Some("bad [2J"));
}

#[test]
fn long_lists_are_bounded_and_counted() {
    let mut text = String::new();
    for i in 0..(KEEP_FACTS + 50) {
        text.push_str(&format!(
            "11/24/2026|09:{:02}:{:02}.000 A INFO  :: ms-diagnostics: {i}\n",
            i / 60,
            i % 60
        ));
    }
    let f = scan(&text);
    assert_eq!(f.sip_error_count, (KEEP_FACTS + 50) as u64);
    assert_eq!(f.sip_errors.len(), KEEP_FACTS);
    assert_eq!(
        f.sip_errors.first().unwrap().value.code,
        50,
        "the newest are kept, oldest first"
    );
    assert!(f.timeline.len() <= KEEP_TIMELINE);
}

#[test]
fn entry_spanning_many_chunks_is_joined() {
    let mut text = String::from("11/24/2026|09:00:00.000 A INFO  :: autodiscover request\n");
    for _ in 0..2000 {
        text.push_str("<filler>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</filler>\n");
    }
    text.push_str("HTTP/1.1 500 Internal Server Error\n11/24/2026|09:00:01.000 A INFO  :: next\n");
    for chunk in [64, 1000, 1 << 20] {
        for threads in [1, 2] {
            let o = LogScanOptions {
                chunk_bytes: chunk,
                threads,
                ..opts()
            };
            let f = scan_log_bytes("x", text.as_bytes(), &o);
            assert_eq!(f.ews_failures.len(), 1, "chunk {chunk}");
            assert_eq!(f.ews_failures[0].line, 1);
            assert_eq!(f.ews_failures[0].value.status, 500);
        }
    }
}

#[test]
fn an_entry_larger_than_the_whole_entry_bound_still_pairs_its_status() {
    // Past 1 MiB an entry is read in parts; a request and its status in
    // different parts still pair on the entry's thread.
    let mut text = String::from(
        "11/24/2026|09:00:00.000 0F10:1A2C INFO  :: GET https://mail.fabrikam.com/EWS/Exchange.asmx\n",
    );
    while text.len() < 3 << 20 {
        text.push_str("<filler>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</filler>\n");
    }
    text.push_str(
        "HTTP/1.1 503 Service Unavailable\n11/24/2026|09:00:01.000 0F10:1A2C INFO  :: next\n",
    );
    for threads in [1, 2] {
        let o = LogScanOptions {
            chunk_bytes: 64 << 10,
            threads,
            ..opts()
        };
        let f = scan_log_bytes("x", text.as_bytes(), &o);
        assert_eq!(f.ews_failures.len(), 1, "threads {threads}");
        assert_eq!(f.ews_failures[0].line, 1);
        assert_eq!(f.ews_failures[0].value.status, 503);
        assert_eq!(
            f.ews_failures[0].value.url.as_deref(),
            Some("https://mail.fabrikam.com/EWS/Exchange.asmx")
        );
        assert_eq!(f.logs[0].entries, 2);
    }
}

// ---- properties -------------------------------------------------------

/// Lines a UccApilog is made of, and a few that are not.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..50, 0u32..60)
            .prop_map(|(m, s)| format!("11/24/2026|09:{m:02}:{s:02}.123 1A2C:2B3D INFO  :: noise")),
        (0u32..50).prop_map(|m| format!(
            "11/24/2026|10:{m:02}:00.000 1A2C:2B3D INFO  :: MESSAGE sip:bob@x SIP/2.0"
        )),
        Just(
            "11/24/2026|09:10:00.000 A ERROR :: CUccOfflineImManager - History Spooler".to_string()
        ),
        Just("11/24/2026|09:10:00.000 A INFO  :: Data Received - 10.0.0.5:443".to_string()),
        Just("MESSAGE sip:jdoe@x SIP/2.0".to_string()),
        (6000u32..8000).prop_map(|b| format!(
            "User-Agent: UCCAPI/16.0.1.1 OC/16.0.{b}.1000 (Skype for Business)"
        )),
        Just("<property name=\"EnableIMAutoArchiving\">false</property>".to_string()),
        Just("<imAutoArchiving>true</imAutoArchiving>".to_string()),
        // Values on the line after their element.
        Just("<property name=\"EnableIMAutoArchiving\">\nfalse</property>".to_string()),
        Just(
            "<p:property name=\"EnableIMAutoArchiving\" xmlns:p=\"x\" >\n False</p:property>"
                .to_string()
        ),
        Just("<oo:imAutoArchiving>\nfalse</oo:imAutoArchiving>".to_string()),
        Just("<EwsUrl>https://mail.fabrikam.com/EWS/Exchange.asmx</EwsUrl>".to_string()),
        Just("GET https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml".to_string()),
        (400u16..600).prop_map(|s| format!("HTTP/1.1 {s} Oops")),
        Just("StatusCode=503".to_string()),
        (1u32..99).prop_map(|c| format!("ms-diagnostics: {c};reason=\"r{c}\"")),
        Just("offline message queued".to_string()),
        Just("hr=0x80004005 failed".to_string()),
        Just(String::new()),
        Just("\r".to_string()),
        "[ -~]{0,40}",
        Just("x".repeat(300)),
    ]
}

fn log_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(line(), 0..60).prop_map(|lines| {
        let mut s = lines.join("\n");
        s.push('\n');
        s
    })
}

fn scan_with(bytes: &[u8], chunk: usize, threads: usize, max_line: usize) -> LogFacts {
    let o = LogScanOptions {
        chunk_bytes: chunk,
        threads,
        max_line_bytes: max_line,
        ..opts()
    };
    scan_log_bytes("p", bytes, &o)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn chunking_never_changes_the_facts(text in log_text(), chunk in 1usize..400, threads in 1usize..3, crlf in any::<bool>()) {
        let text = if crlf { text.replace('\n', "\r\n") } else { text };
        let whole = scan_with(text.as_bytes(), 1 << 20, 1, 200);
        let split = scan_with(text.as_bytes(), chunk, threads, 200);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000), chunk in 1usize..300, max_line in 1usize..100) {
        let whole = scan_with(&bytes, 1 << 20, 1, max_line);
        let split = scan_with(&bytes, chunk, 2, max_line);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn utf16_scans_like_utf8(text in log_text()) {
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
        let a = scan_with(text.as_bytes(), 97, 1, 200);
        let mut b = scan_with(&le, 97, 1, 200);
        let mut c = scan_with(&be, 97, 1, 200);
        prop_assert_eq!(&b.logs[0].encoding, "utf-16le");
        prop_assert_eq!(&c.logs[0].encoding, "utf-16be");
        b.logs = a.logs.clone();
        c.logs = a.logs.clone();
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
    }
}

/// The saved failures of the properties above sit where proptest looks for
/// them (`proptest-regressions/` + this file's path under `src/`, `.txt`),
/// so proptest replays their seeds first; and each case the file records
/// (its "shrinks to" comment) still holds here.
#[test]
fn saved_regressions_are_found_and_hold() {
    use proptest::test_runner::{FailurePersistence, FileFailurePersistence};
    let path = "proptest-regressions/sources/scan/logs/tests.txt";
    let saved = std::fs::read_to_string(path).expect("the regressions file");
    let cases: Vec<&str> = saved.lines().filter(|l| l.starts_with("cc ")).collect();
    assert!(!cases.is_empty());
    let seeds = FileFailurePersistence::SourceParallel("proptest-regressions")
        .load_persisted_failures2(Some(file!()));
    assert_eq!(seeds.len(), cases.len(), "proptest does not find {path}");

    let text_case =
        regex::Regex::new(r#"text = "(.*)", chunk = (\d+), threads = (\d+), crlf = (true|false)$"#)
            .unwrap();
    let bytes_case =
        regex::Regex::new(r"bytes = \[([0-9, ]*)\], chunk = (\d+), max_line = (\d+)$").unwrap();
    let num = |s: &str| s.parse::<usize>().unwrap();
    for case in cases {
        if let Some(c) = text_case.captures(case) {
            let text = c[1]
                .replace("\\n", "\n")
                .replace("\\r", "\r")
                .replace("\\\"", "\"")
                .replace("\\\\", "\\");
            let text = if &c[4] == "true" {
                text.replace('\n', "\r\n")
            } else {
                text
            };
            let whole = scan_with(text.as_bytes(), 1 << 20, 1, 200);
            let split = scan_with(text.as_bytes(), num(&c[2]), num(&c[3]), 200);
            assert_eq!(whole, split, "{case}");
        } else if let Some(c) = bytes_case.captures(case) {
            let bytes: Vec<u8> = c[1].split(", ").map(|b| b.parse().unwrap()).collect();
            let whole = scan_with(&bytes, 1 << 20, 1, num(&c[3]));
            let split = scan_with(&bytes, num(&c[2]), 2, num(&c[3]));
            assert_eq!(whole, split, "{case}");
        } else {
            panic!("a saved case this test cannot read: {case}");
        }
    }
}
