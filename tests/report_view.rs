//! The report a technician reads: every sample's table, text, Markdown and
//! HTML (snapshots), the width, `--output`, and the inputs that forgive.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

const SAMPLES: &[&str] = &[
    "healthy",
    "stuck-spooler",
    "old-build-onprem",
    "policy-disabled",
    "server-offline-off",
    "exchange-online-2026",
    "exchange-online-2026-policy",
    "no-logs",
    "federated-recipient",
];

fn sample_root(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    pin_sample_times(name);
    root
}

fn sample_args(name: &str) -> Vec<String> {
    // Paths relative to the repository (the command runs there), so the
    // output is the same wherever the checkout lies.
    let root = sample_root(name);
    let rel = format!("samples/{name}");
    let mut a = vec![
        "check".to_string(),
        "--root".into(),
        rel.clone(),
        "--now".into(),
        sample_now(name).into(),
    ];
    if root.join("server-config.txt").exists() {
        a.extend(["--server-config".into(), format!("{rel}/server-config.txt")]);
    }
    a
}

fn sample_run(name: &str, format: &str, columns: Option<u16>) -> Run {
    sample_run_in(name, format, columns, "en")
}

fn sample_run_in(name: &str, format: &str, columns: Option<u16>, lang: &str) -> Run {
    let mut c = cmd();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(sample_args(name))
        .args(["--format", format, "--lang", lang]);
    if let Some(w) = columns {
        c.env("COLUMNS", w.to_string());
    }
    c.output().unwrap().into()
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .to_string_lossy()
        .into_owned();
    s.add_filter(&regex::escape(&root), "[REPO]");
    s.add_filter(
        r"offline-im-doctor \d+\.\d+\.\d+",
        "offline-im-doctor [VERSION]",
    );
    s.add_filter(
        r#"content="offline-im-doctor \d+\.\d+\.\d+""#,
        r#"content="offline-im-doctor [VERSION]""#,
    );
    s
}

#[test]
fn every_sample_in_every_human_format() {
    for name in SAMPLES {
        for (format, ext) in [
            ("table", "txt"),
            ("text", "txt"),
            ("markdown", "md"),
            ("html", "html"),
        ] {
            let r = sample_run(name, format, Some(80));
            assert!(r.code == 0 || r.code == 1, "{name} {format}: {}", r.stderr);
            settings().bind(|| {
                insta::assert_snapshot!(format!("{name}.{format}.{ext}"), r.stdout);
            });
        }
    }
}

/// The same in French: every sample, every format (JSON too: only its
/// text fields and `lang` differ from English).
#[test]
fn every_sample_in_every_format_in_french() {
    for name in SAMPLES {
        for (format, ext) in [
            ("table", "txt"),
            ("text", "txt"),
            ("markdown", "md"),
            ("html", "html"),
            ("json", "json"),
        ] {
            let r = sample_run_in(name, format, Some(80), "fr");
            assert!(r.code == 0 || r.code == 1, "{name} {format}: {}", r.stderr);
            settings().bind(|| {
                insta::assert_snapshot!(format!("{name}.fr.{format}.{ext}"), r.stdout);
            });
        }
    }
}

/// The answer fits a screen: at 80 columns every sample's table and text
/// take at most 40 lines, in English and in French, and only what cannot
/// be wrapped (a path, a URL, a command) passes the width.
#[test]
fn every_sample_fits_a_screen_in_both_languages() {
    for name in SAMPLES {
        for lang in ["en", "fr"] {
            for format in ["table", "text"] {
                let r = sample_run_in(name, format, Some(80), lang);
                let lines: Vec<&str> = r.stdout.lines().collect();
                assert!(
                    lines.len() <= 40,
                    "{name} {lang} {format}: {} lines\n{}",
                    lines.len(),
                    r.stdout
                );
                for line in &lines {
                    let w = unicode_width(line);
                    let one_word = !line.trim().contains(' ');
                    let long_url = urls(line).iter().any(|u| u.len() + 12 > 80);
                    assert!(
                        w <= 80 || one_word || long_url,
                        "{name} {lang} {format}: {w} columns: {line}"
                    );
                }
                // The last lines: the verdict and step 1, then what -v adds.
                let last = lines.last().copied().unwrap_or_default();
                assert!(last.starts_with("-v "), "{name} {lang}: {last}");
            }
        }
    }
}

