//! `server-offline-im`: `EnableOfflineIm` in the pasted
//! `Get-CsImConfiguration` output (`--server-config`). Offline IM is a
//! client-side feature the server can switch off
//! (<https://learn.microsoft.com/skypeforbusiness/manage/im/enable-or-disable-offline-instant-messaging>).

use std::collections::{BTreeMap, HashMap};

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::{Context, Outcome, judged};
use crate::i18n::{Arg, Msg};
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};
use crate::sources::server_config::Setting;

/// The cmdlet whose output the check reads, and the one that changes it.
const GET_IM_CONFIGURATION: &str = "Get-CsImConfiguration";
const SET_IM_CONFIGURATION: &str = "Set-CsImConfiguration";
const ENABLE_OFFLINE_IM: &str = "EnableOfflineIm";

/// Reason codes of `server-offline-im`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    EnumMessage,
    EnumString,
    IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
pub enum ServerOfflineImCode {
    #[strum(message = "EnableOfflineIm is False in the pasted Get-CsImConfiguration")]
    ServerOfflineImDisabled,
    #[strum(message = "No --server-config given")]
    ServerConfigNotGiven,
    #[strum(message = "--server-config holds no Get-CsImConfiguration output")]
    ServerImConfigurationMissing,
    #[strum(message = "EnableOfflineIm is True or not set (default True)")]
    ServerOfflineImEnabled,
}

/// What the check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ServerOfflineImOutcome {
    /// No `--server-config`.
    NotGiven,
    /// The pasted files hold no IM configuration.
    NoImConfiguration { files: Vec<String> },
    /// `EnableOfflineIm` False in these configurations (identity, where).
    Disabled { identities: Vec<(String, String)> },
    /// True or not set everywhere; `unreadable` names configurations whose
    /// value could not be read.
    Enabled { unreadable: Vec<String> },
}

