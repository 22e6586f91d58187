//! The PE version reader on real PE files that nobody on this project wrote
//! (the PE DLLs and EXEs Wine ships), on truncated copies of them, and on
//! garbage. The expected version comes from an independent oracle: the
//! `VS_FIXEDFILEINFO` signature (0xFEEF04BD) found by a plain byte search.
//!
//! Without Wine installed (`apt-get install wine64`) the real-file tests
//! print why they skip; `OIMD_PE_DIR` points them at another folder of PE
//! files.

use std::path::{Path, PathBuf};

use offline_im_doctor::client_build::ClientBuild;
use offline_im_doctor::model::InstallType;
use offline_im_doctor::sources::machine::{PeVersionError, pe_file_version, read_lync_exe};

/// Folders where distributions put Wine's PE builds.
fn pe_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("OIMD_PE_DIR")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    for d in [
        "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows",
        "/usr/lib/x86_64-linux-gnu/wine/i386-windows",
        "/usr/lib/i386-linux-gnu/wine/i386-windows",
        "/usr/lib/wine/x86_64-windows",
        "/usr/lib/wine/i386-windows",
        "/usr/lib64/wine/x86_64-windows",
        "/usr/lib/wine/i386-windows",
        "/opt/wine-stable/lib64/wine/x86_64-windows",
        "/opt/wine-stable/lib/wine/i386-windows",
    ] {
        dirs.push(PathBuf::from(d));
    }
    dirs
}

/// The file version by a byte search for the one `VS_FIXEDFILEINFO`
/// signature; `None` when there is not exactly one.
fn oracle(bytes: &[u8]) -> Option<ClientBuild> {
    const SIG: [u8; 4] = 0xFEEF_04BDu32.to_le_bytes();
    let hits: Vec<usize> = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == SIG)
        .map(|(i, _)| i)
        .collect();
    let [i] = hits.as_slice() else { return None };
    let u32_at = |o: usize| {
        let b = bytes.get(i + o..i + o + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (ms, ls) = (u32_at(8)?, u32_at(12)?);
    Some(ClientBuild::new(
        ms >> 16,
        ms & 0xffff,
        ls >> 16,
        ls & 0xffff,
    ))
}

/// PE32+ (`0x20b`) or PE32 (`0x10b`) from the optional header magic.
fn pe_kind(bytes: &[u8]) -> Option<u16> {
    let lfanew = u32::from_le_bytes(bytes.get(0x3c..0x40)?.try_into().ok()?) as usize;
    if bytes.get(lfanew..lfanew + 4)? != b"PE\0\0" {
        return None;
    }
    let m = bytes.get(lfanew + 24..lfanew + 26)?;
    Some(u16::from_le_bytes([m[0], m[1]]))
}

/// Up to `limit` PE files per folder (sorted, so runs are repeatable) with a
/// version resource the oracle can read, with their bytes, expected version
/// and optional header magic.
fn real_pe_files(limit: usize) -> Vec<(PathBuf, Vec<u8>, ClientBuild, u16)> {
    let mut out = Vec::new();
    for dir in pe_dirs() {
        let mut in_dir = 0;
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("dll") || e.eq_ignore_ascii_case("exe"))
            })
            .collect();
        paths.sort();
        for p in paths {
            let Ok(bytes) = std::fs::read(&p) else {
                continue;
            };
            let (Some(v), Some(kind)) = (oracle(&bytes), pe_kind(&bytes)) else {
                continue;
            };
            out.push((p, bytes, v, kind));
            in_dir += 1;
            if in_dir >= limit {
                break;
            }
        }
    }
    out
}

fn skip(why: &str) {
    // CI installs Wine before the tests (.ci/run): there a missing file is a failure.
    if std::env::var_os("CI").is_some() {
        panic!("{why}: CI must have Wine's PE files (.ci/run installs wine64)");
    }
    eprintln!("SKIPPED: {why} (install Wine: apt-get install wine64, or set OIMD_PE_DIR)");
}

