//! Reason codes: every check result carries one stable kebab-case code that
//! says which outcome it is (cargo-deny's diagnostic codes). Scripts, ticket
//! systems and `aggregate` read the code, never re-derive a check from its
//! summary or from thresholds. `checks --format json` lists them all; a
//! snapshot test pins the list, so a code can never change silently.
//!
//! Never rename or remove a code; add new ones under their check.

use strum::EnumMessage;

use crate::model::CheckId;

/// Combines the per-check code enums into one [`Code`]: the check a code
/// belongs to follows from its type, and its text (kebab-case) from the
/// per-check enum, so no hand-kept table maps codes to checks.
macro_rules! reason_codes {
    ($($check:ident: $ty:ident { $($v:ident),* $(,)? }),* $(,)?) => {
        /// One reason code, of the check its variant names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($check($ty)),*
        }

        impl Code {
            /// The check that gives this code.
            pub fn check(self) -> CheckId {
                match self {
                    $(Code::$check(_) => CheckId::$check),*
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$check(c) => c.into()),*
                }
            }

            /// What the code means, for `checks` and the docs.
            pub fn description(self) -> &'static str {
                match self {
                    $(Code::$check(c) => c.get_message().unwrap_or("")),*
                }
            }

            /// Every code, check by check in report order, each check's in
            /// declaration order.
            pub fn iter() -> impl Iterator<Item = Code> {
                std::iter::empty()
                    $(.chain(<$ty as strum::IntoEnumIterator>::iter().map(Code::$check)))*
            }
        }

        $(
            impl From<$ty> for Code {
                fn from(c: $ty) -> Code {
                    Code::$check(c)
                }
            }
        )*
    };
}

pub use crate::checks::client_build::ClientBuildCode;

pub use crate::checks::client_install::ClientInstallCode;

pub use crate::checks::spooler_stuck::SpoolerStuckCode;

pub use crate::checks::im_auto_archiving::ImAutoArchivingCode;

pub use crate::checks::server_offline_im::ServerOfflineImCode;

pub use crate::checks::client_logs::ClientLogsCode;
pub use crate::checks::ews_access::EwsAccessCode;
pub use crate::checks::offline_im_activity::OfflineImActivityCode;

pub use crate::checks::drafts_known_issue::DraftsKnownIssueCode;

pub use crate::checks::client_support::ClientSupportCode;

pub use crate::checks::exchange_online_ews::ExchangeOnlineEwsCode;

pub use crate::checks::ews_reachability::EwsReachabilityCode;

pub use crate::checks::recipients::OfflineImRecipientsCode;

reason_codes! {
    ClientBuild: ClientBuildCode { BuildUnknown, BuildLync2013, BuildBelowMinimum, BuildBelowOnpremThreshold, BuildOnpremThresholdMailboxUnknown, BuildSupported },
    ClientInstall: ClientInstallCode { InstallMsi, InstallClickToRun, InstallUnknown },
    SpoolerStuck: SpoolerStuckCode { SpoolerStuck, SpoolerInFlight, SpoolerEmpty, SpoolerAbsent, SpoolerUnreadable },
    ImAutoArchiving: ImAutoArchivingCode { ArchivingDisabled, ArchivingNoSource, ArchivingEnabled, ArchivingPolicyAssignmentUnknown, ArchivingAssignedPolicyNotPasted, ArchivingPolicyConflict },
    ServerOfflineIm: ServerOfflineImCode { ServerOfflineImDisabled, ServerConfigNotGiven, ServerImConfigurationMissing, ServerOfflineImEnabled },
    EwsAccess: EwsAccessCode { EwsNoLogs, EwsRequestsFailing, EwsUrlNotSeen, EwsOk, EwsAuthHandshakeOnly, EwsRecovered, EwsRequestsRefused, EwsThrottled },
    OfflineImActivity: OfflineImActivityCode { OfflineNoLogs, OfflineFailures, OfflineEvents, OfflineNoTextEvents },
    ClientLogs: ClientLogsCode { LogsRead, LogsMissing, LogsUnreadable, LogsTracingOff, LogsPartlyUnreadable },
    DraftsKnownIssue: DraftsKnownIssueCode { DraftsBuildUnknown, DraftsAffected, DraftsFixed, DraftsOnlineNotAffected, DraftsMailboxUnknown },
    ClientSupport: ClientSupportCode { SupportEnded, SupportCurrent, SupportProductsDisagree, SupportProductUnknown, SupportM365ConnectivityEnded },
    ExchangeOnlineEws: ExchangeOnlineEwsCode { ExoMailboxUnknown, ExoOnPremises, ExoBeforeBlock, ExoEwsRetired, ExoEwsDisabled, ExoClientNotAllowed, ExoEwsFailingAfterBlock, ExoEwsWorking, ExoTenantChoiceUnknown, ExoAllowedAppIdsEmpty, ExoPolicyReasonDisabled, ExoPolicyReasonBlocked, ExoPolicyReasonOther, ExoStatusWithoutPolicyReason, ExoAppIdsNotRetrieved, ExoOfficeAppIdNotListed, ExoOrgEwsUnset },
    EwsReachability: EwsReachabilityCode { ProbeNotRun, ProbeNothingToProbe, ProbeEwsAnswered, ProbeAutodiscoverFailed, ProbeEwsNameNotFound, ProbeEwsConnectFailed, ProbeEwsTimedOut, ProbeEwsProxyRefused, ProbeEwsCertificateUntrusted, ProbeEwsCertificateWrongName, ProbeEwsCertificateExpired, ProbeEwsServerError, ProbeEwsUnreachable, ProbeAutodiscoverOnlyAnswered, ProbeAutodiscoverOnlyFailed },
    OfflineImRecipients: OfflineImRecipientsCode { RecipientsSameOrg, RecipientsFederated, RecipientsNoneSeen },
}

impl Code {
    /// Every code of one check, in declaration order.
    pub fn of(check: CheckId) -> impl Iterator<Item = Code> {
        Code::iter().filter(move |c| c.check() == check)
    }
}

impl std::str::FromStr for Code {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Code::iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown reason code {s:?}"))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<&str> = Code::iter().map(Code::as_str).collect();
        schemars::json_schema!({ "type": "string", "enum": codes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_is_kebab_case_described_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::iter() {
            let s = c.as_str();
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{s}"
            );
            assert!(!c.description().is_empty(), "{s} has no description");
            assert!(seen.insert(s), "{s} twice");
            assert_eq!(s.parse::<Code>().ok(), Some(c));
        }
    }

    #[test]
    fn every_check_has_codes() {
        for id in CheckId::iter() {
            assert!(Code::of(id).next().is_some(), "{id} has no code");
        }
    }
}
