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

/// Marks where a zip's own path ends and a member's name begins in a
/// displayed path (`copy.zip!/Office/16.0/Lync`).
pub const IN_ZIP: &str = "!/";

/// Display form of a local path: lossy UTF-8 with one separator, the
/// platform's (on Windows a `/` given on the command line, as in
/// `--root samples/x`, becomes `\`, so `samples\x\Microsoft\...` is not
/// mixed). Inside a zip (after `!/`) names keep `/`.
pub fn display_path(path: &Path) -> String {
    one_separator(&path.to_string_lossy())
}

/// A displayed path with the platform's separator in its local part.
pub fn one_separator(shown: &str) -> String {
    if std::path::MAIN_SEPARATOR == '/' {
        return shown.to_string();
    }
    match shown.find(IN_ZIP) {
        Some(i) => format!(
            "{}{}",
            shown[..i].replace('/', std::path::MAIN_SEPARATOR_STR),
            &shown[i..]
        ),
        None => shown.replace('/', std::path::MAIN_SEPARATOR_STR),
    }
}

/// `name` under an already displayed folder, with the separator that folder
/// uses: `/` inside a zip, `\` in a Windows path a bundle recorded, else
/// the platform's.
pub fn child_display(folder: &str, name: &str) -> String {
    let sep = if folder.contains(IN_ZIP) {
        '/'
    } else if folder.contains('\\') && !folder.contains('/') {
        '\\'
    } else if folder.contains('/') && !folder.contains('\\') {
        '/'
    } else {
        std::path::MAIN_SEPARATOR
    };
    let folder = folder.trim_end_matches(sep);
    format!("{folder}{sep}{name}")
}

#[cfg(test)]
mod display_tests {
    use super::*;

    #[test]
    fn a_child_takes_its_folders_separator() {
        assert_eq!(
            child_display("copy.zip!/Office/16.0/Lync", "Tracing"),
            "copy.zip!/Office/16.0/Lync/Tracing"
        );
        assert_eq!(
            child_display(
                r"C:\Users\jdoe\AppData\Local\Microsoft\Office\16.0\Lync",
                "Tracing"
            ),
            r"C:\Users\jdoe\AppData\Local\Microsoft\Office\16.0\Lync\Tracing"
        );
        assert_eq!(
            child_display("samples/no-logs/Microsoft/Office/16.0/Lync", "Tracing"),
            "samples/no-logs/Microsoft/Office/16.0/Lync/Tracing"
        );
        assert_eq!(
            child_display("Lync", "Tracing"),
            format!("Lync{}Tracing", std::path::MAIN_SEPARATOR)
        );
    }

    #[test]
    fn one_separator_in_the_local_part_and_slashes_in_a_zip() {
        let sep = std::path::MAIN_SEPARATOR;
        assert_eq!(
            one_separator("samples/x/copy.zip!/Office/16.0"),
            format!("samples{sep}x{sep}copy.zip!/Office/16.0")
        );
        let joined = Path::new("samples/stuck-spooler").join("Microsoft");
        let shown = display_path(&joined);
        assert_eq!(shown, format!("samples{sep}stuck-spooler{sep}Microsoft"));
    }
}
