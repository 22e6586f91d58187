//! Fuzz the redactor (`--redact`): any text, learnt then redacted, never
//! panics, and redacting the result again changes nothing (a redacted
//! bundle checked with --redact keeps its pseudonyms).
#![no_main]

use libfuzzer_sys::fuzz_target;
use offline_im_doctor::redact::Redactor;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut r = Redactor::new("fuzz");
    r.learn(&text);
    let once = r.redact(&text);
    let mut again = Redactor::new("fuzz");
    again.learn(&once);
    assert_eq!(
        again.redact(&once),
        once,
        "redacting twice changed the text"
    );
});
