//! Fixture trees built in temp dirs with explicit modification times, and a
//! runner for the real binary. Every test passes `--now`.
#![allow(dead_code)]

pub mod etl_builder;

pub mod probe_lab;

pub mod scenarios;

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use filetime::FileTime;
pub use offline_im_doctor::model::{
    BuildSource, CheckId, CheckResult, ClientInfo, EtlInfo, EtlStrings, InspectedHost, InstallType,
    MailboxInfo, MailboxLocation, OffsetSource, Report, SpoolerSummary, Status, TimelineKind,
    Verdict, WatchEnd, WatchInfo, WatchOutcome,
};
use serde_json::Value;

/// The fixed "now" every test measures ages from.
pub const NOW: &str = "2026-11-24T10:00:00Z";

pub fn now() -> DateTime<Utc> {
    utc(NOW)
}

/// An RFC 3339 time, as the report's times are typed.
pub fn utc(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .with_timezone(&Utc)
}

/// A calendar day, as the report's dates are typed.
pub fn day(yyyy_mm_dd: &str) -> chrono::NaiveDate {
    yyyy_mm_dd
        .parse()
        .unwrap_or_else(|e| panic!("{yyyy_mm_dd}: {e}"))
}

/// A file time `secs` seconds before [`NOW`] (negative: after).
pub fn ago(secs: i64) -> FileTime {
    FileTime::from_unix_time(now().timestamp() - secs, 0)
}

/// A `%LOCALAPPDATA%` copy under a temp dir.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn lync(&self, version: &str) -> PathBuf {
        self.root()
            .join("Microsoft")
            .join("Office")
            .join(version)
            .join("Lync")
    }

    /// `sip_<addr>` under 16.0, created if missing.
    pub fn profile(&self, addr: &str) -> PathBuf {
        self.profile_in("16.0", addr)
    }

    pub fn profile_in(&self, version: &str, addr: &str) -> PathBuf {
        let p = self.lync(version).join(format!("sip_{addr}"));
        fs::create_dir_all(&p).unwrap();
        p
    }

    pub fn spooler(&self, addr: &str) -> PathBuf {
        let p = self.profile(addr).join("History Spooler");
        fs::create_dir_all(&p).unwrap();
        p
    }

    /// A spooled file `age_secs` old.
    pub fn spool(&self, addr: &str, name: &str, content: &[u8], age_secs: i64) -> PathBuf {
        let p = self.spooler(addr).join(name);
        write_with_age(&p, content, age_secs);
        p
    }

    /// A client log in 16.0's Tracing folder, `age_secs` old.
    pub fn log(&self, name: &str, content: &str) -> PathBuf {
        let p = self.lync("16.0").join("Tracing").join(name);
        write_with_age(&p, content.as_bytes(), 60);
        p
    }

    pub fn file(&self, rel: &str, content: &[u8]) -> PathBuf {
        let p = self.root().join(rel);
        write_with_age(&p, content, 3600);
        p
    }
}

pub fn write_with_age(p: &Path, content: &[u8], age_secs: i64) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
    filetime::set_file_mtime(p, ago(age_secs)).unwrap();
}

/// A log entry in the UccApilog layout (docs/rules.md), local time.
pub fn entry(time: &str, level: &str, text: &str) -> String {
    format!("11/24/2026|{time} 1A2C:2B3D {level:<5} :: {text}\r\n")
}

/// A REGISTER carrying a User-Agent with this OC build.
pub fn user_agent_entry(time: &str, build: &str) -> String {
    entry(
        time,
        "INFO",
        "Sending Packet - 10.0.0.5:443 (From Local Address: 10.0.0.12:50312) 900 bytes:",
    ) + "REGISTER sip:contoso.com SIP/2.0\r\n"
        + &format!("User-Agent: UCCAPI/{build} OC/{build} (Skype for Business)\r\n")
        + "Content-Length: 0\r\n"
}

pub fn ews_url_entry(time: &str, host: &str) -> String {
    entry(
        time,
        "INFO",
        "CAutoDiscoverManager::OnComplete - autodiscover result:",
    ) + &format!("<EwsInternalUrl>https://{host}/EWS/Exchange.asmx</EwsInternalUrl>\r\n")
}

pub fn cmd() -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("offline-im-doctor");
    c.env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env_remove("OFFLINE_IM_DOCTOR_REDACT_SALT")
        // The report's language follows these: English unless a test says.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("TZ", "UTC")
        .env("COMPUTERNAME", "DESKTOP-TEST01");
    c
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The report on stdout as the library's type; unknown keys are refused
    /// by the comparison in `schema.rs`, not here.
    pub fn report(&self) -> Report {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not a report ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

pub fn run(args: &[&str]) -> Run {
    cmd().args(args).output().unwrap().into()
}

#[cfg(unix)]
pub fn is_root() -> bool {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() == 0 }
}

/// Run the binary as an unprivileged user: root (CI) drops to `nobody`
/// with setpriv, since root reads everything whatever the permissions.
#[cfg(unix)]
pub fn run_unprivileged(args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin!("offline-im-doctor");
    let mut c = if is_root() {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(bin);
        c
    } else {
        std::process::Command::new(bin)
    };
    c.args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .env("TZ", "UTC")
        .env("COMPUTERNAME", "DESKTOP-TEST01")
        .output()
        .unwrap()
        .into()
}

