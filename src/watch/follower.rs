//! The log follower: the newest UccApilog of one Tracing folder, read as
//! it grows and followed across rotations (to `.bak`, or to a newer log),
//! decoded with the scanner's own sniffing and decoding (`TextEncoding`:
//! a BOM, or UTF-16 without one told by its NULs). What is written during
//! the watch is kept as [`WindowSegment`]s; the entries the rules judge are
//! told to the sink as they appear.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::MAX_WINDOW_BYTES;
use super::events::{self, WatchEvent};
use crate::fsutil::{display_path, open_shared, system_time_utc};
use crate::sources::scan::logs::{
    LogScanOptions, TextEncoding, inventory_tracing_dir, scan_log_bytes, sniff,
};

/// Bytes of a log's start that tell one generation from the next.
const HEAD_BYTES: usize = 256;
/// Bytes read from a log per look (the rest at the next look).
const READ_BYTES: u64 = 16 << 20;

/// Log text written during the watch, from one file generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowSegment {
    /// The file the text was written to (its name at the time).
    pub path: String,
    /// Where in that file the text starts.
    pub start: u64,
    /// The text, UTF-8 (a UTF-16 log is decoded).
    pub text: Vec<u8>,
}

impl WindowSegment {
    /// How evidence names it: line numbers count from `start`.
    pub fn display(&self) -> String {
        format!("{} (from byte {})", self.path, self.start)
    }
}

/// Which file generation a path holds: its first bytes (and on Unix its inode).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ident {
    head: Vec<u8>,
    inode: Option<(u64, u64)>,
}

fn inode(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

fn ident_of(path: &Path) -> Option<(Ident, u64, Option<DateTime<Utc>>)> {
    let mut f = open_shared(path).ok()?;
    let meta = f.metadata().ok()?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut f)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    Some((
        Ident {
            head,
            inode: inode(&meta),
        },
        meta.len(),
        meta.modified().ok().and_then(system_time_utc),
    ))
}

/// The same generation: same inode where known, and the head we knew is
/// still the start of the file.
fn same_generation(known: &Ident, now: &Ident) -> bool {
    if let (Some(a), Some(b)) = (known.inode, now.inode)
        && a != b
    {
        return false;
    }
    now.head.starts_with(&known.head)
}

/// The log file of one Tracing folder being followed.
struct Followed {
    path: PathBuf,
    offset: u64,
    ident: Ident,
    enc: TextEncoding,
    /// The BOM's length at the start of this generation.
    bom: usize,
    modified: Option<DateTime<Utc>>,
}

/// Follows the newest `Lync-UccApi-*.UccApilog` of one Tracing folder
/// across rotations, keeping what is written.
pub(super) struct Follower {
    dir: PathBuf,
    current: Option<Followed>,
    /// The live logs as they were when the watch started: (path, ident, length).
    at_start: Vec<(PathBuf, Ident, u64)>,
    segments: Vec<WindowSegment>,
    kept: usize,
}

