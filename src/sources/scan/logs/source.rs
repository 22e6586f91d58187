//! From a file (or any reader) to chunks of whole UTF-8-ish lines.
//!
//! - Encoding: a UTF-8 BOM is skipped; UTF-16 LE/BE (by BOM, or by the
//!   unmistakable NUL pattern of ASCII text without one) is transcoded to
//!   UTF-8 by encoding_rs as a stream; anything else is scanned as bytes,
//!   invalid UTF-8 and NULs included.
//! - Chunks end at a line end, so no line is ever split between two
//!   workers. A line longer than `max_line` keeps its first `max_line`
//!   bytes (the analysis never looks further, whichever way the text was
//!   chunked); the rest is skipped without being held in memory.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_16BE, UTF_16LE};

/// How much of the start is looked at to tell the encoding.
const SNIFF: usize = 64;
/// Read granularity while a long line is being collected or skipped.
const READ_BLOCK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    pub(crate) fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
        }
    }

    /// Bytes up to and including the last line end in `buf` (a whole code
    /// unit for UTF-16), so text read in pieces is cut only between lines.
    pub(crate) fn complete(self, buf: &[u8]) -> usize {
        let unit = match self {
            TextEncoding::Utf8 => return memchr::memrchr(b'\n', buf).map_or(0, |i| i + 1),
            TextEncoding::Utf16Le => [b'\n', 0],
            TextEncoding::Utf16Be => [0, b'\n'],
        };
        let mut end = buf.len() & !1;
        while end >= 2 {
            if buf[end - 2..end] == unit {
                return end;
            }
            end -= 2;
        }
        0
    }

    /// Whole code units only: a byte count cut down to an even one for UTF-16.
    pub(crate) fn whole_units(self, len: usize) -> usize {
        match self {
            TextEncoding::Utf8 => len,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => len & !1,
        }
    }

    /// A piece of text (no BOM) as UTF-8, as the scanner transcodes it.
    pub(crate) fn decode(self, bytes: &[u8]) -> Vec<u8> {
        match self.encoding() {
            None => bytes.to_vec(),
            Some(enc) => enc
                .decode_without_bom_handling(bytes)
                .0
                .into_owned()
                .into_bytes(),
        }
    }

    fn encoding(self) -> Option<&'static Encoding> {
        match self {
            TextEncoding::Utf8 => None,
            TextEncoding::Utf16Le => Some(UTF_16LE),
            TextEncoding::Utf16Be => Some(UTF_16BE),
        }
    }
}

