//! `client-logs`: were the client's logs (`...\Lync\Tracing\`) there and
//! readable, and does the registry say logging is off or thin?

use std::collections::BTreeMap;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::{Context, Outcome, judged};
use crate::i18n::{Arg, Msg};
use crate::model::{CheckResult, Code, Evidence, EvidenceSource, Status};
use crate::sources::discover::Place;

/// Where the client's logging settings live.
const LYNC_KEY: &str = "HKCU\\Software\\Microsoft\\Office\\16.0\\Lync";
/// The client policy setting that turns logging on for every user.
const SET_TRACING: &str = "Set-CsClientPolicy -Identity <policy> -EnableTracing $True";

/// Reason codes of `client-logs`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    EnumMessage,
    EnumString,
    IntoStaticStr,
)]
#[strum(serialize_all = "kebab-case")]
pub enum ClientLogsCode {
    #[strum(message = "Client logs were read")]
    LogsRead,
    #[strum(message = "No client log found: tracing is probably off")]
    LogsMissing,
    #[strum(message = "Client log files exist but none could be read")]
    LogsUnreadable,
    #[strum(
        message = "No client log, and the registry's EnableTracing is 0 (HKCU\\Software\\Microsoft\\Office\\16.0\\Lync): logging is off"
    )]
    LogsTracingOff,
    #[strum(message = "Client logs read, but a Tracing folder or a log could not be")]
    LogsPartlyUnreadable,
}

/// A place the tool could not read, and why (the system's words).
pub(crate) type Unread = (String, String);

/// What the check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClientLogsOutcome {
    /// Some logs read, some places not.
    PartlyUnreadable { read: usize, unread: Vec<Unread> },
    /// Logs read; `thin` is a `TracingLevel` other than Full.
    Read {
        read: usize,
        entries: u64,
        traces: usize,
        thin: Option<String>,
    },
    /// No log, and the registry says logging is off.
    TracingOff,
    /// Logs exist but none could be read; `unread` says where and why when
    /// the tool knows.
    Unreadable { unread: Vec<Unread> },
    /// No log found in these Tracing folders (path, whether it exists).
    Missing { searched: Vec<(String, bool)> },
}

