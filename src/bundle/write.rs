//! Writing a bundle: members are streamed through a SHA-256 as they are
//! written, logs through the redactor with `--redact`, and the manifest goes
//! last. What goes in is decided by `collect`; this only writes.

use std::io::{self, Read, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::format::{MANIFEST, Manifest, ManifestFile, hex};
use crate::redact::{LogRedactor, Redactor};

/// A writer that hashes and counts what passes through.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub struct BundleWriter<W: Write + io::Seek> {
    zip: ZipWriter<W>,
    files: Vec<ManifestFile>,
}

impl<W: Write + io::Seek> BundleWriter<W> {
    pub fn new(inner: W) -> Self {
        BundleWriter {
            zip: ZipWriter::new(inner),
            files: Vec::new(),
        }
    }

    /// Members written so far.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// No member written yet.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// One member, filled by `fill`; its size and SHA-256 go to the manifest.
    pub fn member(
        &mut self,
        name: &str,
        source: Option<String>,
        modified: Option<DateTime<Utc>>,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let opts = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(true);
        self.zip.start_file(name, opts).map_err(io::Error::other)?;
        let mut h = Hashing {
            inner: &mut self.zip,
            hash: Sha256::new(),
            bytes: 0,
        };
        fill(&mut h)?;
        self.files.push(ManifestFile {
            path: name.to_string(),
            source,
            size: h.bytes,
            modified,
            sha256: hex(&h.hash.finalize()),
        });
        Ok(())
    }

    pub fn json<T: Serialize>(&mut self, name: &str, value: &T) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
        self.member(name, None, None, |w| w.write_all(&bytes))
    }

    /// Write the manifest (with every member written so far) and close the
    /// zip; returns the inner writer, the member count and the bytes stored.
    pub fn finish(mut self, mut manifest: Manifest) -> io::Result<(W, usize, u64)> {
        manifest.files = std::mem::take(&mut self.files);
        let members = manifest.files.len() + 1;
        let bytes = manifest.files.iter().map(|f| f.size).sum();
        let manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        self.member(MANIFEST, None, None, |o| o.write_all(&manifest_bytes))?;
        let inner = self.zip.finish().map_err(io::Error::other)?;
        Ok((inner, members, bytes))
    }
}

/// Stream a log's lines through the redactor: decoded as the scanner
/// decodes it (UTF-8, or UTF-16 by its BOM or by its NUL pattern without
/// one), so one redaction pass sees the text whatever the encoding;
/// bounded line length, UTF-8 and CRLF out.
/// Without a redactor (no `--redact`) only message text and credentials
/// are removed.
pub fn copy_redacted(
    input: impl Read,
    out: &mut dyn Write,
    r: Option<&Redactor>,
) -> io::Result<()> {
    let mut lr = LogRedactor::new(r);
    each_line(input, &mut |line: &str| {
        if let Some(l) = lr.line(line) {
            out.write_all(l.as_bytes())?;
            out.write_all(b"\r\n")?;
        }
        Ok(())
    })?;
    if let Some(note) = lr.finish() {
        out.write_all(note.as_bytes())?;
        out.write_all(b"\r\n")?;
    }
    Ok(())
}

/// Learn the names in a log (decoded as [`copy_redacted`] decodes it), so
/// a name written before the line that teaches it is replaced too.
pub fn learn_from(input: impl Read, r: &mut Redactor) -> io::Result<()> {
    each_line(input, &mut |line: &str| {
        r.learn(line);
        Ok(())
    })
}

/// Every line of a log, decoded, without its line end.
fn each_line(input: impl Read, f: &mut dyn FnMut(&str) -> io::Result<()>) -> io::Result<()> {
    const MAX_LINE: usize = 1 << 20;
    const SNIFF: usize = 64;
    let mut input = io::BufReader::with_capacity(64 * 1024, input);
    let mut head = [0u8; SNIFF];
    let mut n = 0;
    while n < SNIFF {
        let k = input.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let (text_enc, bom) = crate::sources::scan::logs::sniff(&head[..n]);
    let enc = match text_enc {
        crate::sources::scan::logs::TextEncoding::Utf8 => encoding_rs::UTF_8,
        crate::sources::scan::logs::TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
        crate::sources::scan::logs::TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
    };
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut pending = String::new();
    let mut skipping = false;
    let mut emit = |line: &str| f(line.trim_end_matches('\r'));
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = head[bom..n].to_vec();
    loop {
        let k = input.read(&mut buf)?;
        let last = k == 0;
        carry.extend_from_slice(&buf[..k]);
        let mut text = String::with_capacity(carry.len() + 16);
        let (_, read, _) = decoder.decode_to_string(&carry, &mut text, last);
        carry.drain(..read);
        for piece in text.split_inclusive('\n') {
            if skipping {
                if piece.ends_with('\n') {
                    skipping = false;
                }
                continue;
            }
            pending.push_str(piece);
            if pending.ends_with('\n') {
                emit(pending.trim_end_matches('\n'))?;
                pending.clear();
            } else if pending.len() > MAX_LINE {
                // An overlong line is kept in part; the rest is skipped.
                let mut cut = MAX_LINE;
                while !pending.is_char_boundary(cut) {
                    cut -= 1;
                }
                pending.truncate(cut);
                emit(&pending)?;
                pending.clear();
                skipping = true;
            }
        }
        if last {
            break;
        }
    }
    if !pending.is_empty() {
        emit(&pending)?;
    }
    Ok(())
}

/// A file or folder name made safe as one part of a member name.
pub fn safe_member_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}
