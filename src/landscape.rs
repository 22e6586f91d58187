//! The late-2026 landscape as data: which product ships this Skype for
//! Business client and until when it is supported, and the dates of the EWS
//! shutdown in Exchange Online. The facts and their public sources live in
//! `data/landscape.toml` (embedded at build time); `docs/landscape.md` is the
//! version for people. Nothing here prints, reads the clock or touches a file:
//! callers pass `now` and what they saw.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use crate::client_build::ClientBuild;
use crate::terms::InstallType;

/// The embedded data file.
pub const LANDSCAPE_TOML: &str = include_str!("../data/landscape.toml");

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Landscape {
    pub ews: Ews,
    #[serde(rename = "product")]
    pub products: Vec<Product>,
    #[serde(rename = "channel")]
    pub channels: Vec<Channel>,
    pub channels_source: SourceText,
    pub serviced: Vec<Serviced>,
    pub serviced_source: SourceText,
    pub m365_connectivity: M365Connectivity,
    pub exchange_online: ExchangeOnline,
}

/// Exchange Online's hosts, per cloud, with their sources.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeOnline {
    /// The day the hosts were looked up.
    pub checked: NaiveDate,
    #[serde(rename = "host")]
    pub hosts: Vec<ExchangeOnlineHost>,
}

/// One Exchange Online host name; names under it (`eur.outlook.office365.com`,
/// `x.partner.outlook.cn`) belong to it too.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeOnlineHost {
    pub host: String,
    /// Short cloud id: `worldwide`, `gcc-high`, `dod`, `21vianet`.
    pub cloud: String,
    /// The cloud as Microsoft names it (shown in evidence).
    pub cloud_name: String,
    pub source: String,
}

impl ExchangeOnline {
    /// The Exchange Online host entry a host name falls under: the name
    /// itself or a name ending in `.` plus it (lower case, trailing dot
    /// ignored). `None`: not Exchange Online (on-premises).
    pub fn host_entry(&self, host: &str) -> Option<&ExchangeOnlineHost> {
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        self.hosts.iter().find(|h| {
            host == h.host
                || host
                    .strip_suffix(h.host.as_str())
                    .is_some_and(|rest| rest.ends_with('.') && rest.len() > 1)
        })
    }
}

/// When Office 2016/2019-era clients stopped being supported for connecting
/// to Microsoft 365 services (Exchange Online included).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct M365Connectivity {
    pub office_2016_2019_end: Option<NaiveDate>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceText {
    pub text: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ews {
    /// Tenants that had not kept EWS were blocked from this day.
    pub block_from: NaiveDate,
    /// From this day `EwsEnabled` True needs a non-empty `EwsAllowedAppIDs`.
    pub app_ids_required_from: NaiveDate,
    /// EWS in Exchange Online off for good.
    pub end: NaiveDate,
    pub allow_list_deadline: NaiveDate,
    /// The HTTP statuses from Exchange Online that can point at the retirement.
    pub retirement_statuses: Vec<u16>,
    /// Days of Message Center notice before a Null tenant is switched to False.
    pub null_notice_days: u32,
    pub announcement: String,
    pub sources: Vec<String>,
    pub settings: EwsSettingsNames,
    pub blocked_response: BlockedResponse,
    pub throttling: EwsThrottling,
}

/// How Exchange answers a throttled EWS request ("EWS throttling in Exchange").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EwsThrottling {
    /// HTTP statuses that mean queued/busy by themselves (503).
    pub statuses: Vec<u16>,
    /// The code an HTTP 500 carries when it is throttling.
    pub busy_code: String,
    /// `ResponseCode`s that mean throttling or a concurrency limit.
    pub codes: Vec<String>,
    pub sources: Vec<String>,
}

