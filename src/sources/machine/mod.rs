//! What the Windows machine itself says about the client: the Click-to-Run
//! registry, `lync.exe`'s file version, Lync policy keys.
//!
//! Everything goes through [`RegistrySource`] and [`ReadOptions`] (Program
//! Files roots as values), so [`read_with`] runs on any OS in tests; only
//! [`probe`] touches the real machine, and only on Windows.
//! Sources: `docs/windows.md`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::client_build::ClientBuild;
use crate::terms::{BuildSource, EvidenceSource, InstallType};

mod pe;
mod registry;
#[cfg(windows)]
mod windows;

pub use pe::{
    MAX_PE_SIZE, PeVersionError, install_type_from_path, pe_file_version, read_capped,
    read_lync_exe,
};
pub use registry::{
    C2R_KEY, C2R_KEY_WOW, Hive, IM_PROVIDER_KEY, MapRegistry, NoRegistry, POLICY_KEY, RegData,
    RegistrySource, channel_name, read_click_to_run, read_client_running, read_policies,
};
#[cfg(windows)]
pub use windows::WindowsRegistry;

/// `HKLM\SOFTWARE\Microsoft\Office\ClickToRun\Configuration` (or its WOW6432Node twin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClickToRunConfig {
    /// The key the values were read from.
    pub key: String,
    pub version_to_report: Option<ClientBuild>,
    pub platform: Option<String>,
    /// Channel name mapped from UpdateChannel / CDNBaseUrl, e.g. `Current`.
    pub channel: Option<String>,
    /// The raw UpdateChannel or CDNBaseUrl value.
    pub channel_url: Option<String>,
    /// `ProductReleaseIds`, split on commas (e.g. `O365ProPlusRetail`,
    /// `SkypeforBusiness2024Volume`): which products are installed.
    #[serde(default)]
    pub product_release_ids: Vec<String>,
}

/// A `lync.exe` and what its PE version resource says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LyncExe {
    pub path: String,
    /// The file version, or why it could not be read.
    pub version: Result<ClientBuild, String>,
    /// From the folder layout: `root\Office16` = Click-to-Run, `Office16` = MSI.
    pub install: InstallType,
}

/// One value under a Lync policy key (`SOFTWARE\Policies\Microsoft\Office\16.0\Lync`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyValue {
    /// e.g. `HKLM\SOFTWARE\Policies\Microsoft\Office\16.0\Lync`.
    pub key: String,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineFacts {
    pub click_to_run: Option<ClickToRunConfig>,
    pub lync_exe: Option<LyncExe>,
    /// Other `lync.exe` files found besides the one in `lync_exe` (for
    /// example an MSI Lync 2013 next to a Click-to-Run Skype for Business).
    #[serde(default)]
    pub other_lync_exes: Vec<String>,
    /// HKLM values first, then HKCU (HKLM wins: see [`MachineFacts::policy`]).
    pub policies: Vec<PolicyValue>,
    /// `HKCU\Software\IM Providers\Lync\UpAndRunning` == 2.
    pub client_running: Option<bool>,
    /// The client's logging settings under `HKCU\Software\Microsoft\Office\16.0\Lync`.
    #[serde(default)]
    pub logging: Vec<PolicyValue>,
    /// Problems reading any of it, as evidence.
    pub problems: Vec<String>,
}

/// The client build the machine reports, and which source said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineBuild {
    pub build: ClientBuild,
    /// [`BuildSource::Registry`] or [`BuildSource::LyncExe`].
    pub source: BuildSource,
    /// The registry key or the `lync.exe` path, for evidence.
    pub from: String,
}

impl MachineFacts {
    /// The build in `client.source` order for the machine's part: the Click-to-Run
    /// `VersionToReport`, then `lync.exe`'s file version. The caller puts
    /// `--client-version` before it and the logs after it.
    pub fn build(&self) -> Option<MachineBuild> {
        if let Some(c) = &self.click_to_run
            && let Some(b) = c.version_to_report
        {
            return Some(MachineBuild {
                build: b,
                source: BuildSource::Registry,
                from: c.key.clone(),
            });
        }
        let exe = self.lync_exe.as_ref()?;
        let b = *exe.version.as_ref().ok()?;
        Some(MachineBuild {
            build: b,
            source: BuildSource::LyncExe,
            from: exe.path.clone(),
        })
    }

    /// The install type: the `lync.exe` folder layout when it says one (it is
    /// the client itself, even when Click-to-Run Office sits beside an MSI
    /// Skype for Business), else Click-to-Run when the Click-to-Run registry
    /// names a version, else unknown.
    pub fn install(&self) -> InstallType {
        match self.lync_exe.as_ref().map(|e| e.install) {
            Some(i @ (InstallType::ClickToRun | InstallType::Msi)) => i,
            _ if self
                .click_to_run
                .as_ref()
                .is_some_and(|c| c.version_to_report.is_some()) =>
            {
                InstallType::ClickToRun
            }
            _ => InstallType::Unknown,
        }
    }

