//! `ews-access`, `offline-im-activity`, `client-logs`: what the client logs say.

use super::{Context, result};
use crate::codes::{ClientLogsCode, EwsAccessCode, OfflineImActivityCode};
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};
use chrono::{DateTime, Utc};

use crate::sources::scan::logs::{HttpEndpoint, LogFact};

fn ev<T>(f: &LogFact<T>, detail: String) -> Evidence {
    let mut e = Evidence::at(EvidenceSource::Log, f.path.clone(), Some(f.line), detail);
    e.timestamp = f.timestamp;
    e
}

const NO_LOGS: &str = "No client logs were read";

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(
        || "(no time)".to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%SZ").to_string(),
    )
}

fn endpoint_name(e: &HttpEndpoint) -> String {
    match &e.url {
        Some(u) => format!("{} {u}", e.kind),
        None => format!("{} (no URL in the entries)", e.kind),
    }
}

/// One line per endpoint: the latest outcome and what came before it.
fn endpoint_evidence(e: &HttpEndpoint) -> Evidence {
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

/// How Exchange throttled a response ("EWS throttling in Exchange").
struct Throttled {
    status: u16,
    code: Option<String>,
    back_off_ms: Option<u64>,
}

/// Whether an endpoint's latest response is Exchange throttling the
/// client: HTTP 503; HTTP 500 with `ErrorServerBusy` or a
/// `BackOffMilliseconds` hint; an EWS error response (any HTTP status
/// below 400) with a throttling or concurrency code.
fn throttled(e: &HttpEndpoint) -> Option<Throttled> {
    let t = &crate::landscape::landscape().ews.throttling;
    let status = e.latest.value;
    let answer = e.latest_ews_answer.as_ref();
    let codes = answer.map(|a| a.codes.as_slice()).unwrap_or_default();
    let code = t.throttling_code(codes).map(str::to_string);
    let back_off_ms = answer.and_then(|a| a.back_off_ms);
    let busy = t.statuses.contains(&status)
        || (status == 500 && (code.is_some() || back_off_ms.is_some()))
        || (status < 400 && answer.is_some_and(|a| a.is_error()) && code.is_some());
    busy.then_some(Throttled {
        status,
        code,
        back_off_ms,
    })
}

/// "HTTP 200 ResponseClass=Error ErrorAccessDenied" or "HTTP 503".
fn outcome_label(e: &HttpEndpoint) -> String {
    let mut s = format!("HTTP {}", e.latest.value);
    if let Some(a) = e.latest_ews_answer.as_ref().filter(|a| a.is_error()) {
        if let Some(c) = &a.class {
            s.push_str(&format!(" ResponseClass={c}"));
        }
        if !a.codes.is_empty() {
            s.push_str(&format!(" {}", a.codes.join("/")));
        }
    }
    s
}

/// A failing `ews-access` result also names the endpoints Exchange throttled.
fn also_throttled(mut r: CheckResult, throttled: &[(&HttpEndpoint, Throttled)]) -> CheckResult {
    if !throttled.is_empty() {
        r.summary.push_str(&format!(
            "; Exchange also throttled {} endpoint(s) ({}): busy, the client retries",
            throttled.len(),
            throttled
                .iter()
                .map(|(e, _)| format!("{} {}", endpoint_name(e), outcome_label(e)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    r
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
fn with_context(
    about: impl Iterator<Item = Evidence>,
    logs: &crate::sources::scan::logs::LogFacts,
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

fn diagnostic_evidence(
    logs: &crate::sources::scan::logs::LogFacts,
) -> impl Iterator<Item = Evidence> + '_ {
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

/// `docs/contract.md`, `ews-access`: judged per endpoint on the latest
/// outcome; a 401 answered by a success is a handshake; failures followed
/// by a success are recovered evidence; fail only when the latest request
/// to an endpoint failed.
/// The registry policy that lets the client use modern authentication for
/// EWS in a hybrid setup (Skype for Business on-premises, mailbox in
/// Exchange Online): SupportArticles-docs, "AllowAdalForNonLyncIndependentOfLync".
pub(crate) const ALLOW_ADAL: &str = "AllowAdalForNonLyncIndependentOfLync";

/// Whether `AllowAdalForNonLyncIndependentOfLync` is set to 1 in the registry
/// policy; `None` when the registry was not read.
pub(crate) fn allow_adal_set(ctx: &Context<'_>) -> Option<bool> {
    let m = &ctx.facts.machine;
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

/// What to do when EWS refused the client (401/403). `challenge` is the
/// `WWW-Authenticate` schemes of the refusing response, when the log has it.
fn refused_next_step(
    ctx: &Context<'_>,
    status: u16,
    host: &str,
    challenge: Option<&str>,
) -> String {
    let mut s = if status == 401 {
        format!(
            "Have the user sign out of Skype for Business, delete the saved credentials (Control Panel > Credential Manager: entries for the mail server and Skype for Business) and sign in again; open {host} in a browser on that machine and sign in with the same account; check the mailbox's EWS authentication (Test-OutlookWebServices or Microsoft's Remote Connectivity Analyzer)"
        )
    } else {
        format!(
            "Check that EWS is allowed for this mailbox and its organisation (Get-CASMailbox <sender> | fl EwsEnabled and the organisation's EWS settings); open {host} in a browser on that machine to confirm"
        )
    };
    if ctx.mailbox.location == crate::model::MailboxLocation::Online {
        s.push_str(
            "; the mailbox is in Exchange Online: see exchange-online-ews for the EWS retirement",
        );
        if status == 401 && allow_adal_set(ctx) != Some(true) {
            match challenge {
                // Hybrid: EWS offers modern authentication, which the client
                // uses only with the policy set.
                Some(c) if offers_bearer(c) => s.push_str(&format!(
                    "; EWS offered modern authentication (WWW-Authenticate: {c}): with Skype for Business Server on-premises (hybrid) the client uses it for EWS only with {ALLOW_ADAL} = 1 (HKCU\\Software\\Policies\\Microsoft\\Office\\16.0\\Lync, or in the client policy: New-CsClientPolicyEntry -Name {ALLOW_ADAL} -Value \"True\" added to the user's client policy with Set-CsClientPolicy -PolicyEntry @{{Add=...}}){}",
                    if allow_adal_set(ctx).is_none() {
                        ": check it on the user's machine and in the client policy"
                    } else {
                        ": the registry policy does not set it; check the client policy"
                    }
                )),
                // Windows authentication only: not a modern-authentication case.
                Some(_) => {}
                None => s.push_str(
                    "; the log does not show the refusing response's WWW-Authenticate header: whether it offers Bearer (modern authentication) tells whether a hybrid client setting is missing (capture the response headers, e.g. with --probe or a Fiddler trace)",
                ),
            }
        }
    }
    s
}

pub fn ews_access(ctx: &Context<'_>) -> CheckResult {
    if !ctx.logs_read() {
        return result(
            Status::Skip,
            Code::EwsAccess(EwsAccessCode::EwsNoLogs),
            NO_LOGS,
            Vec::new(),
            None,
        );
    }
    let logs = &ctx.facts.logs;
    let urls: Vec<Evidence> = logs
        .ews_urls
        .iter()
        .map(|f| ev(f, format!("EWS URL {}", f.value)))
        .collect();
    let all_failing: Vec<&HttpEndpoint> = logs.failing_endpoints().collect();
    let throttled_now: Vec<(&HttpEndpoint, Throttled)> = all_failing
        .iter()
        .filter_map(|e| throttled(e).map(|t| (*e, t)))
        .collect();
    // Throttling is Exchange being busy, not refusing or down: only the
    // other failures fail the check.
    let failing: Vec<&HttpEndpoint> = all_failing
        .iter()
        .copied()
        .filter(|e| throttled(e).is_none())
        .collect();
    if failing.is_empty() && !throttled_now.is_empty() {
        let evidence = with_context(
            throttled_now.iter().map(|(e, _)| endpoint_evidence(e)),
            logs,
            urls,
        );
        let (newest, t) = throttled_now
            .iter()
            .max_by_key(|(e, _)| (e.latest.timestamp, e.latest.line))
            .expect("not empty");
        let mut what = format!("HTTP {}", t.status);
        if let Some(c) = &t.code {
            what.push_str(&format!(" with {c}"));
        }
        match t.back_off_ms {
            Some(ms) => what.push_str(&format!(" ({})", back_off_words(ms))),
            None if t.status != 503 => what.push_str(" (no BackOffMilliseconds in the entry)"),
            None => what.push_str(" (requests queuing in IIS)"),
        }
        return result(
            Status::Warn,
            Code::EwsAccess(EwsAccessCode::EwsThrottled),
            format!(
                "Exchange throttled the newest EWS request to {}: {what}. The server is busy for this user (its EWS budget), not down and not refusing the credentials: the client waits and retries, so offline messages go out late",
                endpoint_name(newest)
            ),
            evidence,
            Some(
                "Nothing to change on this machine: the client retries after the back-off; watch whether the messages leave the History Spooler (offline-im-doctor watch). If it keeps happening: another EWS application using the same mailbox can use up the user's budget; on-premises, read Get-ThrottlingPolicyAssociation <sender> and Get-ThrottlingPolicy (EWSMaxConcurrency, EWSPercentTimeInCAS, EWSPercentTimeInMailboxRPC); Exchange Online offers no throttling cmdlets (Microsoft support)".to_string(),
            ),
        );
    }
    if !failing.is_empty() {
        let evidence = with_context(
            failing
                .iter()
                .map(|e| endpoint_evidence(e))
                .chain(throttled_now.iter().map(|(e, _)| endpoint_evidence(e))),
            logs,
            urls,
        );
        let mut statuses: Vec<String> = failing.iter().map(|e| outcome_label(e)).collect();
        statuses.sort_unstable();
        statuses.dedup();
        let host = ctx
            .mailbox
            .ews_url
            .as_deref()
            .unwrap_or("https://<mail server>/EWS/Exchange.asmx");
        // The newest failure decides what to do first: a refusal (401/403,
        // also from an HRESULT 0x8019XXXX) is about credentials or access,
        // not about DNS, proxies or the server being down.
        let newest_endpoint = failing
            .iter()
            .max_by_key(|e| (e.latest.timestamp, e.latest.line));
        let newest = newest_endpoint.map(|e| e.latest.value);
        // The challenge of the newest refusal that logged one (an offline
        // message's HRESULT 401 carries no headers; the EWS request before
        // it may).
        let challenge = {
            let mut refused: Vec<&&HttpEndpoint> =
                failing.iter().filter(|e| e.latest.value == 401).collect();
            refused.sort_by_key(|e| std::cmp::Reverse((e.latest.timestamp, e.latest.line)));
            refused.into_iter().find_map(|e| {
                e.latest_auth_challenge
                    .as_deref()
                    .or(e.newest_auth_challenge.as_deref())
            })
        };
        if let Some(status @ (401 | 403)) = newest {
            return also_throttled(
                result(
                    Status::Fail,
                    Code::EwsAccess(EwsAccessCode::EwsRequestsRefused),
                    format!(
                        "The newest failing EWS request was refused with HTTP {status} ({}; {} endpoint(s) failing: {}): the server answered, but {}; the client cannot put offline messages into the recipient's mailbox",
                        if status == 401 {
                            "not authenticated"
                        } else {
                            "access denied"
                        },
                        failing.len(),
                        failing
                            .iter()
                            .map(|e| format!("{} HTTP {}", endpoint_name(e), e.latest.value))
                            .collect::<Vec<_>>()
                            .join(", "),
                        if status == 401 {
                            "did not accept the client's credentials"
                        } else {
                            "denied the client access"
                        }
                    ),
                    evidence,
                    Some(refused_next_step(ctx, status, host, challenge)),
                ),
                &throttled_now,
            );
        }
        return also_throttled(
            result(
                Status::Fail,
                Code::EwsAccess(EwsAccessCode::EwsRequestsFailing),
                format!(
                    "The latest request to {} EWS/autodiscover endpoint(s) failed in the client log ({}): {}; the client cannot put offline messages into the recipient's mailbox",
                    failing.len(),
                    statuses.join(", "),
                    failing
                        .iter()
                        .map(|e| endpoint_name(e))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                evidence,
                Some(
                    match newest_endpoint.and_then(|e| {
                        e.latest_ews_answer
                            .as_ref()
                            .filter(|a| a.is_error() && e.latest.value < 400)
                    }) {
                        Some(a) => format!(
                            "Exchange answered and refused the request with {}{}: look the code up in Microsoft's EWS ResponseCode reference (https://learn.microsoft.com/exchange/client-developer/web-service-reference/responsecode); it is not a network or DNS problem",
                            if a.codes.is_empty() {
                                "ResponseClass=\"Error\"".to_string()
                            } else {
                                a.codes.join("/")
                            },
                            a.message
                                .as_ref()
                                .map(|m| format!(" (\"{m}\")"))
                                .unwrap_or_default()
                        ),
                        None => format!(
                            "From the user's machine open {host} in a browser and sign in with the user's credentials; check the autodiscover DNS records for the SMTP domain (autodiscover.<domain> and the _autodiscover._tcp SRV record), the proxy and the credentials; Test-OutlookWebServices or Microsoft's Remote Connectivity Analyzer shows the failing step"
                        ),
                    },
                ),
            ),
            &throttled_now,
        );
    }
    let mut evidence: Vec<Evidence> = logs.http_endpoints.iter().map(endpoint_evidence).collect();
    evidence.extend(diagnostic_evidence(logs));
    evidence.extend(urls);
    if logs.ews_urls.is_empty() {
        return result(Status::Warn,
            Code::EwsAccess(EwsAccessCode::EwsUrlNotSeen),
            "No EWS URL anywhere in the client logs: the client may never have discovered Exchange (autodiscover)",
            evidence,
            Some("Hold Ctrl, right-click the Skype for Business tray icon > Configuration Information, and read \"EWS Internal URL\" / \"EWS External URL\" and \"EWS Information\"; if empty, fix autodiscover DNS for the user's SMTP domain, then sign out and in".into()),
        );
    }
    let handshakes: u64 = logs.http_endpoints.iter().map(|e| e.handshakes).sum();
    let recovered: u64 = logs.http_endpoints.iter().map(|e| e.recovered).sum();
    let (code, summary) = if recovered > 0 {
        (
            Code::EwsAccess(EwsAccessCode::EwsRecovered),
            format!(
                "EWS URL seen ({}); {recovered} failed EWS/autodiscover request(s) were followed by a success on the same endpoint, and every endpoint's latest request succeeded",
                logs.ews_urls.len()
            ),
        )
    } else if handshakes > 0 {
        (
            Code::EwsAccess(EwsAccessCode::EwsAuthHandshakeOnly),
            format!(
                "EWS URL seen ({}); {handshakes} HTTP 401 challenge(s), each answered by a success on the same endpoint: the Windows-authentication (Negotiate/NTLM) handshake, not a failure",
                logs.ews_urls.len()
            ),
        )
    } else {
        (
            Code::EwsAccess(EwsAccessCode::EwsOk),
            format!(
                "EWS URL seen ({}) and no EWS/autodiscover request failed",
                logs.ews_urls.len()
            ),
        )
    };
    result(Status::Pass, code, summary, evidence, None)
}

pub fn offline_im_activity(ctx: &Context<'_>) -> CheckResult {
    if !ctx.logs_read() {
        return result(
            Status::Skip,
            Code::OfflineImActivity(OfflineImActivityCode::OfflineNoLogs),
            NO_LOGS,
            Vec::new(),
            None,
        );
    }
    let logs = &ctx.facts.logs;
    let mut evidence: Vec<Evidence> = logs
        .offline_failures
        .iter()
        .rev()
        .map(|f| ev(f, f.excerpt.clone()))
        .collect();
    for s in logs.sip_errors.iter().rev() {
        evidence.push(ev(
            s,
            format!(
                "SIP ms-diagnostics {}{}",
                s.value.code,
                s.value
                    .reason
                    .as_ref()
                    .map(|r| format!(" reason=\"{r}\""))
                    .unwrap_or_default()
            ),
        ));
    }
    if !logs.offline_failures.is_empty() {
        return result(Status::Fail,
            Code::OfflineImActivity(OfflineImActivityCode::OfflineFailures),
            format!(
                "{} offline-message failure(s) among {} offline-message event(s) in the client logs",
                logs.offline_failure_count, logs.offline_events
            ),
            evidence,
            Some("Read the timeline below for what failed first; the failures usually follow an EWS or policy problem named by another check. Fix that, restart the client, and send a test offline IM to a signed-out colleague".into()),
        );
    }
    if logs.offline_events > 0 {
        return result(
            Status::Info,
            Code::OfflineImActivity(OfflineImActivityCode::OfflineEvents),
            format!(
                "{} offline-message event(s), no failures",
                logs.offline_events
            ),
            evidence,
            None,
        );
    }
    // The text log's silence proves nothing: the Offline IM doc names the
    // ETL trace as where offline-message processing is logged.
    // Coverage from the traces' own event times (checks/etl.rs).
    let stuck = ctx.facts.stuck_times(ctx.settings);
    let mut etl: Vec<Evidence> = logs
        .etl
        .iter()
        .map(|e| super::etl::etl_evidence(e, &stuck))
        .collect();
    etl.append(&mut evidence);
    let covering = logs
        .etl
        .iter()
        .filter(|e| e.trace.as_ref().and_then(|t| super::etl::covers(t, &stuck)) == Some(true))
        .count();
    let summary = if logs.etl.is_empty() {
        "No offline-message lines in the text logs, which proves nothing: the client records offline-message processing in its ETL trace, and no .etl trace was found".to_string()
    } else {
        let mut s = format!(
            "No offline-message lines in the text logs, which proves nothing: the client records offline-message processing in its ETL trace ({} .etl file(s) below: times and counts read, message text not decoded)",
            logs.etl.len()
        );
        if !stuck.is_empty() {
            s.push_str(&format!(
                "; {covering} of them hold events from before to after the stuck messages"
            ));
            if covering == 0 {
                s.push_str(": no trace covers them");
            }
        }
        s
    };
    result(Status::Info,
        Code::OfflineImActivity(OfflineImActivityCode::OfflineNoTextEvents),
        summary,
        etl,
        Some("Send the .etl trace(s) with this report to whoever can decode them (Microsoft support); they hold the offline-message processing the text log leaves out".into()),
    )
}

pub fn client_logs(ctx: &Context<'_>) -> CheckResult {
    let logs = &ctx.facts.logs;
    let mut evidence: Vec<Evidence> = logs
        .logs
        .iter()
        .map(|l| {
            let mut d = match &l.error {
                // Refused or unopened: no size or encoding was ever seen.
                Some(e) if l.entries == 0 && l.size == 0 => format!("could not read: {e}"),
                Some(e) => format!(
                    "{} bytes, {} entries, {}: {e}",
                    l.size, l.entries, l.encoding
                ),
                None => format!("{} bytes, {} entries, {}", l.size, l.entries, l.encoding),
            };
            if let Some(w) = &l.warning {
                d.push_str(&format!("; warning: {w}"));
            }
            Evidence::at(EvidenceSource::Log, l.path.clone(), None, d)
        })
        .collect();
    use crate::sources::discover::Place;
    let unread = ctx.could_not_read(&[Place::Tracing, Place::Log]);
    evidence.extend(
        ctx.facts
            .inspection
            .could_not_read
            .iter()
            .filter(|c| c.what == Place::Tracing)
            .map(|c| {
                Evidence::at(
                    EvidenceSource::Log,
                    c.path.clone(),
                    None,
                    format!("could not read: {}", c.error),
                )
            }),
    );
    evidence.extend(logs.dir_errors.iter().map(|e| {
        Evidence::at(
            EvidenceSource::Log,
            e.path.clone(),
            None,
            format!("cannot list the Tracing folder: {}", e.error),
        )
    }));
    evidence.extend(logs.etl.iter().map(|e| {
        Evidence::at(
            EvidenceSource::Etl,
            e.path.clone(),
            None,
            format!(
                "ETL trace, {} bytes, last written {} (binary, not decoded)",
                e.size,
                when(e.modified)
            ),
        )
    }));
    // The client's logging settings, where the registry was read.
    let m = &ctx.facts.machine;
    for v in &m.logging {
        evidence.push(Evidence::note(
            EvidenceSource::Registry,
            format!("{}\\{} = {}", v.key, v.name, v.value),
        ));
    }
    let tracing_off = m
        .logging_value("EnableTracing")
        .is_some_and(|v| v.value.trim() == "0" || v.value.trim().eq_ignore_ascii_case("false"));
    let thin = m
        .logging_value("TracingLevel")
        .filter(|v| !v.value.trim().eq_ignore_ascii_case("full"))
        .map(|v| v.value.trim().to_string());
    let searched: Vec<String> = ctx
        .facts
        .inspection
        .lync_folders
        .iter()
        .map(|l| {
            l.tracing
                .as_ref()
                .map(|t| crate::fsutil::display_path(t))
                .unwrap_or_else(|| {
                    let lync = crate::fsutil::display_path(&l.path);
                    format!(
                        "{} (absent)",
                        crate::fsutil::child_display(&lync, "Tracing")
                    )
                })
        })
        .collect();
    if ctx.logs_read() && !unread.is_empty() {
        let read = logs.logs.iter().filter(|l| l.error.is_none()).count();
        return result(Status::Warn,
            Code::ClientLogs(ClientLogsCode::LogsPartlyUnreadable),
            format!(
                "{read} client log file(s) read, but {} could not be: {}",
                unread.len(),
                unread
                    .iter()
                    .map(|(p, why)| format!("{p} ({why})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            evidence,
            Some("Run the tool as the user who signs in to Skype for Business, or copy the Tracing folder with that user's rights; a log that is a link or a pipe is not the client's own".into()),
        );
    }
    if ctx.logs_read() {
        let read = logs.logs.iter().filter(|l| l.error.is_none()).count();
        return result(Status::Pass,
            Code::ClientLogs(ClientLogsCode::LogsRead),
            format!(
                "{read} client log file(s) read ({} entries){}",
                logs.logs.iter().map(|l| l.entries).sum::<u64>(),
                if logs.etl.is_empty() {
                    String::new()
                } else {
                    format!(", {} ETL trace(s) inventoried", logs.etl.len())
                }
            ) + &thin
                .as_ref()
                .map(|l| format!("; TracingLevel is {l}, not Full: the log may leave out the EWS traffic"))
                .unwrap_or_default(),
            evidence,
            thin.as_ref().map(|_| "For a complete log set Options > General > Logging in Skype for Business: Full (TracingLevel FULL), sign out and in, and reproduce".to_string()),
        );
    }
    if logs.logs.is_empty() && tracing_off {
        return result(Status::Warn,
            Code::ClientLogs(ClientLogsCode::LogsTracingOff),
            "No client log found, and the registry says why: EnableTracing is 0 under HKCU\\Software\\Microsoft\\Office\\16.0\\Lync (logging off)".to_string(),
            evidence,
            Some("Turn on logging: Options > General > Logging in Skype for Business: Full (sets EnableTracing 1 and TracingLevel FULL; or Set-CsClientPolicy -Identity <policy> -EnableTracing $True), sign out and in, reproduce the failed offline IM, then run this tool again".into()),
        );
    }
    if !unread.is_empty() && logs.logs.iter().all(|l| l.error.is_some()) {
        return result(Status::Warn,
            Code::ClientLogs(ClientLogsCode::LogsUnreadable),
            format!(
                "Could not read the client logs: {}",
                unread
                    .iter()
                    .map(|(p, why)| format!("{p} ({why})"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            evidence,
            Some("Run the tool as the user who signs in to Skype for Business, or copy the Tracing folder with that user's rights".into()),
        );
    }
    let (code, summary) = if logs.logs.is_empty() {
        (
            Code::ClientLogs(ClientLogsCode::LogsMissing),
            format!(
                "No Lync-UccApi-*.UccApilog client log found (searched {}): logging is probably off",
                if searched.is_empty() {
                    "no Tracing folder".into()
                } else {
                    searched.join(", ")
                }
            ),
        )
    } else {
        (
            Code::ClientLogs(ClientLogsCode::LogsUnreadable),
            "Client log files exist but none could be read".to_string(),
        )
    };
    result(Status::Warn, code,
        summary,
        evidence,
        Some("Turn on logging: in Skype for Business, Options > General > Logging in Skype for Business: Full (or Set-CsClientPolicy -Identity <policy> -EnableTracing $True), sign out and in, reproduce the failed offline IM, then run this tool again".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
    use crate::model::MailboxLocation;
    use crate::sources::machine::{MachineFacts, PolicyValue};

    /// `refused_next_step` for an Exchange Online mailbox, with `policies`
    /// read from the registry (`None`: the registry was not read).
    fn next_step(policies: Option<&[(&str, &str)]>, challenge: Option<&str>) -> String {
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
        refused_next_step(&ctx, 401, "https://x/EWS/Exchange.asmx", challenge)
    }

    #[test]
    fn the_adal_policy_is_named_only_for_a_bearer_challenge_it_does_not_answer() {
        let bearer = Some("Bearer, Basic");
        // Registry not read: named, to check on the machine.
        assert!(next_step(None, bearer).contains(ALLOW_ADAL));
        // Registry read, value absent or 0: named.
        assert!(next_step(Some(&[]), bearer).contains(ALLOW_ADAL));
        assert!(next_step(Some(&[(ALLOW_ADAL, "0")]), bearer).contains(ALLOW_ADAL));
        // Set in the registry policy: not asked for again.
        assert!(!next_step(Some(&[(ALLOW_ADAL, "1")]), bearer).contains(ALLOW_ADAL));
        // Windows authentication only: not the hybrid case.
        let s = next_step(Some(&[]), Some("Negotiate, NTLM"));
        assert!(
            !s.contains(ALLOW_ADAL) && !s.contains("WWW-Authenticate"),
            "{s}"
        );
        // No challenge seen: the header that would tell, not the setting.
        let s = next_step(None, None);
        assert!(
            !s.contains(ALLOW_ADAL) && s.contains("WWW-Authenticate"),
            "{s}"
        );
    }

    #[test]
    fn offers_bearer_reads_the_scheme_list() {
        assert!(offers_bearer("Negotiate, NTLM, Bearer"));
        assert!(offers_bearer("bearer"));
        assert!(!offers_bearer("Negotiate, NTLM"));
        assert!(!offers_bearer("BearerX"));
    }
}
