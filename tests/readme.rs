//! The README's examples are the tool's real output: every ```console block
//! in `README.md` and `samples/README.md` is run and compared by trycmd
//! (`$ command`, `? exit code`, then the output, stdout and stderr as one;
//! `...` on a line of its own stands for any lines, `[..]` for the rest of
//! a line). After an intended change to a report, refresh them with
//! `TRYCMD=overwrite cargo test --test readme` and read `git diff`.

mod common;

const SAMPLES: &[&str] = &[
    "healthy",
    "stuck-spooler",
    "old-build-onprem",
    "policy-disabled",
    "server-offline-off",
    "exchange-online-2026",
    "exchange-online-2026-policy",
    "no-logs",
];

#[test]
fn readme_examples_are_the_tools_output() {
    for s in SAMPLES {
        common::pin_sample_times(s);
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
