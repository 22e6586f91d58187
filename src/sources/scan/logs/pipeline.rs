//! Reading, analysing and merging one log, on every core.
//!
//! One reader thread cuts the text into chunks of whole lines and notes
//! where the entry open at each chunk's start began (a backwards look from
//! the chunk's end, a few lines at most); workers analyse chunks in any
//! order; the calling thread merges results in file order. Buffers go back
//! to the reader, so memory is a handful of chunks whatever the file size.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use chrono::NaiveDateTime;

use super::LogScanOptions;
use super::analyze::{
    Analyzer, BodyState, ChunkResult, Compiled, EntryFlags, EntryStart, Job, PendingValue,
    walk_body,
};
use super::header::parse_entry_header;
use super::reduce::{EntryCtx, Reduction};
use super::source::Chunker;

/// Chunks queued between the reader and the workers.
const QUEUE_DEPTH: usize = 2;

pub(crate) struct StreamOutcome {
    pub agg: Reduction,
    pub entries: u64,
    pub lines: u64,
    pub truncated_lines: u64,
    pub error: Option<String>,
}

/// Cuts chunks and carries the line count, byte offset and open entry from
/// one chunk to the next.
struct Feeder<R> {
    chunker: Chunker<R>,
    seq: u64,
    base_line: u64,
    base_offset: u64,
    open: EntryStart,
    open_body: BodyState,
    consumed: Arc<AtomicU64>,
}

/// The last line of `buf` that starts an entry.
fn last_header(buf: &[u8]) -> Option<(usize, NaiveDateTime, u64)> {
    let mut end = buf.len();
    for nl in memchr::memrchr_iter(b'\n', buf).chain(std::iter::once(usize::MAX)) {
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
    fn next(&mut self, mut buf: Vec<u8>) -> io::Result<Option<Job>> {
        let Some(dropped) = self.chunker.next_chunk(&mut buf)? else {
            return Ok(None);
        };
        let newlines = memchr::memchr_iter(b'\n', &buf).count() as u64;
        // Only the last chunk can end without a line end: its last line
        // still counts.
        let unterminated = u64::from(buf.last().is_some_and(|&b| b != b'\n'));
        let inherited = self.open;
        let inherited_body = self.open_body;
        if let Some((pos, local, thread)) = last_header(&buf) {
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

/// Joins chunk results in order: entries that cross chunk boundaries are
/// completed here.
struct Merge {
    open: (EntryCtx, EntryFlags),
    /// The previous chunk's element whose value is on this chunk's first line.
    pending_value: Option<PendingValue>,
    agg: Reduction,
    entries: u64,
    overlong: u64,
}

impl Merge {
    fn apply(&mut self, r: ChunkResult) {
        if let (Some(p), Some(lead)) = (self.pending_value.take(), r.lead.as_deref()) {
            p.complete(lead, &mut self.agg);
        }
        self.pending_value = r.pending_value;
        self.open.1.join(r.head);
        if let Some(tail) = r.tail {
            let (ctx, flags) = std::mem::replace(&mut self.open, tail);
            flags.finish(&ctx, &mut self.agg);
        }
        self.agg.merge(r.agg);
        self.entries += r.entries;
        self.overlong += r.overlong_lines;
    }

    fn finish(mut self) -> (Reduction, u64) {
        let (ctx, flags) = self.open;
        flags.finish(&ctx, &mut self.agg);
        self.agg.close_file();
        (self.agg, self.entries)
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
    let orphan = EntryCtx {
        line: EntryStart::ORPHAN.line,
        offset: EntryStart::ORPHAN.offset,
        ts: None,
        thread: 0,
    };
    let mut merge = Merge {
        open: (orphan, EntryFlags::default()),
        pending_value: None,
        agg: Reduction::new(input.file_idx, input.path),
        entries: 0,
        overlong: 0,
    };
    let mut feeder = Feeder {
        chunker: Chunker::new(
            input.reader,
            opts.chunk_bytes,
            opts.max_line_bytes,
            input.skip_partial_first_line,
        ),
        seq: 0,
        base_line: 0,
        base_offset: 0,
        open: EntryStart::ORPHAN,
        open_body: BodyState::Fresh,
        consumed: input.consumed,
    };
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
        let mut buf = Vec::new();
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
    let (agg, entries) = merge.finish();
    StreamOutcome {
        agg,
        entries,
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
        let (buf_tx, buf_rx) = mpsc::channel::<Vec<u8>>();

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
        let (pos, local, _) = last_header(buf).unwrap();
        assert_eq!(pos, 43);
        assert_eq!(local.to_string(), "2026-11-24 09:58:02");
        assert!(last_header(b"no\nheaders\n").is_none());
        assert!(last_header(b"").is_none());
        assert_eq!(last_header(b"11/24/2026|09:58:01 x").map(|h| h.0), Some(0));
    }
}
