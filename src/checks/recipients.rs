//! `offline-im-recipients`: who the spooled offline messages were for, and
//! where a delivered one appears. Microsoft's "Enable or Disable Offline
//! Instant Messaging (IM) in Skype for Business Server": within the
//! organisation an offline message arrives as e-mail of class
//! `IM.Note.MissedConversation`, in Outlook's Missed Conversations folder and
//! in Conversation History; sent across federation it arrives as plain
//! e-mail, in neither; and "there is no mechanism to check if the recipient
//! is able to receive Offline messages". The check never fails or warns.

use std::collections::BTreeMap;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::{Context, Outcome, judged};
use crate::i18n::{Arg, Msg};
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};

/// Reason codes of `offline-im-recipients`.
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
pub enum OfflineImRecipientsCode {
    #[strum(
        message = "Every recipient seen is in the organisation's SIP domains: a delivered message arrives in Missed Conversations and Conversation History"
    )]
    RecipientsSameOrg,
    #[strum(
        message = "At least one recipient is federated (or probably federated): a delivered message arrives as plain e-mail in the Inbox"
    )]
    RecipientsFederated,
    #[strum(message = "No recipient seen (no spooled message names one)")]
    RecipientsNoneSeen,
}

/// What the check concluded (it never fails or warns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RecipientsOutcome {
    NoneSeen,
    /// Every recipient seen is in the organisation.
    SameOrg {
        inside: u64,
    },
    /// Some are outside the organisation's SIP domains (`from_paste`: the
    /// domains come from a pasted `Get-CsSipDomain`; else only the sender's
    /// own domain is known, and "outside" is "probably federated").
    Federated {
        inside: u64,
        outside: Vec<String>,
        from_paste: bool,
    },
}

impl Outcome for RecipientsOutcome {
    fn code(&self) -> Code {
        use OfflineImRecipientsCode as C;
        match self {
            Self::NoneSeen => C::RecipientsNoneSeen,
            Self::SameOrg { .. } => C::RecipientsSameOrg,
            Self::Federated { .. } => C::RecipientsFederated,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::NoneSeen => Status::Skip,
            _ => Status::Info,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        match self {
            Self::NoneSeen => {}
            Self::SameOrg { inside } => {
                a.insert("inside".into(), Arg::Count(*inside));
            }
            Self::Federated {
                inside,
                outside,
                from_paste,
            } => {
                a.insert("inside".into(), Arg::Count(*inside));
                a.insert("outside".into(), Arg::Count(outside.len() as u64));
                a.insert(
                    "addresses".into(),
                    Arg::List(outside.iter().map(|r| Arg::Address(r.clone())).collect()),
                );
                a.insert(
                    "known".into(),
                    Arg::Key(if *from_paste { "pasted" } else { "sender" }.into()),
                );
                a.insert("cmdlet".into(), Arg::Cmdlet("Get-CsSipDomain".into()));
            }
        }
        a
    }
}

/// Where a delivered offline message appears, within the organisation.
pub const WITHIN_ORGANISATION: &str = "within the organisation a delivered offline message arrives as e-mail of class IM.Note.MissedConversation, in Outlook's Missed Conversations folder and in Conversation History (the Skype for Business recent list)";

/// Where it appears across federation.
pub const ACROSS_FEDERATION: &str = "sent to a federated organisation it arrives as plain e-mail in the recipient's Inbox, not in Missed Conversations or Conversation History";

/// The note a report with no failing check carries (table and Markdown).
pub fn recipient_side_note() -> Msg {
    Msg::new("recipient-side-note")
}

/// What `watch` says of each delivered message: where it appears, and that
/// the recipient's side cannot be checked from here.
pub fn delivered_where() -> String {
    "Where it appears: Missed Conversations and Conversation History for a recipient in the organisation, the Inbox (plain e-mail) across federation; whether the recipient receives it cannot be checked from the sender's machine".to_string()
}

/// The domain of a SIP or e-mail address (`sip:` prefix, case and angle
/// brackets ignored).
pub fn domain_of(address: &str) -> Option<String> {
    let a = address.trim().trim_matches(['<', '>']);
    let a = a
        .strip_prefix("sip:")
        .or_else(|| a.strip_prefix("SIP:"))
        .unwrap_or(a);
    let (_, d) = a.rsplit_once('@')?;
    let d = d
        .trim()
        .trim_end_matches(['>', '.'])
        .split([';', '>', ' '])
        .next()?
        .to_ascii_lowercase();
    (!d.is_empty()).then_some(d)
}

/// The organisation's SIP domains as far as the evidence goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgDomains {
    pub domains: Vec<String>,
    /// From a pasted `Get-CsSipDomain` (else only the sender's own domain).
    pub from_paste: bool,
}

