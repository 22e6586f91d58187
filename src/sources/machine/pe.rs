//! `lync.exe`'s file version from its PE version resource, on any OS, so a
//! collected copy can be read on the helpdesk's machine too. The file version
//! (not Help > About, which shows the MSO library) is the client build
//! (`docs/windows.md`).

use std::io::Read;
use std::path::Path;

use pelite::resources::{FindError, Name};

use crate::client_build::ClientBuild;
use crate::terms::InstallType;

use super::LyncExe;

/// The largest file read as a `lync.exe`. The real one is a few tens of MiB;
/// the cap keeps a wrong path (a disk image, a bundle) from filling memory.
pub const MAX_PE_SIZE: u64 = 256 * 1024 * 1024;

/// Why a file version could not be read. Shown in the report as evidence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeVersionError {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("the file is {size} bytes, more than the {MAX_PE_SIZE}-byte limit for a lync.exe")]
    TooLarge { size: u64 },
    #[error("the file is empty")]
    Empty,
    #[error("not a Windows executable: {0}")]
    NotPe(&'static str),
    #[error("the file is truncated or corrupt: {0}")]
    Corrupt(&'static str),
    #[error("the executable has no version resource")]
    NoVersionResource,
    #[error("the version resource is corrupt: {0}")]
    BadVersionResource(String),
    #[error("the version resource has no fixed file version (VS_FIXEDFILEINFO)")]
    NoFixedFileInfo,
    #[error("the version resource says 0.0.0.0")]
    ZeroVersion,
}

fn pe_error(e: pelite::Error) -> PeVersionError {
    use pelite::Error as E;
    match e {
        E::BadMagic => PeVersionError::NotPe("no MZ/PE signature"),
        E::PeMagic => PeVersionError::NotPe("neither a PE32 nor a PE32+ optional header"),
        E::Bounds | E::Overflow => PeVersionError::Corrupt("data lies past the end of the file"),
        E::Insanity => PeVersionError::Corrupt("the PE headers are not sane"),
        E::Misaligned => PeVersionError::Corrupt("misaligned PE structure"),
        E::Invalid => PeVersionError::Corrupt("invalid PE structure"),
        E::Null => PeVersionError::NoVersionResource,
        E::Unmapped | E::ZeroFill => {
            PeVersionError::Corrupt("the resource data is not stored in the file")
        }
        E::Encoding => PeVersionError::Corrupt("bad string encoding in the headers"),
        E::Aliasing => PeVersionError::Corrupt("unreadable PE structure"),
    }
}

/// The `VS_FIXEDFILEINFO` file version of a PE image (PE32 or PE32+, as it is
/// on disk). Never panics on any input.
pub fn pe_file_version(bytes: &[u8]) -> Result<ClientBuild, PeVersionError> {
    if bytes.is_empty() {
        return Err(PeVersionError::Empty);
    }
    if bytes.len() < 2 || &bytes[..2] != b"MZ" {
        return Err(PeVersionError::NotPe("no MZ signature"));
    }
    // pelite checks offsets, not addresses, in places (pelite 0.10: the NT
    // headers are an 8-aligned struct but e_lfanew need only be 4-aligned;
    // resource directories are checked relative to the section start; the
    // section table's position is not checked at all), so a
    // corrupt file could make it form a misaligned reference, which aborts a
    // debug build and is undefined behaviour in release. Copying the image
    // so that the NT headers land on an 8-byte boundary, and the resource
    // section into its own aligned buffer (below), closes both holes; the
    // mutation tests in tests/pe_version.rs run in debug to keep them closed.
    let lfanew = bytes
        .get(0x3c..0x40)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    // The section table follows the optional header at an offset taken from
    // the file, and pelite builds a slice of 4-aligned section headers there
    // without checking: refuse a size that would misalign it (real files
    // have 0xE0 or 0xF0).
    if let Some(b) = bytes.get(lfanew.saturating_add(20)..lfanew.saturating_add(22))
        && u16::from_le_bytes([b[0], b[1]]) % 4 != 0
    {
        return Err(PeVersionError::Corrupt(
            "the optional header size is not a multiple of 4",
        ));
    }
    let image = AlignedCopy::new(bytes, if lfanew % 8 == 4 { 4 } else { 0 });
    // pelite is careful with bounds, but this is an untrusted file from a
    // user's machine: a parser bug must become evidence, not a crash.
    std::panic::catch_unwind(|| fixed_version(image.bytes())).unwrap_or(Err(
        PeVersionError::Corrupt("the PE parser gave up on this file"),
    ))
}

/// A copy of some bytes whose start address is `shift` (mod 8).
struct AlignedCopy {
    buf: Vec<u8>,
    start: usize,
    len: usize,
}

impl AlignedCopy {
    fn new(bytes: &[u8], shift: usize) -> Self {
        let mut buf = vec![0u8; bytes.len() + 16];
        // align_offset may give up (usize::MAX) in theory; 0 is then still
        // safe, pelite just reports Misaligned.
        let base = buf.as_ptr().align_offset(8).min(8);
        let start = base + shift.min(7);
        buf[start..start + bytes.len()].copy_from_slice(bytes);
        AlignedCopy {
            buf,
            start,
            len: bytes.len(),
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..self.start + self.len]
    }
}

fn fixed_version(image: &[u8]) -> Result<ClientBuild, PeVersionError> {
    let file = pelite::PeFile::from_bytes(image).map_err(pe_error)?;
    let dir = file
        .data_directory()
        .get(pelite::image::IMAGE_DIRECTORY_ENTRY_RESOURCE)
        .ok_or(PeVersionError::NoVersionResource)?;
    let section = file.slice_bytes(dir.VirtualAddress).map_err(|e| match e {
        pelite::Error::Null => PeVersionError::NoVersionResource,
        e => pe_error(e),
    })?;
    let section = &section[..section.len().min(dir.Size as usize)];
    let section = AlignedCopy::new(section, 0);
    let resources = pelite::resources::Resources::new(section.bytes(), dir);
    // The resource as bytes (what pelite's `version_info()` finds), read
    // below instead of with pelite's `VersionInfo::fixed()`: that one slices
    // past the end of a TLV whose key fills it, a panic on a corrupt file
    // (found by fuzzing: fuzz/fuzz_targets/pe_version.rs, see
    // tests/fuzz_regressions.rs).
    let info = resources
        .find_resource(&[Name::VERSION, Name::Id(1)])
        .map_err(|e| match e {
            FindError::NotFound => PeVersionError::NoVersionResource,
            FindError::Pe(e) => pe_error(e),
            other => PeVersionError::BadVersionResource(other.to_string()),
        })?;
    let build = fixed_file_version(info).ok_or(PeVersionError::NoFixedFileInfo)?;
    if build == ClientBuild::new(0, 0, 0, 0) {
        return Err(PeVersionError::ZeroVersion);
    }
    Ok(build)
}

/// The file version in the `VS_FIXEDFILEINFO` value of a `VS_VERSION_INFO`
/// resource's root, with checked reads, as pelite 0.10 reads it: the root
/// is `wLength, wValueLength (bytes), wType, szKey NUL, padding to 4 bytes,
/// value`; the value is a `VS_FIXEDFILEINFO` when it is 52 bytes, and its
/// third and fourth DWORDs are the file version's MS and LS halves.
fn fixed_file_version(res: &[u8]) -> Option<ClientBuild> {
    let word = |i: usize| -> Option<usize> {
        let b = res.get(2 * i..2 * i + 2)?;
        Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    // In 16-bit words; a length below the header's 4 words counts as 4.
    let length = (word(0)? / 2).max(4);
    let value_len = word(1)? / 2;
    if length > res.len() / 2 || value_len * 2 != FIXED_FILE_INFO_SIZE {
        return None;
    }
    let key_len = (3..length).position(|i| word(i) == Some(0))?;
    let value_at = key_len.next_multiple_of(2) + 4;
    if value_at + value_len > length {
        return None;
    }
    let dword = |i: usize| -> Option<u32> {
        let b = res.get(2 * value_at + 4 * i..2 * value_at + 4 * i + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (ms, ls) = (dword(2)?, dword(3)?);
    Some(ClientBuild::new(
        ms >> 16,
        ms & 0xffff,
        ls >> 16,
        ls & 0xffff,
    ))
}

/// `sizeof(VS_FIXEDFILEINFO)`: thirteen DWORDs.
const FIXED_FILE_INFO_SIZE: usize = 52;

/// Reads a file, at most [`MAX_PE_SIZE`] bytes. `File::open` shares read,
/// write and delete on Windows, so a running `lync.exe` can be read.
pub fn read_capped(path: &Path) -> Result<Vec<u8>, PeVersionError> {
    // Refuses a FIFO or a device before opening it.
    let file = crate::input_file::open(path).map_err(|e| PeVersionError::Io(e.to_string()))?;
    let meta = file
        .metadata()
        .map_err(|e| PeVersionError::Io(e.to_string()))?;
    if meta.is_dir() {
        return Err(PeVersionError::Io("it is a folder, not a file".to_string()));
    }
    if meta.len() > MAX_PE_SIZE {
        return Err(PeVersionError::TooLarge { size: meta.len() });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // take() guards against a file that grows while it is read.
    file.take(MAX_PE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PeVersionError::Io(e.to_string()))?;
    if bytes.len() as u64 > MAX_PE_SIZE {
        return Err(PeVersionError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// The install type a `lync.exe` path implies: `...\root\Office16\lync.exe`
/// is Click-to-Run, `...\Office16\lync.exe` (no `root`) is MSI, the same for
/// `Office15` (Lync 2013: the build's major 15 says the rest). Anything else,
/// such as a copy in a ticket folder, is unknown. Case-insensitive, `\` or `/`.
pub fn install_type_from_path(path: &str) -> InstallType {
    let parts: Vec<&str> = path.split(['\\', '/']).filter(|p| !p.is_empty()).collect();
    let [.., grandparent, parent, _file] = parts.as_slice() else {
        return InstallType::Unknown;
    };
    let is_office_dir = parent.len() > 6
        && parent[..6].eq_ignore_ascii_case("office")
        && parent[6..].bytes().all(|b| b.is_ascii_digit());
    if !is_office_dir {
        InstallType::Unknown
    } else if grandparent.eq_ignore_ascii_case("root") {
        InstallType::ClickToRun
    } else {
        InstallType::Msi
    }
}

/// Reads a `lync.exe` (or any PE file) at `path`: its file version, or why
/// there is none, and the install type its folder implies.
pub fn read_lync_exe(path: &Path) -> LyncExe {
    let shown = path.to_string_lossy().into_owned();
    let version = read_capped(path)
        .and_then(|bytes| pe_file_version(&bytes))
        .map_err(|e| e.to_string());
    LyncExe {
        install: install_type_from_path(&shown),
        path: shown,
        version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_type_from_layout() {
        use InstallType::*;
        for (p, want) in [
            (
                r"C:\Program Files\Microsoft Office\root\Office16\lync.exe",
                ClickToRun,
            ),
            (
                r"C:\Program Files (x86)\Microsoft Office\ROOT\OFFICE16\LYNC.EXE",
                ClickToRun,
            ),
            (r"C:\Program Files\Microsoft Office\Office16\lync.exe", Msi),
            (
                r"C:\Program Files (x86)\Microsoft Office\Office15\lync.exe",
                Msi,
            ),
            (
                r"C:\Program Files\Microsoft Office 15\root\office15\lync.exe",
                ClickToRun,
            ),
            (
                "/mnt/c/Program Files/Microsoft Office/root/Office16/lync.exe",
                ClickToRun,
            ),
            (
                "/evidence/drive_c/Program Files/Microsoft Office/Office16//lync.exe",
                Msi,
            ),
            ("/tmp/ticket-1234/lync.exe", Unknown),
            ("lync.exe", Unknown),
            ("Office16/lync.exe", Unknown),
            (r"C:\Office\lync.exe", Unknown),
            (r"C:\x\Office16x\lync.exe", Unknown),
            ("", Unknown),
        ] {
            assert_eq!(install_type_from_path(p), want, "{p}");
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert_eq!(pe_file_version(b""), Err(PeVersionError::Empty));
        assert!(matches!(
            pe_file_version(b"M"),
            Err(PeVersionError::NotPe(_))
        ));
        assert!(matches!(
            pe_file_version(b"ELF\x7f"),
            Err(PeVersionError::NotPe(_))
        ));
        assert!(matches!(
            pe_file_version(b"MZ"),
            Err(PeVersionError::Corrupt(_))
        ));
        let mut mz = vec![0u8; 4096];
        mz[..2].copy_from_slice(b"MZ");
        assert!(pe_file_version(&mz).is_err());
        // Unaligned input goes through the aligned copy.
        let buf = [0u8, b'M', b'Z', 0, 0, 0];
        assert!(pe_file_version(&buf[1..]).is_err());
    }

    #[test]
    fn missing_file_and_folder() {
        let dir = std::env::temp_dir();
        let e = read_lync_exe(&dir);
        assert!(e.version.unwrap_err().contains("folder"));
        let e = read_lync_exe(&dir.join("no-such-dir-oimd").join("lync.exe"));
        assert!(e.version.unwrap_err().starts_with("cannot read the file"));
    }
}
