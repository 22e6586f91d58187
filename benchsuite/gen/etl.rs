//! Write a synthetic ETL trace of about `--size` bytes for `benchsuite/etl.sh`:
//! 64 KiB buffers full of WPP messages (sequence, GUID, timestamp, system
//! info, a short UTF-16 argument), QPC clock at 10 MHz, one message every
//! 2 ms from 2026-11-24 08:00 UTC.
//!
//! `cargo run --release --example gen-etl -- --size 256MiB --out FILE`

use std::io::Write;

const BUF: usize = 64 * 1024;

fn main() {
    let mut size: u64 = 256 << 20;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--size" => {
                let v = args.next().expect("--size N[MiB|GiB]");
                let (n, mul) = if let Some(n) = v.strip_suffix("GiB") {
                    (n, 1u64 << 30)
                } else if let Some(n) = v.strip_suffix("MiB") {
                    (n, 1 << 20)
                } else {
                    (v.as_str(), 1)
                };
                size = n.parse::<u64>().expect("a number") * mul;
            }
            "--out" => out = args.next(),
            _ => panic!("unknown argument {a}"),
        }
    }
    let out = out.expect("--out FILE");
    let buffers = (size / BUF as u64).max(1);
    let start_ft: u64 = 134_084_448_000_000_000; // 2025-11-24 08:00 UTC
    let start_ft = start_ft + 365 * 864_000_000_000; // 2026-11-24
    let qpc0: u64 = 5_000_000_000;
    let mut f = std::io::BufWriter::new(std::fs::File::create(&out).expect("create --out"));
    let guid: [u8; 16] = *b"\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff\x00";
    let arg: Vec<u8> = "SendOfflineMessage\0"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let mut n: u64 = 0;
    for b in 0..buffers {
        let mut area = Vec::with_capacity(BUF);
        if b == 0 {
            area.extend_from_slice(&header(start_ft, qpc0, buffers as u32));
        }
        loop {
            let len = 8 + 4 + 16 + 8 + 8 + arg.len();
            let padded = (len + 7) & !7;
            if 0x48 + area.len() + padded > BUF {
                break;
            }
            let qpc = qpc0 + n * 20_000;
            n += 1;
            area.extend_from_slice(&(len as u16).to_le_bytes());
            area.extend_from_slice(&[0, 0x90]);
            area.extend_from_slice(&((n % 100) as u16).to_le_bytes());
            area.extend_from_slice(&0x2bu16.to_le_bytes());
            area.extend_from_slice(&(n as u32).to_le_bytes());
            area.extend_from_slice(&guid);
            area.extend_from_slice(&qpc.to_le_bytes());
            area.extend_from_slice(&[1, 0, 0, 0, 2, 0, 0, 0]);
            area.extend_from_slice(&arg);
            area.resize(area.len() + (padded - len), 0);
        }
        let saved = (0x48 + area.len()) as u32;
        let mut h = vec![0u8; 0x48];
        h[0..4].copy_from_slice(&(BUF as u32).to_le_bytes());
        h[4..8].copy_from_slice(&saved.to_le_bytes());
        h[8..12].copy_from_slice(&saved.to_le_bytes());
        h[0x30..0x34].copy_from_slice(&saved.to_le_bytes());
        h[0x34..0x36].copy_from_slice(&1u16.to_le_bytes());
        f.write_all(&h).expect("write");
        f.write_all(&area).expect("write");
        f.write_all(&vec![0xffu8; BUF - saved as usize])
            .expect("write");
    }
    f.flush().expect("write");
    eprintln!("gen-etl: {buffers} buffers, {n} messages, {out}");
}

/// The logfile header record: SYSTEM_TRACE_HEADER + TRACE_LOGFILE_HEADER (64-bit).
fn header(start_ft: u64, qpc0: u64, buffers: u32) -> Vec<u8> {
    let mut h = vec![0u8; 0x48];
    h[0..4].copy_from_slice(&(BUF as u32).to_le_bytes());
    h[0x10..0x18].copy_from_slice(&(start_ft + 864_000_000_000).to_le_bytes());
    h[0x20..0x24].copy_from_slice(&1u32.to_le_bytes());
    h[0x24..0x28].copy_from_slice(&buffers.to_le_bytes());
    h[0x2c..0x30].copy_from_slice(&8u32.to_le_bytes());
    h.extend_from_slice(&[0u8; 172]);
    h.resize((h.len() + 7) & !7, 0);
    h.extend_from_slice(&0u64.to_le_bytes());
    h.extend_from_slice(&10_000_000u64.to_le_bytes());
    h.extend_from_slice(&start_ft.to_le_bytes());
    h.extend_from_slice(&1u32.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    for u in "Lync\0".encode_utf16() {
        h.extend_from_slice(&u.to_le_bytes());
    }
    let mut r = Vec::new();
    r.extend_from_slice(&[2, 0, 2, 0xc0]);
    r.extend_from_slice(&((32 + h.len()) as u16).to_le_bytes());
    r.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    r.extend_from_slice(&qpc0.to_le_bytes());
    r.extend_from_slice(&[0u8; 8]);
    r.extend_from_slice(&h);
    r.resize((r.len() + 7) & !7, 0);
    r
}
