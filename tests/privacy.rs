//! `--redact` promises no personal data in any output: stdout, stderr
//! (fatal errors included) and the bundle.

mod common;

use common::*;

#[test]
fn fatal_error_lists_no_real_profile_with_redact() {
    let f = Fixture::new();
    f.spool("alice.smith@contoso.com", "m.xml", b"<m/>", 3600);
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--redact", "--user", "x@y.example"],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    let low = r.stderr.to_lowercase();
    assert!(
        !low.contains("alice") && !low.contains("contoso"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("user-"),
        "the profile is named by its pseudonym: {}",
        r.stderr
    );
}

const SECRETS: [&str; 6] = [
    "alice",
    "smith",
    "contoso",
    "asmith",
    "desktop-test01",
    "corpnet",
];

fn assert_no_secret(text: &str, what: &str) {
    let low = text.to_lowercase();
    for s in SECRETS {
        assert!(!low.contains(s), "{what}: {s:?} left in:\n{text}");
    }
}

/// Personal data in every form the issue lists, in log lines that become
/// evidence and timeline events, and in a paste.
fn personal_log() -> String {
    entry(
        "09:00:00.000",
        "INFO",
        "Sending Packet - 10.0.0.5:443 (From Local Address: 10.0.0.12:50312) 900 bytes:",
    ) + "REGISTER sip:contoso.co.uk SIP/2.0\r\nUser-Agent: UCCAPI/16.0.7571.2072 OC/16.0.7571.2072 (Skype for Business)\r\nContent-Length: 0\r\n"
        + &ews_url_entry("09:00:01.000", "mail.contoso.co.uk")
        + &entry(
            "09:00:02.000",
            "ERROR",
            "POST https://mail.contoso.co.uk/EWS/Exchange.asmx?u=alice.smith%40contoso.co.uk failed: HTTP/1.1 503 x; user CORPNET\\asmith on desktop-test01.corpnet.local, profile C:\\Users\\asmith",
        )
        + &entry(
            "09:00:03.000",
            "ERROR",
            "failed to send offline message to \"Alice Smith\" <sip:alice.smith@contoso.co.uk> from DESKTOP-TEST01 hr=0x80190191",
        )
}

fn fixture() -> (Fixture, std::path::PathBuf) {
    let f = Fixture::new();
    f.profile("alice.smith@contoso.co.uk");
    // A History Spooler in a stray folder: its name becomes the profile's.
    let stray = f.lync("16.0").join("asmith-backup").join("History Spooler");
    write_with_age(&stray.join("m.xml"), b"<m/>", 3600);
    f.log("Lync-UccApi-0.UccApilog", &personal_log());
    let cfg = f.file(
        "cfg.txt",
        b"Identity          : CN=Alice Smith,OU=Sales,DC=contoso,DC=co,DC=uk\r\nSipAddress        : sip:alice.smith@contoso.co.uk\r\nClientPolicy      : Tag:NoArchive\r\n\r\nIdentity : Tag:NoArchive\r\nEnableIMAutoArchiving : False\r\n",
    );
    (f, cfg)
}

#[test]
fn check_redact_leaves_no_personal_data_in_any_form() {
    let (f, cfg) = fixture();
    for format in ["json", "table", "markdown"] {
        let r = check_run(
            f.root().to_str().unwrap(),
            &[
                "--redact",
                "--server-config",
                cfg.to_str().unwrap(),
                "--format",
                format,
                "-v",
                "--timeline",
                "50",
            ],
        );
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
        assert_no_secret(&r.stdout, format);
        assert_no_secret(&r.stderr, "stderr");
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

#[test]
fn collect_redact_rewrites_a_utf16_log_without_bom_and_every_member() {
    let (f, cfg) = fixture();
    // The same log as UTF-16 LE without a BOM, as the client can write it.
    let log = f
        .lync("16.0")
        .join("Tracing")
        .join("Lync-UccApi-1.UccApilog");
    write_with_age(&log, &utf16le(&personal_log()), 60);
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("e.zip");
    let r = collect_run(
        f.root(),
        &zip,
        &["--redact", "--server-config", cfg.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ms = zip_members(&zip);
    assert!(
        ms.iter()
            .any(|(n, _)| n.ends_with("Lync-UccApi-1.UccApilog"))
    );
    for (name, bytes) in &ms {
        assert_no_secret(&String::from_utf8_lossy(bytes), name);
    }
}

#[test]
fn check_redact_of_a_redacted_bundle_keeps_the_pseudonyms() {
    let (f, _) = fixture();
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("e.zip");
    let r = collect_run(f.root(), &zip, &["--redact"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = zip_members(&zip)
        .into_iter()
        .find(|(n, _)| n == "report.json")
        .unwrap()
        .1;
    let bundled: serde_json::Value = serde_json::from_slice(&report).unwrap();
    let r = check_run(zip.to_str().unwrap(), &["--redact", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let again = r.json();
    let names = |v: &serde_json::Value| -> Vec<String> {
        v["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["sip_address"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&bundled), names(&again));
    assert!(names(&again)[0].starts_with("user-"), "{:?}", names(&again));
}
