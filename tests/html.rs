//! `--format html`: one self-contained file with the diagnosis first, every
//! check, an SVG timeline; escaped, redacted; and what a real browser
//! (headless Chromium) builds from it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// The same hostile text as tests/terminal_safety.rs, plus HTML markup.
const NASTY: &str = "\x1b]0;owned\x07\x1b[2J\u{202e}\u{2066}\x08";
const MARKUP: &str = "<img src=x onerror=alert(1)><script>alert(1)</script>";

fn stuck_scenario() -> Fixture {
    let f = Fixture::new();
    f.spool(
        "jdoe@fabrikam.com",
        "{6F1A2B3C-0001}.xml",
        b"<conversation><to>sip:mbrown@fabrikam.com</to><message>call me</message></conversation>",
        5400,
    );
    // 09:20 local (TZ=UTC) is 40 minutes before --now: near the stuck message.
    let log = user_agent_entry("08:10:00.000", "16.0.7571.2072")
        + &ews_url_entry("08:10:01.000", "mail.fabrikam.com")
        + &entry(
            "08:29:00.000",
            "ERROR",
            "CEwsRequest - POST https://mail.fabrikam.com/EWS/Exchange.asmx failed: HTTP/1.1 503 Service Unavailable",
        )
        + &entry(
            "08:30:01.000",
            "ERROR",
            "COfflineImManager - failed to send offline message, hr=0x80190191",
        );
    f.log("Lync-UccApi-0.UccApilog", &log);
    f
}

fn hostile_scenario() -> (Fixture, PathBuf) {
    let f = Fixture::new();
    f.spool(
        "a@contoso.com",
        &format!("name{NASTY}{}.xml", MARKUP.replace('/', "_")),
        b"<m/>",
        3600,
    );
    let log = user_agent_entry("09:00:00.000", "16.0.7571.2072")
        + &ews_url_entry("09:00:01.000", "mail.contoso.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            &format!(
                "POST https://mail.contoso.com/EWS/Exchange.asmx {NASTY}{MARKUP} failed: HTTP/1.1 500 x"
            ),
        )
        + &entry(
            "09:00:03.000",
            "ERROR",
            &format!("failed to send offline message {NASTY}{MARKUP} hr=0x80190191"),
        );
    f.log("Lync-UccApi-0.UccApilog", &log);
    let cfg = f.file(
        "cfg.txt",
        format!("Identity : Tag:Evil{NASTY}{MARKUP}\r\nEnableOfflineIm : False\r\n").as_bytes(),
    );
    (f, cfg)
}

fn html(root: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--format", "html"];
    args.extend_from_slice(extra);
    check_run(root.to_str().unwrap(), &args)
}

/// Every check id, in report order, as `checks --format json` lists them.
fn check_ids() -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&run(&["checks", "--format", "json"]).stdout)
        .expect("checks --format json");
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// Nothing is loaded from elsewhere: no tag with a src/href attribute, no
/// CSS url() or @import, no script. Text is escaped, so every raw `<` opens
/// a tag.
fn assert_self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        for bad in [
            "src=", "href=", "url(", "script", "link ", "iframe", "object", "embed",
        ] {
            assert!(!tag.contains(bad), "<{tag}> has {bad}");
        }
    }
    let style = lower
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap();
    assert!(!style.contains("url(") && !style.contains("@import"));
    assert!(
        lower.contains("content-security-policy") && lower.contains("default-src 'none'"),
        "a CSP that forbids loading anything"
    );
}

#[test]
fn opens_with_the_diagnosis_and_holds_every_check_and_the_timeline() {
    let f = stuck_scenario();
    let r = html(f.root(), &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let h = &r.stdout;
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert_self_contained(h);
    let diag = h.find("id=\"diagnosis\"").unwrap();
    let checks = h.find("id=\"checks\"").unwrap();
    assert!(diag < checks, "the diagnosis comes first");
    assert!(h.contains("data-cause=\"ews-access\""));
    assert!(h.contains("<dt>Next steps</dt><dd id=\"d-next-step\"><ol>\n<li>Have the user sign out of Skype for Business"), "{h}");
    for id in check_ids() {
        assert!(h.contains(&format!("data-check-id=\"{id}\"")), "{id}");
    }
    // The timeline: the stuck message and the log events near it.
    assert!(h.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline-svg\""));
    // The HRESULT 0x80190191 is also EWS's 401: one more log event.
    assert!(h.contains("1 stuck message(s) and 5 log event(s)"), "{h}");
    assert!(h.contains("stuck spooled message written 2026-11-24 08:30:00Z"));
    assert!(h.contains("@media print"));
}