impl OrgDomains {
    pub fn contains(&self, domain: &str) -> bool {
        self.domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
    }
}

/// Where one delivered message appears, for `watch`: "to a@x (same
/// organisation): ..." per recipient group.
pub fn delivered_note(recipients: &[String], org: &OrgDomains) -> String {
    if recipients.is_empty() {
        return format!(
            "recipient not shown in the file: {WITHIN_ORGANISATION}; {ACROSS_FEDERATION}; whether the recipient receives it cannot be checked from here"
        );
    }
    let (inside, outside): (Vec<&String>, Vec<&String>) = recipients
        .iter()
        .partition(|r| domain_of(r).is_some_and(|d| org.contains(&d)));
    let mut parts = Vec::new();
    if !inside.is_empty() {
        parts.push(format!(
            "for {}: in Outlook's Missed Conversations folder and in Conversation History",
            join(&inside)
        ));
    }
    if !outside.is_empty() {
        parts.push(format!(
            "for {} ({}): plain e-mail in the Inbox, not in Missed Conversations or Conversation History",
            join(&outside),
            if org.from_paste {
                "federated"
            } else {
                "probably federated"
            }
        ));
    }
    format!(
        "{}; whether the recipient receives it cannot be checked from here",
        parts.join("; ")
    )
}

/// An address without `sip:`, lower case.
fn bare(a: &str) -> String {
    let a = a.trim().trim_matches(['<', '>']).to_ascii_lowercase();
    a.strip_prefix("sip:").unwrap_or(&a).to_string()
}

