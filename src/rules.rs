//! The evidence rules for the client logs, as data.
//!
//! The log patterns are defaults, not the last word: real logs will teach
//! more (`docs/contract.md`), so they live in `data/rules.toml`, embedded in
//! the binary, and a user file (`--rules FILE`) adds rules or overrides them
//! by id without rebuilding. The format is documented in `docs/rules.md`.
//!
//! A rule is a literal prefilter (one or more strings, ASCII
//! case-insensitive) plus a regex applied to each line holding one of those
//! literals. What a match *means* is fixed by the rule's [`RuleKind`]; the
//! log scanner (`scan::logs`) aggregates matches per kind.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use strum::IntoEnumIterator;

use regex::bytes::{Regex, RegexBuilder};

use crate::model::CheckId;
use serde::{Deserialize, Serialize};

/// The defaults, embedded at build time.
pub const DEFAULT_RULES_TOML: &str = include_str!("../data/rules.toml");

/// At most this many rules in a set: the scanner keeps the rules a line may
/// match in a 128-bit mask.
pub const MAX_RULES: usize = 128;

/// What a rule's match is evidence of. Each kind names the capture groups
/// its regex must have.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum RuleKind {
    /// The Office build: group `build` (`16.0.B.R`). Newest entry wins.
    ClientBuild,
    /// Client policy `EnableIMAutoArchiving`: group `value` (true/false). Newest wins.
    PolicyAutoArchiving,
    /// User option `imAutoArchiving`: group `value` (true/false). Newest wins.
    UserAutoArchiving,
    /// An EWS URL: group `url`. Every match on a line counts.
    EwsUrl,
    /// The entry is about an EWS request; optional group `url`.
    EwsRequest,
    /// The entry is about an autodiscover request; optional group `url`.
    AutodiscoverRequest,
    /// An HTTP status: group `status`. In an entry that names an EWS or
    /// autodiscover URL it is that request's outcome; in an entry without
    /// a URL it answers the request its thread sent last.
    HttpStatus,
    /// An HTTP `x-ms-diagnostics` header (EWS/autodiscover side): group
    /// `code`, optional group `reason`.
    HttpDiagnostic,
    /// A SIP `ms-diagnostics` error: group `code`, optional group `reason`.
    SipDiagnostic,
    /// The entry is an offline-message event.
    OfflineEvent,
    /// In an offline-message entry, a failure marker.
    OfflineFailure,
    /// An HTTP status carried in an HRESULT (`HTTP_E_STATUS_*`,
    /// `0x80190000` + status): group `hresult` (the eight hex digits). Read
    /// like `http-status`; in an offline-message entry without a URL it is
    /// the answer of EWS, which carries offline messages.
    HttpStatusHresult,
    /// Exchange Online's `X-EWS-Policy-Reason` response header: group
    /// `reason`. Belongs to the response of the entry it is in; logged in
    /// an entry of its own, to the refused EWS response just before it (same
    /// thread, or within 5 seconds).
    HttpPolicyReason,
    /// A `WWW-Authenticate` response header: group `schemes` (the header's
    /// value; the scheme names are read from it). Belongs to the response
    /// of the entry it is in.
    HttpAuthChallenge,
    /// What an EWS SOAP answer says (Exchange's throttling and error
    /// answers): any of the groups `class` (`ResponseClass`), `code`
    /// (`ResponseCode`), `text` (`MessageText`), `backoff`
    /// (`BackOffMilliseconds`). Belongs to the response of the entry it is in.
    EwsResponse,
    /// The recipient of an instant message the client sent: group `to`
    /// (the `MESSAGE sip:ADDRESS SIP/2.0` request line; the body is never
    /// read). Each distinct address counts once, newest kept.
    ImRecipient,
}

impl RuleKind {
    /// The kebab-case name used in rules files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// This kind's row of [`KINDS`].
    pub fn spec(self) -> &'static KindSpec {
        &KINDS[self as usize]
    }

    /// Capture groups the regex must define for this kind.
    pub fn required_groups(self) -> &'static [&'static str] {
        self.spec().groups
    }

    /// Whether a match stands alone (a line fact) or qualifies the whole
    /// entry it is in (EWS failures and offline events combine several
    /// lines of one entry).
    pub fn is_entry_level(self) -> bool {
        matches!(self.spec().scope, Scope::Entry | Scope::EntryCondition)
    }

    /// Kinds that only qualify an entry another kind already selected; the
    /// scanner looks for them only inside such entries, never in the bulk.
    pub fn is_entry_condition(self) -> bool {
        self.spec().scope == Scope::EntryCondition
    }

    /// The check a match of this kind is evidence for.
    pub fn check(self) -> CheckId {
        self.spec().check
    }
}

