//! `--probe`: from this machine, try what the client needs to reach
//! Exchange Web Services, step by step, in the client's order, and say in
//! a technician's words where it stops.
//!
//! For each SIP domain: autodiscover at `https://<domain>/autodiscover/autodiscover.xml`,
//! then `https://autodiscover.<domain>/...`, then the host named by the
//! `_autodiscover._tcp.<domain>` SRV record (stopping at the first that
//! answers, as the client does); then every EWS URL known from the logs.
//! Each endpoint is DNS, TCP (direct, or through the proxy with CONNECT),
//! TLS with the platform's trust store and host-name check, and one
//! unauthenticated `GET`.
//!
//! Safe by construction: the only bytes this module writes to a server are a
//! DNS question, a TLS handshake, `CONNECT host:port` to a proxy, and
//! `GET <path> HTTP/1.1` with `Host`, `User-Agent` and `Connection: close`
//! headers. No credentials, cookies, query strings or bodies, ever. It only
//! talks to hosts derived from the SIP domains and EWS URLs given (and the
//! proxy, and the DNS server). Every step has its own time limit and the
//! whole probe a deadline, even when DNS never answers.

mod dns;
mod http;
mod proxy;
mod report;
mod tls;

use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

pub use proxy::{ProxyConfig, ProxyServer};
pub use report::{
    CertificateInfo, Endpoint, EndpointRole, Failure, HttpAnswer, Outcome, ProbeReport, ProbeStep,
    StepKind,
};

/// Default time limit of one step (`--probe-timeout`).
pub const DEFAULT_STEP_TIMEOUT: Duration = Duration::from_secs(5);
/// The whole probe ends within this, whatever the network does.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

/// What to probe, and how.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Ask this DNS server (`--probe-dns`) instead of the system's resolver.
    pub dns_server: Option<SocketAddr>,
    /// Time limit of one step (`--probe-timeout`).
    pub step_timeout: Duration,
    /// Time limit of the whole probe.
    pub deadline: Duration,
    /// The proxy; [`ProxyConfig::from_system`] reads the system's.
    pub proxy: ProxyConfig,
    /// Test only: connect to this port for every HTTPS endpoint (a loopback lab).
    pub https_port: Option<u16>,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        Self {
            dns_server: None,
            step_timeout: DEFAULT_STEP_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            proxy: ProxyConfig::default(),
            https_port: None,
        }
    }
}

/// The hosts the probe may talk to: only these and what they lead to
/// (autodiscover names under the domains, the SRV target).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeTargets {
    /// SIP domains of the profiles (the part after `@`).
    pub sip_domains: Vec<String>,
    /// EWS URLs known from the logs, newest first.
    pub ews_urls: Vec<String>,
}

impl ProbeTargets {
    /// Domains from SIP addresses and the EWS URLs, deduplicated
    /// (case-insensitive), in first-seen order.
    pub fn new<'a>(
        sip_addresses: impl IntoIterator<Item = &'a str>,
        ews_urls: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut t = ProbeTargets::default();
        for a in sip_addresses {
            let Some((_, d)) = a.rsplit_once('@') else {
                continue;
            };
            let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
            if is_host_name(&d) && !t.sip_domains.contains(&d) {
                t.sip_domains.push(d);
            }
        }
        for u in ews_urls {
            let u = u.trim();
            if !t.ews_urls.iter().any(|x| x.eq_ignore_ascii_case(u)) && HttpsUrl::parse(u).is_some()
            {
                t.ews_urls.push(u.to_string());
            }
        }
        t
    }

    pub fn is_empty(&self) -> bool {
        self.sip_domains.is_empty() && self.ews_urls.is_empty()
    }
}

