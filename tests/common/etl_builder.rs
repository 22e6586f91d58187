//! ETL bytes written by the tests themselves: fixed-size buffers with a
//! `WMI_BUFFER_HEADER`, the logfile header record, WPP (`MESSAGE_TRACE_HEADER`)
//! and `EVENT_HEADER` records, 8-byte aligned, in the layout docs/etl.md
//! describes. Times are given as seconds after the header's start; the
//! clock is QPC at 10 MHz unless set otherwise.
#![allow(dead_code)]

use chrono::{DateTime, Utc};

pub const GUID_A: [u8; 16] = [
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
];
pub const GUID_B: [u8; 16] = [0xaa; 16];

/// FILETIME of a UTC time.
pub fn filetime(t: DateTime<Utc>) -> u64 {
    let ticks = t.timestamp() as i128 * 10_000_000 + i128::from(t.timestamp_subsec_nanos() / 100);
    (ticks + 116_444_736_000_000_000) as u64
}

pub struct EtlBuilder {
    pub buffer_size: u32,
    pub pointer_size: u32,
    /// 1 QPC, 2 system time.
    pub clock: u32,
    pub perf_freq: u64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The QPC value of the header record.
    pub header_qpc: u64,
    pub logger: String,
    pub mode: u32,
    pub events_lost: u32,
    pub buffers_lost: u32,
    /// Records per buffer (the first buffer gets the header record first).
    pub buffers: Vec<Vec<Vec<u8>>>,
    /// Buffers (by index) flagged compressed.
    pub compressed: Vec<usize>,
}

