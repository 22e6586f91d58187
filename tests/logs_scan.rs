//! The log scanner through its public API, on Tracing folders built in a
//! temp dir: `.bak` rollover, encodings, hostile bytes, odd files.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::FixedOffset;
use offline_im_doctor::rules::RuleSet;
use offline_im_doctor::sources::scan::logs::{
    LogFacts, LogScanOptions, LogTimeZone, scan_log_bytes, scan_tracing_dirs,
};

fn opts() -> LogScanOptions {
    LogScanOptions {
        time_zone: LogTimeZone::Fixed(FixedOffset::east_opt(0).unwrap()),
        ..LogScanOptions::default()
    }
}

fn ua_entry(stamp: &str, build: &str) -> String {
    format!(
        "{stamp} 1A2C:2B3D INFO  :: REGISTER sip:fabrikam.com SIP/2.0\r\n\
         Via: SIP/2.0/TLS 192.168.1.20:51234\r\n\
         User-Agent: UCCAPI/16.0.1.1 OC/{build} (Skype for Business)\r\n\
         Content-Length: 0\r\n\r\n"
    )
}

fn tracing(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Tracing");
    fs::create_dir(&dir).unwrap();
    for (name, bytes) in files {
        fs::write(dir.join(name), bytes).unwrap();
    }
    (tmp, dir)
}

fn scan_dir(dir: &Path) -> LogFacts {
    scan_tracing_dirs(&[dir.to_path_buf()], &opts())
}

