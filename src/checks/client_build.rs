//! `client-build`: Offline IM needs Skype for Business 2016 Click-to-Run
//! build 16.0.6701.1000 or later, 16.0.6920.1000 with an on-premises
//! mailbox ("Enable or Disable Offline Instant Messaging (IM) in Skype for
//! Business Server", Microsoft Learn; the thresholds are
//! `crate::client_build`'s).

use std::collections::BTreeMap;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::{Context, Outcome, judged};
use crate::client_build::{
    ChannelNote, ClientBuild, OFFLINE_IM_MIN, OFFLINE_IM_MIN_ON_PREMISES, channel_note,
};
use crate::i18n::{Arg, Msg};
use crate::model::{CheckResult, Code, MailboxLocation, Status};

/// Reason codes of `client-build`.
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
pub enum ClientBuildCode {
    #[strum(message = "No build from --client-version, the registry, lync.exe or the logs")]
    BuildUnknown,
    #[strum(
        serialize = "build-lync-2013",
        message = "Major version 15 or older: Lync 2013 / Skype for Business 2015 has no Offline IM"
    )]
    BuildLync2013,
    #[strum(message = "Build below 16.0.6701.1000, the first build with Offline IM")]
    BuildBelowMinimum,
    #[strum(message = "On-premises mailbox and build below 16.0.6920.1000")]
    BuildBelowOnpremThreshold,
    #[strum(message = "Build between 16.0.6701 and 16.0.6920 and the mailbox location unknown")]
    BuildOnpremThresholdMailboxUnknown,
    #[strum(message = "Build at or above the threshold that applies")]
    BuildSupported,
}

/// What the check concluded; `note` is what the release notes say about
/// the build's channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClientBuildOutcome {
    Unknown,
    /// Major 15 or older.
    Lync2013 {
        build: ClientBuild,
        note: Option<ChannelNote>,
    },
    /// Below the first build with Offline IM; `on_premises` decides the
    /// target.
    BelowMinimum {
        build: ClientBuild,
        on_premises: bool,
        note: Option<ChannelNote>,
    },
    BelowOnPremisesThreshold {
        build: ClientBuild,
        note: Option<ChannelNote>,
    },
    OnPremisesThresholdMailboxUnknown {
        build: ClientBuild,
        note: Option<ChannelNote>,
    },
    Supported {
        build: ClientBuild,
        needed: ClientBuild,
        note: Option<ChannelNote>,
    },
}

/// In the client: Update Now, or a supported update channel.
pub(crate) fn update_now() -> Msg {
    Msg::new("step-update-now")
}

fn b(build: ClientBuild) -> Arg {
    Arg::build(build)
}

