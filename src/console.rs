//! Whether the program was started by double-click: on Windows, a program
//! started from Explorer gets a console of its own, which closes the moment
//! it exits, before anyone could read the report. Started from a shell
//! (cmd, PowerShell, Windows Terminal) or a script, the console is shared
//! with that shell and the program must never wait.
//!
//! The test is `GetConsoleProcessList`: it lists the processes attached to
//! this console, so a count of 1 means only this process, a console of its
//! own. The decision is the pure [`should_wait`]; the binary prints and waits.

/// Who asked for the double-click wait to be left out (or forced).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitOverride {
    /// No override: decide from the console.
    Auto,
    /// `OFFLINE_IM_DOCTOR_WAIT=never`: never wait (for wrappers that own the console).
    Never,
    /// `OFFLINE_IM_DOCTOR_WAIT=explain`: decide as `Auto`, and say on stderr
    /// what was seen (to show the behaviour, e.g. under Wine).
    Explain,
}

impl WaitOverride {
    /// From the value of `OFFLINE_IM_DOCTOR_WAIT`.
    pub fn from_env_value(v: Option<&str>) -> Self {
        match v.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("never") || v == "0" => WaitOverride::Never,
            Some(v) if v.eq_ignore_ascii_case("explain") => WaitOverride::Explain,
            _ => WaitOverride::Auto,
        }
    }
}

/// Wait for a key before exiting only when the console is ours alone (one
/// process attached: started from Explorer) and both stdin and stdout are
/// that console. Unknown count (not Windows, or the call failed): never.
pub fn should_wait(
    console_process_count: Option<u32>,
    stdin_is_tty: bool,
    stdout_is_tty: bool,
    over: WaitOverride,
) -> bool {
    over != WaitOverride::Never && console_process_count == Some(1) && stdin_is_tty && stdout_is_tty
}

/// How many processes share this console; `None` when there is no console,
/// the call fails, or this is not Windows.
#[cfg(windows)]
pub fn console_process_count() -> Option<u32> {
    use windows_sys::Win32::System::Console::GetConsoleProcessList;
    let mut ids = [0u32; 4];
    // SAFETY: the buffer is valid for `ids.len()` u32 writes; the call
    // writes at most that many and returns the total count (0 on failure).
    let n = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
    (n > 0).then_some(n)
}

/// How many processes share this console; `None` when there is no console,
/// the call fails, or this is not Windows.
#[cfg(not(windows))]
pub fn console_process_count() -> Option<u32> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_only_for_a_console_of_its_own() {
        // Explorer double-click: only this process on the console.
        assert!(should_wait(Some(1), true, true, WaitOverride::Auto));
        // cmd.exe or PowerShell: the shell shares the console.
        assert!(!should_wait(Some(2), true, true, WaitOverride::Auto));
        assert!(!should_wait(Some(3), true, true, WaitOverride::Auto));
        // No console information (not Windows, or no console at all).
        assert!(!should_wait(None, true, true, WaitOverride::Auto));
        assert!(!should_wait(Some(0), true, true, WaitOverride::Auto));
    }

    #[test]
    fn never_waits_when_redirected_or_told_not_to() {
        // Output redirected to a file, or input from a pipe: a script.
        assert!(!should_wait(Some(1), true, false, WaitOverride::Auto));
        assert!(!should_wait(Some(1), false, true, WaitOverride::Auto));
        assert!(!should_wait(Some(1), true, true, WaitOverride::Never));
    }

    #[test]
    fn the_override_reads_never() {
        assert_eq!(
            WaitOverride::from_env_value(Some("never")),
            WaitOverride::Never
        );
        assert_eq!(
            WaitOverride::from_env_value(Some(" NEVER ")),
            WaitOverride::Never
        );
        assert_eq!(WaitOverride::from_env_value(Some("0")), WaitOverride::Never);
        assert_eq!(
            WaitOverride::from_env_value(Some("explain")),
            WaitOverride::Explain
        );
        assert!(should_wait(Some(1), true, true, WaitOverride::Explain));
        assert!(!should_wait(Some(2), true, true, WaitOverride::Explain));
        assert_eq!(WaitOverride::from_env_value(Some("")), WaitOverride::Auto);
        assert_eq!(WaitOverride::from_env_value(None), WaitOverride::Auto);
    }

    #[cfg(not(windows))]
    #[test]
    fn elsewhere_there_is_no_count() {
        assert_eq!(console_process_count(), None);
    }
}
