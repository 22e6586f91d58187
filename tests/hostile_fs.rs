//! Everything a user's folder can hold, and the tool on it: each case gives
//! a report with the problem as evidence, never a hang or a crash.
//!
//! Permission cases drop privileges (tests run as root in CI, and root reads
//! everything): `setpriv --reuid=nobody --regid=nogroup --clear-groups`.
#![cfg(unix)]

use crate::common;

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Make the whole fixture readable by others, so a dropped-privilege run can walk it.
fn open_up(root: &Path) {
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        if e.path_is_symlink() {
            continue;
        }
        let m = if e.file_type().is_dir() { 0o755 } else { 0o644 };
        chmod(e.path(), m);
    }
}

fn json_unprivileged(root: &Path) -> (Run, Report) {
    let r = run_unprivileged(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let v = r.report();
    (r, v)
}

/// A fixture whose temp dir itself others can enter.
fn open_fixture() -> Fixture {
    let f = Fixture::new();
    chmod(f.root(), 0o755);
    f
}

#[test]
fn unreadable_spooler_folder_is_evidence() {
    let f = open_fixture();
    let sp = f.spooler("a@contoso.com");
    f.spool("a@contoso.com", "m", b"<m/>", 3600);
    open_up(f.root());
    chmod(&sp, 0o000);
    let (r, v) = json_unprivileged(f.root());
    chmod(&sp, 0o755);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    assert!(
        ev.contains("cannot") && ev.to_lowercase().contains("permission denied"),
        "{ev}\n{}",
        r.stderr
    );
    // Never a pass on a spooler the tool could not look into.
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Warn);
    assert_eq!(code(&v, CheckId::SpoolerStuck), "spooler-unreadable");
}

#[test]
fn unreadable_lync_folder_says_could_not_read() {
    let f = open_fixture();
    f.spool("a@contoso.com", "m", b"<m/>", 3600);
    open_up(f.root());
    let lync = f.lync("16.0");
    chmod(&lync, 0o000);
    let (r, _) = (
        run_unprivileged(&["check", "--root", f.root().to_str().unwrap(), "--now", NOW]),
        (),
    );
    chmod(&lync, 0o755);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("could not read"), "{}", r.stderr);
    assert!(
        r.stderr.to_lowercase().contains("permission denied"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("nothing that looks like"),
        "{}",
        r.stderr
    );
}

#[test]
fn spooler_or_tracing_that_is_a_file_is_not_empty_or_absent() {
    let f = Fixture::new();
    let prof = f.profile("a@contoso.com");
    std::fs::write(prof.join("History Spooler"), b"x").unwrap();
    std::fs::write(f.lync("16.0").join("Tracing"), b"x").unwrap();
    let (r, v) = check_report(f.root(), &[]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Warn);
    assert_eq!(code(&v, CheckId::SpoolerStuck), "spooler-unreadable");
    assert!(summary(&v, CheckId::SpoolerStuck).contains("a file, not a folder"));
    assert_eq!(status(&v, CheckId::ClientLogs), Status::Warn);
    assert_eq!(code(&v, CheckId::ClientLogs), "logs-unreadable");
    assert!(summary(&v, CheckId::ClientLogs).contains("a file, not a folder"));
}

#[test]
fn a_log_that_is_a_fifo_or_link_is_could_not_read() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let real = f.log(
        "Lync-UccApi-0.UccApilog",
        &user_agent_entry("09:00:00.000", "16.0.7571.2072"),
    );
    let tracing = real.parent().unwrap().to_path_buf();
    std::os::unix::fs::symlink(&real, tracing.join("Lync-UccApi-1.UccApilog")).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(tracing.join("Lync-UccApi-2.UccApilog"))
            .status()
            .unwrap()
            .success()
    );
    let (r, v) = check_report(f.root(), &[]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(status(&v, CheckId::ClientLogs), Status::Warn);
    assert_eq!(code(&v, CheckId::ClientLogs), "logs-partly-unreadable");
    let ev = evidence_text(&v, CheckId::ClientLogs);
    assert!(!ev.contains("0 bytes, 0 entries"), "{ev}");
    assert!(ev.contains("could not read"), "{ev}");
}

