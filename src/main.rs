//! Thin binary: parse, resolve, run, render, map to an exit code.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{
    CheckArgs, Cli, CollectArgs, Command, FailOn, InspectArgs, ListFormat, RedactArgs, WatchArgs,
};
use offline_im_doctor::collect::{self, CollectRequest};
use offline_im_doctor::facts::machine_name;
use offline_im_doctor::inspect::{self, Request};
use offline_im_doctor::machine::{self, ProbeOptions};
use offline_im_doctor::model::Report;
use offline_im_doctor::redact::Redactor;
use offline_im_doctor::render::{self, Format, RenderOptions, catalog::CatalogFormat};
use offline_im_doctor::report;
use offline_im_doctor::rules::RuleSet;
use offline_im_doctor::sanitize::terminal_safe;

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
            ..RenderOptions::default()
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
    let code = match run(cli) {
        Ok(code) => code as u8,
        Err(e) => {
            eprintln!("offline-im-doctor: error: {e:#}");
            Exit::Unusable as u8
        }
    };
    wait_if_double_clicked();
    ExitCode::from(code)
}

/// Started from Explorer (the console is ours alone), keep the window open
/// until the user has read it; from a shell or a script, never wait.
fn wait_if_double_clicked() {
    use offline_im_doctor::console::{WaitOverride, console_process_count, should_wait};
    let over =
        WaitOverride::from_env_value(std::env::var("OFFLINE_IM_DOCTOR_WAIT").ok().as_deref());
    let count = console_process_count();
    let (stdin_tty, stdout_tty) = (
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
    );
    let wait = should_wait(count, stdin_tty, stdout_tty, over);
    if over == WaitOverride::Explain {
        eprintln!(
            "offline-im-doctor: console processes {}, stdin {}, stdout {}: {}",
            count.map_or_else(|| "unknown".to_string(), |n| n.to_string()),
            if stdin_tty { "console" } else { "redirected" },
            if stdout_tty { "console" } else { "redirected" },
            if wait {
                "waiting for Enter"
            } else {
                "not waiting"
            }
        );
    }
    if wait {
        eprint!("\nPress Enter to close this window.");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    let term = Terminal::detect();
    match cli.command {
        None => check(&cli.check, term),
        Some(Command::Check(args)) => check(&args, term),
        Some(Command::Checks { format, rules }) => {
            let format = match format {
                ListFormat::Table => CatalogFormat::Table,
                ListFormat::Json => CatalogFormat::Json,
            };
            let opts = term.render_options(0);
            emit(&render::catalog::render(
                &load_rules(rules.as_deref())?,
                format,
                &opts,
            ))?;
            Ok(Exit::Clean)
        }
        Some(Command::Aggregate { inputs, format }) => {
            let fleet = offline_im_doctor::fleet::aggregate(&inputs);
            let opts = term.render_options(0);
            emit(&render::fleet::render(&fleet, format.into(), &opts))?;
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
        Some(Command::Collect(args)) => collect(&args, term),
        Some(Command::Watch(args)) => watch(&args, term),
        Some(Command::Schema) => {
            let schema = schemars::schema_for!(Report);
            emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?))?;
            Ok(Exit::Clean)
        }
    }
}

/// Resolve the command line into one inspection request.
fn request(args: &InspectArgs, term: Terminal) -> anyhow::Result<Request> {
    Ok(Request {
        root: args.root()?,
        options: args.options(),
        // The registry and Program Files describe this machine, so they are
        // read only when inspecting it (no --root).
        machine: machine::probe(&if args.root.is_some() {
            ProbeOptions::collected(args.lync_exe.clone())
        } else {
            ProbeOptions::this_machine(args.lync_exe.clone())
        }),
        clock: chrono::Utc::now(),
        progress: term.stderr.then(progress_bar),
    })
}

