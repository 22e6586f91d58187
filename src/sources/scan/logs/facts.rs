//! The facts a log scan produces (`LogFacts` and what it holds): the
//! scanner's output, which the checks read and bundles carry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::client_build::ClientBuild;
use crate::terms::TimelineEvent;

/// A fact found in a log entry, with where and when it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFact<T> {
    pub value: T,
    /// Display path of the log file.
    pub path: String,
    /// 1-based line where the entry starts.
    pub line: u64,
    pub timestamp: Option<DateTime<Utc>>,
    /// A short, single-line, control-character-free excerpt of the matched text
    /// (never message text).
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpFailure {
    /// `ews` or `autodiscover`.
    pub target: String,
    pub status: u16,
    /// The URL mentioned in the entry, when there is one.
    pub url: Option<String>,
}

/// Which service an HTTP endpoint in the logs belongs to.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum EndpointKind {
    /// Exchange Web Services (`.../EWS/Exchange.asmx`).
    Ews,
    /// Autodiscover (`autodiscover.xml`, `autodiscover.svc`, ...).
    Autodiscover,
}

/// What the logs say about one EWS or autodiscover endpoint. Requests are
/// paired with their responses (the same entry, or the next response on
/// the same thread); the endpoint is judged on its latest response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpEndpoint {
    /// The URL as first written, without query or fragment (endpoints
    /// compare case-insensitively); `None` when the entries named the
    /// service but no URL.
    pub url: Option<String>,
    pub kind: EndpointKind,
    /// The latest response: its HTTP status, time and place.
    pub latest: LogFact<u16>,
    /// The latest response below 400.
    pub last_success: Option<LogFact<u16>>,
    /// The latest response of 400 or above.
    pub last_failure: Option<LogFact<u16>>,
    /// Responses seen, of any status.
    pub responses: u64,
    /// Responses of 400 or above.
    pub failures: u64,
    /// Failures (other than 401/407) that a later success on this endpoint
    /// recovered.
    pub recovered: u64,
    /// 401/407 challenges that a later success answered: the first leg of
    /// Negotiate/NTLM authentication, not an outage.
    pub handshakes: u64,
    /// Exchange Online's `X-EWS-Policy-Reason` on the latest response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_policy_reason: Option<String>,
    /// `X-EWS-Policy-Reason` on the latest failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_policy_reason: Option<String>,
    /// The schemes the latest response's `WWW-Authenticate` offered
    /// (`Negotiate, NTLM, Bearer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_auth_challenge: Option<String>,
    /// The schemes `WWW-Authenticate` offered on the latest failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_auth_challenge: Option<String>,
    /// The newest `WWW-Authenticate` schemes on any response of this
    /// endpoint (a later response, such as an HRESULT 401 of an offline
    /// message, may log no headers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_auth_challenge: Option<String>,
    /// What the EWS SOAP answer of the latest response said, when the entry
    /// holds it (`ResponseClass`, `ResponseCode`, `MessageText`,
    /// `BackOffMilliseconds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_ews_answer: Option<EwsAnswer>,
    /// The same for the latest failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure_ews_answer: Option<EwsAnswer>,
}

/// The parts of an EWS SOAP answer a log entry held (Microsoft's "EWS
/// throttling in Exchange": `ResponseClass="Error"` with a `ResponseCode`
/// in an HTTP 200, or a SOAP fault with `ErrorServerBusy` and
/// `BackOffMilliseconds` in an HTTP 500).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EwsAnswer {
    /// `ResponseClass`: `Success`, `Warning` or `Error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The `ResponseCode`s (`NoError`, `ErrorServerBusy`, ...) the entry
    /// held, in order, each once (at most four): an outer
    /// `ErrorInternalServerError` may carry an inner `ErrorServerBusy`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<String>,
    /// `MessageText`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `BackOffMilliseconds`: how long Exchange asks the client to wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_off_ms: Option<u64>,
}

impl EwsAnswer {
    /// The answer says the request failed: `ResponseClass="Error"`, or an
    /// error `ResponseCode` (anything but `NoError`) without a class.
    pub fn is_error(&self) -> bool {
        match &self.class {
            Some(c) => c.eq_ignore_ascii_case("error"),
            None => self
                .codes
                .iter()
                .any(|c| !c.eq_ignore_ascii_case("noerror")),
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &EwsAnswer::default()
    }
}

impl HttpEndpoint {
    /// The latest response to this endpoint failed: 400 or above, or an
    /// EWS answer with `ResponseClass="Error"` (even in an HTTP 200).
    pub fn failing(&self) -> bool {
        self.latest.value >= 400
            || self
                .latest_ews_answer
                .as_ref()
                .is_some_and(EwsAnswer::is_error)
    }

    /// The URL's host, lower case, when a URL is known.
    pub fn host(&self) -> Option<String> {
        crate::urls::host_of(self.url.as_deref()?)
    }

    /// A response below 400 at or after `t` (e.g. "EWS still worked after
    /// 2026-10-01").
    pub fn succeeded_since(&self, t: DateTime<Utc>) -> bool {
        self.last_success
            .as_ref()
            .and_then(|f| f.timestamp)
            .is_some_and(|ts| ts >= t)
    }

