//! Client builds (`16.0.B.R`) and the thresholds the product doc names.
//!
//! Sources: "Enable or Disable Offline Instant Messaging (IM) in Skype for Business Server"
//! (Microsoft Learn: `16.0.6701.1000`, `16.0.6920.1000` for on-premises
//! mailboxes, the Drafts fix of 6/14/2016) and the Office 2016 release
//! notes for the channel builds (`docs/landscape.md`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A four-part Office build such as `16.0.6965.2058`, compared numerically
/// part by part (`16.0.10730.20304` > `16.0.6965.2058`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClientBuild {
    pub major: u32,
    pub minor: u32,
    pub build: u32,
    pub revision: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{input}` is not a client build: expected four numbers like 16.0.6965.2058")]
pub struct BuildParseError {
    pub input: String,
}

impl ClientBuild {
    pub const fn new(major: u32, minor: u32, build: u32, revision: u32) -> Self {
        Self {
            major,
            minor,
            build,
            revision,
        }
    }
}

/// The first build with Offline IM (the Offline IM doc above).
pub const OFFLINE_IM_MIN: ClientBuild = ClientBuild::new(16, 0, 6701, 1000);
/// The first build with Offline IM for a mailbox in Exchange on-premises (the Offline IM doc above).
pub const OFFLINE_IM_MIN_ON_PREMISES: ClientBuild = ClientBuild::new(16, 0, 6920, 1000);
/// The first Click-to-Run build after the 6/14/2016 Drafts-folder fix
/// (Current / First Release for Deferred 1605, Office release notes).
pub const DRAFTS_FIX: ClientBuild = ClientBuild::new(16, 0, 6965, 2058);

impl FromStr for ClientBuild {
    type Err = BuildParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || BuildParseError {
            input: s.to_string(),
        };
        let mut parts = s.trim().split('.');
        let mut next = || -> Result<u32, BuildParseError> {
            let p = parts.next().ok_or_else(err)?;
            if p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            p.parse().map_err(|_| err())
        };
        let b = ClientBuild::new(next()?, next()?, next()?, next()?);
        if parts.next().is_some() {
            return Err(err());
        }
        Ok(b)
    }
}

impl fmt::Display for ClientBuild {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}",
            self.major, self.minor, self.build, self.revision
        )
    }
}

impl Serialize for ClientBuild {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClientBuild {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The day of the fix for offline messages filling the Drafts folder
/// ("6/14/2016" on Microsoft's page), shipped in [`DRAFTS_FIX`].
pub const DRAFTS_FIX_DATE: (i32, u32, u32) = (2016, 6, 14);

/// What the Office 2016 release notes say about a build's channel, where
/// it matters for Offline IM (`docs/landscape.md`). Words come from the
/// catalogue (`note-*`); builds and dates are typed values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelNote {
    /// 16.0.4xxx: the MSI release of Office 2016.
    Msi2016,
    /// 16.0.6741: Deferred 1602, no Offline messages.
    Deferred1602,
    /// Before Current 1605 (16.0.6965.2053).
    BeforeCurrent1605,
    /// 16.0.6965.2053: Current 1605, before the Drafts fix.
    Current1605BeforeDraftsFix,
    /// 16.0.6965.2058: the build with the Drafts fix.
    DraftsFix,
    /// Before Current 1608: saved chat history shows as drafts.
    BeforeCurrent1608,
    /// Before Current 1609: the Exchange connection lost after a move.
    BeforeCurrent1609,
    /// Before Current 1611: no unread count for missed offline IMs.
    BeforeCurrent1611,
}

fn day(y: i32, m: u32, d: u32) -> crate::i18n::Arg {
    crate::i18n::Arg::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn build(b: ClientBuild) -> crate::i18n::Arg {
    crate::i18n::Arg::Build(b.to_string())
}

impl ChannelNote {
    /// The note as a catalogue message.
    pub fn msg(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        let (y, m, d) = DRAFTS_FIX_DATE;
        match self {
            ChannelNote::Msi2016 => Msg::new("note-msi-2016"),
            ChannelNote::Deferred1602 => Msg::new("note-deferred-1602")
                .with("first", build(ClientBuild::new(16, 0, 6965, 2092)))
                .with("date", day(2016, 10, 11)),
            ChannelNote::BeforeCurrent1605 => Msg::new("note-before-current-1605")
                .with("first", build(ClientBuild::new(16, 0, 6965, 2053)))
                .with("date", day(2016, 6, 6)),
            ChannelNote::Current1605BeforeDraftsFix => Msg::new("note-current-1605")
                .with("build", build(ClientBuild::new(16, 0, 6965, 2053)))
                .with("date", day(2016, 6, 6))
                .with("fix", day(y, m, d)),
            ChannelNote::DraftsFix => Msg::new("note-drafts-fix")
                .with("build", build(DRAFTS_FIX))
                .with("date", day(y, m, d)),
            ChannelNote::BeforeCurrent1608 => Msg::new("note-before-current-1608")
                .with("current-1608", build(ClientBuild::new(16, 0, 7341, 2032)))
                .with("current-1609", build(ClientBuild::new(16, 0, 7369, 2054))),
            ChannelNote::BeforeCurrent1609 => Msg::new("note-before-current-1609")
                .with("current-1609", build(ClientBuild::new(16, 0, 7369, 2054))),
            ChannelNote::BeforeCurrent1611 => Msg::new("note-before-current-1611")
                .with("current-1611", build(ClientBuild::new(16, 0, 7571, 2072))),
        }
    }
}

/// What the release notes say about build `b`'s channel, if anything.
pub fn channel_note(b: ClientBuild) -> Option<ChannelNote> {
    if b.major != 16 || b.minor != 0 {
        return None;
    }
    match b.build {
        4000..=4999 => Some(ChannelNote::Msi2016),
        6741 => Some(ChannelNote::Deferred1602),
        6965 if b.revision < 2053 => Some(ChannelNote::BeforeCurrent1605),
        6965 if b.revision < 2058 => Some(ChannelNote::Current1605BeforeDraftsFix),
        6965 if b.revision < 2092 => Some(ChannelNote::DraftsFix),
        6966..=7340 => Some(ChannelNote::BeforeCurrent1608),
        7341..=7368 => Some(ChannelNote::BeforeCurrent1609),
        7369..=7570 => Some(ChannelNote::BeforeCurrent1611),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_numerically_per_part() {
        let a: ClientBuild = "16.0.10730.20304".parse().unwrap();
        let b: ClientBuild = "16.0.6965.2058".parse().unwrap();
        assert!(a > b);
        assert!("16.0.6701.999".parse::<ClientBuild>().unwrap() < OFFLINE_IM_MIN);
        assert_eq!(a.to_string(), "16.0.10730.20304");
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "16",
            "16.0.1",
            "16.0.1.2.3",
            "16.0.x.1",
            "16.0.-1.2",
            "16..1.2",
            "99999999999.0.0.0",
        ] {
            assert!(s.parse::<ClientBuild>().is_err(), "{s}");
        }
    }

    #[test]
    fn deferred_1602_is_explained() {
        let n = channel_note("16.0.6741.2048".parse().unwrap()).unwrap();
        assert_eq!(n, ChannelNote::Deferred1602);
        let en = crate::i18n::text(crate::i18n::Lang::En, &n.msg());
        assert!(en.contains("Deferred channel version 1602"), "{en}");
    }
}
