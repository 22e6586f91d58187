//! --redact and --format ndjson: what a ticket system ingests.

use crate::common;

use common::*;

const SECRETS: [&str; 5] = ["jdoe", "fabrikam", "klee", "mbrown", "desktop-jdoe42"];

/// A profile under C:\Users\jdoe-like path with addresses and hosts planted everywhere.
fn planted() -> (Fixture, std::path::PathBuf, std::path::PathBuf) {
    let f = Fixture::new();
    let local = f
        .root()
        .join("Users")
        .join("jdoe")
        .join("AppData")
        .join("Local");
    let lync = local.join("Microsoft/Office/16.0/Lync");
    let sp = lync.join("sip_jdoe@fabrikam.com").join("History Spooler");
    write_with_age(
        &sp.join("m1.xml"),
        b"<m><to>sip:mbrown@fabrikam.com</to><body>hi</body></m>",
        3600,
    );
    write_with_age(
        &sp.join("m2.eml"),
        b"To: Kim Lee <klee@fabrikam.com>\r\n\r\nbody",
        3600,
    );
    let log = user_agent_entry("09:00:00.000", "16.0.6965.2053")
        + &ews_url_entry("09:00:01.000", "mail.fabrikam.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            "POST https://mail.fabrikam.com/EWS/Exchange.asmx for sip:jdoe@fabrikam.com failed: HTTP/1.1 401 Unauthorized",
        )
        + &entry(
            "09:00:03.000",
            "ERROR",
            "failed to send offline message to klee@fabrikam.com, hr=0x80190191",
        );
    write_with_age(
        &lync.join("Tracing").join("Lync-UccApi-0.UccApilog"),
        log.as_bytes(),
        60,
    );
    let cfg = f.root().join("cfg.txt");
    write_with_age(
        &cfg,
        b"Identity : Global\r\nEnableOfflineIm : False\r\n",
        60,
    );
    (f, local, cfg)
}

fn run_redacted(
    root: &std::path::Path,
    cfg: &std::path::Path,
    format: &str,
    salt: Option<&str>,
) -> Run {
    // A live run (no --root: %LOCALAPPDATA% is the profile), so the
    // records carry this machine's name for --redact to pseudonymise.
    let mut c = cmd();
    c.env("COMPUTERNAME", "DESKTOP-JDOE42")
        .env("USERNAME", "jdoe")
        .env("LOCALAPPDATA", root);
    c.args(["check", "--now", NOW, "--format", format, "--redact"]);
    c.args(["--server-config", cfg.to_str().unwrap()]);
    if let Some(s) = salt {
        c.args(["--redact-salt", s]);
    }
    c.output().unwrap().into()
}

#[test]
fn redact_removes_every_planted_name_from_every_format() {
    let (_f, root, cfg) = planted();
    for format in ["table", "json", "markdown", "ndjson"] {
        let r = run_redacted(&root, &cfg, format, None);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr).to_lowercase();
        for s in SECRETS {
            assert!(
                !all.contains(s),
                "{format}: {s:?} left in output:\n{}",
                r.stdout
            );
        }
        // The diagnosis itself survives redaction.
        assert!(all.contains("spooler-stuck"), "{format}");
        assert!(all.contains("user-"), "{format}: no pseudonym written");
    }
}

