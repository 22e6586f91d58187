//! Command line (`docs/contract.md`), parsed with clap, then
//! resolved into a [`Request`] before any work starts (ripgrep's
//! LowArgs → HiArgs).

use std::path::PathBuf;

#[cfg(windows)]
use anyhow::Context;
#[cfg(not(windows))]
use anyhow::bail;
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use offline_im_doctor::client_build::ClientBuild;
use offline_im_doctor::facts::MailboxChoice;
use offline_im_doctor::inspect::{NowOption, Options};
use offline_im_doctor::model::Status;
use offline_im_doctor::render::Format;

const AFTER_HELP: &str = "\
Exit codes:
  0  every check passed, or the worst status is below --fail-on
  1  at least one check at or above --fail-on
  2  usage error, or the input cannot be inspected at all

Examples:
  offline-im-doctor check --root D:\\collected\\LocalAppData
  offline-im-doctor check --root samples/stuck-spooler --now 2030-01-01T00:00:00Z --format json
  offline-im-doctor check --server-config server-config.txt --format markdown
  offline-im-doctor check --root D:\\collected\\LocalAppData --format html --redact > report.html";

/// What `--version` prints after the name: the version from Cargo.toml,
/// the commit and the target triple (build.rs), e.g.
/// `1.0.0 (0123456789ab x86_64-pc-windows-gnu)`.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("OIMD_BUILD_COMMIT"),
    " ",
    env!("OIMD_BUILD_TARGET"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "offline-im-doctor",
    version = VERSION,
    about = "Finds out why Skype for Business Offline IM messages are not delivered",
    long_about = "Finds out why Skype for Business 2016 \"Offline IM\" messages are not delivered: \
inspects the client profiles, the History Spooler, the client logs and (optionally) pasted server \
settings, and prints a diagnosis as a table, JSON, Markdown or HTML. Reads only; never changes anything.",
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// `check` is the default command: its options work without the word `check`.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose Offline IM on this machine or on a collected copy (the default)
    #[command(after_help = AFTER_HELP)]
    Check(CheckArgs),
    /// List every check id, its title and what it looks at
    Checks {
        #[arg(long, value_enum, default_value_t = ListFormat::Table, ignore_case = true)]
        format: ListFormat,
        /// Also load these evidence rules, as `check --rules` does
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
    },
    /// Write an evidence bundle (zip) for escalation: logs, spooler file list, report, manifest
    Collect(CollectArgs),
    /// Follow a test message live: watch the History Spoolers and the client log, then report on what was written meanwhile
    #[command(after_help = WATCH_HELP)]
    Watch(WatchArgs),
    /// Print the JSON Schema of the `check --format json` report (--ndjson: of the NDJSON records)
    Schema {
        /// The schema of the `--format ndjson` records instead: one definition per record kind
        #[arg(long)]
        ndjson: bool,
    },
    /// Read many `check --format json` reports and print the fleet picture
    Aggregate {
        /// Report files, or folders searched for *.json
        #[arg(required = true, value_name = "REPORT.json|DIR")]
        inputs: Vec<PathBuf>,
        /// Output format (case-insensitive)
        #[arg(long, value_enum, default_value_t = FleetFormatArg::Table, ignore_case = true)]
        format: FleetFormatArg,
    },
}

/// `--format` of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// A table for a person.
    Table,
    /// One JSON document (schema_version 1).
    Json,
    /// Markdown to paste into a ticket.
    Markdown,
    /// Newline-delimited JSON: a header record, then one record per check (for SIEM pipelines).
    Ndjson,
    /// One self-contained HTML file for a ticket: diagnosis, checks, timeline picture.
    Html,
    /// Plain text for ticket fields that do not render Markdown.
    Text,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Table => Format::Table,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Ndjson => Format::Ndjson,
            FormatArg::Html => Format::Html,
            FormatArg::Text => Format::Text,
        }
    }
}

/// `--format` of `aggregate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FleetFormatArg {
    /// A table for a person.
    Table,
    /// One JSON document.
    Json,
    /// Markdown to paste into a ticket or a wiki.
    Markdown,
    /// Newline-delimited JSON: a summary record, then one record per counted row.
    Ndjson,
}

