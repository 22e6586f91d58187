//! Registry reading behind a small trait, so the mapping from raw values to
//! facts (channel GUID to name, value parsing, HKLM-before-HKCU precedence)
//! is tested on any OS with [`MapRegistry`]. The real Windows source lives in
//! `windows.rs`.
//!
//! Key paths and value names: Microsoft's Click-to-Run and Lync policy
//! documentation, as `docs/windows.md` cites it.

use std::collections::BTreeMap;
use std::fmt;

use crate::client_build::ClientBuild;

use super::{ClickToRunConfig, PolicyValue};

/// The two hives this tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Hive {
    LocalMachine,
    CurrentUser,
}

impl Hive {
    /// The short name used in evidence (`HKLM`, `HKCU`), as `reg.exe` writes it.
    pub fn short(self) -> &'static str {
        match self {
            Hive::LocalMachine => "HKLM",
            Hive::CurrentUser => "HKCU",
        }
    }
}

/// One registry value, decoded but not yet interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegData {
    /// `REG_SZ` or `REG_EXPAND_SZ` (not expanded: evidence shows what is stored).
    Str(String),
    Dword(u32),
    Qword(u64),
    MultiStr(Vec<String>),
    /// `REG_BINARY` and anything else.
    Binary(Vec<u8>),
}

impl RegData {
    /// The value as a number, when it is one (a DWORD, a QWORD, or a string of
    /// digits: policies are sometimes deployed as `REG_SZ`).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            RegData::Dword(v) => Some(u64::from(*v)),
            RegData::Qword(v) => Some(*v),
            RegData::Str(s) => {
                let s = s.trim();
                match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                    Some(hex) => u64::from_str_radix(hex, 16).ok(),
                    None => s.parse().ok(),
                }
            }
            _ => None,
        }
    }

    /// The value as a string, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            RegData::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for RegData {
    /// What `reg query` would show, roughly: strings as-is, numbers in decimal
    /// (policy documentation speaks decimal), multi-strings joined by `; `,
    /// binary as hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegData::Str(s) => f.write_str(s),
            RegData::Dword(v) => write!(f, "{v}"),
            RegData::Qword(v) => write!(f, "{v}"),
            RegData::MultiStr(v) => f.write_str(&v.join("; ")),
            RegData::Binary(b) => {
                for byte in b {
                    write!(f, "{byte:02x}")?;
                }
                Ok(())
            }
        }
    }
}

/// Where registry values come from: the real registry on Windows, a map in
/// tests.
pub trait RegistrySource {
    /// Every value under `hive\path`, in the order the source lists them;
    /// `Ok(None)` when the key does not exist. `Err` carries a reason for the
    /// report (access denied, ...), never a panic.
    fn values(&self, hive: Hive, path: &str) -> Result<Option<Vec<(String, RegData)>>, String>;
}

/// A registry with nothing in it: what non-Windows machines and `--root`
/// runs see.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRegistry;

impl RegistrySource for NoRegistry {
    fn values(&self, _: Hive, _: &str) -> Result<Option<Vec<(String, RegData)>>, String> {
        Ok(None)
    }
}

/// An in-memory registry for tests. Key paths compare case-insensitively,
/// as Windows does.
#[derive(Debug, Clone, Default)]
pub struct MapRegistry {
    keys: BTreeMap<(Hive, String), Vec<(String, RegData)>>,
    denied: Vec<(Hive, String)>,
}

impl MapRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a value, creating its key.
    pub fn set(&mut self, hive: Hive, path: &str, name: &str, data: RegData) -> &mut Self {
        let values = self
            .keys
            .entry((hive, path.to_ascii_lowercase()))
            .or_default();
        values.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        values.push((name.to_string(), data));
        self
    }

    /// Creates an empty key.
    pub fn create_key(&mut self, hive: Hive, path: &str) -> &mut Self {
        self.keys
            .entry((hive, path.to_ascii_lowercase()))
            .or_default();
        self
    }

    /// Makes reading a key fail, as access denied would.
    pub fn deny(&mut self, hive: Hive, path: &str) -> &mut Self {
        self.denied.push((hive, path.to_ascii_lowercase()));
        self
    }
}

