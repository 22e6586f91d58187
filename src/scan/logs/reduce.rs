//! Bounded, order-independent aggregation of log facts.
//!
//! Chunks are analysed in parallel and merged in file order, and a file may
//! be split anywhere; the result must not depend on either. So every
//! aggregate here is a function of the *set* of facts under a total order:
//! "newest" is the largest [`Key`] (timestamp, then file order, then byte
//! offset), and every list keeps the N largest keys. Memory stays bounded
//! whatever the log size: a log with a million SIP errors keeps the newest
//! hundred and counts the rest.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};

use chrono::{DateTime, Utc};

use super::{HttpFailure, LogFact, LogFacts, SipDiagnostic};
use crate::build::ClientBuild;
use crate::model::{TimelineEvent, TimelineKind};

/// Newest wins: a later timestamp, then a later file (`.bak` before the
/// live log), then a later position. No timestamp sorts oldest.
pub(crate) type Key = (Option<DateTime<Utc>>, u32, u64);

pub const KEEP_FACTS: usize = 100;
pub const KEEP_TIMELINE: usize = 200;
pub const KEEP_URLS: usize = 64;

struct Ranked<K, T> {
    key: K,
    item: T,
}

impl<K: Ord, T> PartialEq for Ranked<K, T> {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
    }
}
impl<K: Ord, T> Eq for Ranked<K, T> {}
impl<K: Ord, T> PartialOrd for Ranked<K, T> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<K: Ord, T> Ord for Ranked<K, T> {
    fn cmp(&self, o: &Self) -> Ordering {
        self.key.cmp(&o.key)
    }
}

/// The `cap` items with the largest keys. Keys must be unique per item for
/// the result to be independent of insertion order.
pub(crate) struct TopN<K: Ord, T> {
    cap: usize,
    heap: BinaryHeap<Reverse<Ranked<K, T>>>,
}

impl<K: Ord, T> TopN<K, T> {
    pub(crate) fn new(cap: usize) -> Self {
        TopN {
            cap,
            heap: BinaryHeap::new(),
        }
    }

    /// Could an item be kept, judging by `beats_min` on the smallest kept
    /// key? Lets callers skip building a key that cannot make it.
    pub(crate) fn may_admit(&self, beats_min: impl FnOnce(&K) -> bool) -> bool {
        self.heap.len() < self.cap
            || self
                .heap
                .peek()
                .is_some_and(|Reverse(min)| beats_min(&min.key))
    }

    /// Would an item with this key be kept? Lets callers skip building it.
    pub(crate) fn admits(&self, key: &K) -> bool {
        self.heap.len() < self.cap || self.heap.peek().is_some_and(|Reverse(min)| *key > min.key)
    }

    pub(crate) fn push(&mut self, key: K, item: T) {
        if self.cap == 0 {
            return;
        }
        if self.heap.len() < self.cap {
            self.heap.push(Reverse(Ranked { key, item }));
        } else if self.admits(&key) {
            self.heap.pop();
            self.heap.push(Reverse(Ranked { key, item }));
        }
    }

    pub(crate) fn merge(&mut self, other: TopN<K, T>) {
        for Reverse(r) in other.heap {
            self.push(r.key, r.item);
        }
    }

    /// Oldest first.
    pub(crate) fn into_sorted(self) -> Vec<T> {
        let mut v: Vec<Ranked<K, T>> = self.heap.into_iter().map(|Reverse(r)| r).collect();
        v.sort_by(|a, b| a.key.cmp(&b.key));
        v.into_iter().map(|r| r.item).collect()
    }
}

/// Where a fact sits: the entry it belongs to and the line it was seen on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntryCtx {
    /// 1-based line where the entry starts.
    pub line: u64,
    /// Byte offset of the entry's first line in the scanned text.
    pub offset: u64,
    pub ts: Option<DateTime<Utc>>,
}

/// The timeline orders by time, then kind, then text, so ties between two
/// events of one line (two EWS URLs) still have one order.
type TimelineKey = (Key, TimelineKind, String);

struct UrlSeen {
    newest: Key,
    fact: LogFact<String>,
    first: Key,
    first_line: u64,
}

