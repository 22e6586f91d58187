//! `im-auto-archiving`: the client policy setting that turns Offline IM off
//! ("Enable or Disable Offline Instant Messaging (IM) in Skype for Business
//! Server" and "Turn on or off Offline Messages for admins", Microsoft Learn).
//!
//! Which client policy applies (`docs/contract.md`, `im-auto-archiving`): the in-band
//! provisioning in the client log is what the client received and wins;
//! else the policy `Get-CsUser` shows assigned to the user; else the site
//! policy or `Global` (a blank `ClientPolicy` means no per-user policy:
//! "Return the Effective Policy Assignments for a User", Lync Server
//! PowerShell blog). A non-Global policy with archiving off whose assignment
//! is unknown is a warn naming the cmdlet that settles it.
//!
//! `judge` gathers the reasons; [`outcome::ArchivingOutcome`] holds them,
//! and its words are the catalogue's.

mod outcome;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use self::outcome::{ArchivingOutcome, At, How, Off, Open, Who};
use super::{Context, judged};
use crate::model::{CheckResult, Evidence, EvidenceSource};
use crate::sip::bare as bare_sip;
use crate::sources::server_config::{ClientPolicy, CsUser, Scope, ServerConfig, Setting};

/// Reason codes of `im-auto-archiving`.
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
pub enum ImAutoArchivingCode {
    #[strum(message = "EnableIMAutoArchiving or the user option imAutoArchiving is false")]
    ArchivingDisabled,
    #[strum(message = "No log provisioning and no pasted client policy to read")]
    ArchivingNoSource,
    #[strum(message = "Seen true, or unset (default true)")]
    ArchivingEnabled,
    #[strum(
        message = "A non-Global client policy has EnableIMAutoArchiving False and whether the user has it is unknown (paste Get-CsUser)"
    )]
    ArchivingPolicyAssignmentUnknown,
    #[strum(
        message = "Get-CsUser names the user's client policy, but that policy's settings were not pasted"
    )]
    ArchivingAssignedPolicyNotPasted,
    #[strum(
        message = "The in-band EnableIMAutoArchiving and the pasted policy assigned to the user disagree (a change reaches the client at its next sign-in)"
    )]
    ArchivingPolicyConflict,
}

/// What the sources say, before it becomes one outcome.
#[derive(Default)]
struct Findings {
    evidence: Vec<Evidence>,
    /// Reasons Offline IM is off (fail).
    off: Vec<Off>,
    /// Open questions (warn).
    open: Vec<Open>,
}

impl Findings {
    fn off(&mut self, why: Off) {
        if !self.off.contains(&why) {
            self.off.push(why);
        }
    }

    fn open(&mut self, why: Open) {
        if !self.open.contains(&why) {
            self.open.push(why);
        }
    }
}

fn shown(s: &Setting) -> String {
    match s {
        Setting::Set(b) => b.to_string(),
        Setting::NotSet => "not set (default true)".into(),
        Setting::Invalid(v) => format!("unreadable value {v:?}"),
    }
}

fn at(path: &str, line: u64) -> At {
    At {
        path: path.to_string(),
        line,
    }
}

fn at_words(path: &str, line: u64) -> String {
    format!("{path}, line {line}")
}

fn who(sip: Option<&str>) -> Who {
    Who(sip.map(|s| bare_sip(s).to_string()))
}

/// Judge one client policy that applies to the user.
fn judge_policy(f: &mut Findings, p: &ClientPolicy, how: How) {
    if p.enable_im_auto_archiving == Setting::Set(false) {
        f.off(Off::Pasted {
            identity: p.identity.clone(),
            how,
            at: at(&p.path, p.line),
        });
    }
}

fn is_global(p: &ClientPolicy) -> bool {
    p.scope() == Scope::Global
}

fn is_site(p: &ClientPolicy) -> bool {
    matches!(p.scope(), Scope::Site(_))
}

/// The pasted `Get-CsUser` object about `sip` (the last one pasted).
/// `Get-CsUser sip:<address> | Select-Object ClientPolicy` shows no address;
/// with one user inspected, a lone object without one can only be about
/// that user.
fn pasted_user<'a>(
    server: &'a ServerConfig,
    sip: Option<&str>,
    only_user: bool,
) -> Option<&'a CsUser> {
    sip.and_then(|s| server.users.iter().rev().find(|u| u.is(s)))
        .or_else(|| {
            let anonymous: Vec<_> = server
                .users
                .iter()
                .filter(|u| u.sip_address.is_none() && u.user_principal_name.is_none())
                .collect();
            match anonymous.as_slice() {
                [u] if only_user => Some(*u),
                _ => None,
            }
        })
}

