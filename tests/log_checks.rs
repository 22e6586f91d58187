//! The log-driven checks through the real binary: every status they can
//! produce, rollover, encodings and user rules.

use crate::common;

use common::*;

fn with_log(log: &str) -> Fixture {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    f.log("Lync-UccApi-0.UccApilog", log);
    f
}

#[test]
fn ews_access_warns_without_any_ews_url_and_passes_with_one() {
    let f = with_log(&user_agent_entry("09:00:00.000", "16.0.7571.2072"));
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::EwsAccess), Status::Warn);
    assert!(
        check_of(&v, CheckId::EwsAccess)
            .remediation
            .as_deref()
            .unwrap()
            .contains("Configuration Information")
    );
    assert_eq!(v.mailbox.location, MailboxLocation::Unknown);

    let f = with_log(
        &(user_agent_entry("09:00:00.000", "16.0.7571.2072")
            + &ews_url_entry("09:00:01.000", "outlook.office365.com")),
    );
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::EwsAccess), Status::Pass);
    assert_eq!(v.mailbox.location, MailboxLocation::Online);
    assert_eq!(
        v.mailbox.ews_url.as_deref(),
        Some("https://outlook.office365.com/EWS/Exchange.asmx")
    );
}

#[test]
fn autodiscover_failures_fail_ews_access() {
    let log = ews_url_entry("09:00:01.000", "mail.contoso.com")
        + &entry(
            "09:00:02.000",
            "WARN",
            "autodiscover request to https://autodiscover.contoso.com/autodiscover/autodiscover.xml returned StatusCode=401",
        );
    let f = with_log(&log);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::EwsAccess), Status::Fail);
    assert!(summary(&v, CheckId::EwsAccess).contains("401"));
    assert!(evidence_text(&v, CheckId::EwsAccess).contains("autodiscover HTTP 401"));
}

#[test]
fn user_option_off_fails_auto_archiving() {
    let log = entry(
        "09:00:00.000",
        "INFO",
        "Sending Packet - 10.0.0.5:443 (From Local Address: 10.0.0.12:50312) 812 bytes:",
    ) + "SERVICE sip:a@contoso.com SIP/2.0\r\nContent-Type: application/msrtc-category-publish+xml\r\n\r\n"
        + "<publication categoryName=\"otherOptions\"><otherOptions><imAutoArchiving>false</imAutoArchiving></otherOptions></publication>\r\n";
    let f = with_log(&log);
    let (r, v) = check_report(f.root(), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Fail);
    assert!(summary(&v, CheckId::ImAutoArchiving).contains("user option imAutoArchiving"));
    assert!(
        check_of(&v, CheckId::ImAutoArchiving)
            .remediation
            .as_deref()
            .unwrap()
            .contains("Conversation History")
    );
}

#[test]
fn newest_policy_value_wins_across_generations() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let prop = |v: &str| format!("<property name=\"EnableIMAutoArchiving\">{v}</property>\r\n");
    // The .bak generation is older: false there, true in the live log.
    f.log(
        "Lync-UccApi-0.UccApilog.bak",
        &(entry("08:00:00.000", "INFO", "Data Received - x:")
            + &prop("false")
            + &user_agent_entry("08:00:01.000", "16.0.6741.2048")),
    );
    f.log(
        "Lync-UccApi-0.UccApilog",
        &(entry("09:00:00.000", "INFO", "Data Received - x:")
            + &prop("true")
            + &user_agent_entry("09:00:01.000", "16.0.7571.2072")),
    );
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Pass);
    assert_eq!(v.client.build.as_deref(), Some("16.0.7571.2072"));
    assert!(summary(&v, CheckId::ClientLogs).contains("2 client log files read"));
}

#[test]
fn offline_activity_info_without_events() {
    let f = with_log(&user_agent_entry("09:00:00.000", "16.0.7571.2072"));
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::OfflineImActivity), Status::Info);
    assert_eq!(
        code(&v, CheckId::OfflineImActivity),
        "offline-no-text-events"
    );
    let s = summary(&v, CheckId::OfflineImActivity);
    assert!(
        s.contains("No offline-message lines in the text logs, which proves nothing"),
        "{s}"
    );
    assert!(s.contains("no .etl trace was found"), "{s}");
    assert!(!s.contains("no offline IM was sent"), "{s}");
}

