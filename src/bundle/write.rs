//! Writing a bundle: members are streamed through a SHA-256 as they are
//! written, logs through the redactor with `--redact`, and the manifest goes
//! last. What goes in is decided by `collect`; this only writes.

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// The file under the zip writer. After its first write or seek error
/// (a full disk) it fails nothing more and writes nothing, keeping only a
/// position as a file would: the error has reached the caller already, and
/// the zip writer's own `Drop` (which finalises the archive and prints any
/// error on stderr, which a library must not) then finds nothing to report.
struct Latch<W> {
    inner: W,
    failed: Arc<AtomicBool>,
    /// The position, and the end, as the zip writer sees them.
    pos: u64,
    end: u64,
}

impl<W> Latch<W> {
    fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }
    fn fail(&self) {
        self.failed.store(true, Ordering::Relaxed);
    }
}

impl<W: Write> Write for Latch<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.failed() {
            self.pos += buf.len() as u64;
            self.end = self.end.max(self.pos);
            return Ok(buf.len());
        }
        let n = self.inner.write(buf).inspect_err(|_| self.fail())?;
        self.pos += n as u64;
        self.end = self.end.max(self.pos);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.failed() {
            return Ok(());
        }
        self.inner.flush().inspect_err(|_| self.fail())
    }
}

impl<W: io::Seek> io::Seek for Latch<W> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        if self.failed() {
            let base = match pos {
                io::SeekFrom::Start(p) => Some(p),
                io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
                io::SeekFrom::End(d) => self.end.checked_add_signed(d),
            };
            self.pos = base.unwrap_or(self.pos);
            self.end = self.end.max(self.pos);
            return Ok(self.pos);
        }
        let p = self.inner.seek(pos).inspect_err(|_| self.fail())?;
        self.pos = p;
        self.end = self.end.max(p);
        Ok(p)
    }
}

pub struct BundleWriter<W: Write + io::Seek> {
    zip: ZipWriter<Latch<W>>,
    failed: Arc<AtomicBool>,
    files: Vec<ManifestFile>,
}

/// A write error worded for people: what failed and what to do.
fn worded(e: io::Error) -> io::Error {
    let hint = match e.kind() {
        io::ErrorKind::StorageFull => {
            "the disk is full; free some space or write the bundle elsewhere with --out"
        }
        io::ErrorKind::PermissionDenied => "no permission to write there; choose another --out",
        _ => "the bundle could not be written; nothing was kept",
    };
    io::Error::new(e.kind(), format!("{hint} ({e})"))
}

fn zip_error(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => worded(e),
        e => io::Error::other(format!("the bundle could not be written: {e}")),
    }
}

impl<W: Write + io::Seek> BundleWriter<W> {
    pub fn new(inner: W) -> Self {
        let failed = Arc::new(AtomicBool::new(false));
        BundleWriter {
            zip: ZipWriter::new(Latch {
                inner,
                failed: failed.clone(),
                pos: 0,
                end: 0,
            }),
            failed,
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
        self.zip.start_file(name, opts).map_err(zip_error)?;
        let mut h = Hashing {
            inner: &mut self.zip,
            hash: Sha256::new(),
            bytes: 0,
        };
        let failed = &self.failed;
        fill(&mut h).map_err(|e| {
            if failed.load(Ordering::Relaxed) {
                worded(e)
            } else {
                e
            }
        })?;
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
        let latch = self.zip.finish().map_err(zip_error)?;
        let mut inner = latch.inner;
        inner.flush().map_err(worded)?;
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

/// Why a finished bundle was not put at `--out`.
#[derive(Debug)]
pub enum PlaceError {
    /// The target appeared while the bundle was written (another run):
    /// it is left as it is.
    AppearedMeanwhile,
    Io(io::Error),
}

/// Give the finished temporary file its final name: exclusively (never
/// replacing a file that appeared since the start check) unless `replace`
/// (`--force`). On failure the temporary file is removed.
pub fn place(
    tmp: tempfile::NamedTempFile,
    out: &std::path::Path,
    replace: bool,
) -> Result<(), PlaceError> {
    let placed = if replace {
        tmp.persist(out).map(|_| ())
    } else {
        tmp.persist_noclobber(out).map(|_| ())
    };
    placed.map_err(|e| {
        if !replace && e.error.kind() == io::ErrorKind::AlreadyExists {
            PlaceError::AppearedMeanwhile
        } else {
            PlaceError::Io(e.error)
        }
    })
}

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn a_target_that_appeared_meanwhile_is_never_replaced() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("ticket.zip");
        let mut tmp = tempfile::NamedTempFile::new_in(d.path()).unwrap();
        tmp.write_all(b"new bundle").unwrap();
        // Another run wrote the same name after the start check.
        std::fs::write(&out, b"the other run's bundle").unwrap();
        assert!(matches!(
            place(tmp, &out, false),
            Err(PlaceError::AppearedMeanwhile)
        ));
        assert_eq!(std::fs::read(&out).unwrap(), b"the other run's bundle");
        // Only the other run's file is left: the temporary one is gone.
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn force_replaces() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("ticket.zip");
        std::fs::write(&out, b"old").unwrap();
        let mut tmp = tempfile::NamedTempFile::new_in(d.path()).unwrap();
        tmp.write_all(b"new").unwrap();
        place(tmp, &out, true).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
    }

    /// A writer that fails like a full disk after `room` bytes.
    struct Full {
        room: usize,
        pos: u64,
    }
    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            self.pos += n as u64;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    impl io::Seek for Full {
        fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
            if let io::SeekFrom::Start(p) = pos {
                self.pos = p;
            }
            Ok(self.pos)
        }
    }

    #[test]
    fn a_full_disk_is_worded_for_people() {
        let mut w = BundleWriter::new(Full { room: 1000, pos: 0 });
        // Bytes that do not compress, so the writes reach the disk.
        let mut x: u32 = 1;
        let noise: Vec<u8> = (0..200_000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect();
        let e = w
            .member("logs/a.UccApilog", None, None, |o| o.write_all(&noise))
            .unwrap_err();
        assert!(e.to_string().starts_with("the disk is full"), "{e}");
        // Dropped after the error: nothing left for the zip writer's Drop to report.
        drop(w);
    }
}
