//! `--probe` against a lab on loopback: a DNS server and HTTPS servers on
//! 127.0.0.1 with `.test` names and a test CA given through `SSL_CERT_FILE`.
//! Every network byte of these tests stays on 127.0.0.1.

use crate::common;
use crate::common::probe_lab;

use std::time::{Duration, Instant};

use common::{
    CheckId, Fixture, NOW, Report, Run, Status, check_of, cmd, entry, ews_url_entry, zip_member,
};
use offline_im_doctor::sources::probe::{Endpoint, EndpointRole, ProbeReport, ProbeStep};
use probe_lab::{
    CERT_NAMES, DnsServer, EWS_HOST, HttpsServer, Leaf, RefusingProxy, TestCa, Zone, closed_port,
    full_zone,
};
use serde_json::Value;

/// A profile `jdoe@contoso.test` whose log names the EWS URL at `mail.contoso.test`.
fn fixture(with_ews_url: bool) -> Fixture {
    let f = Fixture::new();
    f.profile("jdoe@contoso.test");
    let mut log = entry("10:00:00.000", "INFO", "client started");
    if with_ews_url {
        log += &ews_url_entry("10:00:01.000", EWS_HOST);
    }
    f.log("Lync-UccApi-0.UccApilog", &log);
    f
}

struct Lab {
    ca: TestCa,
    dir: tempfile::TempDir,
    ca_file: std::path::PathBuf,
}

impl Lab {
    fn new() -> Self {
        let ca = TestCa::new("Lab Test Root CA");
        let dir = tempfile::tempdir().unwrap();
        let ca_file = ca.write_pem(dir.path());
        Lab { ca, dir, ca_file }
    }

    fn good_leaf(&self) -> Leaf {
        self.ca.leaf(&CERT_NAMES, false)
    }
}

/// `check --probe` with the lab's DNS server, HTTPS port and CA.
fn probe_run(
    f: &Fixture,
    lab: &Lab,
    dns: &DnsServer,
    https_port: u16,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Run, Report) {
    let dns_addr = dns.addr.to_string();
    let port = https_port.to_string();
    let mut c = cmd();
    c.args(["check", "--root"])
        .arg(f.root())
        .args(["--now", NOW, "--format", "json", "--probe", "--probe-dns"])
        .arg(&dns_addr)
        .args(["--probe-https-port", &port, "--probe-timeout", "1s"])
        .args(extra)
        .env("SSL_CERT_FILE", &lab.ca_file)
        .env_remove("SSL_CERT_DIR");
    for k in [
        "HTTPS_PROXY",
        "https_proxy",
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
    ] {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    let run: Run = c.output().unwrap().into();
    let v = run.report();
    (run, v)
}

fn reach(report: &Report) -> (Status, &'static str, String) {
    let c = check_of(report, CheckId::EwsReachability);
    (c.status, c.code.as_str(), c.summary.clone())
}

/// An enum value by its name in the JSON contract (`"tls"`, `"name-not-found"`;
/// `"null"` for none).
fn name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value).unwrap() {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

fn probe(report: &Report) -> &ProbeReport {
    report.probe.as_ref().expect("a probe in the report")
}

/// The steps of the probe whose target contains `needle`.
fn steps<'a>(report: &'a Report, needle: &str) -> Vec<&'a ProbeStep> {
    probe(report)
        .steps
        .iter()
        .filter(|s| s.target.contains(needle))
        .collect()
}

fn ews_endpoint(report: &Report) -> &Endpoint {
    probe(report)
        .endpoints
        .iter()
        .find(|e| e.role == EndpointRole::Ews)
        .unwrap_or_else(|| panic!("no ews endpoint in {:#?}", report.probe))
}

