use super::outcome::*;
use super::*;
use crate::checks::assert_catalogued;
use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
use crate::i18n::{Lang, text};
use crate::model::{MailboxLocation, Status};
use crate::sources::machine::{MachineFacts, PolicyValue};
use chrono::Utc;

/// `modern_auth` for an Exchange Online mailbox, with `policies` read from
/// the registry (`None`: the registry was not read).
fn hybrid(policies: Option<&[(&str, &str)]>, challenge: Option<&str>) -> Option<ModernAuth> {
    let machine = MachineFacts {
        policies: policies
            .unwrap_or_default()
            .iter()
            .map(|(n, v)| PolicyValue {
                key: "HKCU\\Software\\Policies\\Microsoft\\Office\\16.0\\Lync".into(),
                name: (*n).into(),
                value: (*v).into(),
            })
            .collect(),
        ..Default::default()
    };
    let mut logging = Vec::new();
    if policies.is_some() {
        // The registry was read: the logging key is there.
        logging.push(PolicyValue {
            key: "HKCU\\Software\\Microsoft\\Office\\16.0\\Lync".into(),
            name: "EnableTracing".into(),
            value: "1".into(),
        });
    }
    let f = Facts::nothing_found(MachineFacts { logging, ..machine });
    let s = Settings {
        now: Utc::now(),
        stuck_after: chrono::Duration::minutes(2),
        client_version: None,
        mailbox: crate::facts::MailboxChoice::Auto,
        log_zone: Default::default(),
    };
    let client = ResolvedClient::default();
    let mailbox = ResolvedMailbox {
        location: MailboxLocation::Online,
        ..Default::default()
    };
    let ctx = Context {
        facts: &f,
        settings: &s,
        client: &client,
        mailbox: &mailbox,
        probe: None,
    };
    modern_auth(&ctx, challenge)
}

#[test]
fn the_adal_policy_is_named_only_for_a_bearer_challenge_it_does_not_answer() {
    let bearer = Some("Bearer, Basic");
    // Registry not read: named, to check on the machine.
    assert_eq!(
        hybrid(None, bearer),
        Some(ModernAuth::Offered {
            challenge: "Bearer, Basic".into(),
            registry_read: false
        })
    );
    // Registry read, value absent or 0: named.
    assert!(matches!(
        hybrid(Some(&[]), bearer),
        Some(ModernAuth::Offered {
            registry_read: true,
            ..
        })
    ));
    assert!(matches!(
        hybrid(Some(&[(ALLOW_ADAL, "0")]), bearer),
        Some(ModernAuth::Offered { .. })
    ));
    // Set in the registry policy: not asked for again.
    assert_eq!(hybrid(Some(&[(ALLOW_ADAL, "1")]), bearer), None);
    // Windows authentication only: not the hybrid case.
    assert_eq!(hybrid(Some(&[]), Some("Negotiate, NTLM")), None);
    // No challenge seen: the header that would tell, not the setting.
    assert_eq!(hybrid(None, None), Some(ModernAuth::ChallengeNotLogged));
}

#[test]
fn offers_bearer_reads_the_scheme_list() {
    assert!(offers_bearer("Negotiate, NTLM, Bearer"));
    assert!(offers_bearer("bearer"));
    assert!(!offers_bearer("Negotiate, NTLM"));
    assert!(!offers_bearer("BearerX"));
}

fn ews(url: Option<&str>, status: u16) -> Endpoint {
    Endpoint {
        kind: "ews",
        url: url.map(str::to_string),
        status,
        ews_error: None,
    }
}

const EXO: &str = "https://outlook.office365.com/EWS/Exchange.asmx";

fn refused(status: u16, mailbox: Mailbox, modern_auth: Option<ModernAuth>) -> EwsAccessOutcome {
    EwsAccessOutcome::Refused {
        status,
        endpoints: vec![ews(Some(EXO), status)],
        throttled: vec![],
        ews_url: Some(EXO.into()),
        mailbox,
        modern_auth,
    }
}

fn all_outcomes() -> Vec<EwsAccessOutcome> {
    let throttling = Throttling {
        endpoint: ews(Some(EXO), 500),
        code: Some("ErrorServerBusy".into()),
        back_off_ms: Some(30_000),
    };
    vec![
        EwsAccessOutcome::NoLogs,
        EwsAccessOutcome::Throttled(throttling.clone()),
        EwsAccessOutcome::Throttled(Throttling {
            endpoint: ews(None, 503),
            code: None,
            back_off_ms: None,
        }),
        EwsAccessOutcome::Throttled(Throttling {
            back_off_ms: Some(500),
            ..throttling.clone()
        }),
        EwsAccessOutcome::Throttled(Throttling {
            back_off_ms: None,
            ..throttling.clone()
        }),
        refused(401, Mailbox::Online, None),
        refused(
            401,
            Mailbox::Online,
            Some(ModernAuth::Offered {
                challenge: "Bearer".into(),
                registry_read: false,
            }),
        ),
        refused(
            401,
            Mailbox::Online,
            Some(ModernAuth::Offered {
                challenge: "Bearer".into(),
                registry_read: true,
            }),
        ),
        refused(401, Mailbox::Online, Some(ModernAuth::ChallengeNotLogged)),
        refused(401, Mailbox::Other, None),
        refused(403, Mailbox::Online, None),
        refused(403, Mailbox::Other, None),
        EwsAccessOutcome::Failing {
            endpoints: vec![ews(None, 500), ews(Some(EXO), 404)],
            throttled: vec![throttling.endpoint.clone()],
            ews_error: None,
            ews_url: None,
            mailbox: Mailbox::Other,
        },
        EwsAccessOutcome::Failing {
            endpoints: vec![Endpoint {
                ews_error: Some(EwsError {
                    class: Some("Error".into()),
                    codes: vec!["ErrorAccessDenied".into()],
                    message: Some("Access is denied.".into()),
                }),
                ..ews(Some(EXO), 200)
            }],
            throttled: vec![],
            ews_error: Some(EwsError {
                class: Some("Error".into()),
                codes: vec![],
                message: None,
            }),
            ews_url: Some(EXO.into()),
            mailbox: Mailbox::Online,
        },
        EwsAccessOutcome::UrlNotSeen,
        EwsAccessOutcome::Recovered {
            urls: 1,
            recovered: 2,
        },
        EwsAccessOutcome::HandshakeOnly {
            urls: 2,
            handshakes: 1,
        },
        EwsAccessOutcome::Ok { urls: 1 },
    ]
}

