//! Finding client profiles under `--root` (or `%LOCALAPPDATA%\Microsoft\Office`).
//!
//! Layout ("Enable or Disable Offline Instant Messaging (IM) in Skype for Business Server"): `%LOCALAPPDATA%\Microsoft\Office\<ver>\Lync\sip_<address>`
//! with `<ver>` 16.0 (Skype for Business 2016) or 15.0 (Lync 2013), and the
//! client logs in `<ver>\Lync\Tracing`. A collected copy can start at any
//! level, and Windows names are case-insensitive, so every step matches
//! case-insensitively. Discovery has a fixed depth and never follows
//! symlinks below the root.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Which level of the layout `--root` pointed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RootKind {
    LocalAppData,
    OfficeFolder,
    LyncFolder,
    Profile,
    /// A `Tracing` folder on its own: the client logs, no profile.
    TracingFolder,
    /// A single `.UccApilog` (or `.UccApilog.bak`) file.
    LogFile,
}

impl RootKind {
    pub fn describe(self) -> &'static str {
        match self {
            RootKind::LocalAppData => "a copy of %LOCALAPPDATA%",
            RootKind::OfficeFolder => "the Office folder",
            RootKind::LyncFolder => "a <version>\\Lync folder",
            RootKind::Profile => "a single sip_<address> profile",
            RootKind::TracingFolder => "a Tracing folder (client logs only)",
            RootKind::LogFile => "a single client log (.UccApilog)",
        }
    }
}

/// One `sip_<address>` folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub sip_address: String,
    /// `16.0`, `15.0`, or `unknown` when the copy does not show it.
    pub office_version: String,
    pub path: PathBuf,
    /// The `History Spooler` folder, when present (matched case-insensitively).
    pub spooler: Option<PathBuf>,
}

/// One `<ver>\Lync` folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LyncFolder {
    pub office_version: String,
    pub path: PathBuf,
    pub tracing: Option<PathBuf>,
}

/// What discovery found under the root: its kind, the Lync folders, the
/// profiles, and where it could not look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    pub root: PathBuf,
    pub kind: RootKind,
    pub lync_folders: Vec<LyncFolder>,
    pub profiles: Vec<Profile>,
    /// Folders that could not be listed, as evidence.
    pub problems: Vec<String>,
    /// Where the tool could not look, and why: checks turn these into a
    /// warning, never a pass.
    #[serde(default)]
    pub could_not_read: Vec<CouldNotRead>,
}

/// A place the tool could not look into: a folder it could not list (with
/// the OS error), a `History Spooler` or `Tracing` that is a file, a log
/// that is a FIFO or a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouldNotRead {
    pub path: String,
    pub what: Place,
    pub error: String,
}

/// What a [`CouldNotRead`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// A folder on the way to the profiles (Office, a version, Lync).
    Folder,
    /// A `sip_<address>` folder.
    Profile,
    HistorySpooler,
    Tracing,
    /// A client log.
    Log,
}

impl Place {
    fn of_name(name: &str, parent_is_profile: bool) -> Place {
        if name.eq_ignore_ascii_case("History Spooler") {
            Place::HistorySpooler
        } else if name.eq_ignore_ascii_case("Tracing") {
            Place::Tracing
        } else if parent_is_profile || is_profile_name(name) {
            Place::Profile
        } else {
            Place::Folder
        }
    }
}

/// What discovery notes on its way: problems for the run, places it could not read.
#[derive(Default)]
struct Notes {
    problems: Vec<String>,
    could_not_read: Vec<CouldNotRead>,
}

impl Notes {
    fn into_discovery(self, out: &mut Discovery) {
        out.problems.extend(self.problems);
        out.could_not_read.extend(self.could_not_read);
    }
}

