//! `aggregate`: the fleet picture from many `check --format json` reports.
//!
//! Machines are keyed by host and SIP address(es), so each user of a shared
//! machine (RDS, Citrix) counts; the newest report per key wins. Build gaps
//! and failing checks come from the reports' statuses and reason codes,
//! never from thresholds re-derived here.
//!
//! Endpoint management (Intune remediations, SCCM, Ansible, PowerShell
//! remoting) already runs `check` on every machine and gathers its JSON;
//! this reads what it gathered. Reports are read one at a time into a small
//! digest (unknown fields skipped), so memory grows with the number of
//! machines, not with report sizes; a malformed report is counted and named.

use crate::codes::ClientBuildCode;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::client_build::{ClientBuild, OFFLINE_IM_MIN, OFFLINE_IM_MIN_ON_PREMISES};
use crate::model::{CheckId, Code};
use strum::IntoEnumIterator;

/// Largest report accepted; real ones are a few KiB to a few hundred KiB.
const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;
/// Folders are searched this deep for `*.json`.
const MAX_DEPTH: usize = 8;
/// Rows listed per section; counts always cover everything.
pub const LIST_LIMIT: usize = 50;

#[derive(Debug, Deserialize)]
struct Digest {
    schema_version: u32,
    verdict: String,
    generated_at: DateTime<Utc>,
    #[serde(default)]
    host: Option<String>,
    client: DigestClient,
    #[serde(default)]
    profiles: Vec<DigestProfile>,
    checks: Vec<DigestCheck>,
    /// Absent in reports written before the diagnosis.
    #[serde(default)]
    diagnosis: Option<DigestDiagnosis>,
}
#[derive(Debug, Deserialize)]
struct DigestDiagnosis {
    cause: Option<String>,
    #[serde(default)]
    code: String,
    #[serde(default)]
    symptoms: Vec<String>,
}
#[derive(Debug, Deserialize)]
struct DigestClient {
    build: Option<String>,
    #[serde(default)]
    channel: Option<String>,
}
#[derive(Debug, Deserialize)]
struct DigestProfile {
    #[serde(default)]
    sip_address: String,
    spooler: DigestSpooler,
}
#[derive(Debug, Deserialize)]
struct DigestSpooler {
    stuck: u64,
    oldest_age_seconds: Option<i64>,
}
#[derive(Debug, Deserialize)]
struct DigestCheck {
    id: String,
    status: String,
    /// Absent in reports written before reason codes.
    #[serde(default)]
    code: Option<String>,
}

/// What is kept per machine: a few numbers, never the report.
#[derive(Debug, Clone)]
struct MachineRow {
    source: String,
    /// The profiles' SIP addresses, sorted and joined: one user of a shared machine.
    user: String,
    generated_at: DateTime<Utc>,
    verdict: String,
    build: Option<String>,
    channel: Option<String>,
    below: Option<String>,
    stuck: u64,
    oldest_stuck_seconds: Option<i64>,
    failing: Vec<String>,
    warning: Vec<String>,
    /// (check, code, status) of every check that did not pass.
    codes: Vec<(String, String, String)>,
    /// The diagnosis: (cause check or none, diagnosis code).
    cause: Option<(Option<String>, String)>,
    /// The failing or warning checks the cause explains.
    symptoms: Vec<String>,
}

/// How many machines a diagnosis named as the cause (`diagnosis.cause` and
/// `diagnosis.code`; a null cause is a finding such as `warnings-only`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CauseCount {
    pub cause: Option<String>,
    pub code: String,
    pub machines: u64,
}

/// How many machines showed a symptom that their cause explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymptomCount {
    pub check: String,
    pub machines: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckCount {
    pub id: String,
    pub fail: u64,
    pub warn: u64,
}

impl CheckCount {
    fn new(id: &str) -> Self {
        CheckCount {
            id: id.to_string(),
            fail: 0,
            warn: 0,
        }
    }
}

