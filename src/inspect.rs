//! One inspection: `--root` resolved once into a folder or a bundle (opened
//! and verified once), the settings resolved against what a bundle
//! recorded, and the facts gathered the same way from both (ripgrep's
//! resolved haystacks). Reads only; never writes.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};

use crate::bundle::format::RecordedInputs;
use crate::bundle::{self, BundleError, OpenBundle, PlainZip};
use crate::client_build::ClientBuild;
use crate::facts::{Facts, InspectedHost, LogZone, MailboxChoice, ProfileFacts, Settings};
use crate::model::OffsetSource;
use crate::rules::{RuleSet, RulesError};
use crate::sources::discover::{self, DiscoverError, Discovery};
use crate::sources::machine::MachineFacts;
use crate::sources::probe;
use crate::sources::scan::logs::{
    DEFAULT_MAX_BYTES_PER_FILE, LogScanOptions, LogTimeZone, ProgressFn, parse_utc_offset,
    scan_tracing_dirs,
};
use crate::sources::scan::spooler::scan_spooler;
use crate::sources::server_config::{self, ServerConfig, ServerConfigError};

/// The client's two-minute timer ("Enable or Disable Offline Instant Messaging (IM) in Skype for Business Server").
pub const DEFAULT_STUCK_AFTER_SECONDS: i64 = 120;

/// Why a run could not inspect anything at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    ServerConfig(#[from] ServerConfigError),
    #[error(transparent)]
    Bundle(#[from] BundleError),
    #[error(transparent)]
    Rules(#[from] RulesError),
}

/// The inspection options `check` and `collect` share, as given: `None`
/// means "not given", so a bundle's recorded value or the default applies.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub user: Option<String>,
    pub now: Option<NowOption>,
    pub stuck_after: Option<chrono::Duration>,
    pub client_version: Option<ClientBuild>,
    pub mailbox: Option<MailboxChoice>,
    pub server_configs: Vec<PathBuf>,
    pub rules: Option<PathBuf>,
    pub log_utc_offset: Option<FixedOffset>,
    pub max_log_size: Option<u64>,
    pub lync_exe: Option<PathBuf>,
    /// `--accept-damaged`: judge a bundle that does not verify, naming the damage.
    pub accept_damaged: bool,
    /// `--etl-strings` with its window each side of a stuck message.
    pub etl_strings: Option<chrono::Duration>,
}

/// `--now` as given: an exact moment, or a local time without a zone,
/// read in the inspected machine's offset (or the assumed one) once the
/// input is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NowOption {
    Exact(DateTime<Utc>),
    Local(chrono::NaiveDateTime),
}

/// One inspection, resolved from the command line.
#[derive(Clone)]
pub struct Request {
    pub root: PathBuf,
    pub options: Options,
    /// What this machine said (registry, lync.exe); empty for a collected copy.
    pub install: MachineFacts,
    /// The system clock, injected so tests and bundles never read it behind our back.
    pub clock: DateTime<Utc>,
    pub progress: Option<ProgressFn>,
    /// A live run: the tool inspects the machine it runs on (no `--root`,
    /// the default root on the user's own Windows machine). Anything given
    /// with `--root` is a copy, or a bundle, from a machine not seen.
    pub live: bool,
}

/// `--root`, resolved once.
pub enum Input {
    Folder(PathBuf),
    Bundle(Box<OpenBundle>),
    /// A zip of a copied folder (no manifest), read in place.
    PlainZip(Box<PlainZip>),
}

impl Input {
    /// A `.zip` file is a bundle (opened and verified here, once), or a
    /// plain zip of a copied folder when it holds no manifest; anything
    /// else is a folder, checked by discovery.
    pub fn resolve(root: &Path) -> Result<Input, InspectError> {
        if bundle::is_bundle_path(root) && bundle::plain::is_plain_zip(root) {
            Ok(Input::PlainZip(Box::new(PlainZip::open(root)?)))
        } else if bundle::is_bundle_path(root) {
            Ok(Input::Bundle(Box::new(OpenBundle::open(root)?)))
        } else {
            Ok(Input::Folder(root.to_path_buf()))
        }
    }

