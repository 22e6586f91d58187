//! Files named on the command line (`--rules`, `--server-config`,
//! `--lync-exe`): one opener for all of them. Anything that is not a regular
//! file (a FIFO, a device such as `/dev/zero`, a folder, a socket) is
//! refused at once, before it is opened for reading, so a FIFO can never
//! block the run; and each kind of input has a size cap (README, "Limits and resources"),
//! checked against the size at open and again while reading, so a device or
//! a file that grows cannot fill the memory.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// `--rules`: a TOML file of a few dozen rules; the built-in set is under 64 KiB.
pub const MAX_RULES_BYTES: u64 = 4 * 1024 * 1024;
/// `--server-config`: pasted cmdlet output.
pub const MAX_SERVER_CONFIG_BYTES: u64 = 16 * 1024 * 1024;
/// `--lync-exe`: `lync.exe` is some 30 MiB; the PE reader needs the whole file.
pub const MAX_LYNC_EXE_BYTES: u64 = 256 * 1024 * 1024;

/// What a path names when it is not a regular file, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let ft = meta.file_type();
    if ft.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

fn refused(meta: &std::fs::Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}, not a regular file", kind_of(meta)),
    )
}

/// Err when `path` exists and is not a regular file; a missing or
/// unreadable path is left to the reader (it becomes evidence there).
pub fn refuse_non_regular(path: &Path) -> io::Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Err(refused(&meta)),
        _ => Ok(()),
    }
}

/// Open a regular file for shared reading. The type is checked from the
/// metadata first (never opening a FIFO), and again on the handle (non-blocking
/// on Unix), in case the path was swapped in between.
pub fn open(path: &Path) -> io::Result<File> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(refused(&meta));
    }
    let file = crate::fsutil::open_shared(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refused(&meta));
    }
    Ok(file)
}

/// The whole file, refused when larger than `cap` bytes.
pub fn read(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let file = open(path)?;
    let size = file.metadata()?.len();
    let too_large = |size: u64| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{size} bytes is larger than the {cap}-byte limit for this input"),
        )
    };
    if size > cap {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // take() bounds a file that grows while it is read.
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused() {
        let e = read(Path::new("/dev/zero"), 16).unwrap_err();
        assert!(e.to_string().contains("device"), "{e}");
        let e = read(Path::new("/"), 16).unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
    }

    #[test]
    fn size_cap_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, [b'x'; 32]).unwrap();
        assert_eq!(read(&p, 32).unwrap().len(), 32);
        assert!(read(&p, 31).unwrap_err().to_string().contains("limit"));
    }
}
