//! Bounded, order-independent aggregation of log facts.
//!
//! Chunks are analysed in parallel and merged in file order, and a file may
//! be split anywhere; the result must not depend on either. So every
//! aggregate here is a function of the *set* of facts under a total order:
//! "newest" is the largest [`Key`] (timestamp, then file order, then byte
//! offset), and every list keeps the N largest keys. Memory stays bounded
//! whatever the log size: a log with a million SIP errors keeps the newest
//! hundred and counts the rest.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::endpoint::{EndpointAgg, is_challenge};
use super::kept::{Counted, Distinct, Seen, TopN, merge_newer, newer};
use super::sink::{Found, HttpEntry, OfflineFailure, RespHeaders, Sink};
use super::{EndpointKind, HttpFailure, LogFact, LogFacts, SipDiagnostic, normalise_endpoint_url};
use crate::client_build::ClientBuild;
use crate::terms::{TimelineEvent, TimelineKind};

/// Newest wins: a later timestamp, then a later file (`.bak` before the
/// live log), then a later position. No timestamp sorts oldest.
pub(crate) type Key = (Option<DateTime<Utc>>, u32, u64);

pub const KEEP_FACTS: usize = 100;
pub const KEEP_TIMELINE: usize = 200;
pub const KEEP_URLS: usize = 64;
/// Responses per log part waiting for a request on their thread in an
/// earlier part: a bound against hostile input only (per thread, only the
/// responses up to the first non-challenge one wait; see `response`).
const KEEP_UNPAIRED: usize = 1 << 16;

/// An `X-EWS-Policy-Reason` header logged in an entry of its own counts for
/// the refused EWS response (401/403) just before it when it is on the same
/// thread or at most this long after it.
const OWN_ENTRY_POLICY_REASON_WITHIN: chrono::TimeDelta = chrono::TimeDelta::seconds(5);
/// Headers of their own waiting for a refusal in an earlier part of the
/// file (a bound against hostile input).
const KEEP_LOOSE_REASONS: usize = 64;

/// The newest refused EWS response in a part: where a policy-reason
/// header logged on its own is attached.
#[derive(Clone)]
struct Refusal {
    ctx: EntryCtx,
    slot: (EndpointKind, String),
    key: Key,
}

/// A response entry without a URL, waiting for the request before it on
/// its thread.
struct Response {
    ctx: EntryCtx,
    kind: Option<EndpointKind>,
    status: u16,
    excerpt: String,
    headers: RespHeaders,
}

/// The request a thread last sent, which its next response answers.
#[derive(Clone)]
struct Pending {
    kind: EndpointKind,
    url: Option<String>,
}

/// Where a fact sits: the entry it belongs to and the line it was seen on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntryCtx {
    /// 1-based line where the entry starts.
    pub line: u64,
    /// Byte offset of the entry's first line in the scanned text.
    pub offset: u64,
    pub ts: Option<DateTime<Utc>>,
    /// The entry's thread ([`super::EntryHeader::thread`]).
    pub thread: u64,
}

/// The timeline orders by time, then kind, then text, so ties between two
/// events of one line (two EWS URLs) still have one order.
type TimelineKey = (Key, TimelineKind, String);

/// The timeline detail of a `code;reason=` diagnostic header.
fn diagnostic_detail(header: &str, d: &SipDiagnostic) -> String {
    match &d.reason {
        Some(r) => format!("{header} {} reason=\"{r}\"", d.code),
        None => format!("{header} {}", d.code),
    }
}