impl EwsThrottling {
    /// The throttling code among `codes`, if any.
    pub fn throttling_code<'a>(&self, codes: &'a [String]) -> Option<&'a str> {
        codes
            .iter()
            .find(|c| self.codes.iter().any(|t| t.eq_ignore_ascii_case(c)))
            .map(String::as_str)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EwsSettingsNames {
    pub organization_cmdlet: String,
    pub mailbox_cmdlet: String,
    pub retrieve_switch: String,
    pub enabled_property: String,
    pub access_policy_property: String,
    pub allow_list_property: String,
    pub block_list_property: String,
    pub app_allow_list_property: String,
    pub app_allow_list_sources: Vec<String>,
    pub policy_sources: Vec<String>,
    pub client_user_agent_patterns: Vec<String>,
    pub client_user_agent_source: String,
    pub office_app_id: String,
    pub office_app_id_source: String,
    pub client_app_id_unsettled: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockedResponse {
    pub status: u16,
    /// The response header that proves the block.
    pub header: String,
    /// Its value when `EwsEnabled` blocks.
    pub disabled_reason: String,
    /// Its value when an application access policy blocks.
    pub blocked_reason: String,
    pub sources: Vec<String>,
    pub unsettled: String,
}

/// How a product is installed, as the data file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProductInstall {
    Any,
    Msi,
    ClickToRun,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub install: ProductInstall,
    pub release_ids: Vec<String>,
    pub channels: Vec<String>,
    pub majors: Vec<u32>,
    /// Inclusive ranges of the third build part; empty: any build of `majors`.
    pub builds: Vec<[u32; 2]>,
    /// A build in these ranges belongs to this product alone.
    #[serde(default)]
    pub exclusive: bool,
    /// None: supported while its channel services the version ([`Serviced`]).
    #[serde(default)]
    pub support_ends: Option<NaiveDate>,
    /// The end of support for connecting to Microsoft 365 services, where
    /// the connectivity table gives one.
    #[serde(default)]
    pub m365_connectivity_ends: Option<NaiveDate>,
    pub sources: Vec<String>,
}

impl Product {
    fn has_build(&self, b: ClientBuild) -> bool {
        self.majors.contains(&b.major)
            && (self.builds.is_empty()
                || self
                    .builds
                    .iter()
                    .any(|[lo, hi]| (*lo..=*hi).contains(&b.build)))
    }

    fn fits_install(&self, install: InstallType) -> bool {
        match (self.install, install) {
            (ProductInstall::Any, _) | (_, InstallType::Unknown) => true,
            (ProductInstall::Msi, i) => i == InstallType::Msi,
            (ProductInstall::ClickToRun, i) => i == InstallType::ClickToRun,
        }
    }

    fn has_release_id(&self, id: &str) -> bool {
        self.release_ids.iter().any(|r| r.eq_ignore_ascii_case(id))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub name: String,
    pub guid: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Serviced {
    pub channel: String,
    pub as_of: NaiveDate,
    pub oldest_version: String,
    pub oldest_build: String,
}

impl Landscape {
    /// Parses the data file (the embedded one in [`landscape`]).
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    /// The channel name for an `UpdateChannel` / `CDNBaseUrl` value (a URL
    /// ending in the GUID, or a bare GUID, braces allowed).
    pub fn channel_name(&self, value: &str) -> Option<&str> {
        let last = value
            .trim()
            .trim_end_matches(['/', '\\'])
            .rsplit(['/', '\\'])
            .next()?
            .trim_matches(['{', '}']);
        self.channels
            .iter()
            .find(|c| c.guid.eq_ignore_ascii_case(last))
            .map(|c| c.name.as_str())
    }

    /// The servicing facts for a Microsoft 365 Apps channel; previews and
    /// Beta are judged like the channel they lead. `None` for an unknown or
    /// missing channel.
    fn serviced_for(&self, channel: &str) -> Option<&Serviced> {
        let base = match channel {
            "Current Preview" | "Beta" => "Current",
            "Semi-Annual Preview" => "Semi-Annual",
            other => other,
        };
        self.serviced.iter().find(|s| s.channel == base)
    }
}

/// The embedded landscape, parsed once. The file is part of the source and
/// checked by a unit test: a failure is a build defect, not bad input.
pub fn landscape() -> &'static Landscape {
    static DATA: LazyLock<Landscape> = LazyLock::new(|| {
        Landscape::parse(LANDSCAPE_TOML).expect("the embedded data/landscape.toml is valid")
    });
    &DATA
}

/// What was seen about the installed client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientSeen {
    /// `ProductReleaseIds` from the Click-to-Run registry, split on commas.
    pub release_ids: Vec<String>,
    /// The channel name ([`Landscape::channel_name`]).
    pub channel: Option<String>,
    pub build: Option<ClientBuild>,
    pub install: InstallType,
}

