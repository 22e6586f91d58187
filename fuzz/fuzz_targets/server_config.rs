//! Fuzz the `--server-config` reader: the list- and table-view parser on the
//! input decoded lossily, and the whole byte path (BOM / UTF-16 sniffing,
//! then the parser) that `server_config::load` uses. A paste is either read
//! or refused with an error naming the file; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offline_im_doctor::sources::server_config::{ServerConfig, Setting, parse, parse_bytes};

/// Every object's line lies within the text, and no list holds a blank item.
fn check(config: &ServerConfig, max_lines: u64) {
    assert_eq!(config.paths, ["fuzz"]);
    let lines = config
        .im_configurations
        .iter()
        .map(|c| c.line)
        .chain(config.client_policies.iter().map(|p| p.line))
        .chain(config.users.iter().map(|u| u.line))
        .chain(config.organization.iter().map(|o| o.ews.line))
        .chain(config.cas_mailboxes.iter().map(|m| m.ews.line));
    for line in lines {
        assert!((1..=max_lines).contains(&line), "line {line} of {max_lines}");
    }
    for p in &config.client_policies {
        assert!(!p.identity.is_empty(), "empty identity");
        for v in [
            &p.enable_im_auto_archiving,
            &p.disable_saving_im,
            &p.enable_server_conversation_history,
        ] {
            if let Setting::Invalid(s) = v {
                assert!(!s.trim().is_empty(), "a blank value is NotSet, not Invalid");
            }
        }
    }
    for u in &config.users {
        assert!(u.client_policy.as_deref().is_none_or(|p| !p.trim().is_empty()));
    }
    let ews = config
        .organization
        .iter()
        .map(|o| &o.ews)
        .chain(config.cas_mailboxes.iter().map(|m| &m.ews));
    let lists = ews
        .flat_map(|e| [&e.ews_allow_list, &e.ews_block_list])
        .chain(config.organization.iter().flat_map(|o| &o.ews_allowed_app_ids));
    for item in lists.flatten() {
        assert!(!item.trim().is_empty(), "blank list item");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lossy = parse(&text, "fuzz");
    if let Ok(c) = &lossy {
        // `str::lines` is what the parser counts.
        check(c, text.lines().count() as u64);
    }

    let decoded = parse_bytes(data, "fuzz");
    // Without a BOM or UTF-16's NUL bytes the byte path is the lossy one.
    let bom = data.starts_with(b"\xEF\xBB\xBF")
        || data.starts_with(b"\xFF\xFE")
        || data.starts_with(b"\xFE\xFF");
    let nul_pattern = data.len() >= 4 && data.iter().skip(1).step_by(2).take(64).all(|&b| b == 0);
    match (&decoded, &lossy) {
        (Ok(d), Ok(l)) if !bom && !nul_pattern => {
            assert_eq!(d, l, "parse_bytes disagrees with parse on plain bytes")
        }
        (Ok(d), _) => {
            // Every line holds at least one code unit or a line break.
            check(d, data.len() as u64);
        }
        (Err(e), _) => assert!(e.to_string().contains("fuzz"), "error names the file"),
    }
});
