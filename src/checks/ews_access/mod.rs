//! `ews-access`: what the client logs say about its EWS and autodiscover
//! requests (`docs/contract.md`, `ews-access`): judged per endpoint on the
//! latest outcome; a 401 answered by a success is a handshake; failures
//! followed by a success are recovered evidence; fail only when the latest
//! request to an endpoint failed. Exchange throttling is busy, not down.
//!
//! `evidence` writes the evidence lines, `outcome` holds
//! [`outcome::EwsAccessOutcome`], whose words are the catalogue's.

pub(crate) mod evidence;
mod outcome;
#[cfg(test)]
mod tests;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use self::evidence::{diagnostic_evidence, endpoint_evidence, url_evidence, with_context};
pub(crate) use self::outcome::ALLOW_ADAL;
use self::outcome::{Endpoint, EwsAccessOutcome, EwsError, Mailbox, ModernAuth, Throttling};
use super::{Context, judged};
use crate::model::{CheckResult, Evidence, MailboxLocation};
use crate::sources::scan::logs::HttpEndpoint;

/// Reason codes of `ews-access`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    EnumMessage,
    EnumString,
    IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
pub enum EwsAccessCode {
    #[strum(message = "No client logs to read")]
    EwsNoLogs,
    #[strum(message = "The latest EWS or autodiscover request to an endpoint failed")]
    EwsRequestsFailing,
    #[strum(message = "No EWS URL anywhere in the client logs")]
    EwsUrlNotSeen,
    #[strum(message = "An EWS URL was seen and no request failed")]
    EwsOk,
    #[strum(
        message = "401/407 challenges each answered by a success on the same endpoint: the Windows-authentication handshake, not an outage"
    )]
    EwsAuthHandshakeOnly,
    #[strum(message = "Failures followed by a later success on the same endpoint: recovered")]
    EwsRecovered,
    #[strum(
        message = "The newest failing EWS request was refused (HTTP 401/403, also from an HRESULT 0x8019XXXX): authentication or access, not the network"
    )]
    EwsRequestsRefused,
    #[strum(
        message = "Exchange throttled the newest failing EWS request (HTTP 503; HTTP 500 with ErrorServerBusy; HTTP 200 with ResponseClass=\"Error\" and a throttling code): busy, not down or refusing; the client retries"
    )]
    EwsThrottled,
}

/// Whether `AllowAdalForNonLyncIndependentOfLync` is set to 1 in the registry
/// policy; `None` when the registry was not read.
pub(crate) fn allow_adal_set(ctx: &Context<'_>) -> Option<bool> {
    let m = &ctx.facts.install;
    if m.is_empty() {
        return None;
    }
    Some(
        m.policy(ALLOW_ADAL)
            .is_some_and(|p| p.value.trim() == "1" || p.value.trim().eq_ignore_ascii_case("true")),
    )
}

/// Whether a `WWW-Authenticate` challenge (the schemes, comma-joined)
/// offers `Bearer`: the server accepts modern authentication (OAuth).
fn offers_bearer(schemes: &str) -> bool {
    schemes
        .split(',')
        .any(|s| s.trim().eq_ignore_ascii_case("bearer"))
}

/// Whether modern authentication may explain a 401 for an Exchange Online
/// mailbox: only when the registry policy does not already allow it.
/// `challenge` is the `WWW-Authenticate` schemes of the refusing response,
/// when the log has it.
fn modern_auth(ctx: &Context<'_>, challenge: Option<&str>) -> Option<ModernAuth> {
    let set = allow_adal_set(ctx);
    if set == Some(true) {
        return None;
    }
    match challenge {
        // Hybrid: EWS offers modern authentication, which the client uses
        // only with the policy set.
        Some(c) if offers_bearer(c) => Some(ModernAuth::Offered {
            challenge: c.to_string(),
            registry_read: set.is_some(),
        }),
        // Windows authentication only: not a modern-authentication case.
        Some(_) => None,
        None => Some(ModernAuth::ChallengeNotLogged),
    }
}

/// Whether an endpoint's latest response is Exchange throttling the
/// client: HTTP 503; HTTP 500 with `ErrorServerBusy` or a
/// `BackOffMilliseconds` hint; an EWS error response (any HTTP status
/// below 400) with a throttling or concurrency code.
fn throttled(e: &HttpEndpoint) -> Option<Throttling> {
    let t = &crate::landscape::landscape().ews.throttling;
    let status = e.latest.value;
    let answer = e.latest_ews_answer.as_ref();
    let codes = answer.map(|a| a.codes.as_slice()).unwrap_or_default();
    let code = t.throttling_code(codes).map(str::to_string);
    let back_off_ms = answer.and_then(|a| a.back_off_ms);
    let busy = t.statuses.contains(&status)
        || (status == 500 && (code.is_some() || back_off_ms.is_some()))
        || (status < 400 && answer.is_some_and(|a| a.is_error()) && code.is_some());
    busy.then(|| Throttling {
        endpoint: endpoint(e),
        code,
        back_off_ms,
    })
}

fn ews_error(e: &HttpEndpoint) -> Option<EwsError> {
    e.latest_ews_answer
        .as_ref()
        .filter(|a| a.is_error())
        .map(|a| EwsError {
            class: a.class.clone(),
            codes: a.codes.clone(),
            message: a.message.clone(),
        })
}