impl Outcome for ClientBuildOutcome {
    fn code(&self) -> Code {
        use ClientBuildCode as C;
        match self {
            Self::Unknown => C::BuildUnknown,
            Self::Lync2013 { .. } => C::BuildLync2013,
            Self::BelowMinimum { .. } => C::BuildBelowMinimum,
            Self::BelowOnPremisesThreshold { .. } => C::BuildBelowOnpremThreshold,
            Self::OnPremisesThresholdMailboxUnknown { .. } => C::BuildOnpremThresholdMailboxUnknown,
            Self::Supported { .. } => C::BuildSupported,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::Unknown | Self::OnPremisesThresholdMailboxUnknown { .. } => Status::Warn,
            Self::Supported { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        let (build, note) = match self {
            Self::Unknown => {
                a.insert("option".into(), Arg::Code("--client-version".into()));
                return a;
            }
            Self::Lync2013 { build, note } => {
                a.insert("major".into(), Arg::Code(build.major.to_string()));
                (build, note)
            }
            Self::BelowMinimum { build, note, .. } => {
                a.insert("min".into(), b(OFFLINE_IM_MIN));
                (build, note)
            }
            Self::BelowOnPremisesThreshold { build, note }
            | Self::OnPremisesThresholdMailboxUnknown { build, note } => {
                a.insert("min".into(), b(OFFLINE_IM_MIN_ON_PREMISES));
                (build, note)
            }
            Self::Supported {
                build,
                needed,
                note,
            } => {
                a.insert("min".into(), b(*needed));
                (build, note)
            }
        };
        a.insert("build".into(), b(*build));
        a.insert(
            "note".into(),
            match note {
                Some(n) => Arg::Msg(Box::new(n.msg())),
                None => Arg::Key("none".into()),
            },
        );
        a
    }

    fn steps(&self) -> Vec<Msg> {
        let update = |to| {
            vec![
                Msg::new("step-build-update").with("build", b(to)),
                update_now(),
            ]
        };
        match self {
            Self::Unknown => vec![
                Msg::new("step-build-pass-version")
                    .with("option", Arg::Code("--client-version 16.0.B.R".into()))
                    .with("min", b(OFFLINE_IM_MIN))
                    .with("min-on-premises", b(OFFLINE_IM_MIN_ON_PREMISES)),
            ],
            Self::Lync2013 { .. } => vec![
                Msg::new("step-build-install-2016").with("build", b(OFFLINE_IM_MIN_ON_PREMISES)),
                update_now(),
            ],
            Self::BelowMinimum { on_premises, .. } => update(if *on_premises {
                OFFLINE_IM_MIN_ON_PREMISES
            } else {
                OFFLINE_IM_MIN
            }),
            Self::BelowOnPremisesThreshold { .. } => update(OFFLINE_IM_MIN_ON_PREMISES),
            Self::OnPremisesThresholdMailboxUnknown { .. } => vec![
                Msg::new("step-build-pass-mailbox")
                    .with("option", Arg::Code("--mailbox online|on-premises".into()))
                    .with("build", b(OFFLINE_IM_MIN_ON_PREMISES)),
                update_now(),
            ],
            Self::Supported { .. } => Vec::new(),
        }
    }
}

pub fn client_build(ctx: &Context<'_>) -> CheckResult {
    let mut evidence = ctx.client.evidence.clone();
    evidence.extend(ctx.mailbox.evidence.iter().cloned());
    judged(&judge(ctx.client.build, ctx.mailbox.location), evidence)
}

fn judge(build: Option<ClientBuild>, location: MailboxLocation) -> ClientBuildOutcome {
    use ClientBuildOutcome as O;
    let Some(build) = build else {
        return O::Unknown;
    };
    let note = channel_note(build);
    let on_premises = location == MailboxLocation::OnPremises;
    if build.major <= 15 {
        O::Lync2013 { build, note }
    } else if build < OFFLINE_IM_MIN {
        O::BelowMinimum {
            build,
            on_premises,
            note,
        }
    } else if on_premises && build < OFFLINE_IM_MIN_ON_PREMISES {
        O::BelowOnPremisesThreshold { build, note }
    } else if location == MailboxLocation::Unknown && build < OFFLINE_IM_MIN_ON_PREMISES {
        O::OnPremisesThresholdMailboxUnknown { build, note }
    } else {
        O::Supported {
            build,
            needed: if on_premises {
                OFFLINE_IM_MIN_ON_PREMISES
            } else {
                OFFLINE_IM_MIN
            },
            note,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};

    fn build(s: &str) -> ClientBuild {
        s.parse().unwrap()
    }

    #[test]
    fn every_outcome_speaks_both_languages() {
        use MailboxLocation::*;
        for (b, at) in [
            (None, Unknown),
            (Some("15.0.4569.1506"), Online),
            (Some("16.0.4266.1001"), Online),
            (Some("16.0.6001.1000"), OnPremises),
            (Some("16.0.6741.2048"), OnPremises),
            (Some("16.0.6741.2048"), Unknown),
            (Some("16.0.6965.2053"), OnPremises),
            (Some("16.0.6965.2058"), Online),
            (Some("16.0.7000.1000"), Online),
            (Some("16.0.7350.1000"), Online),
            (Some("16.0.7400.1000"), Online),
            (Some("16.0.17932.20638"), Online),
        ] {
            assert_catalogued(&judged(&judge(b.map(build), at), Vec::new()));
        }
        for n in [ChannelNote::BeforeCurrent1605, ChannelNote::DraftsFix] {
            let o = ClientBuildOutcome::Supported {
                build: build("16.0.6965.2058"),
                needed: OFFLINE_IM_MIN,
                note: Some(n),
            };
            assert_catalogued(&judged(&o, Vec::new()));
        }
    }

    #[test]
    fn the_on_premises_threshold_names_the_build_and_the_channel() {
        let r = judged(
            &judge(Some(build("16.0.6741.2048")), MailboxLocation::OnPremises),
            Vec::new(),
        );
        assert_eq!(r.status, Status::Fail);
        let en = text(Lang::En, r.message.as_ref().unwrap());
        assert_eq!(
            en,
            "Client build 16.0.6741.2048 is below 16.0.6920.1000, which Offline IM needs when the mailbox is in Exchange on-premises. Note: 16.0.6741 is Deferred channel version 1602, which has no Offline messages; the first Deferred build with them is 16.0.6965.2092 (2016-10-11)."
        );
        let fr = text(Lang::Fr, r.message.as_ref().unwrap());
        assert!(fr.contains("(11/10/2016)"), "{fr}");
        assert_eq!(r.steps.len(), 2);
        assert!(text(Lang::En, &r.steps[0]).contains("16.0.6920.1000 or later"));
    }
}
