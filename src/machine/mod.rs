//! What the Windows machine itself says about the client: the Click-to-Run
//! registry, `lync.exe`'s file version, Lync policy keys. INTERFACE STUB
//! (issue 4): the types below are what the checks consume.

use serde::{Deserialize, Serialize};

use crate::build::ClientBuild;
use crate::model::InstallType;

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
    pub policies: Vec<PolicyValue>,
    /// `HKCU\Software\IM Providers\Lync\UpAndRunning` == 2.
    pub client_running: Option<bool>,
    /// Problems reading any of it, as evidence.
    pub problems: Vec<String>,
}