    /// The Click-to-Run channel name, when the registry names a known one.
    pub fn channel(&self) -> Option<&str> {
        self.click_to_run.as_ref()?.channel.as_deref()
    }

    /// The effective value of a Lync policy (case-insensitive name): HKLM
    /// wins over HKCU, as Group Policy applies them.
    pub fn policy(&self, name: &str) -> Option<&PolicyValue> {
        self.policies
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// True when nothing at all was found (no Office on this machine, or not
    /// Windows): the report should say so rather than show empty facts.
    pub fn is_empty(&self) -> bool {
        self.click_to_run.is_none()
            && self.lync_exe.is_none()
            && self.policies.is_empty()
            && self.client_running.is_none()
            && self.logging.is_empty()
    }

    /// A logging value (`EnableTracing`, `TracingLevel`, `EnableLogCollecting`).
    pub fn logging_value(&self, name: &str) -> Option<&PolicyValue> {
        self.logging
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    }

    /// One line per fact, for evidence in the report (`client-build`,
    /// `client-install`). Problems come last.
    pub fn evidence(&self) -> Vec<(EvidenceSource, String)> {
        use EvidenceSource::{PeFile, Registry};
        let mut out = Vec::new();
        if let Some(c) = &self.click_to_run {
            let mut line = format!(
                "{}: VersionToReport {}",
                c.key,
                c.version_to_report
                    .map_or_else(|| "(not set)".to_string(), |b| b.to_string())
            );
            if let Some(p) = &c.platform {
                line.push_str(&format!(", Platform {p}"));
            }
            match (&c.channel, &c.channel_url) {
                (Some(ch), _) => line.push_str(&format!(", channel {ch}")),
                (None, Some(url)) => line.push_str(&format!(", unknown channel {url}")),
                (None, None) => {}
            }
            if !c.product_release_ids.is_empty() {
                line.push_str(&format!(
                    ", ProductReleaseIds {}",
                    c.product_release_ids.join(",")
                ));
            }
            out.push((Registry, line));
        }
        if let Some(e) = &self.lync_exe {
            let install = match e.install {
                InstallType::ClickToRun => "Click-to-Run layout",
                InstallType::Msi => "MSI layout",
                InstallType::Unknown => "install type not known from the path",
            };
            match &e.version {
                Ok(b) => out.push((PeFile, format!("{}: file version {b} ({install})", e.path))),
                Err(why) => out.push((
                    PeFile,
                    format!("{}: no file version: {why} ({install})", e.path),
                )),
            }
        }
        for p in &self.other_lync_exes {
            out.push((PeFile, format!("also found {p}")));
        }
        for p in &self.policies {
            out.push((Registry, format!("{}\\{} = {}", p.key, p.name, p.value)));
        }
        if let Some(r) = self.client_running {
            out.push((
                Registry,
                format!(
                    "HKCU\\{IM_PROVIDER_KEY}\\UpAndRunning: the client is {}",
                    if r { "running" } else { "not running" }
                ),
            ));
        }
        out.extend(self.problems.iter().map(|p| (Registry, p.clone())));
        out
    }
}

/// What to read of the machine: the registry, lync.exe.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// `--lync-exe PATH`: read this file instead of searching Program Files.
    pub lync_exe: Option<PathBuf>,
    /// Read this machine's registry and search its Program Files: true on a
    /// run without `--root`, false when inspecting a collected copy.
    pub this_machine: bool,
    /// The Program Files folders to search for `lync.exe`, in order.
    pub program_files: Vec<PathBuf>,
}

impl ReadOptions {
    /// Options for this machine, Program Files from the environment.
    pub fn this_machine(lync_exe: Option<PathBuf>) -> Self {
        ReadOptions {
            lync_exe,
            this_machine: true,
            program_files: program_files_from(|k| std::env::var_os(k)),
        }
    }

    /// Options for a collected copy (`--root`): only an explicit `lync.exe`.
    pub fn collected(lync_exe: Option<PathBuf>) -> Self {
        ReadOptions {
            lync_exe,
            this_machine: false,
            program_files: Vec::new(),
        }
    }
}

