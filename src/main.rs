//! Thin binary: parse, resolve, run, render, map to an exit code.

mod cli;
mod console;
mod output;
mod stdout;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{
    CheckArgs, Cli, CollectArgs, Command, FailOn, InspectArgs, ListFormat, RedactArgs, WatchArgs,
};
use offline_im_doctor::collect::{self, CollectRequest};
use offline_im_doctor::facts::machine_name;
use offline_im_doctor::i18n::{self, Lang};
use offline_im_doctor::inspect::{self, Input, Request, Resolved};
use offline_im_doctor::model::Report;
use offline_im_doctor::redact::Redactor;
use offline_im_doctor::render::{self, Format, RenderOptions, catalog::CatalogFormat};
use offline_im_doctor::report;
use offline_im_doctor::rules::RuleSet;
use offline_im_doctor::sanitize::terminal_safe;
use offline_im_doctor::sources::machine::{self, ReadOptions};

/// The terminal question, answered once per run: colour only when stdout
/// is a terminal and NO_COLOR is unset; the width is `COLUMNS` when set
/// (piped too), else the terminal's, else 120 columns; progress only on a
/// terminal stderr. On Windows, output that does not reach the console
/// (redirected to a file or a pipe) gets ASCII borders: whatever code page
/// reads it back shows them.
#[derive(Debug, Clone, Copy)]
struct Terminal {
    stdout: bool,
    stderr: bool,
    no_color: bool,
    width: u16,
}

impl Terminal {
    fn detect() -> Self {
        let stdout = std::io::stdout().is_terminal();
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|w| *w >= 20);
        let width = columns
            .or_else(|| {
                stdout
                    .then(terminal_size::terminal_size)
                    .flatten()
                    .map(|(w, _)| w.0)
            })
            .unwrap_or(120);
        Terminal {
            stdout,
            stderr: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            width,
        }
    }

    fn render_options(self, timeline_tail: usize) -> RenderOptions {
        RenderOptions {
            color: self.stdout && !self.no_color,
            width: Some(self.width),
            ascii: cfg!(windows) && !self.stdout,
            timeline_tail,
            ..RenderOptions::default()
        }
    }

    /// For a file written with `--output`: UTF-8, no colour.
    fn file_options(self, timeline_tail: usize) -> RenderOptions {
        RenderOptions {
            color: false,
            ascii: false,
            ..self.render_options(timeline_tail)
        }
    }
}

/// The exit codes of `docs/contract.md`.
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
            if e.use_stderr()
                && let Some(hint) = positional_path_hint(std::env::args_os().skip(1))
            {
                eprintln!("{hint}");
            }
            return ExitCode::from(if e.use_stderr() {
                Exit::Unusable as u8
            } else {
                0
            });
        }
    };
    let redact = fatal_redactor(&cli);
    let code = match run(cli) {
        Ok(code) => code as u8,
        Err(e) => {
            // Paths and bundle fields in the message come from the user's
            // folder: pseudonymised with --redact, escaped for the terminal.
            let mut msg = format!("{e:#}");
            if let Some(mut r) = redact {
                for (w, kind) in personal_names(machine_name().as_ref()) {
                    r.learn_word(&w, kind);
                }
                r.learn(&msg);
                msg = r.redact(&msg);
            }
            eprintln!("offline-im-doctor: error: {}", terminal_safe(&msg));
            Exit::Unusable as u8
        }
    };
    wait_if_double_clicked();
    ExitCode::from(code)
}

/// A path given without `--root` (`check samples/healthy`): say how to pass it.
fn positional_path_hint(args: impl Iterator<Item = std::ffi::OsString>) -> Option<String> {
    let args: Vec<_> = args.collect();
    let mut prev_takes_value = false;
    for a in &args {
        let s = a.to_string_lossy();
        if s.starts_with('-') {
            prev_takes_value = !s.contains('=');
            continue;
        }
        let is_command = matches!(
            s.as_ref(),
            "check" | "checks" | "collect" | "schema" | "aggregate" | "help"
        );
        if !prev_takes_value && !is_command && std::path::Path::new(a).exists() {
            return Some(format!(
                "hint: to inspect {s}, pass it with --root: offline-im-doctor check --root {s}"
            ));
        }
        prev_takes_value = false;
    }
    None
}

