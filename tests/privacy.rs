//! `--redact` promises no personal data in any output: stdout, stderr
//! (fatal errors included) and the bundle.

use crate::common;

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
    let bundled: Report = serde_json::from_slice(&report).unwrap();
    let r = check_run(zip.to_str().unwrap(), &["--redact", "--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let again = r.report();
    let names =
        |v: &Report| -> Vec<String> { v.profiles.iter().map(|p| p.sip_address.clone()).collect() };
    assert_eq!(names(&bundled), names(&again));
    assert!(names(&again)[0].starts_with("user-"), "{:?}", names(&again));
}

/// One class of the redaction model (docs/privacy.md): a log holding it,
/// and what must not remain of it anywhere.
struct Class {
    name: &'static str,
    log: String,
    gone: &'static [&'static str],
}

fn packet(time: &str, sip: &str) -> String {
    entry(
        time,
        "INFO",
        "Data Received - 10.20.0.5:443 (From Local Address: 10.20.1.77:50312) 900 bytes:",
    ) + sip
}

fn classes() -> Vec<Class> {
    const MS_BODY: &str = "c2VjcmV0IHBsYW4gZm9yIGZyaWRheQ=="; // "secret plan for friday"
    let invite = format!(
        "INVITE sip:kim@contoso.com SIP/2.0\r\nMs-Text-Format: text/plain; charset=UTF-8; msgr=WAAtAE0A; ms-body={MS_BODY}\r\nContent-Length: 0\r\n"
    );
    vec![
        Class {
            name: "learnt names inside other tokens",
            log: entry(
                "09:00:00.000",
                "ERROR",
                "user CONTOSO\\asmith profile C:\\Users\\asmith\\AppData failed from WKS-ASMITH-01",
            ),
            gone: &["asmith"],
        },
        Class {
            name: "unicode addresses",
            log: entry(
                "09:00:00.000",
                "ERROR",
                "failed to send to sip:jürgen.müller@contoso.de hr=0x80190191",
            ),
            gone: &["jürgen", "müller", "ller@", "contoso"],
        },
        Class {
            name: "host labels and network identifiers",
            log: packet(
                "09:00:00.000",
                "SIP/2.0 200 OK\r\nFrom: <sip:kim@contoso.com>;tag=1\r\nVia: SIP/2.0/TLS 10.20.1.77:50312;received=203.0.113.9;ms-received-port=50312\r\nms-diagnostics: 2;reason=\"x\";source=\"fe01.contoso.com\";mac=00-1A-2B-3C-4D-5E;ip=2001:db8::42\r\nContent-Length: 0\r\n",
            ),
            gone: &[
                "fe01",
                "10.20.",
                "203.0.113",
                "00-1a-2b",
                "2001:db8",
                "contoso",
            ],
        },
        Class {
            name: "phone numbers",
            log: packet(
                "09:00:00.000",
                "INVITE sip:kim@contoso.com SIP/2.0\r\nP-Asserted-Identity: <tel:+14255550100>\r\nContent-Type: application/pidf+xml\r\nContent-Length: 10\r\n\r\n<displayString>+1 (425) 555-0199</displayString>\r\n",
            ),
            gone: &["4255550100", "555-0199"],
        },
        Class {
            name: "credentials",
            log: packet(
                "09:00:00.000",
                "REGISTER sip:contoso.com SIP/2.0\r\nAuthorization: NTLM qop=\"auth\", realm=\"SIP Communications Service\", targetname=\"fe01.contoso.com\", gssapi-data=\"TlRMTVNTUAADAAAAGAAYAHAAAAAYABgAiAAAAAwADABY\"\r\nCookie: MSISAuth=SeCrEtCoOkIe\r\nContent-Length: 0\r\n",
            ) + &entry(
                "09:00:01.000",
                "INFO",
                "POST https://x.blob.core.windows.net/c?sv=2020&sig=SaSsIgNaTuRe Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJ1cG4iOiJhbGljZUBjb250b3NvLmNvbSJ9.c2lnbmF0dXJl",
            ),
            gone: &[
                "TlRMTVNTUAAD",
                "SeCrEtCoOkIe",
                "SaSsIgNaTuRe",
                "eyJhbGciOiJSUzI1NiJ9",
                "eyJ1cG4iOiJhbGljZUBjb250b3NvLmNvbSJ9",
            ],
        },
        Class {
            name: "message text",
            log: packet("09:00:00.000", &invite)
                + &entry("09:00:01.000", "INFO", "EWS request:")
                + "<t:Message>\r\n<t:Subject>Missed conversation</t:Subject>\r\n<t:Body BodyType=\"HTML\">\r\n<![CDATA[<p>the secret plan\r\nfor friday</p>]]>\r\n</t:Body>\r\n</t:Message>\r\n",
            gone: &[MS_BODY, "secret plan", "for friday"],
        },
        Class {
            name: "xml names and subjects",
            log: packet(
                "09:00:00.000",
                "BENOTIFY sip:kim@contoso.com SIP/2.0\r\nContent-Type: application/vnd-microsoft-roaming-contacts+xml\r\nContent-Length: 10\r\n\r\n<contact uri=\"sip:pat@contoso.com\" name=\"Pat Coleman\" groups=\"1\"/><group id=\"1\" name=\"Project Falcon\"/><meetingSubject>Layoffs Q3</meetingSubject><meetingLocation>Room Bluebird</meetingLocation>\r\n",
            ),
            gone: &["Pat Coleman", "Falcon", "Layoffs", "Bluebird"],
        },
    ]
}

