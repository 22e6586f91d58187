//! `im-auto-archiving` and `server-offline-im`: the switches that turn
//! Offline IM off (seed doc; "Turn on or off offline messages").

use super::{Context, result};
use crate::model::{CheckId, CheckResult, Code, Evidence, Status};
use crate::server_config::Setting;

pub fn im_auto_archiving(ctx: &Context<'_>) -> CheckResult {
    let id = CheckId::ImAutoArchiving;
    let logs = &ctx.facts.logs;
    let mut evidence = Vec::new();
    let mut off: Vec<String> = Vec::new();
    let mut remediation: Vec<String> = Vec::new();
    let mut sources = 0;

    if ctx.logs_read() {
        sources += 1;
        for (fact, what) in [
            (
                &logs.policy_auto_archiving,
                "client policy EnableIMAutoArchiving (in-band provisioning)",
            ),
            (&logs.user_auto_archiving, "user option imAutoArchiving"),
        ] {
            if let Some(f) = fact {
                let mut ev = Evidence::at(
                    f.path.clone(),
                    Some(f.line),
                    format!("{what} = {}", f.value),
                );
                ev.timestamp = f.timestamp;
                evidence.push(ev);
                if !f.value {
                    off.push(format!("{what} is false in the client log"));
                }
            }
        }
        if let Some(f) = &logs.policy_auto_archiving
            && !f.value
        {
            remediation.push("Grant the user a client policy with auto-archiving on: Set-CsClientPolicy -Identity <policy> -EnableIMAutoArchiving $True (or Grant-CsClientPolicy -Identity <user> -PolicyName <policy with it on>); the client picks it up at next sign-in".into());
        }
        if let Some(f) = &logs.user_auto_archiving
            && !f.value
        {
            remediation.push("In Skype for Business: Options > Personal > tick \"Save IM conversations in my email Conversation History folder\"".into());
        }
    }
    if let Some(server) = &ctx.facts.server
        && !server.client_policies.is_empty()
    {
        sources += 1;
        for p in &server.client_policies {
            let v = match &p.enable_im_auto_archiving {
                Setting::Set(b) => b.to_string(),
                Setting::NotSet => "not set (default true)".into(),
                Setting::Invalid(s) => format!("unreadable value {s:?}"),
            };
            evidence.push(Evidence::at(
                server.path.clone(),
                Some(p.line),
                format!("client policy {}: EnableIMAutoArchiving = {v}", p.identity),
            ));
            if p.enable_im_auto_archiving == Setting::Set(false) {
                off.push(format!(
                    "client policy {} has EnableIMAutoArchiving False",
                    p.identity
                ));
                remediation.push(format!(
                    "Set-CsClientPolicy -Identity \"{}\" -EnableIMAutoArchiving $True",
                    p.identity
                ));
            }
        }
    }
    for v in &ctx.facts.machine.policies {
        if v.name.eq_ignore_ascii_case("EnableIMAutoArchiving") {
            sources += 1;
            evidence.push(Evidence::at(
                v.key.clone(),
                None,
                format!("{} = {}", v.name, v.value),
            ));
            if v.value.trim() == "0" || v.value.eq_ignore_ascii_case("false") {
                off.push(format!(
                    "{} sets EnableIMAutoArchiving to {}",
                    v.key, v.value
                ));
                remediation.push(format!(
                    "Remove or set to 1 the EnableIMAutoArchiving value under {} (Group Policy)",
                    v.key
                ));
            }
        }
    }

    if !off.is_empty() {
        return result(
            id,
            Status::Fail,
            Code::ArchivingDisabled,
            format!("Offline IM is off for this sender: {}", off.join("; ")),
            evidence,
            Some(remediation.join(". Then: ")),
        );
    }
    if sources == 0 {
        return result(
            id,
            Status::Skip,
            Code::ArchivingNoSource,
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
        id,
        Status::Pass,
        Code::ArchivingEnabled,
        summary,
        evidence,
        None,
    )
}

pub fn server_offline_im(ctx: &Context<'_>) -> CheckResult {
    let id = CheckId::ServerOfflineIm;
    let Some(server) = &ctx.facts.server else {
        return result(
            id,
            Status::Skip,
            Code::ServerConfigNotGiven,
            "No --server-config: paste Get-CsImConfiguration output into a file and pass it to check the server setting",
            Vec::new(),
            None,
        );
    };
    if server.im_configurations.is_empty() {
        return result(
            id,
            Status::Skip,
            Code::ServerImConfigurationMissing,
            format!("{} holds no Get-CsImConfiguration object", server.path),
            Vec::new(),
            None,
        );
    }
    let mut evidence = Vec::new();
    let mut off = Vec::new();
    let mut unclear = Vec::new();
    for c in &server.im_configurations {
        let v = match &c.enable_offline_im {
            Setting::Set(b) => b.to_string(),
            Setting::NotSet => "not set".into(),
            Setting::Invalid(s) => {
                unclear.push(c.identity.clone());
                format!("unreadable value {s:?}")
            }
        };
        evidence.push(Evidence::at(
            server.path.clone(),
            Some(c.line),
            format!("IM configuration {}: EnableOfflineIm = {v}", c.identity),
        ));
        if c.enable_offline_im == Setting::Set(false) {
            off.push(c.identity.clone());
        }
    }
    if !off.is_empty() {
        return result(
            id,
            Status::Fail,
            Code::ServerOfflineImDisabled,
            format!(
                "EnableOfflineIm is False in IM configuration {}",
                off.join(", ")
            ),
            evidence,
            Some(
                off.iter()
                    .map(|i| {
                        format!("Set-CsImConfiguration -Identity \"{i}\" -EnableOfflineIm $True")
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        );
    }
    let summary = if unclear.is_empty() {
        "EnableOfflineIm is True (or not set: True by default since Skype for Business Server 2015 CU3) in every IM configuration".to_string()
    } else {
        format!(
            "EnableOfflineIm is not False anywhere, but its value could not be read for {}",
            unclear.join(", ")
        )
    };
    result(
        id,
        Status::Pass,
        Code::ServerOfflineImEnabled,
        summary,
        evidence,
        None,
    )
}
