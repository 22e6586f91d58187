//! The JSON report against its published schema and against mirror types
//! that reject unknown fields, so schema drift fails a test (ripgrep style).

use crate::common;

use common::*;
use serde::Deserialize;

fn schema() -> serde_json::Value {
    let r = run(&["schema"]);
    assert_eq!(r.code, 0);
    r.json()
}

fn reports() -> Vec<serde_json::Value> {
    let f = Fixture::new();
    f.spool(
        "a@contoso.com",
        "m.xml",
        b"<m><to>sip:b@contoso.com</to></m>",
        3600,
    );
    f.spool("a@contoso.com", "n", b"", -60);
    let log = user_agent_entry("09:00:00.000", "16.0.6965.2053")
        + &ews_url_entry("09:00:01.000", "mail.contoso.com")
        + &entry(
            "09:00:02.000",
            "ERROR",
            "POST https://mail.contoso.com/EWS/Exchange.asmx failed: HTTP/1.1 500 Internal Server Error",
        )
        + &entry(
            "09:00:03.000",
            "ERROR",
            "failed to send offline message, hr=0x80190191",
        );
    f.log("Lync-UccApi-0.UccApilog", &log);
    let cfg = f.file("cfg.txt", b"Identity : Global\r\nEnableOfflineIm : False\r\n\r\nIdentity : Tag:x\r\nEnableIMAutoArchiving : False\r\n");
    let empty = Fixture::new();
    empty.profile("z@contoso.com");
    vec![
        check_json(f.root(), &["--server-config", cfg.to_str().unwrap()]).1,
        check_json(
            f.root(),
            &["--client-version", "16.0.4266.1001", "--redact"],
        )
        .1,
        check_json(empty.root(), &[]).1,
    ]
}

#[test]
fn real_reports_validate_against_the_schema() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema itself is valid");
    for report in reports() {
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{report:#}");
    }
}

#[test]
fn schema_rejects_a_report_with_a_wrong_status() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut report = reports().remove(0);
    report["checks"][0]["status"] = "broken".into();
    assert!(!validator.is_valid(&report));
}

#[test]
fn schema_snapshot() {
    let r = run(&["schema"]);
    insta::assert_snapshot!("schema", r.stdout);
}

// Mirror of the report in docs/contract.md; unknown fields fail the test.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema_version: u32,
    tool: Tool,
    lang: Lang,
    generated_at: String,
    host: Option<String>,
    verdict: String,
    client: Client,
    mailbox: Mailbox,
    profiles: Vec<Profile>,
    checks: Vec<Check>,
    machine: Machine,
    logs: Logs,
    timeline: Vec<TimelineEvent>,
    diagnosis: Diagnosis,
    #[serde(default)]
    probe: Option<Probe>,
}
// docs/contract.md, "Language": the report's language.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Lang {
    En,
    Fr,
}
// docs/contract.md: `probe` (with --probe); tests/probe.rs checks a real one.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Probe {
    steps: Vec<ProbeStep>,
    endpoints: Vec<serde_json::Value>,
    dns: String,
    proxy: String,
    notes: Vec<String>,
    ms: u64,
    deadline_reached: bool,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Diagnosis {
    cause: Option<String>,
    code: String,
    summary: String,
    next_step: String,
    symptoms: Vec<String>,
    also: Vec<String>,
    #[serde(default)]
    symptom_text: Vec<SymptomText>,
    #[serde(default)]
    message: Option<Msg>,
    #[serde(default)]
    steps: Vec<Msg>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SymptomText {
    check: String,
    what: String,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProbeStep {
    target: String,
    kind: String,
    outcome: String,
    detail: String,
    ms: u64,
    #[serde(default)]
    failure: Option<String>,
    #[serde(default)]
    certificate: Option<serde_json::Value>,
    #[serde(default)]
    http: Option<serde_json::Value>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Machine {
    host_name: Option<String>,
    utc_offset: Option<String>,
    time_zone: Option<String>,
    os: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Logs {
    files: u64,
    entries: u64,
    utc_offset: String,
    utc_offset_source: Option<String>,
    etl: Vec<Etl>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Etl {
    path: String,
    size: u64,
    modified: Option<String>,
    logger: Option<String>,
    start: Option<String>,
    end: Option<String>,
    first_event: Option<String>,
    last_event: Option<String>,
    events: u64,
    events_lost: u64,
    buffers_lost: u64,
    circular: bool,
    compressed: bool,
    build: Option<String>,
    covers_stuck: Option<bool>,
    error: Option<String>,
    #[serde(default)]
    strings: Option<serde_json::Value>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Tool {
    name: String,
    version: String,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Client {
    build: Option<String>,
    source: Option<String>,
    install: String,
    #[serde(default)]
    channel: Option<String>,
    product: Option<String>,
    support_ends: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mailbox {
    location: String,
    ews_url: Option<String>,
    #[serde(default)]
    source: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    sip_address: String,
    office_version: String,
    path: String,
    spooler: Spooler,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spooler {
    files: u64,
    stuck: u64,
    oldest_age_seconds: Option<i64>,
    #[serde(default)]
    stuck_written_at: Vec<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Check {
    id: String,
    status: String,
    code: String,
    title: String,
    summary: String,
    evidence: Vec<Evidence>,
    remediation: Option<String>,
    #[serde(default)]
    message: Option<Msg>,
    #[serde(default)]
    steps: Vec<Msg>,
}
/// A catalogue message: its id and its typed values (`{"build": "16.0..."}`).
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Msg {
    id: String,
    #[serde(default)]
    args: std::collections::BTreeMap<String, serde_json::Value>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Evidence {
    #[serde(default)]
    source: Option<EvidenceSource>,
    path: Option<String>,
    line: Option<u64>,
    detail: String,
    #[serde(default)]
    timestamp: Option<String>,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum EvidenceSource {
    Option,
    Registry,
    PeFile,
    Log,
    Paste,
    Probe,
    Etl,
    Spooler,
    Tool,
}
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineEvent {
    timestamp: Option<String>,
    kind: String,
    path: String,
    line: u64,
    detail: String,
}

#[test]
fn reports_match_the_contract_mirror_exactly() {
    for r in reports() {
        let parsed: Report =
            serde_json::from_value(r.clone()).unwrap_or_else(|e| panic!("{e}\n{r:#}"));
        assert_eq!(parsed.schema_version, 1);
        assert!(["ok", "warn", "fail"].contains(&parsed.verdict.as_str()));
        for c in &parsed.checks {
            assert!(["pass", "info", "warn", "fail", "skip"].contains(&c.status.as_str()));
            let code: offline_im_doctor::model::Code = c
                .code
                .parse()
                .unwrap_or_else(|_| panic!("unknown code {}", c.code));
            assert_eq!(
                code.check().as_str(),
                c.id,
                "{} belongs to another check",
                c.code
            );
        }
        // The cause, when there is one, is a failing or warning check of this report.
        if let Some(cause) = &parsed.diagnosis.cause {
            let c = parsed.checks.iter().find(|c| &c.id == cause).unwrap();
            assert!(["fail", "warn"].contains(&c.status.as_str()), "{cause}");
        } else if parsed.verdict != "fail" {
            assert!(parsed.diagnosis.symptoms.is_empty());
        }
    }
}