/// Where one candidate stands at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Support {
    /// Supported until (and including the day before) `ends`.
    Until(NaiveDate),
    /// Support ended on `0`.
    Ended(NaiveDate),
    /// A Microsoft 365 Apps build its channel still serviced on `as_of`
    /// (whether it still is cannot be told from the data).
    ServicedAsOf { as_of: NaiveDate },
    /// A Microsoft 365 Apps build older than every version its channel (or,
    /// channel unknown, any channel) serviced on `as_of`.
    NotServiced { as_of: NaiveDate, oldest: String },
    /// Nothing to judge by (no build for a Microsoft 365 Apps install).
    Unknown,
}

impl Support {
    pub fn is_supported(&self) -> Option<bool> {
        match self {
            Support::Until(_) | Support::ServicedAsOf { .. } => Some(true),
            Support::Ended(_) | Support::NotServiced { .. } => Some(false),
            Support::Unknown => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub product: &'static Product,
    /// The display name, with the channel for Microsoft 365 Apps.
    pub name: String,
    pub support: Support,
}

/// What the landscape says about this client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identification {
    /// Every product the facts leave open.
    pub candidates: Vec<Candidate>,
    /// How the candidates were found, for evidence.
    pub how: Vec<String>,
}

/// The verdict on what all candidates share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    /// No candidate, or no candidate can be judged.
    Unknown,
    /// Every candidate is supported.
    Supported,
    /// Every candidate is past its support.
    Ended,
    /// Candidates disagree.
    Disagree,
}

impl Candidate {
    /// An Office 2016/2019-era client: its Microsoft 365 connectivity ended
    /// with Office 2016/2019's (2023-10-10), or a Microsoft 365 Apps build
    /// that no channel services.
    pub fn office_2016_2019_era(&self, l: &Landscape) -> bool {
        let era = l.m365_connectivity.office_2016_2019_end;
        (era.is_some() && self.product.m365_connectivity_ends == era)
            || matches!(self.support, Support::NotServiced { .. })
    }
}