fn live_logs(dir: &Path) -> Vec<(PathBuf, Option<DateTime<Utc>>)> {
    inventory_tracing_dir(dir)
        .map(|inv| {
            inv.logs
                .into_iter()
                .filter(|p| !p.extension().is_some_and(|e| e.eq_ignore_ascii_case("bak")))
                .map(|p| {
                    let m = std::fs::symlink_metadata(&p)
                        .ok()
                        .and_then(|m| m.modified().ok())
                        .and_then(system_time_utc);
                    (p, m)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The newest live log (by last write, then name).
fn newest(logs: &[(PathBuf, Option<DateTime<Utc>>)]) -> Option<&(PathBuf, Option<DateTime<Utc>>)> {
    logs.iter().max_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)))
}

impl Follower {
    pub(super) fn start(dir: PathBuf) -> Follower {
        let logs = live_logs(&dir);
        let at_start = logs
            .iter()
            .filter_map(|(p, _)| ident_of(p).map(|(id, len, _)| (p.clone(), id, len)))
            .collect();
        let mut f = Follower {
            dir,
            current: None,
            at_start,
            segments: Vec::new(),
            kept: 0,
        };
        if let Some((p, _)) = newest(&logs) {
            let p = p.clone();
            f.follow(&p);
        }
        f
    }

    pub(super) fn describe(&self) -> String {
        match &self.current {
            Some(c) => display_path(&c.path),
            None => format!("{} (no log yet)", display_path(&self.dir)),
        }
    }

    /// The log text kept, oldest first.
    pub(super) fn into_segments(self) -> Vec<WindowSegment> {
        self.segments
    }

    /// Start following `path`: from the end of its last complete line when
    /// it is the file that was there when the watch started, else from its start.
    fn follow(&mut self, path: &Path) {
        let Some((ident, len, modified)) = ident_of(path) else {
            return;
        };
        // The scanner's own sniffing: a BOM, or UTF-16 told by its NULs.
        let (enc, bom) = sniff(&ident.head);
        let known = self
            .at_start
            .iter()
            .find(|(p, id, _)| p == path && same_generation(id, &ident))
            .map(|(_, _, len)| *len);
        let offset = match known {
            Some(start_len) => line_start_before(path, start_len.min(len), enc),
            None => 0,
        };
        self.segments.push(WindowSegment {
            path: display_path(path),
            start: offset,
            text: Vec::new(),
        });
        self.current = Some(Followed {
            path: path.to_path_buf(),
            offset,
            ident,
            enc,
            bom,
            modified,
        });
    }

    /// Read what was appended; notice a rotation or a newer log.
    pub(super) fn poll(&mut self, sink: &mut dyn FnMut(WatchEvent), log: &LogScanOptions) {
        let mut rotated_from = None;
        if let Some(cur) = self.current.take() {
            match ident_of(&cur.path) {
                Some((id, len, modified))
                    if same_generation(&cur.ident, &id) && len >= cur.offset =>
                {
                    let mut cur = cur;
                    if cur.ident.head.len() < HEAD_BYTES && id.head.len() > cur.ident.head.len() {
                        cur.ident.head = id.head;
                        // Told again from more bytes while nothing was read.
                        if cur.offset == 0 {
                            (cur.enc, cur.bom) = sniff(&cur.ident.head);
                        }
                    }
                    cur.modified = modified;
                    self.current = Some(cur);
                }
                _ => {
                    // A new generation at this name, or none: the rest of
                    // the old one is in its `.bak`, where the client moved it.
                    let mut cur = cur;
                    if let Some(bak) = self.bak_of(&cur)
                        && let Some((_, len, _)) = ident_of(&bak)
                    {
                        self.read(&mut cur, &bak, len, true, sink, log);
                    }
                    rotated_from = Some(display_path(&cur.path));
                }
            }
        }
        let logs = live_logs(&self.dir);
        let newest = newest(&logs).cloned();
        match (&self.current, newest) {
            (None, Some((p, _))) => {
                self.follow(&p);
                if let Some(from) = rotated_from.take() {
                    sink(WatchEvent::LogRotated {
                        from,
                        to: display_path(&p),
                    });
                }
            }
            (Some(cur), Some((p, m))) if p != cur.path && m > cur.modified => {
                // A newer log under another name: finish this one, follow that.
                if let Some(mut old) = self.current.take()
                    && let Some((_, len, _)) = ident_of(&old.path)
                {
                    let path = old.path.clone();
                    self.read(&mut old, &path, len, true, sink, log);
                    sink(WatchEvent::LogRotated {
                        from: display_path(&old.path),
                        to: display_path(&p),
                    });
                }
                self.follow(&p);
            }
            _ => {}
        }
        if let Some(cur) = self.current.take() {
            let mut cur = cur;
            if let Some((id, len, _)) = ident_of(&cur.path)
                && same_generation(&cur.ident, &id)
                && len > cur.offset
            {
                let path = cur.path.clone();
                self.read(&mut cur, &path, len, false, sink, log);
            }
            self.current = Some(cur);
        }
    }

    /// The `.bak` next to the followed log that holds its generation.
    fn bak_of(&self, cur: &Followed) -> Option<PathBuf> {
        let name = cur.path.file_name()?.to_string_lossy().to_ascii_lowercase() + ".bak";
        let found = std::fs::read_dir(&self.dir)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase() == name)
            })?;
        let (id, _, _) = ident_of(&found)?;
        // Renamed, so the inode is the same; the head is the same either way.
        (id.head.starts_with(&cur.ident.head)
            && (cur.ident.inode.is_none() || id.inode == cur.ident.inode))
            .then_some(found)
    }

    /// Read `from`'s bytes between the followed offset and `len`; only
    /// complete lines unless `to_end` (a finished generation).
    fn read(
        &mut self,
        cur: &mut Followed,
        from: &Path,
        len: u64,
        to_end: bool,
        sink: &mut dyn FnMut(WatchEvent),
        log: &LogScanOptions,
    ) {
        while len > cur.offset {
            let want = (len - cur.offset).min(READ_BYTES);
            let Ok(mut f) = open_shared(from) else { return };
            if f.seek(SeekFrom::Start(cur.offset)).is_err() {
                return;
            }
            let mut buf = Vec::with_capacity(want as usize);
            if (&mut f).take(want).read_to_end(&mut buf).is_err() {
                return;
            }
            drop(f);
            let take = if to_end && want == len - cur.offset {
                cur.enc.whole_units(buf.len())
            } else {
                cur.enc.complete(&buf)
            };
            if take == 0 {
                return;
            }
            let start = cur.offset;
            cur.offset += take as u64;
            let mut skip = 0;
            if start == 0 {
                skip = cur.bom;
            }
            let text = cur.enc.decode(&buf[skip.min(take)..take]);
            self.live(&text, &display_path(from), sink, log);
            if self.kept + text.len() <= MAX_WINDOW_BYTES {
                self.kept += text.len();
                let path = display_path(&cur.path);
                match self.segments.last_mut() {
                    Some(seg) if seg.path == path => seg.text.extend_from_slice(&text),
                    _ => self.segments.push(WindowSegment { path, start, text }),
                }
            }
        }
    }

    /// Report the offline-message, EWS and SIP entries in freshly read text.
    fn live(
        &self,
        text: &[u8],
        path: &str,
        sink: &mut dyn FnMut(WatchEvent),
        log: &LogScanOptions,
    ) {
        let opts = LogScanOptions {
            threads: 1,
            progress: None,
            ..log.clone()
        };
        for e in events::log_entries(&scan_log_bytes(path, text, &opts)) {
            sink(e);
        }
    }
}