impl From<FleetFormatArg> for Format {
    fn from(f: FleetFormatArg) -> Self {
        match f {
            FleetFormatArg::Table => Format::Table,
            FleetFormatArg::Json => Format::Json,
            FleetFormatArg::Markdown => Format::Markdown,
            FleetFormatArg::Ndjson => Format::Ndjson,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MailboxArg {
    Auto,
    Online,
    OnPremises,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Warn,
    Fail,
}

/// What to inspect and how: the options `check` and `collect` share, so they
/// cannot drift apart. `None` means "not given": a bundle's recorded value,
/// then the default, applies.
#[derive(Debug, Clone, Args, Default)]
pub struct InspectArgs {
    /// Inspect a collected copy: a copy of %LOCALAPPDATA%, the Office folder, a <version>/Lync folder, one sip_<address> folder, a Tracing folder, a single .UccApilog, or an evidence bundle (.zip)
    #[arg(long, value_name = "PATH")]
    pub root: Option<PathBuf>,

    /// Only the profile sip_ADDRESS (case-insensitive)
    #[arg(long, value_name = "ADDRESS")]
    pub user: Option<String>,

    /// The moment ages are measured from: 2026-11-24T10:00:00Z, a date (2026-11-24, midnight UTC) or a local time without a zone (read in the inspected machine's offset) [default: the system clock; for a bundle, when it was collected]
    #[arg(long, value_name = "TIME", value_parser = parse_now)]
    pub now: Option<NowArg>,

    /// A spooled message older than this is stuck: 90s, 2m, 1h [default: 2m, the client's timer]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub stuck_after: Option<chrono::Duration>,

    /// Read the client build and install type from this lync.exe (e.g. one copied from the user's machine)
    #[arg(long, value_name = "PATH")]
    pub lync_exe: Option<PathBuf>,

    /// Use this client build instead of detecting it
    #[arg(long, value_name = "16.0.B.R")]
    pub client_version: Option<ClientBuild>,

    /// Where the sender's mailbox lives [default: auto, inferred from the EWS host]
    #[arg(long, value_enum, value_name = "WHERE")]
    pub mailbox: Option<MailboxArg>,

    /// Pasted cmdlet output: Get-CsImConfiguration, Get-CsClientPolicy, Get-CsUser, Get-OrganizationConfig, Get-CASMailbox (list view, or an unambiguous table view); repeatable
    #[arg(long, value_name = "FILE")]
    pub server_config: Vec<PathBuf>,

    /// Evidence rules (TOML) that add to or override the built-in ones by id (see docs/rules.md)
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,

    /// UTC offset the logs' local timestamps were written in, e.g. +02:00 [default: the inspected machine's: this one's, or the one a bundle recorded]
    #[arg(long, value_name = "OFFSET", value_parser = parse_offset, allow_hyphen_values = true)]
    pub log_utc_offset: Option<chrono::FixedOffset>,

    /// Scan only the newest part of a larger log (from its end), with a warning in the report [default: 4GiB]
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_log_size: Option<u64>,

    /// Judge an evidence bundle that does not verify (a member changed, cut short or missing from its manifest), naming the damage, instead of refusing it
    #[arg(long)]
    pub accept_damaged: bool,

    /// Add the printable strings of ETL trace events near the stuck messages (raw strings, no context; redacted by --redact)
    #[arg(long)]
    pub etl_strings: bool,

    /// With --etl-strings: how far each side of a stuck message [default: 5m]
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "etl_strings")]
    pub etl_window: Option<chrono::Duration>,
}

/// `--lang`'s help, the same for every command that writes a report.
const LANG_HELP: &str = "Language of the report: en or fr (case-insensitive; fr_FR.UTF-8 works too) [default: LC_ALL, LC_MESSAGES, LANG, else the Windows display language; anything else: English, with a warning]";

/// `--redact` and its key, for `check` and `collect` alike.
#[derive(Debug, Clone, Args, Default)]
pub struct RedactArgs {
    /// Replace SIP and e-mail addresses, user and host names with stable pseudonyms everywhere in the output
    #[arg(long)]
    pub redact: bool,

    /// Key for --redact pseudonyms [env: OFFLINE_IM_DOCTOR_REDACT_SALT; default: a public built-in salt]
    #[arg(long, value_name = "SECRET", requires = "redact")]
    pub redact_salt: Option<String>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inspect: InspectArgs,

    /// Output format (case-insensitive) [default: from --output's extension (.json, .ndjson, .md, .html, .txt), else table]
    #[arg(long, value_enum, value_name = "FORMAT", ignore_case = true)]
    pub format: Option<FormatArg>,

    /// Which status makes the exit code 1 [default: fail]
    #[arg(long, value_enum, value_name = "STATUS")]
    pub fail_on: Option<FailOn>,

    #[command(flatten)]
    pub redact: RedactArgs,

    #[arg(long, value_name = "LANG", help = LANG_HELP)]
    pub lang: Option<String>,

    /// How many of the newest timeline events the report shows [default: 10
    /// in Markdown and with -v; none in the table without -v]
    #[arg(long, value_name = "N")]
    pub timeline: Option<usize>,

