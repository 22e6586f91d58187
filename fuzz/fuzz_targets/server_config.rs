//! Fuzz the `--server-config` reader: the list-view parser on the input
//! decoded lossily, and the whole byte path (BOM / UTF-16 sniffing, then the
//! parser) that `server_config::load` uses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use offline_im_doctor::server_config::{ServerConfig, Setting, parse, parse_bytes};

fn check(config: &ServerConfig, text: &str) {
    assert_eq!(config.path, "fuzz");
    // `str::lines` is what the parser counts; a property line is one of them.
    let lines = text.lines().count() as u64;
    let settings = config
        .im_configurations
        .iter()
        .map(|c| (&c.identity, c.line, vec![&c.enable_offline_im]))
        .chain(config.client_policies.iter().map(|p| {
            (
                &p.identity,
                p.line,
                vec![
                    &p.enable_im_auto_archiving,
                    &p.disable_saving_im,
                    &p.enable_server_conversation_history,
                ],
            )
        }));
    for (identity, line, values) in settings {
        assert!(!identity.is_empty(), "empty identity");
        assert!((1..=lines).contains(&line), "line {line} of {lines}");
        for v in values {
            if let Setting::Invalid(s) = v {
                assert!(!s.trim().is_empty(), "a blank value is NotSet, not Invalid");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lossy = parse(&text, "fuzz");
    check(&lossy, &text);

    let decoded = parse_bytes(data, "fuzz");
    // Without a BOM or UTF-16's NUL bytes the byte path is the lossy one.
    let bom = data.starts_with(b"\xEF\xBB\xBF")
        || data.starts_with(b"\xFF\xFE")
        || data.starts_with(b"\xFE\xFF");
    let nul_pattern = data.len() >= 4 && data.iter().skip(1).step_by(2).take(64).all(|&b| b == 0);
    if !bom && !nul_pattern {
        assert_eq!(
            decoded, lossy,
            "parse_bytes disagrees with parse on plain bytes"
        );
    } else {
        // The line check needs the decoded text; its line count is bounded
        // by the input length (every line holds at least one code unit or
        // a line break).
        let max_lines = data.len() as u64;
        for line in decoded
            .im_configurations
            .iter()
            .map(|c| c.line)
            .chain(decoded.client_policies.iter().map(|p| p.line))
        {
            assert!((1..=max_lines).contains(&line));
        }
    }
});
