//! The ETW container of an `.etl` trace, read without Windows: the buffers,
//! the logfile header, each record's kind and time. The WPP message text is
//! not decoded (that needs Microsoft's private format files); see
//! `docs/etl.md` for the layout and its sources.
//!
//! Hardened like the PE and bundle readers: checked arithmetic, no
//! `unsafe`, no panic on any input, a cap on the buffer size and on the
//! records read, memory bounded by one buffer. A file that cannot be read
//! (fully) keeps what was read and says why in [`EtlSummary::error`].

mod header;
mod record;
mod strings;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use header::{ClockType, LogfileHeader};
use record::walk_area;
pub use strings::{EtlString, StringWindow, StringsOptions, etl_strings_file, etl_strings_reader};

/// Size of the `WMI_BUFFER_HEADER` that starts every buffer.
pub const BUFFER_HEADER_SIZE: usize = 0x48;
/// Buffers larger than this are refused (ETW's own maximum is far smaller).
pub const DEFAULT_MAX_BUFFER_SIZE: u32 = 16 * 1024 * 1024;
/// Records read from one file at most; the rest is counted as not read.
pub const DEFAULT_MAX_RECORDS: u64 = 100_000_000;
/// Distinct message GUIDs counted one by one; the rest go to `other`.
pub const MAX_GUIDS: usize = 256;
/// Distinct minutes counted (a week); later minutes are not bucketed.
pub const MAX_MINUTES: usize = 7 * 24 * 60;

/// `ETW_BUFFER_FLAG_COMPRESSED` in `WMI_BUFFER_HEADER.BufferFlag`.
const BUFFER_FLAG_COMPRESSED: u16 = 0x40;
/// `EVENT_TRACE_FILE_MODE_CIRCULAR`.
const MODE_CIRCULAR: u32 = 0x0000_0002;
/// `EVENT_TRACE_COMPRESSED_MODE`.
const MODE_COMPRESSED: u32 = 0x0400_0000;

#[derive(Debug, Clone, Copy)]
pub struct EtlOptions {
    pub max_buffer_size: u32,
    pub max_records: u64,
}

impl Default for EtlOptions {
    fn default() -> Self {
        EtlOptions {
            max_buffer_size: DEFAULT_MAX_BUFFER_SIZE,
            max_records: DEFAULT_MAX_RECORDS,
        }
    }
}

/// The kind of a record, from its header type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// `SYSTEM_TRACE_HEADER` (also the logfile header record).
    System,
    /// The compact form of the system header.
    Compact,
    /// `PERFINFO_TRACE_HEADER`.
    PerfInfo,
    /// `EVENT_TRACE_HEADER` (classic provider, full or instance header).
    Trace,
    /// `EVENT_HEADER` (manifest-based or TraceLogging provider).
    Event,
    /// `MESSAGE_TRACE_HEADER`: a WPP software-trace message.
    Wpp,
}

impl RecordKind {
    pub fn name(self) -> &'static str {
        match self {
            RecordKind::System => "system",
            RecordKind::Compact => "compact",
            RecordKind::PerfInfo => "perfinfo",
            RecordKind::Trace => "trace",
            RecordKind::Event => "event",
            RecordKind::Wpp => "wpp",
        }
    }
}

/// One record as the walk sees it.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub kind: RecordKind,
    /// The raw timestamp (in the trace's clock), when the record has one.
    pub raw_time: Option<u64>,
    /// The message GUID (WPP) or provider GUID (event and trace headers).
    pub guid: Option<[u8; 16]>,
    /// WPP message number.
    pub message_number: Option<u16>,
    /// The hook group of system, compact and perfinfo records; group 0
    /// (`EVENT_TRACE_GROUP_HEADER`) is the session's own bookkeeping.
    pub group: Option<u8>,
    /// The bytes after the record's header.
    pub payload: &'a [u8],
}

/// A count by message or provider GUID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidCount {
    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, or `other` for what passed the cap.
    pub guid: String,
    /// `wpp`, `event` or `trace`.
    pub kind: String,
    pub records: u64,
}

/// Events that started in one minute (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinuteCount {
    pub minute: DateTime<Utc>,
    pub events: u64,
}