impl Discovery {
    pub fn tracing_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .lync_folders
            .iter()
            .filter_map(|l| l.tracing.clone())
            .collect();
        dirs.dedup();
        dirs
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error(
        "{path}: no such file or folder; pass --root the copy of %LOCALAPPDATA%, the Office folder, a <version>\\Lync folder or a sip_<address> folder"
    )]
    NotFound { path: String },
    #[error("{path}: cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(
        "{path}: nothing that looks like a Skype for Business client profile. Looked for {looked_for}. Point --root at a copy of %LOCALAPPDATA%, the Office folder, a <version>\\Lync folder or a sip_<address> folder"
    )]
    NoProfile { path: String, looked_for: String },
    #[error(
        "{path}: no Skype for Business profile for the Windows user {account}, who is running offline-im-doctor. Run it as the user who signs in to Skype for Business, in that user's session (not as an administrator or another account); for files copied from another machine, pass --root with the copy"
    )]
    NotThisAccount { path: String, account: String },
    #[error("no profile sip_{user} under {path}; profiles found: {found}")]
    NoSuchUser {
        user: String,
        path: String,
        found: String,
    },
}

impl DiscoverError {
    /// On a live run (the default root of the account running the tool),
    /// no profile means the wrong account, not a wrong path: say whose
    /// profile was looked in and whom to run as.
    pub fn on_live_run(self) -> DiscoverError {
        match self {
            DiscoverError::NoProfile { path, .. } | DiscoverError::NotFound { path } => {
                DiscoverError::NotThisAccount {
                    path,
                    account: running_account(),
                }
            }
            e => e,
        }
    }
}

/// The account running the tool: `USERNAME` on Windows (`USER` elsewhere).
fn running_account() -> String {
    ["USERNAME", "USER"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "(unknown)".into())
}

const SIP_PREFIX: &str = "sip_";

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(crate) fn is_office_version(name: &str) -> bool {
    // `16.0`, `15.0`; any `<digits>.<digits>` so a future version is found too.
    let mut parts = name.split('.');
    let ok =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

pub(crate) fn is_profile_name(name: &str) -> bool {
    name.len() > SIP_PREFIX.len()
        && name
            .get(..SIP_PREFIX.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(SIP_PREFIX))
}

/// Real (non-symlink) subfolders of `dir`, with their names.
fn subdirs(dir: &Path, notes: &mut Notes) -> Vec<(String, PathBuf)> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            notes
                .problems
                .push(format!("{}: cannot list folder: {e}", dir.display()));
            notes.could_not_read.push(CouldNotRead {
                path: crate::fsutil::display_path(dir),
                what: Place::of_name(&name_of(dir), false),
                error: format!("cannot list the folder: {e}"),
            });
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for entry in rd {
        let Ok(entry) = entry else { continue };
        let Ok(ft) = entry.file_type() else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if ft.is_dir() {
            out.push((name, entry.path()));
        } else if ["History Spooler", "Tracing"]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
        {
            // Where the client keeps a folder there is something else: say
            // so rather than read it as empty or absent.
            let kind = if ft.is_symlink() {
                "a symbolic link (not followed)"
            } else if ft.is_file() {
                "a file"
            } else {
                "not a regular folder"
            };
            notes.could_not_read.push(CouldNotRead {
                path: crate::fsutil::display_path(&entry.path()),
                what: Place::of_name(&name, false),
                error: format!("{kind}, not a folder"),
            });
        }
    }
    out.sort();
    out
}

fn child_ci(dir: &Path, name: &str, notes: &mut Notes) -> Option<PathBuf> {
    subdirs(dir, notes)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, p)| p)
}

fn profile_at(path: PathBuf, office_version: &str, notes: &mut Notes) -> Profile {
    let name = name_of(&path);
    let sip_address = name[SIP_PREFIX.len()..].to_string();
    let spooler = child_ci(&path, "History Spooler", notes);
    Profile {
        sip_address,
        office_version: office_version.to_string(),
        path,
        spooler,
    }
}

fn scan_lync(dir: &Path, version: &str, out: &mut Discovery) {
    let mut notes = Notes::default();
    let subs = subdirs(dir, &mut notes);
    let tracing = subs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Tracing"))
        .map(|(_, p)| p.clone());
    out.lync_folders.push(LyncFolder {
        office_version: version.to_string(),
        path: dir.to_path_buf(),
        tracing,
    });
    for (n, p) in &subs {
        if is_profile_name(n) {
            let prof = profile_at(p.clone(), version, &mut notes);
            out.profiles.push(prof);
        }
    }
    stray_spoolers(dir, version, &subs, out);
    notes.into_discovery(out);
}

