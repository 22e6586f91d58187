//! Files named on the command line: a FIFO or a device exits 2 at once (no
//! blocking open, no endless read), and every input has a size cap.
#![cfg(unix)]

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo has no other precondition.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// The run, killed after 20 s (a blocking open would hang it forever).
fn run_bounded(args: &[&str]) -> (Run, Duration) {
    let t = Instant::now();
    let out = cmd()
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    (out.into(), t.elapsed())
}

#[test]
fn fifo_and_device_inputs_exit_2_at_once() {
    let f = Fixture::new();
    f.spool("a@contoso.com", "m.xml", b"<m/>", 3600);
    let fifo = f.root().join("pipe");
    mkfifo(&fifo);
    let fifo = fifo.to_str().unwrap();
    let root = f.root().to_str().unwrap();
    for (opt, value) in [
        ("--rules", fifo),
        ("--lync-exe", fifo),
        ("--server-config", fifo),
        ("--rules", "/dev/zero"),
        ("--lync-exe", "/dev/zero"),
        ("--server-config", "/dev/zero"),
    ] {
        let (r, took) = run_bounded(&["check", "--root", root, "--now", NOW, opt, value]);
        assert_eq!(r.code, 2, "{opt} {value}: {}{}", r.stdout, r.stderr);
        assert!(
            took < Duration::from_secs(10),
            "{opt} {value} took {took:?}"
        );
        assert!(
            r.stderr.contains("not a regular file"),
            "{opt} {value}: {}",
            r.stderr
        );
    }
}

#[test]
fn oversized_rules_file_exits_2() {
    let f = Fixture::new();
    f.spool("a@contoso.com", "m.xml", b"<m/>", 3600);
    let big = f.file("rules.toml", &vec![b'#'; 5 * 1024 * 1024]);
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--rules", big.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("limit"), "{}", r.stderr);
}

#[test]
fn a_paste_of_a_hundred_thousand_objects_is_read_in_linear_time() {
    let f = Fixture::new();
    f.spool("a@contoso.com", "m.xml", b"<m/>", 3600);
    let mut paste = String::new();
    for i in 0..100_000 {
        paste.push_str(&format!(
            "Identity : Tag:p{i}\r\nEnableOfflineIm : True\r\n\r\n"
        ));
    }
    paste.push_str("Identity : Tag:p7\r\nEnableOfflineIm : False\r\n");
    let cfg = f.file("cfg.txt", paste.as_bytes());
    let root = f.root().to_str().unwrap();
    let (r, took) = run_bounded(&[
        "check",
        "--root",
        root,
        "--now",
        NOW,
        "--format",
        "json",
        "--server-config",
        cfg.to_str().unwrap(),
    ]);
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.report();
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Fail);
    assert!(summary(&v, CheckId::ServerOfflineIm).contains("Tag:p7"));
}