/// A DNS name the probe is willing to look up: letters, digits, `-`, `.`.
fn is_host_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.contains('.')
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// A parsed `https://host[:port]/path` (query and fragment dropped: they
/// are never sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpsUrl {
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl HttpsUrl {
    pub(crate) fn parse(url: &str) -> Option<Self> {
        // Only printable ASCII goes on the request line; the `url` crate
        // would percent-encode the rest, which the server never sent.
        let before_query = url.split(['?', '#']).next().unwrap_or("");
        if !url.contains("://") || !before_query.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        let parsed = url::Url::parse(url).ok()?;
        if !matches!(parsed.scheme(), "https" | "http") {
            return None;
        }
        // Never anything before '@': it would be credentials.
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return None;
        }
        let host = crate::urls::host(&parsed)?;
        if !is_host_name(&host) && host.parse::<IpAddr>().is_err() {
            return None;
        }
        // The probe always speaks TLS: no port means 443, whatever the scheme.
        let port = parsed.port().unwrap_or(443);
        Some(HttpsUrl {
            host,
            port,
            path: parsed.path().to_string(),
        })
    }

    fn display(&self) -> String {
        if self.port == 443 {
            format!("https://{}{}", self.host, self.path)
        } else {
            format!("https://{}:{}{}", self.host, self.port, self.path)
        }
    }
}

/// Time bookkeeping: each step gets the step limit or what is left of the deadline.
struct Clock {
    start: Instant,
    deadline: Instant,
    step: Duration,
}

impl Clock {
    fn new(opts: &ProbeOptions) -> Self {
        let start = Instant::now();
        // A deadline too far to represent is as good as none: a day.
        let deadline = start
            .checked_add(opts.deadline)
            .or_else(|| start.checked_add(Duration::from_secs(86_400)))
            .unwrap_or(start);
        Clock {
            start,
            deadline,
            step: opts.step_timeout.max(Duration::from_millis(1)),
        }
    }

    /// The time limit of a step starting now; `None` once the deadline has passed.
    fn step_budget(&self) -> Option<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        (left > Duration::from_millis(1)).then(|| left.min(self.step))
    }
}

fn ms_since(t: Instant) -> u64 {
    u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A step's failure, with its detail in words.
#[derive(Debug)]
pub(crate) struct StepError {
    pub failure: Failure,
    pub detail: String,
}

impl StepError {
    pub(crate) fn new(failure: Failure, detail: impl Into<String>) -> Self {
        StepError {
            failure,
            detail: detail.into(),
        }
    }
}

struct Run<'a> {
    opts: &'a ProbeOptions,
    clock: Clock,
    tls: tls::Tls,
    steps: Vec<ProbeStep>,
    endpoints: Vec<Endpoint>,
    deadline_reached: bool,
}

/// Run the probe. Never panics and never prints; every failure is a step.
pub fn run(targets: &ProbeTargets, opts: &ProbeOptions) -> ProbeReport {
    let mut run = Run {
        opts,
        clock: Clock::new(opts),
        tls: tls::Tls::new(),
        steps: Vec::new(),
        endpoints: Vec::new(),
        deadline_reached: false,
    };
    for domain in &targets.sip_domains {
        if run.deadline_reached {
            break;
        }
        run.autodiscover(domain);
    }
    for url in &targets.ews_urls {
        if run.deadline_reached {
            break;
        }
        if let Some(u) = HttpsUrl::parse(url) {
            run.endpoint(EndpointRole::Ews, None, u);
        }
    }
    let mut notes = opts.proxy.notes.clone();
    if let Some(e) = run.tls.setup_error() {
        notes.push(format!("TLS trust store: {e}"));
    }
    ProbeReport {
        steps: run.steps,
        endpoints: run.endpoints,
        dns: match opts.dns_server {
            Some(s) => format!("DNS server {s} (--probe-dns)"),
            None => "system resolver".into(),
        },
        proxy: opts.proxy.describe(),
        notes,
        ms: ms_since(run.clock.start),
        deadline_reached: run.deadline_reached,
    }
}

