//! `watch` against a live tree: a writer on the test side creates and
//! removes spooled messages, appends log lines with current timestamps and
//! rotates the log on a schedule, while the real binary watches with
//! `--stuck-after 2s` and a short `--for`. Reason codes and the `watch` key
//! are asserted, never prose.

use crate::common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const ALICE: &str = "jdoe@fabrikam.com";
const BOB: &str = "kim@fabrikam.com";

fn bin() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("offline-im-doctor")
}

fn watch_cmd(root: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.arg("watch").arg("--root").arg(root);
    if !extra.contains(&"--stuck-after") {
        c.args(["--stuck-after", "2s"]);
    }
    c.args(extra)
        .env("TZ", "UTC")
        .env_remove("NO_COLOR")
        .env("COMPUTERNAME", "DESKTOP-TEST01")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// Run a watch while `writer` changes the tree; the writer starts once the
/// watch has had time to take stock.
fn watch_with(root: &Path, extra: &[&str], writer: impl FnOnce() + Send + 'static) -> (Run, f64) {
    watch_child(watch_cmd(root, extra), writer)
}

/// Run `c` with progress on stderr (OFFLINE_IM_DOCTOR_PROGRESS=always);
/// the writer starts once the watch has said "Now send an IM", so a loaded
/// machine cannot make the test message look like one spooled before.
fn watch_child(mut c: Command, writer: impl FnOnce() + Send + 'static) -> (Run, f64) {
    use std::io::BufRead;
    let started = Instant::now();
    let mut child = c
        .env("OFFLINE_IM_DOCTOR_PROGRESS", "always")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let reader = thread::spawn(move || {
        let mut all = String::new();
        for l in std::io::BufReader::new(stderr).lines() {
            let l = l.unwrap_or_default();
            if l.contains("Now send an IM") {
                let _ = ready_tx.send(());
            }
            all.push_str(&l);
            all.push('\n');
        }
        all
    });
    let w = thread::spawn(move || {
        if ready_rx.recv_timeout(Duration::from_secs(60)).is_ok() {
            thread::sleep(Duration::from_millis(200));
            writer();
        }
    });
    let mut stdout = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut stdout).unwrap();
    let status = child.wait().unwrap();
    w.join().unwrap();
    let stderr = reader.join().unwrap();
    (
        Run {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr,
        },
        started.elapsed().as_secs_f64(),
    )
}

/// A log line the way the client writes it, stamped now (the child reads
/// the log in UTC: TZ=UTC).
fn line(level: &str, text: &str) -> String {
    format!(
        "{} 1A2C:2B3D {level:<5} :: {text}\r\n",
        chrono::Utc::now().format("%m/%d/%Y|%H:%M:%S%.3f")
    )
}