pub(crate) struct Reduction {
    pub file_idx: u32,
    pub path: String,
    build: Option<(Key, LogFact<ClientBuild>)>,
    policy: Option<(Key, LogFact<bool>)>,
    user: Option<(Key, LogFact<bool>)>,
    urls: BTreeMap<String, UrlSeen>,
    ews_failures: TopN<Key, LogFact<HttpFailure>>,
    ews_failure_count: u64,
    sip_errors: TopN<Key, LogFact<SipDiagnostic>>,
    sip_error_count: u64,
    offline_failures: TopN<Key, LogFact<String>>,
    offline_failure_count: u64,
    offline_events: u64,
    timeline: TopN<TimelineKey, TimelineEvent>,
}

fn fact<T>(path: &str, ctx: &EntryCtx, value: T, excerpt: String) -> LogFact<T> {
    LogFact {
        value,
        path: path.to_string(),
        line: ctx.line,
        timestamp: ctx.ts,
        excerpt,
    }
}

fn newer<T>(slot: &mut Option<(Key, T)>, key: Key, make: impl FnOnce() -> T) {
    if slot.as_ref().is_none_or(|(k, _)| key > *k) {
        *slot = Some((key, make()));
    }
}

fn merge_newer<T>(slot: &mut Option<(Key, T)>, other: Option<(Key, T)>) {
    if let Some((k, v)) = other {
        newer(slot, k, || v);
    }
}

impl Reduction {
    pub(crate) fn new(file_idx: u32, path: &str) -> Self {
        Reduction {
            file_idx,
            path: path.to_string(),
            build: None,
            policy: None,
            user: None,
            urls: BTreeMap::new(),
            ews_failures: TopN::new(KEEP_FACTS),
            ews_failure_count: 0,
            sip_errors: TopN::new(KEEP_FACTS),
            sip_error_count: 0,
            offline_failures: TopN::new(KEEP_FACTS),
            offline_failure_count: 0,
            offline_events: 0,
            timeline: TopN::new(KEEP_TIMELINE),
        }
    }

    pub(crate) fn key(&self, ctx: &EntryCtx, offset: u64) -> Key {
        (ctx.ts, self.file_idx, offset)
    }

    /// Offer a timeline event; `detail` is built only when the event can
    /// still be among the newest.
    fn event(
        &mut self,
        key: Key,
        kind: TimelineKind,
        ctx: &EntryCtx,
        detail: impl FnOnce() -> String,
    ) {
        if !self.timeline.may_admit(|min| (key, kind) >= (min.0, min.1)) {
            return;
        }
        let tkey = (key, kind, detail());
        if self.timeline.admits(&tkey) {
            let ev = TimelineEvent {
                timestamp: ctx.ts,
                kind,
                path: self.path.clone(),
                line: ctx.line,
                detail: tkey.2.clone(),
            };
            self.timeline.push(tkey, ev);
        }
    }

    pub(crate) fn add_build(
        &mut self,
        ctx: &EntryCtx,
        offset: u64,
        build: ClientBuild,
        excerpt: String,
    ) {
        let key = self.key(ctx, offset);
        let path = &self.path;
        newer(&mut self.build, key, || fact(path, ctx, build, excerpt));
    }

    pub(crate) fn add_auto_archiving(
        &mut self,
        user_option: bool,
        ctx: &EntryCtx,
        offset: u64,
        value: bool,
        excerpt: String,
    ) {
        let key = self.key(ctx, offset);
        let path = self.path.clone();
        let slot = if user_option {
            &mut self.user
        } else {
            &mut self.policy
        };
        newer(slot, key, || fact(&path, ctx, value, excerpt));
        self.event(key, TimelineKind::Policy, ctx, || {
            if user_option {
                format!("user option imAutoArchiving = {value}")
            } else {
                format!("client policy EnableIMAutoArchiving = {value}")
            }
        });
    }