#[test]
fn utf16_and_crlf_logs_give_the_same_facts() {
    let text = user_agent_entry("09:00:00.000", "16.0.7571.2072")
        + &ews_url_entry("09:00:01.000", "mail.contoso.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            "failed to send offline message, hr=0x80190191",
        );
    let reference = with_log(&text);
    let (_, want) = check_report(reference.root(), &[]);
    for (name, bytes) in [
        (
            "utf-16le",
            [
                vec![0xFF, 0xFE],
                text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
            ]
            .concat(),
        ),
        (
            "utf-16be",
            [
                vec![0xFE, 0xFF],
                text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect(),
            ]
            .concat(),
        ),
        (
            "utf-8 bom, lf",
            [
                vec![0xEF, 0xBB, 0xBF],
                text.replace("\r\n", "\n").into_bytes(),
            ]
            .concat(),
        ),
    ] {
        let f = Fixture::new();
        f.profile("a@contoso.com");
        let p = f
            .lync("16.0")
            .join("Tracing")
            .join("Lync-UccApi-0.UccApilog");
        write_with_age(&p, &bytes, 60);
        let (_, got) = check_report(f.root(), &[]);
        for id in [
            CheckId::ClientBuild,
            CheckId::EwsAccess,
            CheckId::OfflineImActivity,
            CheckId::ClientLogs,
        ] {
            assert_eq!(status(&got, id), status(&want, id), "{name}: {id}");
        }
        assert_eq!(
            got.client.build.as_deref(),
            Some("16.0.7571.2072"),
            "{name}"
        );
        assert_eq!(got.mailbox, want.mailbox, "{name}");
        let enc = evidence_text(&got, CheckId::ClientLogs);
        if name.starts_with("utf-16") {
            assert!(enc.contains(name), "{name}: {enc}");
        }
    }
}

#[test]
fn timeline_is_in_time_order_and_the_table_shows_the_newest() {
    let log = user_agent_entry("09:00:00.000", "16.0.7571.2072")
        + &ews_url_entry("09:00:01.000", "mail.contoso.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            "POST https://mail.contoso.com/EWS/Exchange.asmx failed: HTTP/1.1 503 x",
        )
        + &entry(
            "09:00:03.000",
            "ERROR",
            "failed to send offline message, hr=0x80190191",
        );
    let f = with_log(&log);
    let (_, v) = check_report(f.root(), &[]);
    let tl = v.timeline;
    let kinds: Vec<TimelineKind> = tl.iter().map(|e| e.kind).collect();
    // The HRESULT 0x80190191 is EWS's 401 answer to the offline message:
    // an EWS failure as well as an offline-message failure.
    assert_eq!(
        kinds,
        [
            TimelineKind::Build,
            TimelineKind::EwsUrl,
            TimelineKind::EwsFailure,
            TimelineKind::EwsFailure,
            TimelineKind::OfflineImFailure,
        ]
    );
    let times: Vec<_> = tl.iter().map(|e| e.timestamp.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let r = check_run(f.root().to_str().unwrap(), &["--timeline", "2"]);
    assert!(
        r.stdout.contains("Timeline (last 2 of 5 events"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("offline-im-failure") && !r.stdout.contains("  build  "),
        "{}",
        r.stdout
    );
}

#[test]
fn a_rules_file_adds_evidence_without_rebuilding() {
    // A wording the defaults do not know, taught by a user rule.
    let log = entry(
        "09:00:00.000",
        "ERROR",
        "MissedConversationSender: EWS CreateItem rejected, HTTP 507 Insufficient Storage for mailbox",
    );
    let f = with_log(&log);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::OfflineImActivity), Status::Info);
    let rules = f.file(
        "rules.toml",
        br#"
[[rule]]
id = "missed-conversation-sender"
kind = "offline-event"
description = "Our build logs offline IM as MissedConversationSender"
literals = ["missedconversationsender"]
regex = '(?i)MissedConversationSender'
"#,
    );
    let (_, v) = check_report(f.root(), &["--rules", rules.to_str().unwrap()]);
    assert_eq!(
        status(&v, CheckId::OfflineImActivity),
        Status::Fail,
        "{}",
        summary(&v, CheckId::OfflineImActivity)
    );
    let listed = run(&[
        "checks",
        "--format",
        "json",
        "--rules",
        rules.to_str().unwrap(),
    ])
    .stdout;
    assert!(listed.contains("missed-conversation-sender"));
}