#[test]
fn real_pe_files_match_the_oracle() {
    let files = real_pe_files(100);
    if files.is_empty() {
        return skip("no PE file with a version resource found under Wine's lib folders");
    }
    let mut kinds = std::collections::BTreeSet::new();
    for (path, bytes, want, kind) in &files {
        kinds.insert(*kind);
        assert_eq!(
            pe_file_version(bytes).as_ref(),
            Ok(want),
            "{}",
            path.display()
        );
    }
    eprintln!(
        "checked {} real PE files (optional header magics {:x?})",
        files.len(),
        kinds
    );
    if !kinds.contains(&0x10b) {
        eprintln!("note: no PE32 (32-bit) file found; only PE32+ was checked against Wine's files");
    }
}

#[test]
fn kernel32_as_a_click_to_run_lync_exe() {
    let kernel32 = pe_dirs().into_iter().find_map(|d| {
        let bytes = std::fs::read(d.join("kernel32.dll")).ok()?;
        let v = oracle(&bytes)?;
        Some((bytes, v))
    });
    let Some((bytes, want)) = kernel32.or_else(|| {
        real_pe_files(1)
            .into_iter()
            .next()
            .map(|(_, b, v, _)| (b, v))
    }) else {
        return skip("no PE file with a version resource found");
    };
    let dir = tempfile::tempdir().unwrap();
    let office = dir
        .path()
        .join("Microsoft Office")
        .join("root")
        .join("Office16");
    std::fs::create_dir_all(&office).unwrap();
    let exe = office.join("lync.exe");
    std::fs::write(&exe, &bytes).unwrap();
    let got = read_lync_exe(&exe);
    assert_eq!(got.version, Ok(want));
    assert_eq!(got.install, InstallType::ClickToRun);
    assert_eq!(got.path, exe.to_string_lossy());
}

/// Cuts each file at many points: every result is the right version or a
/// clear reason, never a panic, and a cut inside the headers is an error.
#[test]
fn truncated_copies_give_reasons() {
    let files = real_pe_files(8);
    if files.is_empty() {
        return skip("no PE file with a version resource found");
    }
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes, want, _) in &files {
        let len = bytes.len();
        let mut cuts: Vec<usize> =
            vec![1, 2, 63, 64, 0x3c, 0x40, 0x80, 0x100, 0x200, 0x400, 0x1000];
        cuts.extend((1..32).map(|i| len * i / 32));
        cuts.extend([len - 1, len.saturating_sub(16)]);
        cuts.retain(|&c| c > 0 && c < len);
        for cut in cuts {
            let exe = dir.path().join("lync.exe");
            std::fs::write(&exe, &bytes[..cut]).unwrap();
            let got = read_lync_exe(&exe);
            match &got.version {
                Ok(v) => assert_eq!(v, want, "{} cut at {cut}", path.display()),
                Err(why) => assert!(
                    why.contains("truncated")
                        || why.contains("not a Windows executable")
                        || why.contains("version resource"),
                    "{} cut at {cut}: unclear reason `{why}`",
                    path.display()
                ),
            }
            if cut <= 0x200 {
                assert!(
                    got.version.is_err(),
                    "{} cut at {cut} parsed",
                    path.display()
                );
            }
        }
    }
}

/// A small deterministic generator, so failures reproduce without a seed file.
struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_bytes_are_errors() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let dir = tempfile::tempdir().unwrap();
    for round in 0..200 {
        let len = (rng.next() % 8192) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Half the time, look like a DOS header so the parser goes further.
        if round % 2 == 0 && len >= 0x40 {
            bytes[..2].copy_from_slice(b"MZ");
            let lfanew = (rng.next() % len as u64) as u32 & !7;
            bytes[0x3c..0x40].copy_from_slice(&lfanew.to_le_bytes());
            let at = lfanew as usize;
            if at + 4 <= len {
                bytes[at..at + 4].copy_from_slice(b"PE\0\0");
            }
        }
        let exe = dir.path().join("random.exe");
        std::fs::write(&exe, &bytes).unwrap();
        let got = read_lync_exe(&exe);
        let why = got.version.expect_err("random bytes parsed as a PE");
        assert!(!why.is_empty());
        assert_eq!(got.install, InstallType::Unknown);
    }
}

