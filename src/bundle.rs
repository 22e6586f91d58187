//! Evidence bundles: `collect` writes one, `check --root bundle.zip` reads it
//! in place (nothing is extracted to disk).
//!
//! A bundle is a zip (deflate) holding the client logs (`logs/<version>/...`,
//! rewritten by `--redact`), `inventory.json` (the profiles and each History
//! Spooler's file list with sizes, times and sniffed types, never content),
//! `machine.json` (what the registry and lync.exe said), `report.json` (the
//! diagnosis at collection time), the spooled files themselves only with
//! `--include-messages`, and `manifest.json` last: every member's path,
//! size, modification time and SHA-256.
//!
//! A bundle comes from someone else's machine, so reading one trusts
//! nothing: names that climb out (`..`, absolute paths) are refused, entry
//! counts and sizes are bounded, a member that inflates beyond its declared
//! size or a plausible ratio (a zip bomb) is refused, and every member read
//! is checked against the manifest's SHA-256.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::discover::{Inspection, LyncFolder, Profile, RootKind};
use crate::facts::{Facts, ProfileFacts, Settings};
use crate::machine::MachineFacts;
use crate::model::{Report, ToolInfo};
use crate::redact::{LogRedactor, Redactor};
use crate::report::{self, InspectError, Request};
use crate::scan::logs::{EtlFile, LogScanOptions, LogScanner, inventory_tracing_dir};
use crate::scan::spooler::{EntryKind, SpoolerOptions, SpoolerScan};

pub const BUNDLE_VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const INVENTORY: &str = "inventory.json";
pub const REPORT: &str = "report.json";
pub const MACHINE: &str = "machine.json";

/// More members than a real bundle ever has (a spooler with tens of thousands of files included).
const MAX_ENTRIES: usize = 200_000;
/// The JSON members are small; this bounds what is held in memory.
const MAX_JSON_BYTES: u64 = 256 * 1024 * 1024;
/// Deflate tops out near 1032:1 (one byte repeated); real logs compress
/// 10-50:1. A member at the ceiling and over a MiB is a bomb.
const MAX_RATIO: u64 = 1000;
/// Declared uncompressed size of all members together.
const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024 * 1024;
/// A spooled message larger than this is listed, not included.
const MAX_MESSAGE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Name inside the bundle.
    pub path: String,
    /// Where it came from on the inspected machine (pseudonymised with --redact).
    pub source: Option<String>,
    /// Bytes as stored in the bundle (after --redact rewrote it).
    pub size: u64,
    pub modified: Option<DateTime<Utc>>,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub bundle_version: u32,
    pub tool: ToolInfo,
    /// The `--now` of the collecting run: a check of the bundle measures ages from here.
    pub created_at: DateTime<Utc>,
    pub redacted: bool,
    pub includes_messages: bool,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundledProfile {
    pub sip_address: String,
    pub office_version: String,
    pub path: String,
    pub spooler: SpoolerScan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundledTracing {
    pub office_version: String,
    /// The `<ver>\Lync` folder on the inspected machine.
    pub lync_path: String,
    /// The Tracing folder on the inspected machine.
    pub path: String,
    /// Bundle members, in scan order (each `.bak` before its live log).
    pub logs: Vec<String>,
    pub etl: Vec<EtlFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    pub root: String,
    pub root_kind: RootKind,
    pub profiles: Vec<BundledProfile>,
    pub lync_folders: Vec<BundledTracing>,
    /// Lync folders without a Tracing folder.
    pub lync_without_tracing: Vec<(String, String)>,
    pub problems: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{path}: not a readable zip file ({reason}); was it copied completely?")]
    Corrupt { path: String, reason: String },
    #[error(
        "{path}: not an offline-im-doctor evidence bundle ({reason}); make one with `offline-im-doctor collect --out FILE.zip`"
    )]
    Foreign { path: String, reason: String },
    #[error("{path}: refused, this zip is unsafe to read: {reason}")]
    Hostile { path: String, reason: String },
    #[error(
        "--out {out}: is inside {root}, the folder being inspected; write the bundle somewhere else (nothing is ever written into the inspected folders)"
    )]
    OutInsideRoot { out: String, root: String },
    #[error("{path}: {reason}")]
    Write { path: String, reason: String },
    #[error(transparent)]
    Inspect(#[from] Box<InspectError>),
}