    /// Show every check's evidence, passing checks included (table and Markdown)
    #[arg(short, long)]
    pub verbose: bool,

    /// Write the report to FILE (UTF-8) instead of standard output; without --format its extension decides the format
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub probe: ProbeArgs,
}

/// `--probe` and its options, for `check` and `collect` alike.
#[derive(Debug, Clone, Args, Default)]
pub struct ProbeArgs {
    /// Also test from this machine whether the client can reach autodiscover and EWS: DNS, TCP, proxy, TLS and one unauthenticated HTTPS GET per endpoint (never credentials; see README)
    #[arg(long)]
    pub probe: bool,

    /// Ask this DNS server for the probe's look-ups instead of the system's resolver
    #[arg(long, value_name = "ADDR:PORT", requires = "probe")]
    pub probe_dns: Option<std::net::SocketAddr>,

    /// Time limit of each probe step [default: 5s]; the whole probe ends within 30s
    #[arg(long, value_name = "DURATION", value_parser = parse_std_duration, requires = "probe")]
    pub probe_timeout: Option<std::time::Duration>,

    /// Test only: connect to this port instead of 443 for every HTTPS endpoint (a loopback lab)
    #[arg(long, value_name = "PORT", hide = true, requires = "probe")]
    pub probe_https_port: Option<u16>,
}

impl ProbeArgs {
    /// The probe to run, or `None` without `--probe`.
    pub fn options(&self) -> Option<offline_im_doctor::sources::probe::ProbeOptions> {
        use offline_im_doctor::sources::probe::{DEFAULT_STEP_TIMEOUT, ProbeOptions, ProxyConfig};
        self.probe.then(|| ProbeOptions {
            dns_server: self.probe_dns,
            step_timeout: self.probe_timeout.unwrap_or(DEFAULT_STEP_TIMEOUT),
            proxy: ProxyConfig::from_system(),
            https_port: self.probe_https_port,
            ..ProbeOptions::default()
        })
    }
}

fn parse_std_duration(s: &str) -> Result<std::time::Duration, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| format!("{e}; expected a duration such as 500ms, 2s or 10s"))?;
    if d.is_zero() {
        return Err("must be above zero".into());
    }
    if d.as_secs() > offline_im_doctor::facts::MAX_DURATION_SECONDS as u64 {
        return Err("longer than 100 years; expected a duration such as 500ms, 2s or 10s".into());
    }
    Ok(d)
}

const WATCH_HELP: &str = "\
Exit codes:
  0  every message seen was delivered (or none was sent)
  1  a message stayed in the History Spooler past --stuck-after
  2  usage error, or the input cannot be watched at all

Examples:
  offline-im-doctor watch
  offline-im-doctor watch --for 10m --format markdown > proof.md
  offline-im-doctor collect --watch --out D:\\escalation.zip";

/// `watch`: every `check` option, and how long to watch.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub check: CheckArgs,

    /// Watch at most this long: 90s, 5m, 10m
    #[arg(long = "for", value_name = "DURATION", default_value = "5m", value_parser = parse_std_duration)]
    pub duration: std::time::Duration,

    /// Look at the files once a second instead of asking for file-system notifications (network shares)
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CollectArgs {
    #[command(flatten)]
    pub inspect: InspectArgs,

    /// The bundle to write (a .zip); never inside the folder being inspected
    #[arg(long, value_name = "FILE.zip")]
    pub out: PathBuf,

    #[command(flatten)]
    pub redact: RedactArgs,

    // The bundle's report.json and --output are written in it.
    #[arg(long, value_name = "LANG", help = LANG_HELP)]
    pub lang: Option<String>,

    /// Also put the spooled messages themselves in the bundle (their text is personal)
    #[arg(long, conflicts_with = "redact")]
    pub include_messages: bool,

    /// Replace an existing --out (without it, collect never overwrites a file)
    #[arg(long)]
    pub force: bool,

    /// Also write the report to FILE, in the format its extension names: .json, .ndjson, .md, .html, .txt; anything else: table
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// First watch a test message as `watch` does; the bundle records the log written meanwhile and the `watch` key
    #[arg(long)]
    pub watch: bool,

    /// With --watch: watch at most this long [default: 5m]
    #[arg(long = "for", value_name = "DURATION", value_parser = parse_std_duration, requires = "watch")]
    pub watch_for: Option<std::time::Duration>,

    /// With --watch: look at the files once a second instead of asking for notifications
    #[arg(long, requires = "watch")]
    pub poll: bool,

    /// Leave the binary .etl traces out of the bundle (they go in by default, newest first up to 256 MiB; never with --redact)
    #[arg(long)]
    pub no_etl: bool,

    #[command(flatten)]
    pub probe: ProbeArgs,
}