impl Identification {
    /// The one product, when the facts name exactly one.
    pub fn product(&self) -> Option<&Candidate> {
        match self.candidates.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The product name for `client.product`, when exactly one.
    pub fn product_name(&self) -> Option<String> {
        self.product().map(|c| c.name.clone())
    }

    /// The support end date for `client.support_ends`, when exactly one
    /// product with a fixed date.
    pub fn support_ends(&self) -> Option<NaiveDate> {
        self.product().and_then(|c| c.product.support_ends)
    }

    /// What every candidate shares: judged only when all agree.
    pub fn shared(&self) -> Shared {
        let verdicts: Vec<Option<bool>> = self
            .candidates
            .iter()
            .map(|c| c.support.is_supported())
            .collect();
        if verdicts.is_empty() || verdicts.iter().any(Option::is_none) {
            return Shared::Unknown;
        }
        if verdicts.iter().all(|v| *v == Some(true)) {
            Shared::Supported
        } else if verdicts.iter().all(|v| *v == Some(false)) {
            Shared::Ended
        } else {
            Shared::Disagree
        }
    }
}

/// The Microsoft 365 Apps channel label, as Microsoft names them.
fn channel_label(channel: &str) -> String {
    match channel {
        "Current" | "Monthly Enterprise" | "Semi-Annual" | "Beta" => {
            let name = if channel == "Semi-Annual" {
                "Semi-Annual Enterprise"
            } else {
                channel
            };
            format!("{name} Channel")
        }
        "Current Preview" => "Current Channel (Preview)".into(),
        "Semi-Annual Preview" => "Semi-Annual Enterprise Channel (Preview)".into(),
        other => other.to_string(),
    }
}

impl Landscape {
    /// Which products the facts leave open, each judged at `now`.
    pub fn identify(&'static self, seen: &ClientSeen, now: DateTime<Utc>) -> Identification {
        let mut how = Vec::new();
        let mut pool: Vec<&'static Product> = Vec::new();

        // 1. ProductReleaseIds name the product; a dedicated Skype for
        //    Business product is the one that ships lync.exe when a suite is
        //    installed beside it.
        if !seen.release_ids.is_empty() {
            pool = self
                .products
                .iter()
                .filter(|p| seen.release_ids.iter().any(|r| p.has_release_id(r)))
                .collect();
            let dedicated: Vec<_> = pool
                .iter()
                .copied()
                .filter(|p| {
                    seen.release_ids
                        .iter()
                        .any(|r| p.has_release_id(r) && r.to_ascii_lowercase().starts_with("skype"))
                })
                .collect();
            if !dedicated.is_empty() {
                pool = dedicated;
            }
            how.push(format!(
                "ProductReleaseIds {}{}",
                seen.release_ids.join(","),
                if pool.is_empty() {
                    " names no product that ships Skype for Business in this tool's data"
                } else {
                    ""
                }
            ));
        }
        // 2. A perpetual-volume channel names its product.
        if pool.is_empty()
            && let Some(ch) = &seen.channel
        {
            let by_channel: Vec<_> = self
                .products
                .iter()
                .filter(|p| p.channels.iter().any(|c| c == ch))
                .collect();
            if by_channel.len() == 1 {
                how.push(format!("update channel {ch}"));
                pool = by_channel;
            }
        }
        // 3. The build (and install type, channel) narrows or decides.
        if let Some(b) = seen.build {
            let by_build = |p: &&'static Product| p.has_build(b);
            if pool.is_empty() {
                let exclusive: Vec<_> = self
                    .products
                    .iter()
                    .filter(|p| p.exclusive && p.has_build(b) && p.fits_install(seen.install))
                    .collect();
                pool = if exclusive.is_empty() {
                    self.products
                        .iter()
                        .filter(|p| p.has_build(b) && p.fits_install(seen.install))
                        .filter(|p| {
                            seen.channel
                                .as_ref()
                                .is_none_or(|ch| p.channels.iter().any(|c| c == ch))
                        })
                        .collect()
                } else {
                    exclusive
                };
                how.push(format!("build {b}"));
            } else {
                let narrowed: Vec<_> = pool.iter().copied().filter(by_build).collect();
                if !narrowed.is_empty() && narrowed.len() < pool.len() {
                    how.push(format!("build {b}"));
                    pool = narrowed;
                }
            }
        }

        let candidates = pool.into_iter().map(|p| self.judge(p, seen, now)).collect();
        Identification { candidates, how }
    }