/// What could honestly be read from one `.etl` file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EtlSummary {
    /// The logger (session) name from the logfile header.
    pub logger: Option<String>,
    /// What the header claims: when the session started and ended.
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// From the event records themselves (the logfile header record excluded).
    pub first_event: Option<DateTime<Utc>>,
    pub last_event: Option<DateTime<Utc>>,
    pub events: u64,
    pub events_lost: u64,
    pub buffers_lost: u64,
    pub buffers_written: u64,
    /// Buffers read from the file (a truncated last one included).
    pub buffers_read: u64,
    pub buffer_size: u32,
    pub pointer_size: u32,
    /// `qpc`, `system-time`, `cpu-cycle` or `unknown (N)`.
    pub clock: Option<String>,
    pub log_file_mode: u32,
    pub circular: bool,
    /// The log-file mode says compressed, or compressed buffers were seen.
    pub compressed: bool,
    /// Records by kind (`system`, `wpp`, `event`, ...), the header record included.
    pub kinds: BTreeMap<String, u64>,
    /// Records by GUID, most first, at most [`MAX_GUIDS`] plus `other`.
    pub guids: Vec<GuidCount>,
    /// Events per minute, oldest first.
    pub per_minute: Vec<MinuteCount>,
    /// Why (part of) the file could not be read; null when it was read whole.
    pub error: Option<String>,
}

impl EtlSummary {
    /// Events in the minutes from `from` to `to` (whole minutes, inclusive).
    pub fn events_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
        let from = minute_floor(from);
        self.per_minute
            .iter()
            .filter(|m| m.minute >= from && m.minute <= to)
            .map(|m| m.events)
            .sum()
    }
}

/// Little-endian readers that never panic: `None` past the end.
pub(crate) fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub(crate) fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(s))
}

pub(crate) fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s: [u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(s))
}

pub(crate) fn guid_at(b: &[u8], at: usize) -> Option<[u8; 16]> {
    b.get(at..at.checked_add(16)?)?.try_into().ok()
}

/// A GUID in its registry form (the first three fields little-endian).
pub fn guid_string(g: &[u8; 16]) -> String {
    format!(
        "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        u32::from_le_bytes([g[0], g[1], g[2], g[3]]),
        u16::from_le_bytes([g[4], g[5]]),
        u16::from_le_bytes([g[6], g[7]]),
        g[8],
        g[9],
        g[10],
        g[11],
        g[12],
        g[13],
        g[14],
        g[15]
    )
}

/// A FILETIME (100 ns since 1601-01-01 UTC) as a time; 0 and absurd values are none.
pub fn filetime(ft: u64) -> Option<DateTime<Utc>> {
    // 1601-01-01 to 1970-01-01 in 100 ns ticks.
    const EPOCH_DIFF: u64 = 116_444_736_000_000_000;
    if ft == 0 {
        return None;
    }
    let unix_ticks = i64::try_from(ft).ok()?.checked_sub(EPOCH_DIFF as i64)?;
    let secs = unix_ticks.div_euclid(10_000_000);
    let nanos = u32::try_from(unix_ticks.rem_euclid(10_000_000)).ok()? * 100;
    DateTime::from_timestamp(secs, nanos)
}

fn minute_floor(t: DateTime<Utc>) -> DateTime<Utc> {
    let s = t.timestamp();
    DateTime::from_timestamp(s - s.rem_euclid(60), 0).unwrap_or(t)
}

/// Converts raw record times to UTC by the logfile header's clock.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    kind: ClockType,
    /// FILETIME of the header's start.
    start_ft: u64,
    /// The header record's raw timestamp.
    base: u64,
    /// Ticks per second of the raw clock.
    freq: u64,
}

impl Clock {
    pub fn from_header(h: &LogfileHeader, header_record_time: u64) -> Clock {
        let freq = match h.clock {
            ClockType::Qpc => h.perf_freq,
            ClockType::CpuCycle => u64::from(h.cpu_mhz).saturating_mul(1_000_000),
            _ => 0,
        };
        Clock {
            kind: h.clock,
            start_ft: h.start_time,
            base: header_record_time,
            freq,
        }
    }

