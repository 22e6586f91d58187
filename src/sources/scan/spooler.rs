//! The `History Spooler` folder: messages the client could not process
//! within its two-minute timer stay here ("Enable or Disable Offline Instant Messaging (IM) in Skype for Business Server").
//!
//! The files' names and format are documented nowhere public,
//! so each entry is listed with size and modification time, its type is sniffed from the
//! first bytes, and a recipient address is reported where the headers or
//! XML show one. Message text is never kept: only the sniffed type and
//! addresses leave this module.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;
use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;

use crate::fsutil::{display_path, read_head, system_time_utc};

/// How much of a file is read to sniff its type and find a recipient.
const SNIFF_BYTES: usize = 64 * 1024;
/// Subfolders are listed this deep, never deeper (no unbounded recursion).
const MAX_DEPTH: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum EntryKind {
    File,
    Folder,
    Symlink,
    Fifo,
    Socket,
    Device,
    Other,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What the first bytes of a spooled file look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum SniffedType {
    Empty,
    Xml,
    MimeHeaders,
    /// UTF-16 with a byte-order mark (the content below it is sniffed too).
    #[strum(serialize = "utf-16 xml")]
    Utf16Xml,
    #[strum(serialize = "utf-16 mime-headers")]
    Utf16MimeHeaders,
    #[strum(serialize = "utf-16 text")]
    Utf16Text,
    Text,
    Binary,
}

impl SniffedType {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpoolerEntry {
    /// Path relative to the spooler folder, lossy UTF-8 (see `name_not_utf8`).
    pub name: String,
    /// True when the name was not valid UTF-8 (Windows names that did not survive a copy).
    pub name_not_utf8: bool,
    pub path: String,
    pub kind: EntryKind,
    pub size: Option<u64>,
    /// Last written, as the file system says. Ages and "stuck" are the
    /// check's business (they depend on `--now` and `--stuck-after`).
    pub modified: Option<DateTime<Utc>>,
    pub sniffed: Option<SniffedType>,
    /// Addresses the file names as recipient (or, failing that, any it names).
    pub addresses: Vec<String>,
    /// Why it could not be inspected fully.
    pub problem: Option<String>,
}

/// Everything found in one profile's `History Spooler`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SpoolerScan {
    pub path: Option<String>,
    pub present: bool,
    pub entries: Vec<SpoolerEntry>,
    /// The folder itself could not be listed.
    pub problem: Option<String>,
}

impl SpoolerScan {
    pub fn files(&self) -> impl Iterator<Item = &SpoolerEntry> {
        self.entries.iter().filter(|e| e.kind == EntryKind::File)
    }
}

fn kind_of(ft: &std::fs::FileType) -> EntryKind {
    if ft.is_symlink() {
        return EntryKind::Symlink;
    }
    if ft.is_dir() {
        return EntryKind::Folder;
    }
    if ft.is_file() {
        return EntryKind::File;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return EntryKind::Fifo;
        }
        if ft.is_socket() {
            return EntryKind::Socket;
        }
        if ft.is_block_device() || ft.is_char_device() {
            return EntryKind::Device;
        }
    }
    EntryKind::Other
}

/// Scan one spooler folder. `None` means the profile has no spooler folder.
pub fn scan_spooler(dir: Option<&Path>) -> SpoolerScan {
    let Some(dir) = dir else {
        return SpoolerScan::default();
    };
    let mut scan = SpoolerScan {
        path: Some(display_path(dir)),
        present: true,
        entries: Vec::new(),
        problem: None,
    };
    if let Err(e) = std::fs::read_dir(dir) {
        scan.problem = Some(format!("cannot list the folder: {e}"));
        return scan;
    }
    let walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(MAX_DEPTH)
        .follow_links(false)
        .sort_by_file_name();
    for item in walker {
        match item {
            Ok(entry) => scan
                .entries
                .push(inspect(dir, entry.path(), entry.file_type())),
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| dir.to_path_buf());
                scan.entries.push(problem_entry(dir, &path, e.to_string()));
            }
        }
    }
    scan
}

fn relative_name(dir: &Path, path: &Path) -> (String, bool) {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let lossy = rel.to_string_lossy();
    let not_utf8 = rel.to_str().is_none();
    (lossy.into_owned(), not_utf8)
}

fn problem_entry(dir: &Path, path: &Path, problem: String) -> SpoolerEntry {
    let (name, name_not_utf8) = relative_name(dir, path);
    SpoolerEntry {
        name,
        name_not_utf8,
        path: display_path(path),
        kind: EntryKind::Other,
        size: None,
        modified: None,
        sniffed: None,
        addresses: Vec::new(),
        problem: Some(problem),
    }
}

fn inspect(dir: &Path, path: &Path, ft: std::fs::FileType) -> SpoolerEntry {
    let mut e = problem_entry(dir, path, String::new());
    e.problem = None;
    e.kind = kind_of(&ft);
    // symlink_metadata: a symlink is described, never followed.
    match std::fs::symlink_metadata(path) {
        Ok(meta) => {
            if e.kind == EntryKind::File {
                e.size = Some(meta.len());
            }
            e.modified = meta.modified().ok().and_then(system_time_utc);
        }
        Err(err) => {
            e.problem = Some(format!("cannot read its metadata: {err}"));
            return e;
        }
    }
    match e.kind {
        EntryKind::File => match read_head(path, SNIFF_BYTES) {
            Ok(head) => {
                let (t, addrs) = sniff(&head);
                e.sniffed = Some(t);
                e.addresses = addrs;
            }
            Err(err) => e.problem = Some(format!("cannot be read: {err}")),
        },
        EntryKind::Symlink => {
            let target = std::fs::read_link(path)
                .map(|t| t.to_string_lossy().into_owned())
                .unwrap_or_else(|_| "?".into());
            e.problem = Some(format!("symlink to {target} (not followed)"));
        }
        EntryKind::Fifo | EntryKind::Socket | EntryKind::Device | EntryKind::Other => {
            e.problem = Some(format!("{} (not opened)", e.kind.as_str()));
        }
        EntryKind::Folder => {}
    }
    e
}

