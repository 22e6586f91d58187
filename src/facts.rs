//! Everything the scanners found, and the two facts derived from several
//! sources at once: which client build this is, and where the mailbox lives.

use chrono::{DateTime, Utc};

use crate::client_build::ClientBuild;
use crate::landscape::{ClientSeen, Identification, landscape};
pub use crate::model::InspectedHost;
use crate::model::{
    BuildSource, Evidence, EvidenceSource, InstallType, MailboxLocation, OffsetSource,
};
use crate::sources::discover::{Discovery, Profile};
use crate::sources::machine::MachineFacts;
use crate::sources::scan::logs::{LogFacts, LogTimeZone};
use crate::sources::scan::spooler::SpoolerScan;
use crate::sources::server_config::ServerConfig;
use crate::urls::host_of;

/// `--mailbox`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum MailboxChoice {
    #[default]
    Auto,
    Online,
    OnPremises,
}

/// What the run was asked to do, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub now: DateTime<Utc>,
    pub stuck_after: chrono::Duration,
    pub client_version: Option<ClientBuild>,
    pub mailbox: MailboxChoice,
    /// The UTC offset the logs' local times are read in, and where it came from.
    pub log_zone: LogZone,
}

/// How the logs' local timestamps become UTC, resolved once per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogZone {
    pub zone: LogTimeZone,
    pub source: OffsetSource,
}

impl Default for LogZone {
    fn default() -> Self {
        LogZone {
            zone: LogTimeZone::System,
            source: OffsetSource::AssumedThisMachine,
        }
    }
}

impl LogZone {
    /// The offset as `+01:00`, at `at` for the system zone (which may change with DST).
    pub fn offset_at(&self, at: DateTime<Utc>) -> String {
        match self.zone {
            LogTimeZone::Fixed(o) => o.to_string(),
            LogTimeZone::System => at.with_timezone(&chrono::Local).offset().to_string(),
        }
    }
}

impl InspectedHost {
    /// The computer running the tool, at `now`.
    pub fn this_machine(now: DateTime<Utc>) -> Self {
        InspectedHost {
            host_name: machine_name(),
            utc_offset: Some(now.with_timezone(&chrono::Local).offset().to_string()),
            time_zone: time_zone_name(),
            os: Some(format!(
                "{} {}",
                std::env::consts::OS,
                std::env::consts::ARCH
            )),
        }
    }
}

/// The zone name the clock runs in: `TZ` when it names a zone (it is what
/// the local offset was computed from), else what the OS says.
fn time_zone_name() -> Option<String> {
    std::env::var("TZ")
        .ok()
        .map(|tz| tz.trim_start_matches(':').to_string())
        .filter(|tz| !tz.is_empty() && !tz.starts_with('/'))
        .or_else(|| iana_time_zone::get_timezone().ok())
}

/// This computer's name (`COMPUTERNAME` on Windows, the host name elsewhere).
pub fn machine_name() -> Option<String> {
    std::env::var("COMPUTERNAME")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| gethostname::gethostname().into_string().ok())
        .filter(|s| !s.is_empty())
}

#[derive(Debug, Clone)]
pub struct ProfileFacts {
    pub profile: Profile,
    pub spooler: SpoolerScan,
}

impl Facts {
    /// The times of the spooled messages older than `--stuck-after` at
    /// `--now` (their files' modification times), oldest first.
    pub fn stuck_times(&self, settings: &Settings) -> Vec<chrono::DateTime<chrono::Utc>> {
        // Checked: a `--now` near chrono's limits minus a long duration
        // means nothing is old enough, never a panic.
        let Some(cutoff) = settings.now.checked_sub_signed(settings.stuck_after) else {
            return Vec::new();
        };
        let mut t: Vec<_> = self
            .profiles
            .iter()
            .flat_map(|p| p.spooler.entries.iter())
            .filter(|e| e.kind == crate::sources::scan::spooler::EntryKind::File)
            .filter_map(|e| e.modified)
            .filter(|m| *m <= cutoff)
            .collect();
        t.sort();
        t
    }
}