/// `--root` names a bundle rather than a folder.
pub fn is_bundle_path(p: &Path) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        && std::fs::metadata(p).is_ok_and(|m| m.is_file())
}

// ------------------------------------------------------------------ writing

/// What `collect` was asked for.
pub struct CollectRequest {
    pub request: Request,
    pub out: PathBuf,
    pub redactor: Option<Redactor>,
    /// Names personal on their own (machine, user) for the redactor.
    pub personal: Vec<(String, &'static str)>,
    pub include_messages: bool,
}

pub struct CollectSummary {
    pub out: PathBuf,
    pub members: usize,
    pub bytes: u64,
    pub report: Report,
}

/// A writer that hashes and counts what passes through.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct BundleWriter<W: Write + io::Seek> {
    zip: ZipWriter<W>,
    files: Vec<ManifestFile>,
}

impl<W: Write + io::Seek> BundleWriter<W> {
    fn member(
        &mut self,
        name: &str,
        source: Option<String>,
        modified: Option<DateTime<Utc>>,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let opts = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(true);
        self.zip.start_file(name, opts).map_err(io::Error::other)?;
        let mut h = Hashing {
            inner: &mut self.zip,
            hash: Sha256::new(),
            bytes: 0,
        };
        fill(&mut h)?;
        self.files.push(ManifestFile {
            path: name.to_string(),
            source,
            size: h.bytes,
            modified,
            sha256: hex(&h.hash.finalize()),
        });
        Ok(())
    }

    fn json<T: Serialize>(&mut self, name: &str, value: &T) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
        self.member(name, None, None, |w| w.write_all(&bytes))
    }
}

/// Stream a log's lines through the redactor: decoded from its BOM (UTF-8
/// or UTF-16), bounded line length, CRLF out.
fn copy_redacted(input: impl Read, out: &mut dyn Write, r: &Redactor) -> io::Result<()> {
    const MAX_LINE: usize = 1 << 20;
    let mut input = io::BufReader::with_capacity(64 * 1024, input);
    let mut head = [0u8; 3];
    let mut n = 0;
    while n < 3 {
        let k = input.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let (enc, bom) = encoding_rs::Encoding::for_bom(&head[..n]).unwrap_or((encoding_rs::UTF_8, 0));
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut lr = LogRedactor::new(r);
    let mut pending = String::new();
    let mut skipping = false;
    let emit = |line: &str, out: &mut dyn Write, lr: &mut LogRedactor<'_>| -> io::Result<()> {
        if let Some(l) = lr.line(line.trim_end_matches('\r')) {
            out.write_all(l.as_bytes())?;
            out.write_all(b"\r\n")?;
        }
        Ok(())
    };
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry: Vec<u8> = head[bom..n].to_vec();
    loop {
        let k = input.read(&mut buf)?;
        let last = k == 0;
        carry.extend_from_slice(&buf[..k]);
        let mut text = String::with_capacity(carry.len() + 16);
        let (_, read, _) = decoder.decode_to_string(&carry, &mut text, last);
        carry.drain(..read);
        for piece in text.split_inclusive('\n') {
            if skipping {
                if piece.ends_with('\n') {
                    skipping = false;
                }
                continue;
            }
            pending.push_str(piece);
            if pending.ends_with('\n') {
                emit(pending.trim_end_matches('\n'), out, &mut lr)?;
                pending.clear();
            } else if pending.len() > MAX_LINE {
                // An overlong line is kept in part; the rest is skipped.
                let mut cut = MAX_LINE;
                while !pending.is_char_boundary(cut) {
                    cut -= 1;
                }
                pending.truncate(cut);
                emit(&pending, out, &mut lr)?;
                pending.clear();
                skipping = true;
            }
        }
        if last {
            break;
        }
    }
    if !pending.is_empty() {
        emit(&pending, out, &mut lr)?;
    }
    if let Some(note) = lr.finish() {
        out.write_all(note.as_bytes())?;
        out.write_all(b"\r\n")?;
    }
    Ok(())
}

