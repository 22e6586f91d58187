//! Reading a bundle, trusting nothing: it comes from someone else's
//! machine. Names that climb out (`..`, absolute paths) are refused, entry
//! counts and sizes are bounded, a member that inflates beyond its declared
//! size or a plausible ratio (a zip bomb) is refused, and every member read
//! is checked against the manifest's SHA-256 and size. The bundle is opened
//! and verified once ([`OpenBundle::open`]); its facts are then read like a
//! folder's, each member decompressed once.
//!
//! Damage (a member that fails its SHA-256 or is shorter than the manifest
//! says, a member missing from the manifest, a name listed twice) is
//! collected in [`OpenBundle::damage`]: the caller refuses such a bundle, or
//! judges it with the damage named when asked to.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::ZipFacts;
use super::format::{
    BUNDLE_VERSION, BundleError, INPUTS, INVENTORY, Inventory, MACHINE, MANIFEST, MAX_ENTRIES,
    MAX_JSON_BYTES, MAX_RATIO, MAX_TOTAL_BYTES, MIN_BOMB_BYTES, Manifest, ManifestFile,
    OLDEST_READABLE, RecordedInputs, hex,
};
use crate::facts::ProfileFacts;
use crate::sources::discover::{Discovery, LyncFolder, Profile, RootKind};
use crate::sources::machine::MachineFacts;
use crate::sources::scan::logs::{LogScanOptions, LogScanner};

/// A bundle opened for reading, checked for safety.
pub struct OpenBundle {
    path: PathBuf,
    archive: ZipArchive<File>,
    pub manifest: Manifest,
    pub inventory: Inventory,
    pub machine: MachineFacts,
    /// The inspected machine and the inputs `collect` was given (version 2 on).
    pub inputs: Option<RecordedInputs>,
    /// Manifest entries by member name.
    index: HashMap<String, usize>,
    /// What does not verify, one line each; empty for an intact bundle.
    pub damage: Vec<String>,
}

/// A reader that stops with an error past `limit` bytes and hashes what it reads.
pub(crate) struct Guarded<R> {
    pub(crate) inner: R,
    pub(crate) left: u64,
    pub(crate) hash: Sha256,
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

/// `inputs.json` read and checked: anyone can rewrite it and its unkeyed
/// hash, so a value out of range becomes a problem (evidence) and is
/// ignored (the default is used), never a panic further on.
pub fn recorded_inputs(bytes: &[u8]) -> Result<(RecordedInputs, Vec<String>), serde_json::Error> {
    let mut inputs: RecordedInputs = serde_json::from_slice(bytes)?;
    let mut problems = Vec::new();
    if let Some(s) = inputs.stuck_after_seconds
        && crate::facts::stuck_after_from_seconds(s).is_none()
    {
        problems.push(format!(
            "{INPUTS} records stuck_after_seconds = {s}, outside 0 to {} (100 years): ignored, the default is used",
            crate::facts::MAX_DURATION_SECONDS
        ));
        inputs.stuck_after_seconds = None;
    }
    if let Some(o) = &inputs.log_utc_offset
        && crate::sources::scan::logs::parse_utc_offset(o).is_none()
    {
        problems.push(format!(
            "{INPUTS} records log_utc_offset = {:?}, not an offset such as +01:00: ignored",
            crate::sanitize::terminal_safe(o)
        ));
        inputs.log_utc_offset = None;
    }
    Ok((inputs, problems))
}

impl OpenBundle {
    pub fn open(path: &Path) -> Result<OpenBundle, BundleError> {
        let p = path.display().to_string();
        let corrupt = |reason: String| BundleError::Corrupt {
            path: p.clone(),
            reason,
        };
        let file = crate::fsutil::open_shared(path).map_err(|e| corrupt(e.to_string()))?;
        let mut archive = ZipArchive::new(file).map_err(|e| corrupt(e.to_string()))?;
        check_archive(&mut archive, &p, path, false)?;
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
        if manifest.bundle_version > BUNDLE_VERSION {
            return Err(BundleError::TooNew {
                path: p.clone(),
                found: manifest.bundle_version,
            });
        }
        if manifest.bundle_version < OLDEST_READABLE {
            return Err(BundleError::Foreign {
                path: p.clone(),
                reason: format!(
                    "bundle_version {} (this version reads {OLDEST_READABLE} to {BUNDLE_VERSION})",
                    manifest.bundle_version
                ),
            });
        }
        let mut index = HashMap::with_capacity(manifest.files.len());
        let mut damage = Vec::new();
        for (i, f) in manifest.files.iter().enumerate() {
            if index.contains_key(&f.path) {
                damage.push(format!(
                    "{MANIFEST} lists {} more than once (the first entry is used)",
                    f.path
                ));
            } else {
                index.insert(f.path.clone(), i);
            }
        }
        let mut bundle = OpenBundle {
            index,
            damage,
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
                could_not_read: Vec::new(),
            },
            machine: MachineFacts::default(),
            inputs: None,
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
        if let Some(i) = bundle.json_member(INPUTS)? {
            let (inputs, problems) =
                recorded_inputs(&i).map_err(|e| corrupt(format!("{INPUTS}: {e}")))?;
            bundle.inventory.problems.extend(problems);
            bundle.inputs = Some(inputs);
        }
        Ok(bundle)
    }