/// Where the log scanner reads a kind's matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Each matching line is a fact of its own.
    Line,
    /// A line fact of which only the newest counts: read newest first, so
    /// the older matches of a chunk cost no regex.
    NewestLine,
    /// A match selects the entry it is in; the entry's matches of every
    /// entry kind together make one fact.
    Entry,
    /// Qualifies an entry another kind selected; never searched in the
    /// bulk, so its literals may be common words.
    EntryCondition,
}

/// One rule kind: what its regex must capture, where it is read, the fact
/// it produces and the check that reads that fact. Adding a kind adds a
/// [`RuleKind`] variant and its row here, the fact it produces
/// (`sources::scan::logs::sink::Found`, read in `analyze`, kept in `reduce`), and the
/// check that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSpec {
    pub kind: RuleKind,
    /// Capture groups the regex must define.
    pub groups: &'static [&'static str],
    pub scope: Scope,
    /// The [`LogFacts`](crate::sources::scan::logs::LogFacts) field(s) its
    /// matches end up in.
    pub produces: &'static str,
    /// The check that reads those facts.
    pub check: CheckId,
}

const fn kind(
    kind: RuleKind,
    groups: &'static [&'static str],
    scope: Scope,
    produces: &'static str,
    check: CheckId,
) -> KindSpec {
    KindSpec {
        kind,
        groups,
        scope,
        produces,
        check,
    }
}

/// Every rule kind, in [`RuleKind`] order (a test keeps the two in step).
pub const KINDS: &[KindSpec] = {
    use CheckId as C;
    use RuleKind as K;
    use Scope::*;
    const HTTP: &str = "http_endpoints, ews_failures";
    &[
        kind(
            K::ClientBuild,
            &["build"],
            NewestLine,
            "newest_build",
            C::ClientBuild,
        ),
        kind(
            K::PolicyAutoArchiving,
            &["value"],
            Line,
            "policy_auto_archiving",
            C::ImAutoArchiving,
        ),
        kind(
            K::UserAutoArchiving,
            &["value"],
            Line,
            "user_auto_archiving",
            C::ImAutoArchiving,
        ),
        kind(K::EwsUrl, &["url"], Line, "ews_urls", C::EwsAccess),
        kind(K::EwsRequest, &[], Entry, HTTP, C::EwsAccess),
        kind(K::AutodiscoverRequest, &[], Entry, HTTP, C::EwsAccess),
        kind(K::HttpStatus, &["status"], Entry, HTTP, C::EwsAccess),
        kind(
            K::HttpDiagnostic,
            &["code"],
            Line,
            "http_diagnostics",
            C::EwsAccess,
        ),
        kind(
            K::SipDiagnostic,
            &["code"],
            Line,
            "sip_errors",
            C::OfflineImActivity,
        ),
        kind(
            K::OfflineEvent,
            &[],
            Entry,
            "offline_events",
            C::OfflineImActivity,
        ),
        kind(
            K::OfflineFailure,
            &[],
            EntryCondition,
            "offline_failures",
            C::OfflineImActivity,
        ),
        kind(
            K::HttpStatusHresult,
            &["hresult"],
            Entry,
            HTTP,
            C::EwsAccess,
        ),
        kind(
            K::HttpPolicyReason,
            &["reason"],
            Entry,
            "http_endpoints",
            C::ExchangeOnlineEws,
        ),
        kind(
            K::HttpAuthChallenge,
            &["schemes"],
            EntryCondition,
            "http_endpoints",
            C::EwsAccess,
        ),
        kind(
            K::EwsResponse,
            &[],
            EntryCondition,
            "http_endpoints",
            C::EwsAccess,
        ),
        kind(
            K::ImRecipient,
            &["to"],
            Line,
            "im_recipients",
            C::OfflineImRecipients,
        ),
    ]
};

/// A rules file as written: `version` and `[[rule]]` tables, nothing else.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    version: Option<i64>,
    #[serde(default)]
    rule: Vec<RuleEntry>,
}

/// One `[[rule]]` table. Every field is optional here: an override by id
/// keeps the fields it leaves out; a new rule must give them all.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    id: Option<String>,
    kind: Option<String>,
    description: Option<String>,
    source: Option<String>,
    literals: Option<Vec<String>>,
    regex: Option<String>,
    enabled: Option<bool>,
}

