use super::*;

const PASTE: &str = "PS C:\\> Get-CsImConfiguration\r\n\r\nIdentity                  : Global\r\nEnableOfflineIm           : True\r\nEnableFileTransfer        : \r\n\r\nIdentity : Site:Redmond\r\nenableofflineim : False\r\n\r\nIdentity                              : Tag:NoArchive\r\nEnableIMAutoArchiving                 : False\r\nDisableSavingIM                       : \r\n";

fn ok(text: &str) -> ServerConfig {
    parse(text, "x").unwrap()
}

#[test]
fn parses_blocks_crlf_and_identities() {
    let c = ok(PASTE);
    assert_eq!(c.im_configurations.len(), 2);
    assert_eq!(c.im_configurations[0].identity, "Global");
    assert_eq!(c.im_configurations[0].enable_offline_im, Setting::Set(true));
    assert_eq!(c.im_configurations[1].identity, "Site:Redmond");
    assert_eq!(
        c.im_configurations[1].enable_offline_im,
        Setting::Set(false)
    );
    assert_eq!(c.im_configurations[1].line, 8);
    assert_eq!(c.im_configurations[1].path, "x");
    assert_eq!(c.client_policies[0].identity, "Tag:NoArchive");
    assert_eq!(
        c.client_policies[0].enable_im_auto_archiving,
        Setting::Set(false)
    );
    assert_eq!(c.client_policies[0].disable_saving_im, Setting::NotSet);
}

#[test]
fn blank_is_not_set_and_junk_is_invalid() {
    let c = ok(
        "Identity : Global\nEnableOfflineIm :\n\nIdentity: Tag:x\nEnableIMAutoArchiving : maybe\n",
    );
    assert_eq!(c.im_configurations[0].enable_offline_im, Setting::NotSet);
    assert_eq!(
        c.client_policies[0].enable_im_auto_archiving,
        Setting::Invalid("maybe".into())
    );
}

#[test]
fn utf16_with_bom() {
    let mut b = vec![0xFF, 0xFE];
    for u in "Identity : Global\r\nEnableOfflineIm : False\r\n".encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    let c = parse_bytes(&b, "x").unwrap();
    assert_eq!(
        c.im_configurations[0].enable_offline_im,
        Setting::Set(false)
    );
}

#[test]
fn get_csuser_list_view_and_policy_lookup() {
    let c = ok(
        "Identity          : CN=Ken Myer,OU=Users,DC=contoso,DC=test\nSipAddress        : sip:kenmyer@contoso.test\nUserPrincipalName : kenmyer@contoso.test\nClientPolicy      : NoArchive\nVoicePolicy       :\n\nIdentity     : CN=Pilar,DC=contoso,DC=test\nSipAddress   : sip:pilar@contoso.test\nClientPolicy :\n\nIdentity : Tag:NoArchive\nEnableIMAutoArchiving : False\n",
    );
    assert_eq!(c.users.len(), 2);
    let ken = &c.users[0];
    assert_eq!(ken.client_policy.as_deref(), Some("NoArchive"));
    assert_eq!(ken.line, 4);
    assert!(ken.is("kenmyer@contoso.test"));
    assert!(ken.is("sip:KenMyer@contoso.test"));
    assert!(!ken.is("pilar@contoso.test"));
    assert_eq!(c.users[1].client_policy, None, "blank: no per-user policy");
    assert_eq!(
        c.client_policy("NoArchive").map(|p| p.identity.as_str()),
        Some("Tag:NoArchive")
    );
    assert_eq!(c.client_policy("tag:noarchive").map(|p| p.line), Some(12));
    assert!(c.client_policy("Other").is_none());
}

#[test]
fn select_object_client_policy_table_has_no_address() {
    let c = ok(
        "PS> Get-CsUser sip:ken@contoso.test | Select-Object ClientPolicy\n\nClientPolicy\n------------\nNoArchive\n\n",
    );
    assert_eq!(c.users.len(), 1);
    assert_eq!(c.users[0].sip_address, None);
    assert_eq!(c.users[0].client_policy.as_deref(), Some("NoArchive"));
    assert_eq!(c.users[0].line, 5);
}

#[test]
fn client_policy_table_view() {
    let c = ok(
        "Identity                 DisableSavingIM EnableIMAutoArchiving\n--------                 --------------- ---------------------\nGlobal                   False           True\nTag:NoArchive            False           False\n",
    );
    assert_eq!(c.client_policies.len(), 2);
    assert_eq!(c.client_policies[1].identity, "Tag:NoArchive");
    assert_eq!(
        c.client_policies[1].enable_im_auto_archiving,
        Setting::Set(false)
    );
    assert_eq!(c.client_policies[1].disable_saving_im, Setting::Set(false));
    assert_eq!(c.client_policies[1].line, 4);
}

#[test]
fn ambiguous_table_names_file_line_and_format_list() {
    let e = parse(
        "Identity      EnableIMAutoArchiving\n--------      ---------------------\nTag:Very...   False\n",
        "policies.txt",
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("policies.txt, line 3"), "{msg}");
    assert!(msg.contains("Format-List"), "{msg}");
}