    fn judge(&self, p: &'static Product, seen: &ClientSeen, now: DateTime<Utc>) -> Candidate {
        let today = now.date_naive();
        if let Some(ends) = p.support_ends {
            let support = if today < ends {
                Support::Until(ends)
            } else {
                Support::Ended(ends)
            };
            return Candidate {
                product: p,
                name: p.name.clone(),
                support,
            };
        }
        // Follows its channel's servicing.
        let channel = seen
            .channel
            .as_deref()
            .filter(|c| p.channels.iter().any(|pc| pc == c));
        let name = match channel {
            Some(c) => format!("{} ({})", p.name, channel_label(c)),
            None => p.name.clone(),
        };
        let oldest = |s: &Serviced| s.oldest_build.parse::<ClientBuild>().ok();
        let floor: Option<(ClientBuild, &Serviced)> =
            match channel.and_then(|c| self.serviced_for(c)) {
                Some(s) => oldest(s).map(|b| (b, s)),
                // Channel unknown: older than the oldest version any channel services.
                None => self
                    .serviced
                    .iter()
                    .filter_map(|s| oldest(s).map(|b| (b, s)))
                    .min_by_key(|(b, _)| *b),
            };
        let support = match (seen.build, floor) {
            (Some(b), Some((min, s))) if b < min => Support::NotServiced {
                as_of: s.as_of,
                oldest: format!("{} ({})", s.oldest_version, s.oldest_build),
            },
            (Some(_), Some((_, s))) => Support::ServicedAsOf { as_of: s.as_of },
            _ => Support::Unknown,
        };
        Candidate {
            product: p,
            name,
            support,
        }
    }
}

/// Where the EWS shutdown stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EwsPhase {
    /// Before the October 2026 block: EWS works unless a tenant turned it off.
    BeforeBlock,
    /// Between the block and the end: only tenants that kept EWS have it.
    Blocking,
    /// EWS in Exchange Online is off for good.
    Ended,
}

impl Ews {
    pub fn phase(&self, now: DateTime<Utc>) -> EwsPhase {
        let today = now.date_naive();
        if today >= self.end {
            EwsPhase::Ended
        } else if today >= self.block_from {
            EwsPhase::Blocking
        } else {
            EwsPhase::BeforeBlock
        }
    }

    /// Whether a moment is on or after the block date.
    pub fn after_block(&self, t: DateTime<Utc>) -> bool {
        t.date_naive() >= self.block_from
    }

    /// Whether `EwsEnabled` True needs an `EwsAllowedAppIDs` list at `now`.
    pub fn app_ids_required(&self, now: DateTime<Utc>) -> bool {
        now.date_naive() >= self.app_ids_required_from
    }

    /// Whether an HTTP status from Exchange Online can point at the retirement.
    pub fn may_be_retirement(&self, status: u16) -> bool {
        self.retirement_statuses.contains(&status)
    }

    /// What an `X-EWS-Policy-Reason` value says, `None` when it is neither
    /// documented value (compared case-insensitively, trailing dot allowed).
    pub fn policy_reason(&self, value: &str) -> Option<PolicyReason> {
        let v = value.trim().trim_end_matches('.').trim();
        let r = &self.blocked_response;
        if v.eq_ignore_ascii_case(&r.disabled_reason) {
            Some(PolicyReason::Disabled)
        } else if v.eq_ignore_ascii_case(&r.blocked_reason) {
            Some(PolicyReason::BlockedByPolicy)
        } else {
            None
        }
    }
}

/// The two documented values of `X-EWS-Policy-Reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyReason {
    /// `EwsEnabled` (organisation or mailbox) blocks.
    Disabled,
    /// `EwsAllowedAppIDs` or the user-agent lists block.
    BlockedByPolicy,
}