fn safe_member_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_string()
}

/// Gather, diagnose and write the bundle. Writes only `out` (through a
/// temporary file next to it, renamed at the end); a failure leaves nothing.
pub fn collect(c: CollectRequest) -> Result<CollectSummary, BundleError> {
    let out_display = c.out.display().to_string();
    let werr = |e: io::Error| BundleError::Write {
        path: out_display.clone(),
        reason: e.to_string(),
    };
    let out_dir = match c.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if let (Ok(root), Ok(dir)) = (c.request.root.canonicalize(), out_dir.canonicalize())
        && dir.starts_with(&root)
    {
        return Err(BundleError::OutInsideRoot {
            out: out_display,
            root: root.display().to_string(),
        });
    }

    let facts = report::gather(&c.request).map_err(|e| BundleError::Inspect(Box::new(e)))?;
    let mut report = report::diagnose_request(&facts, &c.request);
    let mut inventory = Inventory {
        root: facts.inspection.root.display().to_string(),
        root_kind: facts.inspection.kind,
        profiles: facts
            .profiles
            .iter()
            .map(|p| BundledProfile {
                sip_address: p.profile.sip_address.clone(),
                office_version: p.profile.office_version.clone(),
                path: p.profile.path.display().to_string(),
                spooler: p.spooler.clone(),
            })
            .collect(),
        lync_folders: Vec::new(),
        lync_without_tracing: Vec::new(),
        problems: facts.inspection.problems.clone(),
    };
    // Which log files go in, as members, in scan order.
    let mut logs: Vec<(String, PathBuf)> = Vec::new();
    for l in &facts.inspection.lync_folders {
        let Some(tracing) = &l.tracing else {
            inventory
                .lync_without_tracing
                .push((l.office_version.clone(), l.path.display().to_string()));
            continue;
        };
        let Ok(inv) = inventory_tracing_dir(tracing) else {
            continue;
        };
        let mut members = Vec::new();
        for p in inv.logs {
            let name = p
                .file_name()
                .map(|n| safe_member_part(&n.to_string_lossy()))
                .unwrap_or_default();
            let mut member = format!("logs/{}/{name}", safe_member_part(&l.office_version));
            while logs.iter().any(|(m, _)| *m == member) {
                member.push('_');
            }
            members.push(member.clone());
            logs.push((member, p));
        }
        inventory.lync_folders.push(BundledTracing {
            office_version: l.office_version.clone(),
            lync_path: l.path.display().to_string(),
            path: tracing.display().to_string(),
            logs: members,
            etl: inv.etl,
        });
    }
    let mut machine = serde_json::to_value(&facts.machine).unwrap_or_default();
    let mut inventory_json = serde_json::to_value(&inventory).unwrap_or_default();

    let mut redactor = c.redactor;
    if let Some(r) = redactor.as_mut() {
        report = report::redact(&report, r, &c.personal);
        crate::redact::redact_json(&mut inventory_json, r);
        crate::redact::redact_json(&mut machine, r);
    }

    let tmp = tempfile::Builder::new()
        .prefix(".offline-im-doctor-")
        .suffix(".zip.partial")
        .tempfile_in(&out_dir)
        .map_err(werr)?;
    let file = tmp.reopen().map_err(werr)?;
    let mut w = BundleWriter {
        zip: ZipWriter::new(BufWriter::new(file)),
        files: Vec::new(),
    };
    let source_name = |p: &Path| {
        let s = p.display().to_string();
        match &redactor {
            Some(r) => r.redact(&s),
            None => s,
        }
    };
    for (member, path) in &logs {
        let meta = std::fs::symlink_metadata(path).ok();
        let modified = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(crate::fsutil::system_time_utc);
        let Ok(f) = crate::fsutil::open_shared(path) else {
            continue;
        };
        w.member(
            member,
            Some(source_name(path)),
            modified,
            |out| match &redactor {
                Some(r) => copy_redacted(f, out, r),
                None => io::copy(&mut io::BufReader::new(f), out).map(|_| ()),
            },
        )
        .map_err(werr)?;
    }
    if c.include_messages {
        for p in &facts.profiles {
            for e in p
                .spooler
                .entries
                .iter()
                .filter(|e| e.kind == EntryKind::File)
            {
                if e.size.unwrap_or(0) > MAX_MESSAGE_BYTES {
                    continue;
                }
                let Ok(f) = crate::fsutil::open_shared(Path::new(&e.path)) else {
                    continue;
                };
                let member = format!(
                    "spooler/{}/{}",
                    safe_member_part(&p.profile.sip_address),
                    safe_member_part(&e.name)
                );
                w.member(&member, Some(e.path.clone()), e.modified, |out| {
                    io::copy(&mut f.take(MAX_MESSAGE_BYTES), out).map(|_| ())
                })
                .map_err(werr)?;
            }
        }
    }
    w.json(INVENTORY, &inventory_json).map_err(werr)?;
    w.json(MACHINE, &machine).map_err(werr)?;
    w.json(REPORT, &report).map_err(werr)?;
    let manifest = Manifest {
        bundle_version: BUNDLE_VERSION,
        tool: ToolInfo::default(),
        created_at: c.request.settings.now,
        redacted: redactor.is_some(),
        includes_messages: c.include_messages,
        files: std::mem::take(&mut w.files),
    };
    let members = manifest.files.len() + 1;
    let bytes = manifest.files.iter().map(|f| f.size).sum();
    let manifest_bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| werr(io::Error::other(e)))?;
    w.member(MANIFEST, None, None, |o| o.write_all(&manifest_bytes))
        .map_err(werr)?;
    let mut inner = w.zip.finish().map_err(|e| werr(io::Error::other(e)))?;
    inner.flush().map_err(werr)?;
    drop(inner);
    tmp.persist(&c.out).map_err(|e| werr(e.error))?;
    Ok(CollectSummary {
        out: c.out,
        members,
        bytes,
        report,
    })
}

