//! What `im-auto-archiving` concluded, as data: [`ArchivingOutcome`]. The
//! code and the status follow from the variant; the words are the
//! catalogue's (`locales/*/offline-im-doctor.ftl`, section
//! `im-auto-archiving`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::ImAutoArchivingCode as C;
use crate::checks::Outcome;
use crate::i18n::{Arg, Msg};
use crate::model::{Code, Status};
use crate::sources::server_config::Scope;

/// A place in a file: a log or a pasted cmdlet output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct At {
    pub path: String,
    pub line: u64,
}

impl At {
    fn arg(&self) -> Arg {
        Arg::Msg(Box::new(
            Msg::new("archiving-at")
                .with("path", Arg::Path(self.path.clone()))
                .with("line", Arg::Code(self.line.to_string())),
        ))
    }
}

/// Whom a finding is about: the user's address, when a profile names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Who(pub Option<String>);

impl Who {
    fn arg(&self) -> Arg {
        match &self.0 {
            Some(a) => Arg::Address(a.clone()),
            None => Arg::Msg(Box::new(Msg::new("archiving-this-user"))),
        }
    }

    fn sip(&self) -> String {
        format!("sip:{}", self.0.as_deref().unwrap_or("<address>"))
    }
}

/// How a pasted client policy reaches the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum How {
    /// `Get-CsUser` names it.
    AssignedTo(Who),
    /// `Get-CsUser` shows a blank `ClientPolicy`: Global applies.
    NoPerUserPolicy(Who),
    /// No `Get-CsUser` pasted: Global, unless another is assigned.
    GlobalUnlessAssigned,
}

impl How {
    fn arg(&self) -> Arg {
        let (key, who) = match self {
            How::AssignedTo(w) => ("assigned", Some(w)),
            How::NoPerUserPolicy(w) => ("no-per-user-policy", Some(w)),
            How::GlobalUnlessAssigned => ("global-unless-assigned", None),
        };
        let mut m = Msg::new("archiving-how").with("how", Arg::Key(key.into()));
        m = match who {
            Some(w) => m.with("who", w.arg()),
            None => m.with("who", Arg::Key("none".into())),
        };
        Arg::Msg(Box::new(m))
    }
}

/// A reason Offline IM is off for the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Off {
    /// The in-band provisioning in the client log says False.
    InBand { at: At },
    /// The user's own option (Options > Personal) is off.
    UserOption { at: At },
    /// A pasted client policy that applies says False.
    Pasted { identity: String, how: How, at: At },
    /// A registry value (not a documented policy setting) says 0/false.
    Registry { key: String, value: String },
}

/// A question the pasted output leaves open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Open {
    /// `Get-CsUser` names a policy that was not pasted.
    AssignedPolicyNotPasted { who: Who, policy: String, at: At },
    /// No per-user policy, and a site policy with archiving off may apply.
    SitePolicyMayApply { who: Who, identity: String, at: At },
    /// A non-Global policy with archiving off; whether the user has it is
    /// not known.
    AssignmentUnknown { who: Who, identity: String, at: At },
    /// The in-band value and the pasted policy that applies disagree.
    Conflict {
        in_band: bool,
        when: Option<DateTime<Utc>>,
        at: At,
        identity: String,
        how: How,
        pasted_at: At,
        who: Who,
    },
}

impl Open {
    fn code(&self) -> C {
        match self {
            Open::AssignedPolicyNotPasted { .. } => C::ArchivingAssignedPolicyNotPasted,
            Open::SitePolicyMayApply { .. } | Open::AssignmentUnknown { .. } => {
                C::ArchivingPolicyAssignmentUnknown
            }
            Open::Conflict { .. } => C::ArchivingPolicyConflict,
        }
    }
}

/// What the check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ArchivingOutcome {
    Disabled(Vec<Off>),
    MayBeOff(Vec<Open>),
    NoSource,
    /// On in every source seen; `anything_seen` is false when no source
    /// set it at all (default: on).
    Enabled {
        anything_seen: bool,
    },
}

const SETTING: &str = "EnableIMAutoArchiving";

fn off_msg(o: &Off) -> Msg {
    match o {
        Off::InBand { at } => Msg::new("archiving-off-in-band").with("at", at.arg()),
        Off::UserOption { at } => Msg::new("archiving-off-user-option").with("at", at.arg()),
        Off::Pasted { identity, how, at } => Msg::new("archiving-off-pasted")
            .with("policy", Arg::Code(identity.clone()))
            .with("how", how.arg())
            .with("at", at.arg()),
        Off::Registry { key, value } => Msg::new("archiving-off-registry")
            .with("key", Arg::Path(key.clone()))
            .with("value", Arg::Code(value.clone())),
    }
    .with("setting", Arg::Code(SETTING.into()))
}

fn off_step(o: &Off) -> Msg {
    match o {
        Off::InBand { .. } => Msg::new("step-archiving-grant-policy")
            .with(
                "set",
                Arg::Cmdlet(format!(
                    "Set-CsClientPolicy -Identity <policy> -{SETTING} $True"
                )),
            )
            .with(
                "grant",
                Arg::Cmdlet(
                    "Grant-CsClientPolicy -Identity <user> -PolicyName <policy with it on>".into(),
                ),
            ),
        Off::UserOption { .. } => Msg::new("step-archiving-user-option"),
        Off::Pasted { identity, .. } => Msg::new("step-archiving-set-policy").with(
            "command",
            Arg::Cmdlet(format!(
                "Set-CsClientPolicy -Identity \"{identity}\" -{SETTING} $True"
            )),
        ),
        Off::Registry { key, .. } => Msg::new("step-archiving-registry")
            .with("key", Arg::Path(key.clone()))
            .with("setting", Arg::Code(SETTING.into())),
    }
}

