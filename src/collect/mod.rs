//! `collect`: an evidence bundle for escalation. It sits above the report
//! the way `check` does: inspect, diagnose, then write what was seen
//! (bundle::write) in the bundle format (bundle::format).

use std::io::{self, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::bundle::format::{
    BundleError, BundledProfile, BundledTracing, EtlInclusion, Inventory, MAX_ETL_BYTES,
    RecordedFile, RecordedInputs,
};
use crate::bundle::write::safe_member_part;
use crate::facts::{Facts, Settings};
use crate::inspect::{Input, InspectError, Request, Resolved, judge};
use crate::model::Report;
use crate::redact::Redactor;
use crate::report;
use crate::sources::scan::logs::inventory_tracing_dir;

/// Why `collect` could not write a bundle.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error(transparent)]
    Inspect(#[from] InspectError),
    #[error(transparent)]
    Bundle(#[from] BundleError),
    #[error(
        "--root {path} is already an evidence bundle; check it with `offline-im-doctor check --root {path}`, or collect from the user's folder"
    )]
    AlreadyABundle { path: String },
    #[error(
        "--root {path} is a zip of a copied folder; check it in place with `offline-im-doctor check --root {path}`, or collect from the user's folder"
    )]
    PlainZip { path: String },
    #[error(
        "{path} already exists; pass --force to replace it, or choose another --out (an earlier bundle is never overwritten silently)"
    )]
    OutExists { path: String },
    #[error(
        "{path} appeared while the bundle was being written (another collect?); it was left as it is and this bundle was not kept: run again with another --out"
    )]
    OutAppeared { path: String },
}

/// What `collect` was asked for.
pub struct CollectRequest {
    pub request: Request,
    /// `--root`, resolved once, and the settings resolved against it.
    pub input: Input,
    pub resolved: Resolved,
    pub out: PathBuf,
    pub redactor: Option<Redactor>,
    /// Names personal on their own (machine, user) for the redactor.
    pub personal: Vec<(String, &'static str)>,
    pub include_messages: bool,
    /// `.etl` traces go in unless `--no-etl` (and never with `--redact`:
    /// they are binary and cannot be pseudonymised).
    pub include_etl: bool,
    /// `collect --probe`: probe from this machine once the facts are known;
    /// the results go into `report.json` and `inputs`.
    pub probe_options: Option<crate::sources::probe::ProbeOptions>,
    /// `--force`: replace an existing `--out`.
    pub force: bool,
    /// `collect --watch`: what the watch saw. The report judges the log
    /// written during it and carries the `watch` key; the bundle holds that
    /// log under `watch/`.
    pub watch: Option<crate::watch::Watched>,
    /// The language `report.json` (and the summary's report) is written
    /// in; the report records it in `lang`.
    pub lang: crate::i18n::Lang,
}

pub struct CollectSummary {
    pub out: PathBuf,
    pub members: usize,
    pub bytes: u64,
    pub report: Report,
    /// What was left out and why (ETL cap, --redact).
    pub notes: Vec<String>,
}

mod members;

use members::Bundle;

/// Gather, diagnose and write the bundle. Writes only `out` (through a
/// temporary file next to it, renamed at the end); a failure leaves nothing.
pub fn collect(c: CollectRequest) -> Result<CollectSummary, CollectError> {
    let out = Destination::of(&c.out);
    out.outside(std::slice::from_ref(&c.request.root))?;
    if !c.force && std::fs::symlink_metadata(&c.out).is_ok() {
        return Err(CollectError::OutExists { path: out.display });
    }
    let mut input = c.input;
    refuse_zip(&input, &c.request.root)?;
    let judged = judge(
        &mut input,
        &c.request,
        &c.resolved.settings,
        c.probe_options.as_ref(),
        c.watch.as_ref(),
    )?;
    let (facts, settings) = (&judged.inspected.facts, &judged.inspected.settings);
    out.outside(&folders_read(facts))?;
    let max_log = c
        .request
        .options
        .max_log_size
        .unwrap_or(crate::sources::scan::logs::DEFAULT_MAX_BYTES_PER_FILE)
        .max(1);
    let contents = gather(
        facts,
        settings,
        &c.request,
        &judged.report,
        c.include_etl,
        c.redactor.is_some(),
    );
    let mut redactor = c.redactor;
    let mut documents = redact(
        judged.report,
        facts,
        &contents,
        redactor.as_mut(),
        &c.personal,
        max_log,
    );
    // The text again in the chosen language, from the redacted values.
    documents.report.localize(c.lang);
    let bundle = Bundle {
        out: &out,
        contents: &contents,
        options: &c.request.options,
        facts,
        window: c.watch.as_ref().map_or(&[][..], |w| &w.window[..]),
        redactor: redactor.as_ref(),
        max_log,
        include_messages: c.include_messages,
    };
    let (members, bytes, message_notes) = bundle.write(&documents, settings.now, c.force)?;
    let mut notes = contents.recorded.etl.left_out.clone();
    notes.extend(message_notes);
    Ok(CollectSummary {
        out: c.out,
        members,
        bytes,
        report: documents.report,
        notes,
    })
}

/// Where the bundle goes: `--out` and the folder it is written in.
struct Destination {
    path: PathBuf,
    dir: PathBuf,
    display: String,
}

impl Destination {
    fn of(out: &Path) -> Destination {
        let dir = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Destination {
            path: out.to_path_buf(),
            dir,
            display: out.display().to_string(),
        }
    }