impl Outcome for ClientLogsOutcome {
    fn code(&self) -> Code {
        use ClientLogsCode as C;
        match self {
            Self::PartlyUnreadable { .. } => C::LogsPartlyUnreadable,
            Self::Read { .. } => C::LogsRead,
            Self::TracingOff => C::LogsTracingOff,
            Self::Unreadable { .. } => C::LogsUnreadable,
            Self::Missing { .. } => C::LogsMissing,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::Read { .. } => Status::Pass,
            _ => Status::Warn,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        match self {
            Self::PartlyUnreadable { read, unread } => {
                a.insert("read".into(), Arg::Count(*read as u64));
                a.insert("count".into(), Arg::Count(unread.len() as u64));
                a.insert("unread".into(), super::unread_places(unread));
            }
            Self::Read {
                read,
                entries,
                traces,
                thin,
            } => {
                a.insert("read".into(), Arg::Count(*read as u64));
                a.insert("entries".into(), Arg::Count(*entries));
                a.insert("traces".into(), Arg::Count(*traces as u64));
                a.insert(
                    "level".into(),
                    match thin {
                        Some(l) => Arg::Code(l.clone()),
                        None => Arg::Key("full".into()),
                    },
                );
                a.insert("setting".into(), Arg::Code("TracingLevel".into()));
            }
            Self::TracingOff => {
                a.insert("setting".into(), Arg::Code("EnableTracing".into()));
                a.insert("key".into(), Arg::Path(LYNC_KEY.into()));
            }
            Self::Unreadable { unread } => {
                a.insert("count".into(), Arg::Count(unread.len() as u64));
                a.insert("unread".into(), super::unread_places(unread));
            }
            Self::Missing { searched } => {
                a.insert("log".into(), Arg::Code("Lync-UccApi-*.UccApilog".into()));
                a.insert("searched".into(), Arg::Count(searched.len() as u64));
                a.insert(
                    "folders".into(),
                    Arg::List(
                        searched
                            .iter()
                            .map(|(path, exists)| match exists {
                                true => Arg::Path(path.clone()),
                                false => Arg::Msg(Box::new(
                                    Msg::new("logs-folder-absent")
                                        .with("path", Arg::Path(path.clone())),
                                )),
                            })
                            .collect(),
                    ),
                );
            }
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        let turn_on =
            || Msg::new("step-logs-turn-on").with("cmdlet", Arg::Cmdlet(SET_TRACING.into()));
        match self {
            Self::PartlyUnreadable { .. } => vec![
                Msg::new("step-logs-run-as-user"),
                Msg::new("step-logs-links-are-not-logs"),
            ],
            Self::Unreadable { unread } if !unread.is_empty() => {
                vec![Msg::new("step-logs-run-as-user")]
            }
            Self::Read { thin: Some(_), .. } => vec![Msg::new("step-logs-full")],
            Self::Read { .. } => Vec::new(),
            Self::TracingOff | Self::Unreadable { .. } | Self::Missing { .. } => vec![turn_on()],
        }
    }
}

pub fn client_logs(ctx: &Context<'_>) -> CheckResult {
    let (outcome, evidence) = judge(ctx);
    judged(&outcome, evidence)
}

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(
        || "(no time)".to_string(),
        |t| t.format("%Y-%m-%d %H:%M:%SZ").to_string(),
    )
}

fn evidence(ctx: &Context<'_>) -> Vec<Evidence> {
    let logs = &ctx.facts.logs;
    let mut evidence: Vec<Evidence> = logs
        .logs
        .iter()
        .map(|l| {
            let mut d = match &l.error {
                // Refused or unopened: no size or encoding was ever seen.
                Some(e) if l.entries == 0 && l.size == 0 => format!("could not read: {e}"),
                Some(e) => format!(
                    "{} bytes, {} entries, {}: {e}",
                    l.size, l.entries, l.encoding
                ),
                None => format!("{} bytes, {} entries, {}", l.size, l.entries, l.encoding),
            };
            if let Some(w) = &l.warning {
                d.push_str(&format!("; warning: {w}"));
            }
            Evidence::at(EvidenceSource::Log, l.path.clone(), None, d)
        })
        .collect();
    evidence.extend(
        ctx.facts
            .inspection
            .could_not_read
            .iter()
            .filter(|c| c.what == Place::Tracing)
            .map(|c| {
                Evidence::at(
                    EvidenceSource::Log,
                    c.path.clone(),
                    None,
                    format!("could not read: {}", c.error),
                )
            }),
    );
    evidence.extend(logs.dir_errors.iter().map(|e| {
        Evidence::at(
            EvidenceSource::Log,
            e.path.clone(),
            None,
            format!("cannot list the Tracing folder: {}", e.error),
        )
    }));
    evidence.extend(logs.etl.iter().map(|e| {
        Evidence::at(
            EvidenceSource::Etl,
            e.path.clone(),
            None,
            format!(
                "ETL trace, {} bytes, last written {} (binary, not decoded)",
                e.size,
                when(e.modified)
            ),
        )
    }));
    // The client's logging settings, where the registry was read.
    for v in &ctx.facts.install.logging {
        evidence.push(Evidence::note(
            EvidenceSource::Registry,
            format!("{}\\{} = {}", v.key, v.name, v.value),
        ));
    }
    evidence
}

fn judge(ctx: &Context<'_>) -> (ClientLogsOutcome, Vec<Evidence>) {
    let logs = &ctx.facts.logs;
    let evidence = evidence(ctx);
    let unread = ctx.could_not_read(&[Place::Tracing, Place::Log]);
    let m = &ctx.facts.install;
    let tracing_off = m
        .logging_value("EnableTracing")
        .is_some_and(|v| v.value.trim() == "0" || v.value.trim().eq_ignore_ascii_case("false"));
    let thin = m
        .logging_value("TracingLevel")
        .filter(|v| !v.value.trim().eq_ignore_ascii_case("full"))
        .map(|v| v.value.trim().to_string());
    let read = logs.logs.iter().filter(|l| l.error.is_none()).count();
    let outcome = if ctx.logs_read() && !unread.is_empty() {
        ClientLogsOutcome::PartlyUnreadable { read, unread }
    } else if ctx.logs_read() {
        ClientLogsOutcome::Read {
            read,
            entries: logs.logs.iter().map(|l| l.entries).sum(),
            traces: logs.etl.len(),
            thin,
        }
    } else if logs.logs.is_empty() && tracing_off {
        ClientLogsOutcome::TracingOff
    } else if !unread.is_empty() && logs.logs.iter().all(|l| l.error.is_some()) {
        ClientLogsOutcome::Unreadable { unread }
    } else if logs.logs.is_empty() {
        let searched = ctx
            .facts
            .inspection
            .lync_folders
            .iter()
            .map(|l| {
                l.tracing
                    .as_ref()
                    .map(|t| (crate::fsutil::display_path(t), true))
                    .unwrap_or_else(|| {
                        let lync = crate::fsutil::display_path(&l.path);
                        (crate::fsutil::child_display(&lync, "Tracing"), false)
                    })
            })
            .collect();
        ClientLogsOutcome::Missing { searched }
    } else {
        ClientLogsOutcome::Unreadable { unread: Vec::new() }
    };
    (outcome, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};

    fn all() -> Vec<ClientLogsOutcome> {
        use ClientLogsOutcome as O;
        let unread = vec![(
            "C:\\T\\a.UccApilog".to_string(),
            "Access is denied.".to_string(),
        )];
        vec![
            O::PartlyUnreadable {
                read: 1,
                unread: unread.clone(),
            },
            O::Read {
                read: 2,
                entries: 10,
                traces: 0,
                thin: None,
            },
            O::Read {
                read: 1,
                entries: 1,
                traces: 2,
                thin: Some("Light".into()),
            },
            O::TracingOff,
            O::Unreadable { unread },
            O::Unreadable { unread: vec![] },
            O::Missing { searched: vec![] },
            O::Missing {
                searched: vec![
                    ("C:\\Lync\\Tracing".into(), true),
                    ("D:\\Lync\\Tracing".into(), false),
                ],
            },
        ]
    }

    #[test]
    fn every_outcome_speaks_both_languages() {
        for o in all() {
            assert_catalogued(&judged(&o, Vec::new()));
        }
    }

    #[test]
    fn a_thin_tracing_level_asks_for_full_logging() {
        let r = judged(&all()[2], Vec::new());
        assert_eq!(r.status, Status::Pass);
        let en = text(Lang::En, r.message.as_ref().unwrap());
        assert_eq!(
            en,
            "1 client log file read (1 entry), 2 ETL traces inventoried; TracingLevel is Light, not Full: the log may leave out the EWS traffic."
        );
        assert_eq!(r.steps.len(), 1);
        let fr = text(Lang::Fr, r.message.as_ref().unwrap());
        assert!(fr.starts_with("1 fichier journal du client lu"), "{fr}");
    }

    #[test]
    fn missing_logs_name_the_folders_searched() {
        let r = judged(&all()[7], Vec::new());
        assert_eq!(r.status, Status::Warn);
        let en = text(Lang::En, r.message.as_ref().unwrap());
        assert!(
            en.contains("searched C:\\Lync\\Tracing, D:\\Lync\\Tracing (absent)"),
            "{en}"
        );
        let none = text(
            Lang::En,
            judged(&all()[6], Vec::new()).message.as_ref().unwrap(),
        );
        assert!(none.contains("searched no Tracing folder"), "{none}");
    }
}