/// One wording for an option file that cannot be read (`--rules`,
/// `--lync-exe`, `--server-config`): checked before any work starts, so a
/// missing or odd file (a folder, a FIFO, a device) exits 2 at once.
fn check_option_files(args: &InspectArgs) -> anyhow::Result<()> {
    let files = args
        .rules
        .iter()
        .map(|p| ("--rules", p))
        .chain(args.lync_exe.iter().map(|p| ("--lync-exe", p)))
        .chain(args.server_config.iter().map(|p| ("--server-config", p)));
    for (option, path) in files {
        let why = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("no such file".to_string()),
            Err(e) => Some(io_reason(&e)),
            Ok(m) if !m.is_file() => Some(if m.is_dir() {
                "a folder, not a file".to_string()
            } else {
                "not a regular file".to_string()
            }),
            Ok(_) => offline_im_doctor::fsutil::open_shared(path)
                .err()
                .map(|e| io_reason(&e)),
        };
        if let Some(why) = why {
            anyhow::bail!(
                "cannot read {option} {}: {why}",
                terminal_safe(&path.display().to_string())
            );
        }
    }
    Ok(())
}

/// An I/O error as words, without the OS error number.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

/// The redactor a fatal error goes through, when the command asked for --redact.
fn fatal_redactor(cli: &Cli) -> Option<Redactor> {
    match &cli.command {
        None => redactor(&cli.check.redact),
        Some(Command::Check(a)) => redactor(&a.redact),
        Some(Command::Collect(a)) => redactor(&a.redact),
        _ => None,
    }
}

/// Started from Explorer (the console is ours alone), keep the window open
/// until the user has read it; from a shell or a script, never wait.
fn wait_if_double_clicked() {
    use crate::console::{WaitOverride, console_process_count, should_wait};
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
            stdout::emit(&render::catalog::render(
                &load_rules(rules.as_deref())?,
                format,
                &opts,
            ))?;
            Ok(Exit::Clean)
        }
        Some(Command::Aggregate { inputs, format }) => {
            if let Some(missing) = inputs.iter().find(|p| !p.exists()) {
                anyhow::bail!(
                    "{}: no such file or folder",
                    terminal_safe(&missing.display().to_string())
                );
            }
            let fleet = offline_im_doctor::fleet::aggregate(&inputs);
            let opts = term.render_options(0);
            stdout::emit(&render::fleet::render(&fleet, format.into(), &opts))?;
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
        Some(Command::Schema { ndjson }) => {
            let schema = if ndjson {
                serde_json::to_string_pretty(&render::ndjson::report_schema())?
            } else {
                serde_json::to_string_pretty(&schemars::schema_for!(Report))?
            };
            stdout::emit(&format!("{schema}\n"))?;
            Ok(Exit::Clean)
        }
    }
}

/// Resolve the command line into one inspection request.
fn request(args: &InspectArgs, term: Terminal) -> anyhow::Result<Request> {
    check_option_files(args)?;
    Ok(Request {
        root: args.root()?,
        options: args.options(),
        // The registry and Program Files describe this machine, so they are
        // read only when inspecting it (no --root).
        install: machine::read(&if args.root.is_some() {
            ReadOptions::collected(args.lync_exe.clone())
        } else {
            ReadOptions::this_machine(args.lync_exe.clone())
        }),
        clock: chrono::Utc::now(),
        progress: term.stderr.then(progress_bar),
        // A live run: no --root, the default root on the user's own machine.
        live: args.root.is_none(),
    })
}

