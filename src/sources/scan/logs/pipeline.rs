//! Reading, analysing and merging one log, on every core.
//!
//! One reader thread cuts the text into jobs of whole entries: the bytes
//! after the last entry start of what it read roll into the next job, as
//! ripgrep's line buffer rolls a partial line. Workers analyse jobs in any
//! order; the calling thread merges results in file order, which is where
//! a response in one job meets the request before it in another. Buffers
//! go back to the reader, so memory is a handful of chunks whatever the
//! file size.
//!
//! An entry that grows past [`MIN_WHOLE_ENTRY`] bytes (and the chunk size)
//! is cut at a line end: each part is then read as an entry of its own
//! that starts where the entry did (a request and its status still pair on
//! the entry's thread; a value on the line after the cut is not read).

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use chrono::NaiveDateTime;

use super::LogScanOptions;
use super::analyze::{Analyzer, BodyState, ChunkResult, Compiled, EntryStart, Job, walk_body};
use super::header::parse_entry_header;
use super::reduce::Reduction;
use super::source::{ChunkBuf, Chunker};

/// Chunks queued between the reader and the workers.
const QUEUE_DEPTH: usize = 2;

/// Entries up to this size are read whole whatever the chunk size, so a
/// small chunk gives the same facts as a large one.
const MIN_WHOLE_ENTRY: usize = 1 << 20;

pub(crate) struct StreamOutcome {
    pub agg: Reduction,
    pub entries: u64,
    pub lines: u64,
    pub truncated_lines: u64,
    pub error: Option<String>,
}

/// Cuts jobs of whole entries and carries the line count and byte offset
/// from one job to the next.
struct Feeder<R> {
    chunker: Chunker<R>,
    seq: u64,
    base_line: u64,
    base_offset: u64,
    /// Read but not yet handed out: from the last entry start on.
    roll: Vec<u8>,
    /// Bytes of an overlong line the reader dropped at the end of `roll`.
    roll_dropped: u64,
    /// The entry open where the next job starts, when it does not start at
    /// an entry start: lines before the first entry, or an entry cut for
    /// size.
    open: EntryStart,
    open_body: BodyState,
    max_entry: usize,
    consumed: Arc<AtomicU64>,
}

/// The last line of `buf` at or after `from` (a line start) that starts an
/// entry.
fn last_header(buf: &[u8], from: usize) -> Option<(usize, NaiveDateTime, u64)> {
    let mut end = buf.len();
    for nl in memchr::memrchr_iter(b'\n', &buf[from..])
        .map(|i| from + i)
        .chain(std::iter::once(from.wrapping_sub(1)))
    {
        let start = nl.wrapping_add(1);
        if start < end
            && matches!(buf[start], b'0'..=b'9' | b'T')
            && let Some(h) = parse_entry_header(&buf[start..end])
        {
            return Some((start, h.local, h.thread_id(&buf[start..end])));
        }
        end = nl;
    }
    None
}

impl<R: Read> Feeder<R> {
    /// A feeder at the start of its input, cutting entries up to `max_entry`.
    fn new(chunker: Chunker<R>, max_entry: usize, consumed: Arc<AtomicU64>) -> Self {
        Feeder {
            chunker,
            seq: 0,
            base_line: 0,
            base_offset: 0,
            roll: Vec::new(),
            roll_dropped: 0,
            open: EntryStart::ORPHAN,
            open_body: BodyState::Fresh,
            max_entry,
            consumed,
        }
    }