/// Pasted Get-CsClientPolicy / Get-CsUser for one profile (`sip`, `None`
/// when no profile names the user).
fn pasted_policies(f: &mut Findings, server: &ServerConfig, sip: Option<&str>, only_user: bool) {
    let named = sip.map_or_else(|| "this user".to_string(), |s| bare_sip(s).to_string());
    let user = pasted_user(server, sip, only_user);
    let global = server.client_policies.iter().rev().find(|p| is_global(p));
    let falsy = |p: &&ClientPolicy| p.enable_im_auto_archiving == Setting::Set(false);
    match user {
        Some(u) => {
            let shown_as = if u.sip_address.is_some() || u.user_principal_name.is_some() {
                format!("Get-CsUser {named}")
            } else {
                format!("Get-CsUser (no address shown, taken as {named})")
            };
            f.evidence.push(Evidence::at(
                EvidenceSource::Paste,
                u.path.clone(),
                Some(u.line),
                format!(
                    "{shown_as}: ClientPolicy = {}",
                    u.client_policy
                        .as_deref()
                        .unwrap_or("(blank: no per-user policy)")
                ),
            ));
            match &u.client_policy {
                Some(name) => match server.client_policy(name) {
                    Some(p) => judge_policy(f, p, How::AssignedTo(who(sip))),
                    None => f.open(Open::AssignedPolicyNotPasted {
                        who: who(sip),
                        policy: name.clone(),
                        at: at(&u.path, u.line),
                    }),
                },
                None => {
                    if let Some(g) = global {
                        judge_policy(f, g, How::NoPerUserPolicy(who(sip)));
                    }
                    for p in server
                        .client_policies
                        .iter()
                        .filter(|p| is_site(p))
                        .filter(falsy)
                    {
                        f.open(Open::SitePolicyMayApply {
                            who: who(sip),
                            identity: p.identity.clone(),
                            at: at(&p.path, p.line),
                        });
                    }
                }
            }
        }
        None => {
            if let Some(g) = global {
                judge_policy(f, g, How::GlobalUnlessAssigned);
            }
            for p in server
                .client_policies
                .iter()
                .filter(|p| !is_global(p))
                .filter(falsy)
            {
                f.open(Open::AssignmentUnknown {
                    who: who(sip),
                    identity: p.identity.clone(),
                    at: at(&p.path, p.line),
                });
            }
        }
    }
}

/// The pasted client policy that applies to `sip`: the one `Get-CsUser`
/// names, else Global when the user has no per-user policy; `None` when the
/// paste does not settle it.
fn assigned_policy<'a>(
    server: &'a ServerConfig,
    sip: &str,
    only_user: bool,
) -> Option<(&'a ClientPolicy, How)> {
    let user = pasted_user(server, Some(sip), only_user)?;
    match &user.client_policy {
        Some(name) => server
            .client_policy(name)
            .map(|p| (p, How::AssignedTo(who(Some(sip))))),
        None => server
            .client_policies
            .iter()
            .rev()
            .find(|p| is_global(p))
            .map(|p| (p, How::NoPerUserPolicy(who(Some(sip))))),
    }
}

pub fn im_auto_archiving(ctx: &Context<'_>) -> CheckResult {
    let (outcome, evidence) = judge(ctx);
    judged(&outcome, evidence)
}