/// The encoding and the length of its BOM, from the first bytes.
pub(crate) fn sniff(head: &[u8]) -> (TextEncoding, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (TextEncoding::Utf8, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (TextEncoding::Utf16Le, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (TextEncoding::Utf16Be, 2);
    }
    // Without a BOM, UTF-16 ASCII text has a NUL in every other byte. A
    // UTF-8 log with stray NULs does not look like that for 16+ pairs.
    let pairs = head.len() / 2;
    if pairs >= 8 {
        let mut le = 0;
        let mut be = 0;
        for p in head[..pairs * 2].chunks_exact(2) {
            match (p[0], p[1]) {
                (a, 0) if a != 0 => le += 1,
                (0, b) if b != 0 => be += 1,
                _ => {}
            }
        }
        if le * 10 >= pairs * 9 {
            return (TextEncoding::Utf16Le, 0);
        }
        if be * 10 >= pairs * 9 {
            return (TextEncoding::Utf16Be, 0);
        }
    }
    (TextEncoding::Utf8, 0)
}

/// Counts the raw bytes read, for progress.
pub(crate) struct Counting<R> {
    pub inner: R,
    pub count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// UTF-16 to UTF-8, streaming; malformed input becomes U+FFFD.
pub(crate) struct Transcoder<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    in_eof: bool,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    finished: bool,
}

impl<R: Read> Transcoder<R> {
    pub(crate) fn new(inner: R, encoding: &'static Encoding) -> Self {
        Transcoder {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; READ_BLOCK],
            in_start: 0,
            in_end: 0,
            in_eof: false,
            output: vec![0; READ_BLOCK * 2],
            out_start: 0,
            out_end: 0,
            finished: false,
        }
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.finished || buf.is_empty() {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.in_eof {
                let n = read_retrying(&mut self.inner, &mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.in_eof = n == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.in_eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.in_eof && result == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
    }
}

fn read_retrying<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// A chunk's bytes in a buffer that is reused from chunk to chunk. Its
/// memory is zeroed once, when it first grows: later chunks are read over
/// the bytes of earlier ones (a `Vec` cleared and refilled by `read_to_end`
/// zeroes its spare capacity before every read, a memset of the whole log).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ChunkBuf {
    /// Initialised memory; `mem[..len]` is the chunk.
    mem: Vec<u8>,
    len: usize,
}

impl ChunkBuf {
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.mem[..self.len]
    }

    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// `n` writable bytes after the chunk (zeroed only the first time).
    fn spare(&mut self, n: usize) -> &mut [u8] {
        let end = self.len + n;
        if self.mem.len() < end {
            self.mem.resize(end, 0);
        }
        &mut self.mem[self.len..end]
    }

    pub(crate) fn extend_from_slice(&mut self, bytes: &[u8]) {
        self.spare(bytes.len()).copy_from_slice(bytes);
        self.len += bytes.len();
    }

    pub(crate) fn push(&mut self, b: u8) {
        self.extend_from_slice(&[b]);
    }

    /// Drop `from..to` of the chunk.
    fn remove(&mut self, from: usize, to: usize) {
        self.mem.copy_within(to..self.len, from);
        self.len -= to - from;
    }

    /// Append up to `n` bytes from `r`; fewer only at its end.
    fn read_from<R: Read + ?Sized>(&mut self, r: &mut R, n: usize) -> io::Result<usize> {
        let mut done = 0;
        while done < n {
            // At most READ_BLOCK per call: a copy that stays in the cache
            // (one 2 MiB read spent three times as long in the kernel).
            let got = read_retrying(r, self.spare((n - done).min(READ_BLOCK)))?;
            if got == 0 {
                break;
            }
            self.len += got;
            done += got;
        }
        Ok(done)
    }
}

impl std::ops::Deref for ChunkBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl From<&[u8]> for ChunkBuf {
    fn from(bytes: &[u8]) -> Self {
        ChunkBuf {
            mem: bytes.to_vec(),
            len: bytes.len(),
        }
    }
}

/// Cuts a byte stream into chunks of whole lines.
pub(crate) struct Chunker<R> {
    src: R,
    carry: Vec<u8>,
    eof: bool,
    chunk: usize,
    max_line: usize,
    /// Tail scans start mid-line: drop everything up to the first line end.
    skip_partial_first_line: bool,
    pub truncated_lines: u64,
}

impl<R: Read> Chunker<R> {
    pub(crate) fn new(
        src: R,
        chunk: usize,
        max_line: usize,
        skip_partial_first_line: bool,
    ) -> Self {
        Chunker {
            src,
            carry: Vec::new(),
            eof: false,
            chunk: chunk.max(1),
            max_line: max_line.max(1),
            skip_partial_first_line,
            truncated_lines: 0,
        }
    }

    /// Append up to `n` bytes to `buf`; notes the end of input.
    fn read_more(&mut self, buf: &mut ChunkBuf, n: usize) -> io::Result<()> {
        if buf.read_from(&mut self.src, n)? < n {
            self.eof = true;
        }
        Ok(())
    }

    /// Read and drop the rest of the current line; the bytes after its
    /// line end become the carry. Returns how many bytes were dropped and
    /// whether a line end was found.
    fn skip_line(&mut self) -> io::Result<(u64, bool)> {
        let mut scratch = vec![0u8; READ_BLOCK];
        let mut dropped = 0u64;
        loop {
            let n = read_retrying(&mut self.src, &mut scratch)?;
            if n == 0 {
                self.eof = true;
                return Ok((dropped, false));
            }
            if let Some(i) = memchr::memchr(b'\n', &scratch[..n]) {
                self.carry.extend_from_slice(&scratch[i + 1..n]);
                return Ok((dropped + i as u64, true));
            }
            dropped += n as u64;
        }
    }

    /// Append the next chunk to `buf` (which ends at a line end, or is
    /// empty). Returns `None` at the end, else how many bytes of an
    /// overlong line were dropped at the end of what was appended.
    pub(crate) fn next_chunk(&mut self, buf: &mut ChunkBuf) -> io::Result<Option<u64>> {
        let base = buf.len();
        buf.extend_from_slice(&self.carry);
        self.carry.clear();
        if self.skip_partial_first_line {
            loop {
                if let Some(i) = memchr::memchr(b'\n', &buf[base..]) {
                    buf.remove(base, base + i + 1);
                    self.skip_partial_first_line = false;
                    break;
                }
                buf.truncate(base);
                if self.eof {
                    return Ok(None);
                }
                self.read_more(buf, READ_BLOCK)?;
            }
        }
        if buf.len() - base < self.chunk && !self.eof {
            let want = self.chunk - (buf.len() - base);
            self.read_more(buf, want)?;
        }
        let mut searched = base;
        loop {
            if self.eof {
                return Ok((buf.len() > base).then_some(0));
            }
            if let Some(i) = memchr::memrchr(b'\n', &buf[searched..]) {
                let i = searched + i;
                self.carry.extend_from_slice(&buf[i + 1..]);
                buf.truncate(i + 1);
                return Ok(Some(0));
            }
            // What was appended is the start of one line (it began at a
            // line start and holds no line end).
            searched = buf.len();
            let line = buf.len() - base;
            if line >= self.max_line {
                buf.truncate(base + self.max_line);
                let (mut dropped, found) = self.skip_line()?;
                dropped += (line - self.max_line) as u64;
                // A line of exactly `max_line` bytes lost nothing.
                if dropped > 0 {
                    self.truncated_lines += 1;
                }
                if found {
                    buf.push(b'\n');
                }
                return Ok(Some(dropped));
            }
            let want = (self.max_line - line).min(READ_BLOCK.max(self.chunk));
            self.read_more(buf, want)?;
        }
    }
}

/// Open a log for shared reading, refusing links and anything that is not
/// a regular file (a FIFO would hang the scan, a device would never end).
pub(crate) fn open_log(path: &Path) -> io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // The running client holds the log open for writing and rolls it
        // over by renaming: share everything.
        const FILE_SHARE_READ: u32 = 0x1;
        const FILE_SHARE_WRITE: u32 = 0x2;
        const FILE_SHARE_DELETE: u32 = 0x4;
        // Open a symbolic link or junction itself, never its target.
        const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
        opts.share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE);
        opts.custom_flags(FILE_FLAG_OPEN_REPARSE_POINT);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}

