//! `offline-im-doctor checks`: every check, its reason codes and the log
//! evidence rules that feed it (cargo-deny's code list).

use serde::Serialize;
use strum::IntoEnumIterator;

use super::RenderOptions;
use crate::checks::check_for_rule;
use crate::model::{CheckId, Code};
use crate::rules::{Rule, RuleOrigin, RuleSet};
use crate::sanitize::terminal_safe;

/// `checks --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CatalogFormat {
    #[default]
    Table,
    Json,
}

#[derive(Serialize)]
struct CodeEntry {
    code: Code,
    description: &'static str,
}

#[derive(Serialize)]
struct RuleEntry<'a> {
    id: &'a str,
    kind: crate::rules::RuleKind,
    description: &'a str,
    literals: &'a [String],
    pattern: &'a str,
    origin: String,
}

#[derive(Serialize)]
struct CheckEntry<'a> {
    id: CheckId,
    title: &'static str,
    looks_at: &'static str,
    codes: Vec<CodeEntry>,
    rules: Vec<RuleEntry<'a>>,
}

fn origin(r: &Rule) -> String {
    match &r.origin {
        RuleOrigin::BuiltIn => "built-in".to_string(),
        RuleOrigin::File(p) => p.display().to_string(),
    }
}

fn entries(rules: &RuleSet) -> Vec<CheckEntry<'_>> {
    CheckId::iter()
        .map(|id| CheckEntry {
            id,
            title: id.title(),
            looks_at: id.looks_at(),
            codes: Code::of(id)
                .map(|code| CodeEntry {
                    code,
                    description: code.description(),
                })
                .collect(),
            rules: rules
                .iter()
                .filter(|r| check_for_rule(r.kind) == id)
                .map(|r| RuleEntry {
                    id: &r.id,
                    kind: r.kind,
                    description: &r.description,
                    literals: &r.literals,
                    pattern: r.pattern(),
                    origin: origin(r),
                })
                .collect(),
        })
        .collect()
}

pub fn render(rules: &RuleSet, format: CatalogFormat, opts: &RenderOptions) -> String {
    match format {
        CatalogFormat::Json => super::json_document(&entries(rules)),
        CatalogFormat::Table => {
            // A list rather than a table: wrapped at the width, and a reason
            // code (what people copy) is never split across lines.
            use super::wrap::wrap;
            let width = usize::from(opts.width.unwrap_or(super::table::DEFAULT_WIDTH)).max(40);
            let mut out = String::new();
            let mut para = |text: &str, first: &str, rest: &str| {
                for l in wrap(&terminal_safe(text), width, first, rest) {
                    out.push_str(&l);
                    out.push('\n');
                }
            };
            for id in CheckId::iter() {
                para(&format!("{id}: {}", id.title()), "", "  ");
                para(id.looks_at(), "  Looks at: ", "            ");
                let codes: Vec<&str> = Code::of(id).map(Code::as_str).collect();
                para(&codes.join(", "), "  Codes:    ", "            ");
                para("", "", "");
            }
            para(
                "Evidence rules for the client logs (patterns: checks --format json, docs/rules.md):",
                "",
                "",
            );
            for rule in rules.iter() {
                para(
                    &format!(
                        "{} ({}, feeds {}): {} [{}]",
                        rule.id,
                        rule.kind,
                        check_for_rule(rule.kind),
                        rule.description,
                        origin(rule)
                    ),
                    "  - ",
                    "    ",
                );
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_catalog_is_ascii_like_every_json_document() {
        let rules = RuleSet::default_rules()
            .with_overrides_str(
                "[[rule]]\nid = \"my-offline\"\nkind = \"offline-event\"\ndescription = \"Zustellung fehlgeschlagen (\u{e9}chec) \u{2014} j\u{fc}rgen\"\nliterals = [\"OfflineDelivery\"]\nregex = 'OfflineDelivery'\n",
                std::path::Path::new("test.toml"),
            )
            .unwrap();
        let json = render(&rules, CatalogFormat::Json, &RenderOptions::default());
        assert!(json.is_ascii());
        assert!(json.contains(r"(\u00e9chec) \u2014 j\u00fcrgen"));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(back.to_string().contains("(échec) — jürgen"));
    }
}