/// The Program Files folders from `ProgramW6432`, `ProgramFiles` and
/// `ProgramFiles(x86)` (a 32-bit process sees the x86 folder in
/// `ProgramFiles`, hence all three), deduplicated case-insensitively. On
/// Windows, the usual `C:\` folders stand in when none is set.
pub fn program_files_from(env: impl Fn(&str) -> Option<OsString>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for var in ["ProgramW6432", "ProgramFiles", "ProgramFiles(x86)"] {
        let Some(v) = env(var).filter(|v| !v.is_empty()) else {
            continue;
        };
        let p = PathBuf::from(v);
        let key = p.to_string_lossy().to_lowercase();
        if !out
            .iter()
            .any(|o| o.to_string_lossy().to_lowercase() == key)
        {
            out.push(p);
        }
    }
    if out.is_empty() && cfg!(windows) {
        out.push(PathBuf::from(r"C:\Program Files"));
        out.push(PathBuf::from(r"C:\Program Files (x86)"));
    }
    out
}

/// Where `lync.exe` lives under a Program Files folder, most likely first:
/// Click-to-Run 2016, MSI 2016, then Lync 2013 both ways.
const LYNC_EXE_LAYOUTS: &[&[&str]] = &[
    &["Microsoft Office", "root", "Office16", "lync.exe"],
    &["Microsoft Office", "Office16", "lync.exe"],
    &["Microsoft Office", "root", "Office15", "lync.exe"],
    &["Microsoft Office", "Office15", "lync.exe"],
];

/// `root` joined with `parts`, each part matched case-insensitively (Windows
/// folders are; a copy on Linux may have any case).
fn find_case_insensitive(root: &Path, parts: &[&str]) -> Option<PathBuf> {
    let mut cur = root.to_path_buf();
    for part in parts {
        let exact = cur.join(part);
        if exact.exists() {
            cur = exact;
            continue;
        }
        let entry = std::fs::read_dir(&cur)
            .ok()?
            .flatten()
            .find(|e| e.file_name().to_string_lossy().eq_ignore_ascii_case(part))?;
        cur = entry.path();
    }
    cur.is_file().then_some(cur)
}

/// Every `lync.exe` under the Program Files folders, most likely first.
pub fn find_lync_exes(program_files: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for layout in LYNC_EXE_LAYOUTS {
        for root in program_files {
            if let Some(p) = find_case_insensitive(root, layout)
                && !found.contains(&p)
            {
                found.push(p);
            }
        }
    }
    found
}

/// Probes with the given registry; the testable core of [`probe`].
pub fn read_with(reg: &dyn RegistrySource, opts: &ReadOptions) -> MachineFacts {
    let mut facts = MachineFacts::default();
    if opts.this_machine {
        facts.click_to_run = read_click_to_run(reg, &mut facts.problems);
        facts.policies = read_policies(reg, &mut facts.problems);
        facts.client_running = read_client_running(reg, &mut facts.problems);
        facts.logging = registry::read_logging_settings(reg, &mut facts.problems);
    }
    if let Some(p) = &opts.lync_exe {
        facts.lync_exe = Some(read_lync_exe(p));
    } else if opts.this_machine {
        let mut found = find_lync_exes(&opts.program_files).into_iter();
        facts.lync_exe = found.next().map(|p| read_lync_exe(&p));
        facts.other_lync_exes = found.map(|p| p.to_string_lossy().into_owned()).collect();
    }
    facts
}