#[test]
fn bak_generation_is_read_first_and_newest_wins_across_generations() {
    let old = ua_entry("11/23/2026|17:00:00.000", "16.0.6965.2058")
        + &ua_entry("11/23/2026|18:00:00.000", "16.0.7341.2032");
    let live = ua_entry("11/24/2026|09:00:00.000", "16.0.7766.2047");
    let (_t, dir) = tracing(&[
        ("Lync-UccApi-0.UccApilog", live.as_bytes()),
        ("Lync-UccApi-0.UccApilog.bak", old.as_bytes()),
        ("notes.txt", b"User-Agent: UCCAPI/1 OC/16.0.9999.1"),
    ]);
    let f = scan_dir(&dir);
    let names: Vec<String> = f
        .logs
        .iter()
        .map(|l| {
            Path::new(&l.path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        ["Lync-UccApi-0.UccApilog.bak", "Lync-UccApi-0.UccApilog"]
    );
    let b = f.newest_build.unwrap();
    assert_eq!(b.value.to_string(), "16.0.7766.2047");
    assert!(b.path.ends_with("Lync-UccApi-0.UccApilog"));
    assert_eq!(b.line, 1);
    assert_eq!(
        b.timestamp.unwrap().to_rfc3339(),
        "2026-11-24T09:00:00+00:00"
    );
}

#[test]
fn newest_by_timestamp_even_when_the_bak_is_newer() {
    // A clock set back: the older generation holds the later time.
    let bak = ua_entry("11/25/2026|09:00:00.000", "16.0.7766.2047");
    let live = ua_entry("11/24/2026|09:00:00.000", "16.0.6965.2058");
    let (_t, dir) = tracing(&[
        ("lync-uccapi-0.uccapilog", live.as_bytes()),
        ("LYNC-UCCAPI-0.UCCAPILOG.BAK", bak.as_bytes()),
    ]);
    let f = scan_dir(&dir);
    assert_eq!(f.logs.len(), 2, "names match case-insensitively");
    assert_eq!(f.newest_build.unwrap().value.to_string(), "16.0.7766.2047");
}

#[test]
fn equal_timestamps_go_to_the_live_log() {
    let stamp = "11/24/2026|09:00:00.000";
    let (_t, dir) = tracing(&[
        (
            "Lync-UccApi-0.UccApilog.bak",
            ua_entry(stamp, "16.0.1.1").as_bytes(),
        ),
        (
            "Lync-UccApi-0.UccApilog",
            ua_entry(stamp, "16.0.2.2").as_bytes(),
        ),
    ]);
    assert_eq!(
        scan_dir(&dir).newest_build.unwrap().value.to_string(),
        "16.0.2.2"
    );
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

const PROVISIONING: &str = "11/24/2026|09:00:00.000 1A2C:2B3D INFO  :: Data Received - 10.0.0.5:443\r\n\
SIP/2.0 200 OK\r\n\
<property name=\"EnableIMAutoArchiving\">false</property>\r\n\
11/24/2026|09:00:01.000 1A2C:2B3D INFO  :: CUccAutodiscover - GET https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml\r\n\
HTTP/1.1 401 Unauthorized\r\n\
<EwsUrl>https://mail.fabrikam.com/EWS/Exchange.asmx</EwsUrl>\r\n\
11/24/2026|09:00:02.000 1A2C:2B3D ERROR :: CUccOfflineImManager - History Spooler item failed hr=0x80070005\r\n";

#[test]
fn utf16_le_be_and_utf8_bom_crlf_logs_give_the_same_facts() {
    let mut bom8 = vec![0xEF, 0xBB, 0xBF];
    bom8.extend_from_slice(PROVISIONING.as_bytes());
    let variants: [(&str, Vec<u8>); 4] = [
        ("utf-8", PROVISIONING.as_bytes().to_vec()),
        ("utf-8", bom8),
        ("utf-16le", utf16(PROVISIONING, false)),
        ("utf-16be", utf16(PROVISIONING, true)),
    ];
    let mut seen = Vec::new();
    for (enc, bytes) in variants {
        let (_t, dir) = tracing(&[("Lync-UccApi-0.UccApilog", &bytes)]);
        let mut f = scan_dir(&dir);
        assert_eq!(f.logs[0].encoding, enc);
        assert_eq!(f.logs[0].entries, 3);
        assert_eq!(f.logs[0].lines, 7);
        assert_eq!(
            f.policy_auto_archiving.as_ref().map(|p| p.value),
            Some(false)
        );
        assert_eq!(
            f.ews_urls[0].value,
            "https://mail.fabrikam.com/EWS/Exchange.asmx"
        );
        assert_eq!(f.ews_failures[0].value.status, 401);
        assert_eq!(
            f.ews_failures[0].excerpt, "HTTP/1.1 401 Unauthorized",
            "no \\r in excerpts"
        );
        assert_eq!(f.offline_failures[0].line, 7);
        for l in &mut f.logs {
            l.path.clear();
            l.size = 0;
            l.modified = None;
            l.encoding.clear();
        }
        for x in f.ews_urls.iter_mut() {
            x.path.clear();
        }
        f.policy_auto_archiving.as_mut().unwrap().path.clear();
        f.ews_failures[0].path.clear();
        f.offline_failures[0].path.clear();
        for e in f.timeline.iter_mut() {
            e.path.clear();
        }
        for e in f.http_endpoints.iter_mut() {
            e.latest.path.clear();
            for x in [&mut e.last_success, &mut e.last_failure]
                .into_iter()
                .flatten()
            {
                x.path.clear();
            }
        }
        seen.push(f);
    }
    for f in &seen[1..] {
        assert_eq!(f, &seen[0]);
    }
}

#[test]
fn nul_laden_invalid_utf8_log_is_read() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"\0\0\xff\xfe\x80garbage\0\n");
    bytes.extend_from_slice(ua_entry("11/24/2026|09:00:00.000", "16.0.7766.2047").as_bytes());
    bytes.extend_from_slice(b"\xc3\x28\0\0\0ms-diagnostics: 15;reason=\"bad \xff\xfe\0 bytes\"\n");
    bytes.extend(std::iter::repeat_n(0u8, 10_000));
    bytes.extend_from_slice(
        b"\n11/24/2026|09:00:05.000 A INFO  :: History Spooler \x80\x81 error\n",
    );
    let (_t, dir) = tracing(&[("Lync-UccApi-0.UccApilog", &bytes)]);
    let f = scan_dir(&dir);
    assert_eq!(f.logs[0].encoding, "utf-8");
    assert_eq!(f.logs[0].error, None);
    assert_eq!(f.newest_build.unwrap().value.to_string(), "16.0.7766.2047");
    let d = &f.sip_errors[0];
    assert_eq!(d.value.code, 15);
    assert_eq!(
        d.value.reason.as_deref(),
        Some("bad \u{fffd}\u{fffd} bytes")
    );
    assert_eq!(f.offline_failure_count, 1);
}

#[test]
fn empty_and_truncated_files() {
    let (_t, dir) = tracing(&[
        ("Lync-UccApi-0.UccApilog", b""),
        ("Lync-UccApi-1.UccApilog", b"11/24/2026|09:00:00.0"),
        ("Lync-UccApi-2.UccApilog", b"\xFF\xFE1\x001\x00/"),
    ]);
    let f = scan_dir(&dir);
    assert_eq!(f.logs.len(), 3);
    assert!(f.logs.iter().all(|l| l.error.is_none()));
    assert_eq!(f.logs[0].lines, 0);
    assert_eq!(f.logs[1].lines, 1);
    assert_eq!(f.logs[1].entries, 1);
    assert_eq!(f.logs[2].encoding, "utf-16le");
    assert!(f.newest_build.is_none());
}

#[test]
fn etl_files_are_inventoried_not_read() {
    let (_t, dir) = tracing(&[
        ("Lync.etl", &[0u8; 1234][..]),
        ("LyncPerf.ETL", b"x"),
        ("other.etl", b"y"),
    ]);
    let f = scan_dir(&dir);
    assert!(f.logs.is_empty());
    let etl: Vec<(String, u64)> = f
        .etl
        .iter()
        .map(|e| {
            (
                Path::new(&e.path)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                e.size,
            )
        })
        .collect();
    assert_eq!(
        etl,
        [
            ("Lync.etl".to_string(), 1234),
            ("LyncPerf.ETL".to_string(), 1)
        ]
    );
    assert!(f.etl.iter().all(|e| e.modified.is_some()));
}

#[test]
fn odd_entries_are_refused_not_opened() {
    let (_t, dir) = tracing(&[]);
    fs::create_dir(dir.join("Lync-UccApi-9.UccApilog")).unwrap();
    #[cfg(unix)]
    {
        let outside = dir.parent().unwrap().join("secret.txt");
        fs::write(&outside, ua_entry("11/24/2026|09:00:00.000", "16.0.1.1")).unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("Lync-UccApi-0.UccApilog")).unwrap();
    }
    let f = scan_dir(&dir);
    assert!(
        f.newest_build.is_none(),
        "a link out of the folder is never followed"
    );
    assert!(
        f.logs.iter().all(|l| l
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("not read"))),
        "{:?}",
        f.logs
    );
    let missing = scan_tracing_dirs(&[dir.join("nope")], &opts());
    assert_eq!(missing.dir_errors.len(), 1);
}

