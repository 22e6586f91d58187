//! The human view (`--format table`, the default, and `--format text`):
//! the machine, the cause and numbered next steps, one line per check,
//! then details for what fails or warns, all within the width.
//!
//! `table` draws the check list in a box (ASCII borders when the output is
//! not a Unicode console); `text` is plain lines for ticket fields.

use std::fmt::Write;

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{Cell, Color, ContentArrangement, Table};

use super::RenderOptions;
use super::view::{Covered, Fix, View, timeline_tail};
use super::wrap::{ellipsize, width as text_width, wrap};
use crate::model::{Report, Status, Verdict};
use crate::sanitize::terminal_safe;

fn status_color(s: Status) -> Option<Color> {
    match s {
        Status::Fail => Some(Color::Red),
        Status::Warn => Some(Color::Yellow),
        Status::Pass => Some(Color::Green),
        Status::Info => Some(Color::Cyan),
        Status::Skip => None,
    }
}

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "OK",
        Verdict::Warn => "WARN",
        Verdict::Fail => "FAIL",
    }
}

/// The width used when none is given.
pub const DEFAULT_WIDTH: u16 = 100;

pub fn render(r: &Report, opts: &RenderOptions, boxed: bool) -> String {
    let width = usize::from(opts.width.unwrap_or(DEFAULT_WIDTH)).max(40);
    let ellipsis = if opts.ascii { "..." } else { "…" };
    let safe = |s: &str| terminal_safe(s).into_owned();
    let view = View::new(r, opts.verbose, opts.timeline_tail);
    let mut out = String::new();
    let para = |out: &mut String, text: &str, first: &str, rest: &str| {
        for l in wrap(&safe(text), width, first, rest) {
            let _ = writeln!(out, "{l}");
        }
    };

    let _ = writeln!(
        out,
        "Offline IM diagnosis: {}  ({} {})",
        verdict_text(r.verdict),
        r.tool.name,
        r.tool.version,
    );
    out.push('\n');
    for (label, text) in &view.about {
        para(
            &mut out,
            text,
            &format!("{:<10} ", format!("{label}:")),
            "           ",
        );
    }
    out.push('\n');
    let (label, cause) = &view.cause;
    para(
        &mut out,
        cause,
        &format!("{:<10} ", format!("{label}:")),
        "           ",
    );
    if let Some(ex) = &view.explains {
        para(&mut out, ex, "Explains:  ", "           ");
    }
    if !view.steps.is_empty() {
        let _ = writeln!(out, "Next steps:");
        for (i, s) in view.steps.iter().enumerate() {
            let n = format!("  {}. ", i + 1);
            let rest = " ".repeat(n.len());
            para(&mut out, s, &n, &rest);
        }
    }
    out.push('\n');

    // One line per check.
    let id_w = view
        .checks
        .iter()
        .map(|l| l.check.id.as_str().len())
        .max()
        .unwrap_or(5);
    if boxed {
        // Borders and padding: "│ STATUS ┆ id ┆ summary │" takes 10 columns.
        let room = width.saturating_sub(6 + id_w + 10).max(10);
        let mut table = Table::new();
        table
            .load_style(if opts.ascii {
                ASCII_FULL_CONDENSED
            } else {
                UTF8_FULL_CONDENSED
            })
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(vec!["Status", "Check", "Summary"]);
        if opts.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        for l in &view.checks {
            let mut status = Cell::new(l.check.status.as_str().to_uppercase());
            if opts.color
                && let Some(col) = status_color(l.check.status)
            {
                status = status.fg(col);
            }
            table.add_row(vec![
                status,
                Cell::new(l.check.id.as_str()),
                Cell::new(ellipsize(&safe(&l.text), room, ellipsis)),
            ]);
        }
        let _ = writeln!(out, "{table}");
    } else {
        let _ = writeln!(out, "Checks:");
        for l in &view.checks {
            let head = format!(
                "  {:<4}  {:<id_w$}  ",
                l.check.status.as_str().to_uppercase(),
                l.check.id.as_str()
            );
            let room = width.saturating_sub(text_width(&head)).max(10);
            let _ = writeln!(out, "{head}{}", ellipsize(&safe(&l.text), room, ellipsis));
        }
    }

    // Details: what fails or warns (everything with -v).
    for d in view.details(opts.verbose) {
        let (l, c) = (d.line, d.line.check);
        out.push('\n');
        para(
            &mut out,
            &format!("{}: {}", c.id, c.title),
            &format!("[{}] ", c.status.as_str().to_uppercase()),
            "  ",
        );
        match &l.covered {
            Some(Covered::Cause) => {}
            _ => para(&mut out, &l.text, "  ", "  "),
        }
        for e in d.evidence {
            para(&mut out, &view.evidence(e), "  - ", "    ");
        }
        if d.more > 0 {
            let _ = writeln!(out, "  - ... {} more (-v shows all evidence)", d.more);
        }
        match d.fix {
            Fix::NextSteps => {
                let _ = writeln!(out, "  Fix: the next steps above");
            }
            Fix::Own(fix) => para(&mut out, fix, "  Fix: ", "       "),
            Fix::None => {}
        }
    }

    // The files, named once; the timeline points at them.
    let shown_files: Vec<(usize, &String)> = view.files.iter().enumerate().collect();
    if !shown_files.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "Files:");
        for (i, f) in shown_files {
            // A path stays on one line, whatever its spaces.
            let _ = writeln!(out, "  #{} {}", i + 1, safe(f));
        }
    }
    let tail = timeline_tail(r, opts.timeline_tail);
    if !tail.is_empty() {
        let _ = writeln!(
            out,
            "\nTimeline (last {} of {} events, UTC):",
            tail.len(),
            r.timeline.len()
        );
        for ev in tail {
            let when = ev
                .timestamp
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| format!("{:<19}", "(no time)"));
            let head = format!("  {when}  {:<18} {:<6} ", ev.kind.as_ref(), view.place(ev));
            let rest = " ".repeat(6);
            para(
                &mut out,
                &super::explain::annotate(&ev.detail),
                &head,
                &rest,
            );
        }
    }
    out
}
