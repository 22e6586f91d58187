//! The report in the technician's language. Checks say what they found as
//! [`Msg`]s (an id and typed values); the catalogue ([`catalog`], Project
//! Fluent files under `locales/`) makes the words; JSON keys, ids, statuses,
//! codes and evidence never change with the language (`docs/contract.md`,
//! "Language").

pub mod catalog;
mod message;

pub use catalog::{format, text};
pub use message::{Arg, Msg, Rich, Segment};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

/// A language the report can be written in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
    EnumIter,
    IntoStaticStr,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub(crate) fn langid(self) -> unic_langid::LanguageIdentifier {
        let tag = match self {
            Lang::En => "en-US",
            Lang::Fr => "fr-FR",
        };
        tag.parse().unwrap_or_default()
    }

    /// The language a locale name means: `fr`, `fr_FR.UTF-8`, `fr-CA`,
    /// `French_France.1252` (Windows' own form) are French; `C` and `POSIX`
    /// English. `None` for a language the catalogue does not have.
    pub fn from_locale(name: &str) -> Option<Lang> {
        let name = name.trim();
        if name == "C" || name == "POSIX" || name.starts_with("C.") {
            return Some(Lang::En);
        }
        let language: String = name
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "en" | "english" => Some(Lang::En),
            "fr" | "french" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// Every language, for the messages that list them.
    pub fn available() -> &'static str {
        "en, fr"
    }
}

/// The language chosen for a run, where it came from, and the one asked
/// for when it is not available (the binary says so on stderr).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangChoice {
    pub lang: Lang,
    /// The language asked for (`--lang`, the environment or Windows) that
    /// the catalogue does not have; English is used instead.
    pub unavailable: Option<String>,
    pub source: LangSource,
}

/// Where the report language came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LangSource {
    /// `--lang`.
    Option,
    /// An environment variable: `LC_ALL`, `LC_MESSAGES` or `LANG`.
    Env(&'static str),
    /// The user's preferred UI languages (Windows' display language), e.g. `fr-FR`.
    UiLanguage(String),
    /// Nothing said which: English.
    Default,
}

impl std::fmt::Display for LangSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LangSource::Option => f.write_str("--lang"),
            LangSource::Env(var) => f.write_str(var),
            LangSource::UiLanguage(l) => write!(f, "the Windows display language {l}"),
            LangSource::Default => f.write_str("the default"),
        }
    }
}

impl LangChoice {
    fn of(name: &str, source: LangSource) -> LangChoice {
        match Lang::from_locale(name) {
            Some(lang) => LangChoice {
                lang,
                unavailable: None,
                source,
            },
            None => LangChoice {
                lang: Lang::En,
                unavailable: Some(name.to_string()),
                source,
            },
        }
    }
}

/// The report language: `--lang`, else the first of `LC_ALL`,
/// `LC_MESSAGES`, `LANG` that is set and not empty (POSIX order), else the
/// user's preferred UI languages (Windows; the first one available), else
/// English. `env` reads a variable; `ui_languages` are the Windows names
/// (`fr-FR`), best first.
pub fn choose(
    option: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
    ui_languages: &[String],
) -> LangChoice {
    if let Some(o) = option {
        return LangChoice::of(o, LangSource::Option);
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(v) = env(var).filter(|v| !v.trim().is_empty()) {
            return LangChoice::of(&v, LangSource::Env(var));
        }
    }
    if let Some((name, lang)) = ui_languages
        .iter()
        .find_map(|l| Lang::from_locale(l).map(|lang| (l, lang)))
    {
        return LangChoice {
            lang,
            unavailable: None,
            source: LangSource::UiLanguage(name.clone()),
        };
    }
    match ui_languages.first() {
        Some(first) => LangChoice::of(first, LangSource::UiLanguage(first.clone())),
        None => LangChoice {
            lang: Lang::En,
            unavailable: None,
            source: LangSource::Default,
        },
    }
}