    /// A response of 400 or above at or after `t`.
    pub fn failed_since(&self, t: DateTime<Utc>) -> bool {
        self.last_failure
            .as_ref()
            .and_then(|f| f.timestamp)
            .is_some_and(|ts| ts >= t)
    }
}

/// A URL as an endpoint: without query, fragment or the punctuation a
/// sentence puts after it. Endpoints compare ASCII case-insensitively.
pub fn normalise_endpoint_url(url: &str) -> String {
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    url.get(..cut)
        .unwrap_or(url)
        .trim_end_matches(['.', ',', ';', ':', ')', ']', '/'])
        .to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SipDiagnostic {
    pub code: u32,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFileSummary {
    pub path: String,
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
    pub entries: u64,
    /// `utf-8`, `utf-16le`, `utf-16be`.
    pub encoding: String,
    /// Why the file could not be read (fully), when it could not.
    pub error: Option<String>,
    /// Lines read (of the scanned part).
    #[serde(default)]
    pub lines: u64,
    /// What was not read although the file was readable: only the tail of
    /// an oversized log, overlong lines cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtlFile {
    pub path: String,
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
    /// What the ETW container says (read once; a bundle carries it, so a
    /// re-check reads no trace again). None: not read (inventory only, or a
    /// bundle written before traces were read).
    #[serde(default)]
    pub trace: Option<crate::sources::etl::EtlSummary>,
    /// `--etl-strings` (judged at `--now`, so never carried in a bundle).
    #[serde(skip)]
    pub strings: Option<crate::terms::EtlStrings>,
}

/// A Tracing folder that could not be listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogDirError {
    pub path: String,
    pub error: String,
}

/// Everything the log scan found, across every Tracing folder.
///
/// Lists are bounded: `ews_failures`, `sip_errors` and `offline_failures`
/// keep the newest [`KEEP_FACTS`](super::KEEP_FACTS) (their `*_count` fields count all),
/// `ews_urls` the newest [`KEEP_URLS`](super::KEEP_URLS) distinct URLs, `timeline` the newest
/// [`KEEP_TIMELINE`](super::KEEP_TIMELINE) events. All are oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFacts {
    pub logs: Vec<LogFileSummary>,
    pub etl: Vec<EtlFile>,
    /// The newest `OC/16.0.B.R` from a `User-Agent` header.
    pub newest_build: Option<LogFact<ClientBuild>>,
    /// Newest `<property name="EnableIMAutoArchiving">` value.
    pub policy_auto_archiving: Option<LogFact<bool>>,
    /// Newest `<imAutoArchiving>` user option value.
    pub user_auto_archiving: Option<LogFact<bool>>,
    /// Distinct EWS URLs, newest occurrence of each, oldest first.
    pub ews_urls: Vec<LogFact<String>>,
    pub ews_failures: Vec<LogFact<HttpFailure>>,
    pub sip_errors: Vec<LogFact<SipDiagnostic>>,
    pub offline_events: u64,
    pub offline_failures: Vec<LogFact<String>>,
    pub timeline: Vec<TimelineEvent>,
    /// All EWS/autodiscover failures seen (`ews_failures` keeps the newest).
    #[serde(default)]
    pub ews_failure_count: u64,
    /// All `ms-diagnostics` errors seen (`sip_errors` keeps the newest).
    #[serde(default)]
    pub sip_error_count: u64,
    /// All offline-message failures seen (`offline_failures` keeps the newest).
    #[serde(default)]
    pub offline_failure_count: u64,
    #[serde(default)]
    pub dir_errors: Vec<LogDirError>,
    /// Every EWS/autodiscover endpoint with its latest outcome, sorted by
    /// kind then URL.
    #[serde(default)]
    pub http_endpoints: Vec<HttpEndpoint>,
    /// HTTP `x-ms-diagnostics` headers (EWS/autodiscover side, not SIP),
    /// the newest [`KEEP_FACTS`](super::KEEP_FACTS).
    #[serde(default)]
    pub http_diagnostics: Vec<LogFact<SipDiagnostic>>,
    /// Distinct recipients of instant messages the client sent (`MESSAGE
    /// sip:...` request lines), newest occurrence of each, oldest first; at
    /// most [`KEEP_URLS`](super::KEEP_URLS).
    #[serde(default)]
    pub im_recipients: Vec<LogFact<String>>,
    #[serde(default)]
    pub http_diagnostic_count: u64,
    /// The UTC offset the local log times were read in, `+HH:MM`: the
    /// fixed offset given, or the system zone's offset at the newest entry.
    #[serde(default)]
    pub utc_offset: Option<String>,
}

impl LogFacts {
    /// The endpoints whose latest response failed.
    pub fn failing_endpoints(&self) -> impl Iterator<Item = &HttpEndpoint> {
        self.http_endpoints.iter().filter(|e| e.failing())
    }

    /// The endpoints of `kind` whose host is `host` or ends in `.host`
    /// (`outlook.office365.com`).
    pub fn endpoints_on<'a>(
        &'a self,
        kind: EndpointKind,
        host: &'a str,
    ) -> impl Iterator<Item = &'a HttpEndpoint> + 'a {
        self.http_endpoints.iter().filter(move |e| {
            e.kind == kind
                && e.host().is_some_and(|h| {
                    let host = host.to_ascii_lowercase();
                    h == host || h.strip_suffix(&host).is_some_and(|p| p.ends_with('.'))
                })
        })
    }
}