fn parse_offset(s: &str) -> Result<chrono::FixedOffset, String> {
    offline_im_doctor::sources::scan::logs::parse_utc_offset(s)
        .ok_or_else(|| "expected an offset such as +02:00, -05:00 or Z".to_string())
}

fn parse_size(s: &str) -> Result<u64, String> {
    s.parse::<bytesize::ByteSize>()
        .map(|b| b.as_u64())
        .map_err(|e| format!("{e}; expected a size such as 512MiB or 4GiB"))
        .and_then(|b| {
            if b == 0 {
                Err("must be above zero".into())
            } else {
                Ok(b)
            }
        })
}

/// `--now` as given: an exact moment, or a local time without a zone that
/// is read in the inspected machine's UTC offset once that is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NowArg {
    Exact(DateTime<Utc>),
    Local(chrono::NaiveDateTime),
}

pub fn parse_now(s: &str) -> Result<NowArg, String> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(NowArg::Exact(d.with_timezone(&Utc)));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(NowArg::Exact(d.and_time(chrono::NaiveTime::MIN).and_utc()));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Ok(NowArg::Local(d));
        }
    }
    Err(
        "expected a time such as 2026-11-24T10:00:00Z, a date such as 2026-11-24 (midnight UTC), or a local time such as 2026-11-24T10:00 (read in the inspected machine's offset)"
            .into(),
    )
}

fn parse_duration(s: &str) -> Result<chrono::Duration, String> {
    offline_im_doctor::facts::parse_duration(s)
}

impl FailOn {
    pub fn threshold(self) -> Status {
        match self {
            FailOn::Warn => Status::Warn,
            FailOn::Fail => Status::Fail,
        }
    }
}

impl InspectArgs {
    /// The options as the library takes them.
    pub fn options(&self) -> Options {
        Options {
            user: self.user.clone(),
            now: self.now.map(|n| match n {
                NowArg::Exact(t) => NowOption::Exact(t),
                NowArg::Local(l) => NowOption::Local(l),
            }),
            stuck_after: self.stuck_after,
            client_version: self.client_version,
            mailbox: self.mailbox.map(|m| match m {
                MailboxArg::Auto => MailboxChoice::Auto,
                MailboxArg::Online => MailboxChoice::Online,
                MailboxArg::OnPremises => MailboxChoice::OnPremises,
            }),
            server_configs: self.server_config.clone(),
            rules: self.rules.clone(),
            log_utc_offset: self.log_utc_offset,
            max_log_size: self.max_log_size,
            lync_exe: self.lync_exe.clone(),
            accept_damaged: self.accept_damaged,
            etl_strings: self
                .etl_strings
                .then(|| self.etl_window.unwrap_or(chrono::Duration::minutes(5))),
        }
    }

    /// `--root`, or on Windows `%LOCALAPPDATA%\Microsoft\Office`.
    pub fn root(&self) -> anyhow::Result<PathBuf> {
        if let Some(r) = &self.root {
            return Ok(r.clone());
        }
        default_root()
    }
}

#[cfg(windows)]
fn default_root() -> anyhow::Result<PathBuf> {
    let local = directories::BaseDirs::new()
        .map(|d| d.data_local_dir().to_path_buf())
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
        .context("cannot find %LOCALAPPDATA%; pass --root")?;
    Ok(local.join("Microsoft").join("Office"))
}

#[cfg(not(windows))]
fn default_root() -> anyhow::Result<PathBuf> {
    // Only meaningful on the user's Windows machine; a LOCALAPPDATA set by
    // hand (a Wine prefix's folder, a test's tree) stands for it.
    if let Some(local) = std::env::var_os("LOCALAPPDATA").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(local).join("Microsoft").join("Office"));
    }
    bail!(
        "no --root given: on this system there is no %LOCALAPPDATA% to inspect. Pass --root with a collected copy of %LOCALAPPDATA%, the Office folder, a <version>/Lync folder or a sip_<address> folder"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_takes_a_date_and_a_zoneless_time() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            parse_now("2026-09-01"),
            Ok(NowArg::Exact(t("2026-09-01T00:00:00Z")))
        );
        assert_eq!(
            parse_now("2026-11-24T10:00:00+01:00"),
            Ok(NowArg::Exact(t("2026-11-24T09:00:00Z")))
        );
        let local = chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        assert_eq!(parse_now("2026-11-24T10:00:00"), Ok(NowArg::Local(local)));
        assert_eq!(parse_now("2026-11-24 10:00"), Ok(NowArg::Local(local)));
        assert!(parse_now("yesterday").is_err());
    }
}
