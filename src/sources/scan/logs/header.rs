//! The prefix that starts a log entry.
//!
//! Public scripts written against real files show the layout
//! `11/24/2026|09:58:01.123 1A2C:2B3D INFO  :: text` (the thread field's
//! exact form is not confirmed), so this accepts what a person would still
//! read as a timestamp at the start of a line:
//!
//! - dates `M/D/YYYY` (US order, as the client writes it; `D/M/YYYY` when
//!   the first number cannot be a month), `YYYY-MM-DD`, `YYYY/MM/DD`, with
//!   `/`, `-` or `.` between the parts;
//! - `|`, space, `T`, `-`, `,` or `_` between date and time;
//! - `H:MM:SS` with an optional `.fff` / `,fff` fraction (any number of
//!   digits; nanoseconds kept);
//! - the Lync 2010 form `TL_INFO(TF_COMPONENT) [0]0A2C.0D14::11/24/2016-09:58:01.123...`.
//!
//! The level is the word just before the first `::` after the timestamp.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// Longest prefix looked at: the timestamp, ids and level are short.
const PREFIX_WINDOW: usize = 160;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Trace,
    Verbose,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

impl LogLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Trace => "trace",
            LogLevel::Verbose => "verbose",
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
            LogLevel::Fatal => "fatal",
        }
    }

    fn from_word(w: &[u8]) -> Option<LogLevel> {
        let mut up = [0u8; 8];
        if w.is_empty() || w.len() > up.len() {
            return None;
        }
        for (d, s) in up.iter_mut().zip(w) {
            *d = s.to_ascii_uppercase();
        }
        Some(match &up[..w.len()] {
            b"TRACE" => LogLevel::Trace,
            b"VERBOSE" | b"VERB" => LogLevel::Verbose,
            b"DEBUG" => LogLevel::Debug,
            b"INFO" => LogLevel::Info,
            b"WARN" | b"WARNING" => LogLevel::Warn,
            b"ERROR" | b"ERR" => LogLevel::Error,
            b"FATAL" => LogLevel::Fatal,
            _ => return None,
        })
    }
}

/// A parsed entry prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryHeader {
    /// The timestamp as written: local time of the machine that logged it.
    pub local: NaiveDateTime,
    pub level: Option<LogLevel>,
    /// Where the entry's text starts in the line (after `:: `, or after the
    /// timestamp when there is no `::`).
    pub text_start: usize,
    /// Where the thread field between the timestamp and the level
    /// (`1A2C:2B3D`) is in the line, `(start, end)`, untrimmed; empty when
    /// there is none. Requests and responses are paired per thread; the field's
    /// exact form is not public, so it is compared as bytes
    /// ([`EntryHeader::thread_id`]).
    pub thread: (usize, usize),
}

impl EntryHeader {
    /// The thread field of `line` (the line this header was parsed from)
    /// as a number, 0 when there is none.
    pub fn thread_id(&self, line: &[u8]) -> u64 {
        line.get(self.thread.0..self.thread.1)
            .map_or(0, |f| thread_hash(f.trim_ascii()))
    }
}

/// FNV-1a: stable, dependency-free, good enough to tell threads apart.
fn thread_hash(b: &[u8]) -> u64 {
    if b.is_empty() {
        return 0;
    }
    b.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &c| {
        (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
    })
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// 1..=max ASCII digits as a number.
    fn number(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.i;
        let mut v: u32 = 0;
        while self.i - start < max {
            match self.peek() {
                Some(c @ b'0'..=b'9') => {
                    v = v * 10 + u32::from(c - b'0');
                    self.i += 1;
                }
                _ => break,
            }
        }
        let n = self.i - start;
        (n > 0).then_some((v, n))
    }

    fn eat(&mut self, set: &[u8]) -> Option<u8> {
        let c = self.peek()?;
        if set.contains(&c) {
            self.i += 1;
            Some(c)
        } else {
            None
        }
    }
}

/// Where the first `::` of `b` is. (`memmem::find` builds a searcher on
/// every call: too much for a few dozen bytes per entry.)
fn find_double_colon(b: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b':', b).find(|&i| b.get(i + 1) == Some(&b':'))
}

/// The timestamp of the entry prefix at the start of `line`, if the line
/// has one: what [`parse_entry_header`] reads as `local`, without the
/// level and thread (the scanner needs only the time of most entries).
pub(crate) fn parse_entry_time(line: &[u8]) -> Option<NaiveDateTime> {
    parse_stamp(line).map(|s| s.0)
}

