//! `offline-im-activity`: what the client logs say about offline messages
//! themselves. The text log's silence proves nothing: Microsoft's Offline
//! IM page names the ETL trace as where the client records
//! offline-message processing
//! (<https://learn.microsoft.com/skypeforbusiness/manage/im/enable-or-disable-offline-instant-messaging>).

use std::collections::BTreeMap;

use strum::{EnumIter, EnumMessage, EnumString, IntoStaticStr};

use super::ews_access::evidence::ev;
use super::{Context, Outcome, judged};
use crate::i18n::{Arg, Msg};
use crate::model::{CheckResult, Code, Evidence, Status};

/// Reason codes of `offline-im-activity`.
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
pub enum OfflineImActivityCode {
    #[strum(message = "No client logs to read")]
    OfflineNoLogs,
    #[strum(message = "Offline-message processing failures in the client logs")]
    OfflineFailures,
    #[strum(message = "Offline-message events, no failures")]
    OfflineEvents,
    #[strum(
        message = "No offline-message lines in the text logs (the ETL trace records them): each trace's event range, losses and coverage of the stuck messages are read; its message text only Microsoft support decodes"
    )]
    OfflineNoTextEvents,
}

/// What the check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OfflineImActivityOutcome {
    NoLogs,
    Failures {
        failures: u64,
        events: u64,
    },
    Events {
        events: u64,
    },
    /// Nothing in the text logs; `traces` .etl files were found, `covering`
    /// of them hold events from before to after the stuck messages (`None`
    /// when no message is stuck).
    NoTextEvents {
        traces: usize,
        covering: Option<usize>,
    },
}

impl Outcome for OfflineImActivityOutcome {
    fn code(&self) -> Code {
        use OfflineImActivityCode as C;
        match self {
            Self::NoLogs => C::OfflineNoLogs,
            Self::Failures { .. } => C::OfflineFailures,
            Self::Events { .. } => C::OfflineEvents,
            Self::NoTextEvents { .. } => C::OfflineNoTextEvents,
        }
        .into()
    }

    fn status(&self) -> Status {
        match self {
            Self::NoLogs => Status::Skip,
            Self::Failures { .. } => Status::Fail,
            Self::Events { .. } | Self::NoTextEvents { .. } => Status::Info,
        }
    }

    fn args(&self) -> BTreeMap<String, Arg> {
        let mut a = BTreeMap::new();
        match self {
            Self::NoLogs => {}
            Self::Failures { failures, events } => {
                a.insert("failures".into(), Arg::Count(*failures));
                a.insert("events".into(), Arg::Count(*events));
            }
            Self::Events { events } => {
                a.insert("events".into(), Arg::Count(*events));
            }
            Self::NoTextEvents { traces, covering } => {
                a.insert("traces".into(), Arg::Count(*traces as u64));
                a.insert(
                    "stuck".into(),
                    Arg::Key(if covering.is_some() { "some" } else { "none" }.into()),
                );
                a.insert(
                    "covering".into(),
                    Arg::Count(covering.unwrap_or_default() as u64),
                );
            }
        }
        a
    }

    fn steps(&self) -> Vec<Msg> {
        match self {
            Self::Failures { .. } => vec![Msg::new("step-offline-read-timeline")],
            Self::NoTextEvents { traces, .. } if *traces > 0 => {
                vec![Msg::new("step-offline-send-traces")]
            }
            _ => Vec::new(),
        }
    }
}

pub fn offline_im_activity(ctx: &Context<'_>) -> CheckResult {
    let (outcome, evidence) = judge(ctx);
    judged(&outcome, evidence)
}

fn judge(ctx: &Context<'_>) -> (OfflineImActivityOutcome, Vec<Evidence>) {
    if !ctx.logs_read() {
        return (OfflineImActivityOutcome::NoLogs, Vec::new());
    }
    let logs = &ctx.facts.logs;
    let mut evidence: Vec<Evidence> = logs
        .offline_failures
        .iter()
        .rev()
        .map(|f| ev(f, f.excerpt.clone()))
        .collect();
    for s in logs.sip_errors.iter().rev() {
        evidence.push(ev(
            s,
            format!(
                "SIP ms-diagnostics {}{}",
                s.value.code,
                s.value
                    .reason
                    .as_ref()
                    .map(|r| format!(" reason=\"{r}\""))
                    .unwrap_or_default()
            ),
        ));
    }
    if !logs.offline_failures.is_empty() {
        let outcome = OfflineImActivityOutcome::Failures {
            failures: logs.offline_failure_count,
            events: logs.offline_events,
        };
        return (outcome, evidence);
    }
    if logs.offline_events > 0 {
        let outcome = OfflineImActivityOutcome::Events {
            events: logs.offline_events,
        };
        return (outcome, evidence);
    }
    // Coverage from the traces' own event times (checks/etl.rs).
    let stuck = ctx.facts.stuck_times(ctx.settings);
    let mut etl: Vec<Evidence> = logs
        .etl
        .iter()
        .map(|e| super::etl::etl_evidence(e, &stuck))
        .collect();
    etl.append(&mut evidence);
    let covering = logs
        .etl
        .iter()
        .filter(|e| e.trace.as_ref().and_then(|t| super::etl::covers(t, &stuck)) == Some(true))
        .count();
    let outcome = OfflineImActivityOutcome::NoTextEvents {
        traces: logs.etl.len(),
        covering: (!stuck.is_empty()).then_some(covering),
    };
    (outcome, etl)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::assert_catalogued;
    use crate::i18n::{Lang, text};

    fn all() -> Vec<OfflineImActivityOutcome> {
        use OfflineImActivityOutcome as O;
        vec![
            O::NoLogs,
            O::Failures {
                failures: 1,
                events: 3,
            },
            O::Failures {
                failures: 2,
                events: 2,
            },
            O::Events { events: 1 },
            O::NoTextEvents {
                traces: 0,
                covering: None,
            },
            O::NoTextEvents {
                traces: 2,
                covering: None,
            },
            O::NoTextEvents {
                traces: 1,
                covering: Some(0),
            },
            O::NoTextEvents {
                traces: 3,
                covering: Some(2),
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
    fn silence_in_the_text_log_proves_nothing_and_says_so() {
        let r = judged(
            &OfflineImActivityOutcome::NoTextEvents {
                traces: 2,
                covering: Some(0),
            },
            Vec::new(),
        );
        assert_eq!(r.status, Status::Info);
        let en = text(Lang::En, r.message.as_ref().unwrap());
        assert!(en.contains("which proves nothing"), "{en}");
        assert!(en.ends_with("0 of them hold events from before to after the stuck messages: no trace covers them."), "{en}");
        assert_eq!(r.steps.len(), 1);
        let fr = text(Lang::Fr, r.message.as_ref().unwrap());
        assert!(fr.contains("ne prouve rien"), "{fr}");
        let none = judged(
            &OfflineImActivityOutcome::NoTextEvents {
                traces: 0,
                covering: None,
            },
            Vec::new(),
        );
        assert!(none.steps.is_empty());
    }

    #[test]
    fn failures_are_counted_with_plurals() {
        let one = judged(
            &OfflineImActivityOutcome::Failures {
                failures: 1,
                events: 1,
            },
            Vec::new(),
        );
        assert_eq!(one.status, Status::Fail);
        assert_eq!(
            text(Lang::En, one.message.as_ref().unwrap()),
            "1 offline-message failure among 1 offline-message event in the client logs."
        );
        assert_eq!(
            text(Lang::Fr, one.message.as_ref().unwrap()),
            "1 échec de message hors connexion sur 1 événement de message hors connexion dans les journaux du client."
        );
    }
}
