//! `drafts-known-issue`: with an on-premises mailbox, builds before
//! 16.0.6965.2058 (the 6/14/2016 fix) can fail offline messages and fill
//! the Drafts folder ("Enable or Disable Offline Instant Messaging (IM) in
//! Skype for Business Server", Microsoft Learn, "Known issues").

use std::collections::BTreeMap;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::client_build::update_now;
use super::{Context, Outcome, judged};
use crate::client_build::{ClientBuild, DRAFTS_FIX, DRAFTS_FIX_DATE};
use crate::i18n::{Arg, Msg};
use crate::model::{CheckResult, Code, MailboxLocation, Status};

/// Reason codes of `drafts-known-issue`.
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
pub enum DraftsKnownIssueCode {
    #[strum(message = "Build unknown, the known issue cannot be ruled out")]
    DraftsBuildUnknown,
    #[strum(message = "On-premises mailbox with a build before 16.0.6965.2058")]
    DraftsAffected,
    #[strum(message = "On-premises mailbox with the 6/14/2016 fix")]
    DraftsFixed,
    #[strum(message = "Exchange Online mailbox: not affected")]
    DraftsOnlineNotAffected,
    #[strum(message = "Mailbox location unknown")]
    DraftsMailboxUnknown,
}

/// What the check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DraftsOutcome {
    BuildUnknown,
    Affected {
        build: ClientBuild,
    },
    Fixed {
        build: ClientBuild,
    },
    OnlineNotAffected,
    /// The mailbox location is unknown; `affected` says whether the build
    /// predates the fix.
    MailboxUnknown {
        affected: bool,
    },
}

impl Outcome for DraftsOutcome {
    fn code(&self) -> Code {
        use DraftsKnownIssueCode as C;
        match self {
            Self::BuildUnknown => C::DraftsBuildUnknown,
            Self::Affected { .. } => C::DraftsAffected,
            Self::Fixed { .. } => C::DraftsFixed,
            Self::OnlineNotAffected => C::DraftsOnlineNotAffected,
            Self::MailboxUnknown { .. } => C::DraftsMailboxUnknown,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::BuildUnknown => Status::Skip,
            Self::Affected { .. } => Status::Warn,
            _ => Status::Pass,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let (y, m, d) = DRAFTS_FIX_DATE;
        let mut a = BTreeMap::new();
        a.insert("fix".into(), Arg::build(DRAFTS_FIX));
        a.insert(
            "date".into(),
            Arg::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()),
        );
        match self {
            Self::Affected { build } | Self::Fixed { build } => {
                a.insert("build".into(), Arg::build(*build));
            }
            Self::MailboxUnknown { affected } => {
                a.insert(
                    "this".into(),
                    Arg::Key(if *affected { "affected" } else { "fixed" }.into()),
                );
            }
            _ => {}
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::Affected { .. } => vec![
                Msg::new("step-drafts-update").with("build", Arg::build(DRAFTS_FIX)),
                update_now(),
            ],
            _ => Vec::new(),
        }
    }
}

pub fn drafts_known_issue(ctx: &Context<'_>) -> CheckResult {
    judged(
        &judge(ctx.client.build, ctx.mailbox.location),
        ctx.mailbox.evidence.clone(),
    )
}

fn judge(build: Option<ClientBuild>, location: MailboxLocation) -> DraftsOutcome {
    let Some(build) = build else {
        return DraftsOutcome::BuildUnknown;
    };
    match location {
        MailboxLocation::OnPremises if build < DRAFTS_FIX => DraftsOutcome::Affected { build },
        MailboxLocation::OnPremises => DraftsOutcome::Fixed { build },
        MailboxLocation::Online => DraftsOutcome::OnlineNotAffected,
        MailboxLocation::Unknown => DraftsOutcome::MailboxUnknown {
            affected: build < DRAFTS_FIX,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};

    #[test]
    fn every_outcome_speaks_both_languages() {
        use MailboxLocation::*;
        let old: ClientBuild = "16.0.6741.2048".parse().unwrap();
        for (b, at) in [
            (None, OnPremises),
            (Some(old), OnPremises),
            (Some(DRAFTS_FIX), OnPremises),
            (Some(old), Online),
            (Some(old), Unknown),
            (Some(DRAFTS_FIX), Unknown),
        ] {
            assert_catalogued(&judged(&judge(b, at), Vec::new()));
        }
    }

    #[test]
    fn an_old_on_premises_build_warns_with_the_fix_and_its_date() {
        let r = judged(
            &judge(
                Some("16.0.6741.2048".parse().unwrap()),
                MailboxLocation::OnPremises,
            ),
            Vec::new(),
        );
        assert_eq!(r.status, Status::Warn);
        assert_eq!(
            text(Lang::En, r.message.as_ref().unwrap()),
            "Build 16.0.6741.2048 with an on-premises mailbox predates 16.0.6965.2058 (2016-06-14): offline messages can fail and fill the Drafts folder."
        );
        let fr = text(Lang::Fr, r.message.as_ref().unwrap());
        assert!(fr.contains("14/06/2016"), "{fr}");
    }
}