// ------------------------------------------------------------------ reading

/// A bundle opened for reading, checked for safety.
pub struct OpenBundle {
    path: PathBuf,
    archive: ZipArchive<File>,
    pub manifest: Manifest,
    pub inventory: Inventory,
    pub machine: MachineFacts,
    /// The report written at collection time.
    pub report: Option<Report>,
}

/// A reader that stops with an error past `limit` bytes and hashes what it reads.
struct Guarded<R> {
    inner: R,
    left: u64,
    hash: Sha256,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One more byte than declared means the member lies about its size.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other("member inflates past its declared size")),
            };
        }
        let max = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
}

impl OpenBundle {
    pub fn open(path: &Path) -> Result<OpenBundle, BundleError> {
        let p = path.display().to_string();
        let corrupt = |reason: String| BundleError::Corrupt {
            path: p.clone(),
            reason,
        };
        let hostile = |reason: String| BundleError::Hostile {
            path: p.clone(),
            reason,
        };
        let file = crate::fsutil::open_shared(path).map_err(|e| corrupt(e.to_string()))?;
        let mut archive = ZipArchive::new(file).map_err(|e| corrupt(e.to_string()))?;
        if archive.len() > MAX_ENTRIES {
            return Err(hostile(format!(
                "{} entries (at most {MAX_ENTRIES})",
                archive.len()
            )));
        }
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let entry = archive
                .by_index_raw(i)
                .map_err(|e| corrupt(e.to_string()))?;
            let name = entry
                .name()
                .map(|n| n.into_owned())
                .map_err(|e| hostile(format!("an entry name is unreadable: {e}")))?;
            // Nothing is extracted, but a bundle with such names was made to attack an extractor.
            let climbs = entry.enclosed_name().is_none()
                || name.starts_with('/')
                || name.contains(['\\', '\0'])
                || name
                    .split('/')
                    .any(|part| part == ".." || part.contains(':'));
            if climbs {
                return Err(hostile(format!(
                    "entry name {:?} points outside the bundle",
                    crate::sanitize::terminal_safe(&name)
                )));
            }
            let (size, packed) = (entry.size(), entry.compressed_size());
            if size > packed.max(1).saturating_mul(MAX_RATIO) && size > 1024 * 1024 {
                return Err(hostile(format!(
                    "entry {name:?} claims {size} bytes from {packed} compressed (a zip bomb)"
                )));
            }
            total = total.saturating_add(size);
        }
        if total > MAX_TOTAL_BYTES {
            return Err(hostile(format!(
                "{total} bytes uncompressed in all (at most {MAX_TOTAL_BYTES})"
            )));
        }
        let manifest_bytes = read_member(&mut archive, MANIFEST, MAX_JSON_BYTES).map_err(|e| {
            BundleError::Foreign {
                path: p.clone(),
                reason: e,
            }
        })?;
        let manifest: Manifest =
            serde_json::from_slice(&manifest_bytes).map_err(|e| BundleError::Foreign {
                path: p.clone(),
                reason: format!("{MANIFEST} is not a bundle manifest: {e}"),
            })?;
        if manifest.bundle_version != BUNDLE_VERSION {
            return Err(BundleError::Foreign {
                path: p.clone(),
                reason: format!(
                    "bundle_version {} (this version reads {BUNDLE_VERSION})",
                    manifest.bundle_version
                ),
            });
        }
        let mut bundle = OpenBundle {
            path: path.to_path_buf(),
            archive,
            manifest,
            inventory: Inventory {
                root: String::new(),
                root_kind: RootKind::LocalAppData,
                profiles: Vec::new(),
                lync_folders: Vec::new(),
                lync_without_tracing: Vec::new(),
                problems: Vec::new(),
            },
            machine: MachineFacts::default(),
            report: None,
        };
        let inv = bundle
            .json_member(INVENTORY)?
            .ok_or_else(|| BundleError::Foreign {
                path: p.clone(),
                reason: format!("no {INVENTORY}"),
            })?;
        bundle.inventory =
            serde_json::from_slice(&inv).map_err(|e| corrupt(format!("{INVENTORY}: {e}")))?;
        if let Some(m) = bundle.json_member(MACHINE)? {
            bundle.machine =
                serde_json::from_slice(&m).map_err(|e| corrupt(format!("{MACHINE}: {e}")))?;
        }
        if let Some(r) = bundle.json_member(REPORT)? {
            bundle.report = serde_json::from_slice(&r).ok();
        }
        Ok(bundle)
    }

    fn expected(&self, member: &str) -> Option<&ManifestFile> {
        self.manifest.files.iter().find(|f| f.path == member)
    }

    /// A JSON member, checked against the manifest.
    fn json_member(&mut self, name: &str) -> Result<Option<Vec<u8>>, BundleError> {
        if self.archive.index_for_name(name).is_none() {
            return Ok(None);
        }
        let p = self.path.display().to_string();
        let bytes = read_member(&mut self.archive, name, MAX_JSON_BYTES).map_err(|reason| {
            BundleError::Corrupt {
                path: p.clone(),
                reason,
            }
        })?;
        if let Some(f) = self.expected(name)
            && hex(&Sha256::digest(&bytes)) != f.sha256
        {
            return Err(BundleError::Corrupt {
                path: p,
                reason: format!("{name} does not match its SHA-256 in the manifest"),
            });
        }
        Ok(Some(bytes))
    }

    /// The facts of the collected run: the spooler lists re-aged against
    /// `settings.now`, the logs scanned straight from the zip.
    pub fn facts(
        &mut self,
        settings: &Settings,
        user: Option<&str>,
        log_opts: &LogScanOptions,
    ) -> Facts {
        let spooler_opts = SpoolerOptions {
            now: settings.now,
            stuck_after: settings.stuck_after,
        };
        let wanted = user.map(|u| u.trim_start_matches("sip:").trim_start_matches("sip_"));
        let mut problems = self.inventory.problems.clone();
        let profiles: Vec<ProfileFacts> = self
            .inventory
            .profiles
            .iter()
            .filter(|p| wanted.is_none_or(|w| p.sip_address.eq_ignore_ascii_case(w)))
            .map(|p| {
                let mut spooler = p.spooler.clone();
                spooler.reassess(&spooler_opts);
                ProfileFacts {
                    profile: Profile {
                        sip_address: p.sip_address.clone(),
                        office_version: p.office_version.clone(),
                        path: PathBuf::from(&p.path),
                        spooler: spooler.path.as_ref().map(PathBuf::from),
                    },
                    spooler,
                }
            })
            .collect();
        let mut lync_folders: Vec<LyncFolder> = self
            .inventory
            .lync_without_tracing
            .iter()
            .map(|(v, p)| LyncFolder {
                office_version: v.clone(),
                path: PathBuf::from(p),
                tracing: None,
            })
            .collect();
        let mut scanner = LogScanner::new(log_opts);
        let bundle_name = self.path.display().to_string();
        let tracing = self.inventory.lync_folders.clone();
        let total: u64 = tracing
            .iter()
            .flat_map(|t| t.logs.iter())
            .filter_map(|m| self.expected(m).map(|f| f.size))
            .sum();
        scanner.expect_bytes(total);
        for t in &tracing {
            lync_folders.push(LyncFolder {
                office_version: t.office_version.clone(),
                path: PathBuf::from(&t.lync_path),
                tracing: Some(PathBuf::from(&t.path)),
            });
            for member in &t.logs {
                let display = format!("{bundle_name}!/{member}");
                let Some(expected) = self.expected(member).cloned() else {
                    problems.push(format!("{display}: not in the manifest, not read"));
                    continue;
                };
                match self.archive.by_name(member) {
                    Ok(zf) => {
                        let mut guarded = Guarded {
                            inner: zf,
                            left: expected.size,
                            hash: Sha256::new(),
                        };
                        scanner.scan_reader(
                            &display,
                            &mut guarded,
                            Some(expected.size),
                            expected.modified,
                        );
                        if guarded.left == 0 && hex(&guarded.hash.finalize()) != expected.sha256 {
                            problems.push(format!(
                                "{display}: does not match its SHA-256 in the manifest"
                            ));
                        }
                    }
                    Err(e) => problems.push(format!("{display}: cannot be read: {e}")),
                }
            }
            for etl in &t.etl {
                scanner.add_etl(etl.clone());
            }
        }
        let logs = scanner.finish();
        Facts {
            inspection: Inspection {
                root: self.path.clone(),
                kind: self.inventory.root_kind,
                lync_folders,
                profiles: profiles.iter().map(|p| p.profile.clone()).collect(),
                problems,
            },
            profiles,
            logs,
            machine: self.machine.clone(),
            server: None,
        }
    }
}