/// A serde error with its place: `line L, column C`, and the id of the
/// `[[rule]]` it falls in, when it has one.
fn located(text: &str, path: &Path, e: &toml::de::Error) -> RulesError {
    let message = e.message().trim().to_string();
    let Some(span) = e.span() else {
        return RulesError::Syntax {
            path: path.to_path_buf(),
            message,
        };
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let place = format!("line {line}, column {column}: {message}");
    // The rule the error is in: the last `[[rule]]` header before it.
    let rule_start = before.rfind("[[rule]]");
    let id = rule_start.and_then(|at| {
        let table = text.get(at..)?;
        let end = table.get(8..)?.find("[[").map_or(table.len(), |i| i + 8);
        let parsed: toml::Table = table.get(8..end)?.parse().ok()?;
        parsed.get("id")?.as_str().map(str::to_string)
    });
    match id {
        Some(id) => RulesError::Rule {
            path: path.to_path_buf(),
            id,
            problem: place,
        },
        None => RulesError::Syntax {
            path: path.to_path_buf(),
            message: place,
        },
    }
}

/// Where a rule came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleOrigin {
    BuiltIn,
    File(PathBuf),
}

/// One compiled evidence rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    pub description: String,
    /// The public source of what the rule matches (docs/rules.md).
    pub source: Option<String>,
    /// Prefilter literals; a line is examined only when it holds one of
    /// them (ASCII case-insensitive).
    pub literals: Vec<String>,
    pub origin: RuleOrigin,
    regex: Regex,
}

impl Rule {
    /// The regex source, as written in the rules file.
    pub fn pattern(&self) -> &str {
        self.regex.as_str()
    }

    pub fn regex(&self) -> &Regex {
        &self.regex
    }
}

/// What is wrong with a rules file. Every variant names the file; rule
/// problems name the rule id.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("cannot read rules file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("rules file {path}: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("rules file {path}: {problem}")]
    File { path: PathBuf, problem: String },
    #[error("rules file {path}: rule `{id}`: {problem}")]
    Rule {
        path: PathBuf,
        id: String,
        problem: String,
    },
}

impl RulesError {
    /// The rule id the error is about, when it is about one rule.
    pub fn rule_id(&self) -> Option<&str> {
        match self {
            RulesError::Rule { id, .. } => Some(id),
            _ => None,
        }
    }
}

/// An ordered set of rules with unique ids. When several rules of one kind
/// match a line, the first in this order wins.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::default_rules()
    }
}

impl RuleSet {
    /// The embedded defaults (`data/rules.toml`), parsed and compiled
    /// once per process.
    pub fn default_rules() -> RuleSet {
        // The embedded file is part of the source and checked by a unit
        // test, so a failure here is a build defect, not bad input.
        static DEFAULTS: LazyLock<RuleSet> = LazyLock::new(|| {
            RuleSet { rules: Vec::new() }
                .apply_document(
                    DEFAULT_RULES_TOML,
                    Path::new("<built-in data/rules.toml>"),
                    RuleOrigin::BuiltIn,
                )
                .expect("the embedded data/rules.toml is valid")
        });
        DEFAULTS.clone()
    }

