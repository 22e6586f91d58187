//! `client-support`: is the product that ships this client past its end of
//! support at `--now`? The products, build ranges, channels and dates are
//! data with their sources (`data/landscape.toml`, `docs/landscape.md`).
//! Where the facts leave several products open, only what all of them share
//! is judged.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::client_build::update_now;
use super::{Context, Outcome, judged};
use crate::i18n::{Arg, Msg};
use crate::landscape::{Candidate, Shared, Support, landscape};
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};

/// The supported client the upgrade step names (`data/landscape.toml`).
const SUPPORTED_CLIENT: &str = "sfb-ltsc-2024";

/// Reason codes of `client-support`.
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
pub enum ClientSupportCode {
    #[strum(
        message = "The client's product (every product it could be) is past its end of support"
    )]
    SupportEnded,
    #[strum(message = "The client's product (every product it could be) is supported")]
    SupportCurrent,
    #[strum(message = "The product could be several, and they differ in support")]
    SupportProductsDisagree,
    #[strum(message = "The product cannot be told (no registry, build or lync.exe)")]
    SupportProductUnknown,
    #[strum(
        message = "An Office 2016/2019-era client with a mailbox in Exchange Online: support for connecting to Microsoft 365 services ended 2023-10-10"
    )]
    SupportM365ConnectivityEnded,
}

/// How a supported product is supported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Supported {
    Until(NaiveDate),
    /// Its channel still serviced this version on this day.
    ServicedAsOf(NaiveDate),
    Yes,
    /// Several products, all supported.
    Either,
}

/// What the check concluded; `names` are the products the client could be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SupportOutcome {
    M365ConnectivityEnded {
        names: Vec<String>,
        end: NaiveDate,
        product_ended: bool,
    },
    Ended {
        names: Vec<String>,
        ended: Option<NaiveDate>,
        now: NaiveDate,
    },
    Supported {
        names: Vec<String>,
        how: Supported,
        now: NaiveDate,
    },
    Disagree {
        names: Vec<String>,
        now: NaiveDate,
    },
    Unknown {
        names: Vec<String>,
    },
}

fn names_arg(names: &[String]) -> Arg {
    Arg::any_of(names.iter().map(|n| Arg::Text(n.clone())).collect())
}