/// URLs in a report, trimmed of the punctuation prose puts after them.
fn urls(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"https?://[^\s"`<>]+"#).unwrap();
    re.find_iter(text)
        .map(|m| {
            m.as_str()
                .trim_end_matches([',', ';', '.', ')', ':', '\'', '\\'])
                .to_string()
        })
        .collect()
}

#[test]
fn within_the_width_and_every_url_whole() {
    for name in SAMPLES {
        let json = sample_run(name, "json", None).stdout;
        let known = urls(&json);
        for width in [60u16, 80, 120] {
            for format in ["table", "text"] {
                let r = sample_run(name, format, Some(width));
                for line in r.stdout.lines() {
                    let w = unicode_width(line);
                    if w <= usize::from(width) {
                        continue;
                    }
                    // Only a file named in full, a single word (a path), a
                    // command or a URL longer than the room left may pass the width.
                    let files_entry = line.trim_start().starts_with('#');
                    let one_word = !line.trim().trim_start_matches("- ").contains(' ');
                    // A command in a code span is never split either.
                    let t = line.trim();
                    let one_code = t.len() > 2
                        && t.starts_with('`')
                        && t.ends_with('`')
                        && !t[1..t.len() - 1].contains('`');
                    let long_url = urls(line).iter().any(|u| u.len() + 12 > usize::from(width));
                    assert!(
                        files_entry || one_word || one_code || long_url,
                        "{name} {format} at {width}: {w} columns: {line}"
                    );
                }
                for u in urls(&r.stdout) {
                    assert!(
                        known.iter().any(|k| k == &u),
                        "{name} {format} at {width}: {u} is not a whole URL of the JSON"
                    );
                }
            }
        }
    }
}

fn unicode_width(s: &str) -> usize {
    // Box drawing and the ellipsis are one column each; the reports hold
    // no wide characters.
    s.chars().count()
}

