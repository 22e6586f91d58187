//! The report's language (`docs/contract.md`, "Language"): `--lang`, else
//! `LC_ALL`, `LC_MESSAGES`, `LANG`; anything else is English with one line
//! on stderr. The language changes text only: the JSON of a French report
//! is the English one but for its text fields and `lang`.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use offline_im_doctor::i18n::{Lang, catalog};
use offline_im_doctor::model::Report;
use serde_json::Value;
use strum::IntoEnumIterator;

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
    pin_sample_times(name);
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// `check --root samples/NAME --now <its now> [--server-config ...]`.
fn sample_args(name: &str) -> Vec<String> {
    let root = sample_root(name);
    let mut a = vec![
        "check".to_string(),
        "--root".into(),
        root.display().to_string(),
        "--now".into(),
        sample_now(name).into(),
    ];
    let paste = root.join("server-config.txt");
    if paste.exists() {
        a.extend(["--server-config".into(), paste.display().to_string()]);
    }
    a
}

/// A sample's JSON report with these extra arguments and environment.
fn sample_json(name: &str, extra: &[&str], env: &[(&str, &str)]) -> (Run, Report) {
    let mut c = cmd();
    c.args(sample_args(name))
        .args(["--format", "json"])
        .args(extra);
    for (k, v) in env {
        c.env(k, v);
    }
    let r: Run = c.output().unwrap().into();
    assert!(r.code == 0 || r.code == 1, "{name}: {}", r.stderr);
    let v = r.report();
    (r, v)
}

fn title(report: &Report, id: CheckId) -> &str {
    &check_of(report, id).title
}

#[test]
fn lang_fr_writes_a_french_report_and_says_so() {
    for option in ["fr", "FR", "Fr", "fr_FR.UTF-8"] {
        let (_, v) = sample_json("stuck-spooler", &["--lang", option], &[]);
        assert_eq!(v.lang, Lang::Fr, "--lang {option}");
        assert_eq!(
            title(&v, CheckId::ClientBuild),
            "Build du client",
            "--lang {option}"
        );
        assert_eq!(
            title(&v, CheckId::EwsAccess),
            "Accès aux services web Exchange (EWS)"
        );
    }
    let (_, v) = sample_json(
        "stuck-spooler",
        &["--lang", "EN"],
        &[("LANG", "fr_FR.UTF-8")],
    );
    assert_eq!(v.lang, Lang::En, "--lang beats the environment");
    assert_eq!(title(&v, CheckId::ClientBuild), "Client build");
}

#[test]
fn lang_fr_in_every_text_format_is_french() {
    for format in ["table", "text", "markdown", "html", "ndjson"] {
        let r: Run = cmd()
            .args(sample_args("stuck-spooler"))
            .args(["--format", format, "--lang", "fr"])
            .output()
            .unwrap()
            .into();
        assert!(r.code == 0 || r.code == 1, "{format}: {}", r.stderr);
        assert!(
            r.stdout.contains("Accès aux services web Exchange")
                || r.stdout.contains("Acc\\u00e8s aux services web Exchange")
                || r.stdout
                    .starts_with("Diagnostic des messages hors connexion\u{a0}: "),
            "{format} has no French title:\n{}",
            r.stdout
        );
    }
}