pub(crate) struct Reduction {
    pub file_idx: u32,
    pub path: String,
    build: Option<(Key, LogFact<ClientBuild>)>,
    policy: Option<(Key, LogFact<bool>)>,
    user: Option<(Key, LogFact<bool>)>,
    ews_urls: Distinct<String>,
    im_recipients: Distinct<String>,
    ews_failures: Counted<HttpFailure>,
    sip_errors: Counted<SipDiagnostic>,
    offline_failures: Counted<String>,
    http_diagnostics: Counted<SipDiagnostic>,
    offline_events: u64,
    timeline: TopN<TimelineKey, TimelineEvent>,
    /// Responses that wait for a request on their thread in an earlier
    /// part of the file, in log order.
    unpaired: Vec<Response>,
    /// Per thread touched in this part: the request its next response
    /// answers (`None`: answered, or none with a URL).
    threads: HashMap<u64, Option<Pending>>,
    /// Threads whose waiting responses already include a non-challenge
    /// one: an earlier request is answered by then, so later responses on
    /// the thread can never pair and are settled at once.
    unpaired_closed: std::collections::HashSet<u64>,
    endpoints: BTreeMap<(EndpointKind, String), EndpointAgg>,
    /// The newest refused EWS response in this part.
    last_refusal: Option<Refusal>,
    /// `X-EWS-Policy-Reason` entries of their own that came before any
    /// refusal in this part: an earlier part's refusal may own them.
    loose_reasons: Vec<(EntryCtx, String)>,
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

/// What the analyzer finds is kept here: one collection per kind.
impl Sink for Reduction {
    fn push(&mut self, ctx: &EntryCtx, offset: u64, found: Found) {
        let key = self.key(ctx, offset);
        let path = &self.path;
        match found {
            Found::Build { build, excerpt } => {
                newer(&mut self.build, key, || fact(path, ctx, build, excerpt));
            }
            Found::AutoArchiving {
                user_option,
                value,
                excerpt,
            } => {
                let slot = if user_option {
                    &mut self.user
                } else {
                    &mut self.policy
                };
                newer(slot, key, || fact(path, ctx, value, excerpt));
                self.event(key, TimelineKind::Policy, ctx, || {
                    if user_option {
                        format!("user option imAutoArchiving = {value}")
                    } else {
                        format!("client policy EnableIMAutoArchiving = {value}")
                    }
                });
            }
            Found::EwsUrl { url, excerpt } => {
                let norm = url.to_ascii_lowercase();
                self.ews_urls
                    .push(norm, seen(key, fact(path, ctx, url, excerpt)));
            }
            Found::ImRecipient { to, excerpt } => {
                let norm = to.to_ascii_lowercase();
                self.im_recipients
                    .push(norm, seen(key, fact(path, ctx, to, excerpt)));
            }
            Found::HttpDiagnostic { diag, excerpt } => {
                self.event(key, TimelineKind::HttpDiagnostic, ctx, || {
                    diagnostic_detail("x-ms-diagnostics", &diag)
                });
                let path = &self.path;
                self.http_diagnostics
                    .push(key, || fact(path, ctx, diag, excerpt));
            }
            Found::SipError { diag, excerpt } => {
                self.event(key, TimelineKind::SipError, ctx, || {
                    diagnostic_detail("ms-diagnostics", &diag)
                });
                let path = &self.path;
                self.sip_errors.push(key, || fact(path, ctx, diag, excerpt));
            }
            Found::Http(e) => self.http_entry(ctx, e),
            Found::PolicyReason(reason) => self.policy_reason(ctx, reason),
            Found::Offline { mention, failure } => {
                self.offline_events += 1;
                match failure {
                    Some(OfflineFailure { marker, line }) => {
                        let excerpt = || {
                            if line
                                .to_ascii_lowercase()
                                .contains(&mention.to_ascii_lowercase())
                            {
                                line.clone()
                            } else {
                                format!("{mention} … {line}")
                            }
                        };
                        self.offline_failures
                            .push(key, || fact(path, ctx, marker, excerpt()));
                        self.event(key, TimelineKind::OfflineImFailure, ctx, excerpt);
                    }
                    None => self.event(key, TimelineKind::OfflineIm, ctx, || mention),
                }
            }
        }
    }
}

/// A first sighting.
fn seen<T>(key: Key, fact: LogFact<T>) -> Seen<T> {
    Seen {
        newest: key,
        first: key,
        first_line: fact.line,
        fact,
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
            ews_urls: Distinct::new(),
            im_recipients: Distinct::new(),
            ews_failures: Counted::new(),
            sip_errors: Counted::new(),
            offline_failures: Counted::new(),
            http_diagnostics: Counted::new(),
            offline_events: 0,
            timeline: TopN::new(KEEP_TIMELINE),
            unpaired: Vec::new(),
            threads: HashMap::new(),
            unpaired_closed: std::collections::HashSet::new(),
            endpoints: BTreeMap::new(),
            last_refusal: None,
            loose_reasons: Vec::new(),
        }
    }