/// The timestamp, where it ends, and the level of Lync 2010's form.
fn parse_stamp(line: &[u8]) -> Option<(NaiveDateTime, usize, Option<LogLevel>)> {
    let line = &line[..line.len().min(PREFIX_WINDOW)];
    let first = *line.first()?;
    let mut level = None;
    let mut c = Cursor { b: line, i: 0 };
    if first == b'T' {
        // Lync 2010: `TL_INFO(TF_PROTOCOL) [0]0A2C.0D14::11/24/2016-09:58:01.123`.
        if !line.starts_with(b"TL_") {
            return None;
        }
        let word_end = line[3..]
            .iter()
            .position(|b| !b.is_ascii_alphabetic())
            .map_or(line.len(), |p| p + 3);
        level = LogLevel::from_word(&line[3..word_end]);
        let sep = find_double_colon(&line[word_end..])?;
        c.i = word_end + sep + 2;
    } else if !first.is_ascii_digit() {
        return None;
    }
    let date = parse_date(&mut c)?;
    c.eat(b"|T-,_ ")?;
    while c.peek() == Some(b' ') {
        c.i += 1;
    }
    let time = parse_time(&mut c)?;
    if c.peek().is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((NaiveDateTime::new(date, time), c.i, level))
}

/// Parse the entry prefix at the start of `line`, if the line has one.
/// Never panics, whatever the bytes.
pub fn parse_entry_header(line: &[u8]) -> Option<EntryHeader> {
    let line = &line[..line.len().min(PREFIX_WINDOW)];
    let (local, ts_end, mut level) = parse_stamp(line)?;
    let mut text_start = ts_end;
    let mut thread = (ts_end, ts_end);
    // The level is the word right before the first `::` after the stamp
    // (thread ids like `1A2C:2B3D` have single colons).
    if let Some(p) = find_double_colon(&line[ts_end..]) {
        let sep = ts_end + p;
        let before = line[ts_end..sep].trim_ascii_end();
        let word_start = before
            .iter()
            .rposition(|b| !b.is_ascii_alphabetic())
            .map_or(0, |p| p + 1);
        let word = LogLevel::from_word(&before[word_start..]);
        let end = if word.is_some() {
            word_start
        } else {
            before.len()
        };
        // Trimmed only when asked for (`thread_id`): this runs per entry.
        thread = (ts_end, ts_end + end);
        if level.is_none() {
            level = word;
        }
        text_start = sep + 2;
        if line.get(text_start) == Some(&b' ') {
            text_start += 1;
        }
    }
    Some(EntryHeader {
        local,
        level,
        text_start,
        thread,
    })
}