    fn recorded(&self) -> Option<&RecordedInputs> {
        match self {
            Input::Folder(_) | Input::PlainZip(_) => None,
            Input::Bundle(b) => b.inputs.as_ref(),
        }
    }
}

/// The facts and the settings they are judged with.
pub struct Inspected {
    pub facts: Facts,
    pub settings: Settings,
    /// The rules the logs were read with (recorded by `collect`).
    pub rules: RuleSet,
    /// What `collect --probe` saw on the user's machine (a bundle only).
    pub recorded_probe: Option<crate::sources::probe::ProbeReport>,
}

// The probe is a fact source like the others, but the only one that
// touches the network, so it runs only when asked (`--probe`).

/// What `--probe` should try for these facts: the profiles' SIP domains and
/// every EWS URL in the logs, newest first.
pub fn probe_targets(facts: &Facts) -> probe::ProbeTargets {
    let mut urls: Vec<_> = facts.logs.ews_urls.iter().collect();
    urls.sort_by_key(|f| std::cmp::Reverse((f.timestamp, f.line)));
    probe::ProbeTargets::new(
        facts
            .profiles
            .iter()
            .map(|p| p.profile.sip_address.as_str()),
        urls.iter().map(|f| f.value.as_str()),
    )
}

/// Run `--probe` for these facts: the only network access the tool ever makes.
pub fn probe(facts: &Facts, opts: &probe::ProbeOptions) -> probe::ProbeReport {
    probe::run(&probe_targets(facts), opts)
}

/// Settings resolved once, with what the resolution assumed.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub settings: Settings,
    /// `--now` was given (a watch then does not move the moment to its end).
    pub now_given: bool,
    /// What was assumed, in words (the binary shows them as notes).
    pub notes: Vec<String>,
}

impl Resolved {
    /// A watch judges at its end, unless `--now` said otherwise.
    pub fn watched_until(&mut self, ended_at: DateTime<Utc>) {
        if !self.now_given {
            self.settings.now = ended_at;
        }
    }
}

/// `--root` resolved into its input and the settings it is judged with:
/// the one point where options become settings (ripgrep's "high level
/// arguments aren't created until parsing has completely finished").
pub fn prepare(req: &Request) -> Result<(Input, Resolved), InspectError> {
    let input = Input::resolve(&req.root)?;
    let resolved = resolve_settings(&input, req);
    Ok((input, resolved))
}

/// What `check`, `collect` and `watch` all end with: the facts and the
/// report judged from them.
pub struct Judged {
    pub inspected: Inspected,
    pub report: crate::model::Report,
}

/// The one pipeline: inspect `input` with `settings`, probe (`probe`
/// given: from this machine now; else what a bundle recorded), diagnose,
/// and with `watched` judge the log written during the watch and carry the
/// `watch` key.
pub fn judge(
    input: &mut Input,
    req: &Request,
    settings: &Settings,
    probe_options: Option<&probe::ProbeOptions>,
    watched: Option<&crate::watch::Watched>,
) -> Result<Judged, InspectError> {
    let read = |opts: &LogScanOptions| match watched {
        Some(w) => w.scan(opts),
        None => crate::sources::scan::logs::LogFacts::default(),
    };
    let window: Option<LogWindow<'_>> = watched.map(|_| &read as LogWindow<'_>);
    let inspected = inspect_input_with(input, req, settings, window)?;
    let probed = match probe_options {
        Some(opts) => Some(probe(&inspected.facts, opts)),
        None => inspected.recorded_probe.clone(),
    };
    let mut report =
        crate::report::diagnose_with_probe(&inspected.facts, &inspected.settings, probed);
    if let Some(w) = watched {
        w.attach(&mut report);
    }
    Ok(Judged { inspected, report })
}

/// Resolve `--root` and judge it (no probe beyond a recorded one).
pub fn inspect(req: &Request) -> Result<Judged, InspectError> {
    let (mut input, resolved) = prepare(req)?;
    judge(&mut input, req, &resolved.settings, None, None)
}