fn append(p: &Path, text: &str) {
    let mut f = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(p)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn tracing(f: &Fixture) -> PathBuf {
    let t = f.lync("16.0").join("Tracing");
    fs::create_dir_all(&t).unwrap();
    t
}

/// A profile with a spooler and a log that already holds an old failure
/// (written before the watch: never judged by it).
fn tree() -> (Fixture, PathBuf, PathBuf) {
    let f = Fixture::new();
    let spooler = f.spooler(ALICE);
    let log = tracing(&f).join("Lync-UccApi-0.UccApilog");
    fs::write(
        &log,
        entry(
            "09:00:02.000",
            "ERROR",
            "failed to send offline message, hr=0x80190191",
        ),
    )
    .unwrap();
    (f, spooler, log)
}

fn message(to: &str) -> Vec<u8> {
    format!("To: {to}\r\nContent-Type: text/plain\r\n\r\nhello").into_bytes()
}

/// The watch's part of a report.
fn watch_of(v: &Report) -> &WatchInfo {
    v.watch.as_ref().expect("a watch in the report")
}

/// The watch's part of the JSON report a run printed.
fn watch_key(r: &Run) -> WatchInfo {
    r.report().watch.expect("a watch in the report")
}

/// Each watched message as (profile, outcome).
fn outcomes(w: &WatchInfo) -> Vec<(&str, WatchOutcome)> {
    w.messages
        .iter()
        .map(|m| (m.profile.as_str(), m.outcome))
        .collect()
}

#[test]
fn a_delivered_message_ends_the_watch_and_exits_0() {
    let (f, spooler, log) = tree();
    let (r, secs) = watch_with(f.root(), &["--for", "30s", "--format", "json"], move || {
        let m = spooler.join("{0A1B}.eml");
        fs::write(&m, message(BOB)).unwrap();
        append(&log, &line("INFO", "offline message queued for processing"));
        thread::sleep(Duration::from_millis(1200));
        fs::remove_file(&m).unwrap();
        append(&log, &line("INFO", "offline message processed"));
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Spooled: {0A1B}.eml (jdoe@fabrikam.com) to kim@fabrikam.com"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Delivered: {0A1B}.eml"), "{}", r.stderr);
    // Where a delivered message appears; the recipient's side is not checkable.
    assert!(
        r.stderr
            .contains("Missed Conversations and Conversation History")
            && r.stderr
                .contains("the Inbox (plain e-mail) across federation")
            && r.stderr
                .contains("cannot be checked from the sender's machine"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("offline-im"),
        "live log entries: {}",
        r.stderr
    );
    let v = r.report();
    let w = watch_of(&v);
    assert_eq!(outcomes(w), [(ALICE, WatchOutcome::Delivered)]);
    assert_eq!(w.messages[0].recipients, [BOB]);
    assert_eq!(w.messages[0].file, "{0A1B}.eml");
    assert!(w.messages[0].gone_at.is_some());
    assert_eq!(w.ended_by, WatchEnd::Settled);
    assert_eq!(w.log_entries, 2);
    // Judged on the window only: the old failure before the watch is not in it.
    assert_eq!(code(&v, CheckId::OfflineImActivity), "offline-events");
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Pass);
    assert!(secs < 20.0, "ended when settled, not at --for: {secs}s");
}

#[test]
fn a_stuck_message_exits_1_with_the_failure_judged() {
    let (f, spooler, log) = tree();
    let (r, _) = watch_with(f.root(), &["--for", "30s", "--format", "json"], move || {
        fs::write(spooler.join("m1.eml"), message(BOB)).unwrap();
        append(
            &log,
            &line("ERROR", "failed to send offline message, hr=0x80190191"),
        );
    });
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.report();
    let w = watch_of(&v);
    assert_eq!(outcomes(w), [(ALICE, WatchOutcome::Stuck)]);
    assert!(w.messages[0].gone_at.is_none());
    assert_eq!(w.ended_by, WatchEnd::Settled);
    assert_eq!(w.log_entries, 1);
    assert_eq!(code(&v, CheckId::OfflineImActivity), "offline-failures");
    assert_eq!(status(&v, CheckId::SpoolerStuck), Status::Fail);
    // The report with its watch key is what `schema` publishes.
    let schema: Value = serde_json::from_str(&run(&["schema"]).stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&r.json())
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn a_message_younger_than_stuck_after_when_the_watch_ends_is_pending() {
    let (f, spooler, _log) = tree();
    // --for shorter than --stuck-after: the message is still pending at the end.
    let (r, _) = watch_with(
        f.root(),
        &[
            "--for",
            "2s",
            "--stuck-after",
            "1h",
            "--fail-on",
            "warn",
            "--format",
            "json",
        ],
        move || fs::write(spooler.join("m1.eml"), message(BOB)).unwrap(),
    );
    assert_eq!(r.code, 0, "a pending message is not stuck: {}", r.stderr);
    let w = watch_key(&r);
    assert_eq!(outcomes(&w), vec![(ALICE, WatchOutcome::Pending)]);
    assert_eq!(w.ended_by, WatchEnd::Duration);
}

fn rotation(extra: &[&str]) {
    let (f, _spooler, log) = tree();
    let before = fs::metadata(&log).unwrap().len();
    let mut args = vec!["--for", "6s", "--format", "json"];
    args.extend_from_slice(extra);
    let (r, _) = watch_with(f.root(), &args, move || {
        append(
            &log,
            &line("INFO", "offline message queued (before the rotation)"),
        );
        // Rotated right after being written: the watch finds this line in the .bak.
        let bak = log.with_file_name("Lync-UccApi-0.UccApilog.bak");
        fs::rename(&log, &bak).unwrap();
        thread::sleep(Duration::from_millis(300));
        append(&log, &line("INFO", "offline message sent (new generation)"));
        thread::sleep(Duration::from_millis(1500));
        append(
            &log,
            &line("ERROR", "failed to send offline message, hr=0x80070005"),
        );
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.report();
    let w = watch_of(&v);
    assert_eq!(w.ended_by, WatchEnd::Duration);
    assert!(w.messages.is_empty());
    assert_eq!(
        w.log_entries,
        3,
        "{}",
        serde_json::to_string_pretty(&v.timeline).unwrap()
    );
    assert_eq!(code(&v, CheckId::OfflineImActivity), "offline-failures");
    // The old generation from where the watch began, the new one from its start.
    let paths: Vec<&str> = v.timeline.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(
        paths[0].ends_with(&format!("Lync-UccApi-0.UccApilog (from byte {before})")),
        "{paths:?}"
    );
    assert!(
        paths[2].ends_with("Lync-UccApi-0.UccApilog (from byte 0)"),
        "{paths:?}"
    );
}

#[test]
fn a_rotation_to_bak_is_followed_into_the_new_generation() {
    rotation(&[]);
}

#[test]
fn a_rotation_is_followed_when_polling_too() {
    rotation(&["--poll"]);
}

#[test]
fn nothing_sent_runs_for_the_whole_duration_and_exits_0() {
    let (f, _spooler, _log) = tree();
    let started = Instant::now();
    let r: Run = watch_cmd(f.root(), &["--for", "3s", "--format", "json"])
        .output()
        .unwrap()
        .into();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "stderr stays quiet when it is not a terminal");
    let v = r.report();
    let w = watch_of(&v);
    assert!(w.messages.is_empty());
    assert_eq!(w.ended_by, WatchEnd::Duration);
    assert_eq!(w.log_entries, 0);
    assert_eq!(v.logs.entries, 0);
    assert!(secs >= 3.0, "{secs}");
    assert!(w.started_at < w.ended_at);
}

#[test]
fn already_spooled_files_are_not_the_test_message() {
    let (f, _spooler, _log) = tree();
    f.spool(ALICE, "old.eml", &message(BOB), 3600);
    let (r, _) = watch_with(f.root(), &["--for", "2s", "--format", "json"], || {});
    assert_eq!(r.code, 0, "{}", r.stderr);
    let w = watch_key(&r);
    assert!(w.messages.is_empty());
    assert_eq!(w.already_spooled, 1);
}

#[test]
fn a_spooler_folder_created_during_the_watch_is_watched() {
    let f = Fixture::new();
    let profile = f.profile(ALICE);
    fs::write(tracing(&f).join("Lync-UccApi-0.UccApilog"), "").unwrap();
    let (r, _) = watch_with(f.root(), &["--for", "30s", "--format", "json"], move || {
        let sp = profile.join("History Spooler");
        fs::create_dir(&sp).unwrap();
        thread::sleep(Duration::from_millis(400));
        let m = sp.join("m1.eml");
        fs::write(&m, message(BOB)).unwrap();
        thread::sleep(Duration::from_millis(1500));
        fs::remove_file(&m).unwrap();
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    let w = watch_key(&r);
    assert_eq!(outcomes(&w), vec![(ALICE, WatchOutcome::Delivered)]);
    assert_eq!(w.ended_by, WatchEnd::Settled);
}

#[test]
fn two_users_each_message_under_its_profile() {
    let (f, alice, _log) = tree();
    let bob = f.spooler(BOB);
    let (r, _) = watch_with(f.root(), &["--for", "30s", "--format", "json"], move || {
        let a = alice.join("a.eml");
        fs::write(&a, message(BOB)).unwrap();
        fs::write(bob.join("b.eml"), message(ALICE)).unwrap();
        thread::sleep(Duration::from_millis(1000));
        fs::remove_file(&a).unwrap();
    });
    assert_eq!(r.code, 1, "bob's message stayed stuck: {}", r.stderr);
    let w = watch_key(&r);
    let mut got = outcomes(&w);
    got.sort_by_key(|&(profile, _)| profile);
    assert_eq!(
        got,
        vec![(ALICE, WatchOutcome::Delivered), (BOB, WatchOutcome::Stuck)]
    );
}

#[test]
fn user_narrows_the_watch_to_one_profile() {
    let (f, alice, _log) = tree();
    let bob = f.spooler(BOB);
    let (r, _) = watch_with(
        f.root(),
        &["--for", "3s", "--user", ALICE, "--format", "json"],
        move || {
            fs::write(bob.join("b.eml"), message(ALICE)).unwrap();
            let _ = alice;
        },
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(watch_key(&r).messages.is_empty());
}

#[test]
fn redact_pseudonymises_the_watch() {
    let (f, spooler, _log) = tree();
    let (r, _) = watch_with(
        f.root(),
        &["--for", "30s", "--format", "json", "--redact"],
        move || {
            let m = spooler.join("m1.eml");
            fs::write(&m, message(BOB)).unwrap();
            thread::sleep(Duration::from_millis(800));
            fs::remove_file(&m).unwrap();
        },
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("fabrikam"), "{}", r.stdout);
    let w = watch_key(&r);
    assert_eq!(w.messages[0].outcome, WatchOutcome::Delivered);
    assert_ne!(w.messages[0].profile, ALICE);
}

#[test]
fn table_markdown_and_html_show_the_watch() {
    let (f, spooler, _log) = tree();
    for (format, marker) in [
        ("table", "Watch:"),
        ("markdown", "**Watch:**"),
        ("html", "<li><b>Watch:</b>"),
    ] {
        let sp = spooler.clone();
        let (r, _) = watch_with(f.root(), &["--for", "30s", "--format", format], move || {
            fs::write(sp.join(format!("{format}.eml")), message(BOB)).unwrap();
        });
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(r.stdout.contains(marker), "{format}:\n{}", r.stdout);
        assert!(r.stdout.contains("STUCK:"), "{format}:\n{}", r.stdout);
        assert!(r.stdout.contains(&format!("{format}.eml")), "{format}");
        fs::remove_file(spooler.join(format!("{format}.eml"))).unwrap();
    }
}

#[test]
fn watching_changes_nothing() {
    let (f, _spooler, _log) = tree();
    f.spool(ALICE, "old.eml", &message(BOB), 3600);
    let before = snapshot_tree(f.root());
    let (r, _) = watch_with(f.root(), &["--for", "2s", "--format", "json"], || {});
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (r2, _) = watch_with(f.root(), &["--for", "2s", "--poll"], || {});
    assert_eq!(r2.code, 0, "{}", r2.stderr);
    assert_eq!(before, snapshot_tree(f.root()));
}

#[test]
fn a_bundle_or_a_missing_root_is_exit_2() {
    let f = Fixture::new();
    let r = run(&[
        "watch",
        "--root",
        f.root().join("nope").to_str().unwrap(),
        "--for",
        "1s",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let zip = f.root().join("b.zip");
    fs::write(&zip, b"PK").unwrap();
    let r = run(&["watch", "--root", zip.to_str().unwrap(), "--for", "1s"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a zip"), "{}", r.stderr);
    assert!(r.stderr.contains("check --root"), "{}", r.stderr);
}

#[test]
fn collect_watch_records_the_window_and_the_watch_key() {
    let (f, spooler, log) = tree();
    let out = tempfile::tempdir().unwrap();
    let zip = out.path().join("w.zip");
    let mut c = Command::new(bin());
    c.args([
        "collect",
        "--watch",
        "--for",
        "30s",
        "--stuck-after",
        "2s",
        "--redact",
    ])
    .arg("--root")
    .arg(f.root())
    .arg("--out")
    .arg(&zip)
    .env("TZ", "UTC");
    let (r, secs) = watch_child(c, move || {
        fs::write(spooler.join("m1.eml"), message(BOB)).unwrap();
        append(
            &log,
            &line(
                "ERROR",
                "failed to send offline message to sip:kim@fabrikam.com, hr=0x80190191",
            ),
        );
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(secs < 25.0);
    assert!(
        !r.stderr.contains("fabrikam"),
        "progress is redacted too: {}",
        r.stderr
    );
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let window = read("watch/log-1.UccApilog");
    assert!(
        window.contains("failed to send offline message"),
        "{window}"
    );
    assert!(
        !window.contains("09:00:02.000"),
        "only the watched window: {window}"
    );
    assert!(!window.contains("fabrikam"), "redacted: {window}");
    let text = read("report.json");
    assert!(!text.contains("fabrikam"));
    let report: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(watch_of(&report).messages[0].outcome, WatchOutcome::Stuck);
    assert_eq!(watch_of(&report).log_entries, 1);
}

#[cfg(unix)]
mod unix {
    use super::*;

    /// CPU seconds (user + system) a child used, from wait4's rusage.
    fn wait_cpu(pid: u32) -> (i32, f64) {
        let mut status = 0;
        // SAFETY: rusage is plain data; wait4 fills it for our own child.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut ru) };
        assert_eq!(r, pid as libc::pid_t);
        let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        (
            libc::WEXITSTATUS(status),
            secs(ru.ru_utime) + secs(ru.ru_stime),
        )
    }

    // wait4 reaps the child (std's wait would not give its rusage).
    #[allow(clippy::zombie_processes)]
    fn idle_cpu(extra: &[&str]) -> f64 {
        let (f, _spooler, _log) = tree();
        let mut c = watch_cmd(f.root(), &["--for", "10s", "--format", "json"]);
        c.args(extra).stdout(Stdio::null()).stderr(Stdio::null());
        let child = c.spawn().unwrap();
        let (code, cpu) = wait_cpu(child.id());
        assert_eq!(code, 0);
        cpu
    }

    #[test]
    fn an_idle_watch_does_not_busy_loop() {
        let notify = thread::spawn(|| idle_cpu(&[]));
        let polling = idle_cpu(&["--poll"]);
        let notify = notify.join().unwrap();
        eprintln!("CPU of a 10 s idle watch: notifications {notify:.3}s, polling {polling:.3}s");
        assert!(notify < 0.5, "notifications: {notify}s of CPU");
        assert!(polling < 0.5, "polling: {polling}s of CPU");
    }

    #[test]
    fn ctrl_c_ends_the_watch_and_still_prints_the_report() {
        use std::io::BufRead;
        let (f, _spooler, _log) = tree();
        let mut child = watch_cmd(f.root(), &["--for", "60s", "--format", "json"])
            .env("OFFLINE_IM_DOCTOR_PROGRESS", "always")
            .spawn()
            .unwrap();
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut l = String::new();
        while stderr.read_line(&mut l).unwrap() > 0 && !l.contains("Now send an IM") {
            l.clear();
        }
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let r: Run = child.wait_with_output().unwrap().into();
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(watch_of(&r.report()).ended_by, WatchEnd::Interrupted);
    }
}

/// A log as UTF-16 LE without a byte-order mark (as some client builds write it).
fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn watch_knows_the_client_and_mailbox_the_logs_already_name() {
    let f = Fixture::new();
    f.profile(ALICE);
    let log = tracing(&f).join("Lync-UccApi-0.UccApilog");
    fs::write(
        &log,
        user_agent_entry("09:00:00.000", "16.0.5356.1000")
            + &ews_url_entry("09:00:01.000", "mail.fabrikam.com")
            + &entry(
                "09:00:02.000",
                "ERROR",
                "failed to send offline message, hr=0x80190191",
            ),
    )
    .unwrap();
    let (r, _) = watch_with(f.root(), &["--for", "2s", "--format", "json"], || {});
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.report();
    // Known before the watch started, from the log already there.
    assert_eq!(
        v.client.build.as_deref(),
        Some("16.0.5356.1000"),
        "{:#?}",
        v.client
    );
    assert_eq!(v.client.source, Some(BuildSource::Log));
    assert_eq!(v.mailbox.location, MailboxLocation::OnPremises);
    assert_eq!(
        v.mailbox.ews_url.as_deref(),
        Some("https://mail.fabrikam.com/EWS/Exchange.asmx")
    );
    assert_ne!(code(&v, CheckId::EwsAccess), "ews-url-not-seen");
    assert!(!r.stdout.contains("<mail server>"), "{}", r.stdout);
    // Delivery is judged on the window: the old failure is not in it.
    assert_ne!(code(&v, CheckId::OfflineImActivity), "offline-failures");
}

#[test]
fn a_utf16_log_without_a_bom_is_followed_as_check_reads_it() {
    let f = Fixture::new();
    let spooler = f.spooler(ALICE);
    let log = tracing(&f).join("Lync-UccApi-0.UccApilog");
    fs::write(
        &log,
        utf16le(&user_agent_entry("09:00:00.000", "16.0.5356.1000")),
    )
    .unwrap();
    let (r, _) = watch_with(f.root(), &["--for", "30s", "--format", "json"], move || {
        fs::write(spooler.join("m1.eml"), message(BOB)).unwrap();
        let mut a = fs::OpenOptions::new().append(true).open(&log).unwrap();
        a.write_all(&utf16le(&line(
            "INFO",
            "offline message queued for processing",
        )))
        .unwrap();
        a.flush().unwrap();
        drop(a);
        // A second piece, read at a later look: it must start on a whole code unit.
        thread::sleep(Duration::from_millis(1500));
        let mut a = fs::OpenOptions::new().append(true).open(&log).unwrap();
        a.write_all(&utf16le(&line(
            "ERROR",
            "failed to send offline message, hr=0x80190191",
        )))
        .unwrap();
    });
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.report();
    assert_eq!(v.client.build.as_deref(), Some("16.0.5356.1000"));
    assert_eq!(watch_of(&v).log_entries, 2, "{:#?}", v.watch);
    assert_eq!(code(&v, CheckId::OfflineImActivity), "offline-failures");
}
