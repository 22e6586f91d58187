//! `--version`: the version from Cargo.toml, the commit and the target, the
//! line a technician reads back to say which build ran.

use crate::common;

use common::*;
use std::path::Path;
use std::process::Command;

/// `offline-im-doctor 1.0.0 (0123456789ab x86_64-pc-windows-gnu)`: the
/// commit is 12 hex digits, or `unknown` for a build outside git.
fn parse(line: &str) -> (String, String, String) {
    let re = regex::Regex::new(
        r"^offline-im-doctor (\d+\.\d+\.\d+\S*) \(([0-9a-f]{12}|unknown) ([a-z0-9_]+-[a-z0-9_.-]+)\)\n$",
    )
    .unwrap();
    let c = re
        .captures(line)
        .unwrap_or_else(|| panic!("--version line out of format: {line:?}"));
    (c[1].to_string(), c[2].to_string(), c[3].to_string())
}

fn git_head(dir: &Path) -> Option<String> {
    let top = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .ok()?;
    let top = String::from_utf8(top.stdout).ok()?;
    if Path::new(top.trim()).canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap().trim().to_string())
}

#[test]
fn version_names_version_commit_and_target() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (version, commit, target) = parse(&r.stdout);
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    assert!(
        target.starts_with(std::env::consts::ARCH),
        "target {target} is not for {}",
        std::env::consts::ARCH
    );
    assert!(
        target.contains(std::env::consts::OS),
        "target {target} is not for {}",
        std::env::consts::OS
    );
    // Built from a git checkout (the usual case, and CI's): the commit is
    // the checkout's HEAD, unless the release script named it.
    if std::env::var_os("OIMD_BUILD_COMMIT").is_none()
        && let Some(head) = git_head(Path::new(env!("CARGO_MANIFEST_DIR")))
    {
        assert!(
            head.starts_with(&commit),
            "--version names commit {commit}, the checkout is at {head}"
        );
    }
    // -V is the same line.
    assert_eq!(run(&["-V"]).stdout, r.stdout);
}

#[test]
fn version_format_rejects_what_it_should() {
    for bad in [
        "offline-im-doctor 1.0.0\n",
        "offline-im-doctor 1.0.0 (abc x86_64-unknown-linux-gnu)\n",
        "offline-im-doctor 1.0.0 (0123456789ab)\n",
    ] {
        assert!(std::panic::catch_unwind(|| parse(bad)).is_err(), "{bad:?}");
    }
}
