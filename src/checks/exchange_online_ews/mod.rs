//! `exchange-online-ews`: Offline IM rides on EWS, and EWS in Exchange Online
//! is being retired: the rollout began on 2026-10-01, from 2026-10-10
//! `EwsEnabled` True needs an `EwsAllowedAppIDs` list, tenants left blank
//! are switched off one by one after notice, and on 2027-04-01 EWS there is
//! off for good (`data/landscape.toml`, `docs/landscape.md`). Judged from the
//! mailbox location, `--now`, pasted `Get-OrganizationConfig` /
//! `Get-CASMailbox` EWS settings, the EWS outcomes in the client logs and
//! the `--probe` answer. Only a 403 with `X-EWS-Policy-Reason` proves the
//! block; a bare 401/403 is a warning; 5xx, DNS and TLS failures are left to
//! `ews-access` / `ews-reachability`.
//!
//! `facts` gathers (pasted settings, EWS answers), `judge` picks the
//! [`outcome::ExoOutcome`], whose words are the catalogue's.

mod code;
mod facts;
mod judge;
mod outcome;
#[cfg(test)]
mod tests;

pub use code::ExchangeOnlineEwsCode;

use super::Context;
use crate::model::CheckResult;

pub fn exchange_online_ews(ctx: &Context<'_>) -> CheckResult {
    let settings = facts::pasted_settings(ctx);
    let answers = facts::ews_answers(ctx);
    judge::judge(ctx, settings.as_ref(), &answers)
}