/// How many machines gave one reason code (failing and warning checks only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCount {
    pub check: String,
    pub code: String,
    pub status: String,
    pub machines: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildGap {
    pub channel: String,
    /// The threshold the builds are below: `16.0.6701.1000`, or
    /// `16.0.6920.1000 (on-premises mailbox)`.
    pub threshold: String,
    pub machines: u64,
    /// Up to five distinct builds seen, lowest first.
    pub builds: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StuckMachine {
    pub machine: String,
    /// The SIP address(es) of the profiles with stuck messages' report.
    pub user: String,
    pub stuck: u64,
    pub oldest_stuck_seconds: Option<i64>,
    pub report: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Malformed {
    pub report: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct VerdictCounts {
    pub ok: u64,
    pub warn: u64,
    pub fail: u64,
}

/// The fleet picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fleet {
    pub reports_read: u64,
    /// Distinct machines and users: the newest report of each host and SIP
    /// address(es) counts, so each user of a shared machine counts; reports
    /// without a host count each.
    pub machines: u64,
    /// Older reports of the same host and user that have a newer one.
    pub superseded: u64,
    pub verdicts: VerdictCounts,
    /// Causes (the reports' `diagnosis`) by how many machines they explain,
    /// most first: what to fix across the fleet.
    #[serde(default)]
    pub causes: Vec<CauseCount>,
    /// Symptoms a cause explains, by machines, most first (kept apart from
    /// the causes: fixing the cause clears them).
    #[serde(default)]
    pub symptoms: Vec<SymptomCount>,
    /// Checks by how many machines they fail (then warn) on, most first.
    pub checks: Vec<CheckCount>,
    /// Reason codes of failing and warning checks by how many machines gave them, most first.
    #[serde(default)]
    pub codes: Vec<CodeCount>,
    pub builds_below_thresholds: Vec<BuildGap>,
    pub machines_with_stuck_messages: u64,
    /// The machines with the most stuck messages, at most [`LIST_LIMIT`].
    pub stuck: Vec<StuckMachine>,
    pub malformed_count: u64,
    /// Malformed or unreadable reports, at most [`LIST_LIMIT`] named.
    pub malformed: Vec<Malformed>,
}

/// Every report file named or found under the named folders, in a stable order.
pub fn collect_inputs(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Malformed>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                for e in walkdir::WalkDir::new(input)
                    .max_depth(MAX_DEPTH)
                    .follow_links(false)
                    .sort_by_file_name()
                {
                    match e {
                        Ok(e) if e.file_type().is_file() => {
                            let is_json = e
                                .path()
                                .extension()
                                .is_some_and(|x| x.eq_ignore_ascii_case("json"));
                            if is_json {
                                files.push(e.into_path());
                            }
                        }
                        Ok(_) => {}
                        Err(err) => problems.push(Malformed {
                            report: err
                                .path()
                                .map(|p| p.display().to_string())
                                .unwrap_or_else(|| input.display().to_string()),
                            reason: err.to_string(),
                        }),
                    }
                }
            }
            Ok(_) => files.push(input.clone()),
            Err(e) => problems.push(Malformed {
                report: input.display().to_string(),
                reason: e.to_string(),
            }),
        }
    }
    (files, problems)
}

