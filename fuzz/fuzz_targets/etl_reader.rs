//! Fuzz the ETL container reader and the `--etl-strings` walk: any bytes give
//! a summary (with an error when not read whole), never a panic, an abort or
//! an allocation beyond one buffer.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use offline_im_doctor::sources::etl::{EtlOptions, StringWindow, StringsOptions, etl_strings_reader, read_etl};

fuzz_target!(|data: &[u8]| {
    // Buffers up to 64 KiB: the cap is what bounds memory.
    let opts = EtlOptions {
        max_buffer_size: 64 * 1024,
        max_records: 100_000,
    };
    let s = read_etl(data, &opts);
    if let (Some(f), Some(l)) = (s.first_event, s.last_event) {
        assert!(f <= l);
    }
    assert_eq!(s.first_event.is_some(), s.last_event.is_some());
    assert!(s.events <= s.kinds.values().sum::<u64>());
    assert!(s.per_minute.iter().map(|m| m.events).sum::<u64>() <= s.events);
    if s.error.is_none() {
        assert!(s.buffers_read >= 1 && s.buffer_size as usize <= 64 * 1024);
    }
    let all = StringWindow {
        from: DateTime::<Utc>::MIN_UTC,
        to: DateTime::<Utc>::MAX_UTC,
    };
    let (strings, _) = etl_strings_reader(
        data,
        &StringsOptions {
            windows: vec![all],
            etl: opts,
            ..StringsOptions::default()
        },
    );
    assert!(strings.len() <= StringsOptions::default().max_strings);
    assert!(strings.iter().all(|s| s.text.chars().count() >= 4));
});
