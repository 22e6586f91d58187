//! Build script.
//!
//! Every target: the commit and the target triple that `--version` prints
//! (`OIMD_BUILD_COMMIT`, `OIMD_BUILD_TARGET`). The commit is the
//! `OIMD_BUILD_COMMIT` environment variable when set (`scripts/release.sh`
//! sets it, so a build from an exported tree without `.git` still names its
//! commit), else what `git rev-parse` says when this folder is the top of a
//! git checkout, else `unknown`. Nothing here depends on the time or on
//! the build folder, so two builds of one commit stay identical.
//!
//! Windows targets: embed the version resource and the application manifest
//! (`windows/`) in offline-im-doctor.exe with embed-resource (MSVC's rc.exe,
//! or mingw's windres when cross-compiling to x86_64-pc-windows-gnu).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Length of the abbreviated commit: fixed, so every clone prints the same.
const COMMIT_LEN: usize = 12;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// The commit of the checkout at `dir`, and the files whose change means a
/// new commit (HEAD, the branch it names, packed-refs). None when `dir` is
/// not the top of a git checkout: a source tarball unpacked inside some
/// other repository must not take that repository's commit.
fn git_commit(dir: &Path) -> Option<(String, Vec<PathBuf>)> {
    let top = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != dir.canonicalize().ok()? {
        return None;
    }
    let commit = git(dir, &["rev-parse", "--verify", "HEAD"])?;
    let mut watch = Vec::new();
    for name in ["HEAD", "packed-refs"] {
        if let Some(p) = git(dir, &["rev-parse", "--git-path", name]) {
            watch.push(dir.join(p));
        }
    }
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"])
        && let Some(p) = git(dir, &["rev-parse", "--git-path", &branch])
    {
        watch.push(dir.join(p));
    }
    Some((commit, watch))
}

fn build_info() {
    println!("cargo:rerun-if-env-changed=OIMD_BUILD_COMMIT");
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let commit = match std::env::var("OIMD_BUILD_COMMIT") {
        Ok(c) if !c.trim().is_empty() => c.trim().to_string(),
        _ => match git_commit(&dir) {
            Some((commit, watch)) => {
                for p in watch.iter().filter(|p| p.exists()) {
                    println!("cargo:rerun-if-changed={}", p.display());
                }
                commit
            }
            None => "unknown".to_string(),
        },
    };
    let commit: String = commit.chars().take(COMMIT_LEN).collect();
    println!("cargo:rustc-env=OIMD_BUILD_COMMIT={commit}");
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    println!("cargo:rustc-env=OIMD_BUILD_TARGET={target}");
}

fn main() {
    build_info();
    println!("cargo:rerun-if-changed=windows/offline-im-doctor.rc.in");
    println!("cargo:rerun-if-changed=windows/offline-im-doctor.exe.manifest");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets the version");
    let mut parts: Vec<u16> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    parts.resize(4, 0);
    let commas = parts
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let four = parts
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(".");
    let manifest = std::fs::read_to_string("windows/offline-im-doctor.exe.manifest")
        .expect("windows/offline-im-doctor.exe.manifest")
        .replace("@VERSION4@", &four);
    let manifest_path = out.join("offline-im-doctor.exe.manifest");
    std::fs::write(&manifest_path, manifest).expect("write the manifest");
    let rc = std::fs::read_to_string("windows/offline-im-doctor.rc.in")
        .expect("windows/offline-im-doctor.rc.in")
        .replace(
            "@MANIFEST@",
            &manifest_path.display().to_string().replace('\\', "/"),
        )
        .replace("@VERSION_COMMAS@", &commas)
        .replace("@VERSION4@", &four)
        .replace("@VERSION@", &version)
        .replace(
            "@DESCRIPTION@",
            &std::env::var("CARGO_PKG_DESCRIPTION").unwrap_or_default(),
        );
    let rc_path = out.join("offline-im-doctor.rc");
    std::fs::write(&rc_path, rc).expect("write the resource script");
    embed_resource::compile(&rc_path, embed_resource::NONE)
        .manifest_required()
        .expect("embedding the version resource and manifest");
}