#[test]
fn oversized_log_is_scanned_from_its_tail() {
    let mut text = ua_entry("11/24/2026|08:00:00.000", "16.0.1.1");
    for i in 0..200 {
        text.push_str(&format!(
            "11/24/2026|08:{:02}:{:02}.000 A INFO  :: noise line\r\n",
            i / 60,
            i % 60
        ));
    }
    text.push_str(&ua_entry("11/24/2026|09:00:00.000", "16.0.2.2"));
    let o = LogScanOptions {
        max_bytes_per_file: 1000,
        ..opts()
    };
    let f = scan_log_bytes("big", text.as_bytes(), &o);
    assert_eq!(f.newest_build.unwrap().value.to_string(), "16.0.2.2");
    let w = f.logs[0].warning.as_deref().unwrap();
    assert!(w.contains("only the last 1000 bytes"), "{w}");
    let (_t, dir) = tracing(&[("Lync-UccApi-0.UccApilog", text.as_bytes())]);
    let f = scan_tracing_dirs(&[dir], &o);
    assert!(
        f.logs[0]
            .warning
            .as_deref()
            .unwrap()
            .contains("only the last")
    );
    assert_eq!(f.newest_build.unwrap().value.to_string(), "16.0.2.2");
}

#[test]
fn progress_reaches_the_total() {
    let mut text = String::new();
    while text.len() < 300_000 {
        text.push_str(&ua_entry("11/24/2026|09:00:00.000", "16.0.1.1"));
    }
    let (_t, dir) = tracing(&[
        ("Lync-UccApi-0.UccApilog", text.as_bytes()),
        ("Lync-UccApi-0.UccApilog.bak", text.as_bytes()),
    ]);
    let calls = Arc::new(AtomicU64::new(0));
    let last = Arc::new(Mutex::new((0u64, 0u64)));
    let (c, l) = (Arc::clone(&calls), Arc::clone(&last));
    let o = LogScanOptions {
        chunk_bytes: 64 * 1024,
        progress: Some(Arc::new(move |done, total| {
            c.fetch_add(1, Ordering::Relaxed);
            let mut g = l.lock().unwrap();
            assert!(done >= g.0, "progress never goes back");
            assert!(done <= total);
            *g = (done, total);
        })),
        ..opts()
    };
    let f = scan_tracing_dirs(&[dir], &o);
    assert_eq!(f.logs.len(), 2);
    assert!(calls.load(Ordering::Relaxed) >= 2);
    let (done, total) = *last.lock().unwrap();
    assert_eq!(total, 2 * text.len() as u64);
    assert_eq!(done, total);
}

