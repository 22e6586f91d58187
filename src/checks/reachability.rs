//! `ews-reachability`: what `--probe` saw from this machine.
//!
//! - skip without `--probe` (`probe-not-run`) or with nothing to probe;
//! - fail when no EWS URL answered (the code names the first failure:
//!   DNS, connect, time-out, proxy, certificate trust/name/expiry, HTTP 5xx);
//! - warn when an EWS URL answered but autodiscover failed in every way the
//!   client tries for a SIP domain (the client finds EWS through autodiscover);
//! - pass when an EWS URL answered over trusted TLS (a 401 is an answer).
//!
//! With no EWS URL known (no logs, or none in them), autodiscover alone is
//! judged: info when it answered for every SIP domain (the client can find
//! EWS; the URL itself comes back only after sign-in, which the probe never
//! does), fail when it failed in every way for a domain (the client has no
//! way to EWS from this machine).

use crate::codes::EwsReachabilityCode;
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};
use crate::terms::probe::{Endpoint, EndpointRole, Failure, ProbeReport};

use super::{Context, result};

pub(crate) fn ews_reachability(ctx: &Context<'_>) -> CheckResult {
    let Some(p) = ctx.probe else {
        return result(
            Status::Skip,
            Code::EwsReachability(EwsReachabilityCode::ProbeNotRun),
            "Not probed: run with --probe to test from this machine whether the client can reach EWS (sends no credentials)",
            Vec::new(),
            None,
        );
    };
    let ews: Vec<&Endpoint> = p
        .endpoints
        .iter()
        .filter(|e| e.role == EndpointRole::Ews)
        .collect();
    let auto: Vec<&Endpoint> = p
        .endpoints
        .iter()
        .filter(|e| e.role.is_autodiscover())
        .collect();
    let evidence = evidence(p);
    if ews.is_empty() && auto.is_empty() {
        return result(
            Status::Skip,
            Code::EwsReachability(EwsReachabilityCode::ProbeNothingToProbe),
            "Nothing to probe: no SIP domain in the profiles and no EWS URL in the logs",
            evidence,
            None,
        );
    }
    // Domains whose every autodiscover way failed.
    let mut failed_domains: Vec<&str> = Vec::new();
    for e in &auto {
        let Some(d) = e.domain.as_deref() else {
            continue;
        };
        let answered = auto
            .iter()
            .any(|x| x.domain.as_deref() == Some(d) && x.answered);
        if !answered && !failed_domains.contains(&d) {
            failed_domains.push(d);
        }
    }

    if ews.is_empty() {
        return if failed_domains.is_empty() {
            result(
                Status::Info,
                Code::EwsReachability(EwsReachabilityCode::ProbeAutodiscoverOnlyAnswered),
                format!(
                    "No EWS URL known (none in the logs); autodiscover answered from this machine ({}), so the client can find EWS after sign-in",
                    answered_urls(&auto)
                ),
                evidence,
                None,
            )
        } else {
            result(
                Status::Fail,
                Code::EwsReachability(EwsReachabilityCode::ProbeAutodiscoverOnlyFailed),
                format!(
                    "No EWS URL known, and autodiscover failed in every way the client tries for {}: the client cannot find EWS from this machine",
                    failed_domains.join(", ")
                ),
                evidence,
                Some(AUTODISCOVER_FIX.into()),
            )
        };
    }

    if let Some(ok) = ews.iter().find(|e| e.answered) {
        let how = format!(
            "{} answered HTTP {} over trusted TLS ({})",
            ok.url,
            ok.status.map_or_else(|| "?".into(), |s| s.to_string()),
            ok.path
        );
        return if failed_domains.is_empty() {
            result(
                Status::Pass,
                Code::EwsReachability(EwsReachabilityCode::ProbeEwsAnswered),
                format!("EWS is reachable from this machine: {how}"),
                evidence,
                None,
            )
        } else {
            result(
                Status::Warn,
                Code::EwsReachability(EwsReachabilityCode::ProbeAutodiscoverFailed),
                format!(
                    "EWS is reachable ({how}), but autodiscover failed in every way the client tries for {}: a client without a cached EWS URL cannot find it",
                    failed_domains.join(", ")
                ),
                evidence,
                Some(AUTODISCOVER_FIX.into()),
            )
        };
    }

    // No EWS URL answered: judge by the first (newest) one.
    let first = ews.first().copied();
    let failure = first.and_then(|e| e.failure);
    let (code, fix) = failure_code(failure);
    let what = first
        .map(|e| format!("{}: {}", e.url, e.detail.as_deref().unwrap_or("no answer")))
        .unwrap_or_default();
    result(
        Status::Fail,
        code,
        format!("EWS cannot be reached from this machine: {what}"),
        evidence,
        Some(fix.into()),
    )
}

