//! `--server-config` end to end: which client policy applies to the user
//! (docs/contract.md: im-auto-archiving), table view, several
//! files, and the errors an admin sees. Each test runs the real binary on a
//! temp fixture with `--now`.

use crate::common;

use common::*;

const USER: &str = "a@contoso.test";

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.profile(USER);
    f
}

/// `Get-CsClientPolicy | fl Identity,EnableIMAutoArchiving` with Global on
/// and a Tag policy off.
const POLICIES: &[u8] = b"Identity              : Global\r\nEnableIMAutoArchiving : True\r\n\r\nIdentity              : Tag:NoArchive\r\nEnableIMAutoArchiving : False\r\n";

fn with_configs(f: &Fixture, files: &[&std::path::Path]) -> (Run, Report) {
    let mut args = Vec::new();
    for p in files {
        args.push("--server-config");
        args.push(p.to_str().unwrap());
    }
    check_report(f.root(), &args)
}

#[test]
fn tag_policy_off_without_get_csuser_warns_naming_policy_and_cmdlet() {
    let f = fixture();
    let cfg = f.file("policies.txt", POLICIES);
    let (r, v) = with_configs(&f, &[&cfg]);
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Warn);
    assert_eq!(r.code, 0, "a warn is not a failure by default");
    assert_eq!(
        code(&v, CheckId::ImAutoArchiving),
        "archiving-policy-assignment-unknown"
    );
    let s = summary(&v, CheckId::ImAutoArchiving);
    assert!(s.contains("Tag:NoArchive"), "{s}");
    assert!(s.contains("policies.txt, line 5"), "{s}");
    assert!(
        remediation(&v, CheckId::ImAutoArchiving)
            .contains("Get-CsUser sip:a@contoso.test | Select-Object ClientPolicy"),
        "{v:#?}"
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
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Fail);
    assert_eq!(r.code, 1);
    assert_eq!(code(&v, CheckId::ImAutoArchiving), "archiving-disabled");
    let s = summary(&v, CheckId::ImAutoArchiving);
    assert!(
        s.contains("Tag:NoArchive (assigned to a@contoso.test)"),
        "{s}"
    );
    assert!(
        remediation(&v, CheckId::ImAutoArchiving).contains(
            "Set-CsClientPolicy -Identity \"Tag:NoArchive\" -EnableIMAutoArchiving $True"
        )
    );
    assert!(evidence_text(&v, CheckId::ImAutoArchiving).contains("ClientPolicy = NoArchive"));
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
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Pass, "{v:#?}");
    assert_eq!(code(&v, CheckId::ImAutoArchiving), "archiving-enabled");
    assert!(evidence_text(&v, CheckId::ImAutoArchiving).contains("blank: no per-user policy"));
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
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Fail, "{v:#?}");
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
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Warn);
    assert_eq!(
        code(&v, CheckId::ImAutoArchiving),
        "archiving-assigned-policy-not-pasted"
    );
    assert!(summary(&v, CheckId::ImAutoArchiving).contains("client policy Sales"));
    assert!(
        remediation(&v, CheckId::ImAutoArchiving)
            .contains("Get-CsClientPolicy -Identity \"Tag:Sales\"")
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
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Warn);
    assert!(summary(&v, CheckId::ImAutoArchiving).contains("Site:Redmond"));
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
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Warn, "{v:#?}");
    assert_eq!(
        code(&v, CheckId::ImAutoArchiving),
        "archiving-policy-conflict"
    );
    assert!(evidence_text(&v, CheckId::ImAutoArchiving).contains("not used"));

    // The log says off; pasted settings say on: the log wins again.
    let f = fixture();
    f.log("Lync-UccApi-0.UccApilog", &prop("false"));
    let on = f.file(
        "on.txt",
        b"Identity : Global\nEnableIMAutoArchiving : True\n",
    );
    let (_, v) = with_configs(&f, &[&on]);
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Fail);
    assert!(summary(&v, CheckId::ImAutoArchiving).contains("in-band provisioning"));
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
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Fail);
    assert!(summary(&v, CheckId::ImAutoArchiving).contains("imAutoArchiving"));
}

#[test]
fn table_view_is_parsed() {
    let f = fixture();
    let table = f.file(
        "ft.txt",
        b"PS C:\\> Get-CsClientPolicy | ft Identity,DisableSavingIM,EnableIMAutoArchiving\r\n\r\nIdentity              DisableSavingIM EnableIMAutoArchiving\r\n--------              --------------- ---------------------\r\nGlobal                False           True\r\nTag:NoArchive         False           False\r\n\r\n\r\nSipAddress          ClientPolicy\r\n----------          ------------\r\nsip:a@contoso.test  NoArchive\r\n",
    );
    let (_, v) = with_configs(&f, &[&table]);
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Fail, "{v:#?}");
    assert!(summary(&v, CheckId::ImAutoArchiving).contains("ft.txt, line 6"));
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
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Pass, "{v:#?}");
    assert!(evidence_text(&v, CheckId::ServerOfflineIm).contains("superseded by"));
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Warn);

    let (_, v) = with_configs(&f, &[&two, &one]);
    assert_eq!(status(&v, CheckId::ServerOfflineIm), Status::Fail);
    assert!(
        summary(&v, CheckId::ServerOfflineIm).contains("Global"),
        "{}",
        summary(&v, CheckId::ServerOfflineIm)
    );
    // The deciding paste is the evidence that is not superseded.
    let deciding: Vec<_> = check_of(&v, CheckId::ServerOfflineIm)
        .evidence
        .iter()
        .filter(|e| !e.detail.contains("superseded"))
        .filter(|e| e.detail.contains("Global"))
        .collect();
    assert_eq!(deciding.len(), 1, "{v:#?}");
    assert!(deciding[0].path.as_deref().unwrap().ends_with("one.txt"));
    assert_eq!(deciding[0].line, Some(2));
    assert!(deciding[0].detail.ends_with("= false"));

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
    let (r, v) = check_report(
        f.root(),
        &[
            "--server-config",
            unknown.to_str().unwrap(),
            "--mailbox",
            "online",
        ],
    );
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert_eq!(code(&v, CheckId::ExchangeOnlineEws), "exo-ews-disabled");
    let e = evidence_text(&v, CheckId::ExchangeOnlineEws);
    assert!(
        e.contains("ews.txt line 1") && e.contains("taken for the organisation"),
        "{e}"
    );
}

#[test]
fn redact_hides_the_address_in_the_cmdlet_it_names() {
    let f = fixture();
    let cfg = f.file("policies.txt", POLICIES);
    let (r, v) = check_report(
        f.root(),
        &["--server-config", cfg.to_str().unwrap(), "--redact"],
    );
    assert_eq!(status(&v, CheckId::ImAutoArchiving), Status::Warn);
    let text = r.stdout;
    assert!(!text.contains("a@contoso.test"), "{text}");
    assert!(remediation(&v, CheckId::ImAutoArchiving).contains("Select-Object ClientPolicy"));
}
