//! The JSON report against its published schema, the library's `Report`
//! type and `docs/contract.md`, so drift between them fails a test.

use crate::common;

use common::*;

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

/// Every key the binary writes is a field of the library's `Report` (read
/// back and written again, the JSON is unchanged: serde would drop a key the
/// type does not have), and the judgement holds together.
#[test]
fn reports_read_back_into_the_report_type_unchanged() {
    for json in reports() {
        let report: Report =
            serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{e}\n{json:#}"));
        assert_eq!(serde_json::to_value(&report).unwrap(), json);
        assert_eq!(report.schema_version, 1);
        for c in &report.checks {
            assert_eq!(c.code.check(), c.id, "{} belongs to another check", c.code);
        }
        // The cause, when there is one, is a failing or warning check of this report.
        match report.diagnosis.cause {
            Some(cause) => assert!(matches!(
                status(&report, cause),
                Status::Fail | Status::Warn
            )),
            None if report.verdict != Verdict::Fail => {
                assert!(report.diagnosis.symptoms.is_empty())
            }
            None => {}
        }
    }
}

/// Every key of the published schema, named in `docs/contract.md`: a field
/// added to the report without a word in the contract fails here.
#[test]
fn every_key_of_the_schema_is_in_the_contract() {
    fn keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Object(props)) = m.get("properties") {
                    out.extend(props.keys().cloned());
                }
                m.values().for_each(|v| keys(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut schema = schema();
    // A catalogue message's argument kinds are the catalogue's (docs/i18n.md),
    // not report keys.
    schema["$defs"].as_object_mut().unwrap().remove("Arg");
    let mut all = std::collections::BTreeSet::new();
    keys(&schema, &mut all);
    let contract = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/contract.md"),
    )
    .unwrap();
    // Named alone (`key`), at the end of a path (`client.key`) or as a JSON key.
    let named = |k: &str| {
        [format!("`{k}`"), format!(".{k}`"), format!("\"{k}\"")]
            .iter()
            .any(|form| contract.contains(form.as_str()))
    };
    let missing: Vec<&String> = all.iter().filter(|k| !named(k)).collect();
    assert!(
        missing.is_empty(),
        "keys docs/contract.md does not name: {missing:?}"
    );
}
