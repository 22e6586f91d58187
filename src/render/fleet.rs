//! The fleet picture (`aggregate`) as table, JSON or Markdown.

use std::fmt::Write;

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{ContentArrangement, Table};

use super::{Format, RenderOptions};
use crate::fleet::Fleet;
use crate::model::human_age;
use crate::sanitize::{markdown_safe, terminal_safe};

pub fn render(f: &Fleet, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Json => super::json_document(f),
        Format::Ndjson => super::ndjson::fleet(f),
        // `aggregate --format html` is refused on the command line.
        Format::Markdown | Format::Html => markdown(f),
        Format::Table | Format::Text => table(f, opts),
    }
}

fn headline(f: &Fleet) -> String {
    let mut s = format!(
        "{} report(s) from {} machine(s)",
        f.reports_read, f.machines
    );
    if f.superseded > 0 {
        s.push_str(&format!(
            " ({} older report(s) of the same machines ignored)",
            f.superseded
        ));
    }
    if f.malformed_count > 0 {
        s.push_str(&format!(", {} malformed", f.malformed_count));
    }
    s
}

fn new_table(opts: &RenderOptions, header: Vec<&str>) -> Table {
    let mut t = Table::new();
    t.load_style(if opts.ascii {
        ASCII_FULL_CONDENSED
    } else {
        UTF8_FULL_CONDENSED
    })
    .set_content_arrangement(ContentArrangement::Dynamic)
    .set_header(header);
    if let Some(w) = opts.width {
        t.set_width(w);
    }
    t.force_no_tty();
    t
}

fn table(f: &Fleet, opts: &RenderOptions) -> String {
    let safe = |s: &str| terminal_safe(s).into_owned();
    let mut out = String::new();
    let _ = writeln!(out, "Fleet: {}", headline(f));
    let _ = writeln!(
        out,
        "Verdicts: fail {}, warn {}, ok {}\n",
        f.verdicts.fail, f.verdicts.warn, f.verdicts.ok
    );
    if !f.causes.is_empty() {
        let mut t = new_table(opts, vec!["Cause", "Code", "Machines"]);
        for c in &f.causes {
            t.add_row(vec![
                safe(c.cause.as_deref().unwrap_or("(no single cause)")),
                safe(&c.code),
                c.machines.to_string(),
            ]);
        }
        let _ = writeln!(out, "Causes to fix, most machines first:\n{t}\n");
    }
    if !f.symptoms.is_empty() {
        let mut t = new_table(opts, vec!["Symptom", "Machines"]);
        for s in &f.symptoms {
            t.add_row(vec![safe(&s.check), s.machines.to_string()]);
        }
        let _ = writeln!(
            out,
            "Symptoms their cause explains (they clear when it is fixed):\n{t}\n"
        );
    }
    if !f.checks.is_empty() {
        let mut t = new_table(opts, vec!["Check", "Fail", "Warn"]);
        for c in &f.checks {
            t.add_row(vec![safe(&c.id), c.fail.to_string(), c.warn.to_string()]);
        }
        let _ = writeln!(
            out,
            "Every failing or warning check (machines, symptoms included):\n{t}\n"
        );
    }
    if !f.codes.is_empty() {
        let mut t = new_table(opts, vec!["Check", "Reason code", "Status", "Machines"]);
        for c in f.codes.iter().take(crate::fleet::LIST_LIMIT) {
            t.add_row(vec![
                safe(&c.check),
                safe(&c.code),
                safe(&c.status),
                c.machines.to_string(),
            ]);
        }
        let _ = writeln!(out, "By reason code:\n{t}\n");
    }
    if !f.builds_below_thresholds.is_empty() {
        let mut t = new_table(opts, vec!["Channel", "Below", "Machines", "Builds"]);
        for g in &f.builds_below_thresholds {
            t.add_row(vec![
                safe(&g.channel),
                g.threshold.clone(),
                g.machines.to_string(),
                g.builds.join(", "),
            ]);
        }
        let _ = writeln!(
            out,
            "Builds below the Offline IM thresholds, by channel:\n{t}\n"
        );
    }
    if f.machines_with_stuck_messages > 0 {
        let mut t = new_table(opts, vec!["Machine", "User", "Stuck", "Oldest", "Report"]);
        for s in &f.stuck {
            t.add_row(vec![
                safe(&s.machine),
                safe(&s.user),
                s.stuck.to_string(),
                s.oldest_stuck_seconds.map(human_age).unwrap_or_default(),
                safe(&s.report),
            ]);
        }
        let _ = writeln!(
            out,
            "Machines with stuck messages: {} (most first{}):\n{t}\n",
            f.machines_with_stuck_messages,
            if f.machines_with_stuck_messages as usize > f.stuck.len() {
                format!(", first {}", f.stuck.len())
            } else {
                String::new()
            }
        );
    }
    if f.malformed_count > 0 {
        let _ = writeln!(out, "Malformed reports: {}", f.malformed_count);
        for m in &f.malformed {
            let _ = writeln!(out, "  - {}: {}", safe(&m.report), safe(&m.reason));
        }
    }
    out
}

