//! The report to stdout: through the Windows console API on a console,
//! UTF-8 bytes otherwise; a closed pipe ends the output quietly.

use std::io::Write;

/// Write to stdout; a closed pipe (`| head`) ends the output quietly. On
/// a Windows console the text goes through the console API as UTF-16, so
/// it shows whatever the code page (`chcp 437`, `chcp 850`); redirected
/// (a file, a pipe) it is UTF-8 whatever the code page, so a French
/// report's accents arrive as UTF-8 bytes (`docs/contract.md`, "Accents on
/// Windows").
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    if write_console(text) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// Write `text` to the Windows console with `WriteConsoleW` when stdout is
/// that console; `false` when it is not (redirected) or elsewhere.
#[cfg(windows)]
fn write_console(text: &str) -> bool {
    use windows_sys::Win32::System::Console::{
        GetConsoleMode, GetStdHandle, STD_OUTPUT_HANDLE, WriteConsoleW,
    };
    // SAFETY: GetStdHandle has no preconditions; GetConsoleMode only writes
    // the u32 it is given and fails on a handle that is not a console.
    let handle = unsafe { GetStdHandle(STD_OUTPUT_HANDLE) };
    let mut mode = 0u32;
    if handle.is_null() || unsafe { GetConsoleMode(handle, &mut mode) } == 0 {
        return false;
    }
    let wide: Vec<u16> = text.encode_utf16().collect();
    for chunk in wide.chunks(8192) {
        let mut written = 0u32;
        // SAFETY: the pointer and length describe `chunk`, which lives for
        // the call; `written` is a valid u32 to write to.
        let ok = unsafe {
            WriteConsoleW(
                handle,
                chunk.as_ptr().cast(),
                chunk.len() as u32,
                &mut written,
                std::ptr::null(),
            )
        };
        if ok == 0 {
            return false;
        }
    }
    true
}

#[cfg(not(windows))]
fn write_console(_text: &str) -> bool {
    false
}
