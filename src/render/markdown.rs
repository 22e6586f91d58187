//! Markdown to paste into a ticket: the same order as the table, with
//! paths, URLs, commands and codes in code spans instead of backslash
//! escapes (a code span shows them verbatim in any renderer).

use std::fmt::Write;

use super::RenderOptions;
use super::view::{Covered, Fix, View, summary_of, timeline_section, ui, ui_with};
use crate::i18n::Arg;
use crate::i18n::{Rich, Segment};
use crate::model::{Report, Status};
use crate::sanitize::terminal_safe;

/// A code span that holds `w` verbatim whatever it contains (CommonMark
/// 0.31, 6.1): fenced by a backtick run longer than any run inside, and
/// padded with a space when the text starts or ends with a backtick (or
/// with a space, which the padding rule would otherwise strip).
pub(crate) fn code_span(w: &str, in_table: bool) -> String {
    let w = if in_table {
        w.replace('|', "\\|")
    } else {
        w.to_string()
    };
    if w.is_empty() {
        return String::new();
    }
    let longest = w.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if w.starts_with(['`', ' ']) || w.ends_with(['`', ' ']) {
        format!("{fence} {w} {fence}")
    } else {
        format!("{fence}{w}{fence}")
    }
}

/// Text at the start of a line that CommonMark would read as a block
/// (ATX heading, quote, list item, thematic break, fence; 0.31, 4 and 5)
/// starts with a backslash.
pub(crate) fn line_start_safe(s: String) -> String {
    let then_space = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    let hashes = s.chars().take_while(|c| *c == '#').count();
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let thematic = ['-', '*', '_'].iter().any(|m| {
        s.chars().filter(|c| c == m).count() >= 3 && s.chars().all(|c| c == *m || c == ' ')
    });
    let block = s.starts_with('>')
        || ((1..=6).contains(&hashes) && then_space(&s[hashes..]))
        || (s.starts_with(['-', '+', '*']) && then_space(&s[1..]))
        || ((1..=9).contains(&digits)
            && s[digits..].starts_with(['.', ')'])
            && then_space(&s[digits + 1..]))
        || s.starts_with("```")
        || s.starts_with("~~~")
        || thematic;
    if block { format!("\\{s}") } else { s }
}

#[cfg(test)]
#[test]
fn block_markers_at_a_line_start_are_escaped() {
    assert_eq!(line_start_safe("# x".into()), "\\# x");
    assert_eq!(line_start_safe("#1:42 ok".into()), "#1:42 ok");
    assert_eq!(line_start_safe("- x".into()), "\\- x");
    assert_eq!(line_start_safe("-x".into()), "-x");
    assert_eq!(line_start_safe("1. x".into()), "\\1. x");
    assert_eq!(line_start_safe("1.5 x".into()), "1.5 x");
    assert_eq!(line_start_safe("> x".into()), "\\> x");
    assert_eq!(line_start_safe("***".into()), "\\***");
}

/// Prose for Markdown: code spans the text already has stay as they are;
/// the rest is left as written except `|` in tables, backticks and a `](`
/// that would make a link. Which words are code is known only for typed
/// values ([`rich`]); free text (evidence, log excerpts) is escaped prose.
pub(crate) fn prose(s: &str, in_table: bool) -> String {
    let s = terminal_safe(s);
    let parts: Vec<&str> = s.split('`').collect();
    // Spans the text marks itself: single backticks around non-empty text.
    // Anything else (a double backtick, an odd count) is plain text, whose
    // backticks go in code spans of their own.
    let paired = parts.len() >= 3
        && parts.len() % 2 == 1
        && parts.iter().skip(1).step_by(2).all(|p| !p.is_empty());
    if paired {
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
        // No link or image can come from text from outside: a `]`
        // followed by `(` (inline), `[` (full reference) or `:` (a
        // definition, without which no shortcut reference links) is
        // escaped (CommonMark 0.31, 6.3 and 4.7).
        // A lone backtick is escaped too: left bare it could open a
        // code span with the next one and leave what follows it live.
        // A `<` is escaped too, so no autolink or HTML can open.
        let mut w = word
            .replace('`', "\\`")
            .replace('<', "\\<")
            .replace("](", "\\](")
            .replace("][", "\\][")
            .replace("]:", "\\]:");
        if in_table {
            w = w.replace('|', "\\|");
        }
        out.push(w);
    }
    out.join(" ")
}