    /// The raw time as a FILETIME.
    pub fn filetime(&self, raw: u64) -> Option<u64> {
        match self.kind {
            ClockType::SystemTime => Some(raw),
            ClockType::Qpc | ClockType::CpuCycle if self.freq > 0 && self.start_ft > 0 => {
                // start + (raw - base) * 10^7 / freq, signed; in 64 bits
                // when that cannot overflow, else in 128.
                let delta = i128::from(raw) - i128::from(self.base);
                let ticks = if self.freq == 10_000_000 {
                    delta
                } else if let Some(q) = i64::try_from(delta)
                    .ok()
                    .and_then(|d| d.checked_mul(10_000_000))
                    .zip(i64::try_from(self.freq).ok())
                    .and_then(|(d, f)| d.checked_div(f))
                {
                    i128::from(q)
                } else {
                    delta.checked_mul(10_000_000)? / i128::from(self.freq)
                };
                u64::try_from(i128::from(self.start_ft).checked_add(ticks)?).ok()
            }
            _ => None,
        }
    }

    pub fn time(&self, raw: u64) -> Option<DateTime<Utc>> {
        self.filetime(raw).and_then(filetime)
    }
}

fn read_full<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// An event record as handed to a visitor, with its time as a FILETIME.
pub struct Visit<'r, 'a> {
    pub record: &'r Record<'a>,
    pub filetime: Option<u64>,
}

impl Visit<'_, '_> {
    /// The record's time in UTC.
    pub fn time(&self) -> Option<DateTime<Utc>> {
        self.filetime.and_then(filetime)
    }
}

/// 100 ns ticks in a minute.
const FT_MINUTE: u64 = 600_000_000;

/// Counts while walking: kinds, GUIDs, minutes. Records mostly repeat the
/// previous GUID and minute, so each run is counted before it is looked up.
#[derive(Default)]
struct Tally {
    kinds: BTreeMap<&'static str, u64>,
    guids: HashMap<([u8; 16], RecordKind), u64>,
    run_guid: Option<([u8; 16], RecordKind)>,
    run_guid_n: u64,
    other_guids: u64,
    /// Minutes as FILETIME / minute.
    minutes: BTreeMap<u64, u64>,
    run_minute: Option<u64>,
    run_minute_n: u64,
    minutes_full: bool,
    first: Option<u64>,
    last: Option<u64>,
}

impl Tally {
    fn flush_guid(&mut self) {
        if let Some(key) = self.run_guid.take() {
            let n = std::mem::take(&mut self.run_guid_n);
            if let Some(c) = self.guids.get_mut(&key) {
                *c += n;
            } else if self.guids.len() < MAX_GUIDS {
                self.guids.insert(key, n);
            } else {
                self.other_guids += n;
            }
        }
    }

    fn flush_minute(&mut self) {
        if let Some(m) = self.run_minute.take() {
            let n = std::mem::take(&mut self.run_minute_n);
            if let Some(c) = self.minutes.get_mut(&m) {
                *c += n;
            } else if self.minutes.len() < MAX_MINUTES {
                self.minutes.insert(m, n);
            } else {
                self.minutes_full = true;
            }
        }
    }

    fn flush(&mut self) {
        self.flush_guid();
        self.flush_minute();
    }

    /// Count one event; its time as a FILETIME.
    fn event(&mut self, rec: &Record<'_>, clock: Option<&Clock>) -> Option<u64> {
        if let Some(g) = rec.guid
            && matches!(
                rec.kind,
                RecordKind::Wpp | RecordKind::Event | RecordKind::Trace
            )
        {
            let key = (g, rec.kind);
            if self.run_guid != Some(key) {
                self.flush_guid();
                self.run_guid = Some(key);
            }
            self.run_guid_n += 1;
        }
        let ft = clock.zip(rec.raw_time).and_then(|(c, t)| c.filetime(t))?;
        // Only times a date can hold (FILETIME 0 is no time).
        filetime(ft)?;
        self.first = Some(self.first.map_or(ft, |f| f.min(ft)));
        self.last = Some(self.last.map_or(ft, |l| l.max(ft)));
        let minute = ft / FT_MINUTE;
        if self.run_minute != Some(minute) {
            self.flush_minute();
            self.run_minute = Some(minute);
        }
        self.run_minute_n += 1;
        Some(ft)
    }
}

