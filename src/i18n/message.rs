//! A finding as data: a message id from the catalogue (`locales/`) and the
//! typed values it names. Checks build [`Msg`]s; only the catalogue turns
//! them into words, in the report's language, and renderers style each
//! value by its type (a path or a cmdlet in a code span, a date in the
//! language's form), never by guessing from the words.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::CheckId;

/// One message: its id in the catalogue (`id` or `id.attribute`) and its
/// named values. In JSON: `{"id": "build-below-minimum", "args": {"build":
/// {"build": "16.0.6001.1000"}}}`; the ids and argument names are as
/// stable as the reason codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Msg {
    pub id: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

/// A value a message names, typed so that each output shows it right and
/// `--redact` knows what is personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Arg {
    /// A count: Fluent selects the plural form from it.
    Count(u64),
    /// A selector value the message branches on (`online`, `on-premises`,
    /// a status); shown as is.
    Key(String),
    /// A client build, e.g. `16.0.6701.1000`.
    Build(String),
    /// A calendar day (ISO in English, `14/06/2016` in French).
    Date(NaiveDate),
    /// A moment (UTC).
    Time(DateTime<Utc>),
    /// A duration in seconds, shown as a person reads it (`2h03m`).
    Age(i64),
    /// An HTTP status code.
    Status(u16),
    /// A URL.
    Url(String),
    /// A file or folder path, or a registry path.
    Path(String),
    /// A PowerShell cmdlet with its parameters, as the technician types it.
    Cmdlet(String),
    /// Something typed or read verbatim: an option, a property name, a
    /// value, a file name, a code.
    Code(String),
    /// A SIP or e-mail address (personal: `--redact` pseudonymises it).
    Address(String),
    /// A host name.
    Host(String),
    /// A check id.
    Check(CheckId),
    /// Words taken from the evidence or from data (a product name, a
    /// reason phrase): shown as is, in no language of ours.
    Text(String),
    /// A list of values, joined with commas.
    List(Vec<Arg>),
    /// Another message of the catalogue, in the same language.
    Msg(Box<Msg>),
}

impl Arg {
    /// Whether the value is something typed or read verbatim, shown in a
    /// code span in Markdown and HTML.
    pub fn is_code(&self) -> bool {
        matches!(
            self,
            Arg::Build(_) | Arg::Url(_) | Arg::Path(_) | Arg::Cmdlet(_) | Arg::Code(_)
        )
    }

    /// `a, b or c` (in the report's language): the values as one
    /// alternative.
    pub fn any_of(mut items: Vec<Arg>) -> Arg {
        match items.len() {
            0 => Arg::List(items),
            1 => items.remove(0),
            _ => {
                let last = items.pop().unwrap_or(Arg::List(Vec::new()));
                Arg::Msg(Box::new(
                    Msg::new("ui-any-of")
                        .with("head", Arg::List(items))
                        .with("last", last),
                ))
            }
        }
    }

    /// A build.
    pub fn build(b: impl std::fmt::Display) -> Arg {
        Arg::Build(b.to_string())
    }
}

impl Msg {
    /// The message `id`, without values yet.
    pub fn new(id: impl Into<String>) -> Self {
        Msg {
            id: id.into(),
            args: BTreeMap::new(),
        }
    }

    /// The same message with one more named value.
    pub fn with(mut self, name: &str, value: impl Into<Arg>) -> Self {
        self.args.insert(name.to_string(), value.into());
        self
    }

    /// The same message with a value when there is one.
    pub fn with_opt(self, name: &str, value: Option<impl Into<Arg>>) -> Self {
        match value {
            Some(v) => self.with(name, v),
            None => self,
        }
    }

    /// Every value, nested messages and lists included (for redaction).
    pub fn args_mut(&mut self) -> impl Iterator<Item = &mut Arg> {
        self.args.values_mut()
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Count(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Count(n as u64)
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(Box::new(m))
    }
}

impl From<CheckId> for Arg {
    fn from(c: CheckId) -> Arg {
        Arg::Check(c)
    }
}

impl From<NaiveDate> for Arg {
    fn from(d: NaiveDate) -> Arg {
        Arg::Date(d)
    }
}

impl From<DateTime<Utc>> for Arg {
    fn from(t: DateTime<Utc>) -> Arg {
        Arg::Time(t)
    }
}

impl From<crate::client_build::ClientBuild> for Arg {
    fn from(b: crate::client_build::ClientBuild) -> Arg {
        Arg::Build(b.to_string())
    }
}

/// A piece of formatted text: words of the catalogue, or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// The catalogue's words (prose: escaped by each output).
    Words(String),
    /// A value, with its type, and its text in the report's language.
    Value(Arg, String),
}

/// A message formatted in one language, its values kept apart from its
/// words so each renderer styles them (code spans, escaping).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rich(pub Vec<Segment>);

impl Rich {
    /// The text as a person reads it in a terminal.
    pub fn plain(&self) -> String {
        let mut s = String::new();
        for seg in &self.0 {
            match seg {
                Segment::Words(w) => s.push_str(w),
                Segment::Value(_, t) => s.push_str(t),
            }
        }
        s
    }

    /// Words only (a report read back without its messages).
    pub fn words(text: impl Into<String>) -> Self {
        Rich(vec![Segment::Words(text.into())])
    }
}