/// Probes this machine: the real registry and Program Files on Windows. On
/// other systems there is no registry or Program Files to read, so only an
/// explicit `--lync-exe` is read.
pub fn read(opts: &ReadOptions) -> MachineFacts {
    #[cfg(windows)]
    {
        read_with(&WindowsRegistry, opts)
    }
    #[cfg(not(windows))]
    {
        read_with(
            &NoRegistry,
            &ReadOptions {
                this_machine: false,
                ..opts.clone()
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn program_files_dedup() {
        let got = program_files_from(env(&[
            ("ProgramFiles", r"C:\Program Files"),
            ("ProgramW6432", r"C:\PROGRAM FILES"),
            ("ProgramFiles(x86)", r"C:\Program Files (x86)"),
        ]));
        assert_eq!(
            got,
            [
                PathBuf::from(r"C:\PROGRAM FILES"),
                PathBuf::from(r"C:\Program Files (x86)")
            ]
        );
        let none = program_files_from(env(&[("ProgramFiles", "")]));
        assert_eq!(none.is_empty(), !cfg!(windows));
    }

    fn facts_with(c2r: Option<&str>, exe: Option<(&str, Result<&str, &str>)>) -> MachineFacts {
        MachineFacts {
            click_to_run: c2r.map(|v| ClickToRunConfig {
                key: format!("HKLM\\{C2R_KEY}"),
                version_to_report: v.parse().ok(),
                platform: None,
                channel: None,
                channel_url: None,
                product_release_ids: Vec::new(),
            }),
            lync_exe: exe.map(|(p, v)| LyncExe {
                path: p.to_string(),
                version: v.map(|s| s.parse().unwrap()).map_err(str::to_string),
                install: install_type_from_path(p),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn registry_before_lync_exe() {
        let msi = r"C:\Program Files\Microsoft Office\Office16\lync.exe";
        let f = facts_with(Some("16.0.6965.2058"), Some((msi, Ok("16.0.4266.1001"))));
        let b = f.build().unwrap();
        assert_eq!(
            (b.build.to_string(), b.source),
            ("16.0.6965.2058".into(), BuildSource::Registry)
        );
        // The lync.exe layout decides the install type.
        assert_eq!(f.install(), InstallType::Msi);

        let f = facts_with(None, Some((msi, Ok("16.0.4266.1001"))));
        assert_eq!(f.build().unwrap().source, BuildSource::LyncExe);
        assert_eq!(f.build().unwrap().from, msi);

        let f = facts_with(Some("16.0.6965.2058"), None);
        assert_eq!(f.install(), InstallType::ClickToRun);

        let f = facts_with(None, Some(("/tmp/lync.exe", Err("the file is empty"))));
        assert_eq!(f.build(), None);
        assert_eq!(f.install(), InstallType::Unknown);
        assert!(
            f.evidence()[0]
                .1
                .contains("no file version: the file is empty")
        );

        assert!(MachineFacts::default().is_empty());
        assert_eq!(MachineFacts::default().build(), None);
        assert_eq!(MachineFacts::default().install(), InstallType::Unknown);
    }

    #[test]
    fn policy_hklm_wins() {
        let mut reg = MapRegistry::new();
        reg.set(
            Hive::CurrentUser,
            POLICY_KEY,
            "EnableIMAutoArchiving",
            RegData::Dword(1),
        )
        .set(
            Hive::LocalMachine,
            POLICY_KEY,
            "enableimautoarchiving",
            RegData::Dword(0),
        )
        .set(
            Hive::CurrentUser,
            IM_PROVIDER_KEY,
            "UpAndRunning",
            RegData::Dword(2),
        );
        let f = read_with(
            &reg,
            &ReadOptions {
                this_machine: true,
                ..Default::default()
            },
        );
        let p = f.policy("EnableIMAutoArchiving").unwrap();
        assert!(p.key.starts_with("HKLM\\"));
        assert_eq!(p.value, "0");
        assert_eq!(f.client_running, Some(true));
        let ev = f
            .evidence()
            .into_iter()
            .map(|(_, d)| d)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(ev.contains("the client is running"), "{ev}");
        assert!(
            ev.contains(
                r"HKCU\SOFTWARE\Policies\Microsoft\Office\16.0\Lync\EnableIMAutoArchiving = 1"
            ),
            "{ev}"
        );
    }

    #[test]
    fn collected_copy_ignores_registry() {
        let mut reg = MapRegistry::new();
        reg.set(
            Hive::LocalMachine,
            C2R_KEY,
            "VersionToReport",
            RegData::Str("16.0.1.2".into()),
        );
        let f = read_with(&reg, &ReadOptions::collected(None));
        assert!(f.is_empty());
    }

    #[test]
    fn lync_exe_search_prefers_click_to_run_and_ignores_case() {
        let dir = tempfile::tempdir().unwrap();
        let pf = dir.path().join("Program Files");
        let pf86 = dir.path().join("Program Files (x86)");
        let msi = pf86.join("microsoft office").join("OFFICE16");
        let c2r = pf.join("Microsoft Office").join("root").join("Office16");
        std::fs::create_dir_all(&msi).unwrap();
        std::fs::create_dir_all(&c2r).unwrap();
        std::fs::write(msi.join("LYNC.EXE"), b"MZ").unwrap();
        std::fs::write(c2r.join("lync.exe"), b"not a PE").unwrap();
        let opts = ReadOptions {
            lync_exe: None,
            this_machine: true,
            program_files: vec![pf.clone(), pf86.clone()],
        };
        let f = read_with(&NoRegistry, &opts);
        let exe = f.lync_exe.as_ref().unwrap();
        assert_eq!(exe.install, InstallType::ClickToRun);
        assert!(
            exe.version
                .as_ref()
                .unwrap_err()
                .contains("not a Windows executable")
        );
        assert_eq!(f.other_lync_exes.len(), 1);
        assert!(f.other_lync_exes[0].ends_with("LYNC.EXE"));

        // An explicit path wins over the search.
        let explicit = ReadOptions {
            lync_exe: Some(msi.join("LYNC.EXE")),
            ..opts
        };
        let f = read_with(&NoRegistry, &explicit);
        assert_eq!(f.lync_exe.unwrap().install, InstallType::Msi);
        assert!(f.other_lync_exes.is_empty());

        // Off Windows, read() reads only the explicit path.
        if !cfg!(windows) {
            let f = read(&explicit);
            assert!(f.lync_exe.is_some() && f.click_to_run.is_none());
            let f = read(&ReadOptions {
                lync_exe: None,
                ..explicit
            });
            assert!(f.is_empty());
        }
    }
}