impl Run<'_> {
    fn push(
        &mut self,
        target: impl Into<String>,
        kind: StepKind,
        started: Instant,
        r: Result<String, StepError>,
    ) -> Option<Failure> {
        let ms = ms_since(started);
        let (outcome, detail, failure) = match r {
            Ok(d) => (Outcome::Ok, d, None),
            Err(e) => (
                Outcome::Failed,
                format!("{} (after {ms} ms)", e.detail),
                Some(e.failure),
            ),
        };
        self.steps.push(ProbeStep {
            target: target.into(),
            kind,
            outcome,
            detail,
            ms,
            failure,
            certificate: None,
            http: None,
        });
        failure
    }

    /// The step budget, or `None` (and the deadline noted) when time is up.
    fn budget(&mut self) -> Option<Duration> {
        let b = self.clock.step_budget();
        if b.is_none() {
            self.deadline_reached = true;
        }
        b
    }

    fn port(&self, port: u16) -> u16 {
        self.opts.https_port.unwrap_or(port)
    }

    /// The client's autodiscover order for one SIP domain; stops at the first answer.
    fn autodiscover(&mut self, domain: &str) {
        const PATH: &str = "/autodiscover/autodiscover.xml";
        let candidates = [
            (EndpointRole::AutodiscoverDomain, domain.to_string()),
            (
                EndpointRole::AutodiscoverHost,
                format!("autodiscover.{domain}"),
            ),
        ];
        for (role, host) in candidates {
            let url = HttpsUrl {
                host,
                port: 443,
                path: PATH.into(),
            };
            if self.endpoint(role, Some(domain), url) || self.deadline_reached {
                return;
            }
        }
        // SRV `_autodiscover._tcp.<domain>`.
        let name = format!("_autodiscover._tcp.{domain}");
        let Some(budget) = self.budget() else {
            return;
        };
        let started = Instant::now();
        let r = dns::srv(&name, self.opts.dns_server, budget);
        let srv = match r {
            Ok(srv) => {
                let d = format!("SRV points to {}:{}", srv.0, srv.1);
                self.push(&name, StepKind::Dns, started, Ok(d));
                srv
            }
            Err(e) => {
                let failure = e.failure;
                let detail = e.detail.clone();
                self.push(&name, StepKind::Dns, started, Err(e));
                self.endpoints.push(Endpoint {
                    url: format!("SRV {name}"),
                    role: EndpointRole::AutodiscoverSrv,
                    domain: Some(domain.to_string()),
                    path: "direct".into(),
                    answered: false,
                    status: None,
                    failure: Some(failure),
                    detail: Some(detail),
                });
                return;
            }
        };
        let url = HttpsUrl {
            host: srv.0,
            port: srv.1,
            path: PATH.into(),
        };
        self.endpoint(EndpointRole::AutodiscoverSrv, Some(domain), url);
    }

    /// DNS, TCP (or proxy), TLS, HTTP for one URL. True when it answered.
    fn endpoint(&mut self, role: EndpointRole, domain: Option<&str>, url: HttpsUrl) -> bool {
        let proxy = self.opts.proxy.for_host(&url.host).cloned();
        let mut ep = Endpoint {
            url: url.display(),
            role,
            domain: domain.map(str::to_string),
            path: proxy
                .as_ref()
                .map_or_else(|| "direct".into(), |p| format!("proxy {p} (CONNECT)")),
            answered: false,
            status: None,
            failure: None,
            detail: None,
        };
        let result = self.walk(&url, proxy.as_ref());
        match result {
            Ok(status) => {
                ep.status = Some(status);
                ep.answered = status < 500;
                if !ep.answered {
                    ep.failure = Some(Failure::HttpServerError);
                    ep.detail = Some(format!("HTTP {status}"));
                }
            }
            Err(e) => {
                ep.failure = Some(e.failure);
                ep.detail = Some(e.detail);
            }
        }
        let answered = ep.answered;
        self.endpoints.push(ep);
        answered
    }

    fn walk(&mut self, url: &HttpsUrl, proxy: Option<&ProxyServer>) -> Result<u16, StepError> {
        let port = self.port(url.port);
        let authority = format!("{}:{port}", url.host);
        let stream = match proxy {
            None => {
                let addrs = self.resolve(&url.host, port)?;
                self.connect(&authority, &addrs)?
            }
            Some(p) => {
                let addrs = self.resolve(&p.host, p.port)?;
                let s = self.connect(&p.to_string(), &addrs)?;
                self.tunnel(s, p, &url.host, port)?
            }
        };
        let tls = self.tls_step(stream, url, &authority)?;
        self.http_step(tls, url, port)
    }

    fn deadline_error(&mut self) -> StepError {
        self.deadline_reached = true;
        StepError::new(
            Failure::DeadlineReached,
            format!(
                "not tried: the probe's {} s deadline was reached",
                self.opts.deadline.as_secs()
            ),
        )
    }

    fn resolve(&mut self, host: &str, port: u16) -> Result<Vec<SocketAddr>, StepError> {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let Some(budget) = self.budget() else {
            return Err(self.deadline_error());
        };
        let started = Instant::now();
        match dns::addresses(host, port, self.opts.dns_server, budget) {
            Ok(a) => {
                let ips: Vec<String> = a.iter().map(|s| s.ip().to_string()).collect();
                let d = format!("{host} is {}", ips.join(", "));
                self.push(host, StepKind::Dns, started, Ok(d));
                Ok(a)
            }
            Err(e) => {
                let copy = StepError::new(e.failure, e.detail.clone());
                self.push(host, StepKind::Dns, started, Err(e));
                Err(copy)
            }
        }
    }

    fn connect(&mut self, target: &str, addrs: &[SocketAddr]) -> Result<TcpStream, StepError> {
        let Some(budget) = self.budget() else {
            return Err(self.deadline_error());
        };
        let started = Instant::now();
        let end = started + budget;
        let mut last = StepError::new(Failure::ConnectFailed, format!("no address for {target}"));
        for a in addrs {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                last = StepError::new(
                    Failure::TimedOut,
                    format!("connecting to {target} timed out"),
                );
                break;
            }
            match TcpStream::connect_timeout(a, left) {
                Ok(s) => {
                    let d = format!("connected to {a}");
                    self.push(target, StepKind::Tcp, started, Ok(d));
                    return Ok(s);
                }
                Err(e) => last = connect_error(target, a, &e),
            }
        }
        let copy = StepError::new(last.failure, last.detail.clone());
        self.push(target, StepKind::Tcp, started, Err(last));
        Err(copy)
    }

    fn tunnel(
        &mut self,
        stream: TcpStream,
        proxy: &ProxyServer,
        host: &str,
        port: u16,
    ) -> Result<TcpStream, StepError> {
        let Some(budget) = self.budget() else {
            return Err(self.deadline_error());
        };
        let started = Instant::now();
        let target = format!("{host}:{port} via proxy {proxy}");
        let r = proxy::connect_tunnel(stream, host, port, Instant::now() + budget);
        match r {
            Ok((s, line)) => {
                self.push(
                    target,
                    StepKind::Tcp,
                    started,
                    Ok(format!("proxy {proxy} opened a tunnel: {line}")),
                );
                Ok(s)
            }
            Err(e) => {
                let copy = StepError::new(e.failure, e.detail.clone());
                self.push(target, StepKind::Tcp, started, Err(e));
                Err(copy)
            }
        }
    }

    fn tls_step(
        &mut self,
        stream: TcpStream,
        url: &HttpsUrl,
        authority: &str,
    ) -> Result<tls::TlsStream, StepError> {
        let Some(budget) = self.budget() else {
            return Err(self.deadline_error());
        };
        let started = Instant::now();
        let r = self
            .tls
            .handshake(stream, &url.host, Instant::now() + budget);
        let (r, cert) = (r.result, r.certificate);
        let out = match r {
            Ok(s) => {
                let d = format!(
                    "trusted certificate for {}{}",
                    url.host,
                    cert.as_ref()
                        .map(tls::describe)
                        .map(|c| format!(": {c}"))
                        .unwrap_or_default()
                );
                self.push(authority, StepKind::Tls, started, Ok(d));
                Ok(s)
            }
            Err(e) => {
                let copy = StepError::new(e.failure, e.detail.clone());
                self.push(authority, StepKind::Tls, started, Err(e));
                Err(copy)
            }
        };
        if let Some(last) = self.steps.last_mut() {
            last.certificate = cert;
        }
        out
    }

    fn http_step(
        &mut self,
        stream: tls::TlsStream,
        url: &HttpsUrl,
        port: u16,
    ) -> Result<u16, StepError> {
        let Some(budget) = self.budget() else {
            return Err(self.deadline_error());
        };
        let started = Instant::now();
        let shown = HttpsUrl {
            port,
            ..url.clone()
        }
        .display();
        let r = http::get(stream, &url.host, port, &url.path, Instant::now() + budget);
        match r {
            Ok(answer) => {
                let status = answer.status;
                let mut detail = format!("HTTP {status}");
                if !answer.auth_schemes.is_empty() {
                    detail.push_str(&format!(
                        ", authentication offered: {}",
                        answer.auth_schemes.join(", ")
                    ));
                }
                if let Some(l) = &answer.location {
                    detail.push_str(&format!(", redirect to {l}"));
                }
                if let Some(r) = &answer.ews_policy_reason {
                    detail.push_str(&format!(", X-EWS-Policy-Reason: {r}"));
                }
                let r = if status >= 500 {
                    Err(StepError::new(
                        Failure::HttpServerError,
                        format!("the server answered with an error: {detail}"),
                    ))
                } else {
                    if status == 401 {
                        detail.push_str(" (a challenge: the server is reachable)");
                    }
                    Ok(detail)
                };
                self.push(shown, StepKind::Http, started, r);
                if let Some(last) = self.steps.last_mut() {
                    last.http = Some(answer);
                }
                Ok(status)
            }
            Err(e) => {
                let copy = StepError::new(e.failure, e.detail.clone());
                self.push(shown, StepKind::Http, started, Err(e));
                Err(copy)
            }
        }
    }
}