#[test]
fn unreadable_spooled_file_is_listed_with_its_problem() {
    let f = open_fixture();
    let p = f.spool("a@contoso.com", "locked.xml", b"<m/>", 3600);
    open_up(f.root());
    chmod(&p, 0o000);
    let (r, v) = json_unprivileged(f.root());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        status(&v, CheckId::SpoolerStuck),
        Status::Fail,
        "an unreadable file is still old"
    );
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    assert!(
        ev.contains("locked.xml") && ev.contains("cannot be read"),
        "{ev}"
    );
}

#[test]
fn unreadable_tracing_folder_and_log_are_evidence() {
    let f = open_fixture();
    f.profile("a@contoso.com");
    let log = f.log(
        "Lync-UccApi-0.UccApilog",
        &user_agent_entry("09:00:00.000", "16.0.7571.2072"),
    );
    f.log(
        "Lync-UccApi-1.UccApilog",
        &user_agent_entry("09:00:00.000", "16.0.7571.2072"),
    );
    open_up(f.root());
    chmod(&log, 0o000);
    let (r, v) = json_unprivileged(f.root());
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let ev = evidence_text(&v, CheckId::ClientLogs);
    assert!(
        ev.contains("Lync-UccApi-0.UccApilog") && ev.to_lowercase().contains("permission denied"),
        "{ev}"
    );
    // The readable log was read, but a log it could not look into is never a pass.
    assert_eq!(status(&v, CheckId::ClientLogs), Status::Warn);
    assert_eq!(code(&v, CheckId::ClientLogs), "logs-partly-unreadable");

    let tracing = log.parent().unwrap().to_path_buf();
    chmod(&tracing, 0o000);
    let (r, v) = json_unprivileged(f.root());
    chmod(&tracing, 0o755);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(status(&v, CheckId::ClientLogs), Status::Warn);
    // Not "logging is probably off": the folder could not be read.
    assert_eq!(code(&v, CheckId::ClientLogs), "logs-unreadable");
    assert!(
        summary(&v, CheckId::ClientLogs)
            .to_lowercase()
            .contains("permission denied"),
        "{}",
        summary(&v, CheckId::ClientLogs)
    );
}

#[test]
fn unreadable_root_exits_2_naming_it() {
    let f = open_fixture();
    f.profile("a@contoso.com");
    open_up(f.root());
    let locked = f.root().join("Microsoft");
    chmod(&locked, 0o000);
    let r = run_unprivileged(&["check", "--root", locked.to_str().unwrap(), "--now", NOW]);
    chmod(&locked, 0o755);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("cannot be read"), "{}", r.stderr);
}

#[test]
fn symlink_loops_broken_links_sockets_and_devices() {
    let f = Fixture::new();
    let sp = f.spooler("a@contoso.com");
    std::os::unix::fs::symlink(&sp, sp.join("loop")).unwrap();
    std::os::unix::fs::symlink("loop2", sp.join("loop2")).unwrap();
    std::os::unix::fs::symlink(sp.join("gone"), sp.join("broken")).unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(sp.join("sock")).unwrap();
    let fifo = sp.join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    if is_root() {
        // A character device (like /dev/null): listed, never opened.
        assert!(
            std::process::Command::new("mknod")
                .arg(sp.join("dev"))
                .args(["c", "1", "3"])
                .status()
                .unwrap()
                .success()
        );
    }
    // The Tracing folder gets the same treatment: a FIFO named like a log.
    let tracing = f.lync("16.0").join("Tracing");
    std::fs::create_dir_all(&tracing).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(tracing.join("Lync-UccApi-0.UccApilog"))
            .status()
            .unwrap()
            .success()
    );
    let started = Instant::now();
    let (r, v) = check_report(f.root(), &[]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "hung on a special file"
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    for want in [
        "symlink to",
        "not followed",
        "fifo (not opened)",
        "socket (not opened)",
    ] {
        assert!(ev.contains(want), "{want} missing in {ev}");
    }
    if is_root() {
        assert!(ev.contains("device (not opened)"), "{ev}");
    }
    assert!(
        evidence_text(&v, CheckId::ClientLogs).contains("Lync-UccApi-0.UccApilog"),
        "the FIFO log is named"
    );
}

