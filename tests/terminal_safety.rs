//! Control, escape and bidi characters from file names, logs and pasted
//! server output never reach a terminal or a ticket raw; JSON keeps them as
//! JSON escapes.

use crate::common;

use common::*;

const NASTY: &str = "\x1b]0;owned\x07\x1b[2J\u{202e}\u{2066}\x08";

fn scenario() -> (Fixture, std::path::PathBuf) {
    let f = Fixture::new();
    f.spool("a@contoso.com", &format!("name{NASTY}.xml"), b"<m/>", 3600);
    let log = user_agent_entry("09:00:00.000", "16.0.7571.2072")
        + &ews_url_entry("09:00:01.000", "mail.contoso.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            &format!(
                "POST https://mail.contoso.com/EWS/Exchange.asmx {NASTY} failed: HTTP/1.1 500 x"
            ),
        )
        + &entry(
            "09:00:03.000",
            "ERROR",
            &format!("failed to send offline message {NASTY} hr=0x80190191"),
        );
    f.log("Lync-UccApi-0.UccApilog", &log);
    let cfg = f.file(
        "cfg.txt",
        format!("Identity : Tag:Evil{NASTY}\r\nEnableOfflineIm : False\r\n\r\nIdentity : Tag:Bad{NASTY}\r\nEnableIMAutoArchiving : False\r\n").as_bytes(),
    );
    (f, cfg)
}

fn assert_clean(text: &str, what: &str) {
    for (i, c) in text.chars().enumerate() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}');
        assert!(!bad, "{what}: raw {c:?} at char {i}:\n{text}");
    }
}

#[test]
fn table_markdown_and_stderr_escape_everything() {
    let (f, cfg) = scenario();
    for format in ["table", "markdown"] {
        let r = check_run(
            f.root().to_str().unwrap(),
            &[
                "--server-config",
                cfg.to_str().unwrap(),
                "--format",
                format,
                "-v",
            ],
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_clean(&r.stdout, format);
        assert_clean(&r.stderr, "stderr");
        // What was there is still visible, escaped.
        assert!(r.stdout.contains("Tag:Evil"), "{format}");
        assert!(r.stdout.contains("\\x1b"), "{format}: escapes are shown");
    }
}

#[test]
fn json_keeps_them_as_json_escapes() {
    let (f, cfg) = scenario();
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--server-config", cfg.to_str().unwrap(), "--format", "json"],
    );
    assert_clean(&r.stdout, "json");
    let v = r.report();
    assert!(
        summary(&v, CheckId::ServerOfflineIm).contains('\x1b'),
        "the value itself survives in JSON"
    );
}

#[test]
fn aggregate_output_is_escaped_too() {
    let (f, _) = scenario();
    let reports = tempfile::tempdir().unwrap();
    let mut c = cmd();
    c.env("COMPUTERNAME", format!("PC{NASTY}"));
    let out = c
        .args([
            "check",
            "--root",
            f.root().to_str().unwrap(),
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    std::fs::write(reports.path().join("r.json"), out.stdout).unwrap();
    for format in ["table", "markdown"] {
        let r = run(&[
            "aggregate",
            reports.path().to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_clean(&r.stdout, format);
    }
}

#[test]
fn aggregate_escapes_a_check_id_from_a_report() {
    let (f, _) = scenario();
    let reports = tempfile::tempdir().unwrap();
    // A report as a file may hold anything: the JSON itself is edited.
    let (_, mut v) = check_json(f.root(), &[]);
    let checks = v["checks"].as_array_mut().unwrap();
    checks[0]["id"] = serde_json::Value::String(format!("evil{NASTY}\u{200b}id"));
    checks[0]["status"] = "fail".into();
    std::fs::write(reports.path().join("r.json"), v.to_string()).unwrap();
    for format in ["table", "markdown"] {
        let r = run(&[
            "aggregate",
            reports.path().to_str().unwrap(),
            "--format",
            format,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("evil"), "{format}: {}", r.stdout);
        assert_clean(&r.stdout, format);
        assert!(!r.stdout.contains('\u{200b}'), "{format}: raw U+200B");
    }
}

#[test]
fn fatal_errors_escape_folder_names() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join(format!("gone{NASTY}\u{200b}\nline"));
    let r = check_run(missing.to_str().unwrap(), &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("gone"), "{}", r.stderr);
    // One line: the newline in the name is shown escaped.
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
    assert_clean(&r.stderr, "stderr");
    assert!(!r.stderr.contains('\u{200b}'), "raw U+200B: {}", r.stderr);
}

#[test]
fn fatal_errors_from_a_bundle_escape_its_fields() {
    // A zip with a hostile entry name is refused with that name in the error.
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join(format!("in{NASTY}"));
    std::fs::create_dir(&sub).unwrap();
    let p = sub.join("evil.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    z.start_file(
        format!("../x{NASTY}"),
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.finish().unwrap();
    let r = check_run(p.to_str().unwrap(), &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_clean(&r.stderr, "stderr");
}