/// A readable log positioned where scanning starts.
pub(crate) struct Prepared<R> {
    pub reader: R,
    pub encoding: TextEncoding,
    /// Raw bytes skipped at the start (BOM, or everything before the tail).
    pub start: u64,
    pub tail_only: bool,
    /// A file is read up to the size it had when opened; this handle tells
    /// afterwards whether it grew meanwhile.
    pub opened: Option<SizeAtOpen>,
}

/// A log's size when it was opened, and a handle to look again.
pub(crate) struct SizeAtOpen {
    file: File,
    size: u64,
}

impl SizeAtOpen {
    /// The fact for the report when the file grew while it was read (the
    /// client writes its log while the tool runs): what was read stops at
    /// the size seen at open.
    pub(crate) fn grew(&self) -> Option<String> {
        let now = self.file.metadata().ok()?.len();
        (now > self.size).then(|| {
            format!(
                "grew while read ({} bytes at open, {now} after): read up to the size at open",
                self.size
            )
        })
    }
}

/// Sniff the encoding of `file` and position it: past the BOM, or at the
/// last `max_bytes` when the file is bigger than that.
pub(crate) fn prepare_file(
    mut file: File,
    size: u64,
    max_bytes: u64,
) -> io::Result<Prepared<Box<dyn Read + Send>>> {
    let mut head = Vec::with_capacity(SNIFF);
    (&mut file).take(SNIFF as u64).read_to_end(&mut head)?;
    let (encoding, bom) = sniff(&head);
    let bom = bom as u64;
    let mut start = bom;
    let tail_only = size.saturating_sub(bom) > max_bytes;
    if tail_only {
        start = size - max_bytes;
        if encoding != TextEncoding::Utf8 && (start - bom) % 2 == 1 {
            // Stay on a UTF-16 code unit boundary.
            start += 1;
        }
    }
    file.seek(SeekFrom::Start(start))?;
    let opened = file.try_clone().ok().map(|f| SizeAtOpen { file: f, size });
    // Never past the size seen at open: a log written while it is read
    // would otherwise be followed to its moving end.
    let bounded = file.take(size.saturating_sub(start));
    Ok(Prepared {
        reader: wrap(bounded, encoding),
        encoding,
        start,
        tail_only,
        opened,
    })
}

/// Sniff the encoding of a reader that cannot seek (a buffer, an archive
/// member); the sniffed head is put back in front.
pub(crate) fn prepare_reader<'r, R: Read + Send + 'r>(
    mut reader: R,
) -> io::Result<Prepared<Box<dyn Read + Send + 'r>>> {
    let mut head = Vec::with_capacity(SNIFF);
    (&mut reader).take(SNIFF as u64).read_to_end(&mut head)?;
    let (encoding, bom) = sniff(&head);
    head.drain(..bom);
    let chained = io::Cursor::new(head).chain(reader);
    Ok(Prepared {
        reader: wrap(chained, encoding),
        encoding,
        start: bom as u64,
        tail_only: false,
        opened: None,
    })
}

