//! Thin binary: parse, resolve, run, render, map to an exit code.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{CheckArgs, Cli, CollectArgs, Command, FailOn, ListFormat};
use offline_im_doctor::bundle;
use offline_im_doctor::machine::{self, ProbeOptions};
use offline_im_doctor::model::Report;
use offline_im_doctor::redact::Redactor;
use offline_im_doctor::render::{self, RenderOptions, catalog::CatalogFormat};
use offline_im_doctor::report::{self, Request};
use offline_im_doctor::rules::RuleSet;
use offline_im_doctor::sanitize::terminal_safe;
use offline_im_doctor::scan::logs::{LogScanOptions, LogTimeZone};

/// The terminal question, answered once per run: colour only when stdout
/// is a terminal and NO_COLOR is unset; tables size themselves to a
/// terminal, else 120 columns; progress only on a terminal stderr.
#[derive(Debug, Clone, Copy)]
struct Terminal {
    stdout: bool,
    stderr: bool,
    no_color: bool,
}

impl Terminal {
    fn detect() -> Self {
        Terminal {
            stdout: std::io::stdout().is_terminal(),
            stderr: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    }

    fn render_options(self, timeline_tail: usize) -> RenderOptions {
        RenderOptions {
            color: self.stdout && !self.no_color,
            width: if self.stdout { None } else { Some(120) },
            timeline_tail,
        }
    }
}

/// CONTRACT exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Clean = 0,
    Findings = 1,
    Unusable = 2,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; usage errors are exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::Unusable as u8
            } else {
                0
            });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("offline-im-doctor: error: {e:#}");
            ExitCode::from(Exit::Unusable as u8)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        None => check(&cli.check),
        Some(Command::Check(args)) => check(&args),
        Some(Command::Checks { format, rules }) => {
            let format = match format {
                ListFormat::Table => CatalogFormat::Table,
                ListFormat::Json => CatalogFormat::Json,
            };
            let opts = Terminal::detect().render_options(0);
            emit(&render::catalog::render(
                &load_rules(rules.as_deref())?,
                format,
                &opts,
            ))?;
            Ok(Exit::Clean)
        }
        Some(Command::Aggregate { inputs, format }) => {
            let fleet = offline_im_doctor::aggregate::aggregate(&inputs);
            let opts = Terminal::detect().render_options(0);
            emit(&render::fleet::render(&fleet, format, &opts))?;
            for m in &fleet.malformed {
                eprintln!(
                    "offline-im-doctor: warning: {}: {}",
                    terminal_safe(&m.report),
                    terminal_safe(&m.reason)
                );
            }
            if fleet.reports_read == 0 {
                anyhow::bail!("no report could be read from the inputs given");
            }
            Ok(Exit::Clean)
        }
        Some(Command::Collect(args)) => collect(&args),
        Some(Command::Schema) => {
            let schema = schemars::schema_for!(Report);
            emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?))?;
            Ok(Exit::Clean)
        }
    }
}

/// Resolve the command line into one inspection request.
fn request(args: &CheckArgs) -> anyhow::Result<Request> {
    let root = args.root()?;
    let mut settings = args.settings();
    // A bundle is judged as of its collection, unless --now says otherwise.
    if args.now.is_none() && bundle::is_bundle_path(&root) {
        settings.now = bundle::created_at(&root)?;
    }
    Ok(Request {
        user: args.user.clone(),
        server_config: args.server_config.clone(),
        settings,
        logs: log_options(args)?,
        // The registry and Program Files describe this machine, so they are
        // read only when inspecting it (no --root).
        machine: machine::probe(&if args.root.is_some() {
            ProbeOptions::collected(args.lync_exe.clone())
        } else {
            ProbeOptions::this_machine(args.lync_exe.clone())
        }),
        root,
        probe: args.probe.options(),
    })
}

/// Names that are personal on their own, for --redact.
fn personal_names(host: Option<&String>) -> Vec<(String, &'static str)> {
    [
        host.cloned().map(|h| (h, "machine")),
        std::env::var("USERNAME").ok().map(|u| (u, "user")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn collect(args: &CollectArgs) -> anyhow::Result<Exit> {
    let check_args = args.as_check_args();
    let request = request(&check_args)?;
    let personal = personal_names(request.settings.host.as_ref());
    let summary = bundle::collect(bundle::CollectRequest {
        request,
        out: args.out.clone(),
        redactor: args
            .redact
            .then(|| Redactor::from_option(args.redact_salt.as_deref())),
        personal,
        include_messages: args.include_messages,
    })?;
    eprintln!(
        "offline-im-doctor: wrote {} ({} files, {} bytes{}); verdict {}",
        terminal_safe(&summary.out.display().to_string()),
        summary.members,
        summary.bytes,
        if args.redact { ", redacted" } else { "" },
        summary.report.verdict.as_str()
    );
    Ok(Exit::Clean)
}

fn check(args: &CheckArgs) -> anyhow::Result<Exit> {
    let request = request(args)?;
    let facts = report::gather_any(&request)?;
    let mut report = report::diagnose_request(&facts, &request);
    let mut redactor = args
        .redact
        .then(|| Redactor::from_option(args.redact_salt.as_deref()));
    if let Some(r) = redactor.as_mut() {
        let personal = personal_names(request.settings.host.as_ref());
        report = report::redact(&report, r, &personal);
    }
    for p in &facts.inspection.problems {
        let p = redactor.as_ref().map_or_else(|| p.clone(), |r| r.redact(p));
        eprintln!("offline-im-doctor: warning: {}", terminal_safe(&p));
    }
    let format = args.format.unwrap_or_default();
    let opts = Terminal::detect().render_options(args.timeline);
    emit(&render::render(&report, format, &opts))?;
    let threshold = args.fail_on.unwrap_or(FailOn::Fail).threshold();
    Ok(if report.checks.iter().any(|c| c.status >= threshold) {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// The log scan as the command line asks: rules, time zone, size limit,
/// and a progress bar on stderr for scans longer than a second (only on a terminal).
fn log_options(args: &CheckArgs) -> anyhow::Result<LogScanOptions> {
    let rules = load_rules(args.rules.as_deref())?;
    Ok(LogScanOptions {
        rules,
        time_zone: args
            .log_utc_offset
            .map_or(LogTimeZone::System, LogTimeZone::Fixed),
        max_bytes_per_file: args.max_log_size,
        progress: Terminal::detect().stderr.then(progress_bar),
        ..LogScanOptions::default()
    })
}

fn load_rules(path: Option<&std::path::Path>) -> anyhow::Result<RuleSet> {
    Ok(match path {
        Some(p) => RuleSet::load_with_overrides(p)?,
        None => RuleSet::default_rules(),
    })
}

fn progress_bar() -> offline_im_doctor::scan::logs::ProgressFn {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template(
        "scanning client logs {bar:30} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, {eta})",
    ) {
        bar.set_style(style);
    }
    let started = std::time::Instant::now();
    let shown = std::sync::atomic::AtomicBool::new(false);
    std::sync::Arc::new(move |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
        // Only scans that last are worth a bar; it clears itself when done.
        if !shown.load(std::sync::atomic::Ordering::Relaxed)
            && started.elapsed() > std::time::Duration::from_secs(1)
        {
            shown.store(true, std::sync::atomic::Ordering::Relaxed);
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        if done >= total {
            bar.finish_and_clear();
        }
    })
}

/// Write to stdout; a closed pipe (`| head`) ends the output quietly.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}