static SIP_URI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bsip:([A-Z0-9._%+\-]+@[A-Z0-9.\-]+\.[A-Z]{2,})").expect("static regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([A-Z0-9._%+\-]+@[A-Z0-9.\-]+\.[A-Z]{2,})\b").expect("static regex")
});
static MIME_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9\-]{0,60}:[ \t]").expect("static regex"));
static TO_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^(?:to|cc|x-ms-recipient|recipient)[ \t]*:[ \t]*(.*)$").expect("static regex")
});
static RECIPIENT_ELEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<(?:[a-z0-9]+:)?(?:to|recipient|recipients|torecipients|target)\b[^>]*>(.{0,512}?)</"#)
        .expect("static regex")
});

/// Sniff the type of a spooled file from its first bytes and pick out the
/// recipient addresses it shows. Message text is never returned.
pub fn sniff(head: &[u8]) -> (SniffedType, Vec<String>) {
    if head.is_empty() {
        return (SniffedType::Empty, Vec::new());
    }
    let (text, utf16) = if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(head) {
        let (cow, _) = enc.decode_without_bom_handling(&head[bom..]);
        (Some(cow.into_owned()), enc != encoding_rs::UTF_8)
    } else if looks_textual(head) {
        (Some(String::from_utf8_lossy(head).into_owned()), false)
    } else {
        (None, false)
    };
    let Some(text) = text else {
        return (SniffedType::Binary, Vec::new());
    };
    let trimmed = text.trim_start();
    let first_line = trimmed.lines().next().unwrap_or("");
    let base = if trimmed.starts_with('<') {
        SniffedType::Xml
    } else if MIME_HEADER.is_match(first_line) {
        SniffedType::MimeHeaders
    } else {
        SniffedType::Text
    };
    let t = match (utf16, base) {
        (false, b) => b,
        (true, SniffedType::Xml) => SniffedType::Utf16Xml,
        (true, SniffedType::MimeHeaders) => SniffedType::Utf16MimeHeaders,
        (true, _) => SniffedType::Utf16Text,
    };
    let addresses = match base {
        SniffedType::Xml => recipients_in(&text, &RECIPIENT_ELEMENT),
        SniffedType::MimeHeaders => {
            // Only the header block: the body is message text.
            let headers = text.split("\r\n\r\n").next().unwrap_or("");
            let headers = headers.split("\n\n").next().unwrap_or("");
            recipients_in(headers, &TO_HEADER)
        }
        _ => Vec::new(),
    };
    (t, addresses)
}

fn recipients_in(text: &str, recipient_field: &Regex) -> Vec<String> {
    fn push(found: &mut Vec<String>, a: &str) {
        let a = a.to_ascii_lowercase();
        if !found.contains(&a) && found.len() < 5 {
            found.push(a);
        }
    }
    let mut found: Vec<String> = Vec::new();
    for cap in recipient_field.captures_iter(text) {
        let field = cap.get(1).map_or("", |m| m.as_str());
        for m in EMAIL.captures_iter(field) {
            push(&mut found, &m[1]);
        }
    }
    if found.is_empty() {
        // No recognisable recipient field: the SIP URIs it names are the best evidence.
        for m in SIP_URI.captures_iter(text) {
            push(&mut found, &m[1]);
        }
    }
    found
}

/// Mostly printable bytes with no NULs: text in some 8-bit or UTF-8 encoding.
fn looks_textual(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(4096)];
    if memchr::memchr(0, sample).is_some() {
        return false;
    }
    let odd = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    odd * 20 < sample.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_types() {
        assert_eq!(sniff(b"").0, SniffedType::Empty);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><a/>").0, SniffedType::Xml);
        assert_eq!(
            sniff(b"To: bob@x.com\r\nSubject: hi\r\n\r\nbody").0,
            SniffedType::MimeHeaders
        );
        assert_eq!(sniff(b"\x00\x01\x02\x03\xff").0, SniffedType::Binary);
        assert_eq!(sniff(b"hello there").0, SniffedType::Text);
        let mut u16 = vec![0xFF, 0xFE];
        for c in "<msg to=\"sip:a@b.com\"/>".encode_utf16() {
            u16.extend_from_slice(&c.to_le_bytes());
        }
        let (t, a) = sniff(&u16);
        assert_eq!(t, SniffedType::Utf16Xml);
        assert_eq!(a, vec!["a@b.com"]);
    }

    #[test]
    fn recipient_from_mime_headers_only() {
        let (_, a) =
            sniff(b"From: me@x.com\r\nTo: Bob <Bob@Fabrikam.com>\r\n\r\nmail carol@secret.com");
        assert_eq!(a, vec!["bob@fabrikam.com"]);
    }

    #[test]
    fn recipient_from_xml_element() {
        let (_, a) = sniff(b"<m><from>sip:me@x.com</from><to>sip:bob@fabrikam.com</to><body>hi dave@y.com</body></m>");
        assert_eq!(a, vec!["bob@fabrikam.com"]);
    }
}