/// What must not remain, in the forms it can take in an output: as is,
/// URL-encoded, base64.
fn forms(s: &str) -> Vec<String> {
    let mut v = vec![s.to_lowercase()];
    let enc: String = s
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02x}")
            }
        })
        .collect();
    v.push(enc.to_lowercase());
    if s.len() >= 6 {
        v.push(base64(s.as_bytes()).trim_end_matches('=').to_string());
    }
    v
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn assert_gone(text: &str, gone: &[&str], what: &str) {
    let low = text.to_lowercase();
    for g in gone {
        for f in forms(g) {
            let hit = if f.contains(char::is_uppercase) || f.len() > 20 {
                text.contains(&f)
            } else {
                low.contains(&f)
            };
            assert!(!hit, "{what}: {g:?} (as {f:?}) left in:\n{text}");
        }
    }
}

#[test]
fn every_class_is_gone_from_collect_redact_and_every_check_format() {
    for class in classes() {
        for utf16 in [false, true] {
            let f = Fixture::new();
            f.profile("kim@contoso.com");
            let log = f
                .lync("16.0")
                .join("Tracing")
                .join("Lync-UccApi-0.UccApilog");
            let bytes = if utf16 {
                utf16le(&class.log)
            } else {
                class.log.clone().into_bytes()
            };
            write_with_age(&log, &bytes, 60);
            let d = tempfile::tempdir().unwrap();
            let zip = d.path().join("e.zip");
            let r = collect_run(f.root(), &zip, &["--redact"]);
            assert_eq!(r.code, 0, "{}: {}", class.name, r.stderr);
            for (member, bytes) in zip_members(&zip) {
                let what = format!("{} (utf16 {utf16}): collect --redact {member}", class.name);
                assert_gone(&String::from_utf8_lossy(&bytes), class.gone, &what);
            }
            if utf16 {
                continue;
            }
            for format in ["table", "json", "markdown", "ndjson", "html"] {
                let r = check_run(
                    f.root().to_str().unwrap(),
                    &["--redact", "--format", format, "-v", "--timeline", "50"],
                );
                assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
                let what = format!("{}: check --redact --format {format}", class.name);
                assert_gone(&r.stdout, class.gone, &what);
                assert_gone(&r.stderr, class.gone, &what);
            }
        }
    }
}

#[test]
fn message_text_and_credentials_leave_bundles_without_redact() {
    for class in classes()
        .into_iter()
        .filter(|c| c.name == "credentials" || c.name == "message text")
    {
        let f = Fixture::new();
        f.profile("kim@contoso.com");
        f.log("Lync-UccApi-0.UccApilog", &class.log);
        let d = tempfile::tempdir().unwrap();
        let zip = d.path().join("e.zip");
        let r = collect_run(f.root(), &zip, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let members = zip_members(&zip);
        let log = &members
            .iter()
            .find(|(n, _)| n.ends_with("Lync-UccApi-0.UccApilog"))
            .expect("the log is in the bundle")
            .1;
        let text = String::from_utf8_lossy(log);
        assert_gone(&text, class.gone, class.name);
        // Names stay without --redact: the bundle is for diagnosis.
        assert!(text.contains("contoso.com"), "{text}");
        assert!(text.contains("removed"), "{text}");
    }
}

#[test]
fn the_bundle_does_not_record_the_collectors_paths() {
    let (f, cfg) = fixture();
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("e.zip");
    let r = collect_run(f.root(), &zip, &["--server-config", cfg.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let root = f.root().to_str().unwrap().to_string();
    for (name, bytes) in zip_members(&zip) {
        if name == "inventory.json" || name == "inputs.json" {
            let text = String::from_utf8_lossy(&bytes).replace("\\\\", "\\");
            assert!(!text.contains(&root), "{name} holds {root}:\n{text}");
        }
    }
}
