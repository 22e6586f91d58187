//! Pasted Skype for Business and Exchange cmdlet output (`--server-config`,
//! repeatable): `Get-CsImConfiguration`, `Get-CsClientPolicy`, `Get-CsUser`,
//! `Get-OrganizationConfig` and `Get-CASMailbox`, in list or table view
//! (see [`view`] and `docs/server-config.md`).
//!
//! Objects are told apart by their properties, so one file may hold the
//! output of several cmdlets. Windows PowerShell's `>` writes UTF-16 LE with
//! a BOM, so the encoding is taken from the BOM. Names are matched
//! case-insensitively (the cmdlet reference spells `EnableOfflineIm`, the
//! product doc `EnableOfflineIM`). Every object keeps the file and line it
//! came from, so a check can say which paste decided.

mod view;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use view::Record;

/// A boolean setting as pasted: set to a value, blank (not set), or unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "value")]
pub enum Setting {
    Set(bool),
    NotSet,
    Invalid(String),
}

/// `Get-CsImConfiguration`: has `EnableOfflineIm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImConfiguration {
    pub identity: String,
    pub enable_offline_im: Setting,
    pub path: String,
    /// 1-based line of the `EnableOfflineIm` property.
    pub line: u64,
}

/// The scope an `Identity` names: `Global`, `Site:Redmond`, or a tag
/// (`Tag:NoArchive`, or the bare `NoArchive` that `Get-CsUser` shows for an
/// assigned policy). Prefixes match case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Global,
    Site(&'a str),
    Tag(&'a str),
}

impl<'a> Scope<'a> {
    pub fn parse(identity: &'a str) -> Scope<'a> {
        let s = identity.trim();
        let rest = |n: usize| s.get(n..).unwrap_or("").trim();
        if s.eq_ignore_ascii_case("global") {
            Scope::Global
        } else if s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("site:")) {
            Scope::Site(rest(5))
        } else if s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("tag:")) {
            Scope::Tag(rest(4))
        } else {
            Scope::Tag(s)
        }
    }

    /// The same scope, names compared case-insensitively.
    pub fn same(&self, other: &Scope<'_>) -> bool {
        match (self, other) {
            (Scope::Global, Scope::Global) => true,
            (Scope::Site(a), Scope::Site(b)) | (Scope::Tag(a), Scope::Tag(b)) => {
                a.eq_ignore_ascii_case(b)
            }
            _ => false,
        }
    }
}

/// `Get-CsClientPolicy`: has `EnableIMAutoArchiving`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientPolicy {
    pub identity: String,
    pub enable_im_auto_archiving: Setting,
    pub disable_saving_im: Setting,
    pub enable_server_conversation_history: Setting,
    pub path: String,
    /// 1-based line of the `EnableIMAutoArchiving` property.
    pub line: u64,
}

impl ClientPolicy {
    pub fn scope(&self) -> Scope<'_> {
        Scope::parse(&self.identity)
    }
}

/// `Get-CsUser`: has `ClientPolicy` (and usually `SipAddress`, `Identity`).
/// `Get-CsUser sip:<address> | Select-Object ClientPolicy` writes only
/// `ClientPolicy`, so the address may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsUser {
    pub identity: Option<String>,
    /// As pasted, `sip:` prefix included when PowerShell shows it.
    pub sip_address: Option<String>,
    pub user_principal_name: Option<String>,
    /// The per-user client policy; `None` when blank (no per-user policy:
    /// the site policy if there is one, else Global).
    pub client_policy: Option<String>,
    pub path: String,
    /// 1-based line of the `ClientPolicy` property.
    pub line: u64,
}

impl CsUser {
    /// Is this the user with SIP address `sip` (with or without `sip:`)?
    pub fn is(&self, sip: &str) -> bool {
        let bare = |s: &str| {
            let s = s.trim();
            match s.get(..4) {
                Some(p) if p.eq_ignore_ascii_case("sip:") => s.get(4..).unwrap_or("").to_string(),
                _ => s.to_string(),
            }
        };
        let want = bare(sip);
        !want.is_empty()
            && [&self.sip_address, &self.user_principal_name]
                .into_iter()
                .flatten()
                .any(|a| bare(a).eq_ignore_ascii_case(&want))
    }
}

