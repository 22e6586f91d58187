//! Renderers: one typed [`Report`] in, text out. No renderer knows a log
//! pattern or a check rule; no check knows a format (hyperfine's exporters).

pub mod catalog;
mod explain;
pub mod fleet;
mod html;
mod markdown;
pub mod ndjson;
mod table;
mod view;
pub mod wrap;

use crate::model::Report;
pub use crate::model::human_age;

/// An output format. The command line's spelling of each is the binary's
/// business (clap stays out of the library).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A table for a person.
    #[default]
    Table,
    /// One JSON document (schema_version 1).
    Json,
    /// Markdown to paste into a ticket.
    Markdown,
    /// Newline-delimited JSON: a header record, then one record per check (for SIEM pipelines).
    Ndjson,
    /// One self-contained HTML file (inline CSS and SVG, no script) for a ticket.
    Html,
    /// Plain text for ticket fields that do not render Markdown.
    Text,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// ANSI colour for statuses (only when stdout is a terminal and NO_COLOR is unset).
    pub color: bool,
    /// Width in columns that table and text wrap at; `None`: 100.
    pub width: Option<u16>,
    /// ASCII borders and ellipses (output that is not a Unicode console).
    pub ascii: bool,
    /// How many timeline events the table and Markdown show (the newest).
    pub timeline_tail: usize,
    /// Every check's evidence, passing ones included, uncapped (`-v`).
    pub verbose: bool,
}

/// How many evidence lines per check the default (not verbose) table and Markdown show.
pub const EVIDENCE_SHOWN: usize = 3;

pub fn render(report: &Report, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Table => table::render(report, opts, true),
        Format::Text => table::render(report, opts, false),
        Format::Json => json(report),
        Format::Markdown => markdown::render(report, opts),
        Format::Ndjson => ndjson::report(report),
        Format::Html => html::render(report, opts),
    }
}

pub fn json(report: &Report) -> String {
    json_document(report)
}

/// Every JSON document the tool writes (the report, the fleet, the checks
/// catalog): pretty-printed, safe on a terminal ([`crate::sanitize::json_safe`]),
/// ASCII ([`ascii_json`]), ending in a line end.
pub fn json_document<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Serialising plain data structures cannot fail; an empty document would
    // still be caught by any consumer.
    let mut s = ascii_json(&crate::sanitize::json_safe(
        serde_json::to_string_pretty(value).unwrap_or_default(),
    ));
    s.push('\n');
    s
}

/// Serialized JSON with every non-ASCII character written as a `\uXXXX`
/// escape (a surrogate pair above U+FFFF), so that any code page and any
/// capture (cmd's `>`, PowerShell's `Out-File`) carries it unchanged. Outside
/// strings JSON is ASCII already, so escaping every such character is safe.
pub fn ascii_json(json: &str) -> String {
    if json.is_ascii() {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// The one-line client description shared by table and Markdown.
pub(crate) fn client_line(r: &Report) -> String {
    use crate::i18n::Arg;
    use view::{ui, ui_with};
    let lang = r.lang;
    let build = r
        .client
        .build
        .clone()
        .unwrap_or_else(|| ui(lang, "ui-unknown-build"));
    let source = r
        .client
        .source
        .map(|s| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        })
        .map(|s| {
            let key = format!("ui-source-{}", s.replace('.', "-"));
            let source = if crate::i18n::catalog::has(lang, &key) {
                Arg::Text(ui(lang, &key))
            } else {
                Arg::Code(s)
            };
            format!(" ({})", ui_with(lang, "ui-from", &[("source", source)]))
        })
        .unwrap_or_default();
    let install = serde_json::to_value(r.client.install)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let install = ui_with(
        lang,
        "ui-install",
        &[(
            "install",
            Arg::Text(ui(lang, &format!("ui-install-{install}"))),
        )],
    );
    let channel = r
        .client
        .channel
        .as_ref()
        .map(|c| {
            format!(
                ", {}",
                ui_with(lang, "ui-channel", &[("channel", Arg::Text(c.clone()))])
            )
        })
        .unwrap_or_default();
    format!("{build}{source}, {install}{channel}")
}

pub(crate) fn mailbox_line(r: &Report) -> String {
    let mut s = view::ui(
        r.lang,
        &format!("ui-mailbox-{}", r.mailbox.location.as_str()),
    );
    if let Some(u) = &r.mailbox.ews_url {
        s.push_str(&format!(
            " ({})",
            view::ui_with(
                r.lang,
                "ui-ews",
                &[("url", crate::i18n::Arg::Url(u.clone()))]
            )
        ));
    }
    s
}

pub(crate) fn profile_line(lang: crate::i18n::Lang, p: &crate::model::ProfileReport) -> String {
    use crate::i18n::Arg;
    view::ui_with(
        lang,
        "ui-profile-line",
        &[
            ("address", Arg::Address(p.sip_address.clone())),
            ("version", Arg::Code(p.office_version.clone())),
            ("spooled", Arg::Count(p.spooler.files)),
            ("stuck", Arg::Count(p.spooler.stuck)),
            (
                "oldest",
                match p.spooler.oldest_age_seconds {
                    Some(a) => Arg::Age(a),
                    None => Arg::Key("none".into()),
                },
            ),
        ],
    )
}

pub(crate) fn watch_lines(r: &Report) -> Vec<String> {
    let Some(w) = &r.watch else {
        return Vec::new();
    };
    let t = |d: &chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d %H:%M:%SZ").to_string();
    let mut lines = vec![format!(
        "{} to {} ({}, {}; {}), {} log entries written meanwhile",
        t(&w.started_at),
        t(&w.ended_at),
        human_age((w.ended_at - w.started_at).num_seconds()),
        match w.ended_by {
            crate::model::WatchEnd::Settled => "ended when every message was delivered or stuck",
            crate::model::WatchEnd::Duration => "ended when --for elapsed",
            crate::model::WatchEnd::Interrupted => "interrupted",
        },
        w.mode,
        w.log_entries
    )];
    if w.messages.is_empty() {
        lines.push("No message appeared in a History Spooler during the watch.".into());
    }
    for m in &w.messages {
        let to = if m.recipients.is_empty() {
            String::new()
        } else {
            format!(" to {}", m.recipients.join(", "))
        };
        let after = m
            .gone_at
            .map(|g| {
                format!(
                    ", left after {}",
                    human_age((g - m.first_seen).num_seconds())
                )
            })
            .unwrap_or_default();
        lines.push(format!(
            "{}: {} ({}){to}, spooled {}{after}",
            m.outcome.as_str().to_uppercase(),
            m.file,
            m.profile,
            t(&m.first_seen)
        ));
    }
    lines
}

pub(crate) fn evidence_line(e: &crate::model::Evidence) -> String {
    let mut s = String::new();
    if let Some(p) = &e.path {
        s.push_str(p);
        if let Some(l) = e.line {
            s.push_str(&format!(":{l}"));
        }
        s.push_str(": ");
    }
    if let Some(t) = e.timestamp {
        s.push_str(&format!("[{}] ", t.format("%Y-%m-%d %H:%M:%SZ")));
    }
    s.push_str(&e.detail);
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_is_ascii_and_decodes_to_the_same_text() {
        let raw = serde_json::to_string(&"j\u{fc}rgen \u{1f600}").unwrap();
        let a = super::ascii_json(&raw);
        assert!(a.is_ascii());
        assert_eq!(a, r#""j\u00fcrgen \ud83d\ude00""#);
        let back: String = serde_json::from_str(&a).unwrap();
        assert_eq!(back, "j\u{fc}rgen \u{1f600}");
    }
}