fn endpoint(e: &HttpEndpoint) -> Endpoint {
    Endpoint {
        kind: e.kind.into(),
        url: e.url.clone(),
        status: e.latest.value,
        ews_error: ews_error(e),
    }
}

/// One request, one endpoint: an offline message's HRESULT line names no
/// URL (`0x80190191`, HTTP 401), the HTTP line of the same request does.
/// An endpoint without a URL folds into the one endpoint of its kind with
/// a URL and the same latest status; with several such, it stays apart.
fn one_per_request(list: &[&HttpEndpoint]) -> Vec<Endpoint> {
    let mut out: Vec<Endpoint> = Vec::new();
    for e in list {
        if e.url.is_none() {
            let mut same = list.iter().filter(|o| {
                o.url.is_some() && o.kind == e.kind && o.latest.value == e.latest.value
            });
            if let (Some(_), None) = (same.next(), same.next()) {
                continue;
            }
        }
        out.push(endpoint(e));
    }
    out
}

fn newest<'a>(list: impl Iterator<Item = &'a HttpEndpoint>) -> Option<&'a HttpEndpoint> {
    list.max_by_key(|e| (e.latest.timestamp, e.latest.line))
}

pub fn ews_access(ctx: &Context<'_>) -> CheckResult {
    let (outcome, evidence) = judge(ctx);
    judged(&outcome, evidence)
}

fn judge(ctx: &Context<'_>) -> (EwsAccessOutcome, Vec<Evidence>) {
    if !ctx.logs_read() {
        return (EwsAccessOutcome::NoLogs, Vec::new());
    }
    let logs = &ctx.facts.logs;
    let urls = url_evidence(logs);
    let all_failing: Vec<&HttpEndpoint> = logs.failing_endpoints().collect();
    // Throttling is Exchange being busy, not refusing or down: only the
    // other failures fail the check.
    let (busy, failing): (Vec<&HttpEndpoint>, Vec<&HttpEndpoint>) =
        all_failing.iter().partition(|e| throttled(e).is_some());
    let mailbox = match ctx.mailbox.location {
        MailboxLocation::Online => Mailbox::Online,
        _ => Mailbox::Other,
    };
    let ews_url = ctx.mailbox.ews_url.clone();
    if failing.is_empty()
        && let Some(t) = newest(busy.iter().copied()).and_then(throttled)
    {
        let evidence = with_context(busy.iter().map(|e| endpoint_evidence(e)), logs, urls);
        return (EwsAccessOutcome::Throttled(t), evidence);
    }
    if let Some(newest_failing) = newest(failing.iter().copied()) {
        let evidence = with_context(
            failing
                .iter()
                .chain(busy.iter())
                .map(|e| endpoint_evidence(e)),
            logs,
            urls,
        );
        let endpoints = one_per_request(&failing);
        let throttled = one_per_request(&busy);
        // The newest failure decides what to do first: a refusal (401/403,
        // also from an HRESULT 0x8019XXXX) is about credentials or access,
        // not about DNS, proxies or the server being down.
        let status = newest_failing.latest.value;
        if matches!(status, 401 | 403) {
            // The challenge of the newest refusal that logged one (an
            // offline message's HRESULT 401 carries no headers; the EWS
            // request before it may).
            let mut refused: Vec<&&HttpEndpoint> =
                failing.iter().filter(|e| e.latest.value == 401).collect();
            refused.sort_by_key(|e| std::cmp::Reverse((e.latest.timestamp, e.latest.line)));
            let challenge = refused.into_iter().find_map(|e| {
                e.latest_auth_challenge
                    .as_deref()
                    .or(e.newest_auth_challenge.as_deref())
            });
            let modern_auth = (status == 401 && mailbox == Mailbox::Online)
                .then(|| modern_auth(ctx, challenge))
                .flatten();
            return (
                EwsAccessOutcome::Refused {
                    status,
                    endpoints,
                    throttled,
                    ews_url,
                    mailbox,
                    modern_auth,
                },
                evidence,
            );
        }
        return (
            EwsAccessOutcome::Failing {
                endpoints,
                throttled,
                ews_error: ews_error(newest_failing).filter(|_| status < 400),
                ews_url,
                mailbox,
            },
            evidence,
        );
    }
    let mut evidence: Vec<Evidence> = logs.http_endpoints.iter().map(endpoint_evidence).collect();
    evidence.extend(diagnostic_evidence(logs));
    evidence.extend(urls);
    if logs.ews_urls.is_empty() {
        return (EwsAccessOutcome::UrlNotSeen, evidence);
    }
    let handshakes: u64 = logs.http_endpoints.iter().map(|e| e.handshakes).sum();
    let recovered: u64 = logs.http_endpoints.iter().map(|e| e.recovered).sum();
    let urls = logs.ews_urls.len();
    let outcome = if recovered > 0 {
        EwsAccessOutcome::Recovered { urls, recovered }
    } else if handshakes > 0 {
        EwsAccessOutcome::HandshakeOnly { urls, handshakes }
    } else {
        EwsAccessOutcome::Ok { urls }
    };
    (outcome, evidence)
}
