//! A plain zip of a copied folder (`%LOCALAPPDATA%\Microsoft\Office`, an
//! Office version, `Lync`, `Tracing` or a `sip_<address>` folder, zipped
//! with Explorer's "Send to > Compressed folder" or `Compress-Archive`; no
//! manifest), read in place: nothing is extracted to disk. It gets the same
//! hardening as a bundle ([`super::read::check_archive`]: entry count and
//! size caps, the bomb ratio, no climbing or repeated names), every member
//! is read bounded by its declared size, and the member names are matched
//! against the client's layout case-insensitively, as discovery matches
//! folders.
//!
//! A zip keeps each file's modification time (to two seconds, in the
//! zipping machine's local time, no zone): the spooler ages come from
//! those, read in the log offset (`--log-utc-offset`, else this machine's
//! zone).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::ZipFacts;
use super::format::{BundleError, INVENTORY, MANIFEST};
use super::read::{Guarded, check_archive};
use crate::facts::ProfileFacts;
use crate::sources::discover::{
    DiscoverError, Discovery, LyncFolder, Profile, RootKind, is_office_version, is_profile_name,
};
use crate::sources::scan::logs::{LogScanOptions, LogScanner, LogTimeZone};
use crate::sources::scan::spooler::{EntryKind, SpoolerEntry, SpoolerScan, sniff};

/// How much of a spooled file is read to sniff it (as for a folder).
const SNIFF_BYTES: u64 = 64 * 1024;
/// Spooler entries are listed this deep below the spooler, never deeper.
const MAX_SPOOLER_DEPTH: usize = 4;

/// A zip of a copied folder, opened and checked for safety.
pub struct PlainZip {
    path: PathBuf,
    archive: ZipArchive<File>,
    /// Member names with `/` between folders, to the names as stored.
    names: BTreeMap<String, String>,
}

/// True when `path` opens as a zip that holds no bundle manifest or
/// inventory: a plain zip of a folder. A zip that cannot be opened is left
/// to the bundle reader, which says why.
pub fn is_plain_zip(path: &Path) -> bool {
    let Ok(file) = crate::fsutil::open_shared(path) else {
        return false;
    };
    let Ok(archive) = ZipArchive::new(file) else {
        return false;
    };
    archive.index_for_name(MANIFEST).is_none() && archive.index_for_name(INVENTORY).is_none()
}

#[derive(Default)]
struct ProfileAt {
    version: String,
    spooler: Option<String>,
    /// Member name, relative name below the spooler, is a folder.
    entries: Vec<(String, String, bool)>,
}

#[derive(Default)]
struct TracingAt {
    version: String,
    lync: String,
    logs: Vec<String>,
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn is_log_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".uccapilog") || lower.ends_with(".uccapilog.bak")
}

/// The version above a `Lync` folder at `lync` (index in `parts`).
fn version_above(parts: &[&str], lync: usize) -> String {
    lync.checked_sub(1)
        .map(|v| parts[v])
        .filter(|v| is_office_version(v))
        .unwrap_or("unknown")
        .to_string()
}

/// Which level of the layout the zip starts at, seen from a member whose
/// `Lync` folder (if any) sits at `lync`.
fn kind_from(parts: &[&str], lync: Option<usize>, fallback: RootKind) -> RootKind {
    let Some(l) = lync else {
        return fallback;
    };
    if l >= 3 && eq(parts[l - 2], "Office") && eq(parts[l - 3], "Microsoft") {
        RootKind::LocalAppData
    } else if l >= 1 && is_office_version(parts[l - 1]) {
        RootKind::OfficeFolder
    } else {
        RootKind::LyncFolder
    }
}

fn rank(k: RootKind) -> u8 {
    match k {
        RootKind::LocalAppData => 5,
        RootKind::OfficeFolder => 4,
        RootKind::LyncFolder => 3,
        RootKind::Profile => 2,
        RootKind::TracingFolder => 1,
        RootKind::LogFile => 0,
    }
}

/// A zip time (local, no zone) as UTC, read in the log offset.
fn zip_time(t: Option<zip::DateTime>, zone: LogTimeZone) -> Option<DateTime<Utc>> {
    let t = t?;
    let naive = NaiveDate::from_ymd_opt(t.year().into(), t.month().into(), t.day().into())?
        .and_hms_opt(t.hour().into(), t.minute().into(), t.second().into())?;
    match zone {
        LogTimeZone::Fixed(off) => off
            .from_local_datetime(&naive)
            .single()
            .map(|d| d.with_timezone(&Utc)),
        LogTimeZone::System => chrono::Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.with_timezone(&Utc)),
    }
}