    pub(crate) fn add_ews_url(
        &mut self,
        ctx: &EntryCtx,
        offset: u64,
        url: String,
        excerpt: String,
    ) {
        let key = self.key(ctx, offset);
        let norm = url.to_ascii_lowercase();
        match self.urls.get_mut(&norm) {
            Some(seen) => {
                if key > seen.newest {
                    seen.newest = key;
                    seen.fact = fact(&self.path, ctx, url, excerpt);
                }
                if key < seen.first {
                    seen.first = key;
                    seen.first_line = ctx.line;
                }
            }
            None => {
                let f = fact(&self.path, ctx, url, excerpt);
                self.insert_url(
                    norm,
                    UrlSeen {
                        newest: key,
                        fact: f,
                        first: key,
                        first_line: ctx.line,
                    },
                );
            }
        }
    }

    fn insert_url(&mut self, norm: String, seen: UrlSeen) {
        match self.urls.get_mut(&norm) {
            Some(have) => {
                if seen.newest > have.newest {
                    have.newest = seen.newest;
                    have.fact = seen.fact;
                }
                if seen.first < have.first {
                    have.first = seen.first;
                    have.first_line = seen.first_line;
                }
            }
            None => {
                self.urls.insert(norm, seen);
                if self.urls.len() > KEEP_URLS
                    && let Some(oldest) = self
                        .urls
                        .iter()
                        .min_by_key(|(_, s)| s.newest)
                        .map(|(k, _)| k.clone())
                {
                    self.urls.remove(&oldest);
                }
            }
        }
    }

    pub(crate) fn add_sip_error(
        &mut self,
        ctx: &EntryCtx,
        offset: u64,
        diag: SipDiagnostic,
        excerpt: String,
    ) {
        let key = self.key(ctx, offset);
        self.sip_error_count += 1;
        let detail = |d: &SipDiagnostic| match &d.reason {
            Some(r) => format!("ms-diagnostics {} reason=\"{r}\"", d.code),
            None => format!("ms-diagnostics {}", d.code),
        };
        self.event(key, TimelineKind::SipError, ctx, || detail(&diag));
        if self.sip_errors.admits(&key) {
            let f = fact(&self.path, ctx, diag, excerpt);
            self.sip_errors.push(key, f);
        }
    }

    pub(crate) fn add_ews_failure(
        &mut self,
        ctx: &EntryCtx,
        failure: HttpFailure,
        excerpt: String,
    ) {
        let key = self.key(ctx, ctx.offset);
        self.ews_failure_count += 1;
        let detail = |f: &HttpFailure| {
            let url = f.url.as_ref().map(|u| format!(" {u}")).unwrap_or_default();
            format!("{} HTTP {}{url}", f.target, f.status)
        };
        self.event(key, TimelineKind::EwsFailure, ctx, || detail(&failure));
        if self.ews_failures.admits(&key) {
            let f = fact(&self.path, ctx, failure, excerpt);
            self.ews_failures.push(key, f);
        }
    }

    pub(crate) fn add_offline_event(
        &mut self,
        ctx: &EntryCtx,
        mention: &str,
        failure: Option<(&str, &str)>,
    ) {
        let key = self.key(ctx, ctx.offset);
        self.offline_events += 1;
        match failure {
            Some((marker, line)) => {
                self.offline_failure_count += 1;
                let excerpt = || {
                    if line
                        .to_ascii_lowercase()
                        .contains(&mention.to_ascii_lowercase())
                    {
                        line.to_string()
                    } else {
                        format!("{mention} … {line}")
                    }
                };
                if self.offline_failures.admits(&key) {
                    let f = fact(&self.path, ctx, marker.to_string(), excerpt());
                    self.offline_failures.push(key, f);
                }
                self.event(key, TimelineKind::OfflineImFailure, ctx, excerpt);
            }
            None => self.event(key, TimelineKind::OfflineIm, ctx, || mention.to_string()),
        }
    }