#[test]
fn hostile_names_and_log_text_are_escaped() {
    let (f, cfg) = hostile_scenario();
    let r = html(f.root(), &["--server-config", cfg.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let h = &r.stdout;
    assert_self_contained(h);
    assert!(!h.contains("<img") && !h.contains("<script"), "{h}");
    assert!(h.contains("&lt;script&gt;alert(1)&lt;"), "shown, escaped");
    for (i, c) in h.chars().enumerate() {
        let bad = (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "raw {c:?} at char {i}");
    }
    assert!(h.contains("Tag:Evil\\x1b"), "escapes are visible");
}

#[test]
fn redact_covers_the_html() {
    let f = stuck_scenario();
    let r = html(f.root(), &["--redact"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for personal in ["jdoe", "mbrown", "fabrikam.com", "DESKTOP-TEST01"] {
        assert!(!r.stdout.contains(personal), "{personal} leaked");
    }
    assert!(r.stdout.contains("data-cause=\"ews-access\""));
}

#[test]
fn aggregate_refuses_html() {
    let r = run(&["aggregate", "nothing.json", "--format", "html"]);
    assert_eq!(r.code, 2);
    // Refused on the command line, naming what aggregate does write.
    assert!(r.stderr.contains("invalid value 'html'"), "{}", r.stderr);
    assert!(
        r.stderr.contains("table, json, markdown, ndjson"),
        "{}",
        r.stderr
    );
}

// ---- In a real browser ----------------------------------------------------

/// Headless Chromium, if installed. Under CI (CI set) a missing browser is
/// a failure: `.ci/run` installs it (scripts/html-render.sh).
fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["chromium", "chromium-browser", "google-chrome"].map(PathBuf::from))
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no chromium: run scripts/html-render.sh (it installs it)"
        );
        eprintln!("skipped: no chromium (apt-get install -y chromium)");
    }
    found
}

/// The DOM the browser built from the file, serialised.
fn dump_dom(browser: &Path, file: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Elements of `tag` in the DOM, each as its opening tag.
fn elements<'a>(dom: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    dom.match_indices(&open)
        .filter(|(i, _)| {
            dom[i + open.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == ' ' || c == '>')
        })
        .filter_map(|(i, _)| dom[i..].find('>').map(|end| &dom[i..=i + end]))
        .collect()
}

/// Text of the element with this id (up to its first closing tag).
fn text_of<'a>(dom: &'a str, id: &str) -> &'a str {
    let at = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = at + dom[at..].find('>').unwrap() + 1;
    let end = start + dom[start..].find('<').unwrap();
    &dom[start..end]
}

#[test]
fn chromium_builds_the_expected_dom() {
    let Some(browser) = chromium() else { return };
    let f = stuck_scenario();
    let r = html(f.root(), &[]);
    let file = f.root().join("report.html");
    std::fs::write(&file, &r.stdout).unwrap();
    let dom = dump_dom(&browser, &file);

    // The diagnosis: a section whose first definition names the cause.
    let sections = elements(&dom, "section");
    assert_eq!(
        sections.first().copied(),
        Some(
            "<section class=\"diagnosis v-fail\" id=\"diagnosis\" data-cause=\"ews-access\" data-code=\"ews-requests-refused\">"
        ),
        "{sections:?}"
    );
    // The cause opens with its plain sentence, then its check and code.
    let cause = text_of(&dom, "d-cause");
    assert_eq!(
        cause,
        "Exchange did not accept the user's credentials when the client tried to save the offline message."
    );
    assert!(
        dom.contains("ews-access (fail, ews-requests-refused): The newest failing EWS request was refused with HTTP 401"),
        "{dom}"
    );
    assert!(text_of(&dom, "d-explains").contains("spooler-stuck"));
    // Every check is an article, worst first: fail, warn, info, pass, skip.
    let attr = |name: &str| -> Vec<String> {
        elements(&dom, "article")
            .iter()
            .filter_map(|a| a.split(&format!("{name}=\"")).nth(1))
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_string)
            .collect()
    };
    let mut ids = attr("data-check-id");
    ids.sort();
    let mut all = check_ids();
    all.sort();
    assert_eq!(ids, all);
    let rank = |s: &str| {
        ["fail", "warn", "info", "pass", "skip"]
            .iter()
            .position(|x| *x == s)
    };
    let ranks: Vec<_> = attr("data-status").iter().map(|s| rank(s)).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    assert_eq!(ranks.first(), Some(&Some(0)), "a failing check first");
    // The SVG timeline, with markers for the events and the stuck message.
    assert_eq!(elements(&dom, "svg").len(), 1);
    // Five: the HRESULT 0x80190191 is also EWS's 401 (an ews-failure event).
    assert_eq!(elements(&dom, "circle").len(), 5, "five log events drawn");
    assert_eq!(
        elements(&dom, "g")
            .iter()
            .filter(|g| g.contains("stuck"))
            .count(),
        1
    );
    assert!(elements(&dom, "script").is_empty());
}

#[test]
fn chromium_runs_no_markup_from_hostile_input() {
    let Some(browser) = chromium() else { return };
    let (f, cfg) = hostile_scenario();
    let r = html(f.root(), &["--server-config", cfg.to_str().unwrap()]);
    let file = f.root().join("report.html");
    std::fs::write(&file, &r.stdout).unwrap();
    let dom = dump_dom(&browser, &file);
    assert!(elements(&dom, "script").is_empty(), "no script element");
    assert!(elements(&dom, "img").is_empty(), "no img element");
    assert_eq!(elements(&dom, "article").len(), check_ids().len());
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;"),
        "the text is there, inert"
    );
}
