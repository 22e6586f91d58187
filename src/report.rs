//! Facts + checks → the one typed [`Report`] every renderer works from.

use std::path::Path;

use crate::checks::{self, Context};
use crate::facts::{Facts, Settings, resolve_client, resolve_mailbox};
use crate::model::{
    ClientInfo, EtlInfo, LogsInfo, MailboxInfo, ProfileReport, Report, SCHEMA_VERSION, ToolInfo,
    Verdict,
};

fn path_string(p: &Path) -> String {
    crate::fsutil::display_path(p)
}

/// Turn facts into the report: resolve the client and mailbox, run every check.
pub fn diagnose(facts: &Facts, settings: &Settings) -> Report {
    diagnose_with_probe(facts, settings, None)
}

/// [`diagnose`] with what `--probe` saw (`ews-reachability` and the report's `probe`).
pub fn diagnose_with_probe(
    facts: &Facts,
    settings: &Settings,
    probe: Option<crate::sources::probe::ProbeReport>,
) -> Report {
    let client = resolve_client(facts, settings);
    let mailbox = resolve_mailbox(facts, settings);
    let ctx = Context {
        facts,
        settings,
        client: &client,
        mailbox: &mailbox,
        probe: probe.as_ref(),
    };
    let checks = checks::run_all(&ctx);
    let verdict = Verdict::from_statuses(checks.iter().map(|c| c.status));
    let diagnosis = crate::diagnosis::diagnose(&checks, settings.now);
    let profiles = facts
        .profiles
        .iter()
        .map(|pf| ProfileReport {
            sip_address: pf.profile.sip_address.clone(),
            office_version: pf.profile.office_version.clone(),
            path: path_string(&pf.profile.path),
            spooler: checks::spooler_summary(&pf.spooler, settings.now, settings.stuck_after),
        })
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo::default(),
        lang: crate::i18n::Lang::En,
        generated_at: settings.now,
        host: facts.host.host_name.clone(),
        machine: facts.host.clone(),
        verdict,
        client: ClientInfo {
            build: client.build.map(|b| b.to_string()),
            source: client.source,
            install: client.install,
            channel: client.channel.clone(),
            product: client.product.product_name(),
            support_ends: client.product.support_ends(),
        },
        mailbox: MailboxInfo {
            location: mailbox.location,
            ews_url: mailbox.ews_url.clone(),
            source: mailbox.source.map(str::to_string),
        },
        profiles,
        checks,
        logs: logs_info(facts, settings),
        timeline: facts.logs.timeline.clone(),
        diagnosis,
        probe,
        watch: None,
    }
}

/// One trace's entry: what its container said, the build in its name, and
/// whether its events cover the stuck messages.
fn etl_info(
    e: &crate::sources::scan::logs::EtlFile,
    stuck: &[chrono::DateTime<chrono::Utc>],
) -> EtlInfo {
    let t = e
        .trace
        .clone()
        .unwrap_or_else(|| crate::sources::etl::EtlSummary {
            error: Some("not read (listed by an older version of this tool)".into()),
            ..Default::default()
        });
    EtlInfo {
        path: e.path.clone(),
        size: e.size,
        modified: e.modified,
        covers_stuck: crate::checks::etl::covers(&t, stuck),
        build: crate::sources::etl::build_from_name(&e.path),
        logger: t.logger,
        start: t.start,
        end: t.end,
        first_event: t.first_event,
        last_event: t.last_event,
        events: t.events,
        events_lost: t.events_lost,
        buffers_lost: t.buffers_lost,
        circular: t.circular,
        compressed: t.compressed,
        error: t.error,
        strings: e.strings.clone(),
    }
}

fn logs_info(facts: &Facts, settings: &Settings) -> LogsInfo {
    let logs = &facts.logs;
    let stuck = facts.stuck_times(settings);
    LogsInfo {
        files: logs.logs.len() as u64,
        entries: logs.logs.iter().map(|l| l.entries).sum(),
        // The scanner's own label (for the system zone: its offset at the
        // newest entry), else the offset at --now.
        utc_offset: logs
            .utc_offset
            .clone()
            .unwrap_or_else(|| settings.log_zone.offset_at(settings.now)),
        utc_offset_source: Some(settings.log_zone.source),
        etl: logs.etl.iter().map(|e| etl_info(e, &stuck)).collect(),
    }
}

/// The same report with personal data replaced by stable pseudonyms
/// (`--redact`). `also` lists names personal on their own: (name, `machine` or `user`).
pub fn redact(
    report: &Report,
    redactor: &mut crate::redact::Redactor,
    also: &[(String, &'static str)],
) -> Report {
    for (w, kind) in also {
        redactor.learn_word(w, kind);
    }
    for p in &report.profiles {
        redactor.learn_profile_name(&p.sip_address);
    }
    let Ok(mut value) = serde_json::to_value(report) else {
        return report.clone();
    };
    crate::redact::redact_json(&mut value, redactor);
    // The redacted strings keep every field's type, so this cannot fail; if
    // it ever did, refusing to print beats printing personal data.
    serde_json::from_value(value).unwrap_or_else(|_| {
        let mut r = report.clone();
        r.profiles.clear();
        r.timeline.clear();
        for c in &mut r.checks {
            c.evidence.clear();
            c.summary = "(redacted)".into();
        }
        r.host = None;
        r.machine = Default::default();
        r.mailbox.ews_url = None;
        r.probe = None;
        r
    })
}

/// Test support: the report of a tree where nothing was found, at
/// 2026-11-24 10:00 UTC with the default settings.
#[cfg(test)]
pub(crate) fn nothing_found_report() -> Report {
    let facts = Facts::nothing_found(Default::default());
    let settings = Settings {
        now: "2026-11-24T10:00:00Z".parse().unwrap(),
        stuck_after: chrono::Duration::minutes(2),
        client_version: None,
        mailbox: crate::facts::MailboxChoice::Auto,
        log_zone: Default::default(),
    };
    diagnose(&facts, &settings)
}