    pub(crate) fn merge(&mut self, other: Reduction) {
        merge_newer(&mut self.build, other.build);
        merge_newer(&mut self.policy, other.policy);
        merge_newer(&mut self.user, other.user);
        for (norm, seen) in other.urls {
            self.insert_url(norm, seen);
        }
        self.ews_failures.merge(other.ews_failures);
        self.ews_failure_count += other.ews_failure_count;
        self.sip_errors.merge(other.sip_errors);
        self.sip_error_count += other.sip_error_count;
        self.offline_failures.merge(other.offline_failures);
        self.offline_failure_count += other.offline_failure_count;
        self.offline_events += other.offline_events;
        self.timeline.merge(other.timeline);
    }

    /// Fill the fact fields of `facts` (the file lists stay as they are).
    pub(crate) fn into_facts(mut self, facts: &mut LogFacts) {
        // The build and the first sighting of each EWS URL join the
        // timeline only now, once they are final.
        if let Some((key, f)) = &self.build {
            let ctx = EntryCtx {
                line: f.line,
                offset: key.2,
                ts: f.timestamp,
            };
            let path = f.path.clone();
            let detail = format!("client build {} (User-Agent)", f.value);
            let tkey = (*key, TimelineKind::Build, detail);
            if self.timeline.admits(&tkey) {
                let ev = TimelineEvent {
                    timestamp: ctx.ts,
                    kind: TimelineKind::Build,
                    path,
                    line: ctx.line,
                    detail: tkey.2.clone(),
                };
                self.timeline.push(tkey, ev);
            }
        }
        let mut urls: Vec<UrlSeen> = std::mem::take(&mut self.urls).into_values().collect();
        urls.sort_by_key(|u| u.newest);
        for u in &urls {
            let tkey = (
                u.first,
                TimelineKind::EwsUrl,
                format!("EWS URL {}", u.fact.value),
            );
            if self.timeline.admits(&tkey) {
                let ev = TimelineEvent {
                    timestamp: u.first.0,
                    kind: TimelineKind::EwsUrl,
                    path: u.fact.path.clone(),
                    line: u.first_line,
                    detail: tkey.2.clone(),
                };
                self.timeline.push(tkey, ev);
            }
        }
        facts.newest_build = self.build.map(|(_, f)| f);
        facts.policy_auto_archiving = self.policy.map(|(_, f)| f);
        facts.user_auto_archiving = self.user.map(|(_, f)| f);
        facts.ews_urls = urls.into_iter().map(|u| u.fact).collect();
        facts.ews_failures = self.ews_failures.into_sorted();
        facts.ews_failure_count = self.ews_failure_count;
        facts.sip_errors = self.sip_errors.into_sorted();
        facts.sip_error_count = self.sip_error_count;
        facts.offline_events = self.offline_events;
        facts.offline_failures = self.offline_failures.into_sorted();
        facts.offline_failure_count = self.offline_failure_count;
        facts.timeline = self.timeline.into_sorted();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_n_keeps_largest_whatever_the_order() {
        let mut a = TopN::new(3);
        let mut b = TopN::new(3);
        for k in [5, 1, 9, 3, 7, 2] {
            a.push(k, k);
        }
        for k in [2, 7, 3, 9, 1, 5] {
            b.push(k, k);
        }
        assert_eq!(a.into_sorted(), vec![5, 7, 9]);
        assert_eq!(b.into_sorted(), vec![5, 7, 9]);
    }

    #[test]
    fn newest_wins_ties_go_to_later_file_then_offset() {
        let mut agg = Reduction::new(0, "a");
        let ts = Some(DateTime::<Utc>::UNIX_EPOCH);
        let ctx = EntryCtx {
            line: 1,
            offset: 0,
            ts,
        };
        agg.add_build(&ctx, 10, ClientBuild::new(16, 0, 1, 1), "x".into());
        agg.add_build(&ctx, 5, ClientBuild::new(16, 0, 2, 2), "y".into());
        let mut other = Reduction::new(1, "b");
        other.add_build(
            &EntryCtx {
                line: 1,
                offset: 0,
                ts: None,
            },
            99,
            ClientBuild::new(16, 0, 3, 3),
            "z".into(),
        );
        agg.merge(other);
        let mut facts = LogFacts::default();
        agg.into_facts(&mut facts);
        assert_eq!(
            facts.newest_build.unwrap().value,
            ClientBuild::new(16, 0, 1, 1)
        );
    }
}
