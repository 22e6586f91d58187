//! `client-install`: Offline IM ships only in the Click-to-Run client
//! (<https://learn.microsoft.com/skypeforbusiness/manage/im/enable-or-disable-offline-instant-messaging>);
//! an MSI install of Skype for Business 2016 has none.

use std::collections::BTreeMap;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::{Context, Outcome, judged};
use crate::i18n::{Arg, Msg};
use crate::model::{CheckResult, Code, InstallType, Status};

/// Reason codes of `client-install`.
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
pub enum ClientInstallCode {
    #[strum(message = "MSI install: Offline IM ships only in Click-to-Run")]
    InstallMsi,
    #[strum(message = "Click-to-Run install")]
    InstallClickToRun,
    #[strum(message = "Install type unknown (no registry, no lync.exe)")]
    InstallUnknown,
}

/// What the check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClientInstallOutcome {
    Msi,
    /// Click-to-Run, on the update channel the registry names (if any).
    ClickToRun {
        channel: Option<String>,
    },
    Unknown,
}

impl Outcome for ClientInstallOutcome {
    fn code(&self) -> Code {
        use ClientInstallCode as C;
        match self {
            Self::Msi => C::InstallMsi,
            Self::ClickToRun { .. } => C::InstallClickToRun,
            Self::Unknown => C::InstallUnknown,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::Msi => Status::Fail,
            Self::ClickToRun { .. } => Status::Pass,
            Self::Unknown => Status::Skip,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        match self {
            Self::ClickToRun { channel: Some(c) } => {
                a.insert("channel".into(), Arg::Text(c.clone()));
            }
            Self::ClickToRun { channel: None } => {
                a.insert("channel".into(), Arg::Key("none".into()));
            }
            Self::Unknown => {
                a.insert("option".into(), Arg::Code("--lync-exe".into()));
            }
            Self::Msi => {}
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::Msi => vec![
                Msg::new("step-install-click-to-run")
                    .with(
                        "command",
                        Arg::Cmdlet("setup.exe /configure configuration.xml".into()),
                    )
                    .with(
                        "products",
                        Arg::List(vec![
                            Arg::Code("O365ProPlusRetail".into()),
                            Arg::Code("SkypeforBusinessRetail".into()),
                        ]),
                    ),
            ],
            _ => Vec::new(),
        }
    }
}

pub fn client_install(ctx: &Context<'_>) -> CheckResult {
    let outcome = match ctx.client.install {
        InstallType::Msi => ClientInstallOutcome::Msi,
        InstallType::ClickToRun => ClientInstallOutcome::ClickToRun {
            channel: ctx.client.channel.clone(),
        },
        InstallType::Unknown => ClientInstallOutcome::Unknown,
    };
    judged(&outcome, ctx.client.install_evidence.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};

    #[test]
    fn every_outcome_speaks_both_languages() {
        for o in [
            ClientInstallOutcome::Msi,
            ClientInstallOutcome::ClickToRun {
                channel: Some("Current".into()),
            },
            ClientInstallOutcome::ClickToRun { channel: None },
            ClientInstallOutcome::Unknown,
        ] {
            assert_catalogued(&judged(&o, Vec::new()));
        }
    }

    #[test]
    fn the_channel_is_named_when_the_registry_gives_it() {
        let r = judged(
            &ClientInstallOutcome::ClickToRun {
                channel: Some("Monthly Enterprise".into()),
            },
            Vec::new(),
        );
        assert_eq!(r.status, Status::Pass);
        let fr = text(Lang::Fr, r.message.as_ref().unwrap());
        assert!(fr.contains("Monthly Enterprise"), "{fr}");
        let en = text(
            Lang::En,
            &judged(
                &ClientInstallOutcome::ClickToRun { channel: None },
                Vec::new(),
            )
            .message
            .unwrap(),
        );
        assert_eq!(en, "The client is a Click-to-Run install.");
    }
}
