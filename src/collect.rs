//! `collect`: an evidence bundle for escalation. It sits above the report
//! the way `check` does: inspect, diagnose, then write what was seen
//! (bundle::write) in the bundle format (bundle::format).

use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::bundle::format::{
    BUNDLE_VERSION, BundleError, BundledProfile, BundledTracing, EtlInclusion, INPUTS, INVENTORY,
    Inventory, MACHINE, MAX_ENTRIES, MAX_ETL_BYTES, MAX_MESSAGE_BYTES, Manifest, REPORT,
    RecordedFile, RecordedInputs,
};
use crate::bundle::write::{BundleWriter, copy_redacted, safe_member_part};
use crate::facts::{Facts, Settings};
use crate::inspect::{Input, InspectError, Request, Resolved, judge};
use crate::model::{Report, ToolInfo};
use crate::redact::Redactor;
use crate::report;
use crate::sources::scan::logs::inventory_tracing_dir;
use crate::sources::scan::spooler::EntryKind;

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
}

pub struct CollectSummary {
    pub out: PathBuf,
    pub members: usize,
    pub bytes: u64,
    pub report: Report,
    /// What was left out and why (ETL cap, --redact).
    pub notes: Vec<String>,
}

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
    let documents = redact(
        judged.report,
        facts,
        &contents,
        redactor.as_mut(),
        &c.personal,
        max_log,
    );
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
    let mut machine = serde_json::to_value(&facts.machine).unwrap_or_default();
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

/// Writing the bundle: every member, then the manifest, then the file
/// placed at `--out`.
struct Bundle<'a> {
    out: &'a Destination,
    contents: &'a Contents,
    options: &'a crate::inspect::Options,
    facts: &'a Facts,
    /// The log written during `--watch`.
    window: &'a [crate::watch::WindowSegment],
    redactor: Option<&'a Redactor>,
    max_log: u64,
    include_messages: bool,
}

