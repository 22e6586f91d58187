//! What `exchange-online-ews` concluded, as data: [`ExoOutcome`]. The code
//! and the status follow from the variant; the words are the catalogue's
//! (`locales/*/offline-im-doctor.ftl`, section `exchange-online-ews`). The
//! dates and the cmdlet and property names come from `data/landscape.toml`
//! and reach the messages as typed values.

use std::collections::BTreeMap;

use super::ExchangeOnlineEwsCode as C;
use super::facts::ENFORCE_ALLOW_LIST;
use crate::checks::Outcome;
use crate::i18n::{Arg, Msg};
use crate::landscape::{EwsSettingsNames, PolicyReason, landscape};
use crate::model::{Code, Status};

/// Why nothing seen says whether the tenant kept EWS for this client
/// (`exo-tenant-choice-unknown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unsettled {
    /// Organisation `EwsEnabled` True with an empty `EwsAllowedAppIDs`,
    /// before the day that blocks it.
    AppIdsEmpty,
    /// `EwsAllowedAppIDs` lists the Office app ID, which may or may not be
    /// the client's.
    OfficeAppIdListed,
    /// Only mailbox settings pasted, none against the client.
    MailboxOnly,
    /// No settings pasted and no EWS answer since the block.
    Nothing,
}

impl Unsettled {
    fn key(self) -> &'static str {
        match self {
            Unsettled::AppIdsEmpty => "app-ids-empty",
            Unsettled::OfficeAppIdListed => "office-app-id-listed",
            Unsettled::MailboxOnly => "mailbox-only",
            Unsettled::Nothing => "nothing",
        }
    }
}

/// What the check concluded about EWS in Exchange Online for this client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ExoOutcome {
    /// The mailbox location is unknown.
    MailboxUnknown,
    /// The mailbox is on-premises: the retirement does not apply.
    OnPremises,
    /// On or after the end: EWS in Exchange Online is gone.
    Retired,
    /// Pasted `EwsEnabled` False (organisation or mailbox).
    Disabled,
    /// A pasted user-agent allow or block list leaves the client out.
    ClientNotAllowed,
    /// Exchange Online refused with the block's status and
    /// `X-EWS-Policy-Reason`; `kind` is what the reason says, `None` for
    /// an undocumented wording.
    PolicyReason {
        kind: Option<PolicyReason>,
        status: u16,
        reason: String,
    },
    /// Organisation `EwsEnabled` True with an empty `EwsAllowedAppIDs`, on
    /// or after the day that blocks it.
    AppIdsEmpty,
    /// A successful EWS answer from Exchange Online since the block.
    Working,
    /// Before the block: what is coming.
    BeforeBlock,
    /// A 401/403 from Exchange Online since the block without the header.
    StatusWithoutPolicyReason { status: u16 },
    /// Organisation `EwsEnabled` True, the paste lacks `EwsAllowedAppIDs`.
    AppIdsNotRetrieved,
    /// `EwsAllowedAppIDs` without the Office app ID.
    OfficeAppIdNotListed,
    /// Organisation `EwsEnabled` blank (Null).
    OrgUnset,
    /// Nothing seen settles whether the tenant kept EWS for this client.
    TenantChoiceUnknown(Unsettled),
}

/// The cmdlet of a `Get-...` command line in the data
/// (`Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | ...` →
/// `Get-OrganizationConfig`).
fn cmdlet_of(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or_default()
}

/// The `Set-` cmdlet that pairs with a `Get-` one (PowerShell's verb-noun
/// pairs: `Get-OrganizationConfig` → `Set-OrganizationConfig`).
fn set_cmdlet(get: &str) -> String {
    format!("Set-{}", get.strip_prefix("Get-").unwrap_or(get))
}

/// `Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Format-List
/// EwsEnabled,EwsAllowedAppIDs`: the organisation's switch and its list.
fn retrieve_cmdlet(n: &EwsSettingsNames) -> Arg {
    Arg::Cmdlet(format!(
        "{} {} | Format-List {},{}",
        cmdlet_of(&n.organization_cmdlet),
        n.retrieve_switch,
        n.enabled_property,
        n.app_allow_list_property
    ))
}

/// `Get-CASMailbox -Identity <sender> | Format-List EwsEnabled`: the
/// mailbox's switch alone.
fn mailbox_enabled_cmdlet(n: &EwsSettingsNames) -> Arg {
    let get = n.mailbox_cmdlet.split(" | ").next().unwrap_or_default();
    Arg::Cmdlet(format!("{get} | Format-List {}", n.enabled_property))
}

fn code(s: &str) -> Arg {
    Arg::Code(s.to_string())
}

