//! The reason codes of `exchange-online-ews` (combined into [`crate::codes::Code`]).

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

/// Reason codes of `exchange-online-ews`.
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
pub enum ExchangeOnlineEwsCode {
    #[strum(
        message = "Mailbox location unknown, so the Exchange Online EWS shutdown cannot be judged"
    )]
    ExoMailboxUnknown,
    #[strum(message = "On-premises mailbox: the Exchange Online EWS shutdown does not apply")]
    ExoOnPremises,
    #[strum(message = "Exchange Online mailbox before the 2026-10-01 EWS block: what is coming")]
    ExoBeforeBlock,
    #[strum(message = "On or after 2027-04-01: EWS in Exchange Online is off for good")]
    ExoEwsRetired,
    #[strum(message = "EwsEnabled is False for the organisation or the mailbox")]
    ExoEwsDisabled,
    #[strum(message = "An EWS allow or block list leaves the Skype for Business client out")]
    ExoClientNotAllowed,
    #[strum(
        message = "EWS requests to Exchange Online fail on or after 2026-10-01 (no longer given: a bare 401/403 is exo-status-without-policy-reason, a proven block exo-policy-reason-*)"
    )]
    ExoEwsFailingAfterBlock,
    #[strum(message = "Evidence shows EWS working for this client after 2026-10-01")]
    ExoEwsWorking,
    #[strum(
        message = "After 2026-10-01 and nothing says whether the tenant kept EWS for this client"
    )]
    ExoTenantChoiceUnknown,
    #[strum(
        message = "On or after 2026-10-10: organisation EwsEnabled True with an empty EwsAllowedAppIDs blocks all EWS"
    )]
    ExoAllowedAppIdsEmpty,
    #[strum(
        message = "A 403 from Exchange Online with X-EWS-Policy-Reason 'EWS is disabled for this user or tenant': EwsEnabled blocks"
    )]
    ExoPolicyReasonDisabled,
    #[strum(
        message = "A 403 from Exchange Online with X-EWS-Policy-Reason 'EWS is blocked by policy for this user or tenant': EwsAllowedAppIDs or the user-agent lists block"
    )]
    ExoPolicyReasonBlocked,
    #[strum(
        message = "A 403 from Exchange Online with an X-EWS-Policy-Reason of another wording: a policy block, quoted"
    )]
    ExoPolicyReasonOther,
    #[strum(
        message = "A 401 or 403 from Exchange Online on or after 2026-10-01 without X-EWS-Policy-Reason: not proof of the retirement block"
    )]
    ExoStatusWithoutPolicyReason,
    #[strum(
        message = "Organisation EwsEnabled True, but the paste has no EwsAllowedAppIDs (only Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy returns it)"
    )]
    ExoAppIdsNotRetrieved,
    #[strum(
        message = "EwsAllowedAppIDs lists applications but not d3590ed6-52b3-4102-aeff-aad2292ab01c (Microsoft Office); which ID the client presents is unconfirmed"
    )]
    ExoOfficeAppIdNotListed,
    #[strum(
        message = "Organisation EwsEnabled blank (Null): Microsoft switches such tenants to False one by one after 7 days' Message Center notice"
    )]
    ExoOrgEwsUnset,
}