impl Bundle<'_> {
    /// Write through a temporary file next to `--out`, placed at the end;
    /// the member count, the bytes, and what was left out.
    fn write(
        &self,
        documents: &Documents,
        created_at: DateTime<Utc>,
        force: bool,
    ) -> Result<(usize, u64, Vec<String>), CollectError> {
        let werr = |e| self.out.error(e);
        let tmp = tempfile::Builder::new()
            .prefix(".offline-im-doctor-")
            .suffix(".zip.partial")
            .tempfile_in(&self.out.dir)
            .map_err(werr)?;
        let file = tmp.reopen().map_err(werr)?;
        let mut w = BundleWriter::new(BufWriter::new(file));
        self.logs(&mut w).map_err(werr)?;
        self.etl(&mut w).map_err(werr)?;
        self.recorded_files(&mut w).map_err(werr)?;
        let mut notes = Vec::new();
        if self.include_messages {
            notes.extend(self.messages(&mut w).map_err(werr)?);
        }
        w.json(INVENTORY, &documents.inventory).map_err(werr)?;
        w.json(MACHINE, &documents.machine).map_err(werr)?;
        w.json(INPUTS, &documents.inputs).map_err(werr)?;
        w.json(REPORT, &documents.report).map_err(werr)?;
        let manifest = Manifest {
            bundle_version: BUNDLE_VERSION,
            tool: ToolInfo::default(),
            created_at,
            redacted: self.redactor.is_some(),
            includes_messages: self.include_messages,
            files: Vec::new(),
        };
        let (mut inner, members, bytes) = w.finish(manifest).map_err(werr)?;
        inner.flush().map_err(werr)?;
        drop(inner);
        // Exclusively: a file that appeared at --out since the start check
        // (another run writing the same ticket name) is never replaced.
        crate::bundle::write::place(tmp, &self.out.path, force).map_err(|e| match e {
            crate::bundle::write::PlaceError::AppearedMeanwhile => CollectError::OutAppeared {
                path: self.out.display.clone(),
            },
            crate::bundle::write::PlaceError::Io(e) => werr(e).into(),
        })?;
        Ok((members, bytes, notes))
    }

    /// Written from the root, as in the inventory (which names the same
    /// files): the collector's own path stays out.
    fn source_name(&self, p: &Path) -> String {
        let mut s = serde_json::Value::String(p.display().to_string());
        relative_to_root(&mut s, &root_prefix(self.facts));
        let s = s.as_str().unwrap_or_default().to_string();
        match self.redactor {
            Some(r) => r.redact(&s),
            None => s,
        }
    }

    /// The client logs as the scanner reads them (up to the size at open,
    /// the last --max-log-size bytes of a larger log), then the log written
    /// during `--watch`, one member per file generation. Message text and
    /// credentials never go in, --redact or not.
    fn logs<W: Write + io::Seek>(&self, w: &mut BundleWriter<W>) -> io::Result<()> {
        for (member, path) in &self.contents.logs {
            let Ok(Some(f)) = crate::fsutil::open_shared(path).map(|f| log_tail(f, self.max_log))
            else {
                continue;
            };
            w.member(
                member,
                Some(self.source_name(path)),
                modified_of(path),
                |out| copy_redacted(f, out, self.redactor),
            )?;
        }
        for (i, seg) in self.window.iter().enumerate() {
            w.member(
                &format!("watch/log-{}.UccApilog", i + 1),
                Some(self.source_name(Path::new(&seg.display()))),
                None,
                |out| copy_redacted(&seg.text[..], out, self.redactor),
            )?;
        }
        Ok(())
    }

    /// The `.etl` traces chosen, as they are.
    fn etl<W: Write + io::Seek>(&self, w: &mut BundleWriter<W>) -> io::Result<()> {
        for (member, path, modified) in &self.contents.etl {
            let Ok(f) = crate::fsutil::open_shared(path) else {
                continue;
            };
            w.member(member, Some(self.source_name(path)), *modified, |out| {
                io::copy(&mut io::BufReader::new(f).take(MAX_ETL_BYTES), out).map(|_| ())
            })?;
        }
        Ok(())
    }

    /// The pasted inputs, as given (pseudonymised line by line with --redact).
    fn recorded_files<W: Write + io::Seek>(&self, w: &mut BundleWriter<W>) -> io::Result<()> {
        let (recorded, o) = (&self.contents.recorded, self.options);
        let files = recorded
            .server_configs
            .iter()
            .zip(&o.server_configs)
            .chain(recorded.rules.iter().zip(o.rules.iter()));
        for (rec, path) in files {
            let cap = if rec.member.ends_with(".toml") {
                crate::input_file::MAX_RULES_BYTES
            } else {
                crate::input_file::MAX_SERVER_CONFIG_BYTES
            };
            let bytes = crate::input_file::read(path, cap)?;
            w.member(
                &rec.member,
                Some(self.source_name(path)),
                modified_of(path),
                |out| match self.redactor {
                    None if rec.member.ends_with(".toml") => out.write_all(&bytes),
                    r => copy_redacted(&bytes[..], out, r),
                },
            )?;
        }
        Ok(())
    }

    /// `--include-messages`: the spooled files, within the reader's entry
    /// limit (the members written so far, the four JSON members and the
    /// manifest); a note says how many did not fit.
    fn messages<W: Write + io::Seek>(&self, w: &mut BundleWriter<W>) -> io::Result<Vec<String>> {
        let mut room = MAX_ENTRIES.saturating_sub(w.len() + 5);
        let mut left_out = 0u64;
        for p in &self.facts.profiles {
            for e in p
                .spooler
                .entries
                .iter()
                .filter(|e| e.kind == EntryKind::File)
            {
                if e.size.unwrap_or(0) > MAX_MESSAGE_BYTES {
                    continue;
                }
                if room == 0 {
                    left_out += 1;
                    continue;
                }
                room -= 1;
                let Ok(f) = crate::fsutil::open_shared(Path::new(&e.path)) else {
                    continue;
                };
                let member = format!(
                    "spooler/{}/{}",
                    safe_member_part(&p.profile.sip_address),
                    safe_member_part(&e.name)
                );
                w.member(&member, Some(e.path.clone()), e.modified, |out| {
                    io::copy(&mut f.take(MAX_MESSAGE_BYTES), out).map(|_| ())
                })?;
            }
        }
        Ok(if left_out > 0 {
            vec![format!(
                "{left_out} spooled message(s): the bundle holds at most {MAX_ENTRIES} members (their sizes and times are in the inventory)"
            )]
        } else {
            Vec::new()
        })
    }
}

fn modified_of(p: &Path) -> Option<DateTime<Utc>> {
    std::fs::symlink_metadata(p)
        .ok()
        .and_then(|m| m.modified().ok())
        .and_then(crate::fsutil::system_time_utc)
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