impl Outcome for ServerOfflineImOutcome {
    fn code(&self) -> Code {
        use ServerOfflineImCode as C;
        match self {
            Self::NotGiven => C::ServerConfigNotGiven,
            Self::NoImConfiguration { .. } => C::ServerImConfigurationMissing,
            Self::Disabled { .. } => C::ServerOfflineImDisabled,
            Self::Enabled { .. } => C::ServerOfflineImEnabled,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::NotGiven | Self::NoImConfiguration { .. } => Status::Skip,
            Self::Disabled { .. } => Status::Fail,
            Self::Enabled { .. } => Status::Pass,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        a.insert("cmdlet".into(), Arg::Cmdlet(GET_IM_CONFIGURATION.into()));
        a.insert("setting".into(), Arg::Code(ENABLE_OFFLINE_IM.into()));
        match self {
            Self::NotGiven => {}
            Self::NoImConfiguration { files } => {
                a.insert(
                    "files".into(),
                    Arg::List(files.iter().map(|f| Arg::Path(f.clone())).collect()),
                );
            }
            Self::Disabled { identities } => {
                a.insert("count".into(), Arg::Count(identities.len() as u64));
                a.insert(
                    "identities".into(),
                    Arg::List(
                        identities
                            .iter()
                            .map(|(i, _)| Arg::Code(i.clone()))
                            .collect(),
                    ),
                );
            }
            Self::Enabled { unreadable } => {
                a.insert("unreadable".into(), Arg::Count(unreadable.len() as u64));
                a.insert(
                    "identities".into(),
                    Arg::List(unreadable.iter().map(|i| Arg::Code(i.clone())).collect()),
                );
            }
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::Disabled { identities } => identities
                .iter()
                .map(|(identity, _)| {
                    Msg::new("step-server-enable-offline-im").with(
                        "command",
                        Arg::Cmdlet(format!(
                            "{SET_IM_CONFIGURATION} -Identity \"{identity}\" -{ENABLE_OFFLINE_IM} $True"
                        )),
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn at(path: &str, line: u64) -> String {
    format!("{path}:{line}")
}

pub fn server_offline_im(ctx: &Context<'_>) -> CheckResult {
    let (outcome, evidence) = judge(ctx);
    judged(&outcome, evidence)
}

fn judge(ctx: &Context<'_>) -> (ServerOfflineImOutcome, Vec<Evidence>) {
    let Some(server) = &ctx.facts.server else {
        return (ServerOfflineImOutcome::NotGiven, Vec::new());
    };
    if server.im_configurations.is_empty() {
        let files = server.paths.clone();
        return (
            ServerOfflineImOutcome::NoImConfiguration { files },
            Vec::new(),
        );
    }
    let mut evidence = Vec::new();
    let mut off: Vec<(String, String)> = Vec::new();
    let mut unreadable = Vec::new();
    // The same configuration pasted twice (several files): the last one
    // decides. One pass finds each identity's last paste (a paste can hold
    // a hundred thousand objects).
    let mut last: HashMap<String, usize> = HashMap::new();
    for (i, c) in server.im_configurations.iter().enumerate() {
        last.insert(c.identity.to_ascii_lowercase(), i);
    }
    for (i, c) in server.im_configurations.iter().enumerate() {
        let later = last
            .get(&c.identity.to_ascii_lowercase())
            .filter(|&&j| j > i)
            .map(|&j| &server.im_configurations[j]);
        let v = match &c.enable_offline_im {
            Setting::Set(b) => b.to_string(),
            Setting::NotSet => "not set".into(),
            Setting::Invalid(s) => format!("unreadable value {s:?}"),
        };
        let mut detail = format!("IM configuration {}: {ENABLE_OFFLINE_IM} = {v}", c.identity);
        if let Some(o) = later {
            detail.push_str(&format!(" (superseded by {})", at(&o.path, o.line)));
        }
        evidence.push(Evidence::at(
            EvidenceSource::Paste,
            c.path.clone(),
            Some(c.line),
            detail,
        ));
        if later.is_some() {
            continue;
        }
        match c.enable_offline_im {
            Setting::Set(false) => off.push((c.identity.clone(), at(&c.path, c.line))),
            Setting::Invalid(_) => unreadable.push(c.identity.clone()),
            _ => {}
        }
    }
    let outcome = if off.is_empty() {
        ServerOfflineImOutcome::Enabled { unreadable }
    } else {
        ServerOfflineImOutcome::Disabled { identities: off }
    };
    (outcome, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;

    fn result_of(outcome: ServerOfflineImOutcome) -> CheckResult {
        judged(&outcome, Vec::new())
    }

    #[test]
    fn every_outcome_speaks_both_languages() {
        for o in [
            ServerOfflineImOutcome::NotGiven,
            ServerOfflineImOutcome::NoImConfiguration {
                files: vec!["im.txt".into()],
            },
            ServerOfflineImOutcome::Disabled {
                identities: vec![("Global".into(), "im.txt:3".into())],
            },
            ServerOfflineImOutcome::Enabled { unreadable: vec![] },
            ServerOfflineImOutcome::Enabled {
                unreadable: vec!["Site:Redmond".into()],
            },
        ] {
            assert_catalogued(&result_of(o));
        }
    }

    #[test]
    fn a_disabled_configuration_fails_with_one_step_per_identity() {
        let r = result_of(ServerOfflineImOutcome::Disabled {
            identities: vec![
                ("Global".into(), "a.txt:1".into()),
                ("Site:Redmond".into(), "a.txt:9".into()),
            ],
        });
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.steps.len(), 2);
        let fr = crate::i18n::text(crate::i18n::Lang::Fr, &r.steps[1]);
        assert!(
            fr.contains("Set-CsImConfiguration -Identity \"Site:Redmond\" -EnableOfflineIm $True"),
            "{fr}"
        );
        let summary = crate::i18n::text(crate::i18n::Lang::En, r.message.as_ref().unwrap());
        assert!(summary.contains("Global, Site:Redmond"), "{summary}");
    }
}
