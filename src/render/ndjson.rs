//! Newline-delimited JSON: typed records, one per line, each standing alone
//! in a log pipeline (ripgrep's `--json` `Message`). Reports give a header
//! record then one record per check; the fleet gives a summary record then
//! one record per counted row.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::fleet::{
    BuildGap, CheckCount, CodeCount, Fleet, Malformed, StuckMachine, VerdictCounts,
};
use crate::model::{
    CheckResult, ClientInfo, InspectedHost, LogsInfo, MailboxInfo, ProfileReport, Report, ToolInfo,
    Verdict,
};

/// One line of `check --format ndjson`.
#[derive(Serialize)]
#[serde(tag = "record", rename_all = "kebab-case")]
pub enum ReportRecord<'a> {
    Header {
        schema_version: u32,
        tool: &'a ToolInfo,
        host: &'a Option<String>,
        generated_at: DateTime<Utc>,
        verdict: Verdict,
        client: &'a ClientInfo,
        mailbox: &'a MailboxInfo,
        machine: &'a InspectedHost,
        logs: &'a LogsInfo,
        profiles: &'a [ProfileReport],
    },
    /// The host and time ride along so each line stands alone.
    Check {
        host: &'a Option<String>,
        generated_at: DateTime<Utc>,
        #[serde(flatten)]
        check: &'a CheckResult,
    },
}

/// One line of `aggregate --format ndjson`.
#[derive(Serialize)]
#[serde(tag = "record", rename_all = "kebab-case")]
pub enum FleetRecord<'a> {
    Summary {
        reports_read: u64,
        machines: u64,
        superseded: u64,
        verdicts: &'a VerdictCounts,
        machines_with_stuck_messages: u64,
        malformed_count: u64,
    },
    Check(&'a CheckCount),
    Code(&'a CodeCount),
    BuildGap(&'a BuildGap),
    Stuck(&'a StuckMachine),
    Malformed(&'a Malformed),
}

fn lines<T: Serialize>(records: impl IntoIterator<Item = T>) -> String {
    let mut out = String::new();
    for r in records {
        // Plain data always serialises; a record that did not is left out
        // rather than printed half.
        if let Ok(line) = serde_json::to_string(&r) {
            out.push_str(&crate::sanitize::json_safe(line));
            out.push('\n');
        }
    }
    out
}

pub fn report(r: &Report) -> String {
    let header = ReportRecord::Header {
        schema_version: r.schema_version,
        tool: &r.tool,
        host: &r.host,
        generated_at: r.generated_at,
        verdict: r.verdict,
        client: &r.client,
        mailbox: &r.mailbox,
        machine: &r.machine,
        logs: &r.logs,
        profiles: &r.profiles,
    };
    lines(
        std::iter::once(header).chain(r.checks.iter().map(|c| ReportRecord::Check {
            host: &r.host,
            generated_at: r.generated_at,
            check: c,
        })),
    )
}

pub fn fleet(f: &Fleet) -> String {
    let summary = FleetRecord::Summary {
        reports_read: f.reports_read,
        machines: f.machines,
        superseded: f.superseded,
        verdicts: &f.verdicts,
        machines_with_stuck_messages: f.machines_with_stuck_messages,
        malformed_count: f.malformed_count,
    };
    lines(
        std::iter::once(summary)
            .chain(f.checks.iter().map(FleetRecord::Check))
            .chain(f.codes.iter().map(FleetRecord::Code))
            .chain(f.builds_below_thresholds.iter().map(FleetRecord::BuildGap))
            .chain(f.stuck.iter().map(FleetRecord::Stuck))
            .chain(f.malformed.iter().map(FleetRecord::Malformed)),
    )
}
