//! One report, every way out: `--output`'s extension decides the format in
//! every command that has it, a `--format` it contradicts is refused,
//! `--format` is case-insensitive, and no output lands on what the run reads.

use crate::common;

use std::path::Path;

use common::*;

/// A profile with one stuck message and a client log.
fn scenario() -> Fixture {
    let f = Fixture::new();
    f.spool(
        "a@contoso.com",
        "{0001}.eml",
        b"To: <b@contoso.com>\r\n\r\nhello",
        3600,
    );
    f.log(
        "Lync-UccApi-0.UccApilog",
        &(user_agent_entry("09:00:00.000", "16.0.10730.20304")
            + &ews_url_entry("09:00:01.000", "outlook.office365.com")),
    );
    f
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// What each format looks like, enough to tell them apart.
fn assert_is(format: &str, text: &str) {
    match format {
        "json" => {
            let v: serde_json::Value = serde_json::from_str(text).expect("JSON");
            assert_eq!(v["schema_version"], 1);
        }
        "ndjson" => {
            let first: serde_json::Value =
                serde_json::from_str(text.lines().next().unwrap()).expect("NDJSON");
            assert_eq!(first["record"], "header");
            assert!(text.lines().count() > 3);
        }
        "markdown" => assert!(
            text.contains("| Status |") || text.contains("## "),
            "{text}"
        ),
        "html" => assert!(text.starts_with("<!DOCTYPE html>"), "{text}"),
        "text" => {
            assert!(
                text.contains("Offline IM diagnosis") && !text.contains('┌'),
                "{text}"
            )
        }
        // Without -v the table fits a screen: no box, the checks by status.
        "table" => assert!(
            text.contains("Offline IM diagnosis") && text.contains("Checks:"),
            "{text}"
        ),
        _ => unreachable!(),
    }
}

const BY_EXTENSION: [(&str, &str); 7] = [
    ("r.json", "json"),
    ("r.ndjson", "ndjson"),
    ("r.md", "markdown"),
    ("r.html", "html"),
    ("r.txt", "text"),
    ("r.log", "table"),
    ("report", "table"),
];

#[test]
fn check_output_takes_the_format_from_the_extension() {
    let f = scenario();
    let out = Fixture::new();
    for (name, format) in BY_EXTENSION {
        let p = out.root().join(name);
        let r = check_run(
            f.root().to_str().unwrap(),
            &["--output", p.to_str().unwrap()],
        );
        assert_eq!(r.code, 1, "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{name}: report also on stdout");
        assert_is(format, &read(&p));
    }
}

#[test]
fn collect_output_takes_the_format_from_the_extension() {
    let f = scenario();
    let out = Fixture::new();
    for (i, (name, format)) in BY_EXTENSION.iter().enumerate() {
        let p = out.root().join(name);
        let zip = out.root().join(format!("b{i}.zip"));
        let r = collect_run(f.root(), &zip, &["--output", p.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(zip.is_file());
        assert_is(format, &read(&p));
    }
}

#[test]
fn watch_writes_output_in_the_format_of_the_extension() {
    let f = scenario();
    let out = Fixture::new();
    for (name, format) in [("w.json", "json"), ("w.md", "markdown")] {
        let p = out.root().join(name);
        let r: Run = cmd()
            .args(["watch", "--root", f.root().to_str().unwrap()])
            .args(["--for", "1s", "--poll", "--output", p.to_str().unwrap()])
            .output()
            .unwrap()
            .into();
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
        assert_is(format, &read(&p));
    }
}

#[test]
fn a_format_the_extension_contradicts_exits_2_naming_both() {
    let f = scenario();
    let out = Fixture::new();
    let p = out.root().join("report.json");
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--format", "markdown", "--output", p.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--format markdown") && r.stderr.contains("report.json"),
        "{}",
        r.stderr
    );
    assert!(!p.exists(), "written despite the refusal");
    // Agreeing, or an extension that names no format: written as asked.
    for (format, name) in [("json", "r.JSON"), ("html", "r.out"), ("table", "r.txt")] {
        let p = out.root().join(name);
        let r = check_run(
            f.root().to_str().unwrap(),
            &["--format", format, "--output", p.to_str().unwrap()],
        );
        assert_eq!(r.code, 1, "{format} {name}: {}", r.stderr);
        assert_is(format, &read(&p));
    }
}

#[test]
fn format_values_are_case_insensitive_and_typos_get_a_suggestion() {
    let f = scenario();
    let root = f.root().to_str().unwrap();
    let upper = check_run(root, &["--format", "JSON"]);
    assert_eq!(upper.code, 1, "{}", upper.stderr);
    assert_eq!(upper.json(), check_run(root, &["--format", "json"]).json());
    let md = check_run(root, &["--format", "Markdown"]);
    assert_is("markdown", &md.stdout);
    let typo = check_run(root, &["--format", "jsn"]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("'json'"), "{}", typo.stderr);
    let r = run(&["checks", "--format", "JSON"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json();
}

/// The refusal for one output option: exit 2, the path and the remedy
/// named, and what was there unchanged.
fn assert_refused(r: &Run, option: &str) {
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(&format!("refused: {option}")) && r.stderr.contains("somewhere else"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_output_never_overwrites_a_spooled_message_or_writes_into_a_read_folder() {
    let f = scenario();
    let msg = f.spooler("a@contoso.com").join("{0001}.eml");
    let before = std::fs::read(&msg).unwrap();
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--output", msg.to_str().unwrap()],
    );
    assert_refused(&r, "--output");
    assert_eq!(std::fs::read(&msg).unwrap(), before, "the message changed");
    // Given as the sip_ folder, the Tracing folder beside it is read too.
    let sip = f.profile("a@contoso.com");
    let tracing = f.lync("16.0").join("Tracing").join("report.md");
    let r = check_run(
        sip.to_str().unwrap(),
        &["--output", tracing.to_str().unwrap()],
    );
    assert_refused(&r, "--output");
    assert!(!tracing.exists());
    // A file named by an option is read too.
    let cfg = f.file(
        "cfg.txt",
        b"Identity : Global\r\nEnableOfflineIm : True\r\n",
    );
    let before = std::fs::read(&cfg).unwrap();
    let out = Fixture::new();
    let cfg_elsewhere = out.file("cfg.txt", &before);
    let r = check_run(
        f.spooler("a@contoso.com").to_str().unwrap(),
        &[
            "--server-config",
            cfg_elsewhere.to_str().unwrap(),
            "--output",
            cfg_elsewhere.to_str().unwrap(),
        ],
    );
    assert_refused(&r, "--output");
    assert_eq!(std::fs::read(&cfg_elsewhere).unwrap(), before);
    // A single log given as --root.
    let log = f
        .lync("16.0")
        .join("Tracing")
        .join("Lync-UccApi-0.UccApilog");
    let before = std::fs::read(&log).unwrap();
    let r = check_run(log.to_str().unwrap(), &["--output", log.to_str().unwrap()]);
    assert_refused(&r, "--output");
    assert_eq!(std::fs::read(&log).unwrap(), before);
}

#[test]
fn watch_output_never_lands_in_a_read_folder() {
    let f = scenario();
    let p = f.root().join("proof.md");
    let r: Run = cmd()
        .args(["watch", "--root", f.root().to_str().unwrap()])
        .args(["--for", "1s", "--poll", "--output", p.to_str().unwrap()])
        .output()
        .unwrap()
        .into();
    assert_refused(&r, "--output");
    assert!(!p.exists());
}

#[test]
fn collect_outputs_never_land_on_what_it_reads() {
    let f = scenario();
    let out = Fixture::new();
    let zip = out.root().join("b.zip");
    // --output inside the Tracing folder: refused before the bundle is written.
    let inside = f.lync("16.0").join("Tracing").join("report.md");
    let r = collect_run(f.root(), &zip, &["--output", inside.to_str().unwrap()]);
    assert_refused(&r, "--output");
    assert!(!inside.exists() && !zip.exists());
    // --out onto a --server-config file, even with --force.
    let cfg = out.file(
        "cfg.txt",
        b"Identity : Global\r\nEnableOfflineIm : True\r\n",
    );
    let before = std::fs::read(&cfg).unwrap();
    let r = collect_run(
        f.root(),
        &cfg,
        &["--force", "--server-config", cfg.to_str().unwrap()],
    );
    assert_refused(&r, "--out");
    assert_eq!(std::fs::read(&cfg).unwrap(), before);
    // --output and --out the same file.
    let r = collect_run(f.root(), &zip, &["--output", zip.to_str().unwrap()]);
    assert_refused(&r, "--output and --out");
    assert!(!zip.exists());
}
