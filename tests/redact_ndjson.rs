//! --redact and --format ndjson: what a ticket system ingests.

mod common;

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
    let mut c = cmd();
    c.env("COMPUTERNAME", "DESKTOP-JDOE42")
        .env("USERNAME", "jdoe");
    c.args([
        "check",
        "--root",
        root.to_str().unwrap(),
        "--now",
        NOW,
        "--format",
        format,
        "--redact",
    ]);
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
    let a = run_redacted(&root, &cfg, "json", None).json();
    let b = run_redacted(&root, &cfg, "json", None).json();
    assert_eq!(a, b, "two runs differ");
    let who = a["profiles"][0]["sip_address"]
        .as_str()
        .unwrap()
        .to_string();
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
    let salted = run_redacted(&root, &cfg, "json", Some("our-own-secret")).json();
    assert_ne!(
        salted["profiles"][0]["sip_address"],
        a["profiles"][0]["sip_address"]
    );
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
    let env_v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        env_v["profiles"][0]["sip_address"],
        salted["profiles"][0]["sip_address"]
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
fn ndjson_is_a_header_then_one_record_per_check() {
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
    assert_eq!(lines.len(), 14);
    let h = &lines[0];
    assert_eq!(h["record"], "header");
    assert_eq!(h["schema_version"], 1);
    assert_eq!(h["tool"]["name"], "offline-im-doctor");
    assert_eq!(h["host"], "DESKTOP-TEST01");
    assert_eq!(h["generated_at"], NOW);
    assert_eq!(h["verdict"], "fail");
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
        let c = &lines[i + 1];
        assert_eq!(c["record"], "check");
        assert_eq!(c["id"], *id);
        assert_eq!(c["host"], "DESKTOP-TEST01");
        assert_eq!(c["generated_at"], NOW);
        assert!(c["status"].is_string() && c["summary"].is_string() && c["evidence"].is_array());
    }
    assert_eq!(lines[5]["status"], "fail", "server-offline-im");
}
