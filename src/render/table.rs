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
use super::view::{CheckLine, Covered, Fix, View, timeline_section, ui, ui_with};
use super::wrap::{ellipsize, width as text_width, wrap};
use crate::i18n::Arg;
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
    let lang = view.lang;
    let mut out = String::new();
    let para = |out: &mut String, text: &str, first: &str, rest: &str| {
        for l in wrap(&safe(text), width, first, rest) {
            let _ = writeln!(out, "{l}");
        }
    };
    // A paragraph of at most `max` lines; a longer one ends in an
    // ellipsis (-v shows it whole).
    let capped = |out: &mut String, text: &str, first: &str, rest: &str, max: usize| {
        let lines = wrap(&safe(text), width, first, rest);
        let cut = lines.len() > max && !opts.verbose;
        for (i, l) in lines
            .iter()
            .enumerate()
            .take(if opts.verbose { usize::MAX } else { max })
        {
            if cut && i + 1 == max {
                let room = width.saturating_sub(text_width(ellipsis));
                let _ = writeln!(
                    out,
                    "{}",
                    ellipsize(
                        &format!("{l}{ellipsis}"),
                        room + text_width(ellipsis),
                        ellipsis
                    )
                );
            } else {
                let _ = writeln!(out, "{l}");
            }
        }
    };
    // Labels in one column, as wide as the widest (at most a third of the
    // width; a longer one is cut).
    let labels: Vec<String> = view
        .about
        .iter()
        .map(|(l, _)| l.clone())
        .chain([
            view.cause.0.clone(),
            ui(lang, "ui-explains"),
            ui(lang, "ui-also"),
        ])
        .collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l) + text_width(colon(lang)) + 1)
        .max()
        .unwrap_or(11)
        .clamp(11, width / 3);
    let indent = " ".repeat(label_w);
    let label = |l: &str| {
        let head = format!("{l}{}", colon(lang));
        let head = ellipsize(&head, label_w - 1, ellipsis);
        let pad = label_w.saturating_sub(text_width(&head));
        format!("{head}{}", " ".repeat(pad))
    };
    let verdict = Arg::Key(verdict_text(r.verdict).into());

    let _ = writeln!(
        out,
        "{}  ({} {})",
        ui_with(lang, "ui-title", &[("verdict", verdict)]),
        r.tool.name,
        r.tool.version,
    );
    out.push('\n');
    for (l, text) in &view.about {
        para(&mut out, text, &label(l), &indent);
    }
    out.push('\n');
    let (l, cause) = &view.cause;
    para(&mut out, &cause.plain(), &label(l), &indent);
    if let Some(detail) = &view.cause_detail {
        capped(&mut out, &detail.plain(), &indent, &indent, 3);
    }
    if let Some(ex) = &view.explains {
        para(&mut out, ex, &label(&ui(lang, "ui-explains")), &indent);
    }
    if !view.steps.is_empty() {
        let _ = writeln!(out, "{}{}", ui(lang, "ui-next-steps"), colon(lang));
        for (i, s) in view.steps.iter().enumerate() {
            let n = format!("  {}. ", i + 1);
            let rest = " ".repeat(n.len());
            para(&mut out, &s.plain(), &n, &rest);
        }
    }
    for a in &view.also {
        capped(
            &mut out,
            &a.plain(),
            &label(&ui(lang, "ui-also")),
            &indent,
            2,
        );
    }
    out.push('\n');

    // Every check in a box with its summary (-v), else the checks named by
    // status, one line each.
    if opts.verbose {
        checks_table(&mut out, &view, opts, boxed, width);
    } else {
        let _ = writeln!(out, "{}{}", ui(lang, "ui-checks"), colon(lang));
        for status in [
            Status::Fail,
            Status::Warn,
            Status::Info,
            Status::Pass,
            Status::Skip,
        ] {
            let ids: Vec<&str> = view
                .checks
                .iter()
                .filter(|l| l.check.status == status)
                .map(|l| l.check.id.as_str())
                .collect();
            if !ids.is_empty() {
                let head = format!("  {:<5} ", status.as_str().to_uppercase());
                para(&mut out, &ids.join(", "), &head, &" ".repeat(head.len()));
            }
        }
    }

    // Details: every check's summary, evidence and fix, with -v.
    for d in view.details(true).into_iter().filter(|_| opts.verbose) {
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
            let more = ui_with(
                lang,
                "ui-more-evidence",
                &[("count", Arg::Count(d.more as u64))],
            );
            let _ = writeln!(out, "  - {more}");
        }
        let fix = ui(lang, "ui-fix");
        match d.fix {
            Fix::NextSteps => {
                let _ = writeln!(out, "  {fix}: {}", ui(lang, "ui-fix-next-steps"));
            }
            Fix::Own(own) => {
                let head = format!("  {fix}: ");
                para(&mut out, own, &head, &" ".repeat(text_width(&head)))
            }
            Fix::None => {}
        }
    }

    // The files, named once; the timeline points at them.
    if opts.verbose || opts.timeline_tail > 0 {
        let shown_files: Vec<(usize, &String)> = view.files.iter().enumerate().collect();
        if !shown_files.is_empty() {
            out.push('\n');
            let _ = writeln!(out, "{}{}", ui(lang, "ui-files"), colon(lang));
            for (i, f) in shown_files {
                // A path stays on one line, whatever its spaces.
                let _ = writeln!(out, "  #{} {}", i + 1, safe(f));
            }
        }
    }
    if let Some((title, tail)) = timeline_section(r, lang, opts.timeline_tail) {
        let _ = writeln!(out, "\n{title}{}", colon(lang));
        for ev in tail {
            let when = ev
                .timestamp
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_else(|| format!("{:<19}", ui(lang, "ui-no-time")));
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
    // The answer again where the screen ends: the verdict and step 1.
    out.push('\n');
    let _ = writeln!(out, "{}", ellipsize(&safe(&view.recap), width, ellipsis));
    if !opts.verbose {
        let _ = writeln!(out, "{}", ui(lang, "ui-verbose-hint"));
    }
    out
}

/// The colon after a label: French sets a no-break space before it.
pub(crate) fn colon(lang: crate::i18n::Lang) -> &'static str {
    match lang {
        crate::i18n::Lang::Fr => "\u{a0}:",
        _ => ":",
    }
}

/// Every check in one table: status, id and summary, worst first.
fn checks_table(
    out: &mut String,
    view: &View<'_>,
    opts: &RenderOptions,
    boxed: bool,
    width: usize,
) {
    let lang = view.lang;
    let ellipsis = if opts.ascii { "..." } else { "…" };
    let safe = |s: &str| terminal_safe(s).into_owned();
    let listed: Vec<&CheckLine> = view.checks.iter().collect();
    let id_w = listed
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
            .set_header(vec![
                ui(lang, "ui-status"),
                ui(lang, "ui-check"),
                ui(lang, "ui-summary"),
            ]);
        if opts.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        for l in &listed {
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
        let _ = writeln!(out, "{}{}", ui(lang, "ui-checks"), colon(lang));
        for l in &listed {
            let head = format!(
                "  {:<4}  {:<id_w$}  ",
                l.check.status.as_str().to_uppercase(),
                l.check.id.as_str()
            );
            let room = width.saturating_sub(text_width(&head)).max(10);
            let _ = writeln!(out, "{head}{}", ellipsize(&safe(&l.text), room, ellipsis));
        }
    }
}
