//! Writing the bundle: the logs as the scanner reads them, the log written
//! during `--watch`, the traces, the pasted inputs, the spooled files with
//! `--include-messages`, the four JSON members and the manifest, through a
//! temporary file placed at `--out` at the end.

use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};

use super::{
    CollectError, Contents, Destination, Documents, log_tail, relative_to_root, root_prefix,
};
use crate::bundle::format::{
    BUNDLE_VERSION, INPUTS, INVENTORY, MACHINE, MAX_ENTRIES, MAX_ETL_BYTES, MAX_MESSAGE_BYTES,
    Manifest, REPORT,
};
use crate::bundle::write::{BundleWriter, copy_redacted, safe_member_part};
use crate::facts::Facts;
use crate::model::ToolInfo;
use crate::redact::Redactor;
use crate::sources::scan::spooler::EntryKind;

/// Writing the bundle: every member, then the manifest, then the file
/// placed at `--out`.
pub(super) struct Bundle<'a> {
    pub(super) out: &'a Destination,
    pub(super) contents: &'a Contents,
    pub(super) options: &'a crate::inspect::Options,
    pub(super) facts: &'a Facts,
    /// The log written during `--watch`.
    pub(super) window: &'a [crate::watch::WindowSegment],
    pub(super) redactor: Option<&'a Redactor>,
    pub(super) max_log: u64,
    pub(super) include_messages: bool,
}

impl Bundle<'_> {
    /// Write through a temporary file next to `--out`, placed at the end;
    /// the member count, the bytes, and what was left out.
    pub(super) fn write(
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