/// The EWS settings `Get-OrganizationConfig` and `Get-CASMailbox` share
/// (Microsoft Learn, "Control access to EWS in Exchange"), and where they
/// were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EwsSettings {
    pub ews_enabled: Setting,
    /// `EnforceAllowList`, `EnforceBlockList`, or `None` when blank.
    pub ews_application_access_policy: Option<String>,
    /// User-agent patterns (`EwsAllowList`).
    pub ews_allow_list: Vec<String>,
    pub ews_block_list: Vec<String>,
    /// Names of collections PowerShell cut short (`{a, b, c, d...}`,
    /// `$FormatEnumerationLimit`): those lists are incomplete.
    pub truncated: Vec<String>,
    pub path: String,
    /// 1-based line of `EwsEnabled` (or the object's first line).
    pub line: u64,
    /// Set when the object showed only `Ews*` properties
    /// (`Select-Object Ews*`) and was taken for an organisation or a
    /// mailbox: why.
    #[serde(default)]
    pub assumed: Option<String>,
}

impl EwsSettings {
    /// `EwsEnabled`: `None` when blank (not set, PowerShell's `$null`) or unreadable.
    pub fn enabled(&self) -> Option<bool> {
        match self.ews_enabled {
            Setting::Set(b) => Some(b),
            Setting::NotSet | Setting::Invalid(_) => None,
        }
    }

    /// Where the settings were read, e.g. `org.txt line 3`, and which lists
    /// PowerShell cut short.
    pub fn source(&self) -> String {
        let mut s = format!("{} line {}", self.path, self.line);
        if !self.truncated.is_empty() {
            s.push_str(&format!(
                " (PowerShell cut short {}: paste with $FormatEnumerationLimit = -1)",
                self.truncated.join(", ")
            ));
        }
        s
    }
}

/// `Get-OrganizationConfig` (Exchange).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationConfig {
    pub identity: Option<String>,
    #[serde(flatten)]
    pub ews: EwsSettings,
    /// Exchange Online's application (client) ID allow list for the 2026 EWS
    /// shutdown, `EwsAllowedAppIDs` (Set-OrganizationConfig reference,
    /// MicrosoftDocs/office-docs-powershell PR 13643, June 2026): `None`
    /// when the paste has no such property (plain `Get-OrganizationConfig`
    /// does not return it, only `Get-OrganizationConfig
    /// -RetrieveEwsOperationAccessPolicy` does), `Some(empty)` when blank
    /// or `{}`.
    #[serde(default)]
    pub ews_allowed_app_ids: Option<Vec<String>>,
}

/// `Get-CASMailbox` (Exchange).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasMailbox {
    pub identity: Option<String>,
    pub primary_smtp_address: Option<String>,
    #[serde(flatten)]
    pub ews: EwsSettings,
}

/// The Skype for Business client's "Configuration Information" window
/// (Ctrl + right-click the tray icon), as a user copies its text: the EWS
/// URLs autodiscover gave the client and whether it found EWS at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientConfigurationWindow {
    /// `EWS Internal URL` (blank is normal: most clients only get the external one).
    pub ews_internal_url: Option<String>,
    pub ews_external_url: Option<String>,
    /// `EWS Information`: `EWS Status OK`, or `EWS not deployed` when
    /// autodiscover failed (e.g. off the VPN).
    pub ews_information: Option<String>,
    pub path: String,
    /// 1-based line of the first EWS row.
    pub line: u64,
}

impl ClientConfigurationWindow {
    /// The EWS URL the client uses: the external one, else the internal one.
    pub fn ews_url(&self) -> Option<&str> {
        self.ews_external_url
            .as_deref()
            .or(self.ews_internal_url.as_deref())
    }