    fn expected(&self, member: &str) -> Option<&ManifestFile> {
        self.index.get(member).map(|&i| &self.manifest.files[i])
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read the bundled copy of the `.etl` trace collected from `source`
    /// (its path on the inspected machine) with `f`, bounded by its size in
    /// the manifest. None when the trace is not in the bundle.
    pub fn with_etl<T>(&mut self, source: &str, f: impl FnOnce(&mut dyn Read) -> T) -> Option<T> {
        let member = self
            .manifest
            .files
            .iter()
            .find(|m| m.path.starts_with("etl/") && m.source.as_deref() == Some(source))?
            .clone();
        let zf = self.archive.by_name(&member.path).ok()?;
        let mut guarded = Guarded {
            inner: zf,
            left: member.size,
            hash: Sha256::new(),
        };
        Some(f(&mut guarded))
    }

    /// A small member (JSON, a recorded input), checked against the manifest.
    pub fn json_member(&mut self, name: &str) -> Result<Option<Vec<u8>>, BundleError> {
        self.member(name, MAX_JSON_BYTES)
    }

    /// A member of at most `limit` bytes, checked against the manifest: a
    /// mismatch or a member the manifest does not list is damage.
    pub fn member(&mut self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, BundleError> {
        if self.archive.index_for_name(name).is_none() {
            return Ok(None);
        }
        let p = self.path.display().to_string();
        let bytes =
            read_member(&mut self.archive, name, limit).map_err(|reason| BundleError::Corrupt {
                path: p.clone(),
                reason,
            })?;
        match self.expected(name) {
            None => self.damage.push(format!("{name} is not in the manifest")),
            Some(f) if hex(&Sha256::digest(&bytes)) != f.sha256 => {
                let d = format!("{name} does not match its SHA-256 in the manifest");
                self.damage.push(d);
            }
            Some(f) if f.size != bytes.len() as u64 => {
                let d = format!(
                    "{name} is {} bytes, the manifest says {}",
                    bytes.len(),
                    f.size
                );
                self.damage.push(d);
            }
            Some(_) => {}
        }
        Ok(Some(bytes))
    }

    /// The facts of the collected run, read like a folder's: the spooler
    /// lists as recorded (time-free), the logs scanned straight from the zip.
    pub fn facts(&mut self, user: Option<&str>, log_opts: &LogScanOptions) -> ZipFacts {
        let wanted = user.map(crate::sip::SipAddress::new);
        let mut problems = self.inventory.problems.clone();
        let profiles: Vec<ProfileFacts> = self
            .inventory
            .profiles
            .iter()
            .filter(|p| wanted.as_ref().is_none_or(|w| w.matches(&p.sip_address)))
            .map(|p| {
                let spooler = p.spooler.clone();
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
        // Each member is read once, however often the inventory names it.
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for m in tracing.iter().flat_map(|t| t.logs.iter()) {
            *seen.entry(m.as_str()).or_default() += 1;
        }
        let total: u64 = seen
            .keys()
            .filter_map(|m| self.expected(m).map(|f| f.size))
            .sum();
        let mut repeated: Vec<(&str, u32)> = seen.into_iter().filter(|(_, n)| *n > 1).collect();
        repeated.sort();
        for (m, n) in repeated {
            self.damage
                .push(format!("{INVENTORY} names {m} {n} times (read once)"));
        }
        let mut read: HashSet<&str> = HashSet::new();
        scanner.expect_bytes(total);
        for t in &tracing {
            lync_folders.push(LyncFolder {
                office_version: t.office_version.clone(),
                path: PathBuf::from(&t.lync_path),
                tracing: Some(PathBuf::from(&t.path)),
            });
            for member in &t.logs {
                if !read.insert(member.as_str()) {
                    continue;
                }
                let display = format!("{bundle_name}!/{member}");
                let Some(expected) = self.expected(member).cloned() else {
                    self.damage.push(format!(
                        "{member} is named in {INVENTORY} but not in the manifest (not read)"
                    ));
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
                        // Whatever the scan left unread still counts for the hash.
                        let drained = io::copy(&mut guarded, &mut io::sink());
                        let damage = if let Err(e) = drained {
                            Some(format!("cannot be read to its end: {e}"))
                        } else if guarded.left > 0 {
                            Some(format!(
                                "is {} bytes, shorter than the {} bytes in the manifest",
                                expected.size - guarded.left,
                                expected.size
                            ))
                        } else if hex(&guarded.hash.finalize()) != expected.sha256 {
                            Some("does not match its SHA-256 in the manifest".to_string())
                        } else {
                            None
                        };
                        if let Some(d) = damage {
                            scanner.warn_last(&format!("damaged: {d}"));
                            self.damage.push(format!("{member} {d}"));
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
        ZipFacts {
            inspection: Discovery {
                root: self.path.clone(),
                kind: self.inventory.root_kind,
                lync_folders,
                profiles: profiles.iter().map(|p| p.profile.clone()).collect(),
                problems,
                could_not_read: self.inventory.could_not_read.clone(),
            },
            profiles,
            logs,
        }
    }
}

/// The hardening every zip read in place gets, bundle or plain zip of a
/// folder: bounded entry count and total size, no name that climbs out or
/// repeats, no member past the bomb ratio.
pub(crate) fn check_archive(
    archive: &mut ZipArchive<File>,
    p: &str,
    file: &Path,
    backslash_separates: bool,
) -> Result<(), BundleError> {
    let corrupt = |reason: String| BundleError::Corrupt {
        path: p.to_string(),
        reason,
    };
    let hostile = |reason: String| BundleError::Hostile {
        path: p.to_string(),
        reason,
    };
    if archive.len() > MAX_ENTRIES {
        return Err(hostile(format!(
            "{} entries (at most {MAX_ENTRIES})",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    let mut names: HashSet<String> = HashSet::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| corrupt(e.to_string()))?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .map_err(|e| hostile(format!("an entry name is unreadable: {e}")))?;
        // Nothing is extracted, but a bundle with such names was made to attack an extractor.
        // Windows PowerShell's Compress-Archive writes `\` between folders:
        // in a plain zip it is read as `/`, then judged the same way.
        let name = if backslash_separates {
            name.replace('\\', "/")
        } else {
            name
        };
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
        if !names.insert(name.clone()) {
            // Two members of one name: which one a reader sees is up to it.
            return Err(hostile(format!(
                "entry name {:?} appears more than once",
                crate::sanitize::terminal_safe(&name)
            )));
        }
        let (size, packed) = (entry.size(), entry.compressed_size());
        // The ratio matters only where the size does: a small member of
        // one repeated byte (an all-NUL log) is no bomb.
        if size > packed.max(1).saturating_mul(MAX_RATIO) && size > MIN_BOMB_BYTES {
            return Err(hostile(format!(
                "entry {:?} claims {size} bytes from {packed} compressed (a zip bomb)",
                crate::sanitize::terminal_safe(&name)
            )));
        }
        total = total.saturating_add(size);
    }
    if total > MAX_TOTAL_BYTES {
        return Err(hostile(format!(
            "{total} bytes uncompressed in all (at most {MAX_TOTAL_BYTES})"
        )));
    }
    // The zip reader keeps one entry per name, so a repeated name is only
    // seen in the central directory itself.
    if let Some(raw) = central_directory_names(file) {
        let mut seen: HashSet<&[u8]> = HashSet::with_capacity(raw.len());
        for name in &raw {
            if !seen.insert(name.as_slice()) {
                return Err(hostile(format!(
                    "entry name {:?} appears more than once",
                    crate::sanitize::terminal_safe(&String::from_utf8_lossy(name))
                )));
            }
        }
    }
    Ok(())
}

fn u16_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?).into())
}

fn u32_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?).into())
}

fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

/// Every name in the zip's central directory, as stored (repeats kept).
/// None when the directory cannot be located plainly (the zip reader has
/// already accepted the file; this only looks for repeated names).
fn central_directory_names(file: &Path) -> Option<Vec<Vec<u8>>> {
    use std::io::{Seek, SeekFrom};
    const EOCD: &[u8] = b"PK\x05\x06";
    let mut f = crate::fsutil::open_shared(file).ok()?;
    let len = f.metadata().ok()?.len();
    let tail_len = len.min(22 + 65_535 + 20);
    f.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = vec![0u8; tail_len as usize];
    f.read_exact(&mut tail).ok()?;
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| &tail[i..i + 4] == EOCD)?;
    let mut entries = u16_at(&tail, at + 10)?;
    let mut cd_size = u32_at(&tail, at + 12)?;
    let mut cd_offset = u32_at(&tail, at + 16)?;
    if entries == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
        // Zip64: the locator sits right before the end record.
        let loc = at.checked_sub(20)?;
        if &tail[loc..loc + 4] != b"PK\x06\x07" {
            return None;
        }
        let rec = u64_at(&tail, loc + 8)?;
        f.seek(SeekFrom::Start(rec)).ok()?;
        let mut z = [0u8; 56];
        f.read_exact(&mut z).ok()?;
        if &z[..4] != b"PK\x06\x06" {
            return None;
        }
        entries = u64_at(&z, 32)?;
        cd_size = u64_at(&z, 40)?;
        cd_offset = u64_at(&z, 48)?;
    }
    if entries > MAX_ENTRIES as u64
        || cd_size > MAX_JSON_BYTES
        || cd_offset.checked_add(cd_size)? > len
    {
        return None;
    }
    f.seek(SeekFrom::Start(cd_offset)).ok()?;
    let mut cd = vec![0u8; cd_size as usize];
    f.read_exact(&mut cd).ok()?;
    let mut names = Vec::with_capacity(entries as usize);
    let mut i = 0usize;
    while names.len() < entries as usize {
        if cd.get(i..i + 4)? != b"PK\x01\x02" {
            return None;
        }
        let name_len = u16_at(&cd, i + 28)? as usize;
        let extra_len = u16_at(&cd, i + 30)? as usize;
        let comment_len = u16_at(&cd, i + 32)? as usize;
        names.push(cd.get(i + 46..i + 46 + name_len)?.to_vec());
        i += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
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