/// How deep under a Lync folder a `History Spooler` outside a `sip_` folder
/// is looked for (a renamed or hand-copied profile sits one or two levels down).
const STRAY_DEPTH: usize = 3;

/// Every `History Spooler` under a Lync folder is inspected
/// (`docs/contract.md`), also one whose parent is not named `sip_<address>`:
/// it is reported with its folder name as the profile (`Lync` for one right
/// under the Lync folder), and the run says so.
fn stray_spoolers(lync: &Path, version: &str, subs: &[(String, PathBuf)], out: &mut Discovery) {
    for (name, top) in subs {
        if is_profile_name(name) || name.eq_ignore_ascii_case("Tracing") {
            continue;
        }
        let walker = walkdir::WalkDir::new(top)
            .min_depth(0)
            .max_depth(STRAY_DEPTH - 1)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.file_type().is_dir() && !is_profile_name(&e.file_name().to_string_lossy())
            });
        for e in walker.flatten() {
            if !e
                .file_name()
                .to_string_lossy()
                .eq_ignore_ascii_case("History Spooler")
            {
                continue;
            }
            let Some(parent) = e.path().parent() else {
                continue;
            };
            let profile = if parent == lync {
                "Lync".to_string()
            } else {
                parent
                    .strip_prefix(lync)
                    .unwrap_or(parent)
                    .to_string_lossy()
                    .into_owned()
            };
            out.problems.push(format!(
                "{}: a History Spooler outside a sip_<address> folder; inspected, with the folder name {profile:?} as the profile",
                e.path().display()
            ));
            out.profiles.push(Profile {
                sip_address: profile,
                office_version: version.to_string(),
                path: parent.to_path_buf(),
                spooler: Some(e.path().to_path_buf()),
            });
        }
    }
}

fn scan_office(dir: &Path, out: &mut Discovery) {
    let mut notes = Notes::default();
    for (n, p) in subdirs(dir, &mut notes) {
        if is_office_version(&n)
            && let Some(lync) = child_ci(&p, "Lync", &mut notes)
        {
            scan_lync(&lync, &n, out);
        }
    }
    notes.into_discovery(out);
}