    /// An `X-EWS-Policy-Reason` header in an entry of its own: it belongs to
    /// the refused EWS response just before it, on the same thread or
    /// within [`OWN_ENTRY_POLICY_REASON_WITHIN`].
    fn policy_reason(&mut self, ctx: &EntryCtx, reason: String) {
        let Some(r) = &self.last_refusal else {
            if self.loose_reasons.len() < KEEP_LOOSE_REASONS {
                self.loose_reasons.push((*ctx, reason));
            }
            return;
        };
        let near = r.ctx.thread == ctx.thread
            || matches!((r.ctx.ts, ctx.ts), (Some(a), Some(b))
                if b >= a && b - a <= OWN_ENTRY_POLICY_REASON_WITHIN);
        if !near {
            return;
        }
        if let Some(agg) = self.endpoints.get_mut(&r.slot) {
            newer(&mut agg.policy_reason, r.key, || reason);
        }
    }

    /// An entry about EWS/autodiscover traffic, in log order within this
    /// part. A URL with a status is an outcome by itself; a URL alone is a
    /// request its thread's next response answers; a status alone is that
    /// response.
    fn http_entry(&mut self, ctx: &EntryCtx, e: HttpEntry) {
        match (e.url, e.status) {
            (Some(url), status) => {
                let kind = e.kind.unwrap_or(EndpointKind::Ews);
                let keep = status.as_ref().is_none_or(|(s, _)| is_challenge(*s));
                if let Some((s, ex)) = status {
                    self.outcome(ctx, kind, Some(url.clone()), s, ex, e.headers);
                }
                let pending = keep.then_some(Pending {
                    kind,
                    url: Some(url),
                });
                self.threads.insert(ctx.thread, pending);
            }
            (None, Some((status, excerpt))) => self.response(Response {
                ctx: *ctx,
                kind: e.kind,
                status,
                excerpt,
                headers: e.headers,
            }),
            (None, None) => {}
        }
    }

    fn response(&mut self, r: Response) {
        let Some(slot) = self.threads.get_mut(&r.ctx.thread) else {
            let thread = r.ctx.thread;
            if self.unpaired_closed.contains(&thread) || self.unpaired.len() >= KEEP_UNPAIRED {
                self.settle_unpaired(r);
            } else {
                if !is_challenge(r.status) {
                    self.unpaired_closed.insert(thread);
                }
                self.unpaired.push(r);
            }
            return;
        };
        match slot.clone() {
            Some(p) if r.kind.is_none_or(|k| k == p.kind) => {
                if !is_challenge(r.status) {
                    *slot = None;
                }
                self.outcome(&r.ctx, p.kind, p.url, r.status, r.excerpt, r.headers);
            }
            _ => self.settle_unpaired(r),
        }
    }

    /// A response no request pairs with counts for its service's unnamed
    /// endpoint when the entry names the service, else it is not evidence.
    fn settle_unpaired(&mut self, r: Response) {
        if let Some(kind) = r.kind {
            self.outcome(&r.ctx, kind, None, r.status, r.excerpt, r.headers);
        }
    }

    /// The file ends: responses whose thread sent no request are settled,
    /// and no request waits into the next file.
    pub(crate) fn close_file(&mut self) {
        for r in std::mem::take(&mut self.unpaired) {
            self.settle_unpaired(r);
        }
        self.threads.clear();
        self.unpaired_closed.clear();
        self.last_refusal = None;
        self.loose_reasons.clear();
    }

