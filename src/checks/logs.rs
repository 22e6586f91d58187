//! `ews-access`, `offline-im-activity`, `client-logs`: what the client logs say.

use super::{Context, result};
use crate::model::{CheckId, CheckResult, Code, Evidence, Status};
use chrono::{DateTime, Utc};

use crate::sources::scan::logs::{HttpEndpoint, LogFact};

fn ev<T>(f: &LogFact<T>, detail: String) -> Evidence {
    let mut e = Evidence::at(f.path.clone(), Some(f.line), detail);
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
    ev(&e.latest, d)
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

/// CONTRACT.md, "Changed meaning": judged per endpoint on the latest
/// outcome; a 401 answered by a success is a handshake; failures followed
/// by a success are recovered evidence; fail only when the latest request
/// to an endpoint failed.
pub fn ews_access(ctx: &Context<'_>) -> CheckResult {
    let id = CheckId::EwsAccess;
    if !ctx.logs_read() {
        return result(id, Status::Skip, Code::EwsNoLogs, NO_LOGS, Vec::new(), None);
    }
    let logs = &ctx.facts.logs;
    let urls: Vec<Evidence> = logs
        .ews_urls
        .iter()
        .map(|f| ev(f, format!("EWS URL {}", f.value)))
        .collect();
    let failing: Vec<&HttpEndpoint> = logs.failing_endpoints().collect();
    if !failing.is_empty() {
        let mut evidence: Vec<Evidence> = failing.iter().map(|e| endpoint_evidence(e)).collect();
        evidence.extend(diagnostic_evidence(logs));
        evidence.extend(
            logs.http_endpoints
                .iter()
                .filter(|e| !e.failing())
                .map(endpoint_evidence),
        );
        evidence.extend(urls);
        let mut statuses: Vec<u16> = failing.iter().map(|e| e.latest.value).collect();
        statuses.sort_unstable();
        statuses.dedup();
        let host = ctx
            .mailbox
            .ews_url
            .as_deref()
            .unwrap_or("https://<mail server>/EWS/Exchange.asmx");
        return result(
            id,
            Status::Fail,
            Code::EwsRequestsFailing,
            format!(
                "The latest request to {} EWS/autodiscover endpoint(s) failed in the client log (HTTP {}): {}; the client cannot put offline messages into the recipient's mailbox",
                failing.len(),
                statuses
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                failing
                    .iter()
                    .map(|e| endpoint_name(e))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            evidence,
            Some(format!(
                "From the user's machine open {host} in a browser and sign in with the user's credentials; check the autodiscover DNS records for the SMTP domain (autodiscover.<domain> and the _autodiscover._tcp SRV record), the proxy and the credentials; Test-OutlookWebServices or Microsoft's Remote Connectivity Analyzer shows the failing step"
            )),
        );
    }
    let mut evidence: Vec<Evidence> = logs.http_endpoints.iter().map(endpoint_evidence).collect();
    evidence.extend(diagnostic_evidence(logs));
    evidence.extend(urls);
    if logs.ews_urls.is_empty() {
        return result(
            id,
            Status::Warn,
            Code::EwsUrlNotSeen,
            "No EWS URL anywhere in the client logs: the client may never have discovered Exchange (autodiscover)",
            evidence,
            Some("Hold Ctrl, right-click the Skype for Business tray icon > Configuration Information, and read \"EWS Internal URL\" / \"EWS External URL\" and \"EWS Information\"; if empty, fix autodiscover DNS for the user's SMTP domain, then sign out and in".into()),
        );
    }
    let handshakes: u64 = logs.http_endpoints.iter().map(|e| e.handshakes).sum();
    let recovered: u64 = logs.http_endpoints.iter().map(|e| e.recovered).sum();
    let (code, summary) = if recovered > 0 {
        (
            Code::EwsRecovered,
            format!(
                "EWS URL seen ({}); {recovered} failed EWS/autodiscover request(s) were followed by a success on the same endpoint, and every endpoint's latest request succeeded",
                logs.ews_urls.len()
            ),
        )
    } else if handshakes > 0 {
        (
            Code::EwsAuthHandshakeOnly,
            format!(
                "EWS URL seen ({}); {handshakes} HTTP 401 challenge(s), each answered by a success on the same endpoint: the Windows-authentication (Negotiate/NTLM) handshake, not a failure",
                logs.ews_urls.len()
            ),
        )
    } else {
        (
            Code::EwsOk,
            format!(
                "EWS URL seen ({}) and no EWS/autodiscover request failed",
                logs.ews_urls.len()
            ),
        )
    };
    result(id, Status::Pass, code, summary, evidence, None)
}

pub fn offline_im_activity(ctx: &Context<'_>) -> CheckResult {
    let id = CheckId::OfflineImActivity;
    if !ctx.logs_read() {
        return result(
            id,
            Status::Skip,
            Code::OfflineNoLogs,
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
        return result(
            id,
            Status::Fail,
            Code::OfflineFailures,
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
            id,
            Status::Info,
            Code::OfflineEvents,
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
    result(
        id,
        Status::Info,
        Code::OfflineNoTextEvents,
        summary,
        etl,
        Some("Send the .etl trace(s) with this report to whoever can decode them (Microsoft support); they hold the offline-message processing the text log leaves out".into()),
    )
}

pub fn client_logs(ctx: &Context<'_>) -> CheckResult {
    let id = CheckId::ClientLogs;
    let logs = &ctx.facts.logs;
    let mut evidence: Vec<Evidence> = logs
        .logs
        .iter()
        .map(|l| {
            let mut d = format!("{} bytes, {} entries, {}", l.size, l.entries, l.encoding);
            if let Some(e) = &l.error {
                d.push_str(&format!(": {e}"));
            }
            if let Some(w) = &l.warning {
                d.push_str(&format!("; warning: {w}"));
            }
            Evidence::at(l.path.clone(), None, d)
        })
        .collect();
    evidence.extend(logs.dir_errors.iter().map(|e| {
        Evidence::at(
            e.path.clone(),
            None,
            format!("cannot list the Tracing folder: {}", e.error),
        )
    }));
    evidence.extend(logs.etl.iter().map(|e| {
        Evidence::at(
            e.path.clone(),
            None,
            format!(
                "ETL trace, {} bytes, last written {} (binary, not decoded)",
                e.size,
                when(e.modified)
            ),
        )
    }));
    let searched: Vec<String> = ctx
        .facts
        .inspection
        .lync_folders
        .iter()
        .map(|l| {
            l.tracing
                .as_ref()
                .map(|t| t.display().to_string())
                .unwrap_or_else(|| format!("{}\\Tracing (absent)", l.path.display()))
        })
        .collect();
    if ctx.logs_read() {
        let read = logs.logs.iter().filter(|l| l.error.is_none()).count();
        return result(
            id,
            Status::Pass,
            Code::LogsRead,
            format!(
                "{read} client log file(s) read ({} entries){}",
                logs.logs.iter().map(|l| l.entries).sum::<u64>(),
                if logs.etl.is_empty() {
                    String::new()
                } else {
                    format!(", {} ETL trace(s) inventoried", logs.etl.len())
                }
            ),
            evidence,
            None,
        );
    }
    let (code, summary) = if logs.logs.is_empty() {
        (
            Code::LogsMissing,
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
            Code::LogsUnreadable,
            "Client log files exist but none could be read".to_string(),
        )
    };
    result(
        id,
        Status::Warn, code,
        summary,
        evidence,
        Some("Turn on logging: in Skype for Business, Options > General > Logging in Skype for Business: Full (or Set-CsClientPolicy -Identity <policy> -EnableTracing $True), sign out and in, reproduce the failed offline IM, then run this tool again".into()),
    )
}