#[test]
fn reachable_lab_passes_in_under_a_second_and_sends_nothing_personal() {
    let lab = Lab::new();
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start(&lab.good_leaf(), 401);
    let f = fixture(true);
    let (run, v) = probe_run(&f, &lab, &dns, https.port, &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!(status, Status::Pass, "{summary}\n{:#?}", v.probe);
    assert_eq!(code, "probe-ews-answered");
    assert!(summary.contains("HTTP 401"), "{summary}");
    assert!(
        summary.contains("https://mail.contoso.test/EWS/Exchange.asmx"),
        "{summary}"
    );

    // Steps in the client's order, each kind present, all ok.
    let kinds: Vec<String> = probe(&v).steps.iter().map(|s| name(&s.kind)).collect();
    assert_eq!(
        kinds,
        ["dns", "tcp", "tls", "http", "dns", "tcp", "tls", "http"],
        "autodiscover at the domain answered, so the client stops there; then EWS"
    );
    assert!(
        probe(&v)
            .steps
            .iter()
            .all(|s| name(&s.outcome) == "ok" && !s.detail.is_empty())
    );
    assert_eq!(
        steps(&v, "contoso.test")[0].target,
        "contoso.test",
        "first the bare SIP domain"
    );
    let http = steps(&v, "/EWS/Exchange.asmx")[0];
    let answer = http.http.as_ref().unwrap();
    assert_eq!(answer.status, 401);
    assert_eq!(answer.auth_schemes, ["Negotiate", "NTLM"]);
    let tls = &steps(&v, "mail.contoso.test:")[1];
    assert_eq!(name(&tls.kind), "tls");
    assert!(
        tls.certificate
            .as_ref()
            .unwrap()
            .issuer
            .contains("Lab Test Root CA")
    );
    assert_eq!(ews_endpoint(&v).path, "direct");
    let schema: Value = serde_json::from_str(&common::run(&["schema"]).stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&run.json())
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    // The whole probe of a reachable lab takes well under a second.
    let ms = probe(&v).ms;
    eprintln!("probe of the reachable loopback lab: {ms} ms");
    assert!(ms < 1000, "probe took {ms} ms");

    // What the server received: GET, Host, User-Agent, Connection and nothing else.
    let reqs = https.requests.lock().unwrap().clone();
    assert_eq!(reqs.len(), 2, "{reqs:?}");
    for r in &reqs {
        let lines: Vec<&str> = r.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(
            lines[0].starts_with("GET /") && lines[0].ends_with(" HTTP/1.1"),
            "{r}"
        );
        let names: Vec<String> = lines[1..]
            .iter()
            .map(|l| l.split(':').next().unwrap().to_ascii_lowercase())
            .collect();
        assert_eq!(names, ["host", "user-agent", "connection"], "{r}");
        assert!(r.contains("User-Agent: offline-im-doctor/"), "{r}");
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn untrusted_certificate_fails() {
    let lab = Lab::new();
    let stranger = TestCa::new("Stranger CA");
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start(&stranger.leaf(&CERT_NAMES, false), 401);
    let (run, v) = probe_run(&fixture(true), &lab, &dns, https.port, &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!(
        (status, code),
        (Status::Fail, "probe-ews-certificate-untrusted")
    );
    assert!(summary.contains("certificate untrusted"), "{summary}");
    assert!(
        summary.contains("Stranger CA"),
        "names the issuer: {summary}"
    );
    assert_eq!(name(&ews_endpoint(&v).failure), "certificate-untrusted");
    assert!(
        https.requests.lock().unwrap().is_empty(),
        "no request over untrusted TLS"
    );
    assert_eq!(run.code, 1);
}

#[test]
fn wrong_name_fails() {
    let lab = Lab::new();
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start(&lab.ca.leaf(&["other.test"], false), 401);
    let (_, v) = probe_run(&fixture(true), &lab, &dns, https.port, &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!(
        (status, code),
        (Status::Fail, "probe-ews-certificate-wrong-name")
    );
    assert!(
        summary.contains("wrong name") && summary.contains("other.test"),
        "{summary}"
    );
}

#[test]
fn expired_certificate_fails() {
    let lab = Lab::new();
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start(&lab.ca.leaf(&CERT_NAMES, true), 401);
    let (_, v) = probe_run(&fixture(true), &lab, &dns, https.port, &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!(
        (status, code),
        (Status::Fail, "probe-ews-certificate-expired")
    );
    assert!(
        summary.contains("expired") && summary.contains("2020-01-01"),
        "{summary}"
    );
}

#[test]
fn nothing_listening_fails_with_connection_refused() {
    let lab = Lab::new();
    let dns = DnsServer::start(full_zone());
    let (_, v) = probe_run(&fixture(true), &lab, &dns, closed_port(), &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!((status, code), (Status::Fail, "probe-ews-connect-failed"));
    assert!(summary.contains("connection refused"), "{summary}");
    let tcp = steps(&v, "mail.contoso.test:")[0];
    assert_eq!(
        [name(&tcp.kind), name(&tcp.failure)],
        ["tcp", "connection-refused"]
    );
}

#[test]
fn name_not_found_fails() {
    let lab = Lab::new();
    let dns = DnsServer::start(Zone::default().a("autodiscover.contoso.test"));
    let https = HttpsServer::start(&lab.good_leaf(), 401);
    let (_, v) = probe_run(&fixture(true), &lab, &dns, https.port, &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!((status, code), (Status::Fail, "probe-ews-name-not-found"));
    assert!(summary.contains("name not found"), "{summary}");
    let step = steps(&v, EWS_HOST)[0];
    assert_eq!([name(&step.kind), name(&step.outcome)], ["dns", "failed"]);
    assert_eq!(name(&step.failure), "name-not-found");
    // Autodiscover: the bare domain is not found either, autodiscover.<domain> answered.
    assert_eq!(
        name(&steps(&v, "contoso.test")[0].failure),
        "name-not-found"
    );
}

#[test]
fn silent_dns_server_ends_in_time_with_a_report() {
    let lab = Lab::new();
    let dns = DnsServer::silent();
    let t = Instant::now();
    let (run, v) = probe_run(&fixture(true), &lab, &dns, closed_port(), &[], &[]);
    let took = t.elapsed();
    eprintln!("probe against a silent DNS server: {took:?}");
    assert!(took < Duration::from_secs(30), "{took:?}");
    let (status, code, summary) = reach(&v);
    assert_eq!((status, code), (Status::Fail, "probe-ews-timed-out"));
    assert!(summary.contains("did not answer"), "{summary}");
    assert!(dns.query_count() > 0);
    assert_eq!(run.code, 1);
}

#[test]
fn refusing_proxy_fails() {
    let lab = Lab::new();
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start(&lab.good_leaf(), 401);
    let proxy = RefusingProxy::start();
    let url = format!("http://{}", proxy.addr);
    let (_, v) = probe_run(
        &fixture(true),
        &lab,
        &dns,
        https.port,
        &[],
        &[("HTTPS_PROXY", &url)],
    );
    let (status, code, summary) = reach(&v);
    assert_eq!((status, code), (Status::Fail, "probe-ews-proxy-refused"));
    assert!(
        summary.contains("proxy refused") && summary.contains("403"),
        "{summary}"
    );
    assert!(ews_endpoint(&v).path.starts_with("proxy 127.0.0.1:"));
    let seen = proxy.requests.lock().unwrap().clone();
    assert!(
        seen.iter().any(|r| r.starts_with(&format!(
            "CONNECT mail.contoso.test:{} HTTP/1.1",
            https.port
        ))),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .all(|r| !r.to_ascii_lowercase().contains("authorization"))
    );
    assert!(https.requests.lock().unwrap().is_empty());
}

#[test]
fn without_probe_no_dns_question_is_asked() {
    let dns = DnsServer::start(full_zone());
    let f = fixture(true);
    // --probe-dns needs --probe, so the server can only be reached through
    // the environment a probe would use: give it every chance.
    let run: Run = cmd()
        .args(["check", "--root"])
        .arg(f.root())
        .args(["--now", NOW, "--format", "json"])
        .output()
        .unwrap()
        .into();
    let v = run.report();
    let (status, code, summary) = reach(&v);
    assert_eq!((status, code), (Status::Skip, "probe-not-run"));
    assert!(summary.contains("--probe"), "{summary}");
    assert!(v.probe.is_none() && run.json().get("probe").is_none());
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(dns.query_count(), 0);
    // And --probe-dns alone is a usage error, not a silent probe.
    let r = common::run(&[
        "check",
        "--root",
        f.root().to_str().unwrap(),
        "--probe-dns",
        &dns.addr.to_string(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(dns.query_count(), 0);
}

#[test]
fn redact_covers_probe_results() {
    let lab = Lab::new();
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start(&lab.good_leaf(), 401);
    let (run, v) = probe_run(&fixture(true), &lab, &dns, https.port, &["--redact"], &[]);
    assert!(probe(&v).steps.len() >= 8);
    assert!(
        !run.stdout.to_ascii_lowercase().contains("contoso"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Stranger"));
    assert_eq!(reach(&v).0, Status::Pass);
}

#[test]
fn autodiscover_failing_every_way_while_ews_answers_warns() {
    let lab = Lab::new();
    // Only the EWS host resolves: no <domain>, no autodiscover.<domain>, no SRV.
    let dns = DnsServer::start(Zone::default().a(EWS_HOST));
    let https = HttpsServer::start(&lab.good_leaf(), 401);
    let (_, v) = probe_run(&fixture(true), &lab, &dns, https.port, &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!(
        (status, code),
        (Status::Warn, "probe-autodiscover-failed"),
        "{summary}"
    );
    assert!(summary.contains("contoso.test"), "{summary}");
    let srv = steps(&v, "_autodiscover._tcp.contoso.test");
    assert_eq!(name(&srv[0].failure), "no-srv-record");
}

#[test]
fn srv_record_is_followed() {
    let lab = Lab::new();
    let https = HttpsServer::start(&lab.ca.leaf(&["ad.fabrikam.test"], false), 401);
    let dns = DnsServer::start(
        Zone::default()
            .srv("_autodiscover._tcp.contoso.test", "ad.fabrikam.test", 443)
            .a("ad.fabrikam.test"),
    );
    let (_, v) = probe_run(&fixture(false), &lab, &dns, https.port, &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!(
        (status, code),
        (Status::Info, "probe-autodiscover-only-answered"),
        "{summary}"
    );
    assert!(
        summary.contains("https://ad.fabrikam.test/autodiscover/autodiscover.xml"),
        "{summary}"
    );
    let roles: Vec<String> = probe(&v).endpoints.iter().map(|e| name(&e.role)).collect();
    assert_eq!(
        roles,
        [
            "autodiscover-domain",
            "autodiscover-host",
            "autodiscover-srv"
        ]
    );
}

#[test]
fn no_ews_url_and_no_autodiscover_fails() {
    let lab = Lab::new();
    let dns = DnsServer::start(Zone::default());
    let (_, v) = probe_run(&fixture(false), &lab, &dns, closed_port(), &[], &[]);
    let (status, code, _) = reach(&v);
    assert_eq!(
        (status, code),
        (Status::Fail, "probe-autodiscover-only-failed")
    );
}

#[test]
fn server_error_fails() {
    let lab = Lab::new();
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start(&lab.good_leaf(), 503);
    let (_, v) = probe_run(&fixture(true), &lab, &dns, https.port, &[], &[]);
    let (status, code, summary) = reach(&v);
    assert_eq!((status, code), (Status::Fail, "probe-ews-server-error"));
    assert!(summary.contains("HTTP 503"), "{summary}");
}

#[test]
fn collect_stores_probe_results_in_the_bundle_report() {
    let lab = Lab::new();
    let dns = DnsServer::start(full_zone());
    let https = HttpsServer::start(&lab.good_leaf(), 401);
    let f = fixture(true);
    let out = lab.dir.path().join("bundle.zip");
    let run: Run = cmd()
        .args(["collect", "--root"])
        .arg(f.root())
        .args(["--now", NOW, "--out"])
        .arg(&out)
        .args(["--redact", "--probe", "--probe-dns", &dns.addr.to_string()])
        .args(["--probe-https-port", &https.port.to_string()])
        .env("SSL_CERT_FILE", &lab.ca_file)
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = zip_member(&out, "report.json");
    let v: Report = serde_json::from_slice(&report).unwrap();
    assert!(probe(&v).steps.len() >= 8, "{v:#?}");
    assert_eq!(reach(&v).1, "probe-ews-answered");
    assert!(
        !String::from_utf8_lossy(&report)
            .to_ascii_lowercase()
            .contains("contoso")
    );
    let inputs = String::from_utf8_lossy(&zip_member(&out, "inputs.json")).into_owned();
    assert!(inputs.contains("\"probe\""), "{inputs}");
    assert!(!inputs.to_ascii_lowercase().contains("contoso"), "{inputs}");

    // Read back without --probe: the probe recorded on the user's machine is
    // judged again, and nothing is sent.
    let before = dns.query_count();
    let (_, v) = common::check_report(&out, &[]);
    assert_eq!(reach(&v).1, "probe-ews-answered");
    assert!(probe(&v).steps.len() >= 8);
    assert_eq!(dns.query_count(), before);
}

#[test]
fn whole_probe_deadline_holds_when_dns_never_answers() {
    use offline_im_doctor::sources::probe::{ProbeOptions, ProbeTargets, run};
    let dns = DnsServer::silent();
    let targets = ProbeTargets::new(
        ["a@contoso.test", "b@fabrikam.test"],
        ["https://mail.contoso.test/EWS/Exchange.asmx"],
    );
    let opts = ProbeOptions {
        dns_server: Some(dns.addr),
        step_timeout: Duration::from_millis(400),
        deadline: Duration::from_millis(1000),
        ..ProbeOptions::default()
    };
    let t = Instant::now();
    let r = run(&targets, &opts);
    let took = t.elapsed();
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert!(r.deadline_reached);
    assert!(r.steps.iter().all(|s| s.ms <= 450), "{:?}", r.steps);
}