    /// `--out`'s folder must lie outside every folder read.
    fn outside(&self, read: &[PathBuf]) -> Result<(), CollectError> {
        out_outside(&self.dir, &self.display, read)
    }

    /// A failure to write the bundle, named by `--out`.
    fn error(&self, e: io::Error) -> BundleError {
        BundleError::Write {
            path: self.display.clone(),
            reason: e.to_string(),
        }
    }
}

/// A bundle or a plain zip is checked in place, not collected again.
fn refuse_zip(input: &Input, root: &Path) -> Result<(), CollectError> {
    let path = root.display().to_string();
    match input {
        Input::Bundle(_) => Err(CollectError::AlreadyABundle { path }),
        Input::PlainZip(_) => Err(CollectError::PlainZip { path }),
        _ => Ok(()),
    }
}

/// Every folder read, not only --root: a sip_ folder's Tracing lies beside it.
fn folders_read(facts: &Facts) -> Vec<PathBuf> {
    let mut read: Vec<PathBuf> = Vec::new();
    for l in &facts.inspection.lync_folders {
        read.push(l.path.clone());
        read.extend(l.tracing.clone());
    }
    for p in &facts.inspection.profiles {
        read.push(p.path.clone());
        read.extend(p.spooler.clone());
    }
    read
}

/// What goes into the bundle, chosen before anything is written.
struct Contents {
    inventory: Inventory,
    /// The client logs, in scan order.
    logs: Vec<LogMember>,
    /// The `.etl` traces that go in as (member, path, modified), newest first.
    etl: Vec<EtlMember>,
    recorded: RecordedInputs,
}

/// A trace that goes in: (member, path, modified).
type EtlMember = (String, PathBuf, Option<DateTime<Utc>>);
/// A trace found: (member, path, size, modified).
type FoundEtl = (String, PathBuf, u64, Option<DateTime<Utc>>);
/// A log that goes in: (member, path).
type LogMember = (String, PathBuf);

/// Choose what goes in: the inventory of what was found, the logs, the
/// traces within their cap, and the inputs the run was given.
fn gather(
    facts: &Facts,
    settings: &Settings,
    request: &Request,
    report: &Report,
    include_etl: bool,
    redacting: bool,
) -> Contents {
    let (inventory, logs, etls) = inventory(facts);
    let (inclusion, etl) = choose_etl(etls, include_etl, redacting);
    let probe = report
        .probe
        .as_ref()
        .and_then(|p| serde_json::to_value(p).ok());
    let recorded = recorded_inputs(facts, settings, &request.options, inclusion, probe);
    Contents {
        inventory,
        logs,
        etl,
        recorded,
    }
}

/// The inventory of profiles and Tracing folders, with the logs and the
/// traces each folder holds (as member names).
fn inventory(facts: &Facts) -> (Inventory, Vec<LogMember>, Vec<FoundEtl>) {
    let mut inventory = Inventory {
        // The collector's own path never goes in: the kind says what it was.
        root: String::new(),
        root_kind: facts.inspection.kind,
        profiles: facts
            .profiles
            .iter()
            .map(|p| BundledProfile {
                sip_address: p.profile.sip_address.clone(),
                office_version: p.profile.office_version.clone(),
                path: p.profile.path.display().to_string(),
                spooler: p.spooler.clone(),
            })
            .collect(),
        lync_folders: Vec::new(),
        lync_without_tracing: Vec::new(),
        problems: facts.inspection.problems.clone(),
        could_not_read: facts.inspection.could_not_read.clone(),
    };
    // Which files go in, as (member, path), in scan order.
    let mut logs: Vec<LogMember> = Vec::new();
    let mut etls: Vec<FoundEtl> = Vec::new();
    for l in &facts.inspection.lync_folders {
        let Some(tracing) = &l.tracing else {
            inventory
                .lync_without_tracing
                .push((l.office_version.clone(), l.path.display().to_string()));
            continue;
        };
        let Ok(inv) = inventory_tracing_dir(tracing) else {
            continue;
        };
        let version = safe_member_part(&l.office_version);
        let mut members = Vec::new();
        for p in inv.logs {
            let member = unique_member(&logs, format!("logs/{version}/{}", file_part(&p)));
            members.push(member.clone());
            logs.push((member, p));
        }
        for e in &inv.etl {
            let p = PathBuf::from(&e.path);
            let member = format!("etl/{version}/{}", file_part(&p));
            etls.push((member, p, e.size, e.modified));
        }
        inventory.lync_folders.push(BundledTracing {
            office_version: l.office_version.clone(),
            lync_path: l.path.display().to_string(),
            path: tracing.display().to_string(),
            logs: members,
            // The traces as read during the inspection: a re-check of the
            // bundle judges them without reading them again.
            etl: inv
                .etl
                .into_iter()
                .map(|e| {
                    facts
                        .logs
                        .etl
                        .iter()
                        .find(|f| f.path == e.path)
                        .cloned()
                        .unwrap_or(e)
                })
                .collect(),
        });
    }
    (inventory, logs, etls)
}

/// The `.etl` traces are binary, so never with --redact; newest first up
/// to the cap. What is left out is said.
fn choose_etl(
    mut etls: Vec<FoundEtl>,
    include_etl: bool,
    redacting: bool,
) -> (EtlInclusion, Vec<EtlMember>) {
    let mut etl_inclusion = EtlInclusion::default();
    let mut etl_members = Vec::new();
    if !etls.is_empty() {
        if !include_etl {
            etl_inclusion
                .left_out
                .push(format!("{} .etl trace(s): --no-etl", etls.len()));
        } else if redacting {
            etl_inclusion.left_out.push(format!(
                "{} .etl trace(s): --redact (binary traces cannot be pseudonymised)",
                etls.len()
            ));
        } else {
            etls.sort_by_key(|e| std::cmp::Reverse(e.3));
            let mut budget = MAX_ETL_BYTES;
            for (member, path, size, modified) in etls {
                if size > budget {
                    etl_inclusion.left_out.push(format!(
                        "{}: {size} bytes would pass the {MAX_ETL_BYTES}-byte cap for .etl traces",
                        path.display()
                    ));
                    continue;
                }
                budget -= size;
                etl_inclusion.included.push(member.clone());
                etl_members.push((member, path, modified));
            }
        }
    }
    (etl_inclusion, etl_members)
}

/// `inputs.json`: the machine and every inspection option given, the
/// files named by their name only.
fn recorded_inputs(
    facts: &Facts,
    settings: &Settings,
    o: &crate::inspect::Options,
    etl: EtlInclusion,
    probe: Option<serde_json::Value>,
) -> RecordedInputs {
    // Only the file's name: the folders around it are the collector's.
    let given = |p: &Path| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    RecordedInputs {
        host: facts.host.clone(),
        user: o.user.clone(),
        stuck_after_seconds: Some(settings.stuck_after.num_seconds()),
        client_version: o.client_version.map(|b| b.to_string()),
        mailbox: o.mailbox.map(|m| <&str>::from(m).to_string()),
        log_utc_offset: o.log_utc_offset.map(|x| x.to_string()),
        max_log_size: o.max_log_size,
        lync_exe: o.lync_exe.as_deref().map(given),
        server_configs: o
            .server_configs
            .iter()
            .enumerate()
            .map(|(i, p)| RecordedFile {
                given: given(p),
                member: format!("inputs/server-config-{}.txt", i + 1),
            })
            .collect(),
        rules: o.rules.as_deref().map(|p| RecordedFile {
            given: given(p),
            member: "inputs/rules.toml".into(),
        }),
        etl,
        probe,
    }
}

/// The four JSON members as they go in.
struct Documents {
    report: Report,
    inventory: serde_json::Value,
    machine: serde_json::Value,
    inputs: serde_json::Value,
}

/// The JSON members written from the root (the collector's own path to it
/// never goes in) and pseudonymised with --redact. The redactor learns the
/// names the logs teach first (`CONTOSO\asmith`), so they are replaced on
/// every line, also before the one that taught them.
fn redact(
    mut report: Report,
    facts: &Facts,
    contents: &Contents,
    redactor: Option<&mut Redactor>,
    personal: &[(String, &'static str)],
    max_log: u64,
) -> Documents {
    let mut machine = serde_json::to_value(&facts.install).unwrap_or_default();
    let mut inventory = serde_json::to_value(&contents.inventory).unwrap_or_default();
    let mut inputs = serde_json::to_value(&contents.recorded).unwrap_or_default();
    relative_to_root(&mut inventory, &root_prefix(facts));
    if let Some(r) = redactor {
        for (_, path) in &contents.logs {
            if let Ok(Some(f)) = crate::fsutil::open_shared(path).map(|f| log_tail(f, max_log)) {
                let _ = crate::bundle::write::learn_from(f, r);
            }
        }
        for p in &contents.inventory.profiles {
            r.learn_profile_name(&p.sip_address);
        }
        report = report::redact(&report, r, personal);
        crate::redact::redact_json(&mut inventory, r);
        crate::redact::redact_json(&mut machine, r);
        crate::redact::redact_json(&mut inputs, r);
    }
    Documents {
        report,
        inventory,
        machine,
        inputs,
    }
}

/// Paths under the root are written from it (`Microsoft/Office/...`).
fn root_prefix(facts: &Facts) -> String {
    facts.inspection.root.display().to_string()
}

/// `--out`'s folder must lie outside every folder read.
fn out_outside(out_dir: &Path, out: &str, read: &[PathBuf]) -> Result<(), CollectError> {
    let Ok(dir) = out_dir.canonicalize() else {
        return Ok(());
    };
    for r in read {
        if let Ok(root) = r.canonicalize()
            && dir.starts_with(&root)
        {
            return Err(BundleError::OutInsideRoot {
                out: out.to_string(),
                root: root.display().to_string(),
            }
            .into());
        }
    }
    Ok(())
}

/// A log as the scanner reads it: bounded by its size at open, and only its
/// last `max` bytes when larger (on a UTF-16 code unit boundary).
fn log_tail(mut f: std::fs::File, max: u64) -> Option<io::Take<std::fs::File>> {
    use io::Seek;
    let size = f.metadata().ok()?.len();
    let mut start = 0;
    if size > max {
        let mut head = Vec::with_capacity(64);
        (&mut f).take(64).read_to_end(&mut head).ok()?;
        let (enc, _) = crate::sources::scan::logs::sniff(&head);
        start = size - max;
        if enc != crate::sources::scan::logs::TextEncoding::Utf8 && start % 2 == 1 {
            start += 1;
        }
    }
    f.seek(io::SeekFrom::Start(start)).ok()?;
    Some(f.take(size - start))
}

fn file_part(p: &Path) -> String {
    p.file_name()
        .map(|n| safe_member_part(&n.to_string_lossy()))
        .unwrap_or_default()
}

fn unique_member(taken: &[LogMember], mut member: String) -> String {
    while taken.iter().any(|(m, _)| *m == member) {
        member.push('_');
    }
    member
}

/// Every string in `v` that starts with `root` written from the root.
fn relative_to_root(v: &mut serde_json::Value, root: &str) {
    match v {
        serde_json::Value::String(s) => {
            if !root.is_empty()
                && let Some(rest) = s.strip_prefix(root)
            {
                *s = rest.trim_start_matches(['/', '\\']).to_string();
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| relative_to_root(x, root)),
        serde_json::Value::Object(o) => o.values_mut().for_each(|x| relative_to_root(x, root)),
        _ => {}
    }
}