#[test]
fn non_utf8_and_very_long_names() {
    let f = Fixture::new();
    let sp = f.spooler("a@contoso.com");
    write_with_age(
        &sp.join(std::ffi::OsStr::from_bytes(b"caf\xe9-\xff\xfe.xml")),
        b"<m/>",
        3600,
    );
    let long = "x".repeat(250) + ".xml";
    write_with_age(&sp.join(&long), b"<m/>", 3600);
    let (r, v) = check_report(f.root(), &[]);
    assert_eq!(r.code, 1);
    assert_eq!(v.profiles[0].spooler.stuck, 2);
    let ev = evidence_text(&v, CheckId::SpoolerStuck);
    assert!(ev.contains("name is not valid UTF-8"), "{ev}");
    assert!(ev.contains(&long));
}

#[test]
fn tens_of_thousands_of_spooled_files() {
    let f = Fixture::new();
    let sp = f.spooler("a@contoso.com");
    for i in 0..20_000 {
        std::fs::write(sp.join(format!("{i:05}.xml")), b"<m/>").unwrap();
    }
    filetime::set_file_mtime(sp.join("00000.xml"), ago(3600)).unwrap();
    let started = Instant::now();
    let (r, v) = check_report(f.root(), &[]);
    let took = started.elapsed();
    assert_eq!(r.code, 1);
    assert_eq!(v.profiles[0].spooler.files, 20_000);
    let ev = check_of(&v, CheckId::SpoolerStuck).evidence.len();
    assert!(ev <= 21, "evidence is capped, got {ev} items");
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

#[test]
fn files_that_vanish_or_grow_during_the_scan() {
    let f = Fixture::new();
    let sp = f.spooler("a@contoso.com");
    for i in 0..3000 {
        std::fs::write(sp.join(format!("{i:04}.xml")), b"<m/>").unwrap();
    }
    let log = f.log(
        "Lync-UccApi-0.UccApilog",
        &user_agent_entry("09:00:00.000", "16.0.7571.2072").repeat(2000),
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (sp, log, stop) = (sp.clone(), log.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::remove_file(sp.join(format!("{:04}.xml", i % 3000)));
                let _ = std::fs::write(sp.join(format!("new-{i}.xml")), b"<m/>");
                if let Ok(mut fh) = std::fs::OpenOptions::new().append(true).open(&log) {
                    use std::io::Write;
                    let _ = fh.write_all(b"11/24/2026|09:00:01.000 1A2C:2B3D INFO  :: growing\r\n");
                }
                i += 1;
            }
        })
    };
    for _ in 0..5 {
        let (r, v) = check_report(f.root(), &[]);
        assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
        assert_eq!(v.checks.len(), 13);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
}

#[test]
fn sparse_multi_gigabyte_log_is_scanned_from_its_end_with_a_warning() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let log = f
        .lync("16.0")
        .join("Tracing")
        .join("Lync-UccApi-0.UccApilog");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let fh = std::fs::File::create(&log).unwrap();
    // 5 GiB of holes, then the newest entries at the very end.
    fh.set_len(5 << 30).unwrap();
    drop(fh);
    {
        use std::io::Write;
        let mut fh = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        fh.write_all(b"\r\n").unwrap();
        fh.write_all(user_agent_entry("09:00:00.000", "16.0.7571.2072").as_bytes())
            .unwrap();
    }
    let started = Instant::now();
    let (r, v) = check_report(f.root(), &[]);
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(
        v.client.build.as_deref(),
        Some("16.0.7571.2072"),
        "the newest part was read"
    );
    let ev = evidence_text(&v, CheckId::ClientLogs);
    assert!(ev.contains("only the last"), "{ev}");
}

#[test]
fn a_log_growing_while_read_is_read_to_its_size_at_open() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let log = f.log(
        "Lync-UccApi-0.UccApilog",
        &user_agent_entry("09:00:00.000", "16.0.7571.2072").repeat(20_000),
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (log, stop) = (log.clone(), stop.clone());
        std::thread::spawn(move || {
            use std::io::Write;
            let block = entry("09:00:01.000", "INFO", "still writing").repeat(4000);
            let mut fh = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
            // The client keeps writing (bounded here to spare the disk).
            let mut written = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && written < 400 << 20 {
                fh.write_all(block.as_bytes()).unwrap();
                written += block.len();
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let (r, v) = check_report(f.root(), &[]);
    let took = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let ev = evidence_text(&v, CheckId::ClientLogs);
    assert!(ev.contains("grew while read"), "{ev}");
}
