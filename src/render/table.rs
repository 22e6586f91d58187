//! The human view: a summary table, then details for what is not passing.

use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

use super::{
    EVIDENCE_SHOWN, RenderOptions, client_line, diagnosis_lines, evidence_line, mailbox_line,
    profile_line, watch_lines,
};
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

pub fn render(r: &Report, opts: &RenderOptions) -> String {
    let mut out = String::new();
    let safe = |s: &str| terminal_safe(s).into_owned();
    let _ = writeln!(
        out,
        "Offline IM diagnosis: {}  ({} {}, {})",
        verdict_text(r.verdict),
        r.tool.name,
        r.tool.version,
        r.generated_at.format("%Y-%m-%d %H:%M:%SZ")
    );
    for (label, text) in diagnosis_lines(r) {
        let label = format!("{label}:");
        let _ = writeln!(out, "{label:<10} {}", safe(&text));
    }
    out.push('\n');
    let _ = writeln!(out, "Client:    {}", safe(&client_line(r)));
    let _ = writeln!(out, "Mailbox:   {}", safe(&mailbox_line(r)));
    for (i, p) in r.profiles.iter().enumerate() {
        let label = if i == 0 { "Profile:" } else { "" };
        let _ = writeln!(out, "{label:<10} {}", safe(&profile_line(p)));
    }
    for (i, line) in watch_lines(r).iter().enumerate() {
        let label = if i == 0 { "Watch:" } else { "" };
        let _ = writeln!(out, "{label:<10} {}", safe(line));
    }
    out.push('\n');

    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(vec!["Status", "Check", "Summary"]);
    if let Some(w) = opts.width {
        table.set_width(w);
    }
    if opts.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    for c in &r.checks {
        let mut status = Cell::new(c.status.as_str().to_uppercase());
        if opts.color
            && let Some(col) = status_color(c.status)
        {
            status = status.fg(col);
        }
        table.add_row(vec![
            status,
            Cell::new(c.id.as_str()),
            Cell::new(safe(&c.summary)),
        ]);
    }
    let _ = writeln!(out, "{table}");

    // Details: what is not passing (every check with -v), evidence capped
    // unless -v, so the first screen stays short.
    let shown: Vec<_> = r
        .checks
        .iter()
        .filter(|c| opts.verbose || matches!(c.status, Status::Fail | Status::Warn))
        .collect();
    for c in shown {
        let _ = writeln!(
            out,
            "\n[{}] {}: {}",
            c.status.as_str().to_uppercase(),
            c.id,
            c.title
        );
        let cap = if opts.verbose {
            usize::MAX
        } else {
            EVIDENCE_SHOWN
        };
        for e in c.evidence.iter().take(cap) {
            let _ = writeln!(out, "  - {}", safe(&evidence_line(e)));
        }
        if c.evidence.len() > cap {
            let _ = writeln!(
                out,
                "  - ... {} more (-v shows all evidence)",
                c.evidence.len() - cap
            );
        }
        if let Some(fix) = &c.remediation {
            let _ = writeln!(out, "  Fix: {}", safe(fix));
        }
    }
    if opts.timeline_tail > 0 && !r.timeline.is_empty() {
        let skip = r.timeline.len().saturating_sub(opts.timeline_tail);
        let _ = writeln!(
            out,
            "\nTimeline (last {} of {} events):",
            r.timeline.len() - skip,
            r.timeline.len()
        );
        for ev in &r.timeline[skip..] {
            let when = ev
                .timestamp
                .map(|t| t.format("%Y-%m-%d %H:%M:%SZ").to_string())
                .unwrap_or_else(|| "(no time)".into());
            let _ = writeln!(
                out,
                "  {when}  {:<18} {}:{}  {}",
                ev.kind,
                safe(&ev.path),
                ev.line,
                safe(&ev.detail)
            );
        }
    }
    out
}
