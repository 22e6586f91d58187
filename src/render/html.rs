//! One self-contained HTML file for a ticket: the diagnosis first, every
//! check with its evidence and remediation, and an SVG timeline around the
//! stuck messages. Inline CSS and SVG only: no script, and nothing loaded
//! from anywhere else (a Content-Security-Policy of `default-src 'none'`
//! says so to the browser too). Every text from the report is escaped.

use std::fmt::Write;

use chrono::{DateTime, Duration, Utc};

use super::RenderOptions;
use super::view::{Covered, View, ui, ui_with};
use crate::i18n::{Arg, Rich, Segment};
use crate::model::{Report, TimelineEvent};
use crate::sanitize::terminal_safe;

/// Text for HTML content and attribute values: control and bidi characters
/// shown as escapes (as in the terminal), then the five HTML specials.
pub(crate) fn esc(s: &str) -> String {
    let t = terminal_safe(s);
    let mut out = String::with_capacity(t.len() + 16);
    for c in t.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --fail: #b42318; --warn: #b54708; --pass: #067647; --info: #175cd3; --skip: #667085; --ink: #101828; --muted: #475467; --line: #d0d5dd; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); margin: 0 auto; padding: 1.5rem; max-width: 70rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 0 0 .25rem; }
code, .mono { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.meta { color: var(--muted); margin: 0; }
.badge { display: inline-block; min-width: 3.5rem; text-align: center; border-radius: .25rem; padding: 0 .4rem; color: #fff; font-weight: 600; font-size: .85em; }
.s-fail { background: var(--fail); } .s-warn { background: var(--warn); } .s-pass, .s-ok { background: var(--pass); } .s-info { background: var(--info); } .s-skip { background: var(--skip); }
.diagnosis { border: 2px solid var(--line); border-left: .5rem solid var(--skip); border-radius: .375rem; padding: .75rem 1rem; margin: 1rem 0; }
.diagnosis.v-fail { border-left-color: var(--fail); } .diagnosis.v-warn { border-left-color: var(--warn); } .diagnosis.v-ok { border-left-color: var(--pass); }
.diagnosis dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
.diagnosis dt { font-weight: 600; }
.diagnosis dd { margin: 0; overflow-wrap: anywhere; }
.facts { list-style: none; padding: 0; margin: 0; }
.facts li { overflow-wrap: anywhere; }
.check { border: 1px solid var(--line); border-radius: .375rem; padding: .6rem .9rem; margin: .6rem 0; break-inside: avoid; }
.check.st-fail { border-left: .35rem solid var(--fail); } .check.st-warn { border-left: .35rem solid var(--warn); }
.check p { margin: .25rem 0; overflow-wrap: anywhere; }
.check ul { margin: .25rem 0; padding-left: 1.25rem; }
.check li { overflow-wrap: anywhere; font-size: .92em; }
.fix { background: #f9fafb; border-radius: .25rem; padding: .35rem .5rem; }
.timeline svg { width: 100%; height: auto; border: 1px solid var(--line); border-radius: .375rem; background: #fff; }
table.events { border-collapse: collapse; width: 100%; font-size: .88em; margin-top: .5rem; }
table.events th, table.events td { border-bottom: 1px solid var(--line); padding: .2rem .4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: .85em; margin-top: 2rem; }
@media print {
  body { font-size: 10pt; padding: 0; max-width: none; }
  .badge { color: #000; border: 1px solid #000; background: none; }
  .check, .diagnosis, .timeline { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"#;

/// A message for HTML: values typed as code in `<code>`, words escaped.
fn rich(r: &Rich) -> String {
    r.0.iter()
        .map(|seg| match seg {
            Segment::Value(arg, text) if arg.is_code() => format!("<code>{}</code>", esc(text)),
            Segment::Value(_, text) | Segment::Words(text) => esc(text),
        })
        .collect()
}

pub fn render(r: &Report, opts: &RenderOptions) -> String {
    let view = View::new(r, true, usize::MAX);
    let _ = opts;
    let lang = view.lang;
    let mut o = String::new();
    let verdict = r.verdict.as_str();
    let title = ui_with(
        lang,
        "ui-title",
        &[("verdict", Arg::Key(verdict.to_uppercase()))],
    );
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"{} {}\">\n\
<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        lang.as_str(),
        esc(&r.tool.name),
        esc(&r.tool.version),
        esc(&title)
    );
    let _ = writeln!(
        o,
        "<header>\n<h1>{} <span class=\"badge s-{verdict}\" id=\"verdict\">{}</span></h1>",
        esc(title.trim_end_matches(&verdict.to_uppercase()).trim_end()),
        verdict.to_uppercase()
    );
    let _ = writeln!(
        o,
        "<p class=\"meta\">{} {}</p>\n</header>",
        esc(&r.tool.name),
        esc(&r.tool.version),
    );
    // The inspected machine (never the reader's), the client and the mailbox.
    let _ = writeln!(o, "<ul class=\"facts\" id=\"about\">");
    for (label, text) in &view.about {
        let _ = writeln!(o, "<li><b>{label}:</b> {}</li>", esc(text));
    }
    let _ = writeln!(o, "</ul>");

    // The diagnosis first.
    let cause = r.diagnosis.cause.map(|c| c.as_str()).unwrap_or("");
    let _ = writeln!(
        o,
        "<section class=\"diagnosis v-{verdict}\" id=\"diagnosis\" data-cause=\"{cause}\" data-code=\"{}\">\n<dl>",
        esc(&r.diagnosis.code)
    );
    let (label, text) = &view.cause;
    // Ids stay English whatever the language: scripts find them.
    let id = if r.diagnosis.cause.is_some() {
        "cause"
    } else {
        "finding"
    };
    let detail = view
        .cause_detail
        .as_ref()
        .map(|d| format!("<br>{}", rich(d)))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "<dt>{}</dt><dd id=\"d-{id}\">{}{detail}</dd>",
        esc(label),
        rich(text)
    );
    if let Some(ex) = &view.explains {
        let _ = writeln!(
            o,
            "<dt>{}</dt><dd id=\"d-explains\">{}</dd>",
            esc(&ui(lang, "ui-explains")),
            esc(ex)
        );
    }
    if !view.steps.is_empty() {
        let _ = writeln!(
            o,
            "<dt>{}</dt><dd id=\"d-next-step\"><ol>",
            esc(&ui(lang, "ui-next-steps"))
        );
        for s in &view.steps {
            let _ = writeln!(o, "<li>{}</li>", rich(s));
        }
        let _ = writeln!(o, "</ol></dd>");
    }
    for a in &view.also {
        let _ = writeln!(
            o,
            "<dt>{}</dt><dd class=\"also\">{}</dd>",
            esc(&ui(lang, "ui-also")),
            rich(a)
        );
    }
    let _ = writeln!(o, "</dl>\n</section>");

    timeline(&mut o, r);

    let _ = writeln!(
        o,
        "<section id=\"checks\">\n<h2>{}</h2>",
        esc(&ui(lang, "ui-checks"))
    );
    // Worst first: fail, warn, info, pass, skip.
    for l in &view.checks {
        let c = l.check;
        let st = c.status.as_str();
        let _ = writeln!(
            o,
            "<article class=\"check st-{st}\" id=\"check-{id}\" data-check-id=\"{id}\" data-status=\"{st}\">\n\
<h3><span class=\"badge s-{st}\">{}</span> <code>{id}</code> {}</h3>\n<p>{}</p>",
            st.to_uppercase(),
            esc(&c.title),
            match &l.covered {
                Some(Covered::FollowsFrom(_) | Covered::SameUpdate(_)) => esc(&l.text),
                _ => rich(&super::view::summary_of(lang, c)),
            },
            id = c.id.as_str(),
        );
        if !c.evidence.is_empty() {
            let _ = writeln!(o, "<ul class=\"evidence\">");
            for e in &c.evidence {
                let _ = writeln!(
                    o,
                    "<li class=\"mono\">{}</li>",
                    esc(&super::explain::annotate(&super::evidence_line(e)))
                );
            }
            let _ = writeln!(o, "</ul>");
        }
        let fix = esc(&ui(lang, "ui-fix"));
        let colon = super::table::colon(lang);
        match (&l.covered, &c.remediation) {
            (Some(Covered::Cause), _) => {
                let _ = writeln!(
                    o,
                    "<p class=\"fix\"><b>{fix}{colon}</b> {}</p>",
                    esc(&ui(lang, "ui-fix-next-steps"))
                );
            }
            (Some(Covered::FollowsFrom(_) | Covered::SameUpdate(_)), _) => {}
            (None | Some(Covered::Also), Some(_)) => {
                let steps: Vec<String> = c
                    .steps
                    .iter()
                    .map(|m| rich(&crate::i18n::catalog::format(lang, m)))
                    .collect();
                let text = if steps.is_empty() {
                    esc(c.remediation.as_deref().unwrap_or_default())
                } else {
                    steps.join(" ")
                };
                let _ = writeln!(o, "<p class=\"fix\"><b>{fix}{colon}</b> {text}</p>");
            }
            (_, None) => {}
        }
        let _ = writeln!(o, "</article>");
    }
    let _ = writeln!(o, "</section>");
    let _ = writeln!(
        o,
        "<footer>Statuses: fail and warn need attention; skip means the check had no input. \
The JSON form of this report (<code>--format json</code>) carries the same facts for scripts.</footer>\n</body>\n</html>"
    );
    o
}

/// At most this many log events are drawn; the rest are counted.
const MAX_EVENTS: usize = 300;
const W: f64 = 960.0;
const LEFT: f64 = 170.0;
const RIGHT: f64 = 20.0;
const LANE: f64 = 26.0;
const TOP: f64 = 14.0;

/// Rows of the picture: the stuck messages first, then log events by kind.
const LANES: &[(&str, &str, &str)] = &[
    ("spooled", "stuck spooled message", "#b42318"),
    ("offline-im-failure", "offline-message failure", "#b42318"),
    ("offline-im", "offline-message event", "#175cd3"),
    ("ews-failure", "EWS/autodiscover failure", "#b54708"),
    ("ews-url", "EWS URL seen", "#067647"),
    ("sip-error", "SIP error", "#b54708"),
    ("policy", "policy", "#6941c6"),
    ("build", "client build", "#475467"),
];

fn lane_of(kind: &str) -> usize {
    LANES
        .iter()
        .position(|(k, _, _)| *k == kind)
        .unwrap_or(LANES.len())
}

/// The window the picture covers: around the stuck messages (the day before
/// the first to an hour after the last, narrowed to what happened in it);
/// without stuck messages, or with no log event near them, every timed log
/// event (and the messages).
fn window(
    stuck: &[DateTime<Utc>],
    events: &[&TimelineEvent],
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let times = events.iter().filter_map(|e| e.timestamp);
    let (lo, hi) = match (stuck.iter().min(), stuck.iter().max()) {
        (Some(&first), Some(&last)) => {
            let from = first - Duration::hours(24);
            let to = last + Duration::hours(1);
            let all_times: Vec<_> = times.collect();
            let near: Vec<_> = all_times
                .iter()
                .copied()
                .filter(|t| *t >= from && *t <= to)
                .collect();
            // No log event near them (logs from another day, or file times
            // reset by a copy): show the logs and the messages side by side.
            let events = if near.is_empty() { all_times } else { near };
            let all: Vec<_> = events.into_iter().chain(stuck.iter().copied()).collect();
            (all.iter().min().copied()?, all.iter().max().copied()?)
        }
        _ => {
            let all: Vec<_> = times.collect();
            (all.iter().min().copied()?, all.iter().max().copied()?)
        }
    };
    // A little room either side, and never an empty span.
    let pad = ((hi - lo) / 20).max(Duration::seconds(30));
    Some((lo - pad, hi + pad))
}

fn timeline(o: &mut String, r: &Report) {
    let mut stuck: Vec<DateTime<Utc>> = r
        .profiles
        .iter()
        .flat_map(|p| p.spooler.stuck_written_at.iter().copied())
        .collect();
    stuck.sort();
    let timed: Vec<&TimelineEvent> = r
        .timeline
        .iter()
        .filter(|e| e.timestamp.is_some())
        .collect();
    let _ = writeln!(
        o,
        "<section class=\"timeline\" id=\"timeline\">\n<h2>Timeline</h2>"
    );
    let Some((lo, hi)) = window(&stuck, &timed) else {
        let _ = writeln!(
            o,
            "<p>No timed log events and no stuck messages: nothing to draw.</p>\n</section>"
        );
        return;
    };
    let inside: Vec<&TimelineEvent> = timed
        .iter()
        .copied()
        .filter(|e| e.timestamp.is_some_and(|t| t >= lo && t <= hi))
        .collect();
    let skip = inside.len().saturating_sub(MAX_EVENTS);
    let drawn = inside.get(skip..).unwrap_or_default();
    let outside = r.timeline.len() - drawn.len();
    // Only rows with points: a lane that nothing happened in is left out.
    let used: Vec<usize> = (0..=LANES.len())
        .filter(|&lane| {
            (lane == 0 && !stuck.is_empty())
                || drawn.iter().any(|e| lane_of(e.kind.as_ref()) == lane)
        })
        .collect();
    let lanes_used = used.len().max(1);
    let row = |lane: usize| used.iter().position(|&l| l == lane).unwrap_or(0);
    let h = TOP + LANE * lanes_used as f64 + 40.0;
    let span = (hi - lo).num_milliseconds().max(1) as f64;
    let x =
        |t: DateTime<Utc>| LEFT + (W - LEFT - RIGHT) * ((t - lo).num_milliseconds() as f64 / span);
    let y = |lane: usize| TOP + LANE * lane as f64 + LANE / 2.0;

    let _ = writeln!(
        o,
        "<p>{} stuck message(s) and {} log event(s) from {} to {} (UTC){}.</p>",
        stuck.len(),
        drawn.len(),
        lo.format("%Y-%m-%d %H:%M:%S"),
        hi.format("%Y-%m-%d %H:%M:%S"),
        if outside > 0 {
            format!("; {outside} other log event(s) fall outside this window or have no time")
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"timeline-svg\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-labelledby=\"tl-title\">\n\
<title id=\"tl-title\">Timeline of log events and stuck spooled messages</title>"
    );
    for (i, (_, label, _)) in LANES
        .iter()
        .chain(std::iter::once(&("other", "other", "#667085")))
        .enumerate()
        .filter(|(lane, _)| used.contains(lane))
        .map(|(lane, l)| (row(lane), l))
    {
        let yy = y(i);
        let _ = writeln!(
            o,
            "<line x1=\"{LEFT}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\" stroke=\"#eaecf0\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#475467\">{label}</text>",
            W - RIGHT,
            LEFT - 8.0,
            yy + 4.0
        );
    }
    // Axis: five ticks with times.
    let axis_y = TOP + LANE * lanes_used as f64 + 6.0;
    let _ = writeln!(
        o,
        "<line x1=\"{LEFT}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\" stroke=\"#98a2b3\"/>",
        W - RIGHT
    );
    let fmt = if hi - lo > Duration::hours(36) {
        "%m-%d %H:%M"
    } else {
        "%H:%M:%S"
    };
    for i in 0..5 {
        let t = lo + Duration::milliseconds((span * f64::from(i) / 4.0) as i64);
        let xx = x(t);
        let anchor = match i {
            0 => "start",
            4 => "end",
            _ => "middle",
        };
        let _ = writeln!(
            o,
            "<line x1=\"{xx:.1}\" y1=\"{axis_y:.1}\" x2=\"{xx:.1}\" y2=\"{:.1}\" stroke=\"#98a2b3\"/>\
<text x=\"{xx:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"{anchor}\" fill=\"#475467\">{}</text>",
            axis_y + 5.0,
            axis_y + 18.0,
            t.format(fmt)
        );
    }
    // Stuck messages: a marker in their lane and a dashed line across all lanes.
    for t in &stuck {
        let xx = x(*t);
        let _ = writeln!(
            o,
            "<g class=\"stuck\"><line x1=\"{xx:.1}\" y1=\"{TOP}\" x2=\"{xx:.1}\" y2=\"{axis_y:.1}\" stroke=\"#b42318\" stroke-dasharray=\"4 3\" opacity=\"0.6\"/>\
<rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"#b42318\" transform=\"rotate(45 {xx:.1} {:.1})\"><title>stuck spooled message written {}</title></rect></g>",
            xx - 5.0,
            y(row(0)) - 5.0,
            y(row(0)),
            t.format("%Y-%m-%d %H:%M:%SZ")
        );
    }
    for e in drawn {
        let Some(t) = e.timestamp else { continue };
        let lane = lane_of(e.kind.as_ref());
        let color = LANES.get(lane).map_or("#667085", |l| l.2);
        let _ = writeln!(
            o,
            "<circle class=\"event\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{color}\" fill-opacity=\"0.8\"><title>{} {}: {}</title></circle>",
            x(t),
            y(row(lane)),
            t.format("%Y-%m-%d %H:%M:%S%.3fZ"),
            esc(e.kind.as_ref()),
            esc(&e.detail)
        );
    }
    let _ = writeln!(o, "</svg>");

    // The same events as text: readable without the picture and in print.
    if !drawn.is_empty() || !stuck.is_empty() {
        let _ = writeln!(
            o,
            "<table class=\"events\">\n<thead><tr><th>Time (UTC)</th><th>Event</th><th>Where</th><th>Detail</th></tr></thead>\n<tbody>"
        );
        let mut rows: Vec<(DateTime<Utc>, String)> = stuck
            .iter()
            .map(|t| {
                (
                    *t,
                    format!(
                        "<tr class=\"stuck\"><td>{}</td><td>stuck spooled message</td><td></td><td>last written then; see spooler-stuck</td></tr>",
                        t.format("%Y-%m-%d %H:%M:%S")
                    ),
                )
            })
            .collect();
        for e in drawn {
            let Some(t) = e.timestamp else { continue };
            rows.push((
                t,
                format!(
                    "<tr><td>{}</td><td>{}</td><td class=\"mono\">{}:{}</td><td>{}</td></tr>",
                    t.format("%Y-%m-%d %H:%M:%S%.3f"),
                    esc(e.kind.as_ref()),
                    esc(&e.path),
                    e.line,
                    esc(&e.detail)
                ),
            ));
        }
        rows.sort_by_key(|(t, _)| *t);
        for (_, row) in rows {
            let _ = writeln!(o, "{row}");
        }
        let _ = writeln!(o, "</tbody>\n</table>");
    }
    let _ = writeln!(o, "</section>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html_and_controls() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(esc("a\x1b[2Jb\u{202e}"), "a\\x1b[2Jb\\u{202e}");
    }

    #[test]
    fn window_is_around_the_stuck_messages() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap_or_default();
        let ev = |s: &str| TimelineEvent {
            timestamp: Some(t(s)),
            kind: crate::model::TimelineKind::OfflineIm,
            path: "l".into(),
            line: 1,
            detail: String::new(),
        };
        let far = ev("2026-01-01T00:00:00Z");
        let near = ev("2026-11-24T08:00:00Z");
        let stuck = [t("2026-11-24T09:00:00Z")];
        let (lo, hi) = window(&stuck, &[&far, &near]).unwrap_or_default();
        assert!(lo < t("2026-11-24T08:00:00Z") && lo > t("2026-11-24T07:00:00Z"));
        assert!(hi > t("2026-11-24T09:00:00Z") && hi < t("2026-11-24T10:00:00Z"));
        assert!(window(&[], &[]).is_none());
        // Logs from another day: shown side by side with the messages.
        let (lo, _) = window(&stuck, &[&far]).unwrap_or_default();
        assert!(lo < t("2026-01-01T00:00:00Z"));
    }
}