impl RegistrySource for MapRegistry {
    fn values(&self, hive: Hive, path: &str) -> Result<Option<Vec<(String, RegData)>>, String> {
        let k = (hive, path.to_ascii_lowercase());
        if self.denied.contains(&k) {
            return Err("access is denied".to_string());
        }
        Ok(self.keys.get(&k).cloned())
    }
}

/// The Click-to-Run configuration key, native view.
pub const C2R_KEY: &str = r"SOFTWARE\Microsoft\Office\ClickToRun\Configuration";
/// Its 32-bit twin (32-bit Office on 64-bit Windows, older installs).
pub const C2R_KEY_WOW: &str = r"SOFTWARE\WOW6432Node\Microsoft\Office\ClickToRun\Configuration";
/// The Lync / Skype for Business 2016 policy key, read under HKLM then HKCU.
pub const POLICY_KEY: &str = r"SOFTWARE\Policies\Microsoft\Office\16.0\Lync";
/// Where the client says it is running (`UpAndRunning` = 2).
pub const IM_PROVIDER_KEY: &str = r"Software\IM Providers\Lync";
/// The client's own settings (HKCU): logging is switched here by Options >
/// General > Logging (SupportArticles-docs, "collect log files"; KB 2604292).
pub const LYNC_SETTINGS_KEY: &str = r"Software\Microsoft\Office\16.0\Lync";
/// The logging values under [`LYNC_SETTINGS_KEY`].
pub const LOGGING_VALUES: [&str; 3] = ["EnableTracing", "TracingLevel", "EnableLogCollecting"];

/// The channel name for an `UpdateChannel` / `CDNBaseUrl` value: a URL such
/// as `http://officecdn.microsoft.com/pr/492350f6-...` or a bare GUID, from
/// the channel table of `data/landscape.toml` (the one the product
/// identification reads too). `None` when the value names no channel this
/// tool knows.
pub fn channel_name(value: &str) -> Option<&'static str> {
    crate::landscape::landscape().channel_name(value)
}

fn find<'a>(values: &'a [(String, RegData)], name: &str) -> Option<&'a RegData> {
    values
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, d)| d)
}

/// A string value, or a problem saying it is not one.
fn string_value(
    values: &[(String, RegData)],
    key: &str,
    name: &str,
    problems: &mut Vec<String>,
) -> Option<String> {
    match find(values, name)? {
        RegData::Str(s) if s.trim().is_empty() => None,
        RegData::Str(s) => Some(s.trim().to_string()),
        other => {
            problems.push(format!(
                "{key}\\{name} is not a string value (it holds `{other}`)"
            ));
            None
        }
    }
}

/// One Click-to-Run configuration key, interpreted.
fn click_to_run_from(
    key: String,
    values: &[(String, RegData)],
    problems: &mut Vec<String>,
) -> ClickToRunConfig {
    let version_to_report = string_value(values, &key, "VersionToReport", problems).and_then(|v| {
        match v.parse::<ClientBuild>() {
            Ok(b) => Some(b),
            Err(e) => {
                problems.push(format!("{key}\\VersionToReport: {e}"));
                None
            }
        }
    });
    let platform = string_value(values, &key, "Platform", problems);
    // UpdateChannel is set by policy or the deployment tool and overrides the
    // channel the install came from (CDNBaseUrl), so it is read first.
    let update_channel = string_value(values, &key, "UpdateChannel", problems);
    let cdn_base_url = string_value(values, &key, "CDNBaseUrl", problems);
    let channel_url = update_channel.or(cdn_base_url);
    let channel = channel_url
        .as_deref()
        .and_then(channel_name)
        .map(str::to_string);
    // A comma-separated REG_SZ, e.g. `O365ProPlusRetail,SkypeforBusiness2024Volume`.
    let product_release_ids = string_value(values, &key, "ProductReleaseIds", problems)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    ClickToRunConfig {
        key,
        version_to_report,
        platform,
        channel,
        channel_url,
        product_release_ids,
    }
}