#[test]
fn a_bad_rules_file_exits_2_naming_the_rule() {
    let f = with_log(&user_agent_entry("09:00:00.000", "16.0.7571.2072"));
    let cases: [(&[u8], &str); 3] = [
        (b"[[rule]]\nid = \"broken\"\nkind = \"ews-url\"\ndescription = \"x\"\nliterals = [\"a\"]\nregex = \"(unclosed\"\n", "broken"),
        (b"[[rule]]\nid = \"odd-kind\"\nkind = \"teleport\"\ndescription = \"x\"\nliterals = [\"a\"]\nregex = \"a\"\n", "odd-kind"),
        (b"this is not toml [", "rules"),
    ];
    for (i, (text, needle)) in cases.iter().enumerate() {
        let p = f.file(&format!("bad{i}.toml"), text);
        let r = check_run(
            f.root().to_str().unwrap(),
            &["--rules", p.to_str().unwrap()],
        );
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert!(
            r.stderr.contains(needle) && r.stderr.contains(&format!("bad{i}.toml")),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
}

// The misjudgements a new user met, in the shapes real material
// shows (docs/rules.md); our own text, same layouts.

/// A request on the client's HTTP thread, as the client frames traffic.
fn http_request(time: &str, thread: &str, url: &str) -> String {
    format!("11/24/2026|{time} {thread} INFO  :: Sending request - POST {url}\r\n")
}

/// A response on the same thread: the status line and headers, unprefixed.
fn http_response(time: &str, thread: &str, status_line: &str, headers: &[&str]) -> String {
    let mut s = format!(
        "11/24/2026|{time} {thread} INFO  :: Data Received - response:\r\n{status_line}\r\n"
    );
    for h in headers {
        s.push_str(h);
        s.push_str("\r\n");
    }
    s
}

#[test]
fn negotiate_401_then_200_on_the_same_url_is_a_handshake_not_a_failure() {
    let svc = "https://autodiscover.contoso.com/autodiscover/autodiscover.svc";
    let log = http_request("09:00:00.000", "0F10:1A2C", svc)
        + &http_response(
            "09:00:00.120",
            "0F10:1A2C",
            "HTTP/1.1 401 Unauthorized",
            &["WWW-Authenticate: Negotiate,NTLM", "Content-Length: 0"],
        )
        // Another thread's chatter in between does not break the pairing.
        + &entry("09:00:00.130", "INFO", "CUccPresence - status 500 of something unrelated")
        + &http_request("09:00:00.140", "0F10:1A2C", svc)
        + &http_response(
            "09:00:00.300",
            "0F10:1A2C",
            "HTTP/1.1 200 OK",
            &["Content-Type: text/xml; charset=utf-8"],
        )
        + &ews_url_entry("09:00:00.310", "mail.contoso.com");
    let f = with_log(&log);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(
        status(&v, CheckId::EwsAccess),
        Status::Pass,
        "{}",
        summary(&v, CheckId::EwsAccess)
    );
    assert_eq!(code(&v, CheckId::EwsAccess), "ews-auth-handshake-only");
    let s = summary(&v, CheckId::EwsAccess);
    assert!(
        s.contains("1 HTTP 401 challenge, answered by a success"),
        "{s}"
    );
    let e = evidence_text(&v, CheckId::EwsAccess);
    assert!(
        e.contains(&format!("autodiscover HTTP 200 from {svc}")),
        "{e}"
    );
}

#[test]
fn a_failure_after_the_last_success_still_fails_and_earlier_ones_are_recovered() {
    let ews = "https://mail.contoso.com/EWS/Exchange.asmx";
    let log = ews_url_entry("09:00:00.000", "mail.contoso.com")
        + &entry(
            "09:00:01.000",
            "ERROR",
            &format!("POST {ews} failed: StatusCode=503"),
        )
        + &entry(
            "09:00:02.000",
            "INFO",
            &format!("POST {ews} completed, status code 200"),
        );
    let f = with_log(&log);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::EwsAccess), Status::Pass);
    assert_eq!(code(&v, CheckId::EwsAccess), "ews-recovered");
    assert!(evidence_text(&v, CheckId::EwsAccess).contains("1 recovered by a later success"));

    let f = with_log(
        &(log
            + &entry(
                "09:00:03.000",
                "ERROR",
                &format!("POST {ews} failed: StatusCode=500"),
            )),
    );
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::EwsAccess), Status::Fail);
    assert_eq!(code(&v, CheckId::EwsAccess), "ews-requests-failing");
    assert!(summary(&v, CheckId::EwsAccess).contains("HTTP 500"));
}