    fn next(&mut self, mut buf: ChunkBuf) -> io::Result<Option<Job>> {
        buf.clear();
        buf.extend_from_slice(&self.roll);
        self.roll.clear();
        let mut dropped = std::mem::take(&mut self.roll_dropped);
        // Read until an entry starts after the buffer's first byte; the
        // job ends there.
        let mut cut = None;
        let mut oversize = false;
        loop {
            let from = buf.len();
            let Some(d) = self.chunker.next_chunk(&mut buf)? else {
                break;
            };
            if let Some((pos, ..)) = last_header(&buf, from).filter(|h| h.0 > 0) {
                cut = Some(pos);
                self.roll_dropped = d;
                break;
            }
            dropped += d;
            if buf.len() >= self.max_entry {
                oversize = true;
                break;
            }
        }
        if let Some(pos) = cut {
            self.roll.extend_from_slice(&buf[pos..]);
            buf.truncate(pos);
        }
        if buf.is_empty() {
            return Ok(None);
        }
        let newlines = memchr::memchr_iter(b'\n', &buf).count() as u64;
        // Only the last job can end without a line end: its last line
        // still counts.
        let unterminated = u64::from(buf.last().is_some_and(|&b| b != b'\n'));
        let (inherited, inherited_body) = (self.open, self.open_body);
        if oversize {
            // The next job continues the entry open at this one's end.
            if let Some((pos, local, thread)) = last_header(&buf, 0) {
                let after = memchr::memchr_iter(b'\n', &buf[pos..]).count() as u64;
                self.open = EntryStart {
                    line: self.base_line + (newlines - after) + 1,
                    offset: self.base_offset + pos as u64,
                    local: Some(local),
                    thread,
                };
                self.open_body = walk_body(&buf[pos..], BodyState::Fresh).0;
            } else {
                self.open_body = walk_body(&buf, inherited_body).0;
            }
        }
        let len = buf.len() as u64;
        let job = Job {
            seq: self.seq,
            bytes: buf,
            base_line: self.base_line,
            base_offset: self.base_offset,
            inherited,
            inherited_body,
            consumed: self.consumed.load(Ordering::Relaxed),
        };
        self.seq += 1;
        self.base_line += newlines + unterminated;
        self.base_offset += len + dropped;
        Ok(Some(job))
    }
}

/// Results joined in file order.
struct Merge {
    agg: Reduction,
    entries: u64,
    overlong: u64,
}

impl Merge {
    fn apply(&mut self, r: ChunkResult) {
        self.agg.merge(r.agg);
        self.entries += r.entries;
        self.overlong += r.overlong_lines;
    }
}

pub(crate) struct StreamInput<'p, R> {
    pub reader: R,
    pub skip_partial_first_line: bool,
    pub consumed: Arc<AtomicU64>,
    pub file_idx: u32,
    pub path: &'p str,
    /// The whole input fits one chunk: no threads.
    pub small: bool,
}