/// Names that are personal on their own, for --redact: the inspected
/// machine's name and the user running the tool.
fn personal_names(host: Option<&String>) -> Vec<(String, &'static str)> {
    [
        host.cloned().map(|h| (h, "machine")),
        machine_name().map(|h| (h, "machine")),
        std::env::var("USERNAME").ok().map(|u| (u, "user")),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn redactor(args: &RedactArgs) -> Option<Redactor> {
    args.redact
        .then(|| Redactor::from_option(args.redact_salt.as_deref()))
}

fn collect(args: &CollectArgs, term: Terminal) -> anyhow::Result<Exit> {
    let mut request = request(&args.inspect, term)?;
    let watched = if args.watch {
        let duration = args
            .watch_for
            .unwrap_or(offline_im_doctor::watch::DEFAULT_DURATION);
        let w = run_watch(&args.inspect, &args.redact, duration, args.poll, term)?;
        request.clock = w.info.ended_at;
        request.progress = None;
        Some(w)
    } else {
        None
    };
    let summary = collect::collect(CollectRequest {
        request,
        out: args.out.clone(),
        redactor: redactor(&args.redact),
        personal: personal_names(machine_name().as_ref()),
        include_messages: args.include_messages,
        include_etl: !args.no_etl,
        probe: None,
        probe_options: args.probe.options(),
        watch: watched,
    })?;
    for note in &summary.notes {
        eprintln!("offline-im-doctor: note: left out {}", terminal_safe(note));
    }
    eprintln!(
        "offline-im-doctor: wrote {} ({} files, {} bytes{}); verdict {}",
        terminal_safe(&summary.out.display().to_string()),
        summary.members,
        summary.bytes,
        if args.redact.redact { ", redacted" } else { "" },
        summary.report.verdict.as_str()
    );
    Ok(Exit::Clean)
}

fn check(args: &CheckArgs, term: Terminal) -> anyhow::Result<Exit> {
    let request = request(&args.inspect, term)?;
    let inspected = inspect::inspect(&request)?;
    // --probe tests from this machine; without it, a bundle's recorded
    // probe (from the user's machine) is judged again.
    let probe = match args.probe.options() {
        Some(opts) => Some(report::probe(&inspected.facts, &opts)),
        None => inspected.recorded_probe.clone(),
    };
    let mut report = report::diagnose_with_probe(&inspected.facts, &inspected.settings, probe);
    let mut redactor = redactor(&args.redact);
    if let Some(r) = redactor.as_mut() {
        let personal = personal_names(inspected.facts.host.host_name.as_ref());
        report = report::redact(&report, r, &personal);
    }
    for p in &inspected.facts.inspection.problems {
        let p = redactor.as_ref().map_or_else(|| p.clone(), |r| r.redact(p));
        eprintln!("offline-im-doctor: warning: {}", terminal_safe(&p));
    }
    let format = args.format.map(Format::from).unwrap_or_default();
    let opts = RenderOptions {
        verbose: args.verbose,
        ..term.render_options(args.timeline)
    };
    emit(&render::render(&report, format, &opts))?;
    let threshold = args.fail_on.unwrap_or(FailOn::Fail).threshold();
    Ok(if report.checks.iter().any(|c| c.status >= threshold) {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// Watch (`watch`, `collect --watch`): progress on a terminal stderr only,
/// pseudonymised with --redact; Ctrl-C ends the watch, not the program.
fn run_watch(
    inspect: &InspectArgs,
    redact: &RedactArgs,
    duration: std::time::Duration,
    poll: bool,
    term: Terminal,
) -> anyhow::Result<offline_im_doctor::watch::Watched> {
    use offline_im_doctor::scan::logs::{LogScanOptions, LogTimeZone};
    use offline_im_doctor::watch::{self, WatchOptions};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let root = inspect.root()?;
    let opts = WatchOptions {
        user: inspect.user.clone(),
        duration,
        stuck_after: inspect.stuck_after.unwrap_or_else(|| {
            chrono::Duration::seconds(offline_im_doctor::inspect::DEFAULT_STUCK_AFTER_SECONDS)
        }),
        poll,
        log: LogScanOptions {
            rules: load_rules(inspect.rules.as_deref())?,
            time_zone: inspect
                .log_utc_offset
                .map_or(LogTimeZone::System, LogTimeZone::Fixed),
            ..LogScanOptions::default()
        },
        ..WatchOptions::default()
    };
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // Only the first handler of a process can be set; there is one watch per run.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
    let redactor = redactor(redact);
    let mut status_shown = false;
    // OFFLINE_IM_DOCTOR_PROGRESS=always: progress lines also when stderr is
    // not a terminal (a script that waits for "Now send an IM").
    let always = std::env::var_os("OFFLINE_IM_DOCTOR_PROGRESS").is_some_and(|v| v == "always");
    let mut sink = |event: watch::WatchEvent| {
        if !term.stderr && !always {
            return;
        }
        let line = event.line();
        let line = redactor.as_ref().map_or(line.clone(), |r| r.redact(&line));
        let stamp = chrono::Local::now().format("%H:%M:%S");
        let mut err = std::io::stderr().lock();
        if status_shown {
            let _ = write!(err, "\r\x1b[K");
        }
        let mut lines = line.lines();
        let first = lines.next().unwrap_or_default();
        if event.is_status() && term.stderr {
            let _ = write!(err, "[{stamp}] {}", terminal_safe(first));
            status_shown = true;
        } else {
            let _ = writeln!(err, "[{stamp}] {}", terminal_safe(first));
            for more in lines {
                let _ = writeln!(err, "           {}", terminal_safe(more));
            }
            status_shown = false;
        }
        let _ = err.flush();
    };
    let watched = watch::watch(&root, &opts, &stop, &mut sink)?;
    if status_shown {
        eprintln!();
    }
    Ok(watched)
}

fn watch(args: &WatchArgs, term: Terminal) -> anyhow::Result<Exit> {
    use offline_im_doctor::model::Status;
    let check = &args.check;
    let watched = run_watch(
        &check.inspect,
        &check.redact,
        args.duration,
        args.poll,
        term,
    )?;
    let mut request = request(&check.inspect, term)?;
    request.clock = watched.info.ended_at;
    request.progress = None;
    let inspected = offline_im_doctor::watch::inspect_watched(&request, &watched)?;
    let probe = check
        .probe
        .options()
        .map(|opts| report::probe(&inspected.facts, &opts));
    let mut report = report::diagnose_with_probe(&inspected.facts, &inspected.settings, probe);
    watched.attach(&mut report);
    let mut redactor = redactor(&check.redact);
    if let Some(r) = redactor.as_mut() {
        let personal = personal_names(inspected.facts.host.host_name.as_ref());
        report = report::redact(&report, r, &personal);
    }
    for p in &inspected.facts.inspection.problems {
        let p = redactor.as_ref().map_or_else(|| p.clone(), |r| r.redact(p));
        eprintln!("offline-im-doctor: warning: {}", terminal_safe(&p));
    }
    let format = check.format.map(Format::from).unwrap_or_default();
    let opts = RenderOptions {
        verbose: check.verbose,
        ..term.render_options(check.timeline)
    };
    emit(&render::render(&report, format, &opts))?;
    // A stuck test message is a failure; nothing else decides this exit code.
    let threshold = check.fail_on.unwrap_or(FailOn::Fail).threshold();
    Ok(if watched.any_stuck() && Status::Fail >= threshold {
        Exit::Findings
    } else {
        Exit::Clean
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
