//! ETL traces as evidence for `offline-im-activity`: coverage judged from
//! the events' own times (not the header's claims, not the file's
//! modification time), lost events named.

use chrono::{DateTime, Utc};

use crate::model::{Evidence, EvidenceSource};
use crate::sources::etl::EtlSummary;
use crate::sources::scan::logs::EtlFile;

fn at(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%SZ").to_string()
}

/// Whether every stuck message's time lies between the trace's first and
/// last event; `None` when no message is stuck.
pub fn covers(t: &EtlSummary, stuck: &[DateTime<Utc>]) -> Option<bool> {
    if stuck.is_empty() {
        return None;
    }
    Some(match (t.first_event, t.last_event) {
        (Some(first), Some(last)) => stuck.iter().all(|s| *s >= first && *s <= last),
        _ => false,
    })
}

/// Minutes each side of a stuck message counted as "around" it.
const AROUND_MINUTES: i64 = 5;

/// One trace as evidence: its events' range against the stuck messages,
/// how busy it was around them, what it lost, what could not be read.
pub fn etl_evidence(e: &EtlFile, stuck: &[DateTime<Utc>]) -> Evidence {
    let mut d = format!(
        "ETL trace, {} bytes, last written {}",
        e.size,
        e.modified.map_or_else(|| "(no time)".to_string(), at)
    );
    let Some(t) = &e.trace else {
        d.push_str(" (not read: listed by an older version of this tool)");
        return Evidence::at(EvidenceSource::Etl, e.path.clone(), None, d);
    };
    match (t.first_event, t.last_event) {
        (Some(f), Some(l)) => d.push_str(&format!(
            ": {} event(s) from {} to {}",
            t.events,
            at(f),
            at(l)
        )),
        _ => d.push_str(&format!(": {} event(s) with no readable time", t.events)),
    }
    if let (Some(s), Some(en)) = (t.start, t.end) {
        d.push_str(&format!(" (its header claims {} to {})", at(s), at(en)));
    }
    if t.events_lost > 0 || t.buffers_lost > 0 {
        d.push_str(&format!(
            "; the session lost {} event(s) and {} buffer(s): the trace has gaps",
            t.events_lost, t.buffers_lost
        ));
    }
    if t.circular {
        d.push_str("; circular logging: older events were overwritten");
    }
    match covers(t, stuck) {
        Some(true) => {
            let (first, last) = (stuck[0], stuck[stuck.len() - 1]);
            let around = chrono::Duration::minutes(AROUND_MINUTES);
            d.push_str(&format!(
                "; its events cover the stuck messages ({} event(s) within {AROUND_MINUTES} minutes of them)",
                t.events_between(first - around, last + around)
            ));
        }
        Some(false) => {
            let outside: Vec<String> = stuck
                .iter()
                .filter(|s| {
                    !t.first_event
                        .zip(t.last_event)
                        .is_some_and(|(f, l)| **s >= f && **s <= l)
                })
                .map(|s| at(*s))
                .collect();
            d.push_str(&format!(
                "; it does not cover the stuck message(s) of {}",
                outside.join(", ")
            ));
        }
        None => {}
    }
    if let Some(err) = &t.error {
        d.push_str(&format!("; not read fully: {err}"));
    }
    d.push_str(" (message text not decoded: Microsoft support can)");
    Evidence::at(EvidenceSource::Etl, e.path.clone(), None, d)
}
