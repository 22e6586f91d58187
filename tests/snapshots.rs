//! insta snapshots of what people and scripts read: table, JSON, Markdown, --help.

use crate::common;

use common::*;

/// One realistic tree: a stuck message, a young one, logs, a pasted server config.
fn scenario() -> (Fixture, String) {
    let f = scenarios::stuck_on_premises();
    let cfg = f.file(
        "server-config.txt",
        b"Identity : Global\r\nEnableOfflineIm : True\r\n\r\nIdentity : Global\r\nEnableIMAutoArchiving : True\r\n",
    );
    (f, cfg.to_string_lossy().into_owned())
}

fn run_format(f: &Fixture, cfg: &str, format: &str) -> Run {
    check_run(
        f.root().to_str().unwrap(),
        &["--server-config", cfg, "--format", format],
    )
}

fn settings(f: &Fixture) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    let root = f.root().to_string_lossy().into_owned();
    s.add_filter(&regex::escape(&root), "[ROOT]");
    s.add_filter(
        r"offline-im-doctor \d+\.\d+\.\d+",
        "offline-im-doctor [VERSION]",
    );
    s.add_filter(r#""version": "\d+\.\d+\.\d+""#, r#""version": "[VERSION]""#);
    s.add_filter(
        r#"content="offline-im-doctor \d+\.\d+\.\d+""#,
        r#"content="offline-im-doctor [VERSION]""#,
    );
    // The machine running the tests (a folder is inspected on this machine).
    s.add_filter(r#""os": "[^"]*""#, r#""os": "[OS]""#);
    s
}

#[test]
fn table() {
    let (f, cfg) = scenario();
    let r = run_format(&f, &cfg, "table");
    assert_eq!(r.code, 1);
    settings(&f).bind(|| insta::assert_snapshot!("table", r.stdout));
}

#[test]
fn json() {
    let (f, cfg) = scenario();
    let r = run_format(&f, &cfg, "json");
    assert_eq!(r.code, 1);
    settings(&f).bind(|| insta::assert_snapshot!("json", r.stdout));
}

#[test]
fn markdown() {
    let (f, cfg) = scenario();
    let r = run_format(&f, &cfg, "markdown");
    assert_eq!(r.code, 1);
    settings(&f).bind(|| insta::assert_snapshot!("markdown", r.stdout));
}

#[test]
fn html() {
    let (f, cfg) = scenario();
    let r = run_format(&f, &cfg, "html");
    assert_eq!(r.code, 1);
    settings(&f).bind(|| insta::assert_snapshot!("html", r.stdout));
}

#[test]
fn table_verbose_shows_passing_evidence() {
    let (f, cfg) = scenario();
    let r = check_run(f.root().to_str().unwrap(), &["--server-config", &cfg, "-v"]);
    assert_eq!(r.code, 1);
    settings(&f).bind(|| insta::assert_snapshot!("table_verbose", r.stdout));
}

#[test]
fn help() {
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("help", r.stdout);
    let r = run(&["check", "--help"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("check_help", r.stdout);
}

#[test]
fn checks_list() {
    let r = run(&["checks", "--format", "json"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("checks_json", r.stdout);
}
