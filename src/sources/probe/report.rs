//! What `--probe` found, as the report's `probe` key carries it: the
//! steps, the outcome per endpoint, and why a step failed. The probe
//! fills these in; checks and renderers read them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum StepKind {
    Dns,
    Tcp,
    Tls,
    Http,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    Failed,
}

/// Why a step failed, for scripts (the `detail` says it for people).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    JsonSchema,
    IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Failure {
    /// DNS: the name does not exist (NXDOMAIN) or the OS resolver found nothing.
    NameNotFound,
    /// DNS: the name exists but has no address record.
    NoAddress,
    /// DNS: no `_autodiscover._tcp` SRV record.
    NoSrvRecord,
    /// DNS: the server answered with an error, or no server could be asked.
    DnsError,
    ConnectionRefused,
    TimedOut,
    /// TCP: unreachable network or host, or another connect error.
    ConnectFailed,
    /// The proxy refused the CONNECT (403 and the like) or closed it.
    ProxyRefused,
    /// The proxy wants credentials (407); the probe never sends any.
    ProxyAuthRequired,
    CertificateUntrusted,
    CertificateWrongName,
    CertificateExpired,
    CertificateNotYetValid,
    CertificateRevoked,
    CertificateInvalid,
    /// TLS failed for another reason (protocol, alert from the server).
    TlsFailed,
    /// The server answered with a 5xx status.
    HttpServerError,
    /// The connection closed or the answer was not HTTP.
    HttpNoAnswer,
    /// The whole-probe deadline was reached before this step could run.
    DeadlineReached,
}

impl Failure {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The server's certificate, as it was presented (also when it was rejected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CertificateInfo {
    pub subject: String,
    /// DNS names in the subject alternative name extension.
    pub names: Vec<String>,
    pub issuer: String,
    pub not_before: Option<chrono::DateTime<chrono::Utc>>,
    pub not_after: Option<chrono::DateTime<chrono::Utc>>,
}

/// The HTTP answer to the unauthenticated request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HttpAnswer {
    pub status: u16,
    /// Authentication schemes offered in `WWW-Authenticate` (Negotiate, NTLM, Bearer, ...).
    pub auth_schemes: Vec<String>,
    /// `Location` of a redirect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `X-EWS-Policy-Reason`: Exchange Online says why it refused EWS
    /// (`EWS is disabled for this user or tenant`, `EWS is blocked by
    /// policy for this user or tenant`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ews_policy_reason: Option<String>,
}

/// One step of the probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeStep {
    /// What was asked or contacted: a DNS name, `host:port`, or the URL.
    pub target: String,
    pub kind: StepKind,
    pub outcome: Outcome,
    /// What happened, in words a technician acts on.
    pub detail: String,
    /// How long the step took, in milliseconds.
    pub ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpAnswer>,
}

/// Which of the client's ways to EWS an endpoint is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum EndpointRole {
    /// `https://<domain>/autodiscover/autodiscover.xml`
    AutodiscoverDomain,
    /// `https://autodiscover.<domain>/autodiscover/autodiscover.xml`
    AutodiscoverHost,
    /// The host named by `_autodiscover._tcp.<domain>`.
    AutodiscoverSrv,
    /// An EWS URL from the logs.
    Ews,
}

impl EndpointRole {
    pub fn is_autodiscover(self) -> bool {
        self != EndpointRole::Ews
    }
}

/// The outcome per endpoint, for the check and for scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Endpoint {
    pub url: String,
    pub role: EndpointRole,
    /// The SIP domain an autodiscover endpoint belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// `direct`, or `proxy <host:port>`.
    pub path: String,
    /// An HTTP answer below 500 came back over TLS this machine trusts.
    pub answered: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The failure that stopped it, when it did not answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// The failed step's detail, when it did not answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The report's `probe` key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeReport {
    pub steps: Vec<ProbeStep>,
    pub endpoints: Vec<Endpoint>,
    /// Which DNS was asked: `system resolver` or the `--probe-dns` server.
    pub dns: String,
    /// The proxy setting found and where it came from.
    pub proxy: String,
    /// Things the probe could not evaluate (a PAC file, an unsupported proxy scheme).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Whole probe, in milliseconds.
    pub ms: u64,
    /// The whole-probe deadline stopped it before every step ran.
    pub deadline_reached: bool,
}
