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
        CatalogFormat::Json => {
            let json = serde_json::to_string_pretty(&entries(rules)).unwrap_or_default();
            format!("{}\n", crate::sanitize::json_safe(json))
        }
        CatalogFormat::Table => {
            let new_table = |header: Vec<&str>| {
                let mut t = comfy_table::Table::new();
                t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
                    .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
                    .set_header(header);
                if let Some(w) = opts.width {
                    t.set_width(w);
                }
                t
            };
            let mut t = new_table(vec!["Check", "Title", "Looks at", "Codes"]);
            for id in CheckId::iter() {
                let codes: Vec<&str> = Code::of(id).map(Code::as_str).collect();
                t.add_row(vec![
                    id.as_str(),
                    id.title(),
                    id.looks_at(),
                    &codes.join("\n"),
                ]);
            }
            let mut r = new_table(vec!["Rule", "Kind", "Feeds", "Description", "Origin"]);
            for rule in rules.iter() {
                r.add_row(vec![
                    rule.id.clone(),
                    rule.kind.to_string(),
                    check_for_rule(rule.kind).to_string(),
                    terminal_safe(&rule.description).into_owned(),
                    terminal_safe(&origin(rule)).into_owned(),
                ]);
            }
            format!(
                "{t}\n\nEvidence rules for the client logs (patterns: checks --format json, docs/rules.md):\n{r}\n"
            )
        }
    }
}
