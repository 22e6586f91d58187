//! Each check called on its own, as cargo-deny's tests call one check and
//! snapshot its diagnostics: the library reads a fixture tree
//! (`inspect::inspect`), one check runs on those facts (`checks::run`), and
//! its result (status, code, words, evidence) is snapshotted, one file per
//! check and machine (`tests/snapshots/integration__checks__*.snap`).
//!
//! The machines include what the command line cannot give on Linux: a
//! Click-to-Run registry, read by the library as typed facts.

use crate::common;

use std::path::Path;

use common::*;
use offline_im_doctor::checks::{self, Context};
use offline_im_doctor::facts::{resolve_client, resolve_mailbox};
use offline_im_doctor::inspect::{self, NowOption, Options, Request};
use offline_im_doctor::sources::machine::{ClickToRunConfig, MachineFacts};

/// Read `root` with the library as `check` would, then run only `id`.
fn run_one(root: &Path, options: &Options, install: &MachineFacts, id: CheckId) -> CheckResult {
    let req = Request {
        root: root.to_path_buf(),
        options: Options {
            now: Some(NowOption::Exact(now())),
            ..options.clone()
        },
        install: install.clone(),
        clock: now(),
        progress: None,
        live: false,
    };
    let judged = inspect::inspect(&req).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let (facts, settings) = (&judged.inspected.facts, &judged.inspected.settings);
    let (client, mailbox) = (
        resolve_client(facts, settings),
        resolve_mailbox(facts, settings),
    );
    let ctx = Context {
        facts,
        settings,
        client: &client,
        mailbox: &mailbox,
        probe: None,
    };
    let one = checks::run(id, &ctx);
    // The check alone says what it says in the whole report.
    assert_eq!(Some(&one), judged.report.checks.iter().find(|c| c.id == id));
    one
}

/// Snapshot `ids` on one machine, the temp root written as `[ROOT]`.
fn snapshot(
    machine: &str,
    root: &Path,
    options: &Options,
    install: &MachineFacts,
    ids: &[CheckId],
) {
    let root_pattern = regex_escape(&root.to_string_lossy().replace('\\', "/"));
    for &id in ids {
        let result = run_one(root, options, install, id);
        insta::with_settings!({
            filters => vec![(root_pattern.as_str(), "[ROOT]")],
            omit_expression => true,
        }, {
            insta::assert_json_snapshot!(format!("{}__{machine}", id.as_str()), result);
        });
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

fn all_checks() -> Vec<CheckId> {
    use strum::IntoEnumIterator;
    CheckId::iter().collect()
}

#[test]
fn every_check_on_a_stuck_on_premises_machine() {
    let f = scenarios::stuck_on_premises();
    snapshot(
        "stuck_on_premises",
        f.root(),
        &Options::default(),
        &MachineFacts::default(),
        &all_checks(),
    );
}

#[test]
fn every_check_on_a_profile_with_nothing_to_read() {
    let f = Fixture::new();
    f.profile(scenarios::USER);
    snapshot(
        "nothing_to_read",
        f.root(),
        &Options::default(),
        &MachineFacts::default(),
        &all_checks(),
    );
}

#[test]
fn install_and_policy_checks_on_a_click_to_run_ltsc_2024_with_offline_im_off() {
    let f = Fixture::new();
    f.profile(scenarios::USER);
    let paste = f.file(
        "server-config.txt",
        b"Identity : Global\r\nEnableOfflineIm : False\r\n\r\nIdentity : Global\r\nEnableIMAutoArchiving : False\r\n",
    );
    let install = MachineFacts {
        click_to_run: Some(ClickToRunConfig {
            key: r"HKLM\SOFTWARE\Microsoft\Office\ClickToRun\Configuration".into(),
            version_to_report: Some("16.0.17932.20638".parse().unwrap()),
            platform: Some("x64".into()),
            channel: Some("PerpetualVL2024".into()),
            channel_url: None,
            product_release_ids: vec!["SkypeforBusiness2024Volume".into()],
        }),
        ..MachineFacts::default()
    };
    let options = Options {
        server_configs: vec![paste],
        ..Options::default()
    };
    snapshot(
        "click_to_run_ltsc_2024_offline_im_off",
        f.root(),
        &options,
        &install,
        &[
            CheckId::ClientBuild,
            CheckId::ClientInstall,
            CheckId::ClientSupport,
            CheckId::ImAutoArchiving,
            CheckId::ServerOfflineIm,
        ],
    );
}

#[test]
fn exchange_online_checks_after_the_ews_block() {
    let f = Fixture::new();
    f.profile(scenarios::USER);
    f.log(
        scenarios::LOG,
        &(user_agent_entry("09:00:00.000", "16.0.19127.20192")
            + &ews_url_entry("09:00:01.000", "outlook.office365.com")
            + &entry(
                "09:00:02.000",
                "ERROR",
                "POST https://outlook.office365.com/EWS/Exchange.asmx failed: HTTP/1.1 403 Forbidden",
            )),
    );
    snapshot(
        "exchange_online_403_after_block",
        f.root(),
        &Options::default(),
        &MachineFacts::default(),
        &[CheckId::EwsAccess, CheckId::ExchangeOnlineEws],
    );
}