/// Read an `.etl` file (opened for shared reading) into its summary.
pub fn read_etl_file(path: &Path) -> EtlSummary {
    match crate::fsutil::open_shared(path) {
        Ok(f) => read_etl(
            io::BufReader::with_capacity(1 << 16, f),
            &EtlOptions::default(),
        ),
        Err(e) => EtlSummary {
            error: Some(format!("cannot be opened: {e}")),
            ..EtlSummary::default()
        },
    }
}

/// Read an ETL container from any reader into its summary.
pub fn read_etl<R: Read>(r: R, opts: &EtlOptions) -> EtlSummary {
    walk_etl(r, opts, |_| {})
}

/// Read an ETL container, calling `visit` for every event record (the
/// logfile header record excluded) with its time.
pub fn walk_etl<R: Read>(
    mut r: R,
    opts: &EtlOptions,
    mut visit: impl FnMut(&Visit<'_, '_>),
) -> EtlSummary {
    let mut s = EtlSummary::default();
    let mut errors: Vec<String> = Vec::new();
    let mut head = [0u8; BUFFER_HEADER_SIZE];
    let got = match read_full(&mut r, &mut head) {
        Ok(n) => n,
        Err(e) => {
            s.error = Some(format!("cannot be read: {e}"));
            return s;
        }
    };
    if got == 0 {
        s.error = Some("empty: not an ETW trace".into());
        return s;
    }
    if got < BUFFER_HEADER_SIZE {
        s.error = Some(format!(
            "not an ETW trace: {got} bytes, fewer than one buffer header ({BUFFER_HEADER_SIZE})"
        ));
        return s;
    }
    let size = u32_at(&head, 0).unwrap_or(0);
    if (size as usize) < BUFFER_HEADER_SIZE + 8 || !size.is_multiple_of(8) {
        s.error = Some(format!(
            "not an ETW trace: its first buffer header claims {size} bytes"
        ));
        return s;
    }
    if size > opts.max_buffer_size {
        s.error = Some(format!(
            "not read: its buffers claim {size} bytes, more than the {} read here",
            opts.max_buffer_size
        ));
        return s;
    }
    s.buffer_size = size;
    let mut buf = vec![0u8; size as usize];
    buf[..BUFFER_HEADER_SIZE].copy_from_slice(&head);
    let mut have = match read_full(&mut r, &mut buf[BUFFER_HEADER_SIZE..]) {
        Ok(n) => BUFFER_HEADER_SIZE + n,
        Err(e) => {
            s.error = Some(format!("cannot be read: {e}"));
            return s;
        }
    };
    let mut tally = Tally::default();
    let mut clock: Option<Clock> = None;
    let mut records: u64 = 0;
    let mut compressed_buffers: u64 = 0;
    let mut unknown_buffers: u64 = 0;
    let mut capped = false;
    let mut index: u64 = 0;
    loop {
        let full = have == buf.len();
        let data = &buf[..have];
        if !full {
            errors.push(format!(
                "truncated: buffer {} has {have} of its {size} bytes",
                index + 1
            ));
        }
        s.buffers_read += 1;
        let declared = u32_at(data, 0).unwrap_or(0);
        let saved = u32_at(data, 4).unwrap_or(0) as usize;
        let flags = u16_at(data, 0x34).unwrap_or(0);
        if declared != size {
            errors.push(format!(
                "buffer {} claims {declared} bytes, not the {size} of the first: not read further",
                index + 1
            ));
            break;
        }
        let end = saved.min(have);
        if flags & BUFFER_FLAG_COMPRESSED != 0 {
            compressed_buffers += 1;
        } else if end > BUFFER_HEADER_SIZE {
            let area = &data[BUFFER_HEADER_SIZE..end];
            let stop = walk_area(area, |rec| {
                if records >= opts.max_records {
                    capped = true;
                    return false;
                }
                records += 1;
                *tally.kinds.entry(rec.kind.name()).or_insert(0) += 1;
                if index == 0 && records == 1 {
                    // The first record: the logfile header.
                    if rec.kind == RecordKind::System
                        && let Some(h) = LogfileHeader::parse(rec.payload)
                    {
                        s.logger = h.logger.clone();
                        s.start = filetime(h.start_time);
                        s.end = filetime(h.end_time);
                        s.events_lost = u64::from(h.events_lost);
                        s.buffers_lost = u64::from(h.buffers_lost);
                        s.buffers_written = u64::from(h.buffers_written);
                        s.pointer_size = h.pointer_size;
                        s.log_file_mode = h.log_file_mode;
                        s.circular = h.log_file_mode & MODE_CIRCULAR != 0;
                        s.compressed = h.log_file_mode & MODE_COMPRESSED != 0;
                        s.clock = Some(h.clock.name());
                        clock = Some(Clock::from_header(&h, rec.raw_time.unwrap_or(0)));
                        return true;
                    }
                    return false;
                }
                if rec.group == Some(0) {
                    // The session's own records (header group), not events.
                    return true;
                }
                s.events += 1;
                let filetime = tally.event(rec, clock.as_ref());
                visit(&Visit {
                    record: rec,
                    filetime,
                });
                true
            });
            if index == 0 && clock.is_none() {
                s.error = Some("not an ETW trace: its first record is no logfile header".into());
                s.kinds.clear();
                s.events = 0;
                return s;
            }
            match stop {
                Some("the record cap") => break,
                // A cut-off last buffer ends in a partial record: that is
                // the truncation already named, not an unknown header.
                Some(_) if full => unknown_buffers += 1,
                Some(_) => {}
                None => {}
            }
        } else if index == 0 {
            s.error = Some("not an ETW trace: its first buffer holds no records".into());
            return s;
        }
        index += 1;
        if !full {
            break;
        }
        have = match read_full(&mut r, &mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                errors.push(format!("cannot be read after buffer {index}: {e}"));
                break;
            }
        };
    }
    if compressed_buffers > 0 {
        s.compressed = true;
        errors.push(format!(
            "{compressed_buffers} compressed buffer(s) not read (decompression is not done here)"
        ));
    }
    if unknown_buffers > 0 {
        errors.push(format!(
            "{unknown_buffers} buffer(s) read only up to a record header not known here"
        ));
    }
    if capped {
        errors.push(format!(
            "stopped after {} records (the cap); the rest is not counted",
            opts.max_records
        ));
    }
    if tally.minutes_full {
        errors.push(format!(
            "events per minute kept for the first {MAX_MINUTES} distinct minutes only"
        ));
    }
    tally.flush();
    s.first_event = tally.first.and_then(filetime);
    s.last_event = tally.last.and_then(filetime);
    s.kinds = tally
        .kinds
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    let mut guids: Vec<GuidCount> = tally
        .guids
        .into_iter()
        .map(|((g, k), n)| GuidCount {
            guid: guid_string(&g),
            kind: k.name().into(),
            records: n,
        })
        .collect();
    guids.sort_by(|a, b| b.records.cmp(&a.records).then_with(|| a.guid.cmp(&b.guid)));
    if tally.other_guids > 0 {
        guids.push(GuidCount {
            guid: "other".into(),
            kind: "other".into(),
            records: tally.other_guids,
        });
    }
    s.guids = guids;
    s.per_minute = tally
        .minutes
        .into_iter()
        .filter_map(|(m, n)| {
            Some(MinuteCount {
                minute: filetime(m.checked_mul(FT_MINUTE)?)?,
                events: n,
            })
        })
        .collect();
    if !errors.is_empty() {
        s.error = Some(errors.join("; "));
    }
    s
}

/// The client build in a trace's file name, e.g. `16.0.6965.5305` from
/// `Lync-16.0.6965.5305-Office-x86ship-U.etl`.
pub fn build_from_name(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next()?;
    let lower = name.to_ascii_lowercase();
    if !lower.ends_with(".etl") {
        return None;
    }
    name.split(['-', '_']).find_map(|part| {
        let nums: Vec<&str> = part.split('.').collect();
        (nums.len() == 4
            && nums
                .iter()
                .all(|n| !n.is_empty() && n.len() <= 5 && n.bytes().all(|b| b.is_ascii_digit())))
        .then(|| part.to_string())
    })
}