#[test]
fn lang_follows_lc_all_then_lc_messages_then_lang() {
    // cmd() removes LC_ALL, LC_MESSAGES and LANG: only what a case sets counts.
    let (r, v) = sample_json("healthy", &[], &[("LANG", "fr_FR.UTF-8")]);
    assert_eq!(v.lang, Lang::Fr);
    assert_eq!(title(&v, CheckId::ClientBuild), "Build du client");
    assert!(!r.stderr.contains("language"), "{}", r.stderr);

    let (_, v) = sample_json(
        "healthy",
        &[],
        &[("LC_ALL", "en_US.UTF-8"), ("LANG", "fr_FR.UTF-8")],
    );
    assert_eq!(v.lang, Lang::En, "LC_ALL beats LANG");
    assert_eq!(title(&v, CheckId::ClientBuild), "Client build");

    let (_, v) = sample_json(
        "healthy",
        &[],
        &[("LC_MESSAGES", "fr_CA.UTF-8"), ("LANG", "en_US.UTF-8")],
    );
    assert_eq!(v.lang, Lang::Fr, "LC_MESSAGES beats LANG");

    let (_, v) = sample_json("healthy", &[], &[("LC_ALL", ""), ("LANG", "fr")]);
    assert_eq!(v.lang, Lang::Fr, "an empty LC_ALL counts as unset");

    let (_, v) = sample_json("healthy", &[], &[]);
    assert_eq!(v.lang, Lang::En, "nothing set: English");
}

#[test]
fn an_unavailable_language_is_english_with_one_line_on_stderr() {
    let (plain, english) = sample_json("healthy", &[], &[]);
    let (r, v) = sample_json("healthy", &[], &[("LANG", "de_DE.UTF-8")]);
    assert_eq!(v.lang, Lang::En);
    assert_eq!(v, english, "the same report as with no language at all");
    let naming: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("de_DE.UTF-8"))
        .collect();
    assert_eq!(naming.len(), 1, "{}", r.stderr);
    assert!(naming[0].contains("en, fr"), "{}", naming[0]);
    assert!(naming[0].contains("English"), "{}", naming[0]);
    // That line and nothing else is added.
    let rest: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| !l.contains("de_DE.UTF-8"))
        .collect();
    assert_eq!(rest, plain.stderr.lines().collect::<Vec<_>>());

    let (r, v) = sample_json("healthy", &["--lang", "es"], &[("LANG", "fr_FR.UTF-8")]);
    assert_eq!(v.lang, Lang::En);
    let naming: Vec<&str> = r.stderr.lines().filter(|l| l.contains("es")).collect();
    assert!(
        r.stderr
            .lines()
            .filter(|l| l.contains("language es (from --lang)") && l.contains("en, fr"))
            .count()
            == 1,
        "{naming:?}"
    );
}

#[test]
fn verbose_says_where_the_language_came_from() {
    let r: Run = cmd()
        .args(sample_args("healthy"))
        .arg("-v")
        .env("LC_MESSAGES", "fr_FR.UTF-8")
        .output()
        .unwrap()
        .into();
    assert!(
        r.stderr
            .contains("note: report language fr (from LC_MESSAGES)"),
        "{}",
        r.stderr
    );
    let (r, _) = sample_json("healthy", &[], &[("LC_MESSAGES", "fr_FR.UTF-8")]);
    assert!(!r.stderr.contains("report language"), "{}", r.stderr);
}

/// The report's JSON without the fields whose words change with the
/// language: each check's `title`, `summary`, `remediation`; the
/// diagnosis' words (every string in it but its code and check ids); `lang`.
fn without_text(mut v: Value) -> Value {
    fn strip_words(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.retain(|k, val| {
                    !val.is_string() || matches!(k.as_str(), "code" | "cause" | "check" | "id")
                });
                map.values_mut().for_each(strip_words);
            }
            Value::Array(items) => items.iter_mut().for_each(|i| {
                if !i.is_string() {
                    strip_words(i)
                }
            }),
            _ => {}
        }
    }
    let o = v.as_object_mut().unwrap();
    o.remove("lang");
    for c in o["checks"].as_array_mut().unwrap() {
        let c = c.as_object_mut().unwrap();
        for k in ["title", "summary", "remediation"] {
            c.remove(k);
        }
    }
    strip_words(&mut o["diagnosis"]);
    v
}