    fn outcome(
        &mut self,
        ctx: &EntryCtx,
        kind: EndpointKind,
        url: Option<String>,
        status: u16,
        excerpt: String,
        headers: RespHeaders,
    ) {
        let key = self.key(ctx, ctx.offset);
        let failed = headers.failed(status);
        if failed {
            let failure = HttpFailure {
                target: kind.to_string(),
                status,
                url: url.clone(),
            };
            self.event(key, TimelineKind::EwsFailure, ctx, || {
                let url = failure
                    .url
                    .as_ref()
                    .map(|u| format!(" {u}"))
                    .unwrap_or_default();
                format!("{} HTTP {}{url}", failure.target, failure.status)
            });
            let path = &self.path;
            self.ews_failures
                .push(key, || fact(path, ctx, failure, excerpt.clone()));
        }
        let norm = url.as_deref().map(normalise_endpoint_url);
        let f = fact(&self.path, ctx, status, excerpt);
        let slot = (
            kind,
            norm.as_deref().unwrap_or_default().to_ascii_lowercase(),
        );
        if kind == EndpointKind::Ews && matches!(status, 401 | 403) {
            self.last_refusal = Some(Refusal {
                ctx: *ctx,
                slot: slot.clone(),
                key,
            });
        }
        match self.endpoints.get_mut(&slot) {
            Some(agg) => {
                agg.add(key, f, failed);
                if let Some(r) = headers.policy_reason {
                    newer(&mut agg.policy_reason, key, || r);
                }
                if let Some(a) = headers.auth_schemes {
                    newer(&mut agg.auth_schemes, key, || a);
                }
                if let Some(a) = headers.ews_answer {
                    newer(&mut agg.ews_answer, key, || a);
                }
            }
            None => {
                let mut agg = EndpointAgg::new(kind, norm, key, f.clone());
                agg.add(key, f, failed);
                agg.policy_reason = headers.policy_reason.map(|r| (key, r));
                agg.auth_schemes = headers.auth_schemes.map(|a| (key, a));
                agg.ews_answer = headers.ews_answer.map(|a| (key, a));
                self.insert_endpoint(slot, agg);
            }
        }
    }

    fn insert_endpoint(&mut self, slot: (EndpointKind, String), agg: EndpointAgg) {
        match self.endpoints.get_mut(&slot) {
            Some(have) => have.merge(agg),
            None => {
                self.endpoints.insert(slot, agg);
                if self.endpoints.len() > KEEP_URLS
                    && let Some(oldest) = self
                        .endpoints
                        .iter()
                        .min_by_key(|(_, a)| a.latest.0)
                        .map(|(k, _)| k.clone())
                {
                    self.endpoints.remove(&oldest);
                }
            }
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

    /// Join a later part of the same log (or, closed, another log).
    pub(crate) fn merge(&mut self, other: Reduction) {
        for r in other.unpaired {
            self.response(r);
        }
        self.threads.extend(other.threads);
        for (slot, agg) in other.endpoints {
            self.insert_endpoint(slot, agg);
        }
        // Headers of their own at the start of `other` answer a refusal
        // at the end of this part.
        for (ctx, reason) in other.loose_reasons {
            self.policy_reason(&ctx, reason);
        }
        if other.last_refusal.is_some() {
            self.last_refusal = other.last_refusal;
        }
        merge_newer(&mut self.build, other.build);
        merge_newer(&mut self.policy, other.policy);
        merge_newer(&mut self.user, other.user);
        self.ews_urls.merge(other.ews_urls);
        self.im_recipients.merge(other.im_recipients);
        self.ews_failures.merge(other.ews_failures);
        self.sip_errors.merge(other.sip_errors);
        self.offline_failures.merge(other.offline_failures);
        self.http_diagnostics.merge(other.http_diagnostics);
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
                thread: 0,
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
        let urls = std::mem::replace(&mut self.ews_urls, Distinct::new()).into_sorted();
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
        (facts.ews_failures, facts.ews_failure_count) = self.ews_failures.into_parts();
        (facts.sip_errors, facts.sip_error_count) = self.sip_errors.into_parts();
        (facts.offline_failures, facts.offline_failure_count) = self.offline_failures.into_parts();
        (facts.http_diagnostics, facts.http_diagnostic_count) = self.http_diagnostics.into_parts();
        facts.offline_events = self.offline_events;
        facts.timeline = self.timeline.into_sorted();
        facts.im_recipients = self
            .im_recipients
            .into_sorted()
            .into_iter()
            .map(|s| s.fact)
            .collect();
        facts.http_endpoints = self
            .endpoints
            .into_values()
            .map(EndpointAgg::into_endpoint)
            .collect();
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
            thread: 0,
        };
        let build = |b, excerpt: &str| Found::Build {
            build: b,
            excerpt: excerpt.into(),
        };
        agg.push(&ctx, 10, build(ClientBuild::new(16, 0, 1, 1), "x"));
        agg.push(&ctx, 5, build(ClientBuild::new(16, 0, 2, 2), "y"));
        let mut other = Reduction::new(1, "b");
        other.push(
            &EntryCtx {
                line: 1,
                offset: 0,
                ts: None,
                thread: 0,
            },
            99,
            build(ClientBuild::new(16, 0, 3, 3), "z"),
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