    /// The defaults plus the rules in `path`: a rule with an existing id
    /// replaces it (fields it leaves out keep their old value; `enabled =
    /// false` removes it), a new id is added at the end.
    pub fn load_with_overrides(path: &Path) -> Result<RuleSet, RulesError> {
        let read = |source| RulesError::Read {
            path: path.to_path_buf(),
            source,
        };
        let bytes =
            crate::input_file::read(path, crate::input_file::MAX_RULES_BYTES).map_err(read)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| read(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        RuleSet::default_rules().with_overrides_str(&text, path)
    }

    /// This set with the rules of a TOML document applied on top; `path`
    /// only names the document in errors and in [`RuleOrigin`]. The
    /// document is read by serde with unknown fields refused, so an error
    /// names its line and column (and the rule's id, when it has one).
    pub fn with_overrides_str(self, text: &str, path: &Path) -> Result<RuleSet, RulesError> {
        self.apply_document(text, path, RuleOrigin::File(path.to_path_buf()))
    }

    fn apply_document(
        mut self,
        text: &str,
        path: &Path,
        origin: RuleOrigin,
    ) -> Result<RuleSet, RulesError> {
        let file: RulesFile = toml::from_str(text).map_err(|e| located(text, path, &e))?;
        if file.version.is_some_and(|v| v != 1) {
            return Err(RulesError::File {
                path: path.to_path_buf(),
                problem: "`version` must be 1".into(),
            });
        }
        for (n, entry) in file.rule.into_iter().enumerate() {
            self.apply(n, entry, path, &origin)?;
        }
        if self.rules.len() > MAX_RULES {
            return Err(RulesError::File {
                path: path.to_path_buf(),
                problem: format!(
                    "{} rules in all; at most {MAX_RULES} are supported",
                    self.rules.len()
                ),
            });
        }
        Ok(self)
    }

    fn apply(
        &mut self,
        n: usize,
        entry: RuleEntry,
        path: &Path,
        origin: &RuleOrigin,
    ) -> Result<(), RulesError> {
        let unnamed = format!("#{} (no id)", n + 1);
        let err = |id: &str, problem: String| RulesError::Rule {
            path: path.to_path_buf(),
            id: id.to_string(),
            problem,
        };
        let id = match entry.id {
            None => return Err(err(&unnamed, "missing field `id`".into())),
            Some(s) if valid_id(&s) => s,
            Some(_) => {
                return Err(err(
                    &unnamed,
                    "`id` must be a non-empty string of letters, digits, `-`, `_` or `.`".into(),
                ));
            }
        };
        let existing = self.rules.iter().position(|r| r.id == id);
        if !entry.enabled.unwrap_or(true) {
            // Disabling an unknown id is harmless: the user may run an
            // older build whose defaults lack that rule.
            if let Some(i) = existing {
                self.rules.remove(i);
            }
            return Ok(());
        }
        let base = existing.and_then(|i| self.rules.get(i));
        let kind = match entry.kind {
            Some(k) => k.parse::<RuleKind>().map_err(|_| {
                err(
                    &id,
                    format!(
                        "unknown kind `{k}` (expected one of {})",
                        RuleKind::iter()
                            .map(RuleKind::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?,
            None => base
                .map(|b| b.kind)
                .ok_or_else(|| err(&id, "missing field `kind`".into()))?,
        };
        let description = match entry.description {
            Some(d) => d,
            None => base
                .map(|b| b.description.clone())
                .ok_or_else(|| err(&id, "missing field `description`".into()))?,
        };
        let source = entry.source.or_else(|| base.and_then(|b| b.source.clone()));
        let literals = match entry.literals {
            Some(list) => {
                for l in &list {
                    if l.is_empty() {
                        return Err(err(&id, "a literal is empty".into()));
                    }
                    if l.contains(['\n', '\r']) {
                        return Err(err(
                            &id,
                            "a literal holds a line break: literals match within one line".into(),
                        ));
                    }
                }
                if list.is_empty() {
                    return Err(err(&id, "`literals` is empty: give at least one".into()));
                }
                list
            }
            None => base
                .map(|b| b.literals.clone())
                .ok_or_else(|| err(&id, "missing field `literals`".into()))?,
        };
        let pattern = match entry.regex {
            Some(p) => p,
            None => base
                .map(|b| b.pattern().to_string())
                .ok_or_else(|| err(&id, "missing field `regex`".into()))?,
        };
        let regex = compile(&pattern).map_err(|e| err(&id, format!("bad regex: {e}")))?;
        let names: Vec<&str> = regex.capture_names().flatten().collect();
        for g in kind.required_groups() {
            if !names.contains(g) {
                return Err(err(
                    &id,
                    format!(
                        "a rule of kind `{kind}` needs a capture group named `{g}`: (?P<{g}>...)"
                    ),
                ));
            }
        }
        let rule = Rule {
            id,
            kind,
            description,
            source,
            literals,
            origin: origin.clone(),
            regex,
        };
        match existing {
            Some(i) => self.rules[i] = rule,
            None => self.rules.push(rule),
        }
        Ok(())
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Rule> {
        self.rules.iter()
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

impl<'a> IntoIterator for &'a RuleSet {
    type Item = &'a Rule;
    type IntoIter = std::slice::Iter<'a, Rule>;
    fn into_iter(self) -> Self::IntoIter {
        self.rules.iter()
    }
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Log lines are bytes of any encoding quality, so patterns run with
/// Unicode mode off (ASCII `\b`, `\w`, `(?i)`), which also keeps every rule
/// on the regex crate's fast DFA paths. The size limit bounds what a
/// hostile rules file can make us allocate.
fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(8 << 20)
        .dfa_size_limit(8 << 20)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn over(text: &str) -> Result<RuleSet, RulesError> {
        RuleSet::default_rules().with_overrides_str(text, Path::new("test.toml"))
    }

    #[test]
    fn embedded_rules_parse() {
        let set = RuleSet { rules: Vec::new() }
            .with_overrides_str(DEFAULT_RULES_TOML, Path::new("data/rules.toml"))
            .unwrap();
        assert!(!set.is_empty());
        assert_eq!(set.len(), RuleSet::default_rules().len());
    }

    #[test]
    fn the_kind_table_has_one_row_per_kind_in_order() {
        assert_eq!(KINDS.len(), RuleKind::iter().count());
        for (i, k) in RuleKind::iter().enumerate() {
            assert_eq!(KINDS[i].kind, k, "row {i} of KINDS");
            assert_eq!(k.spec().kind, k);
        }
    }

    #[test]
    fn docs_describe_every_kind_with_its_check() {
        let doc = include_str!("../docs/rules.md");
        for s in KINDS {
            let row = format!("| `{}` |", s.kind);
            let line = doc.lines().find(|l| l.starts_with(&row));
            let line = line.unwrap_or_else(|| panic!("docs/rules.md: no row for {}", s.kind));
            for field in s.produces.split(", ") {
                assert!(
                    line.contains(&format!("`{field}`")),
                    "docs/rules.md: the row of {} does not name `{field}`",
                    s.kind
                );
            }
            let check: &str = s.check.into();
            assert!(
                line.ends_with(&format!("| `{check}` |")),
                "docs/rules.md: the row of {} does not end with its check `{check}`",
                s.kind
            );
        }
    }

    #[test]
    fn defaults_cover_every_kind() {
        let set = RuleSet::default_rules();
        for k in RuleKind::iter() {
            assert!(
                set.iter().any(|r| r.kind == k),
                "no default rule of kind {k}"
            );
        }
        assert!(set.iter().all(|r| r.origin == RuleOrigin::BuiltIn));
    }

    #[test]
    fn default_literals_occur_in_what_their_regex_matches() {
        // Sample lines every default rule must match; the literal prefilter
        // must let each of them through.
        let samples = [
            "User-Agent: UCCAPI/16.0.7766.5281 OC/16.0.7766.2047 (Skype for Business)",
            "<property name=\"EnableIMAutoArchiving\">false</property>",
            "<imAutoArchiving>false</imAutoArchiving>",
            "<EwsUrl>https://mail.fabrikam.com/EWS/Exchange.asmx</EwsUrl>",
            "POST https://mail.fabrikam.com/EWS/Exchange.asmx",
            "GET https://autodiscover.fabrikam.com/autodiscover/autodiscover.xml",
            "HTTP/1.1 401 Unauthorized",
            "status code 503",
            "StatusCode=500",
            "ms-diagnostics: 15;reason=\"Temporarily unavailable\"",
            "History Spooler holds 2 files",
            "hr=0x80004005",
            "<ASUrl>https://mail.fabrikam.com/EWS/Exchange.asmx</ASUrl>",
            "The remote server returned an error: (401) Unauthorized.",
            "x-ms-diagnostics: 2000004;reason=\"The request was unauthorized.\"",
            "failed to send offline message, hr=0x80190191",
            "X-EWS-Policy-Reason: EWS is blocked by policy for this user or tenant",
            "WWW-Authenticate: Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\"",
            "<m:CreateItemResponseMessage ResponseClass=\"Error\">",
            "<e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">ErrorServerBusy</e:ResponseCode>",
            "<m:MessageText>The server cannot service this request right now. Try again later.</m:MessageText>",
            "<t:Value Name=\"BackOffMilliseconds\">297749</t:Value>",
            "MESSAGE sip:ben@fabrikam.com SIP/2.0",
        ];
        let set = RuleSet::default_rules();
        for r in set.iter() {
            let hit = samples.iter().find(|s| r.regex().is_match(s.as_bytes()));
            let Some(s) = hit else {
                panic!("rule {} matches no sample", r.id)
            };
            let low = s.to_ascii_lowercase();
            assert!(
                r.literals
                    .iter()
                    .any(|l| low.contains(&l.to_ascii_lowercase())),
                "rule {}: no literal in `{s}`",
                r.id
            );
        }
    }

    #[test]
    fn override_by_id_and_add_new() {
        let set = over(
            r#"
[[rule]]
id = "ews-url"
regex = '(?i)(?P<url>https?://[a-z.]+/ews/exchange\.asmx)'

[[rule]]
id = "my-offline"
kind = "offline-event"
description = "custom"
literals = ["OfflineDelivery"]
regex = "OfflineDelivery"
"#,
        )
        .unwrap();
        let d = RuleSet::default_rules();
        assert_eq!(set.len(), d.len() + 1);
        let ews = set.get("ews-url").unwrap();
        assert!(ews.pattern().contains("[a-z.]+"));
        assert_eq!(ews.kind, RuleKind::EwsUrl);
        assert_eq!(ews.origin, RuleOrigin::File("test.toml".into()));
        assert_eq!(set.iter().last().unwrap().id, "my-offline");
    }

    #[test]
    fn disable_removes() {
        let set = over("[[rule]]\nid = \"ews-url\"\nenabled = false\n").unwrap();
        assert!(set.get("ews-url").is_none());
    }

    #[test]
    fn errors_name_the_rule_and_the_problem() {
        let cases = [
            (
                "[[rule]]\nid = \"x\"\nkind = \"nope\"\ndescription = \"d\"\nliterals = [\"a\"]\nregex = \"a\"\n",
                "unknown kind `nope`",
            ),
            (
                "[[rule]]\nid = \"x\"\nkind = \"ews-url\"\ndescription = \"d\"\nliterals = [\"a\"]\nregex = \"a(\"\n",
                "bad regex",
            ),
            (
                "[[rule]]\nid = \"x\"\nkind = \"ews-url\"\ndescription = \"d\"\nliterals = [\"a\"]\nregex = \"a\"\n",
                "capture group named `url`",
            ),
            (
                "[[rule]]\nid = \"x\"\nkind = \"ews-url\"\ndescription = \"d\"\nregex = \"(?P<url>a)\"\n",
                "missing field `literals`",
            ),
            (
                "[[rule]]\nid = \"x\"\nkind = \"ews-url\"\nliterals = [\"a\"]\nregex = \"(?P<url>a)\"\n",
                "missing field `description`",
            ),
            (
                "[[rule]]\nid = \"x\"\ndescription = \"d\"\nliterals = [\"a\"]\nregex = \"a\"\n",
                "missing field `kind`",
            ),
            (
                "[[rule]]\nid = \"x\"\nkind = \"offline-event\"\ndescription = \"d\"\nliterals = []\nregex = \"a\"\n",
                "`literals` is empty",
            ),
            (
                "[[rule]]\nid = \"x\"\nkind = \"offline-event\"\ndescription = \"d\"\nliterals = [\"a\"]\nregex = \"a\"\ncolour = 1\n",
                "line 7, column 1: unknown field `colour`",
            ),
        ];
        for (text, want) in cases {
            let e = over(text).unwrap_err();
            assert_eq!(e.rule_id(), Some("x"), "{e}");
            let msg = e.to_string();
            assert!(msg.contains(want), "`{msg}` lacks `{want}`");
            assert!(msg.contains("rule `x`"), "{msg}");
        }
        let e = over("[[rule]]\nkind = \"ews-url\"\n").unwrap_err();
        assert!(e.to_string().contains("#1 (no id)"), "{e}");
        assert!(matches!(over("[[rule]\n"), Err(RulesError::Syntax { .. })));
        let e = over("rules = 1\n").unwrap_err();
        assert!(matches!(e, RulesError::Syntax { .. }), "{e}");
        assert!(e.to_string().contains("line 1, column 1"), "{e}");
        assert!(matches!(
            over("version = 2\n"),
            Err(RulesError::File { .. })
        ));
    }

    #[test]
    fn too_many_rules_is_an_error() {
        let mut text = String::new();
        for i in 0..MAX_RULES {
            text.push_str(&format!(
                "[[rule]]\nid = \"r{i}\"\nkind = \"offline-event\"\ndescription = \"d\"\nliterals = [\"x{i}\"]\nregex = \"x{i}\"\n"
            ));
        }
        assert!(matches!(over(&text), Err(RulesError::File { .. })));
    }

    #[test]
    fn missing_file_is_a_read_error() {
        let e = RuleSet::load_with_overrides(Path::new("/nonexistent/rules.toml")).unwrap_err();
        assert!(matches!(e, RulesError::Read { .. }));
    }
}