#[test]
fn user_rules_extend_the_scan() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules.toml");
    fs::write(
        &rules,
        r#"
[[rule]]
id = "offline-delivery-word"
kind = "offline-event"
description = "A newer client's wording"
literals = ["DeferredDelivery"]
regex = "DeferredDelivery"
"#,
    )
    .unwrap();
    let o = LogScanOptions {
        rules: RuleSet::load_with_overrides(&rules).unwrap(),
        ..opts()
    };
    let text = "11/24/2026|09:00:00.000 A ERROR :: DeferredDelivery failed\n";
    let f = scan_log_bytes("x", text.as_bytes(), &o);
    assert_eq!(f.offline_failure_count, 1);
    assert_eq!(
        scan_log_bytes("x", text.as_bytes(), &opts()).offline_events,
        0
    );
}

// Real layouts (docs/rules.md).

fn scan_text(text: &str, o: &LogScanOptions) -> LogFacts {
    scan_log_bytes("Lync-UccApi-0.UccApilog", text.as_bytes(), o)
}

fn provisioning(stamp: &str, body: &str) -> String {
    format!(
        "{stamp} 1A2C:2B3D INFO  :: Data Received - 10.0.0.5:443 (To Local Address: 10.0.0.12:50312) 2048 bytes:\r\n\
         SIP/2.0 200 OK\r\n\
         Content-Type: application/vnd-microsoft-roaming-provisioning-v2+xml\r\n\r\n\
         {body}\r\n"
    )
}

