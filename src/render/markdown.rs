//! Markdown to paste into a ticket.

use std::fmt::Write;

use super::{
    EVIDENCE_SHOWN, RenderOptions, client_line, diagnosis_lines, evidence_line, mailbox_line,
    profile_line, watch_lines,
};
use crate::model::{Report, Status};
use crate::sanitize::markdown_safe;

pub fn render(r: &Report, opts: &RenderOptions) -> String {
    let md = |s: &str| markdown_safe(s);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Offline IM diagnosis: {}\n",
        r.verdict.as_str().to_uppercase()
    );
    let _ = writeln!(
        out,
        "_{} {}, generated {}_\n",
        r.tool.name,
        r.tool.version,
        r.generated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    for (label, text) in diagnosis_lines(r) {
        let _ = writeln!(out, "**{label}:** {}  ", md(&text));
    }
    out.push('\n');
    let _ = writeln!(out, "- **Client:** {}", md(&client_line(r)));
    let _ = writeln!(out, "- **Mailbox:** {}", md(&mailbox_line(r)));
    for p in &r.profiles {
        let _ = writeln!(out, "- **Profile:** {}", md(&profile_line(p)));
    }
    for (i, line) in watch_lines(r).iter().enumerate() {
        let label = if i == 0 { "Watch" } else { "Message" };
        let _ = writeln!(out, "- **{label}:** {}", md(line));
    }
    let _ = writeln!(out, "\n| Status | Check | Summary |\n|---|---|---|");
    for c in &r.checks {
        let status = match c.status {
            Status::Fail | Status::Warn => format!("**{}**", c.status.as_str().to_uppercase()),
            s => s.as_str().to_uppercase(),
        };
        let _ = writeln!(out, "| {status} | `{}` | {} |", c.id, md(&c.summary));
    }
    for c in r
        .checks
        .iter()
        .filter(|c| opts.verbose || matches!(c.status, Status::Fail | Status::Warn))
    {
        let _ = writeln!(
            out,
            "\n### {} `{}`: {}\n",
            c.status.as_str().to_uppercase(),
            c.id,
            md(&c.title)
        );
        let cap = if opts.verbose {
            usize::MAX
        } else {
            EVIDENCE_SHOWN
        };
        for e in c.evidence.iter().take(cap) {
            let _ = writeln!(out, "- {}", md(&evidence_line(e)));
        }
        if c.evidence.len() > cap {
            let _ = writeln!(
                out,
                "- ... {} more (`-v` shows all evidence)",
                c.evidence.len() - cap
            );
        }
        if let Some(fix) = &c.remediation {
            let _ = writeln!(out, "\n**Fix:** {}", md(fix));
        }
    }
    if opts.timeline_tail > 0 && !r.timeline.is_empty() {
        let skip = r.timeline.len().saturating_sub(opts.timeline_tail);
        let _ = writeln!(
            out,
            "\n### Timeline (last {} of {})\n",
            r.timeline.len() - skip,
            r.timeline.len()
        );
        let _ = writeln!(
            out,
            "| Time (UTC) | Event | Where | Detail |\n|---|---|---|---|"
        );
        for ev in &r.timeline[skip..] {
            let when = ev
                .timestamp
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {when} | {} | {}:{} | {} |",
                md(ev.kind.as_ref()),
                md(&ev.path),
                ev.line,
                md(&ev.detail)
            );
        }
    }
    out
}
