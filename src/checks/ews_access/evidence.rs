//! The evidence lines of the log checks: one per endpoint (its latest
//! response and what came before it), the diagnostics headers, the EWS
//! URLs seen. Evidence quotes the log; its few linking words stay English.

use crate::model::{Evidence, EvidenceSource};
use crate::sources::scan::logs::{HttpEndpoint, LogFact, LogFacts};

/// An evidence line at a log fact's place and time.
pub(crate) fn ev<T>(f: &LogFact<T>, detail: String) -> Evidence {
    let mut e = Evidence::at(EvidenceSource::Log, f.path.clone(), Some(f.line), detail);
    e.timestamp = f.timestamp;
    e
}

/// One line per endpoint: the latest outcome and what came before it.
pub(crate) fn endpoint_evidence(e: &HttpEndpoint) -> Evidence {
    let mut d = format!(
        "{} HTTP {} from {} (its latest response)",
        e.kind,
        e.latest.value,
        e.url
            .as_deref()
            .unwrap_or("an endpoint the entries do not name"),
    );
    if e.failures > 0 {
        d.push_str(&format!(
            "; {} of {} response(s) failed",
            e.failures, e.responses
        ));
    }
    if e.handshakes > 0 {
        d.push_str(&format!(
            ", {} authentication challenge(s) (401/407) answered by a later success",
            e.handshakes
        ));
    }
    if e.recovered > 0 {
        d.push_str(&format!(", {} recovered by a later success", e.recovered));
    }
    if !e.latest.excerpt.is_empty() {
        d.push_str(&format!(": {}", e.latest.excerpt));
    }
    if let Some(a) = &e.latest_ews_answer {
        let mut parts = Vec::new();
        if let Some(c) = &a.class {
            parts.push(format!("ResponseClass=\"{c}\""));
        }
        if !a.codes.is_empty() {
            parts.push(format!("ResponseCode {}", a.codes.join(", ")));
        }
        if let Some(m) = &a.message {
            parts.push(format!("MessageText \"{m}\""));
        }
        if let Some(ms) = a.back_off_ms {
            parts.push(back_off_words(ms));
        }
        d.push_str(&format!(" (EWS answer: {})", parts.join("; ")));
    }
    match (&e.latest_auth_challenge, &e.newest_auth_challenge) {
        (Some(c), _) => d.push_str(&format!(" (WWW-Authenticate: {c})")),
        (None, Some(c)) => d.push_str(&format!(
            " (an earlier response offered WWW-Authenticate: {c})"
        )),
        (None, None) => {}
    }
    ev(&e.latest, d)
}

fn back_off_words(ms: u64) -> String {
    if ms >= 1000 {
        format!("BackOffMilliseconds {ms}: about {} s", ms.div_ceil(1000))
    } else {
        format!("BackOffMilliseconds {ms}")
    }
}

/// The endpoints a result is about, then what surrounds them: the
/// diagnostics headers, the endpoints that answered, the EWS URLs seen.
pub(crate) fn with_context(
    about: impl Iterator<Item = Evidence>,
    logs: &LogFacts,
    urls: Vec<Evidence>,
) -> Vec<Evidence> {
    let mut evidence: Vec<Evidence> = about.collect();
    evidence.extend(diagnostic_evidence(logs));
    evidence.extend(
        logs.http_endpoints
            .iter()
            .filter(|e| !e.failing())
            .map(endpoint_evidence),
    );
    evidence.extend(urls);
    evidence
}

pub(crate) fn diagnostic_evidence(logs: &LogFacts) -> impl Iterator<Item = Evidence> + '_ {
    logs.http_diagnostics.iter().rev().map(|d| {
        ev(
            d,
            format!(
                "HTTP x-ms-diagnostics {}{} (an EWS/autodiscover response header, not SIP)",
                d.value.code,
                d.value
                    .reason
                    .as_ref()
                    .map(|r| format!(" reason=\"{r}\""))
                    .unwrap_or_default()
            ),
        )
    })
}

/// The EWS URLs the logs name, one evidence line each.
pub(crate) fn url_evidence(logs: &LogFacts) -> Vec<Evidence> {
    logs.ews_urls
        .iter()
        .map(|f| ev(f, format!("EWS URL {}", f.value)))
        .collect()
}