fn read_member(archive: &mut ZipArchive<File>, name: &str, limit: u64) -> Result<Vec<u8>, String> {
    let zf = archive
        .by_name(name)
        .map_err(|e| format!("no {name}: {e}"))?;
    if zf.size() > limit {
        return Err(format!("{name} is {} bytes (at most {limit})", zf.size()));
    }
    let declared = zf.size();
    let mut g = Guarded {
        inner: zf,
        left: declared,
        hash: Sha256::new(),
    };
    let mut out = Vec::with_capacity(declared.min(limit) as usize);
    g.read_to_end(&mut out)
        .map_err(|e| format!("{name}: {e}"))?;
    Ok(out)
}

/// The moment a bundle was collected, for `check --root bundle.zip` without `--now`.
pub fn created_at(path: &Path) -> Result<DateTime<Utc>, BundleError> {
    Ok(OpenBundle::open(path)?.manifest.created_at)
}

/// `check --root bundle.zip`: the facts of the run the bundle came from.
pub fn gather(req: &Request) -> Result<Facts, InspectError> {
    let server = req
        .server_config
        .as_deref()
        .map(crate::server_config::load)
        .transpose()?;
    let mut b = OpenBundle::open(&req.root).map_err(|e| InspectError::Bundle(Box::new(e)))?;
    let mut facts = b.facts(&req.settings, req.user.as_deref(), &req.logs);
    if let Some(user) = &req.user
        && facts.profiles.is_empty()
    {
        return Err(InspectError::Discover(
            crate::discover::DiscoverError::NoSuchUser {
                user: user.clone(),
                path: req.root.display().to_string(),
                found: b
                    .inventory
                    .profiles
                    .iter()
                    .map(|p| p.sip_address.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        ));
    }
    // Machine facts from this run (e.g. --lync-exe) add to the bundle's.
    if req.machine.lync_exe.is_some() {
        facts.machine.lync_exe = req.machine.lync_exe.clone();
    }
    facts.server = server;
    Ok(facts)
}