#[test]
fn every_outcome_speaks_both_languages() {
    for o in all_outcomes() {
        assert_catalogued(&judged(&o, Vec::new()));
    }
}

fn steps(o: &EwsAccessOutcome, lang: Lang) -> Vec<String> {
    judged(o, Vec::new())
        .steps
        .iter()
        .map(|m| text(lang, m))
        .collect()
}

#[test]
fn an_exchange_online_mailbox_gets_no_browser_sign_in() {
    for status in [401, 403] {
        let online = steps(&refused(status, Mailbox::Online, None), Lang::En);
        assert!(
            online
                .iter()
                .all(|s| !s.contains("browser") || s.contains("proves nothing")),
            "{online:#?}"
        );
        assert!(
            online
                .iter()
                .all(|s| !s.contains(TEST_OUTLOOK_WEB_SERVICES)),
            "{online:#?}"
        );
        let on_premises = steps(&refused(status, Mailbox::Other, None), Lang::En);
        assert!(
            on_premises
                .iter()
                .any(|s| s.contains("in a browser") && s.contains(EXO)),
            "{on_premises:#?}"
        );
    }
    let online = steps(&refused(401, Mailbox::Online, None), Lang::En);
    assert!(
        online.iter().any(|s| s.contains(CONNECTIVITY_ANALYZER)),
        "{online:#?}"
    );
}

#[test]
fn the_refusal_opens_with_what_exchange_did_in_plain_words() {
    let r = judged(&refused(401, Mailbox::Online, None), Vec::new());
    assert_eq!(r.status, Status::Fail);
    let plain = |lang| {
        let mut m = r.message.clone().unwrap();
        m.id.push_str(".plain");
        text(lang, &m)
    };
    assert_eq!(
        plain(Lang::En),
        "Exchange did not accept the user's credentials when the client tried to save the offline message."
    );
    assert!(
        plain(Lang::Fr).starts_with("Exchange a refusé les informations"),
        "{}",
        plain(Lang::Fr)
    );
    let summary = text(Lang::En, r.message.as_ref().unwrap());
    assert!(summary.contains("HTTP 401"), "{summary}");
    assert!(summary.contains(EXO), "{summary}");
}

#[test]
fn the_throttling_answer_names_the_back_off() {
    let o = &all_outcomes()[1];
    let r = judged(o, Vec::new());
    assert_eq!(r.status, Status::Warn);
    let en = text(Lang::En, r.message.as_ref().unwrap());
    assert!(
        en.contains("HTTP 500 with ErrorServerBusy (BackOffMilliseconds 30000: about 30 s)"),
        "{en}"
    );
    let fr = text(Lang::Fr, r.message.as_ref().unwrap());
    assert!(fr.contains("environ 30 s"), "{fr}");
}

#[test]
fn an_hresult_line_and_the_http_line_of_one_request_are_one_endpoint() {
    use crate::sources::scan::logs::{EndpointKind, LogFact};
    let fact = |line| LogFact {
        path: "l.log".to_string(),
        line,
        timestamp: None,
        value: 401u16,
        excerpt: String::new(),
    };
    let endpoint = |url: Option<&str>, line| HttpEndpoint {
        url: url.map(str::to_string),
        kind: EndpointKind::Ews,
        latest: fact(line),
        last_success: None,
        last_failure: Some(fact(line)),
        responses: 1,
        failures: 1,
        recovered: 0,
        handshakes: 0,
        latest_policy_reason: None,
        last_failure_policy_reason: None,
        latest_auth_challenge: None,
        last_failure_auth_challenge: None,
        newest_auth_challenge: None,
        latest_ews_answer: None,
        last_failure_ews_answer: None,
    };
    let hresult = endpoint(None, 9);
    let http = endpoint(Some(EXO), 7);
    assert_eq!(
        one_per_request(&[&hresult, &http]),
        vec![ews(Some(EXO), 401)]
    );
    // Two URLs of the kind: the line without one cannot be told apart.
    let other = endpoint(Some("https://mail.contoso.test/EWS/Exchange.asmx"), 8);
    assert_eq!(one_per_request(&[&hresult, &http, &other]).len(), 3);
}