#[derive(Debug, Clone)]
pub struct Facts {
    pub inspection: Discovery,
    pub profiles: Vec<ProfileFacts>,
    pub logs: LogFacts,
    /// What the registry and `lync.exe` say about the client's install and
    /// policies (the machine itself is [`Facts::host`]).
    pub install: MachineFacts,
    /// The machine these facts describe.
    pub host: InspectedHost,
    pub server: Option<ServerConfig>,
}

#[cfg(test)]
impl Facts {
    /// Nothing found but `machine`: unit tests set the facts they judge.
    pub(crate) fn nothing_found(machine: MachineFacts) -> Facts {
        Facts {
            inspection: Discovery {
                root: "/x".into(),
                kind: crate::sources::discover::RootKind::LocalAppData,
                lync_folders: vec![],
                profiles: vec![],
                problems: vec![],
                could_not_read: vec![],
            },
            profiles: vec![],
            logs: LogFacts::default(),
            install: machine,
            host: Default::default(),
            server: None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ResolvedClient {
    pub build: Option<ClientBuild>,
    pub source: Option<BuildSource>,
    pub install: InstallType,
    pub channel: Option<String>,
    pub evidence: Vec<Evidence>,
    /// The part of `evidence` that speaks about the install type: what the
    /// registry and `lync.exe` said, and the MSI build range. The build's
    /// own source (an option, a log line) says nothing about it.
    pub install_evidence: Vec<Evidence>,
    /// Which product this client is (or could be), judged at `--now`.
    pub product: Identification,
}

/// The order of `client.source` in `docs/contract.md`: `--client-version`, the Click-to-Run registry, `lync.exe`
/// (both from [`MachineFacts::build`]), then the newest `User-Agent` in the logs.
pub fn resolve_client(facts: &Facts, settings: &Settings) -> ResolvedClient {
    let mut r = ResolvedClient::default();
    let machine = &facts.install;
    if let Some(b) = settings.client_version {
        r.build = Some(b);
        r.source = Some(BuildSource::Option);
        r.evidence.push(Evidence::note(
            EvidenceSource::Option,
            format!("--client-version {b}"),
        ));
    } else if let Some(m) = machine.build() {
        r.build = Some(m.build);
        r.source = Some(m.source);
    } else if let Some(f) = &facts.logs.newest_build {
        r.build = Some(f.value);
        r.source = Some(BuildSource::Log);
        let mut ev = Evidence::at(
            EvidenceSource::Log,
            f.path.clone(),
            Some(f.line),
            format!("newest User-Agent: {}", f.excerpt),
        );
        ev.timestamp = f.timestamp;
        r.evidence.push(ev);
    } else if let Some((path, b)) = facts
        .logs
        .etl
        .iter()
        .filter_map(|e| {
            let name = crate::sources::etl::build_from_name(&e.path)?;
            Some((e.path.clone(), name.parse::<ClientBuild>().ok()?))
        })
        .max_by_key(|(_, b)| *b)
    {
        // Below the logs' User-Agent: the name carries the client's own
        // build (the newest, as traces of older builds may linger).
        r.build = Some(b);
        r.source = Some(BuildSource::EtlName);
        r.evidence.push(Evidence::at(
            EvidenceSource::Etl,
            path,
            None,
            format!("client build {b} in the ETL trace's file name"),
        ));
    }
    // What the registry and lync.exe said, whether or not it decided the build.
    r.install_evidence.extend(
        machine
            .evidence()
            .into_iter()
            .map(|(source, d)| Evidence::note(source, d)),
    );

    r.install = machine.install();
    r.channel = machine.channel().map(str::to_string);
    if r.install == InstallType::Unknown
        && let Some(b) = r.build
        && b.major == 16
        && b.minor == 0
        && (4000..5000).contains(&b.build)
    {
        // MSI 2016 builds look like 16.0.4xxx.1000 (docs/landscape.md).
        r.install = InstallType::Msi;
        r.install_evidence.push(Evidence::note(
            EvidenceSource::Tool,
            format!("build {b} is in the 16.0.4xxx range of the Office 2016 MSI release"),
        ));
    }
    r.evidence.extend(r.install_evidence.iter().cloned());
    r.product = resolve_product(facts, &r, settings);
    r
}

/// The product from the Click-to-Run registry (`ProductReleaseIds`, the
/// channel GUID), else from the build and install type (data/landscape.toml).
fn resolve_product(facts: &Facts, client: &ResolvedClient, settings: &Settings) -> Identification {
    let c2r = facts.install.click_to_run.as_ref();
    let seen = ClientSeen {
        release_ids: c2r
            .map(|c| c.product_release_ids.clone())
            .unwrap_or_default(),
        channel: c2r
            .and_then(|c| c.channel_url.as_deref())
            .and_then(|u| landscape().channel_name(u))
            .map(str::to_string),
        build: client.build,
        install: client.install,
    };
    landscape().identify(&seen, settings.now)
}

#[derive(Debug, Clone, Default)]
pub struct ResolvedMailbox {
    pub location: MailboxLocation,
    pub ews_url: Option<String>,
    pub source: Option<&'static str>,
    pub evidence: Vec<Evidence>,
}

/// Exchange Online hosts, sovereign clouds included (`data/landscape.toml`,
/// `[exchange_online]`): anything else means on-premises.
pub fn is_online_host(host: &str) -> bool {
    online_cloud(host).is_some()
}

/// The cloud an Exchange Online host belongs to (`None`: on-premises).
pub fn online_cloud(host: &str) -> Option<&'static str> {
    crate::landscape::landscape()
        .exchange_online
        .host_entry(host)
        .map(|h| h.cloud_name.as_str())
}

/// "an Exchange Online mailbox (cloud)" or "an Exchange on-premises mailbox".
fn mailbox_words(host: &str) -> String {
    match online_cloud(host) {
        Some(cloud) => format!("an Exchange Online mailbox ({cloud})"),
        None => "an Exchange on-premises mailbox".to_string(),
    }
}

pub fn resolve_mailbox(facts: &Facts, settings: &Settings) -> ResolvedMailbox {
    let mut r = ResolvedMailbox::default();
    let newest = facts
        .logs
        .ews_urls
        .iter()
        .max_by_key(|f| (f.timestamp, f.line));
    r.ews_url = newest.map(|f| f.value.clone());
    match settings.mailbox {
        MailboxChoice::Online => {
            r.location = MailboxLocation::Online;
            r.source = Some("option");
            r.evidence
                .push(Evidence::note(EvidenceSource::Option, "--mailbox online"));
        }
        MailboxChoice::OnPremises => {
            r.location = MailboxLocation::OnPremises;
            r.source = Some("option");
            r.evidence.push(Evidence::note(
                EvidenceSource::Option,
                "--mailbox on-premises",
            ));
        }
        MailboxChoice::Auto => {
            if let Some(f) = newest
                && f.value.contains("://")
                && let Some(host) = host_of(&f.value)
            {
                r.location = if is_online_host(&host) {
                    MailboxLocation::Online
                } else {
                    MailboxLocation::OnPremises
                };
                r.source = Some("log");
                let mut ev = Evidence::at(
                    EvidenceSource::Log,
                    f.path.clone(),
                    Some(f.line),
                    format!("EWS host {host} means {}", mailbox_words(&host)),
                );
                ev.timestamp = f.timestamp;
                r.evidence.push(ev);
            } else if let Some((w, url)) = facts
                .server
                .iter()
                .flat_map(|s| s.client_windows.iter())
                .find_map(|w| w.ews_url().map(|u| (w, u)))
                && url.contains("://")
                && let Some(host) = host_of(url)
            {
                // No EWS URL in the logs: the client's Configuration
                // Information window, as pasted, says which EWS it uses.
                r.location = if is_online_host(&host) {
                    MailboxLocation::Online
                } else {
                    MailboxLocation::OnPremises
                };
                r.ews_url = Some(url.to_string());
                r.source = Some("server-config");
                r.evidence.push(Evidence::at(
                    EvidenceSource::Paste,
                    w.path.clone(),
                    Some(w.line),
                    format!(
                        "Configuration Information window: EWS URL {url}; host {host} means {}",
                        mailbox_words(&host)
                    ),
                ));
            }
        }
    }
    // What the Configuration Information window says about autodiscover.
    for w in facts.server.iter().flat_map(|s| s.client_windows.iter()) {
        let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(blank)".into());
        let mut detail = format!(
            "Configuration Information window: EWS Internal URL {} (blank is normal), EWS External URL {}, EWS Information {}",
            shown(&w.ews_internal_url),
            shown(&w.ews_external_url),
            shown(&w.ews_information)
        );
        if w.ews_not_deployed() {
            detail.push_str(": the client found no EWS through autodiscover (DNS autodiscover failed, e.g. off the VPN)");
        }
        r.evidence.push(Evidence::at(
            EvidenceSource::Paste,
            w.path.clone(),
            Some(w.line),
            detail,
        ));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::machine::{C2R_KEY, Hive, MapRegistry, ReadOptions, RegData, read_with};

    /// The registry of a machine, as the Wine end-to-end script sets it up.
    fn resolved_from_registry(values: &[(&str, &str)], now: &str) -> ResolvedClient {
        let mut reg = MapRegistry::new();
        for (name, value) in values {
            reg.set(
                Hive::LocalMachine,
                C2R_KEY,
                name,
                RegData::Str(value.to_string()),
            );
        }
        let machine = read_with(
            &reg,
            &ReadOptions {
                this_machine: true,
                ..Default::default()
            },
        );
        let facts = Facts::nothing_found(machine);
        let settings = Settings {
            now: DateTime::parse_from_rfc3339(now)
                .unwrap()
                .with_timezone(&Utc),
            stuck_after: chrono::Duration::minutes(2),
            client_version: None,
            mailbox: MailboxChoice::Auto,
            log_zone: Default::default(),
        };
        resolve_client(&facts, &settings)
    }

    #[test]
    fn product_from_the_click_to_run_registry() {
        use crate::landscape::Shared;
        // Office LTSC 2024 with Skype for Business LTSC 2024.
        let c = resolved_from_registry(
            &[
                ("VersionToReport", "16.0.17932.20638"),
                ("Platform", "x64"),
                (
                    "ProductReleaseIds",
                    "ProPlus2024Volume,SkypeforBusiness2024Volume",
                ),
                (
                    "CDNBaseUrl",
                    "http://officecdn.microsoft.com/pr/7983bac0-e531-40cf-be00-fd24fe66619c",
                ),
            ],
            "2026-11-24T10:00:00Z",
        );
        assert_eq!(
            c.product.product_name().as_deref(),
            Some("Skype for Business LTSC 2024")
        );
        assert_eq!(c.product.support_ends().unwrap().to_string(), "2029-10-09");
        assert_eq!(c.product.shared(), Shared::Supported);
        assert_eq!(c.channel.as_deref(), Some("PerpetualVL2024"));

        // An old Office 2016 Click-to-Run (retail) on the Deferred channel, 2017 build.
        let c = resolved_from_registry(
            &[
                ("VersionToReport", "16.0.7766.2047"),
                ("Platform", "x86"),
                ("ProductReleaseIds", "ProPlusRetail"),
                (
                    "CDNBaseUrl",
                    "http://officecdn.microsoft.com/pr/7ffbc6bf-bc32-4f92-8982-f9dd17fd3114",
                ),
            ],
            "2026-11-24T10:00:00Z",
        );
        assert_eq!(
            c.product.product_name().as_deref(),
            Some("Skype for Business 2016 (Click-to-Run)")
        );
        assert_eq!(c.product.support_ends().unwrap().to_string(), "2025-10-14");
        assert_eq!(c.product.shared(), Shared::Ended);

        // Microsoft 365 Apps on Monthly Enterprise, serviced in February 2026.
        let c = resolved_from_registry(
            &[
                ("VersionToReport", "16.0.20430.20092"),
                ("ProductReleaseIds", "O365ProPlusRetail"),
                (
                    "UpdateChannel",
                    "http://officecdn.microsoft.com/pr/55336b82-a18d-4dd6-b5f6-9e5095c314a6",
                ),
            ],
            "2026-11-24T10:00:00Z",
        );
        assert_eq!(
            c.product.product_name().as_deref(),
            Some("Microsoft 365 Apps (Monthly Enterprise Channel)")
        );
        assert_eq!(c.product.shared(), Shared::Supported);
    }

    #[test]
    fn hosts() {
        assert!(is_online_host("outlook.office365.com"));
        assert!(is_online_host("EUR.Outlook.Office365.com"));
        assert!(!is_online_host("notoutlook.com"));
        assert!(!is_online_host("mail.fabrikam.com"));
        // Sovereign clouds (Microsoft's endpoint lists).
        for (host, cloud) in [
            (
                "outlook.office365.us",
                "Microsoft 365 U.S. Government GCC High",
            ),
            (
                "outlook-dod.office365.us",
                "Microsoft 365 U.S. Government DoD",
            ),
            ("webmail.apps.mil", "Microsoft 365 U.S. Government DoD"),
            ("partner.outlook.cn", "Microsoft 365 operated by 21Vianet"),
            (
                "X.Partner.Outlook.CN.",
                "Microsoft 365 operated by 21Vianet",
            ),
            ("outlook.office.com", "Microsoft 365 worldwide"),
        ] {
            assert_eq!(online_cloud(host), Some(cloud), "{host}");
        }
        // Look-alikes stay on-premises.
        for host in [
            "outlook.office365.us.evil.test",
            "notoutlook.office365.com",
            "notoutlook.office365.us",
            "evilpartner.outlook.cn",
            "outlook.cn",
            "office365.us",
            "apps.mil",
            "webmail.apps.mil.evil.test",
            ".outlook.com",
            "",
        ] {
            assert!(!is_online_host(host), "{host}");
        }
    }
}

/// The longest duration an option or a bundle may give: 100 years of
/// 365.25 days. Longer is a mistake, and near chrono's limits time
/// arithmetic would overflow.
pub const MAX_DURATION_SECONDS: i64 = 3_155_760_000;

/// A duration option (`90s`, `2m`, `1h`, `1h 30m`: humantime's syntax),
/// from zero to [`MAX_DURATION_SECONDS`]; the error is worded for people.
pub fn parse_duration(s: &str) -> Result<chrono::TimeDelta, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| format!("{e}; expected a duration such as 90s, 2m or 1h"))?;
    if d.as_secs() > MAX_DURATION_SECONDS as u64 {
        return Err("longer than 100 years; expected a duration such as 90s, 2m or 1h".into());
    }
    chrono::TimeDelta::from_std(d)
        .map_err(|_| "longer than 100 years; expected a duration such as 90s, 2m or 1h".into())
}

/// A recorded `stuck_after_seconds` within 0 to [`MAX_DURATION_SECONDS`].
pub fn stuck_after_from_seconds(s: i64) -> Option<chrono::TimeDelta> {
    (0..=MAX_DURATION_SECONDS)
        .contains(&s)
        .then(|| chrono::TimeDelta::try_seconds(s))
        .flatten()
}

#[cfg(test)]
mod duration_tests {
    use super::*;

    #[test]
    fn durations_are_bounded_and_worded() {
        assert_eq!(parse_duration("2m").unwrap().num_seconds(), 120);
        let e = parse_duration("1000000years").unwrap_err();
        assert!(e.contains("longer than 100 years"), "{e}");
        assert!(parse_duration("99years").is_ok());
        assert!(parse_duration("x").unwrap_err().contains("such as 90s"));
        assert!(stuck_after_from_seconds(i64::MAX).is_none());
        assert!(stuck_after_from_seconds(-1).is_none());
        assert_eq!(
            stuck_after_from_seconds(60),
            Some(chrono::TimeDelta::seconds(60))
        );
    }
}