/// The user's preferred UI languages, best first (`GetUserPreferredUILanguages`,
/// <https://learn.microsoft.com/windows/win32/api/winnls/nf-winnls-getuserpreferreduilanguages>);
/// empty elsewhere.
pub fn ui_languages() -> Vec<String> {
    #[cfg(windows)]
    {
        windows_ui_languages()
    }
    #[cfg(not(windows))]
    {
        Vec::new()
    }
}

#[cfg(windows)]
fn windows_ui_languages() -> Vec<String> {
    use windows_sys::Win32::Globalization::{GetUserPreferredUILanguages, MUI_LANGUAGE_NAME};
    let mut count = 0u32;
    let mut len = 0u32;
    // SAFETY: a null buffer asks for the length only.
    let ok = unsafe {
        GetUserPreferredUILanguages(
            MUI_LANGUAGE_NAME,
            &mut count,
            std::ptr::null_mut(),
            &mut len,
        )
    };
    if ok == 0 || len == 0 {
        return Vec::new();
    }
    let mut buf = vec![0u16; len as usize];
    // SAFETY: `buf` holds `len` UTF-16 units, as the first call asked for.
    let ok = unsafe {
        GetUserPreferredUILanguages(MUI_LANGUAGE_NAME, &mut count, buf.as_mut_ptr(), &mut len)
    };
    if ok == 0 {
        return Vec::new();
    }
    buf.split(|&c| c == 0)
        .filter(|s| !s.is_empty())
        .map(String::from_utf16_lossy)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn locale_names_of_french_are_french() {
        for n in [
            "fr",
            "fr_FR.UTF-8",
            "fr_CA",
            "fr-BE",
            "French_France.1252",
            "FR",
        ] {
            assert_eq!(Lang::from_locale(n), Some(Lang::Fr), "{n}");
        }
        for n in ["C", "POSIX", "C.UTF-8", "en_GB.UTF-8", "en-US"] {
            assert_eq!(Lang::from_locale(n), Some(Lang::En), "{n}");
        }
        assert_eq!(Lang::from_locale("de_DE.UTF-8"), None);
    }

    #[test]
    fn the_option_beats_the_environment_which_goes_in_posix_order() {
        let e = env(&[("LANG", "fr_FR.UTF-8"), ("LC_MESSAGES", "en_US.UTF-8")]);
        assert_eq!(choose(Some("fr"), &e, &[]).lang, Lang::Fr);
        assert_eq!(choose(None, &e, &[]).lang, Lang::En);
        let e = env(&[("LANG", "fr_FR.UTF-8"), ("LC_ALL", "")]);
        assert_eq!(choose(None, &e, &[]).lang, Lang::Fr);
    }

    #[test]
    fn windows_ui_languages_count_when_the_environment_says_nothing() {
        let e = env(&[]);
        let ui = vec!["de-DE".to_string(), "fr-FR".to_string()];
        assert_eq!(choose(None, &e, &ui).lang, Lang::Fr);
        assert_eq!(
            choose(None, &e, &ui).source,
            LangSource::UiLanguage("fr-FR".into())
        );
        assert_eq!(choose(None, &e, &[]).lang, Lang::En);
        assert_eq!(choose(None, &e, &[]).source, LangSource::Default);
        assert_eq!(choose(None, &e, &[]).unavailable, None);
    }

    #[test]
    fn an_unavailable_language_is_english_and_named() {
        let e = env(&[("LANG", "de_DE.UTF-8")]);
        let c = choose(None, &e, &[]);
        assert_eq!(c.lang, Lang::En);
        assert_eq!(c.unavailable.as_deref(), Some("de_DE.UTF-8"));
        assert_eq!(c.source.to_string(), "LANG");
        let c = choose(Some("es"), &env(&[]), &[]);
        assert_eq!((c.lang, c.unavailable.as_deref()), (Lang::En, Some("es")));
    }
}
