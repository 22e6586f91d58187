//! `--redact` promises no personal data in any output: stdout, stderr
//! (fatal errors included) and the bundle.

mod common;

use common::*;

#[test]
fn fatal_error_lists_no_real_profile_with_redact() {
    let f = Fixture::new();
    f.spool("alice.smith@contoso.com", "m.xml", b"<m/>", 3600);
    let r = check_run(
        f.root().to_str().unwrap(),
        &["--redact", "--user", "x@y.example"],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    let low = r.stderr.to_lowercase();
    assert!(
        !low.contains("alice") && !low.contains("contoso"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("user-"),
        "the profile is named by its pseudonym: {}",
        r.stderr
    );
}
