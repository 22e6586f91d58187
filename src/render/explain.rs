//! Raw codes explained beside their value (`data/hresults.toml`, each entry
//! with its public source): HRESULTs such as `hr=0x80190191` and SIP
//! `ms-diagnostics` codes. Only the human formats add the explanation; JSON
//! keeps the evidence as the log wrote it.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

const CODES_TOML: &str = include_str!("../../data/hresults.toml");

#[derive(Debug, Deserialize)]
struct Entry {
    value: u32,
    text: String,
}

#[derive(Debug, Deserialize)]
struct HttpHresult {
    prefix: u32,
    text: String,
}

#[derive(Debug, Deserialize)]
struct Codes {
    http_hresult: HttpHresult,
    #[serde(default)]
    hresult: Vec<Entry>,
    #[serde(default)]
    ms_diagnostics: Vec<Entry>,
}

fn codes() -> Option<&'static Codes> {
    static CODES: OnceLock<Option<Codes>> = OnceLock::new();
    CODES
        .get_or_init(|| toml::from_str(CODES_TOML).ok())
        .as_ref()
}

fn patterns() -> &'static (Regex, Regex) {
    static RE: OnceLock<(Regex, Regex)> = OnceLock::new();
    RE.get_or_init(|| {
        (
            Regex::new(r"(?i)\b0x([0-9a-f]{8})\b").expect("HRESULT pattern"),
            Regex::new(r"(?i)\bms-diagnostics:?[ \t]+([0-9]{1,9})\b")
                .expect("ms-diagnostics pattern"),
        )
    })
}

/// What a raw HRESULT means, where the data knows.
pub fn hresult(value: u32) -> Option<String> {
    let c = codes()?;
    if let Some(e) = c.hresult.iter().find(|e| e.value == value) {
        return Some(e.text.clone());
    }
    (value & 0xFFFF_0000 == c.http_hresult.prefix).then(|| {
        c.http_hresult
            .text
            .replace("{status}", &(value & 0xFFFF).to_string())
    })
}

/// What an `ms-diagnostics` code means, where the data knows.
pub fn ms_diagnostics(code: u32) -> Option<String> {
    codes()?
        .ms_diagnostics
        .iter()
        .find(|e| e.value == code)
        .map(|e| e.text.clone())
}

/// `text` with the codes it holds explained after it, e.g. `... hr=0x80190191
/// [0x80190191: HTTP 401 Unauthorized ...]`; unchanged when none is known.
pub fn annotate(text: &str) -> String {
    let (hr, diag) = patterns();
    let mut notes: Vec<String> = Vec::new();
    for m in hr.captures_iter(text) {
        if let Some(meaning) = u32::from_str_radix(&m[1], 16).ok().and_then(hresult) {
            let note = format!("0x{}: {meaning}", m[1].to_ascii_lowercase());
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    for m in diag.captures_iter(text) {
        if let Some(meaning) = m[1].parse().ok().and_then(ms_diagnostics) {
            let note = format!("ms-diagnostics {}: {meaning}", &m[1]);
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    if notes.is_empty() {
        text.to_string()
    } else {
        format!("{text} [{}]", notes.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_names_a_public_source() {
        let v: toml::Value = toml::from_str(CODES_TOML).unwrap();
        let t = v.as_table().unwrap();
        let mut entries: Vec<&toml::Value> = vec![&t["http_hresult"]];
        for k in ["hresult", "ms_diagnostics"] {
            entries.extend(t[k].as_array().unwrap());
        }
        for e in entries {
            let src = e["source"].as_str().unwrap();
            assert!(src.starts_with("http"), "{e:?}");
            assert!(!e["source_title"].as_str().unwrap().is_empty());
            assert!(!e["source_date"].as_str().unwrap().is_empty());
        }
    }

    #[test]
    fn http_hresults_and_ms_diagnostics_are_explained() {
        assert!(hresult(0x8019_0191).unwrap().starts_with("HTTP 401"));
        assert_eq!(hresult(0x8019_01F7).as_deref(), Some("HTTP 503"));
        assert_eq!(hresult(0x8000_4005), None);
        let a = annotate("failed to send offline message, hr=0x80190191");
        assert!(a.ends_with("[0x80190191: HTTP 401 Unauthorized (HTTP_E_STATUS_DENIED): the server did not accept the credentials]"), "{a}");
        let b = annotate("SIP ms-diagnostics 15030 reason=\"Failed to route to Exchange Server\"");
        assert!(
            b.contains("[ms-diagnostics 15030: the Skype for Business server could not route"),
            "{b}"
        );
        assert_eq!(annotate("nothing here"), "nothing here");
    }
}