impl Outcome for SupportOutcome {
    fn code(&self) -> Code {
        use ClientSupportCode as C;
        match self {
            Self::M365ConnectivityEnded { .. } => C::SupportM365ConnectivityEnded,
            Self::Ended { .. } => C::SupportEnded,
            Self::Supported { .. } => C::SupportCurrent,
            Self::Disagree { .. } => C::SupportProductsDisagree,
            Self::Unknown { .. } => C::SupportProductUnknown,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::M365ConnectivityEnded { .. } | Self::Ended { .. } => Status::Warn,
            Self::Supported { .. } => Status::Pass,
            Self::Disagree { .. } | Self::Unknown { .. } => Status::Info,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        let (names, now) = match self {
            Self::M365ConnectivityEnded {
                names,
                end,
                product_ended,
            } => {
                a.insert("end".into(), Arg::Date(*end));
                a.insert(
                    "ended".into(),
                    Arg::Key(if *product_ended { "yes" } else { "no" }.into()),
                );
                (names, None)
            }
            Self::Ended { names, ended, now } => {
                a.insert(
                    "ended".into(),
                    match ended {
                        Some(d) => Arg::Date(*d),
                        None => Arg::Key("none".into()),
                    },
                );
                (names, Some(now))
            }
            Self::Supported { names, how, now } => {
                let (key, day) = match how {
                    Supported::Until(d) => ("until", Some(d)),
                    Supported::ServicedAsOf(d) => ("serviced", Some(d)),
                    Supported::Yes => ("supported", None),
                    Supported::Either => ("either", None),
                };
                a.insert("how".into(), Arg::Key(key.into()));
                a.insert(
                    "day".into(),
                    day.map_or(Arg::Key("none".into()), |d| Arg::Date(*d)),
                );
                (names, Some(now))
            }
            Self::Disagree { names, now } => (names, Some(now)),
            Self::Unknown { names } => (names, None),
        };
        a.insert("count".into(), Arg::Count(names.len() as u64));
        a.insert("names".into(), names_arg(names));
        if let Some(now) = now {
            a.insert("now".into(), Arg::Date(*now));
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::M365ConnectivityEnded { .. } | Self::Ended { .. } => {
                let client = landscape()
                    .products
                    .iter()
                    .find(|p| p.id == SUPPORTED_CLIENT);
                let mut upgrade = Msg::new("step-support-upgrade").with(
                    "ltsc",
                    Arg::Text(client.map_or_else(String::new, |p| p.name.clone())),
                );
                upgrade = match client.and_then(|p| p.support_ends) {
                    Some(d) => upgrade.with("until", Arg::Date(d)),
                    None => upgrade.with("until", Arg::Key("none".into())),
                };
                vec![upgrade, update_now()]
            }
            Self::Disagree { .. } => vec![Msg::new("step-support-identify")],
            Self::Unknown { .. } => vec![
                Msg::new("step-support-pass-version")
                    .with("option", Arg::Code("--client-version 16.0.B.R".into())),
            ],
            Self::Supported { .. } => Vec::new(),
        }
    }
}

fn describe(c: &Candidate) -> String {
    match &c.support {
        Support::Until(d) => format!("{}: supported until {d}", c.name),
        Support::Ended(d) => format!("{}: support ended {d}", c.name),
        Support::ServicedAsOf { as_of } => format!(
            "{}: its channel still serviced this version on {as_of} (the newest servicing list this tool has)",
            c.name
        ),
        Support::NotServiced { as_of, oldest } => format!(
            "{}: older than every version its channel serviced on {as_of} (oldest {oldest})",
            c.name
        ),
        Support::Unknown => format!("{}: no build to judge its channel's servicing by", c.name),
    }
}

pub fn client_support(ctx: &Context<'_>) -> CheckResult {
    let (outcome, evidence) = judge(ctx);
    judged(&outcome, evidence)
}

fn judge(ctx: &Context<'_>) -> (SupportOutcome, Vec<Evidence>) {
    let ident = &ctx.client.product;
    let mut evidence: Vec<Evidence> = ident
        .how
        .iter()
        .map(|h| Evidence::note(EvidenceSource::Tool, h))
        .collect();
    evidence.extend(
        ident
            .candidates
            .iter()
            .map(|c| Evidence::note(EvidenceSource::Tool, describe(c))),
    );
    let names: Vec<String> = ident.candidates.iter().map(|c| c.name.clone()).collect();
    let now = ctx.settings.now.date_naive();
    let l = landscape();
    evidence.push(Evidence::note(
        EvidenceSource::Tool,
        format!(
            "Microsoft 365 Apps servicing as of the newest list this tool has: {}",
            l.serviced
                .iter()
                .map(|s| format!(
                    "{} from {} ({}) on {}",
                    s.channel, s.oldest_version, s.oldest_build, s.as_of
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    ));
    if let Some(c) = ident.product()
        && c.product.m365_connectivity_ends.is_some()
        && c.product.m365_connectivity_ends != c.product.support_ends
        && c.product.m365_connectivity_ends != l.m365_connectivity.office_2016_2019_end
    {
        evidence.push(Evidence::note(EvidenceSource::Tool, format!(
            "{}: the Microsoft 365 connectivity table gives {} (the lifecycle date {} is the one shown)",
            c.name,
            c.product.m365_connectivity_ends.map(|d| d.to_string()).unwrap_or_default(),
            c.product.support_ends.map(|d| d.to_string()).unwrap_or_default()
        )));
    }
    // Office 2016/2019-era clients with a mailbox in Exchange Online.
    if let Some(end) = l.m365_connectivity.office_2016_2019_end
        && ctx.mailbox.location == crate::model::MailboxLocation::Online
        && !ident.candidates.is_empty()
        && ident.candidates.iter().all(|c| c.office_2016_2019_era(l))
        && now >= end
    {
        evidence.push(Evidence::note(EvidenceSource::Tool, format!(
            "Office 2016/2019-era clients lost support for connecting to Microsoft 365 services (Exchange Online included) on {end}: connections are not blocked, but Microsoft no longer fixes their problems with them ({})",
            l.m365_connectivity.sources.first().cloned().unwrap_or_default()
        )));
        let outcome = SupportOutcome::M365ConnectivityEnded {
            names,
            end,
            product_ended: ident.shared() == Shared::Ended,
        };
        return (outcome, evidence);
    }
    let outcome = match ident.shared() {
        Shared::Ended => SupportOutcome::Ended {
            ended: ident.product().and_then(|c| match &c.support {
                Support::Ended(d) => Some(*d),
                _ => None,
            }),
            names,
            now,
        },
        Shared::Supported => SupportOutcome::Supported {
            how: match ident.product().map(|c| &c.support) {
                Some(Support::Until(d)) => Supported::Until(*d),
                Some(Support::ServicedAsOf { as_of }) => Supported::ServicedAsOf(*as_of),
                Some(_) => Supported::Yes,
                None => Supported::Either,
            },
            names,
            now,
        },
        Shared::Disagree => SupportOutcome::Disagree { names, now },
        Shared::Unknown => SupportOutcome::Unknown { names },
    };
    (outcome, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn all() -> Vec<SupportOutcome> {
        let one = || vec!["Skype for Business 2016 (MSI)".to_string()];
        let two = || {
            vec![
                "Skype for Business 2016 (Click-to-Run)".to_string(),
                "Microsoft 365 Apps".to_string(),
            ]
        };
        let now = day("2026-12-04");
        let mut v = Vec::new();
        for names in [one(), two()] {
            for product_ended in [true, false] {
                v.push(SupportOutcome::M365ConnectivityEnded {
                    names: names.clone(),
                    end: day("2023-10-10"),
                    product_ended,
                });
            }
            v.push(SupportOutcome::Ended {
                names: names.clone(),
                ended: Some(day("2025-10-14")),
                now,
            });
            v.push(SupportOutcome::Ended {
                names: names.clone(),
                ended: None,
                now,
            });
            for how in [
                Supported::Until(day("2029-10-09")),
                Supported::ServicedAsOf(day("2026-11-11")),
                Supported::Yes,
                Supported::Either,
            ] {
                v.push(SupportOutcome::Supported {
                    names: names.clone(),
                    how,
                    now,
                });
            }
            v.push(SupportOutcome::Disagree {
                names: names.clone(),
                now,
            });
            v.push(SupportOutcome::Unknown { names });
        }
        v.push(SupportOutcome::Unknown { names: vec![] });
        v
    }

    #[test]
    fn every_outcome_speaks_both_languages() {
        for o in all() {
            assert_catalogued(&judged(&o, Vec::new()));
        }
    }

    #[test]
    fn the_upgrade_names_the_supported_client_and_its_date_from_the_data() {
        let r = judged(
            &SupportOutcome::Ended {
                names: vec!["Skype for Business 2016 (MSI)".into()],
                ended: Some(day("2025-10-14")),
                now: day("2026-12-04"),
            },
            Vec::new(),
        );
        assert_eq!(r.status, Status::Warn);
        let step = text(Lang::En, &r.steps[0]);
        assert!(
            step.contains(
                "Skype for Business LTSC 2024 (Office LTSC 2024, supported until 2029-10-09)"
            ),
            "{step}"
        );
        let fr = text(Lang::Fr, &r.steps[0]);
        assert!(fr.contains("09/10/2029"), "{fr}");
    }
}
