//! Fuzz the spooler file sniffer: whatever the first bytes of a spooled
//! file hold, it names a type and at most five plausible addresses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offline_im_doctor::sources::scan::spooler::{SniffedType, sniff};

fuzz_target!(|data: &[u8]| {
    let (kind, addresses) = sniff(data);
    assert_eq!(kind == SniffedType::Empty, data.is_empty());
    assert!(addresses.len() <= 5, "{} addresses", addresses.len());
    if matches!(kind, SniffedType::Binary | SniffedType::Empty) {
        assert!(addresses.is_empty());
    }
    for (i, a) in addresses.iter().enumerate() {
        assert!(a.contains('@'), "{a:?} has no @");
        assert!(!a.chars().any(char::is_whitespace), "{a:?} has whitespace");
        assert!(
            !a.chars().any(|c| c.is_ascii_uppercase()),
            "{a:?} not lowercased"
        );
        assert!(!addresses[..i].contains(a), "{a:?} twice");
    }
});