/// The steps of the admin's fix while EWS still exists, for what blocks
/// (`None`: either).
fn keep_ews(reason: Option<PolicyReason>) -> Vec<Msg> {
    let l = landscape();
    let n = &l.ews.settings;
    let org_set = set_cmdlet(cmdlet_of(&n.organization_cmdlet));
    let enabled = [
        Msg::new("step-exo-enable-org").with(
            "cmdlet",
            Arg::Cmdlet(format!("{org_set} -{} $true", n.enabled_property)),
        ),
        Msg::new("step-exo-enable-mailbox")
            .with("enabled", code(&n.enabled_property))
            .with("cmdlet", mailbox_enabled_cmdlet(n)),
    ];
    let lists = [
        Msg::new("step-exo-read-app-ids")
            .with("cmdlet", retrieve_cmdlet(n))
            .with(
                "set",
                Arg::Cmdlet(format!("{org_set} -{}", n.app_allow_list_property)),
            ),
        Msg::new("step-exo-add-app-id").with("office", code(&n.office_app_id)),
        Msg::new("step-exo-user-agents")
            .with("policy", code(&n.access_policy_property))
            .with("allow-policy", code(ENFORCE_ALLOW_LIST))
            .with(
                "patterns",
                Arg::List(
                    n.client_user_agent_patterns
                        .iter()
                        .map(|p| code(p))
                        .collect(),
                ),
            )
            .with("allow-list", code(&n.allow_list_property)),
    ];
    let mut steps: Vec<Msg> = match reason {
        Some(PolicyReason::Disabled) => enabled.to_vec(),
        Some(PolicyReason::BlockedByPolicy) => lists.to_vec(),
        None => enabled.into_iter().chain(lists).collect(),
    };
    steps.push(Msg::new("step-exo-until-end").with("end", l.ews.end));
    steps
}

/// What to ask the Exchange Online admin when the settings are not known.
fn ask_admin() -> Vec<Msg> {
    let l = landscape();
    let n = &l.ews.settings;
    vec![
        Msg::new("step-exo-ask-settings")
            .with("org-cmdlet", Arg::Cmdlet(n.organization_cmdlet.clone()))
            .with("mailbox-cmdlet", Arg::Cmdlet(n.mailbox_cmdlet.clone()))
            .with("option", code("--server-config")),
        Msg::new("step-exo-usage-report"),
        plan_end(),
    ]
}

fn plan_end() -> Msg {
    Msg::new("step-exo-plan-end").with("end", landscape().ews.end)
}

impl Outcome for ExoOutcome {
    fn code(&self) -> Code {
        let c = match self {
            ExoOutcome::MailboxUnknown => C::ExoMailboxUnknown,
            ExoOutcome::OnPremises => C::ExoOnPremises,
            ExoOutcome::Retired => C::ExoEwsRetired,
            ExoOutcome::Disabled => C::ExoEwsDisabled,
            ExoOutcome::ClientNotAllowed => C::ExoClientNotAllowed,
            ExoOutcome::PolicyReason { kind, .. } => match kind {
                Some(PolicyReason::Disabled) => C::ExoPolicyReasonDisabled,
                Some(PolicyReason::BlockedByPolicy) => C::ExoPolicyReasonBlocked,
                None => C::ExoPolicyReasonOther,
            },
            ExoOutcome::AppIdsEmpty => C::ExoAllowedAppIdsEmpty,
            ExoOutcome::Working => C::ExoEwsWorking,
            ExoOutcome::BeforeBlock => C::ExoBeforeBlock,
            ExoOutcome::StatusWithoutPolicyReason { .. } => C::ExoStatusWithoutPolicyReason,
            ExoOutcome::AppIdsNotRetrieved => C::ExoAppIdsNotRetrieved,
            ExoOutcome::OfficeAppIdNotListed => C::ExoOfficeAppIdNotListed,
            ExoOutcome::OrgUnset => C::ExoOrgEwsUnset,
            ExoOutcome::TenantChoiceUnknown(_) => C::ExoTenantChoiceUnknown,
        };
        c.into()
    }

    fn status(&self) -> Status {
        match self {
            ExoOutcome::MailboxUnknown => Status::Skip,
            ExoOutcome::OnPremises | ExoOutcome::Working | ExoOutcome::BeforeBlock => Status::Pass,
            ExoOutcome::Retired
            | ExoOutcome::Disabled
            | ExoOutcome::ClientNotAllowed
            | ExoOutcome::PolicyReason { .. }
            | ExoOutcome::AppIdsEmpty => Status::Fail,
            ExoOutcome::StatusWithoutPolicyReason { .. }
            | ExoOutcome::AppIdsNotRetrieved
            | ExoOutcome::OfficeAppIdNotListed
            | ExoOutcome::OrgUnset
            | ExoOutcome::TenantChoiceUnknown(_) => Status::Warn,
        }
    }