pub(crate) fn scan_stream<R: Read + Send>(
    input: StreamInput<'_, R>,
    compiled: &Compiled,
    opts: &LogScanOptions,
    progress: &mut dyn FnMut(u64),
) -> StreamOutcome {
    let mut merge = Merge {
        agg: Reduction::new(input.file_idx, input.path),
        entries: 0,
        overlong: 0,
    };
    let mut feeder = Feeder::new(
        Chunker::new(
            input.reader,
            opts.chunk_bytes,
            opts.max_line_bytes,
            input.skip_partial_first_line,
        ),
        opts.chunk_bytes.max(MIN_WHOLE_ENTRY),
        input.consumed,
    );
    let workers = match opts.threads {
        // Each worker holds a chunk: four keep peak memory well under
        // 64 MiB on a big machine, and one reader feeds no more anyway.
        0 => std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(4),
        n => n,
    };
    let (read_result, feeder) = if input.small || workers <= 1 {
        let mut an = Analyzer::new(compiled, opts, input.file_idx, input.path);
        let mut buf = ChunkBuf::default();
        let result = loop {
            match feeder.next(std::mem::take(&mut buf)) {
                Ok(Some(job)) => {
                    let r = an.analyze(&job);
                    progress(r.consumed);
                    merge.apply(r);
                    buf = job.bytes;
                }
                Ok(None) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        (result, Some(feeder))
    } else {
        threaded(
            feeder,
            workers,
            compiled,
            opts,
            &input.file_idx,
            input.path,
            &mut merge,
            progress,
        )
    };
    let (cut, lines) = feeder.map_or((0, 0), |f| (f.chunker.truncated_lines, f.base_line));
    // A line is overlong once: cut by the reader, or whole in a chunk.
    let truncated_lines = cut + merge.overlong;
    merge.agg.close_file();
    StreamOutcome {
        agg: merge.agg,
        entries: merge.entries,
        lines,
        truncated_lines,
        error: read_result.err().map(|e| e.to_string()),
    }
}

#[allow(clippy::too_many_arguments)]
fn threaded<R: Read + Send>(
    mut feeder: Feeder<R>,
    workers: usize,
    compiled: &Compiled,
    opts: &LogScanOptions,
    file_idx: &u32,
    path: &str,
    merge: &mut Merge,
    progress: &mut dyn FnMut(u64),
) -> (io::Result<()>, Option<Feeder<R>>) {
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = mpsc::sync_channel::<Job>(QUEUE_DEPTH);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (res_tx, res_rx) = mpsc::channel::<ChunkResult>();
        let (buf_tx, buf_rx) = mpsc::channel::<ChunkBuf>();

        let reader = scope.spawn(move || {
            let result = loop {
                let buf = buf_rx.try_recv().unwrap_or_default();
                match feeder.next(buf) {
                    Ok(Some(job)) => {
                        if job_tx.send(job).is_err() {
                            break Ok(());
                        }
                    }
                    Ok(None) => break Ok(()),
                    Err(e) => break Err(e),
                }
            };
            (result, feeder)
        });

        for _ in 0..workers {
            let job_rx = Arc::clone(&job_rx);
            let res_tx = res_tx.clone();
            let buf_tx = buf_tx.clone();
            let file_idx = *file_idx;
            scope.spawn(move || {
                let mut an = Analyzer::new(compiled, opts, file_idx, path);
                loop {
                    let job = {
                        let Ok(rx) = job_rx.lock() else { break };
                        match rx.recv() {
                            Ok(job) => job,
                            Err(_) => break,
                        }
                    };
                    let r = an.analyze(&job);
                    let _ = buf_tx.send(job.bytes);
                    if res_tx.send(r).is_err() {
                        break;
                    }
                }
            });
        }
        drop(res_tx);
        drop(buf_tx);

        let mut pending: BTreeMap<u64, ChunkResult> = BTreeMap::new();
        let mut next = 0u64;
        for r in res_rx {
            pending.insert(r.seq, r);
            while let Some(r) = pending.remove(&next) {
                progress(r.consumed);
                merge.apply(r);
                next += 1;
            }
        }
        match reader.join() {
            Ok((result, feeder)) => (result, Some(feeder)),
            Err(_) => (
                Err(io::Error::other("the log reader stopped unexpectedly")),
                None,
            ),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_header_looks_backwards() {
        let buf = b"11/24/2026|09:58:01.123 A INFO :: one\nbody\n11/24/2026|09:58:02.000 A INFO :: two\nmore\nlines";
        let (pos, local, _) = last_header(buf, 0).unwrap();
        assert_eq!(pos, 43);
        assert_eq!(local.to_string(), "2026-11-24 09:58:02");
        assert_eq!(last_header(buf, 43).map(|h| h.0), Some(43));
        assert!(last_header(buf, 82).is_none());
        assert!(last_header(b"no\nheaders\n", 0).is_none());
        assert!(last_header(b"", 0).is_none());
        assert_eq!(
            last_header(b"11/24/2026|09:58:01 x", 0).map(|h| h.0),
            Some(0)
        );
    }

    fn jobs(text: &[u8], chunk: usize, max_entry: usize) -> Vec<Job> {
        let mut f = Feeder::new(
            Chunker::new(text, chunk, 1 << 20, false),
            max_entry,
            Arc::default(),
        );
        std::iter::from_fn(|| f.next(ChunkBuf::default()).unwrap()).collect()
    }

    #[test]
    fn jobs_hold_whole_entries() {
        let text = b"orphan\n11/24/2026|09:58:01.123 A INFO :: one\nbody\nbody\n11/24/2026|09:58:02.000 A INFO :: two\nmore\n";
        for chunk in 1..text.len() + 2 {
            let js = jobs(text, chunk, 1 << 20);
            let joined: Vec<u8> = js.iter().flat_map(|j| j.bytes.to_vec()).collect();
            assert_eq!(joined, text, "chunk {chunk}");
            for j in &js[1..] {
                assert!(j.bytes.starts_with(b"11/24/2026"), "chunk {chunk}");
            }
            // Lines and offsets run on from job to job.
            let mut line = 0;
            let mut offset = 0;
            for j in &js {
                assert_eq!((j.base_line, j.base_offset), (line, offset));
                line += memchr::memchr_iter(b'\n', &j.bytes).count() as u64;
                offset += j.bytes.len() as u64;
            }
        }
    }

    #[test]
    fn an_entry_past_the_size_bound_is_cut_and_continued() {
        let mut text =
            b"11/24/2026|09:58:01.123 A INFO :: MESSAGE sip:a@b SIP/2.0\nTo: a\n\n".to_vec();
        for _ in 0..2000 {
            text.extend_from_slice(b"secret\n");
        }
        let js = jobs(&text, 1000, 4096);
        assert!(js.len() > 2);
        let joined: Vec<u8> = js.iter().flat_map(|j| j.bytes.to_vec()).collect();
        assert_eq!(joined, text);
        let last = js.last().unwrap();
        assert_eq!(last.inherited.line, 1);
        assert_eq!(last.inherited.offset, 0);
        // The message body stays unread in the continuation too.
        assert_eq!(last.inherited_body, BodyState::Body);
    }
}