/// Find every profile under `root`, whatever level of the layout it is.
pub fn discover(root: &Path, user: Option<&str>) -> Result<Discovery, DiscoverError> {
    let meta = fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DiscoverError::NotFound {
            path: crate::fsutil::display_path(root),
        },
        _ => DiscoverError::Unreadable {
            path: crate::fsutil::display_path(root),
            reason: e.to_string(),
        },
    })?;
    let lower = name_of(root).to_ascii_lowercase();
    if meta.is_file() && (lower.ends_with(".uccapilog") || lower.ends_with(".uccapilog.bak")) {
        // One client log on its own: read it alone.
        return Ok(Discovery {
            root: root.to_path_buf(),
            kind: RootKind::LogFile,
            lync_folders: vec![LyncFolder {
                office_version: "unknown".to_string(),
                path: root.to_path_buf(),
                tracing: Some(root.to_path_buf()),
            }],
            profiles: Vec::new(),
            problems: Vec::new(),
            could_not_read: Vec::new(),
        });
    }
    if !meta.is_dir() {
        return Err(DiscoverError::NoProfile {
            path: crate::fsutil::display_path(root),
            looked_for: "a folder (this is a file)".into(),
        });
    }
    if let Err(e) = fs::read_dir(root) {
        return Err(DiscoverError::Unreadable {
            path: crate::fsutil::display_path(root),
            reason: e.to_string(),
        });
    }

    let root_name = name_of(root);
    let parent_name = root.parent().map(name_of).unwrap_or_default();
    let mut out = Discovery {
        root: root.to_path_buf(),
        kind: RootKind::LocalAppData,
        lync_folders: Vec::new(),
        profiles: Vec::new(),
        problems: Vec::new(),
        could_not_read: Vec::new(),
    };
    let mut notes = Notes::default();

    if is_profile_name(&root_name) {
        out.kind = RootKind::Profile;
        // A profile copied with its parents keeps the version and the Tracing folder.
        let lync = root
            .parent()
            .filter(|_| parent_name.eq_ignore_ascii_case("Lync"));
        let version = lync
            .and_then(Path::parent)
            .map(name_of)
            .filter(|v| is_office_version(v))
            .unwrap_or_else(|| "unknown".to_string());
        if let Some(lync) = lync {
            out.lync_folders.push(LyncFolder {
                office_version: version.clone(),
                path: lync.to_path_buf(),
                tracing: child_ci(lync, "Tracing", &mut notes),
            });
        }
        out.profiles
            .push(profile_at(root.to_path_buf(), &version, &mut notes));
    } else if root_name.eq_ignore_ascii_case("Tracing") {
        // The client logs on their own (a technician copied only them):
        // read them; there is no profile, so no spooler.
        out.kind = RootKind::TracingFolder;
        let version = root
            .parent()
            .filter(|_| parent_name.eq_ignore_ascii_case("Lync"))
            .and_then(Path::parent)
            .map(name_of)
            .filter(|v| is_office_version(v))
            .unwrap_or_else(|| "unknown".to_string());
        out.lync_folders.push(LyncFolder {
            office_version: version,
            path: root.to_path_buf(),
            tracing: Some(root.to_path_buf()),
        });
    } else if root_name.eq_ignore_ascii_case("Lync") {
        out.kind = RootKind::LyncFolder;
        let version = if is_office_version(&parent_name) {
            parent_name
        } else {
            "unknown".to_string()
        };
        scan_lync(root, &version, &mut out);
    } else if let Some(ms) =
        child_ci(root, "Microsoft", &mut notes).and_then(|ms| child_ci(&ms, "Office", &mut notes))
    {
        out.kind = RootKind::LocalAppData;
        scan_office(&ms, &mut out);
    } else {
        out.kind = RootKind::OfficeFolder;
        scan_office(root, &mut out);
    }
    notes.into_discovery(&mut out);

    if out.profiles.is_empty() && out.lync_folders.iter().all(|l| l.tracing.is_none()) {
        // Nothing found because something could not be read: say what and why.
        if let Some(c) = out.could_not_read.first() {
            return Err(DiscoverError::Unreadable {
                path: c.path.clone(),
                reason: format!("could not read: {}", c.error),
            });
        }
        return Err(DiscoverError::NoProfile {
            path: crate::fsutil::display_path(root),
            looked_for: "sip_<address> folders or a Tracing folder under Microsoft\\Office\\<version>\\Lync, <version>\\Lync or Lync (names matched case-insensitively)".into(),
        });
    }

    if let Some(user) = user {
        let wanted = crate::sip::SipAddress::new(user);
        let found: Vec<String> = out.profiles.iter().map(|p| p.sip_address.clone()).collect();
        out.profiles.retain(|p| wanted.matches(&p.sip_address));
        if out.profiles.is_empty() {
            return Err(DiscoverError::NoSuchUser {
                user: wanted.as_str().to_string(),
                path: crate::fsutil::display_path(root),
                found: if found.is_empty() {
                    "none".into()
                } else {
                    found.join(", ")
                },
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names() {
        assert!(is_office_version("16.0"));
        assert!(is_office_version("15.0"));
        assert!(!is_office_version("16"));
        assert!(!is_office_version("Lync"));
        assert!(!is_office_version("16.0.1"));
    }

    #[test]
    fn profile_names() {
        assert!(is_profile_name("sip_a@b.c"));
        assert!(is_profile_name("SIP_a@b.c"));
        assert!(!is_profile_name("sip_"));
        assert!(!is_profile_name("si"));
        assert!(!is_profile_name("si\u{e9}_x"));
    }
}