#[test]
fn x_ms_diagnostics_is_an_http_diagnostic_not_a_sip_error() {
    let ews = "https://mail.contoso.com/EWS/Exchange.asmx";
    let log = ews_url_entry("09:00:00.000", "mail.contoso.com")
        + &http_request("09:00:01.000", "0F10:1A2C", ews)
        + &http_response(
            "09:00:01.200",
            "0F10:1A2C",
            "HTTP/1.1 401 Unauthorized",
            &[
                "WWW-Authenticate: Negotiate,NTLM",
                "x-ms-diagnostics: 2000004;reason=\"The request was unauthorized.\"",
            ],
        );
    let f = with_log(&log);
    let (_, v) = check_report(f.root(), &[]);
    // No success follows: the latest request failed.
    assert_eq!(status(&v, CheckId::EwsAccess), Status::Fail);
    assert_eq!(code(&v, CheckId::EwsAccess), "ews-requests-refused");
    let e = evidence_text(&v, CheckId::EwsAccess);
    assert!(e.contains("HTTP x-ms-diagnostics 2000004"), "{e}");
    assert!(e.contains("not SIP"), "{e}");
    let o = evidence_text(&v, CheckId::OfflineImActivity);
    assert!(!o.contains("ms-diagnostics"), "{o}");
    let kinds: Vec<TimelineKind> = v.timeline.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&TimelineKind::HttpDiagnostic), "{kinds:?}");
    assert!(!kinds.contains(&TimelineKind::SipError), "{kinds:?}");
}

#[test]
fn dotnet_401_next_to_autodiscover_svc_is_a_failure_not_a_missing_ews_url() {
    let log = entry(
        "09:00:00.000",
        "ERROR",
        "CUccAutodiscover - request to https://autodiscover.contoso.com/autodiscover/autodiscover.svc failed",
    ) + "System.Net.WebException: The remote server returned an error: (401) Unauthorized.\r\n";
    let f = with_log(&log);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::EwsAccess), Status::Fail);
    assert_eq!(code(&v, CheckId::EwsAccess), "ews-requests-refused");
    let s = summary(&v, CheckId::EwsAccess);
    assert!(s.contains("HTTP 401"), "{s}");
    assert!(s.contains("autodiscover.svc"), "{s}");
    assert!(!s.contains("No EWS URL"), "{s}");
}

#[test]
fn policy_property_with_xmlns_is_read_as_false() {
    let log = entry(
        "09:00:00.000",
        "INFO",
        "Data Received - 10.0.0.5:443 (To Local Address: 10.0.0.12:50312) 2048 bytes:",
    ) + "SIP/2.0 200 OK\r\n"
        + "Content-Type: application/vnd-microsoft-roaming-provisioning-v2+xml\r\n\r\n"
        + "<provisionGroup name=\"endpointConfiguration\"><propertyEntryList>"
        + "<property name=\"EnableIMAutoArchiving\" xmlns=\"http://schemas.microsoft.com/2006/09/sip/provisiongrouplist-notification\">false</property>"
        + "</propertyEntryList></provisionGroup>\r\n";
    let f = with_log(&log);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Fail);
    assert_eq!(code(&v, CheckId::ImAutoArchiving), "archiving-disabled");
}

#[test]
fn etl_present_and_a_stuck_file_send_the_reader_to_the_etl() {
    let f = with_log(&user_agent_entry("09:00:00.000", "16.0.7571.2072"));
    f.spool("a@contoso.com", "msg1.xml", b"<x/>", 3 * 86_400);
    let tracing = f.lync("16.0").join("Tracing");
    write_with_age(&tracing.join("Lync-UccApi-0.etl"), &[0u8; 4096], 60);
    write_with_age(&tracing.join("Lync-UccApi-1.etl"), &[0u8; 100], 10 * 86_400);
    let (_, v) = check_report(f.root(), &[]);
    assert_eq!(status(&v, CheckId::OfflineImActivity), Status::Info);
    assert_eq!(
        code(&v, CheckId::OfflineImActivity),
        "offline-no-text-events"
    );
    let s = summary(&v, CheckId::OfflineImActivity);
    assert!(
        s.contains(
            "the client records offline-message processing in its ETL trace, 2 .etl files below"
        ),
        "{s}"
    );
    // Coverage comes from the traces' events, not from when they were last
    // written: zero bytes hold no events, however recent (tests/etl.rs has
    // real-layout traces).
    assert!(s.contains("0 of them hold events"), "{s}");
    let e = evidence_text(&v, CheckId::OfflineImActivity);
    assert!(e.contains("Lync-UccApi-0.etl"), "{e}");
    assert!(
        e.contains("4096 bytes, last written 2026-11-24 09:59:00Z"),
        "{e}"
    );
    assert!(
        e.contains("it does not cover the stuck message(s) of 2026-11-21 10:00:00Z"),
        "{e}"
    );
    assert!(e.contains("not an ETW trace"), "{e}");
}
