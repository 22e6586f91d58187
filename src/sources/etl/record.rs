//! One buffer's record area: each record's header (its kind, size and
//! time) and the walk from record to record (`docs/etl.md`).

use super::{Record, RecordKind, guid_at, u16_at, u32_at, u64_at};

/// One record at `pos` of a buffer's record area: its kind, total size and
/// where its header ends. `None` when the bytes are no record header known
/// here (the rest of the buffer cannot be walked then).
pub(super) fn parse_record(area: &[u8], pos: usize) -> Option<(Record<'_>, usize)> {
    let marker = u32_at(area, pos)?;
    let flags = (marker >> 24) as u8;
    let htype = ((marker >> 16) & 0xff) as u8;
    // TRACE_HEADER_FLAG | TRACE_HEADER_EVENT_TRACE: the typed headers.
    let (kind, size, header_len, time_at, guid_at_off) = if flags & 0xc0 == 0xc0 {
        match htype {
            // SYSTEM_TRACE_HEADER 32/64 (the size in the packet after the marker).
            0x01 | 0x02 => (
                RecordKind::System,
                u16_at(area, pos + 4)?,
                32,
                Some(16),
                None,
            ),
            0x03 | 0x04 => (
                RecordKind::Compact,
                u16_at(area, pos + 4)?,
                24,
                Some(16),
                None,
            ),
            0x10 | 0x11 => (
                RecordKind::PerfInfo,
                u16_at(area, pos + 4)?,
                16,
                Some(8),
                None,
            ),
            // EVENT_TRACE_HEADER full/instance, 32 and 64 bit: the size in the marker.
            0x0a | 0x0b | 0x14 | 0x15 => (
                RecordKind::Trace,
                (marker & 0xffff) as u16,
                48,
                Some(16),
                Some(24),
            ),
            // EVENT_HEADER 32/64.
            0x12 | 0x13 => (
                RecordKind::Event,
                (marker & 0xffff) as u16,
                80,
                Some(16),
                Some(24),
            ),
            _ => return None,
        }
    } else if flags & 0xd0 == 0x90 {
        // MESSAGE_TRACE_HEADER: USHORT Size, UCHAR Reserved, UCHAR Version
        // (TRACE_HEADER_FLAG | TRACE_MESSAGE), then MessageNumber and
        // OptionFlags; the optional items follow in the order of their flags.
        let size = (marker & 0xffff) as u16;
        let number = u16_at(area, pos + 4)?;
        let opts = u16_at(area, pos + 6)?;
        let mut at = 8usize;
        if opts & 0x01 != 0 {
            at += 4; // TRACE_MESSAGE_SEQUENCE
        }
        let mut guid = None;
        if opts & 0x02 != 0 {
            guid = Some(guid_at(area, pos + at)?); // TRACE_MESSAGE_GUID
            at += 16;
        } else if opts & 0x04 != 0 {
            at += 4; // TRACE_MESSAGE_COMPONENTID
        }
        let mut raw_time = None;
        if opts & 0x08 != 0 {
            raw_time = Some(u64_at(area, pos + at)?); // TRACE_MESSAGE_TIMESTAMP
            at += 8;
        }
        if opts & 0x20 != 0 {
            at += 8; // TRACE_MESSAGE_SYSTEMINFO: thread and process ids
        }
        let size = usize::from(size);
        if size < at {
            return None;
        }
        let payload = area.get(pos + at..pos.checked_add(size)?)?;
        return Some((
            Record {
                kind: RecordKind::Wpp,
                raw_time,
                guid,
                message_number: Some(number),
                group: None,
                payload,
            },
            size,
        ));
    } else {
        return None;
    };
    let size = usize::from(size);
    if size < header_len {
        return None;
    }
    let end = pos.checked_add(size)?;
    let payload = area.get(pos + header_len..end)?;
    Some((
        Record {
            kind,
            raw_time: time_at.and_then(|t| u64_at(area, pos + t)),
            guid: guid_at_off.and_then(|g| guid_at(area, pos + g)),
            message_number: None,
            group: match kind {
                RecordKind::System | RecordKind::Compact | RecordKind::PerfInfo => {
                    area.get(pos + 7).copied()
                }
                _ => None,
            },
            payload,
        },
        size,
    ))
}

/// Walk the records of one buffer's record area, calling `f` for each.
/// Returns why the walk stopped early, if it did.
pub(super) fn walk_area<'a>(
    area: &'a [u8],
    mut f: impl FnMut(&Record<'a>) -> bool,
) -> Option<&'static str> {
    let mut pos = 0usize;
    while pos.checked_add(8).is_some_and(|e| e <= area.len()) {
        let Some(marker) = u32_at(area, pos) else {
            break;
        };
        // Unused space at the end of a buffer.
        if marker == 0xffff_ffff || marker == 0 {
            return None;
        }
        let Some((rec, size)) = parse_record(area, pos) else {
            return Some("a record header not known here");
        };
        if !f(&rec) {
            return Some("the record cap");
        }
        // Records are 8-byte aligned.
        let Some(next) = pos.checked_add(size).and_then(|p| p.checked_add(7)) else {
            break;
        };
        pos = next & !7;
    }
    None
}