/// The start of the line `len` lies in (so a line half written when the
/// watch started is read whole).
fn line_start_before(path: &Path, len: u64, enc: TextEncoding) -> u64 {
    let back = len.min(64 * 1024);
    let Ok(mut f) = open_shared(path) else {
        return len;
    };
    if f.seek(SeekFrom::Start(len - back)).is_err() {
        return len;
    }
    let mut buf = Vec::with_capacity(back as usize);
    if (&mut f).take(back).read_to_end(&mut buf).is_err() {
        return len;
    }
    let keep = enc.whole_units(buf.len());
    match enc.complete(&buf[..keep]) {
        0 if len == back => 0,
        0 => len,
        n => len - back + n as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_lines_end_at_the_last_line_end() {
        assert_eq!(TextEncoding::Utf8.complete(b"a\nb\nc"), 4);
        assert_eq!(TextEncoding::Utf8.complete(b"abc"), 0);
        assert_eq!(TextEncoding::Utf16Le.complete(b"a\0\n\0b\0"), 4);
        assert_eq!(TextEncoding::Utf16Be.complete(b"\0a\0\n\0b"), 4);
    }

    #[test]
    fn a_generation_is_told_by_its_head() {
        let a = Ident {
            head: b"11/24/2026|09:00".to_vec(),
            inode: None,
        };
        let grown = Ident {
            head: b"11/24/2026|09:00:00.000 more".to_vec(),
            inode: None,
        };
        let other = Ident {
            head: b"11/24/2026|09:05".to_vec(),
            inode: None,
        };
        assert!(same_generation(&a, &grown));
        assert!(!same_generation(&a, &other));
        let moved = Ident {
            inode: Some((1, 2)),
            ..a.clone()
        };
        let replaced = Ident {
            inode: Some((1, 3)),
            ..a.clone()
        };
        assert!(!same_generation(&moved, &replaced));
    }
}