fn read_digest(path: &Path) -> Result<Digest, String> {
    let file = crate::fsutil::open_shared(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_REPORT_BYTES {
        return Err(format!("{len} bytes is larger than a report can be"));
    }
    let bytes =
        crate::fsutil::read_head(path, MAX_REPORT_BYTES as usize).map_err(|e| e.to_string())?;
    // Windows PowerShell 5.1 writes `>` as UTF-16 LE and `Out-File -Encoding
    // utf8` with a BOM: both are how reports arrive from a fleet.
    let text = match encoding_rs::Encoding::for_bom(&bytes) {
        Some((enc, bom)) => enc.decode_without_bom_handling(&bytes[bom..]).0,
        None => String::from_utf8_lossy(&bytes),
    };
    let d: Digest =
        serde_json::from_str(&text).map_err(|e| format!("not an offline-im-doctor report: {e}"))?;
    if d.schema_version != crate::model::SCHEMA_VERSION {
        return Err(format!(
            "schema_version {} (this version reads {})",
            d.schema_version,
            crate::model::SCHEMA_VERSION
        ));
    }
    Ok(d)
}

/// The build threshold a `client-build` reason code names, if any.
fn gap_of(code: Code) -> Option<String> {
    match code {
        Code::ClientBuild(ClientBuildCode::BuildLync2013) => {
            Some("major 15 or older (Lync 2013: no Offline IM)".into())
        }
        Code::ClientBuild(ClientBuildCode::BuildBelowMinimum) => Some(OFFLINE_IM_MIN.to_string()),
        Code::ClientBuild(ClientBuildCode::BuildBelowOnpremThreshold) => Some(format!(
            "{OFFLINE_IM_MIN_ON_PREMISES} (on-premises mailbox)"
        )),
        _ => None,
    }
}

fn row_of(path: &Path, d: Digest) -> MachineRow {
    let below = d
        .checks
        .iter()
        .filter(|c| c.id == CheckId::ClientBuild.as_str())
        .filter_map(|c| c.code.as_deref()?.parse::<Code>().ok())
        .find_map(gap_of);
    let mut users: Vec<String> = d
        .profiles
        .iter()
        .map(|p| p.sip_address.to_ascii_lowercase())
        .collect();
    users.sort();
    users.dedup();
    let stuck = d.profiles.iter().map(|p| p.spooler.stuck).sum();
    let oldest = d
        .profiles
        .iter()
        .filter(|p| p.spooler.stuck > 0)
        .filter_map(|p| p.spooler.oldest_age_seconds)
        .max();
    MachineRow {
        source: path.display().to_string(),
        user: users.join(", "),
        generated_at: d.generated_at,
        verdict: d.verdict,
        build: d.client.build,
        channel: d.client.channel,
        below,
        stuck,
        oldest_stuck_seconds: oldest,
        failing: d
            .checks
            .iter()
            .filter(|c| c.status == "fail")
            .map(|c| c.id.clone())
            .collect(),
        warning: d
            .checks
            .iter()
            .filter(|c| c.status == "warn")
            .map(|c| c.id.clone())
            .collect(),
        codes: d
            .checks
            .iter()
            .filter(|c| c.status == "fail" || c.status == "warn")
            .filter_map(|c| Some((c.id.clone(), c.code.clone()?, c.status.clone())))
            .collect(),
        cause: d
            .diagnosis
            .as_ref()
            .filter(|g| g.cause.is_some() || !matches!(g.code.as_str(), "" | "all-clear"))
            .map(|g| (g.cause.clone(), g.code.clone())),
        symptoms: d.diagnosis.map(|g| g.symptoms).unwrap_or_default(),
    }
}

/// One report read: its host and digest row, or why it is malformed.
type ReadOutcome = Result<(Option<String>, MachineRow), Malformed>;

/// One machine and user: a host and the profiles' SIP address(es).
type FleetKey = (String, String);

/// Read and aggregate the reports, on every core.
pub fn aggregate(inputs: &[PathBuf]) -> Fleet {
    let (files, mut malformed) = collect_inputs(inputs);
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(8);
    let chunk = files.len().div_ceil(workers).max(1);
    let results: Vec<Vec<ReadOutcome>> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|p| match read_digest(p) {
                            Ok(d) => Ok((d.host.clone(), row_of(p, d))),
                            Err(reason) => Err(Malformed {
                                report: p.display().to_string(),
                                reason,
                            }),
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });

    let mut by_key: HashMap<FleetKey, MachineRow> = HashMap::new();
    let mut hostless: Vec<MachineRow> = Vec::new();
    let mut reports_read = 0u64;
    let mut superseded = 0u64;
    for r in results.into_iter().flatten() {
        match r {
            Ok((host, row)) => {
                reports_read += 1;
                match host {
                    Some(h) => match by_key.get_mut(&(h.clone(), row.user.clone())) {
                        Some(existing) => {
                            superseded += 1;
                            if row.generated_at > existing.generated_at {
                                *existing = row;
                            }
                        }
                        None => {
                            by_key.insert((h, row.user.clone()), row);
                        }
                    },
                    None => hostless.push(row),
                }
            }
            Err(m) => malformed.push(m),
        }
    }

    let mut verdicts = VerdictCounts::default();
    let mut checks: BTreeMap<String, CheckCount> = CheckId::iter()
        .map(|id| (id.as_str().to_string(), CheckCount::new(id.as_str())))
        .collect();
    let mut gaps: BTreeMap<(String, String), (u64, Vec<ClientBuild>)> = BTreeMap::new();
    let mut stuck: Vec<StuckMachine> = Vec::new();
    let mut codes: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    let mut causes: BTreeMap<(Option<String>, String), u64> = BTreeMap::new();
    let mut symptoms: BTreeMap<String, u64> = BTreeMap::new();
    let rows = by_key
        .iter()
        .map(|((h, _), r)| (h.clone(), r))
        .chain(hostless.iter().map(|r| (r.source.clone(), r)));
    let mut machines = 0;
    for (machine, r) in rows {
        machines += 1;
        match r.verdict.as_str() {
            "fail" => verdicts.fail += 1,
            "warn" => verdicts.warn += 1,
            _ => verdicts.ok += 1,
        }
        for (ids, failing) in [(&r.failing, true), (&r.warning, false)] {
            for id in ids {
                let c = checks
                    .entry(id.clone())
                    .or_insert_with(|| CheckCount::new(id));
                if failing {
                    c.fail += 1;
                } else {
                    c.warn += 1;
                }
            }
        }
        for key in &r.codes {
            *codes.entry(key.clone()).or_default() += 1;
        }
        if let Some(c) = &r.cause {
            *causes.entry(c.clone()).or_default() += 1;
        }
        for s in &r.symptoms {
            *symptoms.entry(s.clone()).or_default() += 1;
        }
        if let Some(t) = r.below.clone() {
            let e = gaps
                .entry((r.channel.clone().unwrap_or_else(|| "unknown".into()), t))
                .or_default();
            e.0 += 1;
            if let Some(b) = r.build.as_deref().and_then(|b| b.parse().ok())
                && !e.1.contains(&b)
                && e.1.len() < 64
            {
                e.1.push(b);
            }
        }
        if r.stuck > 0 {
            stuck.push(StuckMachine {
                machine,
                user: r.user.clone(),
                stuck: r.stuck,
                oldest_stuck_seconds: r.oldest_stuck_seconds,
                report: r.source.clone(),
            });
        }
    }
    let mut checks: Vec<CheckCount> = checks
        .into_values()
        .filter(|c| c.fail + c.warn > 0)
        .collect();
    checks.sort_by(|a, b| {
        (b.fail, b.warn)
            .cmp(&(a.fail, a.warn))
            .then(a.id.cmp(&b.id))
    });
    let mut codes: Vec<CodeCount> = codes
        .into_iter()
        .map(|((check, code, status), machines)| CodeCount {
            check,
            code,
            status,
            machines,
        })
        .collect();
    codes.sort_by(|a, b| {
        b.machines
            .cmp(&a.machines)
            .then(a.check.cmp(&b.check))
            .then(a.code.cmp(&b.code))
    });
    // Causes first (a named cause before a finding such as warnings-only),
    // then by machines.
    let mut causes: Vec<CauseCount> = causes
        .into_iter()
        .map(|((cause, code), machines)| CauseCount {
            cause,
            code,
            machines,
        })
        .collect();
    causes.sort_by(|a, b| {
        b.cause
            .is_some()
            .cmp(&a.cause.is_some())
            .then(b.machines.cmp(&a.machines))
            .then(a.cause.cmp(&b.cause))
            .then(a.code.cmp(&b.code))
    });
    let mut symptoms: Vec<SymptomCount> = symptoms
        .into_iter()
        .map(|(check, machines)| SymptomCount { check, machines })
        .collect();
    symptoms.sort_by(|a, b| b.machines.cmp(&a.machines).then(a.check.cmp(&b.check)));
    let builds_below_thresholds = gaps
        .into_iter()
        .map(|((channel, threshold), (machines, mut builds))| {
            builds.sort();
            BuildGap {
                channel,
                threshold,
                machines,
                builds: builds.iter().take(5).map(ToString::to_string).collect(),
            }
        })
        .collect();
    stuck.sort_by(|a, b| {
        b.stuck
            .cmp(&a.stuck)
            .then(a.machine.cmp(&b.machine))
            .then(a.user.cmp(&b.user))
    });
    let machines_with_stuck_messages = stuck.len() as u64;
    stuck.truncate(LIST_LIMIT);
    malformed.sort_by(|a, b| a.report.cmp(&b.report));
    let malformed_count = malformed.len() as u64;
    malformed.truncate(LIST_LIMIT);
    Fleet {
        reports_read,
        machines,
        superseded,
        verdicts,
        causes,
        symptoms,
        checks,
        codes,
        builds_below_thresholds,
        machines_with_stuck_messages,
        stuck,
        malformed_count,
        malformed,
    }
}