fn wrap<'r, R: Read + Send + 'r>(r: R, encoding: TextEncoding) -> Box<dyn Read + Send + 'r> {
    match encoding.encoding() {
        Some(enc) => Box::new(Transcoder::new(r, enc)),
        None => Box::new(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(data: &[u8], chunk: usize, max_line: usize) -> Vec<(Vec<u8>, u64)> {
        let mut c = Chunker::new(data, chunk, max_line, false);
        let mut out = Vec::new();
        let mut buf = ChunkBuf::default();
        while let Some(dropped) = c.next_chunk(&mut buf).unwrap() {
            out.push((std::mem::take(&mut buf).to_vec(), dropped));
        }
        out
    }

    #[test]
    fn chunks_end_at_line_ends_and_rebuild_the_input() {
        let data = b"a\nbb\nccc\n\ndddd\neeeee";
        for size in 1..25 {
            let parts = chunks(data, size, 1 << 20);
            let joined: Vec<u8> = parts.iter().flat_map(|(b, _)| b.clone()).collect();
            assert_eq!(joined, data, "size {size}");
            for (b, _) in &parts[..parts.len() - 1] {
                assert_eq!(b.last(), Some(&b'\n'), "size {size}");
            }
        }
    }

    #[test]
    fn long_lines_are_cut_the_same_way_whatever_the_chunk() {
        let mut data = b"short\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 100));
        data.extend_from_slice(b"\nafter\n");
        for size in 1..130 {
            let parts = chunks(&data, size, 10);
            let joined: Vec<u8> = parts.iter().flat_map(|(b, _)| b.clone()).collect();
            let dropped: u64 = parts.iter().map(|(_, d)| d).sum();
            // Offsets stay true: what was kept plus what was dropped.
            assert_eq!(
                joined.len() as u64 + dropped,
                data.len() as u64,
                "size {size}"
            );
            // The analysis sees each line's first 10 bytes, either way.
            let seen: Vec<&[u8]> = joined
                .split(|&b| b == b'\n')
                .map(|l| &l[..l.len().min(10)])
                .collect();
            assert_eq!(
                seen,
                [&b"short"[..], b"xxxxxxxxxx", b"after", b""],
                "size {size}"
            );
        }
    }

    #[test]
    fn skips_the_partial_first_line() {
        let mut c = Chunker::new(&b"tail of a line\nwhole\n"[..], 4, 100, true);
        let mut buf = ChunkBuf::default();
        while c.next_chunk(&mut buf).unwrap().is_some() {}
        assert_eq!(buf.as_slice(), b"whole\n");
    }

    #[test]
    fn sniffs_encodings() {
        assert_eq!(sniff(b"\xEF\xBB\xBFx"), (TextEncoding::Utf8, 3));
        assert_eq!(sniff(b"\xFF\xFEx\0"), (TextEncoding::Utf16Le, 2));
        assert_eq!(sniff(b"\xFE\xFF\0x"), (TextEncoding::Utf16Be, 2));
        let le: Vec<u8> = "11/24/2026|09:58:01.123 INFO"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(sniff(&le).0, TextEncoding::Utf16Le);
        let be: Vec<u8> = "11/24/2026|09:58:01.123 INFO"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(sniff(&be).0, TextEncoding::Utf16Be);
        assert_eq!(
            sniff(b"ab\0\0cd\0\0ef\0\0gh\0\0ij\0\0").0,
            TextEncoding::Utf8
        );
        assert_eq!(sniff(b"").0, TextEncoding::Utf8);
    }

    #[test]
    fn transcodes_utf16_in_small_reads() {
        let text = "line one é\r\nline two ✓\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let mut t = Transcoder::new(&le[..], UTF_16LE);
        let mut out = Vec::new();
        let mut b = [0u8; 3];
        loop {
            let n = t.read(&mut b).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&b[..n]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), text);
        // A truncated code unit at the end becomes U+FFFD, not a panic.
        let mut t = Transcoder::new(&le[..le.len() - 1], UTF_16LE);
        let mut s = String::new();
        t.read_to_string(&mut s).unwrap();
        assert!(s.ends_with('\u{fffd}'));
    }
}
