//! Fuzz the duration parser behind `--stuck-after` and `--etl-window`:
//! any text is a duration within 100 years or an error worded for people,
//! never a panic; a parsed duration subtracts from any representable time
//! without a panic.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use offline_im_doctor::facts::{MAX_DURATION_SECONDS, parse_duration};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_duration(&text) {
        Ok(d) => {
            assert!(d.num_seconds() >= 0 && d.num_seconds() <= MAX_DURATION_SECONDS);
            for now in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
                let _ = now.checked_sub_signed(d);
            }
        }
        Err(e) => assert!(e.contains("duration such as"), "{e}"),
    }
});