fn markdown(f: &Fleet) -> String {
    let md = |s: &str| markdown_safe(s);
    let mut out = String::new();
    let _ = writeln!(out, "## Offline IM fleet report\n\n{}\n", md(&headline(f)));
    let _ = writeln!(
        out,
        "| Verdict | Machines |\n|---|---|\n| fail | {} |\n| warn | {} |\n| ok | {} |\n",
        f.verdicts.fail, f.verdicts.warn, f.verdicts.ok
    );
    if !f.causes.is_empty() {
        let _ = writeln!(
            out,
            "### Causes to fix\n\n| Cause | Code | Machines |\n|---|---|---|"
        );
        for c in &f.causes {
            let cause = c.cause.as_deref().map_or_else(
                || "(no single cause)".to_string(),
                |c| format!("`{}`", md(c)),
            );
            let _ = writeln!(out, "| {cause} | `{}` | {} |", md(&c.code), c.machines);
        }
        out.push('\n');
    }
    if !f.symptoms.is_empty() {
        let _ = writeln!(
            out,
            "### Symptoms their cause explains\n\n| Symptom | Machines |\n|---|---|"
        );
        for s in &f.symptoms {
            let _ = writeln!(out, "| `{}` | {} |", md(&s.check), s.machines);
        }
        out.push('\n');
    }
    if !f.checks.is_empty() {
        let _ = writeln!(
            out,
            "### Every failing or warning check\n\n| Check | Fail | Warn |\n|---|---|---|"
        );
        for c in &f.checks {
            let _ = writeln!(out, "| `{}` | {} | {} |", md(&c.id), c.fail, c.warn);
        }
        out.push('\n');
    }
    if !f.codes.is_empty() {
        let _ = writeln!(
            out,
            "### By reason code\n\n| Check | Code | Status | Machines |\n|---|---|---|---|"
        );
        for c in f.codes.iter().take(crate::fleet::LIST_LIMIT) {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} |",
                md(&c.check),
                md(&c.code),
                md(&c.status),
                c.machines
            );
        }
        out.push('\n');
    }
    if !f.builds_below_thresholds.is_empty() {
        let _ = writeln!(
            out,
            "### Builds below the thresholds\n\n| Channel | Below | Machines | Builds |\n|---|---|---|---|"
        );
        for g in &f.builds_below_thresholds {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&g.channel),
                md(&g.threshold),
                g.machines,
                g.builds.join(", ")
            );
        }
        out.push('\n');
    }
    if f.machines_with_stuck_messages > 0 {
        let _ = writeln!(
            out,
            "### Machines with stuck messages ({})\n\n| Machine | User | Stuck | Oldest |\n|---|---|---|---|",
            f.machines_with_stuck_messages
        );
        for s in &f.stuck {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&s.machine),
                md(&s.user),
                s.stuck,
                s.oldest_stuck_seconds.map(human_age).unwrap_or_default()
            );
        }
        out.push('\n');
    }
    if f.malformed_count > 0 {
        let _ = writeln!(out, "### Malformed reports ({})\n", f.malformed_count);
        for m in &f.malformed {
            let _ = writeln!(out, "- {}: {}", md(&m.report), md(&m.reason));
        }
    }
    out
}