impl PlainZip {
    pub fn open(path: &Path) -> Result<PlainZip, BundleError> {
        let p = path.display().to_string();
        let file = crate::fsutil::open_shared(path).map_err(|e| BundleError::Corrupt {
            path: p.clone(),
            reason: e.to_string(),
        })?;
        let mut archive = ZipArchive::new(file).map_err(|e| BundleError::Corrupt {
            path: p.clone(),
            reason: e.to_string(),
        })?;
        check_archive(&mut archive, &p, path, true)?;
        Ok(PlainZip {
            path: path.to_path_buf(),
            archive,
            names: BTreeMap::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A member by its read name.
    fn member(&mut self, name: &str) -> zip::result::ZipResult<zip::read::ZipFile<'_, File>> {
        let stored = self.names.get(name).map_or(name, String::as_str);
        self.archive.by_name(stored)
    }

    fn shown(&self, member: &str) -> String {
        format!(
            "{}!/{}",
            crate::fsutil::display_path(&self.path),
            member.trim_end_matches('/')
        )
    }

    /// Read the zip's Lync layout into the facts a folder gives.
    pub fn facts(
        &mut self,
        user: Option<&str>,
        log_opts: &LogScanOptions,
    ) -> Result<ZipFacts, DiscoverError> {
        // Each member's name as stored (to open it) and as read (`\` as `/`).
        let stored: Vec<String> = self
            .archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        for n in &stored {
            self.names.insert(n.replace('\\', "/"), n.clone());
        }
        let names: Vec<String> = self.names.keys().cloned().collect();
        let mut profiles: BTreeMap<String, ProfileAt> = BTreeMap::new();
        let mut tracing: BTreeMap<String, TracingAt> = BTreeMap::new();
        let mut lyncs: BTreeMap<String, String> = BTreeMap::new();
        let mut kind: Option<RootKind> = None;
        let mut problems = Vec::new();
        let mut etl_left_out = 0usize;
        for name in &names {
            let is_dir = name.ends_with('/');
            let parts: Vec<&str> = name.trim_end_matches('/').split('/').collect();
            let lync_at = parts.iter().position(|p| eq(p, "Lync"));
            if let Some(l) = lync_at {
                lyncs
                    .entry(parts[..=l].join("/"))
                    .or_insert_with(|| version_above(&parts, l));
            }
            if let Some(i) = parts.iter().position(|p| is_profile_name(p)) {
                let lync = i.checked_sub(1).filter(|&l| eq(parts[l], "Lync"));
                let k = kind_from(&parts, lync, RootKind::Profile);
                if kind.is_none_or(|have| rank(k) > rank(have)) {
                    kind = Some(k);
                }
                let prof = profiles.entry(parts[..=i].join("/")).or_default();
                prof.version = lync.map_or_else(|| "unknown".into(), |l| version_above(&parts, l));
                if parts.len() > i + 1 && eq(parts[i + 1], "History Spooler") {
                    prof.spooler = Some(parts[..=i + 1].join("/"));
                    let rel = &parts[i + 2..];
                    if !rel.is_empty() && rel.len() <= MAX_SPOOLER_DEPTH {
                        prof.entries.push((name.clone(), rel.join("/"), is_dir));
                    }
                }
            } else if let Some(i) = parts.iter().position(|p| eq(p, "Tracing")) {
                let lync = i.checked_sub(1).filter(|&l| eq(parts[l], "Lync"));
                let k = kind_from(&parts, lync, RootKind::TracingFolder);
                if kind.is_none_or(|have| rank(k) > rank(have)) {
                    kind = Some(k);
                }
                let t = tracing.entry(parts[..=i].join("/")).or_default();
                t.version = lync.map_or_else(|| "unknown".into(), |l| version_above(&parts, l));
                t.lync = lync.map(|l| parts[..=l].join("/")).unwrap_or_default();
                if !is_dir && parts.len() == i + 2 {
                    if is_log_name(parts[i + 1]) {
                        t.logs.push(name.clone());
                    } else if parts[i + 1].to_ascii_lowercase().ends_with(".etl") {
                        etl_left_out += 1;
                    }
                }
            }
        }
        let Some(kind) = kind else {
            return Err(DiscoverError::NoProfile {
                path: self.path.display().to_string(),
                looked_for: "a zip of a copied folder with sip_<address> folders or a Tracing folder under Microsoft\\Office\\<version>\\Lync, <version>\\Lync or Lync (member names matched case-insensitively); this zip holds no evidence bundle manifest either".into(),
            });
        };
        let wanted = user.map(crate::sip::SipAddress::new);
        let mut found = Vec::new();
        let zone = log_opts.time_zone;
        let mut profile_facts = Vec::new();
        for (key, prof) in &profiles {
            let dir = key.rsplit('/').next().unwrap_or(key);
            let sip_address = dir[4..].to_string();
            found.push(sip_address.clone());
            if wanted.as_ref().is_some_and(|w| !w.matches(&sip_address)) {
                continue;
            }
            let spooler = self.spooler_scan(prof, zone);
            profile_facts.push(ProfileFacts {
                profile: Profile {
                    sip_address,
                    office_version: prof.version.clone(),
                    path: PathBuf::from(self.shown(key)),
                    spooler: prof.spooler.as_ref().map(|s| PathBuf::from(self.shown(s))),
                },
                spooler,
            });
        }
        if let Some(u) = user
            && profile_facts.is_empty()
        {
            return Err(DiscoverError::NoSuchUser {
                user: u.to_string(),
                path: self.path.display().to_string(),
                found: found.join(", "),
            });
        }
        let mut lync_folders: Vec<LyncFolder> = Vec::new();
        for (key, version) in &lyncs {
            if !tracing.values().any(|t| &t.lync == key) {
                lync_folders.push(LyncFolder {
                    office_version: version.clone(),
                    path: PathBuf::from(self.shown(key)),
                    tracing: None,
                });
            }
        }
        let mut scanner = LogScanner::new(log_opts);
        let mut total = 0u64;
        for t in tracing.values() {
            for m in &t.logs {
                if let Ok(zf) = self.member(m) {
                    total = total.saturating_add(zf.size());
                }
            }
        }
        scanner.expect_bytes(total);
        for (key, t) in &mut tracing {
            lync_folders.push(LyncFolder {
                office_version: t.version.clone(),
                path: PathBuf::from(if t.lync.is_empty() {
                    self.shown(key)
                } else {
                    self.shown(&t.lync)
                }),
                tracing: Some(PathBuf::from(self.shown(key))),
            });
            // Each `.bak` before its live log, as in a folder.
            t.logs.sort_by_key(|m| {
                let lower = m.to_ascii_lowercase();
                let live = !lower.ends_with(".bak");
                (lower.trim_end_matches(".bak").to_string(), live)
            });
            for member in &t.logs {
                let display = self.shown(member);
                match self.member(member) {
                    Ok(zf) => {
                        let size = zf.size();
                        let modified = zip_time(zf.last_modified(), zone);
                        let guarded = Guarded {
                            inner: zf,
                            left: size,
                            hash: Sha256::new(),
                        };
                        scanner.scan_reader(&display, guarded, Some(size), modified);
                    }
                    Err(e) => problems.push(format!("{display}: cannot be read: {e}")),
                }
            }
        }
        if etl_left_out > 0 {
            problems.push(format!(
                "{}: {etl_left_out} .etl trace(s) in the zip were not read (ETL traces are read from a folder or an evidence bundle)",
                self.path.display()
            ));
        }
        problems.insert(
            0,
            format!(
                "{}: read in place as a plain zip of a copied folder (no evidence bundle manifest); spooler ages come from the times stored in the zip",
                self.path.display()
            ),
        );
        let logs = scanner.finish();
        Ok(ZipFacts {
            inspection: Discovery {
                root: self.path.clone(),
                kind,
                lync_folders,
                profiles: profile_facts.iter().map(|p| p.profile.clone()).collect(),
                problems,
                could_not_read: Vec::new(),
            },
            profiles: profile_facts,
            logs,
        })
    }

    fn spooler_scan(&mut self, prof: &ProfileAt, zone: LogTimeZone) -> SpoolerScan {
        let Some(spooler) = &prof.spooler else {
            return SpoolerScan::default();
        };
        let mut scan = SpoolerScan {
            path: Some(self.shown(spooler)),
            present: true,
            entries: Vec::new(),
            problem: None,
        };
        let mut listed: BTreeSet<String> = BTreeSet::new();
        let mut entries = prof.entries.clone();
        entries.sort_by(|a, b| a.1.cmp(&b.1));
        for (member, rel, is_dir) in entries {
            // A folder shows up as its own entry and as the parent of its
            // files; list it once.
            if !listed.insert(rel.clone()) {
                continue;
            }
            let mut e = SpoolerEntry {
                name: rel,
                name_not_utf8: false,
                path: self.shown(&member),
                kind: if is_dir {
                    EntryKind::Folder
                } else {
                    EntryKind::File
                },
                size: None,
                modified: None,
                sniffed: None,
                addresses: Vec::new(),
                problem: None,
            };
            match self.member(&member) {
                Ok(zf) => {
                    e.modified = zip_time(zf.last_modified(), zone);
                    if zf.is_symlink() {
                        e.kind = EntryKind::Symlink;
                        e.problem = Some("symlink (not followed)".into());
                    } else if !is_dir {
                        let size = zf.size();
                        e.size = Some(size);
                        let mut head = Vec::new();
                        let guarded = Guarded {
                            inner: zf,
                            left: size,
                            hash: Sha256::new(),
                        };
                        match guarded.take(SNIFF_BYTES).read_to_end(&mut head) {
                            Ok(_) => {
                                let (t, addrs) = sniff(&head);
                                e.sniffed = Some(t);
                                e.addresses = addrs;
                            }
                            Err(err) => e.problem = Some(format!("cannot be read: {err}")),
                        }
                    }
                }
                Err(err) => e.problem = Some(format!("cannot be read: {err}")),
            }
            scan.entries.push(e);
        }
        scan
    }
}
