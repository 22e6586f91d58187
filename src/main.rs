//! Thin binary: parse, resolve, run, render, map to an exit code.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use cli::{CheckArgs, Cli, Command, FailOn, ListFormat};
use offline_im_doctor::machine::{self, ProbeOptions};
use offline_im_doctor::model::{CheckId, Report};
use offline_im_doctor::redact::Redactor;
use offline_im_doctor::render::{self, RenderOptions};
use offline_im_doctor::report::{self, Request};
use offline_im_doctor::sanitize::terminal_safe;
use offline_im_doctor::scan::logs::LogScanOptions;

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
        Some(Command::Checks { format }) => {
            emit(&checks_list(format))?;
            Ok(Exit::Clean)
        }
        Some(Command::Aggregate { inputs, format }) => {
            let fleet = offline_im_doctor::aggregate::aggregate(&inputs);
            let opts = RenderOptions {
                width: (!std::io::stdout().is_terminal()).then_some(120),
                ..RenderOptions::default()
            };
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
        Some(Command::Schema) => {
            let schema = schemars::schema_for!(Report);
            emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?))?;
            Ok(Exit::Clean)
        }
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<Exit> {
    let request = Request {
        root: args.root()?,
        user: args.user.clone(),
        server_config: args.server_config.clone(),
        settings: args.settings(),
        logs: LogScanOptions::default(),
        // The registry and Program Files describe this machine, so they are
        // read only when inspecting it (no --root).
        machine: machine::probe(&if args.root.is_some() {
            ProbeOptions::collected(args.lync_exe.clone())
        } else {
            ProbeOptions::this_machine(args.lync_exe.clone())
        }),
    };
    let facts = report::gather(&request)?;
    let mut report = report::diagnose(&facts, &request.settings);
    let mut redactor = args
        .redact
        .then(|| Redactor::from_option(args.redact_salt.as_deref()));
    if let Some(r) = redactor.as_mut() {
        let personal: Vec<(String, &'static str)> = [
            request.settings.host.clone().map(|h| (h, "machine")),
            std::env::var("USERNAME").ok().map(|u| (u, "user")),
        ]
        .into_iter()
        .flatten()
        .collect();
        report = report::redact(&report, r, &personal);
    }
    for p in &facts.inspection.problems {
        let p = redactor.as_ref().map_or_else(|| p.clone(), |r| r.redact(p));
        eprintln!("offline-im-doctor: warning: {}", terminal_safe(&p));
    }
    let format = args.format.unwrap_or_default();
    let stdout_tty = std::io::stdout().is_terminal();
    let opts = RenderOptions {
        color: stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        width: if stdout_tty { None } else { Some(120) },
        timeline_tail: args.timeline,
    };
    emit(&render::render(&report, format, &opts))?;
    let threshold = args.fail_on.unwrap_or(FailOn::Fail).threshold();
    Ok(if report.checks.iter().any(|c| c.status >= threshold) {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

fn checks_list(format: ListFormat) -> String {
    match format {
        ListFormat::Json => {
            let items: Vec<_> = CheckId::ALL
                .iter()
                .map(|id| serde_json::json!({"id": id, "title": id.title(), "looks_at": id.looks_at()}))
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&items).unwrap_or_default()
            )
        }
        ListFormat::Table => {
            let mut t = comfy_table::Table::new();
            t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                .set_header(vec!["Check", "Title", "Looks at"]);
            if !std::io::stdout().is_terminal() {
                t.set_width(120);
            }
            for id in CheckId::ALL {
                t.add_row(vec![id.as_str(), id.title(), id.looks_at()]);
            }
            format!("{t}\n")
        }
    }
}

/// Write to stdout; a closed pipe (`| head`) ends the output quietly.
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}