#[test]
fn french_json_differs_from_english_only_in_text_fields() {
    for name in SAMPLES {
        // The JSON itself: every key, typed or not.
        let en = sample_json(name, &["--lang", "en"], &[]).0.json();
        let fr = sample_json(name, &["--lang", "fr"], &[]).0.json();
        assert_eq!((&en["lang"], &fr["lang"]), (&"en".into(), &"fr".into()));
        assert_ne!(en, fr, "{name}: French and English reports are identical");
        let (en, fr) = (without_text(en), without_text(fr));
        if en != fr {
            panic!(
                "{name}: the French report differs outside its text fields\nEnglish: {en:#}\nFrench: {fr:#}"
            );
        }
    }
}

#[test]
fn redact_then_localize_leaves_no_address_in_any_language() {
    for lang in ["en", "fr"] {
        let (r, v) = sample_json("stuck-spooler", &["--redact", "--lang", lang], &[]);
        assert_eq!(v.lang.as_str(), lang);
        for address in ["jdoe@fabrikam.com", "mbrown@", "klee@fabrikam.com"] {
            assert!(
                !r.stdout.contains(address),
                "--redact --lang {lang} leaves {address}"
            );
        }
    }
}

#[test]
fn every_message_of_every_sample_formats_in_both_languages() {
    for name in SAMPLES {
        let (r, _) = sample_json(name, &[], &[]);
        let report: Report = serde_json::from_str(&r.stdout).unwrap();
        for c in &report.checks {
            let Some(message) = &c.message else {
                panic!(
                    "{name}: {} ({}) has no message: its text does not come from the catalogue",
                    c.id, c.code
                );
            };
            for lang in Lang::iter() {
                for m in std::iter::once(message).chain(&c.steps) {
                    let (_, problems) = catalog::format_checked(lang, m);
                    assert!(
                        problems.is_empty(),
                        "{name}: {} in {}: {problems:?}",
                        c.id,
                        lang.as_str()
                    );
                }
            }
        }
    }
}

#[test]
fn collect_writes_the_bundle_report_in_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bundle.zip");
    let md = dir.path().join("report.md");
    let root = sample_root("stuck-spooler");
    let r = run(&[
        "collect",
        "--root",
        root.to_str().unwrap(),
        "--now",
        sample_now("stuck-spooler"),
        "--out",
        out.to_str().unwrap(),
        "--output",
        md.to_str().unwrap(),
        "--lang",
        "fr",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: Report = serde_json::from_slice(&zip_member(&out, "report.json")).unwrap();
    assert_eq!(report.lang, Lang::Fr);
    assert_eq!(title(&report, CheckId::ClientBuild), "Build du client");
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("Accès aux services web Exchange"), "{md}");

    // Judged again from the bundle: the language of this run, not the bundle's.
    let (_, v) = check_report(&out, &["--lang", "en"]);
    assert_eq!(v.lang, Lang::En);
    assert_eq!(title(&v, CheckId::ClientBuild), "Client build");
}