/// A message for Markdown: values typed as code (paths, URLs, cmdlets,
/// builds, codes) in code spans, the catalogue's words as prose.
pub(crate) fn rich(r: &Rich, in_table: bool) -> String {
    r.0.iter()
        .map(|seg| match seg {
            Segment::Value(arg, text) if arg.is_code() => code_span(&terminal_safe(text), in_table),
            Segment::Value(_, text) | Segment::Words(text) => words(&terminal_safe(text), in_table),
        })
        .collect()
}

pub fn render(r: &Report, opts: &RenderOptions) -> String {
    let view = View::new(r, opts.verbose, opts.timeline_tail);
    let lang = view.lang;
    let colon = super::table::colon(lang);
    let mut out = String::new();
    let verdict = Arg::Key(r.verdict.as_str().to_uppercase());
    let _ = writeln!(
        out,
        "## {}\n",
        ui_with(lang, "ui-title", &[("verdict", verdict)])
    );
    let _ = writeln!(out, "_{} {}_\n", r.tool.name, r.tool.version);
    for (label, text) in &view.about {
        let _ = writeln!(out, "- **{label}{colon}** {}", prose(text, false));
    }
    out.push('\n');
    let (label, cause) = &view.cause;
    let _ = write!(out, "**{label}{colon}** {}", rich(cause, false));
    if let Some(detail) = &view.cause_detail {
        let _ = write!(out, "  \n{}", rich(detail, false));
    }
    out.push_str("\n\n");
    if let Some(ex) = &view.explains {
        let _ = writeln!(
            out,
            "**{}{colon}** {}\n",
            ui(lang, "ui-explains"),
            prose(ex, false)
        );
    }
    if !view.steps.is_empty() {
        let _ = writeln!(out, "**{}{colon}**\n", ui(lang, "ui-next-steps"));
        for (i, s) in view.steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, rich(s, false));
        }
        out.push('\n');
    }
    for a in &view.also {
        let _ = writeln!(
            out,
            "**{}{colon}** {}\n",
            ui(lang, "ui-also"),
            rich(a, false)
        );
    }
    let _ = writeln!(
        out,
        "| {} | {} | {} |\n|---|---|---|",
        ui(lang, "ui-status"),
        ui(lang, "ui-check"),
        ui(lang, "ui-summary")
    );
    for l in &view.checks {
        let c = l.check;
        let status = match c.status {
            Status::Fail | Status::Warn => format!("**{}**", c.status.as_str().to_uppercase()),
            s => s.as_str().to_uppercase(),
        };
        let text = match &l.covered {
            Some(Covered::FollowsFrom(_) | Covered::SameUpdate(_)) => prose(&l.text, true),
            _ => rich(&summary_of(lang, c), true),
        };
        let _ = writeln!(out, "| {status} | `{}` | {text} |", c.id);
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
            let _ = writeln!(
                out,
                "- {}",
                line_start_safe(prose(&view.evidence(e), false))
            );
        }
        if d.more > 0 {
            let more = ui_with(
                lang,
                "ui-more-evidence",
                &[("count", Arg::Count(d.more as u64))],
            );
            let _ = writeln!(out, "- {}", prose(&more, false));
        }
        match d.fix {
            Fix::NextSteps => {
                let _ = writeln!(
                    out,
                    "\n**{}{colon}** {}",
                    ui(lang, "ui-fix"),
                    ui(lang, "ui-fix-next-steps")
                );
            }
            Fix::Own(fix) => {
                let _ = writeln!(
                    out,
                    "\n**{}{colon}** {}",
                    ui(lang, "ui-fix"),
                    prose(fix, false)
                );
            }
            Fix::None => {}
        }
    }
    if !view.files.is_empty() {
        let _ = writeln!(out, "\n**{}{colon}**\n", ui(lang, "ui-files"));
        for (i, f) in view.files.iter().enumerate() {
            let _ = writeln!(out, "- #{} {}", i + 1, code_span(&terminal_safe(f), false));
        }
    }
    if let Some((title, tail)) = timeline_section(r, lang, opts.timeline_tail) {
        let _ = writeln!(out, "\n### {title}\n");
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
    use super::{code_span, prose};
    use crate::model::{Evidence, Report};
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Parser, Tag};

    fn report_with(text: &str) -> Report {
        let mut r = crate::report::nothing_found_report();
        for c in &mut r.checks {
            c.summary = format!("EWS answered HTTP 503 {text}");
            c.evidence.push(Evidence {
                source: None,
                path: Some(format!("C:/x/{text}.UccApilog")),
                line: Some(3),
                detail: text.to_string(),
                timestamp: None,
            });
        }
        r
    }

    /// Links, images and HTML a CommonMark parser finds in the Markdown.
    fn live(md: &str) -> Vec<String> {
        Parser::new(md)
            .filter_map(|e| match e {
                Event::Start(Tag::Link { dest_url, .. }) => Some(format!("link {dest_url}")),
                Event::Start(Tag::Image { dest_url, .. }) => Some(format!("image {dest_url}")),
                Event::Html(h) | Event::InlineHtml(h) => Some(format!("html {h}")),
                _ => None,
            })
            .collect()
    }

    fn render(text: &str) -> String {
        let opts = crate::render::RenderOptions {
            color: false,
            width: None,
            ascii: false,
            timeline_tail: 50,
            verbose: true,
        };
        super::render(&report_with(text), &opts)
    }

    #[test]
    fn a_reason_phrase_cannot_close_a_code_span_and_show_an_image() {
        let md = render("x``![t](https://evil.example/t.png)``");
        assert_eq!(live(&md), Vec::<String>::new(), "{md}");
        let md = render("` <https://evil.example/t.png>");
        assert_eq!(live(&md), Vec::<String>::new(), "{md}");
        let md = render(
            "`x` ![t](evil.png) [a][b] [b]: https://evil.example <https://evil.example> <img src=x>",
        );
        assert_eq!(live(&md), Vec::<String>::new(), "{md}");
    }

    #[test]
    fn code_spans_are_fenced_longer_than_any_run_inside() {
        assert_eq!(code_span("a`b", false), "``a`b``");
        assert_eq!(code_span("`a", false), "`` `a ``");
        assert_eq!(code_span("a``", false), "``` a`` ```");
        assert_eq!(code_span("plain", false), "`plain`");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Whatever evidence text holds, the Markdown has no link, image or
        /// HTML made from it.
        #[test]
        fn no_link_image_or_html_from_evidence(
            text in proptest::collection::vec(
                prop_oneof![
                    Just("`"), Just("``"), Just("!"), Just("["), Just("]"), Just("("), Just(")"),
                    Just("<"), Just(">"), Just(":"), Just(" "), Just("https://evil.example/t.png"),
                    Just("evil.png"), Just("www.evil.example"), Just("|"), Just("\\"), Just("#"),
                    Just("-"), Just("*"), Just("_"), Just("&"), Just("x"), Just("\n"), Just("img"),
                ],
                0..24,
            )
        ) {
            let text: String = text.concat();
            let md = render(&text);
            let found = live(&md);
            prop_assert!(found.is_empty(), "{:?} from {:?}:\n{}", found, text, md);
        }
    }

    #[test]
    fn typed_values_go_in_code_spans_and_free_text_is_escaped_prose() {
        use crate::i18n::{Arg, Lang, Msg, catalog::format};
        let step = Msg::new("step-server-enable-offline-im").with(
            "command",
            Arg::Cmdlet("Set-CsImConfiguration -Identity \"Global\" -EnableOfflineIm $True".into()),
        );
        assert_eq!(
            super::rich(&format(Lang::En, &step), false),
            "In the Skype for Business Server Management Shell, run `Set-CsImConfiguration -Identity \"Global\" -EnableOfflineIm $True`."
        );
        // Free text: nothing is guessed to be code; what Markdown would
        // read as syntax is escaped.
        assert_eq!(
            prose(r"see C:\users\x\sip_jdoe <b>", false),
            r"see C:\users\x\sip_jdoe \<b>"
        );
        assert_eq!(
            prose("[2026-11-23 09:58:02Z] ok", false),
            "[2026-11-23 09:58:02Z] ok"
        );
        assert_eq!(prose("a|b", true), "a\\|b");
        assert_eq!(
            prose("run `Get-CASMailbox <sender> | fl EwsEnabled` now", true),
            "run `Get-CASMailbox <sender> \\| fl EwsEnabled` now"
        );
        assert_eq!(
            prose("DESKTOP-TEST01 File > Options 6/14/2016", false),
            "DESKTOP-TEST01 File > Options 6/14/2016"
        );
    }
}