const AUTODISCOVER_FIX: &str = "Publish autodiscover for the SIP domain where the client looks: a DNS name autodiscover.<domain> (or <domain>) that answers HTTPS with a certificate carrying that name, or an _autodiscover._tcp.<domain> SRV record pointing at the Exchange autodiscover host.";

fn failure_code(f: Option<Failure>) -> (Code, &'static str) {
    use Failure as F;
    match f {
        Some(F::NameNotFound | F::NoAddress | F::DnsError) => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsNameNotFound),
            "This machine cannot resolve the EWS host name: add the record to the DNS zone this machine uses (internal or split DNS), or check the VPN that provides it.",
        ),
        Some(F::ConnectionRefused | F::ConnectFailed) => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsConnectFailed),
            "Nothing accepts HTTPS on the EWS address from this machine: check that the Exchange server or load balancer listens on port 443 there and that no firewall rejects the connection.",
        ),
        Some(F::TimedOut) => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsTimedOut),
            "The EWS server did not answer in time: a firewall may drop the packets, or this network may require the proxy; check the route from this machine to port 443 of the EWS host.",
        ),
        Some(F::ProxyRefused | F::ProxyAuthRequired) => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsProxyRefused),
            "The proxy does not let the connection to EWS through: allow the EWS host on the proxy (CONNECT to port 443), or add it to the proxy bypass list (ProxyOverride) so the client goes direct.",
        ),
        Some(F::CertificateUntrusted | F::CertificateInvalid) => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsCertificateUntrusted),
            "This machine does not trust the EWS certificate's issuer: deploy the issuing CA (root and intermediates) to the Windows certificate store, e.g. by Group Policy, or use a certificate from a CA the machines trust.",
        ),
        Some(F::CertificateWrongName) => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsCertificateWrongName),
            "The EWS certificate does not carry the EWS host name: issue a certificate that includes it, or set the EWS URL (Set-WebServicesVirtualDirectory -InternalUrl / -ExternalUrl) to a name on the certificate.",
        ),
        Some(F::CertificateExpired | F::CertificateNotYetValid | F::CertificateRevoked) => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsCertificateExpired),
            "Replace the EWS certificate on the Exchange server or load balancer with a valid one (and check this machine's clock).",
        ),
        Some(F::HttpServerError) => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsServerError),
            "EWS answers with a server error: check the Exchange EWS virtual directory and its application pool (MSExchangeServicesAppPool), and the load balancer's health checks.",
        ),
        Some(F::NoSrvRecord | F::TlsFailed | F::HttpNoAnswer | F::DeadlineReached) | None => (
            Code::EwsReachability(EwsReachabilityCode::ProbeEwsUnreachable),
            "Check the EWS URL from this machine in a browser (it should ask for credentials) and the network path to it.",
        ),
    }
}

fn answered_urls(eps: &[&Endpoint]) -> String {
    eps.iter()
        .filter(|e| e.answered)
        .map(|e| e.url.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn evidence(p: &ProbeReport) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = p
        .endpoints
        .iter()
        .map(|e| {
            let role: &'static str = e.role.into();
            let outcome = if e.answered {
                format!(
                    "answered HTTP {}",
                    e.status.map_or_else(|| "?".into(), |s| s.to_string())
                )
            } else {
                format!(
                    "failed ({}): {}",
                    e.failure.map_or("unknown", Failure::as_str),
                    e.detail.as_deref().unwrap_or("")
                )
            };
            Evidence::note(
                EvidenceSource::Probe,
                format!("{role} {} via {}: {outcome}", e.url, e.path),
            )
        })
        .collect();
    ev.push(Evidence::note(
        EvidenceSource::Probe,
        format!("probe took {} ms; DNS: {}; proxy: {}", p.ms, p.dns, p.proxy),
    ));
    if p.deadline_reached {
        ev.push(Evidence::note(
            EvidenceSource::Probe,
            "the probe stopped at its deadline; later steps did not run",
        ));
    }
    ev.extend(
        p.notes
            .iter()
            .map(|n| Evidence::note(EvidenceSource::Probe, n)),
    );
    ev
}