/// Does one `EwsAllowList` / `EwsBlockList` pattern (user agent, `*` as a
/// wildcard, compared case-insensitively) match a user agent?
pub fn user_agent_matches(pattern: &str, agent: &str) -> bool {
    let p = pattern.trim().to_ascii_lowercase();
    let a = agent.to_ascii_lowercase();
    let parts: Vec<&str> = p.split('*').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return a == p;
    }
    if !a.starts_with(first) || !a.ends_with(last) || a.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &a[first.len()..a.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn seen(
        ids: &[&str],
        channel: Option<&str>,
        build: Option<&str>,
        install: InstallType,
    ) -> ClientSeen {
        ClientSeen {
            release_ids: ids.iter().map(|s| s.to_string()).collect(),
            channel: channel.map(str::to_string),
            build: build.map(|b| b.parse().unwrap()),
            install,
        }
    }

    #[test]
    fn embedded_data_loads_and_every_fact_has_a_source() {
        let l = Landscape::parse(LANDSCAPE_TOML).unwrap();
        // The dates drive the phase at their boundaries: the day before a
        // date is the phase before it, the date itself the phase after.
        let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap().and_utc();
        let just_before = |d| midnight(d) - chrono::Duration::seconds(1);
        assert_eq!(
            l.ews.phase(just_before(l.ews.block_from)),
            EwsPhase::BeforeBlock
        );
        assert_eq!(l.ews.phase(midnight(l.ews.block_from)), EwsPhase::Blocking);
        assert_eq!(l.ews.phase(just_before(l.ews.end)), EwsPhase::Blocking);
        assert_eq!(l.ews.phase(midnight(l.ews.end)), EwsPhase::Ended);
        assert!(
            !l.ews
                .app_ids_required(just_before(l.ews.app_ids_required_from))
        );
        assert!(
            l.ews
                .app_ids_required(midnight(l.ews.app_ids_required_from))
        );
        assert!(
            l.ews.block_from < l.ews.app_ids_required_from
                && l.ews.app_ids_required_from < l.ews.end
        );
        assert!(l.ews.may_be_retirement(403) && !l.ews.may_be_retirement(503));
        assert_eq!(
            l.ews
                .policy_reason("EWS is disabled for this user or tenant."),
            Some(PolicyReason::Disabled)
        );
        assert_eq!(
            l.ews
                .policy_reason("ews is blocked by policy for this user or tenant"),
            Some(PolicyReason::BlockedByPolicy)
        );
        assert_eq!(l.ews.policy_reason("something else"), None);
        assert!(!l.ews.sources.is_empty() && !l.ews.blocked_response.sources.is_empty());
        for p in &l.products {
            assert!(!p.sources.is_empty(), "{} has no source", p.id);
        }
        for s in &l.serviced {
            assert!(
                s.oldest_build.parse::<ClientBuild>().is_ok(),
                "{}",
                s.channel
            );
        }
        assert!(!l.channels_source.text.is_empty() && !l.serviced_source.text.is_empty());
    }

    #[test]
    fn unknown_keys_are_refused() {
        let bad = LANDSCAPE_TOML.replace("block_from =", "blok_from =");
        assert!(Landscape::parse(&bad).unwrap_err().contains("blok_from"));
    }

    #[test]
    fn channels_by_guid() {
        let l = landscape();
        assert_eq!(
            l.channel_name(
                "http://officecdn.microsoft.com/pr/7983BAC0-E531-40CF-BE00-FD24FE66619C"
            ),
            Some("PerpetualVL2024")
        );
        assert_eq!(
            l.channel_name("{f2e724c1-748f-4b47-8fb8-8e0d210e9208}"),
            Some("PerpetualVL2019")
        );
        assert_eq!(l.channel_name("nothing"), None);
    }

    #[test]
    fn release_ids_name_the_product() {
        let now = at("2026-11-24T10:00:00Z");
        let id = landscape().identify(
            &seen(
                &["O365ProPlusRetail", "SkypeforBusiness2024Volume"],
                Some("PerpetualVL2024"),
                Some("16.0.17932.20638"),
                InstallType::ClickToRun,
            ),
            now,
        );
        assert_eq!(
            id.product_name().as_deref(),
            Some("Skype for Business LTSC 2024")
        );
        assert_eq!(id.support_ends().unwrap().to_string(), "2029-10-09");
        assert_eq!(id.shared(), Shared::Supported);

        let id = landscape().identify(
            &seen(
                &["ProPlusRetail"],
                Some("Current"),
                Some("16.0.7766.2047"),
                InstallType::ClickToRun,
            ),
            now,
        );
        assert_eq!(
            id.product_name().as_deref(),
            Some("Skype for Business 2016 (Click-to-Run)")
        );
        assert_eq!(id.shared(), Shared::Ended);

        let id = landscape().identify(
            &seen(
                &["O365ProPlusRetail"],
                Some("Current"),
                Some("16.0.20430.20092"),
                InstallType::ClickToRun,
            ),
            now,
        );
        assert_eq!(
            id.product_name().as_deref(),
            Some("Microsoft 365 Apps (Current Channel)")
        );
        assert_eq!(id.support_ends(), None);
        assert_eq!(id.shared(), Shared::Supported);

        let id = landscape().identify(
            &seen(
                &["O365ProPlusRetail"],
                Some("Semi-Annual"),
                Some("16.0.16130.20000"),
                InstallType::ClickToRun,
            ),
            now,
        );
        assert_eq!(id.shared(), Shared::Ended);
        assert!(matches!(
            id.candidates[0].support,
            Support::NotServiced { .. }
        ));
    }

    #[test]
    fn build_alone_gives_candidates_judged_on_what_they_share() {
        let l = landscape();
        let build_only = |b: &str, install| seen(&[], None, Some(b), install);
        // 2017 build: Microsoft 365 Apps (long out of service) or 2016 C2R (ended).
        let id = l.identify(
            &build_only("16.0.7766.2047", InstallType::Unknown),
            at("2026-11-24T00:00:00Z"),
        );
        assert_eq!(id.candidates.len(), 2, "{id:?}");
        assert_eq!(id.product_name(), None);
        assert_eq!(id.shared(), Shared::Ended);
        // The same build before 2016 C2R support ended: they disagree.
        let id = l.identify(
            &build_only("16.0.7766.2047", InstallType::Unknown),
            at("2025-01-01T00:00:00Z"),
        );
        assert_eq!(id.shared(), Shared::Disagree);
        // LTSC 2021 build range is its own.
        let id = l.identify(
            &build_only("16.0.14332.20176", InstallType::Unknown),
            at("2026-09-30T00:00:00Z"),
        );
        assert_eq!(
            id.product_name().as_deref(),
            Some("Skype for Business LTSC 2021")
        );
        assert_eq!(id.shared(), Shared::Supported);
        let id = l.identify(
            &build_only("16.0.14332.20176", InstallType::Unknown),
            at("2026-10-13T00:00:00Z"),
        );
        assert_eq!(id.shared(), Shared::Ended);
        // MSI.
        let id = l.identify(
            &build_only("16.0.4266.1001", InstallType::Msi),
            at("2026-11-24T00:00:00Z"),
        );
        assert_eq!(
            id.product_name().as_deref(),
            Some("Skype for Business 2016 (MSI)")
        );
        // A current build: Microsoft 365 Apps or retail 2016 C2R disagree.
        let id = l.identify(
            &build_only("16.0.20430.20092", InstallType::ClickToRun),
            at("2026-11-24T00:00:00Z"),
        );
        assert_eq!(id.shared(), Shared::Disagree);
        // Lync 2013.
        let id = l.identify(
            &build_only("15.0.5023.1000", InstallType::Unknown),
            at("2026-11-24T00:00:00Z"),
        );
        assert_eq!(id.product_name().as_deref(), Some("Lync 2013"));
        assert_eq!(id.shared(), Shared::Ended);
        // Nothing.
        let id = l.identify(&ClientSeen::default(), at("2026-11-24T00:00:00Z"));
        assert!(id.candidates.is_empty());
        assert_eq!(id.shared(), Shared::Unknown);
    }

    #[test]
    fn phases() {
        let e = &landscape().ews;
        assert_eq!(e.phase(at("2026-09-30T23:59:59Z")), EwsPhase::BeforeBlock);
        assert_eq!(e.phase(at("2026-10-01T00:00:00Z")), EwsPhase::Blocking);
        assert_eq!(e.phase(at("2027-03-31T12:00:00Z")), EwsPhase::Blocking);
        assert_eq!(e.phase(at("2027-04-01T00:00:00Z")), EwsPhase::Ended);
    }

    #[test]
    fn user_agent_patterns() {
        assert!(user_agent_matches("Lync*", "lync/16.0"));
        assert!(user_agent_matches(
            "*Skype*",
            "Microsoft Skype for Business"
        ));
        assert!(user_agent_matches("OC/16.0", "oc/16.0"));
        assert!(!user_agent_matches("Outlook*", "Lync"));
        assert!(!user_agent_matches("ab*ba", "aba"));
        assert!(user_agent_matches("*", "anything"));
    }
}
