//! Fuzz a bundle's `inputs.json` (anyone can rewrite it and its unkeyed
//! hash): reading it never panics, and what it keeps resolves to settings
//! whose time arithmetic cannot overflow, at any `--now`.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use offline_im_doctor::bundle::read::recorded_inputs;
use offline_im_doctor::facts::stuck_after_from_seconds;

fuzz_target!(|data: &[u8]| {
    let Ok((inputs, problems)) = recorded_inputs(data) else {
        return;
    };
    if let Some(s) = inputs.stuck_after_seconds {
        let d = stuck_after_from_seconds(s).expect("a kept value is in range");
        for now in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::UNIX_EPOCH] {
            let _ = now.checked_sub_signed(d);
        }
    }
    for p in problems {
        assert!(!p.is_empty());
    }
});