    /// The values the summary names: the dates and names of
    /// `data/landscape.toml`, and what the variant saw.
    fn args(&self) -> BTreeMap<String, Arg> {
        let ews = &landscape().ews;
        let n = &ews.settings;
        let value = |name: &str| -> Arg {
            match name {
                "from" => ews.block_from.into(),
                "required" => ews.app_ids_required_from.into(),
                "end" => ews.end.into(),
                "enabled" => code(&n.enabled_property),
                "app-ids" => code(&n.app_allow_list_property),
                "header" => code(&ews.blocked_response.header),
                "policy" => code(&n.access_policy_property),
                "allow-list" => code(&n.allow_list_property),
                "block-list" => code(&n.block_list_property),
                "office" => code(&n.office_app_id),
                "cmdlet" => retrieve_cmdlet(n),
                "days" => Arg::Count(ews.null_notice_days.into()),
                // Only the names below reach here.
                other => Arg::Text(other.to_string()),
            }
        };
        let names: &[&str] = match self {
            ExoOutcome::MailboxUnknown | ExoOutcome::OnPremises | ExoOutcome::ClientNotAllowed => {
                &[]
            }
            ExoOutcome::Retired => &["end"],
            ExoOutcome::Disabled => &["enabled"],
            ExoOutcome::PolicyReason { kind, .. } => match kind {
                Some(PolicyReason::Disabled) => &["header", "enabled"],
                Some(PolicyReason::BlockedByPolicy) => {
                    &["header", "app-ids", "policy", "allow-list", "block-list"]
                }
                None => &["header", "enabled", "app-ids"],
            },
            ExoOutcome::AppIdsEmpty => &["enabled", "app-ids", "required"],
            ExoOutcome::Working => &["from", "end"],
            ExoOutcome::BeforeBlock => &["from", "required", "enabled", "app-ids", "end"],
            ExoOutcome::StatusWithoutPolicyReason { .. } => &["from", "header"],
            ExoOutcome::AppIdsNotRetrieved => &["enabled", "app-ids", "cmdlet", "required"],
            ExoOutcome::OfficeAppIdNotListed => &["app-ids", "office"],
            ExoOutcome::OrgUnset => &["enabled", "required", "days", "app-ids"],
            ExoOutcome::TenantChoiceUnknown(why) => match why {
                Unsettled::AppIdsEmpty => &["enabled", "app-ids", "required"],
                Unsettled::OfficeAppIdListed => &["app-ids", "office", "from"],
                Unsettled::MailboxOnly | Unsettled::Nothing => &["from"],
            },
        };
        let mut args: BTreeMap<String, Arg> =
            names.iter().map(|&k| (k.to_string(), value(k))).collect();
        match self {
            ExoOutcome::PolicyReason { status, reason, .. } => {
                args.insert("status".into(), Arg::Status(*status));
                args.insert("reason".into(), Arg::Text(reason.clone()));
            }
            ExoOutcome::StatusWithoutPolicyReason { status } => {
                args.insert("status".into(), Arg::Status(*status));
            }
            ExoOutcome::TenantChoiceUnknown(why) => {
                args.insert("why".into(), Arg::Key(why.key().into()));
            }
            _ => {}
        }
        args
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            ExoOutcome::MailboxUnknown => vec![
                Msg::new("step-exo-pass-mailbox")
                    .with("online", code("--mailbox online"))
                    .with("on-premises", code("--mailbox on-premises")),
            ],
            ExoOutcome::OnPremises => Vec::new(),
            ExoOutcome::Retired => vec![Msg::new("step-exo-move-mailbox")],
            ExoOutcome::Disabled => keep_ews(Some(PolicyReason::Disabled)),
            ExoOutcome::ClientNotAllowed | ExoOutcome::AppIdsEmpty => {
                keep_ews(Some(PolicyReason::BlockedByPolicy))
            }
            ExoOutcome::PolicyReason { kind, .. } => keep_ews(*kind),
            ExoOutcome::Working => vec![plan_end()],
            ExoOutcome::StatusWithoutPolicyReason { .. } => {
                let header = &landscape().ews.blocked_response.header;
                let mut steps = vec![
                    Msg::new("step-exo-capture-headers")
                        .with("probe", code("--probe"))
                        .with("header", code(header)),
                ];
                steps.extend(ask_admin());
                steps
            }
            ExoOutcome::BeforeBlock
            | ExoOutcome::AppIdsNotRetrieved
            | ExoOutcome::OfficeAppIdNotListed
            | ExoOutcome::OrgUnset
            | ExoOutcome::TenantChoiceUnknown(_) => ask_admin(),
        }
    }
}
