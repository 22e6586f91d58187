//! Writes N realistic `check --format json` reports (distinct hosts, mixed
//! builds, channels, verdicts, stuck spoolers, a few malformed files) for
//! the `aggregate` benchmark: `cargo run --release --example gen-reports -- 10000 DIR`.

use std::path::PathBuf;

use offline_im_doctor::model::{
    BuildSource, CheckId, CheckResult, ClientInfo, Code, Evidence, EvidenceSource, InstallType,
    MailboxInfo, MailboxLocation, ProfileReport, Report, SCHEMA_VERSION, SpoolerSummary, Status,
    ToolInfo, Verdict,
};
use strum::IntoEnumIterator;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, no dependency.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/oid-reports".into()));
    std::fs::create_dir_all(&dir)?;
    let mut rng = Rng(0x5EED_0FF1_CE1D_0C70);
    let builds = [
        ("16.0.10730.20304", Some("Current")),
        ("16.0.7571.2072", Some("Current")),
        ("16.0.6965.2092", Some("Semi-Annual")),
        ("16.0.6741.2048", Some("Semi-Annual")),
        ("16.0.6001.1078", None),
        ("16.0.4266.1001", None),
    ];
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z")
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    for i in 0..n {
        let path = dir.join(format!("report-{i:05}.json"));
        if i % 997 == 13 {
            std::fs::write(&path, b"{\"schema_version\": 1, \"truncated")?;
            continue;
        }
        let (build, channel) = builds[rng.below(builds.len() as u64) as usize];
        let on_prem = rng.below(3) == 0;
        let stuck = if rng.below(10) == 0 {
            rng.below(5) + 1
        } else {
            0
        };
        let checks: Vec<CheckResult> = CheckId::iter()
            .map(|id| {
                let status = match rng.below(20) {
                    0 => Status::Fail,
                    1 | 2 => Status::Warn,
                    3 => Status::Skip,
                    _ => Status::Pass,
                };
                let status = if id == CheckId::SpoolerStuck && stuck > 0 { Status::Fail } else { status };
                // A code of this check with this status, as a real run gives.
                let code = Code::of(id).nth(rng.below(2) as usize).unwrap_or(Code::ClientBuild(offline_im_doctor::codes::ClientBuildCode::BuildUnknown));
                CheckResult {
                    id,
                    status,
                    code,
                    title: id.title().into(),
                    summary: format!("synthetic {} result", id.as_str()),
                    evidence: vec![Evidence::at(
                        EvidenceSource::Log,
                        format!("C:\\Users\\u{i}\\AppData\\Local\\Microsoft\\Office\\16.0\\Lync\\Tracing\\Lync-UccApi-0.UccApilog"),
                        Some(rng.below(100_000)),
                        "synthetic evidence line with some realistic length to it, as the real ones have",
                    )],
                    remediation: (status >= Status::Warn).then(|| "do the concrete thing".into()),
                    message: None,
                    steps: Vec::new(),
                }
            })
            .collect();
        let report = Report {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo::default(),
            lang: Default::default(),
            generated_at: now - chrono::Duration::seconds(rng.below(86_400) as i64),
            host: Some(format!("DESKTOP-{:05}", i % (n - n / 50).max(1))),
            verdict: Verdict::from_statuses(checks.iter().map(|c| c.status)),
            client: ClientInfo {
                build: Some(build.into()),
                source: Some(BuildSource::Registry),
                install: InstallType::ClickToRun,
                channel: channel.map(Into::into),
                product: None,
                support_ends: None,
            },
            mailbox: MailboxInfo {
                location: if on_prem {
                    MailboxLocation::OnPremises
                } else {
                    MailboxLocation::Online
                },
                ews_url: Some("https://mail.contoso.com/EWS/Exchange.asmx".into()),
                source: Some("log".into()),
            },
            profiles: vec![ProfileReport {
                sip_address: format!("user{i}@contoso.com"),
                office_version: "16.0".into(),
                path: format!(
                    "C:\\Users\\u{i}\\AppData\\Local\\Microsoft\\Office\\16.0\\Lync\\sip_user{i}@contoso.com"
                ),
                spooler: SpoolerSummary {
                    files: stuck + rng.below(2),
                    stuck,
                    oldest_age_seconds: (stuck > 0).then(|| rng.below(200_000) as i64 + 121),
                    stuck_written_at: Vec::new(),
                },
            }],
            diagnosis: offline_im_doctor::diagnosis::diagnose(&checks, now),
            checks,
            machine: Default::default(),
            logs: Default::default(),
            timeline: Vec::new(),
            probe: None,
            watch: None,
        };
        std::fs::write(&path, serde_json::to_vec_pretty(&report)?)?;
    }
    eprintln!("wrote {n} reports to {}", dir.display());
    Ok(())
}
