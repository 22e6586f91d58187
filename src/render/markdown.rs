//! Markdown to paste into a ticket: the same order as the table, with
//! paths, URLs, commands and codes in code spans instead of backslash
//! escapes (a code span shows them verbatim in any renderer).

use std::fmt::Write;

use super::RenderOptions;
use super::view::{Fix, View, timeline_tail};
use crate::model::{Report, Status};
use crate::sanitize::terminal_safe;

/// Whether a word is something to copy verbatim: a URL, a path, an option,
/// a command, a code or anything Markdown would read as syntax.
fn is_code(w: &str) -> bool {
    let cmdlet = {
        let mut parts = w.splitn(2, '-');
        match (parts.next(), parts.next()) {
            (Some(a), Some(b)) => {
                a.len() > 1
                    && b.len() > 1
                    && a.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && a.chars().any(|c| c.is_ascii_lowercase())
                    && b.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }
            _ => false,
        }
    };
    w.contains("://")
        || w.contains('\\')
        || w.starts_with('/')
        || (w.matches('/').count() >= 2 && w.chars().any(|c| c.is_ascii_alphabetic()))
        || w.starts_with("--")
        || (w.len() > 2
            && w.starts_with('-')
            && w[1..].starts_with(|c: char| c.is_ascii_uppercase()))
        || w.starts_with("0x")
        || w.starts_with('$')
        || cmdlet
        || (w.len() > 1
            && w.chars()
                .any(|c| matches!(c, '_' | '<' | '>' | '*' | '`' | '|')))
}

fn code_span(w: &str, in_table: bool) -> String {
    let w = if in_table {
        w.replace('|', "\\|")
    } else {
        w.to_string()
    };
    if w.contains('`') {
        format!("`` {w} ``")
    } else {
        format!("`{w}`")
    }
}

/// Prose for Markdown: code spans the text already has stay as they are;
/// elsewhere words that are code go in code spans, the rest is left as
/// written except `|` in tables and a `](` that would make a link.
pub(crate) fn prose(s: &str, in_table: bool) -> String {
    let s = terminal_safe(s);
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() >= 3 && parts.len() % 2 == 1 {
        return parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if i % 2 == 1 {
                    code_span(p, in_table)
                } else {
                    words(p, in_table)
                }
            })
            .collect();
    }
    words(&s, in_table)
}

fn words(s: &str, in_table: bool) -> String {
    let mut out = Vec::new();
    for word in s.split(' ') {
        // Keep surrounding punctuation out of the code span.
        let start = word
            .find(|c: char| !matches!(c, '(' | '"' | '\''))
            .unwrap_or(word.len());
        let end = word
            .rfind(|c: char| !matches!(c, ',' | ';' | ':' | '.' | ')' | '"' | '\''))
            .map_or(start, |i| {
                i + word[i..].chars().next().map_or(1, char::len_utf8)
            });
        let (pre, core, post) = if start < end {
            (&word[..start], &word[start..end], &word[end..])
        } else {
            ("", word, "")
        };
        if !core.is_empty() && is_code(core) {
            out.push(format!("{pre}{}{post}", code_span(core, in_table)));
        } else {
            let mut w = word.replace("](", "]\\(");
            if in_table {
                w = w.replace('|', "\\|");
            }
            out.push(w);
        }
    }
    out.join(" ")
}

pub fn render(r: &Report, opts: &RenderOptions) -> String {
    let view = View::new(r, opts.verbose, opts.timeline_tail);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Offline IM diagnosis: {}\n",
        r.verdict.as_str().to_uppercase()
    );
    let _ = writeln!(out, "_{} {}_\n", r.tool.name, r.tool.version);
    for (label, text) in &view.about {
        let _ = writeln!(out, "- **{label}:** {}", prose(text, false));
    }
    out.push('\n');
    let (label, cause) = &view.cause;
    let _ = writeln!(out, "**{label}:** {}\n", prose(cause, false));
    if let Some(ex) = &view.explains {
        let _ = writeln!(out, "**Explains:** {}\n", prose(ex, false));
    }
    if !view.steps.is_empty() {
        let _ = writeln!(out, "**Next steps:**\n");
        for (i, s) in view.steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, prose(s, false));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "| Status | Check | Summary |\n|---|---|---|");
    for l in &view.checks {
        let c = l.check;
        let status = match c.status {
            Status::Fail | Status::Warn => format!("**{}**", c.status.as_str().to_uppercase()),
            s => s.as_str().to_uppercase(),
        };
        let _ = writeln!(out, "| {status} | `{}` | {} |", c.id, prose(&l.text, true));
    }
    for d in view.details(opts.verbose) {
        let c = d.line.check;
        let _ = writeln!(
            out,
            "\n### {} `{}`: {}\n",
            c.status.as_str().to_uppercase(),
            c.id,
            prose(&c.title, false)
        );
        for e in d.evidence {
            let _ = writeln!(out, "- {}", prose(&view.evidence(e), false));
        }
        if d.more > 0 {
            let _ = writeln!(out, "- ... {} more (`-v` shows all evidence)", d.more);
        }
        match d.fix {
            Fix::NextSteps => {
                let _ = writeln!(out, "\n**Fix:** the next steps above");
            }
            Fix::Own(fix) => {
                let _ = writeln!(out, "\n**Fix:** {}", prose(fix, false));
            }
            Fix::None => {}
        }
    }
    if !view.files.is_empty() {
        let _ = writeln!(out, "\n**Files:**\n");
        for (i, f) in view.files.iter().enumerate() {
            let _ = writeln!(out, "- #{} {}", i + 1, code_span(&terminal_safe(f), false));
        }
    }
    let tail = timeline_tail(r, opts.timeline_tail);
    if !tail.is_empty() {
        let _ = writeln!(
            out,
            "\n### Timeline (last {} of {})\n",
            tail.len(),
            r.timeline.len()
        );
        let _ = writeln!(
            out,
            "| Time (UTC) | Event | Where | Detail |\n|---|---|---|---|"
        );
        for ev in tail {
            let when = ev
                .timestamp
                .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {when} | {} | {} | {} |",
                ev.kind.as_ref(),
                view.place(ev),
                prose(&super::explain::annotate(&ev.detail), true)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::prose;

    #[test]
    fn paths_and_commands_go_in_code_spans() {
        assert_eq!(
            prose(
                r"see C:\users\x\sip_jdoe, then Set-CsImConfiguration -EnableOfflineIm $True.",
                false
            ),
            r"see `C:\users\x\sip_jdoe`, then `Set-CsImConfiguration` `-EnableOfflineIm` `$True`."
        );
        assert_eq!(
            prose("[2026-11-23 09:58:02Z] ok", false),
            "[2026-11-23 09:58:02Z] ok"
        );
        assert_eq!(prose("a|b", true), "`a\\|b`");
        assert_eq!(prose("https://x/y?a=1", false), "`https://x/y?a=1`");
        assert_eq!(
            prose("run `Get-CASMailbox <sender> | fl EwsEnabled` now", true),
            "run `Get-CASMailbox <sender> \\| fl EwsEnabled` now"
        );
        assert_eq!(
            prose("EWS/autodiscover #1:35", false),
            "EWS/autodiscover #1:35"
        );
        assert_eq!(
            prose("DESKTOP-TEST01 File > Options 6/14/2016", false),
            "DESKTOP-TEST01 File > Options 6/14/2016"
        );
    }
}