/// Settings: the command line first, then what the bundle recorded, then
/// the defaults. The log zone: `--log-utc-offset`, else the bundle's, else
/// this machine's (its own on a live run, an assumption for a copy).
/// `--now` without a zone is read in that zone.
pub fn resolve_settings(input: &Input, req: &Request) -> Resolved {
    let o = &req.options;
    let rec = input.recorded();
    let stuck_after = o
        .stuck_after
        .or_else(|| crate::facts::stuck_after_from_seconds(rec?.stuck_after_seconds?))
        .unwrap_or_else(|| chrono::Duration::seconds(DEFAULT_STUCK_AFTER_SECONDS));
    let client_version = o
        .client_version
        .or_else(|| rec?.client_version.as_deref()?.parse().ok());
    let mailbox = o
        .mailbox
        .or_else(|| rec?.mailbox.as_deref()?.parse().ok())
        .unwrap_or_default();
    let recorded_offset = rec.and_then(|r| {
        r.log_utc_offset
            .as_deref()
            .or(r.host.utc_offset.as_deref())
            .and_then(parse_utc_offset)
    });
    let log_zone = match (o.log_utc_offset, recorded_offset) {
        (Some(off), _) => LogZone {
            zone: LogTimeZone::Fixed(off),
            source: OffsetSource::Option,
        },
        (None, Some(off)) => LogZone {
            zone: LogTimeZone::Fixed(off),
            source: OffsetSource::Bundle,
        },
        (None, None) => LogZone {
            zone: LogTimeZone::System,
            source: if req.live && matches!(input, Input::Folder(_)) {
                OffsetSource::Machine
            } else {
                OffsetSource::AssumedThisMachine
            },
        },
    };
    let mut notes = Vec::new();
    let now = match o.now {
        Some(NowOption::Exact(t)) => t,
        Some(NowOption::Local(local)) => {
            let offset = local_offset(log_zone.zone, local, req.clock);
            let now =
                (local - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc();
            notes.push(format!(
                "--now {} read in UTC{offset} ({}): {}",
                local.format("%Y-%m-%dT%H:%M:%S"),
                log_zone.source.describe(),
                now.format("%Y-%m-%dT%H:%M:%SZ")
            ));
            now
        }
        None => match input {
            Input::Bundle(b) => b.manifest.created_at,
            Input::Folder(_) | Input::PlainZip(_) => req.clock,
        },
    };
    Resolved {
        settings: Settings {
            now,
            stuck_after,
            client_version,
            mailbox,
            log_zone,
        },
        now_given: o.now.is_some(),
        notes,
    }
}

/// The offset a local time without a zone is read in: the fixed one, or
/// this machine's at that local time (its earlier reading in a DST fold;
/// in a gap, the offset at `clock`).
fn local_offset(
    zone: LogTimeZone,
    local: chrono::NaiveDateTime,
    clock: DateTime<Utc>,
) -> FixedOffset {
    use chrono::{Offset, TimeZone};
    match zone {
        LogTimeZone::Fixed(o) => o,
        LogTimeZone::System => chrono::Local
            .offset_from_local_datetime(&local)
            .earliest()
            .map(|o| o.fix())
            .unwrap_or_else(|| clock.with_timezone(&chrono::Local).offset().fix()),
    }
}

/// The rules: `--rules`, else the ones the bundle was collected with, else the built-in ones.
fn resolve_rules(input: &mut Input, req: &Request) -> Result<RuleSet, InspectError> {
    if let Some(p) = &req.options.rules {
        return Ok(RuleSet::load_with_overrides(p)?);
    }
    if let Input::Bundle(b) = input
        && let Some(rec) = b.inputs.as_ref().and_then(|i| i.rules.clone())
        && let Some(bytes) = b.member(&rec.member, crate::input_file::MAX_RULES_BYTES)?
    {
        let text = String::from_utf8_lossy(&bytes);
        let shown = PathBuf::from(format!(
            "{}!/{}",
            crate::fsutil::display_path(b.path()),
            rec.member
        ));
        return Ok(RuleSet::default_rules().with_overrides_str(&text, &shown)?);
    }
    Ok(RuleSet::default_rules())
}

/// Pasted server settings: every `--server-config`, plus those the bundle recorded.
fn resolve_server_config(
    input: &mut Input,
    req: &Request,
) -> Result<Option<ServerConfig>, InspectError> {
    let mut parts: Vec<ServerConfig> = Vec::new();
    if let Input::Bundle(b) = input {
        let recorded = b
            .inputs
            .as_ref()
            .map(|i| i.server_configs.clone())
            .unwrap_or_default();
        for rec in recorded {
            // Read with the paste limit, as `--server-config` is.
            let limit = crate::input_file::MAX_SERVER_CONFIG_BYTES;
            if let Some(bytes) = b.member(&rec.member, limit)? {
                let shown = format!("{}!/{}", crate::fsutil::display_path(b.path()), rec.member);
                parts.push(server_config::parse_bytes(&bytes, &shown)?);
            }
        }
    }
    for p in &req.options.server_configs {
        parts.push(server_config::load(p)?);
    }
    Ok(merge_server_configs(parts))
}

fn merge_server_configs(parts: Vec<ServerConfig>) -> Option<ServerConfig> {
    ServerConfig::merge(parts)
}

/// Reads log text in place of a folder's Tracing files (a watch judges only
/// what was written while it watched).
pub type LogWindow<'a> = &'a dyn Fn(&LogScanOptions) -> crate::sources::scan::logs::LogFacts;

/// Gather every fact from a resolved input, with the folder's logs read by
/// `window` when given.
fn inspect_input_with(
    input: &mut Input,
    req: &Request,
    settings: &Settings,
    window: Option<LogWindow<'_>>,
) -> Result<Inspected, InspectError> {
    let settings = settings.clone();
    // Cheap inputs first: a bad server config or rules file is a usage
    // error, found before a long log scan.
    let server = resolve_server_config(input, req)?;
    let rules = resolve_rules(input, req)?;
    let recorded_max = input.recorded().and_then(|r| r.max_log_size);
    let log_opts = LogScanOptions {
        rules: rules.clone(),
        time_zone: settings.log_zone.zone,
        max_bytes_per_file: req
            .options
            .max_log_size
            .or(recorded_max)
            .unwrap_or(DEFAULT_MAX_BYTES_PER_FILE),
        progress: req.progress.clone(),
        ..LogScanOptions::default()
    };
    let user = req.options.user.as_deref();
    let facts = match input {
        Input::Folder(root) => {
            let inspection = discover::discover(root, user)
                .map_err(|e| if req.live { e.on_live_run() } else { e })?;
            let profiles = profile_facts(&inspection);
            let logs = match window {
                Some(read) => read(&log_opts),
                None => scan_tracing_dirs(&inspection.tracing_dirs(), &log_opts),
            };
            Facts {
                inspection,
                profiles,
                logs,
                install: req.install.clone(),
                // A live run inspects this machine; a copied folder comes
                // from a machine not seen, and does not say which.
                host: if req.live {
                    InspectedHost::this_machine(settings.now)
                } else {
                    InspectedHost::default()
                },
                server,
            }
        }
        Input::PlainZip(z) => {
            let read = z.facts(user, &log_opts)?;
            Facts {
                inspection: read.inspection,
                profiles: read.profiles,
                logs: read.logs,
                install: req.install.clone(),
                // The zip does not say which machine it came from.
                host: InspectedHost::default(),
                server,
            }
        }
        Input::Bundle(b) => {
            let mut read = b.facts(user, &log_opts);
            // Damage is known once every member was read (each is checked
            // against the manifest as it is read): checked here, once.
            if !b.damage.is_empty() && !req.options.accept_damaged {
                return Err(BundleError::Damaged {
                    path: b.path().display().to_string(),
                    reasons: b.damage.clone(),
                }
                .into());
            }
            // --accept-damaged: judged, with the damage named.
            read.inspection.problems.extend(
                b.damage
                    .iter()
                    .map(|d| format!("{}: damaged: {d}", b.path().display())),
            );
            if let Some(u) = user
                && read.profiles.is_empty()
            {
                return Err(InspectError::Discover(DiscoverError::NoSuchUser {
                    user: u.to_string(),
                    path: req.root.display().to_string(),
                    found: b
                        .inventory
                        .profiles
                        .iter()
                        .map(|p| p.sip_address.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                }));
            }
            let mut machine = b.machine.clone();
            // --lync-exe on this run adds to what the bundle recorded.
            if req.install.lync_exe.is_some() {
                machine.lync_exe = req.install.lync_exe.clone();
            }
            Facts {
                inspection: read.inspection,
                profiles: read.profiles,
                logs: read.logs,
                install: machine,
                // Only what the user's machine recorded; a version 1 bundle
                // recorded nothing, and this machine is not that one.
                host: b
                    .inputs
                    .as_ref()
                    .map(|i| i.host.clone())
                    .unwrap_or_default(),
                server,
            }
        }
    };
    let mut facts = facts;
    if let Some(window) = req.options.etl_strings {
        etl_strings(input, &mut facts, &settings, window);
    }
    // A recorded probe that no longer parses is left out, never an error.
    let recorded_probe = input
        .recorded()
        .and_then(|r| r.probe.clone())
        .and_then(|v| serde_json::from_value(v).ok());
    Ok(Inspected {
        facts,
        settings,
        rules,
        recorded_probe,
    })
}

/// `--etl-strings`: the printable strings of each trace's WPP events within
/// `window` of a stuck message. Read from the trace itself: in a folder, or
/// the copy a bundle holds.
fn etl_strings(
    input: &mut Input,
    facts: &mut Facts,
    settings: &Settings,
    window: chrono::Duration,
) {
    use crate::model::{EtlStringItem, EtlStrings};
    use crate::sources::etl::{StringWindow, StringsOptions, etl_strings_reader};
    let windows: Vec<StringWindow> = facts
        .stuck_times(settings)
        .into_iter()
        .map(|t| StringWindow {
            from: t - window,
            to: t + window,
        })
        .collect();
    let opts = StringsOptions {
        windows: windows.clone(),
        ..StringsOptions::default()
    };
    let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for e in &mut facts.logs.etl {
        let mut out = EtlStrings {
            note: "raw strings, no context".into(),
            windows: windows
                .iter()
                .map(|w| format!("{}/{}", fmt(w.from), fmt(w.to)))
                .collect(),
            items: Vec::new(),
            truncated: false,
            error: None,
        };
        let read = if windows.is_empty() {
            Ok((Vec::new(), false))
        } else {
            match input {
                Input::Folder(_) => crate::sources::etl::etl_strings_file(Path::new(&e.path), &opts)
                    .map_err(|err| format!("cannot be opened: {err}")),
                Input::PlainZip(_) => Err("the trace is inside a plain zip (not read)".to_string()),
                Input::Bundle(b) => b
                    .with_etl(&e.path, |r| etl_strings_reader(r, &opts))
                    .ok_or_else(|| "the trace itself is not in the bundle (left out by --no-etl, --redact or the size cap)".to_string()),
            }
        };
        match read {
            Ok((items, cut)) => {
                out.truncated = cut;
                out.items = items
                    .into_iter()
                    .map(|s| EtlStringItem {
                        time: s.time,
                        message: s.message,
                        encoding: s.encoding,
                        text: s.text,
                        looks_like: s.looks_like,
                    })
                    .collect();
            }
            Err(err) => out.error = Some(err),
        }
        e.strings = Some(out);
    }
}

/// Each profile's History Spooler, as it is on disk.
pub fn profile_facts(inspection: &Discovery) -> Vec<ProfileFacts> {
    inspection
        .profiles
        .iter()
        .map(|p| ProfileFacts {
            profile: p.clone(),
            spooler: scan_spooler(p.spooler.as_deref()),
        })
        .collect()
}