#[test]
fn policy_and_option_elements_are_read_in_every_real_layout_newest_wins() {
    let cases = [
        (
            "<property name=\"EnableIMAutoArchiving\" xmlns=\"http://schemas.microsoft.com/2006/09/sip/provisiongrouplist-notification\">false</property>",
            Some(false),
        ),
        (
            "<property name=\"EnableIMAutoArchiving\" >False</property>",
            Some(false),
        ),
        (
            "<p:property xmlns:p=\"urn:x\" p:name='EnableIMAutoArchiving'>TRUE</p:property>",
            Some(true),
        ),
        (
            "<property\tvalue=\"x\" name = \"EnableIMAutoArchiving\">\r\n  false</property>",
            Some(false),
        ),
        (
            "<property name=\"EnableIMAutoArchivingNot\">false</property>",
            None,
        ),
    ];
    for (body, want) in cases {
        let f = scan_text(&provisioning("11/24/2026|09:00:00.000", body), &opts());
        assert_eq!(
            f.policy_auto_archiving.as_ref().map(|p| p.value),
            want,
            "{body}"
        );
    }
    let opt = "<oo:otherOptions xmlns:oo=\"http://schemas.microsoft.com/2007/09/sip/options\"><oo:imAutoArchiving>false</oo:imAutoArchiving></oo:otherOptions>";
    let f = scan_text(&provisioning("11/24/2026|09:00:00.000", opt), &opts());
    assert_eq!(f.user_auto_archiving.as_ref().map(|p| p.value), Some(false));

    // Newest wins, whatever the layout.
    let text = provisioning(
        "11/24/2026|09:00:00.000",
        "<property name=\"EnableIMAutoArchiving\" xmlns=\"urn:x\">true</property>",
    ) + &provisioning(
        "11/24/2026|09:05:00.000",
        "<property xmlns=\"urn:x\" name=\"EnableIMAutoArchiving\" >False</property>",
    );
    let f = scan_text(&text, &opts());
    let p = f.policy_auto_archiving.unwrap();
    assert_eq!((p.value, p.line), (false, 6));
}

#[test]
fn endpoints_carry_latest_outcome_time_and_counts() {
    let ews = "https://outlook.office365.com/EWS/Exchange.asmx";
    let text = format!(
        "11/24/2026|09:00:00.000 0F10:1A2C INFO  :: Sending request - POST {ews}?x=1\r\n\
         11/24/2026|09:00:00.100 0F10:1A2C INFO  :: Data Received - response:\r\n\
         HTTP/1.1 401 Unauthorized\r\n\
         WWW-Authenticate: Negotiate,NTLM\r\n\
         11/24/2026|09:00:00.200 0F10:1A2C INFO  :: Data Received - response:\r\n\
         HTTP/1.1 200 OK\r\n\
         11/24/2026|10:00:00.000 0F10:1A2C ERROR :: POST {ews} failed: StatusCode=503\r\n"
    );
    let f = scan_text(&text, &opts());
    assert_eq!(f.http_endpoints.len(), 1, "{:#?}", f.http_endpoints);
    let e = &f.http_endpoints[0];
    assert_eq!(
        e.url.as_deref(),
        Some("https://outlook.office365.com/EWS/Exchange.asmx")
    );
    assert_eq!(
        (e.responses, e.failures, e.handshakes, e.recovered),
        (3, 2, 1, 0)
    );
    assert!(e.failing());
    assert_eq!((e.latest.value, e.latest.line), (503, 7));
    let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    assert!(e.succeeded_since(t("2026-11-24T09:00:00Z")));
    assert!(!e.succeeded_since(t("2026-11-24T09:30:00Z")));
    assert!(e.failed_since(t("2026-11-24T09:30:00Z")));
    use offline_im_doctor::sources::scan::logs::EndpointKind;
    assert_eq!(
        f.endpoints_on(EndpointKind::Ews, "office365.com").count(),
        1
    );
    assert_eq!(f.endpoints_on(EndpointKind::Ews, "365.com").count(), 0);
    assert_eq!(
        f.endpoints_on(EndpointKind::Autodiscover, "office365.com")
            .count(),
        0
    );

    // The same facts whatever the chunking: pairing crosses chunk ends.
    for chunk in [64, 100, 333] {
        let o = LogScanOptions {
            chunk_bytes: chunk,
            threads: 2,
            ..opts()
        };
        let g = scan_text(&text, &o);
        assert_eq!(g.http_endpoints, f.http_endpoints, "chunk {chunk}");
    }
}

