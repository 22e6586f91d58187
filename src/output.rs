//! Where a report goes and in which format, the same for every command
//! that has `--output` (`check`, `watch`, `collect`): the format comes from
//! `--format`, else from the file's extension; a `--format` the extension
//! contradicts is refused; and no output may be a file the run reads or lie
//! inside a folder it reads (`docs/contract.md`).

use std::path::{Path, PathBuf};

use anyhow::bail;
use offline_im_doctor::render::Format;
use offline_im_doctor::sanitize::terminal_safe;

use crate::cli::InspectArgs;

/// The word `--format` takes for each format.
fn format_name(f: Format) -> &'static str {
    match f {
        Format::Table => "table",
        Format::Text => "text",
        Format::Json => "json",
        Format::Markdown => "markdown",
        Format::Ndjson => "ndjson",
        Format::Html => "html",
    }
}

/// The format a file's extension names (case-insensitive): `.json`,
/// `.ndjson`, `.md`, `.html` (or `.htm`), `.txt`; `None` for any other
/// extension or none, which means a table.
fn format_of_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "json" => Format::Json,
        "ndjson" => Format::Ndjson,
        "md" => Format::Markdown,
        "html" | "htm" => Format::Html,
        "txt" => Format::Text,
        _ => return None,
    })
}

/// The report's format: `--format` when given, else `--output`'s
/// extension, else a table. A `--format` that an extension contradicts is
/// a usage error (exit 2) naming both; `.txt` takes a table or text alike,
/// both being plain text.
pub fn format_for(given: Option<Format>, output: Option<&Path>) -> anyhow::Result<Format> {
    let from_ext = output.and_then(format_of_extension);
    match (given, from_ext) {
        (Some(g), Some(e)) if g != e && !(g == Format::Table && e == Format::Text) => {
            let path = output.map(|p| p.display().to_string()).unwrap_or_default();
            bail!(
                "--format {} contradicts --output {}: its extension means {}. Drop --format (the extension decides) or give the file a matching extension",
                format_name(g),
                terminal_safe(&path),
                format_name(e)
            )
        }
        (Some(g), _) => Ok(g),
        (None, Some(e)) => Ok(e),
        (None, None) => Ok(Format::Table),
    }
}

/// What a run reads: files (an option's file, a log or zip given as
/// `--root`) and folders (the inspected folder and every Lync, Tracing,
/// profile and History Spooler folder found under or beside it).
#[derive(Debug, Default)]
pub struct Reads {
    files: Vec<(PathBuf, &'static str)>,
    folders: Vec<PathBuf>,
}

impl Reads {
    /// Everything `args` makes the run read, canonicalised (what does not
    /// exist is left out: it cannot be overwritten).
    pub fn of(args: &InspectArgs, root: &Path) -> Self {
        let mut reads = Reads::default();
        let option_files = args
            .server_config
            .iter()
            .map(|p| (p, "--server-config"))
            .chain(args.rules.iter().map(|p| (p, "--rules")))
            .chain(args.lync_exe.iter().map(|p| (p, "--lync-exe")));
        for (p, option) in option_files {
            if let Ok(c) = p.canonicalize() {
                reads.files.push((c, option));
            }
        }
        let Ok(canonical_root) = root.canonicalize() else {
            return reads;
        };
        if !canonical_root.is_dir() {
            reads.files.push((canonical_root, "--root"));
            return reads;
        }
        reads.folders.push(canonical_root);
        // A sip_ folder's Tracing lies beside it: every folder discovery finds.
        if let Ok(found) =
            offline_im_doctor::sources::discover::discover(root, args.user.as_deref())
        {
            let folders = found
                .lync_folders
                .iter()
                .flat_map(|l| std::iter::once(l.path.clone()).chain(l.tracing.clone()))
                .chain(
                    found
                        .profiles
                        .iter()
                        .flat_map(|p| std::iter::once(p.path.clone()).chain(p.spooler.clone())),
                );
            for f in folders {
                if let Ok(c) = f.canonicalize() {
                    reads.folders.push(c);
                }
            }
        }
        reads
    }

