//! `im-auto-archiving` and `server-offline-im`: the switches that turn
//! Offline IM off ("Enable or Disable Offline Instant Messaging (IM) in Skype for Business Server" and "Turn on or off Offline
//! Messages for admins", Microsoft Learn).
//!
//! Which client policy applies (`docs/contract.md`, `im-auto-archiving`): the in-band
//! provisioning in the client log is what the client received and wins;
//! else the policy `Get-CsUser` shows assigned to the user; else the site
//! policy or `Global` (a blank `ClientPolicy` means no per-user policy:
//! "Return the Effective Policy Assignments for a User", Lync Server
//! PowerShell blog). A non-Global policy with archiving off whose assignment
//! is unknown is a warn naming the cmdlet that settles it.

use super::{Context, result};
use crate::codes::ImAutoArchivingCode;
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};
use crate::sip::bare as bare_sip;
use crate::sources::server_config::{ClientPolicy, CsUser, Scope, ServerConfig, Setting};

/// What the checks found, before it becomes one status.
#[derive(Default)]
struct Findings {
    evidence: Vec<Evidence>,
    /// Reasons Offline IM is off (fail).
    off: Vec<String>,
    remediation: Vec<String>,
    /// Open questions (warn), each with its code and what settles it.
    open: Vec<(Code, String, String)>,
}

impl Findings {
    fn off(&mut self, why: String, fix: String) {
        if !self.off.contains(&why) {
            self.off.push(why);
        }
        if !self.remediation.contains(&fix) {
            self.remediation.push(fix);
        }
    }