#[test]
fn the_offset_the_times_were_read_in_is_reported() {
    let text = ua_entry("11/24/2026|09:00:00.000", "16.0.7766.2047");
    for (secs, want) in [
        (3600, "+01:00"),
        (-(5 * 3600 + 1800), "-05:30"),
        (0, "+00:00"),
    ] {
        let o = LogScanOptions {
            time_zone: LogTimeZone::Fixed(FixedOffset::east_opt(secs).unwrap()),
            ..LogScanOptions::default()
        };
        let f = scan_text(&text, &o);
        assert_eq!(f.utc_offset.as_deref(), Some(want));
    }
}

#[test]
fn etl_traces_are_inventoried_with_size_and_time_in_the_summary() {
    let (_t, dir) = tracing(&[
        (
            "Lync-UccApi-0.UccApilog",
            ua_entry("11/24/2026|09:00:00.000", "16.0.7766.2047").as_bytes(),
        ),
        ("Lync-UccApi-0.etl", &[1u8; 321]),
    ]);
    let f = scan_dir(&dir);
    assert_eq!(f.logs.len(), 1);
    assert_eq!(f.logs[0].entries, 1);
    assert_eq!(f.etl.len(), 1);
    assert!(f.etl[0].path.ends_with("Lync-UccApi-0.etl"));
    assert_eq!(f.etl[0].size, 321);
    assert!(f.etl[0].modified.is_some());
    let json = serde_json::to_value(&f.etl[0]).unwrap();
    assert!(json["modified"].is_string(), "{json}");
}

#[test]
fn a_pox_answer_naming_the_ews_url_answers_the_autodiscover_request() {
    let text = "11/24/2026|09:00:00.000 0F10:1A2C INFO  :: Sending request - GET https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml\r\n\
         11/24/2026|09:00:00.100 0F10:1A2C INFO  :: Data Received - response:\r\n\
         HTTP/1.1 200 OK\r\n\
         <Protocol><Type>EXCH</Type><ASUrl>https://mail.fabrikam.com/EWS/Exchange.asmx</ASUrl></Protocol>\r\n";
    let f = scan_text(text, &opts());
    assert_eq!(f.http_endpoints.len(), 1, "{:#?}", f.http_endpoints);
    let e = &f.http_endpoints[0];
    assert_eq!(
        (
            e.kind.to_string().as_str(),
            e.url.as_deref(),
            e.latest.value
        ),
        (
            "autodiscover",
            Some("https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml"),
            200
        )
    );
    assert_eq!(
        f.ews_urls[0].value,
        "https://mail.fabrikam.com/EWS/Exchange.asmx"
    );
}

#[test]
fn an_answer_whose_body_names_the_autodiscover_namespace_pairs_with_its_request() {
    let ad = "https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml";
    let text = format!(
        "11/24/2026|09:00:00.000 0F10:1A2C INFO  :: CUccAutodiscoverRequest::SendRequest - sending request to {ad}\r\n\
         11/24/2026|09:00:00.050 0F10:1A2C WARN  :: CUccAutodiscoverRequest::SendRequest - response received, HTTP/1.1 401 Unauthorized, url={ad}\r\n\
         11/24/2026|09:00:00.090 0F10:1A2C INFO  :: CUccAutodiscoverRequest::SendRequest - response received, status 200\r\n\
         <Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\"><Response>\r\n\
         <EwsUrl>https://mail.fabrikam.com/EWS/Exchange.asmx</EwsUrl>\r\n"
    );
    let f = scan_text(&text, &opts());
    assert_eq!(f.http_endpoints.len(), 1, "{:#?}", f.http_endpoints);
    let e = &f.http_endpoints[0];
    assert_eq!(e.url.as_deref(), Some(ad));
    assert_eq!(
        (e.latest.value, e.handshakes, e.failures, e.responses),
        (200, 1, 1, 2)
    );
    assert!(!e.failing());
}
