//! Fuzz the PE version-resource reader (lync.exe's file version): any bytes
//! give a version or a reason, never a panic, abort or misaligned read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offline_im_doctor::sources::machine::{PeVersionError, pe_file_version};

fuzz_target!(|data: &[u8]| {
    match pe_file_version(data) {
        Ok(v) => {
            assert!(data.starts_with(b"MZ"));
            assert!((v.major, v.minor, v.build, v.revision) != (0, 0, 0, 0));
        }
        Err(PeVersionError::Empty) => assert!(data.is_empty()),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
