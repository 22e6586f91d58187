//! Facts + checks → the one typed [`Report`] every renderer works from.

use std::path::{Path, PathBuf};

use crate::checks::{self, Context};
use crate::discover::{self, DiscoverError};
use crate::facts::{Facts, ProfileFacts, Settings, resolve_client, resolve_mailbox};
use crate::machine::MachineFacts;
use crate::model::{
    ClientInfo, MailboxInfo, ProfileReport, Report, SCHEMA_VERSION, SpoolerSummary, ToolInfo,
    Verdict,
};
use crate::scan::logs::{LogScanOptions, scan_tracing_dirs};
use crate::scan::spooler::{SpoolerOptions, scan_spooler};
use crate::server_config::{self, ServerConfigError};

/// Why a run could not inspect anything at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    ServerConfig(#[from] ServerConfigError),
    #[error(transparent)]
    Bundle(Box<crate::bundle::BundleError>),
}

/// One inspection, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    pub user: Option<String>,
    pub server_config: Option<PathBuf>,
    pub settings: Settings,
    pub logs: LogScanOptions,
    /// What the machine itself said (registry, lync.exe); empty for a collected copy.
    pub machine: MachineFacts,
    /// `--probe`: test the network path to autodiscover and EWS from this machine.
    pub probe: Option<crate::probe::ProbeOptions>,
}

/// Read everything the checks need from a folder or an evidence bundle.
pub fn gather_any(req: &Request) -> Result<Facts, InspectError> {
    if crate::bundle::is_bundle_path(&req.root) {
        crate::bundle::gather(req)
    } else {
        gather(req)
    }
}

/// Read everything the checks need from a folder. Reads only; never writes.
pub fn gather(req: &Request) -> Result<Facts, InspectError> {
    // The server config is validated first: a bad one is a usage error, and
    // it is cheap, unlike a log scan.
    let server = req
        .server_config
        .as_deref()
        .map(server_config::load)
        .transpose()?;
    let inspection = discover::discover(&req.root, req.user.as_deref())?;
    let spooler_opts = SpoolerOptions {
        now: req.settings.now,
        stuck_after: req.settings.stuck_after,
    };
    let profiles = inspection
        .profiles
        .iter()
        .map(|p| ProfileFacts {
            profile: p.clone(),
            spooler: scan_spooler(p.spooler.as_deref(), &spooler_opts),
        })
        .collect();
    let logs = scan_tracing_dirs(&inspection.tracing_dirs(), &req.logs);
    Ok(Facts {
        inspection,
        profiles,
        logs,
        machine: req.machine.clone(),
        server,
    })
}

fn path_string(p: &Path) -> String {
    p.display().to_string()
}

/// What `--probe` should try for these facts: the profiles' SIP domains and
/// every EWS URL in the logs, newest first.
pub fn probe_targets(facts: &Facts) -> crate::probe::ProbeTargets {
    let mut urls: Vec<_> = facts.logs.ews_urls.iter().collect();
    urls.sort_by_key(|f| std::cmp::Reverse((f.timestamp, f.line)));
    crate::probe::ProbeTargets::new(
        facts
            .profiles
            .iter()
            .map(|p| p.profile.sip_address.as_str()),
        urls.iter().map(|f| f.value.as_str()),
    )
}

/// The report for a request: runs the probe first when `--probe` asked for
/// it (the only network access the tool ever makes), then [`diagnose_with_probe`].
pub fn diagnose_request(facts: &Facts, req: &Request) -> Report {
    let probe = req
        .probe
        .as_ref()
        .map(|opts| crate::probe::run(&probe_targets(facts), opts));
    diagnose_with_probe(facts, &req.settings, probe)
}

/// Turn facts into the report: resolve the client and mailbox, run every check.
pub fn diagnose(facts: &Facts, settings: &Settings) -> Report {
    diagnose_with_probe(facts, settings, None)
}

/// [`diagnose`] with what `--probe` saw (`ews-reachability` and the report's `probe`).
pub fn diagnose_with_probe(
    facts: &Facts,
    settings: &Settings,
    probe: Option<crate::probe::ProbeReport>,
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
    let profiles = facts
        .profiles
        .iter()
        .map(|pf| ProfileReport {
            sip_address: pf.profile.sip_address.clone(),
            office_version: pf.profile.office_version.clone(),
            path: path_string(&pf.profile.path),
            spooler: SpoolerSummary {
                files: pf.spooler.files().count() as u64,
                stuck: pf.spooler.stuck().count() as u64,
                oldest_age_seconds: pf.spooler.oldest_age_seconds(),
            },
        })
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo::default(),
        generated_at: settings.now,
        host: settings.host.clone(),
        verdict,
        client: ClientInfo {
            build: client.build.map(|b| b.to_string()),
            source: client.source,
            install: client.install,
            channel: client.channel.clone(),
        },
        mailbox: MailboxInfo {
            location: mailbox.location,
            ews_url: mailbox.ews_url.clone(),
            source: mailbox.source.map(str::to_string),
        },
        profiles,
        checks,
        timeline: facts.logs.timeline.clone(),
        probe,
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
        r.mailbox.ews_url = None;
        r.probe = None;
        r
    })
}