/// The Click-to-Run configuration: the native key, else the `WOW6432Node`
/// twin. A key with `VersionToReport` wins over one without.
pub fn read_click_to_run(
    reg: &dyn RegistrySource,
    problems: &mut Vec<String>,
) -> Option<ClickToRunConfig> {
    let mut fallback = None;
    for path in [C2R_KEY, C2R_KEY_WOW] {
        let key = format!("HKLM\\{path}");
        let values = match reg.values(Hive::LocalMachine, path) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(e) => {
                problems.push(format!("cannot read {key}: {e}"));
                continue;
            }
        };
        let config = click_to_run_from(key, &values, problems);
        if config.version_to_report.is_some() {
            return Some(config);
        }
        fallback.get_or_insert(config);
    }
    fallback
}

/// Every value under the Lync policy key, HKLM first (machine policy wins),
/// then HKCU. See [`super::MachineFacts::policy`] for the effective value.
pub fn read_policies(reg: &dyn RegistrySource, problems: &mut Vec<String>) -> Vec<PolicyValue> {
    let mut out = Vec::new();
    for hive in [Hive::LocalMachine, Hive::CurrentUser] {
        let key = format!("{}\\{POLICY_KEY}", hive.short());
        match reg.values(hive, POLICY_KEY) {
            Ok(Some(values)) => out.extend(values.into_iter().map(|(name, data)| PolicyValue {
                key: key.clone(),
                name,
                value: data.to_string(),
            })),
            Ok(None) => {}
            Err(e) => problems.push(format!("cannot read {key}: {e}")),
        }
    }
    out
}

/// The logging values (`EnableTracing`, `TracingLevel`, `EnableLogCollecting`)
/// under `HKCU\Software\Microsoft\Office\16.0\Lync`, as found.
pub fn read_logging_settings(
    reg: &dyn RegistrySource,
    problems: &mut Vec<String>,
) -> Vec<PolicyValue> {
    let key = format!("HKCU\\{LYNC_SETTINGS_KEY}");
    match reg.values(Hive::CurrentUser, LYNC_SETTINGS_KEY) {
        Ok(Some(values)) => values
            .into_iter()
            .filter(|(name, _)| LOGGING_VALUES.iter().any(|v| v.eq_ignore_ascii_case(name)))
            .map(|(name, data)| PolicyValue {
                key: key.clone(),
                name,
                value: data.to_string(),
            })
            .collect(),
        Ok(None) => Vec::new(),
        Err(e) => {
            problems.push(format!("cannot read {key}: {e}"));
            Vec::new()
        }
    }
}