#[test]
fn the_checks_catalog_never_splits_a_code() {
    let r = cmd()
        .env("COLUMNS", "60")
        .args(["checks"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&r.stdout);
    let codes = cmd().args(["checks", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&codes.stdout).unwrap();
    let text = v.to_string();
    let re = regex::Regex::new(r#""code":\s*"([a-z0-9-]+)""#).unwrap();
    for c in re.captures_iter(&text) {
        let code = &c[1];
        assert!(out.contains(code), "{code} split or missing:\n{out}");
    }
}

#[test]
fn text_is_plain_and_json_is_ascii() {
    let t = sample_run("stuck-spooler", "text", Some(80));
    assert!(
        !t.stdout.contains('│') && !t.stdout.contains('┌'),
        "{}",
        t.stdout
    );
    assert!(!t.stdout.contains("\\_") && !t.stdout.contains("\\["));
    assert!(t.stdout.contains("\nChecks:\n  FAIL  "), "{}", t.stdout);

    let f = Fixture::new();
    f.spool("jürgen@contoso.com", "{1}.xml", b"<m/>", 3600);
    let r = check_run(f.root().to_str().unwrap(), &["--format", "json"]);
    assert!(r.stdout.is_ascii(), "{}", r.stdout);
    assert!(r.stdout.contains("j\\u00fcrgen@contoso.com"));
    assert_eq!(r.report().profiles[0].sip_address, "jürgen@contoso.com");
}

#[test]
fn output_writes_the_report_to_a_file() {
    let f = Fixture::new();
    f.spool("a@contoso.com", "{1}.xml", b"<m/>", 3600);
    // Never inside the inspected folder (refused): beside it.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("report.md");
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--format", "markdown", "--output", out.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("## Offline IM diagnosis: FAIL"), "{text}");

    // collect --output: the report beside the bundle.
    let bundle = tempfile::tempdir().unwrap();
    let zip = bundle.path().join("b.zip");
    let rep = bundle.path().join("report.json");
    let r = collect_run(f.root(), &zip, &["--output", rep.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Report = serde_json::from_str(&std::fs::read_to_string(&rep).unwrap()).unwrap();
    assert_eq!(v.verdict, Verdict::Fail);
}

#[test]
fn now_takes_a_date_and_a_local_time() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let root = f.root().to_str().unwrap();
    let r = run(&[
        "check",
        "--root",
        root,
        "--now",
        "2026-09-01",
        "--format",
        "json",
    ]);
    assert_eq!(
        r.report().generated_at.to_rfc3339(),
        "2026-09-01T00:00:00+00:00"
    );
    // A local time without a zone: a copied folder does not say its zone,
    // so this machine's (TZ=UTC in tests) is assumed, and said so.
    let r = run(&[
        "check",
        "--root",
        root,
        "--now",
        "2026-09-01T10:30",
        "--format",
        "json",
    ]);
    assert_eq!(
        r.report().generated_at.to_rfc3339(),
        "2026-09-01T10:30:00+00:00"
    );
    assert!(
        r.stderr
            .contains("--now 2026-09-01T10:30:00 read in UTC+00:00 (this machine's zone, assumed"),
        "{}",
        r.stderr
    );
}

#[test]
fn collect_never_overwrites_without_force_and_a_bundle_without_zip_is_read() {
    let f = Fixture::new();
    f.spool("a@contoso.com", "{1}.xml", b"<m/>", 3600);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bundle");
    let collect = |extra: &[&str]| {
        let mut a = vec![
            "collect",
            "--root",
            f.root().to_str().unwrap(),
            "--now",
            NOW,
            "--out",
            out.to_str().unwrap(),
        ];
        a.extend(extra);
        run(&a)
    };
    assert_eq!(collect(&[]).code, 0);
    let before = std::fs::read(&out).unwrap();
    let again = collect(&[]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("already exists; pass --force"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read(&out).unwrap(), before, "left as it was");
    assert_eq!(collect(&["--force"]).code, 0);

    // `collect --out bundle` then `check --root bundle`.
    let r = check_run(out.to_str().unwrap(), &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(status(&r.report(), CheckId::SpoolerStuck), Status::Fail);
}

#[test]
fn a_path_without_root_gets_a_hint() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let root = f.root().to_str().unwrap();
    let r = run(&["check", root]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!(
            "pass it with --root: offline-im-doctor check --root {root}"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn unreadable_option_files_share_one_wording() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let root = f.root().to_str().unwrap();
    let missing = f.root().join("missing.toml");
    for option in ["--rules", "--lync-exe", "--server-config"] {
        let r = run(&[
            "check",
            "--root",
            root,
            "--now",
            NOW,
            option,
            missing.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 2, "{option}: {}", r.stderr);
        assert_eq!(
            r.stderr.trim_end(),
            format!(
                "offline-im-doctor: error: cannot read {option} {}: no such file",
                missing.display()
            ),
            "{option}"
        );
        let dir = run(&["check", "--root", root, "--now", NOW, option, root]);
        assert_eq!(dir.code, 2);
        assert!(
            dir.stderr.contains("a folder, not a file"),
            "{}",
            dir.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_as_an_option_file_exits_2_at_once() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let fifo = f.root().join("rules.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let started = std::time::Instant::now();
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--rules", fifo.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn a_tracing_folder_alone_is_read() {
    let f = Fixture::new();
    f.log(
        "Lync-UccApi-0.UccApilog",
        &(user_agent_entry("09:10:00.000", "16.0.6965.2053")
            + &ews_url_entry("09:10:01.000", "mail.fabrikam.com")),
    );
    let tracing = f.lync("16.0").join("Tracing");
    let r = check_run(tracing.to_str().unwrap(), &["--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v = r.report();
    assert_eq!(v.client.build.as_deref(), Some("16.0.6965.2053"));
    assert_eq!(v.profiles.len(), 0);
}

#[test]
fn a_lone_log_file_is_read_alone() {
    let f = Fixture::new();
    let log = f.log(
        "Lync-UccApi-0.UccApilog",
        &(user_agent_entry("09:10:00.000", "16.0.6965.2053")
            + &ews_url_entry("09:10:01.000", "mail.fabrikam.com")),
    );
    // Another log beside it is not read.
    f.log(
        "Lync-UccApi-1.UccApilog",
        &user_agent_entry("09:12:00.000", "16.0.7571.2072"),
    );
    let r = check_run(log.to_str().unwrap(), &["--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v = r.report();
    assert_eq!(v.client.build.as_deref(), Some("16.0.6965.2053"));
    assert_eq!(v.logs.files, 1, "{:#?}", v.logs);
}