#[test]
fn organization_config_with_app_id_allow_list() {
    let c = ok(
        "Name                       : contoso.onmicrosoft.test\nIdentity                   : contoso.onmicrosoft.test\nEwsAllowEntourage          :\nEwsAllowList               : {SkypeForBusiness/*, OC/*}\nEwsAllowMacOutlook         :\nEwsAllowOutlook            :\nEwsAllowedAppIDs           : {00000004-0000-0ff1-ce00-000000000000,\n                             d3590ed6-52b3-4102-aeff-aad2292ab01c}\nEwsApplicationAccessPolicy : EnforceAllowList\nEwsBlockList               : {}\nEwsEnabled                 : True\nIsDehydrated               : False\n",
    );
    assert_eq!(c.organization.len(), 1);
    assert!(c.cas_mailboxes.is_empty());
    let o = &c.organization[0];
    assert_eq!(o.identity.as_deref(), Some("contoso.onmicrosoft.test"));
    assert_eq!(o.ews.ews_enabled, Setting::Set(true));
    assert_eq!(
        o.ews.ews_application_access_policy.as_deref(),
        Some("EnforceAllowList")
    );
    assert_eq!(o.ews.ews_allow_list, ["SkypeForBusiness/*", "OC/*"]);
    assert!(o.ews.ews_block_list.is_empty());
    assert_eq!(
        o.ews_allowed_app_ids,
        Some(vec![
            "00000004-0000-0ff1-ce00-000000000000".to_string(),
            "d3590ed6-52b3-4102-aeff-aad2292ab01c".to_string()
        ])
    );
    assert!(o.ews.truncated.is_empty());
    assert_eq!(o.ews.line, 11);
}

#[test]
fn cas_mailbox_with_truncated_block_list_and_unset_ews() {
    let c = ok(
        "Name                       : Ken Myer\r\nPrimarySmtpAddress         : kenmyer@contoso.test\r\nEwsEnabled                 :\r\nEwsApplicationAccessPolicy :\r\nEwsAllowList               :\r\nEwsBlockList               : {A/*, B/*, C/*, D/*...}\r\nOWAEnabled                 : True\r\n",
    );
    assert_eq!(c.cas_mailboxes.len(), 1);
    let m = &c.cas_mailboxes[0];
    assert_eq!(
        m.primary_smtp_address.as_deref(),
        Some("kenmyer@contoso.test")
    );
    assert_eq!(m.ews.ews_enabled, Setting::NotSet);
    assert_eq!(m.ews.ews_application_access_policy, None);
    assert!(m.ews.ews_allow_list.is_empty());
    assert_eq!(m.ews.ews_block_list, ["A/*", "B/*", "C/*", "D/*"]);
    assert_eq!(m.ews.truncated, ["EwsBlockList"]);
    assert_eq!(m.ews.line, 3);
    assert_eq!(m.ews.enabled(), None);
    assert_eq!(
        m.ews.source(),
        "x line 3 (PowerShell cut short EwsBlockList: paste with $FormatEnumerationLimit = -1)"
    );
}

#[test]
fn cas_mailbox_ews_disabled_table_view() {
    let c = ok(
        "Name     PrimarySmtpAddress   EwsEnabled\n----     ------------------   ----------\nKen      ken@contoso.test     False\n",
    );
    assert_eq!(c.cas_mailboxes[0].ews.ews_enabled, Setting::Set(false));
    assert_eq!(c.cas_mailboxes[0].ews.line, 3);
}

/// `Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy | Select-Object Ews*`:
/// alphabetical, the app-ID list included.
const ORG_SELECT_EWS: &str = "\r\nEwsAllowedAppIDs           : d3590ed6-52b3-4102-aeff-aad2292ab01c,00000002-0000-0ff1-ce00-000000000000\r\nEwsAllowEntourage          :\r\nEwsAllowList               :\r\nEwsAllowMacOutlook         :\r\nEwsAllowOutlook            :\r\nEwsApplicationAccessPolicy :\r\nEwsBlockList               :\r\nEwsEnabled                 : True\r\n\r\n";

/// `Get-CASMailbox <user> | Select-Object Ews*`: EwsEnabled first.
const CAS_SELECT_EWS: &str = "\r\nEwsEnabled                 : True\r\nEwsAllowOutlook            :\r\nEwsAllowMacOutlook         :\r\nEwsAllowEntourage          :\r\nEwsApplicationAccessPolicy :\r\nEwsAllowList               : {}\r\nEwsBlockList               : {}\r\n\r\n";