/// `HKCU\Software\IM Providers\Lync\UpAndRunning`: 2 while the client runs,
/// 0 or 1 otherwise. `None` when absent or unreadable.
pub fn read_client_running(reg: &dyn RegistrySource, problems: &mut Vec<String>) -> Option<bool> {
    let key = format!("HKCU\\{IM_PROVIDER_KEY}");
    let values = match reg.values(Hive::CurrentUser, IM_PROVIDER_KEY) {
        Ok(v) => v?,
        Err(e) => {
            problems.push(format!("cannot read {key}: {e}"));
            return None;
        }
    };
    let data = find(&values, "UpAndRunning")?;
    match data.as_u64() {
        Some(n) => Some(n == 2),
        None => {
            problems.push(format!(
                "{key}\\UpAndRunning is not a number (it holds `{data}`)"
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sz(s: &str) -> RegData {
        RegData::Str(s.to_string())
    }

    #[test]
    fn channel_guid_maps_from_url_or_bare_guid() {
        assert_eq!(
            channel_name("http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60"),
            Some("Current")
        );
        assert_eq!(
            channel_name("HTTP://OFFICECDN.MICROSOFT.COM/PR/7FFBC6BF-BC32-4F92-8982-F9DD17FD3114/"),
            Some("Semi-Annual")
        );
        assert_eq!(
            channel_name("{55336b82-a18d-4dd6-b5f6-9e5095c314a6}"),
            Some("Monthly Enterprise")
        );
        assert_eq!(
            channel_name(r"\\server\share\5440fd1f-7ecb-4221-8110-145efaa6372f"),
            Some("Beta")
        );
        assert_eq!(channel_name("http://example.com/whatever"), None);
        assert_eq!(channel_name(""), None);
        assert_eq!(channel_name("///"), None);
    }

    #[test]
    fn click_to_run_native_key() {
        let mut reg = MapRegistry::new();
        reg.set(
            Hive::LocalMachine,
            C2R_KEY,
            "VersionToReport",
            sz("16.0.10730.20304"),
        )
        .set(Hive::LocalMachine, C2R_KEY, "Platform", sz("x64"))
        .set(
            Hive::LocalMachine,
            C2R_KEY,
            "CDNBaseUrl",
            sz("http://officecdn.microsoft.com/pr/b8f9b850-328d-4355-9145-c59439a0c4cf"),
        );
        let mut problems = vec![];
        let c = read_click_to_run(&reg, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(c.key, format!("HKLM\\{C2R_KEY}"));
        assert_eq!(
            c.version_to_report,
            Some(ClientBuild::new(16, 0, 10730, 20304))
        );
        assert_eq!(c.platform.as_deref(), Some("x64"));
        assert_eq!(c.channel.as_deref(), Some("Semi-Annual Preview"));
    }

    #[test]
    fn product_release_ids_and_perpetual_channels() {
        // An Office LTSC 2024 install with Skype for Business LTSC 2024.
        let mut reg = MapRegistry::new();
        reg.set(
            Hive::LocalMachine,
            C2R_KEY,
            "VersionToReport",
            sz("16.0.17932.20638"),
        )
        .set(
            Hive::LocalMachine,
            C2R_KEY,
            "ProductReleaseIds",
            sz(" ProPlus2024Volume, SkypeforBusiness2024Volume ,"),
        )
        .set(
            Hive::LocalMachine,
            C2R_KEY,
            "CDNBaseUrl",
            sz("http://officecdn.microsoft.com/pr/7983BAC0-E531-40CF-BE00-FD24FE66619C"),
        );
        let mut problems = vec![];
        let c = read_click_to_run(&reg, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            c.product_release_ids,
            ["ProPlus2024Volume", "SkypeforBusiness2024Volume"]
        );
        assert_eq!(c.channel.as_deref(), Some("PerpetualVL2024"));
        assert_eq!(
            channel_name("f2e724c1-748f-4b47-8fb8-8e0d210e9208"),
            Some("PerpetualVL2019")
        );
        assert_eq!(
            channel_name("http://officecdn.microsoft.com/pr/5030841d-c919-4594-8d2d-84ae4f96e58e"),
            Some("PerpetualVL2021")
        );

        // A DWORD where a string belongs is a problem, not a panic.
        let mut reg = MapRegistry::new();
        reg.set(
            Hive::LocalMachine,
            C2R_KEY,
            "ProductReleaseIds",
            RegData::Dword(1),
        );
        let mut problems = vec![];
        let c = read_click_to_run(&reg, &mut problems).unwrap();
        assert!(c.product_release_ids.is_empty());
        assert!(problems[0].contains("ProductReleaseIds is not a string value"));
    }

    #[test]
    fn update_channel_overrides_cdn_base_url() {
        let mut reg = MapRegistry::new();
        reg.set(
            Hive::LocalMachine,
            C2R_KEY,
            "CDNBaseUrl",
            sz("http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60"),
        )
        .set(
            Hive::LocalMachine,
            C2R_KEY,
            "UpdateChannel",
            sz("http://officecdn.microsoft.com/pr/55336b82-a18d-4dd6-b5f6-9e5095c314a6"),
        );
        let c = read_click_to_run(&reg, &mut vec![]).unwrap();
        assert_eq!(c.channel.as_deref(), Some("Monthly Enterprise"));
        assert!(
            c.channel_url
                .unwrap()
                .ends_with("55336b82-a18d-4dd6-b5f6-9e5095c314a6")
        );
    }

    #[test]
    fn wow_twin_used_when_native_key_lacks_a_version() {
        let mut reg = MapRegistry::new();
        reg.set(Hive::LocalMachine, C2R_KEY, "Platform", sz("x64"))
            .set(
                Hive::LocalMachine,
                C2R_KEY_WOW,
                "VersionToReport",
                sz("16.0.6965.2058"),
            )
            .set(Hive::LocalMachine, C2R_KEY_WOW, "Platform", sz("x86"));
        let c = read_click_to_run(&reg, &mut vec![]).unwrap();
        assert!(c.key.contains("WOW6432Node"));
        assert_eq!(c.platform.as_deref(), Some("x86"));
        assert_eq!(
            c.version_to_report,
            Some(ClientBuild::new(16, 0, 6965, 2058))
        );
    }

    #[test]
    fn native_key_without_version_is_still_reported() {
        let mut reg = MapRegistry::new();
        reg.set(Hive::LocalMachine, C2R_KEY, "Platform", sz("x64"));
        let c = read_click_to_run(&reg, &mut vec![]).unwrap();
        assert_eq!(c.version_to_report, None);
        assert_eq!(c.platform.as_deref(), Some("x64"));
        assert!(read_click_to_run(&NoRegistry, &mut vec![]).is_none());
    }

    #[test]
    fn bad_values_become_problems_not_panics() {
        let mut reg = MapRegistry::new();
        reg.set(
            Hive::LocalMachine,
            C2R_KEY,
            "VersionToReport",
            sz("sixteen"),
        )
        .set(Hive::LocalMachine, C2R_KEY, "Platform", RegData::Dword(64))
        .deny(Hive::LocalMachine, C2R_KEY_WOW)
        .set(
            Hive::CurrentUser,
            IM_PROVIDER_KEY,
            "UpAndRunning",
            sz("yes"),
        );
        let mut problems = vec![];
        let c = read_click_to_run(&reg, &mut problems).unwrap();
        assert_eq!(c.version_to_report, None);
        assert_eq!(c.platform, None);
        assert_eq!(read_client_running(&reg, &mut problems), None);
        let all = problems.join("\n");
        assert!(all.contains("`sixteen` is not a client build"), "{all}");
        assert!(all.contains("Platform is not a string value"), "{all}");
        assert!(all.contains("access is denied"), "{all}");
        assert!(all.contains("UpAndRunning is not a number"), "{all}");
    }

    #[test]
    fn policies_hklm_before_hkcu_all_as_strings() {
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
            "EnableIMAutoArchiving",
            RegData::Dword(0),
        )
        .set(
            Hive::LocalMachine,
            POLICY_KEY,
            "ServerAddressInternal",
            sz("pool.fabrikam.com"),
        )
        .set(
            Hive::LocalMachine,
            POLICY_KEY,
            "Blob",
            RegData::Binary(vec![0xde, 0xad]),
        )
        .set(
            Hive::LocalMachine,
            POLICY_KEY,
            "List",
            RegData::MultiStr(vec!["a".into(), "b".into()]),
        )
        .set(Hive::LocalMachine, POLICY_KEY, "Q", RegData::Qword(1 << 40));
        let p = read_policies(&reg, &mut vec![]);
        let shown: Vec<_> = p
            .iter()
            .map(|v| format!("{}:{}={}", &v.key[..4], v.name, v.value))
            .collect();
        assert_eq!(
            shown,
            [
                "HKLM:EnableIMAutoArchiving=0",
                "HKLM:ServerAddressInternal=pool.fabrikam.com",
                "HKLM:Blob=dead",
                "HKLM:List=a; b",
                "HKLM:Q=1099511627776",
                "HKCU:EnableIMAutoArchiving=1",
            ]
        );
    }

    #[test]
    fn up_and_running() {
        for (data, want) in [
            (RegData::Dword(2), Some(true)),
            (RegData::Dword(0), Some(false)),
            (RegData::Dword(1), Some(false)),
            (sz("2"), Some(true)),
            (sz("0x2"), Some(true)),
            (RegData::Qword(2), Some(true)),
        ] {
            let mut reg = MapRegistry::new();
            reg.set(
                Hive::CurrentUser,
                IM_PROVIDER_KEY,
                "upandrunning",
                data.clone(),
            );
            assert_eq!(read_client_running(&reg, &mut vec![]), want, "{data:?}");
        }
        let mut reg = MapRegistry::new();
        reg.create_key(Hive::CurrentUser, IM_PROVIDER_KEY);
        assert_eq!(read_client_running(&reg, &mut vec![]), None);
        assert_eq!(read_client_running(&NoRegistry, &mut vec![]), None);
    }
}
