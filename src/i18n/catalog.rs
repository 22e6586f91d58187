//! The message catalogue: one Project Fluent file per language
//! (`locales/<lang>/offline-im-doctor.ftl`), embedded in the binary. The one
//! place a [`Msg`] becomes words.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::Lang;
use super::message::{Arg, Msg, Rich, Segment};

const EN: &str = include_str!("../../locales/en/offline-im-doctor.ftl");
const FR: &str = include_str!("../../locales/fr/offline-im-doctor.ftl");

/// The catalogue's text for `lang`.
pub fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => EN,
        Lang::Fr => FR,
    }
}

struct Catalog {
    en: FluentBundle<FluentResource>,
    fr: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    // A syntax error drops only the entry it is in (a test keeps the
    // catalogues free of them); the rest of the catalogue still works.
    let resource = FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(r, _)| r);
    let mut b = FluentBundle::new_concurrent(vec![lang.langid()]);
    // Values are plain text in a terminal, a ticket and JSON: no Unicode
    // isolation marks around them.
    b.set_use_isolating(false);
    let _ = b.add_resource(resource);
    b
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog {
        en: bundle(Lang::En),
        fr: bundle(Lang::Fr),
    })
}

fn bundle_of(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::En => &catalog().en,
        Lang::Fr => &catalog().fr,
    }
}

/// Whether `id` (`message` or `message.attribute`) is in `lang`'s catalogue.
pub fn has(lang: Lang, id: &str) -> bool {
    let (message, attribute) = split_id(id);
    bundle_of(lang)
        .get_message(message)
        .is_some_and(|m| match attribute {
            Some(a) => m.get_attribute(a).is_some(),
            None => m.value().is_some(),
        })
}

/// Every message id of `lang`'s catalogue, attributes as `message.attribute`.
pub fn ids(lang: Lang) -> Vec<String> {
    let resource = FluentResource::try_new(source(lang).to_string()).unwrap_or_else(|(r, _)| r);
    let mut out = Vec::new();
    for entry in resource.entries() {
        if let fluent_syntax::ast::Entry::Message(m) = entry {
            if m.value.is_some() {
                out.push(m.id.name.to_string());
            }
            for a in &m.attributes {
                out.push(format!("{}.{}", m.id.name, a.id.name));
            }
        }
    }
    out
}

fn split_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    }
}

/// `msg` in `lang`, its values kept apart. A message missing from `lang`
/// falls back to English; missing there too, the id itself is shown (a
/// test keeps every id in both catalogues).
pub fn format(lang: Lang, msg: &Msg) -> Rich {
    format_checked(lang, msg).0
}

/// `msg` in `lang`, and what went wrong: a missing id, a value the
/// message names but was not given, a syntax error.
pub fn format_checked(lang: Lang, msg: &Msg) -> (Rich, Vec<String>) {
    let mut problems = Vec::new();
    let rich = format_into(lang, msg, &mut problems);
    (rich, problems)
}

/// The plain text of `msg` in `lang`.
pub fn text(lang: Lang, msg: &Msg) -> String {
    format(lang, msg).plain()
}

// Private-use characters mark where a value goes in Fluent's output, so
// the values come back out typed.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

fn format_into(lang: Lang, msg: &Msg, problems: &mut Vec<String>) -> Rich {
    let (message, attribute) = split_id(&msg.id);
    let mut used = lang;
    let mut found = bundle_of(lang).get_message(message);
    if !has(lang, &msg.id) {
        problems.push(format!(
            "{}: no message {} in {}",
            lang.as_str(),
            msg.id,
            lang.as_str()
        ));
        used = Lang::En;
        found = bundle_of(Lang::En).get_message(message);
    }
    let pattern = found.and_then(|m| match attribute {
        Some(a) => m.get_attribute(a).map(|a| a.value()),
        None => m.value(),
    });
    let Some(pattern) = pattern else {
        return Rich::words(msg.id.clone());
    };

    let mut args = FluentArgs::new();
    let mut values: Vec<Vec<Segment>> = Vec::new();
    for (name, arg) in &msg.args {
        match arg {
            Arg::Count(n) => args.set(name.as_str(), FluentValue::from(*n)),
            Arg::Key(k) => args.set(name.as_str(), FluentValue::from(k.clone())),
            _ => {
                let marker = format!("{OPEN}{}{CLOSE}", values.len());
                values.push(value_segments(used, arg, problems));
                args.set(name.as_str(), FluentValue::from(marker));
            }
        }
    }
    let mut errors = Vec::new();
    let out = bundle_of(used).format_pattern(pattern, Some(&args), &mut errors);
    for e in errors {
        problems.push(format!("{}: {}: {e:?}", used.as_str(), msg.id));
    }

    let mut segments = Vec::new();
    let mut rest: &str = &out;
    while let Some(start) = rest.find(OPEN) {
        if start > 0 {
            segments.push(Segment::Words(rest[..start].to_string()));
        }
        let after = &rest[start + OPEN.len_utf8()..];
        let Some(end) = after.find(CLOSE) else {
            rest = after;
            continue;
        };
        if let Some(v) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|i| values.get(i))
        {
            segments.extend(v.iter().cloned());
        }
        rest = &after[end + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        segments.push(Segment::Words(rest.to_string()));
    }
    Rich(merge_words(segments))
}