/// `check --root <root> --now NOW <extra...>`.
pub fn check_run(root: &str, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--root", root, "--now", NOW];
    args.extend_from_slice(extra);
    run(&args)
}

/// `check --root <root> --now NOW --format json <extra...>`, the JSON as
/// text: for tests of the JSON itself (its keys, its bytes, its schema).
pub fn check_json(root: &Path, extra: &[&str]) -> (Run, Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let r = check_run(root.to_str().unwrap(), &args);
    let v = r.json();
    (r, v)
}

/// `check --root <root> --now NOW --format json <extra...>`, read into the
/// library's [`Report`]: what every test of a judgement reads.
pub fn check_report(root: &Path, extra: &[&str]) -> (Run, Report) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let r = check_run(root.to_str().unwrap(), &args);
    let report = r.report();
    (r, report)
}

pub fn check_of(report: &Report, id: CheckId) -> &CheckResult {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id:?} in {report:#?}"))
}

/// Every check as (id, status), in report order.
pub fn statuses(report: &Report) -> Vec<(CheckId, Status)> {
    report.checks.iter().map(|c| (c.id, c.status)).collect()
}

pub fn status(report: &Report, id: CheckId) -> Status {
    check_of(report, id).status
}

pub fn code(report: &Report, id: CheckId) -> &'static str {
    check_of(report, id).code.as_str()
}

pub fn remediation(report: &Report, id: CheckId) -> &str {
    check_of(report, id).remediation.as_deref().unwrap_or("")
}

pub fn summary(report: &Report, id: CheckId) -> &str {
    &check_of(report, id).summary
}

/// A check's evidence as one text, for `contains` assertions.
pub fn evidence_text(report: &Report, id: CheckId) -> String {
    evidence_of(check_of(report, id))
}

/// A check's evidence as one text (path, line and detail of each item).
pub fn evidence_of(check: &CheckResult) -> String {
    check
        .evidence
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e.path.as_deref().unwrap_or(""),
                e.line.map(|l| l.to_string()).unwrap_or_default(),
                e.detail
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file under `root` with its bytes and mtime, for read-only proofs.
pub fn snapshot_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>, FileTime, bool)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        let meta = fs::symlink_metadata(e.path()).unwrap();
        let bytes = if meta.is_file() {
            fs::read(e.path()).unwrap()
        } else {
            Vec::new()
        };
        out.push((
            e.path().to_path_buf(),
            bytes,
            FileTime::from_last_modification_time(&meta),
            meta.is_dir(),
        ));
    }
    out
}

/// Each shipped sample's documented `--now` (samples/README.md): a moment
/// after every spooled file of a fresh checkout, except where the sample is
/// about a date.
pub fn sample_now(name: &str) -> &'static str {
    match name {
        // Before Exchange Online's EWS block: the healthy picture of 2026.
        "healthy" => "2026-09-01T00:00:00Z",
        "exchange-online-2026" => "2026-11-24T10:00:00Z",
        // After 2026-10-10, with the tenant's EWS paste.
        "exchange-online-2026-policy" => "2026-12-01T10:00:00Z",
        // A delivered message to a federated colleague, the day after.
        "federated-recipient" => "2026-11-24T10:00:00Z",
        _ => "2030-01-01T00:00:00Z",
    }
}

/// Git keeps no modification times, so a fresh checkout would age the
/// spooled messages by the clone's time: every file of `samples/<name>`
/// gets one fixed time before its documented `--now` (the same each run, so
/// snapshots and the README's examples hold anywhere). Only times change;
/// contents never do.
pub fn pin_sample_times(name: &str) {
    use chrono::Datelike;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    let now = chrono::DateTime::parse_from_rfc3339(sample_now(name)).unwrap();
    let at = if now.year() >= 2030 {
        chrono::DateTime::parse_from_rfc3339("2026-11-23T09:57:00Z").unwrap()
    } else {
        now - chrono::Duration::hours(1)
    };
    let t = filetime::FileTime::from_unix_time(at.timestamp(), 0);
    for e in walkdir::WalkDir::new(&root).into_iter().flatten() {
        if e.file_type().is_file() {
            filetime::set_file_mtime(e.path(), t).unwrap();
        }
    }
}

/// `collect --root ROOT --now NOW --out OUT EXTRA...`
pub fn collect_run(root: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "collect",
        "--root",
        root.to_str().unwrap(),
        "--now",
        NOW,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Every member of a zip, name and bytes, in the zip's order.
pub fn zip_members(zip: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut m = z.by_index(i).unwrap();
            let mut b = Vec::new();
            m.read_to_end(&mut b).unwrap();
            (m.name().unwrap().to_string(), b)
        })
        .collect()
}

/// One member of a zip by name.
pub fn zip_member(zip: &Path, name: &str) -> Vec<u8> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    let mut b = Vec::new();
    z.by_name(name).unwrap().read_to_end(&mut b).unwrap();
    b
}

/// A deflated zip of these members, in this order.
pub fn write_zip(path: &Path, members: &[(&str, &[u8])]) {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

/// [`write_zip`] of members read with [`zip_members`] (and changed).
pub fn rewrite_zip(path: &Path, members: &[(String, Vec<u8>)]) {
    let refs: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    write_zip(path, &refs);
}
