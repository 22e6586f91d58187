//! Read-only file access shared by every scanner.
//!
//! The running client holds its logs and spooler files open, so everything
//! is opened for shared reading (Rust's std already asks Windows for
//! `FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE`). On Unix the
//! open is non-blocking, so a file swapped for a FIFO between the type check
//! and the open can never hang the scan; the handle is checked again after
//! opening.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use chrono::{DateTime, Utc};

/// Open a regular file for shared, read-only access. Anything that is not a
/// regular file once opened is refused.
pub fn open_shared(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = opts.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}

/// Read at most `limit` bytes from the start of a regular file.
pub fn read_head(path: &Path, limit: usize) -> io::Result<Vec<u8>> {
    let file = open_shared(path)?;
    let mut buf = Vec::with_capacity(limit.min(64 * 1024));
    file.take(limit as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

pub fn system_time_utc(t: std::time::SystemTime) -> Option<DateTime<Utc>> {
    // Out-of-range times (a corrupted or hostile mtime) become "unknown".
    let d = match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => chrono::Duration::from_std(d).ok()?,
        Err(e) => -chrono::Duration::from_std(e.duration()).ok()?,
    };
    DateTime::<Utc>::UNIX_EPOCH.checked_add_signed(d)
}

/// Display form of a path: lossy UTF-8, forward slashes kept as they are.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
