//! `ews-access`, `offline-im-activity`, `client-logs`: what the client logs say.

use super::{Context, result};
use crate::model::{CheckId, CheckResult, Code, Evidence, Status};
use crate::scan::logs::LogFact;

fn ev<T>(f: &LogFact<T>, detail: String) -> Evidence {
    let mut e = Evidence::at(f.path.clone(), Some(f.line), detail);
    e.timestamp = f.timestamp;
    e
}

const NO_LOGS: &str = "No client logs were read";

pub fn ews_access(ctx: &Context<'_>) -> CheckResult {
    let id = CheckId::EwsAccess;
    if !ctx.logs_read() {
        return result(id, Status::Skip, Code::EwsNoLogs, NO_LOGS, Vec::new(), None);
    }
    let logs = &ctx.facts.logs;
    let mut evidence: Vec<Evidence> = logs
        .ews_urls
        .iter()
        .map(|f| ev(f, format!("EWS URL {}", f.value)))
        .collect();
    if !logs.ews_failures.is_empty() {
        let failures: Vec<Evidence> = logs
            .ews_failures
            .iter()
            .rev()
            .map(|f| {
                ev(
                    f,
                    format!(
                        "{} HTTP {}{}: {}",
                        f.value.target,
                        f.value.status,
                        f.value
                            .url
                            .as_ref()
                            .map(|u| format!(" from {u}"))
                            .unwrap_or_default(),
                        f.excerpt
                    ),
                )
            })
            .collect();
        let mut statuses: Vec<u16> = logs.ews_failures.iter().map(|f| f.value.status).collect();
        statuses.sort_unstable();
        statuses.dedup();
        let mut all = failures;
        all.append(&mut evidence);
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
                "{} EWS/autodiscover request(s) failed in the client log (HTTP {}); the client cannot put offline messages into the recipient's mailbox",
                logs.ews_failure_count,
                statuses
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            all,
            Some(format!(
                "From the user's machine open {host} in a browser and sign in with the user's credentials; check the autodiscover DNS records for the SMTP domain (autodiscover.<domain> and the _autodiscover._tcp SRV record), the proxy and the credentials; Test-OutlookWebServices or Microsoft's Remote Connectivity Analyzer shows the failing step"
            )),
        );
    }
    if logs.ews_urls.is_empty() {
        return result(
            id,
            Status::Warn, Code::EwsUrlNotSeen,
            "No EWS URL anywhere in the client logs: the client may never have discovered Exchange (autodiscover)",
            evidence,
            Some("Hold Ctrl, right-click the Skype for Business tray icon > Configuration Information, and read \"EWS Internal URL\" / \"EWS External URL\" and \"EWS Information\"; if empty, fix autodiscover DNS for the user's SMTP domain, then sign out and in".into()),
        );
    }
    result(
        id,
        Status::Pass,
        Code::EwsOk,
        format!(
            "EWS URL seen ({}) and no EWS/autodiscover request failed",
            logs.ews_urls.len()
        ),
        evidence,
        None,
    )
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
                "ms-diagnostics {}{}",
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
            Status::Fail, Code::OfflineFailures,
            format!(
                "{} offline-message failure(s) among {} offline-message event(s) in the client logs",
                logs.offline_failure_count,
                logs.offline_events
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
    result(
        id,
        Status::Info,
        Code::OfflineNoTextEvents,
        "No offline-message events in the client logs (no offline IM was sent while logging was on)",
        evidence,
        None,
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
            format!("ETL trace, {} bytes (binary, not decoded)", e.size),
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
