//! Newline-delimited JSON: typed records, one per line, each standing alone
//! in a log pipeline (ripgrep's `--json` `Message`). Reports give a header
//! record, a `diagnosis` record, then one record per check; every report
//! record carries the inspected `host` and the profiles' `sip_addresses`, so
//! two users of one machine (an RDS host) stay apart. The fleet gives a
//! summary record then one record per counted row. `schema --ndjson`
//! prints each record kind's JSON Schema ([`report_schema`]).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;

use crate::fleet::{
    BuildGap, CheckCount, CodeCount, Fleet, Malformed, StuckMachine, VerdictCounts,
};
use crate::model::{
    CheckResult, ClientInfo, Diagnosis, InspectedHost, LogsInfo, MailboxInfo, ProfileReport,
    Report, ToolInfo, Verdict,
};

/// What every report record carries, so each line stands alone: the
/// inspected machine, the profiles' SIP addresses and when the report was
/// made. All three are pseudonymised by `--redact` as in the JSON report.
#[derive(Serialize, JsonSchema)]
pub struct RecordContext<'a> {
    /// The inspected machine's name, as the JSON report's `host`; null when unknown.
    pub host: &'a Option<String>,
    /// The SIP address of every profile inspected (the JSON report's
    /// `profiles[].sip_address`), in report order.
    pub sip_addresses: Vec<&'a str>,
    pub generated_at: DateTime<Utc>,
}

/// The first line: what was inspected and the verdict.
#[derive(Serialize, JsonSchema)]
pub struct HeaderRecord<'a> {
    pub schema_version: u32,
    pub tool: &'a ToolInfo,
    /// The language of the text fields (`en`, `fr`), as the JSON report's.
    pub lang: crate::i18n::Lang,
    #[serde(flatten)]
    pub context: RecordContext<'a>,
    pub verdict: Verdict,
    pub client: &'a ClientInfo,
    pub mailbox: &'a MailboxInfo,
    pub machine: &'a InspectedHost,
    pub logs: &'a LogsInfo,
    pub profiles: &'a [ProfileReport],
}

/// The second line: the JSON report's `diagnosis` (`cause`, `code`,
/// `summary`, `next_step`, `symptoms`, `also`), and `next_steps`.
#[derive(Serialize, JsonSchema)]
pub struct DiagnosisRecord<'a> {
    #[serde(flatten)]
    pub context: RecordContext<'a>,
    pub verdict: Verdict,
    #[serde(flatten)]
    pub diagnosis: &'a Diagnosis,
    /// What to do, in order: `next_step` first, then the remediation of
    /// each check in `also` that has one (duplicates left out). Empty when
    /// nothing needs doing.
    pub next_steps: Vec<&'a str>,
}

/// One line per check, in report order.
#[derive(Serialize, JsonSchema)]
pub struct CheckRecord<'a> {
    #[serde(flatten)]
    pub context: RecordContext<'a>,
    #[serde(flatten)]
    pub check: &'a CheckResult,
}

/// One line of `check --format ndjson` (and `watch`, `collect --output x.ndjson`).
#[derive(Serialize, JsonSchema)]
#[serde(tag = "record", rename_all = "kebab-case")]
pub enum ReportRecord<'a> {
    Header(HeaderRecord<'a>),
    Diagnosis(DiagnosisRecord<'a>),
    Check(CheckRecord<'a>),
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
    let context = || RecordContext {
        host: &r.host,
        sip_addresses: r.profiles.iter().map(|p| p.sip_address.as_str()).collect(),
        generated_at: r.generated_at,
    };
    let header = ReportRecord::Header(HeaderRecord {
        schema_version: r.schema_version,
        tool: &r.tool,
        lang: r.lang,
        context: context(),
        verdict: r.verdict,
        client: &r.client,
        mailbox: &r.mailbox,
        machine: &r.machine,
        logs: &r.logs,
        profiles: &r.profiles,
    });
    let diagnosis = ReportRecord::Diagnosis(DiagnosisRecord {
        context: context(),
        verdict: r.verdict,
        diagnosis: &r.diagnosis,
        next_steps: next_steps(r),
    });
    lines(
        [header, diagnosis]
            .into_iter()
            .chain(r.checks.iter().map(|c| {
                ReportRecord::Check(CheckRecord {
                    context: context(),
                    check: c,
                })
            })),
    )
}

/// The diagnosis's next step, then each further cause's remediation.
fn next_steps(r: &Report) -> Vec<&str> {
    let mut steps: Vec<&str> = Vec::new();
    let d = &r.diagnosis;
    let first = (!d.next_step.trim().is_empty()).then_some(d.next_step.as_str());
    let also = d
        .also
        .iter()
        .filter_map(|id| r.check(*id).and_then(|c| c.remediation.as_deref()));
    for s in first.into_iter().chain(also) {
        if !steps.contains(&s) {
            steps.push(s);
        }
    }
    steps
}

/// The JSON Schema of `--format ndjson` report lines: one definition per
/// record kind (`header`, `diagnosis`, `check`) under `$defs`, and a line
/// is exactly one of them, told apart by `record`.
pub fn report_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(ReportRecord<'static>).to_value();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "title".into(),
            "offline-im-doctor --format ndjson record".into(),
        );
        obj.insert(
            "description".into(),
            "One line of `offline-im-doctor check --format ndjson`: a `header` record, a `diagnosis` record, then one `check` record per check. Every record carries `host` and `sip_addresses`.".into(),
        );
    }
    schema
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
