//! `client-support`: is the product that ships this client past its end of
//! support at `--now`? The products, build ranges, channels and dates are
//! data with their sources (`data/landscape.toml`, `docs/landscape.md`).
//! Where the facts leave several products open, only what all of them share
//! is judged.

use super::{Context, result};
use crate::codes::ClientSupportCode;
use crate::landscape::{Candidate, Shared, Support, landscape};
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};

const UPGRADE: &str = "Move the user to a supported client: Skype for Business LTSC 2024 (Office LTSC 2024, supported until 2029-10-09) or Microsoft 365 Apps on a channel that still services its version, deployed with the Office Deployment Tool (Click-to-Run); keep Microsoft 365 Apps updated (File > Office Account > Update Options > Update Now)";

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
    let names = ident
        .candidates
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(" or ");
    let what = match ident.product() {
        Some(c) => c.name.clone(),
        None => format!("This client could be {names}; either way it"),
    };
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
        return result(
            Status::Warn,
            Code::ClientSupport(ClientSupportCode::SupportM365ConnectivityEnded),
            format!(
                "{what} is an Office 2016/2019-era client and the mailbox is in Exchange Online: support for connecting such clients to Microsoft 365 services ended on {end}{}",
                match ident.shared() {
                    Shared::Ended => ", and the product itself is past its end of support",
                    _ => "",
                }
            ),
            evidence,
            Some(UPGRADE.to_string()),
        );
    }
    match ident.shared() {
        Shared::Ended => result(Status::Warn,
            Code::ClientSupport(ClientSupportCode::SupportEnded),
            match ident.product() {
                Some(c) => format!(
                    "{what} is past its end of support on {now}{}: no security or bug fixes, and Microsoft no longer helps with problems such as Offline IM",
                    match &c.support {
                        Support::Ended(d) => format!(" (ended {d})"),
                        _ => String::new(),
                    }
                ),
                None => format!("{what} is past its end of support on {now}"),
            },
            evidence,
            Some(UPGRADE.to_string()),
        ),
        Shared::Supported => result(Status::Pass,
            Code::ClientSupport(ClientSupportCode::SupportCurrent),
            match ident.product() {
                Some(c) => match &c.support {
                    Support::Until(d) => format!("{what} is supported until {d}"),
                    Support::ServicedAsOf { as_of } => format!(
                        "{what}: its channel still serviced this version on {as_of}, the newest servicing list this tool has; keep it updated"
                    ),
                    _ => format!("{what} is supported"),
                },
                None => format!("{what} is supported on {now}"),
            },
            evidence,
            None,
        ),
        Shared::Disagree => result(Status::Info,
            Code::ClientSupport(ClientSupportCode::SupportProductsDisagree),
            format!(
                "The product cannot be told from what was seen: it could be {names}, and they differ in support on {now}"
            ),
            evidence,
            Some("Run the tool on the user's machine (it reads ProductReleaseIds and the update channel from the Click-to-Run registry), or check Control Panel > Programs for the installed Office product".to_string()),
        ),
        Shared::Unknown => result(Status::Info,
            Code::ClientSupport(ClientSupportCode::SupportProductUnknown),
            if ident.candidates.is_empty() {
                "The product cannot be told: no Click-to-Run registry, lync.exe or client build was seen".to_string()
            } else {
                format!("The support of {names} cannot be judged from what was seen")
            },
            evidence,
            Some("Pass --client-version 16.0.B.R (lync.exe's file version), or run the tool on the user's machine so it reads the Click-to-Run registry".to_string()),
        ),
    }
}
