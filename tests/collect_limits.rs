//! What `collect` writes, `check` reads: the same limits on both sides, and
//! `--out` never inside a folder that is read.

use crate::common;

use common::*;

#[test]
fn out_in_the_tracing_folder_of_a_sip_root_is_refused() {
    let f = Fixture::new();
    let prof = f.profile("a@contoso.com");
    f.spool("a@contoso.com", "m.xml", b"<m/>", 3600);
    let log = f.log(
        "Lync-UccApi-0.UccApilog",
        &user_agent_entry("09:00:00.000", "16.0.7571.2072"),
    );
    let before = snapshot_tree(f.root());
    let out = log.parent().unwrap().join("evidence.zip");
    let r = collect_run(&prof, &out, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("inside"), "{}", r.stderr);
    assert_eq!(before, snapshot_tree(f.root()), "something was written");
}

#[test]
fn collect_keeps_max_log_size_and_check_reads_it_back() {
    let f = Fixture::new();
    f.profile("a@contoso.com");
    let mut log = user_agent_entry("08:00:00.000", "16.0.6741.2048").repeat(2000);
    log.push_str(&user_agent_entry("09:00:00.000", "16.0.7571.2072"));
    f.log("Lync-UccApi-0.UccApilog", &log);
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("e.zip");
    let r = collect_run(f.root(), &zip, &["--max-log-size", "4096"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m = zip_member(&zip, "logs/16.0/Lync-UccApi-0.UccApilog");
    assert!(m.len() <= 4096, "{} bytes copied", m.len());
    let r = check_run(zip.to_str().unwrap(), &["--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_eq!(r.report().client.build.as_deref(), Some("16.0.7571.2072"));
}

/// Minutes in a debug build (200,000 files written, zipped and read back):
/// run by `benchsuite/hostile.sh` in a release build.
#[test]
#[ignore = "slow: run by benchsuite/hostile.sh"]
fn every_spooled_file_included_still_reads_back() {
    let f = Fixture::new();
    let sp = f.spooler("a@contoso.com");
    // More spooled files than the bundle reader's entry limit.
    for i in 0..200_010 {
        std::fs::write(sp.join(format!("{i:06}.xml")), b"<m/>").unwrap();
    }
    let d = tempfile::tempdir().unwrap();
    let zip = d.path().join("e.zip");
    let r = collect_run(f.root(), &zip, &["--include-messages"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("at most 200000 members"), "{}", r.stderr);
    let r = check_run(zip.to_str().unwrap(), &["--format", "json"]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
}