/// Mutated copies per file; `OIMD_PE_MUTATIONS` raises it for a longer hunt.
const MUTATIONS: usize = 300;

/// Flips bytes inside a real file's headers and resource data: whatever
/// pelite makes of it, the answer is a version or a reason.
#[test]
fn mutated_real_files_never_panic() {
    let files = real_pe_files(3);
    if files.is_empty() {
        return skip("no PE file with a version resource found");
    }
    let mut rng = XorShift(42);
    for (_, bytes, _, _) in &files {
        let sig = bytes
            .windows(4)
            .position(|w| w == 0xFEEF_04BDu32.to_le_bytes())
            .unwrap();
        let rounds = std::env::var("OIMD_PE_MUTATIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(MUTATIONS);
        for _ in 0..rounds {
            let mut m = bytes.clone();
            for _ in 0..1 + rng.next() % 8 {
                // Aim at the headers or around the version resource, where
                // the parser follows offsets.
                let at = if rng.next().is_multiple_of(2) {
                    (rng.next() % 0x400) as usize
                } else {
                    sig.saturating_sub(0x100) + (rng.next() % 0x200) as usize
                };
                if let Some(b) = m.get_mut(at) {
                    *b = rng.next() as u8;
                }
            }
            let _ = pe_file_version(&m);
        }
    }
}

/// The Windows loader accepts NT headers on a 4-byte boundary; pelite's
/// 64-bit headers want 8. Move a real file's headers by 4 bytes: still the
/// same version, and no misaligned read (this test runs in debug, where one
/// aborts).
#[test]
fn nt_headers_on_a_four_byte_boundary() {
    let files = real_pe_files(20);
    let Some((path, bytes, want, _)) = files.iter().find(|(_, b, _, kind)| {
        let lfanew = u32::from_le_bytes(b[0x3c..0x40].try_into().unwrap()) as usize;
        *kind == 0x20b && lfanew.is_multiple_of(8)
    }) else {
        return skip("no PE32+ file with 8-aligned headers found");
    };
    let lfanew = u32::from_le_bytes(bytes[0x3c..0x40].try_into().unwrap()) as usize;
    let opt_size = u16::from_le_bytes([bytes[lfanew + 20], bytes[lfanew + 21]]) as usize;
    let sections = u16::from_le_bytes([bytes[lfanew + 6], bytes[lfanew + 7]]) as usize;
    let hdr_len = 24 + opt_size + 40 * sections;
    let size_of_headers = u32::from_le_bytes(
        bytes[lfanew + 24 + 60..lfanew + 24 + 64]
            .try_into()
            .unwrap(),
    ) as usize;
    assert!(
        lfanew + 4 + hdr_len <= size_of_headers,
        "{}: no room",
        path.display()
    );
    let mut moved = bytes.clone();
    moved.copy_within(lfanew..lfanew + hdr_len, lfanew + 4);
    moved[0x3c..0x40].copy_from_slice(&((lfanew + 4) as u32).to_le_bytes());
    assert_eq!(
        pe_file_version(&moved).as_ref(),
        Ok(want),
        "{}",
        path.display()
    );
}

#[test]
fn size_cap_and_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("lync.exe");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(
        read_lync_exe(&empty).version,
        Err(PeVersionError::Empty.to_string())
    );
    // A sparse file just over the cap is refused before it is read.
    let big = dir.path().join("big.exe");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(offline_im_doctor::sources::machine::MAX_PE_SIZE + 1)
        .unwrap();
    let why = read_lync_exe(&big).version.unwrap_err();
    assert!(why.contains("limit"), "{why}");
    let _ = Path::new(&big);
}