/// Every check's summary and remediation come from the catalogue: no
/// string literal or `format!` reaches them in `src/checks/**` (unit tests
/// at the end of a file aside), and the legacy `result(...)` is not called.
#[test]
fn the_checks_write_no_words_of_their_own() {
    let words = regex::Regex::new(
        r#"(?x)
        # summary: "...", remediation: Some(format!(..)), x.summary = "...".to_string()
        \b(?:summary|remediation) \s* (?::|=) \s* (?:Some \s* \( \s*)?
            (?: &?\s*" | r\#*" | format! | concat! | String::from \s* \( \s* " | "[^"]*" \s* \. \s* (?:to_string|to_owned|into) \s* \( )
        # the legacy result(status, code, "text", ..), called (its definition aside)
        | (?:^|[^\w.:]) (?:fn \s+)? result \s* \(
        "#,
    )
    .unwrap();
    for bad in [
        "summary: \"Spooler is empty\".into(),",
        "remediation: Some(format!(\"Update to {b}\")),",
        "r.summary = \"x\".to_string();",
        "let summary = format!(\"{n} stuck\");",
        "summary:\n            String::from(\"none\"),",
        "    return result(Status::Pass, code, s, evidence, None);",
    ] {
        assert!(words.is_match(bad), "the pattern misses {bad}");
    }
    for good in [
        "judged(&outcome, evidence)",
        "summary: crate::i18n::text(Lang::En, &message),",
        "if c.summary == \"x\" {",
        "let judged_result = x;",
        "fn check_result(x: u8)",
    ] {
        assert!(!words.is_match(good), "the pattern flags {good}");
    }
    let mut found = Vec::new();
    let checks = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks");
    for e in walkdir::WalkDir::new(&checks).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        // Unit tests build results of their own to test with.
        let code = match text.find("#[cfg(test)]") {
            Some(i) => &text[..i],
            None => &text[..],
        };
        for m in words.find_iter(code) {
            let line_start = code[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            let line = code[line_start..].lines().next().unwrap_or_default();
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") || m.as_str().contains("fn") {
                continue;
            }
            found.push(format!(
                "{}:{}: {}",
                e.path().strip_prefix(&checks).unwrap().display(),
                code[..m.start()].lines().count().max(1),
                trimmed
            ));
        }
    }
    assert!(
        found.is_empty(),
        "{} place(s) in src/checks write a summary or remediation without the catalogue:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn watch_writes_its_report_in_the_chosen_language() {
    let fx = Fixture::new();
    fx.spooler("jdoe@fabrikam.com");
    fx.log(
        "Lync-UccApi-0.UccApilog",
        &entry("09:00:00.000", "INFO", "started"),
    );
    let root = fx.root().to_str().unwrap();
    let r = run(&[
        "watch", "--root", root, "--for", "1s", "--format", "json", "--lang", "fr",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v = r.report();
    assert_eq!(v.lang, Lang::Fr);
    assert_eq!(title(&v, CheckId::ClientBuild), "Build du client");
    assert!(v.watch.is_some(), "{v:#?}");
}

/// `--redact` goes through the report's JSON: every typed value of a
/// message must come back typed (a date a date, an address pseudonymised),
/// so the words are then made again from the redacted values.
#[test]
fn redaction_keeps_message_values_typed_and_localize_uses_the_redacted_ones() {
    use offline_im_doctor::i18n::{Arg, Msg};
    let (r, _) = sample_json("stuck-spooler", &[], &[]);
    let mut report: Report = serde_json::from_str(&r.stdout).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let time = now();
    let message = Msg::new("check-ews-access")
        .with("address", Arg::Address("jdoe@fabrikam.com".into()))
        .with("date", Arg::Date(date))
        .with("time", Arg::Time(time))
        .with("count", Arg::Count(2))
        .with("status", Arg::Status(401))
        .with("build", Arg::Build("16.0.7571.2072".into()))
        .with(
            "url",
            Arg::Url("https://mail.fabrikam.com/EWS/Exchange.asmx".into()),
        );
    report.checks[0].message = Some(message.clone());
    report.checks[0].steps = vec![message];
    let mut redactor = offline_im_doctor::redact::Redactor::from_option(None);
    let mut redacted = offline_im_doctor::report::redact(&report, &mut redactor, &[]);
    assert_ne!(
        redacted.checks[0].summary, "(redacted)",
        "the report did not survive"
    );
    let args = &redacted.checks[0].message.as_ref().unwrap().args;
    assert_eq!(args["date"], Arg::Date(date));
    assert_eq!(args["time"], Arg::Time(time));
    assert_eq!(args["count"], Arg::Count(2));
    assert_eq!(args["status"], Arg::Status(401));
    assert!(
        !format!("{:?}", args["address"]).contains("jdoe"),
        "{:?}",
        args["address"]
    );
    redacted.localize(Lang::Fr);
    assert_eq!(redacted.lang, Lang::Fr);
    assert!(
        !serde_json::to_string(&redacted).unwrap().contains("jdoe@"),
        "an address came back after localize"
    );
}