#[test]
fn pseudonyms_are_stable_across_runs_and_formats_and_change_with_the_salt() {
    let (_f, root, cfg) = planted();
    let a = run_redacted(&root, &cfg, "json", None).report();
    let b = run_redacted(&root, &cfg, "json", None).report();
    assert_eq!(a, b, "two runs differ");
    let who = a.profiles[0].sip_address.clone();
    assert!(
        who.starts_with("user-") && who.ends_with(".invalid"),
        "{who}"
    );
    let md = run_redacted(&root, &cfg, "markdown", None).stdout;
    // Markdown escapes '_' and similar; the pseudonym has none of them.
    assert!(
        md.contains(&who),
        "markdown uses another pseudonym for {who}"
    );
    let nd = run_redacted(&root, &cfg, "ndjson", None).stdout;
    assert!(nd.contains(&who));
    let salted = run_redacted(&root, &cfg, "json", Some("our-own-secret")).report();
    assert_ne!(salted.profiles[0].sip_address, who);
    // The environment variable is the same key as the option.
    let mut c = cmd();
    c.env("OFFLINE_IM_DOCTOR_REDACT_SALT", "our-own-secret")
        .env("COMPUTERNAME", "DESKTOP-JDOE42");
    let out = c
        .args([
            "check",
            "--root",
            root.to_str().unwrap(),
            "--now",
            NOW,
            "--format",
            "json",
            "--redact",
            "--server-config",
            cfg.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let env_v: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        env_v.profiles[0].sip_address,
        salted.profiles[0].sip_address
    );
}

#[test]
fn without_redact_the_names_are_shown() {
    let (_f, root, cfg) = planted();
    let r = check_run(
        root.to_str().unwrap(),
        &["--format", "json", "--server-config", cfg.to_str().unwrap()],
    );
    assert!(r.stdout.contains("jdoe@fabrikam.com"));
    assert!(r.stdout.contains("mbrown@fabrikam.com"));
}

#[test]
fn ndjson_is_a_header_a_diagnosis_then_one_record_per_check() {
    let (_f, root, cfg) = planted();
    let r = check_run(
        root.to_str().unwrap(),
        &[
            "--format",
            "ndjson",
            "--server-config",
            cfg.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // A header, a diagnosis and one record per check (13 checks).
    assert_eq!(lines.len(), 15);
    let h = &lines[0];
    assert_eq!(h["record"], "header");
    assert_eq!(h["schema_version"], 1);
    assert_eq!(h["tool"]["name"], "offline-im-doctor");
    // A copied folder does not say its machine: no host, not this one's.
    assert!(h["host"].is_null(), "{h}");
    assert_eq!(h["generated_at"], NOW);
    assert_eq!(h["verdict"], "fail");
    let d = &lines[1];
    assert_eq!(d["record"], "diagnosis");
    assert!(d["host"].is_null(), "{d}");
    assert_eq!(d["generated_at"], NOW);
    let json = check_run(
        root.to_str().unwrap(),
        &["--format", "json", "--server-config", cfg.to_str().unwrap()],
    )
    .json();
    // The diagnosis record is the JSON report's diagnosis, key for key.
    for key in ["cause", "code", "summary", "next_step", "symptoms", "also"] {
        assert_eq!(d[key], json["diagnosis"][key], "{key}");
    }
    assert_eq!(d["cause"], "ews-access");
    assert_eq!(d["next_steps"][0], json["diagnosis"]["next_step"]);
    assert!(d["next_steps"].as_array().unwrap().len() >= 2, "{d}");
    for (line, l) in lines.iter().enumerate() {
        assert_eq!(
            l["sip_addresses"],
            serde_json::json!(["jdoe@fabrikam.com"]),
            "line {line}"
        );
        // Every record says the header's host: none for a copied folder.
        assert_eq!(l["host"], h["host"], "line {line}");
    }
    for (i, id) in [
        "client-build",
        "client-install",
        "spooler-stuck",
        "im-auto-archiving",
        "server-offline-im",
        "ews-access",
        "offline-im-activity",
        "client-logs",
        "drafts-known-issue",
    ]
    .iter()
    .enumerate()
    {
        let c = &lines[i + 2];
        assert_eq!(c["record"], "check");
        assert_eq!(c["id"], *id);
        assert!(c["host"].is_null(), "{c}");
        assert_eq!(c["generated_at"], NOW);
        assert!(c["status"].is_string() && c["summary"].is_string() && c["evidence"].is_array());
    }
    assert_eq!(lines[6]["status"], "fail", "server-offline-im");
}

/// Each line of a redacted run: host, SIP addresses and the diagnosis's
/// text are pseudonymised on every record kind.
#[test]
fn redact_applies_to_host_and_sip_addresses_on_every_record() {
    let (_f, root, cfg) = planted();
    let r = run_redacted(&root, &cfg, "ndjson", None);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = lines
        .iter()
        .map(|l| l["record"].as_str().unwrap())
        .collect();
    assert_eq!(&kinds[..3], ["header", "diagnosis", "check"]);
    for l in &lines {
        let sip = l["sip_addresses"][0].as_str().unwrap();
        assert!(sip.starts_with("user-") && sip.ends_with(".invalid"), "{l}");
        let host = l["host"].as_str().unwrap().to_lowercase();
        assert!(!host.contains("desktop-jdoe42"), "{l}");
        assert_eq!(
            l["sip_addresses"],
            serde_json::json!([lines[0]["profiles"][0]["sip_address"]])
        );
    }
}

/// Real NDJSON output, every line of it, against `schema --ndjson`.
#[test]
fn ndjson_lines_validate_against_schema_ndjson() {
    let r = run(&["schema", "--ndjson"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let schema: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for kind in ["HeaderRecord", "DiagnosisRecord", "CheckRecord"] {
        assert!(schema["$defs"][kind].is_object(), "no definition {kind}");
    }
    let validator = jsonschema::validator_for(&schema).expect("the schema itself is valid");
    let (_f, root, cfg) = planted();
    let plain = check_run(
        root.to_str().unwrap(),
        &[
            "--format",
            "ndjson",
            "--server-config",
            cfg.to_str().unwrap(),
        ],
    );
    let redacted = run_redacted(&root, &cfg, "ndjson", None);
    let empty = Fixture::new();
    empty.profile("z@contoso.com");
    let clean = check_run(empty.root().to_str().unwrap(), &["--format", "ndjson"]);
    let mut seen = std::collections::BTreeSet::new();
    for out in [plain.stdout, redacted.stdout, clean.stdout] {
        for line in out.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            seen.insert(v["record"].as_str().unwrap().to_string());
            let errors: Vec<String> = validator
                .iter_errors(&v)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{errors:#?}\n{v:#}");
        }
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        ["check", "diagnosis", "header"]
    );
    // A line of another kind, or one without its record's keys, does not validate.
    assert!(!validator.is_valid(&serde_json::json!({"record": "footer"})));
    assert!(!validator.is_valid(&serde_json::json!({"record": "diagnosis", "host": null})));
}

/// The README's ticket-system pipeline, taken from the README itself, run
/// through the real `jq` on a real report. Without jq it is skipped with a
/// note, except under CI (`CI=true`), where a missing jq fails.
#[test]
fn readme_jq_pipeline_reads_cause_and_next_step() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("jq -r '")
        .expect("README shows the jq pipeline")
        + "jq -r '".len();
    let program = &readme[start..start + readme[start..].find('\'').unwrap()];
    let jq_there = std::process::Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !jq_there {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "jq is not installed, and CI=true: CI must run the README's jq pipeline"
        );
        eprintln!("note: jq not installed; the README's jq pipeline was not run");
        return;
    }
    let (_f, root, cfg) = planted();
    let nd = check_run(
        root.to_str().unwrap(),
        &[
            "--format",
            "ndjson",
            "--server-config",
            cfg.to_str().unwrap(),
        ],
    );
    let json = check_run(
        root.to_str().unwrap(),
        &["--format", "json", "--server-config", cfg.to_str().unwrap()],
    )
    .json();
    use std::io::Write;
    let mut jq = std::process::Command::new("jq")
        .args(["-r", program])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    jq.stdin
        .take()
        .unwrap()
        .write_all(nd.stdout.as_bytes())
        .unwrap();
    let out = jq.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let expected = format!(
        "unknown host jdoe@fabrikam.com: {} (cause: ews-access)\nNext step: {}\n",
        json["diagnosis"]["code"].as_str().unwrap(),
        json["diagnosis"]["next_step"].as_str().unwrap()
    );
    assert_eq!(text, expected);
}
