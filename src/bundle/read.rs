//! Reading a bundle, trusting nothing: it comes from someone else's
//! machine. Names that climb out (`..`, absolute paths) are refused, entry
//! counts and sizes are bounded, a member that inflates beyond its declared
//! size or a plausible ratio (a zip bomb) is refused, and every member read
//! is checked against the manifest's SHA-256. The bundle is opened and
//! verified once ([`OpenBundle::open`]); its facts are then read like a
//! folder's.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::format::{
    BUNDLE_VERSION, BundleError, INPUTS, INVENTORY, Inventory, MACHINE, MANIFEST, MAX_ENTRIES,
    MAX_JSON_BYTES, MAX_RATIO, MAX_TOTAL_BYTES, Manifest, ManifestFile, OLDEST_READABLE,
    RecordedInputs, hex,
};
use crate::facts::ProfileFacts;
use crate::sources::discover::{Inspection, LyncFolder, Profile, RootKind};
use crate::sources::machine::MachineFacts;
use crate::sources::scan::logs::{LogFacts, LogScanOptions, LogScanner};

/// A bundle opened for reading, checked for safety.
pub struct OpenBundle {
    path: PathBuf,
    archive: ZipArchive<File>,
    pub manifest: Manifest,
    pub inventory: Inventory,
    pub machine: MachineFacts,
    /// The inspected machine and the inputs `collect` was given (version 2 on).
    pub inputs: Option<RecordedInputs>,
}

/// What a bundle holds of one inspection, before the checks.
pub struct BundleFacts {
    pub inspection: Inspection,
    pub profiles: Vec<ProfileFacts>,
    pub logs: LogFacts,
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
            bundle.inputs =
                Some(serde_json::from_slice(&i).map_err(|e| corrupt(format!("{INPUTS}: {e}")))?);
        }
        Ok(bundle)
    }

    fn expected(&self, member: &str) -> Option<&ManifestFile> {
        self.manifest.files.iter().find(|f| f.path == member)
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

    /// The facts of the collected run, read like a folder's: the spooler
    /// lists as recorded (time-free), the logs scanned straight from the zip.
    pub fn facts(&mut self, user: Option<&str>, log_opts: &LogScanOptions) -> BundleFacts {
        let wanted = user.map(|u| u.trim_start_matches("sip:").trim_start_matches("sip_"));
        let mut problems = self.inventory.problems.clone();
        let profiles: Vec<ProfileFacts> = self
            .inventory
            .profiles
            .iter()
            .filter(|p| wanted.is_none_or(|w| p.sip_address.eq_ignore_ascii_case(w)))
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
        BundleFacts {
            inspection: Inspection {
                root: self.path.clone(),
                kind: self.inventory.root_kind,
                lync_folders,
                profiles: profiles.iter().map(|p| p.profile.clone()).collect(),
                problems,
            },
            profiles,
            logs,
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