fn merge_words(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for s in segments {
        if let (Some(Segment::Words(prev)), Segment::Words(w)) = (out.last_mut(), &s) {
            prev.push_str(w);
            continue;
        }
        out.push(s);
    }
    out
}

fn value_segments(lang: Lang, arg: &Arg, problems: &mut Vec<String>) -> Vec<Segment> {
    match arg {
        Arg::Msg(m) => format_into(lang, m, problems).0,
        Arg::List(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(Segment::Words(", ".into()));
                }
                out.extend(value_segments(lang, item, problems));
            }
            out
        }
        other => vec![Segment::Value(other.clone(), value_text(lang, other))],
    }
}

/// A value's text in `lang`.
pub fn value_text(lang: Lang, arg: &Arg) -> String {
    match arg {
        Arg::Count(n) => n.to_string(),
        Arg::Status(s) => s.to_string(),
        Arg::Date(d) => match lang {
            Lang::En => d.format("%Y-%m-%d").to_string(),
            Lang::Fr => d.format("%d/%m/%Y").to_string(),
        },
        Arg::Time(t) => match lang {
            Lang::En => t.format("%Y-%m-%d %H:%M:%SZ").to_string(),
            Lang::Fr => t.format("%d/%m/%Y %H:%M:%S UTC").to_string(),
        },
        Arg::Age(secs) => {
            let age = crate::model::human_age(*secs);
            match lang {
                Lang::En => age,
                Lang::Fr => age.replace('d', "j"),
            }
        }
        Arg::Check(c) => c.as_str().to_string(),
        Arg::Key(s)
        | Arg::Build(s)
        | Arg::Url(s)
        | Arg::Path(s)
        | Arg::Cmdlet(s)
        | Arg::Code(s)
        | Arg::Address(s)
        | Arg::Host(s)
        | Arg::Text(s) => s.clone(),
        Arg::List(items) => items
            .iter()
            .map(|i| value_text(lang, i))
            .collect::<Vec<_>>()
            .join(", "),
        Arg::Msg(m) => text(lang, m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn both_catalogues_parse_without_errors() {
        for lang in Lang::iter() {
            if let Err((_, errors)) = FluentResource::try_new(source(lang).to_string()) {
                panic!("locales/{}: {errors:?}", lang.as_str());
            }
        }
    }

    #[test]
    fn both_catalogues_have_the_same_ids() {
        let mut en = ids(Lang::En);
        let mut fr = ids(Lang::Fr);
        en.sort();
        fr.sort();
        let missing: Vec<&String> = en.iter().filter(|i| !fr.contains(i)).collect();
        let extra: Vec<&String> = fr.iter().filter(|i| !en.contains(i)).collect();
        assert!(missing.is_empty(), "missing in French: {missing:?}");
        assert!(extra.is_empty(), "in French only: {extra:?}");
    }

    /// Every reason code has its summary message (the code is the id) and
    /// every check its title (`check-<id>`), in every language.
    #[test]
    fn every_code_and_every_check_is_in_every_catalogue() {
        let mut missing = Vec::new();
        for lang in Lang::iter() {
            for code in crate::codes::Code::iter() {
                if !has(lang, code.as_str()) {
                    missing.push(format!("{}: {}", lang.as_str(), code.as_str()));
                }
            }
            for check in crate::model::CheckId::iter() {
                let id = format!("check-{}", check.as_str());
                if !has(lang, &id) {
                    missing.push(format!("{}: {id}", lang.as_str()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "{} message(s) missing:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }

    #[test]
    fn the_languages_listed_are_the_languages() {
        let all: Vec<&str> = Lang::iter().map(Lang::as_str).collect();
        assert_eq!(Lang::available(), all.join(", "));
    }

    #[test]
    fn values_come_back_typed_and_dates_in_the_language_form() {
        let m = Msg::new("check-client-build");
        assert_eq!(text(Lang::Fr, &m), "Build du client");
        let (rich, problems) = format_checked(Lang::En, &Msg::new("no-such-message"));
        assert_eq!(rich.plain(), "no-such-message");
        assert_eq!(problems.len(), 1);
        assert_eq!(
            value_text(
                Lang::Fr,
                &Arg::Date(chrono::NaiveDate::from_ymd_opt(2016, 6, 14).unwrap())
            ),
            "14/06/2016"
        );
    }
}
