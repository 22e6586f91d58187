//! The tool is read-only: every command leaves what it inspects unchanged,
//! and it works on a tree it cannot write to.

use crate::common;

use std::path::Path;

use common::*;

/// A failing machine with every kind of file the tool reads: spooled
/// messages, current and rotated logs, an ETL trace, a pasted server setting.
fn scenario() -> Fixture {
    let f = scenarios::stuck_on_premises();
    f.file(
        "Microsoft/Office/16.0/Lync/Tracing/Lync-UccApi-0.etl",
        b"\x00\x01etl",
    );
    f.file(
        "server-config.txt",
        b"Identity : Global\r\nEnableOfflineIm : True\r\n",
    );
    f
}

fn ok(r: &Run, what: &str) {
    assert!(
        r.code == 0 || r.code == 1,
        "{what}: exit {} {}",
        r.code,
        r.stderr
    );
}

#[test]
fn every_command_leaves_the_tree_unchanged() {
    let f = scenario();
    let root = f.root().to_str().unwrap().to_string();
    let cfg = f.root().join("server-config.txt");
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("b.zip");
    let reports = tempfile::tempdir().unwrap();
    let before = snapshot_tree(f.root());

    for format in ["table", "json", "markdown", "ndjson"] {
        ok(
            &check_run(
                &root,
                &["--format", format, "--server-config", cfg.to_str().unwrap()],
            ),
            format,
        );
        ok(
            &run(&[
                "--root", &root, "--now", NOW, "--format", format, "--redact",
            ]),
            format,
        );
    }
    ok(
        &check_run(&root, &["--user", "jdoe@fabrikam.com"]),
        "--user",
    );
    ok(&run(&["checks"]), "checks");
    ok(&run(&["checks", "--format", "json"]), "checks json");
    ok(&run(&["schema"]), "schema");
    ok(
        &run(&[
            "collect",
            "--root",
            &root,
            "--now",
            NOW,
            "--out",
            zip.to_str().unwrap(),
        ]),
        "collect",
    );
    ok(
        &run(&[
            "collect",
            "--root",
            &root,
            "--now",
            NOW,
            "--out",
            out.path().join("r.zip").to_str().unwrap(),
            "--redact",
        ]),
        "collect --redact",
    );
    ok(
        &run(&[
            "collect",
            "--root",
            &root,
            "--now",
            NOW,
            "--out",
            out.path().join("m.zip").to_str().unwrap(),
            "--include-messages",
        ]),
        "collect --include-messages",
    );

    assert_eq!(
        before,
        snapshot_tree(f.root()),
        "a command changed the inspected tree"
    );

    // The bundle and the reports are inputs too.
    let zip_before = snapshot_tree(out.path());
    ok(
        &run(&["check", "--root", zip.to_str().unwrap(), "--format", "json"]),
        "check bundle",
    );
    assert_eq!(
        zip_before,
        snapshot_tree(out.path()),
        "reading a bundle changed its folder"
    );
    let r = check_run(&root, &["--format", "json"]);
    std::fs::write(reports.path().join("pc1.json"), r.stdout).unwrap();
    let rep_before = snapshot_tree(reports.path());
    ok(
        &run(&["aggregate", reports.path().to_str().unwrap()]),
        "aggregate",
    );
    assert_eq!(
        rep_before,
        snapshot_tree(reports.path()),
        "aggregate changed its inputs"
    );
}

#[cfg(unix)]
fn make_read_only(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for e in walkdir::WalkDir::new(root).contents_first(true) {
        let e = e.unwrap();
        let mode = if e.file_type().is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[cfg(unix)]
fn make_writable(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        let mode = if e.file_type().is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn works_on_a_read_only_copy() {
    use std::os::unix::fs::PermissionsExt;
    let f = scenario();
    // The writable reference run, then the same tree made read-only.
    let (_, writable) = check_report(f.root(), &[]);
    std::fs::set_permissions(f.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    make_read_only(f.root());
    let before = snapshot_tree(f.root());
    let root = f.root().to_str().unwrap();
    let r = run_unprivileged(&["check", "--root", root, "--now", NOW, "--format", "json"]);
    let out = tempfile::tempdir().unwrap();
    std::fs::set_permissions(out.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let zip = out.path().join("ro.zip");
    let c = run_unprivileged(&[
        "collect",
        "--root",
        root,
        "--now",
        NOW,
        "--out",
        zip.to_str().unwrap(),
    ]);
    let after = snapshot_tree(f.root());
    make_writable(f.root());
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.report();
    assert_eq!(
        statuses(&v),
        statuses(&writable),
        "read-only copy gives another diagnosis"
    );
    assert_eq!(v.client.build.as_deref(), Some("16.0.6965.2053"));
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(zip.exists());
    assert_eq!(before, after);
}