impl EtlBuilder {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        EtlBuilder {
            buffer_size: 4096,
            pointer_size: 8,
            clock: 1,
            perf_freq: 10_000_000,
            start,
            end,
            header_qpc: 5_000_000_000,
            logger: "Lync".into(),
            mode: 0x1,
            events_lost: 0,
            buffers_lost: 0,
            buffers: vec![Vec::new()],
            compressed: Vec::new(),
        }
    }

    /// The raw timestamp `secs` after the start, in the builder's clock.
    pub fn raw(&self, secs: f64) -> u64 {
        match self.clock {
            2 => filetime(self.start) + (secs * 10_000_000.0) as u64,
            _ => self.header_qpc + (secs * self.perf_freq as f64) as u64,
        }
    }

    /// Start a new buffer; later records go there.
    pub fn next_buffer(&mut self) -> &mut Self {
        self.buffers.push(Vec::new());
        self
    }

    fn push(&mut self, rec: Vec<u8>) -> &mut Self {
        self.buffers.last_mut().unwrap().push(rec);
        self
    }

    /// A WPP message (sequence, GUID, timestamp, system info) with `payload`.
    pub fn wpp(&mut self, guid: [u8; 16], number: u16, secs: f64, payload: &[u8]) -> &mut Self {
        let raw = self.raw(secs);
        let mut r = Vec::new();
        let size = (8 + 4 + 16 + 8 + 8 + payload.len()) as u16;
        r.extend_from_slice(&size.to_le_bytes());
        r.push(0);
        r.push(0x90);
        r.extend_from_slice(&number.to_le_bytes());
        r.extend_from_slice(&0x2bu16.to_le_bytes());
        r.extend_from_slice(&7u32.to_le_bytes()); // sequence
        r.extend_from_slice(&guid);
        r.extend_from_slice(&raw.to_le_bytes());
        r.extend_from_slice(&0x1a2cu32.to_le_bytes()); // thread
        r.extend_from_slice(&0x2b3du32.to_le_bytes()); // process
        r.extend_from_slice(payload);
        self.push(r)
    }

    /// An `EVENT_HEADER` record (64-bit) from `provider` with `payload`.
    pub fn event(&mut self, provider: [u8; 16], secs: f64, payload: &[u8]) -> &mut Self {
        let raw = self.raw(secs);
        let size = (80 + payload.len()) as u16;
        let mut r = Vec::new();
        r.extend_from_slice(&size.to_le_bytes());
        r.push(0x13);
        r.push(0xc0);
        r.extend_from_slice(&0x40u16.to_le_bytes()); // flags: 64-bit header
        r.extend_from_slice(&0u16.to_le_bytes());
        r.extend_from_slice(&1u32.to_le_bytes());
        r.extend_from_slice(&2u32.to_le_bytes());
        r.extend_from_slice(&raw.to_le_bytes());
        r.extend_from_slice(&provider);
        r.extend_from_slice(&[0u8; 16]); // descriptor
        r.extend_from_slice(&0u64.to_le_bytes());
        r.extend_from_slice(&[0u8; 16]); // activity id
        r.extend_from_slice(payload);
        self.push(r)
    }

    /// Raw bytes as a record (for malformed input).
    pub fn raw_record(&mut self, bytes: &[u8]) -> &mut Self {
        self.push(bytes.to_vec())
    }

    fn header_record(&self) -> Vec<u8> {
        let ptr = self.pointer_size as usize;
        let mut h = vec![0u8; 0x38 + 2 * ptr];
        let put32 =
            |h: &mut Vec<u8>, at: usize, v: u32| h[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put32(&mut h, 0, self.buffer_size);
        put32(&mut h, 4, 0x0105_0a00);
        put32(&mut h, 0x0c, 2);
        h[0x10..0x18].copy_from_slice(&filetime(self.end).to_le_bytes());
        put32(&mut h, 0x20, self.mode);
        put32(&mut h, 0x24, self.buffers.len() as u32);
        put32(&mut h, 0x2c, self.pointer_size);
        put32(&mut h, 0x30, self.events_lost);
        put32(&mut h, 0x34, 2400);
        h.extend_from_slice(&[0u8; 172]); // TIME_ZONE_INFORMATION
        while !h.len().is_multiple_of(8) {
            h.push(0);
        }
        h.extend_from_slice(&0u64.to_le_bytes()); // boot time
        h.extend_from_slice(&self.perf_freq.to_le_bytes());
        h.extend_from_slice(&filetime(self.start).to_le_bytes());
        h.extend_from_slice(&self.clock.to_le_bytes());
        h.extend_from_slice(&self.buffers_lost.to_le_bytes());
        for name in [self.logger.as_str(), "C:\\Users\\u\\Tracing\\trace.etl"] {
            for u in name.encode_utf16().chain([0]) {
                h.extend_from_slice(&u.to_le_bytes());
            }
        }
        // SYSTEM_TRACE_HEADER (64-bit), group 0 type 0.
        let size = (32 + h.len()) as u16;
        let mut r = Vec::new();
        r.extend_from_slice(&2u16.to_le_bytes());
        r.push(0x02);
        r.push(0xc0);
        r.extend_from_slice(&size.to_le_bytes());
        r.push(0);
        r.push(0);
        r.extend_from_slice(&0u32.to_le_bytes());
        r.extend_from_slice(&0u32.to_le_bytes());
        let ts = if self.clock == 2 {
            filetime(self.start)
        } else {
            self.header_qpc
        };
        r.extend_from_slice(&ts.to_le_bytes());
        r.extend_from_slice(&[0u8; 8]);
        r.extend_from_slice(&h);
        r
    }

    pub fn build(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, recs) in self.buffers.iter().enumerate() {
            let mut area = Vec::new();
            let all: Vec<Vec<u8>> = if i == 0 {
                std::iter::once(self.header_record())
                    .chain(recs.iter().cloned())
                    .collect()
            } else {
                recs.clone()
            };
            for r in all {
                area.extend_from_slice(&r);
                while !area.len().is_multiple_of(8) {
                    area.push(0);
                }
            }
            let saved = 0x48 + area.len();
            assert!(saved <= self.buffer_size as usize, "buffer {i} overflows");
            let mut b = vec![0u8; 0x48];
            b[0..4].copy_from_slice(&self.buffer_size.to_le_bytes());
            b[4..8].copy_from_slice(&(saved as u32).to_le_bytes());
            b[8..12].copy_from_slice(&(saved as u32).to_le_bytes());
            b[0x18..0x20].copy_from_slice(&(i as u64).to_le_bytes());
            b[0x30..0x34].copy_from_slice(&(saved as u32).to_le_bytes());
            let flag: u16 = if self.compressed.contains(&i) {
                0x40
            } else {
                0x01
            };
            b[0x34..0x36].copy_from_slice(&flag.to_le_bytes());
            b[0x36..0x38].copy_from_slice(&(if i == 0 { 4u16 } else { 0 }).to_le_bytes());
            b.extend_from_slice(&area);
            b.resize(self.buffer_size as usize, 0xff);
            out.extend_from_slice(&b);
        }
        out
    }
}

/// UTF-16LE bytes of `s`, NUL-terminated (a WPP `%ws` argument).
pub fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16()
        .chain([0])
        .flat_map(|u| u.to_le_bytes())
        .collect()
}