    /// Refuse (exit 2) an output `option` that would write onto something
    /// this run reads.
    pub fn refuse(&self, option: &str, out: &Path) -> anyhow::Result<()> {
        let target = canonical_target(out);
        let shown = terminal_safe(&out.display().to_string()).into_owned();
        if let Some((_, read_by)) = self.files.iter().find(|(f, _)| *f == target) {
            bail!(
                "refused: {option} {shown} is a file this run reads ({read_by}); writing there would replace it. Write the output somewhere else (e.g. a Temp or Desktop folder)"
            );
        }
        if let Some(folder) = self.folders.iter().find(|f| target.starts_with(f)) {
            bail!(
                "refused: {option} {shown} lies inside {}, a folder this run reads, which the tool never changes. Write the output somewhere else (e.g. a Temp or Desktop folder)",
                terminal_safe(&folder.display().to_string())
            );
        }
        Ok(())
    }
}

/// Refuse every output (option, path) that lands on what the run reads.
pub fn refuse_onto_reads(args: &InspectArgs, outputs: &[(&str, &Path)]) -> anyhow::Result<()> {
    if outputs.is_empty() {
        return Ok(());
    }
    // Without a root there is nothing to inspect; the request says so.
    let Ok(root) = args.root() else {
        return Ok(());
    };
    let reads = Reads::of(args, &root);
    for (option, out) in outputs {
        reads.refuse(option, out)?;
    }
    Ok(())
}

/// Two output options naming one file: the second would replace the first.
pub fn refuse_same(a: (&str, &Path), b: (&str, &Path)) -> anyhow::Result<()> {
    if canonical_target(a.1) == canonical_target(b.1) {
        bail!(
            "refused: {} and {} name the same file {}, and the report would replace the bundle; write the report somewhere else",
            a.0,
            b.0,
            terminal_safe(&a.1.display().to_string())
        );
    }
    Ok(())
}

/// Where writing `out` lands: the file itself when it exists (a link
/// followed), else its canonical folder joined with its name (a file that
/// does not exist yet cannot be canonicalised).
fn canonical_target(out: &Path) -> PathBuf {
    if let Ok(c) = out.canonicalize() {
        return c;
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out.file_name().map(PathBuf::from).unwrap_or_default();
    match parent.canonicalize() {
        Ok(p) => p.join(name),
        Err(_) => std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf()),
    }
}

/// Write a report to `--output`: UTF-8, with a BOM on Windows for the
/// formats people open in an editor (table, text, Markdown).
pub fn write_output(path: &Path, text: &str, format: Format) -> anyhow::Result<()> {
    let bom = cfg!(windows) && matches!(format, Format::Table | Format::Text | Format::Markdown);
    let mut bytes = Vec::with_capacity(text.len() + 3);
    if bom {
        bytes.extend_from_slice(b"\xEF\xBB\xBF");
    }
    bytes.extend_from_slice(text.as_bytes());
    std::fs::write(path, bytes).map_err(|e| {
        anyhow::anyhow!(
            "cannot write --output {}: {}",
            terminal_safe(&path.display().to_string()),
            crate::io_reason(&e)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_decides_without_format() {
        let f = |p: &str| format_for(None, Some(Path::new(p))).unwrap();
        assert_eq!(f("r.json"), Format::Json);
        assert_eq!(f("r.NDJSON"), Format::Ndjson);
        assert_eq!(f("r.md"), Format::Markdown);
        assert_eq!(f("r.html"), Format::Html);
        assert_eq!(f("r.txt"), Format::Text);
        assert_eq!(f("r.log"), Format::Table);
        assert_eq!(f("report"), Format::Table);
        assert_eq!(format_for(None, None).unwrap(), Format::Table);
    }

    #[test]
    fn a_format_the_extension_contradicts_is_refused_naming_both() {
        let e = format_for(Some(Format::Markdown), Some(Path::new("r.json")))
            .unwrap_err()
            .to_string();
        assert!(e.contains("--format markdown") && e.contains("r.json") && e.contains("json"));
        assert_eq!(
            format_for(Some(Format::Json), Some(Path::new("r.JSON"))).unwrap(),
            Format::Json
        );
        assert_eq!(
            format_for(Some(Format::Table), Some(Path::new("r.txt"))).unwrap(),
            Format::Table
        );
        assert_eq!(
            format_for(Some(Format::Html), Some(Path::new("r.out"))).unwrap(),
            Format::Html
        );
    }
}