fn open_msg(o: &Open) -> Msg {
    match o {
        Open::AssignedPolicyNotPasted { who, policy, at } => Msg::new("archiving-open-not-pasted")
            .with("who", who.arg())
            .with("policy", Arg::Code(policy.clone()))
            .with("at", at.arg()),
        Open::SitePolicyMayApply { who, identity, at } => Msg::new("archiving-open-site")
            .with("who", who.arg())
            .with("policy", Arg::Code(identity.clone()))
            .with("at", at.arg()),
        Open::AssignmentUnknown { who, identity, at } => Msg::new("archiving-open-unknown")
            .with("who", who.arg())
            .with("policy", Arg::Code(identity.clone()))
            .with("at", at.arg()),
        Open::Conflict {
            in_band,
            when,
            at,
            identity,
            how,
            pasted_at,
            ..
        } => Msg::new("archiving-open-conflict")
            .with("in-band", Arg::Code(in_band.to_string()))
            .with("pasted", Arg::Code((!in_band).to_string()))
            .with(
                "when",
                match when {
                    Some(t) => Arg::Time(*t),
                    None => Arg::Key("none".into()),
                },
            )
            .with("at", at.arg())
            .with("policy", Arg::Code(identity.clone()))
            .with("how", how.arg())
            .with("pasted-at", pasted_at.arg()),
    }
    .with("setting", Arg::Code(SETTING.into()))
}

fn open_step(o: &Open) -> Msg {
    match o {
        Open::AssignedPolicyNotPasted { policy, .. } => {
            let name = match Scope::parse(policy) {
                Scope::Tag(n) | Scope::Site(n) => n,
                Scope::Global => "Global",
            };
            Msg::new("step-archiving-paste-policy")
                .with(
                    "command",
                    Arg::Cmdlet(format!(
                        "Get-CsClientPolicy -Identity \"Tag:{name}\" | Format-List Identity,{SETTING}"
                    )),
                )
                .with("option", Arg::Code("--server-config".into()))
        }
        Open::SitePolicyMayApply { who, .. } => Msg::new("step-archiving-find-site")
            .with(
                "pool",
                Arg::Cmdlet(format!(
                    "Get-CsUser {} | Select-Object RegistrarPool",
                    who.sip()
                )),
            )
            .with(
                "site",
                Arg::Cmdlet("Get-CsPool <pool> | Select-Object Site".into()),
            ),
        Open::AssignmentUnknown { who, .. } => Msg::new("step-archiving-paste-user")
            .with(
                "command",
                Arg::Cmdlet(format!(
                    "Get-CsUser {} | Select-Object ClientPolicy",
                    who.sip()
                )),
            )
            .with("option", Arg::Code("--server-config".into())),
        Open::Conflict { who, in_band, .. } => Msg::new("step-archiving-sign-in-again")
            .with("who", who.arg())
            .with("in-band", Arg::Code(in_band.to_string()))
            .with(
                "command",
                Arg::Cmdlet(format!(
                    "Get-CsUser {} | Select-Object ClientPolicy",
                    who.sip()
                )),
            ),
    }
}

fn dedup(mut steps: Vec<Msg>) -> Vec<Msg> {
    let mut seen = Vec::new();
    steps.retain(|s| {
        if seen.contains(s) {
            false
        } else {
            seen.push(s.clone());
            true
        }
    });
    steps
}

impl Outcome for ArchivingOutcome {
    fn code(&self) -> Code {
        match self {
            Self::Disabled(_) => C::ArchivingDisabled,
            Self::MayBeOff(open) => open
                .first()
                .map_or(C::ArchivingPolicyAssignmentUnknown, Open::code),
            Self::NoSource => C::ArchivingNoSource,
            Self::Enabled { .. } => C::ArchivingEnabled,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::Disabled(_) => Status::Fail,
            Self::MayBeOff(_) => Status::Warn,
            Self::NoSource => Status::Skip,
            Self::Enabled { .. } => Status::Pass,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        let list =
            |msgs: Vec<Msg>| Arg::List(msgs.into_iter().map(|m| Arg::Msg(Box::new(m))).collect());
        match self {
            Self::Disabled(off) => {
                a.insert("reasons".into(), list(off.iter().map(off_msg).collect()));
            }
            Self::MayBeOff(open) => {
                a.insert("reasons".into(), list(open.iter().map(open_msg).collect()));
            }
            Self::NoSource => {
                a.insert("cmdlet".into(), Arg::Cmdlet("Get-CsClientPolicy".into()));
                a.insert("option".into(), Arg::Code("--server-config".into()));
            }
            Self::Enabled { anything_seen } => {
                a.insert(
                    "seen".into(),
                    Arg::Key(if *anything_seen { "some" } else { "none" }.into()),
                );
                a.insert("setting".into(), Arg::Code(SETTING.into()));
                a.insert("option".into(), Arg::Code("imAutoArchiving".into()));
            }
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::Disabled(off) => dedup(off.iter().map(off_step).collect()),
            Self::MayBeOff(open) => dedup(open.iter().map(open_step).collect()),
            _ => Vec::new(),
        }
    }
}