fn judge(ctx: &Context<'_>) -> (ArchivingOutcome, Vec<Evidence>) {
    let logs = &ctx.facts.logs;
    let mut f = Findings::default();
    let mut sources = 0;

    let in_band = if ctx.logs_read() {
        logs.policy_auto_archiving.as_ref()
    } else {
        None
    };
    if ctx.logs_read() {
        sources += 1;
        for (fact, what) in [
            (
                &logs.policy_auto_archiving,
                "client policy EnableIMAutoArchiving (in-band provisioning)",
            ),
            (&logs.user_auto_archiving, "user option imAutoArchiving"),
        ] {
            if let Some(fact) = fact {
                let mut ev = Evidence::at(
                    EvidenceSource::Log,
                    fact.path.clone(),
                    Some(fact.line),
                    format!("{what} = {}", fact.value),
                );
                ev.timestamp = fact.timestamp;
                f.evidence.push(ev);
            }
        }
        if let Some(fact) = &logs.policy_auto_archiving
            && !fact.value
        {
            f.off(Off::InBand {
                at: at(&fact.path, fact.line),
            });
        }
        if let Some(fact) = &logs.user_auto_archiving
            && !fact.value
        {
            f.off(Off::UserOption {
                at: at(&fact.path, fact.line),
            });
        }
    }
    if let Some(server) = &ctx.facts.server
        && !(server.client_policies.is_empty() && server.users.is_empty())
    {
        sources += 1;
        for p in &server.client_policies {
            f.evidence.push(Evidence::at(
                EvidenceSource::Paste,
                p.path.clone(),
                Some(p.line),
                format!(
                    "client policy {}: EnableIMAutoArchiving = {}",
                    p.identity,
                    shown(&p.enable_im_auto_archiving)
                ),
            ));
        }
        if let Some(fact) = in_band {
            f.evidence.push(Evidence::note(EvidenceSource::Tool, format!(
                "The pasted client policies are not used: the client log shows the policy the client received in-band ({})",
                at_words(&fact.path, fact.line)
            )));
            for p in &ctx.facts.profiles {
                let sip = p.profile.sip_address.as_str();
                if let Some((pasted, how)) =
                    assigned_policy(server, sip, ctx.facts.profiles.len() == 1)
                    && let Setting::Set(v) = pasted.enable_im_auto_archiving
                    && v != fact.value
                {
                    f.open(Open::Conflict {
                        in_band: fact.value,
                        when: fact.timestamp,
                        at: at(&fact.path, fact.line),
                        identity: pasted.identity.clone(),
                        how,
                        pasted_at: at(&pasted.path, pasted.line),
                        who: who(Some(sip)),
                    });
                }
            }
        } else {
            let profiles = &ctx.facts.profiles;
            if profiles.is_empty() {
                pasted_policies(&mut f, server, None, true);
            }
            for p in profiles {
                pasted_policies(
                    &mut f,
                    server,
                    Some(p.profile.sip_address.as_str()),
                    profiles.len() == 1,
                );
            }
        }
    }
    // EnableIMAutoArchiving is not among the client's documented Group
    // Policy settings ("Configure client bootstrapping policies"): a value in
    // the registry is a registry value, and in-band provisioning outranks
    // registry policy, so the in-band value decides when the log has it.
    for v in &ctx.facts.install.policies {
        if v.name.eq_ignore_ascii_case("EnableIMAutoArchiving") {
            sources += 1;
            let off = v.value.trim() == "0" || v.value.trim().eq_ignore_ascii_case("false");
            let detail = match in_band {
                Some(fact) => format!(
                    "registry value (not a documented policy setting) {} = {}: not used, the in-band provisioning value ({}, {}) decides (in-band provisioning outranks registry policy)",
                    v.name,
                    v.value,
                    fact.value,
                    at_words(&fact.path, fact.line)
                ),
                None => format!(
                    "registry value (not a documented policy setting) {} = {}",
                    v.name, v.value
                ),
            };
            f.evidence.push(Evidence::at(
                EvidenceSource::Registry,
                v.key.clone(),
                None,
                detail,
            ));
            if off && in_band.is_none() {
                f.off(Off::Registry {
                    key: v.key.clone(),
                    value: v.value.clone(),
                });
            }
        }
    }

    let Findings {
        evidence,
        off,
        open,
    } = f;
    let outcome = if !off.is_empty() {
        ArchivingOutcome::Disabled(off)
    } else if !open.is_empty() {
        ArchivingOutcome::MayBeOff(open)
    } else if sources == 0 {
        ArchivingOutcome::NoSource
    } else {
        ArchivingOutcome::Enabled {
            anything_seen: !evidence.is_empty(),
        }
    };
    (outcome, evidence)
}

#[cfg(test)]
mod tests {
    use super::outcome::*;
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::model::Status;

    #[test]
    fn every_outcome_speaks_both_languages() {
        let here = || At {
            path: "im.txt".into(),
            line: 3,
        };
        let nina = || Who(Some("nina@contoso.test".into()));
        let open = vec![
            Open::AssignedPolicyNotPasted {
                who: nina(),
                policy: "Tag:Sales".into(),
                at: here(),
            },
            Open::SitePolicyMayApply {
                who: Who(None),
                identity: "Site:Redmond".into(),
                at: here(),
            },
            Open::AssignmentUnknown {
                who: nina(),
                identity: "Tag:NoArchive".into(),
                at: here(),
            },
            Open::Conflict {
                in_band: true,
                when: None,
                at: here(),
                identity: "Global".into(),
                how: How::NoPerUserPolicy(nina()),
                pasted_at: here(),
                who: nina(),
            },
            Open::Conflict {
                in_band: false,
                when: Some(chrono::DateTime::UNIX_EPOCH),
                at: here(),
                identity: "Tag:X".into(),
                how: How::AssignedTo(nina()),
                pasted_at: here(),
                who: nina(),
            },
        ];
        let off = vec![
            Off::InBand { at: here() },
            Off::UserOption { at: here() },
            Off::Pasted {
                identity: "Global".into(),
                how: How::GlobalUnlessAssigned,
                at: here(),
            },
            Off::Registry {
                key: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Office\\16.0\\Lync".into(),
                value: "0".into(),
            },
        ];
        let mut outcomes = vec![
            ArchivingOutcome::Disabled(off),
            ArchivingOutcome::NoSource,
            ArchivingOutcome::Enabled {
                anything_seen: true,
            },
            ArchivingOutcome::Enabled {
                anything_seen: false,
            },
        ];
        for o in open {
            outcomes.push(ArchivingOutcome::MayBeOff(vec![o]));
        }
        for o in outcomes {
            let r = judged(&o, Vec::new());
            assert_catalogued(&r);
        }
    }

