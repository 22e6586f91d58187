//! Build script: on Windows targets, embed the version resource and the
//! application manifest (`windows/`) in offline-im-doctor.exe with
//! embed-resource (MSVC's rc.exe, or mingw's windres when cross-compiling
//! to x86_64-pc-windows-gnu). Other targets get nothing.

use std::path::PathBuf;

fn main() {
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
