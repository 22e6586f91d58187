//! The README's examples are the tool's real output: every ```console block
//! in `README.md` and `samples/README.md` is run and compared by trycmd
//! (`$ command`, `? exit code`, then the output, stdout and stderr as one;
//! `...` on a line of its own stands for any lines, `[..]` for the rest of
//! a line). After an intended change to a report, refresh them with
//! `TRYCMD=overwrite cargo test --test integration readme` and read `git diff`.

use crate::common;

#[test]
fn readme_examples_are_the_tools_output() {
    // Every shipped sample, so a new one is pinned without a list to keep.
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for e in std::fs::read_dir(samples).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            common::pin_sample_times(e.file_name().to_str().unwrap());
        }
    }
    // The commands run in the repository (paths as the README shows them),
    // in a fixed zone, width and machine name; nothing else of the
    // environment that changes a report is left to chance.
    trycmd::TestCases::new()
        .env("TZ", "UTC")
        .env("COLUMNS", "80")
        .env("COMPUTERNAME", "DESKTOP-4711")
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .case("README.md")
        .case("samples/README.md");
}

/// The command lines the READMEs show without output (Windows-only runs,
/// placeholders such as `D:\tickets\...`): each must parse, option names and
/// values alike, so a renamed option or a changed value fails here. They
/// are parsed, not run: `--help` appended stops before any work.
#[test]
fn readme_command_lines_parse() {
    let mut seen = 0;
    for file in ["README.md", "samples/README.md"] {
        let text =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
                .unwrap();
        let mut fence: Option<String> = None;
        for (n, line) in text.lines().enumerate() {
            if let Some(info) = line.strip_prefix("```") {
                fence = match fence {
                    Some(_) => None,
                    None => Some(info.trim().to_string()),
                };
                continue;
            }
            // Console blocks are run by the test above.
            if fence.as_deref().is_none_or(|f| f == "console") {
                continue;
            }
            let Some(args) = command_args(line) else {
                continue;
            };
            seen += 1;
            let mut all = args.clone();
            all.push("--help".into());
            let r: common::Run = common::cmd().args(&all).output().unwrap().into();
            assert_eq!(
                r.code,
                0,
                "{file}:{}: `{}` does not parse:\n{}",
                n + 1,
                args.join(" "),
                r.stderr
            );
        }
    }
    assert!(seen >= 15, "only {seen} command lines found");
}

/// The arguments of a shown `offline-im-doctor` (or `cargo run --release
/// --`) command line: up to a comment (`#`, or two spaces before a note), a
/// pipe or a redirection.
fn command_args(line: &str) -> Option<Vec<String>> {
    // A comment (a whole line, or after a space) only describes: what it
    // names is never a command line.
    let line = match line.find('#') {
        Some(0) => return None,
        Some(i) if line[..i].ends_with(' ') => &line[..i],
        _ => line,
    };
    let start = [
        "offline-im-doctor.exe",
        "offline-im-doctor",
        "cargo run --release --",
    ]
    .iter()
    .find_map(|bin| {
        line.match_indices(bin)
            .map(|(i, _)| i + bin.len())
            .find(|&end| line[end..].is_empty() || line[end..].starts_with(' '))
    })?;
    let mut rest = &line[start..];
    for stop in ["  ", "#", "|", ">"] {
        if let Some(i) = rest.find(stop) {
            rest = &rest[..i];
        }
    }
    Some(
        rest.split_whitespace()
            .map(|a| a.trim_matches('"').to_string())
            .collect(),
    )
}

/// `docs/architecture.md` is followed file by file ("where to add a check,
/// a log rule kind, a format"): every repository path it names exists, so
/// a move or rename that forgets it fails here.
#[test]
fn every_path_the_architecture_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let mut checked = 0;
    for span in doc.split('`').skip(1).step_by(2) {
        let top = [
            "src/",
            "tests/",
            "data/",
            "locales/",
            "docs/",
            "benchsuite/",
            "scripts/",
        ];
        // Placeholders (`src/checks/<check>.rs`, `locales/fr/...`) are patterns.
        if !top.iter().any(|t| span.starts_with(t))
            || (span.contains(['<', '*', ' ']) || span.contains("..."))
        {
            continue;
        }
        assert!(
            root.join(span).exists(),
            "docs/architecture.md names {span}, which does not exist"
        );
        checked += 1;
    }
    assert!(
        checked >= 20,
        "only {checked} paths found: the test no longer reads the document"
    );
}