    #[test]
    fn a_pasted_policy_names_the_fix_in_french_too() {
        let r = judged(
            &ArchivingOutcome::Disabled(vec![Off::Pasted {
                identity: "Tag:NoArchive".into(),
                how: How::AssignedTo(Who(Some("nina@contoso.test".into()))),
                at: At {
                    path: "im.txt".into(),
                    line: 3,
                },
            }]),
            Vec::new(),
        );
        assert_eq!(r.status, Status::Fail);
        let en = crate::i18n::text(crate::i18n::Lang::En, r.message.as_ref().unwrap());
        assert_eq!(
            en,
            "Offline IM is off for this sender: client policy Tag:NoArchive (assigned to nina@contoso.test) has EnableIMAutoArchiving False (im.txt, line 3)."
        );
        let fr = crate::i18n::text(crate::i18n::Lang::Fr, &r.steps[0]);
        assert!(
            fr.contains(
                "Set-CsClientPolicy -Identity \"Tag:NoArchive\" -EnableIMAutoArchiving $True"
            ),
            "{fr}"
        );
        assert!(
            fr.starts_with("Dans Skype Entreprise Server Management Shell"),
            "{fr}"
        );
    }
    use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
    use crate::sources::machine::{MachineFacts, PolicyValue};
    use crate::sources::scan::logs::{LogFact, LogFileSummary};

    /// `im-auto-archiving` with `EnableIMAutoArchiving` = `value` under the
    /// registry policy key and, when given, the in-band value in the log.
    fn archiving(value: &str, in_band: Option<bool>) -> CheckResult {
        let machine = MachineFacts {
            policies: vec![PolicyValue {
                key: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Office\\16.0\\Lync".into(),
                name: "EnableIMAutoArchiving".into(),
                value: value.into(),
            }],
            ..Default::default()
        };
        let mut f = Facts::nothing_found(machine);
        if let Some(v) = in_band {
            f.logs.logs.push(LogFileSummary {
                path: "Tracing/Lync-UccApi-0.UccApilog".into(),
                size: 10,
                modified: None,
                entries: 1,
                encoding: "utf-8".into(),
                error: None,
                lines: 1,
                warning: None,
            });
            f.logs.policy_auto_archiving = Some(LogFact {
                value: v,
                path: "Tracing/Lync-UccApi-0.UccApilog".into(),
                line: 7,
                timestamp: None,
                excerpt: String::new(),
            });
        }
        let s = Settings {
            now: chrono::Utc::now(),
            stuck_after: chrono::Duration::minutes(2),
            client_version: None,
            mailbox: crate::facts::MailboxChoice::Auto,
            log_zone: Default::default(),
        };
        let client = ResolvedClient::default();
        let mailbox = ResolvedMailbox::default();
        let ctx = Context {
            facts: &f,
            settings: &s,
            client: &client,
            mailbox: &mailbox,
            probe: None,
        };
        im_auto_archiving(&ctx)
    }

    fn all_text(r: &CheckResult) -> String {
        let mut t = format!(
            "{} {}",
            crate::i18n::text(crate::i18n::Lang::En, r.message.as_ref().unwrap()),
            r.steps
                .iter()
                .map(|m| crate::i18n::text(crate::i18n::Lang::En, m))
                .collect::<Vec<_>>()
                .join(" ")
        );
        for e in &r.evidence {
            t.push(' ');
            t.push_str(&e.detail);
        }
        t
    }

    #[test]
    fn a_registry_value_is_not_called_group_policy_and_in_band_decides() {
        // Only the registry value: it counts, named as what it is.
        let r = archiving("0", None);
        assert_eq!(r.status, Status::Fail);
        let t = all_text(&r);
        assert!(
            t.contains("registry value (not a documented policy setting)"),
            "{t}"
        );
        assert!(!t.contains("(Group Policy)"), "{t}");
        // The in-band value seen in the log decides, and the evidence says so.
        let r = archiving("0", Some(true));
        assert_eq!(r.status, Status::Pass, "{}", all_text(&r));
        let t = all_text(&r);
        assert!(
            t.contains("not used, the in-band provisioning value (true") && t.contains("decides"),
            "{t}"
        );
        let r = archiving("1", Some(false));
        assert_eq!(r.status, Status::Fail);
        assert!(!all_text(&r).contains("Group Policy"));
    }
}