fn parse_date(c: &mut Cursor<'_>) -> Option<NaiveDate> {
    let (a, alen) = c.number(4)?;
    let sep = c.eat(b"/-.")?;
    let (b, _) = c.number(2)?;
    c.eat(&[sep])?;
    let (y, m, d) = if alen == 4 {
        let (d, _) = c.number(2)?;
        (a, b, d)
    } else if alen <= 2 {
        let (y, ylen) = c.number(4)?;
        if ylen != 4 {
            return None;
        }
        // The client writes month first; a first part above 12 can only
        // be a day.
        if a > 12 && b <= 12 {
            (y, b, a)
        } else {
            (y, a, b)
        }
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn parse_time(c: &mut Cursor<'_>) -> Option<NaiveTime> {
    let (h, _) = c.number(2)?;
    c.eat(b":")?;
    let (mi, mlen) = c.number(2)?;
    c.eat(b":")?;
    let (s, slen) = c.number(2)?;
    if mlen != 2 || slen != 2 {
        return None;
    }
    let mut nanos: u32 = 0;
    let mark = c.i;
    if c.eat(b".,").is_some() {
        let start = c.i;
        let mut scale = 100_000_000u32;
        while let Some(d @ b'0'..=b'9') = c.peek() {
            if c.i - start < 9 {
                nanos += u32::from(d - b'0') * scale;
                scale /= 10;
            }
            c.i += 1;
        }
        if c.i == start {
            // `12:00:00.` followed by no digit: the dot is not ours.
            c.i = mark;
        }
    }
    if s == 60 {
        // A leap second: chrono represents it as second 59 + 1e9 ns.
        return NaiveTime::from_hms_nano_opt(h, mi, 59, 1_000_000_000 + nanos.min(999_999_999));
    }
    NaiveTime::from_hms_nano_opt(h, mi, s, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    proptest::proptest! {
        /// The scanner's time-only parse agrees with the full one on any
        /// line, prefix-like or not.
        #[test]
        fn the_time_alone_is_the_header_time(
            line in "(TL_[A-Z]{0,6}\\(x\\) \\[0\\][0-9A-F.]{0,9}::)?[0-9]{1,4}[/.-][0-9]{1,2}[/.-][0-9]{1,4}[|T ,_-][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?([.,][0-9]{0,9})? ?[0-9A-Z:]{0,12} ?[A-Z]{0,8} ?:?:? ?[a-z:]{0,6}",
            junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
        ) {
            for l in [line.as_bytes(), &junk[..]] {
                proptest::prop_assert_eq!(parse_entry_time(l), parse_entry_header(l).map(|h| h.local));
            }
        }
    }

    #[test]
    fn double_colon_is_found_after_single_ones() {
        assert_eq!(find_double_colon(b"1A2C:2B3D INFO  :: x"), Some(16));
        assert_eq!(find_double_colon(b"a:b:c"), None);
        assert_eq!(find_double_colon(b"x:"), None);
        assert_eq!(find_double_colon(b":::"), Some(0));
    }

    #[test]
    fn inferred_layout() {
        let h =
            parse_entry_header(b"11/24/2026|09:58:01.123 1A2C:2B3D INFO  :: Sending Packet - x")
                .unwrap();
        assert_eq!(h.local, ts("2026-11-24 09:58:01.123"));
        assert_eq!(h.level, Some(LogLevel::Info));
        let id = |l: &[u8]| parse_entry_header(l).unwrap().thread_id(l);
        let this = id(b"11/24/2026|09:58:01.123 1A2C:2B3D INFO  :: Sending Packet - x");
        assert_ne!(this, id(b"11/24/2026|09:58:02.000 1A2C:2B3E INFO  :: y"));
        assert_eq!(this, id(b"11/24/2026|09:58:03.000 1A2C:2B3D WARN :: z"));
        assert_ne!(this, 0);
        assert_eq!(id(b"11/24/2026|09:58:03.000 WARN :: z"), 0);
        assert_eq!(
            &b"11/24/2026|09:58:01.123 1A2C:2B3D INFO  :: Sending Packet - x"[h.text_start..],
            b"Sending Packet - x"
        );
    }

    #[test]
    fn variations() {
        let cases: [(&str, &str, Option<LogLevel>); 8] = [
            (
                "1/5/2026|9:08:01.1 TRACE :: x",
                "2026-01-05 09:08:01.100",
                Some(LogLevel::Trace),
            ),
            (
                "2026-11-24 09:58:01,123456789 [1A2C] ERROR :: x",
                "2026-11-24 09:58:01.123456789",
                Some(LogLevel::Error),
            ),
            (
                "2026/11/24T09:58:01 WARN :: x",
                "2026-11-24 09:58:01",
                Some(LogLevel::Warn),
            ),
            (
                "24/11/2026|09:58:01.123 INFO :: x",
                "2026-11-24 09:58:01.123",
                Some(LogLevel::Info),
            ),
            ("11/24/2026|09:58:01.123", "2026-11-24 09:58:01.123", None),
            ("11/24/2026 09:58:01.123\r", "2026-11-24 09:58:01.123", None),
            (
                "TL_INFO(TF_PROTOCOL) [0]0A2C.0D14::11/24/2016-09:58:01.123.0000A3F4 (SIPStack,SIPAdminLog::TraceProtocolRecord:1224.idx(196))",
                "2016-11-24 09:58:01.123",
                Some(LogLevel::Info),
            ),
            (
                "12/31/2016|23:59:60.500 INFO :: leap",
                "2016-12-31 23:59:59.500",
                Some(LogLevel::Info),
            ),
        ];
        for (line, want, level) in cases {
            let h = parse_entry_header(line.as_bytes()).unwrap_or_else(|| panic!("{line}"));
            if !line.contains(":60.") {
                assert_eq!(h.local, ts(want), "{line}");
            }
            assert_eq!(h.level, level, "{line}");
        }
    }

    #[test]
    fn not_headers() {
        for line in [
            "",
            "Via: SIP/2.0/TLS 192.168.1.20:51234",
            "<property name=\"x\">1</property>",
            "11/24/2026 was a Tuesday",
            "13/13/2026|09:58:01.123 INFO :: x",
            "02/30/2026|09:58:01.123 INFO :: x",
            "11/24/2026|24:00:00.000 INFO :: x",
            "11/24/2026|09:61:00 INFO :: x",
            "11/24/26|09:58:01 INFO :: x",
            "11/24/2026|09:58:011 INFO :: x",
            "123/24/2026|09:58:01 INFO :: x",
            "TL_",
            "TL_INFO no separator",
            "2026-11-24",
            "1",
        ] {
            assert!(parse_entry_header(line.as_bytes()).is_none(), "{line:?}");
        }
    }

    #[test]
    fn arbitrary_prefixes_of_a_header_never_panic() {
        let full = b"11/24/2026|09:58:01.123456789123 1A2C:2B3D INFO  :: x";
        for n in 0..=full.len() {
            let _ = parse_entry_header(&full[..n]);
        }
    }
}