/// The request, its input and its settings, resolved once; what the
/// resolution assumed goes to stderr as notes.
fn prepare(args: &InspectArgs, term: Terminal) -> anyhow::Result<(Request, Input, Resolved)> {
    let request = request(args, term)?;
    let (input, resolved) = inspect::prepare(&request)?;
    for note in &resolved.notes {
        eprintln!("offline-im-doctor: note: {}", terminal_safe(note));
    }
    Ok((request, input, resolved))
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

/// The report pseudonymised when `--redact` asks, then written in `lang`
/// (its text made again from the redacted values), and the inspection's
/// warnings on stderr (redacted the same way).
fn redact_and_warn(
    mut report: offline_im_doctor::model::Report,
    inspected: &inspect::Inspected,
    args: &RedactArgs,
    lang: Lang,
) -> offline_im_doctor::model::Report {
    let mut redactor = redactor(args);
    if let Some(r) = redactor.as_mut() {
        let personal = personal_names(inspected.facts.host.host_name.as_ref());
        report = report::redact(&report, r, &personal);
    }
    report.localize(lang);
    for p in &inspected.facts.inspection.problems {
        let p = redactor.as_ref().map_or_else(|| p.clone(), |r| r.redact(p));
        eprintln!("offline-im-doctor: warning: {}", terminal_safe(&p));
    }
    report
}

/// The report language: `--lang`, else `LC_ALL`, `LC_MESSAGES`, `LANG`,
/// else the user's preferred UI languages (Windows), else English. A
/// language the catalogue does not have: English, and one line on stderr
/// naming it and the ones available. With `-v`, where the choice came from.
fn language(option: Option<&str>, verbose: bool) -> Lang {
    let choice = i18n::choose(option, &|k| std::env::var(k).ok(), &i18n::ui_languages());
    if let Some(asked) = &choice.unavailable {
        eprintln!(
            "offline-im-doctor: warning: language {} (from {}) is not available (available: {}); the report is in English",
            terminal_safe(asked),
            terminal_safe(&choice.source.to_string()),
            Lang::available()
        );
    } else if verbose {
        eprintln!(
            "offline-im-doctor: note: report language {} (from {})",
            choice.lang.as_str(),
            terminal_safe(&choice.source.to_string())
        );
    }
    choice.lang
}

fn redactor(args: &RedactArgs) -> Option<Redactor> {
    args.redact
        .then(|| Redactor::from_option(args.redact_salt.as_deref()))
}

fn collect(args: &CollectArgs, term: Terminal) -> anyhow::Result<Exit> {
    let format = output::format_for(None, args.output.as_deref())?;
    let lang = language(args.lang.as_deref(), false);
    let mut outputs = vec![("--out", args.out.as_path())];
    if let Some(o) = &args.output {
        output::refuse_same(("--output", o), ("--out", &args.out))?;
        outputs.push(("--output", o.as_path()));
    }
    output::refuse_onto_reads(&args.inspect, &outputs)?;
    let (mut request, input, mut resolved) = prepare(&args.inspect, term)?;
    let watched = if args.watch {
        let duration = args
            .watch_for
            .unwrap_or(offline_im_doctor::watch::DEFAULT_DURATION);
        let w = run_watch(
            &args.inspect,
            &resolved,
            &args.redact,
            duration,
            args.poll,
            term,
        )?;
        resolved.watched_until(w.info.ended_at);
        request.progress = None;
        Some(w)
    } else {
        None
    };
    let summary = collect::collect(CollectRequest {
        request,
        input,
        resolved,
        out: args.out.clone(),
        redactor: redactor(&args.redact),
        personal: personal_names(machine_name().as_ref()),
        include_messages: args.include_messages,
        include_etl: !args.no_etl,
        probe_options: args.probe.options(),
        force: args.force,
        watch: watched,
        lang,
    })?;
    if let Some(path) = &args.output {
        let text = render::render(&summary.report, format, &term.file_options(10));
        output::write_output(path, &text, format)?;
    }
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
    let format = output::format_for(args.format.map(Format::from), args.output.as_deref())?;
    let outputs: Vec<_> = args
        .output
        .iter()
        .map(|p| ("--output", p.as_path()))
        .collect();
    output::refuse_onto_reads(&args.inspect, &outputs)?;
    let lang = language(args.lang.as_deref(), args.verbose);
    let (request, mut input, resolved) = prepare(&args.inspect, term)?;
    // --probe tests from this machine; without it, a bundle's recorded
    // probe (from the user's machine) is judged again.
    let judged = inspect::judge(
        &mut input,
        &request,
        &resolved.settings,
        args.probe.options().as_ref(),
        None,
    )?;
    let report = redact_and_warn(judged.report, &judged.inspected, &args.redact, lang);
    deliver(&report, format, args, term)?;
    let threshold = args.fail_on.unwrap_or(FailOn::Fail).threshold();
    Ok(if report.checks.iter().any(|c| c.status >= threshold) {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// The report to `--output` (no colour, UTF-8) or to stdout.
fn deliver(
    report: &Report,
    format: Format,
    args: &CheckArgs,
    term: Terminal,
) -> anyhow::Result<()> {
    // The table fits a screen: its timeline is for -v (or --timeline N).
    let timeline = args.timeline.unwrap_or(
        if args.verbose || !matches!(format, Format::Table | Format::Text) {
            10
        } else {
            0
        },
    );
    if let Some(path) = &args.output {
        let opts = RenderOptions {
            verbose: args.verbose,
            ..term.file_options(timeline)
        };
        output::write_output(path, &render::render(report, format, &opts), format)
    } else {
        let opts = RenderOptions {
            verbose: args.verbose,
            ..term.render_options(timeline)
        };
        stdout::emit(&render::render(report, format, &opts))
    }
}

/// Watch (`watch`, `collect --watch`): progress on a terminal stderr only,
/// pseudonymised with --redact; Ctrl-C ends the watch, not the program.
fn run_watch(
    inspect: &InspectArgs,
    resolved: &Resolved,
    redact: &RedactArgs,
    duration: std::time::Duration,
    poll: bool,
    term: Terminal,
) -> anyhow::Result<offline_im_doctor::watch::Watched> {
    use offline_im_doctor::sources::scan::logs::LogScanOptions;
    use offline_im_doctor::watch::{self, WatchOptions};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let root = inspect.root()?;
    let opts = WatchOptions {
        user: inspect.user.clone(),
        duration,
        stuck_after: resolved.settings.stuck_after,
        poll,
        log: LogScanOptions {
            rules: load_rules(inspect.rules.as_deref())?,
            time_zone: resolved.settings.log_zone.zone,
            ..LogScanOptions::default()
        },
        live: inspect.root.is_none(),
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
    let format = output::format_for(check.format.map(Format::from), check.output.as_deref())?;
    let outputs: Vec<_> = check
        .output
        .iter()
        .map(|p| ("--output", p.as_path()))
        .collect();
    output::refuse_onto_reads(&check.inspect, &outputs)?;
    let lang = language(check.lang.as_deref(), check.verbose);
    // The registry (on a live run), the rules and the settings are read
    // before the watch starts; the folder is followed as a folder (a zip
    // is refused by the watch itself).
    let mut request = request(&check.inspect, term)?;
    let mut input = Input::Folder(request.root.clone());
    let mut resolved = inspect::resolve_settings(&input, &request);
    for note in &resolved.notes {
        eprintln!("offline-im-doctor: note: {}", terminal_safe(note));
    }
    let watched = run_watch(
        &check.inspect,
        &resolved,
        &check.redact,
        args.duration,
        args.poll,
        term,
    )?;
    resolved.watched_until(watched.info.ended_at);
    request.progress = None;
    let judged = inspect::judge(
        &mut input,
        &request,
        &resolved.settings,
        check.probe.options().as_ref(),
        Some(&watched),
    )?;
    let report = redact_and_warn(judged.report, &judged.inspected, &check.redact, lang);
    deliver(&report, format, check, term)?;
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

fn progress_bar() -> offline_im_doctor::sources::scan::logs::ProgressFn {
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