fn join(v: &[&String]) -> String {
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

/// The organisation's SIP domains: a pasted `Get-CsSipDomain`, else the
/// sender's own SIP domains.
pub(crate) fn org_domains(ctx: &Context<'_>) -> OrgDomains {
    let pasted: Vec<String> = ctx
        .facts
        .server
        .iter()
        .flat_map(|s| s.sip_domains.iter())
        .map(|d| d.name.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    if !pasted.is_empty() {
        let mut domains = pasted;
        domains.sort();
        domains.dedup();
        return OrgDomains {
            domains,
            from_paste: true,
        };
    }
    let mut domains: Vec<String> = ctx
        .facts
        .profiles
        .iter()
        .filter_map(|p| domain_of(&p.profile.sip_address))
        .collect();
    domains.sort();
    domains.dedup();
    OrgDomains {
        domains,
        from_paste: false,
    }
}

pub fn offline_im_recipients(ctx: &Context<'_>) -> CheckResult {
    let org = org_domains(ctx);
    // Recipients the spooled messages name, each once.
    let mut seen: Vec<(String, Evidence)> = Vec::new();
    for p in &ctx.facts.profiles {
        for f in p.spooler.files() {
            for r in &f.addresses {
                let r = r.trim().to_string();
                if r.is_empty() || seen.iter().any(|(s, _)| s.eq_ignore_ascii_case(&r)) {
                    continue;
                }
                let ev = Evidence::at(
                    EvidenceSource::Spooler,
                    f.path.clone(),
                    None,
                    format!("spooled message to {r}"),
                );
                seen.push((r, ev));
            }
        }
    }
    // Instant messages the client sent, from the log (a MESSAGE the client
    // received names the user's own address: not a recipient).
    let own: Vec<String> = ctx
        .facts
        .profiles
        .iter()
        .map(|p| bare(&p.profile.sip_address))
        .collect();
    for f in &ctx.facts.logs.im_recipients {
        let r = f.value.trim().to_string();
        if r.is_empty() || own.contains(&bare(&r)) || seen.iter().any(|(s, _)| bare(s) == bare(&r))
        {
            continue;
        }
        let mut ev = Evidence::at(
            EvidenceSource::Log,
            f.path.clone(),
            Some(f.line),
            format!("instant message to {r}"),
        );
        ev.timestamp = f.timestamp;
        seen.push((r, ev));
    }
    let mut evidence: Vec<Evidence> = Vec::new();
    let org_words = if org.from_paste {
        format!(
            "the organisation's SIP domains (Get-CsSipDomain): {}",
            org.domains.join(", ")
        )
    } else if org.domains.is_empty() {
        "no SIP domain known for the organisation".to_string()
    } else {
        format!(
            "only the sender's SIP domain is known ({}): Get-CsSipDomain (pasted with --server-config) lists the organisation's",
            org.domains.join(", ")
        )
    };
    evidence.push(Evidence::note(EvidenceSource::Tool, org_words));
    if seen.is_empty() {
        return judged(&RecipientsOutcome::NoneSeen, evidence);
    }
    type Seen<'s> = Vec<&'s (String, Evidence)>;
    let (inside, outside): (Seen, Seen) = seen
        .iter()
        .partition(|(r, _)| domain_of(r).is_some_and(|d| org.contains(&d)));
    for (r, ev) in &outside {
        let mut e = ev.clone();
        e.detail = format!(
            "{}: {} recipient {r}",
            e.detail,
            if org.from_paste {
                "federated"
            } else {
                "probably federated"
            }
        );
        evidence.push(e);
    }
    evidence.extend(inside.iter().map(|(_, e)| e.clone()));
    let outcome = if outside.is_empty() {
        RecipientsOutcome::SameOrg {
            inside: inside.len() as u64,
        }
    } else {
        RecipientsOutcome::Federated {
            inside: inside.len() as u64,
            outside: outside.iter().map(|(r, _)| r.clone()).collect(),
            from_paste: org.from_paste,
        }
    };
    judged(&outcome, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};

    #[test]
    fn every_outcome_speaks_both_languages() {
        for o in [
            RecipientsOutcome::NoneSeen,
            RecipientsOutcome::SameOrg { inside: 1 },
            RecipientsOutcome::SameOrg { inside: 3 },
            RecipientsOutcome::Federated {
                inside: 0,
                outside: vec!["sip:b@fabrikam.test".into()],
                from_paste: true,
            },
            RecipientsOutcome::Federated {
                inside: 2,
                outside: vec!["sip:b@fabrikam.test".into(), "c@x.test".into()],
                from_paste: false,
            },
        ] {
            let r = judged(&o, Vec::new());
            assert_catalogued(&r);
            assert!(matches!(r.status, Status::Info | Status::Skip));
        }
        for lang in [Lang::En, Lang::Fr] {
            assert!(!text(lang, &recipient_side_note()).is_empty());
        }
    }

    #[test]
    fn a_federated_recipient_reads_its_message_in_the_inbox() {
        let r = judged(
            &RecipientsOutcome::Federated {
                inside: 1,
                outside: vec!["sip:b@fabrikam.test".into()],
                from_paste: false,
            },
            Vec::new(),
        );
        let en = text(Lang::En, r.message.as_ref().unwrap());
        assert!(
            en.contains("1 probably federated (sip:b@fabrikam.test)"),
            "{en}"
        );
        assert!(en.contains("plain e-mail in the recipient's Inbox"), "{en}");
        let fr = text(Lang::Fr, r.message.as_ref().unwrap());
        assert!(fr.contains("boîte de réception"), "{fr}");
    }

    #[test]
    fn domains_of_addresses() {
        assert_eq!(
            domain_of("sip:Bob@Fabrikam.COM").as_deref(),
            Some("fabrikam.com")
        );
        assert_eq!(
            domain_of("<sip:bob@fabrikam.com>").as_deref(),
            Some("fabrikam.com")
        );
        assert_eq!(
            domain_of("bob@fabrikam.com;tag=1").as_deref(),
            Some("fabrikam.com")
        );
        assert_eq!(domain_of("no address"), None);
        assert_eq!(domain_of("bob@"), None);
    }

    #[test]
    fn delivered_note_names_where_each_group_reads_it() {
        let org = OrgDomains {
            domains: vec!["contoso.com".into()],
            from_paste: false,
        };
        let n = delivered_note(
            &["sip:a@contoso.com".into(), "sip:b@fabrikam.com".into()],
            &org,
        );
        assert!(
            n.contains("for sip:a@contoso.com: in Outlook's Missed Conversations"),
            "{n}"
        );
        assert!(
            n.contains("for sip:b@fabrikam.com (probably federated): plain e-mail in the Inbox"),
            "{n}"
        );
        assert!(n.contains("cannot be checked"), "{n}");
        let n = delivered_note(&[], &org);
        assert!(
            n.contains("Missed Conversations") && n.contains("Inbox"),
            "{n}"
        );
    }
}
