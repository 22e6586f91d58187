//! `TRACE_LOGFILE_HEADER`: the payload of a trace's first record (MS Learn,
//! "TRACE_LOGFILE_HEADER structure"; Geoff Chappell, "TRACE_LOGFILE_HEADER").
//! Its two string pointers are as wide as the writer's pointers
//! (`PointerSize`), which moves every field after them; the logger and
//! log-file names follow the structure as NUL-terminated UTF-16.

use super::{u32_at, u64_at};

/// The clock the record timestamps are in (`ReservedFlags` of the header,
/// the `ClientContext` values of `WNODE_HEADER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockType {
    /// 1: the query-performance counter, at `PerfFreq` ticks a second.
    Qpc,
    /// 2: system time, a FILETIME.
    SystemTime,
    /// 3: the CPU cycle counter, at `CpuSpeedInMHz`.
    CpuCycle,
    Unknown(u32),
}

impl ClockType {
    pub fn name(self) -> String {
        match self {
            ClockType::Qpc => "qpc".into(),
            ClockType::SystemTime => "system-time".into(),
            ClockType::CpuCycle => "cpu-cycle".into(),
            ClockType::Unknown(n) => format!("unknown ({n})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogfileHeader {
    pub buffer_size: u32,
    pub end_time: u64,
    pub log_file_mode: u32,
    pub buffers_written: u32,
    pub pointer_size: u32,
    pub events_lost: u32,
    pub cpu_mhz: u32,
    pub perf_freq: u64,
    pub start_time: u64,
    pub clock: ClockType,
    pub buffers_lost: u32,
    pub logger: Option<String>,
}

/// `TIME_ZONE_INFORMATION`: 4 + 64 + 16 + 4 + 64 + 16 + 4 bytes.
const TIME_ZONE_SIZE: usize = 172;
/// The logger name is at most this many UTF-16 units (ETW allows 1024).
const MAX_NAME_UNITS: usize = 1024;

impl LogfileHeader {
    pub fn parse(b: &[u8]) -> Option<LogfileHeader> {
        let pointer_size = u32_at(b, 0x2c)?;
        let ptr = match pointer_size {
            4 => 4usize,
            8 => 8usize,
            _ => return None,
        };
        // LoggerName and LogFileName pointers at 0x38, then the time zone,
        // then BootTime aligned to 8.
        let tz = 0x38 + 2 * ptr;
        let boot = (tz + TIME_ZONE_SIZE + 7) & !7;
        let perf_freq = u64_at(b, boot + 8)?;
        let start_time = u64_at(b, boot + 16)?;
        let reserved_flags = u32_at(b, boot + 24)?;
        let buffers_lost = u32_at(b, boot + 28)?;
        let strings_at = boot + 32;
        let clock = match reserved_flags {
            1 => ClockType::Qpc,
            2 => ClockType::SystemTime,
            3 => ClockType::CpuCycle,
            n => ClockType::Unknown(n),
        };
        Some(LogfileHeader {
            buffer_size: u32_at(b, 0)?,
            end_time: u64_at(b, 0x10)?,
            log_file_mode: u32_at(b, 0x20)?,
            buffers_written: u32_at(b, 0x24)?,
            pointer_size,
            events_lost: u32_at(b, 0x30)?,
            cpu_mhz: u32_at(b, 0x34)?,
            perf_freq,
            start_time,
            clock,
            buffers_lost,
            logger: b.get(strings_at..).and_then(utf16z),
        })
    }
}

/// A NUL-terminated UTF-16LE string at the start of `b`, printable only.
fn utf16z(b: &[u8]) -> Option<String> {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .take(MAX_NAME_UNITS)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    let s: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{fffd}'))
        .filter(|c| !c.is_control())
        .collect();
    (!s.is_empty()).then_some(s)
}