    /// `EWS not deployed`: the client found no EWS through autodiscover.
    pub fn ews_not_deployed(&self) -> bool {
        self.ews_information
            .as_deref()
            .is_some_and(|i| i.to_ascii_lowercase().contains("not deployed"))
    }
}

/// Everything read from every `--server-config` file, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConfig {
    pub paths: Vec<String>,
    pub im_configurations: Vec<ImConfiguration>,
    pub client_policies: Vec<ClientPolicy>,
    pub users: Vec<CsUser>,
    pub organization: Vec<OrganizationConfig>,
    pub cas_mailboxes: Vec<CasMailbox>,
    /// The client's "Configuration Information" window text.
    #[serde(default)]
    pub client_windows: Vec<ClientConfigurationWindow>,
    /// `Get-CsSipDomain`: the organisation's SIP domains.
    #[serde(default)]
    pub sip_domains: Vec<SipDomain>,
}

/// One pasted `Get-CsSipDomain` object (`Identity`, `Name`, `IsDefault`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SipDomain {
    pub name: String,
    pub is_default: Option<bool>,
    pub path: String,
    /// 1-based line of the `Name` (or `Identity`) property.
    pub line: u64,
}

impl ServerConfig {
    fn is_empty(&self) -> bool {
        self.im_configurations.is_empty()
            && self.client_policies.is_empty()
            && self.users.is_empty()
            && self.organization.is_empty()
            && self.cas_mailboxes.is_empty()
            && self.client_windows.is_empty()
            && self.sip_domains.is_empty()
    }

    /// The client policy named `name` as `Get-CsUser` shows it (`NoArchive`)
    /// or as `Get-CsClientPolicy` does (`Tag:NoArchive`); the last pasted wins.
    pub fn client_policy(&self, name: &str) -> Option<&ClientPolicy> {
        let want = Scope::parse(name);
        self.client_policies
            .iter()
            .rev()
            .find(|p| p.scope().same(&want))
    }

    /// Several pastes as one, in order (each object keeps its file and line);
    /// `None` when there are none.
    pub fn merge(parts: impl IntoIterator<Item = ServerConfig>) -> Option<ServerConfig> {
        let mut it = parts.into_iter();
        let mut all = it.next()?;
        for p in it {
            all.append(p);
        }
        Some(all)
    }

    fn append(&mut self, other: ServerConfig) {
        self.paths.extend(other.paths);
        self.im_configurations.extend(other.im_configurations);
        self.client_policies.extend(other.client_policies);
        self.users.extend(other.users);
        self.organization.extend(other.organization);
        self.cas_mailboxes.extend(other.cas_mailboxes);
        self.client_windows.extend(other.client_windows);
    }
}

const LIST_VIEW_HINT: &str = "paste the list view instead: `<cmdlet> | Format-List` (`| fl`)";

#[derive(Debug, thiserror::Error)]
pub enum ServerConfigError {
    #[error("--server-config {path}: cannot be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(
        "--server-config {path}: holds no object of a known cmdlet. Paste the list-view output (`| Format-List`) of Get-CsImConfiguration (EnableOfflineIm), Get-CsClientPolicy (EnableIMAutoArchiving), Get-CsUser (ClientPolicy), Get-OrganizationConfig or Get-CASMailbox (EwsEnabled), or the client's Configuration Information window (EWS Internal URL)"
    )]
    NothingRecognised { path: String },
    #[error(
        "--server-config {path}, line {line}: the table view (Format-Table) cannot be read unambiguously: {reason}; {LIST_VIEW_HINT}"
    )]
    AmbiguousTable {
        path: String,
        line: u64,
        reason: String,
    },
}

/// Largest file accepted: real pastes are a few hundred KiB at most.
const MAX_BYTES: u64 = crate::input_file::MAX_SERVER_CONFIG_BYTES;