#[test]
fn select_object_ews_shapes_are_judged_not_refused() {
    let c = ok(ORG_SELECT_EWS);
    assert!(c.cas_mailboxes.is_empty());
    let o = &c.organization[0];
    assert_eq!(o.ews.ews_enabled, Setting::Set(true));
    assert_eq!(o.ews_allowed_app_ids.as_ref().map(Vec::len), Some(2));
    // EwsAllowedAppIDs is the organisation's alone: nothing assumed.
    assert_eq!(o.ews.assumed, None);

    let c = ok(CAS_SELECT_EWS);
    assert!(c.organization.is_empty());
    let m = &c.cas_mailboxes[0];
    assert_eq!(m.ews.ews_enabled, Setting::Set(true));
    assert!(m.ews.assumed.as_deref().unwrap().contains("mailbox"));
    assert!(m.ews.ews_allow_list.is_empty());

    // Plain Get-OrganizationConfig | Select-Object Ews*: no app-ID list.
    let c = ok(
        "EwsAllowEntourage          :\r\nEwsAllowList               :\r\nEwsApplicationAccessPolicy :\r\nEwsBlockList               :\r\nEwsEnabled                 :\r\n",
    );
    let o = &c.organization[0];
    assert_eq!(o.ews.ews_enabled, Setting::NotSet);
    assert_eq!(o.ews_allowed_app_ids, None);
    assert!(o.ews.assumed.as_deref().unwrap().contains("organisation"));

    // A lone EwsEnabled is still judged.
    let c = ok("EwsEnabled : False\n");
    assert_eq!(c.organization[0].ews.ews_enabled, Setting::Set(false));
}

#[test]
fn app_id_list_blank_empty_braces_and_comma_joined() {
    let one = |v: &str| {
        let c = ok(&format!(
            "EwsEnabled       : True\r\nEwsAllowedAppIDs : {v}\r\n"
        ));
        c.organization[0].ews_allowed_app_ids.clone()
    };
    assert_eq!(one(""), Some(vec![]));
    assert_eq!(one("{}"), Some(vec![]));
    assert_eq!(one("{a, b}").unwrap(), ["a", "b"]);
    assert_eq!(one("a,b").unwrap(), ["a", "b"]);
}

#[test]
fn select_object_ews_table_view() {
    let c = ok(
        "\r\nEwsEnabled EwsApplicationAccessPolicy EwsAllowList EwsBlockList\r\n---------- -------------------------- ------------ ------------\r\n     False                            {}           {}\r\n\r\n",
    );
    assert_eq!(c.cas_mailboxes[0].ews.ews_enabled, Setting::Set(false));
}

#[test]
fn configuration_information_window() {
    let c = ok(
        "Configuration Information\r\nEWS Internal URL\t\r\nEWS External URL\thttps://outlook.office365.com/EWS/Exchange.asmx\r\nEWS Information\tEWS Status OK\r\n",
    );
    let w = &c.client_windows[0];
    assert_eq!(w.ews_internal_url, None);
    assert_eq!(
        w.ews_url(),
        Some("https://outlook.office365.com/EWS/Exchange.asmx")
    );
    assert!(!w.ews_not_deployed());
    assert_eq!(w.line, 2);
    let c = ok(
        "EWS Internal URL      \r\nEWS External URL      \r\nEWS Information       EWS not deployed\r\n",
    );
    assert!(c.client_windows[0].ews_not_deployed());
    assert_eq!(c.client_windows[0].ews_url(), None);
}

#[test]
fn several_cmdlets_in_one_file() {
    let c = ok(&format!(
        "{PASTE}\r\n\r\nSipAddress : sip:ken@contoso.test\r\nClientPolicy : NoArchive\r\n\r\nPrimarySmtpAddress : ken@contoso.test\r\nEwsEnabled : False\r\n"
    ));
    assert_eq!(c.im_configurations.len(), 2);
    assert_eq!(c.client_policies.len(), 1);
    assert_eq!(c.users.len(), 1);
    assert_eq!(c.cas_mailboxes.len(), 1);
}

#[test]
fn get_cs_sip_domain_in_list_and_table_view_with_crlf() {
    let list = "PS C:\\> Get-CsSipDomain\r\n\r\nIdentity  : contoso.com\r\nName      : contoso.com\r\nIsDefault : True\r\n\r\nIdentity  : Contoso.net\r\nName      : Contoso.net\r\nIsDefault : False\r\n\r\n";
    let c = parse(list, "sip.txt").unwrap();
    let names: Vec<(&str, Option<bool>)> = c
        .sip_domains
        .iter()
        .map(|d| (d.name.as_str(), d.is_default))
        .collect();
    assert_eq!(
        names,
        [("contoso.com", Some(true)), ("contoso.net", Some(false))]
    );
    assert!(c.client_policies.is_empty() && c.users.is_empty());
    let table = "PS C:\\> Get-CsSipDomain\r\n\r\nIdentity          Name              IsDefault\r\n--------          ----              ---------\r\ncontoso.com       contoso.com       True\r\nfabrikam.com      fabrikam.com      False\r\n\r\n";
    let c = parse(table, "sip.txt").unwrap();
    let names: Vec<&str> = c.sip_domains.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["contoso.com", "fabrikam.com"]);
    assert_eq!(c.sip_domains[0].line, 5);
}