fn connect_error(target: &str, addr: &SocketAddr, e: &std::io::Error) -> StepError {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => StepError::new(
            Failure::ConnectionRefused,
            format!(
                "connection refused by {addr}: nothing listens on {target}, or a firewall rejects it"
            ),
        ),
        K::TimedOut | K::WouldBlock => StepError::new(
            Failure::TimedOut,
            format!("connecting to {target} ({addr}) timed out: a firewall may drop the packets"),
        ),
        _ => StepError::new(
            Failure::ConnectFailed,
            format!("cannot connect to {target} ({addr}): {e}"),
        ),
    }
}

/// Map an I/O error on an established connection to a failure.
pub(crate) fn io_failure(what: &str, e: &std::io::Error) -> StepError {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::TimedOut | K::WouldBlock => {
            StepError::new(Failure::TimedOut, format!("{what} timed out"))
        }
        _ => StepError::new(Failure::HttpNoAnswer, format!("{what} failed: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_dedupe_and_refuse_odd_names() {
        let t = ProbeTargets::new(
            [
                "jdoe@Contoso.test",
                "ann@contoso.test",
                "bad@x y",
                "nodomain",
            ],
            [
                "https://mail.contoso.test/EWS/Exchange.asmx",
                "HTTPS://mail.contoso.test/EWS/Exchange.asmx",
                "https://user:pw@evil.test/EWS/Exchange.asmx",
            ],
        );
        assert_eq!(t.sip_domains, ["contoso.test"]);
        assert_eq!(t.ews_urls, ["https://mail.contoso.test/EWS/Exchange.asmx"]);
    }

    #[test]
    fn urls_drop_query_and_keep_port() {
        let u =
            HttpsUrl::parse("https://Mail.Contoso.test:8443/EWS/Exchange.asmx?token=x#f").unwrap();
        assert_eq!(u.host, "mail.contoso.test");
        assert_eq!(u.port, 8443);
        assert_eq!(u.path, "/EWS/Exchange.asmx");
        assert_eq!(HttpsUrl::parse("https://h.test").unwrap().path, "/");
        assert!(HttpsUrl::parse("ftp://h.test/").is_none());
        assert!(HttpsUrl::parse("https://h.test/a b").is_none());
    }

    #[test]
    fn nothing_to_probe_is_an_empty_report() {
        let r = run(&ProbeTargets::default(), &ProbeOptions::default());
        assert!(r.steps.is_empty() && r.endpoints.is_empty());
        assert!(!r.deadline_reached);
    }
}