/// Read every `--server-config` file, in order; `None` when none was given.
/// The first bad file is the error (a usage error: exit 2).
pub fn load_all(paths: &[PathBuf]) -> Result<Option<ServerConfig>, ServerConfigError> {
    let parts = paths
        .iter()
        .map(|p| load(p))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ServerConfig::merge(parts))
}

/// Read one `--server-config` file.
pub fn load(path: &Path) -> Result<ServerConfig, ServerConfigError> {
    let shown = path.display().to_string();
    let unreadable = |reason: String| ServerConfigError::Unreadable {
        path: shown.clone(),
        reason,
    };
    let bytes = crate::input_file::read(path, MAX_BYTES).map_err(|e| unreadable(e.to_string()))?;
    let config = parse_bytes(&bytes, &shown)?;
    if config.is_empty() {
        return Err(ServerConfigError::NothingRecognised { path: shown });
    }
    Ok(config)
}

/// Parse a paste as read from disk: the encoding is taken from the BOM (or
/// guessed as UTF-16 LE from NUL bytes), then the views are parsed.
pub fn parse_bytes(bytes: &[u8], path: &str) -> Result<ServerConfig, ServerConfigError> {
    parse(&decode(bytes), path)
}

fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(bytes.get(bom..).unwrap_or_default())
            .0
            .into_owned();
    }
    // No BOM but every other byte NUL: UTF-16 LE without a BOM.
    if bytes.len() >= 4 && bytes.iter().skip(1).step_by(2).take(64).all(|&b| b == 0) {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling(bytes)
            .0
            .into_owned();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

fn setting(value: &str) -> Setting {
    let v = value.trim().trim_start_matches('$');
    if v.is_empty() {
        Setting::NotSet
    } else if v.eq_ignore_ascii_case("true") {
        Setting::Set(true)
    } else if v.eq_ignore_ascii_case("false") {
        Setting::Set(false)
    } else {
        Setting::Invalid(value.to_string())
    }
}

/// A PowerShell collection as shown: `{a, b}`, `{}`, a single bare value,
/// or blank. The flag is true when `$FormatEnumerationLimit` cut it short.
fn collection(value: &str) -> (Vec<String>, bool) {
    let v = value.trim();
    let inner = v
        .strip_prefix('{')
        .map(|s| s.strip_suffix('}').unwrap_or(s))
        .unwrap_or(v)
        .trim();
    let (inner, truncated) = match inner
        .strip_suffix("...")
        .or_else(|| inner.strip_suffix('\u{2026}'))
    {
        Some(rest) => (rest, true),
        None => (inner, false),
    };
    let items = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    (items, truncated)
}

fn text(r: &Record, name: &str) -> Option<String> {
    r.get(name)
        .map(|p| p.value.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn flag(r: &Record, name: &str) -> Setting {
    r.get(name).map_or(Setting::NotSet, |p| setting(&p.value))
}

/// Properties only `Get-CASMailbox` shows (Exchange cmdlet reference).
const CAS_MAILBOX_ONLY: &[&str] = &[
    "PrimarySmtpAddress",
    "SamAccountName",
    "ActiveSyncEnabled",
    "OWAEnabled",
    "MAPIEnabled",
    "PopEnabled",
    "ImapEnabled",
    "ECPEnabled",
    "EmailAddresses",
    "ServerLegacyDN",
    "DisplayName",
];

/// Properties only `Get-OrganizationConfig` shows.
const ORGANIZATION_ONLY: &[&str] = &[
    "EwsAllowedAppIDs",
    "IsDehydrated",
    "OrganizationId",
    "DefaultPublicFolderMailbox",
    "OAuth2ClientProfileEnabled",
    "MapiHttpEnabled",
    "ActivityBasedAuthenticationTimeoutEnabled",
];

const EWS_PROPERTIES: &[&str] = &[
    "EwsEnabled",
    "EwsApplicationAccessPolicy",
    "EwsAllowList",
    "EwsBlockList",
    "EwsAllowedAppIDs",
];

/// Which cmdlet wrote an object with `Ews*` properties, and, when only
/// `Ews*` properties were pasted, the assumption made.
enum EwsObjectKind {
    Organization(Option<String>),
    Mailbox(Option<String>),
}

/// `Get-CASMailbox` and `Get-OrganizationConfig` share `EwsEnabled`,
/// `EwsApplicationAccessPolicy`, `EwsAllowList` and `EwsBlockList`;
/// `Select-Object Ews*` shows nothing else. Such an object is judged, not
/// refused: `EwsAllowedAppIDs` is the organisation's alone; otherwise the
/// property order tells (`Get-OrganizationConfig | Select-Object Ews*` lists
/// them alphabetically, `Get-CASMailbox` starts with `EwsEnabled`), and the
/// check says what was assumed where it matters.
fn ews_object_kind(r: &Record) -> EwsObjectKind {
    if CAS_MAILBOX_ONLY.iter().any(|n| r.has(n)) {
        return EwsObjectKind::Mailbox(None);
    }
    if ORGANIZATION_ONLY.iter().any(|n| r.has(n)) {
        return EwsObjectKind::Organization(None);
    }
    let ews: Vec<&str> = r
        .props
        .iter()
        .map(|p| p.name.as_str())
        .filter(|n| n.len() > 3 && n[..3].eq_ignore_ascii_case("ews"))
        .collect();
    let starts_with_enabled = ews
        .first()
        .is_some_and(|n| n.eq_ignore_ascii_case("EwsEnabled"));
    if starts_with_enabled && ews.len() > 1 {
        EwsObjectKind::Mailbox(Some(
            "only Ews* properties, EwsEnabled first as Get-CASMailbox | Select-Object Ews* writes them: taken for the mailbox".into(),
        ))
    } else {
        EwsObjectKind::Organization(Some(if ews.len() > 1 {
            "only Ews* properties, in alphabetical order as Get-OrganizationConfig | Select-Object Ews* writes them: taken for the organisation".into()
        } else {
            "only Ews* properties and nothing that tells Get-OrganizationConfig from Get-CASMailbox: taken for the organisation".into()
        }))
    }
}

/// The rows of the client's "Configuration Information" window, as copied:
/// a label, then a tab, a colon or two or more spaces, then the value.
fn client_windows(text_in: &str, path: &str) -> Vec<ClientConfigurationWindow> {
    const LABELS: [&str; 3] = ["EWS Internal URL", "EWS External URL", "EWS Information"];
    let mut w = ClientConfigurationWindow {
        ews_internal_url: None,
        ews_external_url: None,
        ews_information: None,
        path: path.to_string(),
        line: 0,
    };
    for (i, raw) in text_in.lines().enumerate() {
        let line = raw.trim_matches(['\r', '\u{feff}', ' ', '\t']);
        for (k, label) in LABELS.iter().enumerate() {
            let Some(head) = line.get(..label.len()) else {
                continue;
            };
            if !head.eq_ignore_ascii_case(label) {
                continue;
            }
            let rest = &line[label.len()..];
            // "EWS Information" must not be read from a longer label.
            if rest
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let value = rest
                .trim_start_matches([' ', '\t'])
                .trim_start_matches(':')
                .trim()
                .to_string();
            let value = Some(value).filter(|v| !v.is_empty());
            if w.line == 0 {
                w.line = i as u64 + 1;
            }
            match k {
                0 => w.ews_internal_url = value,
                1 => w.ews_external_url = value,
                _ => w.ews_information = value,
            }
        }
    }
    if w.line == 0 { Vec::new() } else { vec![w] }
}

/// A collection property; its name goes to `truncated` when cut short.
fn list(r: &Record, name: &str, truncated: &mut Vec<String>) -> Vec<String> {
    let (items, cut) = r
        .get(name)
        .map_or((Vec::new(), false), |p| collection(&p.value));
    if cut {
        truncated.push(name.to_string());
    }
    items
}

/// The `Ews*` properties both cmdlets show, read once for either.
fn ews_settings(r: &Record, path: &str, assumed: Option<String>) -> EwsSettings {
    let mut truncated = Vec::new();
    let ews_allow_list = list(r, "EwsAllowList", &mut truncated);
    let ews_block_list = list(r, "EwsBlockList", &mut truncated);
    EwsSettings {
        ews_enabled: flag(r, "EwsEnabled"),
        ews_application_access_policy: text(r, "EwsApplicationAccessPolicy"),
        ews_allow_list,
        ews_block_list,
        truncated,
        path: path.to_string(),
        line: r.get("EwsEnabled").map_or(r.first_line(), |p| p.line),
        assumed,
    }
}

/// Parse pasted text (list and table views, any mix of cmdlets).
pub fn parse(text_in: &str, path: &str) -> Result<ServerConfig, ServerConfigError> {
    let records = view::records(text_in).map_err(|e| ServerConfigError::AmbiguousTable {
        path: path.to_string(),
        line: e.line,
        reason: e.reason,
    })?;
    let mut config = ServerConfig {
        paths: vec![path.to_string()],
        ..ServerConfig::default()
    };
    for r in &records {
        let identity = text(r, "Identity");
        if let Some(p) = r.get("EnableOfflineIm") {
            config.im_configurations.push(ImConfiguration {
                identity: identity.clone().unwrap_or_else(|| "(no Identity)".into()),
                enable_offline_im: setting(&p.value),
                path: path.to_string(),
                line: p.line,
            });
        }
        if let Some(p) = r.get("EnableIMAutoArchiving") {
            config.client_policies.push(ClientPolicy {
                identity: identity.clone().unwrap_or_else(|| "(no Identity)".into()),
                enable_im_auto_archiving: setting(&p.value),
                disable_saving_im: flag(r, "DisableSavingIM"),
                enable_server_conversation_history: flag(r, "EnableServerConversationHistory"),
                path: path.to_string(),
                line: p.line,
            });
        } else if let Some(p) = r.get("ClientPolicy") {
            config.users.push(CsUser {
                identity: identity.clone(),
                sip_address: text(r, "SipAddress"),
                user_principal_name: text(r, "UserPrincipalName"),
                client_policy: Some(p.value.trim().to_string()).filter(|v| !v.is_empty()),
                path: path.to_string(),
                line: p.line,
            });
        }
        // Get-CsSipDomain: IsDefault beside Name/Identity, nothing else of ours.
        if r.has("IsDefault")
            && !r.has("EnableOfflineIm")
            && !r.has("EnableIMAutoArchiving")
            && let Some(p) = r.get("Name").or_else(|| r.get("Identity"))
            && !p.value.trim().is_empty()
        {
            config.sip_domains.push(SipDomain {
                name: p.value.trim().to_ascii_lowercase(),
                is_default: r.get("IsDefault").and_then(|v| match v.value.trim() {
                    t if t.eq_ignore_ascii_case("true") => Some(true),
                    t if t.eq_ignore_ascii_case("false") => Some(false),
                    _ => None,
                }),
                path: path.to_string(),
                line: p.line,
            });
        }
        if EWS_PROPERTIES.iter().any(|n| r.has(n)) {
            match ews_object_kind(r) {
                EwsObjectKind::Mailbox(assumed) => config.cas_mailboxes.push(CasMailbox {
                    identity,
                    primary_smtp_address: text(r, "PrimarySmtpAddress"),
                    ews: ews_settings(r, path, assumed),
                }),
                EwsObjectKind::Organization(assumed) => {
                    let mut ews = ews_settings(r, path, assumed);
                    let ews_allowed_app_ids = r
                        .has("EwsAllowedAppIDs")
                        .then(|| list(r, "EwsAllowedAppIDs", &mut ews.truncated));
                    config.organization.push(OrganizationConfig {
                        identity,
                        ews,
                        ews_allowed_app_ids,
                    });
                }
            }
        }
    }
    config.client_windows = client_windows(text_in, path);
    Ok(config)
}

#[cfg(test)]
mod tests;