    fn open(&mut self, code: Code, why: String, settle: String) {
        if !self.open.iter().any(|(_, w, _)| *w == why) {
            self.open.push((code, why, settle));
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

fn at(path: &str, line: u64) -> String {
    format!("{path}, line {line}")
}

fn user_policy_cmdlet(sip: Option<&str>) -> String {
    format!(
        "Get-CsUser sip:{} | Select-Object ClientPolicy",
        sip.map_or("<address>", bare_sip)
    )
}

/// Judge one client policy that applies to `who`.
fn judge(f: &mut Findings, p: &ClientPolicy, how: &str) {
    if p.enable_im_auto_archiving == Setting::Set(false) {
        f.off(
            format!(
                "client policy {} ({how}) has EnableIMAutoArchiving False ({})",
                p.identity,
                at(&p.path, p.line)
            ),
            format!(
                "Set-CsClientPolicy -Identity \"{}\" -EnableIMAutoArchiving $True",
                p.identity
            ),
        );
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
    let who = sip.map_or_else(|| "this user".to_string(), |s| bare_sip(s).to_string());
    let user = pasted_user(server, sip, only_user);
    let global = server.client_policies.iter().rev().find(|p| is_global(p));
    let falsy = |p: &&ClientPolicy| p.enable_im_auto_archiving == Setting::Set(false);
    match user {
        Some(u) => {
            let named = if u.sip_address.is_some() || u.user_principal_name.is_some() {
                format!("Get-CsUser {who}")
            } else {
                format!("Get-CsUser (no address shown, taken as {who})")
            };
            f.evidence.push(Evidence::at(
                EvidenceSource::Paste,
                u.path.clone(),
                Some(u.line),
                format!(
                    "{named}: ClientPolicy = {}",
                    u.client_policy
                        .as_deref()
                        .unwrap_or("(blank: no per-user policy)")
                ),
            ));
            match &u.client_policy {
                Some(name) => match server.client_policy(name) {
                    Some(p) => judge(f, p, &format!("assigned to {who}")),
                    None => f.open(
                        Code::ImAutoArchiving(ImAutoArchivingCode::ArchivingAssignedPolicyNotPasted),
                        format!(
                            "{who} has client policy {name} ({}), whose EnableIMAutoArchiving was not pasted",
                            at(&u.path, u.line)
                        ),
                        format!(
                            "Get-CsClientPolicy -Identity \"Tag:{}\" | Format-List Identity,EnableIMAutoArchiving, and pass its output with another --server-config",
                            match Scope::parse(name) {
                                Scope::Tag(n) | Scope::Site(n) => n,
                                Scope::Global => "Global",
                            }
                        ),
                    ),
                },
                None => {
                    if let Some(g) = global {
                        judge(f, g, &format!("{who} has no per-user policy"));
                    }
                    for p in server.client_policies.iter().filter(|p| is_site(p)).filter(falsy) {
                        f.open(
                            Code::ImAutoArchiving(ImAutoArchivingCode::ArchivingPolicyAssignmentUnknown),
                            format!(
                                "{who} has no per-user client policy, and site policy {} ({}) has EnableIMAutoArchiving False: it applies if {who} is homed on that site",
                                p.identity,
                                at(&p.path, p.line)
                            ),
                            format!(
                                "Get-CsUser sip:{} | Select-Object RegistrarPool, then Get-CsPool <pool> | Select-Object Site",
                                bare_sip(sip.unwrap_or("<address>"))
                            ),
                        );
                    }
                }
            }
        }
        None => {
            if let Some(g) = global {
                judge(f, g, "Global, unless another policy is assigned");
            }
            for p in server
                .client_policies
                .iter()
                .filter(|p| !is_global(p))
                .filter(falsy)
            {
                f.open(
                    Code::ImAutoArchiving(ImAutoArchivingCode::ArchivingPolicyAssignmentUnknown),
                    format!(
                        "client policy {} ({}) has EnableIMAutoArchiving False, and whether {who} has it is not known",
                        p.identity,
                        at(&p.path, p.line)
                    ),
                    format!(
                        "Run `{}` and pass its output with another --server-config (a blank ClientPolicy means the site or Global policy applies)",
                        user_policy_cmdlet(sip)
                    ),
                );
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
) -> Option<(&'a ClientPolicy, String)> {
    let user = pasted_user(server, Some(sip), only_user)?;
    match &user.client_policy {
        Some(name) => server
            .client_policy(name)
            .map(|p| (p, format!("assigned to {}", bare_sip(sip)))),
        None => server
            .client_policies
            .iter()
            .rev()
            .find(|p| is_global(p))
            .map(|p| (p, format!("{} has no per-user policy", bare_sip(sip)))),
    }
}

pub fn im_auto_archiving(ctx: &Context<'_>) -> CheckResult {
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
            f.off(
                format!(
                    "client policy EnableIMAutoArchiving (in-band provisioning) is false in the client log ({})",
                    at(&fact.path, fact.line)
                ),
                "Grant the user a client policy with auto-archiving on: Set-CsClientPolicy -Identity <policy> -EnableIMAutoArchiving $True (or Grant-CsClientPolicy -Identity <user> -PolicyName <policy with it on>); the client picks it up at next sign-in".into(),
            );
        }
        if let Some(fact) = &logs.user_auto_archiving
            && !fact.value
        {
            f.off(
                format!(
                    "user option imAutoArchiving is false in the client log ({})",
                    at(&fact.path, fact.line)
                ),
                "In Skype for Business: Options > Personal > tick \"Save IM conversations in my email Conversation History folder\"".into(),
            );
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
                at(&fact.path, fact.line)
            )));
            for p in &ctx.facts.profiles {
                let sip = p.profile.sip_address.as_str();
                if let Some((pasted, how)) =
                    assigned_policy(server, sip, ctx.facts.profiles.len() == 1)
                    && let Setting::Set(v) = pasted.enable_im_auto_archiving
                    && v != fact.value
                {
                    let when = fact.timestamp.map_or_else(
                        || "at an unknown time".to_string(),
                        |t| format!("at {}", t.to_rfc3339()),
                    );
                    f.open(
                        Code::ImAutoArchiving(ImAutoArchivingCode::ArchivingPolicyConflict),
                        format!(
                            "the client received EnableIMAutoArchiving {} in-band {when} ({}), but the pasted client policy {} ({how}, {}) has it {}: the policy was changed after the client's last sign-in, or another policy reaches the client",
                            fact.value,
                            at(&fact.path, fact.line),
                            pasted.identity,
                            at(&pasted.path, pasted.line),
                            v
                        ),
                        format!(
                            "A client policy change reaches the client at its next sign-in: have {} sign out and in, then run this tool again; if the log still shows {}, check which policy is assigned (`{}`)",
                            bare_sip(sip),
                            fact.value,
                            user_policy_cmdlet(Some(sip))
                        ),
                    );
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
    for v in &ctx.facts.machine.policies {
        if v.name.eq_ignore_ascii_case("EnableIMAutoArchiving") {
            sources += 1;
            let off = v.value.trim() == "0" || v.value.trim().eq_ignore_ascii_case("false");
            let detail = match in_band {
                Some(fact) => format!(
                    "registry value (not a documented policy setting) {} = {}: not used, the in-band provisioning value ({}, {}) decides (in-band provisioning outranks registry policy)",
                    v.name,
                    v.value,
                    fact.value,
                    at(&fact.path, fact.line)
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
                f.off(
                    format!(
                        "the registry value (not a documented policy setting) EnableIMAutoArchiving under {} is {}",
                        v.key, v.value
                    ),
                    format!(
                        "Remove or set to 1 the EnableIMAutoArchiving registry value under {} (not a documented Group Policy setting: whatever wrote it, a script or a preference, writes it again unless it is changed there)",
                        v.key
                    ),
                );
            }
        }
    }

    let Findings {
        evidence,
        off,
        remediation,
        open,
    } = f;
    if !off.is_empty() {
        return result(
            Status::Fail,
            Code::ImAutoArchiving(ImAutoArchivingCode::ArchivingDisabled),
            format!("Offline IM is off for this sender: {}", off.join("; ")),
            evidence,
            Some(remediation.join(". Then: ")),
        );
    }
    if let Some((code, _, _)) = open.first() {
        let code = *code;
        let why: Vec<&str> = open.iter().map(|(_, w, _)| w.as_str()).collect();
        let settle: Vec<&str> = open.iter().map(|(_, _, s)| s.as_str()).collect();
        return result(
            Status::Warn,
            code,
            format!("Offline IM may be off for this sender: {}", why.join("; ")),
            evidence,
            Some(settle.join(". Then: ")),
        );
    }
    if sources == 0 {
        return result(
            Status::Skip,
            Code::ImAutoArchiving(ImAutoArchivingCode::ArchivingNoSource),
            "No source for the auto-archiving setting: no client logs and no Get-CsClientPolicy output (--server-config)",
            evidence,
            None,
        );
    }
    let summary = if evidence.is_empty() {
        "EnableIMAutoArchiving and imAutoArchiving are not set anywhere seen (default: on)"
            .to_string()
    } else {
        "IM auto-archiving is on (or not set) in every source seen".to_string()
    };
    result(
        Status::Pass,
        Code::ImAutoArchiving(ImAutoArchivingCode::ArchivingEnabled),
        summary,
        evidence,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Facts, ResolvedClient, ResolvedMailbox, Settings};
    use crate::sources::machine::{MachineFacts, PolicyValue};
    use crate::sources::scan::logs::{LogFact, LogFileSummary};

    /// `im-auto-archiving` with `EnableIMAutoArchiving` = `value` under the
    /// registry policy key and, when given, the in-band value in the log.
    fn judged(value: &str, in_band: Option<bool>) -> CheckResult {
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
            r.summary,
            r.remediation.clone().unwrap_or_default()
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
        let r = judged("0", None);
        assert_eq!(r.status, Status::Fail);
        let t = all_text(&r);
        assert!(
            t.contains("registry value (not a documented policy setting)"),
            "{t}"
        );
        assert!(!t.contains("(Group Policy)"), "{t}");
        // The in-band value seen in the log decides, and the evidence says so.
        let r = judged("0", Some(true));
        assert_eq!(r.status, Status::Pass, "{}", all_text(&r));
        let t = all_text(&r);
        assert!(
            t.contains("not used, the in-band provisioning value (true") && t.contains("decides"),
            "{t}"
        );
        let r = judged("1", Some(false));
        assert_eq!(r.status, Status::Fail);
        assert!(!all_text(&r).contains("Group Policy"));
    }
}
