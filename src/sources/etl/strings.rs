//! `--etl-strings`: the printable strings inside WPP payloads of events in
//! time windows (around the stuck messages). Raw strings with no context:
//! which message they belong to, and what the other arguments say, needs
//! Microsoft's format files.

use std::io::{self, Read};
use std::path::Path;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{EtlOptions, RecordKind, guid_string, walk_etl};

/// A time window, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringWindow {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct StringsOptions {
    pub windows: Vec<StringWindow>,
    /// Strings kept per file at most.
    pub max_strings: usize,
    /// Shorter runs of printable characters are not strings.
    pub min_chars: usize,
    /// Longer strings are cut here.
    pub max_chars: usize,
    /// The container reader's caps.
    pub etl: EtlOptions,
}

impl Default for StringsOptions {
    fn default() -> Self {
        StringsOptions {
            windows: Vec::new(),
            max_strings: 200,
            min_chars: 4,
            max_chars: 400,
            etl: EtlOptions::default(),
        }
    }
}

/// One printable string from an event's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtlString {
    pub time: DateTime<Utc>,
    /// The WPP message GUID and number the string's event carried.
    pub message: Option<String>,
    /// `utf-16` or `ansi`.
    pub encoding: String,
    pub text: String,
    /// `ews-url`, `http-status` or `hresult` when the string looks like one.
    pub looks_like: Option<String>,
}

/// What the strings look like, for pointing out.
fn looks_like(s: &str) -> Option<&'static str> {
    static EWS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)https?://[^\s]*/ews/").expect("static regex"));
    static HTTP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bHTTP/\d(\.\d)?\s+[1-5]\d\d\b|\b[45]\d\d\)?[\s:-]*\(?(unauthorized|forbidden|not found|bad request|internal server error|service unavailable|bad gateway|gateway time-?out)|\bstatus(code)?[ :=]+[1-5]\d\d\b")
            .expect("static regex")
    });
    static HRESULT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b0x8[0-9a-f]{7}\b").expect("static regex"));
    if EWS.is_match(s) {
        Some("ews-url")
    } else if HTTP.is_match(s) {
        Some("http-status")
    } else if HRESULT.is_match(s) {
        Some("hresult")
    } else {
        None
    }
}

fn printable(c: u16) -> bool {
    (0x20..0x7f).contains(&c) || (0xa0..0x100).contains(&c)
}

/// Runs of printable UTF-16LE (at even offsets) and ANSI characters.
pub fn payload_strings(p: &[u8], min: usize, max: usize) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    // UTF-16LE: printable units with a zero high byte.
    let mut run = String::new();
    let flush16 = |run: &mut String, out: &mut Vec<(&'static str, String)>| {
        if run.chars().count() >= min {
            out.push(("utf-16", run.chars().take(max).collect()));
        }
        run.clear();
    };
    for c in p.chunks_exact(2) {
        let u = u16::from_le_bytes([c[0], c[1]]);
        if printable(u) {
            run.push(char::from_u32(u32::from(u)).unwrap_or('?'));
        } else {
            flush16(&mut run, &mut out);
        }
    }
    flush16(&mut run, &mut out);
    // ANSI: printable ASCII bytes (UTF-16 text never gives four in a row).
    let mut start = None;
    for (i, &b) in p.iter().chain(std::iter::once(&0u8)).enumerate() {
        let ok = (0x20..0x7f).contains(&b);
        match (ok, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= min
                    && let Some(bytes) = p.get(s..i)
                {
                    let text: String = bytes.iter().take(max).map(|&b| char::from(b)).collect();
                    out.push(("ansi", text));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The strings of WPP events inside the windows, at most `max_strings`.
/// Returns them with whether the cap cut some off.
pub fn etl_strings_reader<R: Read>(r: R, opts: &StringsOptions) -> (Vec<EtlString>, bool) {
    let mut out = Vec::new();
    let mut cut = false;
    if opts.windows.is_empty() {
        return (out, false);
    }
    walk_etl(r, &opts.etl, |v| {
        if v.record.kind != RecordKind::Wpp {
            return;
        }
        let Some(t) = v.time() else { return };
        if !opts.windows.iter().any(|w| t >= w.from && t <= w.to) {
            return;
        }
        for (enc, text) in payload_strings(v.record.payload, opts.min_chars, opts.max_chars) {
            if out.len() >= opts.max_strings {
                cut = true;
                return;
            }
            out.push(EtlString {
                time: t,
                message: v.record.guid.map(|g| {
                    format!(
                        "{}#{}",
                        guid_string(&g),
                        v.record.message_number.unwrap_or(0)
                    )
                }),
                encoding: enc.into(),
                looks_like: looks_like(&text).map(str::to_string),
                text,
            });
        }
    });
    (out, cut)
}

/// [`etl_strings_reader`] on a file opened for shared reading.
pub fn etl_strings_file(path: &Path, opts: &StringsOptions) -> io::Result<(Vec<EtlString>, bool)> {
    let f = crate::fsutil::open_shared(path)?;
    Ok(etl_strings_reader(
        io::BufReader::with_capacity(1 << 16, f),
        opts,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_in_both_encodings_and_what_they_look_like() {
        let mut p = Vec::new();
        p.extend_from_slice(&[1, 2, 3, 0]);
        for u in "https://mail.contoso.com/EWS/Exchange.asmx".encode_utf16() {
            p.extend_from_slice(&u.to_le_bytes());
        }
        p.extend_from_slice(&[0, 0, 0xff]);
        p.extend_from_slice(b"hr=0x80190191\0ab\0");
        let s = payload_strings(&p, 4, 400);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].0, "utf-16");
        assert_eq!(looks_like(&s[0].1), Some("ews-url"));
        assert_eq!(s[1], ("ansi", "hr=0x80190191".to_string()));
        assert_eq!(looks_like(&s[1].1), Some("hresult"));
        assert_eq!(looks_like("HTTP/1.1 401 Unauthorized"), Some("http-status"));
        assert_eq!(looks_like("(401) Unauthorized"), Some("http-status"));
        assert_eq!(looks_like("nothing here 1234"), None);
    }
}
