//! `--server-config` end to end: which client policy applies to the user
//! (docs/contract.md: im-auto-archiving), table view, several
//! files, and the errors an admin sees. Each test runs the real binary on a
//! temp fixture with `--now`.

use crate::common;

use common::*;
use serde_json::Value;

const USER: &str = "a@contoso.test";

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.profile(USER);
    f
}

/// `Get-CsClientPolicy | fl Identity,EnableIMAutoArchiving` with Global on
/// and a Tag policy off.
const POLICIES: &[u8] = b"Identity              : Global\r\nEnableIMAutoArchiving : True\r\n\r\nIdentity              : Tag:NoArchive\r\nEnableIMAutoArchiving : False\r\n";

fn code(v: &Value, id: &str) -> String {
    check_of(v, id)["code"].as_str().unwrap().to_string()
}

fn remediation(v: &Value, id: &str) -> String {
    check_of(v, id)["remediation"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn with_configs(f: &Fixture, files: &[&std::path::Path]) -> (Run, Value) {
    let mut args = Vec::new();
    for p in files {
        args.push("--server-config");
        args.push(p.to_str().unwrap());
    }
    check_json(f.root(), &args)
}

#[test]
fn tag_policy_off_without_get_csuser_warns_naming_policy_and_cmdlet() {
    let f = fixture();
    let cfg = f.file("policies.txt", POLICIES);
    let (r, v) = with_configs(&f, &[&cfg]);
    assert_eq!(status(&v, "im-auto-archiving"), "warn");
    assert_eq!(r.code, 0, "a warn is not a failure by default");
    assert_eq!(
        code(&v, "im-auto-archiving"),
        "archiving-policy-assignment-unknown"
    );
    let s = summary(&v, "im-auto-archiving");
    assert!(s.contains("Tag:NoArchive"), "{s}");
    assert!(s.contains("policies.txt, line 5"), "{s}");
    assert!(
        remediation(&v, "im-auto-archiving")
            .contains("Get-CsUser sip:a@contoso.test | Select-Object ClientPolicy"),
        "{v:#}"
    );
}

#[test]
fn get_csuser_assigning_the_tag_policy_fails() {
    let f = fixture();
    let policies = f.file("policies.txt", POLICIES);
    let user = f.file(
        "user.txt",
        b"Identity          : CN=A,OU=Users,DC=contoso,DC=test\r\nSipAddress        : sip:a@contoso.test\r\nClientPolicy      : NoArchive\r\n",
    );
    let (r, v) = with_configs(&f, &[&policies, &user]);
    assert_eq!(status(&v, "im-auto-archiving"), "fail");
    assert_eq!(r.code, 1);
    assert_eq!(code(&v, "im-auto-archiving"), "archiving-disabled");
    let s = summary(&v, "im-auto-archiving");
    assert!(
        s.contains("Tag:NoArchive (assigned to a@contoso.test)"),
        "{s}"
    );
    assert!(
        remediation(&v, "im-auto-archiving").contains(
            "Set-CsClientPolicy -Identity \"Tag:NoArchive\" -EnableIMAutoArchiving $True"
        )
    );
    assert!(evidence_text(&v, "im-auto-archiving").contains("ClientPolicy = NoArchive"));
}

#[test]
fn get_csuser_assigning_nothing_passes_on_global() {
    let f = fixture();
    let policies = f.file("policies.txt", POLICIES);
    let user = f.file(
        "user.txt",
        b"SipAddress   : sip:A@Contoso.test\nClientPolicy :\n",
    );
    let (_, v) = with_configs(&f, &[&policies, &user]);
    assert_eq!(status(&v, "im-auto-archiving"), "pass", "{v:#}");
    assert_eq!(code(&v, "im-auto-archiving"), "archiving-enabled");
    assert!(evidence_text(&v, "im-auto-archiving").contains("blank: no per-user policy"));
}

#[test]
fn select_object_client_policy_output_is_about_the_inspected_user() {
    // The cmdlet the warn names writes a one-column table without the address.
    let f = fixture();
    let cfg = f.file(
        "all.txt",
        &[
            POLICIES,
            b"\r\nPS C:\\> Get-CsUser sip:a@contoso.test | Select-Object ClientPolicy\r\n\r\nClientPolicy\r\n------------\r\nNoArchive\r\n\r\n",
        ]
        .concat(),
    );
    let (_, v) = with_configs(&f, &[&cfg]);
    assert_eq!(status(&v, "im-auto-archiving"), "fail", "{v:#}");
}

#[test]
fn assigned_policy_missing_from_the_paste_warns() {
    let f = fixture();
    let policies = f.file("policies.txt", POLICIES);
    let user = f.file(
        "user.txt",
        b"SipAddress   : sip:a@contoso.test\nClientPolicy : Sales\n",
    );
    let (_, v) = with_configs(&f, &[&policies, &user]);
    assert_eq!(status(&v, "im-auto-archiving"), "warn");
    assert_eq!(
        code(&v, "im-auto-archiving"),
        "archiving-assigned-policy-not-pasted"
    );
    assert!(summary(&v, "im-auto-archiving").contains("client policy Sales"));
    assert!(
        remediation(&v, "im-auto-archiving").contains("Get-CsClientPolicy -Identity \"Tag:Sales\"")
    );
}

#[test]
fn site_policy_off_with_no_per_user_policy_warns() {
    let f = fixture();
    let cfg = f.file(
        "cfg.txt",
        b"Identity : Global\nEnableIMAutoArchiving : True\n\nIdentity : Site:Redmond\nEnableIMAutoArchiving : False\n\nSipAddress : sip:a@contoso.test\nClientPolicy :\n",
    );
    let (_, v) = with_configs(&f, &[&cfg]);
    assert_eq!(status(&v, "im-auto-archiving"), "warn");
    assert!(summary(&v, "im-auto-archiving").contains("Site:Redmond"));
}

#[test]
fn in_band_provisioning_in_the_log_beats_pasted_settings() {
    let prop = |v: &str| {
        entry("09:00:00.000", "INFO", "Data Received - 10.0.0.5:443:")
            + &format!("<property name=\"EnableIMAutoArchiving\">{v}</property>\r\n")
            + &user_agent_entry("09:00:01.000", "16.0.7571.2072")
    };
    // The log says on; the pasted Get-CsUser says the user has the policy that is off.
    let f = fixture();
    f.log("Lync-UccApi-0.UccApilog", &prop("true"));
    let policies = f.file("policies.txt", POLICIES);
    let user = f.file(
        "user.txt",
        b"SipAddress : sip:a@contoso.test\nClientPolicy : NoArchive\n",
    );
    let (_, v) = with_configs(&f, &[&policies, &user]);
    // The log wins (no fail), but the disagreement is said: the policy
    // changed after the last sign-in, or another one reaches the client.
    assert_eq!(status(&v, "im-auto-archiving"), "warn", "{v:#}");
    assert_eq!(
        check_of(&v, "im-auto-archiving")["code"],
        "archiving-policy-conflict"
    );
    assert!(evidence_text(&v, "im-auto-archiving").contains("not used"));

    // The log says off; pasted settings say on: the log wins again.
    let f = fixture();
    f.log("Lync-UccApi-0.UccApilog", &prop("false"));
    let on = f.file(
        "on.txt",
        b"Identity : Global\nEnableIMAutoArchiving : True\n",
    );
    let (_, v) = with_configs(&f, &[&on]);
    assert_eq!(status(&v, "im-auto-archiving"), "fail");
    assert!(summary(&v, "im-auto-archiving").contains("in-band provisioning"));
}

#[test]
fn user_option_off_still_fails_whatever_the_policy() {
    let f = fixture();
    f.log(
        "Lync-UccApi-0.UccApilog",
        &(entry("09:00:00.000", "INFO", "Data Received - 10.0.0.5:443:")
            + "<imAutoArchiving>false</imAutoArchiving>\r\n"),
    );
    let cfg = f.file("on.txt", b"Identity : Global\nEnableIMAutoArchiving : True\n\nSipAddress : sip:a@contoso.test\nClientPolicy :\n");
    let (_, v) = with_configs(&f, &[&cfg]);
    assert_eq!(status(&v, "im-auto-archiving"), "fail");
    assert!(summary(&v, "im-auto-archiving").contains("imAutoArchiving"));
}

#[test]
fn table_view_is_parsed() {
    let f = fixture();
    let table = f.file(
        "ft.txt",
        b"PS C:\\> Get-CsClientPolicy | ft Identity,DisableSavingIM,EnableIMAutoArchiving\r\n\r\nIdentity              DisableSavingIM EnableIMAutoArchiving\r\n--------              --------------- ---------------------\r\nGlobal                False           True\r\nTag:NoArchive         False           False\r\n\r\n\r\nSipAddress          ClientPolicy\r\n----------          ------------\r\nsip:a@contoso.test  NoArchive\r\n",
    );
    let (_, v) = with_configs(&f, &[&table]);
    assert_eq!(status(&v, "im-auto-archiving"), "fail", "{v:#}");
    assert!(summary(&v, "im-auto-archiving").contains("ft.txt, line 6"));
}

#[test]
fn ambiguous_table_view_exits_2_naming_the_file_and_format_list() {
    let f = fixture();
    let cut = f.file(
        "cut.txt",
        b"Identity         EnableIMAutoArchiving\r\n--------         ---------------------\r\nTag:ClientPol... False\r\n",
    );
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--server-config", cut.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cut.txt, line 3"), "{}", r.stderr);
    assert!(r.stderr.contains("Format-List"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn repeated_server_config_files_are_all_read_and_the_last_decides() {
    let f = fixture();
    let one = f.file(
        "one.txt",
        b"Identity : Global\nEnableOfflineIm : False\n\nIdentity : Site:Redmond\nEnableOfflineIm : True\n",
    );
    let two = f.file("two.txt", b"Identity : Global\nEnableOfflineIm : True\n");
    let three = f.file("three.txt", POLICIES);
    let (_, v) = with_configs(&f, &[&one, &two, &three]);
    assert_eq!(status(&v, "server-offline-im"), "pass", "{v:#}");
    assert!(evidence_text(&v, "server-offline-im").contains("superseded by"));
    assert_eq!(status(&v, "im-auto-archiving"), "warn");

    let (_, v) = with_configs(&f, &[&two, &one]);
    assert_eq!(status(&v, "server-offline-im"), "fail");
    assert!(
        summary(&v, "server-offline-im").contains("Global"),
        "{}",
        summary(&v, "server-offline-im")
    );
    // The deciding paste is the evidence that is not superseded.
    let deciding: Vec<&Value> = check_of(&v, "server-offline-im")["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["detail"].as_str().unwrap().contains("superseded"))
        .filter(|e| e["detail"].as_str().unwrap().contains("Global"))
        .collect();
    assert_eq!(deciding.len(), 1, "{v:#}");
    assert!(deciding[0]["path"].as_str().unwrap().ends_with("one.txt"));
    assert_eq!(deciding[0]["line"], 2);
    assert!(deciding[0]["detail"].as_str().unwrap().ends_with("= false"));

    // A bad second file is a usage error naming that file.
    let missing = f.root().join("missing.txt");
    let r = check_run(
        f.root().to_str().unwrap(),
        &[
            "--server-config",
            one.to_str().unwrap(),
            "--server-config",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.txt"), "{}", r.stderr);
}

#[test]
fn exchange_objects_are_accepted_and_ews_only_ones_judged() {
    let f = fixture();
    let ok = f.file(
        "exo.txt",
        b"Identity                   : contoso.onmicrosoft.test\r\nEwsAllowedAppIDs           : {}\r\nEwsEnabled                 : True\r\n\r\nPrimarySmtpAddress : a@contoso.test\r\nEwsEnabled         : \r\n",
    );
    let (r, _) = with_configs(&f, &[&ok]);
    assert_ne!(r.code, 2, "{}", r.stderr);

    // Only Ews* properties (`Select-Object Ews*`): judged, never refused.
    let unknown = f.file("ews.txt", b"EwsEnabled : False\r\n");
    let (r, v) = check_json(
        f.root(),
        &[
            "--server-config",
            unknown.to_str().unwrap(),
            "--mailbox",
            "online",
        ],
    );
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        check_of(&v, "exchange-online-ews")["code"],
        "exo-ews-disabled"
    );
    let e = evidence_text(&v, "exchange-online-ews");
    assert!(
        e.contains("ews.txt line 1") && e.contains("taken for the organisation"),
        "{e}"
    );
}

#[test]
fn redact_hides_the_address_in_the_cmdlet_it_names() {
    let f = fixture();
    let cfg = f.file("policies.txt", POLICIES);
    let (_, v) = check_json(
        f.root(),
        &["--server-config", cfg.to_str().unwrap(), "--redact"],
    );
    assert_eq!(status(&v, "im-auto-archiving"), "warn");
    let text = v.to_string();
    assert!(!text.contains("a@contoso.test"), "{text}");
    assert!(remediation(&v, "im-auto-archiving").contains("Select-Object ClientPolicy"));
}
